//! Printable enforcement documents (checklists.md §6): 现场检查记录 and 责令限期整改指令书 from a
//! finalized inspection, 整改复查意见书 from a verification event. Each gets its number from the
//! campaign's series the first time it is made and keeps it; the page is self-contained HTML
//! printed from any browser, with room for handwritten signatures.

mod html;
mod onsite;
mod order;
mod reinspection;

use crate::domain::lifecycle::{Status, Step};
use crate::domain::{
    Answer, AnswerResult, Enterprise, Hazard, HazardEvent, HazardEventKind, Inspection,
    InspectionStatus, ItemSnapshot, Record, time,
};
use crate::storage::{Store, StoreError};
use crate::templates::campaign::Campaign;
use crate::templates::campaign::DocumentKind;
use chrono::Datelike;
use uuid::Uuid;

/// A document ready to save.
#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocumentKind,
    pub number: String,
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

/// A finalized inspection with everything its documents print.
pub struct InspectionFacts {
    pub department: String,
    pub inspection: Record<Inspection>,
    pub enterprise: Enterprise,
    pub officers: Vec<Officer>,
    pub items: Vec<(ItemSnapshot, Option<Answer>)>,
    pub hazards: Vec<(Record<Hazard>, Status)>,
}

impl InspectionFacts {
    pub fn load(
        store: &Store,
        campaign: &Campaign,
        inspection_id: Uuid,
    ) -> Result<InspectionFacts, DocumentError> {
        let inspection = store.inspection(inspection_id).map_err(|e| match e {
            StoreError::NotFound(_) => {
                DocumentError::Refused(format!("没有编号为 {inspection_id} 的检查记录"))
            }
            other => other.into(),
        })?;
        if inspection.data.status != InspectionStatus::Finalized {
            return Err(DocumentError::Refused(
                "这次检查尚未定稿：执法文书只能从已定稿的检查记录出具".into(),
            ));
        }
        let enterprise = store.enterprise(inspection.data.enterprise_id)?.data;
        let officers = inspection
            .data
            .inspector_ids
            .iter()
            .map(|id| {
                store.inspector(*id).map(|r| Officer {
                    name: r.data.name,
                    cert_no: r.data.cert_no,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let answers = store.answers(inspection_id)?;
        let items = inspection
            .data
            .items
            .iter()
            .map(|item| {
                let answer = answers
                    .iter()
                    .find(|a| a.data.item_code == item.code)
                    .map(|a| a.data.clone());
                (item.clone(), answer)
            })
            .collect();
        let mut hazards = Vec::new();
        for h in store.hazards_of_inspection(inspection_id)? {
            let (hazard, _, status) = store.hazard_status(h.id())?;
            hazards.push((hazard, status));
        }
        Ok(InspectionFacts {
            department: campaign.department(),
            inspection,
            enterprise,
            officers,
            items,
            hazards,
        })
    }

    /// Items answered non-compliant that no hazard of this inspection stands for.
    pub fn other_problems(&self) -> Vec<(&ItemSnapshot, &Answer)> {
        self.items
            .iter()
            .filter_map(|(item, answer)| Some((item, answer.as_ref()?)))
            .filter(|(_, a)| a.result == AnswerResult::NonCompliant)
            .filter(|(item, _)| {
                !self
                    .hazards
                    .iter()
                    .any(|(h, _)| h.data.item_code.as_deref() == Some(item.code.as_str()))
            })
            .collect()
    }

    fn warnings(&self) -> Vec<String> {
        if self.officers.len() < 2 {
            vec!["执法文书须由两名以上执法人员出具：记录中只有一名，请在空白处手写补填另一名执法人员及其执法证号".into()]
        } else {
            Vec::new()
        }
    }
}

/// The year a document is numbered in: the year of its record (Beijing time).
fn year_of(t: chrono::DateTime<chrono::Utc>) -> i32 {
    time::local(t).year()
}

/// 现场检查记录 of a finalized inspection.
pub fn onsite_record(
    store: &mut Store,
    campaign: &Campaign,
    inspection_id: Uuid,
) -> Result<Document, DocumentError> {
    let facts = InspectionFacts::load(store, campaign, inspection_id)?;
    let kind = DocumentKind::OnsiteRecord;
    let number = number(
        store,
        campaign,
        kind,
        inspection_id,
        facts.inspection.data.arrival_at,
    )?;
    Ok(Document {
        kind,
        html: onsite::html(&facts, &number),
        warnings: facts.warnings(),
        number,
    })
}

/// 责令限期整改指令书 for the problems a finalized inspection found.
pub fn rectification_order(
    store: &mut Store,
    campaign: &Campaign,
    inspection_id: Uuid,
) -> Result<Document, DocumentError> {
    let facts = InspectionFacts::load(store, campaign, inspection_id)?;
    if facts.hazards.is_empty() && facts.other_problems().is_empty() {
        return Err(DocumentError::Refused(
            "这次检查没有发现隐患或不符合项，无需责令限期整改".into(),
        ));
    }
    let kind = DocumentKind::RectificationOrder;
    let number = number(
        store,
        campaign,
        kind,
        inspection_id,
        facts.inspection.data.arrival_at,
    )?;
    let (review_body, court) = campaign.appeal_bodies();
    Ok(Document {
        kind,
        html: order::html(&facts, &number, &review_body, &court),
        warnings: facts.warnings(),
        number,
    })
}

/// What a 整改复查意见书 prints.
pub struct ReinspectionFacts {
    pub department: String,
    pub enterprise: Enterprise,
    pub hazard: Record<Hazard>,
    pub event: Record<HazardEvent>,
    pub passed: bool,
    pub verified_by: String,
    /// The author of the verification event.
    pub recorder: Officer,
    /// The order to rectify this verification answers: its number and day, when paicha made it.
    pub order: Option<(String, chrono::NaiveDate)>,
    pub deadline: Option<chrono::NaiveDate>,
    /// The hazard's description as corrected up to the verification.
    pub description: String,
}

/// 整改复查意见书 from a verification event (复查验收).
pub fn reinspection_opinion(
    store: &mut Store,
    campaign: &Campaign,
    event_id: Uuid,
) -> Result<Document, DocumentError> {
    let facts = reinspection_facts(store, campaign, event_id)?;
    let kind = DocumentKind::ReinspectionOpinion;
    let number = number(
        store,
        campaign,
        kind,
        event_id,
        facts.event.data.occurred_at,
    )?;
    Ok(Document {
        kind,
        html: reinspection::html(&facts, &number),
        warnings: Vec::new(),
        number,
    })
}

fn reinspection_facts(
    store: &Store,
    campaign: &Campaign,
    event_id: Uuid,
) -> Result<ReinspectionFacts, DocumentError> {
    let not_found = || DocumentError::Refused(format!("没有编号为 {event_id} 的复查验收记录"));
    let event = store.hazard_event(event_id).map_err(|e| match e {
        StoreError::NotFound(_) => not_found(),
        other => other.into(),
    })?;
    let (passed, verified_by) = match Step::of(&event.data) {
        Some(Step::Verify { passed, by }) if event.data.kind == HazardEventKind::Verified => {
            (passed, by)
        }
        _ => {
            return Err(DocumentError::Refused(
                "这条记录不是复查验收：整改复查意见书只能从复查验收记录出具".into(),
            ));
        }
    };
    let hazard = store.hazard(event.data.hazard_id)?;
    let enterprise = store.enterprise(hazard.data.enterprise_id)?.data;
    let recorder = store.inspector(event.meta.author_id).map(|r| Officer {
        name: r.data.name,
        cert_no: r.data.cert_no,
    })?;
    let order = match hazard.data.inspection_id {
        Some(inspection) => store
            .issued_number(DocumentKind::RectificationOrder.code(), inspection)?
            .map(|n| (n.number, time::local(n.issued_at).date())),
        None => None,
    };
    let events = store.hazard_events(hazard.id())?;
    let status = crate::domain::lifecycle::fold(
        &hazard.data,
        events
            .iter()
            .filter(|e| e.data.occurred_at <= event.data.occurred_at)
            .map(|e| &e.data),
    );
    Ok(ReinspectionFacts {
        department: campaign.department(),
        enterprise,
        deadline: status.deadline,
        description: status.description,
        hazard,
        event,
        passed,
        verified_by,
        recorder,
        order,
    })
}

/// The document's number: given before, or the next of its series.
fn number(
    store: &mut Store,
    campaign: &Campaign,
    kind: DocumentKind,
    subject: Uuid,
    when: chrono::DateTime<chrono::Utc>,
) -> Result<String, DocumentError> {
    let year = year_of(when);
    Ok(store
        .document_number(kind.code(), subject, year, |series, seq| {
            campaign.document_number(kind, year, series, seq)
        })?
        .number)
}

/// A day as documents write it: 2023年9月5日.
pub fn day_text(day: chrono::NaiveDate) -> String {
    day.format("%Y年%-m月%-d日").to_string()
}

/// An instant as documents write it: 2023年9月5日 09时30分 (Beijing time).
pub fn time_text(t: chrono::DateTime<chrono::Utc>) -> String {
    time::local(t).format("%Y年%-m月%-d日 %H时%M分").to_string()
}
