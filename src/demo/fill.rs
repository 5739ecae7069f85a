//! The records of a demo, made one by one through the store.

use super::{DemoOptions, DemoSummary, Rng, people};
use crate::domain::lifecycle::Step;
use crate::domain::{
    Activity, ActivityKind, ActivityLevel, AnswerResult, CreditCode, EnforcementAction,
    EnforcementKind, Enterprise, EvidenceKind, EvidenceRecord, FiveFixes, Hazard, HazardGrade,
    HazardSource, Inspection, InspectionMode, Inspector, ItemSnapshot, time,
};
use crate::storage::{Store, StoreError};
use crate::templates::Catalog;
use chrono::{DateTime, Days, NaiveDate, Utc};
use uuid::Uuid;

/// 方山县's towns (乡镇).
const TOWNS: [&str; 7] = [
    "圪洞镇",
    "马坊镇",
    "峪口镇",
    "大武镇",
    "北武当镇",
    "积翠镇",
    "麻地会镇",
];
/// Sector code, how the roster words it, a name suffix, and its weight in the mix.
const SECTORS: [(&str, &str, &str, usize); 6] = [
    ("fuel", "加油站", "加油站", 30),
    ("town_gas", "城镇燃气", "燃气有限公司", 15),
    ("grain", "粮食仓储", "粮库", 15),
    ("high_rise", "高层建筑", "商住楼", 15),
    ("village", "帮扶村", "村委会", 15),
    ("civil_air_defence", "人防工程", "人防地下商场", 10),
];
const PLACES: [&str; 10] = [
    "城南",
    "城北",
    "东关",
    "西关",
    "新城",
    "北川",
    "南村",
    "河东",
    "开发区",
    "车站",
];
pub struct Filler<'a> {
    store: &'a mut Store,
    catalog: &'a Catalog,
    options: DemoOptions,
    rng: Rng,
    summary: DemoSummary,
    /// Visits whose documents are issued at their end, once all are made (in date order, so
    /// each series numbers as the days went).
    visits: Vec<(DateTime<Utc>, Uuid)>,
}

struct Firm {
    id: Uuid,
    sector: &'static str,
}

impl<'a> Filler<'a> {
    pub fn new(store: &'a mut Store, catalog: &'a Catalog, options: DemoOptions) -> Filler<'a> {
        Filler {
            store,
            catalog,
            options,
            rng: Rng::new(options.seed),
            summary: DemoSummary::default(),
            visits: Vec::new(),
        }
    }

    pub fn run(mut self) -> Result<DemoSummary, StoreError> {
        let colleague = self
            .store
            .add_inspector(Inspector {
                name: "高峰翔".into(),
                cert_no: "14010002".into(),
                group_code: Some("energy".into()),
            })?
            .id();
        let me = self.store.author_id()?;
        let firms: Vec<Firm> = (0..self.options.enterprises)
            .map(|n| self.enterprise(n))
            .collect::<Result<_, _>>()?;
        for _ in 0..self.options.inspections {
            let firm = &firms[self.rng.below(firms.len())];
            self.inspection(firm, vec![me, colleague])?;
        }
        if self.store.document_series()?.is_ok() {
            let mut visits = std::mem::take(&mut self.visits);
            visits.sort();
            for (departed, id) in visits {
                self.issue_on_site(id, departed)?;
            }
        }
        // Hazards the enterprises found themselves, the public reported, or came from above.
        for _ in 0..(self.options.inspections / 4).max(1) {
            let firm = &firms[self.rng.below(firms.len())];
            let source = *self.rng.pick(&[
                HazardSource::SelfCheck,
                HazardSource::PublicReport,
                HazardSource::Assigned,
            ]);
            let found = self.instant();
            self.hazard(firm.id, None, None, source, found)?;
        }
        self.activities()?;
        Ok(self.summary)
    }

    /// A day of the campaign's field work (2023-05-16 … 2023-11-30), Beijing 08:00–17:59.
    fn instant(&mut self) -> DateTime<Utc> {
        let start = NaiveDate::from_ymd_opt(2023, 5, 16).unwrap_or_default();
        let day = start + Days::new(self.rng.below(199) as u64);
        let local = day
            .and_hms_opt(8 + self.rng.below(10) as u32, self.rng.below(60) as u32, 0)
            .unwrap_or_default();
        time::from_local(local)
    }

    fn enterprise(&mut self, n: usize) -> Result<Firm, StoreError> {
        let total: usize = SECTORS.iter().map(|s| s.3).sum();
        let mut roll = self.rng.below(total);
        let &(code, label, suffix, _) = SECTORS
            .iter()
            .find(|s| {
                if roll < s.3 {
                    true
                } else {
                    roll -= s.3;
                    false
                }
            })
            .unwrap_or(&SECTORS[0]);
        let town = *self.rng.pick(&TOWNS);
        let place = *self.rng.pick(&PLACES);
        let body = format!("91141128MA{n:07}");
        let credit_code = CreditCode::from_body(&body)
            .map_err(|e| StoreError::Invalid(format!("演示数据的信用代码：{e}")))?;
        let principal = people::name(&mut self.rng);
        let phone = format!("0358-60{:05}", self.rng.below(100_000));
        let number = 1 + self.rng.below(200);
        let record = self.store.add_enterprise(Enterprise {
            name: format!(
                "方山县{}{place}{suffix}{}",
                town.trim_end_matches('镇'),
                n + 1
            ),
            credit_code,
            address: format!("方山县{town}{place}路{number}号"),
            town: town.into(),
            sector: label.into(),
            sector_code: Some(code.into()),
            risk_level: None,
            principal,
            phone,
        })?;
        self.summary.enterprises += 1;
        Ok(Firm {
            id: record.id(),
            sector: code,
        })
    }

    fn inspection(&mut self, firm: &Firm, inspectors: Vec<Uuid>) -> Result<(), StoreError> {
        let catalog = self.catalog;
        let mut refs = Vec::new();
        let mut items = Vec::new();
        let mode = match self.rng.below(20) {
            0..=11 => InspectionMode::Unannounced,
            12..=14 => InspectionMode::Covert,
            15..=16 => InspectionMode::Joint,
            _ => InspectionMode::Guidance,
        };
        let arrival = self.instant();
        let day = crate::domain::time::local(arrival).date();
        for c in catalog.proposed_for(Some(firm.sector), day) {
            let (reference, snapshot) = c.snapshot_on(day);
            refs.push(reference);
            items.extend(snapshot);
        }
        let id = self
            .store
            .create_inspection(Inspection::draft(
                firm.id,
                mode,
                inspectors,
                arrival,
                refs,
                items.clone(),
            ))?
            .id();
        for item in &items {
            let (result, note) = match self.rng.below(100) {
                0..=77 => (AnswerResult::Compliant, String::new()),
                78..=89 => (
                    AnswerResult::NonCompliant,
                    format!(
                        "现场查阅资料并询问，未做到{}",
                        crate::documents::requirement(&item.question)
                    ),
                ),
                90..=96 => (AnswerResult::NotApplicable, String::new()),
                _ => continue, // left unchecked
            };
            self.store.set_answer(id, &item.code, result, &note)?;
            if result == AnswerResult::NonCompliant && self.rng.chance(45) {
                let found = arrival + chrono::Duration::minutes(30);
                self.hazard(
                    firm.id,
                    Some(id),
                    Some(item),
                    HazardSource::Inspection,
                    found,
                )?;
            }
        }
        if items.iter().any(|i| i.code == "E12") && self.rng.chance(50) {
            self.certificate(id, arrival)?;
        }
        // The visit lasts one to three hours; the order and the on-site record are issued on
        // site, at the end of it (only where this device may number documents).
        let departed = arrival + chrono::Duration::minutes(60 + self.rng.below(120) as i64);
        self.store.finalize_with_follow_ups(id, Some(departed))?;
        self.visits.push((departed, id));
        self.summary.inspections += 1;
        Ok(())
    }

    /// The documents of a visit, issued as it ends: the order (when something was found, with
    /// 30 days for the problems without a deadline of their own) and the on-site record.
    fn issue_on_site(&mut self, id: Uuid, departed: DateTime<Utc>) -> Result<(), StoreError> {
        use crate::documents::{DocumentError, IssueAt};
        let campaign = &self.catalog.campaign;
        let deadline = crate::domain::time::local(departed).date() + chrono::Duration::days(30);
        let order = crate::documents::rectification_order(
            self.store,
            campaign,
            id,
            IssueAt::OnSite,
            Some(deadline),
        );
        // A village is referred to its town, not ordered (the order is refused for it).
        let order = match order {
            Err(DocumentError::Refused(_)) => {
                let town = self
                    .store
                    .inspection(id)
                    .and_then(|i| self.store.enterprise(i.data.enterprise_id))
                    .map(|e| e.data.town)?;
                crate::documents::referral(
                    self.store,
                    campaign,
                    id,
                    Some(&format!("方山县{town}人民政府")),
                    IssueAt::OnSite,
                )
            }
            other => other,
        };
        for result in [
            order.map(|_| ()),
            crate::documents::onsite_record(self.store, campaign, id).map(|_| ()),
        ] {
            match result {
                Ok(()) | Err(DocumentError::Refused(_)) => {}
                Err(DocumentError::Store(e)) => return Err(e),
            }
        }
        Ok(())
    }

    /// A hazard walked some way along its closed loop (every stage occurs across a demo).
    fn hazard(
        &mut self,
        enterprise: Uuid,
        inspection: Option<Uuid>,
        item: Option<&ItemSnapshot>,
        source: HazardSource,
        found: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let grade = if self.rng.chance(30) {
            HazardGrade::Major
        } else {
            HazardGrade::General
        };
        let description = match item {
            Some(i) => format!(
                "现场检查发现该单位未做到{}",
                crate::documents::requirement(&i.question)
            ),
            None => (*self.rng.pick(&[
                "储罐区可燃气体报警器失效",
                "消防通道被杂物堵塞",
                "动火作业未办理作业票",
                "特种作业人员无证上岗",
                "应急照明和疏散指示损坏",
                "外包单位未签订安全生产管理协议",
            ]))
            .to_string(),
        };
        let deadline = time::local(found).date() + Days::new(15 + self.rng.below(30) as u64);
        let responsible_person = people::name(&mut self.rng);
        let funds = format!("{}万元", 1 + self.rng.below(9));
        let location = (*self
            .rng
            .pick(&["储罐区", "卸油区", "配电室", "仓库", "地下室", "厂区"]))
        .to_string();
        let anonymous_report = source == HazardSource::PublicReport && self.rng.chance(50);
        let hazard = self.store.record_hazard(Hazard {
            enterprise_id: enterprise,
            inspection_id: inspection,
            item_code: item.map(|i| i.code.clone()),
            grade,
            source,
            description,
            location,
            basis: item.map(|i| i.basis.clone()).unwrap_or_default(),
            found_at: found,
            rectify_immediately: false,
            fixes: Some(FiveFixes {
                responsible_person,
                measures: "立即停用相关设施，更换损坏部件，完善管理制度".into(),
                funds,
                deadline,
                emergency_plan: "整改期间设置警戒，停止相关作业".into(),
            }),
            supervision: None,
            anonymous_report,
            assigning_document: (source == HazardSource::Assigned)
                .then(|| "方安委办〔2023〕12号".to_string()),
        })?;
        self.summary.hazards += 1;
        let id = hazard.id();
        let steps = vec![
            Step::Transfer {
                to_unit: "能源股".into(),
            },
            Step::Rectify { fixes: None },
            Step::ReportRectified,
            Step::Verify {
                passed: true,
                by: "高峰翔".into(),
                new_deadline: None,
                case_opened: false,
            },
            Step::CloseOut {
                signer: super::DEMO_LEADER.into(),
                signed_at: found + chrono::Duration::days(40),
                signer_id: None,
            },
        ];
        let walk = self.rng.below(steps.len() + 1);
        let mut at = found;
        if grade == HazardGrade::Major && self.rng.chance(40) {
            at += chrono::Duration::days(1);
            self.step(
                id,
                Step::ListForSupervision {
                    tracking_person: "刘珍".into(),
                },
                at,
            )?;
        }
        for step in steps.into_iter().take(walk) {
            at += chrono::Duration::days(2 + self.rng.below(8) as i64);
            if let Step::CloseOut { signer, .. } = step {
                self.step(
                    id,
                    Step::CloseOut {
                        signer,
                        signed_at: at,
                        signer_id: None,
                    },
                    at,
                )?;
            } else {
                self.step(id, step, at)?;
            }
        }
        if grade == HazardGrade::Major && inspection.is_some() && self.rng.chance(50) {
            self.action(enterprise, inspection, Some(id), found)?;
        }
        Ok(())
    }

    fn step(&mut self, hazard: Uuid, step: Step, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.store.apply_step(hazard, step, at, "")?;
        self.summary.events += 1;
        Ok(())
    }

    fn action(
        &mut self,
        enterprise: Uuid,
        inspection: Option<Uuid>,
        hazard: Option<Uuid>,
        found: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let kind = *self.rng.pick(&[
            EnforcementKind::Penalty,
            EnforcementKind::Penalty,
            EnforcementKind::DualPenalty,
            EnforcementKind::Suspension,
            EnforcementKind::InterviewNotice,
            EnforcementKind::Exposure,
        ]);
        let penalty = matches!(
            kind,
            EnforcementKind::Penalty | EnforcementKind::DualPenalty
        );
        self.store.record_enforcement(EnforcementAction {
            kind,
            enterprise_id: Some(enterprise),
            inspection_id: inspection,
            hazard_id: hazard,
            decided_on: time::local(found).date() + Days::new(7),
            document_no: format!("方发改罚〔2023〕{}号", 1 + self.summary.actions),
            amount_fen: penalty.then(|| (1 + self.rng.below(5) as i64) * 1_000_000),
            persons: None,
            dangerous_operation_crime: false,
            note: String::new(),
            corrects: None,
        })?;
        self.summary.actions += 1;
        Ok(())
    }

    /// A special-operation certificate seen on site; about one in five expired.
    fn certificate(&mut self, inspection: Uuid, arrival: DateTime<Utc>) -> Result<(), StoreError> {
        let Some(form) = self.catalog.form(EvidenceKind::SpecialOperationCertificate) else {
            return Ok(());
        };
        let today = time::local(arrival).date();
        let expired = self.rng.chance(20);
        let values = people::form_values(&mut self.rng, form, today, expired);
        if !form.check_values(&values).is_empty() {
            return Ok(()); // a form changed in config: skip rather than store a bad record
        }
        self.store.save_evidence(
            None,
            EvidenceRecord {
                inspection_id: inspection,
                kind: form.kind,
                form_version: form.version,
                values,
            },
        )?;
        self.summary.evidence += 1;
        Ok(())
    }

    fn activities(&mut self) -> Result<(), StoreError> {
        use ActivityKind::*;
        use ActivityLevel::*;
        let plan: [(ActivityKind, ActivityLevel, &str); 12] = [
            (
                GroupStudy,
                County,
                "专项行动小组专题学习安全生产十五条硬措施",
            ),
            (GroupStudy, Town, "圪洞镇组织学习十五条硬措施"),
            (
                SectionStudy,
                Department,
                "能源股专题研究重大事故隐患排查整治",
            ),
            (LeaderSupervision, County, "领导小组现场督导检查加油站"),
            (LeaderSupervision, Town, "分管领导督导检查燃气企业"),
            (LeaderBriefing, County, "分管领导到企业宣讲"),
            (TownGuidance, County, "帮扶指导圪洞镇"),
            (TownGuidance, County, "帮扶指导峪口镇"),
            (ReportReward, County, "兑现群众举报奖励"),
            (MediaColumn, County, "方山县融媒体中心安全生产专题栏目"),
            (TechInspectors, County, "配备专兼职技术检查员"),
            (AssessmentTour, County, "专项行动考核巡查"),
        ];
        for (kind, level, title) in plan {
            let held_on = time::local(self.instant()).date();
            self.store.record_activity(Activity {
                kind,
                level,
                group_code: Some("energy".into()),
                held_on,
                title: title.into(),
                amount_fen: (kind == ReportReward).then_some(500_000),
                count: (kind == TechInspectors).then_some(3),
                anonymous: kind == ReportReward,
                note: String::new(),
                corrects: None,
            })?;
            self.summary.activities += 1;
        }
        Ok(())
    }
}
