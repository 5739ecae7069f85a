//! The private keys of this device's inspector profiles, one file per inspector:
//! `<data dir>/keys/<inspector id>.ed25519`, 64 hex digits, mode 0600 in a 0700 folder.

use super::hex;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("无法读写密钥文件 {path}：{reason}")]
    Io { path: PathBuf, reason: String },
    #[error("密钥文件 {0} 已损坏（应为 64 位十六进制数字）")]
    Corrupt(PathBuf),
    #[error("无法取得随机数来生成密钥：{0}")]
    Random(String),
}

/// The key folder of one data dir.
#[derive(Debug, Clone)]
pub struct Keys {
    dir: PathBuf,
}

impl Keys {
    pub fn in_data_dir(data_dir: &Path) -> Keys {
        Keys {
            dir: data_dir.join("keys"),
        }
    }

    fn file(&self, inspector: Uuid) -> PathBuf {
        self.dir.join(format!("{inspector}.ed25519"))
    }

    /// The inspector's private key, if this device holds it.
    pub fn get(&self, inspector: Uuid) -> Result<Option<SigningKey>, KeyError> {
        let path = self.file(inspector);
        match fs::read_to_string(&path) {
            Ok(text) => hex::decode::<32>(text.trim())
                .map(|seed| Some(SigningKey::from_bytes(&seed)))
                .ok_or(KeyError::Corrupt(path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(&path, &e)),
        }
    }

    /// The inspector's private key, made now if this device has none yet (`true` when made).
    pub fn get_or_make(&self, inspector: Uuid) -> Result<(SigningKey, bool), KeyError> {
        if let Some(key) = self.get(inspector)? {
            return Ok((key, false));
        }
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
        let key = SigningKey::from_bytes(&seed);
        self.write_new(inspector, &hex::encode(&seed))?;
        Ok((key, true))
    }

    /// Writes a new key file readable by its owner only, durably, never over an existing one.
    fn write_new(&self, inspector: Uuid, text: &str) -> Result<(), KeyError> {
        create_private_dir(&self.dir)?;
        let path = self.file(inspector);
        let tmp = self.dir.join(format!(".{inspector}.ed25519.new"));
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp).map_err(|e| io(&tmp, &e))?;
        file.write_all(text.as_bytes())
            .and_then(|_| file.sync_all())
            .map_err(|e| io(&tmp, &e))?;
        // hard_link refuses an existing target: two processes making a key at once keep one.
        let linked = fs::hard_link(&tmp, &path);
        let _ = fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(io(&path, &e)),
        }
    }
}

fn create_private_dir(dir: &Path) -> Result<(), KeyError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| io(dir, &e))?;
    // A folder made earlier by hand may be wider: narrow it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(|e| io(dir, &e))?;
    }
    Ok(())
}

fn io(path: &Path, e: &std::io::Error) -> KeyError {
    KeyError::Io {
        path: path.to_path_buf(),
        reason: crate::storage::error::describe_io(e),
    }
}

pub fn public_hex(key: &SigningKey) -> String {
    hex::encode(key.verifying_key().as_bytes())
}

pub fn sign_hex(key: &SigningKey, message: &[u8]) -> String {
    hex::encode(&key.sign(message).to_bytes())
}

/// Whether `signature` (hex) is `public_key`'s (hex) signature of `message` (strict ed25519).
pub fn verify_hex(public_key: &str, message: &[u8], signature: &str) -> bool {
    verifying_key(public_key).is_some_and(|pk| verify_with(&pk, message, signature))
}

/// A public key (hex) ready to verify with; `None` when it is not a valid ed25519 point.
/// Decoding costs about as much as a verification: keep it for a signer's many records.
pub fn verifying_key(public_key: &str) -> Option<VerifyingKey> {
    VerifyingKey::from_bytes(&hex::decode::<32>(public_key)?).ok()
}

/// Whether `signature` (hex) is `key`'s signature of `message` (strict ed25519).
pub fn verify_with(key: &VerifyingKey, message: &[u8], signature: &str) -> bool {
    let Some(sig) = hex::decode::<64>(signature) else {
        return false;
    };
    key.verify_strict(message, &Signature::from_bytes(&sig))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_private_to_its_owner_and_signs_verifiably() {
        let dir = tempfile::tempdir().expect("dir");
        let keys = Keys::in_data_dir(dir.path());
        let who = Uuid::now_v7();
        assert!(keys.get(who).expect("read").is_none());
        let (key, made) = keys.get_or_make(who).expect("make");
        assert!(made);
        let (again, made) = keys.get_or_make(who).expect("read back");
        assert!(!made);
        assert_eq!(key.to_bytes(), again.to_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode(&dir.path().join("keys")), 0o700);
            assert_eq!(mode(&keys.file(who)), 0o600);
        }
        let sig = sign_hex(&key, "检查记录".as_bytes());
        assert!(verify_hex(&public_hex(&key), "检查记录".as_bytes(), &sig));
        assert!(!verify_hex(&public_hex(&key), "检查记彔".as_bytes(), &sig));
        let other = Keys::in_data_dir(dir.path())
            .get_or_make(Uuid::now_v7())
            .expect("k")
            .0;
        assert!(!verify_hex(
            &public_hex(&other),
            "检查记录".as_bytes(),
            &sig
        ));
        assert!(!verify_hex("zz", b"x", &sig));

        fs::write(keys.file(who), "not a key").expect("damage");
        assert!(matches!(keys.get(who), Err(KeyError::Corrupt(_))));
    }
}
