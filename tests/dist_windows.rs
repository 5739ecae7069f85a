//! The Windows release build (x86_64-pc-windows-gnu, from `cargo xtask dist`) end to end under
//! Wine: demo data, the sample roster, an inspection, export, import into a second data dir, an
//! .xlsx report, and backup/restore when the CLI has them, all in folders whose names have
//! Chinese characters and spaces. Skipped without PAICHA_DIST_DIR (see support/dist.rs).

#[path = "support/dist.rs"]
mod dist;

use dist::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Wine {
    program: String,
    exe: PathBuf,
}

impl Wine {
    fn run(&self, data: &Path, args: &[&str]) -> Output {
        let mut cmd = Command::new(&self.program);
        cmd.arg(&self.exe)
            .arg("--data-dir")
            .arg(win_path(data))
            .args(args)
            .env("WINEDEBUG", "-all")
            // Wine decodes the command line with the locale's charset: UTF-8 for 中文 paths.
            .env("LANG", "C.UTF-8")
            .env_remove("PAICHA_DATA_DIR")
            .env_remove("PAICHA_CONFIG_DIR");
        cmd.output().expect("run wine")
    }

    /// Runs and requires success; returns stdout.
    fn ok(&self, data: &Path, args: &[&str]) -> String {
        let out = self.run(data, args);
        let (stdout, stderr) = text(&out);
        assert!(out.status.success(), "{args:?} failed:\n{stdout}\n{stderr}");
        stdout
    }
}

/// The path as the Windows program sees it: Wine maps the Unix root to drive Z:.
fn win_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

#[test]
fn windows_build_works_end_to_end_under_wine() {
    let Some(top) = unpacked("x86_64-pc-windows-gnu") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("排查 测试");
    let install = root.join("程序 目录");
    copy_flat(&top, &install);
    for name in ["paicha.exe", "示例企业名册.csv"] {
        assert!(install.join(name).is_file(), "{name} missing from the zip");
    }
    // Debian's Wine 8 lacks bcryptprimitives.dll (ProcessPrng, used by Rust's std): .ci/cross
    // builds a stand-in from .ci/wine-shim/ and names it here.
    if let Some(shim) = std::env::var_os("PAICHA_WINE_SHIM") {
        std::fs::copy(&shim, install.join("bcryptprimitives.dll")).expect("copy shim");
    }
    let wine = Wine {
        program: require_program(&["wine", "wine64"]),
        exe: install.join("paicha.exe"),
    };
    let field = root.join("数据 现场");
    let office = root.join("数据 办公室");

    let version = wine.ok(&field, &["--version"]);
    assert_eq!(version.trim(), format!("paicha {}", version_of(&top)));
    let help = wine.ok(&field, &["--help"]);
    assert!(help.contains("用法：paicha"), "{help}");

    let said = wine.ok(
        &field,
        &["demo", "--enterprises", "5", "--inspections", "4"],
    );
    assert!(
        said.contains("已载入演示数据：企业 5 家、检查 4 次"),
        "{said}"
    );
    let roster = win_path(&install.join("示例企业名册.csv"));
    let said = wine.ok(&field, &["enterprise", "import", &roster]);
    assert!(said.contains("共 4 家，新增 4 家"), "{said}");

    let list = wine.ok(&field, &["inspection", "list"]);
    let id = list
        .lines()
        .nth(1)
        .and_then(|l| l.split_whitespace().next())
        .expect("an inspection listed")
        .to_string();
    let shown: serde_json::Value =
        serde_json::from_str(&wine.ok(&field, &["inspection", "show", &id])).expect("JSON");
    assert!(!shown["answers"].as_array().expect("answers").is_empty());

    let bundle = root.join("导出 数据包.paicha");
    let said = wine.ok(&field, &["export", "--all", "--out", &win_path(&bundle)]);
    assert!(said.contains("已导出到"), "{said}");
    assert!(bundle.metadata().expect("bundle written").len() > 1000);
    let fingerprint = wine
        .ok(&field, &["office", "show"])
        .lines()
        .find_map(|l| {
            l.strip_prefix("锚定公钥指纹：")
                .map(|f| f.trim().to_string())
        })
        .expect("fingerprint shown");
    let said = wine.ok(
        &office,
        &[
            "import",
            "--office-fingerprint",
            &fingerprint,
            &win_path(&bundle),
        ],
    );
    assert!(said.contains("已导入"), "{said}");
    let hazards = |data: &Path| json_len(&wine.ok(data, &["ledger", "--format", "json"]));
    assert!(hazards(&field) > 0);
    assert_eq!(hazards(&office), hazards(&field), "every hazard arrived");
    let firms = |data: &Path| json_len(&wine.ok(data, &["enterprise", "list", "--format", "json"]));
    assert_eq!(
        firms(&office),
        9,
        "5 demo enterprises and the 4 of the sample roster"
    );

    let report = root.join("报表 2023年9月.xlsx");
    let month = [
        "report", "monthly", "--month", "2023-09", "--format", "xlsx",
    ];
    wine.ok(
        &office,
        &[&month[..], &["--out", &win_path(&report)]].concat(),
    );
    let cells = xlsx_strings(&report);
    assert!(cells.iter().any(|c| c.contains("调度表")), "{cells:?}");

    backup_and_restore(&wine, &root, &office);
}

/// `paicha backup` / `paicha restore` with a passphrase file, in folders with spaces and
/// Chinese names: the restored data dir has every hazard.
fn backup_and_restore(wine: &Wine, root: &Path, data: &Path) {
    let pass = root.join("口令 文件.txt");
    std::fs::write(&pass, "县局备份口令2026\n").expect("passphrase file");
    let pass = win_path(&pass);
    let archive = win_path(&root.join("备份 文件.age"));
    wine.ok(
        data,
        &["backup", "--out", &archive, "--passphrase-file", &pass],
    );
    let restored = root.join("数据 恢复");
    wine.ok(
        &restored,
        &["restore", &archive, "--passphrase-file", &pass],
    );
    let hazards = |d: &Path| json_len(&wine.ok(d, &["ledger", "--format", "json"]));
    assert_eq!(
        hazards(&restored),
        hazards(data),
        "the restore has every hazard"
    );
}
