//! Bundle jobs as the TUI runs them (Runner + background thread): only the previewed file is
//! imported, a full USB stick is reported in Chinese, the ledger sees a TUI import, Ctrl-C does
//! not abandon a running job, a directory-like path leaves no temp file. (From the review of
//! the TUI exchange code.)

#[path = "bundle/support.rs"]
mod support;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use paicha::app::effects::Runner;
use paicha::app::jobs::{ExportKind, Work};
use paicha::app::msg::{Effect, JobOutcome, Msg};
use paicha::app::screens::exchange::Stage;
use paicha::app::screens::{Ctx, Screen};
use paicha::app::state::App;
use paicha::templates::Catalog;
use std::time::{Duration, Instant};
use support::*;

fn wait_done(runner: &mut Runner) -> JobOutcome {
    let start = Instant::now();
    loop {
        if let Some(Msg::JobDone(o)) = runner.poll_job() {
            return o;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "job never ended");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The office previews bundle A, then (USB stick swapped / file overwritten by another
/// export) presses Enter: what lands must be what was previewed, or nothing.
#[test]
fn enter_on_a_preview_imports_only_the_file_that_was_previewed() {
    let mut a = site("李建山");
    let ea = enterprise(&mut a.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut a.store, ea, "储罐区紧急切断装置失效");
    let bundle_a = export(&mut a, "a.paicha", all());
    let mut b = site("王小明");
    let eb = enterprise(&mut b.store, "方山县化工厂", "91440300708461136T");
    inspection(&mut b.store, eb, "反应釜无温度报警");
    let bundle_b = export(&mut b, "b.paicha", all());

    let mut office = site("张科长");
    let usb = office.dir.path().join("U盘 数据包.paicha");
    std::fs::copy(&bundle_a, &usb).expect("copy");
    let catalog = Catalog::builtin().expect("catalog");
    let ctx = Ctx {
        catalog: &catalog,
        now: chrono::Utc::now(),
    };
    let mut app = App::default();
    app.screen = Screen::Exchange(Box::new(paicha::app::screens::exchange::Exchange::import()));
    let mut runner = Runner::new(&mut office.store, &catalog, String::new());

    assert!(
        runner
            .run(Effect::Start(Work::Import {
                path: usb.clone(),
                preview: true,
                expect: None,
                office_fingerprint: None,
            }))
            .is_none()
    );
    let previewed = wait_done(&mut runner);
    app.update(Msg::JobDone(previewed), &ctx);
    let Screen::Exchange(x) = &app.screen else {
        panic!("not on the exchange screen")
    };
    let Stage::Preview { lines, .. } = &x.stage else {
        panic!("{:?}", x.stage)
    };
    assert!(lines.join("\n").contains("李建山") || !lines.is_empty());

    // The file changes after the preview.
    std::fs::copy(&bundle_b, &usb).expect("swap");
    let effects = app.update(
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        &ctx,
    );
    for e in effects {
        assert!(runner.run(e).is_none());
    }
    let outcome = wait_done(&mut runner);
    drop(runner);
    assert!(
        matches!(outcome, JobOutcome::Failed(_)),
        "a bundle that was never previewed was imported: {outcome:?}"
    );
}

/// An export onto a full USB stick: the reason must be in Chinese. Linux: /dev/full.
#[cfg(target_os = "linux")]
#[test]
fn a_full_usb_stick_is_reported_in_chinese() {
    let mut a = site("李建山");
    let ea = enterprise(&mut a.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut a.store, ea, "储罐区紧急切断装置失效");
    let out = a.dir.path().join("满.paicha");
    // The temp file beside the target lands on a device with no room left.
    std::os::unix::fs::symlink("/dev/full", a.dir.path().join(".满.paicha.part")).expect("link");
    let catalog = Catalog::builtin().expect("catalog");
    let mut runner = Runner::new(&mut a.store, &catalog, String::new());
    runner.run(Effect::Start(Work::Export {
        path: out,
        options: ExportKind::All,
    }));
    let outcome = wait_done(&mut runner);
    let JobOutcome::Failed(lines) = outcome else {
        panic!("{outcome:?}")
    };
    let text = lines.join("\n");
    assert!(
        !text.contains("os error") && !text.contains("No space"),
        "English system error shown to the inspector: {text}"
    );
}

/// Check (expected to pass): the ledger cache sees an import made by the job's connection.
#[test]
fn the_ledger_after_a_tui_import_shows_the_imported_hazard() {
    let mut a = site("李建山");
    let ea = enterprise(&mut a.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut a.store, ea, "储罐区紧急切断装置失效");
    let bundle_a = export(&mut a, "a.paicha", all());
    let mut office = site("张科长");
    let catalog = Catalog::builtin().expect("catalog");
    let mut runner = Runner::new(&mut office.store, &catalog, String::new());
    runner.run(Effect::WarmLedger);
    let Some(Msg::LedgerLoaded(before)) = runner.run(Effect::LoadLedger) else {
        panic!("no ledger")
    };
    assert_eq!(before.rows.len(), 0);
    runner.run(Effect::Start(Work::Import {
        path: bundle_a,
        preview: false,
        expect: None,
        office_fingerprint: None,
    }));
    assert!(matches!(wait_done(&mut runner), JobOutcome::Imported(_)));
    let Some(Msg::LedgerLoaded(after)) = runner.run(Effect::LoadLedger) else {
        panic!("no ledger")
    };
    assert_eq!(after.rows.len(), 1);
}

/// Ctrl-C while a bundle job runs quits at once, abandoning the job without a word.
#[test]
fn ctrl_c_while_a_job_runs_does_not_silently_abandon_it() {
    let catalog = Catalog::builtin().expect("catalog");
    let ctx = Ctx {
        catalog: &catalog,
        now: chrono::Utc::now(),
    };
    let mut app = App::default();
    let mut x = paicha::app::screens::exchange::Exchange::import();
    x.stage = Stage::Running {
        label: "正在导入".into(),
        done: 0,
        total: 10,
    };
    app.screen = Screen::Exchange(Box::new(x));
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        &ctx,
    );
    assert!(!app.quit, "quit mid-import with no warning");
}

/// A path typed with a trailing slash (a directory that does not exist yet).
#[test]
fn a_trailing_slash_path_is_caught_and_leaves_no_part_file() {
    let mut a = site("李建山");
    let ea = enterprise(&mut a.store, "方山县加油站", "91350100M000100Y43");
    inspection(&mut a.store, ea, "储罐区紧急切断装置失效");
    let typed = format!("{}/", a.dir.path().join("新建").display());
    let catalog = Catalog::builtin().expect("catalog");
    let dir = a.dir.path().to_path_buf();
    let mut runner = Runner::new(&mut a.store, &catalog, String::new());
    runner.run(Effect::Start(Work::Export {
        path: typed.into(),
        options: ExportKind::All,
    }));
    let outcome = wait_done(&mut runner);
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(matches!(outcome, JobOutcome::Failed(_)), "{outcome:?}");
    assert!(
        !left.iter().any(|n| n.to_string_lossy().ends_with(".part")),
        "{left:?}"
    );
}
