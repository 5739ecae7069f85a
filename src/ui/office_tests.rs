//! Snapshots of the office's screens at 80×24 and 120×40: the ledger's hazard entry, the
//! month's hazard and disclosure lists, the records behind a row with one selected.

use crate::app::msg::{CorrectionTarget, Msg};
use crate::app::screens::Screen;
use crate::app::screens::explain::Explain;
use crate::app::screens::monthly::Monthly;
use crate::app::state::App;
use crate::app::tests::{catalog, ctx_at_now, enterprise, feed, key, meta};
use crate::report::hazard_list::{ListedHazard, Window};
use crate::report::month_lists::{self, MonthList, Which};
use crossterm::event::KeyCode;
use unicode_width::UnicodeWidthStr;

fn snap(name: &str, app: &App, ctx: &crate::app::screens::Ctx) {
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = super::tests::render(app, ctx, w, h);
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
fn the_office_hazard_entry() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App {
        screen: Screen::Ledger(Box::default()),
        ..App::default()
    };
    feed(
        &mut app,
        &ctx,
        [Msg::OfficeHazardReady {
            enterprise: Box::new(enterprise()),
            refused: None,
            draft: None,
        }],
    );
    snap("office_hazard_self_check", &app, &ctx);
    // 群众举报: 匿名 and 举报奖励 join the form.
    feed(&mut app, &ctx, [key(KeyCode::Right)]);
    snap("office_hazard_public_report", &app, &ctx);
}

fn listed(seq: usize) -> ListedHazard {
    ListedHazard {
        seq,
        number: Some(format!("FS202309{seq:03}")),
        hazard_id: uuid::Uuid::nil(),
        enterprise: format!("方山县圪洞第{seq}加油站有限公司"),
        town: "圪洞镇".into(),
        description: if seq == 2 {
            "举报人张三（电话13812345678）反映：储罐区可燃气体报警器失效，夜间违规卸油".into()
        } else {
            "储罐区未设置可燃气体检测报警装置".into()
        },
        location: "储罐区".into(),
        source: "群众举报",
        found_on: chrono::NaiveDate::from_ymd_opt(2023, 9, 1 + seq as u32 % 20).expect("day"),
        responsible_person: Some("王经理".into()),
        measures: Some("加装报警装置".into()),
        deadline: chrono::NaiveDate::from_ymd_opt(2023, 10, 15),
        stage: "整改中",
        tracking_person: Some("刘副县长".into()),
        closed_out_on: None,
    }
}

/// The lists as `month_lists::build` makes them, over a few hazards.
fn lists(window: Window) -> (MonthList, MonthList) {
    let catalog = catalog();
    let lines: Vec<ListedHazard> = (1..=14).map(listed).collect();
    let list =
        |which| month_lists::from_lines(&catalog.campaign, window, &lines, which).expect("list");
    (list(Which::Hazards), list(Which::Disclosure))
}

#[test]
fn the_months_hazard_and_disclosure_lists() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App {
        screen: Screen::Monthly(Box::new(Monthly::new(&ctx, None))),
        ..App::default()
    };
    let Screen::Monthly(m) = &app.screen else {
        unreachable!()
    };
    let (year, month) = (m.year, m.month);
    let window = Window::month(year, month).expect("month");
    let (hazards, public) = lists(window);
    feed(&mut app, &ctx, [crate::app::tests::ch('h')]);
    snap("month_list_loading", &app, &ctx);
    feed(
        &mut app,
        &ctx,
        [Msg::MonthListLoaded(
            Box::new(hazards),
            "/home/李建山/文档".into(),
        )],
    );
    feed(&mut app, &ctx, [key(KeyCode::Down), key(KeyCode::Down)]);
    snap("month_list_hazards", &app, &ctx);
    feed(&mut app, &ctx, [key(KeyCode::End)]);
    snap("month_list_hazards_end", &app, &ctx);
    feed(&mut app, &ctx, [crate::app::tests::ch('x')]);
    snap("month_list_export", &app, &ctx);
    feed(&mut app, &ctx, [key(KeyCode::Esc), key(KeyCode::Esc)]);
    feed(&mut app, &ctx, [crate::app::tests::ch('g')]);
    feed(
        &mut app,
        &ctx,
        [Msg::MonthListLoaded(
            Box::new(public),
            "/home/李建山/文档".into(),
        )],
    );
    let screen = super::tests::render(&app, &ctx, 120, 40);
    assert!(
        !screen.contains("13812345678") && !screen.contains("张三"),
        "{screen}"
    );
    assert!(
        !screen.contains("王经理") && !screen.contains("刘副县长"),
        "{screen}"
    );
    snap("month_list_disclosure", &app, &ctx);
}

#[test]
fn the_records_behind_a_row_with_one_selected_and_its_correction() {
    use crate::domain::{Activity, ActivityKind, ActivityLevel, Record};
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App {
        screen: Screen::Monthly(Box::new(Monthly::new(&ctx, None))),
        ..App::default()
    };
    let ids: Vec<uuid::Uuid> = (1..=3u128)
        .map(|i| uuid::Uuid::from_u128(0x0189_f000_0000_7000_8000_0000_0000_0000 + i))
        .collect();
    let mut lines = vec![
        (
            "D1 专项行动小组专题学习安全生产十五条硬措施（次）：3".to_string(),
            None,
        ),
        (
            "范围：方山县应急管理局（全局），2023-07-29 至 2023-08-28".to_string(),
            None,
        ),
        (String::new(), None),
        ("计入的记录：3 条".to_string(), None),
    ];
    for (i, id) in ids.iter().enumerate() {
        lines.push((
            format!(
                "  2023-08-{:02}  专题学习十五条硬措施：第{}次集中学习  {id}",
                10 + i,
                i + 1
            ),
            Some(*id),
        ));
    }
    if let Screen::Monthly(m) = &mut app.screen {
        m.explain = Some(Explain {
            title: "D1 计入的记录".into(),
            lines,
            selected: Some(5),
        });
    }
    snap("monthly_explain_selected", &app, &ctx);
    let activity = Record {
        meta: meta(),
        data: Activity {
            kind: ActivityKind::GroupStudy,
            level: ActivityLevel::County,
            group_code: None,
            held_on: chrono::NaiveDate::from_ymd_opt(2023, 8, 11).expect("day"),
            title: "专题学习十五条硬措施：第2次集中学习".into(),
            amount_fen: None,
            count: None,
            anonymous: false,
            note: String::new(),
            corrects: None,
        },
    };
    feed(
        &mut app,
        &ctx,
        [Msg::CorrectionReady {
            target: Ok(CorrectionTarget::Activity(activity)),
            draft: None,
        }],
    );
    snap("activity_correction_form", &app, &ctx);
}
