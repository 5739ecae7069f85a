//! "May this person, with this key, now, do this?": one function, [`authorize`], for the TUI,
//! the CLI and every import alike. Who is who comes from the office's roster; what each role
//! may do from the permissions table in `config/rules.toml`.

use super::roles::{Permissions, Role, labels};
use super::roster::{Person, Roster};
use crate::domain::lifecycle::Step;
use crate::domain::{HazardGrade, HazardSource};
use uuid::Uuid;

/// Who is acting: the laptop profile whose key signs, and the person the roster enrolled that
/// key for.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub inspector_id: Uuid,
    /// `None` when there is no roster yet or the key is not (yet) enrolled: such an actor is
    /// taken as an inspector and nothing more (the office checks again on import).
    pub person: Option<&'a Person>,
    /// The name to use in messages.
    pub name: &'a str,
}

impl Actor<'_> {
    /// The roles in force.
    pub fn roles(&self) -> Vec<Role> {
        match self.person {
            Some(p) => p.roles().to_vec(),
            None => vec![Role::Inspector],
        }
    }

    fn holds_any(&self, allowed: &[Role]) -> bool {
        self.roles().iter().any(|r| allowed.contains(r))
    }

    fn roles_text(&self) -> String {
        let roles = self.roles();
        match self.person {
            None => "尚未在办公室名册登记（按检查人员对待）".to_string(),
            Some(_) if roles.is_empty() => "在名册中没有任何角色".to_string(),
            Some(_) => format!(
                "的角色是{}",
                roles
                    .iter()
                    .map(|r| r.label())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        }
    }
}

/// What is being done.
#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    /// 登记 of a hazard; `inspectors`: those of the inspection it was found on, if any.
    RegisterHazard {
        source: HazardSource,
        inspectors: Option<&'a [Uuid]>,
    },
    /// A step of a hazard's closed loop. `grade` decides a close-out: the hazard's grade where
    /// the step is taken, major if it ever was (`Status::close_out_grade`); `hazard_author`
    /// the inspector who recorded the hazard.
    Step {
        step: &'a Step,
        grade: HazardGrade,
        hazard_author: Uuid,
    },
    /// An enterprise added to or edited in the register.
    Enterprise,
    /// Signing an inspection as one of its inspectors.
    Inspect,
    /// An enforcement action, an activity or an addendum.
    Record,
    /// A correction of an enforcement action or an activity recorded by `original_author`.
    Correction { original_author: Uuid },
    /// A photo, video or scan attached as evidence: to an inspection, one of its items or
    /// evidence records, or an enforcement action (whoever may record an addendum), or to a
    /// hazard or one of its steps (whoever may take a working step on a hazard).
    Attach { to_hazard: bool },
}

/// Whether `actor` may do `action`; the refusal says who may, in Chinese.
pub fn authorize(
    permissions: &Permissions,
    roster: Option<&Roster>,
    actor: &Actor,
    action: &Action,
) -> Result<(), String> {
    let refuse = |what: &str, allowed: &[Role]| {
        Err(format!(
            "“{what}”须由{}办理；{}{}",
            labels(allowed),
            actor.name,
            actor.roles_text()
        ))
    };
    match action {
        Action::Inspect => {
            if actor.holds_any(&permissions.register_on_inspection) {
                Ok(())
            } else {
                refuse("签署检查记录", &permissions.register_on_inspection)
            }
        }
        Action::Enterprise => {
            if actor.holds_any(&permissions.enterprise) {
                Ok(())
            } else {
                refuse("登记或修改企业", &permissions.enterprise)
            }
        }
        Action::Record => {
            if actor.holds_any(&permissions.record) {
                Ok(())
            } else {
                refuse("记录执法措施或工作", &permissions.record)
            }
        }
        Action::Correction { original_author } => {
            if !actor.holds_any(&permissions.record) {
                return refuse("记录执法措施或工作", &permissions.record);
            }
            if is_author(roster, actor, *original_author) || actor.holds_any(&permissions.correct) {
                Ok(())
            } else {
                refuse("更正他人登记的执法措施或工作", &permissions.correct)
            }
        }
        Action::Attach { to_hazard: false } => {
            if actor.holds_any(&permissions.record) {
                Ok(())
            } else {
                refuse("添加照片、视频或扫描件", &permissions.record)
            }
        }
        Action::Attach { to_hazard: true } => {
            let mut allowed: Vec<Role> = Vec::new();
            for role in [
                &permissions.transfer,
                &permissions.rectify,
                &permissions.report_rectified,
                &permissions.verify,
            ]
            .into_iter()
            .flatten()
            {
                if !allowed.contains(role) {
                    allowed.push(*role);
                }
            }
            if actor.holds_any(&allowed) {
                Ok(())
            } else {
                refuse("为隐患添加照片、视频或扫描件", &allowed)
            }
        }
        Action::RegisterHazard { source, inspectors } => match inspectors {
            Some(list) if *source == HazardSource::Inspection || !list.is_empty() => {
                if !actor.holds_any(&permissions.register_on_inspection) {
                    refuse("登记检查发现的隐患", &permissions.register_on_inspection)
                } else if !list.contains(&actor.inspector_id) {
                    Err(format!(
                        "{} 不是这次检查的检查人员，不能登记这次检查发现的隐患",
                        actor.name
                    ))
                } else {
                    Ok(())
                }
            }
            _ => {
                if actor.holds_any(&permissions.register_office_source) {
                    Ok(())
                } else {
                    refuse(
                        &format!("登记{}的隐患", source.label()),
                        &permissions.register_office_source,
                    )
                }
            }
        },
        Action::Step {
            step,
            grade,
            hazard_author,
        } => step_allowed(permissions, roster, actor, step, *grade, *hazard_author),
    }
}

fn step_allowed(
    permissions: &Permissions,
    roster: Option<&Roster>,
    actor: &Actor,
    step: &Step,
    grade: HazardGrade,
    hazard_author: Uuid,
) -> Result<(), String> {
    let need = |what: &str, allowed: &[Role]| {
        if actor.holds_any(allowed) {
            Ok(())
        } else {
            Err(format!(
                "“{what}”须由{}办理；{}{}",
                labels(allowed),
                actor.name,
                actor.roles_text()
            ))
        }
    };
    match step {
        Step::Transfer { .. } => need("移交", &permissions.transfer),
        Step::Rectify { .. } => need("整改中", &permissions.rectify),
        Step::ReportRectified => need("报告整改完成", &permissions.report_rectified),
        Step::Verify { .. } => need("验收", &permissions.verify),
        Step::ListForSupervision { .. } => need("挂牌督办", &permissions.list_for_supervision),
        Step::Number { .. } => need("编号", &permissions.number),
        // A grade decides who may close a hazard out: changing it is not the author's to do.
        Step::Correct { field, .. } if field == "grade" => {
            need("更正隐患等级", &permissions.correct)
        }
        Step::Correct { .. } => {
            if is_author(roster, actor, hazard_author) {
                Ok(())
            } else {
                need("更正（他人登记的隐患）", &permissions.correct)
            }
        }
        Step::CloseOut {
            signer, signer_id, ..
        } => {
            if grade == HazardGrade::General {
                return need("一般隐患销号", &permissions.close_out_general);
            }
            close_out_major(permissions, roster, actor, signer, *signer_id)
        }
    }
}

/// Whether `actor` recorded what `author` (a laptop profile) recorded: the same profile, or
/// the same person on another of their laptops.
fn is_author(roster: Option<&Roster>, actor: &Actor, author: Uuid) -> bool {
    actor.inspector_id == author
        || match (actor.person, roster.and_then(|r| r.author_person(author))) {
            (Some(a), Some(b)) => a.id == b.id,
            _ => false,
        }
}

/// 销号 of a major hazard: the close-out leader with their own key, or a clerk recording the
/// written sign-off of a leader the roster names.
fn close_out_major(
    permissions: &Permissions,
    roster: Option<&Roster>,
    actor: &Actor,
    signer: &str,
    signer_id: Option<Uuid>,
) -> Result<(), String> {
    let Some(roster) = roster else {
        return Err(
            "重大事故隐患销号须经县分管领导签字确认，但本机还没有办公室名册：\
             请在办公室运行 paicha office init，并用 paicha roster add 登记销号签字领导"
                .to_string(),
        );
    };
    let is_leader = |p: &Person| {
        p.roles()
            .iter()
            .any(|r| permissions.close_out_major.contains(r))
    };
    let leaders: Vec<&Person> = roster.people.values().filter(|p| is_leader(p)).collect();
    let signer = signer.trim();
    // The leader signs with their own key: the step names them, by id and by name.
    if let Some(me) = actor.person
        && is_leader(me)
        && signer == me.name
        && signer_id.is_none_or(|id| id == me.id)
    {
        return Ok(());
    }
    // A clerk records the written sign-off of a leader the roster names.
    if actor.holds_any(&permissions.close_out_major_on_paper) {
        let named = match signer_id {
            Some(id) => match roster.people.get(&id) {
                Some(p) if is_leader(p) => Some(p),
                Some(p) => {
                    return Err(format!(
                        "签字领导的名册编号指向 {}，不是名册中的销号签字领导。可签字的领导：{}",
                        p.name,
                        names(&leaders)
                    ));
                }
                None => {
                    return Err(format!(
                        "签字领导的名册编号不在名册中。可签字的领导：{}",
                        names(&leaders)
                    ));
                }
            },
            None => leaders.iter().copied().find(|p| p.name == signer),
        };
        return match named {
            Some(p) if p.name == signer => Ok(()),
            Some(p) => Err(format!(
                "签字领导的姓名“{signer}”与名册中的 {} 不一致",
                p.name
            )),
            None => Err(format!(
                "“{signer}”不是名册中的销号签字领导。可签字的领导：{}",
                names(&leaders)
            )),
        };
    }
    Err(format!(
        "重大事故隐患销号须由名册中的销号签字领导（{}）本人签字，或由{}据其书面签字确认录入；{}{}",
        names(&leaders),
        labels(&permissions.close_out_major_on_paper),
        actor.name,
        actor.roles_text()
    ))
}

fn names(people: &[&Person]) -> String {
    if people.is_empty() {
        "名册中还没有，请用 paicha roster add 登记".to_string()
    } else {
        people
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }
}
