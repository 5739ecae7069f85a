//! The backup dialog: opened with `b` on the home screen, the passphrase typed twice and never
//! shown, refused in place when short or different, the job's progress and outcome.

use super::*;
use crate::app::msg::{JobOutcome, Msg};
use crate::app::screens::Screen;
use crate::app::screens::overlays::Overlay;
use crate::app::state::App;
use crate::app::tests::{catalog, ch, ctrl, ctx_at_now, feed, key, typed};

fn dialog(app: &mut App) -> &mut BackupDialog {
    match app.overlays.last_mut() {
        Some(Overlay::Backup(d)) => d,
        _ => panic!("the backup dialog is not open"),
    }
}

fn opened() -> (crate::templates::Catalog, App) {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App {
        screen: Screen::Home(Default::default()),
        ..App::default()
    };
    feed(&mut app, &ctx, [ch('b')]);
    (catalog, app)
}

#[test]
fn b_opens_the_dialog_on_the_passphrase_with_a_dated_file_proposed() {
    let (_c, mut app) = opened();
    let d = dialog(&mut app);
    assert_eq!(d.focus, PASS);
    assert!(
        d.path.ends_with(".age") && d.path.contains("paicha-备份-"),
        "{}",
        d.path
    );
}

#[test]
fn a_short_or_mistyped_passphrase_is_refused_in_place_and_never_shown() {
    let (catalog, mut app) = opened();
    let ctx = ctx_at_now(&catalog);
    feed(&mut app, &ctx, typed("short"));
    feed(&mut app, &ctx, [key(KeyCode::Enter)]);
    feed(&mut app, &ctx, typed("short"));
    let effects = feed(&mut app, &ctx, [key(KeyCode::Enter)]);
    assert!(effects.is_empty());
    assert!(
        dialog(&mut app)
            .error
            .as_deref()
            .is_some_and(|e| e.contains("至少 8"))
    );
    // Drawn as dots: the passphrase itself is nowhere on screen.
    let screen = crate::ui::tests::render(&app, &ctx, 80, 24);
    assert!(
        !screen.contains("short") && screen.contains("*****"),
        "{screen}"
    );

    let (catalog, mut app) = opened();
    let ctx = ctx_at_now(&catalog);
    feed(&mut app, &ctx, typed("县局备份口令2026"));
    feed(&mut app, &ctx, [key(KeyCode::Tab)]);
    feed(&mut app, &ctx, typed("县局备份口令2027"));
    assert!(feed(&mut app, &ctx, [ctrl('s')]).is_empty());
    let d = dialog(&mut app);
    assert!(d.error.as_deref().is_some_and(|e| e.contains("不一致")));
    assert_eq!(
        (d.focus, d.typed(AGAIN)),
        (AGAIN, 0),
        "the second one to type again"
    );
}

#[test]
fn matching_passphrases_start_the_job_whose_progress_and_outcome_the_dialog_shows() {
    let (catalog, mut app) = opened();
    let ctx = ctx_at_now(&catalog);
    feed(&mut app, &ctx, typed("县局备份口令2026"));
    feed(&mut app, &ctx, [key(KeyCode::Enter)]);
    feed(&mut app, &ctx, typed("县局备份口令2026"));
    let effects = feed(&mut app, &ctx, [key(KeyCode::Enter)]);
    let [Effect::Start(Work::Backup { out, passphrase })] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert!(out.to_string_lossy().ends_with(".age"));
    assert_eq!(passphrase, &Passphrase::new("县局备份口令2026".into()));
    assert!(
        !format!("{effects:?}").contains("口令2026"),
        "never in debug output"
    );
    // Keys wait while it runs; the bar follows the bytes.
    assert!(feed(&mut app, &ctx, [key(KeyCode::Esc)]).is_empty());
    feed(
        &mut app,
        &ctx,
        [Msg::JobProgress {
            done: 3 << 20,
            total: 12 << 20,
        }],
    );
    assert_eq!(dialog(&mut app).running, Some((3 << 20, 12 << 20)));
    crate::ui::tests::snap("backup_running", &app, &ctx);
    // A refusal: the dialog stays, to type the passphrase again.
    feed(
        &mut app,
        &ctx,
        [Msg::JobDone(JobOutcome::BackedUp(Err(vec![
            "U 盘已满".into(),
        ])))],
    );
    assert!(matches!(app.overlays.last(), Some(Overlay::Help(_))));
    app.overlays.pop();
    assert_eq!(dialog(&mut app).running, None);
    assert_eq!(dialog(&mut app).typed(PASS), 0);
    // Success closes it and reads the home screen again (its reminder goes).
    dialog(&mut app).running = Some((0, 0));
    let effects = feed(
        &mut app,
        &ctx,
        [Msg::JobDone(JobOutcome::BackedUp(Ok(vec![
            "已备份并校验：E:\\b.age".into(),
        ])))],
    );
    assert!(effects.contains(&Effect::LoadHome), "{effects:?}");
    assert!(!app.overlays.iter().any(|o| matches!(o, Overlay::Backup(_))));
}
