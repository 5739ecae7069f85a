//! Finding the release builds that `cargo xtask dist` made. .ci/cross unpacks each archive into
//! $PAICHA_DIST_DIR/<target triple>/ and runs the tests/dist_*.rs files; a developer's plain
//! `cargo test` has no such builds and those tests say SKIPPED.
#![allow(dead_code)] // each test file uses some of these

use std::path::{Path, PathBuf};
use std::process::Output;

/// The unpacked `paicha-<version>/` folder of one target's archive, or `None` (after saying
/// SKIPPED) when no dist was built. A dist dir that lacks the target is a failure: CI built it.
pub fn unpacked(triple: &str) -> Option<PathBuf> {
    let Some(dir) = std::env::var_os("PAICHA_DIST_DIR") else {
        println!(
            "SKIPPED: PAICHA_DIST_DIR is not set; .ci/cross sets it after `cargo xtask dist` \
             and unpacking the archives"
        );
        return None;
    };
    let target_dir = Path::new(&dir).join(triple);
    let entries = std::fs::read_dir(&target_dir)
        .unwrap_or_else(|e| panic!("{} not unpacked: {e}", target_dir.display()));
    let tops: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("paicha-"))
        })
        .collect();
    assert_eq!(
        tops.len(),
        1,
        "one top folder paicha-<version>/ in {triple}: {tops:?}"
    );
    tops.into_iter().next()
}

/// The package version the archive's top folder names ("paicha-0.1.0" → "0.1.0").
pub fn version_of(top: &Path) -> String {
    let name = top.file_name().map(|n| n.to_string_lossy().into_owned());
    name.and_then(|n| n.strip_prefix("paicha-").map(str::to_string))
        .expect("top folder named paicha-<version>")
}

/// A program the test needs; its absence under PAICHA_DIST_DIR is a CI set-up failure.
pub fn require_program(candidates: &[&str]) -> String {
    for name in candidates {
        let found = std::process::Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if found {
            return name.to_string();
        }
    }
    panic!("none of {candidates:?} installed (.ci/cross installs them)");
}

pub fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Copies a folder's files (one level: the archive's top folder is flat).
pub fn copy_flat(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create copy dir");
    for entry in std::fs::read_dir(from)
        .expect("read dir")
        .filter_map(Result::ok)
    {
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy file");
    }
}

/// The number of entries of a JSON array printed by `--format json`.
pub fn json_len(stdout: &str) -> usize {
    let value: serde_json::Value = serde_json::from_str(stdout).expect("JSON output");
    value.as_array().expect("JSON array").len()
}

/// The first sheet's text cells of an .xlsx file, to check a report is a real workbook.
pub fn xlsx_strings(path: &Path) -> Vec<String> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).expect("a readable .xlsx");
    let sheet = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("sheet read");
    sheet
        .used_cells()
        .map(|(_, _, cell)| cell.to_string())
        .filter(|s| !s.is_empty())
        .collect()
}
