//! The shipped configuration loads, says what the campaign document says, and user files
//! override it only as the rules allow.

use super::*;
use crate::domain::EvidenceKind;

fn builtin() -> Catalog {
    match Catalog::builtin() {
        Ok(c) => c,
        Err(errors) => panic!("shipped configuration has errors: {errors:#?}"),
    }
}

#[test]
fn every_shipped_file_loads_and_every_embedded_file_is_used() {
    let c = builtin();
    assert_eq!(c.checklists.len(), 7);
    assert_eq!(c.exams.len(), 6);
    assert_eq!(c.forms.len(), 4);
    // Every file under config/ is embedded (nothing written and forgotten).
    let mut on_disk = Vec::new();
    for dir in [
        "config",
        "config/checklists",
        "config/exams",
        "config/forms",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(path).expect("config dir") {
            let p = entry.expect("entry").path();
            if p.extension().is_some_and(|x| x == "toml") {
                on_disk.push(format!(
                    "{dir}/{}",
                    p.file_name().and_then(|n| n.to_str()).unwrap_or("")
                ));
            }
        }
    }
    on_disk.sort();
    let mut embedded: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
    embedded.sort();
    assert_eq!(on_disk, embedded);
}

#[test]
fn the_fifteen_duties_are_e1_to_e15_under_the_five_tasks() {
    let c = builtin();
    let duties = c.checklist("duties").expect("duties");
    assert_eq!(duties.sectors, ["*"]);
    let codes: Vec<&str> = duties.items().map(|(_, i)| i.code.as_str()).collect();
    let expected: Vec<String> = (1..=15).map(|n| format!("E{n}")).collect();
    assert_eq!(codes, expected);
    let sections: Vec<usize> = duties.sections.iter().map(|s| s.items.len()).collect();
    assert_eq!(
        sections,
        [4, 4, 4, 2, 1],
        "tasks 1–5 hold (1)–(4), (5)–(8), (9)–(12), (13)–(14), (15)"
    );
    let item = |code: &str| {
        duties
            .items()
            .map(|(_, i)| i)
            .find(|i| i.code == code)
            .expect(code)
    };
    // Report rows as in domain.md.
    assert_eq!(item("E4").report_rows, ["B2", "B3"]);
    assert_eq!(item("E6").report_rows, ["B4"]);
    assert_eq!(item("E7").report_rows, ["B5"]);
    assert_eq!(item("E12").report_rows, ["B6"]);
    assert_eq!(item("E13").report_rows, ["B7"]);
    assert_eq!(item("E14").report_rows, ["B7"]);
    assert_eq!(item("E15").report_rows, ["B8"]);
    // Evidence behind the four record screens.
    assert_eq!(item("E10").evidence, Some(EvidenceKind::HotWorkPermit));
    assert_eq!(
        item("E12").evidence,
        Some(EvidenceKind::SpecialOperationCertificate)
    );
    assert_eq!(
        item("E13").evidence,
        Some(EvidenceKind::OutsourcingAgreement)
    );
    assert_eq!(item("E15").evidence, Some(EvidenceKind::DrillRecord));
    // Uncertified special operations and unmanaged contractors are major hazards (10号令 第3条).
    assert!(item("E12").major_hazard && item("E14").major_hazard);
    assert!(item("E12").basis.contains("第10号 第3条(二)"));
}

#[test]
fn each_sector_has_a_checklist_of_8_to_15_items_and_an_exam_bank_of_12_or_more() {
    let c = builtin();
    for sector in c.sectors.codes() {
        let own: Vec<&Checklist> = c
            .checklists
            .iter()
            .map(|(l, _)| l)
            .filter(|l| l.sectors.iter().any(|s| s == sector))
            .collect();
        assert_eq!(own.len(), 1, "{sector}");
        let n = own[0].item_count();
        assert!((8..=15).contains(&n), "{sector}: {n} items");
        let bank = c
            .exam_bank(sector)
            .unwrap_or_else(|| panic!("no exam bank for {sector}"));
        assert!(
            bank.questions.len() >= 12,
            "{sector}: {} questions",
            bank.questions.len()
        );
        // The templates proposed for the sector: the duties first, then its own.
        let proposed: Vec<&str> = c
            .proposed_for(Some(sector))
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        assert_eq!(proposed, ["duties", own[0].id.as_str()]);
    }
    assert_eq!(
        c.proposed_for(None)
            .iter()
            .map(|t| t.id.as_str())
            .collect::<Vec<_>>(),
        ["duties"]
    );
}

#[test]
fn unverified_items_say_so_in_their_guidance() {
    let c = builtin();
    let mut unverified = 0;
    for (checklist, _) in &c.checklists {
        for (_, item) in checklist.items() {
            assert_eq!(
                item.unverified,
                item.guidance.starts_with("【待核实】"),
                "{}",
                item.code
            );
            unverified += usize::from(item.unverified);
        }
    }
    assert!(unverified > 0, "the [GK] items of checklists.md are marked");
}

#[test]
fn the_campaign_is_the_seed_documents() {
    let c = builtin();
    let k = &c.campaign;
    assert_eq!(k.document, "方发改安全发〔2023〕35号");
    assert_eq!(k.start.to_string(), "2023-04-25");
    assert_eq!(k.end.to_string(), "2023-12-31");
    let phases: Vec<&str> = k.phases.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        phases,
        [
            "动员部署",
            "企业自查自改和部门帮扶",
            "部门精准执法",
            "巩固提高"
        ]
    );
    let groups: Vec<(&str, &str, &str, usize)> = k
        .groups
        .iter()
        .map(|g| {
            (
                g.section.as_str(),
                g.leader.as_str(),
                g.deputy.as_str(),
                g.members.len(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("能源股", "刘珍", "杨红平", 8),
            ("粮食服务股", "张侯平", "高宝珍", 6),
            ("人防办", "张侯平", "高宝珍", 1),
            ("驻村工作队", "张侯平", "靳益明", 2)
        ]
    );
    // Every sector is covered by exactly one group.
    for sector in c.sectors.codes() {
        let covering = k
            .groups
            .iter()
            .filter(|g| g.sectors.iter().any(|s| s == sector))
            .count();
        assert_eq!(covering, 1, "{sector}");
    }
    assert!(
        k.leadership
            .leaders
            .iter()
            .any(|l| l.name == "王国锋" && l.can_close_out)
    );
}

fn minute(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn at(s: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
}

#[test]
fn reporting_calendar_25th_28th_29th_and_thursday_noon() {
    let c = builtin();
    let due: Vec<(String, String)> = c
        .campaign
        .upcoming(at("2023-08-24 09:00"))
        .into_iter()
        .map(|(d, t)| (d.code.clone(), t.format("%Y-%m-%d %H:%M").to_string()))
        .collect();
    assert_eq!(
        due,
        [
            (
                "transfer_feedback".to_string(),
                "2023-08-24 12:00".to_string()
            ),
            ("hazard_list".to_string(), "2023-08-25 23:59".to_string()),
            ("progress_table".to_string(), "2023-08-28 23:59".to_string()),
            ("numbered_list".to_string(), "2023-08-29 23:59".to_string()),
        ]
    );
    // After Thursday noon the feedback is due next Thursday.
    let after_noon = c.campaign.upcoming(at("2023-08-24 12:01"));
    assert_eq!(minute(after_noon[0].1), "2023-08-25 23:59");
    assert!(
        after_noon
            .iter()
            .any(|(d, t)| d.code == "transfer_feedback" && *t == at("2023-08-31 12:00"))
    );
    // The progress table is first due in June; nothing is due after the campaign ends.
    let may = c.campaign.upcoming(at("2023-05-26 08:00"));
    let table = may
        .iter()
        .find(|(d, _)| d.code == "progress_table")
        .expect("table");
    assert_eq!(minute(table.1), "2023-06-28 23:59");
    assert!(c.campaign.upcoming(at("2024-01-02 08:00")).is_empty());
}

#[test]
fn a_monthly_day_past_the_months_end_falls_on_its_last_day() {
    let d = super::campaign::Deadline {
        code: "x".into(),
        title: "x".into(),
        monthly_day: Some(30),
        weekly_day: None,
        time: None,
        from: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date"),
    };
    let until = chrono::NaiveDate::from_ymd_opt(2024, 12, 31).expect("date");
    let feb_end = chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .expect("time");
    assert_eq!(d.next_due(at("2024-02-01 00:00"), until), Some(feb_end));
    let mar = chrono::NaiveDate::from_ymd_opt(2024, 3, 30)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .expect("time");
    assert_eq!(d.next_due(at("2024-03-01 00:00"), until), Some(mar));
}
