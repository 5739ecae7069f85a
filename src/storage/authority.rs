//! Applying `domain::trust::authorize` to what is written here: the actor is this device's
//! profile, with the person the roster enrolled its key for.

use super::{Result, Stamp, StoreError};
use crate::domain::trust::{Action, Actor, KeyStanding, authorize};
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
        Some(r) => own_public_key(tx, author)?.and_then(|k| match r.standing(&k, author) {
            KeyStanding::Enrolled(p) => Some(p),
            _ => None,
        }),
        None => None,
    };
    let actor = Actor {
        inspector_id: author,
        person,
        name: &name,
    };
    authorize(&stamp.permissions, roster.as_ref(), &actor, action).map_err(StoreError::Invalid)
}

/// The public half of this device's key for `inspector`, if it has one (none is made here).
fn own_public_key(tx: &Connection, inspector: uuid::Uuid) -> Result<Option<String>> {
    let db = tx.path().map(std::path::PathBuf::from).unwrap_or_default();
    let keys_dir =
        crate::identity::Keys::in_data_dir(db.parent().unwrap_or(std::path::Path::new(".")));
    Ok(keys_dir
        .get(inspector)
        .map_err(super::bundle::sign::key_error)?
        .map(|k| keys::public_hex(&k)))
}
