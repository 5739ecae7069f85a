//! The attach browser: opened with `i` on the checklist, sorted, marked, moved between
//! folders, attaching what was marked; drawn at 80x24 and 120x40.

use super::*;
use crate::app::msg::Msg;
use crate::app::screens::Screen;
use crate::app::screens::checklist::Checklist;
use crate::app::screens::overlays::Overlay;
use crate::app::state::App;
use crate::app::tests::{catalog, ch, ctrl, ctx_at_now, feed, key, now, view};
use chrono::TimeDelta;
use crossterm::event::KeyCode;

fn file(name: &str, minutes_ago: Option<i64>) -> Entry {
    Entry {
        name: name.into(),
        path: PathBuf::from("/照片").join(name),
        media_type: Some("image/jpeg"),
        time: minutes_ago.map(|m| now() - TimeDelta::minutes(m)),
        file_time: minutes_ago == Some(5),
        size: 3_400_000,
    }
}

fn folder(name: &str) -> Entry {
    Entry {
        name: name.into(),
        path: PathBuf::from("/照片").join(name),
        media_type: None,
        time: None,
        file_time: false,
        size: 0,
    }
}

fn listing() -> Listing {
    let mut entries = vec![
        file("IMG_0001.jpg", Some(120)),
        folder("相机"),
        file("无时间.png", None),
        file("IMG_0003.jpg", Some(5)),
        folder("DCIM"),
        file("配电箱整改前.jpg", Some(60)),
    ];
    sort(&mut entries);
    Listing {
        dir: PathBuf::from("/照片"),
        entries,
        skipped: 2,
    }
}

fn browser(app: &mut App) -> &mut Browser {
    match app.overlays.last_mut() {
        Some(Overlay::Attach(b)) => b,
        _ => panic!("the browser is not open"),
    }
}

/// The checklist of a finalized-or-draft inspection with the browser open on [`listing`].
fn opened() -> (crate::templates::Catalog, App) {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App {
        screen: Screen::Checklist(Checklist::new(view(&catalog), None)),
        ..App::default()
    };
    let effects = feed(&mut app, &ctx, [ch('i')]);
    assert!(
        matches!(effects.as_slice(), [Effect::ListAttached(to), Effect::ListFolder(None)] if to.item.is_some()),
        "{effects:?}"
    );
    feed(&mut app, &ctx, [Msg::FolderListed(Ok(listing()))]);
    (catalog, app)
}

#[test]
fn folders_come_first_then_files_newest_first_and_timeless_last() {
    let names: Vec<String> = listing().entries.into_iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        [
            "DCIM",
            "相机",
            "IMG_0003.jpg",
            "配电箱整改前.jpg",
            "IMG_0001.jpg",
            "无时间.png"
        ]
    );
}

#[test]
fn i_on_the_checklist_opens_the_browser_for_the_selected_item() {
    let (_catalog, mut app) = opened();
    let b = browser(&mut app);
    assert_eq!(
        b.to.item.as_deref(),
        Some(b.to.label.trim_start_matches("检查项 "))
    );
    assert_eq!(b.dir.as_deref(), Some(std::path::Path::new("/照片")));
    assert_eq!(b.entries.len(), 6);
}

#[test]
fn space_marks_and_unmarks_a_marks_all_and_enter_attaches_the_marked() {
    let (catalog, mut app) = opened();
    let ctx = ctx_at_now(&catalog);
    // Space on a folder marks nothing.
    feed(&mut app, &ctx, [ch(' ')]);
    assert!(browser(&mut app).marked.is_empty());
    feed(
        &mut app,
        &ctx,
        [key(KeyCode::Down), key(KeyCode::Down), ch(' ')],
    );
    // Marking moves down: the next file is selected.
    assert_eq!(browser(&mut app).selected, 3);
    feed(&mut app, &ctx, [ch(' ')]);
    assert_eq!(browser(&mut app).marked.len(), 2);
    feed(&mut app, &ctx, [key(KeyCode::Up), ch(' ')]);
    assert_eq!(browser(&mut app).marked.len(), 1, "space again unmarks");
    feed(&mut app, &ctx, [ch('A')]);
    assert_eq!(browser(&mut app).marked.len(), 4, "every file, no folder");
    feed(&mut app, &ctx, [ctrl('a')]);
    assert!(browser(&mut app).marked.is_empty(), "again: all unmarked");
    feed(&mut app, &ctx, [ch('A')]);
    let effects = feed(&mut app, &ctx, [key(KeyCode::Enter)]);
    let [Effect::Attach { to, files }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(files.len(), 4);
    assert!(to.item.is_some());
    // While the job copies, keys wait, and the bar follows the bytes.
    assert!(feed(&mut app, &ctx, [key(KeyCode::Down), ch(' ')]).is_empty());
    assert_eq!(browser(&mut app).marked.len(), 4);
    feed(
        &mut app,
        &ctx,
        [Msg::JobProgress {
            done: 5 << 20,
            total: 20 << 20,
        }],
    );
    assert_eq!(browser(&mut app).progress, (5 << 20, 20 << 20));
    crate::ui::tests::snap("attach_progress", &app, &ctx);
    // Esc hides the browser; the job goes on, and its outcome is said on the screen below.
    assert!(feed(&mut app, &ctx, [key(KeyCode::Esc)]).is_empty());
    assert!(app.overlays.is_empty());
    assert!(app.notice.as_ref().is_some_and(|n| n.text.contains("后台")));
    feed(
        &mut app,
        &ctx,
        [Msg::JobDone(crate::app::msg::JobOutcome::Attached(Ok(
            vec![],
        )))],
    );
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("已添加 0 个附件"))
    );
}

#[test]
fn a_late_outcome_does_not_close_a_browser_opened_after_the_first_was_hidden() {
    let (catalog, mut app) = opened();
    let ctx = ctx_at_now(&catalog);
    feed(&mut app, &ctx, [key(KeyCode::End), key(KeyCode::Enter)]);
    feed(&mut app, &ctx, [key(KeyCode::Esc), ch('i')]);
    assert!(browser(&mut app).attaching.is_none());
    feed(
        &mut app,
        &ctx,
        [Msg::JobDone(crate::app::msg::JobOutcome::Attached(Ok(
            vec![],
        )))],
    );
    assert!(matches!(app.overlays.last(), Some(Overlay::Attach(_))));
}

/// A file the record has, stored under its hash.
fn stored(name: &str, sha: char, role: Option<PhotoRole>) -> Stored {
    use crate::domain::attachment::{Attachment, CaptureSource, TargetKind};
    let sha256: String = std::iter::repeat_n(sha, 64).collect();
    Stored {
        path: PathBuf::from("/数据/attachments").join(&sha256),
        record: crate::domain::Record {
            meta: crate::app::tests::meta(),
            data: Attachment {
                target_kind: TargetKind::Answer,
                target_id: uuid::Uuid::nil(),
                item_code: Some("E1".into()),
                role,
                sha256,
                size: 2_100_000,
                media_type: "image/jpeg".into(),
                file_name: name.into(),
                captured_at: Some(now() - TimeDelta::minutes(40)),
                capture_source: CaptureSource::Exif,
                place: None,
                note: String::new(),
            },
        },
    }
}

#[test]
fn v_shows_the_files_already_attached_previews_their_stored_copy_and_changes_nothing() {
    let (catalog, mut app) = opened();
    let ctx = ctx_at_now(&catalog);
    // Nothing attached yet: v says so and stays on the folder.
    feed(&mut app, &ctx, [ch('v')]);
    assert!(!browser(&mut app).showing_attached);
    let files = vec![
        stored("配电箱.jpg", 'a', None),
        stored("消防通道.jpg", 'b', Some(PhotoRole::Before)),
    ];
    feed(&mut app, &ctx, [Msg::AttachedListed(Ok(files))]);
    let effects = feed(&mut app, &ctx, [ch('v'), key(KeyCode::Down)]);
    let b = browser(&mut app);
    assert!(b.showing_attached);
    assert_eq!(b.attached_selected, 1);
    // The preview asked for is the stored copy's, by hash.
    let asked: Vec<&PathBuf> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Thumbnail { key, .. } => Some(&key.0),
            _ => None,
        })
        .collect();
    assert!(
        asked.iter().any(|p| p.ends_with("b".repeat(64))),
        "{effects:?}"
    );
    crate::ui::tests::snap("attach_stored", &app, &ctx);
    // Space, Enter, Ctrl-S attach nothing from this list (its footer offers no such key).
    for k in [ch(' '), key(KeyCode::Enter), ctrl('s')] {
        let effects = feed(&mut app, &ctx, [k]);
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::Attach { .. })),
            "{effects:?}"
        );
    }
    assert!(browser(&mut app).marked.is_empty());
    // v (or Esc) goes back to the folder, the browser still open.
    feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    assert!(!browser(&mut app).showing_attached);
    assert_eq!(browser(&mut app).entries.len(), 6);
}

#[test]
fn enter_on_a_file_with_nothing_marked_attaches_that_file_and_success_closes() {
    let (catalog, mut app) = opened();
    let ctx = ctx_at_now(&catalog);
    feed(&mut app, &ctx, [key(KeyCode::End)]);
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    let [Effect::Attach { files, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(files, &[PathBuf::from("/照片/无时间.png")]);
    feed(&mut app, &ctx, [Msg::Attached(Ok(vec![]))]);
    assert!(app.overlays.is_empty());
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("已添加 0 个附件"))
    );
}

#[test]
fn a_refusal_keeps_the_browser_and_its_marks_and_shows_every_reason() {
    let (catalog, mut app) = opened();
    let ctx = ctx_at_now(&catalog);
    feed(&mut app, &ctx, [ch('A'), key(KeyCode::Enter)]);
    let lines = vec![
        "a.jpg：是空文件（0 字节）".to_string(),
        "b.jpg：文件不存在".into(),
    ];
    feed(&mut app, &ctx, [Msg::Attached(Err(lines))]);
    // The reasons on top, the browser below with its marks, keys working again.
    assert!(matches!(app.overlays.last(), Some(Overlay::Help(_))));
    app.overlays.pop();
    let b = browser(&mut app);
    assert_eq!(b.marked.len(), 4);
    assert!(b.attaching.is_none());
}

#[test]
fn enter_goes_into_a_folder_backspace_up_and_the_folder_left_is_selected() {
    let (catalog, mut app) = opened();
    let ctx = ctx_at_now(&catalog);
    feed(&mut app, &ctx, [key(KeyCode::Down)]);
    let effects = feed(&mut app, &ctx, [key(KeyCode::Enter)]);
    assert_eq!(
        effects,
        vec![Effect::ListFolder(Some(PathBuf::from("/照片/相机")))]
    );
    let inner = Listing {
        dir: PathBuf::from("/照片/相机"),
        entries: vec![],
        skipped: 0,
    };
    feed(&mut app, &ctx, [Msg::FolderListed(Ok(inner))]);
    let effects = feed(&mut app, &ctx, [key(KeyCode::Backspace)]);
    assert_eq!(
        effects,
        vec![Effect::ListFolder(Some(PathBuf::from("/照片")))]
    );
    feed(&mut app, &ctx, [Msg::FolderListed(Ok(listing()))]);
    assert_eq!(browser(&mut app).selected, 1, "back on 相机");
    // Esc closes the browser, nothing attached.
    assert!(feed(&mut app, &ctx, [key(KeyCode::Esc)]).is_empty());
    assert!(app.overlays.is_empty());
}

#[test]
fn the_browser_at_80x24_and_120x40() {
    let (catalog, mut app) = opened();
    let ctx = ctx_at_now(&catalog);
    feed(
        &mut app,
        &ctx,
        [key(KeyCode::Down), key(KeyCode::Down), ch(' ')],
    );
    crate::ui::tests::snap("attach_browser", &app, &ctx);
}

#[test]
fn tab_sets_the_role_of_a_hazard_photo_and_only_of_one() {
    let (catalog, mut app) = opened();
    let ctx = ctx_at_now(&catalog);
    feed(&mut app, &ctx, [key(KeyCode::Tab)]);
    assert!(
        browser(&mut app).to.role.is_none(),
        "an item's photo has no role"
    );
    assert!(
        app.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("只有隐患"))
    );
    browser(&mut app).to.hazard = true;
    let roles: Vec<Option<PhotoRole>> = (0..3)
        .map(|_| {
            feed(&mut app, &ctx, [key(KeyCode::Tab)]);
            browser(&mut app).to.role
        })
        .collect();
    assert_eq!(
        roles,
        [Some(PhotoRole::Before), Some(PhotoRole::After), None]
    );
    feed(&mut app, &ctx, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    assert!(browser(&mut app).to.title().contains("整改后"));
    feed(&mut app, &ctx, [key(KeyCode::End)]);
    let effects = feed(&mut app, &ctx, [key(KeyCode::Enter)]);
    let [Effect::Attach { to, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(to.role, Some(PhotoRole::After));
}

#[test]
fn a_real_folder_lists_by_content_not_by_name() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join("photo.txt"), b"\xFF\xD8\xFF\xE0 jpeg body").expect("w");
    std::fs::write(dir.path().join("notes.jpg"), b"just text").expect("w");
    std::fs::write(dir.path().join(".hidden.jpg"), b"\xFF\xD8\xFF\xE0").expect("w");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    let listing = crate::app::effects::attach::list(dir.path()).expect("list");
    let names: Vec<&str> = listing.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["sub", "photo.txt"]);
    assert_eq!(listing.entries[1].media_type, Some("image/jpeg"));
    assert!(
        listing.entries[1].file_time,
        "no EXIF: the file time, marked"
    );
    assert_eq!(listing.skipped, 1);
}

#[test]
fn the_selected_photo_is_asked_for_once_and_drawn_in_half_blocks_at_80x24_and_120x40() {
    use crate::app::preview::{Made, encode};
    use image::ImageFormat;
    let dir = tempfile::tempdir().expect("dir");
    let png = crate::app::preview::tests::picture(dir.path(), "p.png", 400, 300, ImageFormat::Png);
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App {
        screen: Screen::Checklist(Checklist::new(view(&catalog), None)),
        ..App::default()
    };
    feed(&mut app, &ctx, [ch('i')]);
    let mut photo = file("现场.png", Some(30));
    photo.media_type = Some("image/png");
    photo.path = png.clone();
    let listing = Listing {
        dir: PathBuf::from("/照片"),
        entries: vec![photo, file("IMG_0001.jpg", Some(120))],
        skipped: 0,
    };
    let effects = feed(&mut app, &ctx, [Msg::FolderListed(Ok(listing))]);
    let key = (png.clone(), 3_400_000);
    assert_eq!(
        effects,
        vec![Effect::Thumbnail {
            key: key.clone(),
            cells: None
        }]
    );
    // Asked once: moving away and back asks again only for what is not on its way.
    let effects = feed(&mut app, &ctx, [key_down(), key_up()]);
    assert_eq!(effects.len(), 1, "only the JPEG below: {effects:?}");
    // Until the worker answers, the preview says it is coming.
    let waiting = crate::ui::tests::render(&app, &ctx, 120, 40);
    assert!(waiting.contains("正在生成预览"), "{waiting}");
    let made = encode(&ratatui_image::picker::Picker::halfblocks(), &png, None);
    feed(&mut app, &ctx, [Msg::Thumbnail(key, Made(made))]);
    crate::ui::tests::snap("attach_preview", &app, &ctx);
    // The text shows little of half blocks (their colours are the picture): the left half
    // of the photo is red, the right half blue.
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("terminal");
    terminal
        .draw(|f| crate::ui::draw(f, &app, &ctx))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let colours: Vec<ratatui::style::Color> =
        buffer.content().iter().flat_map(|c| [c.fg, c.bg]).collect();
    let has = |want: fn(u8, u8, u8) -> bool| {
        colours.iter().any(|c| match c {
            ratatui::style::Color::Rgb(r, g, b) => want(*r, *g, *b),
            _ => false,
        })
    };
    assert!(has(|r, _, b| r > 180 && b < 80), "red half drawn");
    assert!(has(|r, _, b| b > 180 && r < 80), "blue half drawn");
}

fn key_down() -> Msg {
    key(KeyCode::Down)
}

fn key_up() -> Msg {
    key(KeyCode::Up)
}

#[test]
fn real_camera_files_list_with_the_time_they_record_heic_and_video_included() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media");
    let dir = tempfile::tempdir().expect("temp");
    for name in [
        "exif.heic",
        "sony-a7-xavc.mp4",
        "exif-no-tz.jpg",
        "exif.jpg",
    ] {
        std::fs::copy(fixtures.join(name), dir.path().join(name)).expect("copy");
    }
    let listing = crate::app::effects::attach::list(dir.path()).expect("list");
    let row = |name: &str| {
        listing
            .entries
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("{name} not listed"))
    };
    assert_eq!(row("exif.heic").media_type, Some("image/heic"));
    assert_eq!(row("sony-a7-xavc.mp4").media_type, Some("video/mp4"));
    // The phone's and the camera's own times, not the copy's.
    for name in ["sony-a7-xavc.mp4", "exif-no-tz.jpg"] {
        assert!(!row(name).file_time, "{name}: {:?}", row(name));
    }
    // exif.jpg records only DateTime (a change time): its file time, marked.
    assert!(row("exif.jpg").file_time);
}
