//! A `paicha import` killed with SIGKILL at any moment leaves the database exactly as it was
//! (one transaction per bundle), and the same import run to the end then lands whole.

#[path = "bundle/support.rs"]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};
use support::*;

#[test]
fn an_import_killed_midway_changes_nothing_and_a_full_one_lands() {
    let mut office = site("张科长");
    let bundle = office.dir.path().join("big.paicha");
    let (author, key) = synthetic_bundle(&bundle, 4_000);
    office_enrolling(&mut office, author, &key);
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_paicha"))
            .arg("--data-dir")
            .arg(office.dir.path())
            .arg("import")
            .arg(&bundle)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn")
    };
    let before = full_dump(&office.store);
    let mut killed = 0;
    let mut finished = false;
    for delay_ms in [50u64, 150, 300, 600, 900] {
        let mut child = run();
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().expect("wait").is_some() {
            finished = true; // quicker than this delay: it landed whole
            break;
        }
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        killed += 1;
        assert_same(
            &full_dump(&office.store),
            &before,
            &format!("after a kill at {delay_ms} ms"),
        );
        assert_eq!(office.store.integrity_check().expect("check"), "ok");
    }
    assert!(
        killed >= 2,
        "the import was too quick to be killed midway ({killed} kills)"
    );

    if !finished {
        let start = Instant::now();
        let status = run().wait().expect("wait");
        assert!(status.success(), "the whole import ({:?})", start.elapsed());
    }
    let listed = office.store.hazard_summaries().expect("ledger");
    assert_eq!(listed.len(), 4_000, "all of it landed");
}
