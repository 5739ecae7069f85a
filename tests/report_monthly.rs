//! The monthly progress table over a fixture whose every cell was worked out by hand (see the
//! comments at each record), in the three scopes; the rules on their boundaries; `explain`
//! listing exactly what was counted; and the CLI's output formats.

use chrono::{DateTime, NaiveDate, Utc};
use paicha::domain::lifecycle::Step;
use paicha::domain::trust::Role;
use paicha::domain::{
    Activity, ActivityKind, ActivityLevel, AnswerResult, CreditCode, EnforcementAction,
    EnforcementKind, Enterprise, FiveFixes, Hazard, HazardGrade, HazardSource, Inspection,
    InspectionMode, Inspector, ItemSnapshot, SystemClock, time,
};
use paicha::report::monthly::{self, MonthlyData, Period, Scope, Table};
use paicha::storage::Store;
use paicha::templates::Catalog;
use std::collections::BTreeMap;
use std::sync::Arc;
use uuid::Uuid;

/// Beijing wall-clock time.
fn bj(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    let day = NaiveDate::from_ymd_opt(y, m, d).expect("day");
    time::from_local(day.and_hms_opt(h, min, 0).expect("time"))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("day")
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: Store,
    ids: BTreeMap<&'static str, Uuid>,
}

fn enterprise(store: &mut Store, name: &str, code: &str, sector: &str) -> Uuid {
    store
        .add_enterprise(Enterprise {
            name: name.into(),
            credit_code: CreditCode::from_body(code).expect("code"),
            address: String::new(),
            town: "圪洞镇".into(),
            sector: sector.into(),
            sector_code: Some(sector.into()),
            risk_level: None,
            principal: String::new(),
            phone: String::new(),
        })
        .expect("enterprise")
        .id()
}

fn item(code: &str) -> ItemSnapshot {
    ItemSnapshot {
        code: code.into(),
        template_id: "duties".into(),
        template_version: 1,
        section: "任务".into(),
        question: format!("{code}？"),
        basis: String::new(),
    }
}

/// A finalized inspection with the given answers.
fn inspection(
    store: &mut Store,
    enterprise: Uuid,
    mode: InspectionMode,
    at: DateTime<Utc>,
    answers: &[(&str, AnswerResult)],
) -> Uuid {
    let me = store.author_id().expect("me");
    let items = answers.iter().map(|(c, _)| item(c)).collect();
    let id = store
        .create_inspection(Inspection::draft(
            enterprise,
            mode,
            vec![me],
            at,
            vec![],
            items,
        ))
        .expect("draft")
        .id();
    for (code, result) in answers {
        store.set_answer(id, code, *result, "").expect("answer");
    }
    store.finalize_inspection(id).expect("finalize");
    id
}

fn hazard(
    store: &mut Store,
    enterprise: Uuid,
    grade: HazardGrade,
    source: HazardSource,
    found: DateTime<Utc>,
    what: &str,
) -> Uuid {
    store
        .record_hazard(Hazard {
            enterprise_id: enterprise,
            inspection_id: None,
            item_code: None,
            grade,
            source,
            description: what.into(),
            location: String::new(),
            basis: String::new(),
            found_at: found,
            rectify_immediately: false,
            fixes: None,
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        })
        .expect("hazard")
        .id()
}

fn fixes() -> FiveFixes {
    FiveFixes {
        responsible_person: "王五".into(),
        measures: "更换".into(),
        funds: "1万元".into(),
        deadline: day(2023, 12, 31),
        emergency_plan: "停用".into(),
    }
}

/// Rectified, reported and verified (passed) at `at`.
fn verified(store: &mut Store, hazard: Uuid, at: DateTime<Utc>) {
    for step in [
        Step::Rectify {
            fixes: Some(fixes()),
        },
        Step::ReportRectified,
        Step::Verify {
            passed: true,
            by: "李建山".into(),
            new_deadline: None,
            case_opened: false,
        },
    ] {
        store.apply_step(hazard, step, at, "").expect("step");
    }
}

fn action(
    store: &mut Store,
    kind: EnforcementKind,
    enterprise: Uuid,
    on: NaiveDate,
    amount_fen: Option<i64>,
    persons: Option<u32>,
    corrects: Option<Uuid>,
) -> Uuid {
    store
        .record_enforcement(EnforcementAction {
            kind,
            enterprise_id: Some(enterprise),
            inspection_id: None,
            hazard_id: None,
            decided_on: on,
            document_no: String::new(),
            amount_fen,
            persons,
            dangerous_operation_crime: kind == EnforcementKind::CasePublication,
            note: String::new(),
            corrects,
        })
        .expect("action")
        .id()
}

fn activity(
    store: &mut Store,
    kind: ActivityKind,
    level: ActivityLevel,
    on: NaiveDate,
    amount_fen: Option<i64>,
    count: Option<u32>,
    anonymous: bool,
) -> Uuid {
    store
        .record_activity(Activity {
            kind,
            level,
            group_code: None, // the author's group
            held_on: on,
            title: format!("{} {on}", kind.label()),
            amount_fen,
            count,
            anonymous,
            note: String::new(),
            corrects: None,
        })
        .expect("activity")
        .id()
}

fn fixture() -> Fixture {
    use AnswerResult::{Compliant, NonCompliant};
    use HazardGrade::{General, Major};
    use HazardSource::*;
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(dir.path(), Arc::new(SystemClock)).expect("store");
    let mut ids = BTreeMap::new();
    store
        .set_profile(Inspector {
            name: "李建山".into(),
            cert_no: "14010001".into(),
            group_code: Some("energy".into()),
        })
        .expect("profile");
    paicha::demo::one_person_office(&mut store, "方山县应急管理局", "王国锋").expect("office");
    let li = store.author_id().expect("li");
    // Two fuel stations (the energy group's sector) and a grain depot.
    let e1 = enterprise(&mut store, "方山县甲加油站", "91350100M000100Y4", "fuel");
    let e3 = enterprise(&mut store, "方山县丙加油站", "91350100M00010011", "fuel");
    let e2 = enterprise(&mut store, "方山县乙粮库", "91350100M00010022", "grain");
    ids.insert("e1", e1);
    ids.insert("e2", e2);
    ids.insert("e3", e3);

    // --- by 李建山 (energy) ---
    // I1: e1 on 9-10, E6 and E12 non-compliant → B1 e1, B4 e1, B6 e1.
    inspection(
        &mut store,
        e1,
        InspectionMode::Unannounced,
        bj(2023, 9, 10, 9, 0),
        &[
            ("E1", Compliant),
            ("E6", NonCompliant),
            ("E12", NonCompliant),
        ],
    );
    // I2: e1 again on 9-20, E12 again → e1 still counts once in B1 and B6.
    inspection(
        &mut store,
        e1,
        InspectionMode::Covert,
        bj(2023, 9, 20, 9, 0),
        &[("E12", NonCompliant)],
    );
    // I3: e3 on 9-29 (after the cut-off): only from October on.
    inspection(
        &mut store,
        e3,
        InspectionMode::Unannounced,
        bj(2023, 9, 29, 8, 0),
        &[("E12", NonCompliant)],
    );
    // I4: a guidance visit to e3 on 8-15 → C2, not B.
    inspection(
        &mut store,
        e3,
        InspectionMode::Guidance,
        bj(2023, 8, 15, 10, 0),
        &[("E15", NonCompliant)],
    );
    // H1: found 9-28 23:30 Beijing, verified 9-28 23:50 → A3 and A4.
    let h1 = hazard(
        &mut store,
        e1,
        Major,
        Inspection,
        bj(2023, 9, 28, 23, 30),
        "储罐阀门失效",
    );
    verified(&mut store, h1, bj(2023, 9, 28, 23, 50));
    // H2: found 9-29 00:10 Beijing (still the 28th in UTC) → not in September.
    let h2 = hazard(
        &mut store,
        e1,
        Major,
        Inspection,
        bj(2023, 9, 29, 0, 10),
        "静电接地断开",
    );
    // H3: self-check, found 6-01, verified only on 9-29 → A1, not A2.
    let h3 = hazard(
        &mut store,
        e3,
        Major,
        SelfCheck,
        bj(2023, 6, 1, 9, 0),
        "自查：报警器失灵",
    );
    verified(&mut store, h3, bj(2023, 9, 29, 9, 0));
    // H4: a public report, but general → no A row.
    hazard(
        &mut store,
        e1,
        General,
        PublicReport,
        bj(2023, 9, 1, 9, 0),
        "举报：消防通道堵塞",
    );
    // H5: assigned from above, listed for supervision, verified and closed out → A7–A10.
    let h5 = hazard(
        &mut store,
        e1,
        Major,
        Assigned,
        bj(2023, 7, 1, 9, 0),
        "交办：卸油区无防护",
    );
    store
        .apply_step(
            h5,
            Step::ListForSupervision {
                tracking_person: "刘珍".into(),
            },
            bj(2023, 7, 2, 9, 0),
            "",
        )
        .expect("listed");
    verified(&mut store, h5, bj(2023, 8, 1, 9, 0));
    store
        .apply_step(
            h5,
            Step::CloseOut {
                signer: "王国锋".into(),
                signed_at: bj(2023, 8, 2, 9, 0),
                signer_id: None,
            },
            bj(2023, 8, 2, 9, 0),
            "",
        )
        .expect("closed out");
    ids.insert("h1", h1);
    ids.insert("h2", h2);
    ids.insert("h3", h3);
    ids.insert("h5", h5);

    use EnforcementKind as K;
    // C3: 3.5 万 on e1, a 一案双罚 of 1 万 on e3 (two decisions: the enterprise and its
    // principal), and a 1 万 penalty corrected to 2 万 → 4 次, 6.5 万元. C4: 1.
    action(
        &mut store,
        K::Penalty,
        e1,
        day(2023, 9, 12),
        Some(3_500_000),
        None,
        None,
    );
    action(
        &mut store,
        K::DualPenalty,
        e3,
        day(2023, 9, 13),
        Some(1_000_000),
        None,
        None,
    );
    let wrong = action(
        &mut store,
        K::Penalty,
        e3,
        day(2023, 9, 14),
        Some(1_000_000),
        None,
        None,
    );
    let right = action(
        &mut store,
        K::Penalty,
        e3,
        day(2023, 9, 14),
        Some(2_000_000),
        None,
        Some(wrong),
    );
    ids.insert("wrong", wrong);
    ids.insert("right", right);
    // After the cut-off: not in September.
    action(
        &mut store,
        K::Penalty,
        e1,
        day(2023, 10, 1),
        Some(9_000_000),
        None,
        None,
    );
    // C8: a second published case, not a 危险作业罪 one.
    store
        .record_enforcement(EnforcementAction {
            kind: K::CasePublication,
            enterprise_id: Some(e3),
            inspection_id: None,
            hazard_id: None,
            decided_on: day(2023, 9, 7),
            document_no: String::new(),
            amount_fen: None,
            persons: None,
            dangerous_operation_crime: false,
            note: String::new(),
            corrects: None,
        })
        .expect("case");
    // C6: e1 suspended twice (one enterprise), e3 closed.
    action(
        &mut store,
        K::Suspension,
        e1,
        day(2023, 9, 2),
        None,
        None,
        None,
    );
    action(
        &mut store,
        K::Suspension,
        e1,
        day(2023, 9, 3),
        None,
        None,
        None,
    );
    action(
        &mut store,
        K::Closure,
        e3,
        day(2023, 9, 4),
        None,
        None,
        None,
    );
    // C5: 2 persons. C8: one case, a 危险作业罪 one.
    action(
        &mut store,
        K::JudicialTransfer,
        e1,
        day(2023, 9, 5),
        None,
        Some(2),
        None,
    );
    action(
        &mut store,
        K::CasePublication,
        e1,
        day(2023, 9, 6),
        None,
        None,
        None,
    );

    use ActivityKind as A;
    use ActivityLevel::{County, Town};
    // D1: 县 1, 镇 1 (the 9-29 one is after the cut-off).
    activity(
        &mut store,
        A::GroupStudy,
        County,
        day(2023, 9, 1),
        None,
        None,
        false,
    );
    activity(
        &mut store,
        A::GroupStudy,
        Town,
        day(2023, 9, 28),
        None,
        None,
        false,
    );
    activity(
        &mut store,
        A::GroupStudy,
        Town,
        day(2023, 9, 29),
        None,
        None,
        false,
    );
    // D5: 0.5 万 anonymous + 0.2 万 → 0.7, of which anonymous 0.5. D6 yes. D7 县 3.
    activity(
        &mut store,
        A::ReportReward,
        County,
        day(2023, 8, 1),
        Some(500_000),
        None,
        true,
    );
    activity(
        &mut store,
        A::ReportReward,
        County,
        day(2023, 8, 2),
        Some(200_000),
        None,
        false,
    );
    activity(
        &mut store,
        A::MediaColumn,
        County,
        day(2023, 6, 1),
        None,
        None,
        false,
    );
    activity(
        &mut store,
        A::TechInspectors,
        County,
        day(2023, 5, 1),
        None,
        Some(3),
        false,
    );

    // --- by 王粮 (grain group), on the same device ---
    store
        .set_profile(Inspector {
            name: "王粮".into(),
            cert_no: "14010002".into(),
            group_code: Some("grain".into()),
        })
        .expect("profile");
    store
        .enrol_profile(&[Role::Inspector, Role::GroupLeader, Role::Clerk])
        .expect("enrolled");
    assert_ne!(store.author_id().expect("wang"), li, "a second author");
    // The grain depot, E4 non-compliant → B1, B2, B3 (E4 feeds both) for grain and all.
    inspection(
        &mut store,
        e2,
        InspectionMode::Unannounced,
        bj(2023, 9, 5, 9, 0),
        &[("E4", NonCompliant)],
    );
    // H6: a major hazard at a fuel station found by the grain group: energy's sector, not
    // energy's own section.
    let h6 = hazard(
        &mut store,
        e1,
        Major,
        Inspection,
        bj(2023, 9, 5, 10, 0),
        "油罐区违规动火",
    );
    ids.insert("h6", h6);
    // The grain group's study: not energy's.
    activity(
        &mut store,
        A::GroupStudy,
        County,
        day(2023, 9, 7),
        None,
        None,
        false,
    );

    Fixture {
        _dir: dir,
        store,
        ids,
    }
}

fn table(f: &Fixture, scope: Scope, month: u32) -> Table {
    let catalog = Catalog::builtin().expect("catalog");
    let data = MonthlyData::load(&f.store, &catalog).expect("load");
    let period = Period::month(catalog.campaign.start, 2023, month).expect("period");
    monthly::table(&data.input(), &scope, period, "调度表", "单位")
}

fn energy_sector() -> Scope {
    Scope::Sector {
        group: "energy".into(),
        sectors: vec!["town_gas".into(), "fuel".into(), "high_rise".into()],
    }
}

/// Every figure of the table as "CODE split=value".
fn figures(t: &Table) -> Vec<String> {
    t.rows
        .iter()
        .flat_map(|r| {
            r.cells
                .iter()
                .map(move |c| format!("{} {}={}", r.code, c.split, c.figure.text()))
        })
        .collect()
}

fn expected(cells: &str) -> Vec<String> {
    cells
        .split_whitespace()
        .collect::<Vec<_>>()
        .chunks(2)
        .map(|p| format!("{} {}", p[0], p[1]))
        .collect()
}

#[test]
fn the_energy_groups_own_september_table_is_the_hand_worked_one() {
    let f = fixture();
    let t = table(
        &f,
        Scope::Own {
            group: "energy".into(),
        },
        9,
    );
    let want = expected(
        "A1 =1 A2 =0 A3 =1 A4 =1 A5 =0 A6 =0 A7 =1 A8 =1 A9 =1 A10 =1 \
         B1 =1 B2 =0 B3 =0 B4 =1 B5 =0 B6 =1 B7 =0 B8 =0 \
         C1 =0 C2 =1 C3 次=4 C3 万元=6.5 C4 =1 C5 =2 C6 停产=1 C6 关闭=1 C7 =0 \
         C8 =2 C8 其中危险作业罪=1 C9 =0 C10 =0 \
         D1 县=1 D1 镇=1 D1 部门=0 D2 县=0 D2 镇=0 D2 部门=0 D3 县=0 D3 镇=0 D3 部门=0 \
         D4 =0 D5 =0.7 D5 其中匿名举报查实=0.5 D6 =是 D7 县=3 D7 镇=0 D8 =0",
    );
    assert_eq!(figures(&t), want);
    assert_eq!(t.period.from, day(2023, 4, 25));
    assert_eq!(t.period.to, day(2023, 9, 28));
}

#[test]
fn the_sector_and_bureau_scopes_take_in_other_groups_records() {
    let f = fixture();
    let sector = table(&f, energy_sector(), 9);
    let pick = |t: &Table, code: &str| {
        t.row(code)
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| c.figure.text())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default()
    };
    // H6 (a fuel station, found by the grain group) joins A3; the grain depot stays out.
    assert_eq!(pick(&sector, "A3"), "2");
    assert_eq!(pick(&sector, "B1"), "1");
    assert_eq!(pick(&sector, "B2"), "0");
    // Organisational work is the group's own in both scopes.
    assert_eq!(pick(&sector, "D1"), "1/1/0");

    let all = table(&f, Scope::All, 9);
    assert_eq!(pick(&all, "A3"), "2");
    assert_eq!(pick(&all, "B1"), "2");
    assert_eq!(pick(&all, "B2"), "1");
    assert_eq!(pick(&all, "B3"), "1");
    assert_eq!(pick(&all, "D1"), "2/1/0");

    let grain = table(
        &f,
        Scope::Own {
            group: "grain".into(),
        },
        9,
    );
    assert_eq!(pick(&grain, "A3"), "1");
    assert_eq!(pick(&grain, "B1"), "1");
    assert_eq!(pick(&grain, "C3"), "0/0");
}

#[test]
fn the_cut_off_is_the_28th_in_beijing_time_and_later_facts_wait_for_the_next_month() {
    let f = fixture();
    let own = Scope::Own {
        group: "energy".into(),
    };
    let sept = table(&f, own.clone(), 9);
    let oct = table(&f, own, 10);
    let ids = |t: &Table, code: &str| -> Vec<Uuid> {
        t.row(code)
            .map(|r| r.cells[0].records.iter().map(|c| c.id).collect())
            .unwrap_or_default()
    };
    // Found 23:30 on the 28th: in; found 00:10 on the 29th: out until October.
    assert!(ids(&sept, "A3").contains(&f.ids["h1"]));
    assert!(!ids(&sept, "A3").contains(&f.ids["h2"]));
    assert!(ids(&oct, "A3").contains(&f.ids["h2"]));
    // Rectified after the cut-off: A1 now, A2 only in October.
    assert_eq!(ids(&sept, "A1"), vec![f.ids["h3"]]);
    assert!(ids(&sept, "A2").is_empty());
    assert_eq!(ids(&oct, "A2"), vec![f.ids["h3"]]);
    // The 9-29 inspection of e3 joins B6 in October; e1 still counts once.
    assert_eq!(ids(&sept, "B6"), vec![f.ids["e1"]]);
    let mut b6 = ids(&oct, "B6");
    b6.sort();
    let mut want = vec![f.ids["e1"], f.ids["e3"]];
    want.sort();
    assert_eq!(b6, want);
    // The October penalty.
    let c3 = |t: &Table| {
        t.row("C3")
            .map(|r| r.cells[1].figure.text())
            .unwrap_or_default()
    };
    assert_eq!(c3(&sept), "6.5");
    assert_eq!(c3(&oct), "15.5");
    // Before the campaign had a 28th: nothing to count, said so.
    assert!(Period::parse_month(day(2023, 4, 25), "2023-03").is_err());
    assert!(Period::parse_month(day(2023, 4, 25), "2023-04").is_ok());
    assert!(Period::parse_month(day(2023, 4, 25), "2023-9").is_err());
    assert!(Period::parse_month(day(2023, 4, 25), "2023-05").is_ok());
}

#[test]
fn a_corrected_action_counts_only_in_its_correction_and_explain_lists_what_was_counted() {
    let f = fixture();
    let t = table(
        &f,
        Scope::Own {
            group: "energy".into(),
        },
        9,
    );
    let c3 = t.row("C3").expect("C3");
    let counted: Vec<Uuid> = c3.cells[0].records.iter().map(|r| r.id).collect();
    assert!(counted.contains(&f.ids["right"]));
    assert!(!counted.contains(&f.ids["wrong"]));
    // Every cell's figure is what its records add up to.
    for row in &t.rows {
        for cell in &row.cells {
            if let monthly::Figure::Count(n) = cell.figure {
                let persons = matches!(row.code, "C5" | "C9" | "D7");
                // An 一案双罚 is two penalty decisions, and says so.
                let decisions = cell
                    .records
                    .iter()
                    .filter(|r| r.what.contains("企业和主要负责人各一次"))
                    .count();
                if !persons {
                    assert_eq!(
                        n as usize,
                        cell.records.len() + decisions,
                        "{} {}",
                        row.code,
                        cell.split
                    );
                }
            }
        }
    }
    let text = monthly::render::explain(&t, c3);
    assert!(text.contains(&f.ids["right"].to_string()), "{text}");
    assert!(!text.contains(&f.ids["wrong"].to_string()), "{text}");
    assert!(text.contains("次（4）：3 条"), "{text}");
    assert!(
        text.contains("一案双罚 方山县丙加油站，企业和主要负责人各一次"),
        "{text}"
    );
}

#[test]
fn the_xlsx_reads_back_as_the_paper_form_and_its_data_sheet_holds_every_figure() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let f = fixture();
    let t = table(
        &f,
        Scope::Own {
            group: "energy".into(),
        },
        9,
    );
    let bytes = monthly::xlsx::workbook(&t).expect("xlsx");
    // Both sheets print on A4: the form on one landscape page, the data fitted to the width.
    {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("zip");
        let mut sheet = |n: u32| {
            let mut xml = String::new();
            zip.by_name(&format!("xl/worksheets/sheet{n}.xml"))
                .expect("sheet")
                .read_to_string(&mut xml)
                .expect("xml");
            xml
        };
        let form = sheet(1);
        assert!(
            form.contains(r#"paperSize="9""#) && form.contains(r#"orientation="landscape""#),
            "{form}"
        );
        let data = sheet(2);
        assert!(
            data.contains(r#"paperSize="9""#)
                && data.contains(r#"fitToPage="1""#)
                && data.contains(r#"fitToHeight="0""#),
            "{data}"
        );
    }
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("open");
    let form = book.worksheet_range("调度表").expect("form sheet");
    let text = |r: u32, c: u32| match form.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(x)) => x.to_string(),
        Some(Data::Int(x)) => x.to_string(),
        other => format!("{other:?}"),
    };
    assert_eq!(text(0, 0), "调度表");
    assert_eq!(text(1, 0), "填报单位：单位（本股室）");
    assert_eq!(text(1, 4), "时间：2023年9月28日", "the form's wording");
    // Two items a line: A1 | A2 on the first line of section A.
    assert_eq!(text(2, 0), "总体情况");
    assert_eq!((text(2, 1), text(2, 3)), ("1".into(), "1".into()));
    assert_eq!(text(2, 2), "企业自查发现的重大事故隐患（个）");
    assert_eq!((text(2, 4), text(2, 6)), ("2".into(), "0".into()));
    // Section B starts after A's five lines; B6 is on its third line, right half.
    assert_eq!(text(7, 0), "对企业自查自改进行抽查检查情况");
    assert_eq!((text(9, 4), text(9, 6)), ("6".into(), "1".into()));
    // Split rows written as the form words them.
    // One split a line: a value never breaks inside "万元（6.5）".
    assert_eq!(text(12, 3), "次（4）\n万元（6.5）");
    assert_eq!(text(16, 0), "组织领导情况");
    assert_eq!(text(16, 3), "县（1）\n镇（1）\n部门（0）");
    // The section names are merged down their lines.
    let merged: Vec<(u32, u32, u32, u32)> = book
        .merge_cells_by_sheet_name("调度表")
        .expect("merged")
        .iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    for region in [
        (0, 0, 0, 6),
        (2, 0, 6, 0),
        (7, 0, 10, 0),
        (11, 0, 15, 0),
        (16, 0, 19, 0),
    ] {
        assert!(merged.contains(&region), "{region:?} in {merged:?}");
    }

    let data = book.worksheet_range("数据").expect("data sheet");
    let mut read = Vec::new();
    for r in 1..data.height() as u32 {
        let cell = |c: u32| data.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        let code = cell(1).to_string();
        let split = cell(3).to_string();
        let value = match cell(4) {
            Data::Float(x) => format!("{x}"),
            Data::Int(x) => x.to_string(),
            other => other.to_string(),
        };
        read.push(format!("{code} {split}={value}"));
    }
    assert_eq!(read, figures(&t), "every figure, numbers as numbers");
}

/// C7 takes in enterprises interviewed (约谈) as well as exposed, once each; D7 is the staff in
/// post (the latest head count), not the sum of every time they were logged.
#[test]
fn c7_counts_exposed_or_interviewed_enterprises_once_and_d7_is_a_stock() {
    use ActivityLevel::County;
    use EnforcementKind as K;
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(dir.path(), Arc::new(SystemClock)).expect("store");
    store
        .set_profile(Inspector {
            name: "李建山".into(),
            cert_no: "14010001".into(),
            group_code: Some("energy".into()),
        })
        .expect("profile");
    paicha::demo::one_person_office(&mut store, "方山县应急管理局", "王国锋").expect("office");
    let e1 = enterprise(&mut store, "方山县甲加油站", "91350100M000100Y4", "fuel");
    let e2 = enterprise(&mut store, "方山县丙加油站", "91350100M00010011", "fuel");
    action(
        &mut store,
        K::Exposure,
        e1,
        day(2023, 9, 1),
        None,
        None,
        None,
    );
    action(
        &mut store,
        K::InterviewNotice,
        e1,
        day(2023, 9, 2),
        None,
        None,
        None,
    );
    action(
        &mut store,
        K::InterviewNotice,
        e2,
        day(2023, 9, 3),
        None,
        None,
        None,
    );
    // The same three technical inspectors logged in May and again in August; one more in
    // September: four in post, not ten.
    for (m, n) in [(5, 3), (8, 3), (9, 4)] {
        activity(
            &mut store,
            ActivityKind::TechInspectors,
            County,
            day(2023, m, 1),
            None,
            Some(n),
            false,
        );
    }
    let f = Fixture {
        _dir: dir,
        store,
        ids: BTreeMap::new(),
    };
    let t = table(
        &f,
        Scope::Own {
            group: "energy".into(),
        },
        9,
    );
    let figure = |code: &str, i: usize| {
        t.row(code)
            .map(|r| r.cells[i].figure.text())
            .unwrap_or_default()
    };
    assert_eq!(
        figure("C7", 0),
        "2",
        "e1 exposed and interviewed, e2 interviewed"
    );
    assert_eq!(figure("C10", 0), "2", "two 约谈通报");
    assert_eq!(figure("D7", 0), "4", "the latest head count");
    // In August, the count then.
    let t = table(
        &f,
        Scope::Own {
            group: "energy".into(),
        },
        8,
    );
    assert_eq!(
        t.row("D7")
            .map(|r| r.cells[0].figure.text())
            .unwrap_or_default(),
        "3"
    );
}

/// The figures of `codes` in a table, as "CODE split=value".
fn some(t: &Table, codes: &[&str]) -> Vec<String> {
    figures(t)
        .into_iter()
        .filter(|f| codes.iter().any(|c| f.split(' ').next() == Some(*c)))
        .collect()
}

fn own(group: &str) -> Scope {
    Scope::Own {
        group: group.into(),
    }
}

/// A store whose profile is 李建山 (energy), with an office roster, and a fuel station and
/// a grain depot.
fn office_store() -> (tempfile::TempDir, Store, Uuid, Uuid) {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(dir.path(), Arc::new(SystemClock)).expect("store");
    store
        .set_profile(Inspector {
            name: "李建山".into(),
            cert_no: "14010001".into(),
            group_code: Some("energy".into()),
        })
        .expect("profile");
    paicha::demo::one_person_office(&mut store, "方山县应急管理局", "王国锋").expect("office");
    let fuel = enterprise(&mut store, "方山县甲加油站", "91350100M000100Y4", "fuel");
    let grain = enterprise(&mut store, "方山县乙粮库", "91350100M00010022", "grain");
    (dir, store, fuel, grain)
}

/// 谁检查、谁签名、谁负责: an inspection made by inspectors of two groups counts in each
/// group's own table, with the hazard found on it and the penalty decided on it; the bureau
/// counts each once. A colleague typed in by name takes the roster's group of that name.
#[test]
fn a_co_inspector_brings_the_inspection_and_what_was_recorded_on_it_to_their_groups_own_table() {
    use paicha::domain::trust::Body;
    let (dir, mut store, fuel, grain) = office_store();
    let me = store.author_id().expect("me");
    // 张婷 of the grain group, known with her group; 薛新明 typed in by name only, in the
    // roster as a member of the grain group.
    let zhang = store
        .add_inspector(Inspector {
            name: "张婷".into(),
            cert_no: "14010005".into(),
            group_code: Some("grain".into()),
        })
        .expect("zhang")
        .id();
    let xue = store
        .add_inspector(Inspector {
            name: "薛新明".into(),
            cert_no: String::new(),
            group_code: None,
        })
        .expect("xue")
        .id();
    store
        .roster_append(vec![Body::Person {
            person_id: paicha::storage::new_person_id(),
            name: "薛新明".into(),
            cert_no: String::new(),
            group_code: Some("grain".into()),
            roles: vec![Role::Inspector],
            active: true,
        }])
        .expect("roster");

    // 李建山 (energy) with 张婷 (grain) at the fuel station: E12 non-compliant, a major hazard
    // and a penalty recorded on the inspection.
    let joint = store
        .create_inspection(Inspection::draft(
            fuel,
            InspectionMode::Joint,
            vec![me, zhang],
            bj(2023, 9, 5, 9, 0),
            vec![],
            vec![item("E12")],
        ))
        .expect("draft")
        .id();
    store
        .set_answer(joint, "E12", AnswerResult::NonCompliant, "")
        .expect("answer");
    let found = store
        .record_hazard(Hazard {
            enterprise_id: fuel,
            inspection_id: Some(joint),
            item_code: Some("E12".into()),
            grade: HazardGrade::Major,
            source: HazardSource::Inspection,
            description: "焊工无证动火".into(),
            location: String::new(),
            basis: String::new(),
            found_at: bj(2023, 9, 5, 10, 0),
            rectify_immediately: false,
            fixes: None,
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        })
        .expect("hazard")
        .id();
    store.finalize_inspection(joint).expect("finalize");
    store
        .record_enforcement(EnforcementAction {
            kind: EnforcementKind::Penalty,
            enterprise_id: None,
            inspection_id: Some(joint),
            hazard_id: None,
            decided_on: day(2023, 9, 6),
            document_no: String::new(),
            amount_fen: Some(1_000_000),
            persons: None,
            dangerous_operation_crime: false,
            note: String::new(),
            corrects: None,
        })
        .expect("penalty");
    // 李建山 with 薛新明 (grain by the roster) at the grain depot.
    let with_xue = store
        .create_inspection(Inspection::draft(
            grain,
            InspectionMode::Unannounced,
            vec![me, xue],
            bj(2023, 9, 7, 9, 0),
            vec![],
            vec![item("E15")],
        ))
        .expect("draft")
        .id();
    store
        .set_answer(with_xue, "E15", AnswerResult::NonCompliant, "")
        .expect("answer");
    store.finalize_inspection(with_xue).expect("finalize");
    // 李建山 alone: energy's only.
    inspection(
        &mut store,
        fuel,
        InspectionMode::Covert,
        bj(2023, 9, 8, 9, 0),
        &[("E4", AnswerResult::NonCompliant)],
    );

    let f = Fixture {
        _dir: dir,
        store,
        ids: BTreeMap::new(),
    };
    let codes = ["A3", "B1", "B3", "B6", "B8", "C3"];
    let grain_own = table(&f, own("grain"), 9);
    assert_eq!(
        some(&grain_own, &codes),
        expected("A3 =1 B1 =2 B3 =0 B6 =1 B8 =1 C3 次=1 C3 万元=1"),
        "the grain group took part in both joint inspections"
    );
    let a3: Vec<Uuid> = grain_own
        .row("A3")
        .map(|r| r.cells[0].records.iter().map(|c| c.id).collect())
        .unwrap_or_default();
    assert_eq!(a3, vec![found]);
    assert_eq!(
        some(&table(&f, own("energy"), 9), &codes),
        expected("A3 =1 B1 =2 B3 =1 B6 =1 B8 =1 C3 次=1 C3 万元=1")
    );
    // The bureau counts every record once, however many groups took part.
    assert_eq!(
        some(&table(&f, Scope::All, 9), &codes),
        expected("A3 =1 B1 =2 B3 =1 B6 =1 B8 =1 C3 次=1 C3 万元=1")
    );
    assert_eq!(
        some(&table(&f, own("village"), 9), &codes),
        expected("A3 =0 B1 =0 B3 =0 B6 =0 B8 =0 C3 次=0 C3 万元=0")
    );
}

/// 各专项领导小组负责收集汇总本行业领域企业自报、群众举报、执法检查发现的重大事故隐患: a
/// hazard entered at the office belongs to the own table of the group responsible for the
/// enterprise's sector, whoever typed it in.
#[test]
fn a_hazard_entered_at_the_office_lands_in_the_own_table_of_the_group_of_its_sector() {
    use HazardGrade::Major;
    use HazardSource::*;
    let (dir, mut store, fuel, grain) = office_store();
    // 李建山 (energy) types in a self-check report of the grain depot: grain's, not energy's.
    let self_check = hazard(
        &mut store,
        grain,
        Major,
        SelfCheck,
        bj(2023, 9, 1, 9, 0),
        "自查：烘干塔除尘失效",
    );
    // The office clerk, in no group, enters a public report on each enterprise and an
    // assignment from above on an enterprise of a sector no group covers.
    store
        .set_profile(Inspector {
            name: "张内勤".into(),
            cert_no: String::new(),
            group_code: None,
        })
        .expect("profile");
    store.enrol_profile(&[Role::Clerk]).expect("enrolled");
    let on_grain = hazard(
        &mut store,
        grain,
        Major,
        PublicReport,
        bj(2023, 9, 2, 9, 0),
        "举报：粮库熏蒸无人监护",
    );
    let on_fuel = hazard(
        &mut store,
        fuel,
        Major,
        PublicReport,
        bj(2023, 9, 3, 9, 0),
        "举报：加油站卸油无人监护",
    );
    let elsewhere = enterprise(
        &mut store,
        "方山县丁化工厂",
        "91350100M00010030",
        "chemical",
    );
    hazard(
        &mut store,
        elsewhere,
        Major,
        Assigned,
        bj(2023, 9, 4, 9, 0),
        "交办：储罐区无防火堤",
    );
    let f = Fixture {
        _dir: dir,
        store,
        ids: BTreeMap::new(),
    };
    let ids = |t: &Table, code: &str| -> Vec<Uuid> {
        t.row(code)
            .map(|r| r.cells[0].records.iter().map(|c| c.id).collect())
            .unwrap_or_default()
    };
    let grain_own = table(&f, own("grain"), 9);
    assert_eq!(ids(&grain_own, "A1"), vec![self_check]);
    assert_eq!(ids(&grain_own, "A5"), vec![on_grain]);
    let energy_own = table(&f, own("energy"), 9);
    assert!(ids(&energy_own, "A1").is_empty(), "typed in, not owned");
    assert_eq!(ids(&energy_own, "A5"), vec![on_fuel]);
    for g in ["energy", "grain", "civil_air_defence", "village"] {
        assert!(
            ids(&table(&f, own(g), 9), "A7").is_empty(),
            "no group is responsible for the chemical plant, and the clerk is in none"
        );
    }
    assert_eq!(
        some(&table(&f, Scope::All, 9), &["A1", "A5", "A7"]),
        expected("A1 =1 A5 =2 A7 =1")
    );
}

/// 举报奖励，其中匿名举报查实奖励: a reward booked with the report waits until the report is
/// verified true (the hazard's first 验收), and then counts from that day's month, in the
/// table of the group the hazard belongs to; a reward logged by hand counts on its day.
#[test]
fn a_report_reward_counts_in_d5_only_from_the_month_the_report_is_verified() {
    let (dir, mut store, _fuel, grain) = office_store();
    store
        .set_profile(Inspector {
            name: "张内勤".into(),
            cert_no: String::new(),
            group_code: None,
        })
        .expect("profile");
    store.enrol_profile(&[Role::Clerk]).expect("enrolled");
    let reported = hazard(
        &mut store,
        grain,
        HazardGrade::Major,
        HazardSource::PublicReport,
        bj(2023, 8, 10, 9, 0),
        "举报：粮库熏蒸无人监护",
    );
    // As `hazard add --reward 0.3 --anonymous` books it.
    let reward = store
        .record_activity(Activity {
            kind: ActivityKind::ReportReward,
            level: ActivityLevel::County,
            group_code: None,
            held_on: day(2023, 8, 10),
            title: "举报奖励：粮库熏蒸无人监护".into(),
            amount_fen: Some(300_000),
            count: None,
            anonymous: true,
            note: Activity::reward_note(reported),
            corrects: None,
        })
        .expect("reward")
        .id();
    // A reward paid and logged by hand, for the energy group: counts on its day.
    store
        .record_activity(Activity {
            kind: ActivityKind::ReportReward,
            level: ActivityLevel::County,
            group_code: Some("energy".into()),
            held_on: day(2023, 8, 5),
            title: "举报奖励（已发放）".into(),
            amount_fen: Some(200_000),
            count: None,
            anonymous: false,
            note: String::new(),
            corrects: None,
        })
        .expect("paid");
    let mut f = Fixture {
        _dir: dir,
        store,
        ids: BTreeMap::new(),
    };
    let d5 = |f: &Fixture, scope: Scope, month: u32| some(&table(f, scope, month), &["D5"]);
    // Registered, not verified: the booked reward is not counted anywhere.
    assert_eq!(
        d5(&f, Scope::All, 8),
        expected("D5 =0.2 D5 其中匿名举报查实=0")
    );
    assert_eq!(
        d5(&f, own("grain"), 8),
        expected("D5 =0 D5 其中匿名举报查实=0")
    );
    // Verified on 9-29 Beijing (after September's cut-off) by an inspector (验收 is theirs):
    // October's table.
    f.store
        .set_profile(Inspector {
            name: "高峰翔".into(),
            cert_no: "14010003".into(),
            group_code: Some("energy".into()),
        })
        .expect("profile");
    f.store.enrol_profile(&[Role::Inspector]).expect("enrolled");
    verified(&mut f.store, reported, bj(2023, 9, 29, 9, 0));
    assert_eq!(
        d5(&f, Scope::All, 9),
        expected("D5 =0.2 D5 其中匿名举报查实=0")
    );
    let oct = table(&f, Scope::All, 10);
    assert_eq!(
        some(&oct, &["D5"]),
        expected("D5 =0.5 D5 其中匿名举报查实=0.3")
    );
    let counted = &oct.row("D5").expect("D5").cells[1].records;
    assert_eq!(counted.len(), 1);
    assert_eq!(counted[0].id, reward);
    assert_eq!(
        counted[0].day,
        day(2023, 9, 29),
        "counted from the verification"
    );
    assert!(counted[0].what.contains("查实"), "{}", counted[0].what);
    // The reward follows its hazard: the grain group's (the depot's sector), not energy's.
    assert_eq!(
        d5(&f, own("grain"), 10),
        expected("D5 =0.3 D5 其中匿名举报查实=0.3")
    );
    assert_eq!(
        d5(&f, own("energy"), 10),
        expected("D5 =0.2 D5 其中匿名举报查实=0")
    );
    // The figures of August stay as they were filed.
    assert_eq!(
        d5(&f, Scope::All, 8),
        expected("D5 =0.2 D5 其中匿名举报查实=0")
    );
}
