//! Crash durability: a child process records answers one by one and reports each as soon as
//! the store call returns; the parent kills it with SIGKILL at a random moment. After every
//! kill, every reported answer must be in the database and `PRAGMA integrity_check` is "ok".
//!
//! Trials: `PAICHA_CRASH_TRIALS` (default 25), seed: `PAICHA_CRASH_SEED` (default: the clock;
//! printed on failure so a run can be repeated).

use paicha::domain::*;
use paicha::storage::Store;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

const ITEMS: usize = 2000;

fn item(i: usize) -> ItemSnapshot {
    ItemSnapshot {
        code: format!("T{i:04}"),
        template_id: "crash".into(),
        template_version: 1,
        section: "s".into(),
        question: format!("第{i}条"),
        basis: String::new(),
    }
}

fn result_for(i: usize) -> AnswerResult {
    [
        AnswerResult::Compliant,
        AnswerResult::NonCompliant,
        AnswerResult::NotApplicable,
    ][i % 3]
}

/// The child: runs only when the parent starts it (it is `#[ignore]`d otherwise).
#[test]
#[ignore = "child process of crash_kill_trials"]
fn crash_child() {
    let Ok(dir) = std::env::var("PAICHA_CRASH_DIR") else {
        return;
    };
    let mut store = Store::open(std::path::Path::new(&dir), Arc::new(SystemClock)).expect("open");
    let enterprise = match store.enterprises().expect("list").into_iter().next() {
        Some(e) => e,
        None => store
            .add_enterprise(Enterprise {
                name: "崩溃试验企业".into(),
                credit_code: CreditCode::parse("91350100M000100Y43").expect("code"),
                address: String::new(),
                town: String::new(),
                sector: String::new(),
                sector_code: None,
                risk_level: None,
                principal: String::new(),
                phone: String::new(),
            })
            .expect("enterprise"),
    };
    let me = store.author_id().expect("author");
    let ins = store
        .create_inspection(Inspection::draft(
            enterprise.id(),
            InspectionMode::Unannounced,
            vec![me],
            store.now(),
            vec![],
            (0..ITEMS).map(item).collect(),
        ))
        .expect("inspection");
    let mut out = std::io::stdout().lock();
    writeln!(out, "inspection {}", ins.id()).expect("stdout");
    out.flush().expect("flush");
    for i in 0..ITEMS {
        let code = format!("T{i:04}");
        store
            .set_answer(ins.id(), &code, result_for(i), &format!("备注{i}"))
            .expect("answer");
        writeln!(out, "ack {i}").expect("stdout");
        out.flush().expect("flush");
    }
}

/// xorshift64*: enough randomness for kill timing, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[test]
fn crash_kill_trials() {
    let trials: usize = std::env::var("PAICHA_CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25);
    let seed: u64 = std::env::var("PAICHA_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
        | 1;
    eprintln!("crash trials: {trials}, seed: {seed} (PAICHA_CRASH_SEED to repeat)");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().expect("dir");
    let exe = std::env::current_exe().expect("test binary");
    let mut total_acked = 0;

    for trial in 0..trials {
        let mut child = Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "crash_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("PAICHA_CRASH_DIR", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut inspection = None;
            let mut acked = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // libtest may print "test crash_child ... " on the same line first.
                if let Some(at) = line.find("inspection ") {
                    let id = &line[at + "inspection ".len()..];
                    inspection = uuid::Uuid::parse_str(id.trim()).ok();
                } else if let Some(Ok(n)) = line.strip_prefix("ack ").map(|n| n.trim().parse()) {
                    acked.push(n);
                }
            }
            (inspection, acked)
        });
        // Kill somewhere between start-up and a few hundred answers in.
        let delay = 20 + rng.next() % 400;
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix
        let _ = child.wait();
        let (inspection, acked) = reader.join().expect("reader");

        let store = Store::open(dir.path(), Arc::new(SystemClock)).expect("reopen after kill");
        assert_eq!(
            store.integrity_check().expect("check"),
            "ok",
            "trial {trial}, seed {seed}"
        );
        let Some(inspection) = inspection else {
            assert!(acked.is_empty());
            continue; // killed before the draft existed: nothing was acknowledged
        };
        let answers = store.answers(inspection).expect("answers");
        let by_code: std::collections::HashMap<_, _> = answers
            .iter()
            .map(|a| (a.data.item_code.clone(), a))
            .collect();
        for &i in &acked {
            let a = by_code.get(&format!("T{i:04}")).unwrap_or_else(|| {
                panic!("trial {trial}, seed {seed}: acknowledged answer {i} lost")
            });
            assert_eq!(a.data.result, result_for(i));
            assert_eq!(a.data.note, format!("备注{i}"));
        }
        // At most the one in flight may be there beyond the acknowledged ones.
        assert!(
            answers.len() <= acked.len() + 1,
            "trial {trial}: phantom answers"
        );
        assert_eq!(
            store.inspection(inspection).expect("draft").data.status,
            InspectionStatus::Draft,
            "the draft reopens"
        );
        total_acked += acked.len();
    }
    eprintln!("acknowledged answers checked after kills: {total_acked}");
    assert!(
        total_acked > 0,
        "the kills happened before any answer was written: no test"
    );
}
