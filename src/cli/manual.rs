//! `paicha manual`: the printable user manual (使用手册), embedded in the binary so that every
//! copy of paicha can hand it out, with no download and no network.

use anyhow::Context;
use clap::Args;
use std::path::{Path, PathBuf};

/// The manual itself: one self-contained HTML file, printed on A4 from a browser.
pub static MANUAL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    crate::embedded::inflate(crate::embedded_text!("docs/manual/使用手册.html"))
});

/// Its name in the Documents folder.
pub const FILE_NAME: &str = "使用手册.html";

#[derive(Debug, Args)]
pub struct ManualArgs {
    /// 写到这个文件（不打开）；不写时写到本人的“文档”文件夹并用浏览器打开
    #[arg(long, value_name = "文件")]
    pub out: Option<PathBuf>,
    /// 写到“文档”文件夹后只显示文件的完整路径，不打开
    #[arg(long, conflicts_with = "out")]
    pub print_path: bool,
}

pub fn run(args: &ManualArgs, data_dir: &Path) -> anyhow::Result<()> {
    if let Some(out) = &args.out {
        if out.is_dir() {
            anyhow::bail!("{} 是文件夹：请写明文件名，如 使用手册.html", out.display());
        }
        super::report::write_file(out, MANUAL.as_bytes())?;
        println!("已写入使用手册：{}", out.display());
        return Ok(());
    }
    let folder = crate::paths::documents_dir(data_dir);
    let path = place_in(&folder)?;
    if args.print_path {
        println!("{}", path.display());
        return Ok(());
    }
    println!("使用手册：{}", path.display());
    match crate::app::effects::open_detached(&path) {
        Ok(()) => println!("已用系统默认程序打开；在浏览器中按 Ctrl-P 打印（纸张 A4）。"),
        // The manual is written; only the opening failed, so say where it is and succeed.
        Err(e) => eprintln!("未能自动打开：{e}"),
    }
    Ok(())
}

/// Writes the manual into `folder` and returns where: `使用手册.html` when that name is free or
/// already holds this manual; otherwise (the user's own or an older version's file, which is
/// never overwritten) `使用手册（版本）.html`, then `使用手册（版本-2）.html` and on.
pub fn place_in(folder: &Path) -> anyhow::Result<PathBuf> {
    let version = env!("CARGO_PKG_VERSION");
    let names = std::iter::once(FILE_NAME.to_string())
        .chain(std::iter::once(format!("使用手册（{version}）.html")))
        .chain((2..=99).map(|n| format!("使用手册（{version}-{n}）.html")));
    for name in names {
        let path = folder.join(name);
        match std::fs::read(&path) {
            Ok(existing) if existing == MANUAL.as_bytes() => return Ok(path),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(folder)
                    .with_context(|| format!("无法建立文件夹 {}", folder.display()))?;
                super::report::write_file(&path, MANUAL.as_bytes())?;
                return Ok(path);
            }
            // A folder of that name, or a file that cannot be read: leave it, try the next name.
            Err(_) => continue,
        }
    }
    anyhow::bail!(
        "{} 中已有太多名为“使用手册”的其他文件：请用 paicha manual --out 文件 指定写到哪里",
        folder.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identical_manual_is_reused_and_a_different_file_is_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let first = place_in(dir.path()).expect("written");
        assert_eq!(first, dir.path().join(FILE_NAME));
        assert_eq!(std::fs::read_to_string(&first).expect("read"), *MANUAL);
        assert_eq!(place_in(dir.path()).expect("again"), first);

        std::fs::write(&first, "我自己的笔记").expect("own file");
        let second = place_in(dir.path()).expect("beside it");
        assert_ne!(second, first);
        assert!(second.to_string_lossy().contains(env!("CARGO_PKG_VERSION")));
        assert_eq!(
            std::fs::read_to_string(&first).expect("kept"),
            "我自己的笔记"
        );
        assert_eq!(std::fs::read_to_string(&second).expect("read"), *MANUAL);

        std::fs::write(&second, "旧版手册").expect("older");
        let third = place_in(dir.path()).expect("next");
        assert!(third != first && third != second, "{}", third.display());
        assert_eq!(std::fs::read_to_string(&third).expect("read"), *MANUAL);
    }
}
