//! The user manual (使用手册): `paicha manual` hands out exactly the embedded file, into the
//! Documents folder without overwriting someone else's file, and opens it; the file is one
//! self-contained A4 document that names every command and only keys the program has.
// The Documents-folder and opener tests are Linux-only (XDG dirs, xdg-open): their helpers
// are unused elsewhere.
#![cfg_attr(not(target_os = "linux"), allow(dead_code, unused_imports))]

#[path = "support/cli.rs"]
mod cli;

use clap::CommandFactory;
use cli::*;
use paicha::app::keymap::{self, Binding};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MANUAL_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/manual/使用手册.html");

fn manual() -> String {
    std::fs::read_to_string(MANUAL_PATH).expect("docs/manual/使用手册.html")
}

/// `paicha manual …` for a user whose home is `home`, with a Documents folder there as the
/// desktop's user-dirs file names it, and `path` as PATH (for the opener).
fn manual_in(home: &Path, args: &[&str], path: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paicha"));
    cmd.arg("--data-dir")
        .arg(home.join("data"))
        .arg("manual")
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("PAICHA_DATA_DIR");
    if let Some(path) = path {
        cmd.env("PATH", path);
    }
    cmd.output().expect("run paicha manual")
}

fn home_with_documents() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().expect("home");
    let documents = home.path().join("文档");
    std::fs::create_dir_all(&documents).expect("documents");
    std::fs::create_dir_all(home.path().join(".config")).expect("config");
    std::fs::write(
        home.path().join(".config/user-dirs.dirs"),
        "XDG_DOCUMENTS_DIR=\"$HOME/文档\"\n",
    )
    .expect("user-dirs");
    (home, documents)
}

#[test]
fn manual_out_writes_the_embedded_manual_byte_for_byte() {
    let dir = tempfile::tempdir().expect("dir");
    let out_file = dir.path().join("手册.html");
    let out = paicha(
        &dir.path().join("data"),
        &["manual", "--out", out_file.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&out_file).expect("written"),
        manual().as_bytes()
    );
    assert!(stdout(&out).contains("已写入使用手册"), "{}", stdout(&out));
    // It needs no database: nothing was made in the data dir.
    assert!(!dir.path().join("data").join("paicha.db").exists());

    // A folder is not a file name: a Chinese error, nothing written.
    let out = paicha(
        &dir.path().join("data"),
        &["manual", "--out", dir.path().to_str().expect("utf-8")],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("是文件夹"), "{}", stderr(&out));
}

#[cfg(target_os = "linux")]
#[test]
fn manual_goes_to_the_documents_folder_once_and_never_over_another_file() {
    let (home, documents) = home_with_documents();
    let out = manual_in(home.path(), &["--print-path"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let first = PathBuf::from(stdout(&out).trim());
    assert_eq!(first, documents.join("使用手册.html"));
    assert_eq!(std::fs::read(&first).expect("written"), manual().as_bytes());

    // Again: the same file, no second copy.
    let again = manual_in(home.path(), &["--print-path"], None);
    assert_eq!(PathBuf::from(stdout(&again).trim()), first);
    assert_eq!(std::fs::read_dir(&documents).expect("list").count(), 1);

    // Someone's own file of that name is kept; the manual goes beside it, named by version.
    std::fs::write(&first, "我的笔记").expect("own file");
    let beside = manual_in(home.path(), &["--print-path"], None);
    let second = PathBuf::from(stdout(&beside).trim());
    assert_ne!(second, first);
    assert!(
        second.to_string_lossy().contains(env!("CARGO_PKG_VERSION")),
        "{}",
        second.display()
    );
    assert_eq!(std::fs::read_to_string(&first).expect("kept"), "我的笔记");
    assert_eq!(
        std::fs::read(&second).expect("written"),
        manual().as_bytes()
    );
}

#[cfg(target_os = "linux")]
#[test]
fn manual_opens_the_file_it_wrote_with_the_system_opener() {
    use std::os::unix::fs::PermissionsExt;
    let (home, documents) = home_with_documents();
    // A stand-in for xdg-open that notes what it was asked to open.
    let bin = home.path().join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    let noted = home.path().join("opened.txt");
    let opener = bin.join("xdg-open");
    std::fs::write(
        &opener,
        format!(
            "#!/bin/sh\nPATH=/usr/bin:/bin\nprintf '%s' \"$1\" > '{}.part' && mv '{0}.part' '{0}'\n",
            noted.display()
        ),
    )
    .expect("opener");
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    let out = manual_in(home.path(), &[], Some(&bin));
    assert!(out.status.success(), "{}", stderr(&out));
    let written = documents.join("使用手册.html");
    assert!(stdout(&out).contains(&written.display().to_string()));
    // The opener runs detached: wait for its note (it is written whole, by a rename).
    let mut waited = 0;
    while !noted.exists() && waited < 300 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    }
    assert_eq!(
        std::fs::read_to_string(&noted).expect("the opener was started"),
        written.display().to_string()
    );
}

#[cfg(target_os = "linux")]
#[test]
fn manual_without_an_opener_still_writes_and_says_where() {
    let (home, documents) = home_with_documents();
    let empty = home.path().join("empty-bin");
    std::fs::create_dir_all(&empty).expect("bin");
    let out = manual_in(home.path(), &[], Some(&empty));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("未能自动打开"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(documents.join("使用手册.html")).expect("written"),
        manual().as_bytes()
    );
}

/// Commands only developers use, left out of the manual (none today).
const DEVELOPER_ONLY: &[&str] = &[];

#[test]
fn the_manual_names_every_command() {
    let text = manual();
    let names: Vec<String> = paicha::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    assert!(
        names.len() > 10 && names.iter().any(|n| n == "manual"),
        "{names:?}"
    );
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !DEVELOPER_ONLY.contains(&n.as_str()))
        .filter(|n| !text.contains(&format!("<code>paicha {n}")))
        .collect();
    assert!(missing.is_empty(), "the manual does not name: {missing:?}");
}

#[test]
fn the_manual_is_one_self_contained_a4_file() {
    let text = manual();
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(text.contains("<meta charset=\"utf-8\">"));
    assert!(text.contains("@page { size: A4"), "no A4 page size");
    assert!(text.contains("break-before: page"), "chapters start a page");
    let lower = text.to_lowercase();
    for outside in ["<script", "<link", "<img", "<iframe", "@import", "url("] {
        assert!(!lower.contains(outside), "loads something: {outside}");
    }
    // Every link is to a place in the file, and that place exists.
    let ids: Vec<&str> = attribute_values(&text, "id=\"").collect();
    let links: Vec<&str> = attribute_values(&text, "href=\"").collect();
    assert!(
        links.len() >= 13,
        "a table of contents: {} links",
        links.len()
    );
    for link in links {
        let target = link
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("link outside the file: {link}"));
        assert!(ids.contains(&target), "link to a missing place: {link}");
    }
    assert_eq!(attribute_values(&text, "src=\"").count(), 0);
}

fn attribute_values<'a>(text: &'a str, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    text.match_indices(prefix).filter_map(move |(at, _)| {
        let rest = &text[at + prefix.len()..];
        rest.find('"').map(|end| &rest[..end])
    })
}

/// Keys the manual names that are not the program's: the browser's print, the terminal's paste
/// and its font size.
const NOT_OURS: &[&str] = &["Ctrl-P", "Ctrl-V", "Ctrl"];

#[test]
fn every_key_the_manual_names_is_bound_somewhere() {
    let tables: &[&[Binding]] = &[
        keymap::HOME,
        keymap::PICKER,
        keymap::SETUP,
        keymap::CHECKLIST,
        keymap::FINALIZED,
        keymap::EVIDENCE_FINALIZED,
        keymap::FORM,
        keymap::NOTE,
        keymap::REVIEW,
        keymap::EVIDENCE,
        keymap::EXAM,
        keymap::EXAM_EDIT,
        keymap::ACTIONS,
        keymap::LEDGER,
        keymap::REPORT,
        keymap::MONTHLY,
        keymap::EXPLAIN,
        keymap::MONTH_LIST,
        keymap::SAVE_PATH,
        keymap::HAZARD_DETAIL,
        keymap::DOCUMENTS,
        keymap::PREVIEW,
        keymap::TRUST_OFFICE,
        keymap::PREVIEW_NOTHING,
        keymap::FINISHED,
        keymap::ROSTER_OFFICE,
        keymap::ROSTER_READ,
        keymap::ROSTER_NONE,
        keymap::HELP_VIEW,
        keymap::ATTACH,
        keymap::ATTACH_STORED,
    ];
    let bound: Vec<String> = tables
        .iter()
        .flat_map(|t| t.iter())
        .flat_map(|b| b.keys.iter().map(|k| k.label()))
        .collect();
    let text = manual();
    let named: Vec<&str> = text
        .match_indices("<kbd>")
        .filter_map(|(at, _)| {
            let rest = &text[at + 5..];
            rest.find("</kbd>").map(|end| &rest[..end])
        })
        .collect();
    assert!(named.len() > 100, "{} keys named", named.len());
    let unknown: Vec<&&str> = named
        .iter()
        .filter(|k| !NOT_OURS.contains(k) && !bound.iter().any(|b| b == *k))
        .collect();
    assert!(unknown.is_empty(), "keys no screen has: {unknown:?}");
}
