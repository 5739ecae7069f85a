//! The 逢查必考 question banks (`config/exams/*.toml`): questions with reference answers, one
//! bank per sector.

use super::checklist::UNVERIFIED_MARK;
use super::error::{ConfigError, Source};
use serde::{Deserialize, Serialize};
use toml::Spanned;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExamBank {
    pub sector: String,
    pub version: u32,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
