//! The enterprise register: versions of an enterprise are not signed one by one; the bundle's
//! exporter vouches for them. The latest version by (updated_at, replica_id) is current and
//! every other is kept as history, whatever order they arrive in.

use super::super::kinds;
use super::super::rows::{self, Object, sql_value};
use super::Applier;
use super::facts::{differs, text};
use crate::domain::trust::{Action, Actor, KeyStanding, authorize};
use crate::storage::{Result, StoreError};
use rusqlite::{OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;

impl Applier<'_> {
    pub(super) fn enterprise(&mut self, object: Object) -> Result<()> {
        let kind = &kinds::ENTERPRISES;
        let id = text(&object, "id");
        let Some(local) = rows::existing(self.tx, kind, &id)? else {
            self.may_change_register(&object)?;
            let code = text(&object, "credit_code");
            let other: Option<String> = self
                .tx
                .query_row(
                    "SELECT name FROM enterprises WHERE credit_code = ?1",
                    [&code],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(name) = other {
                return Err(StoreError::Invalid(format!(
                    "统一社会信用代码 {code} 在本机属于另一条企业记录（{name}，编号不同）：同一企业在两台电脑上各自登记过，\
                     为免一家企业成为两份记录，整个数据包不予导入。企业应先在办公室登记，随台账发到各台电脑后再去检查"
                )));
            }
            rows::insert(self.tx, kind.table, kind.columns, &object)?;
            *self.report.added.entry(kind.name).or_default() += 1;
            self.report.new_enterprises.push(text(&object, "name"));
            return Ok(());
        };
        if local == object {
            self.report.unchanged += 1;
            return Ok(());
        }
        let version = |o: &Object| (text(o, "updated_at"), text(o, "replica_id"));
        let (incoming, current) = (version(&object), version(&local));
        if incoming == current {
            return Err(differs(&local, &object));
        }
        self.may_change_register(&object)?;
        if incoming > current {
            let sets: Vec<String> = kind.columns[1..]
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", i + 2))
                .collect();
            let mut values = vec![Value::String(id.clone())];
            values.extend(kind.columns[1..].iter().map(|c| object[*c].clone()));
            self.tx.execute(
                &format!("UPDATE enterprises SET {} WHERE id = ?1", sets.join(", ")),
                rusqlite::params_from_iter(values.iter().map(sql_value)),
            )?;
            self.report.enterprises_updated += 1;
            return Ok(());
        }
        // Older than ours: kept as history, once, in the form the update trigger writes.
        let kept: bool = self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM enterprise_revisions WHERE enterprise_id = ?1
                 AND json_extract(old_row, '$.updated_at') = ?2
                 AND json_extract(old_row, '$.replica_id') = ?3)",
            params![id, incoming.0, incoming.1],
            |r| r.get(0),
        )?;
        if !kept {
            let pairs: Vec<String> = kind
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| format!("'{c}', ?{}", i + 3))
                .collect();
            let mut values = vec![Value::String(id.clone()), Value::String(current.0)];
            values.extend(kind.columns.iter().map(|c| object[*c].clone()));
            self.tx.execute(
                &format!(
                    "INSERT INTO enterprise_revisions (enterprise_id, replaced_at, old_row)
                     VALUES (?1, ?2, json_object({}))",
                    pairs.join(", ")
                ),
                rusqlite::params_from_iter(values.iter().map(sql_value)),
            )?;
            self.report.enterprise_versions_kept += 1;
        }
        Ok(())
    }

    /// A version of the register that changes something here: with a roster, the bundle's
    /// exporter must be enrolled and may edit enterprises (versions are not signed one by one;
    /// the exporter's signed manifest vouches for them).
    fn may_change_register(&mut self, object: &Object) -> Result<()> {
        if self.roster.is_none() {
            return Ok(());
        }
        let exporter_id = self.options.exporter_id.clone();
        let trusted_here = self.trusted_here(&exporter_id)?;
        let Some(roster) = self.roster.as_ref() else {
            return Ok(());
        };
        let exporter = Uuid::parse_str(&exporter_id).unwrap_or_default();
        let name = super::facts::inspector_name(self.tx, &exporter_id);
        let person = match roster.standing(&self.options.exporter_key, exporter) {
            KeyStanding::Enrolled(p) => Some(p),
            // Like its other records: held for the clerk, neither applied nor dropped.
            KeyStanding::Revoked(p, _) => {
                return Err(StoreError::Held(format!(
                    "企业“{}”由 {} 已吊销的公钥导出的数据包带来，留待办公室复核",
                    text(object, "name"),
                    p.name
                )));
            }
            _ if trusted_here => None,
            _ => {
                return Err(StoreError::Invalid(format!(
                    "企业“{}”由导出人 {name} 带来，但其公钥不在办公室名册中（或已吊销）：企业名册只接受名册中人员的修改",
                    text(object, "name")
                )));
            }
        };
        let actor = Actor {
            inspector_id: exporter,
            person,
            name: &name,
        };
        authorize(&self.permissions, Some(roster), &actor, &Action::Enterprise)
            .map_err(StoreError::Invalid)
    }

    /// The exporter's key was made here or taken knowingly (`--trust-new-keys`).
    fn trusted_here(&mut self, inspector: &str) -> Result<bool> {
        let key = self.options.exporter_key.clone();
        Ok(self
            .recorded_key(inspector)?
            .is_some_and(|(k, origin)| k == key && (origin == "own" || origin == "trusted")))
    }
}
