//! This device's identity and the local inspector profile.

use super::sql::{META_COLUMNS, get_meta, meta_values};
use super::{Result, Store, StoreError, write_tx};
use crate::domain::{Inspector, Record, RecordMeta};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

const REPLICA_KEY: &str = "replica_id";
const PROFILE_KEY: &str = "profile_inspector_id";
/// The author of records made before a profile was set up (kept apart from the profile, so
/// the app still asks for one).
const UNNAMED_KEY: &str = "unnamed_author_id";

/// Name given to the author of records made before anyone set up a profile.
pub const UNNAMED_PROFILE: &str = "未设置姓名的本机用户";

/// Reads this device's replica id, making one on first run.
pub(super) fn ensure_replica(conn: &Connection, now: DateTime<Utc>) -> Result<Uuid> {
    if let Some(id) = read_meta(conn, REPLICA_KEY)? {
        return Uuid::parse_str(&id)
            .map_err(|_| StoreError::Invalid("本机设备标识损坏".to_string()));
    }
    let id = Uuid::now_v7();
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2), ('created_at', ?3)",
        params![REPLICA_KEY, id.to_string(), super::sql::ts(now)],
    )?;
    Ok(id)
}

fn read_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

fn read_inspector(conn: &Connection, id: Uuid) -> Result<Record<Inspector>> {
    conn.query_row(
        &format!("SELECT {META_COLUMNS}, name, cert_no, group_code FROM inspectors WHERE id = ?1"),
        [id.to_string()],
        |row| {
            Ok(Record {
                meta: get_meta(row)?,
                data: Inspector {
                    name: row.get("name")?,
                    cert_no: row.get("cert_no")?,
                    group_code: row.get("group_code")?,
                },
            })
        },
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("执法人员 {id}")))
}

fn insert_inspector(conn: &Connection, meta: &RecordMeta, data: &Inspector) -> Result<()> {
    let [id, created, updated, author, replica] = meta_values(meta);
    conn.execute(
        &format!(
            "INSERT INTO inspectors ({META_COLUMNS}, name, cert_no, group_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        ),
        params![
            id,
            created,
            updated,
            author,
            replica,
            data.name,
            data.cert_no,
            data.group_code
        ],
    )?;
    Ok(())
}

impl Store {
    /// The local inspector profile, if one was set up.
    pub fn profile(&self) -> Result<Option<Record<Inspector>>> {
        self.inspector_under(PROFILE_KEY)
    }

    fn inspector_under(&self, key: &str) -> Result<Option<Record<Inspector>>> {
        match read_meta(&self.conn, key)? {
            Some(id) => {
                let id = Uuid::parse_str(&id)
                    .map_err(|_| StoreError::Invalid("本机执法人员档案标识损坏".to_string()))?;
                Ok(Some(read_inspector(&self.conn, id)?))
            }
            None => Ok(None),
        }
    }

    /// Makes `inspector` this device's profile: the author of what is recorded from now on.
    /// A new inspector record is made each time; the earlier ones stay as they were.
    pub fn set_profile(&mut self, inspector: Inspector) -> Result<Record<Inspector>> {
        self.new_self_authored(PROFILE_KEY, inspector)
    }

    fn new_self_authored(&mut self, key: &str, inspector: Inspector) -> Result<Record<Inspector>> {
        let mut meta = self.new_meta(Uuid::nil());
        meta.author_id = meta.id; // an inspector profile is its own author
        let tx = write_tx(&mut self.conn)?;
        insert_inspector(&tx, &meta, &inspector)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, meta.id.to_string()],
        )?;
        tx.commit()?;
        Ok(Record {
            meta,
            data: inspector,
        })
    }

    /// The author for records made now: the profile, or else one unnamed author for this device
    /// (made on first need), so that every record still says who and where it came from.
    pub fn author_id(&mut self) -> Result<Uuid> {
        if let Some(profile) = self.profile()? {
            return Ok(profile.id());
        }
        if let Some(unnamed) = self.inspector_under(UNNAMED_KEY)? {
            return Ok(unnamed.id());
        }
        let unnamed = Inspector {
            name: UNNAMED_PROFILE.to_string(),
            cert_no: String::new(),
            group_code: None,
        };
        Ok(self.new_self_authored(UNNAMED_KEY, unnamed)?.id())
    }

    /// Registers another inspector (a colleague on the same inspection).
    pub fn add_inspector(&mut self, inspector: Inspector) -> Result<Record<Inspector>> {
        let author = self.author_id()?;
        let meta = self.new_meta(author);
        insert_inspector(&self.conn, &meta, &inspector)?;
        Ok(Record {
            meta,
            data: inspector,
        })
    }

    pub fn inspector(&self, id: Uuid) -> Result<Record<Inspector>> {
        read_inspector(&self.conn, id)
    }
}
