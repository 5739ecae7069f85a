//! Making a rename durable: after renaming a file into a folder, the folder's entry must
//! reach the disk too, or a power cut can lose the file although its bytes were synced.

use std::path::Path;

/// Syncs `dir`'s entries to disk.
///
/// Unix: fsync of the folder, the documented way.
///
/// Windows: a no-op, by decision. `File::open` of a folder fails there (it needs
/// FILE_FLAG_BACKUP_SEMANTICS), and FlushFileBuffers on a folder handle needs write access
/// and is not documented for folders. NTFS journals metadata (the rename) itself: the entry
/// is as durable as the file system's log, which is what Windows programs rely on. The
/// file's own bytes are still synced (`sync_all`, i.e. FlushFileBuffers) before the rename.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_syncs_and_a_missing_one_is_an_error_on_unix() {
        let dir = tempfile::tempdir().expect("dir");
        sync_dir(dir.path()).expect("an existing folder syncs");
        let missing = sync_dir(&dir.path().join("gone"));
        #[cfg(unix)]
        assert!(missing.is_err());
        #[cfg(not(unix))]
        assert!(missing.is_ok(), "a no-op on Windows");
    }
}
