//! What every stored record carries: who made it, on which device, and when.

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Identity and provenance of a record. Ids are UUIDv7, so they sort by creation time and two
/// laptops never mint the same one: merging their data is a union by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordMeta {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The inspector profile that made the record.
    pub author_id: Uuid,
    /// The device (database replica) where the record was made.
    pub replica_id: Uuid,
}

impl RecordMeta {
    /// Provenance for a record made now by `author_id` on `replica_id`.
    pub fn new(author_id: Uuid, replica_id: Uuid, now: DateTime<Utc>) -> Self {
        let now = now.trunc_subsecs(3);
        RecordMeta {
            id: Uuid::now_v7(),
            created_at: now,
            updated_at: now,
            author_id,
            replica_id,
        }
    }
}

/// A stored record: its provenance plus its data. JSON shows both at the same level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record<T> {
    #[serde(flatten)]
    pub meta: RecordMeta,
    #[serde(flatten)]
    pub data: T,
}

impl<T> Record<T> {
    pub fn id(&self) -> Uuid {
        self.meta.id
    }
}

/// The source of "now". Injected so rules and tests never read the wall clock themselves.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant, for tests and reproducible runs.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}
