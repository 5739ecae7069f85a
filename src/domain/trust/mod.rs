//! Who may write what when every laptop is offline: the office's signed roster of people,
//! keys and roles ([`roster`]), the roles and the table of who may take which step
//! ([`roles`]), and the one function that decides ([`permission::authorize`]).

pub mod admission;
pub mod entry;
pub mod permission;
pub mod roles;
pub mod roster;

pub use permission::{Action, Actor, authorize};
pub use roles::{Permissions, Role};
pub use roster::{Body, Entry, KeyStanding, Person, Roster, RosterError, SignedEntry};

/// How far ahead of the receiving laptop's clock a record's own time may be (clocks of
/// laptops drift; a day is generous). Anything later is refused as dated in the future.
pub const CLOCK_SKEW: chrono::TimeDelta = chrono::TimeDelta::days(1);

#[cfg(test)]
mod tests;
