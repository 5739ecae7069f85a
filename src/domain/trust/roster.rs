//! The office's roster of people, keys and roles: a chain of entries, each signed by the
//! office's anchor key and naming the hash of the one before, so that none can be changed,
//! dropped or slipped in without the signatures failing. The current state is a fold of the
//! chain, as a hazard's state is a fold of its events.

pub use super::entry::{
    Body, Entry, SignedEntry, canonical, cert_key, fingerprint, fingerprint_matches,
};
use super::roles::Role;
use crate::identity::keys;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A person as the roster holds them now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub cert_no: String,
    pub group_code: Option<String>,
    pub roles: Vec<Role>,
    pub active: bool,
}

impl Person {
    /// The roles in force (none once the person left).
    pub fn roles(&self) -> &[Role] {
        if self.active { &self.roles } else { &[] }
    }

    pub fn has(&self, role: Role) -> bool {
        self.roles().contains(&role)
    }

    /// The entry that states this person again with `roles` and standing `active` (the other
    /// fields kept): how roles change and how someone leaves.
    pub fn restated(&self, roles: Vec<Role>, active: bool) -> Body {
        Body::Person {
            person_id: self.id,
            name: self.name.clone(),
            cert_no: self.cert_no.clone(),
            group_code: self.group_code.clone(),
            roles,
            active,
        }
    }
}

/// A key enrolled for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyBinding {
    pub person_id: Uuid,
    pub inspector_id: Uuid,
    pub public_key: String,
    /// The entry that enrolled it.
    pub enrolled_seq: u64,
    pub revoked: Option<Revocation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub seq: u64,
    pub made_at: String,
    /// Records the key signed that stay good (received before the revocation, or released
    /// after review).
    pub accepted: std::collections::BTreeSet<Uuid>,
}

/// The roster as of its last entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    pub office: Uuid,
    pub office_name: String,
    /// The first anchor key: what a laptop pins when it first trusts the office.
    pub genesis_key: String,
    /// The anchor key in force (signs the next entry).
    pub anchor_key: String,
    pub people: BTreeMap<Uuid, Person>,
    /// Every version of each person, with the time the office made it, oldest first: what
    /// roles a record's author held when it was recorded.
    pub history: BTreeMap<Uuid, Vec<(String, Person)>>,
    /// By public key (hex).
    pub keys: BTreeMap<String, KeyBinding>,
    /// Document-number prefix by device.
    pub devices: BTreeMap<Uuid, String>,
    /// Every prefix ever assigned, with its device: a prefix is never given to another one.
    pub prefixes_ever: BTreeMap<String, Uuid>,
    pub len: u64,
    /// SHA-256 of the last entry (the next one's `prev`).
    pub head: String,
}

/// Why a chain is not a roster paicha may act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("办公室名册第 {seq} 条无效：{reason}。名册可能被改动过，paicha 不会按它判断任何人的权限")]
pub struct RosterError {
    pub seq: u64,
    pub reason: String,
}

/// What a key may vouch for, by the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStanding<'a> {
    /// Enrolled for this person and the laptop profile `inspector_id`, not revoked.
    Enrolled(&'a Person),
    /// Enrolled once, revoked since.
    Revoked(&'a Person, &'a Revocation),
    /// Enrolled, but for another laptop profile than the one that claims it.
    OtherInspector(&'a Person, Uuid),
    /// Not in the roster.
    Unknown,
}

impl Roster {
    /// Checks every entry's place, link and signature and folds the chain. Any fault refuses
    /// the whole roster: paicha never acts on part of one.
    pub fn from_chain(chain: &[SignedEntry]) -> Result<Roster, RosterError> {
        let Some((first, rest)) = chain.split_first() else {
            return Err(RosterError {
                seq: 0,
                reason: "名册是空的".into(),
            });
        };
        let mut roster = Roster::start(first)?;
        for signed in rest {
            roster.extend(signed)?;
        }
        Ok(roster)
    }

    /// A roster from its first entry (the office's anchor, signed by itself).
    pub fn start(signed: &SignedEntry) -> Result<Roster, RosterError> {
        let fail = |reason: &str| RosterError {
            seq: 1,
            reason: reason.to_string(),
        };
        let entry = &signed.entry;
        let Body::Anchor {
            public_key,
            office_name,
        } = &entry.body
        else {
            return Err(fail("第一条应为建立名册（锚定公钥）"));
        };
        if entry.seq != 1 || !entry.prev.is_empty() {
            return Err(fail("第一条的序号应为 1，且不指向前一条"));
        }
        check_signed(signed, public_key).map_err(|r| fail(&r))?;
        Ok(Roster {
            office: entry.office,
            office_name: office_name.clone(),
            genesis_key: public_key.clone(),
            anchor_key: public_key.clone(),
            people: BTreeMap::new(),
            history: BTreeMap::new(),
            keys: BTreeMap::new(),
            devices: BTreeMap::new(),
            prefixes_ever: BTreeMap::new(),
            len: 1,
            head: signed.hash(),
        })
    }

    /// Adds the next entry, checked against the roster so far; on a fault nothing changes.
    pub fn extend(&mut self, signed: &SignedEntry) -> Result<(), RosterError> {
        let seq = self.len + 1;
        let fail = |reason: String| RosterError { seq, reason };
        let entry = &signed.entry;
        if entry.seq != seq {
            return Err(fail(format!("序号应为 {seq}，却是 {}", entry.seq)));
        }
        if entry.office != self.office {
            return Err(fail("属于另一个办公室的名册".into()));
        }
        if entry.prev != self.head {
            return Err(fail("与前一条衔接不上（前一条被改动、删除或调换）".into()));
        }
        check_signed(signed, &self.anchor_key).map_err(fail)?;
        let mut next = self.clone();
        next.apply(entry).map_err(fail)?;
        next.len = seq;
        next.head = signed.hash();
        *self = next;
        Ok(())
    }

    /// Applies one entry after the first (its place and signature already checked).
    fn apply(&mut self, entry: &Entry) -> Result<(), String> {
        match &entry.body {
            Body::Anchor { .. } => Err("名册只能有一条建立名册的条目".into()),
            Body::Rotate { public_key } => {
                if !keys::valid_public_key(public_key) {
                    return Err("新的锚定公钥无效".into());
                }
                self.anchor_key = public_key.clone();
                Ok(())
            }
            Body::Person {
                person_id,
                name,
                cert_no,
                group_code,
                roles,
                active,
            } => {
                if name.trim().is_empty() {
                    return Err("人员姓名为空".into());
                }
                let key = cert_key(cert_no);
                let same_cert = self.people.values().find(|p| {
                    p.id != *person_id && p.active && !key.is_empty() && cert_key(&p.cert_no) == key
                });
                if let (Some(other), true) = (same_cert, *active) {
                    return Err(format!("执法证号 {cert_no} 已属于 {}", other.name));
                }
                let person = Person {
                    id: *person_id,
                    name: name.clone(),
                    cert_no: cert_no.clone(),
                    group_code: group_code.clone(),
                    roles: roles.clone(),
                    active: *active,
                };
                self.history
                    .entry(*person_id)
                    .or_default()
                    .push((entry.made_at.clone(), person.clone()));
                self.people.insert(*person_id, person);
                Ok(())
            }
            Body::Key {
                person_id,
                inspector_id,
                public_key,
            } => {
                if !self.people.contains_key(person_id) {
                    return Err("为名册中没有的人员登记公钥".into());
                }
                if !keys::valid_public_key(public_key) {
                    return Err("公钥无效（应为 64 位小写十六进制的有效 ed25519 公钥）".into());
                }
                if self.keys.contains_key(public_key) {
                    return Err("这把公钥已经登记过".into());
                }
                if self
                    .keys
                    .values()
                    .any(|k| k.inspector_id == *inspector_id && k.person_id != *person_id)
                {
                    return Err("这台电脑上的人员档案已登记给另一个人".into());
                }
                self.keys.insert(
                    public_key.clone(),
                    KeyBinding {
                        person_id: *person_id,
                        inspector_id: *inspector_id,
                        public_key: public_key.clone(),
                        enrolled_seq: entry.seq,
                        revoked: None,
                    },
                );
                Ok(())
            }
            Body::Revoke {
                public_key,
                accepted,
            } => {
                let Some(binding) = self.keys.get_mut(public_key) else {
                    return Err("吊销的公钥没有登记".into());
                };
                if binding.revoked.is_some() {
                    return Err("公钥已经吊销".into());
                }
                binding.revoked = Some(Revocation {
                    seq: entry.seq,
                    made_at: entry.made_at.clone(),
                    accepted: accepted.iter().copied().collect(),
                });
                Ok(())
            }
            Body::Release {
                public_key,
                records,
            } => {
                let Some(revocation) = self
                    .keys
                    .get_mut(public_key)
                    .and_then(|b| b.revoked.as_mut())
                else {
                    return Err("复核接受的记录不属于已吊销的公钥".into());
                };
                revocation.accepted.extend(records.iter().copied());
                Ok(())
            }
            Body::Device { replica_id, prefix } => {
                if prefix.trim().is_empty() {
                    return Err("文书编号前缀为空".into());
                }
                if self
                    .prefixes_ever
                    .get(prefix)
                    .is_some_and(|d| d != replica_id)
                {
                    return Err(format!(
                        "文书编号前缀“{prefix}”已分给过另一台电脑（前缀不能再给别的电脑，以免文书编号重复）"
                    ));
                }
                self.prefixes_ever.insert(prefix.clone(), *replica_id);
                self.devices.insert(*replica_id, prefix.clone());
                Ok(())
            }
        }
    }

    /// The anchor's fingerprint as shown at the office (the first anchor's: what laptops pin).
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.genesis_key)
    }

    /// What `public_key` may vouch for when it signs as the laptop profile `inspector_id`.
    pub fn standing(&self, public_key: &str, inspector_id: Uuid) -> KeyStanding<'_> {
        let Some(binding) = self.keys.get(public_key) else {
            return KeyStanding::Unknown;
        };
        let Some(person) = self.people.get(&binding.person_id) else {
            return KeyStanding::Unknown;
        };
        if binding.inspector_id != inspector_id {
            return KeyStanding::OtherInspector(person, binding.inspector_id);
        }
        match &binding.revoked {
            Some(r) => KeyStanding::Revoked(person, r),
            None => KeyStanding::Enrolled(person),
        }
    }

    /// The person whose laptop profile `inspector_id` has an enrolled key, if any.
    pub fn person_of_inspector(&self, inspector_id: Uuid) -> Option<&Person> {
        self.keys
            .values()
            .find(|k| k.inspector_id == inspector_id && k.revoked.is_none())
            .and_then(|k| self.people.get(&k.person_id))
    }

    /// The person who held a key of the laptop profile `inspector_id`, revoked or not: who
    /// an old record's author was (a stolen laptop does not make its owner a stranger).
    pub fn author_person(&self, inspector_id: Uuid) -> Option<&Person> {
        self.keys
            .values()
            .find(|k| k.inspector_id == inspector_id)
            .and_then(|k| self.people.get(&k.person_id))
    }

    /// The person `id` as the roster stood at `time` (a record time): the version in force
    /// then, or — for a record made before the office enrolled them — the first one. Roles are
    /// judged by it, so records the office received before a role changed stay valid.
    pub fn person_at(&self, id: Uuid, time: &str) -> Option<&Person> {
        let versions = self.history.get(&id)?;
        versions
            .iter()
            .rev()
            .find(|(made_at, _)| made_at.as_str() <= time)
            .or_else(|| versions.first())
            .map(|(_, p)| p)
    }

    /// People who may sign a major hazard's close-out.
    pub fn close_out_leaders(&self) -> Vec<&Person> {
        self.people
            .values()
            .filter(|p| p.has(Role::CloseOutLeader))
            .collect()
    }

    /// Looks a person up by name or 执法证号 (the active ones first).
    pub fn find_person(&self, text: &str) -> Option<&Person> {
        let t = text.trim();
        let mut matches: Vec<&Person> = self
            .people
            .values()
            .filter(|p| p.name == t || (!p.cert_no.is_empty() && p.cert_no == t))
            .collect();
        matches.sort_by_key(|p| !p.active);
        matches.first().copied()
    }
}

/// Checks an entry's text, time and signature by `signer` (the anchor in force).
fn check_signed(signed: &SignedEntry, signer: &str) -> Result<(), String> {
    if canonical(&signed.entry) != signed.text {
        return Err("签名的文本与条目内容不一致".into());
    }
    if !crate::domain::time::is_record_time(&signed.entry.made_at) {
        return Err(format!("时间“{}”格式不对", signed.entry.made_at));
    }
    if signed.public_key != signer {
        return Err("不是由办公室当时的锚定公钥签名".into());
    }
    if !keys::valid_public_key(&signed.public_key)
        || !keys::verify_hex(
            &signed.public_key,
            signed.text.as_bytes(),
            &signed.signature,
        )
    {
        return Err("签名无效".into());
    }
    Ok(())
}
