//! Money as inspectors type it: fines, rewards and rectification funds are reckoned in 万元
//! (the monthly table's unit) and kept exactly, in fen (分).
//!
//! "0.5", "0.5万元", "0.5万" and "5000元" are the same amount. No single fine, reward or
//! rectification budget comes near a hundred million yuan: 10 000 万元 and above is refused
//! everywhere as a typing slip, and above a configured ceiling (`[money]` of
//! `config/rules.toml`) the user confirms the amount before it is saved.

use serde::{Deserialize, Serialize};

/// 1 万元 in fen.
pub const FEN_PER_WAN: i64 = 1_000_000;
/// Amounts from here on are refused outright (万元).
pub const HARD_LIMIT_WAN: i64 = 10_000;

/// The ceiling above which an amount is confirmed before it is saved (`[money]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoneyRules {
    /// 万元; an amount above it asks for confirmation (TUI) or `--confirm-large` (CLI).
    pub confirm_above_wan: u32,
}

impl Default for MoneyRules {
    fn default() -> MoneyRules {
        MoneyRules {
            confirm_above_wan: 500,
        }
    }
}

impl MoneyRules {
    /// Why an amount needs confirming, or `None` when it is at or below the ceiling.
    pub fn needs_confirmation(&self, fen: i64) -> Option<String> {
        let ceiling = i64::from(self.confirm_above_wan) * FEN_PER_WAN;
        (fen > ceiling).then(|| {
            format!(
                "金额 {} 超过 {} 万元，请核对是否多打了位数",
                wan_text(fen),
                self.confirm_above_wan
            )
        })
    }
}

/// An amount typed with or without its unit ("0.5", "0.5万元", "0.5万", "5000元"), in fen.
/// A bare number is 万元. At most one fen of precision; negative amounts and amounts of
/// 10 000 万元 or more are refused.
pub fn parse_wan(text: &str) -> Result<i64, String> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            other => other,
        })
        .collect();
    let bad = || format!("金额“{}”应为万元数，如 0.5、0.5万元 或 5000元", text.trim());
    let (number, fen_per_unit, max_decimals) = if let Some(n) = t.strip_suffix("万元") {
        (n, FEN_PER_WAN, 6)
    } else if let Some(n) = t.strip_suffix('万') {
        (n, FEN_PER_WAN, 6)
    } else if let Some(n) = t.strip_suffix('元') {
        (n, 100, 2)
    } else {
        (t.as_str(), FEN_PER_WAN, 6)
    };
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty()
        || frac.len() > max_decimals
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let too_large = || {
        format!(
            "金额“{}”过大（应小于 {HARD_LIMIT_WAN} 万元），请核对",
            text.trim()
        )
    };
    // Long digit strings overflow before they can be compared: they are too large anyway.
    let whole: i64 = whole.parse().map_err(|_| too_large())?;
    let frac: i64 = format!("{frac:0<max_decimals$}")
        .parse()
        .map_err(|_| bad())?;
    let fen = whole
        .checked_mul(fen_per_unit)
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(too_large)?;
    if fen >= HARD_LIMIT_WAN * FEN_PER_WAN {
        return Err(too_large());
    }
    Ok(fen)
}

/// An amount in fen as 万元, exact and without trailing zeros: `0.5万元`, `12万元`.
pub fn wan_text(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let (whole, frac) = (fen / FEN_PER_WAN as u64, fen % FEN_PER_WAN as u64);
    if frac == 0 {
        format!("{sign}{whole}万元")
    } else {
        let frac = format!("{frac:06}");
        format!("{sign}{whole}.{}万元", frac.trim_end_matches('0'))
    }
}

/// Rectification funds (五落实·资金) as typed: an amount, then optionally where it comes
/// from ("2万元，企业自筹"), or "无" when no money is needed. The amount is rewritten in
/// 万元 ("5000元 企业自筹" → "0.5万元 企业自筹"); returns the text to keep and the amount.
pub fn parse_funds(text: &str) -> Result<(String, Option<i64>), String> {
    let t = text.trim();
    if t.is_empty() || matches!(t, "无" | "不需要" | "不需资金" | "0") {
        return Ok((t.to_string(), (t == "0").then_some(0)));
    }
    // The amount is the leading run of digits, dots, spaces and the unit.
    let is_amount_char = |c: char| {
        c.is_ascii_digit() || ('０'..='９').contains(&c) || matches!(c, '.' | '．' | ' ' | '　')
    };
    let number_end = t
        .char_indices()
        .find(|(_, c)| !is_amount_char(*c))
        .map_or(t.len(), |(i, _)| i);
    let rest = &t[number_end..];
    let unit_len = ["万元", "万", "元"]
        .iter()
        .find(|u| rest.starts_with(**u))
        .map_or(0, |u| u.len());
    let (amount, source) = t.split_at(number_end + unit_len);
    if amount.trim().is_empty() {
        return Err(format!(
            "资金应先写金额，如：2万元，企业自筹；或 5000元；不需要资金写“无”（不是“{t}”）"
        ));
    }
    let fen = parse_wan(amount)?;
    let source = source.trim_start_matches([' ', '　']);
    let joined = match source.chars().next() {
        None => wan_text(fen),
        Some('，' | ',' | '、' | '；' | ';' | '（' | '(') => {
            format!("{}{source}", wan_text(fen))
        }
        Some(_) => format!("{}，{source}", wan_text(fen)),
    };
    Ok((joined, Some(fen)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_with_or_without_their_unit() {
        for (typed, fen) in [
            ("0.5", 500_000),
            ("0.5万元", 500_000),
            ("0.5万", 500_000),
            (" 0.5 万元 ", 500_000),
            ("5000元", 500_000),
            ("5000.5元", 500_050),
            ("0.01元", 1),
            ("12", 12_000_000),
            ("０．５万元", 500_000),
            ("0.000001", 1),
            ("9999.999999", 9_999_999_999),
            ("99999999.99元", 9_999_999_999),
        ] {
            assert_eq!(parse_wan(typed), Ok(fen), "{typed}");
        }
        for bad in [
            "",
            ".5",
            "1.0000001",
            "0.001元",
            "-1",
            "1,5",
            "一万",
            "0.5美元",
            "万元",
            "5千元",
        ] {
            let err = parse_wan(bad).unwrap_err();
            assert!(err.contains("应为万元数"), "{bad}: {err}");
        }
    }

    #[test]
    fn ten_thousand_wan_and_more_is_refused_in_every_unit() {
        for bad in [
            "10000",
            "10000万元",
            "100000000元",
            "1234567890",
            "1234567890万元",
            "99999999999999999999999",
        ] {
            let err = parse_wan(bad).unwrap_err();
            assert!(err.contains("过大（应小于 10000 万元）"), "{bad}: {err}");
        }
    }

    #[test]
    fn above_the_ceiling_asks_for_confirmation() {
        let rules = MoneyRules {
            confirm_above_wan: 500,
        };
        assert_eq!(rules.needs_confirmation(500 * FEN_PER_WAN), None);
        let why = rules
            .needs_confirmation(parse_wan("600万元").expect("amount"))
            .expect("above");
        assert_eq!(why, "金额 600万元 超过 500 万元，请核对是否多打了位数");
        assert_eq!(MoneyRules::default().confirm_above_wan, 500);
    }

    #[test]
    fn amounts_are_shown_in_wan_exactly() {
        assert_eq!(wan_text(500_000), "0.5万元");
        assert_eq!(wan_text(12_000_000), "12万元");
        assert_eq!(wan_text(1), "0.000001万元");
        assert_eq!(wan_text(0), "0万元");
    }

    #[test]
    fn funds_lead_with_an_amount_and_keep_their_source() {
        for (typed, kept, fen) in [
            ("0.5", "0.5万元", Some(500_000)),
            ("2万元，企业自筹", "2万元，企业自筹", Some(2_000_000)),
            ("5000元 企业自筹", "0.5万元，企业自筹", Some(500_000)),
            ("3万（企业自筹）", "3万元（企业自筹）", Some(3_000_000)),
            ("无", "无", None),
            ("", "", None),
        ] {
            assert_eq!(parse_funds(typed), Ok((kept.to_string(), fen)), "{typed}");
        }
        assert!(
            parse_funds("企业自筹")
                .unwrap_err()
                .contains("资金应先写金额")
        );
        assert!(parse_funds("20000万元 自筹").unwrap_err().contains("过大"));
    }
}
