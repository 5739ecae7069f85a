//! The JSON text inside record fields (a visit's templates, a hazard's five fixes and
//! supervision, evidence values, exam questions, an event's payload) must have the shape paicha
//! itself writes: a bundle from another program can put nothing there that the screens, the
//! reports or the fold would then fail on.

use super::super::rows::Object;
use crate::domain::lifecycle::Step;
use crate::domain::{
    ExamQuestion, FiveFixes, HazardEventKind, OnsiteMeasures, OrderTerms, Referral, Supervision,
    TemplateRef,
};
use crate::storage::{Result, StoreError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Checks the JSON-text fields of a record of `kind`.
pub(super) fn check(kind: &str, object: &Object) -> Result<()> {
    match kind {
        "inspections" => exactly::<Vec<TemplateRef>>(object, "templates", "检查表列表"),
        "hazards" => {
            exactly::<Option<FiveFixes>>(object, "fixes", "五落实")?;
            exactly::<Option<Supervision>>(object, "supervision", "挂牌督办")
        }
        "exams" => exactly::<Vec<ExamQuestion>>(object, "questions", "考题"),
        "documents" => match object.get("kind").and_then(Value::as_str) {
            Some("onsite_measures") if object.get("content").is_none_or(Value::is_null) => Err(
                StoreError::Invalid("现场处理措施决定书缺少决定内容（content）".into()),
            ),
            Some("onsite_measures") => {
                exactly::<OnsiteMeasures>(object, "content", "现场处理措施")?;
                let Some(Value::String(text)) = object.get("content") else {
                    return Ok(());
                };
                match serde_json::from_str::<OnsiteMeasures>(text).map(|m| m.problem()) {
                    Ok(Some(why)) => Err(StoreError::Invalid(format!("现场处理措施决定书：{why}"))),
                    _ => Ok(()),
                }
            }
            Some("rectification_order") => exactly::<OrderTerms>(object, "content", "整改期限"),
            Some("referral") => {
                exactly::<Referral>(object, "content", "移交单位")?;
                match object
                    .get("content")
                    .and_then(Value::as_str)
                    .map(serde_json::from_str::<Referral>)
                {
                    Some(Ok(r)) if !r.to.trim().is_empty() => Ok(()),
                    _ => Err(StoreError::Invalid(
                        "事故隐患移交书须写明接收移交的单位（content.to）".into(),
                    )),
                }
            }
            _ if object.get("content").is_some_and(|c| !c.is_null()) => Err(StoreError::Invalid(
                "只有现场处理措施决定书、责令限期整改指令书和事故隐患移交书带有决定内容（content）"
                    .into(),
            )),
            _ => Ok(()),
        },
        "evidence" => field_values(object),
        "hazard_events" => payload(object),
        "addenda" => match object.get("text") {
            Some(Value::String(t)) if t.trim().is_empty() => Err(StoreError::Invalid(
                "字段 text（补记内容）是空的：补记须写明内容".into(),
            )),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// The field's JSON text reads as `T` and writes back the same (no member unknown to paicha,
/// none missing, every value of its type).
fn exactly<T: DeserializeOwned + Serialize>(
    object: &Object,
    field: &str,
    what: &str,
) -> Result<()> {
    let Some(Value::String(text)) = object.get(field) else {
        return Ok(()); // null where the schema allows it; the shape check covers the rest
    };
    let bad = || {
        StoreError::Invalid(format!(
            "字段 {field}（{what}）的内容不符合格式（见 docs/bundle-format.md 第 4 节）"
        ))
    };
    let value: Value = serde_json::from_str(text).map_err(|_| bad())?;
    let typed: T = serde_json::from_value(value.clone()).map_err(|_| bad())?;
    if serde_json::to_value(&typed).map_err(|_| bad())? != value {
        return Err(bad());
    }
    Ok(())
}

/// Evidence values: an object of field keys to a boolean, a number or a text.
fn field_values(object: &Object) -> Result<()> {
    let Some(Value::String(text)) = object.get("field_values") else {
        return Ok(());
    };
    let ok = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map
            .values()
            .all(|v| v.is_boolean() || v.is_number() || v.is_string()),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(
            "字段 field_values（查证记录的各项内容）应为对象，每项为真假值、数字或文本".into(),
        ))
    }
}

/// An event's payload: `{}` for 登记, otherwise the step its kind names.
fn payload(object: &Object) -> Result<()> {
    let (Some(Value::String(kind)), Some(Value::String(text))) =
        (object.get("kind"), object.get("payload"))
    else {
        return Ok(());
    };
    let Ok(kind) = HazardEventKind::parse(kind) else {
        return Ok(()); // the code check names it
    };
    let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let fits = if kind == HazardEventKind::Registered {
        value == Value::Object(Default::default())
    } else {
        serde_json::from_value::<Step>(value.clone()).is_ok_and(|step| {
            step.kind() == kind && serde_json::to_value(&step).is_ok_and(|v| v == value)
        })
    };
    if fits {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "字段 payload 的内容与办理类型“{}”不符（见 docs/bundle-format.md 第 4 节）",
            kind.label()
        )))
    }
}
