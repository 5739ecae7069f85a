//! `paicha inspection correct / evidence / correct-evidence`: corrections of a finalized
//! inspection's times and evidence records, as new records beside the signed ones.

use crate::domain::FieldValue;
use crate::domain::correction::{self, CORRECTED_MARK};
use crate::domain::time;
use crate::storage::Store;
use anyhow::{Context, bail};
use std::collections::BTreeMap;
use uuid::Uuid;

fn parse_time(text: &str, what: &str) -> anyhow::Result<chrono::DateTime<chrono::Utc>> {
    time::parse_minute(text).with_context(|| {
        format!("{what}“{text}”应为完整的日期和时间（北京时间），格式如 2023-08-15 09:30")
    })
}

/// `correct <id> [--arrived-at] [--departed-at] --reason`: the correction states both times,
/// the one not given as it stands now.
pub fn correct_times(
    store: &mut Store,
    id: Uuid,
    arrived_at: Option<&str>,
    departed_at: Option<&str>,
    reason: &str,
) -> anyhow::Result<()> {
    if arrived_at.is_none() && departed_at.is_none() {
        bail!("没有要更正的内容：请给出 --arrived-at 或 --departed-at");
    }
    let now = store.visit_times(id)?;
    let arrival = match arrived_at {
        Some(t) => parse_time(t, "到达时间")?,
        None => now.arrival,
    };
    let departure = match departed_at {
        Some(t) => Some(parse_time(t, "离开时间")?),
        None => now.departure,
    };
    store.correct_times(id, Some(arrival), departure, reason)?;
    let after = store.visit_times(id)?;
    println!(
        "已更正检查时间：{}。原记录保留，更正另存为新记录",
        after.text()
    );
    Ok(())
}

/// `evidence <inspection-id>`: each evidence record with its id, the values in force (marked
/// when corrected), and its corrections with their reasons.
pub fn list_evidence(store: &Store, inspection: Uuid) -> anyhow::Result<()> {
    let records = store.evidence_for(inspection)?;
    if records.is_empty() {
        println!("这次检查没有证据记录");
        return Ok(());
    }
    let corrections = store.evidence_corrections_for(inspection)?;
    let forms = store.forms();
    for r in &records {
        let mine: Vec<_> = corrections
            .iter()
            .filter(|c| c.data.evidence_id == r.id())
            .cloned()
            .collect();
        let (values, corrected) = correction::effective_values(&r.data.values, &mine);
        println!(
            "{} {}{}",
            r.id(),
            r.data.kind.label(),
            if corrected { CORRECTED_MARK } else { "" }
        );
        let form = forms.iter().find(|f| f.kind == r.data.kind);
        let labels = label_of(form);
        for (key, value) in in_form_order(form, values) {
            println!("  {}：{}", labels(key), value.shown());
        }
        if corrected {
            println!("  原记录（{}）：", time::record_minute(r.meta.created_at));
            for (key, value) in in_form_order(form, &r.data.values) {
                println!("    {}：{}", labels(key), value.shown());
            }
            for c in &mine {
                println!(
                    "  更正（{}，{}）理由：{}",
                    time::record_minute(c.meta.created_at),
                    store
                        .inspector(c.meta.author_id)
                        .map(|i| i.data.name)
                        .unwrap_or_default(),
                    c.data.reason
                );
                for (key, value) in &c.data.values {
                    if r.data.values.get(key) != Some(value) {
                        println!("    {}：{}", labels(key), value.shown());
                    }
                }
                for key in r
                    .data
                    .values
                    .keys()
                    .filter(|k| !c.data.values.contains_key(*k))
                {
                    println!("    {}：（清空）", labels(key));
                }
            }
        }
    }
    Ok(())
}

type Form = crate::templates::forms::FormDef;

/// A field's label by its key, from the record's form (the key itself if unknown).
fn label_of(form: Option<&Form>) -> impl Fn(&str) -> String + '_ {
    move |key: &str| {
        form.and_then(|f| f.field(key))
            .map_or_else(|| key.to_string(), |f| f.label.clone())
    }
}

/// The values in the form's field order, then any key the form does not have.
fn in_form_order<'v>(
    form: Option<&Form>,
    values: &'v BTreeMap<String, FieldValue>,
) -> Vec<(&'v str, &'v FieldValue)> {
    let order = |key: &str| {
        form.and_then(|f| f.fields.iter().position(|d| d.key == key))
            .unwrap_or(usize::MAX)
    };
    let mut list: Vec<_> = values.iter().map(|(k, v)| (k.as_str(), v)).collect();
    list.sort_by_key(|(k, _)| order(k));
    list
}

/// `correct-evidence <evidence-id> --set key=value … --reason`: the values in force, changed
/// where `--set` says (by field key or label; an empty value clears an optional field).
pub fn correct_evidence(
    store: &mut Store,
    evidence: Uuid,
    sets: &[String],
    reason: &str,
) -> anyhow::Result<()> {
    if sets.is_empty() {
        bail!("没有要更正的内容：请用 --set 字段=值 给出更正后的内容");
    }
    let record = store.evidence(evidence)?;
    let forms = store.forms();
    let Some(form) = forms.iter().find(|f| f.kind == record.data.kind) else {
        bail!("本机没有“{}”的表单配置", record.data.kind.label());
    };
    let mine: Vec<_> = store
        .evidence_corrections_for(record.data.inspection_id)?
        .into_iter()
        .filter(|c| c.data.evidence_id == evidence)
        .collect();
    let (current, _) = correction::effective_values(&record.data.values, &mine);
    let mut values: BTreeMap<String, FieldValue> = current.clone();
    for set in sets {
        let Some((key, value)) = set.split_once('=') else {
            bail!("--set “{set}”应写成 字段=值（如 --set held_on=2023-06-16）");
        };
        let key = key.trim();
        let Some(field) = form.fields.iter().find(|f| f.key == key || f.label == key) else {
            let known: Vec<String> = form
                .fields
                .iter()
                .map(|f| format!("{}（{}）", f.key, f.label))
                .collect();
            bail!(
                "“{}”表单没有字段“{key}”。可用的字段：{}",
                form.title,
                known.join("、")
            );
        };
        // A day typed as people write it (2023.9.5, 2023年9月5日) is read as the form does.
        let value = match field.kind {
            crate::templates::forms::FieldType::Date => time::parse_day_loose(value.trim())
                .map_or_else(|| value.to_string(), time::day_text),
            _ => value.to_string(),
        };
        match field.parse_input(&value).map_err(anyhow::Error::msg)? {
            Some(v) => values.insert(field.key.clone(), v),
            None => values.remove(&field.key),
        };
    }
    let saved = store.correct_evidence(evidence, values, reason)?;
    println!(
        "已更正{}（{}）：原记录保留，另存为更正记录 {}",
        record.data.kind.label(),
        evidence,
        saved.id()
    );
    Ok(())
}
