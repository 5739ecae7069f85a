//! The cursor over a hazard's 办理记录, what `i` attaches to, and the counts after a file is
//! attached (the detail is read again, the cursor kept).

use super::Detail;
use crate::app::msg::{Effect, HazardNotes, Msg};
use crate::app::screens::Screen;
use crate::app::screens::attach::AttachTo;
use crate::app::screens::overlays::Overlay;
use crate::app::state::App;
use crate::app::tests::{
    attachment, catalog, ch, corrected_hazard, ctx_at_now, feed, key, ledger_index,
};
use crate::domain::attachment::{PhotoRole, TargetKind};
use crate::storage::LedgerRow;
use crossterm::event::KeyCode;

/// The app on the detail of `row`.
fn opened(row: LedgerRow, notes: HazardNotes) -> App {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App {
        screen: Screen::Ledger(Default::default()),
        ..App::default()
    };
    feed(
        &mut app,
        &ctx,
        [
            Msg::LedgerLoaded(ledger_index(3)),
            Msg::HazardLoaded(Box::new(row), notes),
        ],
    );
    app
}

fn detail(app: &App) -> &Detail {
    match &app.screen {
        Screen::Ledger(l) => l.detail.as_ref().expect("detail"),
        _ => panic!("ledger"),
    }
}

fn press(app: &mut App, msg: Msg) -> Vec<Effect> {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    feed(app, &ctx, [msg])
}

/// What the attach browser on top attaches to.
fn attaching(app: &App) -> AttachTo {
    match app.overlays.last() {
        Some(Overlay::Attach(b)) => b.to.clone(),
        _ => panic!("no attach browser"),
    }
}

#[test]
fn the_cursor_moves_over_the_steps_and_up_from_the_first_back_to_the_hazard() {
    let mut app = opened(corrected_hazard(), HazardNotes::default());
    assert_eq!(
        detail(&app).selected,
        None,
        "none at first: the hazard itself"
    );
    let moves = [
        (key(KeyCode::Down), Some(0)),
        (ch('j'), Some(1)),
        (key(KeyCode::Down), Some(2)),
        (key(KeyCode::Down), Some(2)),
        (key(KeyCode::Up), Some(1)),
        (ch('k'), Some(0)),
        (key(KeyCode::Up), None),
        (key(KeyCode::Up), None),
    ];
    for (i, (msg, want)) in moves.into_iter().enumerate() {
        let effects = press(&mut app, msg);
        assert!(effects.is_empty(), "move {i}: {effects:?}");
        assert_eq!(detail(&app).selected, want, "move {i}");
    }
}

#[test]
fn a_hazard_without_steps_keeps_the_cursor_on_itself() {
    let (hazard, _, status) = corrected_hazard();
    let mut app = opened((hazard, vec![], status), HazardNotes::default());
    press(&mut app, key(KeyCode::Down));
    assert_eq!(detail(&app).selected, None);
}

#[test]
fn i_attaches_to_the_step_under_the_cursor_and_with_none_to_the_hazard() {
    let row = corrected_hazard();
    let (hazard, events) = (row.0.id(), row.1.clone());
    let mut app = opened(row, HazardNotes::default());
    let effects = press(&mut app, ch('i'));
    assert!(
        matches!(effects.as_slice(), [Effect::ListAttached(to), Effect::ListFolder(None)] if to.id == hazard),
        "{effects:?}"
    );
    assert_eq!(
        attaching(&app),
        AttachTo {
            id: hazard,
            item: None,
            role: None,
            hazard: true,
            label: "隐患".into(),
        }
    );
    press(&mut app, key(KeyCode::Esc));
    assert!(app.overlays.is_empty(), "Esc closes the browser");

    press(&mut app, key(KeyCode::Down));
    press(&mut app, key(KeyCode::Down));
    press(&mut app, ch('i'));
    assert_eq!(
        attaching(&app),
        AttachTo {
            id: events[1].id(),
            item: None,
            role: None,
            hazard: true,
            label: "办理记录 2023-08-15 更正依据为“GB 50156-2021 第5.0.10条”".into(),
        }
    );
}

#[test]
fn files_attached_on_the_detail_read_it_again_and_the_cursor_stays_on_its_step() {
    let row = corrected_hazard();
    let (hazard, step) = (row.0.id(), row.1[1].id());
    let mut app = opened(row.clone(), HazardNotes::default());
    press(&mut app, key(KeyCode::Down));
    press(&mut app, key(KeyCode::Down));
    press(&mut app, ch('i'));
    // As after Enter on a file: the browser waits for its job.
    if let Some(crate::app::screens::overlays::Overlay::Attach(b)) = app.overlays.last_mut() {
        b.attaching = Some(1);
    }
    let file = attachment(step, TargetKind::HazardEvent, Some(PhotoRole::After));
    let effects = press(&mut app, Msg::Attached(Ok(vec![file.clone()])));
    assert_eq!(effects, [Effect::LoadHazard(hazard)]);
    assert!(app.overlays.is_empty(), "the browser closed");

    let notes = HazardNotes {
        attachments: vec![file],
        ..Default::default()
    };
    press(&mut app, Msg::HazardLoaded(Box::new(row), notes));
    let d = detail(&app);
    assert_eq!(d.selected, Some(1), "the cursor stays");
    assert_eq!(d.attachment_count(step), 1);
    assert_eq!(d.attachment_count(hazard), 0);

    // Another hazard opens with no step selected.
    let (other, events, status) = corrected_hazard();
    press(
        &mut app,
        Msg::HazardLoaded(Box::new((other, events, status)), HazardNotes::default()),
    );
    assert_eq!(detail(&app).selected, None);
}

#[test]
fn the_summary_counts_by_role_and_leaves_out_what_is_zero() {
    let row = corrected_hazard();
    let (hazard, step) = (row.0.id(), row.1[0].id());
    let summary = |files: Vec<(uuid::Uuid, Option<PhotoRole>)>| {
        let notes = HazardNotes {
            attachments: files
                .into_iter()
                .map(|(id, role)| attachment(id, TargetKind::Hazard, role))
                .collect(),
            ..Default::default()
        };
        detail(&opened(row.clone(), notes)).attachment_summary()
    };
    assert_eq!(summary(vec![]), None);
    assert_eq!(summary(vec![(hazard, None)]).as_deref(), Some("附件：1 个"));
    let before = Some(PhotoRole::Before);
    let after = Some(PhotoRole::After);
    assert_eq!(
        summary(vec![(hazard, before), (step, after), (step, None)]).as_deref(),
        Some("附件：3 个（整改前 1 · 整改后 1）")
    );
    assert_eq!(
        summary(vec![(step, after), (step, after)]).as_deref(),
        Some("附件：2 个（整改后 2）")
    );
}
