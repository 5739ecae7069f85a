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
        let mut o = object(row, columns)?;
        drop_absent(table, &mut o);
        each(o)?;
    }
    Ok(())
}

/// Removes the [`LATER`](super::kinds::LATER) columns of `table` that hold no value: absent is
/// how a record without them is written, signed and compared.
pub fn drop_absent(table: &str, object: &mut Object) {
    for (t, column) in super::kinds::LATER {
        if t == table && object.get(column).is_some_and(Value::is_null) {
            object.remove(column);
        }
    }
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
/// right shape: ids are lowercase hyphenated UUIDs, `*_at` times in their one spelling, days
/// real `YYYY-MM-DD` dates, JSON-text columns valid JSON, integers integers, keys and
/// signatures lowercase hex (keys usable ed25519 keys). The reason names the field, in Chinese.
pub fn check_shape(
    kind: &Kind,
    object: &Object,
    extra: &[&str],
) -> std::result::Result<(), String> {
    for key in object.keys() {
        if !kind.columns.contains(&key.as_str()) && !extra.contains(&key.as_str()) {
            return Err(format!("多出未知字段“{}”", shown(key)));
        }
    }
    for column in kind.columns {
        let Some(value) = object.get(*column) else {
            if super::kinds::is_later(kind.table, column) {
                continue; // added after format 2: absent means none
            }
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
            return Err(format!("{what} 多出未知字段“{}”", shown(key)));
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
    "content",
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
    "year",
    "seq",
    "size",
    "latitude_e7",
    "longitude_e7",
];

/// Values and member names one record line may hold. Its parsed form costs memory per node
/// (a line of `[[],[],…]` would cost about ten times its size): this keeps a line's parse to
/// a few megabytes whatever it holds. An inspection with 200 checklist items is about 3 000.
pub const LINE_NODES: usize = 100_000;

/// The same for the JSON text in one JSON-text field (a form's values, an exam's questions, an
/// event's payload: tens to hundreds of nodes).
pub const JSON_TEXT_NODES: usize = 10_000;

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
    // Ids are compared as text: one spelling (lowercase, hyphenated), as paicha writes them.
    if is_id && !is_uuid_text(text) {
        return Err(format!(
            "不是规定格式的编号（小写、带连字符的 UUID，如 0190a6e2-7c3b-7d4e-8f10-1a2b3c4d5e6f）：{}",
            shown(text)
        ));
    }
    // One spelling per instant (UTC, nine fraction digits, Z): times are compared as text.
    if column.ends_with("_at") && !is_record_time(text) {
        return Err(format!(
            "不是规定格式的 UTC 时间（如 2023-09-05T01:30:00.000000000Z，须为真实存在的时刻）：{}",
            shown(text)
        ));
    }
    check_code(table, column, text)?;
    if (column.ends_with("_on") || column == "deadline") && !is_day(text) {
        return Err(format!("不是 YYYY-MM-DD 格式的真实日期：{}", shown(text)));
    }
    if JSON_TEXT.contains(&column) {
        parse_json(text, JSON_TEXT_NODES).map_err(|p| p.describe("JSON 文本"))?;
    }
    if column == "public_key" {
        if let Some(why) = crate::identity::hex::problem::<32>(text) {
            return Err(why);
        }
        if !valid_key_cached(text) {
            return Err("不是可用的 ed25519 公钥（弱公钥或非规范编码），不予接受".into());
        }
    }
    if column == "signature"
        && let Some(why) = crate::identity::hex::problem::<64>(text)
    {
        return Err(why);
    }
    Ok(())
}

/// `keys::valid_public_key`, remembered: a bundle has few signers and a key on every signed
/// line, and checking one costs a point decompression.
fn valid_key_cached(text: &str) -> bool {
    thread_local! {
        static VALID: RefCell<std::collections::HashSet<String>> = RefCell::default();
    }
    if VALID.with(|v| v.borrow().contains(text)) {
        return true;
    }
    let valid = crate::identity::keys::valid_public_key(text);
    if valid {
        VALID.with(|v| {
            let mut v = v.borrow_mut();
            // Bounded: a forged bundle with a million keys only stops being cached.
            if v.len() < 4096 {
                v.insert(text.to_string());
            }
        });
    }
    valid
}

/// Whether `text` is a UUID as paicha writes it: 36 characters, lowercase hex, hyphenated.
pub fn is_uuid_text(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => matches!(c, b'0'..=b'9' | b'a'..=b'f'),
        })
}

/// Whether `text` is a record time in its one spelling, `2023-09-05T01:30:00.000000000Z`:
/// fixed width, UTC, and a real instant that formats back to the same text — a real date
/// (no 30 February), hours below 24 and seconds below 60 (no leap second `:60`, which chrono
/// would read and print back). Checked byte by byte: a bundle holds two per record.
pub fn is_record_time(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 30 {
        return false;
    }
    let punctuation = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'.'),
        (29, b'Z'),
    ];
    if punctuation.iter().any(|&(i, c)| b[i] != c) || digits(&b[20..29]).is_none() {
        return false;
    }
    match (
        digits(&b[0..4]),
        digits(&b[5..7]),
        digits(&b[8..10]),
        digits(&b[11..13]),
        digits(&b[14..16]),
        digits(&b[17..19]),
    ) {
        (Some(y), Some(m), Some(d), Some(h), Some(min), Some(s)) => {
            h < 24 && min < 60 && s < 60 && real_date(y, m, d)
        }
        _ => false,
    }
}

/// Whether `text` is a day in its one spelling, `YYYY-MM-DD`, and a real date.
pub fn is_day(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    match (digits(&b[0..4]), digits(&b[5..7]), digits(&b[8..10])) {
        (Some(y), Some(m), Some(d)) => real_date(y, m, d),
        _ => false,
    }
}

/// The number written by ASCII digits only.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

fn real_date(y: u32, m: u32, d: u32) -> bool {
    i32::try_from(y).is_ok_and(|y| chrono::NaiveDate::from_ymd_opt(y, m, d).is_some())
}

/// A closed-vocabulary column must hold one of its codes (a record is never deleted: an
/// unknown code let in would break every later read of its table).
fn check_code(table: &str, column: &str, text: &str) -> std::result::Result<(), String> {
    use crate::domain::attachment::{CaptureSource, PhotoRole, TargetKind};
    use crate::domain::*;
    fn one<T: Copy>(
        text: &str,
        parse: fn(&str) -> std::result::Result<T, crate::domain::code_enum::UnknownCode>,
        code: fn(T) -> &'static str,
    ) -> std::result::Result<(), String> {
        match parse(text) {
            Ok(v) if code(v) == text => Ok(()),
            Ok(v) => Err(format!("应写作代码“{}”，不是“{}”", code(v), shown(text))),
            Err(mut e) => {
                e.value = shown(&e.value);
                Err(e.to_string())
            }
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
        ("attachments", "target_kind") => one(text, TargetKind::parse, TargetKind::code),
        ("attachments", "role") => one(text, PhotoRole::parse, PhotoRole::code),
        ("attachments", "capture_source") => one(text, CaptureSource::parse, CaptureSource::code),
        _ => Ok(()),
    }
}

/// A value quoted in a refusal: at most 40 characters, control and direction-changing
/// characters shown as �, so a forged line can neither flood nor steer the terminal, the
/// TUI or the refusals log it is reported in.
pub fn shown(text: &str) -> String {
    const MAX: usize = 40;
    let mut out: String = text
        .chars()
        .take(MAX)
        .map(|c| {
            let steering = matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || steering { '\u{fffd}' } else { c }
        })
        .collect();
    if text.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out
}

/// Why a JSON text was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonProblem {
    /// Not JSON: where and why, in Chinese (`第 5 列附近：缺少引号`).
    Syntax(String),
    /// A member named twice in one object (readers differ on which one counts).
    Duplicate(String),
    /// More nodes than allowed.
    TooLarge(usize),
    /// Valid JSON, but not an object where one is expected.
    NotObject,
}

impl JsonProblem {
    /// The reason in Chinese; `what` names what was expected ("JSON", "JSON 文本").
    pub fn describe(&self, what: &str) -> String {
        match self {
            JsonProblem::Syntax(at) => format!("不是有效的 {what}（{at}）"),
            JsonProblem::Duplicate(key) => format!("成员“{key}”出现了两次"),
            JsonProblem::TooLarge(n) => format!("结构过于庞大（超过 {n} 个值）"),
            JsonProblem::NotObject => "应为一个 JSON 对象".to_string(),
        }
    }
}

/// Parses one JSON object strictly (see [`parse_json`]).
pub fn parse_object(text: &str, budget: usize) -> std::result::Result<Object, JsonProblem> {
    match parse_json(text, budget)? {
        Value::Object(o) => Ok(o),
        _ => Err(JsonProblem::NotObject),
    }
}

/// Parses JSON text strictly: at most `budget` values and member names (memory stays
/// proportional to the budget, not to the text's cleverness), no member named twice in an
/// object, nothing after the value. Nesting is limited by serde_json (128 levels).
pub fn parse_json(text: &str, budget: usize) -> std::result::Result<Value, JsonProblem> {
    use serde::de::DeserializeSeed;
    let left = std::cell::Cell::new(budget);
    let problem = std::cell::RefCell::new(None);
    let seed = Strict {
        left: &left,
        problem: &problem,
        budget,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    parsed.map_err(|e| {
        problem
            .borrow_mut()
            .take()
            .unwrap_or_else(|| JsonProblem::Syntax(json_error_at(&e)))
    })
}

/// Where and why serde_json refused a text, in Chinese: its own wording (English) is never
/// shown. `第 3 行第 5 列附近：缺少引号` (the line only when the text has several).
pub fn json_error_at(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let why = match e.classify() {
        Category::Eof => "内容意外结束（被截断，或缺少右括号、右引号）",
        Category::Io => "读取出错",
        Category::Syntax | Category::Data => syntax_reason(&e.to_string()),
    };
    if e.line() > 1 {
        format!("第 {} 行第 {} 列附近：{why}", e.line(), e.column())
    } else {
        format!("第 {} 列附近：{why}", e.column())
    }
}

/// serde_json's reasons (the start of its English message) in Chinese.
fn syntax_reason(english: &str) -> &'static str {
    const REASONS: &[(&str, &str)] = &[
        ("expected `:`", "成员名之后缺少冒号"),
        ("expected `,` or `]`", "列表中缺少逗号或右方括号"),
        ("expected `,` or `}`", "对象中缺少逗号或右花括号"),
        ("expected `\"`", "缺少引号"),
        ("expected ident", "true、false 或 null 拼写有误"),
        ("expected value", "此处应为一个值（缺少值，或有多余的符号）"),
        ("key must be a string", "成员名必须是带引号的字符串"),
        ("invalid escape", "无效的转义字符"),
        ("invalid number", "无效的数字"),
        ("number out of range", "数字超出范围"),
        ("invalid unicode code point", "无效的 Unicode 字符"),
        ("lone leading surrogate", "无效的 Unicode 代理对"),
        ("unexpected end of hex escape", "Unicode 转义不完整"),
        ("control character", "字符串中有未转义的控制字符（如换行）"),
        ("trailing comma", "多余的逗号"),
        ("trailing characters", "末尾还有多余的内容"),
        ("recursion limit exceeded", "嵌套层数过多"),
        ("invalid type", "值的类型不对"),
        ("invalid value", "值不对"),
        ("invalid length", "长度不对"),
    ];
    REASONS
        .iter()
        .find(|(prefix, _)| english.starts_with(prefix))
        .map_or("格式错误", |(_, reason)| reason)
}

/// A `serde_json::Value` built under a budget of nodes and refusing a member named twice.
#[derive(Clone, Copy)]
struct Strict<'a> {
    left: &'a std::cell::Cell<usize>,
    problem: &'a std::cell::RefCell<Option<JsonProblem>>,
    budget: usize,
}

impl Strict<'_> {
    /// Counts one node; an error (with the problem set) once the budget is spent.
    fn count<E: serde::de::Error>(&self) -> std::result::Result<(), E> {
        match self.left.get().checked_sub(1) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(self.fail(JsonProblem::TooLarge(self.budget))),
        }
    }

    fn fail<E: serde::de::Error>(&self, problem: JsonProblem) -> E {
        *self.problem.borrow_mut() = Some(problem);
        E::custom("")
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<Value, E> {
        self.count()?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Value, E> {
        self.count()?;
        Ok(Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Value, E> {
        self.count()?;
        Ok(Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Value, E> {
        self.count()?;
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Value, E> {
        self.count()?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<Value, E> {
        self.count()?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Value, E> {
        self.count()?;
        Ok(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, deserializer)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Value, A::Error> {
        self.count()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Value, A::Error> {
        self.count()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.count()?;
            if out.contains_key(&key) {
                return Err(self.fail(JsonProblem::Duplicate(shown(&key))));
            }
            let value = map.next_value_seed(self)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A StoreError for a record that cannot be taken, naming its kind and id.
pub fn refused(kind: &Kind, id: &str, why: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("{}（{}）{id}：{why}", kind.label, kind.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-wise check accepts only what the full parse-and-reprint check accepts, and
    /// refuses what the full check would let through as a second spelling (a leap second).
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
            "0000-01-01T00:00:00.000000000Z",
            "9999-12-31T23:59:59.999999999Z",
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
            if is_record_time(t) {
                assert!(full(t), "{t} accepted by the fast check only");
            }
        }
        assert!(is_record_time("2024-02-29T23:59:59.999999999Z"));
        assert!(is_record_time("0000-01-01T00:00:00.000000000Z"));
        for second_spelling in [
            // chrono reads a leap second and prints it back: the full check takes it
            "2016-12-31T23:59:60.000000000Z",
            "2016-12-31T23:59:60.500000000Z",
            "2023-09-05T24:00:00.000000000Z",
            "2023-02-29T01:30:00.000000000Z",
            "2023-02-30T01:30:00.000000000Z",
            "2023-04-31T01:30:00.000000000Z",
            "2023-00-10T01:30:00.000000000Z",
            "2023-09-00T01:30:00.000000000Z",
            "2023-09-05t01:30:00.000000000Z",
            "2023-09-05T01:30:00.000000000z",
            "+023-09-05T01:30:00.000000000Z",
            "2023-09-05T01:30:00,000000000Z",
        ] {
            assert!(!is_record_time(second_spelling), "{second_spelling}");
            let why = check_value("answers", "created_at", &Value::from(second_spelling))
                .expect_err(second_spelling);
            assert!(why.contains("不是规定格式的 UTC 时间"), "{why}");
        }
        assert!(
            full("2016-12-31T23:59:60.000000000Z"),
            "why the fast check decides"
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

    #[test]
    fn days_are_real_dates_in_one_spelling() {
        for good in ["2023-09-05", "2024-02-29", "0001-01-01"] {
            assert!(is_day(good), "{good}");
            assert!(check_value("activities", "held_on", &Value::from(good)).is_ok());
        }
        for bad in [
            "2023-02-29",
            "2023-02-30",
            "2023-04-31",
            "2023-13-01",
            "2023-00-01",
            "2023-9-5",
            " 2023-09-05",
            "2023-09-05 ",
            "2023/09/05",
            "+2023-09-0",
            "２023-09-05",
        ] {
            assert!(!is_day(bad), "{bad}");
            let why =
                check_value("enforcement_actions", "decided_on", &Value::from(bad)).expect_err(bad);
            assert!(why.contains("YYYY-MM-DD"), "{why}");
        }
    }

    #[test]
    fn ids_have_one_spelling() {
        let id = uuid::Uuid::now_v7().to_string();
        assert!(check_value("answers", "id", &Value::from(id.as_str())).is_ok());
        for other in [
            id.to_uppercase(),
            id.replace('-', ""),
            format!("{{{id}}}"),
            format!("urn:uuid:{id}"),
        ] {
            let why = check_value("answers", "author_id", &Value::from(other.as_str()))
                .expect_err(&other);
            assert!(why.contains("小写、带连字符的 UUID"), "{why}");
        }
    }

    #[test]
    fn keys_and_signatures_are_lowercase_and_keys_usable() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[4u8; 32]);
        let public = crate::identity::keys::public_hex(&key);
        let signature = crate::identity::keys::sign_hex(&key, b"x");
        assert!(check_value("keys", "public_key", &Value::from(public.as_str())).is_ok());
        assert!(check_value("signature", "signature", &Value::from(signature.as_str())).is_ok());
        let why = check_value("keys", "public_key", &Value::from(public.to_uppercase()))
            .expect_err("uppercase");
        assert!(why.contains("小写") && !why.contains("签名无效"), "{why}");
        let why = check_value(
            "signature",
            "signature",
            &Value::from(signature.to_uppercase()),
        )
        .expect_err("uppercase");
        assert!(why.contains("128 位小写十六进制"), "{why}");
        let weak = "0100000000000000000000000000000000000000000000000000000000000000";
        let why = check_value("keys", "public_key", &Value::from(weak)).expect_err("weak");
        assert!(why.contains("弱公钥"), "{why}");
    }

    #[test]
    fn strict_json_names_duplicates_caps_size_and_speaks_chinese() {
        assert_eq!(
            parse_object(r#"{"a":1,"b":[true,null,"x"]}"#, 10).map(|o| o.len()),
            Ok(2)
        );
        assert_eq!(
            parse_object(r#"{"a":1,"b":2,"a":3}"#, 100),
            Err(JsonProblem::Duplicate("a".into()))
        );
        assert_eq!(
            parse_object(r#"{"a":{"c":1,"c":1}}"#, 100),
            Err(JsonProblem::Duplicate("c".into()))
        );
        assert_eq!(
            parse_object("[[],[],[],[]]", 4),
            Err(JsonProblem::TooLarge(4))
        );
        assert!(parse_json("[[],[],[],[]]", 5).is_ok());
        assert_eq!(parse_object("[1]", 5), Err(JsonProblem::NotObject));
        for (text, reason) in [
            (r#"{"a":1"#, "内容意外结束"),
            (r#"{"a" 1}"#, "缺少冒号"),
            (r#"{"a":1 "b":2}"#, "缺少逗号或右花括号"),
            (r#"{a:1}"#, "成员名必须是带引号的字符串"),
            (r#"{"a":tru}"#, "拼写有误"),
            (r#"{"a":}"#, "此处应为一个值"),
            (r#"{"a":"\q"}"#, "无效的转义字符"),
            (r#"{"a":1} x"#, "多余的内容"),
            (r#"{"a":1,}"#, "多余的逗号"),
            ("{\"a\":\"\n\"}", "控制字符"),
        ] {
            let Err(JsonProblem::Syntax(at)) = parse_json(text, 100) else {
                panic!("{text} accepted");
            };
            assert!(at.contains(reason) && at.contains("列附近"), "{text}: {at}");
            for english in ["expected", "EOF", "invalid", "line", "column", "at "] {
                assert!(!at.contains(english), "{text}: {at}");
            }
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let Err(JsonProblem::Syntax(at)) = parse_json(&deep, 1000) else {
            panic!("200 levels accepted");
        };
        assert!(at.contains("嵌套层数过多"), "{at}");
    }

    #[test]
    fn quoted_values_are_short_and_cannot_steer_the_terminal() {
        assert_eq!(shown("abc"), "abc");
        assert_eq!(shown("a\u{1b}[2Jb\u{202e}c"), "a\u{fffd}[2Jb\u{fffd}c");
        let long = "隐".repeat(1000);
        assert_eq!(shown(&long).chars().count(), 41);
        let why = check_value("answers", "result", &Value::from(long.as_str())).expect_err("code");
        assert!(why.chars().count() < 200, "{why}");
    }
}
