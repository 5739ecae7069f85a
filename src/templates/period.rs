//! The days a checklist or an item applies (`effective_from`, `effective_until`, both
//! included), read from TOML dates.

use chrono::NaiveDate;
use serde::Serialize;
use toml::Spanned;

/// The days a checklist or an item applies, both ends included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Period {
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= day) && self.until.is_none_or(|u| day <= u)
    }

    pub(super) fn overlaps(&self, other: &Period) -> bool {
        let starts_before_other_ends = match (self.from, other.until) {
            (Some(f), Some(u)) => f <= u,
            _ => true,
        };
        let other_starts_before_self_ends = match (other.from, self.until) {
            (Some(f), Some(u)) => f <= u,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_self_ends
    }

    /// 2023-05-16 至 2025-10-31, as a reader sees it.
    pub fn describe(&self) -> String {
        match (self.from, self.until) {
            (None, None) => "长期有效".to_string(),
            (Some(f), None) => format!("{f} 起"),
            (None, Some(u)) => format!("至 {u}"),
            (Some(f), Some(u)) => format!("{f} 至 {u}"),
        }
    }
}

/// A TOML date (`2025-11-01`, unquoted), or the reason it is not one.
fn day(value: &Spanned<toml::value::Datetime>) -> Result<NaiveDate, (usize, String)> {
    let v = value.get_ref();
    match (v.date, v.time, v.offset) {
        (Some(d), None, None) => {
            NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                .ok_or_else(|| (value.span().start, format!("日期 {v} 不存在")))
        }
        _ => Err((
            value.span().start,
            format!("应为日期（如 2025-11-01，不加引号），不是 {v}"),
        )),
    }
}

/// The period given by `from` and `until`, or the reasons it is not one.
pub(super) fn period(
    from: &Option<Spanned<toml::value::Datetime>>,
    until: &Option<Spanned<toml::value::Datetime>>,
) -> Result<Period, Vec<(usize, String)>> {
    let mut errors = Vec::new();
    let mut read = |d: &Option<Spanned<toml::value::Datetime>>| {
        d.as_ref()
            .and_then(|d| day(d).map_err(|e| errors.push(e)).ok())
    };
    let p = Period {
        from: read(from),
        until: read(until),
    };
    if let (Some(f), Some(u), Some(at)) = (p.from, p.until, until.as_ref())
        && u < f
    {
        errors.push((
            at.span().start,
            format!("effective_until {u} 早于 effective_from {f}"),
        ));
    }
    if errors.is_empty() {
        Ok(p)
    } else {
        Err(errors)
    }
}
