//! Findings bundles: one `.paicha` file (a zip) that carries finalized records between field
//! laptops and the office, signed and hashed so the office can prove who recorded what and
//! that nothing changed on the way. The format is in docs/bundle-format.md.

mod attach;
mod error;
pub mod held;
pub mod manifest;
pub mod read;
pub mod write;

pub use error::BundleError;
mod summary;

pub use read::{ImportLimits, Trust, import, import_with_progress};
pub use summary::{export_lines, import_lines};
pub use write::{ExportOptions, ExportSummary, export, export_with_progress};

/// The file name extension of a bundle.
pub const EXTENSION: &str = "paicha";
