//! Records as JSON objects, column by column: TEXT as a string, INTEGER as a number, NULL as
//! null. The same object is what a bundle line holds and what a signature's canonical form
//! is built from, so a record read back after import is byte-for-byte what was exported.

use super::kinds::Kind;
use crate::storage::{Result, StoreError};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, Row, ToSql};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

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
pub fn insert(
    conn: &Connection,
    table: &'static str,
    columns: &'static [&'static str],
    object: &Object,
) -> Result<()> {
    insert_led(conn, table, &[], &[], columns, object)
}

/// Inserts a row whose first columns (`lead`) take `lead_values` and the rest `object`'s
/// values of `columns` (a nested record under its parent's id).
pub fn insert_led(
    conn: &Connection,
    table: &'static str,
    lead: &'static [&'static str],
    lead_values: &[&str],
    columns: &'static [&'static str],
    object: &Object,
) -> Result<()> {
    execute_insert(conn, (table, lead, columns, false), lead_values, object)?;
    Ok(())
}

/// Inserts `object` unless a row with the same key (or another unique value) is there:
/// `true` when inserted.
pub fn insert_new(
    conn: &Connection,
    table: &'static str,
    columns: &'static [&'static str],
    object: &Object,
) -> Result<bool> {
    insert_new_led(conn, table, &[], &[], columns, object)
}

/// [`insert_new`] with leading columns, as in [`insert_led`].
pub fn insert_new_led(
    conn: &Connection,
    table: &'static str,
    lead: &'static [&'static str],
    lead_values: &[&str],
    columns: &'static [&'static str],
    object: &Object,
) -> Result<bool> {
    Ok(execute_insert(conn, (table, lead, columns, true), lead_values, object)? == 1)
}

/// Which insert: table, leading columns, object columns, whether a conflict is ignored.
type InsertShape = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    bool,
);

thread_local! {
    /// Each insert statement's text, made once: an import runs one per record.
    static INSERT_SQL: RefCell<HashMap<InsertShape, Rc<str>>> = RefCell::new(HashMap::new());
}

fn insert_sql(shape: InsertShape) -> Rc<str> {
    INSERT_SQL.with(|cache| {
        cache
            .borrow_mut()
            .entry(shape)
            .or_insert_with(|| {
                let (table, lead, columns, ignore) = shape;
                let names: Vec<&str> = lead.iter().chain(columns).copied().collect();
                let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
                format!(
                    "INSERT INTO {table} ({}) VALUES ({}){}",
                    names.join(", "),
                    marks.join(", "),
                    if ignore {
                        " ON CONFLICT DO NOTHING"
                    } else {
                        ""
                    }
                )
                .into()
            })
            .clone()
    })
}

fn execute_insert(
    conn: &Connection,
    shape: InsertShape,
    lead_values: &[&str],
    object: &Object,
) -> Result<usize> {
    debug_assert_eq!(shape.1.len(), lead_values.len());
    let sql = insert_sql(shape);
    let mut stmt = conn.prepare_cached(&sql)?;
    for (i, value) in lead_values.iter().enumerate() {
        stmt.raw_bind_parameter(i + 1, *value)?;
    }
    for (i, column) in shape.2.iter().enumerate() {
        stmt.raw_bind_parameter(
            lead_values.len() + i + 1,
            Bind(object.get(*column).unwrap_or(&NULL)),
        )?;
    }
    Ok(stmt.raw_execute()?)
}

static NULL: Value = Value::Null;

/// A JSON value bound as the SQL value stored for it, without copying its text.
struct Bind<'a>(&'a Value);

impl ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self.0 {
            Value::String(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Number(n) => n
                .as_i64()
                .map_or(ToSqlOutput::Borrowed(ValueRef::Null), |i| {
                    ToSqlOutput::Owned(rusqlite::types::Value::Integer(i))
                }),
            Value::Bool(b) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*b as i64)),
            _ => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
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
        && !plainly_canonical_time(text)
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

/// Whether `text` is a time in the one spelling (`2023-09-05T01:30:00.000000000Z`) with a
/// real date and an ordinary second — every time paicha writes. Checked byte by byte: a
/// bundle holds two per record. (Anything else goes the slow way, which decides.)
fn plainly_canonical_time(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 30 {
        return false;
    }
    let digits = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let punctuation = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
    ];
    if b[29] != b'Z' || punctuation.iter().any(|&(i, c)| b[i] != c) || digits(20, 29).is_none() {
        return false;
    }
    match (
        digits(0, 4),
        digits(5, 7),
        digits(8, 10),
        digits(11, 13),
        digits(14, 16),
        digits(17, 19),
    ) {
        (Some(y), Some(m), Some(d), Some(h), Some(min), Some(s)) => {
            h < 24
                && min < 60
                && s < 60
                && chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some()
        }
        _ => false,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-wise check accepts only what the full parse-and-reprint check accepts.
    #[test]
    fn the_fast_time_check_agrees_with_the_full_one() {
        let full = |t: &str| {
            chrono::DateTime::parse_from_rfc3339(t)
                .map(|p| crate::storage::sql::ts(p.to_utc()) == t)
                .unwrap_or(false)
        };
        for t in [
            "2023-09-05T01:30:00.000000000Z",
            "2024-02-29T23:59:59.999999999Z",
            "2023-02-29T01:30:00.000000000Z",
            "2023-13-05T01:30:00.000000000Z",
            "2023-09-05T24:00:00.000000000Z",
            "2023-09-05T01:60:00.000000000Z",
            "2023-09-05T01:30:00.000000000+08:00",
            "2023-09-05 01:30:00.000000000Z",
            "2023-09-05T01:30:00.00000000xZ",
            "2023-09-05T01:30:00Z",
            "２023-09-05T01:30:00.000000000Z",
        ] {
            if plainly_canonical_time(t) {
                assert!(full(t), "{t} accepted by the fast check only");
            }
        }
        assert!(plainly_canonical_time("2024-02-29T23:59:59.999999999Z"));
        assert!(!plainly_canonical_time("2023-02-29T01:30:00.000000000Z"));
        assert!(
            check_value(
                "answers",
                "created_at",
                &Value::from("2023-09-05T01:30:00Z")
            )
            .is_err()
        );
        assert!(
            check_value(
                "answers",
                "created_at",
                &Value::from("2023-09-05T01:30:00.000000000Z")
            )
            .is_ok()
        );
    }
}
