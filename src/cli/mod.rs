//! Command-line interface. `paicha` alone opens the TUI; subcommands do one job each.

mod enterprise;
mod profile;
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
    /// 数据目录（默认：本机用户数据目录下的 paicha）
    #[arg(long, global = true, env = "PAICHA_DATA_DIR", value_name = "目录")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 企业名册：导入、查看
    #[command(subcommand)]
    Enterprise(enterprise::EnterpriseCommand),
    /// 本机执法人员档案：查看、设置
    #[command(subcommand)]
    Profile(profile::ProfileCommand),
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

/// Chinese headings for clap's help on every (sub)command.
fn localize(cmd: clap::Command) -> clap::Command {
    let mut template = String::from("{about-with-newline}\n用法：{usage}\n");
    if cmd.get_subcommands().next().is_some() {
        template.push_str("\n命令：\n{subcommands}\n");
    }
    if cmd.get_positionals().next().is_some() {
        template.push_str("\n参数：\n{positionals}\n");
    }
    template.push_str("\n选项：\n{options}\n");
    let has_version = cmd.get_version().is_some();
    let cmd = cmd
        .help_template(template)
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        )
        .mut_subcommands(localize);
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
    let matches = match localize(Cli::command()).try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            eprintln!("命令行参数有误（用 paicha --help 查看用法）：\n{e}");
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
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // `paicha enterprise list | head`: the reader left; nothing to report.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
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
    })
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let data_dir = match cli.data_dir {
        Some(dir) => dir,
        None => crate::paths::default_data_dir().map_err(anyhow::Error::msg)?,
    };
    match cli.command {
        None => crate::app::run(&data_dir),
        Some(Command::Enterprise(cmd)) => enterprise::run(cmd, &data_dir),
        Some(Command::Profile(cmd)) => profile::run(cmd, &mut open(&data_dir)?),
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
        localize(Cli::command()).debug_assert();
    }

    #[test]
    fn help_is_chinese_on_every_level() {
        let mut cmd = localize(Cli::command());
        let top = cmd.render_help().to_string();
        assert!(
            top.contains("用法：") && top.contains("命令：") && top.contains("选项："),
            "{top}"
        );
        assert!(
            !top.contains("Usage:") && !top.contains("Print help"),
            "{top}"
        );
        let mut cmd = localize(Cli::command());
        let sub = cmd
            .find_subcommand_mut("enterprise")
            .and_then(|c| c.find_subcommand_mut("import"))
            .map(|c| c.render_help().to_string())
            .unwrap_or_default();
        assert!(sub.contains("参数：") && sub.contains("显示帮助"), "{sub}");
    }
}
