//! The roster screen without a terminal or a database: keys in, state and effects out. The
//! roster itself is a real signed chain (fixed keys and times), folded as the store folds it.

use super::{Mode, Row, Tab};
use crate::app::form::FieldKind;
use crate::app::msg::{Effect, HomeData, Msg, RosterData, RosterWrite};
use crate::app::screens::Screen;
use crate::app::screens::overlays::Overlay;
use crate::app::state::App;
use crate::app::tests::{catalog, ch, ctrl, ctx_at_now, feed, key, typed};
use crate::domain::trust::{Body, Entry, Role, Roster, SignedEntry};
use crate::storage::HeldBundle;
use crossterm::event::KeyCode;
use ed25519_dalek::SigningKey;
use uuid::Uuid;

pub const OFFICE_NAME: &str = "方山县应急管理局";

pub fn signing_key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

pub fn public(n: u8) -> String {
    crate::identity::keys::public_hex(&signing_key(n))
}

/// The people of the sample roster, by a fixed id.
pub fn person_id(n: u128) -> Uuid {
    Uuid::from_u128(0x0189_0000_0000_7000_8000_0000_0000_0000 + n)
}

fn made_at(seq: u64) -> String {
    format!(
        "2023-08-{:02}T01:{:02}:00.000000000Z",
        1 + seq / 60,
        seq % 60
    )
}

/// A chain of `bodies` after the anchor (key 1), each signed in its place.
pub fn chain(bodies: Vec<Body>) -> Vec<SignedEntry> {
    let anchor = signing_key(1);
    let office = Uuid::from_u128(0x0189_0000_0000_7000_8000_0000_0000_ffff);
    let mut entries = vec![SignedEntry::sign(
        Entry {
            seq: 1,
            prev: String::new(),
            office,
            made_at: made_at(1),
            body: Body::Anchor {
                public_key: public(1),
                office_name: OFFICE_NAME.into(),
            },
        },
        &anchor,
    )];
    for body in bodies {
        let last = entries.last().expect("anchor");
        let seq = last.entry.seq + 1;
        let entry = Entry {
            seq,
            prev: last.hash(),
            office,
            made_at: made_at(seq),
            body,
        };
        entries.push(SignedEntry::sign(entry, &anchor));
    }
    entries
}

pub fn person(n: u128, name: &str, cert: &str, group: Option<&str>, roles: &[Role]) -> Body {
    Body::Person {
        person_id: person_id(n),
        name: name.into(),
        cert_no: cert.into(),
        group_code: group.map(String::from),
        roles: roles.to_vec(),
        active: true,
    }
}

pub fn key_of(n: u128, key: u8) -> Body {
    Body::Key {
        person_id: person_id(n),
        inspector_id: Uuid::from_u128(0x0189_0000_0000_7000_8000_0000_0000_1000 + key as u128),
        public_key: public(key),
    }
}

/// Four people: a clerk with one key; an inspector with a revoked key and a new one; a
/// close-out leader with no key; an inspector who left. Then `extra` inspectors (for
/// scrolling).
pub fn sample_bodies(extra: usize) -> Vec<Body> {
    use Role::*;
    let mut bodies = vec![
        person(1, "李建山", "14010001", Some("energy"), &[Clerk, Inspector]),
        key_of(1, 2),
        person(2, "高峰翔", "14010002", Some("grain"), &[Inspector]),
        key_of(2, 3),
        key_of(2, 4),
        Body::Revoke {
            public_key: public(3),
            accepted: vec![Uuid::from_u128(7)],
        },
        person(3, "张侯平", "", None, &[CloseOutLeader]),
        person(4, "王五", "14010003", Some("energy"), &[Inspector]),
        key_of(4, 5),
    ];
    bodies.push(Body::Person {
        person_id: person_id(4),
        name: "王五".into(),
        cert_no: "14010003".into(),
        group_code: Some("energy".into()),
        roles: vec![Inspector],
        active: false,
    });
    for i in 0..extra {
        bodies.push(person(
            100 + i as u128,
            &format!("检查员{i:02}"),
            &format!("1402{i:04}"),
            Some("energy"),
            &[Inspector],
        ));
    }
    bodies
}

/// What the runner would load for the sample roster (`extra` more inspectors).
pub fn roster_data(is_office: bool, extra: usize) -> RosterData {
    let entries = chain(sample_bodies(extra));
    let roster = Roster::from_chain(&entries).expect("sample roster folds");
    RosterData {
        key_card_path: "/home/李建山/文档/李建山-公钥.json".into(),
        roster: Some(roster),
        problem: None,
        is_office,
        profile_name: Some("李建山".into()),
        entries,
        held: vec![
            HeldBundle {
                sha256: "ab".repeat(32),
                file_name: "高峰翔-0901.paicha".into(),
                stored_as: format!("held/{}.paicha", "ab".repeat(32)),
                held_at: made_at(70),
                reason: "数据包中有已吊销公钥（高峰翔）在吊销之后签名的记录 3 条，留待内勤复核"
                    .into(),
                resolution: None,
            },
            HeldBundle {
                sha256: "cd".repeat(32),
                file_name: "王五-0820.paicha".into(),
                stored_as: format!("held/{}.paicha", "cd".repeat(32)),
                held_at: made_at(65),
                reason: "数据包的作者公钥尚未登记".into(),
                resolution: Some("imported".into()),
            },
        ],
        unenrolled: vec![(
            Uuid::from_u128(0x0189_0000_0000_7000_8000_0000_0000_2006).to_string(),
            "赵六".into(),
            public(6),
        )],
    }
}

/// Before any roster, on a data dir with (or without) a profile.
pub fn no_roster(profile: Option<&str>) -> RosterData {
    RosterData {
        roster: None,
        problem: None,
        is_office: false,
        profile_name: profile.map(String::from),
        entries: vec![],
        held: vec![],
        unenrolled: vec![],
        key_card_path: "/home/李建山/文档/李建山-公钥.json".into(),
    }
}

fn home_data() -> HomeData {
    HomeData {
        drafts: vec![],
        finalized: vec![],
        today: vec![],
        enterprise_count: 3,
        open_major: 0,
        overdue_major: 0,
        profile_name: Some("李建山".into()),
        profile_group: None,
        profile_cert_no: String::new(),
        profile_from_roster: false,
        data_dir: "/data".into(),
        last_safeguard: None,
    }
}

/// The app on the roster screen with `data` loaded.
pub fn on_roster(data: RosterData) -> App {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    app.update(Msg::HomeLoaded(home_data()), &ctx);
    let effects = feed(&mut app, &ctx, [ch('m')]);
    assert_eq!(effects, [Effect::LoadRoster]);
    app.update(Msg::RosterLoaded(Box::new(data)), &ctx);
    app
}

fn screen(app: &App) -> &super::RosterScreen {
    match &app.screen {
        Screen::Roster(r) => r,
        _ => panic!("not on the roster screen"),
    }
}

fn notice(app: &App) -> String {
    app.notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

fn form_value(app: &App, field: &str) -> String {
    let (_, form) = screen(app).form.as_ref().expect("a form is open");
    form.value(field).to_string()
}

#[test]
fn m_on_home_opens_the_roster_and_esc_goes_back() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = App::default();
    app.update(Msg::HomeLoaded(home_data()), &ctx);
    assert_eq!(feed(&mut app, &ctx, [ch('m')]), [Effect::LoadRoster]);
    let r = screen(&app);
    assert!(r.data.is_none(), "loading");
    assert_eq!(r.mode(), Mode::Read);
    // Data for another screen is not taken (a late answer after Esc).
    assert_eq!(
        feed(&mut app, &ctx, [key(KeyCode::Esc)]),
        [Effect::LoadHome]
    );
    assert!(matches!(app.screen, Screen::Home(_)));
    app.update(Msg::RosterLoaded(Box::new(roster_data(true, 0))), &ctx);
    assert!(matches!(app.screen, Screen::Home(_)));
}

#[test]
fn the_people_list_shows_each_person_then_their_keys_and_those_who_left_last() {
    let app = on_roster(roster_data(true, 0));
    let r = screen(&app);
    assert_eq!(r.mode(), Mode::Office);
    assert_eq!(
        r.rows,
        [
            Row::Person(person_id(1)),
            Row::Key(public(2)),
            Row::Person(person_id(2)),
            Row::Key(public(3)),
            Row::Key(public(4)),
            Row::Person(person_id(3)),
            Row::Person(person_id(4)),
            Row::Key(public(5)),
        ]
    );
    assert_eq!(r.history.len(), 11, "every entry, the anchor included");
    assert!(r.history[0].line.contains("建立名册：方山县应急管理局"));
    assert_eq!(
        r.pending.len(),
        3,
        "two held bundles and one key not enrolled"
    );
    assert!(r.pending[0].detail.contains("paicha import --retry-held"));
    assert!(r.pending[1].done, "an imported bundle is settled");
    assert!(r.pending[2].line.contains("赵六"));
}

#[test]
fn the_lists_scroll_with_arrows_pages_home_and_end_each_keeping_its_place() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = on_roster(roster_data(true, 30));
    let rows = screen(&app).rows.len();
    assert_eq!(rows, 38);
    let at = |app: &App| screen(app).selected;
    feed(&mut app, &ctx, [key(KeyCode::Down), ch('j')]);
    assert_eq!(at(&app)[0], 2);
    feed(&mut app, &ctx, [key(KeyCode::PageDown)]);
    assert_eq!(at(&app)[0], 12);
    feed(&mut app, &ctx, [key(KeyCode::End)]);
    assert_eq!(at(&app)[0], rows - 1);
    feed(&mut app, &ctx, [key(KeyCode::Down)]);
    assert_eq!(at(&app)[0], rows - 1, "stops at the end");
    feed(&mut app, &ctx, [key(KeyCode::PageUp), key(KeyCode::Up)]);
    assert_eq!(at(&app)[0], rows - 12);
    feed(&mut app, &ctx, [key(KeyCode::Home), ch('k')]);
    assert_eq!(at(&app)[0], 0, "stops at the top");
    feed(&mut app, &ctx, [key(KeyCode::PageDown)]);
    // Tab moves to the history, which has its own place.
    feed(&mut app, &ctx, [key(KeyCode::Tab), key(KeyCode::End)]);
    assert_eq!(screen(&app).tab, Tab::History);
    assert_eq!(at(&app), [10, 40, 0]);
    feed(&mut app, &ctx, [key(KeyCode::Tab), key(KeyCode::Down)]);
    assert_eq!(screen(&app).tab, Tab::Pending);
    feed(&mut app, &ctx, [key(KeyCode::Tab)]);
    assert_eq!(screen(&app).tab, Tab::People);
    assert_eq!(at(&app), [10, 40, 1]);
}

#[test]
fn e_writes_this_laptops_public_key_card_with_or_without_a_roster() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    for data in [no_roster(Some("李建山")), roster_data(false, 0)] {
        let mut app = on_roster(data);
        feed(&mut app, &ctx, [ch('e')]);
        assert_eq!(screen(&app).mode(), Mode::Form);
        assert_eq!(
            form_value(&app, "path"),
            "/home/李建山/文档/李建山-公钥.json"
        );
        // A whole path typed after the proposed one is the one meant.
        let mut keys = typed("//media/usb/李建山.json");
        keys.push(ctrl('s'));
        assert_eq!(
            feed(&mut app, &ctx, keys),
            [Effect::ExportOwnKey("/media/usb/李建山.json".into())]
        );
    }
}

#[test]
fn before_any_roster_i_opens_the_office_form_and_ctrl_s_asks_the_store() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = on_roster(no_roster(Some("李建山")));
    assert_eq!(screen(&app).mode(), Mode::NoRoster);
    // Keys that change a roster do nothing yet (there is none to change).
    assert!(feed(&mut app, &ctx, [ch('a')]).is_empty());
    assert!(screen(&app).form.is_none());
    feed(&mut app, &ctx, [ch('i')]);
    assert_eq!(form_value(&app, "office_name"), catalog.campaign.bureau);
    assert_eq!(screen(&app).mode(), Mode::Form);
    // The clerk is always an inspector too; a group leader as well: Tab to that toggle,
    // space turns it on.
    assert_eq!(
        form_value(&app, "role_inspector"),
        "",
        "no toggle: always granted"
    );
    feed(&mut app, &ctx, [key(KeyCode::Tab), ch(' ')]);
    assert_eq!(form_value(&app, "role_group_leader"), "是");
    assert_eq!(
        feed(&mut app, &ctx, [ctrl('s')]),
        [Effect::Roster(RosterWrite::Init {
            office_name: catalog.campaign.bureau.clone(),
            roles: vec![Role::GroupLeader],
        })]
    );
    // A refusal leaves the form as it was, to fix and try again.
    app.update(Msg::Failed("磁盘已满".into()), &ctx);
    assert!(screen(&app).form.is_some());
    assert_eq!(notice(&app), "磁盘已满");
    let effects = app.update(Msg::RosterWritten("已建立“方山县应急管理局”".into()), &ctx);
    assert_eq!(effects, [Effect::LoadRoster]);
    assert!(screen(&app).form.is_none());
    assert_eq!(notice(&app), "已建立“方山县应急管理局”");
}

#[test]
fn without_a_profile_the_office_cannot_be_set_up_and_says_how() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = on_roster(no_roster(None));
    assert!(feed(&mut app, &ctx, [ch('i')]).is_empty());
    assert!(screen(&app).form.is_none());
    assert!(notice(&app).contains("回首页按 p"), "{}", notice(&app));
}

#[test]
fn adding_a_person_sends_name_group_roles_and_key_file_and_waits_for_the_store() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = on_roster(roster_data(true, 0));
    feed(&mut app, &ctx, [ch('a')]);
    {
        let (_, form) = screen(&app).form.as_ref().expect("form");
        let group = form
            .fields
            .iter()
            .find(|f| f.key == "group")
            .expect("group");
        let FieldKind::Choice(options) = &group.kind else {
            panic!("group is a choice");
        };
        assert_eq!(options[0], "未分组");
        assert!(
            options.contains(&"粮食服务股（grain）".to_string()),
            "{options:?}"
        );
        assert_eq!(
            form_value(&app, "role_inspector"),
            "是",
            "inspector by default"
        );
    }
    feed(&mut app, &ctx, typed("赵六"));
    feed(&mut app, &ctx, [key(KeyCode::Tab)]);
    feed(&mut app, &ctx, typed("14010009"));
    // Group: the second choice is the second group (grain).
    feed(
        &mut app,
        &ctx,
        [key(KeyCode::Tab), key(KeyCode::Right), key(KeyCode::Right)],
    );
    // 检查人员 stays on; 组长 on.
    feed(
        &mut app,
        &ctx,
        [key(KeyCode::Tab), key(KeyCode::Tab), ch(' ')],
    );
    feed(
        &mut app,
        &ctx,
        [key(KeyCode::Tab), key(KeyCode::Tab), key(KeyCode::Tab)],
    );
    feed(&mut app, &ctx, typed("/media/usb/赵六.json"));
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    assert_eq!(
        effects,
        [Effect::Roster(RosterWrite::AddPerson {
            name: "赵六".into(),
            cert_no: "14010009".into(),
            group_code: Some("grain".into()),
            roles: vec![Role::Inspector, Role::GroupLeader],
            key_file: Some("/media/usb/赵六.json".into()),
        })]
    );
    // A key file not found comes back as the store's words; the form stays to fix the path.
    app.update(
        Msg::Failed("无法读取公钥文件 /media/usb/赵六.json：路径不存在".into()),
        &ctx,
    );
    assert!(screen(&app).form.is_some());
    assert!(notice(&app).contains("路径不存在"));
    app.update(
        Msg::RosterWritten("已登记 赵六（检查人员、组长）".into()),
        &ctx,
    );
    assert!(screen(&app).form.is_none());
}

#[test]
fn a_person_needs_a_role_and_a_certificate_number_nobody_else_holds() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = on_roster(roster_data(true, 0));
    feed(&mut app, &ctx, [ch('a')]);
    feed(&mut app, &ctx, typed("赵六"));
    // Turn 检查人员 off: no role at all.
    feed(
        &mut app,
        &ctx,
        [
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            ch(' '),
        ],
    );
    assert!(feed(&mut app, &ctx, [ctrl('s')]).is_empty());
    assert_eq!(notice(&app), "请至少选择一个角色");
    feed(&mut app, &ctx, [ch(' ')]);
    // 高峰翔's number.
    if let Some((_, form)) = match &mut app.screen {
        Screen::Roster(r) => r.form.as_mut(),
        _ => None,
    } {
        form.fields[1].value = "14010002".into();
    }
    assert!(feed(&mut app, &ctx, [ctrl('s')]).is_empty());
    assert_eq!(notice(&app), "执法证号 14010002 已属于 高峰翔");
    // A missing name is caught by the form itself.
    feed(&mut app, &ctx, [key(KeyCode::Esc), ch('a'), ctrl('s')]);
    let (_, form) = screen(&app).form.as_ref().expect("form");
    assert_eq!(form.fields[0].error.as_deref(), Some("姓名不能为空"));
}

#[test]
fn roles_start_from_the_person_as_enrolled_and_a_key_row_acts_for_its_owner() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = on_roster(roster_data(true, 0));
    // Row 1 is 李建山's key: r edits 李建山.
    feed(&mut app, &ctx, [key(KeyCode::Down), ch('r')]);
    {
        let (which, form) = screen(&app).form.as_ref().expect("form");
        assert_eq!(*which, super::RosterForm::Roles(person_id(1)));
        assert!(form.title.contains("李建山"), "{}", form.title);
    }
    assert_eq!(form_value(&app, "role_clerk"), "是");
    assert_eq!(form_value(&app, "role_inspector"), "是");
    assert_eq!(form_value(&app, "role_close_out_leader"), "否");
    // Add 销号签字领导 (the third toggle).
    feed(
        &mut app,
        &ctx,
        [key(KeyCode::Tab), key(KeyCode::Tab), ch(' ')],
    );
    let effects = feed(&mut app, &ctx, [ctrl('s')]);
    assert_eq!(
        effects,
        [Effect::Roster(RosterWrite::SetRoles {
            person: person_id(1),
            roles: vec![Role::Inspector, Role::CloseOutLeader, Role::Clerk],
        })]
    );
    feed(&mut app, &ctx, [key(KeyCode::Esc)]);
    // g on the same row: a key for 李建山, from a file.
    feed(&mut app, &ctx, [ch('g')]);
    feed(&mut app, &ctx, typed("/media/usb/李建山.json"));
    assert_eq!(
        feed(&mut app, &ctx, [ctrl('s')]),
        [Effect::Roster(RosterWrite::AddKey {
            person: person_id(1),
            key_file: "/media/usb/李建山.json".into(),
        })]
    );
    // The key file is required here.
    feed(&mut app, &ctx, [key(KeyCode::Esc), ch('g')]);
    assert!(feed(&mut app, &ctx, [ctrl('s')]).is_empty());
}

#[test]
fn revoking_asks_first_and_says_what_was_received_stays_valid() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = on_roster(roster_data(true, 0));
    // 李建山 has one key: x on his row picks it.
    feed(&mut app, &ctx, [ch('x')]);
    let Some(Overlay::Confirm(c)) = app.overlays.last() else {
        panic!("a confirmation");
    };
    assert!(c.prompt.contains("李建山"), "{}", c.prompt);
    assert!(
        c.prompt.contains("此前收到的它签名的记录仍然有效"),
        "{}",
        c.prompt
    );
    assert_eq!(
        *c.on_yes,
        Effect::Roster(RosterWrite::Revoke {
            public_key: public(2)
        })
    );
    // n: nothing happens.
    assert!(feed(&mut app, &ctx, [ch('n')]).is_empty());
    assert!(app.overlays.is_empty());
    // 高峰翔's first key is revoked already.
    feed(&mut app, &ctx, (0..3).map(|_| key(KeyCode::Down)));
    assert!(feed(&mut app, &ctx, [ch('x')]).is_empty());
    assert!(app.overlays.is_empty());
    assert_eq!(notice(&app), "这把公钥已经吊销");
    // His other key: y revokes it.
    feed(&mut app, &ctx, [key(KeyCode::Down), ch('x')]);
    assert_eq!(
        feed(&mut app, &ctx, [ch('y')]),
        [Effect::Roster(RosterWrite::Revoke {
            public_key: public(4)
        })]
    );
    // 张侯平 has no key.
    feed(&mut app, &ctx, [key(KeyCode::Down), ch('x')]);
    assert_eq!(notice(&app), "张侯平 没有可吊销的公钥");
    // Someone with two live keys: on the person's row, x asks which.
    let mut bodies = sample_bodies(0);
    bodies.push(key_of(1, 8));
    let mut data = roster_data(true, 0);
    data.entries = chain(bodies);
    data.roster = Some(Roster::from_chain(&data.entries).expect("folds"));
    app.update(Msg::RosterLoaded(Box::new(data)), &ctx);
    feed(&mut app, &ctx, [key(KeyCode::Home), ch('x')]);
    assert!(app.overlays.is_empty());
    assert_eq!(
        notice(&app),
        "李建山 有 2 把公钥：请用 ↓ 选中要吊销的那一把"
    );
}

#[test]
fn leaving_asks_first_and_a_person_who_left_cannot_leave_again() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = on_roster(roster_data(true, 0));
    feed(
        &mut app,
        &ctx,
        [key(KeyCode::Down), key(KeyCode::Down), ch('l')],
    );
    let Some(Overlay::Confirm(c)) = app.overlays.last() else {
        panic!("a confirmation");
    };
    assert!(c.prompt.contains("高峰翔"), "{}", c.prompt);
    assert_eq!(
        feed(&mut app, &ctx, [key(KeyCode::Enter)]),
        [Effect::Roster(RosterWrite::Leave {
            person: person_id(2)
        })]
    );
    feed(&mut app, &ctx, [key(KeyCode::End), ch('l')]);
    assert!(app.overlays.is_empty());
    assert_eq!(notice(&app), "王五 已停用");
    // r on someone who left brings them back with the roles chosen.
    feed(&mut app, &ctx, [ch('r')]);
    let (_, form) = screen(&app).form.as_ref().expect("form");
    assert!(form.title.contains("恢复已停用的 王五"), "{}", form.title);
}

#[test]
fn a_laptop_reads_the_roster_and_is_told_where_changes_are_made() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = on_roster(roster_data(false, 0));
    assert_eq!(screen(&app).mode(), Mode::Read);
    for c in ['a', 'r', 'g', 'l', 'x'] {
        assert!(feed(&mut app, &ctx, [ch(c)]).is_empty());
        assert!(screen(&app).form.is_none() && app.overlays.is_empty());
        assert!(notice(&app).contains("名册只读"), "{c}: {}", notice(&app));
    }
    // Reading still works.
    feed(&mut app, &ctx, [key(KeyCode::End)]);
    assert_eq!(screen(&app).selected[0], 7);
}

#[test]
fn a_reload_keeps_the_selected_person_where_they_moved() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut app = on_roster(roster_data(true, 0));
    // 张侯平.
    feed(&mut app, &ctx, (0..5).map(|_| key(KeyCode::Down)));
    assert_eq!(
        screen(&app).rows[screen(&app).selected[0]],
        Row::Person(person_id(3))
    );
    // A key enrolled for 李建山 puts a row above.
    let mut bodies = sample_bodies(0);
    bodies.push(key_of(1, 8));
    let mut data = roster_data(true, 0);
    data.entries = chain(bodies);
    data.roster = Some(Roster::from_chain(&data.entries).expect("folds"));
    app.update(Msg::RosterLoaded(Box::new(data)), &ctx);
    let r = screen(&app);
    assert_eq!(r.selected[0], 6);
    assert_eq!(r.rows[6], Row::Person(person_id(3)));
}

#[test]
fn a_roster_changed_by_hand_is_shown_as_refused_and_nothing_can_be_changed() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let mut data = no_roster(Some("李建山"));
    data.problem = Some("办公室名册第 3 条无效：签名无效".into());
    data.is_office = true;
    let mut app = on_roster(data);
    assert_eq!(screen(&app).mode(), Mode::Read);
    assert!(feed(&mut app, &ctx, [ch('i'), ch('a')]).is_empty());
    assert!(screen(&app).form.is_none());
}
