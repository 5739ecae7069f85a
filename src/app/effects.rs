//! The only place the TUI touches storage: each effect runs against the store and answers with
//! a message. Storage errors become a message on screen, never a crash.

use super::ledger_cache::LedgerCache;
use super::msg::{
    Effect, EnterpriseIndex, EnterpriseRow, HomeData, InspectionView, Msg, Place, RosterData,
    RosterWrite, SetupData,
};
use crate::domain::trust::{Role, Roster};
use crate::domain::{Inspector, Record};
use crate::storage::{Store, StoreError};
use crate::templates::Catalog;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

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
        }
    }

    /// Whether a background job runs (the event loop then wakes up to show its progress).
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// The running job's news: its end, or its progress if that moved.
    pub fn poll_job(&mut self) -> Option<Msg> {
        if self.job.as_ref()?.finished() {
            let job = self.job.take()?;
            return Some(Msg::JobDone(job.outcome()));
        }
        self.job.as_mut()?.poll()
    }

    fn today(&self) -> chrono::NaiveDate {
        crate::domain::time::local(self.store.now()).date()
    }

    /// Runs one effect; `None` for effects with nothing to report.
    pub fn run(&mut self, effect: Effect) -> Option<Msg> {
        if !matches!(effect, Effect::LoadMonthly { .. }) {
            self.monthly = None;
        }
        let result = match effect {
            Effect::Quit => return None,
            Effect::LoadHome => self.home().map(Msg::HomeLoaded),
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
            Effect::Finalize(id) => {
                self.store
                    .finalize_with_follow_ups(id)
                    .map(|(inspection, outcomes)| {
                        // A 复查 records verifications on the enterprise's hazards.
                        let changed = self
                            .store
                            .hazard_summaries_of(inspection.data.enterprise_id);
                        self.ledger.patch(changed);
                        Msg::Finalized(id, outcomes)
                    })
            }
            Effect::Discard(id) => self.store.discard_draft(id).map(|_| Msg::Discarded),
            Effect::RememberPlace(place) => {
                let text = serde_json::to_string(&place).unwrap_or_default();
                return self.store.remember_place(&text).err().map(failed);
            }
            Effect::ForgetPlace => return self.store.forget_place().err().map(failed),
            Effect::Start(work) => {
                if self.job.is_some() {
                    return Some(Msg::JobDone(super::msg::JobOutcome::Failed(vec![
                        "上一个数据包任务还没有结束，请稍后再试".into(),
                    ])));
                }
                return match super::jobs::Job::start(self.store, work) {
                    Ok(job) => {
                        self.job = Some(job);
                        None
                    }
                    Err(e) => Some(Msg::JobDone(super::msg::JobOutcome::Failed(vec![e]))),
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
                Ok(Msg::HazardLoaded(Box::new(row), warnings))
            }),
            Effect::LoadRoster => self.roster_data().map(|d| Msg::RosterLoaded(Box::new(d))),
            Effect::Roster(write) => self.roster_write(write).map(Msg::RosterWritten),
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

    /// Where the app was when it last ran, if that draft is still a draft.
    pub fn resume(&self) -> Option<Place> {
        let text = self.store.place().ok()??;
        let place: Place = serde_json::from_str(&text).ok()?;
        self.store
            .draft_inspection_ids()
            .ok()?
            .contains(&place.inspection)
            .then_some(place)
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
        Ok(HomeData {
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
        Ok(InspectionView {
            evidence: self.store.evidence_for(id)?,
            exams: self.store.exams_for(id)?,
            actions: self
                .store
                .enforcement_actions()?
                .into_iter()
                .filter(|a| a.data.inspection_id == Some(id))
                .collect(),
            inspection,
            enterprise,
            inspector_names,
            answers,
            hazards,
        })
    }
}

impl Runner<'_> {
    /// The roster as stored (a chain changed by hand is shown as the reason it is refused),
    /// with its history and what waits for a clerk.
    fn roster_data(&self) -> Result<RosterData, StoreError> {
        let (roster, problem) = match self.store.roster() {
            Ok(roster) => (roster, None),
            Err(e) => (None, Some(e.to_string())),
        };
        let (entries, unenrolled) = match &roster {
            Some(r) => (
                self.store.roster_entries()?,
                self.store
                    .first_sight_keys()?
                    .into_iter()
                    .filter(|(_, _, key)| !r.keys.contains_key(key))
                    .collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        Ok(RosterData {
            is_office: self.store.is_office()?,
            profile_name: self.store.profile()?.map(|p| p.data.name),
            held: self.store.held_bundles()?,
            roster,
            problem,
            entries,
            unenrolled,
        })
    }

    /// Makes one change to the roster (a new signed entry, or several at once); says what
    /// was done. Reads the person and key files afresh: the screen's copy may be old.
    fn roster_write(&mut self, write: RosterWrite) -> Result<String, StoreError> {
        use crate::domain::trust::Body;
        use crate::domain::trust::roster::fingerprint;
        let labels = |roles: &[Role]| {
            if roles.is_empty() {
                "无".to_string()
            } else {
                roles
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join("、")
            }
        };
        if let RosterWrite::Init { office_name, roles } = &write {
            let roster = self.store.office_init(office_name, roles)?;
            return Ok(format!(
                "已建立“{}”的人员名册。请把锚定公钥指纹 {} 抄给各位检查人员：他们第一次导入台账数据包时要核对",
                roster.office_name,
                roster.fingerprint()
            ));
        }
        let Some(roster) = self.store.roster()? else {
            return Err(StoreError::Invalid(
                "还没有办公室名册：在办公室按 i 建立".into(),
            ));
        };
        let person = |id: &Uuid| {
            roster
                .people
                .get(id)
                .cloned()
                .ok_or_else(|| StoreError::NotFound("名册中的这个人".into()))
        };
        match write {
            RosterWrite::Init { .. } => Err(StoreError::Invalid("名册已经建立".into())),
            RosterWrite::AddPerson {
                name,
                cert_no,
                group_code,
                roles,
                key_file,
            } => {
                let name = name.trim().to_string();
                if name.is_empty() {
                    return Err(StoreError::Invalid("姓名不能为空".into()));
                }
                let cert_no = cert_no.trim().to_string();
                taken_cert(&roster, None, &cert_no)?;
                let person_id = crate::storage::new_person_id();
                let mut bodies = vec![Body::Person {
                    person_id,
                    name: name.clone(),
                    cert_no,
                    group_code,
                    roles: roles.clone(),
                    active: true,
                }];
                let mut key_note = String::new();
                if let Some(path) = key_file {
                    let file = read_key(&roster, person_id, &path)?;
                    key_note = format!(
                        "，公钥指纹 {}（来自 {} 的电脑）",
                        fingerprint(&file.public_key),
                        file.name
                    );
                    bodies.push(Body::Key {
                        person_id,
                        inspector_id: file.inspector_id,
                        public_key: file.public_key,
                    });
                }
                self.store.roster_append(bodies)?;
                Ok(format!("已登记 {name}（{}）{key_note}", labels(&roles)))
            }
            RosterWrite::SetRoles { person: id, roles } => {
                let p = person(&id)?;
                if !p.active {
                    taken_cert(&roster, Some(id), &p.cert_no)?;
                }
                self.store.roster_append(vec![Body::Person {
                    person_id: p.id,
                    name: p.name.clone(),
                    cert_no: p.cert_no.clone(),
                    group_code: p.group_code.clone(),
                    roles: roles.clone(),
                    active: true,
                }])?;
                Ok(format!("{} 的角色改为：{}", p.name, labels(&roles)))
            }
            RosterWrite::AddKey {
                person: id,
                key_file,
            } => {
                let p = person(&id)?;
                let file = read_key(&roster, p.id, &key_file)?;
                self.store.roster_append(vec![Body::Key {
                    person_id: p.id,
                    inspector_id: file.inspector_id,
                    public_key: file.public_key.clone(),
                }])?;
                Ok(format!(
                    "已为 {} 登记公钥，指纹 {}",
                    p.name,
                    fingerprint(&file.public_key)
                ))
            }
            RosterWrite::Leave { person: id } => {
                let p = person(&id)?;
                self.store.roster_append(vec![Body::Person {
                    person_id: p.id,
                    name: p.name.clone(),
                    cert_no: p.cert_no.clone(),
                    group_code: p.group_code.clone(),
                    roles: p.roles.clone(),
                    active: false,
                }])?;
                Ok(format!(
                    "{} 已停用，不再有任何角色。如其电脑丢失，另请吊销其公钥",
                    p.name
                ))
            }
            RosterWrite::Revoke { public_key } => {
                // Everything the office holds from this key stays good everywhere.
                let accepted = self.store.records_signed_by(&public_key)?;
                let count = accepted.len();
                self.store.roster_append(vec![Body::Revoke {
                    public_key: public_key.clone(),
                    accepted,
                }])?;
                Ok(format!(
                    "已吊销公钥 {}。此前已收到它签名的 {count} 条记录仍然有效；此后带来它新签名记录的数据包将留待复核",
                    fingerprint(&public_key)
                ))
            }
        }
    }
}

/// Refuses a 执法证号 an active person other than `except` already holds (said plainly, before
/// the roster would refuse the entry).
fn taken_cert(roster: &Roster, except: Option<Uuid>, cert_no: &str) -> Result<(), StoreError> {
    match roster
        .people
        .values()
        .find(|p| Some(p.id) != except && p.active && !cert_no.is_empty() && p.cert_no == cert_no)
    {
        Some(other) => Err(StoreError::Invalid(format!(
            "执法证号 {cert_no} 已属于 {}",
            other.name
        ))),
        None => Ok(()),
    }
}

/// Reads a key file for `person`, refusing plainly a key or a laptop profile already enrolled
/// for someone.
fn read_key(
    roster: &Roster,
    person: Uuid,
    path: &std::path::Path,
) -> Result<crate::identity::key_file::KeyFile, StoreError> {
    let file =
        crate::identity::key_file::read(path).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let owner = |id: &Uuid| {
        roster
            .people
            .get(id)
            .map_or_else(|| "另一个人".to_string(), |p| p.name.clone())
    };
    if let Some(k) = roster.keys.get(&file.public_key) {
        return Err(StoreError::Invalid(format!(
            "这把公钥已经登记给 {}{}",
            owner(&k.person_id),
            if k.revoked.is_some() {
                "（已吊销，不能再登记）"
            } else {
                ""
            }
        )));
    }
    if let Some(k) = roster
        .keys
        .values()
        .find(|k| k.inspector_id == file.inspector_id && k.person_id != person)
    {
        return Err(StoreError::Invalid(format!(
            "这个公钥文件来自 {} 的电脑上的人员档案，而该档案已登记给 {}",
            if file.name.is_empty() {
                "未具名"
            } else {
                file.name.as_str()
            },
            owner(&k.person_id)
        )));
    }
    Ok(file)
}

fn failed(e: StoreError) -> Msg {
    Msg::Failed(e.to_string())
}
