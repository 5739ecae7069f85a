//! Reading evidence values by field key, leniently: a missing or malformed value reads as
//! absent (forms validate at entry; rules must not panic on old or odd data).

use crate::domain::FieldValue;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::BTreeMap;

pub type Values = BTreeMap<String, FieldValue>;

pub fn text<'a>(values: &'a Values, key: &str) -> Option<&'a str> {
    match values.get(key) {
        Some(FieldValue::Text(t)) if !t.trim().is_empty() => Some(t.trim()),
        _ => None,
    }
}

pub fn date(values: &Values, key: &str) -> Option<NaiveDate> {
    text(values, key).and_then(crate::domain::time::parse_day)
}

pub fn datetime(values: &Values, key: &str) -> Option<NaiveDateTime> {
    text(values, key).and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M").ok())
}

pub fn flag(values: &Values, key: &str) -> Option<bool> {
    match values.get(key) {
        Some(FieldValue::Bool(b)) => Some(*b),
        _ => None,
    }
}

/// How a record is named in a reason: the first of `keys` that has a value.
pub fn label(values: &Values, keys: &[&str], fallback: &str) -> String {
    keys.iter()
        .find_map(|k| text(values, k))
        .map(str::to_string)
        .unwrap_or_else(|| fallback.to_string())
}
