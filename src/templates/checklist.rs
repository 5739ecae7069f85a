//! Checklist templates (`config/checklists/*.toml`): sections of items, each with a stable
//! code, the question, guidance, legal basis, whether a failure is a major hazard by definition,
//! the report rows it feeds and the evidence kind behind it.
//!
//! Files are read into span-carrying raw types, checked, and turned into plain [`Checklist`]s.
//!
//! Editions by date: a checklist, and an item within it, may say from which day and until
//! which day it applies (`effective_from`, `effective_until`, both included). An inspection
//! takes the checklists and items in force on its arrival day; one item code may appear twice
//! for two editions of its basis (GB 35181-2017 until 2025-10-31, GB 35181-2025 from
//! 2025-11-01) when their periods do not overlap.

use super::error::{ConfigError, Source};
pub use super::period::Period;
use super::period::period;
use crate::domain::{EvidenceKind, report_codes};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use toml::Spanned;

/// The marker that guidance (or an exam answer) resting on an unverified source starts with.
pub const UNVERIFIED_MARK: &str = "【待核实】";

/// A checked checklist template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checklist {
    pub id: String,
    pub version: u32,
    pub title: String,
    /// Sector codes it is proposed for; `*` means every sector.
    pub sectors: Vec<String>,
    /// Sectors left out of `*` (the duties of an enterprise's principal are not asked of a
    /// village committee).
    pub not_sectors: Vec<String>,
    pub basis: String,
    pub sections: Vec<Section>,
    /// The days it applies (both included; `None`: open-ended).
    pub effective: Period,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub title: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub code: String,
    pub question: String,
    pub guidance: String,
    pub basis: String,
    /// A non-compliance is a major hazard by definition of the cited criterion.
    pub major_hazard: bool,
    pub report_rows: Vec<String>,
    pub evidence: Option<EvidenceKind>,
    /// The basis is general knowledge not yet checked against the official text.
    pub unverified: bool,
    /// The days this item (this edition of it) applies.
    pub effective: Period,
}

impl Checklist {
    /// What an inspection keeps of this checklist: which version, and every item in force on
    /// `day` (the arrival) as it reads now (so a later edit never changes a record).
    pub fn snapshot_on(
        &self,
        day: NaiveDate,
    ) -> (crate::domain::TemplateRef, Vec<crate::domain::ItemSnapshot>) {
        let items = self
            .items_on(day)
            .map(|(section, item)| crate::domain::ItemSnapshot {
                code: item.code.clone(),
                template_id: self.id.clone(),
                template_version: self.version,
                section: section.title.clone(),
                question: item.question.clone(),
                basis: item.basis.clone(),
            })
            .collect();
        let reference = crate::domain::TemplateRef {
            id: self.id.clone(),
            version: self.version,
        };
        (reference, items)
    }

    /// Every item of every edition.
    pub fn items(&self) -> impl Iterator<Item = (&Section, &Item)> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }

    /// The items in force on `day`.
    pub fn items_on(&self, day: NaiveDate) -> impl Iterator<Item = (&Section, &Item)> {
        self.items().filter(move |(_, i)| i.effective.covers(day))
    }

    /// The item with `code` in force on `day`, else any edition of it.
    pub fn item(&self, code: &str, day: Option<NaiveDate>) -> Option<&Item> {
        let mut editions = self.items().map(|(_, i)| i).filter(|i| i.code == code);
        let all: Vec<&Item> = editions.by_ref().collect();
        day.and_then(|d| all.iter().copied().find(|i| i.effective.covers(d)))
            .or_else(|| all.last().copied())
    }

    /// Items an inspection answers: editions of one item count once.
    pub fn item_count(&self) -> usize {
        let mut codes: Vec<&str> = self.items().map(|(_, i)| i.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        codes.len()
    }

    pub fn applies_to(&self, sector_code: Option<&str>) -> bool {
        let excluded = sector_code.is_some_and(|c| self.not_sectors.iter().any(|s| s == c));
        !excluded
            && self
                .sectors
                .iter()
                .any(|s| s == "*" || Some(s.as_str()) == sector_code)
    }

    /// Proposed for an enterprise of `sector_code` visited on `day`.
    pub fn applies_on(&self, sector_code: Option<&str>, day: NaiveDate) -> bool {
        self.applies_to(sector_code) && self.effective.covers(day)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    id: Spanned<String>,
    version: Spanned<u32>,
    title: String,
    sectors: Vec<Spanned<String>>,
    #[serde(default)]
    not_sectors: Vec<Spanned<String>>,
    basis: String,
    #[serde(default)]
    effective_from: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    effective_until: Option<Spanned<toml::value::Datetime>>,
    #[serde(rename = "section")]
    sections: Spanned<Vec<RawSection>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: Spanned<String>,
    #[serde(rename = "item", default)]
    items: Vec<RawItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    code: Spanned<String>,
    question: Spanned<String>,
    guidance: Spanned<String>,
    basis: Spanned<String>,
    major_hazard: bool,
    #[serde(default)]
    report_rows: Vec<Spanned<String>>,
    #[serde(default)]
    evidence: Option<Spanned<String>>,
    #[serde(default)]
    unverified: bool,
    #[serde(default)]
    effective_from: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    effective_until: Option<Spanned<toml::value::Datetime>>,
}

/// A template as loaded, with what later cross-file checks need to point at.
#[derive(Debug, Clone)]
pub struct LoadedChecklist {
    pub checklist: Checklist,
    pub file: String,
    /// Offsets of the id, the version and each item code, for cross-file errors.
    pub id_offset: usize,
    pub version_offset: usize,
    pub code_offsets: HashMap<String, usize>,
    pub text: String,
}

impl LoadedChecklist {
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> ConfigError {
        Source::new(&self.file, &self.text).error_at(offset, message)
    }
}

pub(super) fn is_template_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_item_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && !code.ends_with('-')
        && code.chars().any(|c| c.is_ascii_digit())
}

/// Parses and checks one checklist file. `sector_codes` are the known sectors.
pub fn parse(
    file: &str,
    text: &str,
    sector_codes: &[&str],
) -> Result<LoadedChecklist, Vec<ConfigError>> {
    let src = Source::new(file, text);
    let raw: RawChecklist = toml::from_str(text).map_err(|e| vec![src.parse_error(&e)])?;
    let mut errors = Vec::new();
    let mut err = |at: usize, msg: String| errors.push(src.error_at(at, msg));

    if !is_template_id(raw.id.get_ref()) {
        err(
            raw.id.span().start,
            format!(
                "模板 id“{}”只能由小写英文字母、数字和下划线组成",
                raw.id.get_ref()
            ),
        );
    }
    if *raw.version.get_ref() == 0 {
        err(raw.version.span().start, "版本号应从 1 开始".to_string());
    }
    for sector in raw.sectors.iter().chain(&raw.not_sectors) {
        let s = sector.get_ref();
        if s != "*" && !sector_codes.contains(&s.as_str()) {
            err(
                sector.span().start,
                format!(
                    "未知的行业领域代码“{s}”，可用：*、{}",
                    sector_codes.join("、")
                ),
            );
        }
    }
    if raw.sections.get_ref().is_empty() {
        err(
            raw.sections.span().start,
            "模板没有任何 [[section]]".to_string(),
        );
    }

    let mut code_offsets: HashMap<String, usize> = HashMap::new();
    let mut sections = Vec::new();
    for raw_section in raw.sections.into_inner() {
        if raw_section.items.is_empty() {
            err(
                raw_section.title.span().start,
                format!("分组“{}”没有检查项", raw_section.title.get_ref()),
            );
        }
        let mut items = Vec::new();
        for raw_item in raw_section.items {
            let code = raw_item.code.get_ref().clone();
            let at = raw_item.code.span().start;
            if !is_item_code(&code) {
                err(
                    at,
                    format!("检查项代码“{code}”格式不对，应为大写字母加编号，如 E12、GAS-03"),
                );
            }
            let effective = match period(&raw_item.effective_from, &raw_item.effective_until) {
                Ok(p) => p,
                Err(list) => {
                    for (at, message) in list {
                        err(at, message);
                    }
                    Period::default()
                }
            };
            // Two editions of one item: allowed when their periods do not overlap.
            if let Some(first) = code_offsets.get(&code) {
                let clash = sections
                    .iter()
                    .flat_map(|s: &Section| s.items.iter())
                    .chain(items.iter())
                    .filter(|i: &&Item| i.code == code)
                    .any(|i| i.effective.overlaps(&effective));
                if clash {
                    let line = src.error_at(*first, "").line;
                    err(
                        at,
                        format!(
                            "检查项代码 {code} 重复（第{line}行已使用）：同一代码的两个版本须用 effective_from / effective_until 分开适用日期"
                        ),
                    );
                }
            } else {
                code_offsets.insert(code.clone(), at);
            }
            for (name, field) in [
                ("question", &raw_item.question),
                ("guidance", &raw_item.guidance),
                ("basis", &raw_item.basis),
            ] {
                if field.get_ref().trim().is_empty() {
                    err(
                        field.span().start,
                        format!("检查项 {code} 的 {name} 不能为空"),
                    );
                }
            }
            let mut report_rows = Vec::new();
            for row in &raw_item.report_rows {
                let r = row.get_ref();
                if !report_codes::exists(r) {
                    err(
                        row.span().start,
                        format!(
                            "报表中没有“{r}”这一行，检查项可计入：{}",
                            report_codes::ITEM_FED.join("、")
                        ),
                    );
                } else if !report_codes::fed_by_items(r) {
                    err(
                        row.span().start,
                        format!(
                            "报表行 {r} 不由检查项统计，检查项只能计入：{}",
                            report_codes::ITEM_FED.join("、")
                        ),
                    );
                } else {
                    report_rows.push(r.clone());
                }
            }
            let evidence = match &raw_item.evidence {
                None => None,
                Some(e) => match EvidenceKind::parse(e.get_ref()) {
                    Ok(kind) if kind.code() == e.get_ref() => Some(kind),
                    _ => {
                        let codes: Vec<&str> = EvidenceKind::ALL.iter().map(|k| k.code()).collect();
                        err(
                            e.span().start,
                            format!(
                                "未知的证据记录类型“{}”，可用：{}",
                                e.get_ref(),
                                codes.join("、")
                            ),
                        );
                        None
                    }
                },
            };
            let marked = raw_item.guidance.get_ref().starts_with(UNVERIFIED_MARK);
            if raw_item.unverified && !marked {
                err(
                    raw_item.guidance.span().start,
                    format!("检查项 {code} 标为 unverified，guidance 应以“{UNVERIFIED_MARK}”开头"),
                );
            } else if marked && !raw_item.unverified {
                err(
                    raw_item.guidance.span().start,
                    format!(
                        "检查项 {code} 的 guidance 标有“{UNVERIFIED_MARK}”，但没有 unverified = true"
                    ),
                );
            }
            items.push(Item {
                code,
                question: raw_item.question.into_inner(),
                guidance: raw_item.guidance.into_inner(),
                basis: raw_item.basis.into_inner(),
                major_hazard: raw_item.major_hazard,
                report_rows,
                evidence,
                unverified: raw_item.unverified,
                effective,
            });
        }
        sections.push(Section {
            title: raw_section.title.into_inner(),
            items,
        });
    }
    let effective = match period(&raw.effective_from, &raw.effective_until) {
        Ok(p) => p,
        Err(list) => {
            for (at, message) in list {
                errors.push(src.error_at(at, message));
            }
            Period::default()
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(LoadedChecklist {
        id_offset: raw.id.span().start,
        version_offset: raw.version.span().start,
        code_offsets,
        file: file.to_string(),
        text: text.to_string(),
        checklist: Checklist {
            id: raw.id.into_inner(),
            version: raw.version.into_inner(),
            title: raw.title,
            sectors: raw.sectors.into_iter().map(Spanned::into_inner).collect(),
            not_sectors: raw
                .not_sectors
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            basis: raw.basis,
            sections,
            effective,
        },
    })
}
