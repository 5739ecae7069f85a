//! `manifest.json`: what a bundle is, who made it, what it covers and the SHA-256 of every
//! other entry. `manifest.sig` holds the exporter's ed25519 signature of its exact bytes.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const FORMAT: &str = "paicha-bundle";
pub const FORMAT_VERSION: u64 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const SIGNATURE: &str = "manifest.sig";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u64,
    pub producer: String,
    /// `findings` (laptop → office) or `ledger` (office → laptops).
    pub kind: String,
    pub replica_id: String,
    pub exporter: Exporter,
    pub created_at: String,
    pub covers: Covers,
    /// Records per kind name.
    pub counts: BTreeMap<String, u64>,
    /// Every other entry by its path in the zip.
    pub entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Exporter {
    pub inspector_id: String,
    pub name: String,
    pub public_key: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Covers {
    /// Records final at or after this time; `null` for everything.
    pub from: Option<String>,
    pub until: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub sha256: String,
    pub bytes: u64,
    /// Lines (records) in a JSON Lines entry; 0 for an attachment.
    pub lines: u64,
}

/// Where a record kind's lines are.
pub fn records_entry(kind: &str) -> String {
    format!("records/{kind}.jsonl")
}
