//! Nothing typed is lost (issue 16, item 3), through a pseudo-terminal with the real binary: a
//! kill -9 in the note editor or in the spot exam reopens on the text or on the same questions
//! with the grades given; a 4 KB typed burst lands whole and the Ctrl-S after it acts; keys at
//! 30×8 (screen too small) change nothing.

#[path = "support/pty.rs"]
mod pty;

use pty::Tui;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const TAB: &str = "\t";
const BACKTAB: &str = "\x1b[Z";
const ENTER: &str = "\r";
const CTRL_S: &str = "\x13";

/// A data dir with one grain depot (the grain sector has an exam bank).
fn data_dir(tmp: &Path) -> PathBuf {
    let data = tmp.join("data");
    let roster = tmp.join("roster.csv");
    std::fs::write(
        &roster,
        "企业名称,统一社会信用代码,乡镇,行业\n方山县粮食储备库,914403001922038216,峪口镇,粮食仓储\n",
    )
    .expect("roster");
    let isolated = tempfile::tempdir().expect("home");
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(&data)
        .args(["enterprise", "import", roster.to_str().expect("path")])
        .env("HOME", isolated.path())
        .output()
        .expect("import");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    data
}

fn open(data: &Path) -> Tui {
    Tui::spawn(&["--data-dir", data.to_str().expect("path")], 24, 80)
}

/// A new inspection of the depot, on its checklist.
fn start_inspection(data: &Path) -> Tui {
    let mut tui = open(data);
    tui.wait_for("新建检查");
    tui.send("n");
    tui.wait_for("方山县粮食储备库");
    tui.send("fslk");
    tui.send(ENTER);
    tui.wait_for("粮食仓储企业安全检查");
    tui.send(CTRL_S);
    tui.wait_for("已答 0/31");
    tui
}

fn db(data: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(data.join("paicha.db")).expect("db")
}

/// The notes the file holds, by item.
fn notes(data: &Path) -> Vec<(String, String)> {
    let conn = db(data);
    let mut stmt = conn
        .prepare("SELECT item_code, note FROM answers WHERE note <> '' ORDER BY item_code")
        .expect("answers");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

fn answered(data: &Path) -> i64 {
    db(data)
        .query_row(
            "SELECT COUNT(*) FROM answers WHERE result <> 'unchecked'",
            [],
            |r| r.get(0),
        )
        .expect("count")
}

/// The exam's question rows as the screen shows them (mark, number, question).
fn question_rows(tui: &Tui) -> Vec<String> {
    tui.screen()
        .lines()
        .filter(|l| (1..=5).any(|n| l.contains(&format!(" {n}、"))))
        .map(|l| {
            l.trim_matches(|c: char| c == '│' || c.is_whitespace())
                .to_string()
        })
        .collect()
}

#[test]
fn killed_in_the_note_editor_it_reopens_in_the_editor_with_the_text() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = data_dir(tmp.path());
    let mut tui = start_inspection(&data);
    tui.send("e");
    tui.wait_for("E1 的备注");
    tui.send("现场未见专项行动方案");
    // Once the screen shows it, it is on disk: the place is written before each draw.
    tui.wait_for("现场未见专项行动方案");
    tui.kill9();
    assert!(notes(&data).is_empty(), "nothing saved as an answer yet");

    let mut again = open(&data);
    again.wait_for("E1 的备注");
    again.wait_for("现场未见专项行动方案");
    again.send("，已责令补充");
    again.wait_for("，已责令补充");
    again.send(CTRL_S);
    again.wait_gone("E1 的备注");
    again.wait_for("已保存");
    assert_eq!(
        notes(&data),
        [(
            "E1".to_string(),
            "现场未见专项行动方案，已责令补充".to_string()
        )]
    );
    // Saved: the next start is on the checklist, not in the editor.
    again.kill9();
    let mut third = open(&data);
    third.wait_for("逐项检查");
    third.wait_for("已答 0/31");
    assert!(!third.screen().contains("E1 的备注"));
    third.send("\x03");
    assert!(third.wait_exit());
}

#[test]
fn killed_in_the_exam_it_reopens_on_the_same_questions_with_the_grades_given() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = data_dir(tmp.path());
    let mut tui = start_inspection(&data);
    tui.send("t");
    tui.wait_for("逢查必考（参考答案");
    tui.send("y");
    tui.wait_for("✓ 1、");
    // Tab and Shift-Tab move between the questions only: a grade never becomes a name.
    tui.send(TAB);
    tui.send(BACKTAB);
    tui.send("p");
    tui.wait_for("◐ 2、");
    tui.send("e");
    tui.wait_for("正在填写被考人员");
    tui.send("\x7f\x7f王建国");
    tui.wait_for("被考人员：王建国");
    tui.send(ENTER);
    tui.wait_for("（按 e 修改）");
    tui.send("n");
    tui.wait_for("✗ 3、");
    assert!(
        tui.screen().contains("被考人员：王建国 "),
        "{}",
        tui.screen()
    );
    let before = question_rows(&tui);
    assert_eq!(before.len(), 5, "{}", tui.screen());
    tui.kill9();

    let mut again = open(&data);
    again.wait_for("逢查必考（参考答案");
    // The whole list drawn (the screen may arrive in pieces), then compared.
    again.wait_for(before.last().expect("five rows"));
    assert_eq!(
        question_rows(&again),
        before,
        "the same questions, the same grades"
    );
    assert!(again.screen().contains("被考人员：王建国 "));
    again.send("yy");
    again.wait_for("✓ 5、");
    again.send(CTRL_S);
    again.wait_for("逢查必考已记录：得分 70%");
    let (name, questions): (String, String) = db(&data)
        .query_row(
            "SELECT examinee_name, questions FROM exam_records",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("one exam record");
    assert_eq!(name, "王建国");
    let outcomes: Vec<String> = serde_json::from_str::<serde_json::Value>(&questions)
        .expect("json")
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["outcome"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(outcomes.len(), 5);
    assert_eq!(
        &outcomes[..3],
        ["correct", "partial", "wrong"],
        "{outcomes:?}"
    );
    // Recorded: the next start is on the checklist, not in an exam.
    again.kill9();
    let mut third = open(&data);
    third.wait_for("逐项检查");
    assert!(!third.screen().contains("逢查必考（参考答案"));
}

#[test]
fn a_4_kb_typed_burst_lands_whole_and_the_ctrl_s_after_it_acts() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = data_dir(tmp.path());
    let mut tui = start_inspection(&data);
    tui.send("e");
    tui.wait_for("E1 的备注");
    // 16 bytes × 256 = 4 KB, typed (not a bracketed paste) and Ctrl-S in the same write.
    let text = "隐患排查0123".repeat(256);
    assert_eq!(text.len(), 4096);
    tui.send(&format!("{text}{CTRL_S}"));
    tui.wait_gone("E1 的备注");
    tui.wait_for("已保存");
    assert_eq!(notes(&data), [("E1".to_string(), text)]);
    tui.send("\x03");
    assert!(tui.wait_exit());
}

#[test]
fn keys_at_30x8_change_nothing_and_the_screen_comes_back_as_it_was() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = data_dir(tmp.path());
    let mut tui = start_inspection(&data);
    tui.send("1");
    tui.wait_for("已答 1/31");
    tui.resize(8, 30);
    tui.wait_for("终端窗口太小");
    // Answers, a note, a hazard form: all typed blind, none may act.
    tui.send("3 3");
    tui.send("12e");
    tui.send("h");
    std::thread::sleep(Duration::from_millis(500));
    tui.resize(24, 80);
    tui.wait_for("已答 1/31");
    assert!(!tui.screen().contains("的备注"), "{}", tui.screen());
    assert!(tui.screen().contains("逐项检查"), "{}", tui.screen());
    assert_eq!(answered(&data), 1, "the keys at 30×8 wrote nothing");
    assert!(notes(&data).is_empty());
    // At full size keys act again.
    tui.send("1");
    tui.wait_for("已答 2/31");
    assert_eq!(answered(&data), 2);
    tui.send("\x03");
    assert!(tui.wait_exit());
}
