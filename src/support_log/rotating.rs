//! A log file capped by size: `paicha.log`, then `paicha.log.1`, `paicha.log.2`, … up to a
//! number of files, the oldest dropped. Time-based rotation (tracing-appender's) would let a
//! busy day grow the file without bound on a laptop's small disk; a size cap cannot.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub struct RotatingFile {
    /// The data dir: the log folder is made inside it only while it exists, so a mistyped
    /// `--data-dir` leaves nothing behind.
    data_dir: PathBuf,
    dir: PathBuf,
    name: &'static str,
    max_bytes: u64,
    /// How many files at most, the current one included (at least 1).
    keep: usize,
    file: Option<File>,
}

impl RotatingFile {
    pub fn new(data_dir: &Path, name: &'static str, max_bytes: u64, keep: usize) -> Self {
        RotatingFile {
            data_dir: data_dir.to_path_buf(),
            dir: data_dir.join(super::LOG_DIR),
            name,
            max_bytes,
            keep: keep.max(1),
            file: None,
        }
    }

    /// The current file; older ones are `<path>.1`, `<path>.2`, ….
    pub fn path(&self) -> PathBuf {
        self.dir.join(self.name)
    }

    fn numbered(&self, n: usize) -> PathBuf {
        self.dir.join(format!("{}.{n}", self.name))
    }

    /// Appends `line` (newline included), starting a new file first when it would pass the cap.
    pub fn write_line(&mut self, line: &str) -> io::Result<()> {
        let len = match &self.file {
            // Another paicha process may append to the same file: its length, not ours.
            Some(f) => f.metadata()?.len(),
            None => self.open()?,
        };
        if len > 0 && len + line.len() as u64 > self.max_bytes {
            self.rotate()?;
        }
        match self.file.as_mut() {
            // One write per line: appends of two processes do not interleave within a line.
            Some(f) => f.write_all(line.as_bytes()),
            None => Err(io::Error::other("log file not open")),
        }
    }

    /// Opens the current file for appending; its length.
    fn open(&mut self) -> io::Result<u64> {
        if !self.data_dir.is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no data dir"));
        }
        std::fs::create_dir_all(&self.dir)?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.path())?;
        let len = file.metadata()?.len();
        self.file = Some(file);
        Ok(len)
    }

    /// paicha.log.(keep-2) → .(keep-1), …, paicha.log → .1, then a new paicha.log.
    fn rotate(&mut self) -> io::Result<()> {
        self.file = None; // Windows renames no open file
        if self.keep == 1 {
            let _ = std::fs::remove_file(self.path());
        } else {
            for n in (1..self.keep - 1).rev() {
                let from = self.numbered(n);
                if from.exists() {
                    std::fs::rename(&from, self.numbered(n + 1))?;
                }
            }
            std::fs::rename(self.path(), self.numbered(1))?;
        }
        self.open().map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<(String, u64)> {
        let mut found: Vec<(String, u64)> = std::fs::read_dir(dir.join(super::super::LOG_DIR))
            .expect("log dir")
            .map(|e| {
                let e = e.expect("entry");
                let len = e.metadata().expect("meta").len();
                (e.file_name().to_string_lossy().into_owned(), len)
            })
            .collect();
        found.sort();
        found
    }

    #[test]
    fn the_log_rotates_by_size_and_keeps_a_fixed_number_of_files() {
        let dir = tempfile::tempdir().expect("dir");
        let mut log = RotatingFile::new(dir.path(), "t.log", 100, 3);
        for i in 0..40 {
            log.write_line(&format!("line {i:02} .......\n"))
                .expect("write");
        }
        let found = files(dir.path());
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["t.log", "t.log.1", "t.log.2"]);
        assert!(found.iter().all(|(_, len)| *len <= 100), "{found:?}");
        let read =
            |name: &str| std::fs::read_to_string(dir.path().join("logs").join(name)).expect("read");
        // The newest line is in the current file, the ones before it in .1 then .2; the
        // oldest lines were dropped.
        assert!(read("t.log").ends_with("line 39 .......\n"));
        assert!(read("t.log.2").contains("line 2"));
        assert!(
            !format!("{}{}{}", read("t.log"), read("t.log.1"), read("t.log.2")).contains("line 00")
        );
    }

    #[test]
    fn nothing_is_written_without_the_data_dir() {
        let dir = tempfile::tempdir().expect("dir");
        let missing = dir.path().join("typo");
        let mut log = RotatingFile::new(&missing, "t.log", 100, 3);
        assert!(log.write_line("x\n").is_err());
        assert!(!missing.exists(), "a mistyped data dir is not created");
    }
}
