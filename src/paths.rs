//! Where paicha keeps its data.

use std::path::PathBuf;

/// The platform's per-user data directory for paicha (e.g. `~/.local/share/paicha` on Linux).
pub fn default_data_dir() -> Result<PathBuf, String> {
    directories::ProjectDirs::from("cn", "paicha", "paicha")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            "无法确定本机用户的数据目录，请用 --data-dir 或环境变量 PAICHA_DATA_DIR 指定"
                .to_string()
        })
}

/// Where files for people (documents, lists, key cards) are offered: the user's Documents
/// folder when there is one, else the data folder.
pub fn documents_dir(data_dir: &std::path::Path) -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(std::path::Path::to_path_buf))
        .filter(|d| d.is_dir())
        .unwrap_or_else(|| data_dir.to_path_buf())
}
