//! One TUI per data directory. SQLite keeps concurrent writes safe; this lock keeps two
//! windows from editing the same draft at once, and says so clearly.

use crate::storage::error::describe_io;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

pub struct DataDirLock {
    _file: File,
}

pub const LOCK_FILE: &str = "paicha.lock";

impl DataDirLock {
    pub fn acquire(data_dir: &Path) -> anyhow::Result<Self> {
        let path = data_dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                anyhow::anyhow!("无法创建锁文件 {}：{}", path.display(), describe_io(&e))
            })?;
        match file.try_lock() {
            Ok(()) => Ok(DataDirLock { _file: file }),
            Err(TryLockError::WouldBlock) => anyhow::bail!(
                "数据目录 {} 正被另一个 paicha 窗口使用。请先在那个窗口按 q 退出，再打开这里",
                data_dir.display()
            ),
            Err(TryLockError::Error(e)) => {
                anyhow::bail!(
                    "无法锁定数据目录 {}：{}",
                    data_dir.display(),
                    describe_io(&e)
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_dir_is_refused_with_a_clear_message() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = DataDirLock::acquire(dir.path()).expect("first lock");
        let second = DataDirLock::acquire(dir.path())
            .err()
            .expect("second refused");
        assert!(
            second.to_string().contains("正被另一个 paicha 窗口使用"),
            "{second}"
        );
        drop(first);
        assert!(
            DataDirLock::acquire(dir.path()).is_ok(),
            "free again after release"
        );
    }
}
