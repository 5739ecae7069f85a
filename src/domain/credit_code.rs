//! 统一社会信用代码 (unified social credit code), GB 32100-2015.
//!
//! 18 characters from a 31-symbol alphabet (digits and capitals without I, O, Z, S, V); the
//! last one is a check character computed from the first 17 with fixed weights, modulo 31.

use serde::{Deserialize, Serialize};
use std::fmt;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why a string is not a valid credit code. Messages are shown to users as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码为空")]
    Empty,
    #[error("统一社会信用代码应为 18 位，实际 {0} 位")]
    WrongLength(usize),
    #[error(
        "统一社会信用代码第 {position} 位“{found}”不是允许的字符（数字或除 I、O、Z、S、V 以外的大写字母）"
    )]
    BadCharacter { position: usize, found: char },
    #[error("统一社会信用代码校验位错误：末位应为“{expected}”，实际为“{found}”，请核对是否抄错")]
    CheckMismatch { expected: char, found: char },
}

/// A validated credit code, always stored in upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

impl CreditCode {
    /// Validates `input` (trimmed; lower-case letters are accepted and upper-cased).
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let code = input.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(CreditCodeError::Empty);
        }
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 18 {
            return Err(CreditCodeError::WrongLength(chars.len()));
        }
        let mut values = [0u32; 18];
        for (i, c) in chars.iter().enumerate() {
            values[i] = symbol_value(*c).ok_or(CreditCodeError::BadCharacter {
                position: i + 1,
                found: *c,
            })?;
        }
        let expected = check_character(&values[..17]);
        if chars[17] != expected {
            return Err(CreditCodeError::CheckMismatch {
                expected,
                found: chars[17],
            });
        }
        Ok(CreditCode(code))
    }

    /// Completes a 17-character body with its check character (for generated test and demo
    /// data; real codes come from licences and go through [`CreditCode::parse`]).
    pub fn from_body(body: &str) -> Result<Self, CreditCodeError> {
        let chars: Vec<char> = body.trim().to_ascii_uppercase().chars().collect();
        if chars.len() != 17 {
            return Err(CreditCodeError::WrongLength(chars.len() + 1));
        }
        let mut values = [0u32; 17];
        for (i, c) in chars.iter().enumerate() {
            values[i] = symbol_value(*c).ok_or(CreditCodeError::BadCharacter {
                position: i + 1,
                found: *c,
            })?;
        }
        let mut code: String = chars.into_iter().collect();
        code.push(check_character(&values));
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn symbol_value(c: char) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|&a| a as char == c)
        .map(|p| p as u32)
}

/// The check character for the first 17 symbol values.
fn check_character(values: &[u32]) -> char {
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    ALPHABET[check as usize] as char
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for CreditCode {
    type Err = CreditCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CreditCode::parse(s)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> String {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes of real, publicly registered organisations (from their published business
    /// licences), plus the example printed in GB 32100-2015 itself.
    const REAL: &[&str] = &[
        "91350100M000100Y43", // the standard's own worked example
        "914403001922038216", // 华为技术有限公司
        "91110000802100433B", // 中国石油化工股份有限公司
        "9111000071093123XX", // 中国移动通信集团有限公司
        "91440300708461136T", // 深圳市腾讯计算机系统有限公司
        "91330100716105852F", // 阿里巴巴（中国）有限公司
    ];

    #[test]
    fn accepts_real_codes() {
        for code in REAL {
            assert!(CreditCode::parse(code).is_ok(), "{code} should be valid");
        }
    }

    #[test]
    fn from_body_completes_real_codes() {
        for real in REAL {
            assert_eq!(
                CreditCode::from_body(&real[..17]).expect("body").as_str(),
                *real
            );
        }
        assert!(CreditCode::from_body("9135").is_err());
    }

    #[test]
    fn accepts_lower_case_and_spaces_and_normalises() {
        let code = CreditCode::parse(" 91350100m000100y43 ").expect("valid");
        assert_eq!(code.as_str(), "91350100M000100Y43");
    }

    #[test]
    fn every_single_character_typo_in_the_check_position_is_caught() {
        for real in REAL {
            let body = &real[..17];
            let good = real.chars().last().expect("18 chars");
            for c in ALPHABET.iter().map(|&b| b as char).filter(|&c| c != good) {
                let typo = format!("{body}{c}");
                assert_eq!(
                    CreditCode::parse(&typo),
                    Err(CreditCodeError::CheckMismatch {
                        expected: good,
                        found: c
                    })
                );
            }
        }
    }

    #[test]
    fn a_changed_body_digit_fails_the_check() {
        // Swap the 9th character of a real code: the check character no longer matches.
        let err = CreditCode::parse("91350100N000100Y43").unwrap_err();
        assert!(matches!(err, CreditCodeError::CheckMismatch { .. }));
    }

    #[test]
    fn rejects_wrong_length_and_forbidden_letters() {
        assert_eq!(CreditCode::parse(""), Err(CreditCodeError::Empty));
        assert_eq!(
            CreditCode::parse("9135010"),
            Err(CreditCodeError::WrongLength(7))
        );
        assert_eq!(
            CreditCode::parse("91350100I000100Y43"),
            Err(CreditCodeError::BadCharacter {
                position: 9,
                found: 'I'
            })
        );
        // A full-width digit is not an ASCII digit.
        assert!(matches!(
            CreditCode::parse("９1350100M000100Y43"),
            Err(CreditCodeError::BadCharacter { position: 1, .. })
        ));
    }

    #[test]
    fn messages_are_chinese() {
        let msg = CreditCode::parse("91350100M000100Y44")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("校验位错误"), "{msg}");
    }

    #[test]
    fn serde_refuses_invalid_codes() {
        let ok: CreditCode = serde_json::from_str("\"91350100M000100Y43\"").expect("valid");
        assert_eq!(ok.as_str(), "91350100M000100Y43");
        assert!(serde_json::from_str::<CreditCode>("\"91350100M000100Y44\"").is_err());
    }
}
