//! Local time for the people who use paicha: China Standard Time (UTC+8, no daylight saving).
//! Records are stored in UTC; screens, documents and typed-in times are in Beijing time, so
//! what a laptop's own time-zone setting says never changes a record.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};

pub fn beijing() -> FixedOffset {
    // 8 hours is within ±24 h, so this never falls back; UTC is the safe fallback anyway.
    FixedOffset::east_opt(8 * 3600).unwrap_or(Utc.fix())
}

/// A UTC instant as Beijing wall-clock time.
pub fn local(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&beijing()).naive_local()
}

/// Beijing wall-clock time as a UTC instant.
pub fn from_local(t: NaiveDateTime) -> DateTime<Utc> {
    match beijing().from_local_datetime(&t) {
        chrono::LocalResult::Single(x) | chrono::LocalResult::Ambiguous(x, _) => {
            x.with_timezone(&Utc)
        }
        chrono::LocalResult::None => DateTime::from_naive_utc_and_offset(t, Utc),
    }
}

/// A record time in its one stored spelling: `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (UTC).
pub fn record_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}

/// Whether `text` is a record time in exactly its one spelling (fixed width, UTC, a real
/// instant that reads back to the same text: no `:60`, no `24:00`, no 30 February).
pub fn is_record_time(text: &str) -> bool {
    parse_record_time(text).is_some()
}

/// A record time in its one stored spelling, as an instant.
pub fn parse_record_time(text: &str) -> Option<DateTime<Utc>> {
    // chrono reads a leap second (`:60`) and prints it back: refused by hand.
    if text.len() != 30 || !text.ends_with('Z') || text.get(17..19).is_none_or(|s| s >= "60") {
        return None;
    }
    let t = DateTime::parse_from_rfc3339(text).ok()?.to_utc();
    (record_time(t) == text).then_some(t)
}

/// A calendar day typed or stored as `YYYY-MM-DD`: four-digit year, two-digit month and day.
/// Stricter than chrono's `%Y` (which takes `+10000-01-01`), so every stored day sorts as text.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let shape = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// A calendar day as people type it: `2023-9-5`, `2023.9.5`, `2023/09/05`, `2023年9月5日`,
/// `20230905`, with full-width digits and separators too (an input method's). The year has
/// four digits, month and day one or two, one separator throughout; an impossible day
/// (`2023-2-30`) is refused. Shown and stored back as `YYYY-MM-DD` ([`parse_day`] reads
/// stored data and bundles, which take only that spelling).
pub fn parse_day_loose(text: &str) -> Option<NaiveDate> {
    let t: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '—' => '-',
            '．' | '。' => '.',
            '／' => '/',
            other => other,
        })
        .collect();
    let digits = |s: &str, min: usize, max: usize| -> Option<u32> {
        (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (y, m, d) = if let Some(rest) = t.strip_suffix('日') {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        (y.trim(), m.trim(), d.trim())
    } else if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        (&t[..4], &t[4..6], &t[6..])
    } else {
        let sep = t.chars().find(|c| matches!(c, '-' | '.' | '/'))?;
        let mut parts = t.split(sep);
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    let year = digits(y, 4, 4)?;
    NaiveDate::from_ymd_opt(year as i32, digits(m, 1, 2)?, digits(d, 1, 2)?)
}

/// A day as stored and shown: `2023-09-05`.
pub fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// A Beijing time to the minute, as typed and shown: `2023-08-15 09:30`.
pub const MINUTE_FORMAT: &str = "%Y-%m-%d %H:%M";

/// An instant as screens show it to the minute, Beijing time: `2023-08-15 09:30`.
pub fn record_minute(t: DateTime<Utc>) -> String {
    local(t).format(MINUTE_FORMAT).to_string()
}

/// A Beijing time typed as exactly `YYYY-MM-DD HH:MM` (two digits each: a deleted digit is
/// caught, never read as another minute — chrono alone takes `09:3` for 09:03).
pub fn parse_minute(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    let (day, clock) = t.split_once(' ')?;
    let day = parse_day(day)?;
    let shape = clock.len() == 5
        && clock.bytes().enumerate().all(|(i, b)| {
            if i == 2 {
                b == b':'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    let time = chrono::NaiveTime::parse_from_str(clock, "%H:%M").ok()?;
    Some(from_local(day.and_time(time)))
}

/// A month typed as `YYYY-MM` (four-digit year, two-digit month 01–12): (year, month).
pub fn parse_month(text: &str) -> Option<(i32, u32)> {
    let t = text.trim();
    let (y, m) = t.split_once('-')?;
    if y.len() != 4 || m.len() != 2 || !t.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    let (year, month) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&month).then_some((year, month))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minute_is_typed_whole() {
        let t = parse_minute("2023-08-15 09:30").expect("valid");
        assert_eq!(record_minute(t), "2023-08-15 09:30");
        assert_eq!(record_time(t), "2023-08-15T01:30:00.000000000Z");
        for bad in [
            "2023-08-15 09:3",
            "2023-08-15 9:30",
            "2023-8-15 09:30",
            "2023-08-15 24:00",
            "2023-02-30 09:30",
            "2023-08-15T09:30",
            "",
        ] {
            assert_eq!(parse_minute(bad), None, "{bad}");
        }
    }

    #[test]
    fn months_are_four_digit_years_and_two_digit_months() {
        assert_eq!(parse_month("2023-09"), Some((2023, 9)));
        assert_eq!(parse_month(" 2023-12 "), Some((2023, 12)));
        for bad in [
            "2023-9",
            "2023-13",
            "2023-00",
            "23-09",
            "2023/09",
            "2023-+9",
            "2023-09-01",
        ] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_are_four_digit_years_two_digit_months_and_days() {
        assert_eq!(
            parse_day(" 2023-09-15 "),
            NaiveDate::from_ymd_opt(2023, 9, 15)
        );
        for bad in [
            "+10000-01-01",
            "10000-01-01",
            "2023-9-15",
            "23-09-15",
            "2023-02-30",
            "2023/09/15",
            "",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_are_read_as_people_write_them() {
        let day = NaiveDate::from_ymd_opt(2023, 9, 5);
        for ok in [
            "2023-9-5",
            "2023-09-05",
            " 2023-09-5 ",
            "2023.9.5",
            "2023.09.05",
            "2023/9/5",
            "2023/09/05",
            "2023年9月5日",
            "2023年09月05日",
            "2023 年 9 月 5 日",
            "20230905",
            "２０２３．９．５",
            "2023－9－5",
        ] {
            assert_eq!(parse_day_loose(ok), day, "{ok}");
            assert_eq!(
                parse_day_loose(ok).map(day_text).as_deref(),
                Some("2023-09-05")
            );
        }
        assert_eq!(
            parse_day_loose("2024年2月29日"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        for bad in [
            "",
            "   ",
            "2023-2-30",
            "2023年2月30日",
            "2023-13-1",
            "2023-0-1",
            "23-9-5",
            "23.9.5",
            "9/5/2023",
            "2023-9/5",
            "2023-9-5-1",
            "2023-9-",
            "2023-009-05",
            "+2023-9-5",
            "2023-9-5 09:30",
            "2023年9月5",
            "2023年9月",
            "2023905",
            "20231305",
            "十月五日",
        ] {
            assert_eq!(parse_day_loose(bad), None, "{bad}");
        }
    }

    #[test]
    fn beijing_is_eight_hours_ahead_of_utc() {
        let utc = DateTime::parse_from_rfc3339("2023-08-15T01:30:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(local(utc).to_string(), "2023-08-15 09:30:00");
        assert_eq!(from_local(local(utc)), utc);
    }
}
