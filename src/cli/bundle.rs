//! `paicha export`, `paicha import`, `paicha keys`: findings bundles between laptops and the
//! office, and this device's public key.

use crate::bundle::{self, ExportOptions, ImportLimits};
use crate::storage::Store;
use crate::storage::bundle::import::ImportReport;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// 数据包文件（扩展名 .paicha）
    #[arg(long, value_name = "文件")]
    out: PathBuf,
    /// 导出全部已定稿记录（默认只导出上次导出到同一文件以来的）
    #[arg(long, conflicts_with = "since")]
    all: bool,
    /// 导出此日期（含）以来定稿的记录，格式 2023-09-15
    #[arg(long, value_name = "日期")]
    since: Option<String>,
    /// 办公室导出当前台账（企业、隐患及其办理记录）给现场电脑
    #[arg(long)]
    ledger: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 要导入的数据包（可多个，逐个导入，每个要么全部导入要么完全不导入）
    #[arg(value_name = "文件", required_unless_present_any = ["log", "held", "retry_held", "release_held", "reject_held"])]
    files: Vec<PathBuf>,
    /// 只检查并列出将导入的内容，不写入
    #[arg(long)]
    dry_run: bool,
    /// 只接受已登记公钥的检查人员签名的数据包
    #[arg(long)]
    strict: bool,
    /// 接受名册中没有（或本机首次见到规则不接受）的公钥：先不带此项导入，看清是谁、哪把公钥（指纹）再用
    #[arg(long, conflicts_with = "strict")]
    trust_new_keys: bool,
    /// 首次信任办公室：在办公室当面核对过的办公室指纹（paicha office show 显示）
    #[arg(long, value_name = "指纹")]
    office_fingerprint: Option<String>,
    /// 办公室锚定密钥丢失、重建名册后：改为信任新指纹的办公室（旧名册留作历史）
    #[arg(long, requires = "office_fingerprint")]
    retrust: bool,
    /// 显示导入记录
    #[arg(long, conflicts_with_all = ["dry_run", "strict", "trust_new_keys"])]
    log: bool,
    /// 列出留待复核的数据包
    #[arg(long, conflicts_with_all = ["dry_run", "strict", "trust_new_keys", "log"])]
    held: bool,
    /// 重新导入留待复核的数据包（登记或复核公钥之后）
    #[arg(long, conflicts_with_all = ["dry_run", "strict", "trust_new_keys", "log", "held"])]
    retry_held: bool,
    /// 办公室复核后接受：导入指定的留待复核数据包，其中已吊销公钥签名的记录记入名册为“复核接受”
    #[arg(long, value_name = "SHA-256", conflicts_with_all = ["dry_run", "strict", "trust_new_keys", "log", "held", "retry_held"])]
    release_held: Option<String>,
    /// 复核后不接受：指定的留待复核数据包不导入（文件仍保留作为证据）
    #[arg(long, value_name = "SHA-256", conflicts_with_all = ["dry_run", "strict", "trust_new_keys", "log", "held", "retry_held", "release_held"])]
    reject_held: Option<String>,
}

#[derive(Debug, Args)]
pub struct KeysArgs {
    /// 把本机执法人员的公钥写入文件（交给办公室登记）
    #[arg(long, value_name = "文件")]
    export: Option<PathBuf>,
}

pub fn export(args: ExportArgs, store: &mut Store) -> anyhow::Result<()> {
    let since = match args.since.as_deref() {
        Some(text) => {
            let day = super::typed_day(text, "--since ")?;
            let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
            Some(crate::domain::time::from_local(midnight))
        }
        None => None,
    };
    let options = ExportOptions {
        all: args.all,
        since,
        ledger: args.ledger,
    };
    let summary = bundle::export(store, &args.out, &options)?;
    for line in bundle::export_lines(&summary) {
        println!("{line}");
    }
    Ok(())
}

pub fn import(args: ImportArgs, store: &mut Store) -> anyhow::Result<()> {
    if args.log {
        return show_log(store);
    }
    if args.held {
        return show_held(store);
    }
    if args.retry_held {
        return retry_held(store);
    }
    if let Some(sha) = &args.release_held {
        if !store.is_office()? {
            anyhow::bail!("只有办公室能复核接受已吊销公钥签名的记录");
        }
        let report = bundle::held::release(store, sha)?;
        println!("已复核接受并导入（名册已记录接受的记录）：");
        for line in bundle::import_lines(&report) {
            println!("  {line}");
        }
        return Ok(());
    }
    if let Some(sha) = &args.reject_held {
        let name = bundle::held::reject(store, sha)?;
        println!("{name}：复核后不予导入（文件仍保留在数据目录的 held 文件夹中）");
        return Ok(());
    }
    let trust = bundle::Trust {
        strict: args.strict,
        new_keys: args.trust_new_keys,
        office_fingerprint: args.office_fingerprint.clone(),
        retrust: args.retrust,
        release_revoked: false,
    };
    let (mut refused, mut held) = (0, 0);
    for file in &args.files {
        match bundle::import_with_progress(
            store,
            file,
            trust.clone(),
            args.dry_run,
            None,
            ImportLimits::default(),
            &|_, _| {},
        ) {
            Ok(report) => print_report(file, &report, args.dry_run),
            Err(e) => match bundle::held::held_reason(&e) {
                Some(reason) if !args.dry_run => {
                    held += 1;
                    let reason = reason.to_string();
                    bundle::held::hold(store, file, &reason)?;
                    eprintln!(
                        "{}：留待复核，没有导入。{reason}\n（数据包已存入数据目录的 held 文件夹；内勤处理公钥后用 paicha import --retry-held 重新导入）",
                        file.display()
                    );
                }
                _ => {
                    refused += 1;
                    let _ = crate::bundle::read::log_refusal(store, file, &e.to_string());
                    eprintln!("{}：已拒绝。{e}", file.display());
                }
            },
        }
    }
    // At the office, a key taken knowingly is enrolled, so the laptops that receive the ledger
    // take its records too (they would otherwise refuse a key the roster does not know).
    if args.trust_new_keys && !args.dry_run {
        for who in store.enrol_trusted_keys()? {
            println!("已登记到人员名册（检查人员）：{who}");
        }
    }
    if refused + held > 0 {
        anyhow::bail!("{refused} 个数据包被拒绝、{held} 个留待复核，本机数据未因它们改变");
    }
    Ok(())
}

fn print_report(file: &std::path::Path, report: &ImportReport, dry_run: bool) {
    let verb = if dry_run {
        "试运行（未写入）"
    } else {
        "已导入"
    };
    println!("{}：{verb}", file.display());
    for line in bundle::import_lines(report) {
        println!("  {line}");
    }
}

fn show_held(store: &Store) -> anyhow::Result<()> {
    let held = store.held_bundles()?;
    if held.is_empty() {
        println!("没有留待复核的数据包");
        return Ok(());
    }
    for h in held {
        let state = match h.resolution.as_deref() {
            Some("imported") => "已导入",
            Some(_) => "已拒绝",
            None => "待复核",
        };
        println!(
            "{}  {state}  {}  SHA-256 {}\n  原因：{}",
            h.held_at, h.file_name, h.sha256, h.reason
        );
    }
    Ok(())
}

fn retry_held(store: &mut Store) -> anyhow::Result<()> {
    let results = bundle::held::retry_all(store)?;
    if results.is_empty() {
        println!("没有待复核的数据包");
    }
    for (name, outcome) in results {
        match outcome {
            bundle::held::Retry::Imported(report) => {
                println!("{name}：已导入");
                for line in bundle::import_lines(&report) {
                    println!("  {line}");
                }
            }
            bundle::held::Retry::StillHeld(reason) => println!("{name}：仍留待复核。{reason}"),
            bundle::held::Retry::Refused(reason) => println!("{name}：被拒绝。{reason}"),
        }
    }
    Ok(())
}

fn show_log(store: &Store) -> anyhow::Result<()> {
    let entries = store.import_log()?;
    let refused = crate::bundle::read::refusals(store)?;
    if entries.is_empty() && refused.is_empty() {
        println!("还没有导入过数据包");
        return Ok(());
    }
    for e in entries {
        println!(
            "{}  {}  {}  {}  SHA-256 {}",
            e.imported_at, e.result, e.file_name, e.imported_by, e.sha256
        );
    }
    for line in refused {
        println!("{line}");
    }
    Ok(())
}

pub fn keys(args: KeysArgs, store: &mut Store) -> anyhow::Result<()> {
    let card = store.key_card()?;
    println!(
        "执法人员：{}\n人员编号：{}\n公钥（ed25519）：{}",
        card.name, card.inspector_id, card.public_key
    );
    if let Some(path) = args.export {
        card.write(&path).map_err(anyhow::Error::msg)?;
        println!("已写入 {}", path.display());
    }
    Ok(())
}
