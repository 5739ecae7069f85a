//! Finding an enterprise (later: a hazard) by what an inspector can type on a field laptop
//! without a Chinese input method: pinyin initials (`fsjy` → 方山县加油站), part of the credit
//! code, or plain text (Chinese when an IME is there).

use pinyin::ToPinyinMulti;

/// What a name is searched by, computed once per record (not per keystroke).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchKey {
    name: Vec<char>,
    /// For each character of the name: the initials it may be read with (heteronyms give
    /// several: 长 → c, z), lower case; other characters stand for themselves.
    initials: Vec<Vec<u8>>,
    code: String,
}

impl SearchKey {
    pub fn new(name: &str, code: &str) -> SearchKey {
        let name: Vec<char> = name.chars().collect();
        let initials = name
            .iter()
            .map(|&c| {
                if c.is_ascii_alphanumeric() {
                    return vec![c.to_ascii_lowercase() as u8];
                }
                let mut letters: Vec<u8> = c
                    .to_pinyin_multi()
                    .map(|multi| {
                        multi
                            .into_iter()
                            .filter_map(|p| p.first_letter().bytes().next())
                            .collect()
                    })
                    .unwrap_or_default();
                letters.sort_unstable();
                letters.dedup();
                letters
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
        let query = query.trim();
        if query.is_empty() {
            return Some(0);
        }
        if !query.is_ascii() {
            let q: Vec<char> = query.chars().collect();
            return find(&self.name, &q).map(|at| 1000 - at.min(999) as u32);
        }
        let q = query.to_ascii_lowercase();
        let mut best = None;
        if let Some(at) = self.code.find(&q) {
            best = Some(800 - at.min(799) as u32);
        }
        if let Some(s) = self.initials_score(q.as_bytes()) {
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
            if options.contains(&q[qi]) {
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

fn find(haystack: &[char], needle: &[char]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len()).find(|&i| haystack[i..i + needle.len()] == *needle)
}

/// Indices of `keys` matching `query`, best first (ties keep their original order).
pub fn rank(keys: &[SearchKey], query: &str) -> Vec<usize> {
    let mut hits: Vec<(u32, usize)> = keys
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.score(query).map(|s| (s, i)))
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> SearchKey {
        SearchKey::new(name, "91350100M000100Y43")
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
    }
}
