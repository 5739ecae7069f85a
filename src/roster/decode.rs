//! Turning a roster file's bytes into text, with a useful message when they are not UTF-8.

/// Decodes UTF-8 (a byte-order mark is dropped). Other encodings are refused with a message
/// that says how to re-save the file; GBK is what older Excel and WPS write by default.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
        return Err("文件是 UTF-16（Excel“Unicode 文本”）编码。请在 Excel/WPS 中“另存为”→“CSV UTF-8（逗号分隔）”后重新导入".to_string());
    }
    std::str::from_utf8(body).map_err(|e| {
        let offset = e.valid_up_to();
        let line = body[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        format!(
            "文件不是 UTF-8 编码（第{line}行起无法识别，多半是 GBK/GB2312 编码）。\
             请在 Excel/WPS 中“另存为”→“CSV UTF-8（逗号分隔）”后重新导入"
        )
    })
}
