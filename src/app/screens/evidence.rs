//! Evidence records behind E10, E12, E13–E14 and E15: a table per kind and a form built from
//! the kind's configured fields. The rules run as records are saved; their verdicts show with
//! the reason, and one key adopts the proposed answer for the mapped item.

use super::checklist::Checklist;
use super::overlays::{Confirm, Overlay};
use super::{Ctx, Step};
use crate::app::form::{Field, Form, Outcome};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::Effect;
use crate::domain::rules::{self, Verdict};
use crate::domain::{AnswerResult, EvidenceKind, EvidenceRecord, FieldValue, Record, time};
use crossterm::event::KeyEvent;
use std::cell::Cell;
use std::collections::BTreeMap;
use uuid::Uuid;

pub struct EvidenceScreen {
    pub back: Checklist,
    pub kind: EvidenceKind,
    pub selected: usize,
    /// The record being added (`None` id) or changed, and its form.
    pub editing: Option<(Option<Uuid>, Form)>,
    /// First row shown of the rules' suggestions (PgUp/PgDn), and how far they can scroll:
    /// set by the renderer, which knows how they wrap.
    pub verdict_scroll: usize,
    pub verdict_max: Cell<usize>,
    pub verdict_page: Cell<usize>,
    /// Of a finalized inspection: the correction of this record being typed.
    pub correcting: Option<(Uuid, Form)>,
}

impl EvidenceScreen {
    pub fn new(back: Checklist, ctx: &Ctx) -> EvidenceScreen {
        // Start on the kind behind the selected item, when it has one.
        let kind = back
            .current()
            .and_then(|item| {
                ctx.catalog
                    .item(&item.template_id, &item.code, None)
                    .and_then(|i| i.evidence)
            })
            .unwrap_or(EvidenceKind::HotWorkPermit);
        EvidenceScreen {
            back,
            kind,
            selected: 0,
            editing: None,
            verdict_scroll: 0,
            verdict_max: Cell::new(usize::MAX),
            verdict_page: Cell::new(4),
            correcting: None,
        }
    }

    pub fn records(&self) -> Vec<&Record<EvidenceRecord>> {
        self.back
            .view
            .evidence
            .iter()
            .filter(|r| r.data.kind == self.kind)
            .collect()
    }

    /// The rules' verdicts over all evidence of this inspection.
    pub fn verdicts(&self, ctx: &Ctx) -> Vec<Verdict> {
        self.assessment(ctx).verdicts
    }

    /// The rules' proposals and the notes saying where they hold back.
    pub fn assessment(&self, ctx: &Ctx) -> rules::Assessment {
        let view = &self.back.view;
        let records: Vec<&EvidenceRecord> = view.evidence.iter().map(|r| &r.data).collect();
        let code = view.enterprise.data.sector_code.as_deref();
        let sector = code.and_then(|s| ctx.catalog.sectors.get(s));
        let subject = rules::Subject {
            sector: code,
            sector_name: sector.map(|s| s.name.as_str()),
            listed: sector.map(|s| s.drill_listed).unwrap_or_default(),
        };
        let on = time::local(view.inspection.data.arrival_at).date();
        rules::assess(&ctx.catalog.rules, &records, subject, on)
    }

    pub fn form_for(&self, ctx: &Ctx, record: Option<&EvidenceRecord>) -> Option<Form> {
        let def = ctx.catalog.form(self.kind)?;
        let fields = def
            .fields
            .iter()
            .map(|f| {
                let value = record
                    .and_then(|r| r.values.get(&f.key))
                    .map(show_value)
                    .unwrap_or_default();
                Field::from_def(f, value)
            })
            .collect();
        Some(Form::new(format!("{} · {}", def.title, def.basis), fields))
    }

    /// Opens the correction of the evidence record `id` (of a finalized inspection), prefilled
    /// with the values in force.
    pub fn open_correction(&mut self, id: Uuid, ctx: &Ctx) -> Vec<Step> {
        let view = &self.back.view;
        let Some(record) = view.evidence.iter().find(|r| r.id() == id) else {
            return vec![Step::Say("没有可更正的证据记录".into())];
        };
        match super::correction::evidence_form(ctx, view, record) {
            Some(form) => {
                self.kind = record.data.kind;
                self.selected = self
                    .records()
                    .iter()
                    .position(|r| r.id() == id)
                    .unwrap_or(0);
                self.correcting = Some((id, form));
                vec![]
            }
            None => vec![Step::Say("没有这类证据记录的表单配置".to_string())],
        }
    }

    /// The attach browser for the selected record.
    fn attach(&self) -> Vec<Step> {
        match self.records().get(self.selected) {
            Some(r) => super::attach::Browser::open(super::attach::AttachTo {
                id: r.id(),
                item: None,
                role: None,
                hazard: false,
                label: format!("证据记录（{}）", r.data.kind.label()),
            }),
            None => vec![Step::Say("还没有证据记录：先按 a 新增，再附照片".into())],
        }
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        if self.correcting.is_some() {
            let place = self.back.place();
            return super::correction::evidence_key(&mut self.correcting, place, ev);
        }
        if self.back.read_only() {
            let cmd = keymap::lookup(keymap::EVIDENCE_FINALIZED, ev);
            return match cmd {
                Some(Cmd::StepCorrect) => match self.records().get(self.selected) {
                    Some(r) => {
                        let id = r.id();
                        self.open_correction(id, ctx)
                    }
                    None => vec![Step::Say("这一类没有证据记录可更正".into())],
                },
                Some(Cmd::Help) => vec![Step::Help(keymap::EVIDENCE_FINALIZED)],
                Some(Cmd::Attach) => self.attach(),
                Some(cmd) => self.navigate(cmd),
                None if keymap::lookup(keymap::EVIDENCE, ev).is_some() => vec![Step::Say(
                    "这次检查已定稿，证据记录不能修改：按 c 更正所选记录（另存为更正记录）".into(),
                )],
                None => vec![],
            };
        }
        if let Some((id, form)) = &mut self.editing {
            let before = form.focus;
            return match form.handle(ev) {
                Outcome::Editing => {
                    let which = crate::app::msg::DraftForm::Evidence {
                        kind: self.kind,
                        record: *id,
                    };
                    super::remember_form(&self.back, form, which, before)
                }
                Outcome::Help => vec![Step::Help(crate::app::keymap::FORM)],
                Outcome::Cancel => {
                    self.editing = None;
                    vec![]
                }
                Outcome::Submit => {
                    let mut values = BTreeMap::new();
                    for field in &form.fields {
                        if let Ok(Some(v)) = field.typed_value() {
                            values.insert(field.key.clone(), v);
                        }
                    }
                    let record = EvidenceRecord {
                        inspection_id: self.back.view.id(),
                        kind: self.kind,
                        form_version: ctx.catalog.form(self.kind).map_or(1, |f| f.version),
                        values,
                    };
                    vec![Step::Do(Effect::SaveEvidence { id: *id, record })]
                }
            };
        }
        match keymap::lookup(keymap::EVIDENCE, ev) {
            Some(Cmd::Attach) => return self.attach(),
            Some(Cmd::Add) => match self.form_for(ctx, None) {
                Some(form) => self.editing = Some((None, form)),
                None => return vec![Step::Say("没有这类证据记录的表单配置".to_string())],
            },
            Some(Cmd::Select) => {
                let chosen = self
                    .records()
                    .get(self.selected)
                    .map(|r| (r.id(), r.data.clone()));
                if let Some((id, data)) = chosen
                    && let Some(form) = self.form_for(ctx, Some(&data))
                {
                    self.editing = Some((Some(id), form));
                }
            }
            Some(Cmd::Apply) => return self.apply(ctx),
            Some(Cmd::Help) => return vec![Step::Help(keymap::EVIDENCE)],
            Some(cmd) => return self.navigate(cmd),
            None => {}
        }
        vec![]
    }

    /// Moving between kinds, records and the panel below: the same read-only or not.
    fn navigate(&mut self, cmd: Cmd) -> Vec<Step> {
        let kinds = EvidenceKind::ALL;
        let at = kinds.iter().position(|k| *k == self.kind).unwrap_or(0);
        match cmd {
            Cmd::Right => {
                self.kind = kinds[(at + 1) % kinds.len()];
                self.selected = 0;
            }
            Cmd::Left => {
                self.kind = kinds[(at + kinds.len() - 1) % kinds.len()];
                self.selected = 0;
            }
            Cmd::Down => {
                self.selected = (self.selected + 1).min(self.records().len().saturating_sub(1))
            }
            Cmd::Up => self.selected = self.selected.saturating_sub(1),
            Cmd::PageDown => {
                self.verdict_scroll = (self.verdict_scroll + self.verdict_page.get().max(1))
                    .min(self.verdict_max.get())
            }
            Cmd::PageUp => {
                self.verdict_scroll = self
                    .verdict_scroll
                    .min(self.verdict_max.get())
                    .saturating_sub(self.verdict_page.get().max(1))
            }
            Cmd::Back => return vec![Step::BackToChecklist],
            _ => {}
        }
        vec![]
    }

    /// Adopts the rules' proposals resting on this kind's records, with the reasons as the note.
    fn apply(&mut self, ctx: &Ctx) -> Vec<Step> {
        let verdicts: Vec<Verdict> = self
            .verdicts(ctx)
            .into_iter()
            .filter(|v| v.from.contains(&self.kind))
            .collect();
        if verdicts.is_empty() {
            return vec![Step::Say(
                "这类证据还没有记录，没有可采用的建议".to_string(),
            )];
        }
        let mut steps = Vec::new();
        // Every item set at once is named in one message (a message per item would leave only
        // the last one on screen): "已采用建议：E12、FUEL-02 不符合；E10 符合".
        let mut adopted: Vec<(AnswerResult, Vec<String>)> = Vec::new();
        let mut missing = Vec::new();
        let mut asked = Vec::new();
        for v in verdicts {
            if !self.back.items().iter().any(|i| i.code == v.item_code) {
                missing.push(v.item_code.clone());
                continue;
            }
            let view = &self.back.view;
            let reasons = format!("依据证据记录：{}", v.reasons.join("；"));
            // The inspector's own note stays; the rule's reasons are added below it.
            let existing = view.note(&v.item_code);
            let note = if existing.is_empty() || existing.contains(&reasons) {
                reasons
            } else {
                format!("{existing}\n{reasons}")
            };
            let save = Effect::SaveAnswer {
                inspection: view.id(),
                code: v.item_code.clone(),
                result: v.proposed,
                note,
            };
            let current = view.result(&v.item_code);
            if current != AnswerResult::Unchecked && current != v.proposed {
                // Never change the inspector's own answer without asking.
                asked.push(v.item_code.clone());
                steps.push(Step::Open(Overlay::Confirm(Confirm::new(
                    format!(
                        "{} 已判为“{}”，规则建议“{}”。改为建议的答案？（备注保留并附上理由）",
                        v.item_code,
                        current.label(),
                        v.proposed.label()
                    ),
                    save,
                ))));
            } else {
                steps.push(Step::Do(save));
                match adopted.iter_mut().find(|(r, _)| *r == v.proposed) {
                    Some((_, codes)) => codes.push(v.item_code.clone()),
                    None => adopted.push((v.proposed, vec![v.item_code.clone()])),
                }
            }
        }
        let mut said = Vec::new();
        if !adopted.is_empty() {
            let parts: Vec<String> = adopted
                .iter()
                .map(|(r, codes)| format!("{} {}", codes.join("、"), r.label()))
                .collect();
            said.push(format!("已采用建议：{}", parts.join("；")));
        }
        if !asked.is_empty() {
            said.push(format!("{} 已有不同的答案，逐项确认", asked.join("、")));
        }
        if !missing.is_empty() {
            said.push(format!("本次检查的清单中没有检查项 {}", missing.join("、")));
        }
        if !said.is_empty() {
            steps.push(Step::Say(said.join("；")));
        }
        steps
    }

    /// A correction of a record was saved: it is in force from now on.
    pub fn corrected(&mut self, record: Record<crate::domain::EvidenceCorrection>) {
        self.back.view.evidence_corrections.push(record);
        self.correcting = None;
    }

    pub fn saved(&mut self, record: Record<EvidenceRecord>) {
        let evidence = &mut self.back.view.evidence;
        match evidence.iter_mut().find(|r| r.id() == record.id()) {
            Some(existing) => *existing = record,
            None => evidence.push(record),
        }
        self.editing = None;
    }
}

/// A stored value as the form shows it.
pub fn show_value(value: &FieldValue) -> String {
    value.shown()
}
