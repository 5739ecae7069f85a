//! docs/bundle-format.md is what outside writers read: its lists must be exactly what paicha
//! writes and reads, so this test fails when a code, a record kind, a field or a role is added
//! in the code but not in the document (or the other way round).

use paicha::domain::trust::Role;
use paicha::domain::*;
use paicha::storage::bundle::kinds;
use std::collections::BTreeSet;

fn doc() -> String {
    std::fs::read_to_string("docs/bundle-format.md").expect("docs/bundle-format.md")
}

/// The codes in backticks on the table row whose first cell is `` `field` `` (or names it).
fn row_codes(doc: &str, field: &str) -> BTreeSet<String> {
    let row = doc
        .lines()
        .find(|l| {
            l.trim_start().strip_prefix('|').is_some_and(|rest| {
                rest.trim_start().starts_with(&format!("`{field}`"))
                    || rest.trim_start().starts_with(field)
            })
        })
        .unwrap_or_else(|| panic!("no row for {field}"));
    let cells: Vec<&str> = row.split('|').collect();
    cells[2]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn codes<'a>(all: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    all.into_iter().map(str::to_string).collect()
}

#[test]
fn every_code_paicha_writes_is_listed_and_nothing_else() {
    let doc = doc();
    let expect = [
        (
            "inspections.mode",
            codes(InspectionMode::ALL.iter().map(|c| c.code())),
        ),
        (
            "answers.result",
            codes(AnswerResult::ALL.iter().map(|c| c.code())),
        ),
        (
            "evidence.kind",
            codes(EvidenceKind::ALL.iter().map(|c| c.code())),
        ),
        (
            "hazards.grade",
            codes(HazardGrade::ALL.iter().map(|c| c.code())),
        ),
        (
            "hazards.source",
            codes(HazardSource::ALL.iter().map(|c| c.code())),
        ),
        (
            "hazard_events.kind",
            codes(HazardEventKind::ALL.iter().map(|c| c.code())),
        ),
        (
            "enforcement_actions.kind",
            codes(EnforcementKind::ALL.iter().map(|c| c.code())),
        ),
        (
            "activities.kind",
            codes(ActivityKind::ALL.iter().map(|c| c.code())),
        ),
        (
            "activities.level",
            codes(ActivityLevel::ALL.iter().map(|c| c.code())),
        ),
        (
            "enterprises.risk_level",
            codes(RiskLevel::ALL.iter().map(|c| c.code())),
        ),
        (
            "documents.kind",
            codes([
                "onsite_record",
                "rectification_order",
                "reinspection_opinion",
            ]),
        ),
        (
            "exam question",
            codes(ExamOutcome::ALL.iter().map(|c| c.code())),
        ),
    ];
    for (field, want) in expect {
        assert_eq!(row_codes(&doc, field), want, "{field}");
    }
    for role in Role::ALL {
        assert!(
            doc.contains(&format!("`{}` {}", role.code(), role.label())),
            "{role:?}"
        );
    }
}

#[test]
fn every_record_kind_is_listed_with_exactly_its_fields() {
    let doc = doc();
    for kind in kinds::ALL {
        let listed = row_codes(&doc, kind.name);
        let cells = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{}`", kind.name)))
            .unwrap_or_else(|| panic!("no row for {}", kind.name));
        let fields_cell = cells.split('|').nth(2).expect("fields");
        // Nested arrays and the signature follow a " + ".
        let fields_cell = fields_cell.split(" + ").next().unwrap_or("");
        // The row lists the fields after the provenance ones, comma-separated.
        let fields: BTreeSet<String> = fields_cell
            .split(',')
            .map(|f| {
                f.split(['(', '+'])
                    .next()
                    .unwrap_or("")
                    .replace(['`', '?'], "")
                    .trim()
                    .to_string()
            })
            .filter(|f| !f.is_empty())
            .collect();
        let provenance = ["id", "created_at", "updated_at", "author_id", "replica_id"];
        let want: BTreeSet<String> = kind
            .columns
            .iter()
            .filter(|c| !provenance.contains(c) || kind.name == "keys")
            .map(|c| c.to_string())
            .collect();
        assert_eq!(fields, want, "{} (listed: {listed:?})", kind.name);
    }
}
