//! Configuration that is data, not code: sectors, evidence forms, checklists, exam banks, the
//! campaign and rule thresholds. Shipped files under `config/` are embedded into the binary as
//! the defaults; the user's config directory overrides or extends them. Every error names its
//! file, line and column.

pub mod campaign;
pub mod catalog;
pub mod checklist;
pub mod error;
pub mod exam_bank;
pub mod forms;
pub mod period;
pub mod sectors;

pub use catalog::{Catalog, Origin};
pub use error::ConfigError;
