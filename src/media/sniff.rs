//! The media type of a file by its first bytes (never by its name): the photos, videos and
//! scans an inspector attaches. Anything else is not accepted as an attachment.

/// How many leading bytes [`media_type`] needs to decide.
pub const HEAD: usize = 64;

/// Every type [`media_type`] can answer, for messages and checks of records made elsewhere.
pub const SUPPORTED: [&str; 10] = [
    "image/jpeg",
    "image/png",
    "image/heic",
    "image/heif",
    "image/avif",
    "video/mp4",
    "video/quicktime",
    "video/3gpp",
    "video/x-msvideo",
    "application/pdf",
];

/// The formats accepted, as users know them.
pub const SUPPORTED_TEXT: &str =
    "JPEG、PNG、HEIC/HEIF、AVIF 照片，MP4、MOV、3GP、AVI 视频，PDF 扫描件";

/// The media type of a file starting with `b` (at least its first [`HEAD`] bytes when it has
/// them), or `None` when it is none of the [`SUPPORTED`] ones.
pub fn media_type(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if b.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"AVI " {
        return Some("video/x-msvideo");
    }
    if b.len() >= 12 && &b[4..8] == b"ftyp" {
        return Some(ftyp(b));
    }
    // Old QuickTime without ftyp: the first box is moov, mdat or wide.
    if b.len() >= 8 && matches!(&b[4..8], b"moov" | b"mdat" | b"wide") {
        return Some("video/quicktime");
    }
    None
}

/// An ISO base media file by its `ftyp` box: the major brand and the compatible ones.
fn ftyp(b: &[u8]) -> &'static str {
    let size = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
    let major = &b[8..12];
    let compatible = b.get(16..size.min(b.len())).unwrap_or(&[]).chunks_exact(4);
    let mut heif = false;
    let mut avif = false;
    for brand in std::iter::once(major).chain(compatible) {
        match brand {
            b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" => return "image/heic",
            b"mif1" | b"msf1" => heif = true,
            b"avif" | b"avis" => avif = true,
            _ => {}
        }
    }
    if avif {
        "image/avif"
    } else if heif {
        "image/heif"
    } else {
        match major {
            b"qt  " => "video/quicktime",
            b"3gp4" | b"3gp5" | b"3gp6" | b"3g2a" => "video/3gpp",
            _ => "video/mp4",
        }
    }
}

/// Whether `media_type` is a photo (as opposed to a video or a scan).
pub fn is_image(media_type: &str) -> bool {
    media_type.starts_with("image/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An `ftyp` box with `major` and `compatible` brands, then some bytes.
    fn ftyp_box(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len();
        let mut b = (size as u32).to_be_bytes().to_vec();
        b.extend_from_slice(b"ftyp");
        b.extend_from_slice(major);
        b.extend_from_slice(&[0, 0, 0, 0]);
        for c in compatible {
            b.extend_from_slice(*c);
        }
        b.extend_from_slice(&[0; 16]);
        b
    }

    #[test]
    fn images_scans_and_videos_are_told_by_their_first_bytes() {
        assert_eq!(
            media_type(&[0xFF, 0xD8, 0xFF, 0xE1, 0, 0]),
            Some("image/jpeg")
        );
        assert_eq!(
            media_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("image/png")
        );
        assert_eq!(media_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(
            media_type(b"RIFF\x10\0\0\0AVI LIST"),
            Some("video/x-msvideo")
        );
        assert_eq!(
            media_type(b"\0\0\0\x08wide\0\0\0\0mdat"),
            Some("video/quicktime")
        );
        assert_eq!(
            media_type(b"\0\0\x10\0moov\0\0\0\0"),
            Some("video/quicktime")
        );
    }

    #[test]
    fn iso_media_brands_decide_heic_heif_avif_and_the_video_kinds() {
        assert_eq!(
            media_type(&ftyp_box(b"heic", &[b"mif1"])),
            Some("image/heic")
        );
        assert_eq!(
            media_type(&ftyp_box(b"mif1", &[b"heic"])),
            Some("image/heic")
        );
        assert_eq!(media_type(&ftyp_box(b"heix", &[])), Some("image/heic"));
        assert_eq!(
            media_type(&ftyp_box(b"mif1", &[b"miaf"])),
            Some("image/heif")
        );
        assert_eq!(
            media_type(&ftyp_box(b"avif", &[b"mif1"])),
            Some("image/avif")
        );
        assert_eq!(
            media_type(&ftyp_box(b"qt  ", &[b"qt  "])),
            Some("video/quicktime")
        );
        assert_eq!(
            media_type(&ftyp_box(b"3gp4", &[b"isom"])),
            Some("video/3gpp")
        );
        assert_eq!(
            media_type(&ftyp_box(b"isom", &[b"iso2", b"mp41"])),
            Some("video/mp4")
        );
        assert_eq!(
            media_type(&ftyp_box(b"XAVC", &[b"mp42"])),
            Some("video/mp4")
        );
    }

    #[test]
    fn other_files_and_short_ones_are_not_media() {
        for bytes in [
            &b""[..],
            b"\xFF\xD8",
            b"GIF89a",
            b"PK\x03\x04",
            b"hello world, a text file",
            b"RIFF\x10\0\0\0WEBPVP8 ",
            b"\0\0\0\x10ftyp",
            b"<html>",
        ] {
            assert_eq!(media_type(bytes), None, "{bytes:?}");
        }
        for t in SUPPORTED {
            assert!(t.contains('/'), "{t}");
        }
    }
}
