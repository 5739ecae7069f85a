//! Printable enforcement documents (checklists.md §6), after the 2021 应急管理部 安全生产执法
//!文书样式: 现场检查记录, 责令限期整改指令书 and 现场处理措施决定书 from a finalized inspection,
//! 整改复查意见书 from a verification, 挂牌督办通知书 from a listing for supervision.
//!
//! Issuing is an act: the first time a document is made it is issued at a moment the
//! inspector chooses (on site, or later at the office), and that moment, its number and (for
//! a decision) its content are stored, signed and printed ever after. Printing again gives
//! the same document. Every date printed is the date of the act it records, never the
//! printing time. The page is self-contained HTML printed from any browser.

mod facts;
mod html;
mod issue;
mod layout;
mod measures;
mod onsite;
mod order;
mod photo_page;
mod photos;
mod referral;
mod reinspection;
mod supervision;
mod supplement;
mod wording;

pub use facts::{InspectionFacts, ReinspectionFacts, SupervisionFacts, VILLAGE};
pub use issue::IssueAt;
pub use referral::referral;
pub use supplement::{PhotoSupplement, TITLE as PHOTO_SUPPLEMENT, photo_supplement};

use issue::{court_warning, event_issue_time, issue, issue_time};
use referral::refuse_village;
pub use wording::requirement;

use crate::domain::lifecycle::Step;
use crate::domain::{HazardEvent, HazardEventKind, OnsiteMeasures, Record, time};
use crate::storage::{IssuedNumber, Store, StoreError};
use crate::templates::campaign::{Campaign, DocumentKind};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A document ready to save.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocumentKind,
    pub number: String,
    pub issued_at: DateTime<Utc>,
    pub html: String,
    /// Things the officer must see before printing (e.g. only one officer recorded).
    pub warnings: Vec<String>,
}

/// Why a document cannot be made, in Chinese.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An officer on a document: name and 执法证号.
#[derive(Debug, Clone)]
pub struct Officer {
    pub name: String,
    pub cert_no: String,
}

/// 现场检查记录 of a finalized inspection: made on site, so issued at the end of the visit.
pub fn onsite_record(
    store: &mut Store,
    campaign: &Campaign,
    inspection_id: Uuid,
) -> Result<Document, DocumentError> {
    let facts = InspectionFacts::load(store, campaign, inspection_id)?;
    let kind = DocumentKind::OnsiteRecord;
    let at = issue_time(store, IssueAt::OnSite, &facts)?;
    let issued = issue(store, campaign, kind, inspection_id, at, None)?;
    let photos = photos::inspection_photos(store, inspection_id, &facts.visit, &issued)?;
    let mut warnings = facts.warnings();
    warnings.extend(photos::warnings(&photos));
    if facts.inspection.data.departed_at.is_none() {
        warnings.push(
            "这次检查定稿时还没有记录离开现场的时间：检查时间的结束时刻按定稿时间印出".into(),
        );
    }
    Ok(Document {
        kind,
        html: onsite::html(&facts, &issued, &photos),
        warnings,
        number: issued.number,
        issued_at: issued.issued_at,
    })
}

/// The documents a finalized inspection issues, in the order they are listed: the on-site
/// record always; for a production or business unit the order (when the visit found
/// problems) and the measures decision; for a village (帮扶村) the referral instead (when it
/// found problems). The same rules the issuing functions apply.
pub fn inspection_documents(facts: &InspectionFacts) -> Vec<DocumentKind> {
    let mut kinds = vec![DocumentKind::OnsiteRecord];
    if facts.is_village() {
        if facts.has_problems() {
            kinds.push(DocumentKind::Referral);
        }
    } else {
        if facts.has_problems() {
            kinds.push(DocumentKind::RectificationOrder);
        }
        kinds.push(DocumentKind::OnsiteMeasures);
    }
    kinds
}

/// Whether the first issue of the inspection's order needs a deadline for the problems
/// without one of their own (what `rectification_order` refuses without one).
pub fn order_needs_deadline(facts: &InspectionFacts) -> bool {
    facts.order.is_none() && order::Order::of(facts).needs_general_deadline()
}

/// 责令限期整改指令书 for the problems a finalized inspection found. Problems without a
/// deadline of their own (non-compliant items without a hazard, hazards registered without
/// one) take `deadline`, needed the first time there are such problems and kept with the
/// order; a reprint keeps the deadline issued.
pub fn rectification_order(
    store: &mut Store,
    campaign: &Campaign,
    inspection_id: Uuid,
    when: IssueAt,
    deadline: Option<chrono::NaiveDate>,
) -> Result<Document, DocumentError> {
    let facts = InspectionFacts::load(store, campaign, inspection_id)?;
    refuse_village(&facts, DocumentKind::RectificationOrder)?;
    if !facts.has_problems() {
        return Err(DocumentError::Refused(
            "这次检查没有发现隐患或不符合项，无需责令限期整改".into(),
        ));
    }
    let kind = DocumentKind::RectificationOrder;
    let order = order::Order::of(&facts);
    let mut warnings = facts.warnings();
    let at = issue_time(store, when, &facts)?;
    let content = match (&facts.order, deadline) {
        (Some(_), Some(_)) => {
            warnings
                .push("这份指令书已经出具过：按当时的整改期限重印，本次给出的期限未采用".into());
            None
        }
        (Some(_), None) => None,
        (None, _) if !order.needs_general_deadline() => None,
        (None, None) => {
            return Err(DocumentError::Refused(
                "有的问题没有整改期限（未登记为隐患的不符合项，或登记时没有给出期限）：\
                 请给出这些问题的整改期限后再出具指令书"
                    .into(),
            ));
        }
        (None, Some(d)) if d <= time::local(at).date() => {
            return Err(DocumentError::Refused(format!(
                "整改期限 {d} 应晚于指令书的出具日期"
            )));
        }
        (None, Some(d)) => Some(
            serde_json::to_string(&crate::domain::OrderTerms { deadline: d })
                .map_err(|e| StoreError::Invalid(e.to_string()))?,
        ),
    };
    let issued = issue(store, campaign, kind, inspection_id, at, content.as_deref())?;
    let (review_body, court) = campaign.appeal_bodies(time::local(issued.issued_at).date());
    warnings.extend(order.warnings());
    warnings.extend(court_warning(&court));
    Ok(Document {
        kind,
        html: order::html(&facts, &order, &issued, &review_body, &court),
        warnings,
        number: issued.number,
        issued_at: issued.issued_at,
    })
}

/// 现场处理措施决定书: the measures decided on site for a danger that cannot wait. The first
/// time it needs the decision; later it prints the decision as issued.
pub fn onsite_measures(
    store: &mut Store,
    campaign: &Campaign,
    inspection_id: Uuid,
    decision: Option<&OnsiteMeasures>,
    when: IssueAt,
) -> Result<Document, DocumentError> {
    let facts = InspectionFacts::load(store, campaign, inspection_id)?;
    refuse_village(&facts, DocumentKind::OnsiteMeasures)?;
    let kind = DocumentKind::OnsiteMeasures;
    let mut warnings = facts.warnings();
    let content = match (&facts.measures, decision) {
        (Some(_), Some(_)) => {
            warnings
                .push("这份决定书已经出具过：按当时的决定内容重印，本次给出的措施未采用".into());
            None
        }
        (Some(_), None) => None,
        (None, None) => {
            return Err(DocumentError::Refused(
                "首次出具现场处理措施决定书须写明危险情况、措施、适用范围和解除条件".into(),
            ));
        }
        (None, Some(d)) => {
            if let Some(why) = d.problem() {
                return Err(DocumentError::Refused(why));
            }
            for id in &d.hazard_ids {
                if !facts.hazards.iter().any(|(h, _)| h.id() == *id) {
                    return Err(DocumentError::Refused(format!(
                        "隐患 {id} 不是这次检查发现的：决定书只能针对本次检查的隐患"
                    )));
                }
            }
            Some(serde_json::to_string(d).map_err(|e| StoreError::Invalid(e.to_string()))?)
        }
    };
    let at = issue_time(store, when, &facts)?;
    let issued = issue(store, campaign, kind, inspection_id, at, content.as_deref())?;
    let decision: OnsiteMeasures = issued
        .content
        .as_deref()
        .and_then(|c| serde_json::from_str(c).ok())
        .ok_or_else(|| {
            DocumentError::Refused("这份决定书的决定内容无法读取（记录可能已损坏）".into())
        })?;
    let (review_body, court) = campaign.appeal_bodies(time::local(issued.issued_at).date());
    warnings.extend(court_warning(&court));
    Ok(Document {
        kind,
        html: measures::html(&facts, &decision, &issued, &review_body, &court),
        warnings,
        number: issued.number,
        issued_at: issued.issued_at,
    })
}

/// 整改复查意见书 from a verification event (复查验收): issued no earlier than the verification.
pub fn reinspection_opinion(
    store: &mut Store,
    campaign: &Campaign,
    event_id: Uuid,
    when: IssueAt,
) -> Result<Document, DocumentError> {
    let facts = facts::reinspection(store, campaign, event_id)?;
    let kind = DocumentKind::ReinspectionOpinion;
    let at = event_issue_time(store, when, facts.event.data.occurred_at)?;
    let issued = issue(store, campaign, kind, event_id, at, None)?;
    let photos = photos::before_after(store, &facts.hazard, event_id, &issued)?;
    let mut warnings = photos::warnings(&photos.0);
    warnings.extend(photos::warnings(&photos.1));
    if facts
        .order
        .as_ref()
        .is_none_or(|o| o.recorded_at > issued.recorded_at)
    {
        warnings.push(
            "没有找到本程序出具的《责令限期整改指令书》：原指令书的日期和文号请手写补填".into(),
        );
    }
    if facts.officers.len() < 2 {
        warnings.push(
            "复查须由两名以上执法人员进行：记录中只有一名，请手写补填另一名及其执法证号".into(),
        );
    }
    let (review_body, court) = campaign.appeal_bodies(time::local(issued.issued_at).date());
    if !facts.passed {
        warnings.extend(court_warning(&court));
    }
    Ok(Document {
        kind,
        html: reinspection::html(&facts, &issued, &review_body, &court, &photos),
        warnings,
        number: issued.number,
        issued_at: issued.issued_at,
    })
}

/// 重大事故隐患挂牌督办通知书 for a hazard listed for supervision.
pub fn supervision_notice(
    store: &mut Store,
    campaign: &Campaign,
    hazard_id: Uuid,
    when: IssueAt,
) -> Result<Document, DocumentError> {
    let facts = facts::supervision(store, campaign, hazard_id)?;
    let kind = DocumentKind::SupervisionNotice;
    let at = event_issue_time(store, when, facts.event.data.occurred_at)?;
    let issued = issue(store, campaign, kind, facts.event.id(), at, None)?;
    let mut warnings = Vec::new();
    if facts.status.deadline.is_none() {
        warnings.push("这项隐患还没有整改期限：通知书中的期限请手写补填".into());
    }
    Ok(Document {
        kind,
        html: supervision::html(&facts, &issued),
        warnings,
        number: issued.number,
        issued_at: issued.issued_at,
    })
}

/// A document a hazard's steps issue: a 整改复查意见书 for each verification (复查验收), a
/// 挂牌督办通知书 once the hazard is listed for supervision.
pub struct HazardDocument {
    pub kind: DocumentKind,
    /// The step it stands on: its number is kept under this event, and issuing it on site
    /// means at this event's time.
    pub event: Record<HazardEvent>,
}

/// The documents `hazard_id`'s steps issue, oldest first (a listing's notice after the
/// verifications).
pub fn hazard_documents(
    store: &Store,
    campaign: &Campaign,
    hazard_id: Uuid,
) -> Result<Vec<HazardDocument>, DocumentError> {
    let mut out: Vec<HazardDocument> = store
        .hazard_events(hazard_id)?
        .into_iter()
        .filter(|e| {
            e.data.kind == HazardEventKind::Verified
                && matches!(Step::of(&e.data), Some(Step::Verify { .. }))
        })
        .map(|event| HazardDocument {
            kind: DocumentKind::ReinspectionOpinion,
            event,
        })
        .collect();
    match facts::supervision(store, campaign, hazard_id) {
        Ok(listed) => out.push(HazardDocument {
            kind: DocumentKind::SupervisionNotice,
            event: listed.event,
        }),
        // Not listed: no notice to issue.
        Err(DocumentError::Refused(_)) => {}
        Err(e) => return Err(e),
    }
    Ok(out)
}

/// A day as documents write it: 2023年9月5日.
pub fn day_text(day: chrono::NaiveDate) -> String {
    day.format("%Y年%-m月%-d日").to_string()
}

/// An instant as documents write it: 2023年9月5日 09时30分 (Beijing time).
pub fn time_text(t: DateTime<Utc>) -> String {
    time::local(t).format("%Y年%-m月%-d日 %H时%M分").to_string()
}

/// The day an issued document is dated (Beijing time), as printed under the seal.
pub fn issued_day(issued: &IssuedNumber) -> String {
    day_text(time::local(issued.issued_at).date())
}
