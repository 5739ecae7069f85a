//! A listing piped into `head` that stops reading: paicha stops quietly, whatever the format
//! (the JSON writer wraps the broken pipe in its own error type).

use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn a_reader_that_stops_early_gets_no_error_in_any_format() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let demo = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(&data)
        .args(["demo", "--enterprises", "1500", "--inspections", "10"])
        .output()
        .expect("demo");
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    for format in ["table", "csv", "json"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_paicha"))
            .arg("--data-dir")
            .arg(&data)
            .args(["enterprise", "list", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("list");
        let mut first = [0u8; 64];
        let mut out = child.stdout.take().expect("stdout");
        out.read_exact(&mut first).expect("some output");
        drop(out); // like `head -c 64`: the pipe closes with most of the list unwritten
        let done = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&done.stderr);
        assert!(!err.contains("Broken pipe"), "{format}: {err}");
        assert!(!err.contains("错误"), "{format}: {err}");
    }
}
