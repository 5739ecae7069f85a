//! Checklist templates (`config/checklists/*.toml`): sections of items, each with a stable
//! code, the question, guidance, legal basis, whether a failure is a major hazard by definition,
//! the report rows it feeds and the evidence kind behind it.
//!
//! Files are read into span-carrying raw types, checked, and turned into plain [`Checklist`]s.

use super::error::{ConfigError, Source};
use crate::domain::{EvidenceKind, report_codes};
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
    pub basis: String,
    pub sections: Vec<Section>,
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
}

impl Checklist {
    /// What an inspection keeps of this checklist: which version, and every item as it reads
    /// now (so a later edit of the checklist never changes a record).
    pub fn snapshot(&self) -> (crate::domain::TemplateRef, Vec<crate::domain::ItemSnapshot>) {
        let items = self
            .items()
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

    pub fn items(&self) -> impl Iterator<Item = (&Section, &Item)> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(move |i| (s, i)))
    }

    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    pub fn applies_to(&self, sector_code: Option<&str>) -> bool {
        self.sectors
            .iter()
            .any(|s| s == "*" || Some(s.as_str()) == sector_code)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    id: Spanned<String>,
    version: Spanned<u32>,
    title: String,
    sectors: Vec<Spanned<String>>,
    basis: String,
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
    for sector in &raw.sectors {
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
            if let Some(first) = code_offsets.get(&code) {
                let line = src.error_at(*first, "").line;
                err(at, format!("检查项代码 {code} 重复（第{line}行已使用）"));
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
            });
        }
        sections.push(Section {
            title: raw_section.title.into_inner(),
            items,
        });
    }
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
            basis: raw.basis,
            sections,
        },
    })
}
