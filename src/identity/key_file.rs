//! The public-key file `paicha keys --export` writes for the office: `{inspector_id, name,
//! public_key}`. Read here once for the CLI (`paicha roster add --key`, `paicha roster key`)
//! and the TUI's roster screen, with the same checks and the same Chinese refusals.

use std::io::Read;
use std::path::Path;
use uuid::Uuid;

/// A key file is a few hundred bytes; anything much larger is not one (and is not read whole).
const MAX_LEN: u64 = 64 * 1024;

/// A key file as `paicha keys --export` writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFile {
    /// The laptop profile the key belongs to.
    pub inspector_id: Uuid,
    /// The name on that profile (for the clerk to compare; the roster keeps its own).
    pub name: String,
    /// The ed25519 public key, lowercase hex.
    pub public_key: String,
}

/// Why a file is not a usable key file, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeyFileError(pub String);

/// Reads and checks a key file: valid JSON, a UUID `inspector_id`, a usable ed25519
/// `public_key` (canonical lowercase hex).
pub fn read(path: &Path) -> Result<KeyFile, KeyFileError> {
    let fail = |reason: String| KeyFileError(reason);
    let file = std::fs::File::open(path).map_err(|e| {
        fail(format!(
            "无法读取公钥文件 {}：{}",
            path.display(),
            crate::storage::error::describe_io(&e)
        ))
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            fail(format!(
                "无法读取公钥文件 {}：{}",
                path.display(),
                crate::storage::error::describe_io(&e)
            ))
        })?;
    if bytes.len() as u64 > MAX_LEN {
        return Err(fail(format!(
            "{} 太大，不是 paicha keys --export 导出的公钥文件",
            path.display()
        )));
    }
    let value: serde_json::Value = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|text| serde_json::from_str(text).ok())
        .ok_or_else(|| {
            fail(format!(
                "{} 不是 paicha keys --export 导出的公钥文件（不是有效的 JSON）",
                path.display()
            ))
        })?;
    let field = |k: &str| {
        value
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let inspector_id = Uuid::parse_str(&field("inspector_id")).map_err(|_| {
        fail(format!(
            "{} 缺少有效的 inspector_id（人员档案编号）",
            path.display()
        ))
    })?;
    let public_key = field("public_key");
    if !super::keys::valid_public_key(&public_key) {
        return Err(fail(format!(
            "{} 中的 public_key 不是有效的 ed25519 公钥（64 位小写十六进制）",
            path.display()
        )));
    }
    Ok(KeyFile {
        inspector_id,
        name: field("name"),
        public_key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        path
    }

    #[test]
    fn a_good_file_is_read_and_bad_ones_are_refused_in_chinese() {
        let dir = tempfile::tempdir().expect("dir");
        let key =
            crate::identity::keys::public_hex(&ed25519_dalek::SigningKey::from_bytes(&[7; 32]));
        let id = Uuid::now_v7();
        let good = write(
            dir.path(),
            "good.json",
            &format!(r#"{{"inspector_id":"{id}","name":"高峰翔","public_key":"{key}"}}"#),
        );
        assert_eq!(
            read(&good),
            Ok(KeyFile {
                inspector_id: id,
                name: "高峰翔".into(),
                public_key: key.clone(),
            })
        );
        let missing = read(&dir.path().join("none.json")).expect_err("missing");
        assert!(missing.0.contains("路径不存在"), "{missing}");
        let not_json = read(&write(dir.path(), "a.json", "hello")).expect_err("not json");
        assert!(not_json.0.contains("不是有效的 JSON"), "{not_json}");
        let no_id = read(&write(
            dir.path(),
            "b.json",
            &format!(r#"{{"public_key":"{key}"}}"#),
        ))
        .expect_err("no id");
        assert!(no_id.0.contains("inspector_id"), "{no_id}");
        let upper = read(&write(
            dir.path(),
            "c.json",
            &format!(
                r#"{{"inspector_id":"{id}","public_key":"{}"}}"#,
                key.to_uppercase()
            ),
        ))
        .expect_err("upper case");
        assert!(upper.0.contains("不是有效的 ed25519 公钥"), "{upper}");
        let big = read(&write(dir.path(), "d.json", &" ".repeat(70_000))).expect_err("big");
        assert!(big.0.contains("太大"), "{big}");
    }
}
