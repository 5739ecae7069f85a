use super::*;

fn form(kind: EvidenceKind) -> FormDef {
    shipped()
        .expect("shipped forms parse")
        .into_iter()
        .find(|f| f.kind == kind)
        .expect("form for kind")
}

#[test]
fn one_shipped_form_per_evidence_kind_with_the_fields_the_rules_need() {
    let forms = shipped().expect("parse");
    let kinds: Vec<EvidenceKind> = forms.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, EvidenceKind::ALL);
    let need = [
        (
            EvidenceKind::HotWorkPermit,
            &[
                "permit_no",
                "level",
                "welder",
                "welder_cert_no",
                "gas_sampled_at",
                "start_at",
                "end_at",
                "fire_watch",
                "approver",
            ][..],
        ),
        (
            EvidenceKind::SpecialOperationCertificate,
            &[
                "holder_name",
                "id_number",
                "cert_no",
                "category",
                "valid_until",
                "review_due_on",
                "reviewed_on",
                "issuing_system",
                "verified",
            ][..],
        ),
        (
            EvidenceKind::OutsourcingAgreement,
            &[
                "contractor_name",
                "contractor_qualified",
                "agreement_signed",
                "duties_clear",
                "unified_management",
                "regular_inspections",
            ][..],
        ),
        (
            EvidenceKind::DrillRecord,
            &["plan_type", "held_on", "staff_know_exits", "evaluated"][..],
        ),
    ];
    for (kind, keys) in need {
        let f = form(kind);
        for key in keys {
            assert!(f.field(key).is_some(), "{kind:?} lacks {key}");
        }
    }
}

#[test]
fn a_bad_date_is_caught_at_the_field() {
    let f = form(EvidenceKind::SpecialOperationCertificate);
    let valid_until = f.field("valid_until").expect("field");
    assert_eq!(
        valid_until.parse_input("2023-02-30"),
        Err("有效期至应为日期，格式如 2023-08-15".to_string())
    );
    assert!(valid_until.parse_input("2023/08/15").is_err());
    assert_eq!(
        valid_until.parse_input(" 2025-06-30 "),
        Ok(Some(FieldValue::Text("2025-06-30".into())))
    );
    assert_eq!(
        valid_until.parse_input(""),
        Err("有效期至不能为空".to_string())
    );
    let reviewed = f.field("reviewed_on").expect("field");
    assert_eq!(reviewed.parse_input(""), Ok(None), "optional may be empty");
}

#[test]
fn each_type_checks_its_input() {
    let hot = form(EvidenceKind::HotWorkPermit);
    let level = hot.field("level").expect("level");
    assert!(
        level
            .parse_input("三级")
            .unwrap_err()
            .contains("特级、一级、二级")
    );
    assert_eq!(
        level.parse_input("一级"),
        Ok(Some(FieldValue::Text("一级".into())))
    );
    let start = hot.field("start_at").expect("start");
    assert_eq!(
        start.parse_input("2023-08-15 09:30"),
        Ok(Some(FieldValue::Text("2023-08-15 09:30".into())))
    );
    assert!(start.parse_input("2023-08-15 25:00").is_err());
    let confirmed = hot.field("measures_confirmed").expect("bool");
    assert_eq!(
        confirmed.parse_input("是"),
        Ok(Some(FieldValue::Bool(true)))
    );
    assert_eq!(
        confirmed.parse_input("否"),
        Ok(Some(FieldValue::Bool(false)))
    );
    assert!(confirmed.parse_input("也许").is_err());
    let drill = form(EvidenceKind::DrillRecord);
    let minutes = drill.field("duration_minutes").expect("number");
    assert_eq!(
        minutes.parse_input("45"),
        Ok(Some(FieldValue::Number(45.0)))
    );
    assert!(minutes.parse_input("0").unwrap_err().contains("不能小于"));
    assert!(
        minutes
            .parse_input("四十")
            .unwrap_err()
            .contains("应为数字")
    );
    let cert = form(EvidenceKind::SpecialOperationCertificate);
    assert!(
        cert.field("id_number")
            .expect("id")
            .parse_input("110105194912310021")
            .unwrap_err()
            .contains("校验位")
    );
    let out = form(EvidenceKind::OutsourcingAgreement);
    assert!(
        out.field("contractor_credit_code")
            .expect("code")
            .parse_input("91350100M000100Y44")
            .unwrap_err()
            .contains("校验位")
    );
}

#[test]
fn missing_required_fields_are_listed_by_label() {
    let f = form(EvidenceKind::DrillRecord);
    let mut values = BTreeMap::new();
    values.insert("name".to_string(), FieldValue::Text("消防演练".into()));
    let missing = f.missing_required(&values);
    assert_eq!(
        missing,
        [
            "所演练的预案",
            "演练日期",
            "从业人员熟知安全逃生出口（避灾路线）"
        ]
    );
}

#[test]
fn broken_forms_name_file_and_line() {
    let unknown_key = "kind = \"drill_record\"\nversion = 1\ntitle = \"t\"\nbasis = \"b\"\nitems = []\n\n[[field]]\nkey = \"a\"\nlabel = \"A\"\ntype = \"text\"\ncolour = 1\n";
    let err = FormDef::parse("x.toml", unknown_key).unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.toml:11:1: 未知的键“colour”，可用的键：key, label, type, required, options, min, max, help"
    );

    let bad_type = unknown_key.replace("type = \"text\"\ncolour = 1", "type = \"colour\"");
    let err = FormDef::parse("x.toml", &bad_type).unwrap_err();
    assert_eq!((err.line, err.col), (10, 8), "{err}");
    assert!(err.message.contains("colour"), "{err}");

    let enum_without_options =
        unknown_key.replace("type = \"text\"\ncolour = 1", "type = \"enum\"");
    let err = FormDef::parse("x.toml", &enum_without_options).unwrap_err();
    assert_eq!(err.to_string(), "x.toml:8:7: 枚举字段 a 缺少 options");

    let duplicate = format!(
        "{}\n[[field]]\nkey = \"a\"\nlabel = \"B\"\ntype = \"bool\"\n",
        unknown_key.replace("\ncolour = 1", "")
    );
    let err = FormDef::parse("x.toml", &duplicate).unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.toml:13:7: 字段键 a 重复",
        "points at the second one"
    );

    let bad_kind = unknown_key
        .replace("drill_record", "parking_ticket")
        .replace("\ncolour = 1", "");
    let err = FormDef::parse("x.toml", &bad_kind).unwrap_err();
    assert_eq!((err.file.as_str(), err.line), ("x.toml", 1), "{err}");
    assert!(err.message.contains("parking_ticket"), "{err}");
}

#[test]
fn stored_values_are_checked_against_the_form() {
    let f = form(EvidenceKind::DrillRecord);
    let mut values = BTreeMap::new();
    for (key, input) in [
        ("name", "消防疏散演练"),
        ("plan_type", "现场处置方案"),
        ("held_on", "2023-06-16"),
        ("staff_know_exits", "是"),
    ] {
        let value = f
            .field(key)
            .expect(key)
            .parse_input(input)
            .expect("valid")
            .expect("some");
        values.insert(key.to_string(), value);
    }
    assert!(
        f.check_values(&values).is_empty(),
        "{:?}",
        f.check_values(&values)
    );
    values.insert("held_on".into(), FieldValue::Text("16/06/2023".into()));
    values.insert("participants".into(), FieldValue::Text("三十".into()));
    values.insert("weather".into(), FieldValue::Text("晴".into()));
    values.insert("evaluated".into(), FieldValue::Text("是".into()));
    values.remove("staff_know_exits");
    let problems = f.check_values(&values);
    assert_eq!(
        problems,
        [
            "演练日期应为日期，格式如 2023-08-15",
            "参演人数（签到）应为数字",
            "已评估并形成评估报告的值类型不对",
            "从业人员熟知安全逃生出口（避灾路线）不能为空",
            "表单“应急演练记录”没有字段 weather",
        ]
    );
}
