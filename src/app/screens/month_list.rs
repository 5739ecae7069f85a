//! A month's 重大事故隐患清单 (`h`) or 信息公开清单 (`g`), opened from the monthly table for the
//! month it shows: ←/→ change the month, the rows scroll, `x` writes the very xlsx of
//! `paicha report hazards | disclosure --format xlsx` to a path shown and editable (Tab
//! completes it). The lists are built by `report::month_lists`, the CLI's own builder.

use super::{Ctx, Step};
use crate::app::form::{Field, Form, Outcome};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::Effect;
use crate::report::hazard_list::Window;
use crate::report::month_lists::{MonthList, Which};
use crossterm::event::KeyEvent;
use std::path::PathBuf;

const PAGE: usize = 10;

pub struct MonthListView {
    pub which: Which,
    pub year: i32,
    pub month: u32,
    /// The list, once built (`None` while it is).
    pub list: Option<MonthList>,
    pub selected: usize,
    /// Where `x` offers to write it (the user's Documents folder, else the data folder).
    pub default_path: Option<PathBuf>,
    /// The path being chosen for the xlsx, when open.
    pub export: Option<Form>,
}

/// What the monthly table should do after a key in the list.
pub enum After {
    Stay(Vec<Step>),
    Close,
}

impl MonthListView {
    pub fn new(which: Which, year: i32, month: u32) -> MonthListView {
        MonthListView {
            which,
            year,
            month,
            list: None,
            selected: 0,
            default_path: None,
            export: None,
        }
    }

    pub fn load(&self) -> Vec<Step> {
        vec![Step::Do(Effect::LoadMonthList {
            which: self.which,
            year: self.year,
            month: self.month,
        })]
    }

    /// A list built: shown if it is still the one asked for.
    pub fn loaded(&mut self, list: MonthList, default_dir: PathBuf) {
        let asked = Window::month(self.year, self.month);
        if list.which == self.which && Some(list.window) == asked {
            self.selected = self.selected.min(list.listing.rows.len().saturating_sub(1));
            self.default_path = Some(default_dir.join(self.which.file_name(&list.window)));
            self.list = Some(list);
        }
    }

    pub fn rows(&self) -> usize {
        self.list.as_ref().map_or(0, |l| l.listing.rows.len())
    }

    pub fn on_key(&mut self, ev: &KeyEvent, _ctx: &Ctx) -> After {
        if self.export.is_some() {
            return After::Stay(self.export_key(ev));
        }
        let last = self.rows().saturating_sub(1);
        match keymap::lookup(keymap::MONTH_LIST, ev) {
            Some(Cmd::Left) => {
                return After::Stay(self.move_month(previous(self.year, self.month)));
            }
            Some(Cmd::Right) => return After::Stay(self.move_month(next(self.year, self.month))),
            Some(Cmd::Down) => self.selected = (self.selected + 1).min(last),
            Some(Cmd::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Cmd::PageDown) => self.selected = (self.selected + PAGE).min(last),
            Some(Cmd::PageUp) => self.selected = self.selected.saturating_sub(PAGE),
            Some(Cmd::First) => self.selected = 0,
            Some(Cmd::Last) => self.selected = last,
            Some(Cmd::Export) => return After::Stay(self.open_export()),
            Some(Cmd::Help) => return After::Stay(vec![Step::Help(keymap::MONTH_LIST)]),
            Some(Cmd::Back) => return After::Close,
            _ => {}
        }
        After::Stay(vec![])
    }

    fn move_month(&mut self, (year, month): (i32, u32)) -> Vec<Step> {
        (self.year, self.month) = (year, month);
        self.list = None;
        self.selected = 0;
        self.default_path = None;
        self.load()
    }

    fn open_export(&mut self) -> Vec<Step> {
        let Some(path) = &self.default_path else {
            return vec![Step::Say("清单还在生成，请稍候".into())];
        };
        self.export = Some(Form::new(
            format!("导出{}（Excel）", self.which.title()),
            vec![
                Field::text("path", "写入文件", true)
                    .with_value(path.display().to_string())
                    .with_help("可修改；Tab 补全路径；Ctrl-S 写入（已有同名文件将被替换）"),
            ],
        ));
        vec![]
    }

    fn export_key(&mut self, ev: &KeyEvent) -> Vec<Step> {
        let Some(form) = &mut self.export else {
            return vec![];
        };
        if keymap::lookup(keymap::SAVE_PATH, ev) == Some(Cmd::Complete) {
            let said = super::path_completion::complete_field(form, "path");
            return said.map(|s| vec![Step::Say(s)]).unwrap_or_default();
        }
        match form.handle(ev) {
            Outcome::Editing => vec![],
            Outcome::Help => vec![Step::Help(keymap::SAVE_PATH)],
            Outcome::Cancel => {
                self.export = None;
                vec![]
            }
            Outcome::Submit => {
                let path = super::path_completion::effective(form.value("path"));
                if path.ends_with('/') || path.ends_with('\\') {
                    return vec![Step::Say(
                        "请在目录后写上文件名，如 九月隐患清单.xlsx".into(),
                    )];
                }
                vec![
                    Step::Say("正在写入……".into()),
                    Step::Do(Effect::ExportMonthList {
                        which: self.which,
                        year: self.year,
                        month: self.month,
                        path: path.into(),
                    }),
                ]
            }
        }
    }

    /// The export ended: the form closes once written, stays open to fix the path otherwise.
    pub fn exported(&mut self, outcome: Result<String, String>) -> Vec<Step> {
        match outcome {
            Ok(said) => {
                self.export = None;
                vec![Step::Say(said)]
            }
            Err(why) => vec![Step::Say(why)],
        }
    }
}

pub fn previous(year: i32, month: u32) -> (i32, u32) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

pub fn next(year: i32, month: u32) -> (i32, u32) {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}
