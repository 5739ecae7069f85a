//! The documents screen's forms remembered as they are typed (the issue form as the focus
//! leaves a field, the folder as Tab completes it) under the one key of loose forms, and
//! reopened on the same row after a crash.

use super::{Documents, issue_form};
use crate::app::form::{Field, Form};
use crate::app::msg::{DraftForm, FormDraft};
use crate::app::screens::Step;

/// The folder form, starting at `folder`.
pub(super) fn folder_form(folder: &str) -> Form {
    Form::new(
        "文书保存目录",
        vec![
            Field::text("folder", "保存到", true)
                .with_value(folder)
                .with_help("目录的完整路径，Tab 补全；没有的目录在写入时建立"),
        ],
    )
}

impl Documents {
    /// The issue form as it stands, when the focus moved from `focus_before` (`usize::MAX`:
    /// now, whatever the focus).
    pub(super) fn remember_issue_form(&self, focus_before: usize) -> Vec<Step> {
        let (Some((row, form)), Some(list)) = (&self.form, &self.list) else {
            return vec![];
        };
        let Some(doc) = list.rows.get(*row) else {
            return vec![];
        };
        let which = DraftForm::Document {
            subject: self.subject,
            kind: doc.kind,
            of: doc.subject,
            on_site: self.on_site_default,
        };
        super::super::remember_loose_form(form, which, focus_before)
    }

    /// The folder form as it stands.
    pub(super) fn remember_folder_form(&self) -> Vec<Step> {
        let Some(form) = &self.folder_form else {
            return vec![];
        };
        let which = DraftForm::DocumentFolder {
            subject: self.subject,
            on_site: self.on_site_default,
        };
        super::super::remember_loose_form(form, which, usize::MAX)
    }

    /// Reopens the form a crash interrupted on the list just read: the issue form on its row
    /// (unless the document was issued meanwhile, or is no longer listed), or the folder form.
    pub(super) fn reopen(&mut self, draft: &FormDraft) -> Vec<Step> {
        let Some(list) = &self.list else {
            return vec![];
        };
        match draft.form {
            DraftForm::Document { kind, of, .. } => {
                let found = list
                    .rows
                    .iter()
                    .position(|r| r.kind == kind && r.subject == of);
                let Some(at) = found else {
                    return vec![
                        super::super::forget_loose_form(),
                        Step::Say(format!(
                            "填到一半的《{}》未恢复：这份文书已不在列表中",
                            kind.title()
                        )),
                    ];
                };
                if let Some((number, _)) = &list.rows[at].issued {
                    self.selected = at;
                    return vec![
                        super::super::forget_loose_form(),
                        Step::Say(format!(
                            "《{}》已经出具（{number}），填到一半的表单不再需要：按 Enter 重印",
                            kind.title()
                        )),
                    ];
                }
                let mut form = issue_form(&list.rows[at], list, self.on_site_default);
                form.restore(&draft.values, draft.focus);
                self.selected = at;
                self.form = Some((at, form));
                vec![]
            }
            DraftForm::DocumentFolder { .. } => {
                let mut form = folder_form(&list.folder);
                form.restore(&draft.values, draft.focus);
                self.folder_form = Some(form);
                vec![]
            }
            _ => vec![],
        }
    }
}
