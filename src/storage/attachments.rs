//! Attachment records (`domain::attachment`): which record a stored file is attached to,
//! signed by their author, insert-only (migration 13). The files are in
//! [`attachment_files`](super::attachment_files); a row commits only after its file is placed.

use super::attachment_files::{self, Files, Staged};
use super::sql::{META_COLUMNS, get_code, get_meta, get_opt_code, get_opt_time, get_uuid, ts};
use super::{Result, Store, StoreError};
use crate::domain::attachment::{Attachment, AttachmentRules, PhotoRole, Place, TargetKind};
use crate::domain::trust::Action;
use crate::domain::{Record, VisitTimes};
use crate::media::sniff;
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The columns an attachment's author signs (its row as JSON); a bundle record kind.
pub use super::bundle::kinds::ATTACHMENTS;

/// The record something is attached to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: TargetKind,
    /// The record's id (an answer's: its inspection's).
    pub id: Uuid,
    pub item_code: Option<String>,
}

impl Target {
    /// "检查记录 0190…", "检查项 E3（检查记录 0190…）".
    pub fn text(&self) -> String {
        match &self.item_code {
            Some(code) => format!("检查项 {code}（检查记录 {}）", self.id),
            None => format!("{} {}", self.kind.label(), self.id),
        }
    }

    fn action(&self) -> Action<'static> {
        Action::Attach {
            to_hazard: matches!(self.kind, TargetKind::Hazard | TargetKind::HazardEvent),
        }
    }
}

fn from_row(row: &Row) -> rusqlite::Result<Record<Attachment>> {
    let lat: Option<i64> = row.get("latitude_e7")?;
    let lon: Option<i64> = row.get("longitude_e7")?;
    let size: i64 = row.get("size")?;
    Ok(Record {
        meta: get_meta(row)?,
        data: Attachment {
            target_kind: get_code(row, "target_kind")?,
            target_id: get_uuid(row, "target_id")?,
            item_code: row.get("item_code")?,
            role: get_opt_code(row, "role")?,
            sha256: row.get("sha256")?,
            size: u64::try_from(size).unwrap_or_default(),
            media_type: row.get("media_type")?,
            file_name: row.get("file_name")?,
            captured_at: get_opt_time(row, "captured_at")?,
            capture_source: get_code(row, "capture_source")?,
            place: lat.zip(lon).and_then(|(a, b)| Place::from_e7(a, b)),
            note: row.get("note")?,
        },
    })
}

const SELECT: &str = "SELECT id, created_at, updated_at, author_id, replica_id, target_kind,
    target_id, item_code, role, sha256, size, media_type, file_name, captured_at,
    capture_source, latitude_e7, longitude_e7, note FROM attachments";

/// Whether a row of `table` has this id.
fn exists(conn: &Connection, table: &str, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
        .exists([id])?)
}

/// Which record `id` is (with `item`: an item of that inspection), for attaching to it.
fn resolve(conn: &Connection, id: Uuid, item: Option<&str>) -> Result<Target> {
    let text = id.to_string();
    let item = item.map(str::trim).filter(|c| !c.is_empty());
    let target = |kind| Target {
        kind,
        id,
        item_code: None,
    };
    if exists(conn, "inspections", &text)? {
        let Some(code) = item else {
            return Ok(target(TargetKind::Inspection));
        };
        let known: bool = conn
            .prepare_cached(
                "SELECT 1 FROM inspection_items WHERE inspection_id = ?1 AND code = ?2",
            )?
            .exists(params![text, code])?;
        if !known {
            return Err(StoreError::Invalid(format!(
                "检查记录 {id} 没有检查项 {code}（用 paicha inspection show {id} 查看其检查项）"
            )));
        }
        return Ok(Target {
            kind: TargetKind::Answer,
            id,
            item_code: Some(code.to_string()),
        });
    }
    let answer: Option<(String, String)> = conn
        .query_row(
            "SELECT inspection_id, item_code FROM answers WHERE id = ?1",
            [&text],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let found = if let Some((inspection, code)) = answer {
        if item.is_some_and(|i| i != code) {
            return Err(StoreError::Invalid(format!(
                "{id} 是检查项 {code} 的作答记录，与 --item 给出的检查项不同"
            )));
        }
        return Ok(Target {
            kind: TargetKind::Answer,
            id: Uuid::parse_str(&inspection).unwrap_or(id),
            item_code: Some(code),
        });
    } else if exists(conn, "hazards", &text)? {
        TargetKind::Hazard
    } else if exists(conn, "hazard_events", &text)? {
        TargetKind::HazardEvent
    } else if exists(conn, "evidence_records", &text)? {
        TargetKind::Evidence
    } else if exists(conn, "enforcement_actions", &text)? {
        TargetKind::Action
    } else {
        return Err(StoreError::NotFound(format!(
            "编号为 {id} 的检查记录、隐患、隐患办理记录、证据记录或执法措施"
        )));
    };
    if item.is_some() {
        return Err(StoreError::Invalid(format!(
            "{id} 是{}：--item（检查项）只能与检查记录编号一起使用",
            found.label()
        )));
    }
    Ok(target(found))
}

impl Store {
    /// The content-addressed file store of this data dir.
    pub fn attachment_files(&self) -> Files {
        Files::in_data_dir(self.path.parent().unwrap_or(Path::new(".")))
    }

    /// Where the file with this hash is stored.
    pub fn attachment_path(&self, sha256: &str) -> PathBuf {
        self.attachment_files().path_of(sha256)
    }

    /// Which record `id` is, to attach files to it: an inspection (with `item`: one of its
    /// items), an answer, a hazard, a hazard step, an evidence record or an enforcement action.
    pub fn attachment_target(&self, id: Uuid, item: Option<&str>) -> Result<Target> {
        resolve(&self.conn, id, item)
    }

    /// The attachments of the record `id` (an inspection's include those of its items), in
    /// the order they were added.
    pub fn attachments_of(&self, id: Uuid) -> Result<Vec<Record<Attachment>>> {
        super::sql::query_all(
            &self.conn,
            &format!("{SELECT} WHERE target_id = ?1 ORDER BY created_at, id"),
            [id.to_string()],
            from_row,
        )
    }

    /// Every attachment, oldest first.
    pub fn all_attachments(&self) -> Result<Vec<Record<Attachment>>> {
        super::sql::query_all(
            &self.conn,
            &format!("{SELECT} ORDER BY created_at, id"),
            [],
            from_row,
        )
    }

    /// The visit a capture time is compared with: that of the inspection the target belongs
    /// to (its times as corrected), if any.
    pub fn visit_of(&self, target: &Target) -> Result<Option<VisitTimes>> {
        let id = target.id.to_string();
        let inspection: Option<String> = match target.kind {
            TargetKind::Inspection | TargetKind::Answer => Some(id),
            TargetKind::Evidence => self.inspection_of("evidence_records", &id)?,
            TargetKind::Hazard => self.inspection_of("hazards", &id)?,
            TargetKind::Action => self.inspection_of("enforcement_actions", &id)?,
            TargetKind::HazardEvent => None,
        };
        match inspection.and_then(|i| Uuid::parse_str(&i).ok()) {
            Some(i) => Ok(Some(self.visit_times(i)?)),
            None => Ok(None),
        }
    }

    fn inspection_of(&self, table: &str, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT inspection_id FROM {table} WHERE id = ?1"),
                [id],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }

    /// Attaches `files` to `target`, all or none: every file is checked first (a refusal
    /// lists each bad file and why), then copied, hashed and placed in the store, and only then
    /// are the records written, in one transaction, each signed by its author.
    pub fn attach(
        &mut self,
        target: &Target,
        role: Option<PhotoRole>,
        note: &str,
        files: &[PathBuf],
        rules: &AttachmentRules,
    ) -> Result<Vec<Record<Attachment>>> {
        self.attach_with_progress(target, role, note, files, rules, &mut |_, _| {})
    }

    /// [`Store::attach`], telling `progress` how many bytes of how many are copied.
    pub fn attach_with_progress(
        &mut self,
        target: &Target,
        role: Option<PhotoRole>,
        note: &str,
        files: &[PathBuf],
        rules: &AttachmentRules,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Vec<Record<Attachment>>> {
        if files.is_empty() {
            return Err(StoreError::Invalid("没有给出要添加的文件".into()));
        }
        if role.is_some() && !matches!(target.kind, TargetKind::Hazard | TargetKind::HazardEvent) {
            return Err(StoreError::Invalid(format!(
                "“整改前/整改后”只用于隐患及其办理记录的照片，{} 是{}",
                target.id,
                target.kind.label()
            )));
        }
        // Asked before copying gigabytes; the write asks again.
        self.may(&target.action())?.map_err(StoreError::Invalid)?;
        let mut problems = Vec::new();
        let mut sources = Vec::new();
        for path in files {
            match attachment_files::check_source(path, rules.max_file_bytes()) {
                Ok(s) => sources.push(s),
                Err(why) => problems.push(format!("{}：{why}", path.display())),
            }
        }
        if !problems.is_empty() {
            return Err(refused(&problems));
        }
        let store = self.attachment_files();
        let total: u64 = sources.iter().map(|s| s.len).sum();
        let mut done: u64 = 0;
        progress(0, total);
        let mut staged: Vec<Staged> = Vec::with_capacity(sources.len());
        for source in sources {
            let path = source.path.clone();
            let s = store
                .stage_counted(source, &mut |n| {
                    done += n;
                    progress(done, total);
                })
                .map_err(|why| refused(&[format!("{}：{why}", path.display())]))?;
            staged.push(s);
        }
        self.refuse_repeats(target, &staged)?;
        let records: Vec<Attachment> = staged
            .iter()
            .map(|s| Attachment {
                target_kind: target.kind,
                target_id: target.id,
                item_code: target.item_code.clone(),
                role,
                sha256: s.sha256.clone(),
                size: s.size,
                media_type: s.media_type.to_string(),
                file_name: s.file_name.clone(),
                captured_at: s.captured_at,
                capture_source: s.capture_source,
                place: s.capture.place,
                note: note.trim().to_string(),
            })
            .collect();
        for a in &records {
            crate::domain::attachment::check(a, &sniff::SUPPORTED).map_err(StoreError::Invalid)?;
        }
        for s in staged {
            let path = s.source.clone();
            store
                .place(s)
                .map_err(|why| StoreError::Invalid(format!("{}：{why}", path.display())))?;
        }
        let action = target.action();
        self.write(|tx, stamp| {
            super::authority::authorize_here(tx, stamp, &action)?;
            records.into_iter().map(|a| insert(tx, stamp, a)).collect()
        })
    }

    /// The same bytes twice in one go, or bytes already attached to this target.
    fn refuse_repeats(&self, target: &Target, staged: &[Staged]) -> Result<()> {
        let mut problems = Vec::new();
        for (i, s) in staged.iter().enumerate() {
            if let Some(first) = staged[..i].iter().find(|o| o.sha256 == s.sha256) {
                problems.push(format!(
                    "{}：与 {} 是同一个文件",
                    s.source.display(),
                    first.source.display()
                ));
                continue;
            }
            let earlier: Option<String> = self
                .conn
                .query_row(
                    "SELECT id FROM attachments WHERE target_id = ?1 AND target_kind = ?2
                         AND item_code IS ?3 AND sha256 = ?4",
                    params![
                        target.id.to_string(),
                        target.kind.code(),
                        target.item_code,
                        s.sha256
                    ],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = earlier {
                problems.push(format!(
                    "{}：已附在这条记录上（附件编号 {id}）",
                    s.source.display()
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(refused(&problems))
        }
    }
}

/// A refusal of the whole batch listing each file's problem.
fn refused(problems: &[String]) -> StoreError {
    StoreError::Invalid(format!("没有添加任何文件：\n  {}", problems.join("\n  ")))
}

fn insert(
    tx: &rusqlite::Transaction,
    stamp: &super::Stamp,
    a: Attachment,
) -> Result<Record<Attachment>> {
    let meta = stamp.meta(tx)?;
    let [id, created, updated, author, replica] = super::sql::meta_values(&meta);
    let (lat, lon) = a.place.map(Place::to_e7).unzip();
    tx.prepare_cached(&format!(
        "INSERT INTO attachments ({META_COLUMNS}, target_kind, target_id, item_code, role,
             sha256, size, media_type, file_name, captured_at, capture_source, latitude_e7,
             longitude_e7, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
    ))?
    .execute(params![
        id,
        created,
        updated,
        author,
        replica,
        a.target_kind.code(),
        a.target_id.to_string(),
        a.item_code,
        a.role.map(PhotoRole::code),
        a.sha256,
        i64::try_from(a.size).unwrap_or(i64::MAX),
        a.media_type,
        a.file_name,
        a.captured_at.map(ts),
        a.capture_source.code(),
        lat,
        lon,
        a.note
    ])?;
    super::bundle::sign::sign_record(tx, &ATTACHMENTS, &meta.id.to_string(), stamp.now)?;
    Ok(Record { meta, data: a })
}

#[cfg(test)]
mod tests;
