//! People and papers for the demo: names, valid ID numbers, and plausible values for every
//! field of an evidence form.

use super::Rng;
use crate::domain::FieldValue;
use crate::templates::forms::{FieldType, FormDef};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "高", "杨", "赵", "郝", "薛", "靳", "孙", "常",
];
const GIVEN: [&str; 12] = [
    "建国", "志强", "秀英", "海平", "俊峰", "红梅", "永胜", "丽娟", "文斌", "晓东", "春生", "玉兰",
];

/// A name: surname and given name.
pub fn name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
}

/// Plausible values for every field of `form`, as of `today`.
pub fn form_values(
    rng: &mut Rng,
    form: &FormDef,
    today: NaiveDate,
    expired: bool,
) -> BTreeMap<String, FieldValue> {
    let mut values = BTreeMap::new();
    for f in &form.fields {
        let value = match f.kind {
            FieldType::Person => FieldValue::Text(name(rng)),
            FieldType::IdNumber => FieldValue::Text(id_number(rng)),
            FieldType::Enum => FieldValue::Text(
                f.options
                    .get(rng.below(f.options.len()))
                    .cloned()
                    .unwrap_or_default(),
            ),
            FieldType::Bool => FieldValue::Bool(rng.chance(80)),
            FieldType::Number => {
                let lo = f.min.unwrap_or(0.0);
                let hi = f.max.unwrap_or(lo + 10.0);
                FieldValue::Number((lo + (hi - lo) * rng.below(100) as f64 / 100.0).round())
            }
            FieldType::Date => {
                let day = if f.key.contains("valid_until") || f.key.contains("due") {
                    if expired {
                        today - Days::new(30 + rng.below(300) as u64)
                    } else {
                        today + Days::new(200 + rng.below(1000) as u64)
                    }
                } else {
                    today - Days::new(400 + rng.below(1500) as u64)
                };
                FieldValue::Text(day.to_string())
            }
            FieldType::Datetime => FieldValue::Text(format!("{today} 09:30")),
            FieldType::CreditCode => continue,
            FieldType::Text => FieldValue::Text(format!("T{:09}", rng.below(1_000_000_000))),
        };
        values.insert(f.key.clone(), value);
    }
    values
}

/// A valid 居民身份证号码 of someone born 1965–1999 in 方山县 (141128).
pub fn id_number(rng: &mut Rng) -> String {
    let born = NaiveDate::from_ymd_opt(1965 + rng.below(35) as i32, 1, 1).unwrap_or_default()
        + Days::new(rng.below(365) as u64);
    let body = format!("141128{}{:03}", born.format("%Y%m%d"), rng.below(1000));
    let check = crate::domain::id_number::check_character(&body).unwrap_or('0');
    format!("{body}{check}")
}
