//! Applying `domain::trust::authorize` to what is written here: the actor is this device's
//! profile, with the person the roster enrolled its key for.

use super::{Result, Stamp, Store, StoreError};
use crate::domain::trust::{Action, Actor, KeyStanding, Person, Roster, authorize};
use crate::identity::keys;
use rusqlite::Connection;

/// Refuses, with the reason, an `action` the profile writing in `tx` may not take.
pub(super) fn authorize_here(tx: &Connection, stamp: &Stamp, action: &Action) -> Result<()> {
    let author = stamp.author(tx)?;
    let roster = match stamp.roster.get() {
        Some(r) => r,
        None => {
            let loaded = super::roster::load(tx)?;
            stamp.roster.get_or_init(|| loaded)
        }
    };
    let name = super::profile::read_inspector(tx, author)
        .map(|i| i.data.name)
        .unwrap_or_else(|_| super::UNNAMED_PROFILE.to_string());
    let person = match roster {
        Some(r) => enrolled_here(tx, r, author)?,
        None => None,
    };
    let actor = Actor {
        inspector_id: author,
        person,
        name: &name,
    };
    authorize(&stamp.permissions, roster.as_ref(), &actor, action).map_err(StoreError::Invalid)
}

/// The person `roster` enrolled this device's key of the laptop profile `inspector` for, if
/// any (no key is made here: a profile that never signed has none).
pub(super) fn enrolled_here<'r>(
    conn: &Connection,
    roster: &'r Roster,
    inspector: uuid::Uuid,
) -> Result<Option<&'r Person>> {
    let Some(key) = super::bundle::sign::keys_of(conn)
        .get(inspector)
        .map_err(super::bundle::sign::key_error)?
    else {
        return Ok(None);
    };
    Ok(match roster.standing(&keys::public_hex(&key), inspector) {
        KeyStanding::Enrolled(p) => Some(p),
        _ => None,
    })
}

impl Store {
    /// Whether the profile here may do `action`, asked before a form is filled (the write asks
    /// again with what was typed). Nothing is written: with no profile yet, the actor is the
    /// unnamed one a first write would make (an inspector, enrolled nowhere).
    pub fn may(&self, action: &Action) -> Result<std::result::Result<(), String>> {
        let roster = super::roster::load(&self.conn)?;
        let author = super::profile::author_if_any(&self.conn)?;
        let name = author
            .and_then(|id| super::profile::read_inspector(&self.conn, id).ok())
            .map(|i| i.data.name)
            .unwrap_or_else(|| super::UNNAMED_PROFILE.to_string());
        let person = match (&roster, author) {
            (Some(r), Some(id)) => enrolled_here(&self.conn, r, id)?,
            _ => None,
        };
        let actor = Actor {
            inspector_id: author.unwrap_or_else(uuid::Uuid::nil),
            person,
            name: &name,
        };
        Ok(authorize(
            &self.permissions,
            roster.as_ref(),
            &actor,
            action,
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::lifecycle::Step;
    use crate::domain::trust::Action;
    use crate::domain::{HazardEventKind, HazardGrade};

    #[test]
    fn who_may_take_a_step_is_asked_without_writing_anything() {
        let dir = tempfile::tempdir().expect("dir");
        let store = super::super::tests::open(dir.path());
        let ask = |step: &Step| {
            store
                .may(&Action::Step {
                    step,
                    grade: HazardGrade::Major,
                    hazard_author: uuid::Uuid::nil(),
                })
                .expect("read")
        };
        let list = Step::ListForSupervision {
            tracking_person: "李建华".into(),
        };
        let refused = ask(&list).expect_err("an inspector does not list hazards");
        assert!(
            refused.contains("挂牌督办") && refused.contains("组长"),
            "{refused}"
        );
        assert!(refused.contains(super::super::UNNAMED_PROFILE), "{refused}");
        assert_eq!(ask(&Step::ReportRectified), Ok(()));
        assert_eq!(list.kind(), HazardEventKind::ListedForSupervision);
        assert_eq!(
            super::super::profile::author_if_any(&store.conn).expect("meta"),
            None,
            "asking made no profile"
        );
    }
}
