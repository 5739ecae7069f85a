//! `paicha hazard …`: office entry of hazards and the steps of their closed loop, with the same
//! guards as the TUI (scriptable).

use crate::domain::lifecycle::Step;
use crate::domain::money::MoneyRules;
use crate::domain::office_hazard;
use crate::domain::{CreditCode, FiveFixes};
use crate::storage::Store;
use crate::templates::Catalog;
use clap::{Args, Subcommand};
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum HazardCommand {
    /// 在办公室登记隐患：企业自查、群众举报（可匿名）、上级交办
    Add(AddArgs),
    /// 办理闭环中的一步：移交、整改中、报告整改完成、验收、销号、挂牌督办、更正
    #[command(visible_alias = "event")]
    Step {
        /// 隐患编号或标识（见 paicha ledger）
        #[arg(value_name = "隐患")]
        hazard: String,
        /// 说明（可选）
        #[arg(
            long,
            global = true,
            default_value = "",
            hide_default_value = true,
            value_name = "说明"
        )]
        note: String,
        #[command(subcommand)]
        step: StepCommand,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// 企业的统一社会信用代码（须已登记）
    #[arg(long, value_name = "代码")]
    enterprise: String,
    /// 来源：企业自查、群众举报、上级交办（执法检查的隐患在检查界面登记）
    #[arg(long, value_name = "来源")]
    source: String,
    /// 等级：重大、一般
    #[arg(long, value_name = "等级")]
    grade: String,
    /// 隐患描述
    #[arg(long, value_name = "描述")]
    description: String,
    /// 部位
    #[arg(
        long,
        default_value = "",
        hide_default_value = true,
        value_name = "部位"
    )]
    location: String,
    /// 依据（标准、条款）
    #[arg(
        long,
        default_value = "",
        hide_default_value = true,
        value_name = "依据"
    )]
    basis: String,
    /// 发现日期（默认今天），如 2023-09-05 或 2023.9.5
    #[arg(long, value_name = "日期")]
    found: Option<String>,
    #[command(flatten)]
    fixes: FixesArgs,
    /// 群众举报：举报人要求匿名
    #[arg(long)]
    anonymous: bool,
    /// 群众举报：举报奖励，如 0.5、0.5万元 或 5000元，待举报查实（复查验收）后计入调度表 D5
    #[arg(long, value_name = "金额")]
    reward: Option<String>,
    /// 上级交办：交办文件文号
    #[arg(long, value_name = "文号")]
    document: Option<String>,
}

/// The five fixes, all given or none.
#[derive(Debug, Args)]
pub struct FixesArgs {
    /// 整改时限（与责任人、措施、资金、应急预案一起填写），如 2023-09-15 或 2023.9.15
    #[arg(long, value_name = "日期")]
    deadline: Option<String>,
    /// 整改责任人
    #[arg(long, value_name = "姓名")]
    responsible: Option<String>,
    /// 整改措施
    #[arg(long, value_name = "措施")]
    measures: Option<String>,
    /// 整改资金：先写金额，如“2万元，企业自筹”或“5000元”；不需要资金写“无”
    #[arg(long, value_name = "资金")]
    funds: Option<String>,
    /// 整改期间的应急预案
    #[arg(long, value_name = "预案")]
    plan: Option<String>,
    /// 确认金额（资金、举报奖励）超过配置上限（rules.toml [money]）无误
    #[arg(long)]
    confirm_large: bool,
}

#[derive(Debug, Subcommand)]
pub enum StepCommand {
    /// 移交责任单位
    Transfer {
        /// 接收移交的责任单位
        #[arg(long, value_name = "单位")]
        to: String,
    },
    /// 进入整改中（未登记整改时限的，须同时给出五落实）
    Rectify(FixesArgs),
    /// 报告整改完成（待验收）
    Report,
    /// 复查验收（--failed 表示未通过，退回整改中）
    Verify {
        /// 验收人姓名
        #[arg(long, value_name = "验收人")]
        by: String,
        /// 验收未通过（退回整改中）：须同时给出 --new-deadline 或 --case
        #[arg(long)]
        failed: bool,
        /// 未通过时：新的整改期限，格式 2023-09-15
        #[arg(
            long,
            value_name = "日期",
            requires = "failed",
            conflicts_with = "case"
        )]
        new_deadline: Option<String>,
        /// 未通过时：立案查处
        #[arg(long, requires = "failed")]
        case: bool,
    },
    /// 销号（重大事故隐患须由人员名册中的销号签字领导本人签字，或由内勤据其书面签字确认录入）
    Close {
        /// 签字确认人（重大事故隐患：名册中销号签字领导的姓名或执法证号）
        #[arg(long, value_name = "签字人")]
        signer: String,
        /// 领导书面签字的日期（默认今天），格式 2023-09-15
        #[arg(long, value_name = "日期")]
        signed_on: Option<String>,
    },
    /// 挂牌督办（仅重大事故隐患）
    List {
        /// 跟踪督办的责任人
        #[arg(long, value_name = "跟踪督办责任人")]
        tracker: String,
    },
    /// 更正已登记的内容（描述、部位、依据、等级、整改时限），作为新的记录保存
    Correct {
        /// 更正哪一项：description 描述、location 部位、basis 依据、grade 等级、deadline 整改时限
        #[arg(long, value_name = "字段")]
        field: String,
        /// 更正后的内容
        #[arg(long, value_name = "内容")]
        value: String,
    },
}

pub fn run(cmd: HazardCommand, store: &mut Store, catalog: &Catalog) -> anyhow::Result<()> {
    match cmd {
        HazardCommand::Add(args) => {
            // The county's table of who may register which source, as in the TUI.
            store.set_permissions(catalog.rules.permissions.clone());
            add(store, args, &catalog.rules.money)
        }
        HazardCommand::Step { hazard, note, step } => {
            let id = resolve(store, &hazard)?;
            let step = match step {
                StepCommand::Transfer { to } => Step::Transfer { to_unit: to },
                StepCommand::Rectify(f) => Step::Rectify {
                    fixes: fixes(&f, &catalog.rules.money)?,
                },
                StepCommand::Report => Step::ReportRectified,
                StepCommand::Verify {
                    by,
                    failed,
                    new_deadline,
                    case,
                } => {
                    let new_deadline = match new_deadline.as_deref() {
                        None => None,
                        Some(text) => Some(super::typed_day(text, "--new-deadline ")?),
                    };
                    let today = crate::domain::time::local(store.now()).date();
                    crate::domain::lifecycle::verification(!failed, by, new_deadline, case, today)
                        .map_err(anyhow::Error::msg)?
                }
                StepCommand::Close { signer, signed_on } => {
                    let signed_at = match signed_on.as_deref() {
                        None => store.now(),
                        Some(text) => {
                            let day = super::typed_day(text, "--signed-on ")?;
                            let noon = day.and_hms_opt(12, 0, 0).unwrap_or_default();
                            let at = crate::domain::time::from_local(noon);
                            if at > store.now() + chrono::TimeDelta::days(1) {
                                anyhow::bail!("领导签字的日期不能是将来的日期（{text}）");
                            }
                            at
                        }
                    };
                    // Named by 执法证号 or name: the step carries the roster's name and id.
                    let person = store.roster()?.and_then(|r| {
                        let t = signer.trim();
                        r.close_out_leaders()
                            .into_iter()
                            .find(|p| p.name == t || (!p.cert_no.is_empty() && p.cert_no == t))
                            .or_else(|| r.find_person(t))
                            .map(|p| (p.id, p.name.clone()))
                    });
                    Step::CloseOut {
                        signer: person.as_ref().map_or(signer, |(_, name)| name.clone()),
                        signer_id: person.map(|(id, _)| id),
                        signed_at,
                    }
                }
                StepCommand::List { tracker } => Step::ListForSupervision {
                    tracking_person: tracker,
                },
                StepCommand::Correct { field, value } => Step::Correct { field, value },
            };
            store.set_permissions(catalog.rules.permissions.clone());
            let event = store.apply_step(id, step, store.now(), &note)?;
            println!("已办理：{}", event.data.kind.label());
            Ok(())
        }
    }
}

/// A hazard by its ledger number or its id.
pub fn resolve(store: &Store, key: &str) -> anyhow::Result<Uuid> {
    if let Ok(id) = Uuid::parse_str(key.trim()) {
        return Ok(id);
    }
    store
        .hazard_by_number(key.trim())?
        .ok_or_else(|| anyhow::anyhow!("没有编号为“{key}”的隐患"))
}

/// The five fixes as given on the command line (all or none), by the office's one rule.
fn fixes(f: &FixesArgs, money: &MoneyRules) -> anyhow::Result<Option<FiveFixes>> {
    office_hazard::fixes(&typed_fixes(f), money).map_err(cli_problem)
}

/// The options of the five fixes as the shared rules read them.
fn typed_fixes(f: &FixesArgs) -> office_hazard::Typed {
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    office_hazard::Typed {
        deadline: text(&f.deadline),
        responsible: text(&f.responsible),
        measures: text(&f.measures),
        funds: text(&f.funds),
        plan: text(&f.plan),
        confirm_large: f.confirm_large,
        ..Default::default()
    }
}

/// A refusal of the shared rules, naming the option (and how to confirm a large amount).
fn cli_problem(p: office_hazard::Problem) -> anyhow::Error {
    let confirm = if p.unconfirmed {
        "；核对无误请加 --confirm-large 再执行（上限见 rules.toml [money]）"
    } else {
        ""
    };
    anyhow::anyhow!("{}（{}）{confirm}", p.text, p.part.option())
}

fn add(store: &mut Store, a: AddArgs, money: &MoneyRules) -> anyhow::Result<()> {
    let typed = office_hazard::Typed {
        source: a.source.clone(),
        grade: a.grade.clone(),
        description: a.description.clone(),
        location: a.location.clone(),
        basis: a.basis.clone(),
        found: a.found.clone().unwrap_or_default(),
        anonymous: a.anonymous,
        reward: a.reward.clone().unwrap_or_default(),
        document: a.document.clone().unwrap_or_default(),
        ..typed_fixes(&a.fixes)
    };
    // An option given blank is refused as the form refuses a blank field it needs.
    if a.reward.as_deref().is_some_and(|r| r.trim().is_empty()) {
        anyhow::bail!("--reward：金额不能为空");
    }
    let code = CreditCode::parse(&a.enterprise)?;
    let enterprise = store
        .enterprise_by_credit_code(&code)?
        .ok_or_else(|| anyhow::anyhow!("统一社会信用代码 {code} 的企业尚未登记"))?;
    let checked = office_hazard::check(&typed, money).map_err(cli_problem)?;
    let (hazard, reward) = store.record_office_hazard(
        checked.hazard(enterprise.id(), store.now()),
        checked.reward_fen,
    )?;
    let (grade, source) = (hazard.data.grade, hazard.data.source);
    let reward_fen = reward.and_then(|r| r.data.amount_fen);
    println!(
        "已登记{}隐患（{}）：{}",
        grade.label(),
        source.label(),
        hazard.id()
    );
    if let Some(fen) = reward_fen {
        println!(
            "举报奖励 {} 万元已登记，待举报查实（复查验收）后计入调度表 D5",
            crate::report::monthly::Figure::Fen(fen).text()
        );
    }
    Ok(())
}
