//! Records as JSON objects, column by column: TEXT as a string, INTEGER as a number, NULL as
//! null. The same object is what a bundle line holds and what a signature's canonical form
//! is built from, so a record read back after import is byte-for-byte what was exported.

use super::kinds::Kind;
use crate::storage::{Result, StoreError};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row, ToSql};
use serde_json::{Map, Value};

pub type Object = Map<String, Value>;

/// The listed columns of `row` (selected in that order) as an object.
pub fn object(row: &Row, columns: &[&str]) -> rusqlite::Result<Object> {
    let mut out = Map::new();
    for (i, name) in columns.iter().enumerate() {
        let value = match row.get_ref(i)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(n) => Value::from(n),
            ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Real(x) => Value::from(x),
            ValueRef::Blob(_) => {
                return Err(rusqlite::Error::InvalidColumnType(
                    i,
                    (*name).to_string(),
                    rusqlite::types::Type::Blob,
                ));
            }
        };
        out.insert((*name).to_string(), value);
    }
    Ok(out)
}

/// `SELECT <columns> FROM <table> <tail>`, each row as an object, streamed to `each`.
pub fn for_each(
    conn: &Connection,
    columns: &[&str],
    table: &str,
    tail: &str,
    params: &[&dyn ToSql],
    mut each: impl FnMut(Object) -> Result<()>,
) -> Result<()> {
    let sql = format!("SELECT {} FROM {table} {tail}", columns.join(", "));
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params)?;
    while let Some(row) = rows.next()? {
        each(object(row, columns)?)?;
    }
    Ok(())
}

/// Every row of `SELECT <columns> FROM <table> <tail>` as objects.
pub fn all(
    conn: &Connection,
    columns: &[&str],
    table: &str,
    tail: &str,
    params: &[&dyn ToSql],
) -> Result<Vec<Object>> {
    let mut out = Vec::new();
    for_each(conn, columns, table, tail, params, |o| {
        out.push(o);
        Ok(())
    })?;
    Ok(out)
}

/// An inspection's inspectors, in order (the first leads).
pub fn inspectors_of(conn: &Connection, inspection: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT inspector_id FROM inspection_inspectors WHERE inspection_id = ?1
         ORDER BY position",
    )?;
    let list = stmt
        .query_map([inspection], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(list)
}

/// The record of `kind` with this id, as stored.
pub fn existing(conn: &Connection, kind: &Kind, id: &str) -> Result<Option<Object>> {
    let key = kind.columns[0];
    Ok(all(
        conn,
        kind.columns,
        kind.table,
        &format!("WHERE {key} = ?1"),
        &[&id],
    )?
    .into_iter()
    .next())
}

/// Inserts `object`'s listed columns into `table`.
pub fn insert(conn: &Connection, table: &str, columns: &[&str], object: &Object) -> Result<()> {
    execute_insert(conn, table, columns, object, "")?;
    Ok(())
}

/// Inserts `object` unless a row with the same key (or another unique value) is there:
/// `true` when inserted.
pub fn insert_new(
    conn: &Connection,
    table: &str,
    columns: &[&str],
    object: &Object,
) -> Result<bool> {
    Ok(execute_insert(conn, table, columns, object, "ON CONFLICT DO NOTHING")? == 1)
}

fn execute_insert(
    conn: &Connection,
    table: &str,
    columns: &[&str],
    object: &Object,
    tail: &str,
) -> Result<usize> {
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({}) {tail}",
        columns.join(", "),
        marks.join(", ")
    );
    let values: Vec<rusqlite::types::Value> = columns
        .iter()
        .map(|c| sql_value(object.get(*c).unwrap_or(&Value::Null)))
        .collect();
    Ok(conn
        .prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(values))?)
}

/// A JSON value as the SQL value stored for it.
pub fn sql_value(v: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sql;
    match v {
        Value::String(s) => Sql::Text(s.clone()),
        Value::Number(n) => n.as_i64().map_or(Sql::Null, Sql::Integer),
        Value::Bool(b) => Sql::Integer(*b as i64),
        _ => Sql::Null,
    }
}

/// Checks that `object` has exactly the kind's columns (plus `extra` keys) with values of the
/// right shape: ids are UUIDs, `*_at` times RFC 3339, days `YYYY-MM-DD`, JSON-text columns
/// valid JSON, integers integers. The reason names the field, in Chinese.
pub fn check_shape(
    kind: &Kind,
    object: &Object,
    extra: &[&str],
) -> std::result::Result<(), String> {
    for key in object.keys() {
        if !kind.columns.contains(&key.as_str()) && !extra.contains(&key.as_str()) {
            return Err(format!("多出未知字段“{key}”"));
        }
    }
    for column in kind.columns {
        let Some(value) = object.get(*column) else {
            return Err(format!("缺少字段“{column}”"));
        };
        check_value(kind.table, column, value).map_err(|why| format!("字段“{column}”{why}"))?;
    }
    Ok(())
}

/// Checks a nested object (an inspection's item snapshots and signatures) has exactly
/// `columns`, each of the right shape.
pub fn check_nested(
    what: &str,
    object: &Object,
    columns: &[&str],
) -> std::result::Result<(), String> {
    for key in object.keys() {
        if !columns.contains(&key.as_str()) {
            return Err(format!("{what} 多出未知字段“{key}”"));
        }
    }
    for column in columns {
        let value = object
            .get(*column)
            .ok_or_else(|| format!("{what} 缺少字段“{column}”"))?;
        if value.is_null() {
            return Err(format!("{what} 的字段“{column}”不能为空"));
        }
        check_value(what, column, value).map_err(|why| format!("{what} 的字段“{column}”{why}"))?;
    }
    Ok(())
}

/// Columns whose text is itself JSON.
const JSON_TEXT: &[&str] = &[
    "templates",
    "field_values",
    "questions",
    "payload",
    "fixes",
    "supervision",
];

/// Columns holding whole numbers (the rest are text).
const INTEGERS: &[&str] = &[
    "position",
    "template_version",
    "form_version",
    "rectify_immediately",
    "anonymous_report",
    "amount_fen",
    "persons",
    "dangerous_operation_crime",
    "count",
    "anonymous",
];

fn check_value(table: &str, column: &str, value: &Value) -> std::result::Result<(), String> {
    if value.is_null() {
        return Ok(()); // NOT NULL is the schema's to enforce, with the record named
    }
    if INTEGERS.contains(&column) {
        return match value.as_i64() {
            Some(_) => Ok(()),
            None => Err("应为整数".into()),
        };
    }
    let Some(text) = value.as_str() else {
        return Err("应为文本".into());
    };
    // Record ids are UUIDs; a template's id is its configured name (e.g. `duties`).
    let is_id = (column == "id"
        || column.ends_with("_id")
        || column == "corrects"
        || column == "follow_up_of")
        && column != "template_id";
    if is_id && uuid::Uuid::parse_str(text).is_err() {
        return Err(format!("不是有效的编号（UUID）：{text}"));
    }
    // One spelling per instant (UTC, nine fraction digits, Z): times are compared as text.
    if column.ends_with("_at")
        && chrono::DateTime::parse_from_rfc3339(text)
            .map(|t| crate::storage::sql::ts(t.to_utc()) != text)
            .unwrap_or(true)
    {
        return Err(format!(
            "不是规定格式的 UTC 时间（如 2023-09-05T01:30:00.000000000Z）：{text}"
        ));
    }
    check_code(table, column, text)?;
    if (column.ends_with("_on") || column == "deadline")
        && crate::domain::time::parse_day(text).is_none()
    {
        return Err(format!("不是 YYYY-MM-DD 日期：{text}"));
    }
    if JSON_TEXT.contains(&column) && serde_json::from_str::<Value>(text).is_err() {
        return Err("不是有效的 JSON 文本".into());
    }
    if column == "public_key" && crate::identity::hex::decode::<32>(text).is_none() {
        return Err("不是 64 位十六进制公钥".into());
    }
    Ok(())
}

/// A closed-vocabulary column must hold one of its codes (a record is never deleted: an
/// unknown code let in would break every later read of its table).
fn check_code(table: &str, column: &str, text: &str) -> std::result::Result<(), String> {
    use crate::domain::*;
    fn one<T: Copy>(
        text: &str,
        parse: fn(&str) -> std::result::Result<T, crate::domain::code_enum::UnknownCode>,
        code: fn(T) -> &'static str,
    ) -> std::result::Result<(), String> {
        match parse(text) {
            Ok(v) if code(v) == text => Ok(()),
            Ok(v) => Err(format!("应写作代码“{}”，不是“{text}”", code(v))),
            Err(e) => Err(e.to_string()),
        }
    }
    match (table, column) {
        ("inspections", "mode") => one(text, InspectionMode::parse, InspectionMode::code),
        ("inspections", "status") => one(text, InspectionStatus::parse, InspectionStatus::code),
        ("answers", "result") => one(text, AnswerResult::parse, AnswerResult::code),
        ("evidence_records", "kind") => one(text, EvidenceKind::parse, EvidenceKind::code),
        ("hazards", "grade") => one(text, HazardGrade::parse, HazardGrade::code),
        ("hazards", "source") => one(text, HazardSource::parse, HazardSource::code),
        ("hazard_events", "kind") => one(text, HazardEventKind::parse, HazardEventKind::code),
        ("enforcement_actions", "kind") => one(text, EnforcementKind::parse, EnforcementKind::code),
        ("activities", "kind") => one(text, ActivityKind::parse, ActivityKind::code),
        ("activities", "level") => one(text, ActivityLevel::parse, ActivityLevel::code),
        ("enterprises", "risk_level") => one(text, RiskLevel::parse, RiskLevel::code),
        _ => Ok(()),
    }
}

/// A StoreError for a record that cannot be taken, naming its kind and id.
pub fn refused(kind: &Kind, id: &str, why: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("{}（{}）{id}：{why}", kind.label, kind.name))
}
