//! Why a bundle was refused, in Chinese. A refused bundle changes nothing.

use crate::storage::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("无法读写 {path}：{reason}")]
    Io { path: String, reason: String },
    #[error("{0} 不是完整的 paicha 数据包（压缩结构损坏或文件被截断），整个数据包不予导入")]
    Corrupt(String),
    #[error("数据包格式不对：{0}，整个数据包不予导入")]
    Malformed(String),
    #[error("数据包格式版本 {found} 比本程序支持的 {supported} 新，请升级 paicha 后再导入")]
    FutureVersion { found: u64, supported: u64 },
    #[error("数据包中的文件名“{0}”不安全（含上级目录或绝对路径），整个数据包不予导入")]
    UnsafePath(String),
    #[error("数据包中有不认识的文件“{0}”，整个数据包不予导入")]
    UnknownEntry(String),
    #[error(
        "数据包清单的签名无效：清单在导出后被改动过，或不是声称的导出人签的名，整个数据包不予导入"
    )]
    BadSignature,
    #[error("数据包中缺少签名文件 manifest.sig，整个数据包不予导入")]
    MissingSignature,
    #[error("数据包中“{0}”的校验值与清单不符：文件在导出后被改动或损坏，整个数据包不予导入")]
    HashMismatch(String),
    #[error("数据包中缺少清单列出的文件“{0}”，整个数据包不予导入")]
    MissingEntry(String),
    #[error(
        "数据包中“{entry}”解压后超过 {limit} 字节的上限（可能是恶意构造的压缩包），整个数据包不予导入"
    )]
    TooLarge { entry: String, limit: u64 },
    #[error("{entry} 第{line}行：{why}，整个数据包不予导入")]
    Line {
        entry: String,
        line: u64,
        why: String,
    },
    #[error("{0} 在预览之后被替换或改动过，没有导入。请重新选择文件导入，先看清将导入的内容")]
    Replaced(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl BundleError {
    pub fn io(path: &std::path::Path, e: &std::io::Error) -> BundleError {
        BundleError::Io {
            path: path.display().to_string(),
            reason: crate::storage::error::describe_io(e),
        }
    }
}
