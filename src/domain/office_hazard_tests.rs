use super::*;

fn typed(source: &str) -> Typed {
    Typed {
        source: source.into(),
        grade: "一般".into(),
        description: "二楼疏散通道堆放杂物".into(),
        ..Typed::default()
    }
}

fn rules() -> MoneyRules {
    MoneyRules::default()
}

fn refusal(t: &Typed) -> Problem {
    match check(t, &rules()) {
        Err(p) => p,
        Ok(c) => panic!("accepted: {c:?}"),
    }
}

#[test]
fn a_plain_self_check_entry_passes_with_today_and_no_fixes() {
    let c = check(&typed("企业自查"), &rules()).expect("valid");
    assert_eq!(c.source, HazardSource::SelfCheck);
    assert_eq!(c.found_on, None);
    assert_eq!(c.fixes, None);
    assert_eq!(c.reward_fen, None);
}

#[test]
fn each_source_takes_only_its_own_extras() {
    let p = refusal(&typed("执法检查"));
    assert_eq!(p.part, Part::Source);
    let p = refusal(&typed("上级交办"));
    assert_eq!(
        (p.part, p.text.as_str()),
        (Part::Document, "上级交办的隐患须填写交办文件文号")
    );
    let mut t = typed("上级交办");
    t.document = "方应急〔2023〕12号".into();
    assert_eq!(
        check(&t, &rules()).expect("valid").document.as_deref(),
        Some("方应急〔2023〕12号")
    );
    t.source = "企业自查".into();
    assert_eq!(refusal(&t).part, Part::Document);
    let mut t = typed("企业自查");
    t.anonymous = true;
    assert_eq!(refusal(&t).part, Part::Anonymous);
    let mut t = typed("群众举报");
    t.anonymous = true;
    t.reward = "5000元".into();
    let c = check(&t, &rules()).expect("valid");
    assert_eq!(c.reward_fen, Some(500_000));
    assert!(c.anonymous);
}

#[test]
fn the_five_fixes_are_all_or_none_and_name_what_is_missing() {
    let mut t = typed("企业自查");
    t.deadline = "2023.9.15".into();
    t.measures = "清理杂物".into();
    let p = refusal(&t);
    assert_eq!(p.part, Part::Responsible);
    assert_eq!(
        p.text,
        "五落实须一起填写，缺少：整改责任人、整改资金、整改期间的应急预案"
    );
    t.responsible = "王经理".into();
    t.funds = "3000元 企业自筹".into();
    t.plan = "设专人看守".into();
    let fixes = check(&t, &rules()).expect("valid").fixes.expect("given");
    assert_eq!(fixes.deadline.to_string(), "2023-09-15");
    assert_eq!(fixes.funds, "0.3万元，企业自筹");
    t.deadline = "9月15日".into();
    let p = refusal(&t);
    assert_eq!(p.part, Part::Deadline);
    assert!(p.text.contains("整改时限应为日期"), "{}", p.text);
}

#[test]
fn amounts_above_the_ceiling_need_confirming_and_absurd_ones_never_pass() {
    let mut t = typed("群众举报");
    t.reward = "600".into();
    let p = refusal(&t);
    assert_eq!(p.part, Part::Reward);
    assert!(p.text.contains("超过 500 万元"), "{}", p.text);
    t.confirm_large = true;
    assert_eq!(
        check(&t, &rules()).expect("confirmed").reward_fen,
        Some(600_000_000)
    );
    t.reward = "1234567890".into();
    assert_eq!(refusal(&t).part, Part::Reward);
}

#[test]
fn the_found_day_is_read_as_people_write_it() {
    let mut t = typed("企业自查");
    t.found = "2023年9月5日".into();
    let c = check(&t, &rules()).expect("valid");
    assert_eq!(
        c.found_on.map(|d| d.to_string()).as_deref(),
        Some("2023-09-05")
    );
    let at = c.found_at(chrono::Utc::now());
    assert_eq!(time::local(at).to_string(), "2023-09-05 09:00:00");
    t.found = "23-9-5".into();
    assert_eq!(refusal(&t).part, Part::Found);
}

#[test]
fn a_reward_is_booked_on_the_hazard_without_the_reporter() {
    let mut t = typed("群众举报");
    t.description = "举报人张三（电话13812345678）反映仓库违规住人".into();
    t.reward = "0.2".into();
    t.anonymous = true;
    let c = check(&t, &rules()).expect("valid");
    let id = Uuid::nil();
    let hazard = c.hazard(Uuid::nil(), chrono::Utc::now());
    let a = reward_activity(id, &hazard, 200_000);
    assert_eq!(a.rewarded_hazard(), Some(id));
    assert!(a.anonymous);
    assert!(!a.title.contains("13812345678"), "{}", a.title);
    assert!(!a.title.contains("张三"), "{}", a.title);
}
