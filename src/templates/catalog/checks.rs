//! Checks that need more than one file: overrides (by version), codes unique across all
//! templates and banks, and the rules against the checklists and forms in force.

use super::{Input, Origin};
use crate::domain::rules::RulesConfig;
use crate::templates::checklist::LoadedChecklist;
use crate::templates::error::{ConfigError, Source};
use crate::templates::exam_bank::LoadedBank;
use crate::templates::forms::FormDef;
use std::collections::HashMap;

pub(super) fn lower_version(input: &Input, key: &str, message: String) -> ConfigError {
    let at = input
        .text
        .find(&format!("{key} ="))
        .or_else(|| input.text.find(key))
        .unwrap_or(0);
    Source::new(&input.name, &input.text).error_at(at, message)
}

/// Adds a checklist, or lets it replace the loaded one with the same id when its version is
/// higher (or the same version with the same content).
pub(super) fn merge_checklist(
    loaded: &mut Vec<(LoadedChecklist, Origin)>,
    new: LoadedChecklist,
    origin: Origin,
    errors: &mut Vec<ConfigError>,
) {
    let Some(i) = loaded
        .iter()
        .position(|(l, _)| l.checklist.id == new.checklist.id)
    else {
        loaded.push((new, origin));
        return;
    };
    let (old, old_origin) = &loaded[i];
    let what = format!("检查表 {} ", new.checklist.id);
    let same = old.checklist == new.checklist;
    match override_problem(
        &what,
        old.checklist.version,
        new.checklist.version,
        same,
        old_origin,
    ) {
        Some(message) => errors.push(new.error_at(new.version_offset, message)),
        None => loaded[i] = (new, origin),
    }
}

pub(super) fn check_unique_item_codes(
    loaded: &[(LoadedChecklist, Origin)],
    errors: &mut Vec<ConfigError>,
) {
    let mut owner: HashMap<&str, &LoadedChecklist> = HashMap::new();
    for (template, _) in loaded {
        let mut codes: Vec<(&String, &usize)> = template.code_offsets.iter().collect();
        codes.sort_by_key(|(_, at)| **at);
        for (code, at) in codes {
            match owner.get(code.as_str()) {
                Some(first) => errors.push(template.error_at(
                    *at,
                    format!(
                        "检查项代码 {code} 已在检查表 {}（{}）中使用，代码须全局唯一",
                        first.checklist.id, first.file
                    ),
                )),
                None => {
                    owner.insert(code, template);
                }
            }
        }
    }
}

pub(super) fn merge_bank(
    loaded: &mut Vec<(LoadedBank, Origin)>,
    new: LoadedBank,
    origin: Origin,
    errors: &mut Vec<ConfigError>,
) {
    let Some(i) = loaded
        .iter()
        .position(|(b, _)| b.bank.sector == new.bank.sector)
    else {
        loaded.push((new, origin));
        return;
    };
    let (old, old_origin) = &loaded[i];
    let what = format!("行业 {} 题库", new.bank.sector);
    match override_problem(
        &what,
        old.bank.version,
        new.bank.version,
        old.bank == new.bank,
        old_origin,
    ) {
        Some(message) => {
            errors.push(Source::new(&new.file, &new.text).error_at(new.version_offset, message))
        }
        None => loaded[i] = (new, origin),
    }
}

/// Why an override may not replace what is loaded: a lower version, or the same version with
/// other content (records keep the version they were made with, so it must identify the text).
pub(super) fn override_problem(
    subject: &str,
    old_version: u32,
    new_version: u32,
    same_content: bool,
    old_origin: &Origin,
) -> Option<String> {
    if new_version < old_version {
        Some(format!(
            "{subject}的版本 {new_version} 低于{}版本 {old_version}，覆盖时版本号只能提高",
            old_origin.describe()
        ))
    } else if new_version == old_version && !same_content {
        Some(format!(
            "{subject}与{}版本同为 {new_version} 但内容不同：修改内容后请把版本号提高到 {}",
            old_origin.describe(),
            old_version + 1
        ))
    } else {
        None
    }
}

pub(super) fn check_unique_question_ids(
    loaded: &[(LoadedBank, Origin)],
    errors: &mut Vec<ConfigError>,
) {
    let mut owner: HashMap<&str, &LoadedBank> = HashMap::new();
    for (bank, _) in loaded {
        for (id, at) in &bank.id_offsets {
            match owner.get(id.as_str()) {
                Some(first) if !std::ptr::eq(*first, bank) => errors.push(
                    Source::new(&bank.file, &bank.text)
                        .error_at(*at, format!("题目编号 {id} 已在 {} 中使用", first.file)),
                ),
                _ => {
                    owner.insert(id, bank);
                }
            }
        }
    }
}

/// The rules must name items that exist, find the fields they read in the forms, and know
/// every hot-work level the permit form offers; the forms must name items that exist; and the
/// thresholds must make sense.
pub(super) fn check_rules(
    rules: &RulesConfig,
    input: &Input,
    checklists: &[(LoadedChecklist, Origin)],
    forms: &[(FormDef, &Input)],
    errors: &mut Vec<ConfigError>,
) {
    let src = Source::new(&input.name, &input.text);
    let at_key = |key: &str| input.text.find(&format!("{key} =")).unwrap_or(0);
    let known = |code: &str| {
        checklists
            .iter()
            .any(|(c, _)| c.code_offsets.contains_key(code))
    };
    for code in [
        &rules.certificate.item,
        &rules.hot_work.item,
        &rules.outsourcing.qualification_item,
        &rules.outsourcing.management_item,
        &rules.drill.item,
    ] {
        if !known(code) {
            let at = input.text.find(&format!("\"{code}\"")).unwrap_or(0);
            errors.push(src.error_at(at, format!("规则引用的检查项 {code} 不在任何检查表中")));
        }
    }
    let c = &rules.certificate;
    let ranges = [
        (
            "validity_years",
            c.validity_years >= 1,
            "证书有效期应至少 1 年",
        ),
        (
            "review_interval_years",
            (1..=c.validity_years).contains(&c.review_interval_years),
            "复审间隔应在 1 年到有效期之间",
        ),
        (
            "review_window_days",
            c.review_window_days <= 366,
            "复审申请期不应超过 366 天",
        ),
        (
            "gas_sample_max_minutes",
            rules.hot_work.gas_sample_max_minutes >= 1,
            "气体分析时限应至少 1 分钟",
        ),
        (
            "default_drills_per_year",
            (1..=12).contains(&rules.drill.default_drills_per_year),
            "每年演练次数应在 1 到 12 之间",
        ),
    ];
    for (key, ok, message) in ranges {
        if !ok {
            errors.push(src.error_at(at_key(key), message));
        }
    }
    if rules.hot_work.levels.is_empty() {
        errors.push(src.error_at(
            at_key("gas_sample_max_minutes"),
            "没有配置任何动火级别（[[hot_work.level]]）",
        ));
    }
    for level in rules.hot_work.levels.iter().filter(|l| l.max_hours == 0) {
        let at = input.text.find(&format!("\"{}\"", level.name)).unwrap_or(0);
        errors.push(src.error_at(
            at,
            format!("动火级别“{}”的有效时长应至少 1 小时", level.name),
        ));
    }

    let form_of = |kind| forms.iter().find(|(f, _)| f.kind == kind);
    for (kind, key, reads) in crate::domain::rules::FIELDS_READ {
        let Some((form, form_input)) = form_of(*kind) else {
            continue;
        };
        let form_src = Source::new(&form_input.name, &form_input.text);
        match form.field(key) {
            Some(field) if field.kind.serves(*reads) => {}
            Some(_) => errors.push(form_src.error_at(
                form_input.text.find(&format!("\"{key}\"")).unwrap_or(0),
                format!(
                    "规则把字段 {key} 当作{}读取，此字段的 type 与之不符",
                    reads.label()
                ),
            )),
            None => errors.push(form_src.error_at(
                form_input.text.find("kind =").unwrap_or(0),
                format!("表单“{}”缺少规则要读取的字段 {key}", form.title),
            )),
        }
    }
    for (form, form_input) in forms {
        for item in form.items.iter().filter(|code| !known(code)) {
            let at = form_input.text.find(&format!("\"{item}\"")).unwrap_or(0);
            errors.push(
                Source::new(&form_input.name, &form_input.text)
                    .error_at(at, format!("表单关联的检查项 {item} 不在任何检查表中")),
            );
        }
    }
    let options = form_of(crate::domain::EvidenceKind::HotWorkPermit)
        .and_then(|(f, _)| f.field("level"))
        .map(|f| f.options.clone())
        .unwrap_or_default();
    for level in &rules.hot_work.levels {
        if !options.contains(&level.name) {
            let at = input.text.find(&format!("\"{}\"", level.name)).unwrap_or(0);
            errors.push(src.error_at(
                at,
                format!(
                    "动火级别“{}”不在动火作业票表单的级别选项中（{}）",
                    level.name,
                    options.join("、")
                ),
            ));
        }
    }
    for option in options
        .iter()
        .filter(|o| !rules.hot_work.levels.iter().any(|l| &l.name == *o))
    {
        errors.push(src.error_at(
            at_key("gas_sample_max_minutes"),
            format!(
                "动火作业票表单的级别“{option}”在规则中没有对应的有效时长（[[hot_work.level]]）"
            ),
        ));
    }
}
