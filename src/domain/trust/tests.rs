//! The trust rules on their boundaries: the signed roster refuses every kind of tampering at
//! the entry where it happens; `authorize` follows the permissions table for every role and
//! every step; the key and signer decisions of an import take each branch; and the lifecycle
//! guard, applied where each event falls in fold order, keeps refused steps without effect.

use super::admission::{KeyDecision, KeyFacts, KeyPolicy, Origin, Vouch, decide_key, vouch};
use super::permission::{Action, Actor, authorize};
use super::roles::{Permissions, Role};
use super::roster::{
    Body, Entry, KeyBinding, KeyStanding, Person, Revocation, Roster, RosterError, SignedEntry,
    canonical, fingerprint, fingerprint_matches,
};
use crate::domain::lifecycle::Step;
use crate::domain::{HazardGrade, HazardSource};
use crate::identity::keys;
use chrono::{DateTime, TimeZone, Utc};
use ed25519_dalek::SigningKey;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Fixtures: one office, its people, their laptops and keys.
// ---------------------------------------------------------------------------------------------

fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn pk(n: u8) -> String {
    keys::public_hex(&key(n))
}

const OFFICE: Uuid = Uuid::from_u128(0x0ff1ce);
const OTHER_OFFICE: Uuid = Uuid::from_u128(0x0ff1cf);
const OFFICE_NAME: &str = "城关县应急管理局";

// People (roster ids).
const P_INSP: Uuid = Uuid::from_u128(0x101); // 张建国, inspector
const P_GL: Uuid = Uuid::from_u128(0x102); // 李建山, group leader
const P_LEADER: Uuid = Uuid::from_u128(0x103); // 王县长, close-out leader
const P_CLERK: Uuid = Uuid::from_u128(0x104); // 赵丽, clerk
const P_LEADER2: Uuid = Uuid::from_u128(0x105); // 刘副县长, close-out leader
const P_PEER: Uuid = Uuid::from_u128(0x106); // 周明, another inspector
const P_LEFT: Uuid = Uuid::from_u128(0x107); // 孙立, every role, then left

// Laptop profiles (inspector ids).
const I_INSP_OLD: Uuid = Uuid::from_u128(0x201); // 张建国's stolen laptop (key revoked)
const I_INSP: Uuid = Uuid::from_u128(0x202); // 张建国's new laptop
const I_GL: Uuid = Uuid::from_u128(0x203);
const I_LEADER: Uuid = Uuid::from_u128(0x204);
const I_CLERK: Uuid = Uuid::from_u128(0x205);
const I_LEADER2: Uuid = Uuid::from_u128(0x206);
const I_PEER: Uuid = Uuid::from_u128(0x207);
const I_LEFT: Uuid = Uuid::from_u128(0x208);
const I_STRANGER: Uuid = Uuid::from_u128(0x2ff);

// Devices and records.
const D1: Uuid = Uuid::from_u128(0x401);
const D2: Uuid = Uuid::from_u128(0x402);
const D3: Uuid = Uuid::from_u128(0x403);
const R1: Uuid = Uuid::from_u128(0x301);
const R2: Uuid = Uuid::from_u128(0x302);
const R3: Uuid = Uuid::from_u128(0x303);
const R9: Uuid = Uuid::from_u128(0x309);

// Places in the full chain.
const SEQ_ROTATE: u64 = 18;
const SEQ_NEW_KEY: u64 = 19;
const SEQ_REVOKE: u64 = 20;
const SEQ_REVOKE_LEFT: u64 = 23;
const LEN: u64 = 23;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0)
        .single()
        .expect("time")
}

fn made_at(seq: u64) -> String {
    crate::domain::time::record_time(t0() + chrono::TimeDelta::minutes(seq as i64))
}

/// Builds a chain as the office does: each entry names the last one's hash and is signed by
/// the anchor in force.
struct Chain {
    signer: SigningKey,
    entries: Vec<SignedEntry>,
}

impl Chain {
    fn new(anchor: u8) -> Chain {
        let signer = key(anchor);
        let entry = Entry {
            seq: 1,
            prev: String::new(),
            office: OFFICE,
            made_at: made_at(1),
            body: Body::Anchor {
                public_key: pk(anchor),
                office_name: OFFICE_NAME.into(),
            },
        };
        Chain {
            entries: vec![SignedEntry::sign(entry, &signer)],
            signer,
        }
    }

    /// The next entry in its right place.
    fn next(&self, body: Body) -> Entry {
        let last = self.entries.last().expect("anchor");
        let seq = last.entry.seq + 1;
        Entry {
            seq,
            prev: last.hash(),
            office: OFFICE,
            made_at: made_at(seq),
            body,
        }
    }

    /// The next entry, signed by the anchor in force.
    fn signed(&self, body: Body) -> SignedEntry {
        SignedEntry::sign(self.next(body), &self.signer)
    }

    fn push(&mut self, body: Body) -> &mut Chain {
        let signed = self.signed(body);
        self.entries.push(signed);
        self
    }

    fn rotate(&mut self, n: u8) -> &mut Chain {
        self.push(Body::Rotate { public_key: pk(n) });
        self.signer = key(n);
        self
    }

    fn roster(&self) -> Roster {
        Roster::from_chain(&self.entries).expect("a valid chain")
    }
}

fn person(id: Uuid, name: &str, cert: &str, group: Option<&str>, roles: &[Role]) -> Body {
    Body::Person {
        person_id: id,
        name: name.into(),
        cert_no: cert.into(),
        group_code: group.map(Into::into),
        roles: roles.to_vec(),
        active: true,
    }
}

fn gone(id: Uuid, name: &str, cert: &str, roles: &[Role]) -> Body {
    Body::Person {
        person_id: id,
        name: name.into(),
        cert_no: cert.into(),
        group_code: None,
        roles: roles.to_vec(),
        active: false,
    }
}

fn enrol(person_id: Uuid, inspector_id: Uuid, n: u8) -> Body {
    Body::Key {
        person_id,
        inspector_id,
        public_key: pk(n),
    }
}

const LEFT_ROLES: [Role; 3] = [Role::Inspector, Role::Clerk, Role::CloseOutLeader];

/// The office's whole history: people of every role, their keys, two devices, a rotation of
/// the anchor, a new laptop for 张建国, his stolen laptop's key revoked (two records accepted,
/// one released after review), and 孙立 leaving.
fn full() -> Chain {
    use Role::*;
    let mut c = Chain::new(1);
    c.push(person(
        P_INSP,
        "张建国",
        "1401000001",
        Some("一组"),
        &[Inspector],
    )) // 2
    .push(person(
        P_GL,
        "李建山",
        "1401000002",
        Some("一组"),
        &[GroupLeader],
    )) // 3
    .push(person(P_LEADER, "王县长", "", None, &[CloseOutLeader])) // 4
    .push(person(P_CLERK, "赵丽", "1401000004", None, &[Clerk])) // 5
    .push(person(P_LEADER2, "刘副县长", "", None, &[CloseOutLeader])) // 6
    .push(person(
        P_PEER,
        "周明",
        "1401000006",
        Some("二组"),
        &[Inspector],
    )) // 7
    .push(person(
        P_LEFT,
        "孙立",
        "1401000007",
        Some("二组"),
        &LEFT_ROLES,
    )) // 8
    .push(enrol(P_INSP, I_INSP_OLD, 11)) // 9
    .push(enrol(P_GL, I_GL, 12)) // 10
    .push(enrol(P_LEADER, I_LEADER, 13)) // 11
    .push(enrol(P_CLERK, I_CLERK, 14)) // 12
    .push(enrol(P_LEADER2, I_LEADER2, 16)) // 13
    .push(enrol(P_PEER, I_PEER, 18)) // 14
    .push(enrol(P_LEFT, I_LEFT, 17)) // 15
    .push(Body::Device {
        replica_id: D1,
        prefix: "城应急A".into(),
    }) // 16
    .push(Body::Device {
        replica_id: D2,
        prefix: "城应急B".into(),
    }) // 17
    .rotate(2) // 18
    .push(enrol(P_INSP, I_INSP, 15)) // 19
    .push(Body::Revoke {
        public_key: pk(11),
        accepted: vec![R1, R2],
    }) // 20
    .push(Body::Release {
        public_key: pk(11),
        records: vec![R3],
    }) // 21
    .push(gone(P_LEFT, "孙立", "1401000007", &LEFT_ROLES)) // 22
    .push(Body::Revoke {
        public_key: pk(17),
        accepted: vec![],
    }); // 23
    c
}

fn office() -> Roster {
    full().roster()
}

fn refused(chain: &[SignedEntry]) -> RosterError {
    Roster::from_chain(chain).expect_err("the chain must be refused")
}

/// `next` appended to the full roster is refused at `LEN + 1`, and the roster is unchanged.
fn refused_next(c: &Chain, next: &SignedEntry) -> RosterError {
    let mut roster = c.roster();
    let before = roster.clone();
    let err = roster.extend(next).expect_err("the entry must be refused");
    assert_eq!(roster, before, "a refused entry must change nothing");
    assert_eq!(err.seq, c.entries.len() as u64 + 1, "{err}");
    err
}

fn assert_reason(err: &RosterError, seq: u64, part: &str) {
    assert_eq!(err.seq, seq, "{err}");
    assert!(
        err.reason.contains(part),
        "reason “{}” should contain “{part}”",
        err.reason
    );
}

/// A message shown to the user: Chinese, no English letters (but the program's own name).
fn assert_chinese(msg: &str) {
    let text = msg.replace("paicha", "");
    assert!(
        !text.chars().any(|c| c.is_ascii_alphabetic()),
        "English text in a message: {msg}"
    );
    assert!(
        msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "no Chinese in a message: {msg}"
    );
}

// ---------------------------------------------------------------------------------------------
// The roster chain
// ---------------------------------------------------------------------------------------------

#[test]
fn a_valid_chain_folds_to_the_office_as_it_stands() {
    let c = full();
    assert_eq!(c.entries.len() as u64, LEN);
    let r = c.roster();

    assert_eq!(r.office, OFFICE);
    assert_eq!(r.office_name, OFFICE_NAME);
    assert_eq!(r.genesis_key, pk(1));
    assert_eq!(
        r.anchor_key,
        pk(2),
        "the rotation put the new anchor in force"
    );
    assert_eq!(r.len, LEN);
    assert_eq!(r.head, c.entries.last().expect("entries").hash());

    // People: the whole record of the last Person entry of each.
    assert_eq!(r.people.len(), 7);
    assert_eq!(
        r.people[&P_INSP],
        Person {
            id: P_INSP,
            name: "张建国".into(),
            cert_no: "1401000001".into(),
            group_code: Some("一组".into()),
            roles: vec![Role::Inspector],
            active: true,
        }
    );
    let left = &r.people[&P_LEFT];
    assert!(!left.active);
    assert_eq!(left.roles, LEFT_ROLES.to_vec(), "history kept");
    assert!(left.roles().is_empty(), "no role in force once gone");
    for role in Role::ALL {
        assert!(!left.has(*role));
    }
    assert!(r.people[&P_GL].has(Role::GroupLeader));
    assert!(!r.people[&P_GL].has(Role::Inspector));

    // Keys: eight, two revoked.
    assert_eq!(r.keys.len(), 8);
    assert_eq!(
        r.keys[&pk(15)],
        KeyBinding {
            person_id: P_INSP,
            inspector_id: I_INSP,
            public_key: pk(15),
            enrolled_seq: SEQ_NEW_KEY,
            revoked: None,
        }
    );
    assert_eq!(r.keys[&pk(11)].enrolled_seq, 9);
    assert_eq!(
        r.keys[&pk(11)].revoked,
        Some(Revocation {
            seq: SEQ_REVOKE,
            made_at: made_at(SEQ_REVOKE),
            accepted: BTreeSet::from([R1, R2, R3]),
        }),
        "accepted at revocation, plus the released record"
    );
    assert_eq!(
        r.keys[&pk(17)].revoked,
        Some(Revocation {
            seq: SEQ_REVOKE_LEFT,
            made_at: made_at(SEQ_REVOKE_LEFT),
            accepted: BTreeSet::new(),
        })
    );
    let unrevoked: BTreeSet<String> = r
        .keys
        .values()
        .filter(|k| k.revoked.is_none())
        .map(|k| k.public_key.clone())
        .collect();
    assert_eq!(
        unrevoked,
        [12, 13, 14, 15, 16, 18].into_iter().map(pk).collect()
    );

    assert_eq!(
        r.devices,
        BTreeMap::from([(D1, "城应急A".to_string()), (D2, "城应急B".to_string())])
    );
}

#[test]
fn start_and_extend_one_by_one_is_from_chain_at_every_length() {
    let c = full();
    let mut r = Roster::start(&c.entries[0]).expect("anchor");
    assert_eq!(r.len, 1);
    assert_eq!(r.head, c.entries[0].hash());
    assert!(r.people.is_empty() && r.keys.is_empty() && r.devices.is_empty());
    for (i, signed) in c.entries.iter().enumerate().skip(1) {
        r.extend(signed).expect("next entry");
        assert_eq!(r.len, i as u64 + 1);
        assert_eq!(
            r,
            Roster::from_chain(&c.entries[..=i]).expect("prefix"),
            "after entry {}",
            i + 1
        );
    }
}

#[test]
fn the_signed_text_is_canonical_json_and_reads_back() {
    let c = full();
    for s in &c.entries {
        assert_eq!(s.text, canonical(&s.entry));
        assert!(!s.text.contains(' ') && !s.text.contains('\n'));
        let back = SignedEntry::parse(&s.text, &s.public_key, &s.signature).expect("parse");
        assert_eq!(&back, s);
        // The hash is SHA-256 of the text, lower-case hex.
        let expected: String = Sha256::digest(s.text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(s.hash(), expected);
    }
    // Every entry names the hash of the one before.
    for pair in c.entries.windows(2) {
        assert_eq!(pair[1].entry.prev, pair[0].hash());
    }
    assert_eq!(c.entries[0].entry.prev, "");

    // Members in key order at every level, no whitespace: what an outside writer must
    // reproduce byte for byte.
    let device = &c.entries[15];
    assert_eq!(
        device.text,
        format!(
            "{{\"body\":{{\"kind\":\"device\",\"prefix\":\"城应急A\",\"replica_id\":\"{D1}\"}},\
             \"made_at\":\"2024-03-01T00:16:00.000000000Z\",\"office\":\"{OFFICE}\",\
             \"prev\":\"{}\",\"seq\":16}}",
            c.entries[14].hash()
        )
    );
    let person = &c.entries[1];
    assert_eq!(
        person.text,
        format!(
            "{{\"body\":{{\"active\":true,\"cert_no\":\"1401000001\",\"group_code\":\"一组\",\
             \"kind\":\"person\",\"name\":\"张建国\",\"person_id\":\"{P_INSP}\",\
             \"roles\":[\"inspector\"]}},\"made_at\":\"2024-03-01T00:02:00.000000000Z\",\
             \"office\":\"{OFFICE}\",\"prev\":\"{}\",\"seq\":2}}",
            c.entries[0].hash()
        )
    );
    // The same entry written with members in another order is not its signed text.
    let reordered = person.text.replacen(
        "{\"body\":{\"active\":true,",
        "{\"body\":{\"kind\":\"person\",\"active\":true,",
        1,
    );
    let reordered = reordered.replacen(",\"kind\":\"person\",\"name\"", ",\"name\"", 1);
    let parsed = SignedEntry::parse(&reordered, &person.public_key, &person.signature)
        .expect("same members");
    assert_eq!(parsed.entry, person.entry);
    let mut chain = c.entries.clone();
    chain[1] = parsed;
    let err = Roster::from_chain(&chain).expect_err("not canonical");
    assert_eq!(err.seq, 2);
    assert!(err.reason.contains("签名的文本与条目内容不一致"), "{err}");
}

#[test]
fn an_unreadable_entry_is_refused_in_chinese_without_parser_text() {
    let s = &full().entries[1];
    let extra = s.text.replacen("{\"body\"", "{\"admin\":true,\"body\"", 1);
    let err = SignedEntry::parse(&extra, &s.public_key, &s.signature).expect_err("extra field");
    assert!(err.contains("字段缺失、多余或类型不对"), "{err}");
    assert_chinese(&err);

    let cut = &s.text[..s.text.len() / 2];
    let err = SignedEntry::parse(cut, &s.public_key, &s.signature).expect_err("cut");
    assert!(err.contains("不是有效的 JSON"), "{err}");
    assert!(!err.contains("EOF") && !err.contains("expected"), "{err}");

    let unknown_kind = s
        .text
        .replacen("\"kind\":\"person\"", "\"kind\":\"admin\"", 1);
    assert_ne!(unknown_kind, s.text);
    assert!(SignedEntry::parse(&unknown_kind, &s.public_key, &s.signature).is_err());
}

#[test]
fn an_empty_chain_is_refused_at_zero() {
    let err = refused(&[]);
    assert_eq!(err.seq, 0);
    assert!(err.reason.contains("空"), "{err}");
}

#[test]
fn the_first_entry_must_be_an_anchor_signed_by_itself() {
    let c = full();
    // Not an anchor.
    assert_reason(&refused(&c.entries[1..]), 1, "第一条应为建立名册");

    // An anchor in the wrong place or linked to something.
    for (seq, prev) in [(2, String::new()), (1, "00".repeat(32))] {
        let entry = Entry {
            seq,
            prev,
            ..c.entries[0].entry.clone()
        };
        let err = refused(&[SignedEntry::sign(entry, &key(1))]);
        assert_reason(&err, 1, "序号应为 1");
    }

    // An anchor naming key 1, signed by key 99.
    let forged = SignedEntry::sign(c.entries[0].entry.clone(), &key(99));
    assert_reason(&refused(&[forged]), 1, "不是由办公室当时的锚定公钥签名");

    // Claiming key 1 as signer while key 99 signed.
    let mut forged = SignedEntry::sign(c.entries[0].entry.clone(), &key(99));
    forged.public_key = pk(1);
    assert_reason(&refused(&[forged]), 1, "签名无效");

    // A correct anchor alone is a roster with nobody in it.
    let r = Roster::from_chain(&c.entries[..1]).expect("anchor alone");
    assert_eq!((r.len, r.people.len(), r.keys.len()), (1, 0, 0));
}

#[test]
fn an_edited_text_is_refused_at_its_entry() {
    let c = full();
    // 李建山 (seq 3) promotes himself to close-out leader in the stored text.
    let i = 2;
    let edited = c.entries[i]
        .text
        .replace("group_leader", "close_out_leader");
    assert_ne!(edited, c.entries[i].text);

    // The text changed, the entry as read before not: they disagree.
    let mut chain = c.entries.clone();
    chain[i].text = edited.clone();
    assert_reason(&refused(&chain), 3, "签名的文本与条目内容不一致");

    // Read from the edited text (as from SQLite): the signature fails.
    let mut chain = c.entries.clone();
    chain[i] = SignedEntry::parse(&edited, &c.entries[i].public_key, &c.entries[i].signature)
        .expect("still readable");
    assert_eq!(
        chain[i].entry.body,
        person(
            P_GL,
            "李建山",
            "1401000002",
            Some("一组"),
            &[Role::CloseOutLeader]
        )
    );
    let err = refused(&chain);
    assert_reason(&err, 3, "签名无效");
    let shown = err.to_string();
    assert!(shown.contains("第 3 条"), "{shown}");
    assert!(shown.contains("不会按它判断任何人的权限"), "{shown}");
    assert_chinese(&shown);

    // The entry edited, its text kept.
    let mut chain = c.entries.clone();
    chain[i].entry.body = person(P_GL, "李建山", "1401000002", None, &[Role::Clerk]);
    assert_reason(&refused(&chain), 3, "签名的文本与条目内容不一致");

    // A signature edited by one digit.
    let mut chain = c.entries.clone();
    let sig = &mut chain[i].signature;
    let flipped = if sig.starts_with('0') { "1" } else { "0" };
    sig.replace_range(0..1, flipped);
    assert_reason(&refused(&chain), 3, "签名无效");
}

#[test]
fn an_entry_resigned_by_another_key_is_refused() {
    let c = full();
    let mut chain = c.entries.clone();
    chain[4] = SignedEntry::sign(c.entries[4].entry.clone(), &key(99));
    assert_reason(&refused(&chain), 5, "不是由办公室当时的锚定公钥签名");

    // Naming the anchor as signer does not help.
    chain[4].public_key = pk(1);
    assert_reason(&refused(&chain), 5, "签名无效");
}

#[test]
fn a_dropped_entry_is_refused_where_it_is_missing() {
    let c = full();
    for drop in [9usize, SEQ_ROTATE as usize - 1, SEQ_REVOKE as usize - 1] {
        let mut chain = c.entries.clone();
        chain.remove(drop);
        let seq = drop as u64 + 1;
        let err = refused(&chain);
        assert_reason(&err, seq, &format!("序号应为 {seq}，却是 {}", seq + 1));
    }
}

#[test]
fn swapped_entries_are_refused_at_the_first_of_them() {
    let c = full();
    let mut chain = c.entries.clone();
    chain.swap(11, 12);
    assert_reason(&refused(&chain), 12, "序号应为 12，却是 13");
}

#[test]
fn a_replayed_entry_is_refused() {
    let c = full();
    let mut chain = c.entries.clone();
    chain.push(c.entries[SEQ_REVOKE as usize - 1].clone());
    assert_reason(&refused(&chain), LEN + 1, &format!("序号应为 {}", LEN + 1));
}

#[test]
fn a_gap_in_the_numbers_is_refused() {
    let c = full();
    let mut entry = c.next(enrol(P_PEER, Uuid::from_u128(0x299), 40));
    entry.seq += 1;
    let err = refused_next(&c, &SignedEntry::sign(entry, &key(2)));
    assert_reason(
        &err,
        LEN + 1,
        &format!("序号应为 {}，却是 {}", LEN + 1, LEN + 2),
    );
}

#[test]
fn a_wrong_previous_hash_is_refused() {
    let c = full();
    for prev in [
        "00".repeat(32),
        String::new(),
        c.entries[LEN as usize - 2].hash(),
    ] {
        let entry = Entry {
            prev,
            ..c.next(enrol(P_PEER, Uuid::from_u128(0x299), 40))
        };
        let err = refused_next(&c, &SignedEntry::sign(entry, &key(2)));
        assert_reason(&err, LEN + 1, "与前一条衔接不上");
    }
}

#[test]
fn a_second_anchor_is_refused() {
    let c = full();
    let second = c.signed(Body::Anchor {
        public_key: pk(2),
        office_name: "另一个局".into(),
    });
    assert_reason(
        &refused_next(&c, &second),
        LEN + 1,
        "名册只能有一条建立名册的条目",
    );
}

#[test]
fn an_entry_of_another_office_is_refused() {
    let c = full();
    let entry = Entry {
        office: OTHER_OFFICE,
        ..c.next(person(P_PEER, "周明", "1401000006", None, &[Role::Clerk]))
    };
    let err = refused_next(&c, &SignedEntry::sign(entry, &key(2)));
    assert_reason(&err, LEN + 1, "属于另一个办公室的名册");
}

#[test]
fn after_a_rotation_the_old_anchor_signs_nothing() {
    let c = full();
    // The first entry after the rotation, signed by the old anchor.
    let mut chain = c.entries.clone();
    chain[SEQ_NEW_KEY as usize - 1] =
        SignedEntry::sign(c.entries[SEQ_NEW_KEY as usize - 1].entry.clone(), &key(1));
    assert_reason(
        &refused(&chain),
        SEQ_NEW_KEY,
        "不是由办公室当时的锚定公钥签名",
    );

    // A new entry at the end, signed by the old anchor.
    let late = SignedEntry::sign(
        c.next(person(P_PEER, "周明", "1401000006", None, &[Role::Clerk])),
        &key(1),
    );
    assert_reason(
        &refused_next(&c, &late),
        LEN + 1,
        "不是由办公室当时的锚定公钥签名",
    );

    // The rotation itself must be signed by the anchor it replaces.
    let mut chain = c.entries.clone();
    chain[SEQ_ROTATE as usize - 1] =
        SignedEntry::sign(c.entries[SEQ_ROTATE as usize - 1].entry.clone(), &key(2));
    assert_reason(
        &refused(&chain),
        SEQ_ROTATE,
        "不是由办公室当时的锚定公钥签名",
    );
}

#[test]
fn a_rotation_to_an_invalid_key_is_refused() {
    let c = full();
    for bad in bad_keys() {
        let next = c.signed(Body::Rotate {
            public_key: bad.clone(),
        });
        assert_reason(&refused_next(&c, &next), LEN + 1, "新的锚定公钥无效");
    }
}

#[test]
fn a_key_for_someone_not_in_the_roster_is_refused() {
    let c = full();
    let next = c.signed(enrol(Uuid::from_u128(0x1ff), Uuid::from_u128(0x299), 40));
    assert_reason(
        &refused_next(&c, &next),
        LEN + 1,
        "为名册中没有的人员登记公钥",
    );
}

#[test]
fn a_key_is_enrolled_once_only() {
    let c = full();
    // The same key again, for the same person on the same laptop, for another person, and a
    // revoked key brought back.
    for body in [
        enrol(P_INSP, I_INSP, 15),
        enrol(P_PEER, Uuid::from_u128(0x299), 15),
        enrol(P_INSP, I_INSP_OLD, 11),
    ] {
        let next = c.signed(body);
        assert_reason(&refused_next(&c, &next), LEN + 1, "这把公钥已经登记过");
    }
}

#[test]
fn a_laptop_profile_belongs_to_one_person() {
    let c = full();
    // 周明 claims 张建国's laptop profile with a new key.
    let next = c.signed(enrol(P_PEER, I_INSP, 40));
    assert_reason(
        &refused_next(&c, &next),
        LEN + 1,
        "这台电脑上的人员档案已登记给另一个人",
    );
    // A second key for the same person on the same profile is fine.
    let mut c2 = full();
    c2.push(enrol(P_INSP, I_INSP, 40));
    assert_eq!(c2.roster().keys[&pk(40)].inspector_id, I_INSP);
}

/// Keys paicha must never record: small order, a second spelling, upper case, wrong length,
/// not hex.
fn bad_keys() -> Vec<String> {
    let mut small_order = "01".to_string();
    small_order.push_str(&"00".repeat(31));
    // y = p (2^255 - 19): a non-canonical spelling of y = 0.
    let mut non_canonical = "ed".to_string();
    non_canonical.push_str(&"ff".repeat(30));
    non_canonical.push_str("7f");
    vec![
        small_order,
        non_canonical,
        pk(40).to_uppercase(),
        pk(40)[..62].to_string(),
        format!("{}00", pk(40)),
        "zz".repeat(32),
        String::new(),
    ]
}

#[test]
fn a_weak_or_malformed_public_key_is_refused() {
    let c = full();
    for bad in bad_keys() {
        assert!(!keys::valid_public_key(&bad), "{bad}");
        let next = c.signed(Body::Key {
            person_id: P_PEER,
            inspector_id: Uuid::from_u128(0x299),
            public_key: bad.clone(),
        });
        let err = refused_next(&c, &next);
        assert_reason(&err, LEN + 1, "公钥无效");
    }
}

#[test]
fn a_device_prefix_belongs_to_one_device() {
    let c = full();
    let next = c.signed(Body::Device {
        replica_id: D3,
        prefix: "城应急A".into(),
    });
    assert_reason(
        &refused_next(&c, &next),
        LEN + 1,
        "文书编号前缀“城应急A”已分给过另一台电脑",
    );
    for blank in ["", "  "] {
        let next = c.signed(Body::Device {
            replica_id: D3,
            prefix: blank.into(),
        });
        assert_reason(&refused_next(&c, &next), LEN + 1, "文书编号前缀为空");
    }

    // The same device given its own prefix again, or a new one: fine.
    let mut c2 = full();
    c2.push(Body::Device {
        replica_id: D1,
        prefix: "城应急A".into(),
    })
    .push(Body::Device {
        replica_id: D2,
        prefix: "城应急C".into(),
    });
    let r = c2.roster();
    assert_eq!(r.devices[&D1], "城应急A");
    assert_eq!(r.devices[&D2], "城应急C");
}

#[test]
fn a_prefix_once_used_is_never_given_to_another_device() {
    let mut c = full();
    // D1 numbered documents 城应急A-001…; then it is given a new series.
    c.push(Body::Device {
        replica_id: D1,
        prefix: "城应急C".into(),
    });
    // D3 gets D1's old series and numbers 城应急A-001 again.
    let next = c.signed(Body::Device {
        replica_id: D3,
        prefix: "城应急A".into(),
    });
    let mut r = c.roster();
    assert!(
        r.extend(&next).is_err(),
        "“城应急A” was D1's series: giving it to D3 lets two documents share a number"
    );
}

#[test]
fn two_active_people_never_share_a_certificate_number() {
    let c = full();
    let impostor = c.signed(person(
        Uuid::from_u128(0x1ff),
        "张建国",
        "1401000001",
        Some("一组"),
        &[Role::CloseOutLeader],
    ));
    let err = refused_next(&c, &impostor);
    assert_reason(&err, LEN + 1, "执法证号 1401000001 已属于 张建国");

    // 周明 changing his own record to 李建山's number.
    let next = c.signed(person(
        P_PEER,
        "周明",
        "1401000002",
        Some("二组"),
        &[Role::Inspector],
    ));
    assert_reason(
        &refused_next(&c, &next),
        LEN + 1,
        "执法证号 1401000002 已属于 李建山",
    );

    let mut c2 = full();
    // Updating one's own record under the same number is fine.
    c2.push(person(
        P_INSP,
        "张建国",
        "1401000001",
        Some("二组"),
        &[Role::Inspector, Role::GroupLeader],
    ))
    // Empty numbers are not shared numbers.
    .push(person(Uuid::from_u128(0x1f0), "陈书记", "", None, &[]))
    // An inactive record under a number in use is not a second holder.
    .push(gone(Uuid::from_u128(0x1f1), "张建国", "1401000001", &[]))
    // 孙立 left: his number may go to someone new.
    .push(person(
        Uuid::from_u128(0x1f2),
        "孙新",
        "1401000007",
        None,
        &[Role::Inspector],
    ));
    let r = c2.roster();
    assert_eq!(r.people[&P_INSP].group_code.as_deref(), Some("二组"));
    assert_eq!(r.people[&Uuid::from_u128(0x1f2)].cert_no, "1401000007");

    // …and then 孙立 cannot come back under it.
    let back = c2.signed(person(
        P_LEFT,
        "孙立",
        "1401000007",
        None,
        &[Role::Inspector],
    ));
    let mut r = c2.roster();
    let err = r.extend(&back).expect_err("number taken");
    assert_reason(&err, c2.entries.len() as u64 + 1, "已属于 孙新");
}

#[test]
fn a_person_needs_a_name() {
    let c = full();
    for blank in ["", " \t"] {
        let next = c.signed(person(
            Uuid::from_u128(0x1ff),
            blank,
            "1401000099",
            None,
            &[],
        ));
        assert_reason(&refused_next(&c, &next), LEN + 1, "人员姓名为空");
    }
}

#[test]
fn revocation_and_release_need_an_enrolled_key() {
    let c = full();
    let cases = [
        (
            Body::Revoke {
                public_key: pk(40),
                accepted: vec![],
            },
            "吊销的公钥没有登记",
        ),
        (
            Body::Revoke {
                public_key: pk(11),
                accepted: vec![R9],
            },
            "公钥已经吊销",
        ),
        (
            Body::Release {
                public_key: pk(15),
                records: vec![R9],
            },
            "复核接受的记录不属于已吊销的公钥",
        ),
        (
            Body::Release {
                public_key: pk(40),
                records: vec![R9],
            },
            "复核接受的记录不属于已吊销的公钥",
        ),
    ];
    for (body, reason) in cases {
        let next = c.signed(body);
        assert_reason(&refused_next(&c, &next), LEN + 1, reason);
    }
}

#[test]
fn an_entry_time_has_one_spelling() {
    let c = full();
    for bad in [
        "2024-03-01T00:30:00Z",
        "2024-03-01T00:30:00.000000000+00:00",
        "2024-03-01 00:30:00",
        "",
    ] {
        let entry = Entry {
            made_at: bad.into(),
            ..c.next(person(
                P_PEER,
                "周明",
                "1401000006",
                None,
                &[Role::Inspector],
            ))
        };
        let err = refused_next(&c, &SignedEntry::sign(entry, &key(2)));
        assert_reason(&err, LEN + 1, "格式不对");
    }
}

#[test]
fn a_refused_entry_changes_nothing_and_the_right_one_still_follows() {
    let c = full();
    let mut r = c.roster();
    let before = r.clone();
    let bad = SignedEntry::sign(c.next(enrol(P_PEER, I_PEER, 40)), &key(1));
    assert!(r.extend(&bad).is_err());
    assert_eq!(r, before);
    let good = c.signed(enrol(P_PEER, I_PEER, 40));
    r.extend(&good).expect("the right entry");
    assert_eq!(r.len, LEN + 1);
    assert_eq!(r.head, good.hash());
    assert_eq!(r.keys[&pk(40)].person_id, P_PEER);
}

#[test]
fn a_chain_of_another_anchor_is_a_roster_of_another_fingerprint() {
    // An attacker's own office: it folds, but it is not the office a laptop pinned.
    let mut forged = Chain::new(99);
    forged.push(person(
        P_INSP,
        "张建国",
        "1401000001",
        None,
        &[Role::CloseOutLeader],
    ));
    let theirs = forged.roster();
    let ours = office();
    assert_ne!(theirs.genesis_key, ours.genesis_key);
    assert_ne!(theirs.fingerprint(), ours.fingerprint());
    assert!(!fingerprint_matches(
        &theirs.fingerprint(),
        &ours.genesis_key
    ));
    // The pinned fingerprint stays the first anchor's after a rotation.
    assert_eq!(ours.fingerprint(), fingerprint(&pk(1)));
    assert_ne!(ours.fingerprint(), fingerprint(&ours.anchor_key));
}

// ---------------------------------------------------------------------------------------------
// Standing, people, fingerprints
// ---------------------------------------------------------------------------------------------

#[test]
fn standing_of_a_key() {
    let r = office();
    match r.standing(&pk(15), I_INSP) {
        KeyStanding::Enrolled(p) => assert_eq!(p.id, P_INSP),
        other => panic!("enrolled expected, got {other:?}"),
    }
    match r.standing(&pk(11), I_INSP_OLD) {
        KeyStanding::Revoked(p, rev) => {
            assert_eq!(p.id, P_INSP);
            assert_eq!(rev.seq, SEQ_REVOKE);
            assert!(rev.accepted.contains(&R1) && rev.accepted.contains(&R3));
            assert!(!rev.accepted.contains(&R9));
        }
        other => panic!("revoked expected, got {other:?}"),
    }
    // 张建国's key used for another laptop profile (his colleague's, or a made-up one).
    for claimed in [I_PEER, I_STRANGER, I_INSP_OLD] {
        match r.standing(&pk(15), claimed) {
            KeyStanding::OtherInspector(p, real) => {
                assert_eq!(p.id, P_INSP);
                assert_eq!(real, I_INSP);
            }
            other => panic!("other inspector expected, got {other:?}"),
        }
    }
    assert_eq!(r.standing(&pk(40), I_STRANGER), KeyStanding::Unknown);
    assert_eq!(r.standing(&pk(40), I_INSP), KeyStanding::Unknown);
    assert_eq!(
        r.standing(&pk(15).to_uppercase(), I_INSP),
        KeyStanding::Unknown
    );
    // 孙立's key after he left: revoked.
    assert!(matches!(
        r.standing(&pk(17), I_LEFT),
        KeyStanding::Revoked(p, _) if p.id == P_LEFT && !p.active
    ));
}

#[test]
fn person_of_an_inspector_profile() {
    let r = office();
    assert_eq!(r.person_of_inspector(I_INSP).map(|p| p.id), Some(P_INSP));
    assert_eq!(r.person_of_inspector(I_CLERK).map(|p| p.id), Some(P_CLERK));
    // Only a revoked key on that profile: nobody.
    assert_eq!(r.person_of_inspector(I_INSP_OLD), None);
    assert_eq!(r.person_of_inspector(I_LEFT), None);
    assert_eq!(r.person_of_inspector(I_STRANGER), None);
}

#[test]
fn close_out_leaders_are_the_active_holders_of_the_role() {
    let r = office();
    let names: Vec<&str> = r
        .close_out_leaders()
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    // 孙立 held the role but left.
    assert_eq!(names, ["王县长", "刘副县长"]);

    let mut c = full();
    c.push(person(P_LEADER, "王县长", "", None, &[Role::Inspector]));
    let r = c.roster();
    let names: Vec<&str> = r
        .close_out_leaders()
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["刘副县长"], "the role withdrawn");
}

#[test]
fn find_person_by_name_or_certificate_number() {
    let r = office();
    assert_eq!(r.find_person("李建山").map(|p| p.id), Some(P_GL));
    assert_eq!(r.find_person("  李建山 ").map(|p| p.id), Some(P_GL));
    assert_eq!(r.find_person("1401000006").map(|p| p.id), Some(P_PEER));
    assert_eq!(r.find_person("孙立").map(|p| p.id), Some(P_LEFT));
    assert_eq!(r.find_person("李建"), None);
    assert_eq!(r.find_person("140100000"), None);
    // Two people without a number are not found by an empty one.
    assert_eq!(r.find_person(""), None);

    // A namesake who left sorts after the active one, whatever their ids.
    let mut c = full();
    c.push(gone(Uuid::from_u128(0x001), "周明", "1401000099", &[]));
    let r = c.roster();
    assert_eq!(r.find_person("周明").map(|p| p.id), Some(P_PEER));
    assert_eq!(
        r.find_person("1401000099").map(|p| p.id),
        Some(Uuid::from_u128(0x001))
    );
}

#[test]
fn fingerprint_is_eight_groups_of_four_upper_case_hex() {
    let key_hex = pk(15);
    let fp = fingerprint(&key_hex);
    let groups: Vec<&str> = fp.split(' ').collect();
    assert_eq!(groups.len(), 8, "{fp}");
    for g in &groups {
        assert_eq!(g.len(), 4, "{fp}");
        assert!(
            g.chars()
                .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)),
            "{fp}"
        );
    }
    // The first 16 bytes of SHA-256 of the key's 32 bytes.
    let digest = Sha256::digest(key(15).verifying_key().as_bytes());
    let expected: String = digest[..16].iter().map(|b| format!("{b:02X}")).collect();
    assert_eq!(fp.replace(' ', ""), expected);
    assert_eq!(fingerprint(&key_hex), fp, "stable");
    assert_ne!(fingerprint(&pk(16)), fp);
    // Something that is not a key still has a fingerprint (for a message about it).
    assert_eq!(fingerprint("not a key").len(), 39);
}

#[test]
fn fingerprint_matches_ignores_spaces_dashes_and_case_only() {
    let key_hex = pk(15);
    let fp = fingerprint(&key_hex);
    assert!(fingerprint_matches(&fp, &key_hex));
    assert!(fingerprint_matches(&fp.to_lowercase(), &key_hex));
    assert!(fingerprint_matches(&fp.replace(' ', "-"), &key_hex));
    assert!(fingerprint_matches(&fp.replace(' ', ""), &key_hex));
    assert!(fingerprint_matches(&format!("  {fp}  "), &key_hex));
    // One digit off, a group missing, another key: no.
    let mut off = fp.clone();
    let last = off.pop().expect("digit");
    off.push(if last == '0' { '1' } else { '0' });
    assert!(!fingerprint_matches(&off, &key_hex));
    assert!(!fingerprint_matches(&fp[..34], &key_hex));
    assert!(!fingerprint_matches(&format!("{fp} 0000"), &key_hex));
    assert!(!fingerprint_matches(&fingerprint(&pk(16)), &key_hex));
    // Nothing typed never matches.
    for empty in ["", "   ", "- - -"] {
        assert!(!fingerprint_matches(empty, &key_hex), "{empty:?}");
    }
}

#[test]
fn entries_describe_themselves_in_chinese() {
    let r = office();
    let c = full();
    let texts: Vec<String> = c
        .entries
        .iter()
        .map(|s| s.entry.body.describe(Some(&r)))
        .collect();
    assert!(texts[0].contains(OFFICE_NAME) && texts[0].contains(&fingerprint(&pk(1))));
    assert_eq!(
        texts[1],
        "登记人员 张建国（执法证号 1401000001，一组）角色：检查人员"
    );
    assert_eq!(
        texts[3],
        "登记人员 王县长（执法证号 无，未分组）角色：销号签字领导"
    );
    assert!(texts[8].contains("为 张建国 登记公钥") && texts[8].contains(&fingerprint(&pk(11))));
    assert!(texts[SEQ_ROTATE as usize - 1].contains(&fingerprint(&pk(2))));
    assert!(texts[SEQ_REVOKE as usize - 1].contains("2 条记录仍有效"));
    assert!(texts[20].contains("1 条记录"));
    assert!(texts[21].starts_with("停用人员 孙立"));
    // Without a roster, a key's person is named by id.
    let bare = c.entries[8].entry.body.describe(None);
    assert!(bare.contains(&P_INSP.to_string()), "{bare}");
}

// ---------------------------------------------------------------------------------------------
// authorize
// ---------------------------------------------------------------------------------------------

#[test]
fn the_default_table_is_the_shipped_config() {
    /// Only the `[permissions]` table of the file.
    #[derive(serde::Deserialize)]
    struct Shipped {
        permissions: Permissions,
    }
    let shipped: Shipped =
        toml::from_str(include_str!("../../../config/rules.toml")).expect("rules.toml");
    assert_eq!(shipped.permissions, Permissions::default());
}

/// Who acts in the exhaustive table: (label, actor, roles in force).
fn actors(r: &Roster) -> Vec<(&'static str, Actor<'_>, &'static [Role])> {
    let p = |id: Uuid| r.people.get(&id).expect("person");
    vec![
        (
            "检查人员",
            Actor {
                inspector_id: I_INSP,
                person: Some(p(P_INSP)),
                name: "张建国",
            },
            &[Role::Inspector],
        ),
        (
            "组长",
            Actor {
                inspector_id: I_GL,
                person: Some(p(P_GL)),
                name: "李建山",
            },
            &[Role::GroupLeader],
        ),
        (
            "销号签字领导",
            Actor {
                inspector_id: I_LEADER,
                person: Some(p(P_LEADER)),
                name: "王县长",
            },
            &[Role::CloseOutLeader],
        ),
        (
            "内勤",
            Actor {
                inspector_id: I_CLERK,
                person: Some(p(P_CLERK)),
                name: "赵丽",
            },
            &[Role::Clerk],
        ),
        (
            "未登记",
            Actor {
                inspector_id: I_STRANGER,
                person: None,
                name: "陌生人",
            },
            &[Role::Inspector],
        ),
        (
            "已停用",
            Actor {
                inspector_id: I_LEFT,
                person: Some(p(P_LEFT)),
                name: "孙立",
            },
            &[],
        ),
    ]
}

struct Steps {
    transfer: Step,
    rectify: Step,
    report: Step,
    verify: Step,
    list: Step,
    number: Step,
    correct: Step,
    close: Step,
}

fn steps() -> Steps {
    Steps {
        transfer: Step::Transfer {
            to_unit: "能源股".into(),
        },
        rectify: Step::Rectify { fixes: None },
        report: Step::ReportRectified,
        verify: Step::Verify {
            passed: true,
            by: "张建国".into(),
            new_deadline: None,
            case_opened: false,
        },
        list: Step::ListForSupervision {
            tracking_person: "李建山".into(),
        },
        number: Step::Number {
            number: "城关-2024-03-001".into(),
        },
        correct: Step::Correct {
            field: "location".into(),
            value: "二号车间".into(),
        },
        close: Step::CloseOut {
            signer: "王县长".into(),
            signed_at: t0(),
            signer_id: None,
        },
    }
}

fn step<'a>(s: &'a Step, grade: HazardGrade) -> Action<'a> {
    Action::Step {
        step: s,
        grade,
        hazard_author: I_PEER,
    }
}

#[test]
fn every_role_times_every_action_follows_the_table() {
    use Role::*;
    let r = office();
    let s = steps();
    let on_inspection: Vec<Uuid> = actors(&r).iter().map(|(_, a, _)| a.inspector_id).collect();
    let register = |source| Action::RegisterHazard {
        source,
        inspectors: None,
    };
    // (action, roles that may, who the refusal must name), written out as the issue decided.
    let table: Vec<(&str, Action, &[Role], Option<&str>)> = vec![
        (
            "登记（检查发现）",
            Action::RegisterHazard {
                source: HazardSource::Inspection,
                inspectors: Some(&on_inspection),
            },
            &[Inspector],
            Some("“登记检查发现的隐患”须由检查人员办理"),
        ),
        (
            "登记（群众举报）",
            register(HazardSource::PublicReport),
            &[Clerk],
            Some("“登记群众举报的隐患”须由内勤办理"),
        ),
        (
            "登记（上级交办）",
            register(HazardSource::Assigned),
            &[Clerk],
            Some("“登记上级交办的隐患”须由内勤办理"),
        ),
        (
            "登记（企业自查）",
            register(HazardSource::SelfCheck),
            &[Clerk],
            Some("“登记企业自查的隐患”须由内勤办理"),
        ),
        (
            "移交",
            step(&s.transfer, HazardGrade::Major),
            &[Inspector, Clerk],
            Some("“移交”须由检查人员或内勤办理"),
        ),
        (
            "整改中",
            step(&s.rectify, HazardGrade::General),
            &[Inspector, Clerk],
            Some("“整改中”须由检查人员或内勤办理"),
        ),
        (
            "报告整改完成",
            step(&s.report, HazardGrade::Major),
            &[Inspector, Clerk],
            Some("“报告整改完成”须由检查人员或内勤办理"),
        ),
        (
            "验收",
            step(&s.verify, HazardGrade::Major),
            &[Inspector],
            Some("“验收”须由检查人员办理"),
        ),
        (
            "挂牌督办",
            step(&s.list, HazardGrade::Major),
            &[GroupLeader, Clerk],
            Some("“挂牌督办”须由组长或内勤办理"),
        ),
        (
            "编号",
            step(&s.number, HazardGrade::Major),
            &[Clerk],
            Some("“编号”须由内勤办理"),
        ),
        (
            "更正他人的隐患",
            step(&s.correct, HazardGrade::General),
            &[Clerk],
            Some("“更正（他人登记的隐患）”须由内勤办理"),
        ),
        (
            "一般隐患销号",
            step(&s.close, HazardGrade::General),
            &[GroupLeader, Clerk],
            Some("“一般隐患销号”须由组长或内勤办理"),
        ),
        (
            "重大隐患销号（王县长）",
            step(&s.close, HazardGrade::Major),
            &[CloseOutLeader, Clerk],
            None,
        ),
        (
            "企业",
            Action::Enterprise,
            &[Inspector, GroupLeader, CloseOutLeader, Clerk],
            Some("“登记或修改企业”须由检查人员或组长或销号签字领导或内勤办理"),
        ),
        (
            "执法措施",
            Action::Record,
            &[Inspector, GroupLeader, CloseOutLeader, Clerk],
            Some("“记录执法措施或工作”须由检查人员或组长或销号签字领导或内勤办理"),
        ),
        (
            "附件（检查记录、证据、执法措施）",
            Action::Attach { to_hazard: false },
            &[Inspector, GroupLeader, CloseOutLeader, Clerk],
            Some("“添加照片、视频或扫描件”须由检查人员或组长或销号签字领导或内勤办理"),
        ),
        (
            "附件（隐患及其办理）",
            Action::Attach { to_hazard: true },
            &[Inspector, Clerk],
            Some("“为隐患添加照片、视频或扫描件”须由检查人员或内勤办理"),
        ),
    ];
    let permissions = Permissions::default();
    let mut checked = 0;
    for (who, actor, in_force) in actors(&r) {
        for (what, action, may, names) in &table {
            let expected = may.iter().any(|role| in_force.contains(role));
            let got = authorize(&permissions, Some(&r), &actor, action);
            assert_eq!(
                got.is_ok(),
                expected,
                "{who} {} — {what}: {got:?}",
                actor.name
            );
            checked += 1;
            let Err(msg) = got else { continue };
            assert_chinese(&msg);
            assert!(msg.contains(actor.name), "{msg}");
            match names {
                Some(names) => assert!(msg.contains(names), "{msg} should say {names}"),
                None => {
                    // The major close-out refusal names the leaders and the clerk's way.
                    assert!(msg.contains("王县长、刘副县长"), "{msg}");
                    assert!(msg.contains("内勤"), "{msg}");
                }
            }
            match actor.person {
                None => assert!(
                    msg.contains("尚未在办公室名册登记（按检查人员对待）"),
                    "{msg}"
                ),
                Some(p) if !p.active => assert!(msg.contains("在名册中没有任何角色"), "{msg}"),
                Some(_) => assert!(
                    msg.contains(&format!("的角色是{}", in_force[0].label())),
                    "{msg}"
                ),
            }
        }
    }
    assert_eq!(checked, 6 * 17);
}

#[test]
fn the_table_is_read_not_hard_coded() {
    let r = office();
    let s = steps();
    let a = actors(&r);
    let (inspector, leader, clerk) = (&a[0].1, &a[1].1, &a[3].1);
    let permissions = Permissions {
        verify: vec![Role::GroupLeader],
        number: vec![],
        enterprise: vec![Role::Clerk],
        ..Permissions::default()
    };
    let verify = step(&s.verify, HazardGrade::Major);
    let err = authorize(&permissions, Some(&r), inspector, &verify).expect_err("not any more");
    assert!(err.contains("“验收”须由组长办理"), "{err}");
    assert!(authorize(&permissions, Some(&r), leader, &verify).is_ok());

    let number = step(&s.number, HazardGrade::Major);
    let err = authorize(&permissions, Some(&r), clerk, &number).expect_err("nobody");
    assert!(err.contains("“编号”须由（无人）办理"), "{err}");

    let err =
        authorize(&permissions, Some(&r), inspector, &Action::Enterprise).expect_err("clerk only");
    assert!(err.contains("须由内勤办理"), "{err}");
    assert!(authorize(&permissions, Some(&r), clerk, &Action::Enterprise).is_ok());
}

fn close_out(signer: &str, signer_id: Option<Uuid>) -> Step {
    Step::CloseOut {
        signer: signer.into(),
        signed_at: t0(),
        signer_id,
    }
}

fn major(s: &Step) -> Action<'_> {
    step(s, HazardGrade::Major)
}

#[test]
fn a_close_out_leader_closes_out_a_major_hazard_with_own_key() {
    let r = office();
    let a = actors(&r);
    let leader = &a[2].1;
    let p = Permissions::default();
    for s in [
        close_out("王县长", None),
        close_out(" 王县长 ", None),
        close_out("王县长", Some(P_LEADER)),
    ] {
        assert_eq!(authorize(&p, Some(&r), leader, &major(&s)), Ok(()), "{s:?}");
    }
}

#[test]
fn a_close_out_leader_cannot_sign_for_another_leader() {
    let r = office();
    let a = actors(&r);
    let leader = &a[2].1;
    let p = Permissions::default();
    for s in [
        close_out("刘副县长", Some(P_LEADER2)),
        close_out("王县长", Some(P_LEADER2)),
        close_out("刘副县长", None),
        close_out("不在名册的人", None),
    ] {
        let err = authorize(&p, Some(&r), leader, &major(&s)).expect_err("another leader");
        assert_chinese(&err);
    }
}

#[test]
fn a_leader_cannot_put_another_leaders_name_on_a_close_out_by_giving_own_id() {
    let r = office();
    let a = actors(&r);
    let leader = &a[2].1;
    let s = close_out("刘副县长", Some(P_LEADER));
    assert!(
        authorize(&Permissions::default(), Some(&r), leader, &major(&s)).is_err(),
        "王县长's key would record a close-out that reads “刘副县长”"
    );
}

#[test]
fn a_leader_cannot_close_out_naming_an_id_the_roster_does_not_know() {
    let r = office();
    let a = actors(&r);
    let leader = &a[2].1;
    let s = close_out("刘副县长", Some(Uuid::from_u128(0xdead)));
    assert!(
        authorize(&Permissions::default(), Some(&r), leader, &major(&s)).is_err(),
        "a close-out naming nobody in the roster"
    );
}

#[test]
fn a_leader_with_a_namesake_signs_by_name() {
    let mut c = Chain::new(1);
    let namesake = Uuid::from_u128(0x001); // sorts before the leader
    let leader_id = Uuid::from_u128(0x002);
    c.push(person(
        namesake,
        "王伟",
        "1401000100",
        None,
        &[Role::Inspector],
    ))
    .push(person(leader_id, "王伟", "", None, &[Role::CloseOutLeader]))
    .push(person(P_CLERK, "赵丽", "1401000004", None, &[Role::Clerk]))
    .push(enrol(leader_id, I_LEADER, 13))
    .push(enrol(P_CLERK, I_CLERK, 14));
    let r = c.roster();
    let leader = Actor {
        inspector_id: I_LEADER,
        person: r.people.get(&leader_id),
        name: "王伟",
    };
    let s = close_out("王伟", None);
    assert_eq!(
        authorize(&Permissions::default(), Some(&r), &leader, &major(&s)),
        Ok(())
    );
}

#[test]
fn a_clerk_records_a_roster_leaders_written_sign_off() {
    let r = office();
    let a = actors(&r);
    let clerk = &a[3].1;
    let p = Permissions::default();
    for s in [
        close_out("王县长", None),
        close_out("刘副县长", None),
        close_out("刘副县长", Some(P_LEADER2)),
    ] {
        assert_eq!(authorize(&p, Some(&r), clerk, &major(&s)), Ok(()), "{s:?}");
    }
}

#[test]
fn a_clerk_cannot_record_a_sign_off_of_someone_who_is_no_leader() {
    let r = office();
    let a = actors(&r);
    let clerk = &a[3].1;
    let p = Permissions::default();
    for (s, named) in [
        (close_out("张建国", None), "张建国"),
        (close_out("李建山", Some(P_GL)), "李建山"),
        (close_out("赵丽", None), "赵丽"),
        // 孙立 was a close-out leader, and left.
        (close_out("孙立", Some(P_LEFT)), "孙立"),
        (close_out("县长", None), "县长"),
        (close_out("王县长", Some(Uuid::from_u128(0xdead))), "王县长"),
    ] {
        let err = authorize(&p, Some(&r), clerk, &major(&s)).expect_err("no leader");
        let by_id = matches!(
            &s,
            Step::CloseOut {
                signer_id: Some(_),
                ..
            }
        );
        assert!(
            if by_id {
                err.contains(&format!("名册编号指向 {named}，不是名册中的销号签字领导"))
                    || err.contains("不在名册中")
            } else {
                err.contains(&format!("“{named}”不是名册中的销号签字领导"))
            },
            "{err}"
        );
        assert!(err.contains("可签字的领导：王县长、刘副县长"), "{err}");
        assert_chinese(&err);
    }
    // The leader's id with another name.
    let s = close_out("刘县长", Some(P_LEADER2));
    let err = authorize(&p, Some(&r), clerk, &major(&s)).expect_err("name differs");
    assert!(err.contains("“刘县长”与名册中的 刘副县长 不一致"), "{err}");
}

#[test]
fn a_group_leader_or_inspector_cannot_close_out_a_major_hazard() {
    let r = office();
    let a = actors(&r);
    let p = Permissions::default();
    for (_, actor, _) in [&a[0], &a[1], &a[4], &a[5]] {
        for s in [
            close_out("王县长", None),
            close_out("王县长", Some(P_LEADER)),
        ] {
            let err = authorize(&p, Some(&r), actor, &major(&s)).expect_err("no");
            assert!(
                err.contains(
                    "重大事故隐患销号须由名册中的销号签字领导（王县长、刘副县长）本人签字"
                ),
                "{err}"
            );
            assert!(err.contains(actor.name), "{err}");
            assert_chinese(&err);
        }
    }
}

#[test]
fn without_a_roster_nobody_closes_out_a_major_hazard() {
    let r = office();
    let a = actors(&r);
    let p = Permissions::default();
    let s = close_out("王县长", Some(P_LEADER));
    for (_, actor, _) in &a {
        let err = authorize(&p, None, actor, &major(&s)).expect_err("no roster");
        assert!(err.contains("paicha office init"), "{err}");
        assert!(err.contains("还没有办公室名册"), "{err}");
    }
    // A general hazard needs no roster.
    let clerk = &a[3].1;
    assert!(authorize(&p, None, clerk, &step(&s, HazardGrade::General)).is_ok());
}

#[test]
fn a_roster_without_leaders_says_to_enrol_one() {
    let mut c = Chain::new(1);
    c.push(person(P_CLERK, "赵丽", "1401000004", None, &[Role::Clerk]))
        .push(person(
            P_GL,
            "李建山",
            "1401000002",
            None,
            &[Role::GroupLeader],
        ));
    let r = c.roster();
    let p = Permissions::default();
    let s = close_out("王县长", None);
    let clerk = Actor {
        inspector_id: I_CLERK,
        person: r.people.get(&P_CLERK),
        name: "赵丽",
    };
    let err = authorize(&p, Some(&r), &clerk, &major(&s)).expect_err("no leader");
    assert!(err.contains("paicha roster add"), "{err}");
    let gl = Actor {
        inspector_id: I_GL,
        person: r.people.get(&P_GL),
        name: "李建山",
    };
    let err = authorize(&p, Some(&r), &gl, &major(&s)).expect_err("no leader");
    assert!(err.contains("paicha roster add"), "{err}");
}

#[test]
fn the_close_out_refusal_lists_who_the_table_lets_sign() {
    let r = office();
    let a = actors(&r);
    let (group_leader, clerk) = (&a[1].1, &a[3].1);
    let p = Permissions {
        close_out_major: vec![Role::GroupLeader],
        ..Permissions::default()
    };
    // The table is applied…
    let own = close_out("李建山", None);
    assert_eq!(authorize(&p, Some(&r), group_leader, &major(&own)), Ok(()));
    // …but the refusal names people the table does not let sign.
    let s = close_out("王县长", None);
    let err = authorize(&p, Some(&r), clerk, &major(&s)).expect_err("not a leader by the table");
    assert!(
        !err.contains("王县长、刘副县长") && err.contains("李建山"),
        "{err}"
    );
}

#[test]
fn a_general_hazard_is_closed_out_by_a_group_leader_or_clerk() {
    let r = office();
    let a = actors(&r);
    let p = Permissions::default();
    let s = close_out("李建山", None);
    let general = step(&s, HazardGrade::General);
    assert_eq!(authorize(&p, Some(&r), &a[1].1, &general), Ok(()));
    assert_eq!(authorize(&p, Some(&r), &a[3].1, &general), Ok(()));
    for i in [0, 2, 4, 5] {
        let err = authorize(&p, Some(&r), &a[i].1, &general).expect_err("not theirs");
        assert!(err.contains("“一般隐患销号”须由组长或内勤办理"), "{err}");
    }
}

fn correct_by<'a>(s: &'a Step, author: Uuid) -> Action<'a> {
    Action::Step {
        step: s,
        grade: HazardGrade::General,
        hazard_author: author,
    }
}

#[test]
fn a_correction_by_the_author_or_a_clerk() {
    let r = office();
    let a = actors(&r);
    let p = Permissions::default();
    let s = steps().correct;
    let inspector = &a[0].1;
    // His own hazard, on this laptop.
    assert_eq!(
        authorize(&p, Some(&r), inspector, &correct_by(&s, I_INSP)),
        Ok(())
    );
    // A clerk corrects anyone's.
    assert_eq!(
        authorize(&p, Some(&r), &a[3].1, &correct_by(&s, I_INSP)),
        Ok(())
    );
    // Another inspector's hazard: no.
    let err = authorize(&p, Some(&r), inspector, &correct_by(&s, I_PEER)).expect_err("not his");
    assert!(
        err.contains("“更正（他人登记的隐患）”须由内勤办理"),
        "{err}"
    );
    // Nor may a group leader or an unenrolled author of another hazard.
    assert!(authorize(&p, Some(&r), &a[1].1, &correct_by(&s, I_PEER)).is_err());
    assert!(authorize(&p, Some(&r), &a[4].1, &correct_by(&s, I_PEER)).is_err());
    // An unenrolled laptop corrects what it recorded itself (no roster, or not enrolled yet).
    assert_eq!(
        authorize(&p, None, &a[4].1, &correct_by(&s, I_STRANGER)),
        Ok(())
    );

    // The same person on a second laptop profile.
    let mut c = full();
    let second = Uuid::from_u128(0x2a0);
    c.push(enrol(P_PEER, second, 19));
    let r = c.roster();
    let peer_elsewhere = Actor {
        inspector_id: second,
        person: r.people.get(&P_PEER),
        name: "周明",
    };
    assert_eq!(
        authorize(&p, Some(&r), &peer_elsewhere, &correct_by(&s, I_PEER)),
        Ok(())
    );
    assert!(authorize(&p, Some(&r), &peer_elsewhere, &correct_by(&s, I_INSP)).is_err());
}

#[test]
fn the_author_corrects_own_hazard_from_a_new_laptop_after_revoking_the_old_one() {
    let r = office();
    let a = actors(&r);
    let s = steps().correct;
    // 张建国 recorded the hazard on I_INSP_OLD (stolen, revoked); he now works on I_INSP.
    assert_eq!(
        authorize(
            &Permissions::default(),
            Some(&r),
            &a[0].1,
            &correct_by(&s, I_INSP_OLD)
        ),
        Ok(())
    );
}

#[test]
fn an_action_or_activity_is_corrected_by_its_author_on_any_laptop_or_by_a_clerk() {
    let r = office();
    let a = actors(&r);
    let p = Permissions::default();
    let of = |author| Action::Correction {
        original_author: author,
    };
    // 张建国 (a[0]) corrects what he recorded, also on his stolen laptop's profile.
    assert_eq!(authorize(&p, Some(&r), &a[0].1, &of(I_INSP)), Ok(()));
    assert_eq!(authorize(&p, Some(&r), &a[0].1, &of(I_INSP_OLD)), Ok(()));
    // The clerk corrects anyone's.
    assert_eq!(authorize(&p, Some(&r), &a[3].1, &of(I_PEER)), Ok(()));
    // Another inspector may not.
    let err = authorize(&p, Some(&r), &a[0].1, &of(I_PEER)).expect_err("not his");
    assert!(
        err.contains("更正他人登记的执法措施或工作") && err.contains("内勤"),
        "{err}"
    );
    assert_chinese(&err);
}

#[test]
fn registering_on_an_inspection_needs_to_be_one_of_its_inspectors() {
    let r = office();
    let a = actors(&r);
    let p = Permissions::default();
    let inspector = &a[0].1;
    let on = |list: &'static [Uuid]| Action::RegisterHazard {
        source: HazardSource::Inspection,
        inspectors: Some(list),
    };
    assert_eq!(
        authorize(&p, Some(&r), inspector, &on(&[I_PEER, I_INSP])),
        Ok(())
    );
    for list in [&[I_PEER][..], &[I_INSP_OLD], &[]] {
        let err = authorize(&p, Some(&r), inspector, &on(list)).expect_err("not on it");
        assert!(err.contains("张建国 不是这次检查的检查人员"), "{err}");
        assert_chinese(&err);
    }
    // Unenrolled: an inspector, on the inspection by its laptop profile.
    assert_eq!(authorize(&p, None, &a[4].1, &on(&[I_STRANGER])), Ok(()));
    assert!(authorize(&p, None, &a[4].1, &on(&[I_INSP])).is_err());
    // A clerk listed on an inspection still is no inspector.
    let err = authorize(&p, Some(&r), &a[3].1, &on(&[I_CLERK])).expect_err("clerk");
    assert!(
        err.contains("“登记检查发现的隐患”须由检查人员办理"),
        "{err}"
    );
    // A self-check found during an inspection follows the inspection's rule.
    let self_check = Action::RegisterHazard {
        source: HazardSource::SelfCheck,
        inspectors: Some(&[I_INSP]),
    };
    assert_eq!(authorize(&p, Some(&r), inspector, &self_check), Ok(()));
    assert!(authorize(&p, Some(&r), &a[3].1, &self_check).is_err());
}

// ---------------------------------------------------------------------------------------------
// decide_key
// ---------------------------------------------------------------------------------------------

fn facts(inspector_id: Uuid, public_key: &str) -> KeyFacts<'_> {
    KeyFacts {
        inspector_id,
        public_key,
        who: "张建国",
        recorded: None,
        known_before: false,
        same_cert_holder: None,
    }
}

const PLAIN: KeyPolicy = KeyPolicy {
    strict: false,
    trust_new_keys: false,
};
const STRICT: KeyPolicy = KeyPolicy {
    strict: true,
    trust_new_keys: false,
};
const TRUST: KeyPolicy = KeyPolicy {
    strict: false,
    trust_new_keys: true,
};
const BOTH: KeyPolicy = KeyPolicy {
    strict: true,
    trust_new_keys: true,
};
const POLICIES: [KeyPolicy; 4] = [PLAIN, STRICT, TRUST, BOTH];

fn refusal(d: KeyDecision) -> String {
    match d {
        KeyDecision::Refuse(msg) => msg,
        other => panic!("refusal expected, got {other:?}"),
    }
}

#[test]
fn a_key_recorded_here_decides_before_anything_else() {
    let r = office();
    let k = pk(40);
    for roster in [None, Some(&r)] {
        for policy in POLICIES {
            let same = KeyFacts {
                recorded: Some(&k),
                known_before: true,
                same_cert_holder: Some("周明"),
                ..facts(I_STRANGER, &k)
            };
            assert_eq!(decide_key(roster, &same, policy), KeyDecision::Known);

            let other = pk(41);
            let differs = KeyFacts {
                recorded: Some(&other),
                ..facts(I_STRANGER, &k)
            };
            let msg = refusal(decide_key(roster, &differs, policy));
            assert!(
                msg.contains("张建国") && msg.contains(&fingerprint(&k)),
                "{msg}"
            );
            assert!(msg.contains("另一把公钥"), "{msg}");
        }
    }
}

#[test]
fn with_a_roster_enrolled_and_revoked_keys_are_recorded_as_roster_keys() {
    let r = office();
    for policy in POLICIES {
        let enrolled = pk(15);
        assert_eq!(
            decide_key(Some(&r), &facts(I_INSP, &enrolled), policy),
            KeyDecision::Record(Origin::Roster)
        );
        // Revoked: recorded, so its records can be judged (held or accepted) one by one.
        let revoked = pk(11);
        assert_eq!(
            decide_key(Some(&r), &facts(I_INSP_OLD, &revoked), policy),
            KeyDecision::Record(Origin::Roster)
        );
    }
}

#[test]
fn with_a_roster_a_key_of_another_profile_is_refused_even_when_trusting_new_keys() {
    let r = office();
    let k = pk(15); // 张建国's, claimed for a stranger's profile
    for policy in POLICIES {
        let f = KeyFacts {
            who: "假张建国",
            ..facts(I_STRANGER, &k)
        };
        let msg = refusal(decide_key(Some(&r), &f, policy));
        assert!(msg.contains("登记给 张建国 的另一份人员档案"), "{msg}");
        assert!(
            msg.contains("假张建国") && msg.contains(&fingerprint(&k)),
            "{msg}"
        );
    }
}

#[test]
fn with_a_roster_an_unknown_key_needs_trust_new_keys_and_not_strict() {
    let r = office();
    let k = pk(40);
    let f = facts(I_STRANGER, &k);
    let msg = refusal(decide_key(Some(&r), &f, PLAIN));
    assert!(msg.contains("不在办公室名册中"), "{msg}");
    assert!(
        msg.contains("--trust-new-keys") && msg.contains(&fingerprint(&k)),
        "{msg}"
    );
    assert!(matches!(
        decide_key(Some(&r), &f, STRICT),
        KeyDecision::Refuse(_)
    ));
    assert!(matches!(
        decide_key(Some(&r), &f, BOTH),
        KeyDecision::Refuse(_)
    ));
    assert_eq!(
        decide_key(Some(&r), &f, TRUST),
        KeyDecision::Record(Origin::Trusted)
    );
    // What the facts say of this database does not matter under a roster.
    let known = KeyFacts {
        known_before: true,
        same_cert_holder: Some("周明"),
        ..facts(I_STRANGER, &k)
    };
    assert_eq!(
        decide_key(Some(&r), &known, TRUST),
        KeyDecision::Record(Origin::Trusted)
    );
    assert!(matches!(
        decide_key(Some(&r), &known, PLAIN),
        KeyDecision::Refuse(m) if m.contains("不在办公室名册中")
    ));
}

#[test]
fn without_a_roster_a_new_key_is_trusted_on_first_sight_only_when_nothing_speaks_against_it() {
    let k = pk(40);
    let first = facts(I_STRANGER, &k);
    let known = KeyFacts {
        known_before: true,
        ..facts(I_STRANGER, &k)
    };
    let same_cert = KeyFacts {
        same_cert_holder: Some("周明"),
        ..facts(I_STRANGER, &k)
    };

    // Strict refuses every new key, with or without --trust-new-keys.
    for policy in [STRICT, BOTH] {
        for f in [&first, &known, &same_cert] {
            let msg = refusal(decide_key(None, f, policy));
            assert!(
                msg.contains("--strict") && msg.contains(&fingerprint(&k)),
                "{msg}"
            );
        }
    }
    // --trust-new-keys takes them, knowingly.
    for f in [&first, &known, &same_cert] {
        assert_eq!(
            decide_key(None, f, TRUST),
            KeyDecision::Record(Origin::Trusted)
        );
    }
    // Plain: someone known here without a key, or a number someone else holds a key under.
    let msg = refusal(decide_key(None, &known, PLAIN));
    assert!(msg.contains("已在本机登记但没有公钥"), "{msg}");
    assert!(
        msg.contains("--trust-new-keys") && msg.contains(&fingerprint(&k)),
        "{msg}"
    );
    let msg = refusal(decide_key(None, &same_cert, PLAIN));
    assert!(msg.contains("已属于有公钥的 周明"), "{msg}");
    assert!(
        msg.contains("--trust-new-keys") && msg.contains(&fingerprint(&k)),
        "{msg}"
    );
    // Nothing known: first sight.
    assert_eq!(
        decide_key(None, &first, PLAIN),
        KeyDecision::Record(Origin::FirstSight)
    );
}

#[test]
fn origin_codes_are_stable() {
    let all = [
        (Origin::Own, "own"),
        (Origin::FirstSight, "imported"),
        (Origin::Roster, "roster"),
        (Origin::Trusted, "trusted"),
    ];
    for (origin, code) in all {
        assert_eq!(origin.code(), code);
        assert_eq!(Origin::parse(code), Some(origin));
    }
    assert_eq!(Origin::parse("first_sight"), None);
    assert_eq!(Origin::parse(""), None);
}

// ---------------------------------------------------------------------------------------------
// vouch
// ---------------------------------------------------------------------------------------------

const ORIGINS: [Origin; 4] = [
    Origin::Own,
    Origin::FirstSight,
    Origin::Roster,
    Origin::Trusted,
];

#[test]
fn a_signer_whose_key_is_not_the_one_recorded_is_refused() {
    let r = office();
    let k = pk(15);
    for roster in [None, Some(&r)] {
        let v = vouch(roster, I_INSP, "张建国", &k, None, R9);
        assert!(
            matches!(&v, Vouch::Refused(m) if m.contains("张建国") && m.contains(&fingerprint(&k))),
            "{v:?}"
        );
        for origin in ORIGINS {
            let other = pk(41);
            let v = vouch(roster, I_INSP, "张建国", &k, Some((&other, origin)), R9);
            assert!(matches!(v, Vouch::Refused(_)), "{v:?}");
        }
    }
}

#[test]
fn without_a_roster_the_recorded_key_vouches() {
    let k = pk(40);
    for origin in ORIGINS {
        assert_eq!(
            vouch(None, I_STRANGER, "陌生人", &k, Some((&k, origin)), R9),
            Vouch::Good(None)
        );
    }
}

#[test]
fn under_a_roster_an_enrolled_key_vouches_for_its_person() {
    let r = office();
    let k = pk(15);
    for origin in ORIGINS {
        match vouch(Some(&r), I_INSP, "张建国", &k, Some((&k, origin)), R9) {
            Vouch::Good(Some(p)) => assert_eq!(p.id, P_INSP),
            other => panic!("good expected, got {other:?}"),
        }
    }
}

#[test]
fn a_revoked_key_vouches_only_for_records_accepted_or_released() {
    let r = office();
    let k = pk(11);
    for record in [R1, R2, R3] {
        match vouch(
            Some(&r),
            I_INSP_OLD,
            "张建国",
            &k,
            Some((&k, Origin::Roster)),
            record,
        ) {
            Vouch::Good(Some(p)) => assert_eq!(p.id, P_INSP),
            other => panic!("good expected for {record}, got {other:?}"),
        }
    }
    match vouch(
        Some(&r),
        I_INSP_OLD,
        "张建国",
        &k,
        Some((&k, Origin::Roster)),
        R9,
    ) {
        Vouch::Held(msg) => {
            assert!(msg.contains("张建国 已吊销的公钥"), "{msg}");
            assert!(
                msg.contains(&format!("吊销于名册第 {SEQ_REVOKE} 条")),
                "{msg}"
            );
            assert!(msg.contains(&fingerprint(&k)), "{msg}");
        }
        other => panic!("held expected, got {other:?}"),
    }
    // Whatever origin it was recorded with.
    for origin in ORIGINS {
        assert!(matches!(
            vouch(Some(&r), I_INSP_OLD, "张建国", &k, Some((&k, origin)), R9),
            Vouch::Held(_)
        ));
    }
}

#[test]
fn a_key_enrolled_for_another_profile_vouches_for_nobody_else() {
    let r = office();
    let k = pk(15);
    for origin in ORIGINS {
        let v = vouch(Some(&r), I_STRANGER, "假张建国", &k, Some((&k, origin)), R9);
        assert!(
            matches!(&v, Vouch::Refused(m) if m.contains("登记给 张建国 的另一份人员档案") && m.contains("假张建国")),
            "{v:?}"
        );
    }
}

#[test]
fn a_key_the_roster_does_not_know_vouches_by_how_it_came_here() {
    let r = office();
    let k = pk(40);
    let with = |origin| vouch(Some(&r), I_STRANGER, "陌生人", &k, Some((&k, origin)), R9);
    assert_eq!(with(Origin::Own), Vouch::Good(None));
    assert_eq!(with(Origin::Trusted), Vouch::Good(None));
    match with(Origin::FirstSight) {
        Vouch::Held(msg) => {
            assert!(
                msg.contains("首次信任") && msg.contains(&fingerprint(&k)),
                "{msg}"
            );
        }
        other => panic!("held expected, got {other:?}"),
    }
    match with(Origin::Roster) {
        Vouch::Refused(msg) => assert!(msg.contains("已不在办公室名册中"), "{msg}"),
        other => panic!("refused expected, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The lifecycle guard where each event falls: walk, fold, check_additions
// ---------------------------------------------------------------------------------------------

mod lifecycle_walk {
    use crate::domain::lifecycle::{Misplaced, Stage, Step, check_additions, fold, walk};
    use crate::domain::{FiveFixes, Hazard, HazardEvent, HazardEventKind, HazardGrade};
    use crate::domain::{HazardSource, Supervision};
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};
    use uuid::Uuid;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, day, hour, 0, 0)
            .single()
            .expect("time")
    }

    fn day(s: &str) -> NaiveDate {
        crate::domain::time::parse_day(s).expect("day")
    }

    fn fixes(deadline: &str) -> FiveFixes {
        FiveFixes {
            responsible_person: "王五".into(),
            measures: "更换防爆灯具".into(),
            funds: "0.3万元".into(),
            deadline: day(deadline),
            emergency_plan: "停用该区域".into(),
        }
    }

    fn hazard() -> Hazard {
        Hazard {
            enterprise_id: Uuid::nil(),
            inspection_id: None,
            item_code: Some("E12".into()),
            grade: HazardGrade::Major,
            source: HazardSource::Inspection,
            description: "粉尘区使用非防爆灯具".into(),
            location: "抛光车间".into(),
            basis: String::new(),
            found_at: at(1, 0),
            rectify_immediately: false,
            fixes: Some(fixes("2024-03-31")),
            supervision: Some(Supervision {
                tracking_person: "李建山".into(),
            }),
            anonymous_report: false,
            assigning_document: None,
        }
    }

    fn registered() -> HazardEvent {
        HazardEvent {
            hazard_id: Uuid::nil(),
            kind: HazardEventKind::Registered,
            occurred_at: at(1, 0),
            payload: serde_json::json!({}),
            note: String::new(),
        }
    }

    fn ev(step: &Step, when: DateTime<Utc>) -> HazardEvent {
        HazardEvent {
            hazard_id: Uuid::nil(),
            kind: step.kind(),
            occurred_at: when,
            payload: step.payload(),
            note: String::new(),
        }
    }

    fn rectify(deadline: Option<&str>) -> Step {
        Step::Rectify {
            fixes: deadline.map(fixes),
        }
    }

    fn verify(passed: bool) -> Step {
        Step::Verify {
            passed,
            by: "张建国".into(),
            new_deadline: None,
            case_opened: false,
        }
    }

    fn close() -> Step {
        Step::CloseOut {
            signer: "王县长".into(),
            signed_at: at(9, 0),
            signer_id: None,
        }
    }

    /// (index, stage before, step kind, in effect) for each event.
    type Visit = (usize, Stage, Option<HazardEventKind>, bool);

    fn visits(events: &[HazardEvent]) -> (Vec<Visit>, crate::domain::lifecycle::Status) {
        let mut seen = Vec::new();
        let status = walk(&hazard(), events, |i, s, step, effect| {
            seen.push((i, s.stage, step.map(Step::kind), effect));
        });
        (seen, status)
    }

    #[test]
    fn a_step_the_guard_refuses_is_kept_without_effect() {
        use HazardEventKind as K;
        use Stage::*;
        let events = vec![
            registered(),
            ev(&rectify(None), at(2, 0)),
            // A close-out before any verification (a forged or early one).
            ev(&close(), at(3, 0)),
            ev(&Step::ReportRectified, at(4, 0)),
            // Verified twice: the second is refused.
            ev(&verify(true), at(5, 0)),
            ev(&verify(true), at(5, 1)),
            ev(&close(), at(9, 0)),
            // After the close-out nothing but a number or a correction.
            ev(&rectify(Some("2024-04-30")), at(10, 0)),
            ev(
                &Step::Number {
                    number: "城关-2024-03-001".into(),
                },
                at(10, 1),
            ),
        ];
        let (seen, status) = visits(&events);
        assert_eq!(
            seen,
            vec![
                (0, Registered, None, true),
                (1, Registered, Some(K::Rectifying), true),
                (2, Rectifying, Some(K::ClosedOut), false),
                (3, Rectifying, Some(K::RectificationReported), true),
                (4, RectificationReported, Some(K::Verified), true),
                (5, Verified, Some(K::Verified), false),
                (6, Verified, Some(K::ClosedOut), true),
                (7, ClosedOut, Some(K::Rectifying), false),
                (8, ClosedOut, Some(K::Numbered), true),
            ]
        );
        assert_eq!(status.stage, ClosedOut);
        assert_eq!(status.closed_by, Some(("王县长".into(), at(9, 0))));
        assert_eq!(status.deadline, Some(day("2024-03-31")), "refused rectify");
        assert_eq!(status.number.as_deref(), Some("城关-2024-03-001"));
        assert_eq!(fold(&hazard(), &events), status);
    }

    #[test]
    fn a_close_out_before_verification_is_not_in_effect() {
        let events = vec![
            registered(),
            ev(&rectify(None), at(2, 0)),
            ev(&close(), at(3, 0)),
        ];
        let s = fold(&hazard(), &events);
        assert_eq!(s.stage, Stage::Rectifying);
        assert_eq!(s.closed_by, None);
        // Also straight after 登记.
        let s = fold(&hazard(), &[registered(), ev(&close(), at(3, 0))]);
        assert_eq!(s.stage, Stage::Registered);
        assert_eq!(s.closed_by, None);
    }

    #[test]
    fn a_listing_the_hazard_proposed_becomes_one_by_its_own_step() {
        let s = fold(&hazard(), &[registered()]);
        assert_eq!(s.tracking_person, None);
        let list = Step::ListForSupervision {
            tracking_person: "李建山".into(),
        };
        let s = fold(&hazard(), &[registered(), ev(&list, at(2, 0))]);
        assert_eq!(s.tracking_person.as_deref(), Some("李建山"));
        // On a general hazard the listing is refused and stays without effect.
        let general = Step::Correct {
            field: "grade".into(),
            value: "一般".into(),
        };
        let s = fold(
            &hazard(),
            &[registered(), ev(&general, at(2, 0)), ev(&list, at(3, 0))],
        );
        assert_eq!(s.grade, HazardGrade::General);
        assert_eq!(s.tracking_person, None);
    }

    #[test]
    fn an_event_whose_kind_and_payload_disagree_or_cannot_be_read_changes_nothing() {
        let mut mislabelled = ev(&rectify(None), at(2, 0));
        mislabelled.kind = HazardEventKind::ClosedOut;
        let mut unreadable = ev(&rectify(None), at(3, 0));
        unreadable.payload = serde_json::json!({"step": "teleport"});
        let mut missing = ev(&Step::ReportRectified, at(4, 0));
        missing.payload = serde_json::Value::Null;
        let events = vec![registered(), mislabelled, unreadable, missing];
        let (seen, status) = visits(&events);
        assert_eq!(
            seen,
            vec![
                (0, Stage::Registered, None, true),
                (
                    1,
                    Stage::Registered,
                    Some(HazardEventKind::Rectifying),
                    false
                ),
                (2, Stage::Registered, None, false),
                (3, Stage::Registered, None, false),
            ]
        );
        assert_eq!(status.stage, Stage::Registered);
    }

    fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
        if items.len() <= 1 {
            return vec![items.to_vec()];
        }
        let mut out = Vec::new();
        for i in 0..items.len() {
            let mut rest = items.to_vec();
            let first = rest.remove(i);
            for mut p in permutations(&rest) {
                p.insert(0, first.clone());
                out.push(p);
            }
        }
        out
    }

    /// Fold order: by occurrence time, ties by id.
    fn in_fold_order(mut events: Vec<(Uuid, HazardEvent)>) -> Vec<HazardEvent> {
        events.sort_by_key(|(id, e)| (e.occurred_at, *id));
        events.into_iter().map(|(_, e)| e).collect()
    }

    #[test]
    fn events_from_several_laptops_fold_the_same_in_every_arrival_order() {
        let id = Uuid::from_u128;
        let list = Step::ListForSupervision {
            tracking_person: "李建山".into(),
        };
        // Laptops A and B both start the rectification at the same minute, with other fixes.
        let a_rectify = (id(0x20), ev(&rectify(Some("2024-04-10")), at(2, 9)));
        let b_rectify = (id(0x21), ev(&rectify(Some("2024-04-20")), at(2, 9)));
        let events = vec![
            (id(0x10), registered()),
            a_rectify.clone(),
            b_rectify.clone(),
            (id(0x30), ev(&list, at(3, 0))),
            (id(0x22), ev(&Step::ReportRectified, at(5, 0))),
            (id(0x40), ev(&verify(true), at(6, 0))),
            (id(0x50), ev(&close(), at(9, 0))),
        ];
        let reference = fold(&hazard(), &in_fold_order(events.clone()));
        assert_eq!(reference.stage, Stage::ClosedOut);
        assert_eq!(
            reference.deadline,
            Some(day("2024-04-10")),
            "A's id sorts first"
        );
        assert_eq!(reference.tracking_person.as_deref(), Some("李建山"));
        let mut orders = 0;
        for arrival in permutations(&events) {
            assert_eq!(fold(&hazard(), &in_fold_order(arrival)), reference);
            orders += 1;
        }
        assert_eq!(orders, 5040);

        // B's step sorting first (a smaller id) makes B's fixes the ones in effect.
        let mut swapped = events.clone();
        swapped[2].0 = id(0x1f);
        let s = fold(&hazard(), &in_fold_order(swapped));
        assert_eq!(s.deadline, Some(day("2024-04-20")));
        assert_eq!(s.stage, Stage::ClosedOut);
    }

    fn refs(events: &[HazardEvent]) -> Vec<&HazardEvent> {
        events.iter().collect()
    }

    #[test]
    fn a_new_event_that_takes_no_effect_is_refused_with_its_index_and_reason() {
        let events = vec![
            registered(),
            ev(&rectify(None), at(2, 0)),
            ev(&close(), at(3, 0)),
        ];
        assert_eq!(
            check_additions(&hazard(), &refs(&events), &[false, false, true]),
            Err(Misplaced {
                index: 2,
                reason: "没有验收，不能销号（先复查验收）".into()
            })
        );

        // A transfer after the report, arriving late.
        let events = vec![
            registered(),
            ev(&rectify(None), at(2, 0)),
            ev(&Step::ReportRectified, at(3, 0)),
            ev(
                &Step::Transfer {
                    to_unit: "能源股".into(),
                },
                at(4, 0),
            ),
        ];
        assert_eq!(
            check_additions(&hazard(), &refs(&events), &[false, false, false, true]),
            Err(Misplaced {
                index: 3,
                reason: "隐患已在“待验收”阶段，不能再移交".into()
            })
        );

        // An unreadable payload.
        let mut bad = ev(&Step::ReportRectified, at(3, 0));
        bad.payload = serde_json::json!({"step": "report_done"});
        let events = vec![registered(), ev(&rectify(None), at(2, 0)), bad];
        assert_eq!(
            check_additions(&hazard(), &refs(&events), &[false, false, true]),
            Err(Misplaced {
                index: 2,
                reason: "办理内容无法识别或与记录类型不符".into()
            })
        );
    }

    #[test]
    fn a_new_event_whose_kind_and_payload_disagree_is_refused_with_a_reason() {
        // A 待验收 payload filed as 已验收: the guard would allow 待验收 here.
        let mut bad = ev(&Step::ReportRectified, at(3, 0));
        bad.kind = HazardEventKind::Verified;
        let events = vec![registered(), ev(&rectify(None), at(2, 0)), bad];
        assert_eq!(
            check_additions(&hazard(), &refs(&events), &[false, false, true]),
            Err(Misplaced {
                index: 2,
                reason: "办理内容与记录类型不符".into()
            })
        );
    }

    #[test]
    fn two_laptops_both_rectifying_from_registered_converge_in_either_order() {
        let a = ev(&rectify(Some("2024-04-10")), at(2, 9));
        let b = ev(&rectify(Some("2024-04-20")), at(3, 9));

        // A arrived first; B, dated later, arrives: the same step, it simply has no effect.
        let events = vec![registered(), a.clone(), b.clone()];
        assert_eq!(
            check_additions(&hazard(), &refs(&events), &[false, false, true]),
            Ok(())
        );
        // B arrived first; A, dated earlier, arrives: A takes effect, B becomes the duplicate.
        assert_eq!(
            check_additions(&hazard(), &refs(&events), &[false, true, false]),
            Ok(())
        );
        // Either way the hazard is where A put it.
        let folded = fold(&hazard(), refs(&events));
        assert_eq!(
            folded.deadline.map(|d| d.to_string()).as_deref(),
            Some("2024-04-10")
        );
        // A second 登记 is never in effect, whoever sends it.
        let events = vec![registered(), a.clone(), registered()];
        let err = check_additions(&hazard(), &refs(&events), &[false, false, true])
            .expect_err("a second 登记");
        assert_eq!(err.reason, "登记只能是隐患的第一条办理记录");

        // Each alone is fine.
        for one in [&a, &b] {
            let events = vec![registered(), one.clone()];
            assert_eq!(
                check_additions(&hazard(), &refs(&events), &[false, true]),
                Ok(())
            );
        }
    }

    #[test]
    fn a_new_event_that_takes_away_an_existing_ones_effect_is_refused() {
        // A correction to 一般, dated before an existing 挂牌督办, would void the listing.
        let list = Step::ListForSupervision {
            tracking_person: "李建山".into(),
        };
        let general = Step::Correct {
            field: "grade".into(),
            value: "一般".into(),
        };
        let events = vec![registered(), ev(&general, at(2, 0)), ev(&list, at(3, 0))];
        let err = check_additions(&hazard(), &refs(&events), &[false, true, false])
            .expect_err("listing would lose its effect");
        assert_eq!(err.index, 2);
        assert!(
            err.reason.contains("只有重大事故隐患才挂牌督办"),
            "{}",
            err.reason
        );

        // A failed verification slipped in before the existing close-out.
        let events = vec![
            registered(),
            ev(&rectify(None), at(2, 0)),
            ev(&Step::ReportRectified, at(3, 0)),
            ev(&verify(false), at(4, 0)),
            ev(&verify(true), at(5, 0)),
            ev(&close(), at(6, 0)),
        ];
        let err = check_additions(
            &hazard(),
            &refs(&events),
            &[false, false, false, true, false, false],
        )
        .expect_err("the passed verification would lose its effect");
        assert_eq!(err.index, 4);
        assert!(
            err.reason.starts_with("会使已有的一条办理记录失效"),
            "{}",
            err.reason
        );
    }

    #[test]
    fn a_valid_continuation_is_accepted() {
        let events = vec![
            registered(),
            ev(&rectify(None), at(2, 0)),
            ev(&Step::ReportRectified, at(3, 0)),
            ev(&verify(true), at(4, 0)),
            ev(&close(), at(5, 0)),
            ev(
                &Step::Number {
                    number: "城关-2024-03-001".into(),
                },
                at(6, 0),
            ),
        ];
        let r = refs(&events);
        // One step, several steps at once, and a whole hazard arriving in one bundle.
        for new in [
            vec![false, false, true, false, false, false],
            vec![false, false, false, false, false, true],
            vec![false, false, true, true, true, true],
            vec![true; 6],
        ] {
            assert_eq!(check_additions(&hazard(), &r, &new), Ok(()), "new: {new:?}");
        }
        // An earlier compatible step slipped in: 移交 before the rectification.
        let transfer = ev(
            &Step::Transfer {
                to_unit: "能源股".into(),
            },
            at(1, 12),
        );
        let mut with_transfer = events.clone();
        with_transfer.insert(1, transfer);
        let mut new = vec![false; with_transfer.len()];
        new[1] = true;
        assert_eq!(
            check_additions(&hazard(), &refs(&with_transfer), &new),
            Ok(())
        );
    }

    #[test]
    fn an_existing_event_already_without_effect_does_not_block_additions() {
        // A stray close-out (without effect) is in the history; a rectification arrives.
        let events = vec![
            registered(),
            ev(&rectify(None), at(2, 0)),
            ev(&close(), at(3, 0)),
        ];
        assert_eq!(
            check_additions(&hazard(), &refs(&events), &[false, true, false]),
            Ok(())
        );
        assert_eq!(fold(&hazard(), &events).stage, Stage::Rectifying);
    }
}
