//! Where the inspector was in the app, so that reopening after a crash or a closed lid returns
//! to the same draft, screen and item. Kept in `meta`; not a record (nothing of evidence).

use super::{Result, Store};
use rusqlite::{OptionalExtension, params};

const PLACE_KEY: &str = "ui_place";
/// The folder the TUI last wrote documents to (this device's choice, not a record).
const DOCUMENT_FOLDER_KEY: &str = "ui_document_folder";
/// The folder the TUI last attached photos from (this device's, not a record).
const ATTACH_FOLDER_KEY: &str = "ui_attach_folder";

impl Store {
    /// Remembers the app's place (an opaque text the app writes and reads back).
    pub fn remember_place(&mut self, place: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![PLACE_KEY, place],
        )?;
        Ok(())
    }

    pub fn forget_place(&mut self) -> Result<()> {
        self.conn
            .execute("DELETE FROM meta WHERE key = ?1", [PLACE_KEY])?;
        Ok(())
    }

    pub fn place(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [PLACE_KEY], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Remembers the folder enforcement documents are written to from the TUI.
    pub fn remember_document_folder(&mut self, folder: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![DOCUMENT_FOLDER_KEY, folder],
        )?;
        Ok(())
    }

    /// Remembers the folder files were last attached from.
    pub fn remember_attach_folder(&mut self, folder: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![ATTACH_FOLDER_KEY, folder],
        )?;
        Ok(())
    }

    /// The folder files were last attached from, if any.
    pub fn attach_folder(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [ATTACH_FOLDER_KEY],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The folder last chosen for documents, if any.
    pub fn document_folder(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [DOCUMENT_FOLDER_KEY],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// The form being typed on an office screen (not tied to a draft inspection): the ledger's
/// hazard entry, the monthly table's activity and correction forms.
const LOOSE_FORM_KEY: &str = "ui_office_form";

impl Store {
    /// Remembers the office form being typed (an opaque text), or forgets it (`None`).
    pub fn remember_loose_form(&mut self, form: Option<&str>) -> Result<()> {
        match form {
            Some(text) => self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![LOOSE_FORM_KEY, text],
            )?,
            None => self
                .conn
                .execute("DELETE FROM meta WHERE key = ?1", [LOOSE_FORM_KEY])?,
        };
        Ok(())
    }

    pub fn loose_form(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                [LOOSE_FORM_KEY],
                |r| r.get(0),
            )
            .optional()?)
    }
}
