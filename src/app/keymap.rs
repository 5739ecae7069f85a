//! Each screen's commands in one table: the keys that trigger them and their Chinese label.
//! Key handling, the footer and the `?` help are all generated from these tables, so they cannot
//! drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cmd {
    Quit,
    Help,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    Left,
    Right,
    Select,
    NewInspection,
    Discard,
    NewEnterprise,
    NextField,
    PrevField,
    Save,
    Toggle,
    Compliant,
    NonCompliant,
    NotApplicable,
    ClearAnswer,
    NextUnanswered,
    NextNonCompliant,
    EditNote,
    NewHazard,
    SwitchPane,
    Review,
    Finalize,
    Evidence,
    Add,
    Apply,
    Exam,
    Actions,
    Correct,
    Partial,
    Wrong,
    Ledger,
    Search,
    FilterStage,
    FilterGrade,
    FilterSource,
    FilterOverdue,
    FilterListed,
    Sort,
    StepTransfer,
    StepRectify,
    StepReport,
    StepVerify,
    StepClose,
    StepList,
    StepCorrect,
    FollowUp,
    FilterTown,
    FilterGroup,
    ReportWeekly,
    ReportTargets,
    ReportWarnings,
    ExportBundle,
    ImportBundle,
    Monthly,
    LoadDemo,
    Roster,
    First,
    Last,
    InitOffice,
    SetRoles,
    AddKey,
    Leave,
    Revoke,
}

/// One key: a character, a named key, or Ctrl + a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Code(KeyCode),
    Ctrl(char),
}

impl Key {
    fn matches(self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match self {
            Key::Char(c) => !ctrl && ev.code == KeyCode::Char(c),
            Key::Ctrl(c) => ctrl && ev.code == KeyCode::Char(c),
            Key::Code(code) => ev.code == code,
        }
    }

    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "空格".to_string(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Code(code) => match code {
                KeyCode::Enter => "Enter".to_string(),
                KeyCode::Esc => "Esc".to_string(),
                KeyCode::Tab => "Tab".to_string(),
                KeyCode::BackTab => "Shift-Tab".to_string(),
                KeyCode::Up => "↑".to_string(),
                KeyCode::Down => "↓".to_string(),
                KeyCode::Left => "←".to_string(),
                KeyCode::Right => "→".to_string(),
                KeyCode::PageUp => "PgUp".to_string(),
                KeyCode::PageDown => "PgDn".to_string(),
                KeyCode::Backspace => "Backspace".to_string(),
                KeyCode::Delete => "Del".to_string(),
                KeyCode::F(n) => format!("F{n}"),
                other => format!("{other:?}"),
            },
        }
    }
}

pub struct Binding {
    pub cmd: Cmd,
    pub keys: &'static [Key],
    pub label: &'static str,
    /// Shown in the footer (the rest only in help).
    pub footer: bool,
}

const fn b(cmd: Cmd, keys: &'static [Key], label: &'static str, footer: bool) -> Binding {
    Binding {
        cmd,
        keys,
        label,
        footer,
    }
}

use Key::{Char as C, Code as K, Ctrl};

const UP: &[Key] = &[K(KeyCode::Up), C('k')];
const DOWN: &[Key] = &[K(KeyCode::Down), C('j')];

pub const HOME: &[Binding] = &[
    b(Cmd::NewInspection, &[C('n')], "新建检查", true),
    b(Cmd::Select, &[K(KeyCode::Enter)], "继续草稿", true),
    b(Cmd::Ledger, &[C('l')], "隐患台账", true),
    b(Cmd::Monthly, &[C('r')], "调度表", true),
    b(Cmd::ExportBundle, &[C('e')], "导出数据包", false),
    b(Cmd::ImportBundle, &[C('i')], "导入数据包", false),
    b(Cmd::Roster, &[C('m')], "人员名册（办公室）", false),
    b(Cmd::Up, UP, "上移", false),
    b(Cmd::Down, DOWN, "下移", false),
    b(Cmd::Discard, &[C('d')], "作废草稿", false),
    b(
        Cmd::LoadDemo,
        &[C('D')],
        "载入演示数据（仅限空数据）",
        false,
    ),
    b(Cmd::Help, &[C('?')], "帮助", true),
    b(Cmd::Quit, &[C('q'), Ctrl('c')], "退出", true),
];

pub const PICKER: &[Binding] = &[
    b(Cmd::Select, &[K(KeyCode::Enter)], "选定", true),
    b(Cmd::Up, &[K(KeyCode::Up)], "上移", false),
    b(Cmd::Down, &[K(KeyCode::Down)], "下移", false),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", false),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", false),
    b(Cmd::NewEnterprise, &[Ctrl('n')], "新建企业", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "取消", true),
    b(Cmd::Help, &[K(KeyCode::F(1))], "帮助", true),
];

pub const SETUP: &[Binding] = &[
    b(
        Cmd::NextField,
        &[K(KeyCode::Tab), K(KeyCode::Down)],
        "下一项",
        true,
    ),
    b(
        Cmd::PrevField,
        &[K(KeyCode::BackTab), K(KeyCode::Up)],
        "上一项",
        false,
    ),
    b(Cmd::Left, &[K(KeyCode::Left)], "上一个选项", false),
    b(Cmd::Right, &[K(KeyCode::Right)], "下一个选项", false),
    b(Cmd::Toggle, &[C(' ')], "勾选", true),
    b(Cmd::Save, &[Ctrl('s'), K(KeyCode::F(2))], "开始检查", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回", true),
    b(Cmd::Help, &[K(KeyCode::F(1))], "帮助", true),
];

pub const CHECKLIST: &[Binding] = &[
    b(Cmd::Compliant, &[C('1'), C('y')], "符合", true),
    b(Cmd::NonCompliant, &[C('2'), C('n')], "不符合", true),
    b(Cmd::NotApplicable, &[C('3'), C('a')], "不适用", true),
    b(
        Cmd::ClearAnswer,
        &[C('0'), K(KeyCode::Backspace)],
        "清除",
        false,
    ),
    b(Cmd::Up, UP, "上一项", false),
    b(Cmd::Down, DOWN, "下一项", false),
    b(Cmd::NextUnanswered, &[C('u')], "下一个未答", false),
    b(Cmd::NextNonCompliant, &[C('x')], "下一个不符合", false),
    b(
        Cmd::SwitchPane,
        &[K(KeyCode::Tab)],
        "切换分组/检查项",
        false,
    ),
    b(Cmd::EditNote, &[C('e'), K(KeyCode::Enter)], "备注", true),
    b(Cmd::NewHazard, &[C('h')], "登记隐患", true),
    b(Cmd::Evidence, &[C('r')], "证据记录", true),
    b(Cmd::Exam, &[C('t')], "逢查必考", false),
    b(Cmd::Actions, &[C('f')], "执法措施", false),
    b(Cmd::Review, &[C('v')], "复核定稿", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回首页", false),
];

pub const EVIDENCE: &[Binding] = &[
    b(
        Cmd::Left,
        &[K(KeyCode::Left), K(KeyCode::BackTab)],
        "上一类",
        false,
    ),
    b(
        Cmd::Right,
        &[K(KeyCode::Right), K(KeyCode::Tab)],
        "下一类",
        true,
    ),
    b(Cmd::Up, UP, "上移", false),
    b(Cmd::Down, DOWN, "下移", false),
    b(Cmd::Add, &[C('a')], "新增", true),
    b(Cmd::Select, &[K(KeyCode::Enter)], "修改", true),
    b(Cmd::Apply, &[C('p')], "采用建议答案", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回检查表", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
];

/// A form: typing edits the field in focus.
pub const FORM: &[Binding] = &[
    b(
        Cmd::NextField,
        &[K(KeyCode::Tab), K(KeyCode::Down)],
        "下一栏",
        true,
    ),
    b(
        Cmd::PrevField,
        &[K(KeyCode::BackTab), K(KeyCode::Up)],
        "上一栏",
        true,
    ),
    b(Cmd::Left, &[K(KeyCode::Left)], "上一个选项", false),
    b(Cmd::Right, &[K(KeyCode::Right)], "下一个选项", false),
    b(Cmd::Save, &[Ctrl('s'), K(KeyCode::F(2))], "保存", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "取消", true),
    b(Cmd::Help, &[K(KeyCode::F(1))], "帮助", true),
];

/// The spot exam: these move between the questions and mark them; `e` types the examinee's name
/// and role (there every key is text until Enter or Esc).
pub const EXAM: &[Binding] = &[
    b(
        Cmd::NextField,
        &[K(KeyCode::Tab), K(KeyCode::Down)],
        "下一栏",
        true,
    ),
    b(
        Cmd::PrevField,
        &[K(KeyCode::BackTab), K(KeyCode::Up)],
        "上一栏",
        false,
    ),
    b(Cmd::Correct, &[C('y')], "答对", true),
    b(Cmd::Partial, &[C('p')], "部分答对", true),
    b(Cmd::Wrong, &[C('n')], "答错", true),
    b(Cmd::EditNote, &[C('e')], "填写被考人员", false),
    b(Cmd::Save, &[Ctrl('s'), K(KeyCode::F(2))], "保存", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回检查表", true),
    b(Cmd::Help, &[K(KeyCode::F(1))], "帮助", true),
];

pub const ACTIONS: &[Binding] = &[
    b(Cmd::Up, UP, "上移", false),
    b(Cmd::Down, DOWN, "下移", false),
    b(Cmd::Add, &[C('a')], "新增执法措施", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回检查表", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
];

/// The hazard ledger list: letters set filters; `/` starts a search (typed then like a query).
pub const LEDGER: &[Binding] = &[
    b(Cmd::Up, UP, "上移", false),
    b(Cmd::Down, DOWN, "下移", false),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", false),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", false),
    b(Cmd::Select, &[K(KeyCode::Enter)], "办理", true),
    b(Cmd::Search, &[C('/')], "搜索", true),
    b(Cmd::FilterStage, &[C('s')], "状态", true),
    b(Cmd::FilterGrade, &[C('g')], "等级", false),
    b(Cmd::FilterSource, &[C('o')], "来源", false),
    b(Cmd::FilterOverdue, &[C('d')], "只看逾期", true),
    b(Cmd::FilterListed, &[C('t')], "只看挂牌督办", false),
    b(Cmd::FilterTown, &[C('T')], "乡镇", false),
    b(Cmd::FilterGroup, &[C('G')], "检查组", false),
    b(Cmd::Sort, &[C('S')], "排序", false),
    b(Cmd::ReportWeekly, &[C('w')], "周四反馈", true),
    b(Cmd::ReportTargets, &[C('n')], "下一步检查对象", false),
    b(Cmd::ReportWarnings, &[C('a')], "规则提示", false),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回首页", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
];

/// An import's findings, before anything is written.
pub const PREVIEW: &[Binding] = &[
    b(Cmd::Apply, &[K(KeyCode::Enter)], "确认导入", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "取消", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
];

/// A roster from an office this laptop does not trust yet: the user compares fingerprints.
pub const TRUST_OFFICE: &[Binding] = &[
    b(Cmd::Apply, &[C('y')], "指纹一致，信任此办公室", true),
    b(Cmd::Back, &[C('n'), K(KeyCode::Esc)], "不一致，取消", true),
];

/// An import's findings when everything in it is here already.
pub const PREVIEW_NOTHING: &[Binding] = &[b(
    Cmd::Back,
    &[K(KeyCode::Esc), K(KeyCode::Enter)],
    "返回首页",
    true,
)];

/// An export or import that ended.
pub const FINISHED: &[Binding] = &[b(
    Cmd::Back,
    &[K(KeyCode::Esc), K(KeyCode::Enter)],
    "返回首页",
    true,
)];

/// While a bundle is being written or read: nothing to press.
pub const RUNNING: &[Binding] = &[];

/// A report opened from the ledger: read, scroll, go back.
pub const REPORT: &[Binding] = &[
    b(Cmd::Up, UP, "上移", false),
    b(Cmd::Down, DOWN, "下移", false),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", true),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回台账", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
];

/// The monthly progress table (调度表): month, scope, a row's records.
pub const MONTHLY: &[Binding] = &[
    b(Cmd::Select, &[K(KeyCode::Enter)], "查看计入的记录", true),
    b(Cmd::Left, &[K(KeyCode::Left)], "上个月", true),
    b(Cmd::Right, &[K(KeyCode::Right)], "下个月", true),
    b(Cmd::NextField, &[K(KeyCode::Tab)], "换统计范围", true),
    b(Cmd::PrevField, &[K(KeyCode::BackTab)], "上一个范围", false),
    b(Cmd::Add, &[C('a')], "登记工作活动", true),
    b(Cmd::Up, UP, "上移", false),
    b(Cmd::Down, DOWN, "下移", false),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", false),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", false),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
];

/// The records behind a row of the monthly table.
pub const EXPLAIN: &[Binding] = &[
    b(Cmd::Up, UP, "上移", false),
    b(Cmd::Down, DOWN, "下移", false),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", true),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回调度表", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
];

/// One hazard: its history, and the steps of its closed loop.
pub const HAZARD_DETAIL: &[Binding] = &[
    b(Cmd::StepTransfer, &[C('m')], "移交", true),
    b(Cmd::StepRectify, &[C('z')], "整改中", true),
    b(Cmd::StepReport, &[C('b')], "报告整改完成", true),
    b(Cmd::StepVerify, &[C('y')], "验收", true),
    b(Cmd::StepClose, &[C('x')], "销号", true),
    b(Cmd::StepList, &[C('p')], "挂牌督办", false),
    b(Cmd::StepCorrect, &[C('c')], "更正", false),
    b(Cmd::FollowUp, &[C('f')], "复查（开始检查）", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回台账", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
];

/// What Tab does on the roster screen (also shown above its lists).
pub const ROSTER_TABS: &str = "切换：人员 / 名册历史 / 待处理";

/// The roster at the office: every change is a new entry signed by the office.
pub const ROSTER_OFFICE: &[Binding] = &[
    b(Cmd::Up, UP, "上移", false),
    b(Cmd::Down, DOWN, "下移", false),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", false),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", false),
    b(Cmd::First, &[K(KeyCode::Home)], "第一行", false),
    b(Cmd::Last, &[K(KeyCode::End)], "最后一行", false),
    b(Cmd::SwitchPane, &[K(KeyCode::Tab)], ROSTER_TABS, false),
    b(Cmd::Add, &[C('a')], "登记人员", true),
    b(Cmd::SetRoles, &[C('r')], "修改角色", true),
    b(Cmd::AddKey, &[C('g')], "登记公钥", true),
    b(Cmd::Leave, &[C('l')], "人员离开", true),
    b(Cmd::Revoke, &[C('x')], "吊销公钥", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回首页", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
];

/// The roster on a laptop (or while it loads): to read; changes are made at the office.
pub const ROSTER_READ: &[Binding] = &[
    b(Cmd::Up, UP, "上移", false),
    b(Cmd::Down, DOWN, "下移", false),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", true),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", true),
    b(Cmd::First, &[K(KeyCode::Home)], "第一行", false),
    b(Cmd::Last, &[K(KeyCode::End)], "最后一行", false),
    b(Cmd::SwitchPane, &[K(KeyCode::Tab)], ROSTER_TABS, false),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回首页", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
];

/// Before any roster: the office sets itself up here.
pub const ROSTER_NONE: &[Binding] = &[
    b(
        Cmd::InitOffice,
        &[C('i')],
        "建立办公室名册（在办公室）",
        true,
    ),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回首页", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
];

/// The multi-line note editor: every other key goes to the text.
pub const NOTE: &[Binding] = &[
    b(Cmd::Save, &[Ctrl('s'), K(KeyCode::F(2))], "保存备注", true),
    b(Cmd::Back, &[K(KeyCode::Esc)], "放弃修改", true),
    b(Cmd::Help, &[K(KeyCode::F(1))], "帮助", true),
];

pub const REVIEW: &[Binding] = &[
    b(Cmd::Up, UP, "上移", false),
    b(Cmd::Down, DOWN, "下移", false),
    b(
        Cmd::Finalize,
        &[C('f'), K(KeyCode::F(10))],
        "定稿签名",
        true,
    ),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回检查", true),
    b(Cmd::Help, &[C('?')], "帮助", true),
];

/// The command `ev` triggers in `table`, if any. Only key presses count (not releases).
pub fn lookup(table: &[Binding], ev: &KeyEvent) -> Option<Cmd> {
    if ev.kind != KeyEventKind::Press {
        return None;
    }
    table
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.cmd)
}

/// The footer line: "键 说明" pairs of the commands marked for it.
pub fn footer(table: &[Binding]) -> Vec<(String, &'static str)> {
    table
        .iter()
        .filter(|b| b.footer)
        .map(|b| (b.keys[0].label(), b.label))
        .collect()
}

/// Every command with all its keys, for the help overlay.
pub fn help(table: &[Binding]) -> Vec<(String, &'static str)> {
    table
        .iter()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            (keys.join(" / "), b.label)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn keys_map_to_commands_and_ctrl_is_distinct() {
        assert_eq!(
            lookup(CHECKLIST, &press(KeyCode::Char('2'))),
            Some(Cmd::NonCompliant)
        );
        assert_eq!(
            lookup(CHECKLIST, &press(KeyCode::Char('n'))),
            Some(Cmd::NonCompliant)
        );
        assert_eq!(lookup(CHECKLIST, &press(KeyCode::Down)), Some(Cmd::Down));
        assert_eq!(lookup(HOME, &press(KeyCode::Char('c'))), None);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(lookup(HOME, &ctrl_c), Some(Cmd::Quit));
        let mut release = press(KeyCode::Char('q'));
        release.kind = KeyEventKind::Release;
        assert_eq!(lookup(HOME, &release), None);
    }

    #[test]
    fn no_table_binds_one_key_twice() {
        for table in [
            HOME,
            PICKER,
            SETUP,
            CHECKLIST,
            FORM,
            NOTE,
            REVIEW,
            EVIDENCE,
            EXAM,
            ACTIONS,
            LEDGER,
            REPORT,
            MONTHLY,
            EXPLAIN,
            HAZARD_DETAIL,
            PREVIEW,
            TRUST_OFFICE,
            PREVIEW_NOTHING,
            FINISHED,
            ROSTER_OFFICE,
            ROSTER_READ,
            ROSTER_NONE,
        ] {
            let mut seen = Vec::new();
            for binding in table {
                for key in binding.keys {
                    assert!(!seen.contains(key), "{key:?} bound twice");
                    seen.push(*key);
                }
            }
        }
    }

    #[test]
    fn footer_and_help_come_from_the_table() {
        let footer = footer(CHECKLIST);
        assert_eq!(footer[0], ("1".to_string(), "符合"));
        assert!(
            footer
                .iter()
                .all(|(_, label)| CHECKLIST.iter().any(|b| b.label == *label))
        );
        let help = help(CHECKLIST);
        assert_eq!(help.len(), CHECKLIST.len());
        assert!(help.contains(&("e / Enter".to_string(), "备注")));
    }
}
