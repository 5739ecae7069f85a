//! The roster's entries: what the office states, in the order it states it, and their signed
//! form — each entry's canonical text, signed by the anchor in force and naming the hash of the
//! entry before. Also how keys and certificate numbers are shown and compared by people.

use super::roles::Role;
use super::roster::Roster;
use crate::identity::key_file::KeyFile;
use crate::identity::{hex, keys};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// One statement of the office, in the order it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// 1, 2, 3…: the place in the chain.
    pub seq: u64,
    /// SHA-256 (hex) of the previous entry's signed text; empty for the first.
    pub prev: String,
    /// The office (the first entry's id for the whole chain).
    pub office: Uuid,
    /// When the office made it (fixed-width RFC 3339 UTC, as record times).
    pub made_at: String,
    pub body: Body,
}

/// What an entry states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Body {
    /// The first entry: the office's anchor key, signed by itself.
    Anchor {
        public_key: String,
        office_name: String,
    },
    /// A new anchor key, signed by the old one (every later entry is signed by the new one).
    Rotate { public_key: String },
    /// A person as the office knows them now (the whole record, replacing the last one).
    Person {
        person_id: Uuid,
        name: String,
        cert_no: String,
        group_code: Option<String>,
        roles: Vec<Role>,
        /// `false` when the person left: no role is granted any more.
        active: bool,
    },
    /// A key of a person: the public half of the key file `inspector_id` on their laptop.
    Key {
        person_id: Uuid,
        inspector_id: Uuid,
        public_key: String,
    },
    /// A key withdrawn (a stolen laptop, a person who left). Records it signed that the office
    /// had already received are listed in `accepted`: they stay good everywhere; anything else
    /// it signed is held for a clerk's review.
    Revoke {
        public_key: String,
        accepted: Vec<Uuid>,
    },
    /// Records of a revoked key that a clerk reviewed and accepted.
    Release {
        public_key: String,
        records: Vec<Uuid>,
    },
    /// A laptop's own series of document numbers: `prefix` goes before the number.
    Device { replica_id: Uuid, prefix: String },
}

impl Body {
    /// The entry enrolling, for `person_id`, the key of a file `paicha keys --export` wrote,
    /// with the words that tell the clerk which key it was ("，公钥指纹 …（来自 … 的电脑）").
    pub fn key_from_file(person_id: Uuid, file: KeyFile) -> (Body, String) {
        let note = format!(
            "，公钥指纹 {}（来自 {} 的电脑）",
            fingerprint(&file.public_key),
            file.name
        );
        let body = Body::Key {
            person_id,
            inspector_id: file.inspector_id,
            public_key: file.public_key,
        };
        (body, note)
    }

    /// What the entry does, in Chinese, for listings.
    pub fn describe(&self, roster: Option<&Roster>) -> String {
        let who = |id: &Uuid| {
            roster
                .and_then(|r| r.people.get(id))
                .map_or_else(|| id.to_string(), |p| p.name.clone())
        };
        match self {
            Body::Anchor {
                public_key,
                office_name,
            } => format!(
                "建立名册：{office_name}，锚定公钥指纹 {}",
                fingerprint(public_key)
            ),
            Body::Rotate { public_key } => {
                format!("更换办公室锚定公钥，新指纹 {}", fingerprint(public_key))
            }
            Body::Person {
                name,
                cert_no,
                group_code,
                roles,
                active,
                ..
            } => {
                format!(
                    "{}人员 {name}（执法证号 {}，{}）角色：{}",
                    if *active { "登记" } else { "停用" },
                    if cert_no.is_empty() { "无" } else { cert_no },
                    group_code.as_deref().unwrap_or("未分组"),
                    super::roles::listed(roles)
                )
            }
            Body::Key {
                person_id,
                public_key,
                ..
            } => format!(
                "为 {} 登记公钥，指纹 {}",
                who(person_id),
                fingerprint(public_key)
            ),
            Body::Revoke {
                public_key,
                accepted,
            } => format!(
                "吊销公钥 {}（此前已收到的 {} 条记录仍有效）",
                fingerprint(public_key),
                accepted.len()
            ),
            Body::Release {
                public_key,
                records,
            } => format!(
                "复核后接受已吊销公钥 {} 签名的 {} 条记录",
                fingerprint(public_key),
                records.len()
            ),
            Body::Device { replica_id, prefix } => {
                format!("设备 {replica_id} 的文书编号前缀：{prefix}")
            }
        }
    }
}

/// An entry with the anchor's signature of its canonical text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedEntry {
    pub entry: Entry,
    /// The signed bytes: the entry as JSON, members in key order, no whitespace.
    pub text: String,
    /// The anchor key that signed it (hex).
    pub public_key: String,
    pub signature: String,
}

impl SignedEntry {
    /// Signs `entry` with the anchor's private key.
    pub fn sign(entry: Entry, anchor: &ed25519_dalek::SigningKey) -> SignedEntry {
        let text = canonical(&entry);
        SignedEntry {
            public_key: keys::public_hex(anchor),
            signature: keys::sign_hex(anchor, text.as_bytes()),
            entry,
            text,
        }
    }

    /// Reads an entry from its signed text and signature (as stored or as a bundle carries it).
    pub fn parse(text: &str, public_key: &str, signature: &str) -> Result<SignedEntry, String> {
        let entry: Entry = serde_json::from_str(text)
            .map_err(|e| format!("名册条目无法读取：{}", json_reason(&e)))?;
        Ok(SignedEntry {
            entry,
            text: text.to_string(),
            public_key: public_key.to_string(),
            signature: signature.to_string(),
        })
    }

    /// SHA-256 of the signed text: what the next entry names as `prev`.
    pub fn hash(&self) -> String {
        hex::encode(&Sha256::digest(self.text.as_bytes()))
    }
}

/// The canonical text of an entry: JSON with members in key order and no whitespace.
pub fn canonical(entry: &Entry) -> String {
    serde_json::to_value(entry)
        .map(|v| v.to_string())
        .unwrap_or_default()
}

/// A public key's fingerprint for people to compare aloud: the first 16 bytes of the SHA-256
/// of the key, as eight groups of four upper-case hex digits.
pub fn fingerprint(public_key: &str) -> String {
    let digest = match hex::decode::<32>(public_key) {
        Some(bytes) => Sha256::digest(bytes),
        None => Sha256::digest(public_key.as_bytes()),
    };
    let hex = hex::encode(&digest[..16]).to_uppercase();
    hex.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `text` is the same fingerprint as `expected` (spaces, dashes and case ignored).
pub fn fingerprint_matches(text: &str, public_key: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_hexdigit())
            .map(|c| c.to_ascii_uppercase())
            .collect::<String>()
    };
    let given = norm(text);
    !given.is_empty() && given == norm(&fingerprint(public_key))
}

/// A 执法证号 as compared: spaces dropped, full-width forms folded to ASCII, letters upper-case,
/// so one number cannot pass for another by its spelling.
pub fn cert_key(cert_no: &str) -> String {
    cert_no
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// serde_json's complaint, in Chinese and without its English text.
fn json_reason(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof => format!("不是有效的 JSON（第 {} 列附近）", e.column()),
        Category::Data => "字段缺失、多余或类型不对".to_string(),
        Category::Io => "读取失败".to_string(),
    }
}
