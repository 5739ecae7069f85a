//! The monthly progress table over a large ledger, next to its floor: the same figures counted
//! by hand-written SQL, one query per row (correlated subqueries for a hazard's state at the
//! cut-off). Both are checked to agree before anything is timed.
//!
//!     cargo bench --bench report                      # 100 000 hazards, 20 000 inspections
//!     PAICHA_REPORT_HAZARDS=10000 cargo bench --bench report
//!
//! Median of 5 runs each, after one warm-up (the file is in the page cache for both).

use paicha::domain::SystemClock;
use paicha::report::monthly::{self, MonthlyData, Period, Scope};
use paicha::storage::Store;
use paicha::templates::Catalog;
use rusqlite::{Connection, params};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

const SOURCES: [&str; 4] = ["self_check", "inspection", "public_report", "assigned"];
const MODES: [&str; 4] = ["unannounced", "covert", "guidance", "follow_up"];
const ACTIONS: [&str; 9] = [
    "penalty",
    "dual_penalty",
    "judicial_transfer",
    "suspension",
    "closure",
    "exposure",
    "case_publication",
    "accountability",
    "interview_notice",
];
const ACTIVITIES: [&str; 9] = [
    "town_guidance",
    "group_study",
    "section_study",
    "leader_supervision",
    "leader_briefing",
    "report_reward",
    "media_column",
    "tech_inspectors",
    "assessment_tour",
];
const LEVELS: [&str; 3] = ["county", "town", "department"];
const ITEMS: [&str; 10] = [
    "E1", "E2", "E4", "E6", "E7", "E9", "E12", "E13", "E14", "E15",
];

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let hazards: usize = std::env::var("PAICHA_REPORT_HAZARDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let inspections = hazards / 5;
    for (h, i) in [(hazards / 10, inspections / 10), (hazards, inspections)] {
        let dir = tempfile::tempdir().expect("dir");
        let t = Instant::now();
        fill(dir.path(), h, i);
        println!(
            "\n{h} hazards, {i} inspections ({} answers) built in {:?} (not measured)",
            i * ITEMS.len(),
            t.elapsed()
        );
        measure(dir.path());
    }
}

fn measure(dir: &Path) {
    let catalog = Catalog::builtin().expect("catalog");
    let store = Store::open(dir, Arc::new(SystemClock)).expect("store");
    let period = Period::month(catalog.campaign.start, 2023, 9).expect("period");
    let ours = || {
        let data = MonthlyData::load(&store, &catalog).expect("load");
        monthly::table(&data.input(), &Scope::All, period, "调度表", "局")
    };
    let conn = Connection::open(dir.join("paicha.db")).expect("db");
    let floor = || floor(&conn, &catalog, period);

    let table = ours();
    let ours_figures: Vec<String> = table
        .rows
        .iter()
        .flat_map(|r| {
            r.cells
                .iter()
                .map(move |c| format!("{} {}", r.code, c.figure.text()))
        })
        .collect();
    let floor_figures = floor();
    assert_eq!(
        ours_figures, floor_figures,
        "paicha and the floor must agree"
    );
    let nonzero = ours_figures.iter().filter(|f| !f.ends_with(" 0")).count();
    println!(
        "  {} figures agree ({nonzero} non-zero)",
        ours_figures.len()
    );

    let time = |f: &dyn Fn()| {
        f();
        let mut runs = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            f();
            runs.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        runs.sort_by(f64::total_cmp);
        runs[runs.len() / 2]
    };
    let a = time(&|| {
        std::hint::black_box(ours());
    });
    let b = time(&|| {
        std::hint::black_box(floor());
    });
    println!("  monthly table (load + count)   {a:>9.1} ms");
    println!("  floor: one SQL query per row   {b:>9.1} ms");
    println!("  table / floor                  {:>9.2}×", a / b);
}

/// Every figure by hand-written SQL, in the table's order, as "CODE value".
fn floor(conn: &Connection, catalog: &Catalog, period: Period) -> Vec<String> {
    let (from, to) = (period.from.to_string(), period.to.to_string());
    let count = |sql: &str| -> i64 {
        conn.query_row(sql, params![from, to], |r| r.get::<_, Option<i64>>(0))
            .expect(sql)
            .unwrap_or(0)
    };
    let mut out = Vec::new();
    let mut push = |code: &str, v: String| out.push(format!("{code} {v}"));
    // A: a hazard's grade, whether rectified and listed, as of the end of the cut-off day.
    let hazards = "WITH h AS (SELECT hz.source,
        COALESCE((SELECT json_extract(e.payload, '$.value') FROM hazard_events e
                  WHERE e.hazard_id = hz.id AND e.kind = 'corrected'
                    AND json_extract(e.payload, '$.field') = 'grade'
                    AND date(e.occurred_at, '+8 hours') <= ?2 ORDER BY e.id DESC LIMIT 1),
                 hz.grade) AS grade,
        COALESCE((SELECT e.kind = 'closed_out' OR (e.kind = 'verified'
                          AND json_extract(e.payload, '$.passed'))
                  FROM hazard_events e WHERE e.hazard_id = hz.id
                    AND e.kind IN ('transferred', 'rectifying', 'rectification_reported',
                                   'verified', 'closed_out')
                    AND date(e.occurred_at, '+8 hours') <= ?2 ORDER BY e.id DESC LIMIT 1),
                 0) AS done,
        EXISTS (SELECT 1 FROM hazard_events e WHERE e.hazard_id = hz.id
                  AND e.kind = 'listed_for_supervision'
                  AND date(e.occurred_at, '+8 hours') <= ?2) AS listed
        FROM hazards hz WHERE date(hz.found_at, '+8 hours') BETWEEN ?1 AND ?2)
        SELECT COUNT(*) FROM h WHERE grade IN ('major', '重大')";
    for (i, source) in SOURCES.iter().enumerate() {
        push(
            &format!("A{}", 2 * i + 1),
            count(&format!("{hazards} AND source = '{source}'")).to_string(),
        );
        push(
            &format!("A{}", 2 * i + 2),
            count(&format!("{hazards} AND source = '{source}' AND done")).to_string(),
        );
    }
    push("A9", count(&format!("{hazards} AND listed")).to_string());
    push(
        "A10",
        count(&format!("{hazards} AND listed AND done")).to_string(),
    );
    // B: distinct enterprises spot-checked; with a non-compliant item feeding the row.
    let spot = "FROM inspections i WHERE i.status = 'finalized'
        AND i.mode NOT IN ('guidance', 'follow_up')
        AND date(i.arrival_at, '+8 hours') BETWEEN ?1 AND ?2";
    push(
        "B1",
        count(&format!("SELECT COUNT(DISTINCT i.enterprise_id) {spot}")).to_string(),
    );
    for row in ["B2", "B3", "B4", "B5", "B6", "B7", "B8"] {
        let items: Vec<String> = catalog
            .checklists
            .iter()
            .flat_map(|(c, _)| {
                c.items()
                    .filter(|(_, it)| it.report_rows.iter().any(|r| r == row))
                    .map(|(_, it)| format!("('{}', '{}')", c.id, it.code))
                    .collect::<Vec<_>>()
            })
            .collect();
        push(
            row,
            count(&format!(
                "SELECT COUNT(DISTINCT i.enterprise_id) {spot} AND EXISTS (
                     SELECT 1 FROM answers a JOIN inspection_items it
                         ON it.inspection_id = a.inspection_id AND it.code = a.item_code
                     WHERE a.inspection_id = i.id AND a.result = 'non_compliant'
                       AND (it.template_id, it.code) IN (VALUES {}))",
                items.join(", ")
            ))
            .to_string(),
        );
    }
    // C and D: actions and activities in the period that no later entry corrects.
    let act = |kinds: &str, what: &str, extra: &str| {
        count(&format!(
            "SELECT {what} FROM enforcement_actions a WHERE a.kind IN ({kinds})
             AND a.decided_on BETWEEN ?1 AND ?2 {extra}
             AND NOT EXISTS (SELECT 1 FROM enforcement_actions c WHERE c.corrects = a.id)"
        ))
    };
    let log = |kind: &str, what: &str, extra: &str| {
        count(&format!(
            "SELECT {what} FROM activities a WHERE a.kind = '{kind}'
             AND a.held_on BETWEEN ?1 AND ?2 {extra}
             AND NOT EXISTS (SELECT 1 FROM activities c WHERE c.corrects = a.id)"
        ))
    };
    let wan = |fen: i64| monthly::Figure::Fen(fen).text();
    push("C1", log("town_guidance", "COUNT(*)", "").to_string());
    push(
        "C2",
        count(
            "SELECT COUNT(*) FROM inspections i WHERE i.status = 'finalized'
             AND i.mode = 'guidance' AND date(i.arrival_at, '+8 hours') BETWEEN ?1 AND ?2",
        )
        .to_string(),
    );
    let penalties = "'penalty', 'dual_penalty'";
    push("C3", act(penalties, "COUNT(*)", "").to_string());
    push(
        "C3",
        wan(act(penalties, "SUM(COALESCE(amount_fen, 0))", "")),
    );
    push("C4", act("'dual_penalty'", "COUNT(*)", "").to_string());
    push(
        "C5",
        act("'judicial_transfer'", "SUM(COALESCE(persons, 1))", "").to_string(),
    );
    push(
        "C6",
        act("'suspension'", "COUNT(DISTINCT enterprise_id)", "").to_string(),
    );
    push(
        "C6",
        act("'closure'", "COUNT(DISTINCT enterprise_id)", "").to_string(),
    );
    push(
        "C7",
        act("'exposure'", "COUNT(DISTINCT enterprise_id)", "").to_string(),
    );
    push("C8", act("'case_publication'", "COUNT(*)", "").to_string());
    push(
        "C8",
        act(
            "'case_publication'",
            "COUNT(*)",
            "AND dangerous_operation_crime",
        )
        .to_string(),
    );
    push(
        "C9",
        act("'accountability'", "SUM(COALESCE(persons, 1))", "").to_string(),
    );
    push("C10", act("'interview_notice'", "COUNT(*)", "").to_string());
    for (code, kind) in [
        ("D1", "group_study"),
        ("D2", "section_study"),
        ("D3", "leader_supervision"),
    ] {
        for level in LEVELS {
            push(
                code,
                log(kind, "COUNT(*)", &format!("AND level = '{level}'")).to_string(),
            );
        }
    }
    push("D4", log("leader_briefing", "COUNT(*)", "").to_string());
    push(
        "D5",
        wan(log("report_reward", "SUM(COALESCE(amount_fen, 0))", "")),
    );
    push(
        "D5",
        wan(log(
            "report_reward",
            "SUM(COALESCE(amount_fen, 0))",
            "AND anonymous",
        )),
    );
    let media = log("media_column", "COUNT(*)", "") > 0;
    push("D6", if media { "是" } else { "否" }.to_string());
    for level in ["county", "town"] {
        push(
            "D7",
            log(
                "tech_inspectors",
                "SUM(COALESCE(count, 0))",
                &format!("AND level = '{level}'"),
            )
            .to_string(),
        );
    }
    push("D8", log("assessment_tour", "COUNT(*)", "").to_string());
    out
}

/// A deterministic pseudo-random sequence (no crate needed for a benchmark's data).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// A day in the campaign (2023-04-25 … 2023-12-31) as a UTC instant at a random hour.
fn instant(rng: &mut Rng) -> String {
    let day = chrono::NaiveDate::from_ymd_opt(2023, 4, 25).expect("start")
        + chrono::Days::new(rng.below(250) as u64);
    let t = day
        .and_hms_opt(rng.below(24) as u32, rng.below(60) as u32, 0)
        .expect("time");
    format!("{}.000000000Z", t.format("%Y-%m-%dT%H:%M:%S"))
}

fn fill(dir: &Path, hazards: usize, inspections: usize) {
    drop(Store::open(dir, Arc::new(SystemClock)).expect("schema"));
    let mut conn = Connection::open(dir.join("paicha.db")).expect("db");
    let tx = conn.transaction().expect("tx");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let now = "2023-09-01T00:00:00.000000000Z";
    let me = Uuid::now_v7().to_string();
    tx.execute(
        "INSERT INTO inspectors (id, created_at, updated_at, author_id, replica_id, name,
             cert_no, group_code) VALUES (?1, ?2, ?2, ?1, ?1, '李建山', '14010001', 'energy')",
        params![me, now],
    )
    .expect("inspector");
    let sectors = [
        "fuel",
        "town_gas",
        "grain",
        "high_rise",
        "village",
        "civil_air_defence",
    ];
    let enterprises: Vec<String> = (0..(hazards / 50).max(10))
        .map(|n| {
            let id = Uuid::now_v7().to_string();
            tx.execute(
                "INSERT INTO enterprises (id, created_at, updated_at, author_id, replica_id,
                     name, credit_code, address, town, sector, sector_code, risk_level,
                     principal, phone)
                 VALUES (?1, ?2, ?2, ?3, ?3, ?4, ?5, '', '圪洞镇', '', ?6, NULL, '', '')",
                params![
                    id,
                    now,
                    me,
                    format!("企业{n}"),
                    paicha::domain::CreditCode::from_body(&format!("91350100M{n:08}"))
                        .expect("code")
                        .to_string(),
                    sectors[n % 6]
                ],
            )
            .expect("enterprise");
            id
        })
        .collect();
    let mut inspection_ids = Vec::with_capacity(inspections);
    for _ in 0..inspections {
        let id = Uuid::now_v7().to_string();
        let e = &enterprises[rng.below(enterprises.len())];
        let mode = MODES[rng.below(MODES.len())];
        tx.execute(
            "INSERT INTO inspections VALUES (?1, ?2, ?2, ?3, ?3, ?4, ?5, ?6, '[]', 'draft', NULL,
                 NULL)",
            params![id, now, me, e, mode, instant(&mut rng)],
        )
        .expect("inspection");
        for (p, code) in ITEMS.iter().enumerate() {
            tx.execute(
                "INSERT INTO inspection_items VALUES (?1, ?2, ?3, 'duties', 1, '', '', '')",
                params![id, p as i64, code],
            )
            .expect("item");
            let result = if rng.below(6) == 0 {
                "non_compliant"
            } else {
                "compliant"
            };
            tx.execute(
                "INSERT INTO answers VALUES (?1, ?2, ?2, ?3, ?3, ?4, ?5, ?6, '')",
                params![Uuid::now_v7().to_string(), now, me, id, code, result],
            )
            .expect("answer");
        }
        tx.execute(
            "UPDATE inspections SET status = 'finalized', finalized_at = ?2 WHERE id = ?1",
            params![id, now],
        )
        .expect("final");
        inspection_ids.push(id);
    }
    let steps = [
        ("transferred", r#"{"step":"transfer","to_unit":"能源股"}"#),
        ("rectifying", r#"{"step":"rectify","fixes":null}"#),
        ("rectification_reported", r#"{"step":"report_rectified"}"#),
        (
            "verified",
            r#"{"step":"verify","passed":true,"by":"高峰翔"}"#,
        ),
        (
            "closed_out",
            r#"{"step":"close_out","signer":"王国锋","signed_at":"2023-10-01T00:00:00Z"}"#,
        ),
    ];
    for n in 0..hazards {
        let id = Uuid::now_v7().to_string();
        let found = instant(&mut rng);
        tx.execute(
            "INSERT INTO hazards VALUES (?1, ?2, ?2, ?3, ?3, ?4, NULL, NULL, ?5, ?6, '隐患', '', '',
                 ?7, 0, NULL, NULL, 0, NULL)",
            params![
                id,
                now,
                me,
                enterprises[rng.below(enterprises.len())],
                if n % 3 == 0 { "major" } else { "general" },
                SOURCES[rng.below(4)],
                found
            ],
        )
        .expect("hazard");
        // Events after the day found: the loop walked some way, sometimes listed.
        let walked = rng.below(steps.len() + 1);
        for (kind, payload) in steps.iter().take(walked) {
            tx.execute(
                "INSERT INTO hazard_events VALUES (?1, ?2, ?2, ?3, ?3, ?4, ?5, ?6, ?7, '')",
                params![
                    Uuid::now_v7().to_string(),
                    now,
                    me,
                    id,
                    kind,
                    later(&found, &mut rng),
                    payload
                ],
            )
            .expect("event");
        }
        if rng.below(8) == 0 {
            tx.execute(
                "INSERT INTO hazard_events VALUES (?1, ?2, ?2, ?3, ?3, ?4, 'listed_for_supervision',
                     ?5, '{\"step\":\"list_for_supervision\",\"tracking_person\":\"刘珍\"}', '')",
                params![Uuid::now_v7().to_string(), now, me, id, later(&found, &mut rng)],
            )
            .expect("listed");
        }
    }
    for _ in 0..(hazards / 50).max(20) {
        let kind = ACTIONS[rng.below(ACTIONS.len())];
        let day = &instant(&mut rng)[..10];
        tx.execute(
            "INSERT INTO enforcement_actions VALUES (?1, ?2, ?2, ?3, ?3, ?4, ?5, NULL, NULL, ?6,
                 '', ?7, ?8, ?9, '', NULL)",
            params![
                Uuid::now_v7().to_string(),
                now,
                me,
                kind,
                enterprises[rng.below(enterprises.len())],
                day,
                (rng.below(5) as i64) * 250_000,
                rng.below(3) as i64,
                rng.below(2) as i64
            ],
        )
        .expect("action");
    }
    for _ in 0..(hazards / 100).max(20) {
        let kind = ACTIVITIES[rng.below(ACTIVITIES.len())];
        let level = if kind == "tech_inspectors" {
            LEVELS[rng.below(2)]
        } else {
            LEVELS[rng.below(3)]
        };
        let day = &instant(&mut rng)[..10];
        tx.execute(
            "INSERT INTO activities VALUES (?1, ?2, ?2, ?3, ?3, ?4, ?5, 'energy', ?6, '活动', ?7,
                 ?8, ?9, '', NULL)",
            params![
                Uuid::now_v7().to_string(),
                now,
                me,
                kind,
                level,
                day,
                (rng.below(4) as i64) * 100_000,
                rng.below(4) as i64,
                rng.below(2) as i64
            ],
        )
        .expect("activity");
    }
    tx.commit().expect("commit");
}

/// An instant 0–40 days after `t` (same spelling).
fn later(t: &str, rng: &mut Rng) -> String {
    let at = chrono::DateTime::parse_from_rfc3339(t)
        .expect("time")
        .to_utc()
        + chrono::Duration::hours(rng.below(40 * 24) as i64);
    at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}
