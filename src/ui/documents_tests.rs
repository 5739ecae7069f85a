//! The documents screen on a `TestBackend` at 80×24 and 120×40: the list, a first issue's
//! form, the file written with how to print it, a refusal, the 现场照片补充页 written.

use crate::app::msg::Msg;
use crate::app::screens::Screen;
use crate::app::screens::documents::{PhotosWritten, Written};
use crate::app::state::App;
use crate::app::tests::{catalog, ch, ctx_at_now, feed, key, now};
use crate::templates::campaign::DocumentKind;
use crossterm::event::KeyCode;
use std::path::PathBuf;
use unicode_width::UnicodeWidthStr;

fn app() -> App {
    crate::app::screens::documents::tests::app_on_documents(true)
}

fn snap(name: &str, app: &App, ctx: &crate::app::screens::Ctx) {
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = super::super::tests::render(app, ctx, w, h);
        for line in screen.lines() {
            assert!(line.width() <= w as usize, "{name} {w}x{h}: {line:?}");
        }
        let footer = screen.lines().last().unwrap_or_default();
        assert!(
            footer.contains("帮助") || footer.contains("更多按键"),
            "{name} {w}x{h}: {footer:?}"
        );
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

#[test]
fn documents_screens() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = app();
    snap("documents_list", &app, &ctx);
    // The order's first issue: when, and the deadline the CLI would ask for.
    feed(&mut app, &ctx, [ch('j'), key(KeyCode::Enter)]);
    snap("documents_order_form", &app, &ctx);
    app.update(
        Msg::DocumentIssued(Err(
            "未出具：整改期限 2023-08-15 应晚于指令书的出具日期".into()
        )),
        &ctx,
    );
    snap("documents_refused", &app, &ctx);
    feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    app.update(
        Msg::DocumentIssued(Ok(Box::new(Written {
            kind: DocumentKind::OnsiteRecord,
            subject: uuid::Uuid::from_u128(7),
            number: "方应急检记〔2023〕5号".into(),
            issued_at: now(),
            path: PathBuf::from(
                "/home/inspector/Documents/paicha文书/方应急检记〔2023〕5号-现场检查记录.html",
            ),
            first: true,
            warnings: vec![
                "执法文书须由两名以上执法人员出具：记录中只有一名，请在空白处手写补填另一名执法人员及其执法证号".into(),
            ],
        }))),
        &ctx,
    );
    app.notice = None;
    snap("documents_written", &app, &ctx);
    app.update(
        Msg::PhotosWritten(Ok(Box::new(PhotosWritten {
            path: PathBuf::from(
                "/home/inspector/Documents/paicha文书/方应急检记〔2023〕5号-现场照片补充页.html",
            ),
            count: 3,
            warnings: vec![],
        }))),
        &ctx,
    );
    app.notice = None;
    snap("documents_photos_written", &app, &ctx);
    assert!(matches!(app.screen, Screen::Documents(_)));
}
