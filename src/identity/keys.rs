//! The private keys of this device's inspector profiles, one file per inspector:
//! `<data dir>/keys/<inspector id>.ed25519`, 64 hex digits, readable by the user only (mode
//! 0600 in a 0700 folder on Unix, an owner-only DACL on Windows: see [`super::protect`]).

use super::{hex, protect};
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
        let mut file = protect::private_file_options()
            .open(&tmp)
            .map_err(|e| io(&tmp, &e))?;
        protect::restrict_file(&tmp).map_err(|e| io(&tmp, &e))?;
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
    protect::create_private_dir(dir).map_err(|e| io(dir, &e))
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

/// A public key (hex) ready to verify with; `None` unless it is 64 lowercase hex digits that
/// are the canonical encoding of an ed25519 point of large order.
/// Decoding costs about as much as a verification: keep it for a signer's many records.
pub fn verifying_key(public_key: &str) -> Option<VerifyingKey> {
    key_from_bytes(&hex::decode::<32>(public_key)?)
}

/// Whether `public_key` is a key paicha accepts (see [`verifying_key`]): what an importer
/// checks for every key it records, so no record ever names a key that cannot verify.
pub fn valid_public_key(public_key: &str) -> bool {
    verifying_key(public_key).is_some()
}

fn key_from_bytes(bytes: &[u8; 32]) -> Option<VerifyingKey> {
    let key = VerifyingKey::from_bytes(bytes).ok()?;
    // Decompression reduces y modulo p and ignores the sign bit of x = 0, so a point has
    // second spellings: only the one that re-encodes to the same bytes is a key.
    if key.to_edwards().compress().to_bytes() != *bytes {
        return None;
    }
    // A small-order key "verifies" signatures that no private key made.
    (!key.is_weak()).then_some(key)
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

    /// The eight points of small order, each in its canonical encoding (as listed in
    /// "Taming the many EdDSAs", Chalkias et al., and in libsodium's blocklist), plus the
    /// second spellings of the identity and of order 2.
    const SMALL_ORDER: [&str; 11] = [
        // order 1 (the identity) and order 2
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        // order 4
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        // order 8
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        // non-canonical spellings: the identity with x's sign bit set, y = p + 1 (the
        // identity) and y = p (order 4)
        "0100000000000000000000000000000000000000000000000000000000000080",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ];

    #[test]
    fn small_order_points_are_never_keys() {
        let key = SigningKey::from_bytes(&[5u8; 32]);
        for (i, weak) in SMALL_ORDER.iter().enumerate() {
            assert!(!valid_public_key(weak), "{weak}");
            assert!(verifying_key(weak).is_none(), "{weak}");
            // Whatever the signature, nothing verifies under such a key.
            assert!(!verify_hex(weak, b"x", &sign_hex(&key, b"x")), "{weak}");
            // The first eight are the eight distinct points of small order: dalek decodes
            // them (so refusing them is this module's doing) and finds them weak.
            if i < 8 {
                let bytes = hex::decode::<32>(weak).expect("hex");
                let point = VerifyingKey::from_bytes(&bytes).expect("a point");
                assert!(point.is_weak(), "{weak}");
            }
        }
        assert!(valid_public_key(&public_hex(&key)));
    }

    /// A point whose y is written as y + p (still below 2^255) decodes to the same point as
    /// its canonical spelling, which dalek accepts: the second spelling must not be a key.
    #[test]
    fn a_non_canonical_encoding_is_not_a_key() {
        let mut found = 0;
        for k in 2u8..=18 {
            let mut canonical = [0u8; 32];
            canonical[0] = k;
            let Ok(point) = VerifyingKey::from_bytes(&canonical) else {
                continue; // no point with this y
            };
            if point.is_weak() {
                continue;
            }
            // y = p + k, little-endian: p = 2^255 - 19 = ed ff … ff 7f.
            let mut second = [0xffu8; 32];
            second[0] = 0xed + k;
            second[31] = 0x7f;
            assert!(
                VerifyingKey::from_bytes(&second).is_ok(),
                "dalek decodes y = p + {k}"
            );
            assert!(valid_public_key(&hex::encode(&canonical)), "y = {k}");
            assert!(!valid_public_key(&hex::encode(&second)), "y = p + {k}");
            assert!(verifying_key(&hex::encode(&second)).is_none());
            found += 1;
        }
        assert!(found > 0, "some small y is on the curve");
    }

    #[test]
    fn only_lowercase_hex_is_a_key() {
        let key = SigningKey::from_bytes(&[6u8; 32]);
        let public = public_hex(&key);
        let signature = sign_hex(&key, b"x");
        assert!(verify_hex(&public, b"x", &signature));
        assert!(!valid_public_key(&public.to_uppercase()));
        assert!(!verify_hex(&public.to_uppercase(), b"x", &signature));
        assert!(!verify_hex(&public, b"x", &signature.to_uppercase()));
    }
}
