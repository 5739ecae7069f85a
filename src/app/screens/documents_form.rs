//! The first issue's form of the documents screen: what the CLI's options ask (when, the
//! order's deadline, the measures decided, the unit a village's findings go to), and the
//! request a filled form stands for, refused at the field that is wrong.

use super::{DocList, DocRow, IssueRequest, NOW, ON_SITE, STATED};
use crate::app::form::{Field, FieldKind, Form};
use crate::app::screens::Ctx;
use crate::documents::IssueAt;
use crate::domain::{MeasureKind, OnsiteMeasures, time};
use crate::templates::campaign::DocumentKind;
use std::path::PathBuf;
use uuid::Uuid;

/// The measures of 第六十五条第一款第（三）项, as yes/no fields.
const MEASURE_FIELDS: [(MeasureKind, &str); 3] = [
    (MeasureKind::Withdraw, "m_withdraw"),
    (MeasureKind::Suspend, "m_suspend"),
    (MeasureKind::StopUse, "m_stop_use"),
];
const YES: &str = "是";
const NO: &str = "否";
/// The hazard choices of a measures decision before the hazards themselves.
const ALL_HAZARDS: &str = "本次检查的全部隐患";
const NO_HAZARD: &str = "不指定（危险情况中写明）";

/// What the first issue of `row` asks.
pub fn issue_form(row: &DocRow, list: &DocList, on_site_default: bool) -> Form {
    let at_text = time::record_minute(row.on_site_at);
    let on_site_means = match row.kind {
        DocumentKind::ReinspectionOpinion => format!("现场出具＝复查验收的时间 {at_text}"),
        DocumentKind::SupervisionNotice => format!("现场出具＝挂牌督办的时间 {at_text}"),
        _ => format!("现场出具＝离开现场的时间 {at_text}"),
    };
    let mut fields = Vec::new();
    if row.kind == DocumentKind::OnsiteRecord {
        fields.push(
            Field::of_kind(
                "when",
                "出具时间",
                FieldKind::Choice(vec![ON_SITE.into()]),
                true,
            )
            .with_help(format!("现场检查记录在现场出具：{on_site_means}")),
        );
    } else {
        let first = if on_site_default { ON_SITE } else { NOW };
        fields.push(
            Field::of_kind(
                "when",
                "出具时间",
                FieldKind::Choice(vec![ON_SITE.into(), NOW.into(), STATED.into()]),
                true,
            )
            .with_value(first)
            .with_help(format!("{on_site_means}；←/→ 切换")),
        );
        fields.push(
            Field::of_kind("at", "指定时间", FieldKind::DateTime, false)
                .with_help("选“指定时间”时填写，北京时间，格式 2023-09-05 16:30"),
        );
    }
    match row.kind {
        DocumentKind::RectificationOrder if row.needs_deadline => fields.push(
            Field::of_kind("deadline", "整改期限", FieldKind::Date, true)
                .with_help("未登记为隐患的不符合项（或登记时没有期限的隐患）的整改期限"),
        ),
        DocumentKind::OnsiteMeasures => {
            fields.push(
                Field::text("danger", "危险情况", true)
                    .with_help("现场发现的危险情况（事实：在哪里、是什么）"),
            );
            for (kind, key) in MEASURE_FIELDS {
                fields.push(
                    Field::of_kind(
                        key,
                        kind.label(),
                        FieldKind::Choice(vec![NO.into(), YES.into()]),
                        true,
                    )
                    .with_help("至少选一项“是”；←/→ 或空格切换"),
                );
            }
            fields.push(
                Field::text("scope", "适用范围", true).with_help("措施适用的区域、设施或设备"),
            );
            fields.push(
                Field::text("lifting", "解除条件", true).with_value(OnsiteMeasures::LAWFUL_LIFTING),
            );
            if !list.hazards.is_empty() {
                let mut options = vec![ALL_HAZARDS.to_string(), NO_HAZARD.to_string()];
                options.extend(hazard_choices(&list.hazards));
                fields.push(
                    Field::of_kind("hazards", "针对的隐患", FieldKind::Choice(options), true)
                        .with_help("←/→ 选择"),
                );
            }
        }
        DocumentKind::Referral => {
            let town = list.town.trim();
            let default = if town.is_empty() {
                String::new()
            } else {
                format!("{town}人民政府")
            };
            fields.push(
                Field::text("to", "移交对象", true)
                    .with_value(default)
                    .with_help("接收移交的乡镇人民政府或有关主管部门"),
            );
        }
        _ => {}
    }
    Form::new(format!("出具《{}》", row.kind.title()), fields)
}

/// Each hazard as a choice, numbered so that two alike stay apart.
fn hazard_choices(hazards: &[(Uuid, String)]) -> Vec<String> {
    hazards
        .iter()
        .enumerate()
        .map(|(i, (_, d))| {
            let short: String = d.chars().take(30).collect();
            let cut = if short.len() < d.len() { "…" } else { "" };
            format!("{}. {short}{cut}", i + 1)
        })
        .collect()
}

/// The request a filled form stands for, or the field that is wrong and why.
pub fn request_from(
    row: &DocRow,
    list: &DocList,
    form: &Form,
    ctx: &Ctx,
) -> Result<IssueRequest, (&'static str, String)> {
    let when = match form.value("when") {
        NOW => IssueAt::Now,
        STATED => {
            let typed = form.value("at");
            let at = time::parse_minute(typed).ok_or_else(|| {
                (
                    "at",
                    "选了“指定时间”：请完整填写出具时间，格式如 2023-09-05 16:30".to_string(),
                )
            })?;
            if at > ctx.now {
                return Err(("at", "出具时间不能晚于现在".to_string()));
            }
            IssueAt::At(at)
        }
        _ => IssueAt::OnSite,
    };
    let deadline = match form.value("deadline") {
        "" => None,
        text => Some(time::parse_day_loose(text).ok_or_else(|| {
            (
                "deadline",
                "整改期限应为日期，格式如 2023-09-15".to_string(),
            )
        })?),
    };
    let measures = if row.kind == DocumentKind::OnsiteMeasures {
        let chosen: Vec<MeasureKind> = MEASURE_FIELDS
            .iter()
            .filter(|(_, key)| form.value(key) == YES)
            .map(|(kind, _)| *kind)
            .collect();
        if chosen.is_empty() {
            return Err((MEASURE_FIELDS[0].1, "请至少选择一项措施（选“是”）".into()));
        }
        let hazard_ids = match form.value("hazards") {
            "" | NO_HAZARD => vec![],
            ALL_HAZARDS => list.hazards.iter().map(|(id, _)| *id).collect(),
            one => hazard_choices(&list.hazards)
                .iter()
                .position(|c| c == one)
                .and_then(|i| list.hazards.get(i))
                .map(|(id, _)| vec![*id])
                .unwrap_or_default(),
        };
        Some(OnsiteMeasures {
            danger: form.value("danger").to_string(),
            hazard_ids,
            measures: chosen,
            scope: form.value("scope").to_string(),
            lifting: form.value("lifting").to_string(),
        })
    } else {
        None
    };
    let to = (row.kind == DocumentKind::Referral).then(|| form.value("to").to_string());
    Ok(IssueRequest {
        kind: row.kind,
        subject: row.subject,
        when,
        deadline,
        measures,
        to,
        folder: PathBuf::from(&list.folder),
        reprint: false,
    })
}
