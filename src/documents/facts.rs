//! What each document prints, read from the records: a finalized inspection with its officers,
//! answers, hazards, exams and the documents already issued from it; a verification; a listing
//! for supervision.

use super::{DocumentError, Officer};
use crate::domain::lifecycle::{Status, Step};
use crate::domain::{
    Answer, AnswerResult, Enterprise, ExamRecord, Hazard, HazardEvent, HazardEventKind, Inspection,
    InspectionStatus, ItemSnapshot, Record,
};
use crate::storage::{IssuedNumber, Store, StoreError};
use crate::templates::campaign::{Campaign, DocumentKind};
use uuid::Uuid;

/// A finalized inspection with everything its documents print.
pub struct InspectionFacts {
    pub department: String,
    pub inspection: Record<Inspection>,
    /// Arrival and departure in force: as signed, or as corrected later (then marked).
    pub visit: crate::domain::VisitTimes,
    pub enterprise: Enterprise,
    pub officers: Vec<Officer>,
    pub items: Vec<(ItemSnapshot, Option<Answer>)>,
    pub hazards: Vec<(Record<Hazard>, Status)>,
    pub exams: Vec<ExamRecord>,
    /// The order to rectify issued from this inspection, if any (the on-site record's 处理情况).
    pub order: Option<IssuedNumber>,
    /// The 现场处理措施决定书 issued from it, if any.
    pub measures: Option<IssuedNumber>,
    /// Its 现场检查记录, if issued.
    pub onsite_record: Option<IssuedNumber>,
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
            .map(|id| officer(store, *id))
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
        let exams = store
            .exams_for(inspection_id)?
            .into_iter()
            .map(|e| e.data)
            .collect();
        Ok(InspectionFacts {
            department: campaign.department(),
            order: store.issued_number(DocumentKind::RectificationOrder.code(), inspection_id)?,
            measures: store.issued_number(DocumentKind::OnsiteMeasures.code(), inspection_id)?,
            onsite_record: store.issued_number(DocumentKind::OnsiteRecord.code(), inspection_id)?,
            visit: store.visit_times(inspection_id)?,
            inspection,
            enterprise,
            officers,
            items,
            hazards,
            exams,
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

    /// Whether the visit found anything to order rectified or refer: a hazard, or an item
    /// answered non-compliant.
    pub fn has_problems(&self) -> bool {
        !self.hazards.is_empty() || !self.other_problems().is_empty()
    }

    /// A village committee (帮扶村): referred, never ordered.
    pub fn is_village(&self) -> bool {
        self.enterprise.sector_code.as_deref() == Some(VILLAGE)
    }

    pub fn warnings(&self) -> Vec<String> {
        if self.officers.len() < 2 {
            vec!["执法文书须由两名以上执法人员出具：记录中只有一名，请在空白处手写补填另一名执法人员及其执法证号".into()]
        } else {
            Vec::new()
        }
    }
}

/// The sector code of assisted villages (config/sectors.toml).
pub const VILLAGE: &str = "village";

/// An officer on a document: the inspector's name and 执法证号 as recorded.
pub fn officer(store: &Store, id: Uuid) -> Result<Officer, StoreError> {
    store.inspector(id).map(|r| Officer {
        name: r.data.name,
        cert_no: r.data.cert_no,
    })
}

/// What a 整改复查意见书 prints.
pub struct ReinspectionFacts {
    pub department: String,
    pub enterprise: Enterprise,
    pub hazard: Record<Hazard>,
    pub event: Record<HazardEvent>,
    pub step: Step,
    pub passed: bool,
    /// The officers who re-inspected: the event's author first, then the others named as
    /// verifiers, each with the 执法证号 on record (empty when the name is not on record).
    pub officers: Vec<Officer>,
    /// The order to rectify this verification answers, when paicha issued it.
    pub order: Option<IssuedNumber>,
    /// The hazard as it stood at the verification (corrections up to then applied).
    pub status: Status,
    /// The deadline it was verified against (before a failed verification set a new one).
    pub deadline: Option<chrono::NaiveDate>,
}

pub fn reinspection(
    store: &Store,
    campaign: &Campaign,
    event_id: Uuid,
) -> Result<ReinspectionFacts, DocumentError> {
    let not_found = || DocumentError::Refused(format!("没有编号为 {event_id} 的复查验收记录"));
    let event = store.hazard_event(event_id).map_err(|e| match e {
        StoreError::NotFound(_) => not_found(),
        other => other.into(),
    })?;
    let step = match Step::of(&event.data) {
        Some(step @ Step::Verify { .. }) if event.data.kind == HazardEventKind::Verified => step,
        _ => {
            return Err(DocumentError::Refused(
                "这条记录不是复查验收：整改复查意见书只能从复查验收记录出具".into(),
            ));
        }
    };
    let Step::Verify { passed, by, .. } = &step else {
        return Err(not_found());
    };
    let hazard = store.hazard(event.data.hazard_id)?;
    let enterprise = store.enterprise(hazard.data.enterprise_id)?.data;
    let mut officers = vec![officer(store, event.meta.author_id)?];
    for name in by
        .split(['、', '，', ',', ' ', '　'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if officers.iter().any(|o| o.name == name) {
            continue;
        }
        let cert_no = store
            .inspector_by_name(name)?
            .map(|r| r.data.cert_no)
            .unwrap_or_default();
        officers.push(Officer {
            name: name.to_string(),
            cert_no,
        });
    }
    let order = match hazard.data.inspection_id {
        Some(inspection) => {
            store.issued_number(DocumentKind::RectificationOrder.code(), inspection)?
        }
        None => None,
    };
    let events = store.hazard_events(hazard.id())?;
    let before = fold_until(&hazard.data, &events, |at| at < event.data.occurred_at);
    let status = fold_until(&hazard.data, &events, |at| at <= event.data.occurred_at);
    Ok(ReinspectionFacts {
        department: campaign.department(),
        enterprise,
        passed: *passed,
        deadline: before.deadline,
        status,
        hazard,
        event,
        step,
        officers,
        order,
    })
}

/// What a 挂牌督办通知书 prints: the listing event, the hazard as it stood then.
pub struct SupervisionFacts {
    pub department: String,
    pub enterprise: Enterprise,
    pub hazard: Record<Hazard>,
    pub event: Record<HazardEvent>,
    pub tracking_person: String,
    pub status: Status,
}

pub fn supervision(
    store: &Store,
    campaign: &Campaign,
    hazard_id: Uuid,
) -> Result<SupervisionFacts, DocumentError> {
    let hazard = store.hazard(hazard_id).map_err(|e| match e {
        StoreError::NotFound(_) => DocumentError::Refused(format!("没有编号为 {hazard_id} 的隐患")),
        other => other.into(),
    })?;
    let events = store.hazard_events(hazard_id)?;
    let Some((event, tracking_person)) = events.iter().find_map(|e| match Step::of(&e.data) {
        Some(Step::ListForSupervision { tracking_person })
            if e.data.kind == HazardEventKind::ListedForSupervision =>
        {
            Some((e.clone(), tracking_person))
        }
        _ => None,
    }) else {
        return Err(DocumentError::Refused(
            "这项隐患还没有挂牌督办：先办理“挂牌督办”（明确跟踪督办责任人），再出具通知书".into(),
        ));
    };
    let status = fold_until(&hazard.data, &events, |at| at <= event.data.occurred_at);
    Ok(SupervisionFacts {
        department: campaign.department(),
        enterprise: store.enterprise(hazard.data.enterprise_id)?.data,
        hazard,
        event,
        tracking_person,
        status,
    })
}

/// The hazard folded over the events that happened when `included` says (by their time).
fn fold_until(
    hazard: &Hazard,
    events: &[Record<HazardEvent>],
    included: impl Fn(chrono::DateTime<chrono::Utc>) -> bool,
) -> Status {
    crate::domain::lifecycle::fold(
        hazard,
        events
            .iter()
            .filter(|e| included(e.data.occurred_at))
            .map(|e| &e.data),
    )
}
