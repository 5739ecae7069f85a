//! TUI costs an inspector feels: time to first frame, and key-press to frame on a 200-item
//! checklist and in the picker over 100 000 enterprises (medians and p99). The floor is a
//! blank frame of the same size. Run with `cargo bench --bench tui`.

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use paicha::app::msg::{EnterpriseIndex, EnterpriseRow, InspectionView, Msg};
use paicha::app::screens::Ctx;
use paicha::app::state::App;
use paicha::domain::*;
use paicha::templates::Catalog;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

const W: u16 = 120;
const H: u16 = 40;

#[path = "support/stats.rs"]
mod stats;
use stats::stats;

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn main() {
    let catalog = Catalog::builtin().expect("catalog");
    let mut terminal = Terminal::new(TestBackend::new(W, H)).expect("terminal");

    // Floor: a blank frame of the same size.
    let blank: Vec<Duration> = (0..500)
        .map(|_| {
            let t = Instant::now();
            terminal.draw(|_| {}).expect("draw");
            t.elapsed()
        })
        .collect();
    println!(
        "floor: blank {W}x{H} frame                     {}",
        stats(blank)
    );

    // First frame: open the data dir, load the configuration, run the start-up effects, draw.
    let dir = tempfile::tempdir().expect("dir");
    drop(paicha::storage::Store::open(dir.path(), Arc::new(SystemClock)).expect("create"));
    let first: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            let catalog = Catalog::builtin().expect("catalog");
            let mut store =
                paicha::storage::Store::open(dir.path(), Arc::new(SystemClock)).expect("open");
            let mut runner = paicha::app::effects::Runner::new(&mut store, &catalog, String::new());
            let mut app = App::default();
            let ctx = Ctx {
                catalog: &catalog,
                now: Utc::now(),
            };
            let effects = paicha::app::startup(&runner);
            paicha::app::settle(&mut app, &mut runner, effects, &ctx);
            terminal
                .draw(|f| paicha::ui::draw(f, &app, &ctx))
                .expect("draw");
            t.elapsed()
        })
        .collect();
    println!(
        "first frame (open store, config, home, draw)  {}",
        stats(first)
    );

    // Key to frame on a 200-item checklist (update + draw; the answer's durable commit is in
    // the storage bench).
    let items: Vec<ItemSnapshot> = (0..200)
        .map(|i| ItemSnapshot {
            code: format!("X-{i:03}"),
            template_id: "bench".into(),
            template_version: 1,
            section: format!("第{}部分 共二百项的长检查表", i / 20 + 1),
            question: format!("第{i}项：是否按规定设置并保持完好有效、检查记录齐全、责任人明确？"),
            basis: "某规定 第1条".into(),
        })
        .collect();
    let meta = RecordMeta::new(uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), Utc::now());
    let enterprise = Record {
        meta: meta.clone(),
        data: Enterprise {
            name: "方山县测试企业".into(),
            credit_code: CreditCode::parse("91350100M000100Y43").expect("code"),
            address: String::new(),
            town: String::new(),
            sector: String::new(),
            sector_code: None,
            risk_level: None,
            principal: String::new(),
            phone: String::new(),
        },
    };
    let inspection = Inspection::draft(
        enterprise.id(),
        InspectionMode::Unannounced,
        vec![],
        Utc::now(),
        vec![],
        items,
    );
    let view = InspectionView {
        inspection: Record {
            meta,
            data: inspection,
        },
        enterprise,
        inspector_names: vec!["甲".into(), "乙".into()],
        answers: HashMap::new(),
        hazards: vec![],
        evidence: vec![],
        exams: vec![],
        actions: vec![],
        time_corrections: vec![],
        evidence_corrections: vec![],
        attachments: vec![],
    };
    let ctx = Ctx {
        catalog: &catalog,
        now: Utc::now(),
    };
    let attach_view = view.clone();
    let mut app = App::default();
    app.update(Msg::InspectionOpened(Box::new(view), None), &ctx);
    let checklist: Vec<Duration> = (0..2000)
        .map(|i| {
            let t = Instant::now();
            app.update(key(if (i / 199) % 2 == 0 { 'j' } else { 'k' }), &ctx);
            terminal
                .draw(|f| paicha::ui::draw(f, &app, &ctx))
                .expect("draw");
            t.elapsed()
        })
        .collect();
    println!(
        "key to frame, 200-item checklist (j/k)        {}",
        stats(checklist)
    );

    // Key to frame in the picker over 100 000 enterprises.
    let towns = [
        "圪洞镇",
        "峪口镇",
        "大武镇",
        "北武当镇",
        "马坊镇",
        "积翠乡",
        "开府乡",
        "杨家会乡",
    ];
    let kinds = [
        "加油站",
        "燃气有限公司",
        "粮食储备库",
        "人防工程商场",
        "建材厂",
        "煤业公司",
    ];
    let rows: Vec<EnterpriseRow> = (0..100_000)
        .map(|i| EnterpriseRow {
            id: uuid::Uuid::now_v7(),
            name: format!(
                "方山县{}{}第{i}号{}",
                towns[i % 8],
                ["东", "西", "南", "北"][i % 4],
                kinds[i % 6]
            ),
            credit_code: format!("9114{i:014}"),
            town: towns[i % 8].into(),
            sector: kinds[i % 6].into(),
        })
        .collect();
    let t = Instant::now();
    let index = Arc::new(EnterpriseIndex::new(rows));
    println!(
        "build search index, 100 000 enterprises      {:>16.3?}",
        t.elapsed()
    );
    for q in ["f", "fs", "fsg"] {
        let t = Instant::now();
        let hits = paicha::app::search::rank(&index.keys, q);
        println!(
            "  rank {q:>4} over 100 000: {:>9.3?} ({} hits)",
            t.elapsed(),
            hits.len()
        );
    }
    let mut picker: Vec<Duration> = Vec::new();
    for _ in 0..20 {
        let mut app = App::default();
        app.update(key('n'), &ctx);
        app.update(Msg::EnterprisesLoaded(index.clone()), &ctx);
        for c in ['f', 's', 'g', 'd', 'j', 'y'] {
            let t = Instant::now();
            app.update(key(c), &ctx);
            terminal
                .draw(|f| paicha::ui::draw(f, &app, &ctx))
                .expect("draw");
            picker.push(t.elapsed());
        }
    }
    println!(
        "key to frame, picker over 100 000 (typing)    {}",
        stats(picker)
    );

    // The hazard ledger at 100 000 hazards: scrolling, a filter change and a search keystroke.
    use paicha::app::msg::{LedgerIndex, LedgerRowView};
    use paicha::domain::lifecycle::Stage;
    let rows: Vec<LedgerRowView> = (0..100_000)
        .map(|i| LedgerRowView {
            id: uuid::Uuid::from_u128(i as u128 + 1),
            number: Some(format!("方山-2023-{:02}-{:03}", i % 12 + 1, i % 1000)),
            enterprise: format!("方山县{}第{}号{}", towns[i % 8], i % 5000, kinds[i % 6]),
            town: towns[i % 8].to_string(),
            group: ["能源股", "粮食服务股", "人防办", "驻村工作队"][i % 4].to_string(),
            grade: if i % 4 == 0 {
                HazardGrade::General
            } else {
                HazardGrade::Major
            },
            source: HazardSource::ALL[i % 4],
            stage: Stage::ALL[i % 6],
            deadline: chrono::NaiveDate::from_ymd_opt(
                2023,
                1 + (i % 12) as u32,
                1 + (i % 28) as u32,
            ),
            days_left: Some(i as i64 % 60 - 30),
            overdue: i % 3 == 0,
            tracking_person: (i % 7 == 0).then(|| "李督办".to_string()),
            description: format!("储罐区紧急切断装置失效（{i}）"),
            found_at: Utc::now() - chrono::Duration::minutes(i as i64),
        })
        .collect();
    let index = Arc::new(LedgerIndex::new(rows));
    let mut app = App::default();
    app.update(key('l'), &ctx);
    let t = Instant::now();
    app.update(Msg::LedgerLoaded(index.clone()), &ctx);
    terminal
        .draw(|f| paicha::ui::draw(f, &app, &ctx))
        .expect("draw");
    println!(
        "ledger open, 100 000 hazards (filter, sort, draw) {:>14.3?}",
        t.elapsed()
    );
    let scroll: Vec<Duration> = (0..2000)
        .map(|i| {
            let t = Instant::now();
            app.update(key(if (i / 500) % 2 == 0 { 'j' } else { 'k' }), &ctx);
            terminal
                .draw(|f| paicha::ui::draw(f, &app, &ctx))
                .expect("draw");
            t.elapsed()
        })
        .collect();
    println!(
        "key to frame, ledger scroll (100 000)          {}",
        stats(scroll)
    );
    let filter: Vec<Duration> = (0..40)
        .map(|_| {
            let t = Instant::now();
            app.update(key('d'), &ctx);
            terminal
                .draw(|f| paicha::ui::draw(f, &app, &ctx))
                .expect("draw");
            t.elapsed()
        })
        .collect();
    println!(
        "key to frame, ledger filter toggle (100 000)   {}",
        stats(filter)
    );
    attach_browser(&mut terminal, attach_view, &ctx);
}

/// Key to frame in the attach browser over a folder of 1 000 photos, the selected one's
/// preview drawn in half blocks (the thumbnail already made, as after the worker answered).
fn attach_browser(terminal: &mut Terminal<TestBackend>, view: InspectionView, ctx: &Ctx) {
    use paicha::app::screens::attach::{Entry, Listing};
    let dir = tempfile::tempdir().expect("dir");
    let photo = dir.path().join("现场.jpg");
    image::RgbImage::from_fn(1600, 1200, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    })
    .save_with_format(&photo, image::ImageFormat::Jpeg)
    .expect("jpeg");
    let size = std::fs::metadata(&photo).expect("meta").len();
    // Every row names the same file: each move lands on a photo whose thumbnail is kept.
    let entries: Vec<Entry> = (0..1000)
        .map(|i| Entry {
            name: format!("IMG_{i:04}.jpg"),
            path: photo.clone(),
            media_type: Some("image/jpeg"),
            time: Some(Utc::now() - chrono::Duration::minutes(i)),
            file_time: false,
            size,
        })
        .collect();
    let mut app = App::default();
    app.update(Msg::InspectionOpened(Box::new(view), None), ctx);
    app.update(key('i'), ctx);
    app.update(
        Msg::FolderListed(Ok(Listing {
            dir: dir.path().to_path_buf(),
            entries,
            skipped: 0,
        })),
        ctx,
    );
    let picker = ratatui_image::picker::Picker::halfblocks();
    let t = Instant::now();
    let made = paicha::app::preview::encode(&picker, &photo, None);
    let thumb_time = t.elapsed();
    app.update(
        Msg::Thumbnail((photo.clone(), size), paicha::app::preview::Made(made)),
        ctx,
    );
    terminal
        .draw(|f| paicha::ui::draw(f, &app, ctx))
        .expect("draw");
    let keys: Vec<Duration> = (0..2000)
        .map(|i| {
            let t = Instant::now();
            app.update(key(if (i / 499) % 2 == 0 { 'j' } else { 'k' }), ctx);
            terminal
                .draw(|f| paicha::ui::draw(f, &app, ctx))
                .expect("draw");
            t.elapsed()
        })
        .collect();
    println!(
        "thumbnail of a 1600x1200 JPEG (worker thread)  {:>16.3?}",
        thumb_time
    );
    println!(
        "key to frame, attach browser + preview (j/k)  {}",
        stats(keys)
    );
}
