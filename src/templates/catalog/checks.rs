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

/// The rules must name items that exist and sectors that exist, find the fields they read in the
/// forms (with the choices they compare against), and know every hot-work level the permit form
/// offers; the forms must name items that exist; and the thresholds must make sense.
pub(super) fn check_rules(
    rules: &RulesConfig,
    input: &Input,
    checklists: &[(LoadedChecklist, Origin)],
    forms: &[(FormDef, &Input)],
    sector_codes: &[&str],
    errors: &mut Vec<ConfigError>,
) {
    let src = Source::new(&input.name, &input.text);
    let at_key = |key: &str| input.text.find(&format!("{key} =")).unwrap_or(0);
    let at_value = |value: &str| input.text.find(&format!("\"{value}\"")).unwrap_or(0);
    let known = |code: &str| {
        checklists
            .iter()
            .any(|(c, _)| c.code_offsets.contains_key(code))
    };
    let c = &rules.certificate;
    let pc = &rules.permit_certificate;
    let o = &rules.outsourcing;
    let d = &rules.drill;
    let h = &rules.hot_work;
    let mut items: Vec<&String> = vec![
        &c.item,
        &pc.item,
        &h.item,
        &o.qualification_item,
        &o.management_item,
        &d.item,
    ];
    let sector_maps = c.systems.iter().map(|s| &s.sector_items).chain([
        &pc.sector_items,
        &h.sector_items,
        &o.qualification_sector_items,
        &o.management_sector_items,
        &d.sector_items,
    ]);
    let mut sectors_named: Vec<&String> = Vec::new();
    for map in sector_maps {
        for (sector, codes) in map {
            sectors_named.push(sector);
            items.extend(codes);
        }
    }
    for code in items {
        if !known(code) {
            errors.push(src.error_at(
                at_value(code),
                format!("规则引用的检查项 {code} 不在任何检查表中"),
            ));
        }
    }
    for scope in [&c.sectors, &pc.sectors, &h.sectors, &o.sectors, &d.sectors]
        .into_iter()
        .chain(d.clocks.iter().map(|k| &k.sectors))
    {
        sectors_named.extend(scope.iter().filter(|s| *s != "*" && *s != "none"));
    }
    for sector in sectors_named {
        if !sector_codes.contains(&sector.as_str()) {
            errors.push(src.error_at(
                at_value(sector),
                format!(
                    "规则引用的行业领域 {sector} 不存在（可用：{}，以及 * 和 none）",
                    sector_codes.join("、")
                ),
            ));
        }
    }
    let mut ranges = vec![
        (
            "gas_sample_max_minutes",
            h.gas_sample_max_minutes >= 1,
            "气体分析时限应至少 1 分钟",
        ),
        (
            "listed_months",
            (1..=12).contains(&d.listed_months),
            "第三十三条第二款所列单位的演练间隔应在 1 到 12 个月之间",
        ),
    ];
    if d.clocks.iter().any(|k| !(1..=36).contains(&k.months)) {
        ranges.push(("months", false, "演练间隔应在 1 到 36 个月之间"));
    }
    if d.clocks
        .iter()
        .any(|k| k.plan_types.is_empty() && k.flag.is_none())
    {
        ranges.push((
            "[[drill.clock]]",
            false,
            "演练时钟应写明 plan_types 或 flag",
        ));
    }
    for system in &c.systems {
        if let (Some(validity), Some(review)) =
            (system.validity_years, system.review_interval_years)
            && !(1..=validity).contains(&review)
        {
            ranges.push((
                "review_interval_years",
                false,
                "复审间隔应在 1 年到有效期之间",
            ));
        }
        if system.validity_years == Some(0) {
            ranges.push(("validity_years", false, "证书有效期应至少 1 年"));
        }
        if system.review_window_days > 366 {
            ranges.push(("review_window_days", false, "复审申请期不应超过 366 天"));
        }
    }
    for (key, ok, message) in ranges {
        if !ok {
            let at = input
                .text
                .find(&format!("{key} ="))
                .or_else(|| input.text.find(key))
                .unwrap_or(0);
            errors.push(src.error_at(at, message));
        }
    }
    if h.levels.is_empty() {
        errors.push(src.error_at(
            at_key("gas_sample_max_minutes"),
            "没有配置任何动火级别（[[hot_work.level]]）",
        ));
    }
    if rules.attachments.max_file_mb == 0 {
        errors.push(src.error_at(
            at_key("max_file_mb"),
            "附件大小上限 max_file_mb 应至少为 1（MB）",
        ));
    }
    if !(1..=4095).contains(&rules.attachments.max_bundle_mb) {
        errors.push(src.error_at(
            at_key("max_bundle_mb"),
            "数据包附件总大小上限 max_bundle_mb 应在 1 到 4095（MB）之间",
        ));
    }
    for level in h.levels.iter().filter(|l| l.max_hours == 0) {
        errors.push(src.error_at(
            at_value(&level.name),
            format!("动火级别“{}”的有效时长应至少 1 小时", level.name),
        ));
    }
    let options_of = |kind, key: &str| {
        forms
            .iter()
            .find(|(f, _)| f.kind == kind)
            .and_then(|(f, _)| f.field(key))
            .map(|f| f.options.clone())
    };
    use crate::domain::EvidenceKind as K;
    let choices: Vec<(K, &str, Vec<&String>)> = vec![
        (
            K::SpecialOperationCertificate,
            "issuing_system",
            c.systems
                .iter()
                .map(|s| &s.name)
                .chain([&pc.system])
                .collect(),
        ),
        (
            K::SpecialOperationCertificate,
            "category",
            vec![&pc.category],
        ),
        (K::HotWorkPermit, "method", pc.methods.iter().collect()),
        (
            K::DrillRecord,
            "plan_type",
            d.clocks.iter().flat_map(|k| &k.plan_types).collect(),
        ),
    ];
    for (kind, key, values) in choices {
        let Some(options) = options_of(kind, key) else {
            continue;
        };
        for value in values.into_iter().filter(|v| !options.contains(v)) {
            errors.push(src.error_at(
                at_value(value),
                format!(
                    "规则中的“{value}”不在{}表单字段 {key} 的选项中（{}）",
                    kind.label(),
                    options.join("、")
                ),
            ));
        }
    }
    if let Some((form, _)) = forms.iter().find(|(f, _)| f.kind == K::DrillRecord) {
        for flag in d.clocks.iter().filter_map(|k| k.flag.as_deref()) {
            if form
                .field(flag)
                .is_none_or(|f| f.kind != crate::templates::forms::FieldType::Bool)
            {
                errors.push(src.error_at(
                    at_value(flag),
                    format!("演练时钟的 flag {flag} 不是演练记录表单中的是/否字段"),
                ));
            }
        }
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
