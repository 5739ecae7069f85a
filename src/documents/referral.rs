//! 事故隐患移交书: a village committee is no production or business unit, so the bureau does
//! not order it to rectify; what a village visit found is referred to the town government or
//! the competent department (属地管理、管行业必须管安全), who follow it up and report back.

use super::html::{blank, esc, or_blank, page};
use super::issue::{IssueAt, issue, issue_time};
use super::layout::{COPIES, date_blanks, seal};
use super::order::officers_table;
use super::wording::Problem;
use super::{Document, DocumentError};
use super::{InspectionFacts, issued_day, time_text};
use crate::domain::Referral;
use crate::domain::lifecycle::{Stage, Step};
use crate::storage::IssuedNumber;
use crate::storage::{Store, StoreError};
use crate::templates::campaign::Campaign;
use crate::templates::campaign::DocumentKind;
use uuid::Uuid;

/// 事故隐患移交书: what a village visit found, referred to `to` (the town government or the
/// competent department). Issuing it is the act of transfer: every hazard of the visit still
/// at 登记 takes the 移交 step to that unit at the moment of issue. The first time it needs
/// `to`; a reprint keeps the unit issued (and completes transfers an interruption left).
pub fn referral(
    store: &mut Store,
    campaign: &Campaign,
    inspection_id: Uuid,
    to: Option<&str>,
    when: IssueAt,
) -> Result<Document, DocumentError> {
    let facts = InspectionFacts::load(store, campaign, inspection_id)?;
    if !facts.is_village() {
        return Err(DocumentError::Refused(
            "事故隐患移交书用于帮扶村：对生产经营单位请出具责令限期整改指令书".into(),
        ));
    }
    if !facts.has_problems() {
        return Err(DocumentError::Refused(
            "这次检查没有发现隐患或问题，无需移交".into(),
        ));
    }
    let kind = DocumentKind::Referral;
    let mut warnings = facts.warnings();
    let issued_before = store.issued_number(kind.code(), inspection_id)?;
    let content = match (&issued_before, to.map(str::trim)) {
        (Some(_), Some(_)) => {
            warnings
                .push("这份移交书已经出具过：按当时的接收单位重印，本次给出的单位未采用".into());
            None
        }
        (Some(_), None) => None,
        (None, None) | (None, Some("")) => {
            return Err(DocumentError::Refused(
                "请写明接收移交的单位，如“XX镇人民政府”或有关主管部门".into(),
            ));
        }
        (None, Some(unit)) => Some(
            serde_json::to_string(&Referral { to: unit.into() })
                .map_err(|e| StoreError::Invalid(e.to_string()))?,
        ),
    };
    let at = issue_time(store, when, &facts)?;
    let issued = issue(store, campaign, kind, inspection_id, at, content.as_deref())?;
    let decision: Referral = issued
        .content
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .ok_or_else(|| {
            DocumentError::Refused("这份移交书的接收单位无法读取（记录可能已损坏）".into())
        })?;
    let number = issued.number.clone();
    for (hazard, status) in &facts.hazards {
        if status.stage != Stage::Registered {
            continue;
        }
        // A step is never recorded before one already taken: a hazard handled after the
        // moment of issue (numbered, listed) is transferred from the ledger by hand.
        let later = store
            .hazard_events(hazard.id())?
            .iter()
            .any(|e| e.data.occurred_at > issued.issued_at);
        if later {
            warnings.push(format!(
                "隐患“{}”在移交书出具之后已有办理记录，未自动办理移交：请在台账中对它办理“移交”",
                status.description
            ));
            continue;
        }
        {
            store.apply_step(
                hazard.id(),
                Step::Transfer {
                    to_unit: decision.to.clone(),
                },
                issued.issued_at,
                &format!("依《事故隐患移交书》（{number}）移交"),
            )?;
        }
    }
    Ok(Document {
        kind,
        html: html(&facts, &decision, &issued),
        warnings,
        number: issued.number,
        issued_at: issued.issued_at,
    })
}

/// A village committee is no production or business unit: the bureau refers its findings.
pub(super) fn refuse_village(
    facts: &InspectionFacts,
    kind: DocumentKind,
) -> Result<(), DocumentError> {
    if facts.is_village() {
        return Err(DocumentError::Refused(format!(
            "{}是帮扶村，不是生产经营单位，本机关不对村委会出具《{}》：\
             请出具事故隐患移交书（paicha doc referral），把发现的问题移交乡镇人民政府或有关主管部门",
            facts.enterprise.name,
            kind.title()
        )));
    }
    Ok(())
}

fn html(f: &InspectionFacts, r: &Referral, issued: &IssuedNumber) -> String {
    let mut problems: Vec<Problem> = f
        .hazards
        .iter()
        .map(|(h, s)| Problem::of_hazard(&h.data, s))
        .collect();
    problems.extend(
        f.other_problems()
            .into_iter()
            .map(|(item, answer)| Problem::of_answer(item, answer)),
    );
    let mut body = format!("<p>{}：</p>\n", esc(r.to.trim()));
    body.push_str(&format!(
        "<p class=\"indent\">本机关于{}对{}（{}）开展安全检查，发现下列事故隐患和问题。该村不属于生产经营单位，\
         按照属地管理和“管行业必须管安全”的原则，现移交你单位依法处理：</p>\n<ol class=\"problems\">\n",
        esc(&time_text(f.visit.arrival)),
        esc(&f.enterprise.name),
        or_blank(&f.enterprise.town, 30),
    ));
    for p in &problems {
        let place = if p.location.is_empty() {
            String::new()
        } else {
            format!("（部位：{}）", esc(&p.location))
        };
        body.push_str(&format!("<li>{}{place}</li>\n", esc(&p.fact)));
    }
    body.push_str("</ol>\n");
    body.push_str(
        "<p class=\"indent\">请你单位督促整改、消除隐患，并自收到本移交书之日起15日内将处理情况书面反馈本机关。\
         隐患排除前或者排除过程中无法保证安全的，应当采取措施，防止发生事故。</p>\n",
    );
    // Only a record that existed when this referral was issued: a reprint never changes.
    if let Some(record) = f
        .onsite_record
        .as_ref()
        .filter(|r| r.recorded_at <= issued.recorded_at)
    {
        body.push_str(&format!(
            "<p class=\"indent\">附：《现场检查记录》（{}）。</p>\n",
            esc(&record.number)
        ));
    }
    body.push_str(&officers_table(&f.officers).replace("执法人员", "移交人"));
    body.push_str(&format!(
        "<table>\n<tr class=\"sign-row\"><th>接收单位</th><td>（盖章）{}　接收人签字：{}　　{}</td></tr>\n</table>\n",
        blank(30),
        blank(30),
        date_blanks()
    ));
    body.push_str(&seal(&f.department, &issued_day(issued)));
    body.push_str(&COPIES.replace("一份交被检查单位", "一份交接收单位"));
    page(
        &f.department,
        DocumentKind::Referral.title(),
        &issued.number,
        &body,
    )
}
