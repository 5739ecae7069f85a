//! The office's roster as stored: its signed entries, exactly as signed, and the office's
//! anchor key when this data dir is the office. What the entries mean and whether they hold
//! is `domain::trust`'s business; this module only stores and reads them.

use super::profile::read_meta;
use super::sql::ts;
use super::{Result, Store, StoreError};
use crate::domain::trust::{Body, Entry, Roster, SignedEntry};
use crate::identity::keys;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// `meta` key naming the key file (by id, in `keys/`) of the office's anchor in force.
const ANCHOR_KEY: &str = "office_anchor_key_id";

/// The current chain's entries, in order.
pub(crate) fn read_chain(conn: &Connection) -> Result<Vec<SignedEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, entry, public_key, signature FROM roster_entries
         WHERE chain = (SELECT MAX(chain) FROM roster_pins) ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, text, public, signature) = row?;
        let signed = SignedEntry::parse(&text, &public, &signature).map_err(|reason| {
            StoreError::Invalid(format!(
                "办公室名册第 {seq} 条无效：{reason}。名册可能被改动过，paicha 不会按它判断任何人的权限"
            ))
        })?;
        out.push(signed);
    }
    Ok(out)
}

/// The roster this database holds, checked entry by entry; `None` before any office.
pub(crate) fn load(conn: &Connection) -> Result<Option<Roster>> {
    let chain = read_chain(conn)?;
    let pinned: Option<String> = conn
        .prepare_cached(
            "SELECT genesis_key FROM roster_pins WHERE chain = (SELECT MAX(chain) FROM roster_pins)",
        )?
        .query_row([], |r| r.get(0))
        .optional()?;
    let Some(pinned) = pinned else {
        return Ok(None);
    };
    let roster = Roster::from_chain(&chain).map_err(|e| StoreError::Invalid(e.to_string()))?;
    if roster.genesis_key != pinned {
        return Err(StoreError::Invalid(
            "办公室名册不是本机信任的办公室签发的（与确认过的指纹不符）。名册可能被改动过，paicha 不会按它判断任何人的权限"
                .into(),
        ));
    }
    Ok(Some(roster))
}

/// The chain number entries are added to (1 for the first office trusted).
pub(crate) fn current_chain(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(chain), 1) FROM roster_pins", [], |r| {
            r.get(0)
        })?,
    )
}

/// Stores one entry (already checked against the roster it extends).
pub(crate) fn insert(
    conn: &Connection,
    chain: i64,
    signed: &SignedEntry,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    if signed.entry.seq == 1
        && let crate::domain::trust::Body::Anchor { public_key, .. } = &signed.entry.body
    {
        // The first entry of a chain: its anchor is the one the user trusted.
        conn.prepare_cached(
            "INSERT INTO roster_pins (chain, genesis_key, pinned_at) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![chain, public_key, ts(now)])?;
    }
    conn.prepare_cached(
        "INSERT INTO roster_entries (chain, seq, entry, public_key, signature, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        chain,
        signed.entry.seq as i64,
        signed.text,
        signed.public_key,
        signed.signature,
        ts(now)
    ])?;
    Ok(())
}

/// The entry `seq` of the current chain as stored, if any.
pub(crate) fn stored_entry(conn: &Connection, seq: u64) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT entry, signature FROM roster_entries
             WHERE chain = (SELECT MAX(chain) FROM roster_pins) AND seq = ?1",
        )?
        .query_row([seq as i64], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// A new person id for the roster.
pub fn new_person_id() -> Uuid {
    Uuid::now_v7()
}

impl Store {
    /// The office's roster as this database holds it (`None` before any), every signature
    /// checked: a roster changed by hand is refused with the reason.
    pub fn roster(&self) -> Result<Option<Roster>> {
        load(&self.conn)
    }

    /// Every entry of the roster in force, with its signature, for listings and bundles.
    pub fn roster_entries(&self) -> Result<Vec<SignedEntry>> {
        read_chain(&self.conn)
    }

    /// Whether this data dir is the office: it holds the anchor's private key.
    pub fn is_office(&self) -> Result<bool> {
        Ok(self.anchor_key()?.is_some())
    }

    fn anchor_key(&self) -> Result<Option<ed25519_dalek::SigningKey>> {
        let Some(id) = read_meta(&self.conn, ANCHOR_KEY)? else {
            return Ok(None);
        };
        let id = Uuid::parse_str(&id)
            .map_err(|_| StoreError::Invalid("办公室锚定密钥的标识已损坏".into()))?;
        self.keys().get(id).map_err(super::bundle::sign::key_error)
    }

    /// Makes this data dir the office: a new anchor key, the roster's first entry, and the
    /// profile (who runs this) enrolled with `roles` (at least 内勤 and 检查人员) and their own
    /// key.
    pub fn office_init(
        &mut self,
        office_name: &str,
        roles: &[crate::domain::trust::Role],
    ) -> Result<Roster> {
        use crate::domain::trust::Role;
        if office_name.trim().is_empty() {
            return Err(StoreError::Invalid(
                "请填写办公室名称，如“方山县应急管理局”".into(),
            ));
        }
        let Some(profile) = self.profile()? else {
            return Err(StoreError::Invalid(
                "请先设置本机执法人员档案（paicha profile set --name 姓名 --cert-no 执法证号），\
                 办公室名册的第一个人就是运行这条命令的内勤"
                    .into(),
            ));
        };
        if self.roster()?.is_some() {
            return Err(StoreError::Invalid(
                "这个数据目录已经有办公室名册，不能再建立一次（更换锚定密钥请用 paicha office rotate）"
                    .into(),
            ));
        }
        let own_key = self.own_public_key(profile.id())?;
        let office = Uuid::now_v7();
        let (anchor, _) = self
            .keys()
            .get_or_make(office)
            .map_err(super::bundle::sign::key_error)?;
        // The clerk of a county office is an enforcement officer too: without the inspector's
        // role they could not take the 验收 of a 复查 they recorded themselves.
        let mut all_roles = vec![Role::Clerk, Role::Inspector];
        for r in roles {
            if !all_roles.contains(r) {
                all_roles.push(*r);
            }
        }
        let person = new_person_id();
        let bodies = vec![
            Body::Person {
                person_id: person,
                name: profile.data.name.clone(),
                cert_no: profile.data.cert_no.clone(),
                group_code: profile.data.group_code.clone(),
                roles: all_roles,
                active: true,
            },
            Body::Key {
                person_id: person,
                inspector_id: profile.id(),
                public_key: own_key,
            },
        ];
        let now = self.clock.now();
        self.write(|tx, _| {
            let first = SignedEntry::sign(
                Entry {
                    seq: 1,
                    prev: String::new(),
                    office,
                    made_at: ts(now),
                    body: Body::Anchor {
                        public_key: keys::public_hex(&anchor),
                        office_name: office_name.trim().to_string(),
                    },
                },
                &anchor,
            );
            let mut roster =
                Roster::start(&first).map_err(|e| StoreError::Invalid(e.to_string()))?;
            insert(tx, 1, &first, now)?;
            append(tx, &mut roster, &anchor, bodies, now)?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![ANCHOR_KEY, office.to_string()],
            )?;
            Ok(roster)
        })
    }

    /// Adds entries to the roster, signed with the office's anchor (only at the office).
    /// Each is checked against the roster so far: a refused one adds none of them.
    pub fn roster_append(&mut self, bodies: Vec<Body>) -> Result<Roster> {
        let anchor = self.require_anchor()?;
        let now = self.clock.now();
        self.write(|tx, _| {
            let Some(mut roster) = load(tx)? else {
                return Err(StoreError::Invalid(
                    "还没有办公室名册（paicha office init）".into(),
                ));
            };
            append(tx, &mut roster, &anchor, bodies, now)?;
            Ok(roster)
        })
    }

    /// A new anchor key for the office, announced by an entry signed with the old one.
    pub fn rotate_anchor(&mut self) -> Result<Roster> {
        let old = self.require_anchor()?;
        let id = Uuid::now_v7();
        let (new, _) = self
            .keys()
            .get_or_make(id)
            .map_err(super::bundle::sign::key_error)?;
        let now = self.clock.now();
        self.write(|tx, _| {
            let Some(mut roster) = load(tx)? else {
                return Err(StoreError::Invalid(
                    "还没有办公室名册（paicha office init）".into(),
                ));
            };
            append(
                tx,
                &mut roster,
                &old,
                vec![Body::Rotate {
                    public_key: keys::public_hex(&new),
                }],
                now,
            )?;
            tx.execute(
                "UPDATE meta SET value = ?2 WHERE key = ?1",
                params![ANCHOR_KEY, id.to_string()],
            )?;
            Ok(roster)
        })
    }

    fn require_anchor(&self) -> Result<ed25519_dalek::SigningKey> {
        self.anchor_key()?.ok_or_else(|| {
            StoreError::Invalid(
                "这台电脑不是办公室（没有办公室锚定密钥），不能修改人员名册：名册只在办公室修改，\
                 再随台账数据包发到各台电脑"
                    .into(),
            )
        })
    }
}

/// Signs `bodies` as the next entries with `anchor` and stores them, each checked against the
/// roster so far (which is updated).
fn append(
    tx: &Connection,
    roster: &mut Roster,
    anchor: &ed25519_dalek::SigningKey,
    bodies: Vec<Body>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let chain = current_chain(tx)?;
    for body in bodies {
        let entry = Entry {
            seq: roster.len + 1,
            prev: roster.head.clone(),
            office: roster.office,
            made_at: ts(now),
            body,
        };
        let signed = SignedEntry::sign(entry, anchor);
        // A new entry the roster does not allow: the plain reason (nothing was tampered with).
        roster
            .extend(&signed)
            .map_err(|e| StoreError::Invalid(format!("名册没有改动：{}", e.reason)))?;
        insert(tx, chain, &signed, now)?;
    }
    Ok(())
}

impl Store {
    /// At the office: enrols this device's current profile (and its key) with `roles` — as a
    /// new person, or, when the roster already holds someone with the same 执法证号, as that
    /// person's new key with these roles. Returns the person's roster id.
    pub fn enrol_profile(&mut self, roles: &[crate::domain::trust::Role]) -> Result<Uuid> {
        let Some(profile) = self.profile()? else {
            return Err(StoreError::Invalid(
                "请先设置本机执法人员档案（paicha profile set）".into(),
            ));
        };
        let Some(roster) = self.roster()? else {
            return Err(StoreError::Invalid(
                "还没有办公室名册（paicha office init）".into(),
            ));
        };
        let public_key = self.own_public_key(profile.id())?;
        let existing = roster
            .people
            .values()
            .find(|p| !profile.data.cert_no.is_empty() && p.cert_no == profile.data.cert_no);
        let person_id = existing.map_or_else(new_person_id, |p| p.id);
        let mut bodies = vec![Body::Person {
            person_id,
            name: profile.data.name.clone(),
            cert_no: profile.data.cert_no.clone(),
            group_code: profile.data.group_code.clone(),
            roles: roles.to_vec(),
            active: true,
        }];
        if !roster.keys.contains_key(&public_key) {
            bodies.push(Body::Key {
                person_id,
                inspector_id: profile.id(),
                public_key,
            });
        }
        self.roster_append(bodies)?;
        Ok(person_id)
    }
}

impl Store {
    /// At the office: enrols every key taken with `--trust-new-keys` that the roster does not
    /// hold yet — for the person with the same 执法证号 (however spelled), or as a new
    /// inspector — so that laptops receiving the office's ledger accept their records too.
    /// Returns who was enrolled, with the key's fingerprint.
    pub fn enrol_trusted_keys(&mut self) -> Result<Vec<String>> {
        use crate::domain::trust::roster::{cert_key, fingerprint};
        if !self.is_office()? {
            return Ok(Vec::new());
        }
        let Some(roster) = self.roster()? else {
            return Ok(Vec::new());
        };
        let trusted: Vec<(String, String, String, String, Option<String>)> = super::sql::query_all(
            &self.conn,
            "SELECT k.inspector_id, k.public_key, i.name, i.cert_no, i.group_code
             FROM inspector_keys k JOIN inspectors i ON i.id = k.inspector_id
             WHERE k.origin = 'trusted' ORDER BY k.recorded_at",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        let mut bodies = Vec::new();
        let mut said = Vec::new();
        let mut new_people: Vec<(String, Uuid)> = Vec::new();
        for (inspector, public, name, cert_no, group) in trusted {
            if roster.keys.contains_key(&public) {
                continue;
            }
            let Ok(inspector_id) = Uuid::parse_str(&inspector) else {
                continue;
            };
            let key = cert_key(&cert_no);
            let known = roster
                .people
                .values()
                .find(|p| p.active && !key.is_empty() && cert_key(&p.cert_no) == key)
                .map(|p| p.id)
                .or_else(|| {
                    new_people
                        .iter()
                        .find(|(k, _)| !key.is_empty() && *k == key)
                        .map(|(_, id)| *id)
                });
            let person_id = match known {
                Some(id) => id,
                None => {
                    let id = new_person_id();
                    bodies.push(Body::Person {
                        person_id: id,
                        name: name.clone(),
                        cert_no: cert_no.clone(),
                        group_code: group.clone(),
                        roles: vec![crate::domain::trust::Role::Inspector],
                        active: true,
                    });
                    new_people.push((key.clone(), id));
                    id
                }
            };
            bodies.push(Body::Key {
                person_id,
                inspector_id,
                public_key: public.clone(),
            });
            said.push(format!("{name}，公钥指纹 {}", fingerprint(&public)));
        }
        if !bodies.is_empty() {
            self.roster_append(bodies)?;
        }
        Ok(said)
    }
}
