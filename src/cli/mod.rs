//! Command-line interface. `paicha` alone opens the TUI; subcommands do one job each.

mod action;
mod activity;
mod attachment;
mod backup;
mod bundle;
mod checklist;
mod config;
mod correction;
mod demo;
mod doc;
mod enterprise;
mod hazard;
mod inspection;
mod ledger;
mod manual;
mod office;
mod passphrase;
mod profile;
mod report;
mod report_lists;
pub mod table;

use crate::domain::SystemClock;
use crate::storage::Store;
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Parser)]
#[command(
    name = "paicha",
    version,
    about = "排查 paicha：重大事故隐患专项排查整治的现场检查、隐患台账与报表工具",
    long_about = None
)]
pub struct Cli {
    /// 数据目录（也可用环境变量 PAICHA_DATA_DIR 指定；默认为本机用户数据目录下的 paicha）
    #[arg(
        long,
        global = true,
        env = "PAICHA_DATA_DIR",
        hide_env = true,
        value_name = "目录"
    )]
    pub data_dir: Option<PathBuf>,

    /// 配置目录，其中的检查表、题库等覆盖或补充内置配置（也可用环境变量 PAICHA_CONFIG_DIR 指定；默认为本机用户配置目录下的 paicha）
    #[arg(
        long,
        global = true,
        env = "PAICHA_CONFIG_DIR",
        hide_env = true,
        value_name = "目录"
    )]
    pub config_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查表：列出、查看、校验
    #[command(subcommand)]
    Checklist(checklist::ChecklistCommand),
    /// 配置：把内置配置导出为本县配置目录的起点
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// 企业名册：导入、查看
    #[command(subcommand)]
    Enterprise(enterprise::EnterpriseCommand),
    /// 隐患台账：列出、查看、编号（不带子命令时列出）
    Ledger(ledger::LedgerArgs),
    /// 隐患：办公室登记、办理闭环各步
    #[command(subcommand)]
    Hazard(hazard::HazardCommand),
    /// 检查记录：列出、查看
    #[command(subcommand)]
    Inspection(inspection::InspectionCommand),
    /// 本机执法人员档案：查看、设置
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
    /// 导出数据包（已定稿的检查、隐患等，带签名），交给办公室或现场电脑
    Export(bundle::ExportArgs),
    /// 导入数据包：先全部校验，再一次性导入；有任何问题则整个数据包不导入
    Import(bundle::ImportArgs),
    /// 本机执法人员的签名公钥：查看、导出
    Keys(bundle::KeysArgs),
    /// 办公室：建立人员名册（锚定密钥）、查看指纹、更换锚定密钥
    #[command(subcommand)]
    Office(office::OfficeCommand),
    /// 人员名册：人员、角色、公钥、设备文书编号前缀（只在办公室修改）
    #[command(subcommand)]
    Roster(office::RosterCommand),
    /// 执法措施：列出、更正（更正另存为新记录）
    #[command(subcommand)]
    Action(action::ActionCommand),
    /// 工作活动登记（调度表 C1 和 D 栏）：登记、列出
    #[command(subcommand)]
    Activity(activity::ActivityCommand),
    /// 附件：照片、视频、扫描件（添加、列出、导出），原样保存，作为证据签名
    #[command(subcommand)]
    Attachment(attachment::AttachmentCommand),
    /// 在空的数据目录中载入演示数据（企业、检查、隐患、执法措施、工作活动）
    Demo(demo::DemoArgs),
    /// 执法文书：现场检查记录、责令限期整改指令书、整改复查意见书（HTML，浏览器打印）
    #[command(subcommand)]
    Doc(doc::DocCommand),
    /// 报表：月度进展情况调度表、每月重大事故隐患清单、信息公开清单
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// 备份：把本机全部记录和附件写成一个用口令加密的文件（界面开着也可以；不含私钥）
    Backup(backup::BackupArgs),
    /// 恢复：把备份文件恢复到空的数据目录（本机随后使用新的设备标识和新密钥）
    Restore(backup::RestoreArgs),
    /// 使用手册：写到本人的“文档”文件夹并用浏览器打开（可打印，A4）
    Manual(manual::ManualArgs),
}

/// The `--format` of the listing commands that print a table, CSV or JSON.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct TableFormat {
    /// 输出格式：table 对齐的表格（默认）、csv、json
    #[arg(
        long,
        value_enum,
        default_value = "table",
        value_name = "格式",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub format: Format,
}

/// Output formats shared by listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// 对齐的表格（终端查看）
    Table,
    /// CSV（UTF-8 带 BOM，Excel/WPS 可直接打开）
    Csv,
    /// JSON（英文键名，供其他程序使用）
    Json,
}

/// Chinese headings, usage and flags for clap's help on every (sub)command. `parent` is the
/// command path above `cmd` ("" for the root).
fn localize(cmd: clap::Command, parent: &str) -> clap::Command {
    let path = format!("{parent} {}", cmd.get_name()).trim().to_string();
    let mut usage = format!("{path} [选项]");
    let mut template = String::from("{about-with-newline}\n用法：{usage}\n");
    if cmd.get_subcommands().next().is_some() {
        template.push_str("\n命令：\n{subcommands}\n");
    }
    for positional in cmd.get_positionals() {
        let name = positional
            .get_value_names()
            .and_then(|names| names.first())
            .map(|n| n.to_string())
            .unwrap_or_else(|| positional.get_id().to_string());
        usage.push_str(&format!(" <{name}>"));
    }
    if cmd.get_positionals().next().is_some() {
        template.push_str("\n参数：\n{positionals}\n");
    }
    if cmd.get_subcommands().next().is_some() {
        usage.push_str(if cmd.is_subcommand_required_set() {
            " <命令>"
        } else {
            " [命令]"
        });
    }
    template.push_str("\n选项：\n{options}\n");
    let has_version = cmd.get_version().is_some();
    let cmd = cmd
        .help_template(template)
        .override_usage(usage)
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        )
        .mut_subcommands(|sub| localize(sub, &path));
    if has_version {
        cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        )
    } else {
        cmd
    }
}

/// Parses the command line, runs the command, and turns errors into Chinese messages and a
/// non-zero exit code.
pub fn main() -> ExitCode {
    let matches = match localize(Cli::command(), "").try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                let _ = e.print(); // our Chinese help, since a subcommand is needed
                return ExitCode::from(2);
            }
            eprintln!(
                "命令行参数有误：{}\n用 paicha --help 查看用法。",
                usage_error(&e)
            );
            return ExitCode::from(2);
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => {
            eprintln!("命令行参数有误：{e}");
            return ExitCode::from(2);
        }
    };
    let command = command_path(&matches);
    if let Some(dir) = cli
        .data_dir
        .clone()
        .or_else(|| crate::paths::default_data_dir().ok())
    {
        crate::support_log::init(&dir);
    }
    let outcome = run(cli);
    match outcome {
        Ok(()) => {
            tracing::info!(command = command.as_str(), "command done");
            ExitCode::SUCCESS
        }
        // `paicha enterprise list | head`: the reader left; nothing to report.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Kinds only: the Chinese text often quotes names and paths (support_log).
            let kinds = crate::support_log::error_kinds(&e);
            tracing::error!(
                command = command.as_str(),
                error = kinds.as_str(),
                "command failed"
            );
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The subcommand names the user ran, `hazard add` (`tui` for none): code, never user input.
fn command_path(matches: &clap::ArgMatches) -> String {
    let mut names = Vec::new();
    let mut at = matches;
    while let Some((name, sub)) = at.subcommand() {
        names.push(name);
        at = sub;
    }
    if names.is_empty() {
        "tui".into()
    } else {
        names.join(" ")
    }
}

/// A command-line mistake in Chinese, from clap's structured error.
fn usage_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let suggestion = match get(ContextKind::SuggestedSubcommand) + &get(ContextKind::SuggestedArg) {
        s if s.is_empty() => String::new(),
        s => format!("，是不是要用“{s}”？"),
    };
    match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let valid = get(ContextKind::ValidValue);
            let valid = if valid.is_empty() {
                String::new()
            } else {
                format!("，可选：{valid}")
            };
            format!(
                "{} 的值“{}”无效{valid}",
                get(ContextKind::InvalidArg),
                get(ContextKind::InvalidValue)
            )
        }
        ErrorKind::UnknownArgument => {
            format!("不认识的参数“{}”{suggestion}", get(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidSubcommand => {
            format!(
                "不认识的命令“{}”{suggestion}",
                get(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::MissingRequiredArgument => {
            format!("缺少必需的参数：{}", get(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand => "缺少子命令".to_string(),
        ErrorKind::ArgumentConflict => {
            format!("参数 {} 不能同时使用", get(ContextKind::InvalidArg))
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {} 的值个数不对", get(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文字".to_string(),
        _ => "无法识别".to_string(),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe))
            // The JSON writer wraps the I/O error in its own type.
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

fn run(cli: Cli) -> anyhow::Result<()> {
    // Needs neither a data dir nor an existing config dir: it may create the one named.
    if let Some(Command::Config(cmd)) = &cli.command {
        return config::run(cmd);
    }
    let data_dir = match cli.data_dir {
        Some(dir) => dir,
        None => crate::paths::default_data_dir().map_err(anyhow::Error::msg)?,
    };
    // Opens no database: the data dir is only where the manual goes without a Documents folder.
    if let Some(Command::Manual(args)) = &cli.command {
        return manual::run(args, &data_dir);
    }
    // A config dir the user named must exist; the default one may not (nothing customised).
    if let Some(dir) = cli.config_dir.as_deref().filter(|d| !d.is_dir()) {
        anyhow::bail!(
            "配置目录 {} 不存在（由 --config-dir 或 PAICHA_CONFIG_DIR 指定）",
            dir.display()
        );
    }
    let config_dir = cli
        .config_dir
        .or_else(crate::templates::catalog::default_config_dir);
    match cli.command {
        None => crate::app::run(&data_dir, config_dir.as_deref()),
        Some(Command::Checklist(cmd)) => checklist::run(cmd, config_dir.as_deref()),
        Some(Command::Config(cmd)) => config::run(&cmd),
        Some(Command::Enterprise(cmd)) => enterprise::run(cmd, &data_dir, config_dir.as_deref()),
        Some(Command::Profile(cmd)) => profile::run(cmd, &mut open(&data_dir)?),
        Some(Command::Inspection(cmd)) => {
            let catalog = catalog(config_dir.as_deref())?;
            let mut store = open(&data_dir)?;
            store.set_permissions(catalog.rules.permissions.clone());
            store.set_forms(catalog.forms.clone());
            inspection::run(cmd, &mut store)
        }
        Some(Command::Ledger(args)) => {
            let catalog = catalog(config_dir.as_deref())?;
            ledger::run(args, &mut open(&data_dir)?, &catalog)
        }
        Some(Command::Export(args)) => {
            let catalog = catalog(config_dir.as_deref())?;
            let mut store = open(&data_dir)?;
            store.set_attachment_rules(catalog.rules.attachments);
            bundle::export(args, &mut store)
        }
        Some(Command::Import(args)) => {
            let catalog = catalog(config_dir.as_deref())?;
            let mut store = open(&data_dir)?;
            store.set_permissions(catalog.rules.permissions.clone());
            store.set_forms(catalog.forms.clone());
            store.set_attachment_rules(catalog.rules.attachments);
            bundle::import(args, &mut store)
        }
        Some(Command::Office(cmd)) => office::run_office(cmd, &mut open(&data_dir)?),
        Some(Command::Roster(cmd)) => office::run_roster(cmd, &mut open(&data_dir)?),
        Some(Command::Keys(args)) => bundle::keys(args, &mut open(&data_dir)?),
        Some(Command::Action(cmd)) => {
            let catalog = catalog(config_dir.as_deref())?;
            let mut store = open(&data_dir)?;
            store.set_permissions(catalog.rules.permissions.clone());
            action::run(cmd, &mut store, &catalog.rules.money)
        }
        Some(Command::Activity(cmd)) => {
            let catalog = catalog(config_dir.as_deref())?;
            let mut store = open(&data_dir)?;
            // The county's permission table, as for the other records (it was the shipped one).
            store.set_permissions(catalog.rules.permissions.clone());
            activity::run(cmd, &mut store, &catalog)
        }
        Some(Command::Attachment(cmd)) => {
            let catalog = catalog(config_dir.as_deref())?;
            let mut store = open(&data_dir)?;
            store.set_permissions(catalog.rules.permissions.clone());
            attachment::run(cmd, &mut store, &catalog.rules.attachments)
        }
        Some(Command::Demo(args)) => {
            let catalog = catalog(config_dir.as_deref())?;
            demo::run(args, &mut open(&data_dir)?, &catalog)
        }
        Some(Command::Doc(cmd)) => {
            let catalog = catalog(config_dir.as_deref())?;
            doc::run(cmd, &mut open(&data_dir)?, &catalog)
        }
        Some(Command::Backup(args)) => backup::backup(args, &mut open(&data_dir)?),
        Some(Command::Restore(args)) => backup::restore(args, &data_dir),
        Some(Command::Report(cmd)) => {
            let catalog = catalog(config_dir.as_deref())?;
            report::run(cmd, &open(&data_dir)?, &catalog)
        }
        Some(Command::Hazard(cmd)) => {
            let catalog = catalog(config_dir.as_deref())?;
            hazard::run(cmd, &mut open(&data_dir)?, &catalog)
        }
        Some(Command::Manual(args)) => manual::run(&args, &data_dir),
    }
}

/// Loads the configuration (built-in plus the config dir), or every error in it.
pub fn catalog(config_dir: Option<&std::path::Path>) -> anyhow::Result<crate::templates::Catalog> {
    crate::templates::Catalog::load(config_dir, &[]).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        anyhow::anyhow!("配置有 {} 处错误：\n{}", errors.len(), list.join("\n"))
    })
}

/// A day as the user types it on the command line (`2023-9-5`, `2023.9.5`, `2023年9月5日`…),
/// for the option `what`.
pub fn typed_day(text: &str, what: &str) -> anyhow::Result<chrono::NaiveDate> {
    crate::domain::time::parse_day_loose(text)
        .ok_or_else(|| anyhow::anyhow!("{what}应为日期，如 2023-09-05 或 2023.9.5，不是“{text}”"))
}

/// An amount typed for the option `what` ("0.5", "0.5万元", "5000元"), in fen. 10 000 万元
/// and more is refused; above the configured ceiling `--confirm-large` must be given.
pub fn typed_amount(
    text: &str,
    what: &str,
    rules: &crate::domain::money::MoneyRules,
    confirm_large: bool,
) -> anyhow::Result<i64> {
    let fen = crate::domain::money::parse_wan(text).map_err(|e| anyhow::anyhow!("{what}：{e}"))?;
    confirm_amount(fen, what, rules, confirm_large)?;
    Ok(fen)
}

/// Refuses an amount above the ceiling unless `--confirm-large` was given.
pub fn confirm_amount(
    fen: i64,
    what: &str,
    rules: &crate::domain::money::MoneyRules,
    confirm_large: bool,
) -> anyhow::Result<()> {
    match rules.needs_confirmation(fen) {
        Some(why) if !confirm_large => anyhow::bail!(
            "{what}：{why}；核对无误请加 --confirm-large 再执行（上限见 rules.toml [money]）"
        ),
        _ => Ok(()),
    }
}

/// Opens the store in `data_dir` with the real clock.
pub fn open(data_dir: &std::path::Path) -> anyhow::Result<Store> {
    Ok(Store::open(data_dir, Arc::new(SystemClock))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        localize(Cli::command(), "").debug_assert();
    }

    /// Every (sub)command's help, rendered.
    fn all_helps(cmd: &mut clap::Command, out: &mut Vec<(String, String)>) {
        out.push((cmd.get_name().to_string(), cmd.render_help().to_string()));
        for sub in cmd.get_subcommands_mut() {
            all_helps(sub, out);
        }
    }

    #[test]
    fn help_is_chinese_on_every_level() {
        let mut cmd = localize(Cli::command(), "");
        cmd.build();
        let mut helps = Vec::new();
        all_helps(&mut cmd, &mut helps);
        assert!(helps.len() >= 7, "root, enterprise(+2), profile(+2)");
        for (name, help) in &helps {
            assert!(
                help.contains("用法：") && help.contains("选项：") && help.contains("显示帮助"),
                "{name}: {help}"
            );
            for english in [
                "Usage",
                "Options",
                "Commands",
                "Arguments",
                "Possible values",
                "[default",
                "[env",
                "Print help",
                "[OPTIONS]",
                "<COMMAND>",
            ] {
                assert!(!help.contains(english), "{name} shows {english:?}:\n{help}");
            }
        }
    }

    fn usage_error_for(args: &[&str]) -> String {
        let err = localize(Cli::command(), "")
            .try_get_matches_from(args)
            .expect_err("should be refused");
        usage_error(&err)
    }

    #[test]
    fn command_line_mistakes_are_explained_in_chinese() {
        assert_eq!(
            usage_error_for(&["paicha", "enterprise", "list", "--format", "xml"]),
            "--format <格式> 的值“xml”无效，可选：table、csv、json"
        );
        assert_eq!(
            usage_error_for(&["paicha", "enterprse"]),
            "不认识的命令“enterprse”，是不是要用“enterprise”？"
        );
        assert_eq!(
            usage_error_for(&["paicha", "--bogus"]),
            "不认识的参数“--bogus”"
        );
        assert_eq!(
            usage_error_for(&["paicha", "enterprise", "import"]),
            "缺少必需的参数：<文件>"
        );
    }
}
