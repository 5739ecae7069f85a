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
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

macro_rules! builtin {
    ($($path:literal),+ $(,)?) => {
        &[$((concat!("config/", $path), crate::embedded_text!(concat!("config/", $path)))),+]
    };
}

/// The shipped configuration, as (path, text), inflated on first use.
pub static BUILTIN: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(|| {
    PACKED
        .iter()
        .map(|(name, packed)| (*name, crate::embedded::inflate(packed)))
        .collect()
});

/// The shipped configuration as build.rs deflated it.
const PACKED: &[(&str, &[u8])] = builtin![
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
        for (name, text) in BUILTIN.iter() {
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

    /// The item an inspection answered: `code` of template `template_id`, the edition in force
    /// on `day` when given (else the last one in the file).
    pub fn item(
        &self,
        template_id: &str,
        code: &str,
        day: Option<chrono::NaiveDate>,
    ) -> Option<&super::checklist::Item> {
        self.checklist(template_id)?.item(code, day)
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

    /// The templates proposed for an enterprise of `sector_code` visited on `day` (those in
    /// force that day): the ones for every sector first, then the sector's own.
    pub fn proposed_for(
        &self,
        sector_code: Option<&str>,
        day: chrono::NaiveDate,
    ) -> Vec<&Checklist> {
        let mut out: Vec<&Checklist> = self
            .checklists
            .iter()
            .map(|(c, _)| c)
            .filter(|c| c.applies_on(sector_code, day))
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
    check_rules(&rules, rules_input, &checklists, &forms, &codes, errors);
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

mod checks;

use checks::{
    check_rules, check_unique_item_codes, check_unique_question_ids, lower_version, merge_bank,
    merge_checklist, override_problem,
};

#[cfg(test)]
mod tests;
