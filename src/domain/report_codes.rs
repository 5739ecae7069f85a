//! The row codes of the monthly progress table (进展情况调度表), as in `domain.md`.

/// Every row of the table, in order.
pub const ALL: [&str; 36] = [
    "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10", //
    "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", //
    "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", //
    "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8",
];

/// The rows a checklist item can feed: B2–B8 count enterprises whose spot check found the
/// item non-compliant. (B1 counts every enterprise checked; A, C and D come from hazards,
/// enforcement and the activity log.)
pub const ITEM_FED: [&str; 7] = ["B2", "B3", "B4", "B5", "B6", "B7", "B8"];

pub fn exists(code: &str) -> bool {
    ALL.contains(&code)
}

pub fn fed_by_items(code: &str) -> bool {
    ITEM_FED.contains(&code)
}
