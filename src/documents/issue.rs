//! Issuing a document: the moment it is issued (on site, now, or stated — never before what it
//! records, never in the future) and its number, given once in this device's series.

use super::{DocumentError, InspectionFacts};
use crate::domain::time;
use crate::storage::{IssuedNumber, Store};
use crate::templates::campaign::{Campaign, DocumentKind};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// When a document is issued, the first time it is made (later prints keep the first issue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueAt {
    /// On site, at the end of the visit (the departure recorded at finalization).
    OnSite,
    /// Now (at the office, or wherever the document is made).
    Now,
    /// A moment the inspector states (e.g. an order handed over yesterday, recorded today).
    At(DateTime<Utc>),
}

/// The moment an inspection's document is issued: on site (the departure), now, or stated —
/// never before the arrival.
pub(super) fn issue_time(
    store: &Store,
    when: IssueAt,
    facts: &InspectionFacts,
) -> Result<DateTime<Utc>, DocumentError> {
    // The visit as it stands (a correction of its times counts).
    let visit = &facts.visit;
    let at = match when {
        IssueAt::OnSite => visit.departure.unwrap_or(visit.arrival),
        IssueAt::Now => store.now(),
        IssueAt::At(t) => t,
    };
    if at < visit.arrival {
        return Err(DocumentError::Refused(format!(
            "出具时间 {} 早于到达现场的时间 {}",
            time::record_minute(at),
            time::record_minute(visit.arrival)
        )));
    }
    Ok(at)
}

/// The moment a document about a hazard event is issued: now or stated, never before the
/// event (on site means the event's own time).
pub(super) fn event_issue_time(
    store: &Store,
    when: IssueAt,
    occurred_at: DateTime<Utc>,
) -> Result<DateTime<Utc>, DocumentError> {
    let at = match when {
        IssueAt::OnSite => occurred_at,
        IssueAt::Now => store.now(),
        IssueAt::At(t) => t,
    };
    if at < occurred_at {
        return Err(DocumentError::Refused(format!(
            "出具时间 {} 早于所依据的办理记录时间 {}",
            time::record_minute(at),
            time::record_minute(occurred_at)
        )));
    }
    Ok(at)
}

/// Issues the document (or returns its first issue).
pub(super) fn issue(
    store: &mut Store,
    campaign: &Campaign,
    kind: DocumentKind,
    subject: Uuid,
    at: DateTime<Utc>,
    content: Option<&str>,
) -> Result<IssuedNumber, DocumentError> {
    Ok(
        store.issue_document(kind.code(), subject, at, content, |year, series, seq| {
            campaign.document_number(kind, year, series, seq)
        })?,
    )
}

pub(super) fn court_warning(court: &str) -> Option<String> {
    court.trim().is_empty().then(|| {
        "campaign.toml 的 [[documents.appeal]] 没有写管辖行政案件的人民法院：文书上留空，请手写补填".into()
    })
}
