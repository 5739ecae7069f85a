//! Finding an enterprise (later: a hazard) by what an inspector can type on a field laptop
//! without a Chinese input method: pinyin initials (`fsjy` → 方山县加油站), part of the credit
//! code, or plain text (Chinese when an IME is there).

/// The initials of every Chinese character, tabled by build.rs from the `pinyin` crate.
mod initials_table {
    include!(concat!(env!("OUT_DIR"), "/pinyin_initials.rs"));
}

/// The initials `c` may be read with, as a bit set (bit 0 = a … bit 25 = z); heteronyms give
/// several (长 → c, z); none for anything but a Chinese character. The table's encoding is
/// described in build.rs.
fn pinyin_initials(c: char) -> u64 {
    use initials_table::{BLOCKS, MULTI, RARE};
    let code = u32::from(c);
    let Some(&byte) = BLOCKS
        .iter()
        .take_while(|(start, _)| *start <= code)
        .find_map(|(start, run)| run.get((code - start) as usize))
    else {
        return 0;
    };
    let set = match byte {
        0 => 0,
        1..=26 => 1 << (byte - 1),
        255 => RARE
            .binary_search_by_key(&code, |&(rare, _)| rare)
            .map_or(0, |i| RARE[i].1),
        _ => MULTI[usize::from(byte - 27)],
    };
    u64::from(set)
}

/// What a name is searched by, computed once per record (not per keystroke).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchKey {
    name: Vec<char>,
    /// For each character of the name, as a bit set: the initials it may be read with
    /// (heteronyms give several: 长 → c, z); ASCII letters and digits stand for themselves.
    initials: Vec<u64>,
    code: String,
}

impl SearchKey {
    pub fn new(name: &str, code: &str) -> SearchKey {
        let name: Vec<char> = name.chars().collect();
        let initials = name
            .iter()
            .map(|&c| {
                if c.is_ascii_alphanumeric() {
                    return bit(c.to_ascii_lowercase() as u8);
                }
                pinyin_initials(c)
            })
            .collect();
        SearchKey {
            name,
            initials,
            code: code.to_ascii_lowercase(),
        }
    }

    /// How well `query` matches, higher is better; `None` when it does not.
    pub fn score(&self, query: &str) -> Option<u32> {
        self.score_prepared(&Query::new(query))
    }

    fn score_prepared(&self, q: &Query) -> Option<u32> {
        if q.lower.is_empty() && q.chars.is_empty() {
            return Some(0);
        }
        if !q.ascii {
            return find(&self.name, &q.chars).map(|at| 1000 - at.min(999) as u32);
        }
        // Credit codes are searched by their digits: a query without one is initials only
        // (and this keeps a keystroke over a large registry cheap).
        let mut best = if q.has_digit {
            self.code
                .find(q.text.as_str())
                .map(|at| 800 - at.min(799) as u32)
        } else {
            None
        };
        if let Some(s) = self.initials_score(&q.lower) {
            best = best.max(Some(s));
        }
        best
    }

    /// Matches the query letters, in order, against the characters' initials. Starting at the
    /// first character and running on without gaps scores highest.
    fn initials_score(&self, q: &[u8]) -> Option<u32> {
        let mut qi = 0;
        let mut first = None;
        let mut gaps = 0u32;
        let mut last = None;
        for (i, options) in self.initials.iter().enumerate() {
            if qi == q.len() {
                break;
            }
            if options & bit(q[qi]) != 0 {
                first.get_or_insert(i);
                if let Some(prev) = last
                    && i > prev + 1
                {
                    gaps += 1;
                }
                last = Some(i);
                qi += 1;
            }
        }
        (qi == q.len()).then(|| {
            let start = first.unwrap_or(0) as u32;
            600u32.saturating_sub(start * 10).saturating_sub(gaps * 5)
        })
    }
}

/// A query prepared once per keystroke, not once per record.
struct Query {
    text: String,
    lower: Vec<u8>,
    chars: Vec<char>,
    ascii: bool,
    has_digit: bool,
}

impl Query {
    fn new(query: &str) -> Query {
        let query = query.trim();
        let ascii = query.is_ascii();
        let text = query.to_ascii_lowercase();
        Query {
            lower: if ascii {
                text.as_bytes().to_vec()
            } else {
                Vec::new()
            },
            chars: if ascii {
                Vec::new()
            } else {
                query.chars().collect()
            },
            has_digit: text.bytes().any(|b| b.is_ascii_digit()),
            text,
            ascii,
        }
    }
}

/// The bit of an ASCII letter or digit (letters 0–25, digits 26–35); 0 for anything else.
fn bit(b: u8) -> u64 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'0'..=b'9' => 1 << (26 + b - b'0'),
        _ => 0,
    }
}

fn find(haystack: &[char], needle: &[char]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len()).find(|&i| haystack[i..i + needle.len()] == *needle)
}

/// Indices of `keys` matching `query`, best first (ties in registry order).
pub fn rank(keys: &[SearchKey], query: &str) -> Vec<usize> {
    rank_within(keys, query, 0..keys.len())
}

/// As [`rank`], looking only at `candidates` (ties keep the candidates' order): when the
/// query grew by a character, the new hits are among the old ones, so typing narrows a
/// shrinking list instead of rescanning the registry.
pub fn rank_within(
    keys: &[SearchKey],
    query: &str,
    candidates: impl IntoIterator<Item = usize>,
) -> Vec<usize> {
    let q = Query::new(query);
    // Scores are small numbers: bucket by score (linear, where a comparison sort of a whole
    // registry matching "f" would not be), best first, candidate order within a score.
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); 1001];
    for i in candidates {
        if let Some(score) = keys.get(i).and_then(|k| k.score_prepared(&q)) {
            buckets[score.min(1000) as usize].push(i);
        }
    }
    buckets.into_iter().rev().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> SearchKey {
        SearchKey::new(name, "91350100M000100Y43")
    }

    #[test]
    fn the_built_table_of_initials_agrees_with_the_pinyin_crate_on_every_code_point() {
        use pinyin::ToPinyinMulti;
        let mut chinese = 0;
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let expected = c.to_pinyin_multi().map_or(0, |multi| {
                multi
                    .into_iter()
                    .filter_map(|p| p.first_letter().bytes().next())
                    .fold(0, |set, letter| set | bit(letter))
            });
            assert_eq!(pinyin_initials(c), expected, "{c} U+{:04X}", u32::from(c));
            chinese += usize::from(expected != 0);
        }
        assert!(chinese > 40_000, "{chinese} characters with pinyin");
        assert_eq!(pinyin_initials('长'), bit(b'c') | bit(b'z'));
        assert_eq!(pinyin_initials('a'), 0);
    }

    #[test]
    fn pinyin_initials_find_chinese_names() {
        assert!(key("方山县加油站").score("fsjy").is_some(), "skips 县");
        assert!(key("方山县加油站").score("fsx").is_some());
        assert!(
            key("方山县加油站").score("FSXJYZ").is_some(),
            "case does not matter"
        );
        assert!(key("方山县加油站").score("fsq").is_none());
        // Heteronyms: 长 reads chang or zhang.
        assert!(key("长城燃气").score("ccrq").is_some());
        assert!(key("长城燃气").score("zcrq").is_some());
    }

    #[test]
    fn credit_code_and_chinese_text_also_match() {
        assert!(key("方山县加油站").score("m0001").is_some());
        assert!(key("方山县加油站").score("加油").is_some());
        assert!(key("方山县加油站").score("粮库").is_none());
    }

    #[test]
    fn prefix_and_contiguous_matches_rank_first() {
        let keys = vec![
            key("大武镇方山加油站"),
            key("方山县加油站"),
            key("方山粮库"),
        ];
        let ranked = rank(&keys, "fs");
        assert_eq!(ranked[0], 1, "starts at the first character");
        assert_eq!(ranked.len(), 3);
        assert_eq!(rank(&keys, "fsjy"), [1, 0]);
        assert_eq!(rank(&keys, "").len(), 3, "an empty query lists everything");
        // Narrowing within earlier hits finds the same records as a full search.
        let earlier = rank(&keys, "fs");
        let mut narrowed = rank_within(&keys, "fsjy", earlier);
        let mut full = rank(&keys, "fsjy");
        assert_eq!(narrowed[0], full[0], "the best match is the same");
        narrowed.sort_unstable();
        full.sort_unstable();
        assert_eq!(narrowed, full);
    }
}
