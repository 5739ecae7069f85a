//! 执法文书 from the TUI, with the real binary in a pseudo-terminal: a finalized inspection of
//! the demo data opened read-only, `w`, its on-site record written to the folder chosen on the
//! screen (the file holds its number; Enter again writes the identical file); and a new
//! inspection finalized, its on-site record and order issued on site from the screen offered
//! right after signing, then read back through the CLI's reprint.

#[path = "support/pty.rs"]
mod pty;

use pty::Tui;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const CTRL_S: &str = "\x13";
const BACKSPACE: &str = "\x7f";

fn paicha(data: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("PAICHA_CONFIG_DIR")
        .env_remove("PAICHA_DATA_DIR")
        .output()
        .expect("run paicha");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn open(data: &Path) -> Tui {
    Tui::spawn(&["--data-dir", data.to_str().expect("utf-8 path")], 40, 120)
}

/// Esc is also the start of escape sequences: give the app a moment to see it alone.
fn escape(tui: &mut Tui) {
    tui.send(ESC);
    std::thread::sleep(Duration::from_millis(150));
}

/// Points the documents screen at `folder` (so that no test writes into a real Documents).
fn choose_folder(tui: &mut Tui, folder: &Path) {
    tui.send("d");
    tui.wait_for("文书保存目录");
    tui.send(&BACKSPACE.repeat(300));
    tui.send(folder.to_str().expect("utf-8 path"));
    tui.send(CTRL_S);
    tui.wait_for("文书将保存到");
}

/// Waits for the one `.html` file in `folder` whose name ends with `title`, then for the
/// screen to show its full path.
fn written(tui: &mut Tui, folder: &Path, title: &str) -> PathBuf {
    let start = Instant::now();
    let path = loop {
        let files: Vec<PathBuf> = std::fs::read_dir(folder)
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.to_string_lossy().ends_with(&format!("-{title}.html")))
                    .collect()
            })
            .unwrap_or_default();
        assert!(files.len() <= 1, "{files:?}");
        if let Some(path) = files.into_iter().next() {
            break path;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no {title} written:\n{}",
            tui.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    tui.wait_for(&path.display().to_string());
    path
}

/// Waits until `path` exists again.
fn wait_file(path: &Path) {
    let start = Instant::now();
    while !path.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{path:?} never written"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_finalized_inspections_on_site_record_is_written_from_the_viewer_and_again_identically() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let folder = tmp.path().join("文书");
    paicha(&data, &["demo", "--enterprises", "3", "--inspections", "2"]);
    let mut tui = open(&data);
    tui.wait_for("检查草稿（0 份");
    tui.send("o");
    tui.wait_for("已定稿检查（2 次");
    tui.send(ENTER);
    tui.wait_for("【已定稿·只读】");
    tui.send("w");
    tui.wait_for("保存到：");
    tui.wait_for("现场检查记录");
    choose_folder(&mut tui, &folder);
    // The demo issued the visit's on-site record on site: it is listed with its number.
    tui.wait_for("已出具");
    tui.send(ENTER);
    let path = written(&mut tui, &folder, "现场检查记录");
    tui.wait_for("Ctrl-P 打印");
    let first = std::fs::read(&path).expect("file");
    let html = String::from_utf8_lossy(&first).into_owned();
    let number = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix("-现场检查记录.html"))
        .expect("number in the name")
        .to_string();
    assert!(html.contains(&number), "the file holds its number {number}");
    assert!(tui.screen().contains(&number), "and the screen shows it");
    // Again: the same bytes, in the same file.
    std::fs::remove_file(&path).expect("remove");
    tui.send(ENTER);
    wait_file(&path);
    tui.wait_for("已按首次出具的内容重印");
    assert_eq!(std::fs::read(&path).expect("rewritten"), first);
    // Back to the viewer, then home.
    escape(&mut tui);
    tui.wait_for("【已定稿·只读】");
    escape(&mut tui);
    tui.wait_for("检查草稿（0 份");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");
    // The CLI prints the same document: the number was given once.
    let id = {
        let list: serde_json::Value =
            serde_json::from_str(&paicha(&data, &["inspection", "list", "--format", "json"]))
                .expect("json");
        list.as_array()
            .expect("list")
            .iter()
            .filter_map(|i| i["id"].as_str().map(str::to_string))
            .find(|id| {
                let out = tmp.path().join(format!("{id}.html"));
                paicha(
                    &data,
                    &[
                        "doc",
                        "onsite",
                        "--inspection",
                        id,
                        "--out",
                        out.to_str().expect("utf-8"),
                    ],
                );
                std::fs::read(&out).ok() == Some(first.clone())
            })
    };
    assert!(
        id.is_some(),
        "the CLI's reprint of one inspection is the same file"
    );
}

#[test]
fn a_new_inspection_is_finalized_and_its_documents_issued_on_site_before_leaving() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let folder = tmp.path().join("现场文书");
    paicha(
        &data,
        &[
            "profile",
            "set",
            "--name",
            "李建山",
            "--cert-no",
            "14010001",
        ],
    );
    let roster = tmp.path().join("roster.csv");
    std::fs::write(
        &roster,
        "企业名称,统一社会信用代码,乡镇,行业\n方山县粮食储备库,914403001922038216,峪口镇,粮食仓储\n",
    )
    .expect("roster");
    paicha(
        &data,
        &["enterprise", "import", roster.to_str().expect("utf-8")],
    );
    let mut tui = open(&data);
    tui.wait_for("新建检查");
    tui.send("n");
    tui.wait_for("方山县粮食储备库");
    tui.send("fslk");
    tui.send(ENTER);
    tui.wait_for("粮食仓储企业安全检查");
    tui.send(CTRL_S);
    tui.wait_for("已答 0/");
    let total: usize = {
        let screen = tui.screen();
        let at = screen.find("已答 0/").expect("count") + "已答 0/".len();
        screen[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .expect("number")
    };
    // The first item fails (a problem without a hazard: the order needs a deadline); the rest
    // comply.
    for n in 1..=total {
        tui.send(if n == 1 { "2" } else { "1" });
        tui.wait_for(&format!("已答 {n}/{total}"));
    }
    tui.send("v");
    tui.wait_for("全部检查项已作答");
    tui.send("f");
    tui.wait_for("离开现场时间：");
    tui.send(ENTER);
    tui.wait_for("请 李建山 输入本人姓名");
    tui.send("李建山");
    tui.send(ENTER);
    // Signed: the documents are offered at once, on site.
    tui.wait_for("检查已定稿");
    tui.wait_for("执法文书");
    tui.wait_for("责令限期整改指令书");
    choose_folder(&mut tui, &folder);
    tui.send(ENTER);
    tui.wait_for("出具《现场检查记录》");
    tui.wait_for("‹ 现场出具 ›");
    tui.send(CTRL_S);
    let record = written(&mut tui, &folder, "现场检查记录");
    tui.wait_for("已出具并写入");
    // The order: on site by default, and the deadline the CLI would ask for.
    tui.send("j");
    tui.send(ENTER);
    tui.wait_for("出具《责令限期整改指令书》");
    tui.wait_for("‹ 现场出具 ›");
    tui.send(CTRL_S);
    tui.wait_for("整改期限不能为空");
    tui.send("2099-12-31");
    tui.send(CTRL_S);
    let order = written(&mut tui, &folder, "责令限期整改指令书");
    let order_html = std::fs::read_to_string(&order).expect("order");
    assert!(
        order_html.contains("2099年12月31日"),
        "the deadline is printed"
    );
    // Esc goes home, as after finalizing before.
    escape(&mut tui);
    tui.wait_for("新建检查");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");

    // The CLI reprints exactly what the screen issued on site.
    let list: serde_json::Value =
        serde_json::from_str(&paicha(&data, &["inspection", "list", "--format", "json"]))
            .expect("json");
    let id = list[0]["id"].as_str().expect("id").to_string();
    let out = tmp.path().join("cli.html");
    paicha(
        &data,
        &[
            "doc",
            "onsite",
            "--inspection",
            &id,
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(
        std::fs::read(&out).expect("cli"),
        std::fs::read(&record).expect("tui")
    );
    let out = tmp.path().join("order.html");
    paicha(
        &data,
        &[
            "doc",
            "order",
            "--inspection",
            &id,
            "--out",
            out.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(std::fs::read_to_string(&out).expect("cli"), order_html);
}
