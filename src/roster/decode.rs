//! Turning a roster file's bytes into text: UTF-8 (with or without a byte-order mark), or the
//! GBK/GB18030 that Chinese Excel and WPS write for "CSV（逗号分隔）". Anything else is refused
//! with a message that says how to re-save the file.

use std::borrow::Cow;

/// Decodes UTF-8 (a byte-order mark is dropped), else GB18030 (a superset of GBK and GB2312).
/// Bytes that are valid in neither, or that decode to control characters no spreadsheet writes
/// in a CSV (a binary file), are refused.
pub fn decode_text(bytes: &[u8]) -> Result<Cow<'_, str>, String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
        return Err("文件是 UTF-16（Excel“Unicode 文本”）编码。请在 Excel/WPS 中“另存为”→“CSV UTF-8（逗号分隔）”或 Excel 工作簿（.xlsx）后重新导入".to_string());
    }
    let text = match std::str::from_utf8(body) {
        Ok(text) => Cow::Borrowed(text),
        Err(utf8) => {
            // GB18030's decoder is also the WHATWG GBK decoder: it takes every GBK/GB2312 file.
            match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(body) {
                Some(text) => text,
                None => {
                    // Named where the encoding the file got further in stops making sense.
                    let offset = utf8.valid_up_to().max(gb18030_valid_up_to(body));
                    let line = body[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
                    return Err(format!(
                        "文件既不是 UTF-8 编码也不是 GBK 编码（第{line}行起无法识别），可能不是 CSV 文本文件。\
                         请在 Excel/WPS 中“另存为”→“CSV UTF-8（逗号分隔）”或 Excel 工作簿（.xlsx）后重新导入"
                    ));
                }
            }
        }
    };
    if let Some(offset) = text.find(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        let line = crate::templates::error::line_of(&text, offset);
        return Err(format!(
            "文件第{line}行有控制字符，不是 CSV 文本文件。名册请用 Excel 工作簿（.xlsx/.xls）或 CSV（逗号分隔）"
        ));
    }
    Ok(text)
}

/// How many bytes from the start decode as GB18030 before the first malformed sequence.
fn gb18030_valid_up_to(bytes: &[u8]) -> usize {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    match decoder.decode_to_string_without_replacement(bytes, &mut out, true) {
        (encoding_rs::DecoderResult::Malformed(bad, extra), read) => {
            read.saturating_sub(usize::from(bad) + usize::from(extra))
        }
        _ => bytes.len(),
    }
}
