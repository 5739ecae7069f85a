//! The only place the TUI touches storage: each effect runs against the store and answers with
//! a message. Storage errors become a message on screen, never a crash.

use super::ledger_cache::LedgerCache;
use super::msg::{
    Effect, EnterpriseIndex, EnterpriseRow, HomeData, InspectionView, Msg, Place, SetupData,
};
use crate::domain::{Inspector, Record};
use crate::storage::{Store, StoreError};
use crate::templates::Catalog;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

pub mod attach;
mod documents;
/// Also used by `paicha manual` to open the manual it writes.
pub use documents::open_detached;
mod office;
mod roster;

/// How many enterprises the targeting report lists in the TUI (the CLI takes --limit).
const REPORT_TARGETS: usize = 50;

pub struct Runner<'a> {
    pub store: &'a mut Store,
    pub catalog: &'a Catalog,
    pub data_dir: String,
    ledger: LedgerCache,
    job: Option<super::jobs::Job>,
    /// The records the monthly table counts, with the `data_version` they were read at: moving
    /// between months and scopes recounts instead of reloading (seconds at 100 000 hazards).
    /// Any other effect drops it, so this window's own writes are never missed.
    monthly: Option<(i64, crate::report::monthly::MonthlyData)>,
    /// The place to remember, held back by [`Runner::defer`] so a burst of keys (the note
    /// editor remembers its text on every change) costs one durable write, made before the
    /// next draw or before any other effect, whichever comes first.
    pending_place: Option<Place>,
    /// The thread that makes photo thumbnails (none in tests: previews then stay cards).
    previews: Option<super::preview::Worker>,
    /// A folder being read for the attach browser.
    listing: Option<std::sync::mpsc::Receiver<Result<super::screens::attach::Listing, String>>>,
}

impl<'a> Runner<'a> {
    pub fn new(store: &'a mut Store, catalog: &'a Catalog, data_dir: String) -> Runner<'a> {
        Runner {
            store,
            catalog,
            data_dir,
            ledger: LedgerCache::default(),
            job: None,
            monthly: None,
            pending_place: None,
            previews: None,
            listing: None,
        }
    }

    pub fn set_previews(&mut self, worker: super::preview::Worker) {
        self.previews = Some(worker);
    }

    /// Like [`Runner::run`], except that remembering the place waits for [`Runner::flush_place`]
    /// (or the next other effect): only the last place of a burst is written.
    pub fn defer(&mut self, effect: Effect) -> Option<Msg> {
        match effect {
            Effect::RememberPlace(place) => {
                self.pending_place = Some(place);
                None
            }
            other => self.run(other),
        }
    }

    /// Writes the place held back by [`Runner::defer`], if any.
    pub fn flush_place(&mut self) -> Option<Msg> {
        let place = self.pending_place.take()?;
        let text = serde_json::to_string(&place).unwrap_or_default();
        self.store.remember_place(&text).err().map(failed)
    }

    /// Whether a background job runs (the event loop then wakes up to show its progress).
    pub fn busy(&self) -> bool {
        self.job.is_some()
            || self.listing.is_some()
            || self.previews.as_ref().is_some_and(|p| p.busy())
    }

    /// The running job's news: its end, or its progress if that moved.
    pub fn poll_job(&mut self) -> Option<Msg> {
        if let Some(made) = self.previews.as_mut().and_then(|p| p.poll()) {
            return Some(made);
        }
        if let Some(listed) = self.poll_listing() {
            return Some(listed);
        }
        if self.job.as_ref()?.finished() {
            let job = self.job.take()?;
            let outcome = job.outcome();
            let name = crate::support_log::variant(&outcome);
            match &outcome {
                super::msg::JobOutcome::Failed(_) => {
                    tracing::warn!(outcome = name.as_str(), "background job failed")
                }
                _ => tracing::info!(outcome = name.as_str(), "background job done"),
            }
            return Some(Msg::JobDone(outcome));
        }
        self.job.as_mut()?.poll()
    }

    fn today(&self) -> chrono::NaiveDate {
        crate::domain::time::local(self.store.now()).date()
    }

    /// Runs one effect; `None` for effects with nothing to report.
    pub fn run(&mut self, effect: Effect) -> Option<Msg> {
        // A place held back is older than this effect: written first, so the order holds.
        let place_failed = self.flush_place();
        self.run_now(effect).or(place_failed)
    }

    fn run_now(&mut self, effect: Effect) -> Option<Msg> {
        if !matches!(effect, Effect::LoadMonthly { .. }) {
            self.monthly = None;
        }
        let result = match effect {
            Effect::Quit => return None,
            office @ (Effect::RememberLooseForm(_)
            | Effect::ResumeLooseForm
            | Effect::OpenOfficeHazard { .. }
            | Effect::RecordOfficeHazard { .. }
            | Effect::LoadMonthList { .. }
            | Effect::ExportMonthList { .. }
            | Effect::OpenCorrection { .. }) => return self.office(office),
            Effect::LoadHome => self.home().map(Msg::HomeLoaded),
            Effect::Thumbnail { key, cells } => {
                if let Some(p) = self.previews.as_mut() {
                    p.request(key, cells);
                }
                return None;
            }
            Effect::ListFolder(dir) => return self.list_folder(dir),
            Effect::ListAttached(to) => return Some(Msg::AttachedListed(self.list_attached(&to))),
            Effect::Attach { to, files } => return self.start_attach(to, files),
            Effect::AddAddendum { inspection, text } => self
                .store
                .add_addendum(inspection, &text)
                .map(|_| Msg::AddendumSaved),
            Effect::CorrectTimes {
                inspection,
                arrived_at,
                departed_at,
                reason,
            } => self
                .store
                .correct_times(inspection, Some(arrived_at), Some(departed_at), &reason)
                .map(Msg::TimesCorrected),
            Effect::CorrectEvidence {
                evidence,
                values,
                reason,
            } => self
                .store
                .correct_evidence(evidence, values, &reason)
                .map(Msg::EvidenceCorrected),
            Effect::ImportEnterprises(path) => {
                return Some(Msg::EnterprisesImported(self.import_enterprises(&path)));
            }
            Effect::SaveProfile(inspector) => self
                .store
                .set_profile(inspector)
                .map(|p| Msg::ProfileSaved(p.data.name)),
            Effect::LoadEnterprises => self.enterprises().map(Msg::EnterprisesLoaded),
            Effect::CreateEnterprise(e) => self.store.add_enterprise(e).map(Msg::EnterpriseCreated),
            Effect::LoadReport(kind) => self.report(kind).map(|t| Msg::ReportLoaded(kind, t)),
            Effect::LoadMonthly {
                scope,
                period,
                unit,
            } => self
                .monthly(&scope, period, &unit)
                .map(|t| Msg::MonthlyLoaded(Box::new(t))),
            Effect::LoadSetup(id) => self.setup(id, None).map(Msg::SetupLoaded),
            Effect::LoadFollowUp { enterprise, hazard } => {
                self.setup(enterprise, Some(hazard)).map(Msg::SetupLoaded)
            }
            Effect::StartInspection {
                inspection,
                colleagues,
            } => self
                .start(inspection, colleagues)
                .and_then(|id| self.view(id))
                .map(|v| Msg::InspectionOpened(Box::new(v), None)),
            Effect::OpenInspection(id, place) => self
                .view(id)
                .map(|v| Msg::InspectionOpened(Box::new(v), place)),
            Effect::SaveAnswer {
                inspection,
                code,
                result,
                note,
            } => self
                .store
                .set_answer(inspection, &code, result, &note)
                .map(|a| Msg::AnswerSaved {
                    code,
                    result: a.data.result,
                    note: a.data.note,
                    at: a.meta.updated_at,
                }),
            Effect::RecordHazard(h) => self.store.record_hazard(h).map(|saved| {
                let changed = self.store.hazard_summary(saved.id()).map(|s| vec![s]);
                self.ledger.patch(changed);
                Msg::HazardSaved(saved)
            }),
            Effect::RecordExam(e) => self.store.record_exam(e).map(Msg::ExamSaved),
            Effect::RecordAction(a) => self.store.record_enforcement(a).map(Msg::ActionSaved),
            Effect::SaveActivity(a) => self.store.record_activity(a).map(Msg::ActivitySaved),
            Effect::LoadDemo => crate::demo::generate(
                self.store,
                self.catalog,
                crate::demo::DemoOptions::default(),
            )
            .map(|s| Msg::DemoLoaded(s.text())),
            Effect::SaveEvidence { id, record } => {
                self.store.save_evidence(id, record).map(Msg::EvidenceSaved)
            }
            Effect::Finalize { id, departed_at } => {
                self.store.finalize_with_follow_ups(id, departed_at).map(
                    |(inspection, outcomes)| {
                        // A 复查 records verifications on the enterprise's hazards.
                        let changed = self
                            .store
                            .hazard_summaries_of(inspection.data.enterprise_id);
                        self.ledger.patch(changed);
                        Msg::Finalized(id, outcomes)
                    },
                )
            }
            Effect::Discard(id) => self.store.discard_draft(id).map(|_| Msg::Discarded),
            Effect::RememberPlace(place) => {
                let text = serde_json::to_string(&place).unwrap_or_default();
                return self.store.remember_place(&text).err().map(failed);
            }
            Effect::ForgetPlace => return self.store.forget_place().err().map(failed),
            Effect::Start(work) => {
                // A refusal goes to whoever asked: the backup dialog or the exchange screen.
                let refused = |why: String| {
                    Some(Msg::JobDone(match work {
                        super::jobs::Work::Backup { .. } => {
                            super::msg::JobOutcome::BackedUp(Err(vec![why]))
                        }
                        _ => super::msg::JobOutcome::Failed(vec![why]),
                    }))
                };
                if self.job.is_some() {
                    return refused("上一个后台任务还没有结束，请稍后再试".into());
                }
                return match super::jobs::Job::start(self.store, work.clone()) {
                    Ok(job) => {
                        self.job = Some(job);
                        None
                    }
                    Err(e) => refused(e),
                };
            }
            Effect::WarmLedger => {
                let day = self.today();
                self.ledger.warm(self.store, self.catalog, day);
                return None;
            }
            Effect::LoadLedger => {
                let day = self.today();
                self.ledger
                    .get(self.store, self.catalog, day)
                    .map(Msg::LedgerLoaded)
            }
            Effect::LoadHazard(id) => self.store.hazard_status(id).and_then(|row| {
                let today = crate::domain::time::local(self.store.now()).date();
                let warnings =
                    crate::report::gather::warnings_for_hazard(self.store, &row.0, today)?;
                let not_permitted = self.not_permitted(&row)?;
                let mut attachments = self.store.attachments_of(row.0.id())?;
                for event in &row.1 {
                    attachments.extend(self.store.attachments_of(event.id())?);
                }
                let notes = crate::app::msg::HazardNotes {
                    warnings,
                    not_permitted,
                    attachments,
                };
                Ok(Msg::HazardLoaded(Box::new(row), notes))
            }),
            Effect::LoadRoster => self.roster_data().map(|d| Msg::RosterLoaded(Box::new(d))),
            Effect::Roster(write) => self.roster_write(write).map(Msg::RosterWritten),
            Effect::ExportOwnKey(path) => self.export_own_key(&path).map(Msg::RosterWritten),
            Effect::LoadDocuments(subject) => {
                return Some(match self.documents_list(subject) {
                    Ok(list) => Msg::DocumentsLoaded(Box::new(list)),
                    Err(why) => Msg::Failed(why),
                });
            }
            Effect::IssueDocument(request) => {
                return Some(Msg::DocumentIssued(
                    self.issue_document(&request).map(Box::new),
                ));
            }
            Effect::WritePhotoSupplement { inspection, folder } => {
                return Some(Msg::PhotosWritten(
                    self.write_photo_supplement(inspection, &folder)
                        .map(Box::new),
                ));
            }
            Effect::OpenDocument(path) => {
                return documents::open_detached(&path).err().map(Msg::Failed);
            }
            Effect::RememberDocumentFolder(folder) => {
                return self
                    .store
                    .remember_document_folder(&folder)
                    .err()
                    .map(failed);
            }
            Effect::ApplyStep { hazard, step, note } => {
                let now = self.store.now();
                self.store.apply_step(hazard, step, now, &note).map(|_| {
                    let changed = self.store.hazard_summary(hazard).map(|s| vec![s]);
                    self.ledger.patch(changed);
                    Msg::StepApplied(hazard)
                })
            }
        };
        Some(result.unwrap_or_else(failed))
    }

    /// The steps of a hazard's closed loop the profile here may not take, with who may: asked
    /// when the hazard is opened, so a refused step says so before its form is filled.
    fn not_permitted(
        &self,
        (hazard, _, status): &crate::storage::LedgerRow,
    ) -> Result<Vec<(crate::domain::HazardEventKind, String)>, StoreError> {
        let grade = status.close_out_grade();
        let has_roster = self.store.roster()?.is_some();
        let mut out = Vec::new();
        for step in crate::app::screens::hazard_detail::permission_probes(grade, has_roster) {
            let action = crate::domain::trust::Action::Step {
                step: &step,
                grade,
                hazard_author: hazard.meta.author_id,
            };
            if let Err(reason) = self.store.may(&action)? {
                out.push((step.kind(), reason));
            }
        }
        Ok(out)
    }

    /// Where the app was when it last ran, if that draft is still a draft, or a correction of
    /// a finalized inspection was being typed.
    pub fn resume(&self) -> Option<Place> {
        let text = self.store.place().ok()??;
        let place: Place = serde_json::from_str(&text).ok()?;
        let correcting = place.form.as_ref().is_some_and(|f| f.form.of_finalized());
        (correcting
            || self
                .store
                .draft_inspection_ids()
                .ok()?
                .contains(&place.inspection))
        .then_some(place)
    }

    /// The roster file read, parsed and imported in one transaction: what it did, or why
    /// nothing was imported.
    fn import_enterprises(
        &mut self,
        path: &std::path::Path,
    ) -> Result<(String, Vec<String>), crate::roster::file::Refusal> {
        use crate::roster::file;
        let parsed = file::read(path, &self.catalog.sectors)?;
        let total = parsed.enterprises.len();
        let warnings = parsed.warnings.iter().map(ToString::to_string).collect();
        let summary = self
            .store
            .import_roster(parsed.enterprises, parsed.fields)
            .map_err(|e| file::Refusal {
                title: format!("企业名册 {} 未导入", path.display()),
                lines: vec![e.to_string()],
            })?;
        Ok((file::summary_line(path, total, &summary), warnings))
    }

    fn home(&self) -> Result<HomeData, StoreError> {
        let today = crate::domain::time::local(self.store.now()).date();
        let (open_major, overdue_major) = self.store.major_hazard_counts(today)?;
        let today_list = self
            .store
            .inspection_summaries(None)?
            .into_iter()
            .filter(|i| crate::domain::time::local(i.arrival_at).date() == today)
            .collect();
        let profile = self.store.profile()?;
        let profile_from_roster = match &profile {
            Some(p) => self.store.enrolled_person(p.id())?.is_some(),
            None => false,
        };
        let mut finalized = self
            .store
            .inspection_summaries(Some(crate::domain::InspectionStatus::Finalized))?;
        finalized.sort_by_key(|i| std::cmp::Reverse(i.arrival_at));
        Ok(HomeData {
            last_safeguard: self.store.last_safeguard()?,
            finalized,
            profile_cert_no: profile
                .as_ref()
                .map(|p| p.data.cert_no.clone())
                .unwrap_or_default(),
            profile_from_roster,
            drafts: self.store.draft_summaries()?,
            today: today_list,
            enterprise_count: self.store.enterprise_count()?,
            open_major,
            overdue_major,
            profile_group: profile.as_ref().and_then(|p| p.data.group_code.clone()),
            profile_name: profile.map(|p| p.data.name),
            data_dir: self.data_dir.clone(),
        })
    }

    fn enterprises(&self) -> Result<Arc<EnterpriseIndex>, StoreError> {
        let rows = self
            .store
            .enterprises()?
            .into_iter()
            .map(|e| EnterpriseRow {
                id: e.id(),
                credit_code: e.data.credit_code.to_string(),
                town: e.data.town,
                sector: e.data.sector,
                name: e.data.name,
            })
            .collect();
        Ok(Arc::new(EnterpriseIndex::new(rows)))
    }

    fn report(&self, kind: super::msg::ReportKind) -> Result<String, StoreError> {
        use super::msg::ReportKind;
        use crate::report::{gather, targeting, warnings, weekly};
        let day = crate::domain::time::local(self.store.now()).date();
        let hazards = gather::hazard_facts(self.store)?;
        Ok(match kind {
            ReportKind::Weekly => weekly::report(&hazards, day),
            ReportKind::Targets => {
                let facts = gather::enterprise_facts(self.store, self.catalog, &hazards, day)?;
                let mut ranked = targeting::rank(&facts, &self.catalog.rules.targeting, day);
                ranked.truncate(REPORT_TARGETS);
                gather::targets_text(&ranked)
            }
            ReportKind::Warnings => {
                let actions = self.store.enforcement_actions()?;
                gather::warnings_text(&warnings::warnings(&hazards, &actions, day))
            }
        })
    }

    fn monthly(
        &mut self,
        scope: &crate::report::monthly::Scope,
        period: crate::report::monthly::Period,
        unit: &str,
    ) -> Result<crate::report::monthly::Table, StoreError> {
        use crate::report::monthly;
        // Another process (the CLI) may have written since: its commits move data_version.
        let version = self.store.data_version()?;
        if !matches!(&self.monthly, Some((v, _)) if *v == version) {
            let data = monthly::MonthlyData::load(self.store, self.catalog)?;
            self.monthly = Some((version, data));
        }
        let Some((_, data)) = &self.monthly else {
            return Err(StoreError::Invalid("调度表数据未能读取".into()));
        };
        let title = monthly::form_title(&self.catalog.campaign.name);
        Ok(monthly::table(&data.input(), scope, period, &title, unit))
    }

    fn setup(&self, enterprise: Uuid, follow_up_of: Option<Uuid>) -> Result<SetupData, StoreError> {
        use crate::domain::lifecycle::Stage;
        // One read of the enterprise's hazards with their status serves both lists.
        let (open, awaiting): (Vec<_>, Vec<_>) = self
            .store
            .hazards_of_enterprise(enterprise)?
            .into_iter()
            .filter(|(_, _, s)| s.stage != Stage::ClosedOut)
            .map(|(h, _, s)| {
                let id = h.id();
                (h, (s.stage == Stage::RectificationReported).then_some(id))
            })
            .unzip();
        Ok(SetupData {
            enterprise: self.store.enterprise(enterprise)?,
            profile_name: self.store.profile()?.map(|p| p.data.name),
            open_drafts: self
                .store
                .draft_inspection_ids()?
                .into_iter()
                .filter(|id| {
                    self.store
                        .inspection(*id)
                        .is_ok_and(|i| i.data.enterprise_id == enterprise)
                })
                .count(),
            follow_up_of,
            awaiting_verification: awaiting.into_iter().flatten().collect(),
            open_hazards: open,
        })
    }

    /// Registers the colleagues (reusing inspectors already known by name) and starts the
    /// draft with this device's inspector first.
    fn start(
        &mut self,
        mut inspection: crate::domain::Inspection,
        colleagues: Vec<String>,
    ) -> Result<Uuid, StoreError> {
        let mut ids = vec![self.store.author_id()?];
        for name in colleagues {
            let known = self.store.inspector_by_name(&name)?;
            let id = match known {
                Some(i) => i.id(),
                None => self
                    .store
                    .add_inspector(Inspector {
                        name,
                        cert_no: String::new(),
                        group_code: None,
                    })?
                    .id(),
            };
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        inspection.inspector_ids = ids;
        Ok(self.store.create_inspection(inspection)?.id())
    }

    fn view(&self, id: Uuid) -> Result<InspectionView, StoreError> {
        let inspection = self.store.inspection(id)?;
        let enterprise = self.store.enterprise(inspection.data.enterprise_id)?;
        let inspector_names = inspection
            .data
            .inspector_ids
            .iter()
            .map(|i| self.store.inspector(*i).map(|r| r.data.name))
            .collect::<Result<Vec<_>, _>>()?;
        let answers: HashMap<_, _> = self
            .store
            .answers(id)?
            .into_iter()
            .map(|a: Record<crate::domain::Answer>| {
                (a.data.item_code, (a.data.result, a.data.note))
            })
            .collect();
        let hazards = self.store.hazards_of_inspection(id)?;
        let evidence = self.store.evidence_for(id)?;
        let actions: Vec<_> = self
            .store
            .enforcement_actions()?
            .into_iter()
            .filter(|a| a.data.inspection_id == Some(id))
            .collect();
        let mut attachments = self.store.attachments_of(id)?;
        for other in evidence
            .iter()
            .map(|e| e.id())
            .chain(actions.iter().map(|a| a.id()))
            .chain(hazards.iter().map(|h| h.id()))
        {
            attachments.extend(self.store.attachments_of(other)?);
        }
        Ok(InspectionView {
            attachments,
            evidence,
            exams: self.store.exams_for(id)?,
            actions,
            time_corrections: self.store.time_corrections(id)?,
            evidence_corrections: self.store.evidence_corrections_for(id)?,
            inspection,
            enterprise,
            inspector_names,
            answers,
            hazards,
        })
    }
}

fn failed(e: StoreError) -> Msg {
    Msg::Failed(e.to_string())
}
