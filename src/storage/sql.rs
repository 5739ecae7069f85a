//! Conversions between domain values and SQLite columns.

use crate::domain::RecordMeta;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::Row;
use rusqlite::types::Type;
use std::str::FromStr;
use uuid::Uuid;

/// Times are stored as fixed-width RFC 3339 UTC text, so text order is time order.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn conversion(col: &str, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    let _ = col;
    rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(e))
}

pub fn get_uuid(row: &Row, col: &str) -> rusqlite::Result<Uuid> {
    let s: String = row.get(col)?;
    Uuid::parse_str(&s).map_err(|e| conversion(col, e))
}

pub fn get_opt_uuid(row: &Row, col: &str) -> rusqlite::Result<Option<Uuid>> {
    let s: Option<String> = row.get(col)?;
    s.map(|s| Uuid::parse_str(&s).map_err(|e| conversion(col, e)))
        .transpose()
}

pub fn get_time(row: &Row, col: &str) -> rusqlite::Result<DateTime<Utc>> {
    let s: String = row.get(col)?;
    DateTime::parse_from_rfc3339(&s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| conversion(col, e))
}

pub fn get_opt_time(row: &Row, col: &str) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let s: Option<String> = row.get(col)?;
    s.map(|s| {
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| conversion(col, e))
    })
    .transpose()
}

pub fn get_date(row: &Row, col: &str) -> rusqlite::Result<NaiveDate> {
    let s: String = row.get(col)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| conversion(col, e))
}

/// A closed-vocabulary value stored by its code.
pub fn get_code<T>(row: &Row, col: &str) -> rusqlite::Result<T>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let s: String = row.get(col)?;
    s.parse().map_err(|e| conversion(col, e))
}

pub fn get_opt_code<T>(row: &Row, col: &str) -> rusqlite::Result<Option<T>>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let s: Option<String> = row.get(col)?;
    s.map(|s| s.parse().map_err(|e| conversion(col, e)))
        .transpose()
}

/// A JSON column.
pub fn get_json<T: serde::de::DeserializeOwned>(row: &Row, col: &str) -> rusqlite::Result<T> {
    let s: String = row.get(col)?;
    serde_json::from_str(&s).map_err(|e| conversion(col, e))
}

pub fn get_opt_json<T: serde::de::DeserializeOwned>(
    row: &Row,
    col: &str,
) -> rusqlite::Result<Option<T>> {
    let s: Option<String> = row.get(col)?;
    s.map(|s| serde_json::from_str(&s).map_err(|e| conversion(col, e)))
        .transpose()
}

/// The five provenance columns every record table starts with.
pub const META_COLUMNS: &str = "id, created_at, updated_at, author_id, replica_id";

pub fn get_meta(row: &Row) -> rusqlite::Result<RecordMeta> {
    Ok(RecordMeta {
        id: get_uuid(row, "id")?,
        created_at: get_time(row, "created_at")?,
        updated_at: get_time(row, "updated_at")?,
        author_id: get_uuid(row, "author_id")?,
        replica_id: get_uuid(row, "replica_id")?,
    })
}

/// The provenance values, in `META_COLUMNS` order.
pub fn meta_values(m: &RecordMeta) -> [String; 5] {
    [
        m.id.to_string(),
        ts(m.created_at),
        ts(m.updated_at),
        m.author_id.to_string(),
        m.replica_id.to_string(),
    ]
}

/// Runs a query and maps every row.
pub fn query_all<T, P: rusqlite::Params>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: P,
    map: fn(&Row) -> rusqlite::Result<T>,
) -> super::Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, map)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Runs a query and maps the first row, if there is one.
pub fn query_first<T, P: rusqlite::Params>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: P,
    map: fn(&Row) -> rusqlite::Result<T>,
) -> super::Result<Option<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query_map(params, map)?;
    Ok(rows.next().transpose()?)
}
