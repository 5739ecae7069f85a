//! Storage errors, with messages in the user's language.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("无法创建数据目录 {path}：{reason}")]
    CreateDir { path: PathBuf, reason: String },
    #[error("数据目录 {path} 不可写，记录无法保存。请检查权限，或用 --data-dir 指定可写的目录")]
    ReadOnly { path: PathBuf },
    #[error("磁盘已满，本次操作未保存（之前保存的记录完好）。请清理磁盘空间后重试")]
    DiskFull,
    #[error(
        "数据库文件 {path} 已损坏或不是 paicha 的数据库。程序没有改动它，也不会覆盖它。请从备份恢复，或用 --data-dir 指定其他数据目录"
    )]
    Corrupt { path: PathBuf },
    #[error(
        "数据库 {path} 来自更新版本的 paicha（数据版本 {found}，本程序最高支持 {supported}）。为保护数据，本程序不会打开或改动它，请升级 paicha"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("数据库文件已损坏，本次操作未能完成。请退出 paicha，用备份恢复数据目录")]
    Damaged,
    #[error("数据目录不可写，本次操作没有保存。请检查权限，或用 --data-dir 指定可写的目录")]
    NotWritable,
    #[error("数据正被另一个 paicha 进程使用，请稍后重试")]
    Busy,
    #[error("该检查已定稿，记录不能再修改；如需更正，请新建更正记录")]
    Frozen,
    #[error("记录一经保存不能修改或删除；如需更正，请新建更正记录")]
    Immutable,
    #[error("找不到{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    /// An import not applied now but kept for a clerk's review (the reason says why).
    #[error("{0}")]
    Held(String),
    /// A bundle brought an office's roster to a database that trusts no office yet: the user
    /// must compare the fingerprint with the one shown at the office.
    #[error(
        "数据包带来了“{office}”的人员名册（办公室指纹 {fingerprint}）。这台电脑还没有信任任何办公室：请与办公室当面核对指纹，一致后用 paicha import --office-fingerprint \"{fingerprint}\" 导入（界面中按提示确认）"
    )]
    UnknownOffice { office: String, fingerprint: String },
    /// An unexpected database error: the user reads its code, never SQLite's English text.
    #[error("数据库出错，本次操作没有保存（错误代码 {}）", sqlite_code(.0))]
    Sqlite(rusqlite::Error),
    #[error("数据库中的记录格式有误：{0}")]
    Json(#[from] serde_json::Error),
    /// A dry-run import worked everything out and rolled back: what it would have done.
    #[error("试运行：没有写入任何数据")]
    DryRun(Box<super::bundle::import::ImportReport>),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(f, msg) = &e {
            // Our own immutability triggers speak through RAISE(ABORT, 'paicha: …').
            if let Some(m) = msg.as_deref().filter(|m| m.starts_with("paicha:")) {
                return if m.contains("cannot be changed") {
                    StoreError::Frozen
                } else if m.contains("are for finalized") || m.contains("only a finalized") {
                    StoreError::Invalid("只能对已定稿的检查记录补记、更正或签名".into())
                } else if m.contains("does not exist") {
                    StoreError::Invalid("附件所附的记录不存在".into())
                } else {
                    StoreError::Immutable
                };
            }
            // A constraint that a record in a bundle (or a bug) broke, in the user's words.
            if f.code == C::ConstraintViolation
                && let Some(m) = msg.as_deref()
            {
                let field = column_label(m.rsplit(": ").next().unwrap_or(m));
                return StoreError::Invalid(if m.starts_with("NOT NULL") {
                    format!("必填字段“{field}”是空的")
                } else if m.starts_with("UNIQUE") {
                    format!("与已有记录重复（{field}）")
                } else if m.starts_with("FOREIGN KEY") {
                    "引用的记录不存在".to_string()
                } else if m.starts_with("CHECK") {
                    // "CHECK constraint failed: seq > 0": the column is the rule's first word.
                    let column: String = m
                        .rsplit(": ")
                        .next()
                        .unwrap_or(m)
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    let label = column_label(&column);
                    if column.is_empty() || label == "字段" {
                        "字段的值不在允许的范围内".to_string()
                    } else {
                        format!("“{label}”（{column}）的值不在允许的范围内")
                    }
                } else {
                    "记录不符合数据规则".to_string()
                });
            }
            match f.code {
                C::DiskFull => return StoreError::DiskFull,
                C::DatabaseBusy | C::DatabaseLocked => return StoreError::Busy,
                C::DatabaseCorrupt | C::NotADatabase => return StoreError::Damaged,
                C::ReadOnly | C::CannotOpen | C::PermissionDenied => {
                    return StoreError::NotWritable;
                }
                _ => {}
            }
        }
        StoreError::Sqlite(e)
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// SQLite's numeric code of an error (its text is English and stays in the debug output).
fn sqlite_code(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => f.extended_code.to_string(),
        _other => "内部".to_string(),
    }
}

/// The user's word for a column SQLite names in a constraint message (`table.column, …`):
/// never the SQL name itself.
fn column_label(columns: &str) -> String {
    let labels: Vec<&str> = columns
        .split(',')
        .map(|c| c.trim().rsplit('.').next().unwrap_or(""))
        .map(|c| match c {
            "id" => "编号",
            "credit_code" => "统一社会信用代码",
            "number" | "seq" | "series" => "文书编号",
            "subject_id" => "文书对象",
            "kind" => "种类",
            "year" => "年份",
            "inspection_id" => "检查记录",
            "item_code" => "检查项",
            "position" => "检查项顺序",
            "inspector_id" => "检查人员",
            "hazard_id" => "隐患",
            "record_table" | "record_id" => "记录",
            "name" => "名称",
            _ => "字段",
        })
        .collect();
    let mut unique: Vec<&str> = Vec::new();
    for l in labels {
        if !unique.contains(&l) {
            unique.push(l);
        }
    }
    unique.join("、")
}

/// A file-system error in the user's words.
pub fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "路径不存在".to_string(),
        K::PermissionDenied => "没有权限".to_string(),
        K::ReadOnlyFilesystem => "文件系统是只读的".to_string(),
        K::StorageFull => "磁盘已满".to_string(),
        K::AlreadyExists => "同名文件已存在".to_string(),
        K::NotADirectory => "路径中有一部分不是目录".to_string(),
        K::IsADirectory => "这是一个目录，不是文件".to_string(),
        K::InvalidData => "文件内容无法读取".to_string(),
        K::InvalidFilename => {
            "文件名或路径太长，或含有系统不允许的字符：请换一个短些的名字".to_string()
        }
        K::DirectoryNotEmpty => "目录不是空的".to_string(),
        K::CrossesDevices => "不能跨磁盘移动文件".to_string(),
        K::FileTooLarge => "文件太大".to_string(),
        K::TimedOut => "操作超时（U 盘或网络盘可能已断开）".to_string(),
        _ => format!("系统错误（{e}）"),
    }
}

#[cfg(test)]
mod tests {
    use super::describe_io;

    #[test]
    fn an_over_long_file_name_is_said_so_in_chinese() {
        let dir = tempfile::tempdir().expect("dir");
        let long = dir.path().join(format!("{}.paicha", "长".repeat(120)));
        let Err(e) = std::fs::write(&long, b"x") else {
            panic!("a 360-byte name is refused by every file system we run on")
        };
        assert!(describe_io(&e).contains("太长"), "{}", describe_io(&e));
    }
}
