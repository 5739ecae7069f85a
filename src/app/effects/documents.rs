//! The documents screen's effects: which documents an inspection or a hazard issues (the rules
//! are `documents::inspection_documents` and `documents::hazard_documents`, the same the CLI
//! applies), issuing one and writing its HTML file (temp file, then rename), and opening a
//! written file with the system's opener, detached.

use super::Runner;
use crate::app::screens::documents::{
    DocList, DocRow, IssueRequest, PhotosWritten, Subject, Written,
};
use crate::documents::{self, Document, DocumentError, InspectionFacts};
use crate::domain::lifecycle::Step;
use crate::domain::time;
use crate::templates::campaign::DocumentKind;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The folder under the user's Documents where files go unless another was chosen.
pub const FOLDER_NAME: &str = "paicha文书";

impl Runner<'_> {
    /// What the documents screen lists for `subject`.
    pub(super) fn documents_list(&self, subject: Subject) -> Result<DocList, String> {
        let campaign = &self.catalog.campaign;
        let folder = match self.store.document_folder() {
            Ok(Some(f)) if !f.trim().is_empty() => f,
            _ => default_folder(Path::new(&self.data_dir))
                .display()
                .to_string(),
        };
        let issued = |kind: DocumentKind, subject| {
            self.store
                .issued_number(kind.code(), subject)
                .map(|n| n.map(|n| (n.number, n.issued_at)))
                .map_err(|e| e.to_string())
        };
        match subject {
            Subject::Inspection(id) => {
                let facts =
                    InspectionFacts::load(self.store, campaign, id).map_err(|e| e.to_string())?;
                let i = &facts.inspection.data;
                let on_site_at = i.visit_end().unwrap_or(i.arrival_at);
                let mut rows = Vec::new();
                for kind in documents::inspection_documents(&facts) {
                    rows.push(DocRow {
                        kind,
                        subject: id,
                        detail: String::new(),
                        issued: issued(kind, id)?,
                        on_site_at,
                        needs_deadline: kind == DocumentKind::RectificationOrder
                            && documents::order_needs_deadline(&facts),
                    });
                }
                Ok(DocList {
                    subject,
                    heading: format!(
                        "{} · {} 到达的检查",
                        facts.enterprise.name,
                        time::record_minute(i.arrival_at)
                    ),
                    rows,
                    hazards: facts
                        .hazards
                        .iter()
                        .map(|(h, s)| (h.id(), s.description.clone()))
                        .collect(),
                    town: facts.enterprise.town.clone(),
                    folder,
                })
            }
            Subject::Hazard(id) => {
                let (_, _, status) = self.store.hazard_status(id).map_err(|e| e.to_string())?;
                let mut rows = Vec::new();
                for doc in documents::hazard_documents(self.store, campaign, id)
                    .map_err(|e| e.to_string())?
                {
                    let event = &doc.event;
                    let (subject, detail) = match Step::of(&event.data) {
                        Some(Step::Verify { passed, by, .. }) => (
                            event.id(),
                            format!(
                                "{} 复查{}（{by}）",
                                time::record_minute(event.data.occurred_at),
                                if passed { "通过" } else { "未通过" }
                            ),
                        ),
                        Some(Step::ListForSupervision { tracking_person }) => {
                            (id, format!("跟踪督办责任人 {tracking_person}"))
                        }
                        _ => (event.id(), String::new()),
                    };
                    rows.push(DocRow {
                        kind: doc.kind,
                        subject,
                        detail,
                        issued: issued(doc.kind, event.id())?,
                        on_site_at: event.data.occurred_at,
                        needs_deadline: false,
                    });
                }
                Ok(DocList {
                    subject,
                    heading: format!("隐患：[{}] {}", status.grade.label(), status.description),
                    rows,
                    hazards: Vec::new(),
                    town: String::new(),
                    folder,
                })
            }
        }
    }

    /// Issues the document (a reprint when issued before) and writes it to its file.
    pub(super) fn issue_document(&mut self, r: &IssueRequest) -> Result<Written, String> {
        let campaign = &self.catalog.campaign;
        let store = &mut *self.store;
        let made: Result<Document, DocumentError> = match r.kind {
            DocumentKind::OnsiteRecord => documents::onsite_record(store, campaign, r.subject),
            DocumentKind::RectificationOrder => {
                documents::rectification_order(store, campaign, r.subject, r.when, r.deadline)
            }
            DocumentKind::OnsiteMeasures => {
                documents::onsite_measures(store, campaign, r.subject, r.measures.as_ref(), r.when)
            }
            DocumentKind::Referral => {
                documents::referral(store, campaign, r.subject, r.to.as_deref(), r.when)
            }
            DocumentKind::ReinspectionOpinion => {
                documents::reinspection_opinion(store, campaign, r.subject, r.when)
            }
            DocumentKind::SupervisionNotice => {
                documents::supervision_notice(store, campaign, r.subject, r.when)
            }
        };
        let document = made.map_err(|e| match e {
            DocumentError::Refused(why) => format!("未出具：{why}"),
            DocumentError::Store(e) => format!("未出具：{e}"),
        })?;
        // A referral is the act of transfer: the hazards it moved show so in the ledger.
        if r.kind == DocumentKind::Referral {
            let changed = self.store.hazards_of_inspection(r.subject).and_then(|hs| {
                hs.iter()
                    .map(|h| self.store.hazard_summary(h.id()))
                    .collect::<Result<Vec<_>, _>>()
            });
            self.ledger.patch(changed);
        }
        let path = r.folder.join(file_name(&document));
        write_file(&path, document.html.as_bytes()).map_err(|why| {
            format!(
                "《{}》{} 已出具，但文件未能写入：{why}。可按 d 换一个保存目录后再按 Enter 重印",
                document.kind.title(),
                document.number
            )
        })?;
        Ok(Written {
            kind: document.kind,
            subject: r.subject,
            number: document.number,
            issued_at: document.issued_at,
            path,
            first: !r.reprint,
            warnings: document.warnings,
        })
    }
}

impl Runner<'_> {
    /// Writes the 现场照片补充页 of `inspection` (the photos added after its on-site record
    /// was issued) into `folder`, named after the record's number.
    pub(super) fn write_photo_supplement(
        &self,
        inspection: uuid::Uuid,
        folder: &Path,
    ) -> Result<PhotosWritten, String> {
        let page = documents::photo_supplement(self.store, &self.catalog.campaign, inspection)
            .map_err(|e| match e {
                DocumentError::Refused(why) => format!("未写入：{why}"),
                DocumentError::Store(e) => format!("未写入：{e}"),
            })?;
        let record = self
            .store
            .issued_number(DocumentKind::OnsiteRecord.code(), inspection)
            .map_err(|e| e.to_string())?;
        let stem = match record {
            Some(r) => format!("{}-{}", r.number, documents::PHOTO_SUPPLEMENT),
            None => format!(
                "{}-{}",
                documents::PHOTO_SUPPLEMENT,
                &inspection.simple().to_string()[..12]
            ),
        };
        let path = folder.join(format!("{}.html", safe_name(&stem)));
        write_file(&path, page.html.as_bytes())?;
        Ok(PhotosWritten {
            path,
            count: page.count,
            warnings: page.warnings,
        })
    }
}

/// The default folder: the user's Documents + "paicha文书", else the data dir's.
pub fn default_folder(data_dir: &Path) -> PathBuf {
    crate::paths::documents_dir(data_dir).join(FOLDER_NAME)
}

/// The file a document is written to: its number and title, with what no file system takes
/// replaced.
pub fn file_name(document: &Document) -> String {
    let safe = safe_name(&format!("{}-{}", document.number, document.kind.title()));
    format!("{safe}.html")
}

/// `name` with what no file system takes replaced.
fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

/// Writes `bytes` to `path` whole or not at all: a temp file beside it, synced, then renamed.
/// The folder is made if missing.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.part"));
    let written = (|| -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let mut f = std::fs::File::create(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        format!("{}：{}", path.display(), crate::storage::describe_io(&e))
    })
}

/// The system's opener for a file, by platform: (program, arguments before the path).
pub fn opener() -> (&'static str, &'static [&'static str]) {
    if cfg!(target_os = "windows") {
        // `start` is a shell builtin; its first quoted argument is the window title.
        ("cmd", &["/C", "start", ""])
    } else if cfg!(target_os = "macos") {
        ("open", &[])
    } else {
        ("xdg-open", &[])
    }
}

/// Starts the system's opener on `path` and returns at once: its output goes nowhere (it must
/// not draw over the screen), and a thread reaps it. Only a failure to start is reported.
pub fn open_detached(path: &Path) -> Result<(), String> {
    if !path.is_file() {
        return Err(format!(
            "文件 {} 不存在（可能已被移走）：按 Enter 重印",
            path.display()
        ));
    }
    let (program, args) = opener();
    let child = std::process::Command::new(program)
        .args(args)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| {
            format!(
                "无法用系统程序（{program}）打开文件：{}。请在浏览器中打开 {}",
                crate::storage::describe_io(&e),
                path.display()
            )
        })?;
    let mut child = child;
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}
