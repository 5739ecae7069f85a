//! `paicha backup` and `paicha restore`: the whole data dir (records, attachments, roster) in
//! one file encrypted with a passphrase; no private key in it.

use crate::backup::{self, BackupError};
use crate::storage::Store;
use age::secrecy::SecretString;
use anyhow::Context;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// 备份文件（如 U 盘上的 E:\paicha-备份.age）；已有的旧备份文件会被替换
    #[arg(long, value_name = "文件")]
    pub out: PathBuf,
    /// 从文件第一行读取口令（供脚本使用；不给出时在终端输入两次）
    #[arg(long, value_name = "文件")]
    pub passphrase_file: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// 备份文件
    #[arg(value_name = "备份文件")]
    pub file: PathBuf,
    /// 从文件第一行读取口令（供脚本使用；不给出时在终端输入）
    #[arg(long, value_name = "文件")]
    pub passphrase_file: Option<PathBuf>,
}

pub fn backup(args: BackupArgs, store: &mut Store) -> anyhow::Result<()> {
    let passphrase = match &args.passphrase_file {
        Some(file) => backup::passphrase(from_file(file)?)?,
        None => {
            let first = super::passphrase::ask("备份口令（至少 8 个字符，输入时不显示）：")?;
            let checked = backup::passphrase(first)?;
            let again = super::passphrase::ask("再输入一次：")?;
            if again.as_str() != expose(&checked) {
                anyhow::bail!("两次输入的口令不一致，没有备份");
            }
            checked
        }
    };
    eprintln!("正在备份（数据库、附件）并读回校验……");
    let summary = backup::backup(store, &args.out, &passphrase, &mut |_, _| {})
        .map_err(|e| anyhow::anyhow!(message(e)))?;
    for line in crate::app::screens::backup::done_lines(&summary) {
        println!("{line}");
    }
    Ok(())
}

pub fn restore(args: RestoreArgs, data_dir: &Path) -> anyhow::Result<()> {
    let passphrase = match &args.passphrase_file {
        Some(file) => SecretString::from(from_file(file)?),
        None => SecretString::from(super::passphrase::ask("备份口令（输入时不显示）：")?),
    };
    let clock = std::sync::Arc::new(crate::domain::SystemClock);
    let summary = backup::restore(&args.file, data_dir, &passphrase, clock)
        .map_err(|e| anyhow::anyhow!(message(e)))?;
    println!("已恢复到 {}", summary.data_dir.display());
    println!(
        "  备份时间 {}，附件 {} 个",
        crate::domain::time::local(summary.taken_at).format("%Y-%m-%d %H:%M"),
        summary.attachments
    );
    println!("  本机新的设备标识：{}", summary.new_device);
    match (&summary.profile, &summary.key_fingerprint) {
        (Some(name), Some(fp)) => {
            println!("  执法人员 {name} 在本机使用新的签名密钥，指纹 {fp}");
            println!(
                "  请把新公钥交内勤登记（界面首页 m 再按 e，或 paicha keys --export 文件）；\
                 此前已签名的记录仍然有效"
            );
        }
        _ => println!("  备份中没有本机执法人员档案：请先设置档案（界面首页 p）"),
    }
    Ok(())
}

/// The first line of `file`, without its line end.
fn from_file(file: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("无法读取口令文件 {}", file.display()))?;
    Ok(text.lines().next().unwrap_or_default().to_string())
}

fn expose(s: &SecretString) -> &str {
    use age::secrecy::ExposeSecret;
    s.expose_secret()
}

fn message(e: BackupError) -> String {
    e.to_string()
}
