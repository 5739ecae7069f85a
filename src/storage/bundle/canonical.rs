//! The canonical form of a finalized inspection: what its inspectors sign at finalization and
//! what an importer recomputes from the records it received to check those signatures.
//! A JSON object with keys in code-point order and no spaces, over the records that are frozen
//! with the inspection: the inspection, its inspectors, its item snapshots, answers, evidence
//! and exam records. Hazards and enforcement actions are records of their own (they may follow
//! later), each with its author. Written straight from the rows (no intermediate maps): an
//! import recomputes it for every inspection it receives.

use super::kinds::{ANSWERS, EVIDENCE, EXAMS, INSPECTIONS, ITEM_COLUMNS, Kind};
use crate::storage::{Result, StoreError};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::fmt::Write as _;

/// Names the rules the text below follows; a new rule set gets a new name.
pub const FORM: &str = "paicha-inspection/1";

pub fn inspection(conn: &Connection, id: &str) -> Result<String> {
    Ok(inspection_form(conn, id)?.text)
}

/// The canonical text, with who may sign it: the inspectors on it and its author.
pub struct Form {
    pub text: String,
    pub signers: Vec<String>,
}

/// The largest canonical form of one inspection paicha builds (it is held in memory whole to
/// be signed and verified).
pub const MAX_FORM_BYTES: usize = 16 << 20;

pub fn inspection_form(conn: &Connection, id: &str) -> Result<Form> {
    let mut out = String::with_capacity(16 * 1024);
    out.push_str("{\"answers\":");
    children(conn, &mut out, &ANSWERS, id)?;
    out.push_str(",\"evidence\":");
    children(conn, &mut out, &EVIDENCE, id)?;
    out.push_str(",\"exams\":");
    children(conn, &mut out, &EXAMS, id)?;
    out.push_str(",\"form\":");
    string(&mut out, FORM);
    out.push_str(",\"inspection\":");
    let found = objects(
        conn,
        &mut out,
        INSPECTIONS.columns,
        INSPECTIONS.table,
        "WHERE id = ?1",
        id,
        false,
    )?;
    if found == 0 {
        return Err(StoreError::NotFound(format!("检查记录 {id}")));
    }
    let author: String = conn
        .prepare_cached("SELECT author_id FROM inspections WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    out.push_str(",\"inspectors\":[");
    let mut signers = super::rows::inspectors_of(conn, id)?;
    for (i, inspector) in signers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(&mut out, inspector);
    }
    out.push_str("],\"items\":");
    objects(
        conn,
        &mut out,
        ITEM_COLUMNS,
        "inspection_items",
        "WHERE inspection_id = ?1 ORDER BY position",
        id,
        true,
    )?;
    out.push('}');
    signers.push(author);
    Ok(Form { text: out, signers })
}

fn children(conn: &Connection, out: &mut String, kind: &'static Kind, id: &str) -> Result<()> {
    objects(
        conn,
        out,
        kind.columns,
        kind.table,
        "WHERE inspection_id = ?1 ORDER BY id",
        id,
        true,
    )
    .map(|_| ())
}

/// A query's text with its columns in key order, made once per query (five run per
/// inspection).
type Query = std::rc::Rc<(String, Vec<&'static str>)>;

fn select_sorted(
    table: &'static str,
    columns: &'static [&'static str],
    tail: &'static str,
) -> Query {
    thread_local! {
        static SQL: std::cell::RefCell<
            std::collections::HashMap<(&'static str, &'static str), Query>,
        > = Default::default();
    }
    SQL.with(|cache| {
        cache
            .borrow_mut()
            .entry((table, tail))
            .or_insert_with(|| {
                let mut sorted = columns.to_vec();
                sorted.sort_unstable();
                let sql = format!("SELECT {} FROM {table} {tail}", sorted.join(", "));
                std::rc::Rc::new((sql, sorted))
            })
            .clone()
    })
}

/// Writes the selected rows as JSON objects with their members in key order (as an array when
/// `array`, else the single row). Returns the number of rows.
fn objects(
    conn: &Connection,
    out: &mut String,
    columns: &'static [&'static str],
    table: &'static str,
    tail: &'static str,
    id: &str,
    array: bool,
) -> Result<usize> {
    let query = select_sorted(table, columns, tail);
    let (sql, sorted) = &*query;
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([id])?;
    let mut n = 0;
    if array {
        out.push('[');
    }
    while let Some(row) = rows.next()? {
        if n > 0 {
            out.push(',');
        }
        out.push('{');
        let mut first = true;
        for (i, column) in sorted.iter().enumerate() {
            let value = row.get_ref(i)?;
            // A later column without a value is absent (kinds::LATER), as in a bundle line.
            if value == ValueRef::Null && super::kinds::is_later(table, column) {
                continue;
            }
            if !first {
                out.push(',');
            }
            first = false;
            string(out, column);
            out.push(':');
            match value {
                ValueRef::Null => out.push_str("null"),
                ValueRef::Integer(v) => {
                    let _ = write!(out, "{v}");
                }
                ValueRef::Real(v) => {
                    let _ = write!(out, "{v}");
                }
                ValueRef::Text(t) => string(out, &String::from_utf8_lossy(t)),
                ValueRef::Blob(_) => out.push_str("null"),
            }
        }
        out.push('}');
        // An inspection is a visit's record: megabytes at most. A forged one with millions of
        // answers is refused before its form fills memory.
        if out.len() > MAX_FORM_BYTES {
            return Err(StoreError::Invalid(format!(
                "检查记录 {id} 的内容超过 {} MiB 的上限，不是一次检查能有的记录量，整个数据包不予导入",
                MAX_FORM_BYTES >> 20
            )));
        }
        n += 1;
    }
    if array {
        out.push(']');
    }
    Ok(n)
}

/// A JSON string as serde_json writes it (escapes only what JSON requires: `"`, `\\`, and
/// control characters, with the short forms for \b \f \n \r \t).
fn string(out: &mut String, text: &str) {
    out.push('"');
    let mut plain_from = 0;
    for (i, c) in text.char_indices() {
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        out.push_str(&text[plain_from..i]);
        if escaped.is_empty() {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push_str(escaped);
        }
        plain_from = i + c.len_utf8();
    }
    out.push_str(&text[plain_from..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written serializer gives exactly what serde_json gives for the same object
    /// with sorted keys (the documented definition).
    #[test]
    fn the_direct_text_equals_serde_json_over_sorted_maps() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch(
            "CREATE TABLE inspections (id TEXT, created_at TEXT, updated_at TEXT, author_id TEXT,
                 replica_id TEXT, enterprise_id TEXT, mode TEXT, arrival_at TEXT, templates TEXT,
                 status TEXT, finalized_at TEXT, follow_up_of TEXT, departed_at TEXT);
             CREATE TABLE inspection_inspectors (inspection_id TEXT, position INTEGER,
                 inspector_id TEXT);
             CREATE TABLE inspection_items (inspection_id TEXT, position INTEGER, code TEXT,
                 template_id TEXT, template_version INTEGER, section TEXT, question TEXT,
                 basis TEXT);
             CREATE TABLE answers (id TEXT, created_at TEXT, updated_at TEXT, author_id TEXT,
                 replica_id TEXT, inspection_id TEXT, item_code TEXT, result TEXT, note TEXT);
             CREATE TABLE evidence_records (id TEXT, created_at TEXT, updated_at TEXT,
                 author_id TEXT, replica_id TEXT, inspection_id TEXT, kind TEXT,
                 form_version INTEGER, field_values TEXT);
             CREATE TABLE exam_records (id TEXT, created_at TEXT, updated_at TEXT,
                 author_id TEXT, replica_id TEXT, inspection_id TEXT, examinee_name TEXT,
                 examinee_role TEXT, questions TEXT);
             INSERT INTO inspections VALUES ('i', 'c', 'u', 'a', 'r', 'e', 'unannounced', 't',
                 '[]', 'finalized', 'f', NULL, NULL);
             INSERT INTO inspection_inspectors VALUES ('i', 0, 'a'), ('i', 1, 'b');
             INSERT INTO inspection_items VALUES ('i', 0, 'E1', 'duties', 1, '任务三',
                 '是否“持证”？', 'x\\y');
             INSERT INTO answers VALUES ('2', 'c', 'u', 'a', 'r', 'i', 'E1', 'non_compliant',
                 '焊工无证\n\"引号\"\t' || char(1));
             INSERT INTO answers VALUES ('1', 'c', 'u', 'a', 'r', 'i', 'E2', 'compliant', '');
             INSERT INTO evidence_records VALUES ('3', 'c', 'u', 'a', 'r', 'i', 'hot_work', 2,
                 '{\"a\":1}');",
        )
        .expect("rows");
        let form = inspection_form(&conn, "i").expect("form");
        let rows = |sql: &str| -> Vec<serde_json::Value> {
            let mut stmt = conn.prepare(sql).expect("prepare");
            let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
            stmt.query_map([], |r| {
                let mut m = serde_json::Map::new();
                for (i, n) in names.iter().enumerate() {
                    let v = match r.get_ref(i)? {
                        ValueRef::Null => serde_json::Value::Null,
                        ValueRef::Integer(x) => x.into(),
                        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                        _ => serde_json::Value::Null,
                    };
                    m.insert(n.clone(), v);
                }
                Ok(serde_json::Value::Object(m))
            })
            .expect("query")
            .map(|r| r.expect("row"))
            .collect()
        };
        let expected = serde_json::json!({
            "form": FORM,
            "inspection": rows("SELECT * FROM inspections")[0],
            "inspectors": ["a", "b"],
            "items": rows("SELECT position, code, template_id, template_version, section,
                           question, basis FROM inspection_items ORDER BY position"),
            "answers": rows("SELECT * FROM answers ORDER BY id"),
            "evidence": rows("SELECT * FROM evidence_records ORDER BY id"),
            "exams": rows("SELECT * FROM exam_records ORDER BY id"),
        })
        .to_string();
        // A departure not recorded (an inspection finalized before paicha asked for it) is
        // absent from the form, which therefore reads as it was signed then.
        let expected = expected.replace(",\"departed_at\":null", "");
        assert_eq!(form.text, expected);
        assert_eq!(form.signers, vec!["a", "b", "a"]);
        conn.execute("UPDATE inspections SET departed_at = 'd'", [])
            .expect("depart");
        let form = inspection_form(&conn, "i").expect("form");
        assert!(
            form.text.contains(",\"departed_at\":\"d\","),
            "{}",
            form.text
        );
    }
}
