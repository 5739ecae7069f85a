//! A keyboard form: labelled fields, one in focus, typed values checked at the field when the
//! inspector leaves it (a bad date never reaches the database). Dates and amounts typed as
//! people write them ("2023.9.5", "5000元") are rewritten in their one spelling when the field
//! is left or the form saved, so the inspector sees what will be stored; a time is never
//! completed silently. An amount above the configured ceiling is saved only on a second Ctrl-S.
//! Choices cycle with ←/→ or space. Chinese typed through the terminal's input method arrives
//! as characters like any other.

use super::keymap::{self, Cmd};
use crate::domain::money::{self, MoneyRules};
use crate::domain::time;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Text,
    /// `YYYY-MM-DD`, typed also as `2023.9.5`, `2023/9/5`, `2023年9月5日`…
    Date,
    /// `YYYY-MM-DD HH:MM`, typed whole.
    DateTime,
    Number,
    /// An amount in 万元 ("0.5", "0.5万元", "5000元"), shown back as "0.5万元". With `funds`,
    /// the amount may be followed by where the money comes from ("2万元，企业自筹") or be "无".
    Money {
        rules: MoneyRules,
        funds: bool,
    },
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

    /// An amount in 万元, confirmed above the ceiling of `rules`.
    pub fn money(key: &str, label: &str, required: bool, rules: MoneyRules) -> Field {
        Field::of_kind(
            key,
            label,
            FieldKind::Money {
                rules,
                funds: false,
            },
            required,
        )
    }

    /// Rectification funds (五落实·资金): an amount, then optionally its source, or "无".
    pub fn funds(key: &str, label: &str, required: bool, rules: MoneyRules) -> Field {
        Field::of_kind(
            key,
            label,
            FieldKind::Money { rules, funds: true },
            required,
        )
    }

    /// The amount typed in a money field, in fen (`None` when empty, "无" or invalid).
    pub fn amount_fen(&self) -> Option<i64> {
        match self.kind {
            FieldKind::Money { funds: true, .. } => money::parse_funds(&self.value)
                .ok()
                .and_then(|(_, fen)| fen),
            FieldKind::Money { .. } if !self.value.trim().is_empty() => {
                money::parse_wan(&self.value).ok()
            }
            _ => None,
        }
    }

    /// Rewrites a valid value in its one spelling (a day as `2023-09-05`, an amount as
    /// `0.5万元`); an invalid value is left as typed, for its error to be shown.
    pub fn normalize(&mut self) {
        let v = self.value.trim();
        if v.is_empty() || self.value == UNSET {
            return;
        }
        let normal = match &self.kind {
            FieldKind::Date => time::parse_day_loose(v).map(time::day_text),
            FieldKind::Money { funds: true, .. } => money::parse_funds(v).ok().map(|(t, _)| t),
            FieldKind::Money { .. } => money::parse_wan(v).ok().map(money::wan_text),
            _ => None,
        };
        if let Some(normal) = normal {
            self.value = normal;
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
            FieldKind::Date => time::parse_day_loose(v)
                .map(|_| ())
                .ok_or_else(|| format!("{}应为日期，格式如 2023-08-15", self.label)),
            // Typed whole: "09:3" is an error here, never read as 09:03.
            FieldKind::DateTime => time::parse_minute(v).map(|_| ()).ok_or_else(|| {
                format!(
                    "{}应为完整的日期和时间，格式如 2023-08-15 09:30",
                    self.label
                )
            }),
            FieldKind::Money { funds: true, .. } => money::parse_funds(v)
                .map(|_| ())
                .map_err(|e| format!("{}：{e}", self.label)),
            FieldKind::Money { .. } => money::parse_wan(v)
                .map(|_| ())
                .map_err(|e| format!("{}：{e}", self.label)),
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
    /// The values last asked to be confirmed (an amount above the ceiling): a Ctrl-S on the
    /// very same values saves.
    confirming: Option<Vec<(String, String)>>,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            confirming: None,
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
            f.normalize();
            f.error = f.check().err();
        }
    }

    /// Checks every field; true when all are valid (errors are set on the others). Valid
    /// values are rewritten in their one spelling first.
    pub fn check_all(&mut self) -> bool {
        let mut ok = true;
        for f in &mut self.fields {
            f.normalize();
            f.error = f.check().err();
            ok &= f.error.is_none();
        }
        if let Some(first_bad) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first_bad;
        }
        ok
    }

    /// Whether every amount is at or below its ceiling, or the user has seen the ones above it
    /// and saves again unchanged. Otherwise the first such field says so and takes the focus.
    fn confirmed(&mut self) -> bool {
        let large: Vec<(usize, String)> = self
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match f.kind {
                FieldKind::Money { rules, .. } => f
                    .amount_fen()
                    .and_then(|fen| rules.needs_confirmation(fen))
                    .map(|why| (i, why)),
                _ => None,
            })
            .collect();
        let Some((first, _)) = large.first() else {
            return true;
        };
        let values = self.snapshot().0;
        if self.confirming.as_ref() == Some(&values) {
            return true;
        }
        self.focus = *first;
        for (i, why) in &large {
            self.fields[*i].error = Some(format!("{why}；核对无误请再按 Ctrl-S 保存"));
        }
        self.confirming = Some(values);
        false
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
            // Enter moves on, and on the last field submits, as in any form people know.
            Some(Cmd::Save) | Some(Cmd::Select)
                if ev.code != KeyCode::Enter || self.focus + 1 >= n =>
            {
                return if self.check_all() && self.confirmed() {
                    Outcome::Submit
                } else {
                    Outcome::Editing
                };
            }
            Some(Cmd::Back) => return Outcome::Cancel,
            Some(Cmd::NextField) | Some(Cmd::Select) if n > 0 => {
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
    fn enter_moves_on_and_on_the_last_field_submits() {
        let mut form = sample();
        typed(&mut form, "张三");
        assert_eq!(form.handle(&key(KeyCode::Enter)), Outcome::Editing);
        assert_eq!(form.focus, 1);
        assert_eq!(form.handle(&key(KeyCode::Enter)), Outcome::Editing);
        assert_eq!(form.focus, 2);
        assert_eq!(form.handle(&key(KeyCode::Enter)), Outcome::Submit);
        // A required field left empty: Enter on the last field refuses like Ctrl-S.
        let mut empty = sample();
        empty.focus = 2;
        assert_eq!(empty.handle(&key(KeyCode::Enter)), Outcome::Editing);
        assert_eq!(empty.focus, 0);
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

    fn save() -> KeyEvent {
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
    }

    #[test]
    fn a_date_typed_as_people_write_it_is_shown_back_whole_before_saving() {
        let mut form = sample();
        typed(&mut form, "张三");
        form.handle(&key(KeyCode::Tab));
        typed(&mut form, "2023.9.5");
        assert_eq!(form.fields[1].value, "2023.9.5", "left alone while typing");
        form.handle(&key(KeyCode::Tab));
        assert_eq!(form.fields[1].value, "2023-09-05", "rewritten on leaving");
        assert_eq!(form.fields[1].error, None);
        for (typed_day, shown) in [
            ("2023/09/05", "2023-09-05"),
            ("2023年9月5日", "2023-09-05"),
            ("2024-2-29", "2024-02-29"),
        ] {
            form.focus = 1;
            form.fields[1].value.clear();
            typed(&mut form, typed_day);
            // Ctrl-S straight from the field: rewritten too, and what is saved is what shows.
            assert_eq!(form.handle(&save()), Outcome::Submit, "{typed_day}");
            assert_eq!(form.fields[1].value, shown);
        }
        form.focus = 1;
        form.fields[1].value = "23-9-5".into();
        assert_eq!(form.handle(&save()), Outcome::Editing);
        assert_eq!(
            form.fields[1].value, "23-9-5",
            "an invalid value is left as typed"
        );
        assert_eq!(
            form.fields[1].error.as_deref(),
            Some("整改期限应为日期，格式如 2023-08-15")
        );
    }

    #[test]
    fn a_partial_time_is_an_error_at_the_field_never_completed() {
        let mut form = Form::new(
            "测试",
            vec![
                Field::of_kind("at", "到达时间", FieldKind::DateTime, true),
                Field::text("note", "说明", false),
            ],
        );
        typed(&mut form, "2026-12-05 00:2");
        form.handle(&key(KeyCode::Tab));
        assert_eq!(
            form.fields[0].error.as_deref(),
            Some("到达时间应为完整的日期和时间，格式如 2023-08-15 09:30")
        );
        assert_eq!(form.fields[0].value, "2026-12-05 00:2", "not completed");
        assert_eq!(form.handle(&save()), Outcome::Editing);
        assert_eq!(form.focus, 0, "back on the bad time");
        typed(&mut form, "5");
        assert_eq!(form.handle(&save()), Outcome::Submit);
        assert_eq!(form.value("at"), "2026-12-05 00:25");
    }

    fn money_form() -> Form {
        Form::new(
            "测试",
            vec![
                Field::money("amount", "罚款金额", false, MoneyRules::default()),
                Field::funds("funds", "整改资金", false, MoneyRules::default()),
            ],
        )
    }

    #[test]
    fn amounts_are_shown_back_in_wan_and_absurd_ones_refused() {
        let mut form = money_form();
        typed(&mut form, "5000元");
        form.handle(&key(KeyCode::Tab));
        assert_eq!(form.fields[0].value, "0.5万元");
        typed(&mut form, "3000元 企业自筹");
        form.handle(&key(KeyCode::Tab));
        assert_eq!(form.fields[1].value, "0.3万元，企业自筹");
        assert_eq!(form.fields[1].amount_fen(), Some(300_000));
        assert_eq!(form.handle(&save()), Outcome::Submit);

        form.focus = 0;
        form.fields[0].value.clear();
        typed(&mut form, "1234567890");
        assert_eq!(form.handle(&save()), Outcome::Editing);
        let err = form.fields[0].error.clone().unwrap_or_default();
        assert!(err.contains("过大（应小于 10000 万元）"), "{err}");
        assert_eq!(
            form.handle(&save()),
            Outcome::Editing,
            "never saved, even twice"
        );
    }

    #[test]
    fn an_amount_above_the_ceiling_is_saved_on_a_second_ctrl_s_only() {
        let mut form = money_form();
        typed(&mut form, "600");
        form.handle(&key(KeyCode::Tab));
        assert_eq!(form.handle(&save()), Outcome::Editing);
        assert_eq!(form.focus, 0);
        assert_eq!(
            form.fields[0].error.as_deref(),
            Some("金额 600万元 超过 500 万元，请核对是否多打了位数；核对无误请再按 Ctrl-S 保存")
        );
        // Changed in between (600万元 → 700万元): asked again.
        for _ in 0..5 {
            form.handle(&key(KeyCode::Backspace));
        }
        typed(&mut form, "700");
        assert_eq!(form.handle(&save()), Outcome::Editing);
        assert_eq!(form.handle(&save()), Outcome::Submit);
        assert_eq!(form.value("amount"), "700万元");
        // At the ceiling: no question.
        let mut form = money_form();
        typed(&mut form, "500");
        assert_eq!(form.handle(&save()), Outcome::Submit);
    }
}
