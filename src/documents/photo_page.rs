//! Photos on paper: each attachment as a figure (the picture, embedded as a `data:` URI of the
//! original bytes, or a card for what is not printed as a picture: HEIC, video, a scan, a
//! damaged file) with its caption — capture time, place, what it shows, outside the visit —
//! never split across pages; two to an A4 page, or before and after side by side.

use super::html::{blank, esc};
use super::photos::Photo;
use super::time_text;
use crate::domain::attachment::{CaptureSource, media_label};
use crate::storage::attachment_files::size_text;

/// Print CSS of the photo pages, added to a document only when it prints photos (a document
/// without any keeps its bytes). A frame has a fixed height so that two figures and their
/// captions fill an A4 page whatever the pictures' sizes; the picture is scaled into it,
/// never cropped, turned by its EXIF orientation.
pub const STYLE: &str = r#"
.photos { break-before: page; page-break-before: always; }
.photos h2 { text-align: center; font-size: 15pt; letter-spacing: 0.2em; margin: 0 0 3mm; }
figure.photo { margin: 0 0 5mm; break-inside: avoid; page-break-inside: avoid; }
.frame { height: 85mm; border: 1px solid #000; display: flex; align-items: center;
         justify-content: center; overflow: hidden; }
.frame img { max-width: 100%; max-height: 100%; width: 100%; height: 100%; object-fit: contain;
             image-orientation: from-image; }
.card { flex-direction: column; font-size: 11pt; line-height: 1.6; padding: 4mm; height: auto;
        min-height: 40mm; text-align: center; }
figure.photo figcaption { font-size: 10pt; line-height: 1.55; margin-top: 1.5mm; }
.hash { font-family: monospace; font-size: 8.5pt; word-break: break-all; }
.outside { font-weight: bold; }
table.compare th { width: 50%; text-align: center; }
table.compare td { width: 50%; }
table.compare .frame { height: 60mm; }
table.compare figure.photo { margin: 0; }
table.compare tr { break-inside: avoid; page-break-inside: avoid; }
"#;

/// Base64 (RFC 4648, with padding) of `bytes`.
pub fn base64(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

/// "2023年9月5日 10时12分（照片信息）", or what is known instead.
fn capture_text(p: &Photo) -> String {
    let a = &p.record.data;
    match (a.captured_at, a.capture_source) {
        (None, _) => "未记录".into(),
        (Some(t), CaptureSource::FileTime) => {
            format!("{}（文件修改时间，不一定是拍摄时间）", time_text(t))
        }
        (Some(t), source) => format!("{}（{}）", time_text(t), source.label()),
    }
}

/// The picture, or a card saying what the file is.
fn frame(p: &Photo, n: usize) -> String {
    let a = &p.record.data;
    if let Some(bytes) = &p.image {
        return format!(
            "<div class=\"frame\"><img alt=\"照片 {n}\" src=\"data:{};base64,{}\"></div>",
            esc(&a.media_type),
            base64(bytes)
        );
    }
    let why = if p.damaged {
        "存储的文件缺失或与记录的校验值不符，无法印出"
    } else {
        "此类文件不在文书中显示画面：用 paicha attachment export 导出原文件查看"
    };
    format!(
        "<div class=\"frame card\"><b>{}</b>{}<br>拍摄时间：{}<br>大小：{}<br>\
         <span class=\"hash\">SHA-256：{}</span><br>{why}</div>",
        esc(&media_label(&a.media_type)),
        esc(&format!("　{}", a.file_name)),
        esc(&capture_text(p)),
        esc(&size_text(a.size)),
        esc(&a.sha256),
    )
}

/// One attachment, numbered `n`: the picture (or card) and its caption.
pub fn figure(p: &Photo, n: usize) -> String {
    let a = &p.record.data;
    let outside = p
        .outside
        .map(|o| format!("　<span class=\"outside\">{}</span>", esc(&o.text())))
        .unwrap_or_default();
    let place = a.place.map_or_else(|| "未记录".to_string(), |pl| pl.text());
    let note = if a.note.trim().is_empty() {
        blank(100)
    } else {
        esc(a.note.trim())
    };
    format!(
        "<figure class=\"photo\">{}<figcaption><b>照片 {n}</b>　附于：{}<br>\
         拍摄时间：{}{outside}<br>拍摄地点：{}<br>所示内容：{note}<br>\
         原文件：{}（{}，{}）　<span class=\"hash\">SHA-256：{}</span></figcaption></figure>\n",
        frame(p, n),
        esc(&p.of),
        esc(&capture_text(p)),
        esc(&place),
        esc(&a.file_name),
        esc(&media_label(&a.media_type)),
        esc(&size_text(a.size)),
        esc(&a.sha256),
    )
}

/// A photo page (starting on a new page) titled `title`.
pub fn section(title: &str, photos: &[Photo]) -> String {
    let mut out = format!("<section class=\"photos\">\n<h2>{}</h2>\n", esc(title));
    out.push_str(&figures(photos));
    out.push_str("</section>\n");
    out
}

/// The figures, numbered from 1.
pub fn figures(photos: &[Photo]) -> String {
    photos
        .iter()
        .enumerate()
        .map(|(k, p)| figure(p, k + 1))
        .collect()
}

/// Before and after side by side, row by row (a page of its own).
pub fn comparison(before: &[Photo], after: &[Photo]) -> String {
    let mut out = String::from(
        "<section class=\"photos\">\n<h2>整改前后照片</h2>\n\
         <table class=\"compare\"><tr><th>整改前</th><th>整改后</th></tr>\n",
    );
    let cell = |p: Option<&Photo>, n: usize| match p {
        Some(p) => figure(p, n),
        None => "（无）".to_string(),
    };
    for k in 0..before.len().max(after.len()) {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td></tr>\n",
            cell(before.get(k), k + 1),
            cell(after.get(k), before.len() + k + 1),
        ));
    }
    out.push_str("</table>\n</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_is_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }
}
