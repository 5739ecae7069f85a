//! The support log (`<data dir>/logs/paicha.log`): a failed command lands in it by kind, and
//! nothing personal does — not a name in an error, not a name typed in a form.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use paicha::app::effects::Runner;
use paicha::app::msg::Msg;
use paicha::app::screens::Ctx;
use paicha::app::state::App;
use paicha::domain::{Clock, SystemClock};
use paicha::storage::Store;
use paicha::templates::Catalog;
use std::path::Path;
use std::sync::Arc;

#[path = "support/cli.rs"]
mod cli;
use cli::{paicha, stderr};

fn log_text(data: &Path) -> String {
    std::fs::read_to_string(paicha::support_log::log_path(data)).unwrap_or_default()
}

#[test]
fn a_failed_command_is_logged_by_kind_without_the_names_in_its_message() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let ok = paicha(&data, &["enterprise", "list"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let missing = tmp.path().join("张三五金厂名册.csv");
    let out = paicha(
        &data,
        &["enterprise", "import", &missing.display().to_string()],
    );
    assert_eq!(out.status.code(), Some(1));
    let told = stderr(&out);
    assert!(told.contains("张三五金厂"), "the user is told: {told}");
    let log = log_text(&data);
    assert!(
        log.contains("command done command=\"enterprise list\""),
        "{log}"
    );
    let failed = log
        .lines()
        .find(|l| l.contains("command failed"))
        .unwrap_or_else(|| panic!("the failure is logged: {log}"));
    assert!(failed.contains("ERROR"), "{failed}");
    assert!(failed.contains("command=\"enterprise import\""), "{failed}");
    assert!(failed.contains("error="), "{failed}");
    assert!(!log.contains("张三"), "no name: {log}");
    assert!(
        !log.contains(&tmp.path().display().to_string()),
        "no path: {log}"
    );
}

#[test]
fn a_mistyped_data_dir_gets_no_log_folder() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("no").join("such");
    let out = paicha(&data, &["checklist", "list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !data.exists(),
        "a command that needs no data dir leaves none"
    );
}

/// The TUI's steps before a failure are effect names: the profile form's name and 执法证号
/// typed by the inspector are not among them.
#[test]
fn a_name_typed_in_a_form_stays_out_of_the_log() {
    let tmp = tempfile::tempdir().expect("dir");
    let catalog = Catalog::builtin().expect("catalog");
    let clock = Arc::new(SystemClock);
    let mut store = Store::open(tmp.path(), clock.clone()).expect("store");
    let log = paicha::support_log::for_data_dir(tmp.path());
    tracing::subscriber::with_default(log, || {
        let mut runner = Runner::new(&mut store, &catalog, String::new());
        let mut app = App::default();
        let ctx = Ctx {
            catalog: &catalog,
            now: clock.now(),
        };
        let first = paicha::app::startup(&runner);
        paicha::app::settle(&mut app, &mut runner, first, &ctx);
        let key = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
        let mut keys = vec![key(KeyCode::Char('p'))];
        keys.extend("欧阳明珠".chars().map(|c| key(KeyCode::Char(c))));
        keys.push(key(KeyCode::Tab));
        keys.extend("14017788".chars().map(|c| key(KeyCode::Char(c))));
        keys.push(key(KeyCode::Tab));
        keys.push(key(KeyCode::Right));
        keys.push(Msg::Key(KeyEvent::new(
            KeyCode::Char('s'),
            KeyModifiers::CONTROL,
        )));
        for msg in keys {
            let effects = app.update(msg, &ctx);
            paicha::app::settle(&mut app, &mut runner, effects, &ctx);
        }
        // A failure after it: the steps that led there are written now.
        tracing::warn!(target: "paicha::test", effect = "Test", "effect failed");
    });
    let saved = store
        .profile()
        .expect("read")
        .expect("the profile was saved");
    assert_eq!(saved.data.name, "欧阳明珠");
    let log = log_text(tmp.path());
    assert!(log.contains("effect=\"SaveProfile\""), "{log}");
    assert!(log.contains("effect=\"LoadHome\""), "{log}");
    assert!(!log.contains("欧阳"), "{log}");
    assert!(!log.contains("14017788"), "{log}");
}
