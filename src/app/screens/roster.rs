//! The office's roster of people, keys and roles (人员名册): who is enrolled, with which keys
//! and roles, the roster's history and what waits for a clerk. At the office every change is
//! a form or a confirmation whose answer goes out as an effect (the store signs a new entry);
//! on a laptop the screen only reads. Before any roster it says how to get one.

use super::overlays::{Confirm, Overlay};
use super::{Ctx, Step};
use crate::app::form::{Field, FieldKind, Form, Outcome};
use crate::app::keymap::{self, Binding, Cmd};
use crate::app::msg::{Effect, RosterData, RosterWrite};
use crate::domain::time;
use crate::domain::trust::roster::fingerprint;
use crate::domain::trust::{Person, Role, Roster};
use crossterm::event::KeyEvent;
use std::path::PathBuf;
use uuid::Uuid;

const PAGE: usize = 10;

/// The choice of a role toggle in a form.
const YES: &str = "是";
const NO: &str = "否";
/// The group choice for a person in no group.
const NO_GROUP: &str = "未分组";

/// The three lists of the screen, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    People,
    History,
    Pending,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::People, Tab::History, Tab::Pending];

    pub fn label(self) -> &'static str {
        match self {
            Tab::People => "人员",
            Tab::History => "名册历史",
            Tab::Pending => "待处理",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Tab::People => 0,
            Tab::History => 1,
            Tab::Pending => 2,
        }
    }
}

/// One row of the people list: a person, or one of their keys beneath them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Person(Uuid),
    Key(String),
}

/// One row of the history or the pending list: a line, and the whole text of the selected one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub line: String,
    pub detail: String,
    /// Settled (a held bundle imported or rejected): shown dimmed.
    pub done: bool,
}

/// What the screen offers: a form being filled in, the office's changes, reading only (a
/// laptop, a roster still loading or refused), or setting up the office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Form,
    Office,
    Read,
    NoRoster,
}

/// Which form is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterForm {
    Init,
    AddPerson,
    Roles(Uuid),
    Key(Uuid),
    /// Where to write this laptop's public-key card.
    ExportKey,
}

#[derive(Default)]
pub struct RosterScreen {
    pub data: Option<RosterData>,
    pub tab: Tab,
    pub rows: Vec<Row>,
    pub history: Vec<Item>,
    pub pending: Vec<Item>,
    /// The selected row of each list, by [`Tab::index`].
    pub selected: [usize; 3],
    pub form: Option<(RosterForm, Form)>,
}

impl RosterScreen {
    /// What the screen is for now, which decides its keys.
    pub fn mode(&self) -> Mode {
        if self.form.is_some() {
            return Mode::Form;
        }
        match &self.data {
            Some(d) if d.roster.is_none() && d.problem.is_none() => Mode::NoRoster,
            Some(d) if d.is_office && d.roster.is_some() => Mode::Office,
            _ => Mode::Read,
        }
    }

    /// The keys in force: the form's, the office's, a laptop's, or those before any roster.
    pub fn keys(&self) -> &'static [Binding] {
        match self.mode() {
            Mode::Form => keymap::FORM,
            Mode::NoRoster => keymap::ROSTER_NONE,
            Mode::Office => keymap::ROSTER_OFFICE,
            Mode::Read => keymap::ROSTER_READ,
        }
    }

    pub fn roster(&self) -> Option<&Roster> {
        self.data.as_ref()?.roster.as_ref()
    }

    /// The rows of the list shown.
    pub fn len(&self, tab: Tab) -> usize {
        match tab {
            Tab::People => self.rows.len(),
            Tab::History => self.history.len(),
            Tab::Pending => self.pending.len(),
        }
    }

    /// What the tab's title counts: people (not their key lines), entries, waiting items.
    pub fn count(&self, tab: Tab) -> usize {
        match tab {
            Tab::People => self.roster().map_or(0, |r| r.people.len()),
            _ => self.len(tab),
        }
    }

    /// New data: the lists are rebuilt, the selected person or key stays selected.
    pub fn loaded(&mut self, data: RosterData) {
        let keep = self.rows.get(self.selected[0]).cloned();
        self.rows = data.roster.as_ref().map(people_rows).unwrap_or_default();
        self.history = history_items(&data);
        self.pending = pending_items(&data);
        self.selected[0] = keep
            .and_then(|row| self.rows.iter().position(|r| *r == row))
            .unwrap_or(self.selected[0]);
        for tab in Tab::ALL {
            let i = tab.index();
            self.selected[i] = self.selected[i].min(self.len(tab).saturating_sub(1));
        }
        self.data = Some(data);
    }

    /// A change was stored: the form closes and the roster is read again.
    pub fn written(&mut self, said: String) -> Vec<Step> {
        self.form = None;
        vec![Step::Say(said), Step::Do(Effect::LoadRoster)]
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        if let Some((which, form)) = &mut self.form {
            if *which == RosterForm::ExportKey
                && ev.code == crossterm::event::KeyCode::Tab
                && ev.modifiers.is_empty()
            {
                let said = super::path_completion::complete_field(form, "path");
                return said.map(|s| vec![Step::Say(s)]).unwrap_or_default();
            }
            return match form.handle(ev) {
                Outcome::Editing => vec![],
                Outcome::Help => vec![Step::Help(keymap::FORM)],
                Outcome::Cancel => {
                    self.form = None;
                    vec![]
                }
                // The form stays open until the store says it is done: a refusal (a key file
                // not found, a 执法证号 taken) can be fixed in place.
                // Not a roster change: the key card is written whatever the roster.
                Outcome::Submit if *which == RosterForm::ExportKey => {
                    let path = super::path_completion::effective(form.value("path"));
                    vec![Step::Do(Effect::ExportOwnKey(path.into()))]
                }
                Outcome::Submit => match submit(*which, form, self.data.as_ref(), ctx) {
                    Ok(write) => vec![Step::Do(Effect::Roster(write))],
                    Err(why) => vec![Step::Say(why)],
                },
            };
        }
        let table = self.keys();
        let cmd = keymap::lookup(table, ev);
        if cmd.is_none() && self.mode() == Mode::Read {
            // A change asked for where the roster is only read: say where it is made.
            if let Some(Cmd::Add | Cmd::SetRoles | Cmd::AddKey | Cmd::Leave | Cmd::Revoke) =
                keymap::lookup(keymap::ROSTER_OFFICE, ev)
                && self.roster().is_some()
            {
                return vec![Step::Say(
                    "这台电脑不是办公室：名册只读。人员、角色和公钥在办公室修改，随台账数据包发到各台电脑"
                        .into(),
                )];
            }
        }
        let tab = self.tab;
        let n = self.len(tab);
        let at = &mut self.selected[tab.index()];
        match cmd {
            Some(Cmd::Down) => *at = (*at + 1).min(n.saturating_sub(1)),
            Some(Cmd::Up) => *at = at.saturating_sub(1),
            Some(Cmd::PageDown) => *at = (*at + PAGE).min(n.saturating_sub(1)),
            Some(Cmd::PageUp) => *at = at.saturating_sub(PAGE),
            Some(Cmd::First) => *at = 0,
            Some(Cmd::Last) => *at = n.saturating_sub(1),
            Some(Cmd::SwitchPane) => {
                let next = (tab.index() + 1) % Tab::ALL.len();
                self.tab = Tab::ALL[next];
            }
            Some(Cmd::InitOffice) => return self.open_init(ctx),
            Some(Cmd::ExportKey) => {
                let path = self
                    .data
                    .as_ref()
                    .map(|d| d.key_card_path.display().to_string())
                    .unwrap_or_default();
                let field = Field::text("path", "公钥文件", true)
                    .with_value(path)
                    .with_help("写到 U 盘上更方便，如 /media/usb/李建山-公钥.json；Tab 补全路径");
                self.form = Some((
                    RosterForm::ExportKey,
                    Form::new("导出本机公钥（交给办公室登记）", vec![field]),
                ));
                return vec![];
            }
            Some(Cmd::Add) => {
                self.form = Some((RosterForm::AddPerson, add_form(ctx)));
            }
            Some(Cmd::SetRoles) => {
                return match self.selected_person() {
                    Some(p) => {
                        self.form = Some((RosterForm::Roles(p.id), roles_form(p)));
                        vec![]
                    }
                    None => vec![Step::Say(NO_PERSON.into())],
                };
            }
            Some(Cmd::AddKey) => {
                return match self.selected_person() {
                    Some(p) => {
                        self.form = Some((RosterForm::Key(p.id), key_form(p)));
                        vec![]
                    }
                    None => vec![Step::Say(NO_PERSON.into())],
                };
            }
            Some(Cmd::Leave) => return self.ask_leave(),
            Some(Cmd::Revoke) => return self.ask_revoke(),
            Some(Cmd::Help) => return vec![Step::Help(table)],
            Some(Cmd::Back) => {
                return Step::home();
            }
            _ => {}
        }
        vec![]
    }

    /// The person of the selected row (a key row selects its owner), on the people list.
    pub fn selected_person(&self) -> Option<&Person> {
        if self.tab != Tab::People {
            return None;
        }
        let roster = self.roster()?;
        match self.rows.get(self.selected[0])? {
            Row::Person(id) => roster.people.get(id),
            Row::Key(key) => roster.people.get(&roster.keys.get(key)?.person_id),
        }
    }

    fn open_init(&mut self, ctx: &Ctx) -> Vec<Step> {
        let Some(data) = &self.data else {
            return vec![];
        };
        let Some(profile) = &data.profile_name else {
            return vec![Step::Say(
                "请先设置本机执法人员档案：回首页按 p（名册的第一个人就是本机的内勤）".into(),
            )];
        };
        let mut fields = vec![
            Field::text("office_name", "办公室名称", true)
                .with_value(ctx.catalog.campaign.bureau.clone())
                .with_help(format!(
                    "本机执法人员 {profile} 登记为名册的第一个人，角色为内勤和检查人员；下面可再选其他角色"
                )),
        ];
        for role in Role::ALL
            .iter()
            .filter(|r| !matches!(r, Role::Clerk | Role::Inspector))
        {
            fields.push(role_field(*role, false));
        }
        self.form = Some((RosterForm::Init, Form::new("建立办公室名册", fields)));
        vec![]
    }

    fn ask_leave(&self) -> Vec<Step> {
        let Some(p) = self.selected_person() else {
            return vec![Step::Say(NO_PERSON.into())];
        };
        if !p.active {
            return vec![Step::Say(format!("{} 已停用", p.name))];
        }
        vec![Step::Open(Overlay::Confirm(Confirm::new(
            format!(
                "{} 离开：停用后不再有任何角色（名册历史保留）。确定停用？",
                p.name
            ),
            Effect::Roster(RosterWrite::Leave { person: p.id }),
        )))]
    }

    fn ask_revoke(&self) -> Vec<Step> {
        let Some(roster) = self.roster() else {
            return vec![];
        };
        let Some(p) = self.selected_person() else {
            return vec![Step::Say(NO_PERSON.into())];
        };
        let key = match self.rows.get(self.selected[0]) {
            Some(Row::Key(key)) => key.clone(),
            _ => {
                let live: Vec<&String> = roster
                    .keys
                    .values()
                    .filter(|k| k.person_id == p.id && k.revoked.is_none())
                    .map(|k| &k.public_key)
                    .collect();
                match live.as_slice() {
                    [only] => (*only).clone(),
                    [] => return vec![Step::Say(format!("{} 没有可吊销的公钥", p.name))],
                    _ => {
                        return vec![Step::Say(format!(
                            "{} 有 {} 把公钥：请用 ↓ 选中要吊销的那一把",
                            p.name,
                            live.len()
                        ))];
                    }
                }
            }
        };
        if roster.keys.get(&key).is_some_and(|k| k.revoked.is_some()) {
            return vec![Step::Say("这把公钥已经吊销".into())];
        }
        let short: String = fingerprint(&key).chars().take(9).collect();
        vec![Step::Open(Overlay::Confirm(Confirm::new(
            format!(
                "吊销 {} 的公钥 {short}…？此前收到的它签名的记录仍然有效；此后它新签名的记录留待复核。",
                p.name
            ),
            Effect::Roster(RosterWrite::Revoke { public_key: key }),
        )))]
    }
}

const NO_PERSON: &str = "请先在人员列表中选中一个人";

/// Active people first, then those who left, each in the order enrolled; each person's keys
/// beneath them in the order enrolled.
fn people_rows(roster: &Roster) -> Vec<Row> {
    let mut people: Vec<&Person> = roster.people.values().collect();
    people.sort_by_key(|p| !p.active);
    let mut rows = Vec::new();
    for p in people {
        rows.push(Row::Person(p.id));
        let mut keys: Vec<_> = roster
            .keys
            .values()
            .filter(|k| k.person_id == p.id)
            .collect();
        keys.sort_by_key(|k| k.enrolled_seq);
        rows.extend(keys.into_iter().map(|k| Row::Key(k.public_key.clone())));
    }
    rows
}

/// Local "YYYY-MM-DD HH:MM" of a record time, or the text as stored.
fn local_time(text: &str) -> String {
    time::parse_record_time(text)
        .map(|t| time::local(t).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| text.to_string())
}

fn history_items(data: &RosterData) -> Vec<Item> {
    data.entries
        .iter()
        .map(|e| {
            let detail = e.entry.body.describe(data.roster.as_ref());
            Item {
                line: format!(
                    "{:>4}  {}  {detail}",
                    e.entry.seq,
                    local_time(&e.entry.made_at)
                ),
                detail: format!("第 {} 条：{detail}", e.entry.seq),
                done: false,
            }
        })
        .collect()
}

fn pending_items(data: &RosterData) -> Vec<Item> {
    let mut items: Vec<Item> = data
        .held
        .iter()
        .map(|h| {
            let state = match h.resolution.as_deref() {
                None => "待复核",
                Some("imported") => "已导入",
                Some(_) => "已拒绝",
            };
            let mut detail = format!("{}：{}", h.file_name, h.reason);
            if h.resolution.is_none() {
                // The held bundle's commands take a prefix of its SHA-256 (8 or more digits).
                let sha = h.sha256.get(..12).unwrap_or(&h.sha256);
                detail.push_str(&format!(
                    "。在命令行办理：paicha import --retry-held（登记或复核公钥后）、--release-held {sha}（复核接受）或 --reject-held {sha}（不予接受）"
                ));
            }
            Item {
                line: format!(
                    "数据包  {}  {}  {state}",
                    local_time(&h.held_at),
                    h.file_name
                ),
                detail,
                done: h.resolution.is_some(),
            }
        })
        .collect();
    for (id, name, key) in &data.unenrolled {
        let who = if name.is_empty() {
            "（未具名）"
        } else {
            name
        };
        items.push(Item {
            line: format!("未登记公钥  {who}  {}", fingerprint(key)),
            detail: format!(
                "{who}的公钥是建立名册之前按“首次见到即信任”记下的（人员档案 {id}），它此后签名的新记录留待复核。核实本人后按 a 登记人员（填写公钥文件），或选中人员按 g 登记"
            ),
            done: false,
        });
    }
    items
}

/// A yes/no toggle for one role.
fn role_field(role: Role, on: bool) -> Field {
    Field::of_kind(
        &format!("role_{}", role.code()),
        &format!("角色·{}", role.label()),
        FieldKind::Choice(vec![NO.into(), YES.into()]),
        false,
    )
    .with_value(if on { YES } else { NO })
    .with_help("空格或 ←/→ 切换 是/否（可选多个角色）")
}

fn chosen_roles(form: &Form) -> Vec<Role> {
    Role::ALL
        .iter()
        .copied()
        .filter(|r| form.value(&format!("role_{}", r.code())) == YES)
        .collect()
}

/// How a campaign group is offered: its lead section and code ("能源股（energy）").
fn group_choice(g: &crate::templates::campaign::Group) -> String {
    format!("{}（{}）", g.section, g.code)
}

fn key_file_field(required: bool) -> Field {
    let later = if required {
        "如 /media/usb/张三.json"
    } else {
        "可留空，以后按 g 登记"
    };
    Field::text("key_file", "公钥文件", required).with_help(format!(
        "本人电脑上 paicha keys --export 导出的文件（U 盘带来），填写完整路径；{later}"
    ))
}

fn add_form(ctx: &Ctx) -> Form {
    let mut groups = vec![NO_GROUP.to_string()];
    groups.extend(ctx.catalog.campaign.groups.iter().map(group_choice));
    let mut fields = vec![
        Field::text("name", "姓名", true),
        Field::text("cert_no", "执法证号", false).with_help("没有执法证的可不填"),
        Field::of_kind("group", "小组", FieldKind::Choice(groups), true)
            .with_help("专项行动小组；←/→ 选择"),
    ];
    for role in Role::ALL {
        fields.push(role_field(*role, *role == Role::Inspector));
    }
    fields.push(key_file_field(false));
    Form::new("登记人员", fields)
}

fn roles_form(p: &Person) -> Form {
    let fields = Role::ALL
        .iter()
        .map(|r| role_field(*r, p.roles.contains(r)))
        .collect();
    let title = if p.active {
        format!("修改 {} 的角色（历史保留）", p.name)
    } else {
        format!("恢复已停用的 {} 并设定角色", p.name)
    };
    Form::new(title, fields)
}

fn key_form(p: &Person) -> Form {
    Form::new(
        format!("为 {} 登记公钥", p.name),
        vec![key_file_field(true)],
    )
}

/// The change a submitted form asks for, or why it cannot be asked.
fn submit(
    which: RosterForm,
    form: &Form,
    data: Option<&RosterData>,
    ctx: &Ctx,
) -> Result<RosterWrite, String> {
    let roles = chosen_roles(form);
    Ok(match which {
        RosterForm::ExportKey => return Err("公钥文件不是名册的改动".into()),
        RosterForm::Init => RosterWrite::Init {
            office_name: form.value("office_name").to_string(),
            roles,
        },
        RosterForm::AddPerson => {
            if roles.is_empty() {
                return Err("请至少选择一个角色".into());
            }
            let cert_no = form.value("cert_no").to_string();
            if let Some(other) = data.and_then(|d| d.roster.as_ref()).and_then(|r| {
                r.people
                    .values()
                    .find(|p| p.active && !cert_no.is_empty() && p.cert_no == cert_no)
            }) {
                return Err(format!("执法证号 {cert_no} 已属于 {}", other.name));
            }
            let group_code = ctx
                .catalog
                .campaign
                .groups
                .iter()
                .find(|g| group_choice(g) == form.value("group"))
                .map(|g| g.code.clone());
            let key_file = Some(form.value("key_file"))
                .filter(|p| !p.is_empty())
                .map(PathBuf::from);
            RosterWrite::AddPerson {
                name: form.value("name").to_string(),
                cert_no,
                group_code,
                roles,
                key_file,
            }
        }
        RosterForm::Roles(person) => RosterWrite::SetRoles { person, roles },
        RosterForm::Key(person) => RosterWrite::AddKey {
            person,
            key_file: PathBuf::from(form.value("key_file")),
        },
    })
}

#[cfg(test)]
#[path = "roster_tests.rs"]
pub(crate) mod tests;
