//! The roster screen with the real binary in a pseudo-terminal: the office is set up from the
//! screen, a person is enrolled with a role and the key file their laptop exported, and the
//! CLI reads the roster back. Then the effect runner on a real store (no terminal): a revoked
//! key keeps what the office received, and refusals come back in Chinese with nothing written.

#[path = "support/pty.rs"]
mod pty;

use paicha::app::effects::Runner;
use paicha::app::msg::{Effect, Msg, RosterData, RosterWrite};
use paicha::domain::trust::Role;
use paicha::domain::trust::roster::fingerprint;
use paicha::domain::{Inspector, SystemClock};
use paicha::storage::Store;
use paicha::templates::Catalog;
use pty::Tui;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

const TAB: &str = "\t";
const RIGHT: &str = "\x1b[C";
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

/// The public key in a file written by `paicha keys --export`.
fn exported_key(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("key file");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    json["public_key"].as_str().expect("public_key").to_string()
}

/// A pause so that a lone Esc is not read as the start of the next key's escape sequence.
fn settle() {
    std::thread::sleep(Duration::from_millis(150));
}

#[test]
fn the_office_is_set_up_and_a_person_enrolled_from_the_roster_screen() {
    let tmp = tempfile::tempdir().expect("dir");
    let office = tmp.path().join("office");
    let laptop = tmp.path().join("laptop");
    paicha(
        &office,
        &[
            "profile",
            "set",
            "--name",
            "李建山",
            "--cert-no",
            "14010001",
        ],
    );
    paicha(
        &laptop,
        &[
            "profile",
            "set",
            "--name",
            "高峰翔",
            "--cert-no",
            "14010002",
        ],
    );
    // The laptop writes its key card from the roster screen (e), no command line needed: a
    // whole path typed after the proposed one is the one meant.
    let key_file = tmp.path().join("高峰翔.json");
    let mut field = Tui::spawn(
        &["--data-dir", laptop.to_str().expect("utf-8 path")],
        24,
        80,
    );
    field.wait_for("新建检查");
    field.send("m");
    field.wait_for("这里还没有办公室人员名册");
    field.send("e");
    field.wait_for("导出本机公钥（交给办公室登记）");
    field.send(&format!("/{}", key_file.display()));
    field.send(CTRL_S);
    field.wait_for("已把 高峰翔 的公钥写入");
    field.send(ESC);
    field.wait_for("新建检查");
    field.send("q");
    assert!(field.wait_exit());
    let laptop_key = fingerprint(&exported_key(&key_file));
    // The same card as the command line writes.
    let cli_file = tmp.path().join("cli.json");
    paicha(
        &laptop,
        &["keys", "--export", cli_file.to_str().expect("utf-8 path")],
    );
    assert_eq!(
        std::fs::read_to_string(&cli_file).expect("cli card"),
        std::fs::read_to_string(&key_file).expect("tui card")
    );

    let mut tui = Tui::spawn(
        &["--data-dir", office.to_str().expect("utf-8 path")],
        40,
        120,
    );
    tui.wait_for("先按 m 建立人员名册");
    tui.send("m");
    tui.wait_for("这里还没有办公室人员名册");
    tui.wait_for("本机执法人员李建山登记为名册的第一个人");
    // Set up the office: its name, and the clerk (always an inspector too) a group leader.
    tui.send("i");
    tui.wait_for("建立办公室名册");
    tui.send(&BACKSPACE.repeat(40));
    tui.send("方山县应急管理局");
    tui.send(TAB);
    tui.wait_for("空格或 ←/→ 切换");
    tui.send(" ");
    tui.send(CTRL_S);
    tui.wait_for("已建立“方山县应急管理局”的人员名册");
    tui.wait_for("本机是办公室");
    // The fingerprint on screen is the one the CLI shows (the TUI holds its lock; the CLI may
    // still read beside it).
    let shown = paicha(&office, &["office", "show"]);
    let anchor = shown
        .lines()
        .find_map(|l| l.strip_prefix("锚定公钥指纹："))
        .expect("fingerprint")
        .trim()
        .to_string();
    let groups: Vec<&str> = anchor.split(' ').collect();
    assert_eq!(groups.len(), 8, "{anchor}");
    tui.wait_for(&format!(
        "{}    {}",
        groups[..4].join("  "),
        groups[4..].join("  ")
    ));

    // Enrol 高峰翔: 粮食 group, inspector and group leader, with his laptop's key file.
    tui.send("a");
    tui.wait_for("登记人员");
    tui.send("高峰翔");
    tui.send(TAB);
    tui.send("14010002");
    tui.send(TAB);
    tui.send(RIGHT);
    tui.send(RIGHT);
    tui.wait_for("粮食服务股（grain）");
    tui.send(TAB); // 检查人员: on by default
    tui.send(TAB);
    tui.send(" "); // 组长
    tui.send(TAB);
    tui.send(TAB);
    tui.send(TAB);
    tui.wait_for("paicha keys --export 导出的文件");
    tui.send(key_file.to_str().expect("utf-8 path"));
    tui.send(CTRL_S);
    tui.wait_for("已登记 高峰翔（检查人员、组长）");
    tui.wait_for(&format!("公钥 {laptop_key}"));
    tui.wait_for("检查人员、组长");
    tui.wait_for("粮食服务股");
    tui.wait_for("人员名册（2 人）");
    // The history holds every entry.
    tui.send(TAB);
    tui.wait_for("为 高峰翔 登记公钥");
    tui.send(ESC);
    settle();
    tui.wait_for("· 首页");
    tui.send("q");
    assert!(tui.wait_exit(), "quits cleanly");

    let listed = paicha(&office, &["roster", "list", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&listed).expect("json");
    assert_eq!(json["office"], "方山县应急管理局");
    assert_eq!(json["fingerprint"], anchor.as_str());
    let people = json["people"].as_array().expect("people");
    assert_eq!(people.len(), 2, "{listed}");
    let clerk = people
        .iter()
        .find(|p| p["name"] == "李建山")
        .expect("the clerk");
    let mut clerk_roles: Vec<&str> = clerk["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .filter_map(|r| r.as_str())
        .collect();
    clerk_roles.sort_unstable();
    assert_eq!(clerk_roles, ["clerk", "group_leader", "inspector"]);
    let gao = people
        .iter()
        .find(|p| p["name"] == "高峰翔")
        .expect("enrolled");
    assert_eq!(gao["cert_no"], "14010002");
    assert_eq!(gao["group_code"], "grain");
    assert_eq!(gao["active"], true);
    assert_eq!(
        gao["roles"],
        serde_json::json!(["inspector", "group_leader"])
    );
    let keys = gao["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["fingerprint"], laptop_key.as_str());
    assert_eq!(keys[0]["revoked"], false);
}

fn load(runner: &mut Runner) -> RosterData {
    match runner.run(Effect::LoadRoster) {
        Some(Msg::RosterLoaded(data)) => *data,
        Some(Msg::Failed(why)) => panic!("{why}"),
        _ => panic!("no roster data"),
    }
}

fn written(msg: Option<Msg>) -> String {
    match msg {
        Some(Msg::RosterWritten(said)) => said,
        Some(Msg::Failed(why)) => panic!("refused: {why}"),
        _ => panic!("no answer"),
    }
}

fn refused(msg: Option<Msg>) -> String {
    match msg {
        Some(Msg::Failed(why)) => why,
        Some(Msg::RosterWritten(said)) => panic!("accepted: {said}"),
        _ => panic!("no answer"),
    }
}

#[test]
fn the_runner_enrols_revokes_and_refuses_in_chinese_with_nothing_written() {
    let tmp = tempfile::tempdir().expect("dir");
    let catalog = Catalog::builtin().expect("catalog");
    let laptop = tmp.path().join("laptop");
    paicha(
        &laptop,
        &[
            "profile",
            "set",
            "--name",
            "高峰翔",
            "--cert-no",
            "14010002",
        ],
    );
    let key_file = tmp.path().join("gao.json");
    paicha(
        &laptop,
        &["keys", "--export", key_file.to_str().expect("utf-8 path")],
    );
    let mut store = Store::open(&tmp.path().join("office"), Arc::new(SystemClock)).expect("store");
    // Before any roster and without a profile: nothing to show, and the office needs one.
    let mut runner = Runner::new(&mut store, &catalog, String::new());
    let data = load(&mut runner);
    assert!(data.roster.is_none() && !data.is_office && data.profile_name.is_none());
    let why = refused(runner.run(Effect::Roster(RosterWrite::Init {
        office_name: "方山县应急管理局".into(),
        roles: vec![],
    })));
    assert!(why.contains("请先设置本机执法人员档案"), "{why}");
    drop(runner);
    store
        .set_profile(Inspector {
            name: "李建山".into(),
            cert_no: "14010001".into(),
            group_code: Some("energy".into()),
        })
        .expect("profile");
    // A finalized inspection signed by the clerk's key, for the revocation below.
    paicha::demo::generate(
        &mut store,
        &catalog,
        paicha::demo::DemoOptions {
            enterprises: 3,
            inspections: 4,
            seed: 7,
        },
    )
    .expect("demo");
    let mut runner = Runner::new(&mut store, &catalog, String::new());
    let data = load(&mut runner);
    assert!(data.is_office, "the demo is an office");
    let before = data.roster.expect("roster").len;

    let said = written(runner.run(Effect::Roster(RosterWrite::AddPerson {
        name: "高峰翔".into(),
        cert_no: "14010002".into(),
        group_code: Some("grain".into()),
        roles: vec![Role::Inspector],
        key_file: Some(key_file.clone()),
    })));
    assert!(
        said.starts_with("已登记 高峰翔（检查人员），公钥指纹"),
        "{said}"
    );

    // Refusals, each in Chinese and each leaving the roster as it was.
    let missing = tmp.path().join("没有这个文件.json");
    for (write, expected) in [
        (
            RosterWrite::AddPerson {
                name: "赵六".into(),
                cert_no: String::new(),
                group_code: None,
                roles: vec![Role::Inspector],
                key_file: Some(missing.clone()),
            },
            "路径不存在",
        ),
        (
            RosterWrite::AddPerson {
                name: "冒名者".into(),
                cert_no: "14010002".into(),
                group_code: None,
                roles: vec![Role::Inspector],
                key_file: None,
            },
            "执法证号 14010002 已属于 高峰翔",
        ),
        (
            RosterWrite::AddPerson {
                name: "赵六".into(),
                cert_no: String::new(),
                group_code: None,
                roles: vec![Role::Inspector],
                key_file: Some(key_file.clone()),
            },
            "这把公钥已经登记给 高峰翔",
        ),
    ] {
        let why = refused(runner.run(Effect::Roster(write)));
        assert!(why.contains(expected), "{why}");
        assert!(!why.contains("名册可能被改动过"), "{why}");
    }
    let data = load(&mut runner);
    let roster = data.roster.expect("roster");
    assert_eq!(roster.len, before + 2, "only 高峰翔 and his key were added");

    // Revoke the clerk's own key: what the office holds from it stays valid.
    let clerk = roster.find_person("李建山").expect("clerk").id;
    let clerk_key = roster
        .keys
        .values()
        .find(|k| k.person_id == clerk)
        .expect("clerk's key")
        .public_key
        .clone();
    drop(runner);
    let signed = store.records_signed_by(&clerk_key).expect("records");
    assert!(!signed.is_empty(), "the demo's inspections are signed");
    let mut runner = Runner::new(&mut store, &catalog, String::new());
    let said = written(runner.run(Effect::Roster(RosterWrite::Revoke {
        public_key: clerk_key.clone(),
    })));
    assert!(
        said.contains(&format!(
            "此前已收到它签名的 {} 条记录仍然有效",
            signed.len()
        )),
        "{said}"
    );
    let roster = load(&mut runner).roster.expect("roster");
    let revocation = roster.keys[&clerk_key].revoked.as_ref().expect("revoked");
    assert_eq!(
        revocation.accepted,
        signed
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        "accepted = the records the office held"
    );

    // A person who left has no role; r brings them back.
    let gao = roster.find_person("高峰翔").expect("gao").id;
    written(runner.run(Effect::Roster(RosterWrite::Leave { person: gao })));
    let roster = load(&mut runner).roster.expect("roster");
    assert!(!roster.people[&gao].active);
    let said = written(runner.run(Effect::Roster(RosterWrite::SetRoles {
        person: gao,
        roles: vec![Role::Inspector, Role::GroupLeader],
    })));
    assert_eq!(said, "高峰翔 的角色改为：检查人员、组长");
    let roster = load(&mut runner).roster.expect("roster");
    assert!(roster.people[&gao].has(Role::GroupLeader));
}

/// The CLI reads key files through the same code as the screen (`identity::key_file`).
#[test]
fn the_cli_reads_key_files_like_the_screen() {
    let tmp = tempfile::tempdir().expect("dir");
    let office = tmp.path().join("office");
    let laptop = tmp.path().join("laptop");
    paicha(
        &office,
        &[
            "profile",
            "set",
            "--name",
            "李建山",
            "--cert-no",
            "14010001",
        ],
    );
    paicha(&office, &["office", "init", "--name", "方山县应急管理局"]);
    paicha(
        &laptop,
        &[
            "profile",
            "set",
            "--name",
            "高峰翔",
            "--cert-no",
            "14010002",
        ],
    );
    let key_file = tmp.path().join("gao.json");
    let key_text = key_file.to_str().expect("utf-8 path");
    paicha(&laptop, &["keys", "--export", key_text]);
    let said = paicha(
        &office,
        &[
            "roster",
            "add",
            "--name",
            "高峰翔",
            "--role",
            "检查人员",
            "--key",
            key_text,
        ],
    );
    assert!(
        said.contains(&fingerprint(&exported_key(&key_file))),
        "{said}"
    );
    let missing = tmp.path().join("没有.json");
    let out = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(&office)
        .args(["roster", "key", "高峰翔", "--key"])
        .arg(&missing)
        .env_remove("PAICHA_CONFIG_DIR")
        .output()
        .expect("run paicha");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("无法读取公钥文件"), "{err}");
    assert!(err.contains("路径不存在"), "{err}");
}
