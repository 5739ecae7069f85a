//! Configuration that is data, not code: sectors now; checklists and the campaign next.
//! Shipped files under `config/` are embedded into the binary as the defaults.

pub mod forms;
pub mod sectors;
