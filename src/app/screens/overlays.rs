//! Layers above the screen: the enterprise picker, the note editor, confirmations, help. The
//! top one gets the keys first.

use super::picker::Picker;
use crate::app::keymap::Binding;
use crate::app::msg::Effect;
use crate::domain::AnswerResult;
use tui_textarea::TextArea;

pub enum Overlay {
    Picker(Picker),
    Note(Box<NoteEditor>),
    Confirm(Confirm),
    /// Typed-name confirmation before finalizing.
    Sign(Sign),
    Help(&'static [Binding]),
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
            inspection,
            code: code.to_string(),
            result,
            text,
        }
    }

    pub fn note(&self) -> String {
        self.text.lines().join("\n").trim_end().to_string()
    }
}

/// Every inspector named on the inspection types their name to confirm it ("谁检查、谁签名").
pub struct Sign {
    pub inspection: uuid::Uuid,
    pub names: Vec<String>,
    pub signed: usize,
    pub typed: String,
    pub error: Option<String>,
}
