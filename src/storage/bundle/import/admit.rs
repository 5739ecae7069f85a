//! The roster and the keys a bundle brings: roster entries extend the chain this database
//! trusts (the first time only with the office's fingerprint, read at the office), and each
//! key is decided by `domain::trust::admission`.

use super::super::rows::Object;
use super::Applier;
use super::facts::{self, text};
use crate::domain::trust::Entry;
use crate::domain::trust::admission::{self, KeyDecision, KeyFacts, KeyPolicy};
use crate::domain::trust::roster::{Roster, SignedEntry, canonical, cert_key, fingerprint_matches};
use crate::storage::roster as stored;
use crate::storage::{Result, StoreError};
use rusqlite::{OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;

impl Applier<'_> {
    /// One line of `records/roster.jsonl`: an entry with the anchor's signature.
    pub(super) fn roster_line(&mut self, mut object: Object) -> Result<()> {
        let Some(Value::Object(signature)) = object.remove("signature") else {
            return Err(StoreError::Invalid(
                "名册条目缺少办公室签名（signature）".into(),
            ));
        };
        super::super::rows::check_nested("signature", &signature, &["public_key", "signature"])
            .map_err(StoreError::Invalid)?;
        let entry: Entry = serde_json::from_value(Value::Object(object)).map_err(|_| {
            StoreError::Invalid(
                "名册条目的字段不对（应恰好有 seq、prev、office、made_at、body）".into(),
            )
        })?;
        let signed = SignedEntry {
            text: canonical(&entry),
            public_key: text(&signature, "public_key"),
            signature: text(&signature, "signature"),
            entry,
        };
        let seq = signed.entry.seq;
        match &mut self.roster {
            Some(_) if seq == 1 && self.options.retrust => {
                // A new anchor, trusted by its fingerprint: a new chain; the old one stays.
                let first =
                    Roster::start(&signed).map_err(|e| StoreError::Invalid(e.to_string()))?;
                if stored::stored_entry(self.tx, 1)?
                    == Some((signed.text.clone(), signed.signature.clone()))
                {
                    return Ok(());
                }
                let given = self.options.office_fingerprint.as_deref().unwrap_or("");
                if !fingerprint_matches(given, &first.genesis_key) {
                    return Err(StoreError::UnknownOffice {
                        office: first.office_name.clone(),
                        fingerprint: first.fingerprint(),
                    });
                }
                let chain = stored::current_chain(self.tx)? + 1;
                stored::insert(self.tx, chain, &signed, self.now_time())?;
                self.roster = Some(first);
                self.report.roster_entries += 1;
                Ok(())
            }
            Some(roster) if seq <= roster.len => {
                let here = stored::stored_entry(self.tx, seq)?;
                if seq == 1 && here != Some((signed.text.clone(), signed.signature.clone())) {
                    let other = Roster::start(&signed)
                        .map(|r| format!("“{}”（指纹 {}）", r.office_name, r.fingerprint()))
                        .unwrap_or_else(|_| "另一个办公室".into());
                    return Err(StoreError::Invalid(format!(
                        "数据包的人员名册来自{other}，不是本机信任的“{}”（指纹 {}）。\
                         如确因办公室锚定密钥丢失而重建了名册，请与办公室当面核对新指纹后用 \
                         paicha import --retrust --office-fingerprint \"新指纹\" 导入",
                        roster.office_name,
                        roster.fingerprint()
                    )));
                }
                if here != Some((signed.text.clone(), signed.signature.clone())) {
                    return Err(StoreError::Invalid(format!(
                        "名册第 {seq} 条与本机已有的不同：不是本机信任的办公室签发的名册，或被篡改"
                    )));
                }
                Ok(())
            }
            Some(roster) => {
                roster
                    .extend(&signed)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                let chain = stored::current_chain(self.tx)?;
                stored::insert(self.tx, chain, &signed, self.now_time())?;
                self.report.roster_entries += 1;
                Ok(())
            }
            None => {
                let first =
                    Roster::start(&signed).map_err(|e| StoreError::Invalid(e.to_string()))?;
                let given = self.options.office_fingerprint.as_deref().unwrap_or("");
                if !fingerprint_matches(given, &first.genesis_key) {
                    return Err(StoreError::UnknownOffice {
                        office: first.office_name.clone(),
                        fingerprint: first.fingerprint(),
                    });
                }
                stored::insert(self.tx, 1, &signed, self.now_time())?;
                self.roster = Some(first);
                self.report.roster_entries += 1;
                Ok(())
            }
        }
    }

    /// One line of `records/keys.jsonl`.
    pub(super) fn key(&mut self, object: Object) -> Result<()> {
        let inspector = text(&object, "inspector_id");
        let public = text(&object, "public_key");
        if !crate::identity::keys::valid_public_key(&public) {
            return Err(StoreError::Invalid(
                "public_key 不是有效的 ed25519 公钥（应为 64 位小写十六进制，且不是弱密钥）".into(),
            ));
        }
        let inspector_id = Uuid::parse_str(&inspector)
            .map_err(|_| StoreError::Invalid("inspector_id 不是有效的编号".into()))?;
        let recorded = self.recorded_key(&inspector)?;
        let who = facts::inspector_name(self.tx, &inspector);
        let holder = self.same_cert_holder(&inspector)?;
        let facts = KeyFacts {
            inspector_id,
            public_key: &public,
            who: &who,
            recorded: recorded.as_ref().map(|(k, _)| k.as_str()),
            known_before: !self.arrived.contains(&inspector),
            same_cert_holder: holder.as_deref(),
        };
        let policy = KeyPolicy {
            strict: self.options.strict,
            trust_new_keys: self.options.trust_new_keys,
        };
        match admission::decide_key(self.roster.as_ref(), &facts, policy) {
            KeyDecision::Known => {
                self.report.unchanged += 1;
                Ok(())
            }
            KeyDecision::Refuse(reason) => Err(StoreError::Invalid(reason)),
            KeyDecision::Record(origin) => {
                self.tx.execute(
                    "INSERT INTO inspector_keys
                         (inspector_id, public_key, origin, recorded_at, first_bundle)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        inspector,
                        public,
                        origin.code(),
                        self.now,
                        self.options.sha256
                    ],
                )?;
                self.key_cache.insert(
                    inspector.clone(),
                    Some((public.clone(), origin.code().to_string())),
                );
                *self.report.added.entry("keys").or_default() += 1;
                let ground = match origin {
                    admission::Origin::Roster => "办公室名册已登记",
                    admission::Origin::Trusted => "按 --trust-new-keys 接受",
                    _ => "首次见到即信任（本机还没有办公室名册）",
                };
                self.report.new_keys.push(format!(
                    "{who}，公钥指纹 {}（{ground}）",
                    crate::domain::trust::roster::fingerprint(&public)
                ));
                Ok(())
            }
        }
    }

    /// Another inspector here with the same non-empty 执法证号 (however spelled: spaces,
    /// full-width digits) who holds a key: their name.
    fn same_cert_holder(&self, inspector: &str) -> Result<Option<String>> {
        let cert: Option<String> = self
            .tx
            .query_row(
                "SELECT cert_no FROM inspectors WHERE id = ?1",
                [inspector],
                |r| r.get(0),
            )
            .optional()?;
        let key = cert_key(cert.as_deref().unwrap_or(""));
        if key.is_empty() {
            return Ok(None);
        }
        let mut stmt = self.tx.prepare_cached(
            "SELECT i.name, i.cert_no FROM inspectors i
             JOIN inspector_keys k ON k.inspector_id = i.id
             WHERE i.id <> ?1 AND i.cert_no <> ''",
        )?;
        let holders = stmt.query_map([inspector], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for holder in holders {
            let (name, cert) = holder?;
            if cert_key(&cert) == key {
                return Ok(Some(name));
            }
        }
        Ok(None)
    }
}
