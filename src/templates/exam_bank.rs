//! The 逢查必考 question banks (`config/exams/*.toml`): questions with reference answers, one
//! bank per sector.
//!
//! A question whose source has not been checked against the official text is kept in its bank
//! but flagged (`unverified = true`, answer starting with 【待核实】): it is never drawn. A bank
//! must keep at least [`MIN_DRAWABLE`] drawable (verified) questions, or it is refused.

use super::checklist::UNVERIFIED_MARK;
use super::error::{ConfigError, Source};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The fewest drawable (verified) questions a bank may have.
pub const MIN_DRAWABLE: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExamBank {
    pub sector: String,
    pub version: u32,
    pub questions: Vec<Question>,
}

impl ExamBank {
    /// The questions that may be drawn: those resting on a verified source.
    pub fn drawable(&self) -> impl Iterator<Item = &Question> {
        self.questions.iter().filter(|q| q.drawable())
    }
}

impl Question {
    /// Whether the question may be drawn in an exam (its source is verified).
    pub fn drawable(&self) -> bool {
        !self.unverified
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub basis: String,
    pub unverified: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBank {
    sector: Spanned<String>,
    version: Spanned<u32>,
    #[serde(rename = "question")]
    questions: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    question: Spanned<String>,
    answer: Spanned<String>,
    basis: Spanned<String>,
    #[serde(default)]
    unverified: bool,
}

/// A bank as loaded: with the offsets of its question ids, for cross-file duplicate checks.
#[derive(Debug, Clone)]
pub struct LoadedBank {
    pub bank: ExamBank,
    pub file: String,
    pub text: String,
    pub sector_offset: usize,
    pub version_offset: usize,
    pub id_offsets: Vec<(String, usize)>,
}

pub fn parse(
    file: &str,
    text: &str,
    sector_codes: &[&str],
) -> Result<LoadedBank, Vec<ConfigError>> {
    let src = Source::new(file, text);
    let raw: RawBank = toml::from_str(text).map_err(|e| vec![src.parse_error(&e)])?;
    let mut errors = Vec::new();
    if !sector_codes.contains(&raw.sector.get_ref().as_str()) {
        errors.push(src.error_at(
            raw.sector.span().start,
            format!(
                "未知的行业领域代码“{}”，可用：{}",
                raw.sector.get_ref(),
                sector_codes.join("、")
            ),
        ));
    }
    if *raw.version.get_ref() == 0 {
        errors.push(src.error_at(raw.version.span().start, "版本号应从 1 开始"));
    }
    let mut id_offsets: Vec<(String, usize)> = Vec::new();
    let mut questions = Vec::new();
    for q in raw.questions {
        let id = q.id.get_ref().clone();
        if let Some((_, first)) = id_offsets.iter().find(|(seen, _)| *seen == id) {
            let line = src.error_at(*first, "").line;
            errors.push(src.error_at(
                q.id.span().start,
                format!("题目编号 {id} 重复（第{line}行已使用）"),
            ));
        }
        id_offsets.push((id.clone(), q.id.span().start));
        for (name, field) in [
            ("question", &q.question),
            ("answer", &q.answer),
            ("basis", &q.basis),
        ] {
            if field.get_ref().trim().is_empty() {
                errors.push(
                    src.error_at(field.span().start, format!("题目 {id} 的 {name} 不能为空")),
                );
            }
        }
        let marked = q.answer.get_ref().starts_with(UNVERIFIED_MARK);
        if q.unverified != marked {
            errors.push(src.error_at(
                q.answer.span().start,
                format!(
                    "题目 {id}：unverified = true 与参考答案开头的“{UNVERIFIED_MARK}”应同时出现"
                ),
            ));
        }
        questions.push(Question {
            id,
            question: q.question.into_inner(),
            answer: q.answer.into_inner(),
            basis: q.basis.into_inner(),
            unverified: q.unverified,
        });
    }
    let drawable = questions.iter().filter(|q| q.drawable()).count();
    if errors.is_empty() && drawable < MIN_DRAWABLE {
        errors.push(src.error_at(
            raw.sector.span().start,
            format!(
                "题库可抽考的题目（已核实、未标 unverified）只有 {drawable} 道，至少需要 {MIN_DRAWABLE} 道；\
                 标为【待核实】的题目不会被抽到，请补充已核实出处的题目或核实后去掉标记"
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(LoadedBank {
        sector_offset: raw.sector.span().start,
        version_offset: raw.version.span().start,
        bank: ExamBank {
            sector: raw.sector.into_inner(),
            version: raw.version.into_inner(),
            questions,
        },
        file: file.to_string(),
        text: text.to_string(),
        id_offsets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::catalog::BUILTIN;

    const SECTORS: &[&str] = &[
        "town_gas",
        "fuel",
        "grain",
        "civil_air_defence",
        "high_rise",
        "village",
    ];

    fn shipped() -> Vec<LoadedBank> {
        BUILTIN
            .iter()
            .filter(|(name, _)| name.starts_with("config/exams/"))
            .map(|(name, text)| {
                parse(name, text, SECTORS).unwrap_or_else(|e| panic!("{name}: {e:?}"))
            })
            .collect()
    }

    #[test]
    fn each_shipped_bank_keeps_at_least_12_drawable_questions() {
        let banks = shipped();
        assert_eq!(banks.len(), SECTORS.len());
        for loaded in &banks {
            let drawable = loaded.bank.drawable().count();
            assert!(drawable >= MIN_DRAWABLE, "{}: {drawable}", loaded.file);
            // Flagged questions stay in the file, marked in the answer too.
            for q in loaded.bank.questions.iter().filter(|q| !q.drawable()) {
                assert!(q.answer.starts_with(UNVERIFIED_MARK), "{}", q.id);
            }
            // A drawable question names its source, never a placeholder.
            for q in loaded.bank.drawable() {
                assert!(
                    !q.basis.contains("待核") && !q.answer.contains(UNVERIFIED_MARK),
                    "{}: {}",
                    q.id,
                    q.basis
                );
            }
        }
    }

    /// A bank file with `verified` drawable and `flagged` unverified questions.
    fn bank_text(verified: usize, flagged: usize) -> String {
        let mut s = String::from("sector = \"fuel\"\nversion = 3\n");
        for i in 0..verified + flagged {
            let unverified = i >= verified;
            let mark = if unverified { UNVERIFIED_MARK } else { "" };
            s.push_str(&format!(
                "\n[[question]]\nid = \"T-Q{i:02}\"\nquestion = \"问题{i}\"\n\
                 answer = \"{mark}答案{i}\"\nbasis = \"出处{i}\"\nunverified = {unverified}\n"
            ));
        }
        s
    }

    #[test]
    fn a_bank_with_11_drawable_questions_is_refused_naming_the_file() {
        let file = "/tmp/县里/exams/fuel.toml";
        let errors = parse(file, &bank_text(11, 5), SECTORS).expect_err("11 drawable");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].file, file);
        assert!(
            errors[0].message.contains("只有 11 道，至少需要 12 道"),
            "{}",
            errors[0].message
        );
        assert!(errors[0].to_string().starts_with(file));
        // Unverified questions do not count towards the minimum, however many there are…
        assert!(parse(file, &bank_text(11, 20), SECTORS).is_err());
        // …and 12 verified ones are enough.
        let ok = parse(file, &bank_text(12, 3), SECTORS).expect("12 drawable");
        assert_eq!(ok.bank.drawable().count(), 12);
        assert_eq!(ok.bank.questions.len(), 15);
    }
}
