//! Home: drafts to resume, the day's figures, the next reporting deadline, one key to start.

use super::overlays::{Confirm, Overlay};
use super::picker::Picker;
use super::{Ctx, Step};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{Effect, HomeData};
use crossterm::event::KeyEvent;

#[derive(Debug, Default)]
pub struct Home {
    pub data: Option<HomeData>,
    pub selected: usize,
}

impl Home {
    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        let drafts = self.data.as_ref().map_or(0, |d| d.drafts.len());
        match keymap::lookup(keymap::HOME, ev) {
            Some(Cmd::NewInspection) => vec![
                Step::Open(Overlay::Picker(Picker::default())),
                Step::Do(Effect::LoadEnterprises),
            ],
            Some(Cmd::Ledger) => vec![
                Step::go(super::Screen::Ledger(Box::default())),
                Step::Do(Effect::LoadLedger),
            ],
            Some(Cmd::LoadDemo) if self.data.as_ref().is_some_and(|d| d.enterprise_count == 0) => {
                vec![
                    Step::Say("正在载入演示数据……".into()),
                    Step::Do(Effect::LoadDemo),
                ]
            }
            Some(Cmd::LoadDemo) => vec![Step::Say(
                "这里已有企业数据：演示数据只能载入空的数据目录".into(),
            )],
            Some(Cmd::Monthly) => {
                let group = self.data.as_ref().and_then(|d| d.profile_group.as_deref());
                let monthly = super::monthly::Monthly::new(ctx, group);
                let mut steps = monthly.load(ctx);
                steps.insert(0, Step::go(super::Screen::Monthly(Box::new(monthly))));
                steps
            }
            Some(Cmd::Roster) => vec![
                Step::go(super::Screen::Roster(Box::default())),
                Step::Do(Effect::LoadRoster),
            ],
            Some(Cmd::ExportBundle) => vec![Step::go(super::Screen::Exchange(Box::new(
                super::exchange::Exchange::export(ctx),
            )))],
            Some(Cmd::ImportBundle) => vec![Step::go(super::Screen::Exchange(Box::new(
                super::exchange::Exchange::import(),
            )))],
            Some(Cmd::Down) if self.selected + 1 < drafts => {
                self.selected += 1;
                vec![]
            }
            Some(Cmd::Up) => {
                self.selected = self.selected.saturating_sub(1);
                vec![]
            }
            Some(Cmd::Select) => match self.selected_draft() {
                Some(id) => vec![Step::Do(Effect::OpenInspection(id, None))],
                None => vec![Step::Say("没有可继续的草稿，按 n 新建检查".to_string())],
            },
            Some(Cmd::Discard) => match self.selected_draft() {
                Some(id) => vec![Step::Open(Overlay::Confirm(Confirm::new(
                    "作废这份草稿？作废后保留记录但不能再编辑。",
                    Effect::Discard(id),
                )))],
                None => vec![],
            },
            Some(Cmd::Help) => vec![Step::Help(keymap::HOME)],
            Some(Cmd::Quit) => vec![Step::Do(Effect::Quit)],
            _ => vec![],
        }
    }

    fn selected_draft(&self) -> Option<uuid::Uuid> {
        self.data
            .as_ref()
            .and_then(|d| d.drafts.get(self.selected))
            .map(|d| d.id)
    }
}
