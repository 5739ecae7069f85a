//! Evidence form definitions (`config/forms/*.toml`): the single source of truth for the fields
//! of hot-work permits, certificates, outsourcing agreements and drill records.
//!
//! A form says each field's key, label, type and validation; the UI builds its inputs from it,
//! `parse_input` checks a typed value at the field, rules refer to fields by key, and storage
//! keeps values by key.

use super::error::{ConfigError, Source};
use crate::domain::credit_code::CreditCode;
use crate::domain::id_number::validate_id_number;
use crate::domain::{EvidenceKind, FieldValue};
use chrono::NaiveDateTime;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};

/// The forms shipped with paicha, as (file name, text).
pub const SHIPPED: [(&str, &str); 4] = [
    (
        "config/forms/hot_work_permit.toml",
        include_str!("../../config/forms/hot_work_permit.toml"),
    ),
    (
        "config/forms/special_operation_certificate.toml",
        include_str!("../../config/forms/special_operation_certificate.toml"),
    ),
    (
        "config/forms/outsourcing_agreement.toml",
        include_str!("../../config/forms/outsourcing_agreement.toml"),
    ),
    (
        "config/forms/drill_record.toml",
        include_str!("../../config/forms/drill_record.toml"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    /// A person's name.
    Person,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DD HH:MM`, local time as written on the document.
    Datetime,
    Number,
    /// One of `options`.
    Enum,
    Bool,
    /// 统一社会信用代码, check character verified.
    CreditCode,
    /// 居民身份证号码, check character verified.
    IdNumber,
}

impl FieldType {
    /// Whether values of this type are what a rule reading `reads` expects.
    pub fn serves(self, reads: crate::domain::rules::Reads) -> bool {
        use crate::domain::rules::Reads;
        match reads {
            Reads::Text => matches!(
                self,
                FieldType::Text
                    | FieldType::Person
                    | FieldType::Enum
                    | FieldType::CreditCode
                    | FieldType::IdNumber
            ),
            Reads::Date => self == FieldType::Date,
            Reads::DateTime => self == FieldType::Datetime,
            Reads::YesNo => self == FieldType::Bool,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: FieldType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub options: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Guidance shown under the field.
    pub help: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormDef {
    pub kind: EvidenceKind,
    pub version: u32,
    pub title: String,
    pub basis: String,
    /// The checklist items this evidence bears on.
    pub items: Vec<String>,
    #[serde(rename = "field")]
    pub fields: Vec<FieldDef>,
}

impl FormDef {
    /// Parses and checks a form file. Errors name the file, line and column.
    pub fn parse(file_name: &str, text: &str) -> Result<FormDef, ConfigError> {
        let src = Source::new(file_name, text);
        let form: FormDef = toml::from_str(text).map_err(|e| src.parse_error(&e))?;
        form.check().map_err(|(index, msg)| {
            let key = &form.fields[index].key;
            // The n-th field with this key is the n-th `"key"` in the text.
            let nth = form.fields[..index]
                .iter()
                .filter(|f| &f.key == key)
                .count();
            src.error_at(key_offset(text, key, nth), msg)
        })?;
        Ok(form)
    }

    /// Structural checks serde cannot express; returns the offending key and a reason.
    fn check(&self) -> Result<(), (usize, String)> {
        let mut keys = HashSet::new();
        for (index, f) in self.fields.iter().enumerate() {
            if !keys.insert(f.key.as_str()) {
                return Err((index, format!("字段键 {} 重复", f.key)));
            }
            if f.key.is_empty()
                || !f
                    .key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err((
                    index,
                    format!("字段键“{}”只能由小写英文字母、数字和下划线组成", f.key),
                ));
            }
            match (f.kind, f.options.is_empty()) {
                (FieldType::Enum, true) => {
                    return Err((index, format!("枚举字段 {} 缺少 options", f.key)));
                }
                (FieldType::Enum, false) => {}
                (_, false) => {
                    return Err((index, format!("只有 enum 字段可以有 options（{}）", f.key)));
                }
                _ => {}
            }
            if (f.min.is_some() || f.max.is_some()) && f.kind != FieldType::Number {
                return Err((
                    index,
                    format!("只有 number 字段可以有 min/max（{}）", f.key),
                ));
            }
        }
        Ok(())
    }

    pub fn field(&self, key: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Everything wrong with a set of stored values, in the form's field order: values of the
    /// wrong type, required fields left empty, then keys the form does not have. Empty means
    /// the record is complete.
    pub fn check_values(&self, values: &BTreeMap<String, FieldValue>) -> Vec<String> {
        let mut problems = Vec::new();
        for field in &self.fields {
            let Some(value) = values.get(&field.key) else {
                if field.required {
                    problems.push(format!("{}不能为空", field.label));
                }
                continue;
            };
            let as_text = match value {
                FieldValue::Text(t) => t.clone(),
                FieldValue::Number(n) => n.to_string(),
                FieldValue::Bool(true) => "是".to_string(),
                FieldValue::Bool(false) => "否".to_string(),
            };
            match field.parse_input(&as_text) {
                Ok(Some(parsed)) if parsed == *value => {}
                Ok(_) => problems.push(format!("{}的值类型不对", field.label)),
                Err(e) => problems.push(e),
            }
        }
        for key in values.keys().filter(|k| self.field(k).is_none()) {
            problems.push(format!("表单“{}”没有字段 {key}", self.title));
        }
        problems
    }

    /// The labels of required fields that have no value.
    pub fn missing_required(&self, values: &BTreeMap<String, FieldValue>) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|f| f.required && !values.contains_key(&f.key))
            .map(|f| f.label.as_str())
            .collect()
    }
}

/// Where the `nth` (0-based) `"<key>"` appears, for errors found after parsing.
fn key_offset(text: &str, key: &str, nth: usize) -> usize {
    text.match_indices(&format!("\"{key}\""))
        .nth(nth)
        .map_or(0, |(at, _)| at)
}

impl FieldDef {
    /// Checks what the inspector typed into this field and returns the value to store;
    /// `Ok(None)` for an empty optional field. Errors are shown at the field.
    pub fn parse_input(&self, input: &str) -> Result<Option<FieldValue>, String> {
        let raw = input.trim();
        if raw.is_empty() {
            return if self.required {
                Err(format!("{}不能为空", self.label))
            } else {
                Ok(None)
            };
        }
        let value = match self.kind {
            FieldType::Text | FieldType::Person => FieldValue::Text(raw.to_string()),
            FieldType::Date => {
                let d = crate::domain::time::parse_day(raw)
                    .ok_or_else(|| format!("{}应为日期，格式如 2023-08-15", self.label))?;
                FieldValue::Text(d.format("%Y-%m-%d").to_string())
            }
            FieldType::Datetime => {
                // Two digits each (time::parse_minute): chrono alone reads "09:3" as 09:03.
                let t = NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M")
                    .ok()
                    .filter(|_| crate::domain::time::parse_minute(raw).is_some())
                    .ok_or_else(|| {
                        format!(
                            "{}应为完整的日期和时间，格式如 2023-08-15 09:30",
                            self.label
                        )
                    })?;
                FieldValue::Text(t.format("%Y-%m-%d %H:%M").to_string())
            }
            FieldType::Number => {
                let n: f64 = raw
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .ok_or_else(|| format!("{}应为数字", self.label))?;
                if let Some(min) = self.min.filter(|&m| n < m) {
                    return Err(format!("{}不能小于 {min}", self.label));
                }
                if let Some(max) = self.max.filter(|&m| n > m) {
                    return Err(format!("{}不能大于 {max}", self.label));
                }
                FieldValue::Number(n)
            }
            FieldType::Enum => {
                if !self.options.iter().any(|o| o == raw) {
                    return Err(format!(
                        "{}应为以下之一：{}",
                        self.label,
                        self.options.join("、")
                    ));
                }
                FieldValue::Text(raw.to_string())
            }
            FieldType::Bool => match raw {
                "是" | "有" | "y" | "Y" | "yes" | "true" | "1" => FieldValue::Bool(true),
                "否" | "无" | "n" | "N" | "no" | "false" | "0" => FieldValue::Bool(false),
                _ => return Err(format!("{}请填“是”或“否”", self.label)),
            },
            FieldType::CreditCode => FieldValue::Text(
                CreditCode::parse(raw)
                    .map_err(|e| e.to_string())?
                    .to_string(),
            ),
            FieldType::IdNumber => FieldValue::Text(validate_id_number(raw)?),
        };
        Ok(Some(value))
    }
}

/// The shipped forms, one per evidence kind.
pub fn shipped() -> Result<Vec<FormDef>, ConfigError> {
    SHIPPED
        .iter()
        .map(|(name, text)| FormDef::parse(name, text))
        .collect()
}

#[cfg(test)]
mod tests;
