//! What a photo, video or scan says about itself, read from its bytes: the media type by magic
//! bytes ([`sniff`]), the capture time and place from EXIF ([`exif`]), a video's creation time
//! from its container ([`mvhd`]). Readers take any `Read + Seek` and never load a whole file.

pub mod exif;
pub mod mvhd;
pub mod sniff;

use crate::domain::attachment::{CaptureSource, Place};
use chrono::{DateTime, Utc};
use std::io::{Read, Seek, SeekFrom};

/// The capture facts of one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Capture {
    /// When and from where the time was read; `None` when the file says nothing (the caller
    /// then falls back to the file time).
    pub at: Option<(DateTime<Utc>, CaptureSource)>,
    pub place: Option<Place>,
    /// EXIF Orientation 1..=8, for previews (the bytes are stored as they are).
    pub orientation: Option<u32>,
}

/// The capture time and place `media_type` (from [`sniff::media_type`]) carries, read from
/// `r`. A file whose metadata is missing or malformed yields an empty [`Capture`]: metadata is
/// a fact for the reader, never a reason to refuse evidence.
pub fn capture<R: Read + Seek>(media_type: &str, r: &mut R) -> Capture {
    let mut out = Capture::default();
    if media_type.starts_with("image/") {
        if r.seek(SeekFrom::Start(0)).is_ok()
            && let Ok(meta) = exif::read(&mut *r)
        {
            out.at = meta.taken.map(|t| (t, CaptureSource::Exif));
            out.place = meta.place;
            out.orientation = meta.orientation;
        }
    } else if mvhd::is_isobmff_video(media_type)
        && let Ok(Some(t)) = mvhd::creation_time(r)
    {
        out.at = Some((t, CaptureSource::Container));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::fs::File {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media");
        std::fs::File::open(dir.join(name)).expect(name)
    }

    #[test]
    fn a_camera_video_gives_its_container_time_and_a_phone_photo_its_exif() {
        let video = capture("video/mp4", &mut fixture("sony-a7-xavc.mp4"));
        let (t, how) = video.at.expect("time");
        assert_eq!(t.to_rfc3339(), "2026-04-26T09:25:15+00:00");
        assert_eq!(how, CaptureSource::Container);
        let photo = capture("image/jpeg", &mut fixture("exif-no-tz.jpg"));
        assert_eq!(photo.at.map(|(_, how)| how), Some(CaptureSource::Exif));
        assert!(photo.place.is_some());
    }

    #[test]
    fn a_scan_or_a_photo_without_metadata_says_nothing() {
        let mut pdf = std::io::Cursor::new(b"%PDF-1.4\n".to_vec());
        assert_eq!(capture("application/pdf", &mut pdf), Capture::default());
        let mut bare = std::io::Cursor::new(vec![0xFF, 0xD8, 0xFF, 0xD9]);
        assert_eq!(capture("image/jpeg", &mut bare), Capture::default());
        // A video type whose bytes are not a container.
        let mut junk = std::io::Cursor::new(vec![0u8; 3]);
        assert_eq!(capture("video/mp4", &mut junk), Capture::default());
    }
}
