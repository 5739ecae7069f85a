//! Each screen's commands in one table: the keys that trigger them and their Chinese label.
//! Key handling, the footer and the `?` help are all generated from these tables, so they cannot
//! drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::cell::Cell;
use unicode_width::UnicodeWidthStr;

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
    Profile,
    ShowFinalized,
    ImportEnterprises,
    First,
    Last,
    InitOffice,
    ExportKey,
    SetRoles,
    AddKey,
    Leave,
    Revoke,
    Documents,
    OpenFile,
    Folder,
    CorrectTimes,
    OfficeHazard,
    HazardList,
    DisclosureList,
    Export,
    Complete,
    /// The 现场照片补充页 of the inspection on the documents screen.
    PhotoSupplement,
    /// Opens the file browser that attaches photos, videos and scans.
    Attach,
    /// The folder above, in the file browser.
    Parent,
    /// The files a record already has, in the attach browser (and back to the folder).
    ShowAttached,
    /// The backup dialog, on the home screen.
    Backup,
    MarkAll,
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
    /// The footer's word for it when the help's is too long (the help always shows `label`).
    pub short: Option<&'static str>,
    /// Its place in the footer: 1 is kept first, higher numbers go first when the width runs
    /// out, [`HELP_ONLY`] is never in the footer (the `?` help lists every binding).
    pub priority: u8,
}

/// A binding listed only in the help.
pub const HELP_ONLY: u8 = 0;

const fn b(cmd: Cmd, keys: &'static [Key], label: &'static str, priority: u8) -> Binding {
    Binding {
        cmd,
        keys,
        label,
        short: None,
        priority,
    }
}

impl Binding {
    /// The same binding with a shorter footer label.
    const fn short(self, short: &'static str) -> Binding {
        Binding {
            short: Some(short),
            ..self
        }
    }

    fn footer_label(&self) -> &'static str {
        self.short.unwrap_or(self.label)
    }
}

use Key::{Char as C, Code as K, Ctrl};

const UP: &[Key] = &[K(KeyCode::Up), C('k')];
const DOWN: &[Key] = &[K(KeyCode::Down), C('j')];
const H: u8 = HELP_ONLY;

pub const HOME: &[Binding] = &[
    b(Cmd::NewInspection, &[C('n')], "新建检查", 1),
    b(Cmd::Select, &[K(KeyCode::Enter)], "继续草稿", 2).short("继续"),
    b(Cmd::Ledger, &[C('l')], "隐患台账", 2).short("台账"),
    b(Cmd::Monthly, &[C('r')], "调度表", 3),
    b(Cmd::ExportBundle, &[C('e')], "导出数据包", 2).short("导出"),
    b(Cmd::ImportBundle, &[C('i')], "导入数据包", 2).short("导入"),
    b(Cmd::Roster, &[C('m')], "人员名册（办公室）", 4).short("名册"),
    b(Cmd::Profile, &[C('p')], "本机执法人员档案", H),
    b(
        Cmd::ImportEnterprises,
        &[C('E')],
        "导入企业名册（Excel 或 CSV）",
        H,
    ),
    b(
        Cmd::ShowFinalized,
        &[C('o')],
        "草稿 / 已定稿检查（只读查看）",
        H,
    ),
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::Discard, &[C('d')], "作废草稿", H),
    b(Cmd::LoadDemo, &[C('D')], "载入演示数据（仅限空数据）", 2).short("演示数据"),
    b(
        Cmd::Backup,
        &[C('b')],
        "备份本机全部记录和附件（用口令加密，不含私钥）",
        H,
    ),
    b(Cmd::Help, &[C('?')], "帮助", 1),
    b(Cmd::Quit, &[C('q'), Ctrl('c')], "退出", 1),
];

pub const PICKER: &[Binding] = &[
    b(Cmd::Select, &[K(KeyCode::Enter)], "选定", 1),
    b(Cmd::Up, &[K(KeyCode::Up)], "上移", H),
    b(Cmd::Down, &[K(KeyCode::Down)], "下移", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", H),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", H),
    b(Cmd::NewEnterprise, &[Ctrl('n')], "新建企业", 1),
    b(Cmd::Back, &[K(KeyCode::Esc)], "取消", 1),
    b(Cmd::Help, &[K(KeyCode::F(1))], "帮助", 1),
];

pub const SETUP: &[Binding] = &[
    b(
        Cmd::NextField,
        &[K(KeyCode::Tab), K(KeyCode::Down)],
        "下一项",
        1,
    ),
    b(
        Cmd::PrevField,
        &[K(KeyCode::BackTab), K(KeyCode::Up)],
        "上一项",
        H,
    ),
    b(Cmd::Left, &[K(KeyCode::Left)], "上一个选项", H),
    b(Cmd::Right, &[K(KeyCode::Right)], "下一个选项", H),
    b(Cmd::Toggle, &[C(' ')], "勾选", 2),
    b(Cmd::Save, &[Ctrl('s'), K(KeyCode::F(2))], "开始检查", 1),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回", 2),
    b(Cmd::Help, &[K(KeyCode::F(1))], "帮助", 1),
];

pub const CHECKLIST: &[Binding] = &[
    b(Cmd::Compliant, &[C('1'), C('y')], "符合", 1),
    b(Cmd::NonCompliant, &[C('2'), C('n')], "不符合", 1),
    b(Cmd::NotApplicable, &[C('3'), C('a')], "不适用", 1),
    b(
        Cmd::ClearAnswer,
        &[C('0'), K(KeyCode::Backspace)],
        "清除",
        H,
    ),
    b(Cmd::Up, UP, "上一项", H),
    b(Cmd::Down, DOWN, "下一项", H),
    b(Cmd::NextUnanswered, &[C('u')], "下一个未答", H),
    b(Cmd::NextNonCompliant, &[C('x')], "下一个不符合", H),
    b(Cmd::SwitchPane, &[K(KeyCode::Tab)], "切换分组/检查项", H),
    b(Cmd::EditNote, &[C('e'), K(KeyCode::Enter)], "备注", 3),
    b(Cmd::NewHazard, &[C('h')], "登记隐患", 2).short("隐患"),
    b(Cmd::Evidence, &[C('r')], "证据记录", 2).short("证据"),
    b(Cmd::Exam, &[C('t')], "逢查必考", 4),
    b(Cmd::Actions, &[C('f')], "执法措施", 4),
    b(Cmd::Attach, &[C('i')], "添加照片/视频附件", 3).short("附件"),
    b(Cmd::Review, &[C('v')], "复核定稿", 2).short("定稿"),
    b(Cmd::Documents, &[C('w')], "执法文书（定稿后出具）", H),
    b(Cmd::Help, &[C('?')], "帮助", 1),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回首页", 5).short("首页"),
];

/// A finalized inspection viewed read-only (home `o`, Enter): nothing in it changes; what was
/// missed or mistaken is added beside it as a new record.
pub const FINALIZED: &[Binding] = &[
    b(Cmd::Up, UP, "上一项", H),
    b(Cmd::Down, DOWN, "下一项", H),
    b(Cmd::NextUnanswered, &[C('u')], "下一个未答", H),
    b(Cmd::NextNonCompliant, &[C('x')], "下一个不符合", H),
    b(Cmd::SwitchPane, &[K(KeyCode::Tab)], "切换分组/检查项", H),
    b(
        Cmd::EditNote,
        &[C('e'), K(KeyCode::Enter)],
        "补记（另存为新记录）",
        2,
    )
    .short("补记"),
    b(Cmd::CorrectTimes, &[C('t')], "更正到达/离开时间", 2).short("更正时间"),
    b(Cmd::Evidence, &[C('r')], "证据记录（可更正）", 3).short("证据"),
    b(Cmd::Documents, &[C('w')], "执法文书", 2).short("文书"),
    b(Cmd::Attach, &[C('i')], "添加照片/视频附件", 2).short("附件"),
    b(Cmd::Help, &[C('?')], "帮助", 1),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回首页", 1).short("首页"),
];

/// The evidence records of a finalized inspection: looked at, and corrected by new records.
pub const EVIDENCE_FINALIZED: &[Binding] = &[
    b(
        Cmd::Left,
        &[K(KeyCode::Left), K(KeyCode::BackTab)],
        "上一类",
        H,
    ),
    b(
        Cmd::Right,
        &[K(KeyCode::Right), K(KeyCode::Tab)],
        "下一类",
        2,
    ),
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "更正经过上翻", H),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "更正经过下翻", 4).short("下翻"),
    b(
        Cmd::StepCorrect,
        &[C('c')],
        "更正所选记录（另存为更正记录）",
        1,
    )
    .short("更正"),
    b(Cmd::Attach, &[C('i')], "添加照片/视频附件", 2).short("附件"),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回检查表", 2).short("返回"),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

pub const EVIDENCE: &[Binding] = &[
    b(
        Cmd::Left,
        &[K(KeyCode::Left), K(KeyCode::BackTab)],
        "上一类",
        H,
    ),
    b(
        Cmd::Right,
        &[K(KeyCode::Right), K(KeyCode::Tab)],
        "下一类",
        2,
    ),
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "规则建议上翻", H),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "规则建议下翻", 4).short("建议下翻"),
    b(Cmd::Add, &[C('a')], "新增", 1),
    b(Cmd::Select, &[K(KeyCode::Enter)], "修改", 1),
    b(Cmd::Apply, &[C('p')], "采用建议答案", 1).short("采用建议"),
    b(Cmd::Attach, &[C('i')], "添加照片/视频附件", 2).short("附件"),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回检查表", 2).short("返回"),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// A form: typing edits the field in focus.
pub const FORM: &[Binding] = &[
    b(
        Cmd::NextField,
        &[K(KeyCode::Tab), K(KeyCode::Down)],
        "下一栏",
        1,
    ),
    b(
        Cmd::PrevField,
        &[K(KeyCode::BackTab), K(KeyCode::Up)],
        "上一栏",
        2,
    ),
    b(
        Cmd::Select,
        &[K(KeyCode::Enter)],
        "下一栏；在最后一栏时保存",
        H,
    ),
    b(Cmd::Left, &[K(KeyCode::Left)], "上一个选项", H),
    b(Cmd::Right, &[K(KeyCode::Right)], "下一个选项", H),
    b(Cmd::Save, &[Ctrl('s'), K(KeyCode::F(2))], "保存", 1),
    b(Cmd::Back, &[K(KeyCode::Esc)], "取消", 1),
    b(Cmd::Help, &[K(KeyCode::F(1))], "帮助", 1),
];

/// The spot exam: these move between the questions and mark them; `e` types the examinee's name
/// and role (there every key is text until Enter or Esc).
pub const EXAM: &[Binding] = &[
    b(
        Cmd::NextField,
        &[K(KeyCode::Tab), K(KeyCode::Down)],
        "下一栏",
        2,
    ),
    b(
        Cmd::PrevField,
        &[K(KeyCode::BackTab), K(KeyCode::Up)],
        "上一栏",
        H,
    ),
    b(Cmd::Correct, &[C('y')], "答对", 1),
    b(Cmd::Partial, &[C('p')], "部分答对", 1),
    b(Cmd::Wrong, &[C('n')], "答错", 1),
    b(Cmd::EditNote, &[C('e')], "填写被考人员", 3),
    b(Cmd::Save, &[Ctrl('s'), K(KeyCode::F(2))], "保存", 1),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回检查表", 2),
    b(Cmd::Help, &[K(KeyCode::F(1))], "帮助", 1),
];

/// The spot exam while the examinee's name or role is typed: letters are text here.
pub const EXAM_EDIT: &[Binding] = &[
    b(
        Cmd::NextField,
        &[
            K(KeyCode::Tab),
            K(KeyCode::BackTab),
            K(KeyCode::Down),
            K(KeyCode::Up),
        ],
        "姓名 / 职务",
        2,
    ),
    b(
        Cmd::Back,
        &[K(KeyCode::Enter), K(KeyCode::Esc)],
        "回到评分",
        1,
    ),
    b(Cmd::Save, &[Ctrl('s'), K(KeyCode::F(2))], "保存", 1),
    b(Cmd::Help, &[K(KeyCode::F(1))], "帮助", 1),
];

pub const ACTIONS: &[Binding] = &[
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::Add, &[C('a')], "新增执法措施", 1),
    b(Cmd::StepCorrect, &[C('c')], "更正所选措施", 2).short("更正"),
    b(Cmd::Attach, &[C('i')], "添加照片/视频附件", 2).short("附件"),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回检查表", 2),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// The hazard ledger list: letters set filters; `/` starts a search (typed then like a query).
pub const LEDGER: &[Binding] = &[
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", H),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", H),
    b(Cmd::First, &[K(KeyCode::Home)], "第一行", H),
    b(Cmd::Last, &[K(KeyCode::End)], "最后一行", H),
    b(Cmd::Select, &[K(KeyCode::Enter)], "办理", 1),
    b(Cmd::Search, &[C('/')], "搜索", 1),
    b(Cmd::FilterStage, &[C('s')], "状态", 2),
    b(Cmd::FilterGrade, &[C('g')], "等级", H),
    b(Cmd::FilterSource, &[C('o')], "来源", H),
    b(Cmd::FilterOverdue, &[C('d')], "只看逾期", 2),
    b(Cmd::FilterListed, &[C('t')], "只看挂牌督办", H),
    b(Cmd::FilterTown, &[C('T')], "乡镇", H),
    b(Cmd::FilterGroup, &[C('G')], "检查组", H),
    b(Cmd::Sort, &[C('S')], "排序", H),
    b(Cmd::ReportWeekly, &[C('w')], "周四反馈", 3),
    b(Cmd::ReportTargets, &[C('n')], "下一步检查对象", H),
    b(Cmd::ReportWarnings, &[C('a')], "规则提示", H),
    b(
        Cmd::OfficeHazard,
        &[C('A')],
        "登记隐患（企业自查/举报/交办）",
        3,
    )
    .short("登记隐患"),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回首页", 2),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// An import's findings, before anything is written.
pub const PREVIEW: &[Binding] = &[
    b(Cmd::Apply, &[K(KeyCode::Enter)], "确认导入", 1),
    b(Cmd::Back, &[K(KeyCode::Esc)], "取消", 1),
    b(Cmd::Up, UP, "上滚", H),
    b(Cmd::Down, DOWN, "下滚", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", H),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", H),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// A roster from an office this laptop does not trust yet: the user compares fingerprints.
pub const TRUST_OFFICE: &[Binding] = &[
    b(Cmd::Apply, &[C('y')], "指纹一致，信任此办公室", 1),
    b(Cmd::Back, &[C('n'), K(KeyCode::Esc)], "不一致，取消", 1),
];

/// An import's findings when everything in it is here already.
pub const PREVIEW_NOTHING: &[Binding] = &[
    b(
        Cmd::Back,
        &[K(KeyCode::Esc), K(KeyCode::Enter)],
        "返回首页",
        1,
    ),
    b(Cmd::Up, UP, "上滚", H),
    b(Cmd::Down, DOWN, "下滚", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", H),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", H),
];

/// An export or import that ended.
pub const FINISHED: &[Binding] = &[
    b(
        Cmd::Back,
        &[K(KeyCode::Esc), K(KeyCode::Enter)],
        "返回首页",
        1,
    ),
    b(Cmd::Up, UP, "上滚", H),
    b(Cmd::Down, DOWN, "下滚", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", H),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", H),
];

/// While a bundle is being written or read: nothing to press.
pub const RUNNING: &[Binding] = &[];

/// A report opened from the ledger: read, scroll, go back.
pub const REPORT: &[Binding] = &[
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", 2),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", 2),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回台账", 1),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// The monthly progress table (调度表): month, scope, a row's records.
pub const MONTHLY: &[Binding] = &[
    b(Cmd::Select, &[K(KeyCode::Enter)], "查看计入的记录", 1).short("查看记录"),
    b(Cmd::Left, &[K(KeyCode::Left)], "上个月", 1),
    b(Cmd::Right, &[K(KeyCode::Right)], "下个月", 1),
    b(Cmd::NextField, &[K(KeyCode::Tab)], "换统计范围", 2),
    b(Cmd::PrevField, &[K(KeyCode::BackTab)], "上一个范围", H),
    b(Cmd::Add, &[C('a')], "登记工作活动", 2),
    b(Cmd::HazardList, &[C('h')], "每月重大事故隐患清单", 3).short("隐患清单"),
    b(Cmd::DisclosureList, &[C('g')], "信息公开清单", 3).short("公开清单"),
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", H),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", H),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回", 2),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// The records behind a row of the monthly table: one is selected, to correct.
pub const EXPLAIN: &[Binding] = &[
    b(Cmd::Up, UP, "上一条记录", H),
    b(Cmd::Down, DOWN, "下一条记录", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", 2),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", 2),
    b(
        Cmd::StepCorrect,
        &[C('c')],
        "更正所选记录（工作活动、执法措施）",
        1,
    )
    .short("更正"),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回调度表", 1),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// A month's hazard list or disclosure list, opened from the monthly table.
pub const MONTH_LIST: &[Binding] = &[
    b(Cmd::Left, &[K(KeyCode::Left)], "上个月", 1),
    b(Cmd::Right, &[K(KeyCode::Right)], "下个月", 1),
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", H),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", H),
    b(Cmd::First, &[K(KeyCode::Home)], "第一行", H),
    b(Cmd::Last, &[K(KeyCode::End)], "最后一行", H),
    b(Cmd::Export, &[C('x')], "导出 Excel（xlsx）", 1).short("导出"),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回调度表", 1),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// The path a file is written to: Tab completes it; the other keys edit it.
pub const SAVE_PATH: &[Binding] = &[
    b(Cmd::Complete, &[K(KeyCode::Tab)], "补全路径", 1),
    b(Cmd::Save, &[Ctrl('s'), K(KeyCode::F(2))], "写入文件", 1),
    b(Cmd::Back, &[K(KeyCode::Esc)], "取消", 1),
    b(Cmd::Help, &[K(KeyCode::F(1))], "帮助", 1),
];

/// One hazard: its history, and the steps of its closed loop.
pub const HAZARD_DETAIL: &[Binding] = &[
    b(Cmd::StepTransfer, &[C('m')], "移交", 1),
    b(Cmd::StepRectify, &[C('z')], "整改中", 1),
    b(Cmd::StepReport, &[C('b')], "报告整改完成", 1).short("整改完成"),
    b(Cmd::StepVerify, &[C('y')], "验收", 1),
    b(Cmd::StepClose, &[C('x')], "销号", 1),
    b(Cmd::StepList, &[C('p')], "挂牌督办", 4),
    b(Cmd::StepCorrect, &[C('c')], "更正", 4),
    b(Cmd::FollowUp, &[C('f')], "复查（开始检查）", 3).short("复查"),
    b(
        Cmd::Documents,
        &[C('w')],
        "执法文书（复查意见书、督办通知书）",
        4,
    )
    .short("文书"),
    b(
        Cmd::Attach,
        &[C('i')],
        "添加照片/视频附件（到所选办理记录；未选：到隐患本身）",
        2,
    )
    .short("附件"),
    // The footer shows ↓ alone (the first press selects a record); the help shows both.
    b(
        Cmd::Down,
        DOWN,
        "选择下一条办理记录（之后按 i 给它添加附件）",
        4,
    )
    .short("选记录"),
    b(Cmd::Up, UP, "选择上一条办理记录（第一条之上：隐患本身）", H),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回台账", 2),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// 执法文书: a finalized inspection's or a hazard's documents, issued and written as files.
pub const DOCUMENTS: &[Binding] = &[
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(
        Cmd::Select,
        &[K(KeyCode::Enter)],
        "出具 / 重印（写入文件）",
        1,
    )
    .short("出具/重印"),
    b(
        Cmd::OpenFile,
        &[C('o')],
        "用系统默认程序打开刚写入的文件",
        2,
    )
    .short("打开文件"),
    b(Cmd::Folder, &[C('d')], "更改保存目录", 3).short("保存目录"),
    b(
        Cmd::PhotoSupplement,
        &[C('p')],
        "印现场照片补充页（现场检查记录出具后才添加的照片）",
        4,
    )
    .short("照片补充页"),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回", 1),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// What Tab does on the roster screen (also shown above its lists).
pub const ROSTER_TABS: &str = "切换：人员 / 名册历史 / 待处理";

/// The roster at the office: every change is a new entry signed by the office.
pub const ROSTER_OFFICE: &[Binding] = &[
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", H),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", H),
    b(Cmd::First, &[K(KeyCode::Home)], "第一行", H),
    b(Cmd::Last, &[K(KeyCode::End)], "最后一行", H),
    b(Cmd::SwitchPane, &[K(KeyCode::Tab)], ROSTER_TABS, H),
    b(Cmd::Add, &[C('a')], "登记人员", 1),
    b(Cmd::SetRoles, &[C('r')], "修改角色", 1),
    b(Cmd::AddKey, &[C('g')], "登记公钥", 1),
    b(Cmd::Leave, &[C('l')], "人员离开", 2),
    b(Cmd::Revoke, &[C('x')], "吊销公钥", 2),
    b(Cmd::ExportKey, &[C('e')], "导出本机公钥", H),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回首页", 3),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// The roster on a laptop (or while it loads): to read; changes are made at the office.
pub const ROSTER_READ: &[Binding] = &[
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", 2),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", 2),
    b(Cmd::First, &[K(KeyCode::Home)], "第一行", H),
    b(Cmd::Last, &[K(KeyCode::End)], "最后一行", H),
    b(Cmd::SwitchPane, &[K(KeyCode::Tab)], ROSTER_TABS, H),
    b(
        Cmd::ExportKey,
        &[C('e')],
        "导出本机公钥（交给办公室登记）",
        2,
    )
    .short("导出公钥"),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回首页", 1),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// Before any roster: the office sets itself up here.
pub const ROSTER_NONE: &[Binding] = &[
    b(Cmd::InitOffice, &[C('i')], "建立办公室名册（在办公室）", 1),
    b(
        Cmd::ExportKey,
        &[C('e')],
        "导出本机公钥（交给办公室登记）",
        1,
    )
    .short("导出公钥"),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回首页", 1),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// The multi-line note editor: every other key goes to the text.
pub const NOTE: &[Binding] = &[
    b(Cmd::Save, &[Ctrl('s'), K(KeyCode::F(2))], "保存备注", 1),
    b(Cmd::Back, &[K(KeyCode::Esc)], "放弃修改", 1),
    b(Cmd::Help, &[K(KeyCode::F(1))], "帮助", 1),
];

pub const REVIEW: &[Binding] = &[
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::Finalize, &[C('f'), K(KeyCode::F(10))], "定稿签名", 1),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", 3),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", 2),
    b(Cmd::Back, &[K(KeyCode::Esc)], "返回检查", 1),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];

/// The file browser that attaches photos, videos and scans to a record.
pub const ATTACH: &[Binding] = &[
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", H),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", H),
    b(Cmd::First, &[K(KeyCode::Home)], "第一行", H),
    b(Cmd::Last, &[K(KeyCode::End)], "最后一行", H),
    b(
        Cmd::Select,
        &[K(KeyCode::Enter)],
        "进入文件夹；在文件上：添加所标记的（未标记则添加所选的）",
        1,
    )
    .short("进入/添加"),
    b(Cmd::Toggle, &[C(' ')], "标记 / 取消标记", 1).short("标记"),
    b(
        Cmd::MarkAll,
        &[C('A'), Ctrl('a')],
        "标记本文件夹全部文件（再按取消）",
        3,
    )
    .short("全选"),
    b(Cmd::Save, &[Ctrl('s')], "添加所标记的文件", 2).short("添加"),
    b(Cmd::Parent, &[K(KeyCode::Backspace)], "上一级文件夹", 2).short("上一级"),
    b(
        Cmd::ShowAttached,
        &[C('v')],
        "查看这条记录已有的附件（再按回到文件夹）",
        2,
    )
    .short("已附"),
    b(
        Cmd::SwitchPane,
        &[K(KeyCode::Tab)],
        "隐患照片的用途：整改前 / 整改后 / 不注明",
        H,
    ),
    b(Cmd::Back, &[K(KeyCode::Esc)], "关闭（添加中：转到后台）", 1).short("关闭"),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];
/// The attach browser's 已附 list: looking only (a stored file is never changed or removed).
pub const ATTACH_STORED: &[Binding] = &[
    b(Cmd::Up, UP, "上移", H),
    b(Cmd::Down, DOWN, "下移", H),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", H),
    b(Cmd::PageDown, &[K(KeyCode::PageDown)], "下一页", H),
    b(Cmd::First, &[K(KeyCode::Home)], "第一行", H),
    b(Cmd::Last, &[K(KeyCode::End)], "最后一行", H),
    b(Cmd::ShowAttached, &[C('v')], "回到文件夹添加文件", 1).short("回到文件夹"),
    b(Cmd::Back, &[K(KeyCode::Esc)], "回到文件夹", 2).short("返回"),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];
/// The backup dialog: a path and a passphrase typed twice (never shown, never remembered).
pub const BACKUP: &[Binding] = &[
    b(
        Cmd::Complete,
        &[K(KeyCode::Tab)],
        "补全路径（在口令栏：下一栏）",
        2,
    )
    .short("补全"),
    b(Cmd::Down, &[K(KeyCode::Down)], "下一栏", H),
    b(Cmd::Up, &[K(KeyCode::Up), K(KeyCode::BackTab)], "上一栏", H),
    b(
        Cmd::Select,
        &[K(KeyCode::Enter)],
        "下一栏；在最后一栏时开始备份",
        2,
    )
    .short("下一栏"),
    b(Cmd::Save, &[Ctrl('s')], "开始备份", 1).short("备份"),
    b(Cmd::Back, &[K(KeyCode::Esc)], "取消", 1),
    b(Cmd::Help, &[C('?')], "帮助", 1),
];
/// The `?` help itself, for its footer ([`HelpView::on_key`] reads the keys): how to scroll
/// and close it.
pub const HELP_VIEW: &[Binding] = &[
    b(Cmd::Down, DOWN, "下移", 1),
    b(Cmd::Up, UP, "上移", 1),
    b(Cmd::PageDown, &[K(KeyCode::PageDown), C(' ')], "下一页", 1),
    b(Cmd::PageUp, &[K(KeyCode::PageUp)], "上一页", 1),
    b(Cmd::Back, &[K(KeyCode::Esc)], "关闭帮助（任意其他键）", 1),
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

/// What the help key says in the footer when every footer key is shown…
pub const HELP_HINT: &str = "帮助";
/// …and when some had to be left out for the width: they are all in the help.
pub const MORE_HINT: &str = "更多按键";

/// Columns one footer entry takes: the key in a chip (" k "), then its label.
pub fn entry_width(key: &str, label: &str) -> usize {
    key.width() + 2 + label.width()
}

/// Columns a footer line takes: its entries one space apart.
pub fn footer_width(items: &[(String, &str)]) -> usize {
    let entries: usize = items.iter().map(|(k, l)| entry_width(k, l)).sum();
    entries + items.len().saturating_sub(1)
}

/// The footer line within `room` columns: "键 说明" pairs in the table's order. The most
/// important keys (lowest priority number) are kept first; the help key is always kept and
/// always last, and says "更多按键" when anything was left out, so the user knows where the
/// rest are.
pub fn footer(table: &[Binding], room: usize) -> Vec<(String, &'static str)> {
    let help = table.iter().position(|b| b.cmd == Cmd::Help);
    let mut candidates: Vec<usize> = (0..table.len())
        .filter(|&i| Some(i) != help && table[i].priority != HELP_ONLY && !table[i].keys.is_empty())
        .collect();
    // Stable: equal priorities keep the table's order.
    candidates.sort_by_key(|&i| table[i].priority);
    let build = |kept: &[usize], hint: &'static str| -> Vec<(String, &'static str)> {
        let mut kept = kept.to_vec();
        kept.sort_unstable();
        let mut items: Vec<(String, &'static str)> = kept
            .iter()
            .map(|&i| (table[i].keys[0].label(), table[i].footer_label()))
            .collect();
        if let Some(h) = help {
            items.push((table[h].keys[0].label(), hint));
        }
        items
    };
    if footer_width(&build(&candidates, HELP_HINT)) <= room {
        return build(&candidates, HELP_HINT);
    }
    // Not all fit: take them by priority while they do, stopping at the first that does not
    // (a less important key never takes the place of a more important one).
    let mut kept: Vec<usize> = Vec::new();
    for &i in &candidates {
        kept.push(i);
        if footer_width(&build(&kept, MORE_HINT)) > room {
            kept.pop();
            break;
        }
    }
    build(&kept, MORE_HINT)
}

/// The `?` help over a screen: every binding of its table, scrolled by line. Also shows a
/// long message the status line cannot hold (`message`), e.g. every error of a refused file.
pub struct HelpView {
    pub table: &'static [Binding],
    /// Title and lines of a message shown instead of the table.
    pub message: Option<(String, Vec<String>)>,
    /// First line shown.
    pub scroll: usize,
    /// How far it can scroll and how many lines a page holds: set by the renderer, the only
    /// one that knows the size of the window.
    pub max_scroll: Cell<usize>,
    pub page: Cell<usize>,
}

impl HelpView {
    pub fn new(table: &'static [Binding]) -> HelpView {
        HelpView {
            table,
            message: None,
            scroll: 0,
            max_scroll: Cell::new(usize::MAX),
            page: Cell::new(10),
        }
    }

    /// A long message, scrolled like the help.
    pub fn message(title: impl Into<String>, lines: Vec<String>) -> HelpView {
        HelpView {
            message: Some((title.into(), lines)),
            ..HelpView::new(&[])
        }
    }

    /// A key in the help: j/k, the arrows, PgUp/PgDn, Home/End scroll; any other key closes
    /// it (returns true).
    pub fn on_key(&mut self, ev: &KeyEvent) -> bool {
        if ev.kind != KeyEventKind::Press {
            return false;
        }
        let last = self.max_scroll.get();
        if last == 0 {
            // Nothing to scroll: the hint says any key closes, and so it does.
            return true;
        }
        let page = self.page.get().max(1);
        self.scroll = self.scroll.min(last);
        match ev.code {
            KeyCode::Down | KeyCode::Char('j') => self.scroll = (self.scroll + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll = (self.scroll + page).min(last),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(page),
            KeyCode::Home => self.scroll = 0,
            KeyCode::End => self.scroll = last,
            _ => return true,
        }
        false
    }
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
            FINALIZED,
            EVIDENCE_FINALIZED,
            FORM,
            NOTE,
            REVIEW,
            EVIDENCE,
            EXAM,
            EXAM_EDIT,
            ACTIONS,
            LEDGER,
            REPORT,
            MONTHLY,
            EXPLAIN,
            MONTH_LIST,
            SAVE_PATH,
            HAZARD_DETAIL,
            DOCUMENTS,
            PREVIEW,
            TRUST_OFFICE,
            PREVIEW_NOTHING,
            FINISHED,
            ROSTER_OFFICE,
            ROSTER_READ,
            ROSTER_NONE,
            HELP_VIEW,
            ATTACH,
            ATTACH_STORED,
            BACKUP,
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
        let footer = footer(CHECKLIST, 200);
        assert_eq!(footer[0], ("1".to_string(), "符合"));
        assert!(footer.iter().all(|(_, label)| {
            CHECKLIST
                .iter()
                .any(|b| b.label == *label || b.short == Some(*label))
        }));
        // Wide enough for all: the help key is last and says "帮助".
        assert_eq!(footer.last(), Some(&("?".to_string(), HELP_HINT)));
        let help = help(CHECKLIST);
        assert_eq!(help.len(), CHECKLIST.len());
        assert!(help.contains(&("e / Enter".to_string(), "备注")));
    }

    fn keys_of(items: &[(String, &str)]) -> Vec<String> {
        items.iter().map(|(k, _)| k.clone()).collect()
    }

    #[test]
    fn the_footer_keeps_the_most_important_keys_and_points_to_the_rest() {
        // 80 columns, with "已保存 HH:MM:SS" at the right: the answers and h, r, v stay.
        let fitted = footer(CHECKLIST, 80 - 16);
        assert!(footer_width(&fitted) <= 64);
        let keys = keys_of(&fitted);
        for key in ["1", "2", "3", "h", "r", "v", "?"] {
            assert!(keys.contains(&key.to_string()), "{key} missing: {fitted:?}");
        }
        assert_eq!(fitted.last(), Some(&("?".to_string(), MORE_HINT)));
        // Table order is kept: h before r before v.
        let at = |k: &str| keys.iter().position(|x| x == k).unwrap_or(usize::MAX);
        assert!(at("1") < at("h") && at("h") < at("r") && at("r") < at("v"));

        // Only room for the top priority: exactly those, and the hint to the rest.
        let top: Vec<(String, &str)> = vec![
            ("1".into(), "符合"),
            ("2".into(), "不符合"),
            ("3".into(), "不适用"),
            ("?".into(), MORE_HINT),
        ];
        let room = footer_width(&top);
        assert_eq!(footer(CHECKLIST, room), top);
        // One column less: the last top-priority key that does not fit goes, the hint stays.
        let fewer = footer(CHECKLIST, room - 1);
        assert_eq!(keys_of(&fewer), ["1", "2", "?"]);
        // No room at all: the hint alone.
        assert_eq!(keys_of(&footer(CHECKLIST, 0)), ["?"]);
        // A lower-priority key never takes the place of a higher one that did not fit.
        for room in 0..120 {
            let shown = footer(CHECKLIST, room);
            let worst_shown = CHECKLIST
                .iter()
                .filter(|b| {
                    b.cmd != Cmd::Help && shown.iter().any(|(k, _)| *k == b.keys[0].label())
                })
                .map(|b| b.priority)
                .max()
                .unwrap_or(0);
            let best_hidden = CHECKLIST
                .iter()
                .filter(|b| b.priority != HELP_ONLY && b.cmd != Cmd::Help)
                .filter(|b| !shown.iter().any(|(k, _)| *k == b.keys[0].label()))
                .map(|b| b.priority)
                .min()
                .unwrap_or(u8::MAX);
            assert!(worst_shown <= best_hidden, "{room}: {shown:?}");
            assert!(
                shown.len() == 1 || footer_width(&shown) <= room,
                "{room}: {shown:?}"
            );
        }
    }

    #[test]
    fn the_home_footer_shows_export_import_and_the_demo_at_80_columns() {
        let keys = keys_of(&footer(HOME, 80));
        for key in ["n", "e", "i", "D", "?", "q"] {
            assert!(keys.contains(&key.to_string()), "{key} missing: {keys:?}");
        }
    }

    #[test]
    fn help_scrolls_by_line_and_page_and_closes_on_any_other_key() {
        let mut help = HelpView::new(HOME);
        // As the renderer leaves it: 13 rows in a window of 5.
        help.max_scroll.set(8);
        help.page.set(4);
        assert!(!help.on_key(&press(KeyCode::Char('j'))));
        assert!(!help.on_key(&press(KeyCode::Down)));
        assert_eq!(help.scroll, 2);
        assert!(!help.on_key(&press(KeyCode::Char('k'))));
        assert_eq!(help.scroll, 1);
        assert!(!help.on_key(&press(KeyCode::PageDown)));
        assert_eq!(help.scroll, 5);
        assert!(!help.on_key(&press(KeyCode::PageDown)));
        assert_eq!(help.scroll, 8, "never past the end");
        assert!(!help.on_key(&press(KeyCode::PageUp)));
        assert_eq!(help.scroll, 4);
        assert!(!help.on_key(&press(KeyCode::Home)));
        assert_eq!(help.scroll, 0);
        assert!(!help.on_key(&press(KeyCode::Up)));
        assert_eq!(help.scroll, 0);
        assert!(!help.on_key(&press(KeyCode::End)));
        assert_eq!(help.scroll, 8);
        assert!(help.on_key(&press(KeyCode::Esc)));
        assert!(help.on_key(&press(KeyCode::Char('q'))));
    }
}
