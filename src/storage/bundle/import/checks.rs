//! The checks of a line that look beyond its own shape: references to other records (now, or
//! once the whole bundle is in) and times that may not lie in the future.

use super::super::kinds::{self, Kind};
use super::super::rows::Object;
use super::{Applier, facts};
use crate::storage::{Result, StoreError};
use rusqlite::params;
use serde_json::Value;
use uuid::Uuid;

impl Applier<'_> {
    /// No record may claim a time (its own, its id's) beyond the receiver's clock plus a
    /// day's skew: a far-future date would otherwise pin its place in every fold for ever.
    pub(super) fn check_not_future(&self, object: &Object) -> Result<()> {
        for (field, value) in object {
            let Value::String(v) = value else { continue };
            // Record times have one fixed-width UTC spelling (checked with the line's shape):
            // they compare as text, no parse per field.
            if field.ends_with("_at") && v.as_str() > self.latest_text.as_str() {
                return Err(StoreError::Invalid(format!(
                    "字段 {field} 的时间 {v} 晚于导入时间一天以上：记录不能是将来的"
                )));
            }
            // Days of decisions and activities (not deadlines, which are in the future).
            if field.ends_with("_on") && v.as_str() > self.latest_day.as_str() {
                return Err(StoreError::Invalid(format!(
                    "字段 {field} 的日期 {v} 晚于导入当天：决定或活动不能是将来的"
                )));
            }
        }
        // A close-out's date of signature, inside its payload.
        if let Some(Value::String(payload)) = object.get("payload")
            && payload.contains("signed_at")
            && let Ok(Value::Object(p)) = serde_json::from_str::<Value>(payload)
            && let Some(Value::String(at)) = p.get("signed_at")
            && chrono::DateTime::parse_from_rfc3339(at).is_ok_and(|t| t.to_utc() > self.latest)
        {
            return Err(StoreError::Invalid(format!(
                "字段 payload 中签字时间 {at} 晚于导入时间一天以上：签字不能是将来的"
            )));
        }
        if let Some(Value::String(id)) = object.get("id")
            && let Ok(id) = Uuid::parse_str(id)
            && let Some(stamp) = id.get_timestamp()
        {
            let (secs, nanos) = stamp.to_unix();
            if let Some(t) = chrono::DateTime::from_timestamp(secs as i64, nanos)
                && t > self.latest
            {
                return Err(StoreError::Invalid(
                    "记录编号（UUIDv7）所含时间晚于导入时间一天以上：记录不能是将来的".into(),
                ));
            }
        }
        Ok(())
    }

    pub(super) fn check_refs(&mut self, kind: &Kind, line: u64, object: &Object) -> Result<()> {
        let child = matches!(kind.name, "answers" | "evidence" | "exams");
        for (column, table) in kind.refs {
            let Some(Value::String(parent)) = object.get(*column) else {
                continue;
            };
            // A child's inspection is checked by `child` (it must arrive with it).
            if child && *column == "inspection_id" {
                continue;
            }
            // An inspector is its own author; a follow-up names a hazard that comes later in
            // the bundle: both are checked when the whole bundle is in.
            let deferred = (kind.name == kinds::INSPECTORS.name && *column == "author_id")
                || *column == "follow_up_of";
            if deferred {
                if object.get("id").and_then(Value::as_str) != Some(parent.as_str()) {
                    self.tx
                        .prepare_cached("INSERT INTO temp.import_refs VALUES (?1, ?2, ?3, ?4, ?5)")?
                        .execute(params![kind.name, line as i64, column, table, parent])?;
                }
                continue;
            }
            let small = *table == "inspectors" || *table == "enterprises";
            if small && self.known.contains(parent) {
                continue;
            }
            if facts::exists(self.tx, table, parent)? {
                if small {
                    self.known.insert(parent.clone());
                }
            } else {
                return Err(StoreError::Invalid(format!(
                    "{column} 引用的{}“{parent}”在数据包和本机数据中都不存在",
                    facts::table_label(table)
                )));
            }
        }
        Ok(())
    }

    /// References that could name a record later in the bundle, now that all of it is in.
    pub(super) fn check_deferred_refs(&self) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare("SELECT kind, line, column_name, target, id FROM temp.import_refs")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (kind, line, column, target, id): (String, i64, String, String, String) = (
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            );
            let table: &'static str = match target.as_str() {
                "hazards" => "hazards",
                _ => "inspectors",
            };
            if !facts::exists(self.tx, table, &id)? {
                return Err(StoreError::Invalid(format!(
                    "records/{kind}.jsonl 第{line}行：{column} 引用的{}“{id}”在数据包和本机数据中都不存在",
                    facts::table_label(table)
                )));
            }
        }
        Ok(())
    }
}
