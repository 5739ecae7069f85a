//! Reports made from the records: the weekly feedback on transferred hazards, the list of
//! enterprises to visit next, and the campaign's own rules as warnings. Pure functions over
//! loaded data; the CLI and the TUI print them.

pub mod gather;
pub mod hazard_list;
pub mod listing;
pub mod month_lists;
pub mod monthly;
pub mod targeting;
pub mod warnings;
pub mod weekly;

use crate::domain::lifecycle::Status;
use crate::domain::{Hazard, HazardEvent, Record};

/// A hazard with everything a report needs about it.
#[derive(Debug, Clone)]
pub struct HazardFacts {
    pub hazard: Record<Hazard>,
    pub events: Vec<Record<HazardEvent>>,
    pub status: Status,
    pub enterprise_name: String,
}
