//! Left alone, the TUI sleeps: over 10 s idle on its home screen the real binary uses under 1 %
//! of one core (user + system time read from /proc), because it redraws only on a key, a
//! resize or a finished job, with no ticking timer. Runs on batteries in the field.

#[path = "support/pty.rs"]
mod pty;

use pty::Tui;
use std::time::{Duration, Instant};

/// utime + stime of `pid`, in clock ticks (fields 14 and 15 of /proc/PID/stat).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

fn ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

#[test]
fn the_idle_tui_uses_under_one_percent_of_a_core() {
    if !std::path::Path::new("/proc/self/stat").exists() {
        eprintln!("no /proc here: the idle check needs Linux");
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let mut tui = Tui::spawn(&["--data-dir", dir.path().to_str().expect("path")], 24, 80);
    tui.wait_for("新建检查");
    let pid = tui.pid().expect("pid");
    // Let start-up work finish, then measure a quiet stretch.
    std::thread::sleep(Duration::from_secs(1));
    let (start, t0) = (cpu_ticks(pid).expect("stat"), Instant::now());
    std::thread::sleep(Duration::from_secs(10));
    let (end, elapsed) = (cpu_ticks(pid).expect("stat"), t0.elapsed());
    let used = (end - start) as f64 / ticks_per_second();
    let share = used / elapsed.as_secs_f64();
    eprintln!(
        "idle for {:.1} s: {used:.3} s of CPU ({:.3} % of a core)",
        elapsed.as_secs_f64(),
        share * 100.0
    );
    assert!(
        share < 0.01,
        "idle TUI used {:.2} % of a core",
        share * 100.0
    );
    // Still alive and answering.
    tui.send("q");
    assert!(tui.wait_exit(), "quits at once after the quiet stretch");
}
