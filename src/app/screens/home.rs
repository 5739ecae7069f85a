//! Home: drafts to resume, the day's figures, the next reporting deadline, one key to start.

use super::overlays::{Confirm, Overlay};
use super::picker::Picker;
use super::{Ctx, Step};
use crate::app::form::{Field, FieldKind, Form, Outcome};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{Effect, HomeData};
use crossterm::event::KeyEvent;

#[derive(Debug, Default)]
pub struct Home {
    pub data: Option<HomeData>,
    pub selected: usize,
    /// This device's inspector profile being set (first start, or a change before the office
    /// roster takes it over).
    pub profile: Option<Form>,
    /// The list shows the finalized inspections (read-only) instead of the drafts.
    pub show_finalized: bool,
    /// The enterprise roster file being chosen (Tab completes the path).
    pub import: Option<Form>,
}

/// The group choice that means none.
const NO_GROUP: &str = "未分组";

fn group_choice(g: &crate::templates::campaign::Group) -> String {
    format!("{}（{}）", g.name, g.code)
}

impl Home {
    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        if let Some(form) = &mut self.import {
            if ev.code == crossterm::event::KeyCode::Tab && ev.modifiers.is_empty() {
                let said = super::path_completion::complete_field(form, "path");
                return said.map(|s| vec![Step::Say(s)]).unwrap_or_default();
            }
            return match form.handle(ev) {
                Outcome::Editing => vec![],
                Outcome::Help => vec![Step::Help(keymap::FORM)],
                Outcome::Cancel => {
                    self.import = None;
                    vec![]
                }
                Outcome::Submit => {
                    let path = super::path_completion::effective(form.value("path"));
                    if path.is_empty() {
                        vec![Step::Say("请填写名册文件的路径".into())]
                    } else {
                        vec![
                            Step::Say("正在导入企业名册……".into()),
                            Step::Do(Effect::ImportEnterprises(path.into())),
                        ]
                    }
                }
            };
        }
        if let Some(form) = &mut self.profile {
            return match form.handle(ev) {
                Outcome::Editing => vec![],
                Outcome::Help => vec![Step::Help(keymap::FORM)],
                Outcome::Cancel => {
                    self.profile = None;
                    vec![]
                }
                // The form stays open until the store says it is saved.
                Outcome::Submit => match profile_from(form, ctx) {
                    Ok(inspector) => vec![Step::Do(Effect::SaveProfile(inspector))],
                    Err(why) => vec![Step::Say(why)],
                },
            };
        }
        let drafts = self.data.as_ref().map_or(0, |d| self.list(d).len());
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
            Some(Cmd::Profile) => self.open_profile(ctx),
            Some(Cmd::ImportEnterprises) => {
                let start = std::env::current_dir()
                    .map(|d| format!("{}/", d.display()))
                    .unwrap_or_default();
                self.import = Some(Form::new(
                    "导入企业名册",
                    vec![Field::text("path", "名册文件", true)
                        .with_value(start)
                        .with_help(
                            "Excel（.xlsx/.xls）或 CSV 文件的完整路径；Tab 补全路径。\
                             第一行为列名：企业名称、统一社会信用代码、乡镇、行业……；全部无误才导入",
                        )],
                ));
                vec![]
            }
            Some(Cmd::Roster) => vec![
                Step::go(super::Screen::Roster(Box::default())),
                Step::Do(Effect::LoadRoster),
            ],
            Some(Cmd::Backup) => {
                let data_dir = self
                    .data
                    .as_ref()
                    .map(|d| std::path::PathBuf::from(&d.data_dir))
                    .unwrap_or_default();
                let today = crate::domain::time::local(ctx.now).date();
                vec![Step::Open(super::overlays::Overlay::Backup(Box::new(
                    super::backup::BackupDialog::new(crate::paths::documents_dir(&data_dir), today),
                )))]
            }
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
            Some(Cmd::ShowFinalized) => {
                self.show_finalized = !self.show_finalized;
                self.selected = 0;
                vec![]
            }
            Some(Cmd::Select) => match self.selected_draft() {
                Some(id) => vec![Step::Do(Effect::OpenInspection(id, None))],
                None if self.show_finalized => {
                    vec![Step::Say("还没有已定稿的检查".to_string())]
                }
                None => vec![Step::Say("没有可继续的草稿，按 n 新建检查".to_string())],
            },
            Some(Cmd::Discard) if self.show_finalized => vec![Step::Say(
                "已定稿的检查不能作废：记录已冻结（补充情况用 paicha inspection amend 补记）"
                    .into(),
            )],
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
            .and_then(|d| self.list(d).get(self.selected))
            .map(|d| d.id)
    }

    /// The inspections the list shows: the drafts, or (after `o`) the finalized ones.
    pub fn list<'d>(&self, data: &'d HomeData) -> &'d [crate::storage::DraftSummary] {
        if self.show_finalized {
            &data.finalized
        } else {
            &data.drafts
        }
    }
}

impl Home {
    /// The profile form, filled with what is set; refused (saying where it is changed) once the
    /// office's roster names this device's inspector.
    fn open_profile(&mut self, ctx: &Ctx) -> Vec<Step> {
        let Some(data) = &self.data else {
            return vec![];
        };
        if data.profile_from_roster {
            return vec![Step::Say(format!(
                "本机执法人员档案由办公室人员名册确定（{}，执法证号 {}）：如有变动，请办公室在名册中修改后导入台账数据包",
                data.profile_name.as_deref().unwrap_or(""),
                data.profile_cert_no
            ))];
        }
        let groups = &ctx.catalog.campaign.groups;
        let mut choices = vec![NO_GROUP.to_string()];
        choices.extend(groups.iter().map(group_choice));
        let current_group = data
            .profile_group
            .as_deref()
            .and_then(|code| groups.iter().find(|g| g.code == code))
            .map(group_choice)
            .unwrap_or_else(|| NO_GROUP.to_string());
        let fields = vec![
            Field::text("name", "姓名", true)
                .with_value(data.profile_name.clone().unwrap_or_default())
                .with_help("本机记录以此人署名；定稿时输入此姓名签名"),
            Field::text("cert_no", "执法证号", false)
                .with_value(data.profile_cert_no.clone())
                .with_help("印在执法文书上；没有执法证的可不填"),
            Field::of_kind("group", "所属小组", FieldKind::Choice(choices), true)
                .with_value(current_group)
                .with_help("专项行动小组（调度表“本股室”按此统计）；←/→ 选择"),
        ];
        self.profile = Some(Form::new("本机执法人员档案", fields));
        vec![]
    }
}

/// The profile a filled form stands for, or why not.
fn profile_from(form: &Form, ctx: &Ctx) -> Result<crate::domain::Inspector, String> {
    let name = form.value("name").trim().to_string();
    if name.is_empty() {
        return Err("请填写姓名".into());
    }
    let group_code = ctx
        .catalog
        .campaign
        .groups
        .iter()
        .find(|g| group_choice(g) == form.value("group"))
        .map(|g| g.code.clone());
    Ok(crate::domain::Inspector {
        name,
        cert_no: form.value("cert_no").trim().to_string(),
        group_code,
    })
}
