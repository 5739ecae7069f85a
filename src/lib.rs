//! paicha (排查): field inspections, hazard ledger and reports for county work-safety
//! inspectors, kept in one local SQLite file.

pub mod app;
pub mod backup;
pub mod bundle;
pub mod cli;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod embedded;
pub mod identity;
pub mod media;
pub mod paths;
pub mod report;
pub mod roster;
pub mod storage;
pub mod support_log;
pub mod templates;
pub mod ui;
