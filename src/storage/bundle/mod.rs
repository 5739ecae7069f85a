//! What findings bundles need from the database: the record kinds and their columns, records
//! as JSON objects, the canonical form of an inspection and its signatures, and the export
//! selection and the all-or-nothing import (in `export` and `import`).

pub mod canonical;
pub mod export;
pub mod import;
pub mod kinds;
pub mod rows;
mod selection;
pub mod sign;
pub mod verify;
