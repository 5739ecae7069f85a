//! Everything paicha reads from configuration, loaded and cross-checked in one place: the
//! built-in files embedded from `config/`, then the user's config directory, then any files
//! given on the command line. A user file replaces the built-in with the same id (same sector
//! for exam banks, same kind for forms, the whole file for campaign, rules and sectors).

use super::campaign::{self, Campaign};
use super::checklist::{self, Checklist, LoadedChecklist};
use super::error::{ConfigError, Source};
use super::exam_bank::{self, ExamBank, LoadedBank};
use super::forms::FormDef;
use super::sectors::SectorTable;
use crate::domain::rules::RulesConfig;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

macro_rules! builtin {
    ($($path:literal),+ $(,)?) => {
        &[$((concat!("config/", $path), include_str!(concat!("../../config/", $path)))),+]
    };
}

/// The shipped configuration, as (path, text).
pub const BUILTIN: &[(&str, &str)] = builtin![
    "sectors.toml",
    "campaign.toml",
    "rules.toml",
    "forms/hot_work_permit.toml",
    "forms/special_operation_certificate.toml",
    "forms/outsourcing_agreement.toml",
    "forms/drill_record.toml",
    "checklists/duties.toml",
    "checklists/town_gas.toml",
    "checklists/fuel.toml",
    "checklists/grain.toml",
    "checklists/civil_air_defence.toml",
    "checklists/high_rise.toml",
    "checklists/village.toml",
    "exams/town_gas.toml",
    "exams/fuel.toml",
    "exams/grain.toml",
    "exams/civil_air_defence.toml",
    "exams/high_rise.toml",
    "exams/village.toml",
];

/// Where a loaded piece of configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    File(PathBuf),
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::Builtin => "内置".to_string(),
            Origin::File(p) => p.display().to_string(),
        }
    }
}

/// The kinds of configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sectors,
    Campaign,
    Rules,
    Form,
    Checklist,
    ExamBank,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    pub sectors: SectorTable,
    pub campaign: Campaign,
    pub rules: RulesConfig,
    pub forms: Vec<FormDef>,
    pub checklists: Vec<(Checklist, Origin)>,
    pub exams: Vec<(ExamBank, Origin)>,
}

/// One configuration file to read.
struct Input {
    name: String,
    text: String,
    origin: Origin,
}

impl Catalog {
    /// Only the shipped configuration.
    pub fn builtin() -> Result<Catalog, Vec<ConfigError>> {
        Catalog::load(None, &[])
    }

    /// The shipped configuration, overridden or extended by the files under `config_dir`
    /// (`checklists/`, `exams/`, `forms/`, `campaign.toml`, `rules.toml`, `sectors.toml`) and
    /// then by `extra` files (their kind told from their content). Every error of every file
    /// is returned, not just the first.
    pub fn load(config_dir: Option<&Path>, extra: &[PathBuf]) -> Result<Catalog, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let mut inputs: Vec<(Kind, Input)> = Vec::new();
        for (name, text) in BUILTIN {
            if let Some(kind) = kind_from_path(Path::new(name)) {
                inputs.push((
                    kind,
                    Input {
                        name: name.to_string(),
                        text: text.to_string(),
                        origin: Origin::Builtin,
                    },
                ));
            }
        }
        if let Some(dir) = config_dir {
            for path in user_files(dir) {
                let Some(kind) = kind_from_path(path.strip_prefix(dir).unwrap_or(&path)) else {
                    errors.push(ConfigError {
                        file: path.display().to_string(),
                        line: 1,
                        col: 1,
                        message: "配置目录中无法识别的文件：检查表放在 checklists/，题库放在 exams/，表单放在 forms/，或命名为 campaign.toml、rules.toml、sectors.toml".to_string(),
                    });
                    continue;
                };
                if let Some(input) = read(&path, &mut errors) {
                    inputs.push((kind, input));
                }
            }
        }
        for path in extra {
            let Some(input) = read(path, &mut errors) else {
                continue;
            };
            match kind_from_content(&input.text) {
                Some(kind) => inputs.push((kind, input)),
                None => errors.push(Source::new(&input.name, &input.text).error_at(
                    0,
                    "无法识别的配置文件：应为检查表（[[section]]）、题库（[[question]]）、表单（[[field]]）、专项行动（[[phase]]）、规则（[certificate]）或行业领域（[[sector]]）",
                )),
            }
        }
        let catalog = assemble(inputs, &mut errors);
        match catalog {
            Some(c) if errors.is_empty() => Ok(c),
            _ => Err(errors),
        }
    }

    pub fn checklist(&self, id: &str) -> Option<&Checklist> {
        self.checklists.iter().map(|(c, _)| c).find(|c| c.id == id)
    }

    pub fn form(&self, kind: crate::domain::EvidenceKind) -> Option<&FormDef> {
        self.forms.iter().find(|f| f.kind == kind)
    }

    pub fn exam_bank(&self, sector: &str) -> Option<&ExamBank> {
        self.exams
            .iter()
            .map(|(b, _)| b)
            .find(|b| b.sector == sector)
    }

    /// The templates proposed for an enterprise of `sector_code`: the ones for every sector
    /// first, then the sector's own.
    pub fn proposed_for(&self, sector_code: Option<&str>) -> Vec<&Checklist> {
        let mut out: Vec<&Checklist> = self
            .checklists
            .iter()
            .map(|(c, _)| c)
            .filter(|c| c.applies_to(sector_code))
            .collect();
        out.sort_by_key(|c| !c.sectors.iter().any(|s| s == "*"));
        out
    }
}

/// The default user configuration directory (e.g. `~/.config/paicha`).
pub fn default_config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "paicha", "paicha").map(|d| d.config_dir().to_path_buf())
}

fn kind_from_path(rel: &Path) -> Option<Kind> {
    let parent = rel
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str());
    let name = rel.file_name()?.to_str()?;
    if !name.ends_with(".toml") {
        return None;
    }
    match (parent, name) {
        (Some("checklists"), _) => Some(Kind::Checklist),
        (Some("exams"), _) => Some(Kind::ExamBank),
        (Some("forms"), _) => Some(Kind::Form),
        (_, "campaign.toml") => Some(Kind::Campaign),
        (_, "rules.toml") => Some(Kind::Rules),
        (_, "sectors.toml") => Some(Kind::Sectors),
        _ => None,
    }
}

fn kind_from_content(text: &str) -> Option<Kind> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        // Not even TOML: the checklist parser reports the syntax error with its position.
        return Some(Kind::Checklist);
    };
    let has = |k: &str| table.contains_key(k);
    // A checklist with a misspelt section key still has its id: let its parser say what is wrong.
    if has("section") || has("id") {
        Some(Kind::Checklist)
    } else if has("question") {
        Some(Kind::ExamBank)
    } else if has("field") {
        Some(Kind::Form)
    } else if has("phase") || has("group") {
        Some(Kind::Campaign)
    } else if has("certificate") || has("hot_work") {
        Some(Kind::Rules)
    } else if has("sector") {
        Some(Kind::Sectors)
    } else {
        None
    }
}

/// The `.toml` files of a user config dir, in a stable order.
fn user_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for sub in [None, Some("checklists"), Some("exams"), Some("forms")] {
        let folder = sub.map_or(dir.to_path_buf(), |s| dir.join(s));
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

fn read(path: &Path, errors: &mut Vec<ConfigError>) -> Option<Input> {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(Input {
                name,
                text,
                origin: Origin::File(path.to_path_buf()),
            }),
            Err(_) => {
                errors.push(ConfigError {
                    file: name,
                    line: 1,
                    col: 1,
                    message: "文件不是 UTF-8 编码".to_string(),
                });
                None
            }
        },
        Err(e) => {
            errors.push(ConfigError {
                file: name,
                line: 1,
                col: 1,
                message: format!("无法读取：{}", crate::storage::error::describe_io(&e)),
            });
            None
        }
    }
}

/// Parses every input in dependency order (sectors first) and cross-checks the result.
fn assemble(inputs: Vec<(Kind, Input)>, errors: &mut Vec<ConfigError>) -> Option<Catalog> {
    let of = |kind: Kind| {
        inputs
            .iter()
            .filter(move |(k, _)| *k == kind)
            .map(|(_, i)| i)
    };

    // Single-file kinds: the last one read (user over built-in) wins.
    let sectors = of(Kind::Sectors).fold(None, |acc, input| {
        match SectorTable::parse(&input.name, &input.text) {
            Ok(t) => Some(t),
            Err(e) => {
                errors.push(e);
                acc
            }
        }
    })?;
    let codes = sectors.codes();

    let campaign = of(Kind::Campaign).fold(None, |acc, input| {
        match campaign::parse(&input.name, &input.text, &codes) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.extend(e);
                acc
            }
        }
    });
    let mut rules: Option<(RulesConfig, &Input)> = None;
    for input in of(Kind::Rules) {
        let src = Source::new(&input.name, &input.text);
        match toml::from_str::<RulesConfig>(&input.text) {
            Ok(r) => rules = Some((r, input)),
            Err(e) => errors.push(src.parse_error(&e)),
        }
    }

    let mut forms: Vec<(FormDef, &Input)> = Vec::new();
    for input in of(Kind::Form) {
        match FormDef::parse(&input.name, &input.text) {
            Ok(form) => match forms.iter().position(|(f, _)| f.kind == form.kind) {
                Some(i) => {
                    let (old, old_input) = &forms[i];
                    match override_problem(
                        &format!("表单“{}”", form.title),
                        old.version,
                        form.version,
                        *old == form,
                        &old_input.origin,
                    ) {
                        Some(message) => errors.push(lower_version(input, "version", message)),
                        None => forms[i] = (form, input),
                    }
                }
                None => forms.push((form, input)),
            },
            Err(e) => errors.push(e),
        }
    }

    let mut checklists: Vec<(LoadedChecklist, Origin)> = Vec::new();
    for input in of(Kind::Checklist) {
        match checklist::parse(&input.name, &input.text, &codes) {
            Ok(loaded) => merge_checklist(&mut checklists, loaded, input.origin.clone(), errors),
            Err(e) => errors.extend(e),
        }
    }
    check_unique_item_codes(&checklists, errors);

    let mut banks: Vec<(LoadedBank, Origin)> = Vec::new();
    for input in of(Kind::ExamBank) {
        match exam_bank::parse(&input.name, &input.text, &codes) {
            Ok(bank) => merge_bank(&mut banks, bank, input.origin.clone(), errors),
            Err(e) => errors.extend(e),
        }
    }
    check_unique_question_ids(&banks, errors);

    let (rules, rules_input) = rules?;
    check_rules(&rules, rules_input, &checklists, &forms, errors);
    Some(Catalog {
        sectors,
        campaign: campaign?,
        rules,
        forms: forms.into_iter().map(|(f, _)| f).collect(),
        checklists: checklists
            .into_iter()
            .map(|(l, o)| (l.checklist, o))
            .collect(),
        exams: banks.into_iter().map(|(b, o)| (b.bank, o)).collect(),
    })
}

fn lower_version(input: &Input, key: &str, message: String) -> ConfigError {
    let at = input
        .text
        .find(&format!("{key} ="))
        .or_else(|| input.text.find(key))
        .unwrap_or(0);
    Source::new(&input.name, &input.text).error_at(at, message)
}

/// Adds a checklist, or lets it replace the loaded one with the same id when its version is
/// higher (or the same version with the same content).
fn merge_checklist(
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

fn check_unique_item_codes(loaded: &[(LoadedChecklist, Origin)], errors: &mut Vec<ConfigError>) {
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

fn merge_bank(
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
fn override_problem(
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

fn check_unique_question_ids(loaded: &[(LoadedBank, Origin)], errors: &mut Vec<ConfigError>) {
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
fn check_rules(
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

#[cfg(test)]
mod tests;
