//! Findings bundles: one `.paicha` file (a zip) that carries finalized records between field
//! laptops and the office, signed and hashed so the office can prove who recorded what and
//! that nothing changed on the way. The format is in docs/bundle-format.md.

mod error;
pub mod manifest;
pub mod read;
pub mod write;

pub use error::BundleError;
pub use read::{ImportLimits, import};
pub use write::{ExportOptions, ExportSummary, export};

/// The file name extension of a bundle.
pub const EXTENSION: &str = "paicha";
