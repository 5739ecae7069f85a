//! Attachment records a bundle brings, and the files beside them. Each line is checked as a
//! record written here would be (`domain::attachment::check`, the size cap, a target that
//! exists); once the whole bundle is in, every file a line names must be in the bundle (with
//! the size the signed record gives and the type it claims) or already in this data dir's
//! store, and every file the bundle carries must be named by a line. Anything else refuses the
//! whole bundle.

use super::super::rows::Object;
use super::Applier;
use super::facts::text;
use crate::domain::attachment::{self, Attachment, CaptureSource, PhotoRole, TargetKind};
use crate::media::sniff;
use crate::storage::attachment_files::size_text;
use crate::storage::{Result, StoreError};
use serde_json::Value;
use uuid::Uuid;

/// A file a bundle carries as `attachments/<sha256>`: its size and the type its first bytes
/// show (read while it was staged).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CarriedFile {
    pub bytes: u64,
    pub media_type: Option<&'static str>,
}

/// A file named by attachment lines: the size and type the first line naming it gives.
#[derive(Debug, Clone)]
pub(super) struct Named {
    size: u64,
    media_type: String,
}

fn short(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}

/// The record of one line (fields already shape-checked).
fn record(object: &Object) -> Result<Attachment> {
    let bad = |e: crate::domain::code_enum::UnknownCode| StoreError::Invalid(e.to_string());
    let opt = |key: &str| Some(text(object, key)).filter(|t| !t.is_empty());
    let int = |key: &str| object.get(key).and_then(Value::as_i64);
    let place = match (int("latitude_e7"), int("longitude_e7")) {
        (None, None) => None,
        (Some(lat), Some(lon)) => Some(
            attachment::Place::from_e7(lat, lon)
                .ok_or_else(|| StoreError::Invalid("拍摄地点的经纬度超出范围".into()))?,
        ),
        _ => {
            return Err(StoreError::Invalid(
                "拍摄地点须同时有纬度和经度（latitude_e7、longitude_e7）".into(),
            ));
        }
    };
    let size = int("size").unwrap_or_default();
    Ok(Attachment {
        target_kind: TargetKind::parse(&text(object, "target_kind")).map_err(bad)?,
        target_id: Uuid::parse_str(&text(object, "target_id")).unwrap_or_default(),
        item_code: opt("item_code"),
        role: opt("role")
            .map(|r| PhotoRole::parse(&r))
            .transpose()
            .map_err(bad)?,
        sha256: text(object, "sha256"),
        size: u64::try_from(size).unwrap_or_default(),
        media_type: text(object, "media_type"),
        file_name: text(object, "file_name"),
        captured_at: opt("captured_at").and_then(|t| crate::domain::time::parse_record_time(&t)),
        capture_source: CaptureSource::parse(&text(object, "capture_source")).map_err(bad)?,
        place,
        note: text(object, "note"),
    })
}

impl Applier<'_> {
    /// Checks an attachment line and notes the file it names.
    pub(super) fn attachment(&mut self, object: &Object) -> Result<()> {
        let a = record(object)?;
        attachment::check(&a, &sniff::SUPPORTED).map_err(StoreError::Invalid)?;
        let cap = self.attachment_rules.max_file_bytes();
        if a.size > cap {
            return Err(StoreError::Invalid(format!(
                "附件大小 {} 超过上限 {}（config/rules.toml 的 [attachments] max_file_mb）",
                size_text(a.size),
                size_text(cap)
            )));
        }
        let id = a.target_id.to_string();
        let found: bool = match a.target_kind {
            TargetKind::Answer => self.tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM inspection_items
                     WHERE inspection_id = ?1 AND code = ?2)",
                [id.as_str(), a.item_code.as_deref().unwrap_or_default()],
                |r| r.get(0),
            )?,
            kind => {
                let table = match kind {
                    TargetKind::Inspection | TargetKind::Answer => "inspections",
                    TargetKind::Hazard => "hazards",
                    TargetKind::HazardEvent => "hazard_events",
                    TargetKind::Evidence => "evidence_records",
                    TargetKind::Action => "enforcement_actions",
                };
                super::facts::exists(self.tx, table, &id)?
            }
        };
        if !found {
            return Err(StoreError::Invalid(format!(
                "附件所附的{}“{id}”{}在数据包和本机数据中都不存在",
                a.target_kind.label(),
                a.item_code
                    .as_deref()
                    .map(|c| format!("（检查项 {c}）"))
                    .unwrap_or_default()
            )));
        }
        match self.named_files.get(&a.sha256) {
            Some(n) if n.size != a.size || n.media_type != a.media_type => {
                Err(StoreError::Invalid(format!(
                    "两条附件记录对同一文件（{}…）给出了不同的大小或类型",
                    short(&a.sha256)
                )))
            }
            Some(_) => Ok(()),
            None => {
                self.named_files.insert(
                    a.sha256,
                    Named {
                        size: a.size,
                        media_type: a.media_type,
                    },
                );
                Ok(())
            }
        }
    }

    /// Once the bundle is in: every named file is carried or stored here, every carried file
    /// is named, and each carried one is what its records say.
    pub(super) fn check_attachment_files(&self) -> Result<()> {
        let carried = &self.options.attachments;
        for (sha, n) in &self.named_files {
            match carried.get(sha) {
                Some(file) if file.bytes != n.size => {
                    return Err(StoreError::Invalid(format!(
                        "数据包中的附件文件 attachments/{sha} 大小为 {} 字节，与签名的附件记录（{} 字节）不符：文件被调换或改动过，整个数据包不予导入",
                        file.bytes, n.size
                    )));
                }
                Some(file) if file.media_type != Some(n.media_type.as_str()) => {
                    return Err(StoreError::Invalid(format!(
                        "数据包中的附件文件 attachments/{sha} 的内容类型与附件记录（{}）不符，整个数据包不予导入",
                        n.media_type
                    )));
                }
                Some(_) => {}
                None => {
                    let here = std::fs::metadata(self.files.path_of(sha))
                        .is_ok_and(|m| m.is_file() && m.len() == n.size);
                    if !here {
                        return Err(StoreError::Invalid(format!(
                            "附件记录所指的文件 attachments/{sha} 不在数据包中，本机也没有：附件缺失，整个数据包不予导入"
                        )));
                    }
                }
            }
        }
        if let Some(sha) = carried.keys().find(|s| !self.named_files.contains_key(*s)) {
            return Err(StoreError::Invalid(format!(
                "数据包中的附件文件 attachments/{sha} 没有任何附件记录指向它，整个数据包不予导入"
            )));
        }
        Ok(())
    }
}
