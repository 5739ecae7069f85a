//! Issue 16, item 6: the first start on an empty machine needs no command line — the home
//! screen says to press `p`, the profile is typed there (name, 执法证号, group), and the CLI
//! reads the same profile back.

#[path = "support/pty.rs"]
mod pty;

use pty::Tui;
use std::process::Command;

const TAB: &str = "\t";
const RIGHT: &str = "\x1b[C";
const CTRL_S: &str = "\x13";

#[test]
fn the_first_start_sets_the_profile_from_the_home_screen() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().to_str().expect("utf-8 path").to_string();
    let mut tui = Tui::spawn(&["--data-dir", &data], 24, 80);
    tui.wait_for("按 p 设置本机执法人员档案");
    tui.send("p");
    tui.wait_for("本机执法人员档案");
    tui.wait_for("执法证号");
    // Saved without a name: refused at the form, which stays open.
    tui.send(CTRL_S);
    tui.wait_for("姓名");
    tui.send("李建山");
    tui.send(TAB);
    tui.send("14010001");
    tui.send(TAB);
    tui.send(RIGHT);
    tui.send(CTRL_S);
    tui.wait_for("已设置本机执法人员档案：李建山");
    tui.wait_for("本机执法人员：李建山");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");

    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .args(["--data-dir", &data, "profile", "show"])
        .env_remove("PAICHA_CONFIG_DIR")
        .output()
        .expect("run");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("执法人员：李建山"), "{shown}");
    assert!(shown.contains("执法证号：14010001"), "{shown}");
    assert!(shown.contains("所属小组：energy"), "{shown}");
}

/// A roster imported from the command line in another window shows on the home screen as soon
/// as the window gets the focus back (no polling while idle).
#[test]
fn the_home_screen_reads_the_data_again_when_the_window_gets_the_focus_back() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().to_str().expect("utf-8 path").to_string();
    let mut tui = Tui::spawn(&["--data-dir", &data], 24, 80);
    tui.wait_for("已登记企业 0 家");
    let csv = dir.path().join("名册.csv");
    std::fs::write(
        &csv,
        "企业名称,统一社会信用代码,乡镇,行业\n方山县粮食储备库,914403001922038216,峪口镇,粮食仓储\n",
    )
    .expect("csv");
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .args(["--data-dir", &data, "enterprise", "import"])
        .arg(&csv)
        .env_remove("PAICHA_CONFIG_DIR")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Focus in (what a terminal sends when its window is selected again).
    tui.send("\x1b[I");
    tui.wait_for("已登记企业 1 家");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");
}

/// Finalized inspections open read-only from the home screen (`o` lists them): shown, never
/// changed, and nothing remembered to resume.
#[test]
fn a_finalized_inspection_opens_read_only_from_the_home_screen() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().to_str().expect("utf-8 path").to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .args([
            "--data-dir",
            &data,
            "demo",
            "--enterprises",
            "3",
            "--inspections",
            "2",
        ])
        .env_remove("PAICHA_CONFIG_DIR")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut tui = Tui::spawn(&["--data-dir", &data], 24, 80);
    tui.wait_for("检查草稿（0 份");
    tui.send("o");
    tui.wait_for("已定稿检查（2 次");
    tui.send("\r");
    tui.wait_for("【已定稿·只读】");
    tui.send("1");
    tui.wait_for("这次检查已定稿，记录已冻结：只能查看");
    // What came to light later is added beside it: an addendum, a record of its own.
    tui.send("e");
    tui.wait_for("补记内容");
    tui.send("企业负责人当场拒绝签字，见证人王某");
    tui.send(CTRL_S);
    tui.wait_for("已补记");
    tui.send("\x1b");
    tui.wait_for("检查草稿（0 份");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");
    let cli = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
            .args(["--data-dir", &data])
            .args(args)
            .env_remove("PAICHA_CONFIG_DIR")
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let list: serde_json::Value =
        serde_json::from_str(&cli(&["inspection", "list", "--format", "json"])).expect("json");
    let addenda: Vec<String> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .map(|id| cli(&["inspection", "show", id]))
        .filter(|shown| shown.contains("企业负责人当场拒绝签字"))
        .collect();
    assert_eq!(
        addenda.len(),
        1,
        "the addendum stands beside one inspection"
    );
}

/// The enterprise roster is imported from the home screen (`E`), the path completed with Tab;
/// a file that is no roster is refused with the reason and the form stays open.
#[test]
fn the_enterprise_roster_is_imported_from_the_home_screen() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let data = data.to_str().expect("utf-8 path").to_string();
    let files = dir.path().join("名册");
    std::fs::create_dir(&files).expect("dir");
    std::fs::write(
        files.join("企业名册.csv"),
        "企业名称,统一社会信用代码,乡镇,行业\n方山县粮食储备库,914403001922038216,峪口镇,粮食仓储\n方山县圪洞加油站,91350100M000100Y43,圪洞镇,加油站\n",
    )
    .expect("csv");
    std::fs::write(files.join("说明.txt"), "这不是名册").expect("txt");
    let mut tui = Tui::spawn(&["--data-dir", &data], 24, 100);
    tui.wait_for("按 E 导入企业名册");
    tui.send("E");
    tui.wait_for("导入企业名册");
    // Clear the proposed directory and type the folder, then complete the file name.
    tui.send(&"\x7f".repeat(200));
    tui.send(&format!("{}/企", files.display()));
    tui.send(TAB);
    tui.wait_for("企业名册.csv");
    tui.send(CTRL_S);
    tui.wait_for("共 2 家，新增 2 家");
    // The roster has no 地址 column: said in a window (what is kept), closed by any key.
    tui.wait_for("这些信息保持不变：地址");
    tui.send(" ");
    tui.wait_gone("按任意键关闭");
    tui.wait_for("已登记企业 2 家");
    // A text that is no roster: refused, nothing imported, the form stays.
    tui.send("E");
    tui.wait_for("导入企业名册");
    tui.send(&"\x7f".repeat(200));
    tui.send(&format!("{}/说明.txt", files.display()));
    tui.send(CTRL_S);
    // Every problem in a window over the form; a key closes it, the form stays to fix the path.
    tui.wait_for("说明.txt 未导入");
    tui.wait_for("按任意键关闭");
    tui.send(" ");
    tui.wait_gone("按任意键关闭");
    tui.wait_for("Excel（.xlsx/.xls）或 CSV");
    tui.send("\x1b");
    tui.wait_for("已登记企业 2 家");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");
}
