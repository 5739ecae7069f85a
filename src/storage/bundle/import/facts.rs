//! Small look-ups and message pieces the import's modules share.

use super::super::kinds;
use super::super::rows::Object;
use crate::storage::{Result, StoreError};
use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;
use std::collections::BTreeSet;

pub(super) fn exists(conn: &Connection, table: &'static str, id: &str) -> Result<bool> {
    thread_local! {
        /// The existence query per table, made once (one runs for most records).
        static SQL: std::cell::RefCell<std::collections::HashMap<&'static str, std::rc::Rc<str>>> =
            Default::default();
    }
    let sql = SQL.with(|cache| {
        cache
            .borrow_mut()
            .entry(table)
            .or_insert_with(|| {
                let key = if table == "inspector_keys" {
                    "inspector_id"
                } else {
                    "id"
                };
                format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE {key} = ?1)").into()
            })
            .clone()
    });
    Ok(conn.prepare_cached(&sql)?.query_row([id], |r| r.get(0))?)
}

/// The key recorded for `inspector` and how it came to be trusted.
pub(super) fn recorded_key(conn: &Connection, inspector: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT public_key, origin FROM inspector_keys WHERE inspector_id = ?1")?
        .query_row([inspector], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub(super) fn table_label(table: &str) -> &'static str {
    kinds::ALL
        .iter()
        .find(|k| k.table == table)
        .map_or("记录", |k| k.label)
}

/// "name（id）" for messages, or the id alone when the inspector is unknown.
pub(super) fn inspector_name(conn: &Connection, id: &str) -> String {
    conn.query_row("SELECT name FROM inspectors WHERE id = ?1", [id], |r| {
        r.get::<_, String>(0)
    })
    .map(|name| format!("{name}（{id}）"))
    .unwrap_or_else(|_| id.to_string())
}

pub(super) fn text(object: &Object, key: &str) -> String {
    object
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

pub(super) fn take_array(object: &mut Object, key: &str) -> Result<Vec<Value>> {
    match object.remove(key) {
        Some(Value::Array(a)) => Ok(a),
        _ => Err(StoreError::Invalid(format!("字段“{key}”应为列表"))),
    }
}

/// A nested object with exactly `columns`, each of the right shape.
pub(super) fn nested(value: Value, columns: &[&str], what: &str) -> Result<Object> {
    let Value::Object(o) = value else {
        return Err(StoreError::Invalid(format!("{what} 的每一项应为对象")));
    };
    super::super::rows::check_nested(what, &o, columns).map_err(StoreError::Invalid)?;
    Ok(o)
}

pub(super) fn differs(local: &Object, incoming: &Object) -> StoreError {
    let fields: Vec<&str> = local
        .keys()
        .chain(incoming.keys())
        .filter(|k| local.get(*k) != incoming.get(*k))
        .map(String::as_str)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    StoreError::Invalid(format!(
        "与本机已有的同一编号记录内容不同（{}）：可能被篡改或出错，整个数据包不予导入",
        fields.join("、")
    ))
}

/// An error's message without a wrapper's prefix.
pub(super) fn plain(e: &StoreError) -> String {
    match e {
        StoreError::Invalid(text) | StoreError::Held(text) => text.clone(),
        other => other.to_string(),
    }
}
