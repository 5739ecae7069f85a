//! The public-key card an inspector hands to the office to be enrolled: who, and the public
//! half of their key, as a small JSON file (`paicha keys --export`, or `e` on the roster
//! screen). The office reads it with `roster add --key` or the roster screen's `g`.

use serde::Serialize;
use std::path::Path;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyCard {
    pub inspector_id: Uuid,
    pub name: String,
    /// ed25519, hex.
    pub public_key: String,
}

impl KeyCard {
    /// Writes the card; the message says why not, in Chinese.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| {
            format!(
                "无法写入 {}：{}",
                path.display(),
                crate::storage::describe_io(&e)
            )
        })
    }

    /// The default file name: the person's name, so the office sees whose it is.
    pub fn file_name(&self) -> String {
        format!("{}-公钥.json", self.name)
    }
}
