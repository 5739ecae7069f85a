//! `paicha config …`: the built-in configuration written out as files, the starting point of a
//! county's own config directory (`--config-dir` / `PAICHA_CONFIG_DIR`).

use crate::storage::error::describe_io;
use crate::templates::catalog::BUILTIN;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// 把内置配置（专项行动、规则、行业领域、检查表、题库、表单）原样导出到一个目录，作为本县配置目录的起点
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// 导出到的目录（不存在时自动建立）
    #[arg(value_name = "目录")]
    pub dir: PathBuf,
    /// 目录中已有同名文件时用内置配置覆盖（默认拒绝，什么也不写）
    #[arg(long)]
    pub force: bool,
}

pub fn run(cmd: &ConfigCommand) -> anyhow::Result<()> {
    match cmd {
        ConfigCommand::Export(args) => {
            let report = export(&args.dir, args.force)?;
            print!("{}", describe(&args.dir, &report));
            Ok(())
        }
    }
}

/// The embedded configuration as (path relative to a config dir, text): `config/` stripped,
/// so `checklists/duties.toml` lands where the loader looks for it.
pub fn builtin_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    BUILTIN
        .iter()
        .map(|(path, text)| (path.strip_prefix("config/").unwrap_or(path), text.as_str()))
}

/// What an export wrote.
#[derive(Debug)]
pub struct Exported {
    /// Relative paths, in the order of `BUILTIN`.
    pub written: Vec<&'static str>,
    /// Those of them that replaced an existing file (only with `force`).
    pub replaced: Vec<&'static str>,
}

/// Writes every embedded file under `dir`. Everything is checked before the first write: an
/// existing target refuses the whole export unless `force`, and a target that cannot be a file
/// (a folder in its place) refuses it even then.
pub fn export(dir: &Path, force: bool) -> anyhow::Result<Exported> {
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!("{} 已存在但不是目录，未写入任何文件", dir.display());
    }
    let mut folders: Vec<PathBuf> = Vec::new();
    let mut existing: Vec<&'static str> = Vec::new();
    for (rel, _) in builtin_files() {
        let target = dir.join(rel);
        if let Some(parent) = target.parent()
            && parent != dir
            && !folders.iter().any(|f| f == parent)
        {
            if parent.exists() && !parent.is_dir() {
                anyhow::bail!(
                    "{} 已存在但不是目录，无法在其中写入配置文件；未写入任何文件",
                    parent.display()
                );
            }
            folders.push(parent.to_path_buf());
        }
        match std::fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => anyhow::bail!(
                "{} 是一个目录，无法写成配置文件；未写入任何文件",
                target.display()
            ),
            Ok(_) => existing.push(rel),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => anyhow::bail!(
                "无法查看 {}：{}；未写入任何文件",
                target.display(),
                describe_io(&e)
            ),
        }
    }
    if !existing.is_empty() && !force {
        let list: Vec<String> = existing.iter().map(|r| format!("  {r}")).collect();
        anyhow::bail!(
            "目录 {} 中已有 {} 个同名文件，为免覆盖本县修改过的配置，未写入任何文件：\n{}\n确需用内置配置覆盖它们，请先备份，再加 --force 重新导出。",
            dir.display(),
            existing.len(),
            list.join("\n")
        );
    }

    let mut written = Vec::new();
    let failed = |path: &Path, e: &std::io::Error, written: &[&str]| {
        anyhow::anyhow!(
            "写入 {} 失败：{}（此前已写入 {} 个文件）",
            path.display(),
            describe_io(e),
            written.len()
        )
    };
    for folder in std::iter::once(dir.to_path_buf()).chain(folders) {
        std::fs::create_dir_all(&folder).map_err(|e| failed(&folder, &e, &written))?;
    }
    for (rel, text) in builtin_files() {
        let target = dir.join(rel);
        write_file(&target, text.as_bytes(), force).map_err(|e| failed(&target, &e, &written))?;
        written.push(rel);
    }
    Ok(Exported {
        written,
        replaced: existing,
    })
}

/// Writes one file durably. Without `force` it never replaces a file, even one that appeared
/// after the check.
fn write_file(path: &Path, bytes: &[u8], force: bool) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// What was written and how to use the folder, in Chinese.
fn describe(dir: &Path, report: &Exported) -> String {
    let shown = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let arg = quoted(&shown.display().to_string());
    let mut s = format!(
        "已把内置配置导出到 {}，共 {} 个文件：\n",
        shown.display(),
        report.written.len()
    );
    for rel in &report.written {
        let note = if report.replaced.contains(rel) {
            "（覆盖了原有文件）"
        } else {
            ""
        };
        s.push_str(&format!("  {rel}{note}\n"));
    }
    s.push_str(&format!(
        "\n使用方法：\n\
         · 修改其中的文件后，用 paicha --config-dir {arg} 加命令使用这个配置目录，\
         或设置环境变量 PAICHA_CONFIG_DIR={arg}；\n\
         · 部署前先检查：paicha --config-dir {arg} checklist list（有错误时逐条列出“文件:行:列: 说明”）；\n\
         · 修改检查表（checklists/）、题库（exams/）或表单（forms/）的内容后，必须把该文件的 version 提高\
         （如 1 改为 2），否则会被拒绝；已完成的检查保存了当时的检查项原文，不受影响；\n\
         · 不需要修改的文件建议删除，删除后自动使用内置版本；保留未修改的旧副本，程序升级后内置版本\
         提高时会被拒绝，campaign.toml、rules.toml、sectors.toml 的旧副本则会挡住新的内置内容。\n"
    ));
    s
}

/// A path as one shell word, for the hints.
fn quoted(path: &str) -> String {
    if path
        .chars()
        .any(|c| c.is_whitespace() || "'\"$`\\;&|<>()*?".contains(c))
    {
        format!("\"{path}\"")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_file_has_a_path_under_the_config_dir() {
        let rels: Vec<&str> = builtin_files().map(|(r, _)| r).collect();
        assert_eq!(rels.len(), BUILTIN.len());
        assert!(rels.iter().all(|r| !r.starts_with("config/")), "{rels:?}");
        assert!(rels.contains(&"checklists/duties.toml"));
        assert!(rels.contains(&"campaign.toml"));
    }

    #[test]
    fn a_path_with_spaces_is_quoted_in_the_hints() {
        assert_eq!(quoted("/tmp/本县配置"), "/tmp/本县配置");
        assert_eq!(quoted("/tmp/本县 配置"), "\"/tmp/本县 配置\"");
    }
}
