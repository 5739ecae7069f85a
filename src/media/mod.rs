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
