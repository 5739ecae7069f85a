//! A keyboard form: labelled fields, one in focus, typed values checked at the field when the
//! inspector leaves it (a bad date never reaches the database). Choices cycle with ←/→ or
//! space. Chinese typed through the terminal's input method arrives as characters like any other.

use super::keymap::{self, Cmd};
use chrono::NaiveDateTime;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Text,
    /// `YYYY-MM-DD`
    Date,
    /// `YYYY-MM-DD HH:MM`
    DateTime,
    Number,
    /// One of these; the value is the chosen text.
    Choice(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub value: String,
    pub error: Option<String>,
    pub help: Option<String>,
    /// A field of a configured evidence form: its own definition checks the value.
    pub def: Option<Box<crate::templates::forms::FieldDef>>,
}

/// The choice that leaves a yes/no field unanswered.
pub const UNSET: &str = "未填";

impl Field {
    pub fn text(key: &str, label: &str, required: bool) -> Field {
        Field {
            key: key.to_string(),
            label: label.to_string(),
            kind: FieldKind::Text,
            required,
            value: String::new(),
            error: None,
            help: None,
            def: None,
        }
    }

    /// A field of a configured form, checked by its definition.
    pub fn from_def(def: &crate::templates::forms::FieldDef, value: String) -> Field {
        use crate::templates::forms::FieldType;
        let kind = match def.kind {
            FieldType::Enum => {
                let mut options = if def.required {
                    vec![]
                } else {
                    vec![UNSET.to_string()]
                };
                options.extend(def.options.iter().cloned());
                FieldKind::Choice(options)
            }
            FieldType::Bool => {
                FieldKind::Choice(vec![UNSET.to_string(), "是".to_string(), "否".to_string()])
            }
            FieldType::Date => FieldKind::Date,
            FieldType::Datetime => FieldKind::DateTime,
            FieldType::Number => FieldKind::Number,
            _ => FieldKind::Text,
        };
        let value = match (&kind, value.is_empty()) {
            (FieldKind::Choice(options), true) => options.first().cloned().unwrap_or_default(),
            _ => value,
        };
        Field {
            key: def.key.clone(),
            label: def.label.clone(),
            kind,
            required: def.required,
            value,
            error: None,
            help: def.help.clone(),
            def: Some(Box::new(def.clone())),
        }
    }

    /// The value as the field's definition stores it (`None` when empty or unset).
    pub fn typed_value(&self) -> Result<Option<crate::domain::FieldValue>, String> {
        let raw = if self.value == UNSET {
            ""
        } else {
            self.value.as_str()
        };
        match &self.def {
            Some(def) => def.parse_input(raw),
            None => Ok((!raw.trim().is_empty())
                .then(|| crate::domain::FieldValue::Text(raw.trim().to_string()))),
        }
    }

    pub fn of_kind(key: &str, label: &str, kind: FieldKind, required: bool) -> Field {
        let value = match &kind {
            FieldKind::Choice(options) if required => options.first().cloned().unwrap_or_default(),
            _ => String::new(),
        };
        Field {
            kind,
            value,
            ..Field::text(key, label, required)
        }
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Field {
        self.value = value.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Field {
        self.help = Some(help.into());
        self
    }

    /// Checks the value; the reason is shown under the field.
    pub fn check(&self) -> Result<(), String> {
        if self.def.is_some() {
            return self.typed_value().map(|_| ());
        }
        let v = self.value.trim();
        if v.is_empty() {
            return if self.required {
                Err(format!("{}不能为空", self.label))
            } else {
                Ok(())
            };
        }
        match &self.kind {
            FieldKind::Text => Ok(()),
            FieldKind::Date => crate::domain::time::parse_day(v)
                .map(|_| ())
                .ok_or_else(|| format!("{}应为日期，格式如 2023-08-15", self.label)),
            FieldKind::DateTime => NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M")
                .map(|_| ())
                .map_err(|_| format!("{}应为日期和时间，格式如 2023-08-15 09:30", self.label)),
            FieldKind::Number => v
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map(|_| ())
                .ok_or_else(|| format!("{}应为不小于 0 的数字", self.label)),
            FieldKind::Choice(options) => {
                if options.iter().any(|o| o == v) {
                    Ok(())
                } else {
                    Err(format!("{}应为：{}", self.label, options.join("、")))
                }
            }
        }
    }

    fn cycle(&mut self, forward: bool) {
        if let FieldKind::Choice(options) = &self.kind {
            if options.is_empty() {
                return;
            }
            let n = options.len();
            let at = options.iter().position(|o| *o == self.value);
            let next = match (at, forward) {
                (None, _) => 0,
                (Some(i), true) => (i + 1) % n,
                (Some(i), false) => (i + n - 1) % n,
            };
            self.value = options[next].clone();
        }
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Still editing (the form may have changed).
    Editing,
    /// Ctrl-S on a form whose every field checks out.
    Submit,
    Cancel,
    /// F1: the form's keys.
    Help,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            fields,
            focus: 0,
        }
    }

    /// The values typed so far and the field in focus.
    pub fn snapshot(&self) -> (Vec<(String, String)>, usize) {
        let values = self
            .fields
            .iter()
            .map(|f| (f.key.clone(), f.value.clone()))
            .collect();
        (values, self.focus)
    }

    /// Puts back values saved by [`Form::snapshot`] (keys the form no longer has are ignored).
    pub fn restore(&mut self, values: &[(String, String)], focus: usize) {
        for (key, value) in values {
            if let Some(f) = self.fields.iter_mut().find(|f| &f.key == key) {
                f.value = value.clone();
            }
        }
        self.focus = focus.min(self.fields.len().saturating_sub(1));
    }

    pub fn value(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", |f| f.value.trim())
    }

    fn leave_focus(&mut self) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.error = f.check().err();
        }
    }

    /// Checks every field; true when all are valid (errors are set on the others).
    pub fn check_all(&mut self) -> bool {
        let mut ok = true;
        for f in &mut self.fields {
            f.error = f.check().err();
            ok &= f.error.is_none();
        }
        if let Some(first_bad) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first_bad;
        }
        ok
    }

    pub fn handle(&mut self, ev: &KeyEvent) -> Outcome {
        if ev.kind != KeyEventKind::Press {
            return Outcome::Editing;
        }
        let n = self.fields.len();
        let choice = matches!(
            self.fields.get(self.focus).map(|f| &f.kind),
            Some(FieldKind::Choice(_))
        );
        match keymap::lookup(keymap::FORM, ev) {
            Some(Cmd::Help) => return Outcome::Help,
            Some(Cmd::Save) => {
                return if self.check_all() {
                    Outcome::Submit
                } else {
                    Outcome::Editing
                };
            }
            Some(Cmd::Back) => return Outcome::Cancel,
            Some(Cmd::NextField) if n > 0 => {
                self.leave_focus();
                self.focus = (self.focus + 1) % n;
                return Outcome::Editing;
            }
            Some(Cmd::PrevField) if n > 0 => {
                self.leave_focus();
                self.focus = (self.focus + n - 1) % n;
                return Outcome::Editing;
            }
            Some(Cmd::Left) if choice => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.cycle(false);
                }
                return Outcome::Editing;
            }
            Some(Cmd::Right) if choice => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.cycle(true);
                }
                return Outcome::Editing;
            }
            _ => {}
        }
        let Some(field) = self.fields.get_mut(self.focus) else {
            return Outcome::Editing;
        };
        match ev.code {
            KeyCode::Char(' ') if choice => field.cycle(true),
            KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) && !choice => {
                field.value.push(c);
                field.error = None;
            }
            KeyCode::Backspace if !choice => {
                field.value.pop();
                field.error = None;
            }
            _ => {}
        }
        Outcome::Editing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(form: &mut Form, text: &str) {
        for c in text.chars() {
            form.handle(&key(KeyCode::Char(c)));
        }
    }

    fn sample() -> Form {
        Form::new(
            "测试",
            vec![
                Field::text("name", "姓名", true),
                Field::of_kind("deadline", "整改期限", FieldKind::Date, false),
                Field::of_kind(
                    "grade",
                    "等级",
                    FieldKind::Choice(vec!["重大".into(), "一般".into()]),
                    true,
                ),
            ],
        )
    }

    #[test]
    fn a_bad_date_is_caught_when_leaving_the_field() {
        let mut form = sample();
        typed(&mut form, "张三");
        form.handle(&key(KeyCode::Tab));
        typed(&mut form, "2023-02-30");
        assert_eq!(form.fields[1].error, None, "no nagging while typing");
        form.handle(&key(KeyCode::Tab));
        assert_eq!(
            form.fields[1].error.as_deref(),
            Some("整改期限应为日期，格式如 2023-08-15")
        );
        form.handle(&key(KeyCode::BackTab));
        form.handle(&key(KeyCode::Backspace));
        form.handle(&key(KeyCode::Backspace));
        typed(&mut form, "28");
        let save = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(form.handle(&save), Outcome::Submit);
        assert_eq!(form.value("deadline"), "2023-02-28");
    }

    #[test]
    fn save_refuses_and_focuses_the_first_bad_field() {
        let mut form = sample();
        form.focus = 2;
        let save = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(form.handle(&save), Outcome::Editing);
        assert_eq!(form.focus, 0);
        assert_eq!(form.fields[0].error.as_deref(), Some("姓名不能为空"));
        assert_eq!(form.handle(&key(KeyCode::Esc)), Outcome::Cancel);
    }

    #[test]
    fn choices_cycle_and_ignore_typing() {
        let mut form = sample();
        form.focus = 2;
        assert_eq!(form.value("grade"), "重大");
        form.handle(&key(KeyCode::Right));
        assert_eq!(form.value("grade"), "一般");
        form.handle(&key(KeyCode::Char(' ')));
        assert_eq!(form.value("grade"), "重大");
        typed(&mut form, "abc");
        assert_eq!(form.value("grade"), "重大");
    }
}
