//! 执法文书: the documents of a finalized inspection (opened with `w` from its read-only view,
//! and offered right after finalizing) or of a hazard's steps (from its detail in the ledger).
//! Each row says whether the document is issued (its number and moment) or not yet. Enter on
//! one not yet issued asks what its first issue needs (when, the order's deadline, the
//! measures decided, the unit a village's findings go to); on one issued it writes the same
//! file again. The effect runner issues and writes; this screen only asks and shows.

use super::{Ctx, Screen, Step};
use crate::app::form::{Form, Outcome};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{Effect, FormDraft};
use crate::documents::IssueAt;
use crate::domain::OnsiteMeasures;
use crate::templates::campaign::DocumentKind;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use std::path::PathBuf;
use uuid::Uuid;

/// What the documents are of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A finalized inspection.
    Inspection(Uuid),
    /// A hazard (its verifications and its listing).
    Hazard(Uuid),
}

/// One document the subject issues.
#[derive(Debug, Clone, PartialEq)]
pub struct DocRow {
    pub kind: DocumentKind,
    /// What the issuing function takes: the inspection, the verification event, the hazard.
    pub subject: Uuid,
    /// Beside the title: which verification, who tracks a listing.
    pub detail: String,
    /// Its number and moment of issue, once issued.
    pub issued: Option<(String, DateTime<Utc>)>,
    /// The moment "现场出具" means: the departure, or the step's own time.
    pub on_site_at: DateTime<Utc>,
    /// The first issue needs a deadline for problems without their own (the order).
    pub needs_deadline: bool,
}

/// What the screen lists, read by the effect runner.
#[derive(Debug, Clone, PartialEq)]
pub struct DocList {
    pub subject: Subject,
    /// The inspection or hazard, in words.
    pub heading: String,
    pub rows: Vec<DocRow>,
    /// The inspection's hazards (id, description): what a measures decision may name.
    pub hazards: Vec<(Uuid, String)>,
    /// The enterprise's 乡镇 (a village's referral goes to its government by default).
    pub town: String,
    /// Where files go: the folder chosen last, else the default.
    pub folder: String,
}

/// A first issue (or a reprint) asked of the effect runner.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueRequest {
    pub kind: DocumentKind,
    pub subject: Uuid,
    pub when: IssueAt,
    pub deadline: Option<chrono::NaiveDate>,
    pub measures: Option<OnsiteMeasures>,
    pub to: Option<String>,
    pub folder: PathBuf,
    /// The row showed the document issued: this writes the first issue again.
    pub reprint: bool,
}

/// A document written to a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub kind: DocumentKind,
    pub subject: Uuid,
    pub number: String,
    pub issued_at: DateTime<Utc>,
    pub path: PathBuf,
    /// Issued just now (false: a reprint of the first issue).
    pub first: bool,
    pub warnings: Vec<String>,
}

/// A 现场照片补充页 written to a file (it is not issued: no number of its own).
#[derive(Debug, Clone, PartialEq)]
pub struct PhotosWritten {
    pub path: PathBuf,
    /// How many attachments it prints.
    pub count: usize,
    pub warnings: Vec<String>,
}

/// What the last Enter (or p) came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Panel {
    Written(Written),
    Photos(PhotosWritten),
    /// Why nothing was issued or written, in Chinese.
    Refused(String),
}

#[path = "documents_form.rs"]
mod form;
pub use form::{issue_form, request_from};
#[path = "documents_draft.rs"]
mod draft;
use draft::folder_form;

/// The choices of 出具时间.
pub const ON_SITE: &str = "现场出具";
pub const NOW: &str = "现在";
pub const STATED: &str = "指定时间";

pub struct Documents {
    pub subject: Subject,
    pub list: Option<DocList>,
    pub selected: usize,
    /// The screen to go back to on Esc (`None`: home, as after finalizing).
    pub back: Option<Box<Screen>>,
    /// 出具时间 starts at 现场出具 (right after finalizing, still on site), else 现在.
    pub on_site_default: bool,
    /// The first issue's form, for the row it was opened on.
    pub form: Option<(usize, Form)>,
    /// The folder being changed (Tab completes the path).
    pub folder_form: Option<Form>,
    pub result: Option<Panel>,
    /// A form a crash interrupted, reopened once the list is read.
    pub resume: Option<FormDraft>,
    /// What brings back the screen Esc returns to, when the app restarted here and never
    /// showed it (the ledger's hazard read again, the finalized inspection reopened).
    pub back_load: Vec<Effect>,
}

impl Documents {
    pub fn new(subject: Subject, back: Option<Box<Screen>>, on_site_default: bool) -> Documents {
        Documents {
            subject,
            list: None,
            selected: 0,
            back,
            on_site_default,
            form: None,
            folder_form: None,
            result: None,
            resume: None,
            back_load: Vec::new(),
        }
    }

    /// The effect that reads what the screen lists.
    pub fn load(&self) -> Step {
        Step::Do(Effect::LoadDocuments(self.subject))
    }

    /// The list read; a form a crash interrupted is reopened on it.
    pub fn loaded(&mut self, list: DocList) -> Vec<Step> {
        self.selected = self.selected.min(list.rows.len().saturating_sub(1));
        self.list = Some(list);
        match self.resume.take() {
            Some(draft) => self.reopen(&draft),
            None => vec![],
        }
    }

    /// A file was written: the row shows its number, the panel the path and how to print.
    pub fn written(&mut self, written: Written) {
        self.form = None;
        if let Some(row) = self.list.as_mut().and_then(|l| {
            l.rows
                .iter_mut()
                .find(|r| r.kind == written.kind && r.subject == written.subject)
        }) {
            row.issued = Some((written.number.clone(), written.issued_at));
        }
        self.result = Some(Panel::Written(written));
    }

    /// The 现场照片补充页 was written, or why not.
    pub fn photos_written(&mut self, outcome: Result<Box<PhotosWritten>, String>) -> Vec<Step> {
        match outcome {
            Ok(w) => {
                let said = format!("现场照片补充页已写入（{} 份附件）", w.count);
                self.result = Some(Panel::Photos(*w));
                vec![Step::Say(said)]
            }
            Err(why) => {
                self.result = Some(Panel::Refused(why));
                vec![]
            }
        }
    }

    /// Nothing was issued: the form (if any) stays open to be put right.
    pub fn refused(&mut self, why: String) {
        self.result = Some(Panel::Refused(why));
    }

    /// The folder files go to (empty until the list is read).
    pub fn folder(&self) -> &str {
        self.list.as_ref().map_or("", |l| l.folder.as_str())
    }

    /// The keys of the layer in focus.
    pub fn keys(&self) -> &'static [keymap::Binding] {
        if self.form.is_some() || self.folder_form.is_some() {
            keymap::FORM
        } else {
            keymap::DOCUMENTS
        }
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        if self.folder_form.is_some() {
            return self.folder_key(ev);
        }
        if let Some((row, form)) = &mut self.form {
            let row = *row;
            let before = form.focus;
            return match form.handle(ev) {
                Outcome::Editing => self.remember_issue_form(before),
                Outcome::Help => vec![Step::Help(keymap::FORM)],
                Outcome::Cancel => {
                    self.form = None;
                    vec![super::forget_loose_form()]
                }
                Outcome::Submit => self.submit(row, ctx),
            };
        }
        let rows = self.list.as_ref().map_or(0, |l| l.rows.len());
        match keymap::lookup(keymap::DOCUMENTS, ev) {
            Some(Cmd::Down) => {
                self.selected = (self.selected + 1).min(rows.saturating_sub(1));
                vec![]
            }
            Some(Cmd::Up) => {
                self.selected = self.selected.saturating_sub(1);
                vec![]
            }
            Some(Cmd::Select) => self.enter(),
            Some(Cmd::OpenFile) => match &self.result {
                Some(
                    Panel::Written(Written { path, .. })
                    | Panel::Photos(PhotosWritten { path, .. }),
                ) => vec![
                    Step::Say(format!("已请系统用默认程序打开 {}", path.display())),
                    Step::Do(Effect::OpenDocument(path.clone())),
                ],
                _ => vec![Step::Say(
                    "先按 Enter 出具（或重印）一份文书，再按 o 打开它".into(),
                )],
            },
            Some(Cmd::Folder) if self.list.is_some() => {
                self.folder_form = Some(folder_form(self.folder()));
                vec![]
            }
            Some(Cmd::PhotoSupplement) => match (self.subject, &self.list) {
                (Subject::Inspection(inspection), Some(list)) => {
                    vec![Step::Do(Effect::WritePhotoSupplement {
                        inspection,
                        folder: PathBuf::from(&list.folder),
                    })]
                }
                (Subject::Hazard(_), _) => vec![Step::Say(
                    "现场照片补充页属于检查记录：请从已定稿检查的只读查看按 w 打开执法文书后再按 p"
                        .into(),
                )],
                (_, None) => vec![],
            },
            Some(Cmd::Help) => vec![Step::Help(keymap::DOCUMENTS)],
            Some(Cmd::Back) => {
                let load: Vec<Step> = std::mem::take(&mut self.back_load)
                    .into_iter()
                    .map(Step::Do)
                    .collect();
                match self.back.take() {
                    Some(screen) => std::iter::once(Step::Go(screen)).chain(load).collect(),
                    None if !load.is_empty() => load,
                    None => Step::home(),
                }
            }
            _ => vec![],
        }
    }

    fn folder_key(&mut self, ev: &KeyEvent) -> Vec<Step> {
        let Some(form) = &mut self.folder_form else {
            return vec![];
        };
        if ev.code == KeyCode::Tab && ev.modifiers.is_empty() {
            let said = super::path_completion::complete_field(form, "folder");
            // The path as completed is remembered (the one field is never left by Tab).
            let mut steps = self.remember_folder_form();
            steps.extend(said.map(Step::Say));
            return steps;
        }
        match form.handle(ev) {
            Outcome::Editing => vec![],
            Outcome::Help => vec![Step::Help(keymap::FORM)],
            Outcome::Cancel => {
                self.folder_form = None;
                vec![super::forget_loose_form()]
            }
            Outcome::Submit => {
                let folder = super::path_completion::effective(form.value("folder"));
                self.folder_form = None;
                if let Some(list) = &mut self.list {
                    list.folder = folder.clone();
                }
                vec![
                    super::forget_loose_form(),
                    Step::Do(Effect::RememberDocumentFolder(folder.clone())),
                    Step::Say(format!("文书将保存到 {folder}")),
                ]
            }
        }
    }

    /// Enter on a row: a reprint writes the file again; a first issue asks first.
    fn enter(&mut self) -> Vec<Step> {
        let Some(list) = &self.list else {
            return vec![];
        };
        let Some(row) = list.rows.get(self.selected) else {
            return vec![Step::Say("没有可出具的执法文书".into())];
        };
        if row.issued.is_some() {
            let request = IssueRequest {
                kind: row.kind,
                subject: row.subject,
                when: IssueAt::Now,
                deadline: None,
                measures: None,
                to: None,
                folder: PathBuf::from(&list.folder),
                reprint: true,
            };
            return vec![Step::Do(Effect::IssueDocument(Box::new(request)))];
        }
        let form = issue_form(row, list, self.on_site_default);
        if matches!(self.result, Some(Panel::Refused(_))) {
            self.result = None;
        }
        self.form = Some((self.selected, form));
        vec![]
    }

    /// Ctrl-S on the first issue's form: what it says, checked at its fields.
    fn submit(&mut self, row: usize, ctx: &Ctx) -> Vec<Step> {
        let (Some(list), Some((_, form))) = (&self.list, &mut self.form) else {
            return vec![];
        };
        let Some(doc) = list.rows.get(row) else {
            return vec![];
        };
        match request_from(doc, list, form, ctx) {
            Ok(request) => {
                // Kept until the document is issued (a refusal leaves the form open).
                let mut steps = self.remember_issue_form(usize::MAX);
                steps.push(Step::Do(Effect::IssueDocument(Box::new(request))));
                steps
            }
            Err((field, why)) => {
                if let Some(at) = form.fields.iter().position(|f| f.key == field) {
                    form.fields[at].error = Some(why);
                    form.focus = at;
                }
                self.remember_issue_form(usize::MAX)
            }
        }
    }
}

#[cfg(test)]
#[path = "documents_tests.rs"]
pub(crate) mod tests;
