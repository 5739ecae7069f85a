//! Export and import of 10 000 finalized inspections (20 answers, 2 hazards with 3 events each,
//! signed), next to the floor: the same rows inserted by a bare rusqlite loop in one
//! transaction. Peak memory of each side runs in a child process of its own (VmHWM), at two
//! sizes, to show it stays flat as the bundle grows. Run with `cargo bench --bench bundle`
//! (`PAICHA_BUNDLE_INSPECTIONS` to change the size).

use paicha::bundle::{self, ExportOptions, ImportLimits};
use paicha::domain::*;
use paicha::storage::Store;
use paicha::storage::bundle::kinds;
use rusqlite::params;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

const ANSWERS: usize = 20;
const HAZARDS: usize = 2;
const EVENTS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // Child roles: measure one side and report its time and peak memory.
    if args.len() >= 4 && args[1] == "--child" {
        let took = match args[2].as_str() {
            "export" => export_once(Path::new(&args[3]), Path::new(&args[4])),
            "import" => import_once(Path::new(&args[3]), Path::new(&args[4])),
            "floor" => floor_once(Path::new(&args[3]), Path::new(&args[4])),
            other => panic!("unknown role {other}"),
        };
        println!("{} {}", took.as_secs_f64(), peak_kib());
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let n: usize = std::env::var("PAICHA_BUNDLE_INSPECTIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    for size in [n / 4, n] {
        let dir = tempfile::tempdir().expect("dir");
        // PAICHA_BUNDLE_KEEP=DIR keeps the files there (to profile one side by hand with
        // `bundle --child import DIR/all.paicha DIR/officeX`).
        let kept = std::env::var("PAICHA_BUNDLE_KEEP").ok().map(PathBuf::from);
        let dir_path = kept
            .clone()
            .unwrap_or_else(|| dir.path().to_path_buf())
            .join(size.to_string());
        let _ = std::fs::create_dir_all(&dir_path);
        let source = dir_path.join("laptop");
        let t = Instant::now();
        fill(&source, size);
        println!(
            "\n{size} inspections ({} answers, {} hazards, {} events) built in {:?} (not measured)",
            size * ANSWERS,
            size * HAZARDS,
            size * HAZARDS * EVENTS,
            t.elapsed()
        );
        let out = dir_path.join("all.paicha");
        let (export, export_mem) = child("export", &source, &out);
        let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        println!(
            "export            {:>9.3} s  peak {:>7} MiB  bundle {:.1} MiB",
            export,
            export_mem / 1024,
            bytes as f64 / 1_048_576.0
        );
        let mut imports = Vec::new();
        let mut import_mem = 0;
        for i in 0..3 {
            let office = dir_path.join(format!("office{i}"));
            let (took, mem) = child("import", &out, &office);
            imports.push(took);
            import_mem = import_mem.max(mem);
        }
        let mut floors = Vec::new();
        let mut floor_mem = 0;
        for i in 0..3 {
            let office = dir_path.join(format!("floor{i}"));
            let (took, mem) = child("floor", &source, &office);
            floors.push(took);
            floor_mem = floor_mem.max(mem);
        }
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (import, floor) = (median(imports), median(floors));
        println!(
            "import            {:>9.3} s  peak {:>7} MiB  (median of 3)",
            import,
            import_mem / 1024
        );
        println!(
            "floor: bare loop  {:>9.3} s  peak {:>7} MiB  (same rows, one transaction)",
            floor,
            floor_mem / 1024
        );
        println!("import / floor    {:>9.2}×", import / floor);
    }
}

/// Runs this bench binary again in a role; returns (seconds, peak KiB).
fn child(role: &str, from: &Path, to: &Path) -> (f64, u64) {
    let out = Command::new(std::env::current_exe().expect("exe"))
        .args(["--child", role])
        .arg(from)
        .arg(to)
        .output()
        .expect("child");
    assert!(
        out.status.success(),
        "{role}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    let secs = parts.next().and_then(|s| s.parse().ok()).expect("secs");
    let kib = parts.next().and_then(|s| s.parse().ok()).expect("kib");
    (secs, kib)
}

fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn open(dir: &Path) -> Store {
    Store::open(dir, Arc::new(SystemClock)).expect("store")
}

fn export_once(source: &Path, out: &Path) -> Duration {
    let mut store = open(source);
    let t = Instant::now();
    bundle::export(
        &mut store,
        out,
        &ExportOptions {
            all: true,
            ..Default::default()
        },
    )
    .expect("export");
    t.elapsed()
}

/// The laptop's profile and key, beside the laptop's data dir.
fn enrol_file(laptop: &Path) -> PathBuf {
    laptop.with_file_name("enrol.json")
}

/// The office holds a roster that enrols the laptop's inspector (an inspector and group
/// leader: the bench's events are transfers and listings), so every record goes through the
/// roster checks.
fn import_once(bundle_path: &Path, office: &Path) -> Duration {
    use paicha::domain::trust::{Body, Role};
    let mut store = open(office);
    store
        .set_profile(Inspector {
            name: "张内勤".into(),
            cert_no: "14010009".into(),
            group_code: None,
        })
        .expect("profile");
    paicha::demo::one_person_office(&mut store, "方山县应急管理局", "王县长").expect("office");
    let enrol: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(enrol_file(&bundle_path.with_file_name("laptop")))
            .expect("enrol file"),
    )
    .expect("json");
    let person = paicha::storage::new_person_id();
    store
        .roster_append(vec![
            Body::Person {
                person_id: person,
                name: "李建山".into(),
                cert_no: "14010001".into(),
                group_code: None,
                roles: vec![Role::Inspector, Role::GroupLeader],
                active: true,
            },
            Body::Key {
                person_id: person,
                inspector_id: enrol["inspector_id"]
                    .as_str()
                    .and_then(|s| Uuid::parse_str(s).ok())
                    .expect("id"),
                public_key: enrol["public_key"].as_str().expect("key").to_string(),
            },
        ])
        .expect("enrolled");
    let t = Instant::now();
    let report = bundle::import(
        &mut store,
        bundle_path,
        false,
        false,
        ImportLimits::default(),
    )
    .expect("import");
    let took = t.elapsed();
    assert!(report.added_total() > 0);
    took
}

/// The floor: the same rows read from the laptop's file and inserted into a fresh database
/// with a bare prepared-statement loop in one transaction (no checks, no signatures).
fn floor_once(source: &Path, office: &Path) -> Duration {
    drop(open(office));
    let src = rusqlite::Connection::open(source.join("paicha.db")).expect("src");
    let mut dst = rusqlite::Connection::open(office.join("paicha.db")).expect("dst");
    dst.pragma_update(None, "synchronous", "FULL")
        .expect("sync");
    let t = Instant::now();
    let tx = dst.transaction().expect("tx");
    let copy = |table: &str| {
        let mut read = src
            .prepare(&format!("SELECT * FROM {table}"))
            .expect("read");
        let n = read.column_count();
        let marks: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
        let mut write = tx
            .prepare(&format!(
                "INSERT OR IGNORE INTO {table} VALUES ({})",
                marks.join(", ")
            ))
            .expect("write");
        let mut rows = read.query([]).expect("rows");
        while let Some(row) = rows.next().expect("row") {
            let values: Vec<rusqlite::types::Value> =
                (0..n).map(|i| row.get(i).expect("value")).collect();
            write
                .execute(rusqlite::params_from_iter(values))
                .expect("insert");
        }
    };
    copy("inspectors");
    copy("enterprises");
    copy("inspections");
    // A bare loop has no guards: the triggers that keep finalized inspections closed go.
    tx.execute_batch(
        "DROP TRIGGER IF EXISTS answers_insert_only_in_draft;
         DROP TRIGGER IF EXISTS inspection_items_insert_only_in_draft;
         DROP TRIGGER IF EXISTS inspection_inspectors_draft_insert;
         DROP TRIGGER IF EXISTS exams_insert_only_in_draft;",
    )
    .expect("floor without guards");
    for table in [
        "inspection_inspectors",
        "inspection_items",
        "answers",
        "exam_records",
        "hazards",
        "hazard_events",
        "inspection_signatures",
        "record_signatures",
        "inspector_keys",
        "hazard_status",
    ] {
        copy(table);
    }
    tx.commit().expect("commit");
    t.elapsed()
}

/// The author's signature of a record written straight into the file, as paicha makes it.
fn sign(tx: &rusqlite::Transaction, kind: &kinds::Kind, id: &str) {
    paicha::storage::bundle::sign::sign_record(tx, kind, id, chrono::Utc::now()).expect("sign");
}

/// A laptop's database with `n` signed, finalized inspections, written straight into the file.
fn fill(dir: &Path, n: usize) {
    let (me, enterprise) = {
        let mut store = open(dir);
        store
            .set_profile(Inspector {
                name: "李建山".into(),
                cert_no: "14010001".into(),
                group_code: None,
            })
            .expect("profile");
        let e = store
            .add_enterprise(Enterprise {
                name: "方山县加油站".into(),
                credit_code: CreditCode::parse("91350100M000100Y43").expect("code"),
                address: String::new(),
                town: "圪洞镇".into(),
                sector: "加油站".into(),
                sector_code: Some("fuel".into()),
                risk_level: None,
                principal: String::new(),
                phone: String::new(),
            })
            .expect("enterprise");
        let me = store.author_id().expect("me");
        let public = store.own_public_key(me).expect("key");
        // What the office enrols (as `paicha keys --export` would carry it).
        std::fs::write(
            enrol_file(dir),
            serde_json::json!({"inspector_id": me, "public_key": public}).to_string(),
        )
        .expect("enrol file");
        (me, e.id())
    };
    let key = paicha::identity::Keys::in_data_dir(dir)
        .get(me)
        .expect("key")
        .expect("made");
    let mut conn = rusqlite::Connection::open(dir.join("paicha.db")).expect("db");
    let tx = conn.transaction().expect("tx");
    let now = "2023-09-01T01:00:00.000000000Z";
    let who = me.to_string();
    let meta = |id: &str| {
        [
            id.to_string(),
            now.into(),
            now.into(),
            who.clone(),
            who.clone(),
        ]
    };
    let mut ids = Vec::with_capacity(n);
    for _ in 0..n {
        let id = Uuid::now_v7().to_string();
        let m = meta(&id);
        tx.execute(
            "INSERT INTO inspections VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'unannounced', ?2, '[]',
                 'draft', NULL, NULL)",
            params![m[0], m[1], m[2], m[3], m[4], enterprise.to_string()],
        )
        .expect("inspection");
        tx.execute(
            "INSERT INTO inspection_inspectors VALUES (?1, 0, ?2)",
            params![id, who],
        )
        .expect("inspector");
        for a in 0..ANSWERS {
            tx.execute(
                "INSERT INTO inspection_items VALUES (?1, ?2, ?3, 'duties', 1, '任务三',
                     '是否建立全员安全生产责任制？', '安全生产法第二十二条')",
                params![id, a as i64, format!("E{}", a + 1)],
            )
            .expect("item");
            let aid = Uuid::now_v7().to_string();
            let am = meta(&aid);
            tx.execute(
                "INSERT INTO answers VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    am[0],
                    am[1],
                    am[2],
                    am[3],
                    am[4],
                    id,
                    format!("E{}", a + 1),
                    if a % 5 == 0 {
                        "non_compliant"
                    } else {
                        "compliant"
                    },
                    "现场查看记录齐全"
                ],
            )
            .expect("answer");
        }
        tx.execute(
            "UPDATE inspections SET status = 'finalized', finalized_at = ?2 WHERE id = ?1",
            params![id, now],
        )
        .expect("finalize");
        for _ in 0..HAZARDS {
            let hid = Uuid::now_v7().to_string();
            let hm = meta(&hid);
            tx.execute(
                "INSERT INTO hazards VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'E1', 'major',
                     'inspection', '储罐区紧急切断装置失效', '储罐区', '', ?2, 0, NULL, NULL, 0, NULL)",
                params![hm[0], hm[1], hm[2], hm[3], hm[4], enterprise.to_string(), id],
            )
            .expect("hazard");
            sign(&tx, &kinds::HAZARDS, &hid);
            let kinds = [
                ("registered", "{}"),
                ("transferred", r#"{"step":"transfer","to_unit":"能源股"}"#),
                (
                    "listed_for_supervision",
                    r#"{"step":"list_for_supervision","tracking_person":"张局长"}"#,
                ),
            ];
            for (kind, payload) in kinds.iter().take(EVENTS) {
                let eid = Uuid::now_v7().to_string();
                let em = meta(&eid);
                tx.execute(
                    "INSERT INTO hazard_events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?2, ?8, '')",
                    params![em[0], em[1], em[2], em[3], em[4], hid, kind, payload],
                )
                .expect("event");
                sign(&tx, &kinds::HAZARD_EVENTS, &eid);
            }
        }
        ids.push(id);
    }
    for id in &ids {
        let form = paicha::storage::bundle::canonical::inspection(&tx, id).expect("form");
        tx.execute(
            "INSERT INTO inspection_signatures VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                who,
                paicha::identity::keys::public_hex(&key),
                paicha::identity::keys::sign_hex(&key, form.as_bytes()),
                now
            ],
        )
        .expect("signature");
    }
    tx.commit().expect("commit");
    drop(conn);
    open(dir).rebuild_hazard_status().expect("projection");
}
