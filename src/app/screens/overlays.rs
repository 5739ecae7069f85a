//! Layers above the screen: the enterprise picker, the note editor, confirmations, help. The
//! top one gets the keys first.

use super::picker::Picker;
use crate::app::keymap::HelpView;
use crate::app::msg::Effect;
use crate::domain::AnswerResult;
use tui_textarea::TextArea;

pub enum Overlay {
    Picker(Picker),
    Note(Box<NoteEditor>),
    Confirm(Confirm),
    /// Typed-name confirmation before finalizing.
    Sign(Sign),
    Help(HelpView),
    /// The file browser that attaches photos and videos.
    Attach(Box<super::attach::Browser>),
    /// Where to back up, and the passphrase.
    Backup(Box<super::backup::BackupDialog>),
}

/// A yes/no question; yes runs the effect.
pub struct Confirm {
    pub prompt: String,
    pub on_yes: Box<Effect>,
}

impl Confirm {
    pub fn new(prompt: impl Into<String>, on_yes: Effect) -> Confirm {
        Confirm {
            prompt: prompt.into(),
            on_yes: Box::new(on_yes),
        }
    }
}

/// The multi-line note of one item.
pub struct NoteEditor {
    pub inspection: uuid::Uuid,
    pub code: String,
    pub result: AnswerResult,
    pub text: TextArea<'static>,
    /// The note as it was when the editor opened.
    pub original: String,
    /// Esc was pressed once on changed text (the second one discards).
    pub warned: bool,
    /// The text as last remembered for a restart (see [`NoteEditor::draft`]).
    pub remembered: String,
}

impl NoteEditor {
    pub fn new(inspection: uuid::Uuid, code: &str, result: AnswerResult, note: &str) -> NoteEditor {
        let lines: Vec<String> = if note.is_empty() {
            vec![String::new()]
        } else {
            note.lines().map(str::to_string).collect()
        };
        let mut text = TextArea::new(lines);
        text.move_cursor(tui_textarea::CursorMove::Bottom);
        text.move_cursor(tui_textarea::CursorMove::End);
        NoteEditor {
            original: note.trim_end().to_string(),
            warned: false,
            remembered: note.trim_end().to_string(),
            inspection,
            code: code.to_string(),
            result,
            text,
        }
    }

    pub fn note(&self) -> String {
        self.text.lines().join("\n").trim_end().to_string()
    }

    /// The editor a crash interrupted: the text as typed, the saved note still the original.
    pub fn reopen(inspection: uuid::Uuid, draft: &crate::app::msg::NoteDraft) -> NoteEditor {
        let mut editor = NoteEditor::new(inspection, &draft.code, draft.result, &draft.text);
        editor.original = draft.original.clone();
        editor.remembered = draft.text.clone();
        editor
    }

    /// The text as it stands, to remember; `None` when it has not changed since last time.
    pub fn changed_draft(&mut self) -> Option<crate::app::msg::NoteDraft> {
        let text = self.text.lines().join("\n");
        if text == self.remembered {
            return None;
        }
        self.remembered = text.clone();
        Some(crate::app::msg::NoteDraft {
            code: self.code.clone(),
            result: self.result,
            original: self.original.clone(),
            text,
        })
    }
}

/// Finalizing: first the time the inspectors left the site (prefilled with now, editable),
/// then every inspector named on the inspection types their name to confirm it
/// ("谁检查、谁签名").
pub struct Sign {
    pub inspection: uuid::Uuid,
    pub names: Vec<String>,
    pub arrival_at: chrono::DateTime<chrono::Utc>,
    /// The departure once confirmed; until then `typed` is the departure being typed.
    pub departed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub signed: usize,
    pub typed: String,
    pub error: Option<String>,
}

impl Sign {
    pub fn new(
        inspection: uuid::Uuid,
        names: Vec<String>,
        arrival_at: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Sign {
        Sign {
            inspection,
            names,
            arrival_at,
            departed_at: None,
            signed: 0,
            typed: crate::domain::time::record_minute(now),
            error: None,
        }
    }

    /// Enter on the departure field: the typed time, when whole, after the arrival and not in
    /// the future; else the reason stays on screen and nothing moves on.
    pub fn confirm_departure(&mut self, now: chrono::DateTime<chrono::Utc>) {
        let checked = crate::domain::time::parse_minute(&self.typed)
            .ok_or_else(|| "离开现场时间应为日期和时间，格式如 2023-08-15 16:30".to_string())
            .and_then(|t| {
                crate::domain::inspection::check_departure(self.arrival_at, t, now).map(|_| t)
            });
        match checked {
            Ok(t) => {
                self.departed_at = Some(t);
                self.typed.clear();
                self.error = None;
            }
            Err(why) => self.error = Some(why),
        }
    }
}
