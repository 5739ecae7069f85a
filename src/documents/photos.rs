//! The photos a document prints (issue 17): which attachments, in what order, with what they
//! are attached to, and up to when. A document prints the attachments recorded no later than
//! its own first issue was recorded, so a reprint gives the same bytes; photos added later go
//! on the 现场照片补充页 (`photo_supplement`), which is not an issued document.

use super::DocumentError;
use crate::domain::attachment::{Attachment, OutsideVisit, PhotoRole, attachment_outside_visit};
use crate::domain::{Record, VisitTimes};
use crate::storage::{IssuedNumber, Store};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// One attachment as a document prints it.
#[derive(Debug, Clone)]
pub struct Photo {
    pub record: Record<Attachment>,
    /// What it is attached to, as the reader knows it: "检查记录", "检查项 E12", "隐患：…".
    pub of: String,
    /// The capture falls outside the visit (a fact for the reader).
    pub outside: Option<OutsideVisit>,
    /// The stored bytes, when they are a JPEG or PNG whose hash matches the record (printed
    /// as the picture); otherwise a card is printed.
    pub image: Option<Vec<u8>>,
    /// The stored file is missing or does not match its record.
    pub damaged: bool,
}

/// Media types printed as the picture itself; every other one gets a card.
pub const PRINTED_TYPES: &[&str] = &["image/jpeg", "image/png"];

/// What an attachment was recorded with, before it is read from the store.
struct Found {
    record: Record<Attachment>,
    of: String,
}

/// Attachments of an inspection: its own and its items' (in the inspection's item order),
/// its hazards', its evidence records', each in the order they were added.
fn of_inspection(store: &Store, inspection_id: Uuid) -> Result<Vec<Found>, DocumentError> {
    let mut out = Vec::new();
    let own = store.attachments_of(inspection_id)?;
    out.extend(
        own.iter()
            .filter(|a| a.data.item_code.is_none())
            .map(|a| Found {
                record: a.clone(),
                of: "检查记录".into(),
            }),
    );
    let inspection = store.inspection(inspection_id)?;
    for item in &inspection.data.items {
        out.extend(
            own.iter()
                .filter(|a| a.data.item_code.as_deref() == Some(item.code.as_str()))
                .map(|a| Found {
                    record: a.clone(),
                    of: format!("检查项 {}", item.code),
                }),
        );
    }
    for hazard in store.hazards_of_inspection(inspection_id)? {
        for a in store.attachments_of(hazard.id())? {
            out.push(Found {
                record: a,
                of: format!("隐患：{}", hazard.data.description.trim()),
            });
        }
    }
    for evidence in store.evidence_for(inspection_id)? {
        for a in store.attachments_of(evidence.id())? {
            out.push(Found {
                record: a,
                of: format!("证据记录：{}", evidence.data.kind.label()),
            });
        }
    }
    Ok(out)
}

/// Reads the stored bytes of a picture to embed (JPEG and PNG only), checked against the
/// record's hash: `(image, damaged)`.
fn read_image(store: &Store, a: &Attachment) -> (Option<Vec<u8>>, bool) {
    let Ok(bytes) = std::fs::read(store.attachment_path(&a.sha256)) else {
        return (None, true);
    };
    let hash: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if hash != a.sha256 || bytes.len() as u64 != a.size {
        return (None, true);
    }
    if PRINTED_TYPES.contains(&a.media_type.as_str()) {
        (Some(bytes), false)
    } else {
        (None, false)
    }
}

fn photo(store: &Store, found: Found, visit: Option<&VisitTimes>) -> Photo {
    let (image, damaged) = read_image(store, &found.record.data);
    Photo {
        outside: visit
            .and_then(|v| attachment_outside_visit(&found.record.data, v.arrival, v.departure)),
        record: found.record,
        of: found.of,
        image,
        damaged,
    }
}

/// Whether the attachment was recorded no later than `until` (the first issue of a document).
fn recorded_by(a: &Record<Attachment>, until: Option<&IssuedNumber>) -> bool {
    until.is_none_or(|d| a.meta.created_at <= d.recorded_at)
}

/// The photos an inspection's on-site record prints: those recorded no later than the record
/// was first issued (`issued`).
pub fn inspection_photos(
    store: &Store,
    inspection_id: Uuid,
    visit: &VisitTimes,
    issued: &IssuedNumber,
) -> Result<Vec<Photo>, DocumentError> {
    Ok(of_inspection(store, inspection_id)?
        .into_iter()
        .filter(|f| recorded_by(&f.record, Some(issued)))
        .map(|f| photo(store, f, Some(visit)))
        .collect())
}

/// The photos of an inspection recorded after its on-site record was first issued (all of
/// them when it was never issued): the 现场照片补充页.
pub fn later_photos(
    store: &Store,
    inspection_id: Uuid,
    visit: &VisitTimes,
    record: Option<&IssuedNumber>,
) -> Result<Vec<Photo>, DocumentError> {
    Ok(of_inspection(store, inspection_id)?
        .into_iter()
        .filter(|f| !record.is_some_and(|r| recorded_by(&f.record, Some(r))))
        .map(|f| photo(store, f, Some(visit)))
        .collect())
}

/// A re-inspection's before and after photos: the verification step's, by role (a photo of
/// the step without a role was taken at the re-inspection: after); the hazard's own marked
/// 整改前 or 整改后, and, when none of the hazard's own is marked, all of them as 整改前 (they
/// were taken when it was found). Only those recorded by the opinion's first issue.
pub fn before_after(
    store: &Store,
    hazard: &Record<crate::domain::Hazard>,
    event_id: Uuid,
    issued: &IssuedNumber,
) -> Result<(Vec<Photo>, Vec<Photo>), DocumentError> {
    let visit = match hazard.data.inspection_id {
        Some(i) => Some(store.visit_times(i)?),
        None => None,
    };
    let own: Vec<Record<Attachment>> = store
        .attachments_of(hazard.id())?
        .into_iter()
        .filter(|a| recorded_by(a, Some(issued)))
        .collect();
    let step: Vec<Record<Attachment>> = store
        .attachments_of(event_id)?
        .into_iter()
        .filter(|a| recorded_by(a, Some(issued)))
        .collect();
    let none_marked = own.iter().all(|a| a.data.role.is_none());
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for a in own {
        let found = Found {
            record: a,
            of: "隐患".into(),
        };
        match found.record.data.role {
            Some(PhotoRole::After) => after.push(photo(store, found, visit.as_ref())),
            Some(PhotoRole::Before) => before.push(photo(store, found, visit.as_ref())),
            None if none_marked => before.push(photo(store, found, visit.as_ref())),
            None => {}
        }
    }
    for a in step {
        let found = Found {
            record: a,
            of: "复查验收".into(),
        };
        match found.record.data.role {
            Some(PhotoRole::Before) => before.push(photo(store, found, None)),
            Some(PhotoRole::After) | None => after.push(photo(store, found, None)),
        }
    }
    Ok((before, after))
}

/// Warnings for photos that cannot be printed as recorded.
pub fn warnings(photos: &[Photo]) -> Vec<String> {
    let damaged = photos.iter().filter(|p| p.damaged).count();
    if damaged == 0 {
        return Vec::new();
    }
    vec![format!(
        "有 {damaged} 个附件的存储文件缺失或与记录的校验值不符：文书上只印出其记录信息，\
         请用 paicha attachment list 查看"
    )]
}
