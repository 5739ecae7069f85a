//! Photos, videos and scans attached as evidence. An attachment is its own signed record that
//! names its target and the file's hash: addable at any time, also long after the inspection
//! was finalized (photos usually come off the camera back at the office), and it never
//! changes the signature of what it is attached to. Never edited, never deleted.
//!
//! The file itself lives in the data dir's content-addressed store (`attachments/<sha256>`),
//! byte for byte as it came from the camera.

use super::code_enum::code_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use uuid::Uuid;

code_enum! {
    /// What an attachment is attached to.
    TargetKind, "附件对象" {
        Inspection = "inspection" / "检查记录",
        /// One item of an inspection: the target id is the inspection's, with the item code.
        Answer = "answer" / "检查项",
        Hazard = "hazard" / "隐患",
        /// One step of a hazard's closed loop (a verification's before/after photos).
        HazardEvent = "hazard_event" / "隐患办理记录",
        Evidence = "evidence" / "证据记录",
        Action = "action" / "执法措施",
    }
}

code_enum! {
    /// Which side of a rectification a hazard's photo shows (the re-inspection compares them).
    PhotoRole, "照片用途" {
        Before = "before" / "整改前",
        After = "after" / "整改后",
    }
}

code_enum! {
    /// Where the capture time came from.
    CaptureSource, "拍摄时间来源" {
        /// The photo's EXIF (`DateTimeOriginal`).
        Exif = "exif" / "照片信息",
        /// The video container's creation time (`moov/mvhd`).
        Container = "container" / "视频文件信息",
        /// The file's modification time: the file said nothing itself.
        FileTime = "file_time" / "文件修改时间",
    }
}

/// Where a photo was taken (WGS 84 degrees, from EXIF GPS).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub lat: f64,
    pub lon: f64,
}

impl Place {
    /// A place, or `None` when the numbers are no place on earth.
    pub fn new(lat: f64, lon: f64) -> Option<Place> {
        (lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0)
            .then_some(Place { lat, lon })
    }

    /// As stored: degrees × 10⁷, exact integers (so a signed record never depends on how a
    /// float is printed).
    pub fn to_e7(self) -> (i64, i64) {
        (
            (self.lat * 1e7).round() as i64,
            (self.lon * 1e7).round() as i64,
        )
    }

    pub fn from_e7(lat: i64, lon: i64) -> Option<Place> {
        Place::new(lat as f64 / 1e7, lon as f64 / 1e7)
    }

    /// "北纬 37.875000°，东经 112.560000°".
    pub fn text(self) -> String {
        let (ns, ew) = (
            if self.lat < 0.0 { "南纬" } else { "北纬" },
            if self.lon < 0.0 { "西经" } else { "东经" },
        );
        format!("{ns} {:.6}°，{ew} {:.6}°", self.lat.abs(), self.lon.abs())
    }
}

/// One attached file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub target_kind: TargetKind,
    /// The record attached to (for [`TargetKind::Answer`]: its inspection).
    pub target_id: Uuid,
    /// The item, for an answer.
    pub item_code: Option<String>,
    /// Before or after rectification, for a hazard or one of its steps.
    pub role: Option<PhotoRole>,
    /// Lowercase hex SHA-256 of the bytes: the file's name in the store.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
    /// By magic bytes (`media::sniff`), never by the file name.
    pub media_type: String,
    /// The file's name where it came from (no folder).
    pub file_name: String,
    pub captured_at: Option<DateTime<Utc>>,
    pub capture_source: CaptureSource,
    pub place: Option<Place>,
    /// What the photo shows (may be empty).
    pub note: String,
}

/// Limits on attachments (`[attachments]` of `config/rules.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRules {
    /// A file larger than this many MB (MiB) is refused.
    pub max_file_mb: u32,
    /// A bundle whose attachments add up to more than this many MB (MiB) is neither written
    /// nor read. Below 4 GiB: a bundle is a zip without ZIP64.
    #[serde(default = "default_bundle_mb")]
    pub max_bundle_mb: u32,
}

fn default_bundle_mb() -> u32 {
    3072
}

impl Default for AttachmentRules {
    fn default() -> AttachmentRules {
        AttachmentRules {
            max_file_mb: 2048,
            max_bundle_mb: default_bundle_mb(),
        }
    }
}

impl AttachmentRules {
    /// The largest file accepted, in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        u64::from(self.max_file_mb) * 1024 * 1024
    }

    /// The most attachment bytes one bundle may carry.
    pub fn max_bundle_bytes(&self) -> u64 {
        u64::from(self.max_bundle_mb) * 1024 * 1024
    }
}

/// Whether `text` is a SHA-256 as stored: 64 lowercase hex digits.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Why the attachment record is malformed, or `Ok`: the checks a record written here and one
/// brought by a bundle alike must pass (`media_types`: the types the store accepts).
pub fn check(a: &Attachment, media_types: &[&str]) -> Result<(), String> {
    match (a.target_kind, &a.item_code) {
        (TargetKind::Answer, None) => return Err("附在检查项上的附件须写明检查项编号".into()),
        (TargetKind::Answer, Some(code)) if code.trim().is_empty() => {
            return Err("附在检查项上的附件须写明检查项编号".into());
        }
        (TargetKind::Answer, Some(_)) | (_, None) => {}
        (kind, Some(_)) => return Err(format!("附在{}上的附件不能指定检查项", kind.label())),
    }
    if a.role.is_some() && !matches!(a.target_kind, TargetKind::Hazard | TargetKind::HazardEvent) {
        return Err("“整改前/整改后”只用于隐患及其办理记录的照片".into());
    }
    if !is_sha256(&a.sha256) {
        return Err(format!("文件校验值“{}”不是 SHA-256", a.sha256));
    }
    if a.size == 0 {
        return Err("附件不能是空文件".into());
    }
    if !media_types.contains(&a.media_type.as_str()) {
        return Err(format!("不支持的文件类型 {}", a.media_type));
    }
    if a.file_name.trim().is_empty() || a.file_name.contains(['/', '\\', '\0']) {
        return Err(format!("原文件名“{}”无效", a.file_name));
    }
    if a.captured_at.is_none() && a.capture_source != CaptureSource::FileTime {
        return Err(format!(
            "拍摄时间来源为“{}”却没有拍摄时间",
            a.capture_source.label()
        ));
    }
    Ok(())
}

/// When a capture falls outside a visit: a fact shown to the reader, never a refusal (the
/// camera's clock may be wrong, or the photo was taken on another visit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutsideVisit {
    /// Taken this long before the arrival.
    BeforeArrival(chrono::Duration),
    /// Taken this long after the departure.
    AfterDeparture(chrono::Duration),
}

impl OutsideVisit {
    /// "拍摄于到达现场前 2 小时 5 分".
    pub fn text(self) -> String {
        match self {
            OutsideVisit::BeforeArrival(d) => format!("拍摄于到达现场前 {}", span_text(d)),
            OutsideVisit::AfterDeparture(d) => format!("拍摄于离开现场后 {}", span_text(d)),
        }
    }
}

/// Whether a capture at `captured_at` falls outside the visit from `arrival` to `departure`
/// (`None`: the visit is still going on, only the arrival bounds it).
pub fn outside_visit(
    captured_at: DateTime<Utc>,
    arrival: DateTime<Utc>,
    departure: Option<DateTime<Utc>>,
) -> Option<OutsideVisit> {
    if captured_at < arrival {
        return Some(OutsideVisit::BeforeArrival(arrival - captured_at));
    }
    match departure {
        Some(d) if captured_at > d => Some(OutsideVisit::AfterDeparture(captured_at - d)),
        _ => None,
    }
}

/// Whether the attachment's capture falls outside the visit: only a time the file itself
/// recorded counts (a file time is usually when it was copied, not when it was taken).
pub fn attachment_outside_visit(
    a: &Attachment,
    arrival: DateTime<Utc>,
    departure: Option<DateTime<Utc>>,
) -> Option<OutsideVisit> {
    if a.capture_source == CaptureSource::FileTime {
        return None;
    }
    outside_visit(a.captured_at?, arrival, departure)
}

/// A span as people say it: "3 天 2 小时", "2 小时 5 分", "40 秒".
fn span_text(d: chrono::Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{secs} 秒"),
        (0, 0, m) => format!("{m} 分"),
        (0, h, 0) => format!("{h} 小时"),
        (0, h, m) => format!("{h} 小时 {m} 分"),
        (d, 0, _) => format!("{d} 天"),
        (d, h, _) => format!("{d} 天 {h} 小时"),
    }
}

/// A name to write `file_name` under in a folder where `taken` are already used: the folder
/// part and characters no file system takes are removed, an empty name becomes `fallback`,
/// and a repeated name gets " (2)", " (3)"… before its extension. Case-insensitive, as on
/// Windows and macOS.
pub fn export_name(file_name: &str, fallback: &str, taken: &mut HashSet<String>) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_end_matches('.').to_string();
    let clean = if clean.is_empty() || clean == "." || clean == ".." {
        fallback.to_string()
    } else {
        clean
    };
    let (stem, ext) = match clean.rfind('.') {
        Some(i) if i > 0 => (&clean[..i], &clean[i..]),
        _ => (clean.as_str(), ""),
    };
    let mut name = clean.clone();
    let mut n = 2;
    while !taken.insert(name.to_lowercase()) {
        name = format!("{stem} ({n}){ext}");
        n += 1;
    }
    name
}

/// A media type as users call it: "JPEG 照片", "MOV 视频", "PDF 扫描件".
pub fn media_label(media_type: &str) -> String {
    let (name, what) = match media_type {
        "image/jpeg" => ("JPEG", "照片"),
        "image/png" => ("PNG", "图片"),
        "image/heic" => ("HEIC", "照片"),
        "image/heif" => ("HEIF", "照片"),
        "image/avif" => ("AVIF", "图片"),
        "video/mp4" => ("MP4", "视频"),
        "video/quicktime" => ("MOV", "视频"),
        "video/3gpp" => ("3GP", "视频"),
        "video/x-msvideo" => ("AVI", "视频"),
        "application/pdf" => ("PDF", "扫描件"),
        other => return other.to_string(),
    };
    format!("{name} {what}")
}

/// The usual extension of a stored media type, for a name made up when there is none.
pub fn extension(media_type: &str) -> &'static str {
    match media_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/heic" => "heic",
        "image/heif" => "heif",
        "image/avif" => "avif",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        "video/3gpp" => "3gp",
        "video/x-msvideo" => "avi",
        "application/pdf" => "pdf",
        _ => "bin",
    }
}

#[cfg(test)]
mod tests;
