//! Developer tasks (the cargo-xtask convention: `cargo xtask <task>`, see .cargo/config.toml).
//!
//! `cargo xtask dist [--target TRIPLE]…` builds the release archives into target/dist/:
//! paicha-<version>-<triple>.zip (Windows) / .tar.gz (Linux), each with a top folder
//! paicha-<version>/ holding the binary, the manual (docs/manual/使用手册.html, when present)
//! and a sample enterprise roster; then SHA256SUMS over the archives. Linux binaries are
//! linked against glibc 2.28 and checked to need nothing newer.

mod archive;
mod elf;
mod targets;

use archive::Entry;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use targets::{GLIBC_FLOOR, Target};

const MANUAL: &str = "docs/manual/使用手册.html";
const SAMPLE_ROSTER: &str = "xtask/assets/示例企业名册.csv";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dist") => parse_targets(&args[1..]).and_then(|t| dist(&t)),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("错误：{message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "用法：cargo xtask dist [--target 目标三元组]…
  构建发行包到 target/dist/：x86_64-pc-windows-gnu（.zip）、x86_64-unknown-linux-gnu 与
  aarch64-unknown-linux-gnu（.tar.gz），以及 SHA256SUMS。不带 --target 时构建全部三个。";

fn parse_targets(args: &[String]) -> Result<Vec<Target>, String> {
    let mut chosen = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--target" => {
                let triple = rest.next().ok_or_else(|| USAGE.to_string())?;
                let target = Target::parse(triple)
                    .ok_or_else(|| format!("不支持的目标 {triple}\n{USAGE}"))?;
                chosen.push(target);
            }
            _ => return Err(format!("无法识别的参数 {arg}\n{USAGE}")),
        }
    }
    Ok(if chosen.is_empty() {
        targets::ALL.to_vec()
    } else {
        chosen
    })
}

fn dist(chosen: &[Target]) -> Result<(), String> {
    let root = workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let missing = targets::missing_pieces(chosen);
    if !missing.is_empty() {
        let mut msg = String::from("缺少以下构建工具，未构建任何发行包：");
        for m in &missing {
            msg.push_str(&format!("\n  - {}\n      安装：{}", m.what, m.fix));
        }
        msg.push_str("\n也可以用 --target 只构建工具已齐全的目标。");
        return Err(msg);
    }
    let version = package_version(&root)?;
    let top = format!("paicha-{version}");
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let out_dir = target_dir.join("dist");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("无法创建 {}：{e}", out_dir.display()))?;
    let extras = extra_files(&root)?;
    let mtime = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);

    let mut archives = Vec::new();
    for &target in chosen {
        println!("== 构建 {}", target.triple());
        let status = target
            .build_command(&cargo)
            .current_dir(&root)
            .status()
            .map_err(|e| format!("无法运行 cargo：{e}"))?;
        if !status.success() {
            return Err(format!("{} 构建失败", target.triple()));
        }
        let binary = target.built_binary(&target_dir);
        let bytes =
            std::fs::read(&binary).map_err(|e| format!("读不到 {}：{e}", binary.display()))?;
        if !target.is_windows() {
            check_glibc(target, &bytes)?;
        }
        println!(
            "   {}：{}",
            target.exe_name(),
            megabytes(bytes.len() as u64)
        );
        check_size(target, bytes.len() as u64)?;
        let mut entries = vec![Entry {
            name: target.exe_name().into(),
            bytes,
            executable: true,
        }];
        entries.extend(extras.iter().map(|(name, bytes)| Entry {
            name: name.clone(),
            bytes: bytes.clone(),
            executable: false,
        }));
        let stem = format!("{top}-{}", target.triple());
        let (path, written) = if target.is_windows() {
            let path = out_dir.join(format!("{stem}.zip"));
            let w = archive::write_zip(&path, &top, &entries, mtime);
            (path, w)
        } else {
            let path = out_dir.join(format!("{stem}.tar.gz"));
            let w = archive::write_tar_gz(&path, &top, &entries, mtime);
            (path, w)
        };
        written.map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        println!("   {}：{}", path.display(), megabytes(size));
        archives.push(path);
    }

    let refs: Vec<&Path> = archives.iter().map(PathBuf::as_path).collect();
    let sums = archive::sha256sums(&refs).map_err(|e| format!("无法计算校验和：{e}"))?;
    let sums_path = out_dir.join("SHA256SUMS");
    std::fs::write(&sums_path, sums)
        .map_err(|e| format!("无法写入 {}：{e}", sums_path.display()))?;
    println!("== 完成：{}（含 SHA256SUMS）", out_dir.display());
    Ok(())
}

/// The size budget of a shipped binary (issue 18): inspectors' laptops take it from a USB
/// stick or a chat group, and it grows with every crate. docs/performance.md says where the
/// bytes go and what was done to stay within it.
const SIZE_BUDGET: u64 = 8_000_000;

/// Refuses a binary over the size budget, so that a change that breaks it fails in CI.
fn check_size(target: Target, size: u64) -> Result<(), String> {
    if size > SIZE_BUDGET {
        return Err(format!(
            "{} 的程序 {} 超出体积预算 {}：请先看 docs/performance.md（“Binary size”）中各部分的大小",
            target.triple(),
            megabytes(size),
            megabytes(SIZE_BUDGET)
        ));
    }
    Ok(())
}

/// Refuses a Linux binary that needs a glibc newer than the floor.
fn check_glibc(target: Target, elf: &[u8]) -> Result<(), String> {
    let (floor_major, floor_minor) = GLIBC_FLOOR;
    match elf::max_glibc_needed(elf).map_err(|e| format!("{}：{e}", target.triple()))? {
        Some((major, minor)) if (major, minor) > GLIBC_FLOOR => Err(format!(
            "{} 需要 GLIBC_{major}.{minor}，高于 {floor_major}.{floor_minor}：在统信 UOS 20、麒麟 V10 上无法运行",
            target.triple()
        )),
        Some((major, minor)) => {
            println!("   glibc：最高需要 {major}.{minor}（上限 {floor_major}.{floor_minor}）");
            Ok(())
        }
        None => Ok(()),
    }
}

/// The files shipped beside the binary: the manual (if written yet) and the sample roster.
fn extra_files(root: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    match std::fs::read(root.join(MANUAL)) {
        Ok(bytes) => files.push(("使用手册.html".to_string(), bytes)),
        Err(_) => eprintln!("警告：没有 {MANUAL}，发行包中不含使用手册"),
    }
    let roster = std::fs::read(root.join(SAMPLE_ROSTER))
        .map_err(|e| format!("读不到示例企业名册 {SAMPLE_ROSTER}：{e}"))?;
    files.push(("示例企业名册.csv".to_string(), roster));
    Ok(files)
}

fn workspace_root() -> PathBuf {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().unwrap_or(xtask_dir).to_path_buf()
}

/// The `version` of the root Cargo.toml's [package] section.
fn package_version(root: &Path) -> Result<String, String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("读不到 Cargo.toml：{e}"))?;
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && let Some(value) = line.strip_prefix("version") {
            let value = value.trim_start().trim_start_matches('=').trim();
            return Ok(value.trim_matches('"').to_string());
        }
    }
    Err("Cargo.toml 的 [package] 中没有 version".into())
}

fn megabytes(bytes: u64) -> String {
    format!("{:.2} MB（{bytes} 字节）", bytes as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_over_the_size_budget_is_refused_naming_its_target() {
        assert!(check_size(Target::LinuxX64, SIZE_BUDGET).is_ok());
        let refused = check_size(Target::WindowsX64, SIZE_BUDGET + 1).expect_err("over budget");
        assert!(refused.contains("x86_64-pc-windows-gnu"), "{refused}");
        assert!(refused.contains("超出体积预算"), "{refused}");
    }
}
