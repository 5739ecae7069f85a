//! The enterprise picker: search by pinyin initials, credit code or name; create an enterprise
//! inline when it is not in the registry.

use super::{Ctx, Step};
use crate::app::form::{Field, FieldKind, Form, Outcome};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{Effect, EnterpriseIndex};
use crate::app::search;
use crate::domain::{CreditCode, Enterprise};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

/// How many rows PgUp/PgDn move.
const PAGE: usize = 10;

#[derive(Default)]
pub struct Picker {
    pub index: Option<Arc<EnterpriseIndex>>,
    pub query: String,
    pub hits: Vec<usize>,
    pub selected: usize,
    /// The inline "new enterprise" form, when open.
    pub creating: Option<Form>,
    /// Chosen for an office hazard entry (the ledger's `A`), not a new inspection.
    pub for_office: bool,
}

impl Picker {
    /// The picker of the ledger's office hazard entry.
    pub fn for_office() -> Picker {
        Picker {
            for_office: true,
            ..Picker::default()
        }
    }

    /// What choosing (or creating) the enterprise `id` leads to.
    pub fn chosen(&self, id: uuid::Uuid) -> Effect {
        if self.for_office {
            Effect::OpenOfficeHazard {
                enterprise: id,
                draft: None,
            }
        } else {
            Effect::LoadSetup(id)
        }
    }

    pub fn loaded(&mut self, index: Arc<EnterpriseIndex>) {
        self.index = Some(index);
        self.refilter(false);
    }

    /// Re-ranks after the query changed; a longer query only narrows the current hits.
    fn refilter(&mut self, narrowed: bool) {
        if let Some(index) = &self.index {
            self.hits = if narrowed {
                let previous = std::mem::take(&mut self.hits);
                search::rank_within(&index.keys, &self.query, previous)
            } else {
                search::rank(&index.keys, &self.query)
            };
        }
        self.selected = 0;
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        if let Some(form) = &mut self.creating {
            return match form.handle(ev) {
                Outcome::Editing => vec![],
                Outcome::Help => vec![Step::Help(crate::app::keymap::FORM)],
                Outcome::Cancel => {
                    self.creating = None;
                    vec![]
                }
                Outcome::Submit => match enterprise_from(form, &ctx.catalog.sectors) {
                    Ok(e) => vec![Step::Do(Effect::CreateEnterprise(e))],
                    Err(()) => vec![],
                },
            };
        }
        match keymap::lookup(keymap::PICKER, ev) {
            Some(Cmd::Back) => return vec![Step::Close],
            Some(Cmd::Help) => return vec![Step::Help(keymap::PICKER)],
            Some(Cmd::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Cmd::Down) => {
                self.selected = (self.selected + 1).min(self.hits.len().saturating_sub(1))
            }
            Some(Cmd::PageUp) => self.selected = self.selected.saturating_sub(PAGE),
            Some(Cmd::PageDown) => {
                self.selected = (self.selected + PAGE).min(self.hits.len().saturating_sub(1))
            }
            Some(Cmd::NewEnterprise) => self.creating = Some(new_enterprise_form(ctx, &self.query)),
            Some(Cmd::Select) => {
                let chosen = self.index.as_ref().and_then(|index| {
                    self.hits
                        .get(self.selected)
                        .and_then(|&i| index.rows.get(i))
                        .map(|r| r.id)
                });
                return match chosen {
                    Some(id) => vec![Step::Close, Step::Do(self.chosen(id))],
                    None => vec![Step::Say("没有匹配的企业：按 Ctrl-N 新建".to_string())],
                };
            }
            _ => match ev.code {
                KeyCode::Char(c) if !ev.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.query.push(c);
                    // Only ASCII queries (initials, codes) are subsequence matches that narrow.
                    let narrowed = c.is_ascii() && self.query.is_ascii() && self.query.len() > 1;
                    self.refilter(narrowed);
                }
                KeyCode::Backspace => {
                    self.query.pop();
                    self.refilter(false);
                }
                _ => {}
            },
        }
        vec![]
    }
}

fn new_enterprise_form(ctx: &Ctx, query: &str) -> Form {
    let mut sectors: Vec<String> = ctx
        .catalog
        .sectors
        .sectors
        .iter()
        .map(|s| s.name.clone())
        .collect();
    sectors.push("其他".to_string());
    let name = if query.is_ascii() {
        String::new()
    } else {
        query.to_string()
    };
    Form::new(
        "新建企业",
        vec![
            Field::text("name", "企业名称", true).with_value(name),
            Field::text("credit_code", "统一社会信用代码", true),
            Field::of_kind("sector", "行业", FieldKind::Choice(sectors), true),
            Field::text("town", "乡镇", false),
            Field::text("address", "地址", false),
            Field::text("principal", "主要负责人", false),
            Field::text("phone", "联系电话", false),
        ],
    )
}

/// The enterprise the form describes, or the field errors set on the form.
fn enterprise_from(
    form: &mut Form,
    sectors: &crate::templates::sectors::SectorTable,
) -> Result<Enterprise, ()> {
    let code = CreditCode::parse(form.value("credit_code"));
    let phone = crate::domain::enterprise::validate_phone(form.value("phone"));
    for field in &mut form.fields {
        match field.key.as_str() {
            "credit_code" => field.error = code.as_ref().err().map(|e| e.to_string()),
            "phone" => field.error = phone.as_ref().err().cloned(),
            _ => {}
        }
    }
    let (Ok(credit_code), Ok(())) = (code, phone) else {
        return Err(());
    };
    let sector = form.value("sector").to_string();
    let sector_code = sectors.classify(&sector).map(|s| s.code.clone());
    Ok(Enterprise {
        name: form.value("name").to_string(),
        credit_code,
        address: form.value("address").to_string(),
        town: form.value("town").to_string(),
        sector,
        sector_code,
        risk_level: None,
        principal: form.value("principal").to_string(),
        phone: form.value("phone").to_string(),
    })
}
