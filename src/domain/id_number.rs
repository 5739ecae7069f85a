//! 居民身份证号码 (GB 11643-1999): 17 digits and a check character (0–9 or X).

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// The check character (0–9 or X) of the first 17 digits; `None` unless they are 17 digits.
pub fn check_character(body: &str) -> Option<char> {
    let bytes = body.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(CHECK[(sum % 11) as usize] as char)
}

/// Validates an ID number; returns it upper-cased, or a Chinese reason.
pub fn validate_id_number(input: &str) -> Result<String, String> {
    let id = input.trim().to_ascii_uppercase();
    let bytes = id.as_bytes();
    if bytes.len() != 18 {
        return Err(format!(
            "身份证号应为 18 位，实际 {} 位",
            id.chars().count()
        ));
    }
    if !bytes[..17].iter().all(u8::is_ascii_digit) {
        return Err("身份证号前 17 位应全部是数字".to_string());
    }
    let birth = &id[6..14];
    if chrono::NaiveDate::parse_from_str(birth, "%Y%m%d").is_err() {
        return Err(format!("身份证号中的出生日期 {birth} 不存在"));
    }
    let expected = check_character(&id[..17]).map_or(0, |c| c as u8);
    if bytes[17] != expected {
        return Err(format!(
            "身份证号校验位错误：末位应为“{}”，请核对是否抄错",
            expected as char
        ));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standards_example_and_an_x_check_are_valid() {
        // GB 11643-1999's worked example, and a well-known published sample ending in X.
        assert_eq!(
            validate_id_number("11010519491231002X"),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            validate_id_number("440524188001010014"),
            Ok("440524188001010014".into())
        );
        assert_eq!(
            validate_id_number("11010519491231002x"),
            Ok("11010519491231002X".into())
        );
    }

    #[test]
    fn wrong_check_length_or_date_are_refused() {
        assert!(
            validate_id_number("110105194912310021")
                .unwrap_err()
                .contains("校验位错误")
        );
        assert!(
            validate_id_number("1101051949123100")
                .unwrap_err()
                .contains("18 位")
        );
        assert!(
            validate_id_number("110105194913310021")
                .unwrap_err()
                .contains("出生日期")
        );
        assert!(
            validate_id_number("11010519491231A02X")
                .unwrap_err()
                .contains("数字")
        );
    }
}
