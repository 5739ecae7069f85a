//! Lowercase hexadecimal, as keys, signatures and hashes are written in the database and in
//! bundles.

pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// Exactly `N` bytes from `2N` lowercase hex digits; `None` for anything else.
pub fn decode<const N: usize>(text: &str) -> Option<[u8; N]> {
    let t = text.as_bytes();
    if t.len() != 2 * N {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; N];
    for (i, pair) in t.chunks(2).enumerate() {
        out[i] = (digit(pair[0])? << 4) | digit(pair[1])?;
    }
    Some(out)
}

/// What is wrong with `text` as `N` bytes of lowercase hex, in Chinese for a message naming
/// the field; `None` when nothing is. Uppercase digits are said to be uppercase: the one
/// spelling is lowercase (keys, signatures and hashes are compared as text).
pub fn problem<const N: usize>(text: &str) -> Option<String> {
    if decode::<N>(text).is_some() {
        return None;
    }
    let digits = 2 * N;
    Some(
        if text.len() == digits && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            format!("应为 {digits} 位小写十六进制数字（不能用大写字母 A–F）")
        } else {
            format!("应为 {digits} 位小写十六进制数字")
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_shapes() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(encode(&bytes), "0001abff");
        assert_eq!(decode::<4>("0001abff"), Some(bytes));
        for bad in ["0001ABFF", "0001abf", "0001abfg", ""] {
            assert_eq!(decode::<4>(bad), None, "{bad}");
        }
        assert_eq!(problem::<4>("0001abff"), None);
        let upper = problem::<4>("0001ABFF").expect("uppercase");
        assert!(upper.contains("小写") && upper.contains("大写"), "{upper}");
        let short = problem::<4>("0001abf").expect("short");
        assert!(
            short.contains("8 位小写十六进制") && !short.contains("大写"),
            "{short}"
        );
    }
}
