//! This device's identity and the local inspector profile.

use super::sql::{META_COLUMNS, get_meta, meta_values, query_first, ts};
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

/// Reads this device's replica id, making one on first run (under the write lock, so two
/// processes starting together agree on one id).
pub(super) fn ensure_replica(conn: &mut Connection, now: DateTime<Utc>) -> Result<Uuid> {
    if let Some(id) = read_meta(conn, REPLICA_KEY)? {
        return parse_id(&id, "本机设备标识");
    }
    let tx = write_tx(conn)?;
    if let Some(id) = read_meta(&tx, REPLICA_KEY)? {
        return parse_id(&id, "本机设备标识");
    }
    let id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2), ('created_at', ?3)",
        params![REPLICA_KEY, id.to_string(), ts(now)],
    )?;
    tx.commit()?;
    Ok(id)
}

fn parse_id(text: &str, what: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|_| StoreError::Invalid(format!("{what}已损坏")))
}

pub(super) fn read_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// The author of records written here, when there is one yet (nothing is written).
pub(super) fn author_if_any(conn: &Connection) -> Result<Option<Uuid>> {
    for key in [PROFILE_KEY, UNNAMED_KEY] {
        if let Some(id) = read_meta(conn, key)? {
            return parse_id(&id, "本机执法人员档案标识").map(Some);
        }
    }
    Ok(None)
}

pub(super) fn read_inspector(conn: &Connection, id: Uuid) -> Result<Record<Inspector>> {
    query_first(
        conn,
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
    )?
    .ok_or_else(|| StoreError::NotFound(format!("执法人员 {id}")))
}

fn inspector_under(conn: &Connection, key: &str) -> Result<Option<Record<Inspector>>> {
    match read_meta(conn, key)? {
        Some(id) => Ok(Some(read_inspector(
            conn,
            parse_id(&id, "本机执法人员档案标识")?,
        )?)),
        None => Ok(None),
    }
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

/// Inserts an inspector who is their own author and files it under `key` in `meta`.
fn insert_self_authored(
    conn: &Connection,
    key: &str,
    inspector: &Inspector,
    replica: Uuid,
    now: DateTime<Utc>,
) -> Result<RecordMeta> {
    let mut meta = RecordMeta::new(Uuid::nil(), replica, now);
    meta.author_id = meta.id;
    insert_inspector(conn, &meta, inspector)?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, meta.id.to_string()],
    )?;
    Ok(meta)
}

/// The author of a record being written in the open transaction `conn`: the profile, or else
/// this device's one unnamed author, made here on first need — inside the same transaction,
/// so an action that fails leaves nothing behind.
pub(super) fn author_in(conn: &Connection, replica: Uuid, now: DateTime<Utc>) -> Result<Uuid> {
    if let Some(id) = author_if_any(conn)? {
        return Ok(id);
    }
    let unnamed = Inspector {
        name: UNNAMED_PROFILE.to_string(),
        cert_no: String::new(),
        group_code: None,
    };
    Ok(insert_self_authored(conn, UNNAMED_KEY, &unnamed, replica, now)?.id)
}

impl Store {
    /// The local inspector profile, if one was set up. Once the office's roster enrols this
    /// profile's key, the name, 执法证号 and group are the roster's (one source of people);
    /// what was typed here stays in the profile's own record.
    pub fn profile(&self) -> Result<Option<Record<Inspector>>> {
        let Some(mut profile) = inspector_under(&self.conn, PROFILE_KEY)? else {
            return Ok(None);
        };
        // A roster that fails its checks is refused where it is acted on; the profile as typed
        // here is still shown.
        if let Some(person) = self.enrolled_person(profile.id()).ok().flatten() {
            profile.data = Inspector {
                name: person.name,
                cert_no: person.cert_no,
                group_code: person.group_code,
            };
        }
        Ok(Some(profile))
    }

    /// The person the roster enrolled this device's key of `inspector` for, if any.
    pub fn enrolled_person(&self, inspector: Uuid) -> Result<Option<crate::domain::trust::Person>> {
        let Some(roster) = super::roster::load(&self.conn)? else {
            return Ok(None);
        };
        Ok(super::authority::enrolled_here(&self.conn, &roster, inspector)?.cloned())
    }

    /// Makes `inspector` this device's profile: the author of what is recorded from now on.
    /// A new inspector record is made each time; the earlier ones stay as they were.
    pub fn set_profile(&mut self, inspector: Inspector) -> Result<Record<Inspector>> {
        let now = self.clock.now();
        let tx = write_tx(&mut self.conn)?;
        let meta = insert_self_authored(&tx, PROFILE_KEY, &inspector, self.replica_id, now)?;
        tx.commit()?;
        Ok(Record {
            meta,
            data: inspector,
        })
    }

    /// The author records made now would carry (creating the unnamed one if needed).
    pub fn author_id(&mut self) -> Result<Uuid> {
        let now = self.clock.now();
        let tx = write_tx(&mut self.conn)?;
        let author = author_in(&tx, self.replica_id, now)?;
        tx.commit()?;
        Ok(author)
    }

    /// Registers another inspector (a colleague on the same inspection).
    pub fn add_inspector(&mut self, inspector: Inspector) -> Result<Record<Inspector>> {
        self.write(|tx, stamp| {
            let meta = stamp.meta(tx)?;
            insert_inspector(tx, &meta, &inspector)?;
            Ok(Record {
                meta,
                data: inspector,
            })
        })
    }

    /// The most recently registered inspector with this name, if any.
    pub fn inspector_by_name(&self, name: &str) -> Result<Option<Record<Inspector>>> {
        let id: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM inspectors WHERE name = ?1 ORDER BY id DESC LIMIT 1",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| read_inspector(&self.conn, parse_id(&id, "执法人员标识")?))
            .transpose()
    }

    pub fn inspector(&self, id: Uuid) -> Result<Record<Inspector>> {
        read_inspector(&self.conn, id)
    }
}
