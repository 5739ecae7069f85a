//! The campaign (`config/campaign.toml`): dates, phases, the leadership group and the four
//! groups with their members and sectors, and the reporting calendar.

use super::error::{ConfigError, Source};
use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use toml::Spanned;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    pub name: String,
    pub county: String,
    pub bureau: String,
    pub document: String,
    /// The prefix of major-hazard ledger numbers (`<prefix>-<year>-<month>-<seq>`); the county
    /// name without 县 when absent.
    #[serde(default)]
    pub ledger_prefix: Option<String>,
    #[serde(deserialize_with = "toml_date")]
    pub issued_on: NaiveDate,
    #[serde(deserialize_with = "toml_date")]
    pub start: NaiveDate,
    #[serde(deserialize_with = "toml_date")]
    pub end: NaiveDate,
    #[serde(rename = "phase")]
    pub phases: Vec<Phase>,
    pub leadership: Leadership,
    #[serde(rename = "group")]
    pub groups: Vec<Group>,
    #[serde(rename = "deadline")]
    pub deadlines: Vec<Deadline>,
    /// Printed enforcement documents: number series and the appeal bodies named on them.
    #[serde(default)]
    pub documents: Option<Documents>,
}

/// `[documents]`: how each kind of enforcement document is numbered (`{year}` and `{seq}` are
/// filled in; `{seq}` is required) and whom a document names for review and litigation, by
/// the document's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Documents {
    /// 执法部门 printed on the documents; the bureau when absent.
    #[serde(default)]
    pub department: Option<String>,
    /// 行政复议机关 and 人民法院 by the date of the document (`[[documents.appeal]]`, each from
    /// its `from` day until the next one's).
    #[serde(default, rename = "appeal")]
    pub appeals: Vec<Appeal>,
    pub onsite_record: String,
    pub rectification_order: String,
    pub reinspection_opinion: String,
    /// 现场处理措施决定书.
    #[serde(default)]
    pub onsite_measures: Option<String>,
    /// 挂牌督办通知书.
    #[serde(default)]
    pub supervision_notice: Option<String>,
    /// 事故隐患移交书.
    #[serde(default)]
    pub referral: Option<String>,
}

/// Whom a document dated from `from` on names for 行政复议 and 行政诉讼.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appeal {
    #[serde(deserialize_with = "toml_date")]
    pub from: NaiveDate,
    /// 行政复议机关 (the whole phrase, e.g. “方山县人民政府”).
    pub review_body: String,
    /// 人民法院 with jurisdiction over the department's acts (where a province concentrates
    /// administrative cases in designated courts, that court); empty: a blank on the document
    /// and a warning, until the office sets it.
    #[serde(default)]
    pub court: String,
}

/// The day the revised 行政复议法 (2023年9月1日修订) took effect: from then on the county
/// government alone reviews a county department's acts (第二十四条); before, the applicant
/// chose the county government or the department one level up (原法 第十二条).
pub fn review_law_revised() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(NaiveDate::MIN)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub code: String,
    pub name: String,
    #[serde(deserialize_with = "toml_date")]
    pub start: NaiveDate,
    #[serde(deserialize_with = "toml_date")]
    pub end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leadership {
    pub office: String,
    pub office_director: String,
    #[serde(rename = "leader")]
    pub leaders: Vec<Leader>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leader {
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub code: String,
    pub name: String,
    /// The section (股室) that leads it.
    pub section: String,
    pub leader: String,
    pub deputy: String,
    pub members: Vec<String>,
    pub sectors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    pub code: String,
    pub title: String,
    /// Due on this day of every month (clamped to the month's last day).
    pub monthly_day: Option<u32>,
    /// Or due every week on this day ("monday" … "sunday") …
    pub weekly_day: Option<String>,
    /// … at this time ("HH:MM"); end of day when absent.
    pub time: Option<String>,
    /// The first date the deadline applies from.
    #[serde(deserialize_with = "toml_date")]
    pub from: NaiveDate,
}

impl Deadline {
    fn weekday(&self) -> Option<Weekday> {
        self.weekly_day.as_deref().and_then(|d| d.parse().ok())
    }

    fn time_of_day(&self) -> NaiveTime {
        self.time
            .as_deref()
            .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
            .unwrap_or(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
    }

    /// The first time this deadline falls due at or after `now`, if ever (before `until`).
    pub fn next_due(&self, now: NaiveDateTime, until: NaiveDate) -> Option<NaiveDateTime> {
        let at = self.time_of_day();
        let mut day = now.date().max(self.from);
        for _ in 0..400 {
            if day > until {
                return None;
            }
            let due = match (self.monthly_day, self.weekday()) {
                (Some(d), _) => day == monthly_date(day, d),
                (None, Some(w)) => day.weekday() == w,
                (None, None) => false,
            };
            if due && day.and_time(at) >= now {
                return Some(day.and_time(at));
            }
            day = day.checked_add_days(Days::new(1))?;
        }
        None
    }
}

/// `day` of `date`'s month, or the month's last day when the month is shorter.
fn monthly_date(date: NaiveDate, day: u32) -> NaiveDate {
    let first = date.with_day(1).unwrap_or(date);
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(date);
    first.with_day(day).unwrap_or(last).min(last)
}

impl Campaign {
    pub fn ledger_prefix(&self) -> String {
        self.ledger_prefix
            .clone()
            .unwrap_or_else(|| self.county.trim_end_matches('县').to_string())
    }

    /// The phase `date` falls in.
    pub fn phase_on(&self, date: NaiveDate) -> Option<&Phase> {
        self.phases
            .iter()
            .find(|p| p.start <= date && date <= p.end)
    }

    /// Deadlines still ahead of `now` within the campaign, soonest first.
    pub fn upcoming(&self, now: NaiveDateTime) -> Vec<(&Deadline, NaiveDateTime)> {
        let mut due: Vec<_> = self
            .deadlines
            .iter()
            .filter_map(|d| d.next_due(now, self.end).map(|t| (d, t)))
            .collect();
        due.sort_by_key(|(_, t)| *t);
        due
    }

    /// The enforcement department printed on documents.
    pub fn department(&self) -> String {
        self.documents
            .as_ref()
            .and_then(|d| d.department.clone())
            .unwrap_or_else(|| self.bureau.clone())
    }

    /// (行政复议机关, 人民法院) named on a document dated `day`: the configured entry in force
    /// that day, else what the law gives (the county government; before 2024-01-01 also the
    /// department one level up) and an empty court (printed as a blank to fill in).
    pub fn appeal_bodies(&self, day: NaiveDate) -> (String, String) {
        let configured = self
            .documents
            .iter()
            .flat_map(|d| &d.appeals)
            .filter(|a| a.from <= day)
            .max_by_key(|a| a.from);
        match configured {
            Some(a) => (a.review_body.clone(), a.court.clone()),
            None if day < review_law_revised() => (
                format!("{}人民政府或者上一级主管部门", self.county),
                String::new(),
            ),
            None => (format!("{}人民政府", self.county), String::new()),
        }
    }

    /// The number of the `seq`th document of `kind` in `year`, per `[documents]` (or, when
    /// absent, `<ledger prefix><short title>〔year〕seq号`), with the device's series prefix
    /// (empty at the office) before the sequence number. Numbers are not zero-padded:
    /// 〔2023〕1号, as the bureau numbers its other documents.
    pub fn document_number(&self, kind: DocumentKind, year: i32, series: &str, seq: u32) -> String {
        let configured = self.documents.as_ref().and_then(|d| match kind {
            DocumentKind::OnsiteRecord => Some(d.onsite_record.clone()),
            DocumentKind::RectificationOrder => Some(d.rectification_order.clone()),
            DocumentKind::ReinspectionOpinion => Some(d.reinspection_opinion.clone()),
            DocumentKind::OnsiteMeasures => d.onsite_measures.clone(),
            DocumentKind::SupervisionNotice => d.supervision_notice.clone(),
            DocumentKind::Referral => d.referral.clone(),
        });
        let pattern = configured.unwrap_or_else(|| {
            format!(
                "{}{}〔{{year}}〕{{seq}}号",
                self.ledger_prefix(),
                kind.short()
            )
        });
        pattern
            .replace("{year}", &year.to_string())
            .replace("{seq}", &format!("{series}{seq}"))
    }

    pub fn group(&self, code: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.code == code)
    }

    /// The group with `code`, or a Chinese message listing the codes there are.
    pub fn find_group(&self, code: &str) -> Result<&Group, String> {
        self.group(code.trim()).ok_or_else(|| {
            format!(
                "没有代码为“{}”的专项行动小组，可选：{}",
                code.trim(),
                self.group_codes().join("、")
            )
        })
    }

    /// Every group's code, in configuration order.
    pub fn group_codes(&self) -> Vec<&str> {
        self.groups.iter().map(|g| g.code.as_str()).collect()
    }

    /// The lead section of the group covering each sector code (the first group that names a
    /// sector has it): owned, so a background thread can use it.
    pub fn sections_by_sector(&self) -> std::collections::HashMap<String, String> {
        let mut sections = std::collections::HashMap::new();
        for g in &self.groups {
            for sector in &g.sectors {
                sections
                    .entry(sector.clone())
                    .or_insert_with(|| g.section.clone());
            }
        }
        sections
    }
}

/// The printed enforcement documents (serialized by their codes, as a remembered form names
/// one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 现场检查记录.
    OnsiteRecord,
    /// 责令限期整改指令书.
    RectificationOrder,
    /// 整改复查意见书.
    ReinspectionOpinion,
    /// 现场处理措施决定书 (安全生产法 第六十五条第一款第（三）项).
    OnsiteMeasures,
    /// 挂牌督办通知书 for a major hazard listed for supervision.
    SupervisionNotice,
    /// 事故隐患移交书: a village's findings referred to the town or a competent department.
    Referral,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 6] = [
        DocumentKind::OnsiteRecord,
        DocumentKind::RectificationOrder,
        DocumentKind::ReinspectionOpinion,
        DocumentKind::OnsiteMeasures,
        DocumentKind::SupervisionNotice,
        DocumentKind::Referral,
    ];

    /// The code stored with a number given.
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::OnsiteRecord => "onsite_record",
            DocumentKind::RectificationOrder => "rectification_order",
            DocumentKind::ReinspectionOpinion => "reinspection_opinion",
            DocumentKind::OnsiteMeasures => "onsite_measures",
            DocumentKind::SupervisionNotice => "supervision_notice",
            DocumentKind::Referral => "referral",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            DocumentKind::OnsiteRecord => "现场检查记录",
            DocumentKind::RectificationOrder => "责令限期整改指令书",
            DocumentKind::ReinspectionOpinion => "整改复查意见书",
            DocumentKind::OnsiteMeasures => "现场处理措施决定书",
            DocumentKind::SupervisionNotice => "重大事故隐患挂牌督办通知书",
            DocumentKind::Referral => "事故隐患移交书",
        }
    }

    /// The abbreviation in a default number (检记, 责改, 复查, 现决, 督办).
    fn short(self) -> &'static str {
        match self {
            DocumentKind::OnsiteRecord => "检记",
            DocumentKind::RectificationOrder => "责改",
            DocumentKind::ReinspectionOpinion => "复查",
            DocumentKind::OnsiteMeasures => "现决",
            DocumentKind::SupervisionNotice => "督办",
            DocumentKind::Referral => "移交",
        }
    }
}

/// A TOML date (`2023-04-25`, unquoted) as a calendar date.
fn toml_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    use serde::de::Error;
    let value = toml::value::Datetime::deserialize(d)?;
    match (value.date, value.time, value.offset) {
        (Some(date), None, None) => NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        )
        .ok_or_else(|| D::Error::custom(format!("日期 {value} 不存在"))),
        _ => Err(D::Error::custom(format!(
            "应为日期（如 2023-04-25），不是 {value}"
        ))),
    }
}

#[derive(Deserialize)]
struct SpannedCodes {
    end: Spanned<toml::value::Datetime>,
    #[serde(rename = "phase", default)]
    phases: Vec<SpannedPhase>,
    #[serde(rename = "group", default)]
    groups: Vec<SpannedGroup>,
    #[serde(rename = "deadline", default)]
    deadlines: Vec<SpannedDeadline>,
    #[serde(default)]
    documents: Option<SpannedDocuments>,
}

#[derive(Deserialize)]
struct SpannedDocuments {
    onsite_record: Spanned<String>,
    rectification_order: Spanned<String>,
    reinspection_opinion: Spanned<String>,
    #[serde(default)]
    onsite_measures: Option<Spanned<String>>,
    #[serde(default)]
    supervision_notice: Option<Spanned<String>>,
    #[serde(default)]
    referral: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct SpannedPhase {
    code: Spanned<String>,
}

#[derive(Deserialize)]
struct SpannedGroup {
    sectors: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
struct SpannedDeadline {
    code: Spanned<String>,
    monthly_day: Option<Spanned<u32>>,
    weekly_day: Option<Spanned<String>>,
    time: Option<Spanned<String>>,
}

pub fn parse(file: &str, text: &str, sector_codes: &[&str]) -> Result<Campaign, Vec<ConfigError>> {
    let src = Source::new(file, text);
    let campaign: Campaign = toml::from_str(text).map_err(|e| vec![src.parse_error(&e)])?;
    // A second, span-carrying read of the parts checked below, for file:line errors.
    let spans: SpannedCodes = toml::from_str(text).map_err(|e| vec![src.parse_error(&e)])?;
    let mut errors = Vec::new();
    if campaign.end < campaign.start {
        errors.push(src.error_at(spans.end.span().start, "专项行动结束日期早于开始日期"));
    }
    for (phase, span) in campaign.phases.iter().zip(&spans.phases) {
        if phase.end < phase.start || phase.start < campaign.start || phase.end > campaign.end {
            errors.push(src.error_at(
                span.code.span().start,
                format!("阶段“{}”的日期不在专项行动期间内或前后颠倒", phase.name),
            ));
        }
    }
    for group in &spans.groups {
        for sector in &group.sectors {
            if !sector_codes.contains(&sector.get_ref().as_str()) {
                errors.push(src.error_at(
                    sector.span().start,
                    format!(
                        "未知的行业领域代码“{}”，可用：{}",
                        sector.get_ref(),
                        sector_codes.join("、")
                    ),
                ));
            }
        }
    }
    for d in &spans.deadlines {
        match (&d.monthly_day, &d.weekly_day) {
            (Some(day), None) if !(1..=31).contains(day.get_ref()) => {
                errors.push(src.error_at(day.span().start, "monthly_day 应在 1 到 31 之间"));
            }
            (None, Some(w)) if w.get_ref().parse::<Weekday>().is_err() => {
                errors.push(src.error_at(
                    w.span().start,
                    format!("“{}”不是星期几，可用：monday … sunday", w.get_ref()),
                ))
            }
            (Some(_), None) | (None, Some(_)) => {}
            _ => errors.push(src.error_at(
                d.code.span().start,
                format!(
                    "期限 {} 应有且只有 monthly_day 或 weekly_day 之一",
                    d.code.get_ref()
                ),
            )),
        }
        if let Some(t) = &d.time
            && NaiveTime::parse_from_str(t.get_ref(), "%H:%M").is_err()
        {
            errors.push(src.error_at(t.span().start, format!("时间“{}”应为 HH:MM", t.get_ref())));
        }
    }
    if let Some(d) = &spans.documents {
        let optional = [&d.onsite_measures, &d.supervision_notice, &d.referral];
        for pattern in [
            &d.onsite_record,
            &d.rectification_order,
            &d.reinspection_opinion,
        ]
        .into_iter()
        .chain(optional.into_iter().flatten())
        {
            if !pattern.get_ref().contains("{seq}") {
                errors.push(src.error_at(
                    pattern.span().start,
                    format!("文书编号格式“{}”缺少 {{seq}}（序号）", pattern.get_ref()),
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(campaign)
    } else {
        Err(errors)
    }
}
