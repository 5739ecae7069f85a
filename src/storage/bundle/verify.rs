//! Signature checks of an import on a second thread: the import's own thread parses and
//! writes while the other core verifies. A bounded queue keeps memory flat; the first bad
//! signature is reported when the import finishes (before anything is committed).

use crate::identity::keys;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

struct Check {
    public: String,
    message: String,
    signature: String,
    /// What to say if it does not verify.
    failure: String,
}

pub struct Verifier {
    queue: Option<SyncSender<Check>>,
    worker: Option<JoinHandle<Option<String>>>,
    /// Without a worker (no thread to be had), checks run inline and the first failure waits
    /// here.
    failed: Option<String>,
}

impl Verifier {
    pub fn start() -> Verifier {
        let (queue, jobs) = sync_channel::<Check>(1024);
        let worker = std::thread::Builder::new()
            .name("verify".into())
            .spawn(move || {
                for c in jobs {
                    if !keys::verify_hex(&c.public, c.message.as_bytes(), &c.signature) {
                        return Some(c.failure);
                    }
                }
                None
            });
        match worker {
            Ok(worker) => Verifier {
                queue: Some(queue),
                worker: Some(worker),
                failed: None,
            },
            Err(_) => Verifier {
                queue: None,
                worker: None,
                failed: None,
            },
        }
    }

    /// Queues a check of `signature` (hex) by `public` (hex) over `message`.
    pub fn check(&mut self, public: String, message: String, signature: String, failure: String) {
        let c = Check {
            public,
            message,
            signature,
            failure,
        };
        if let Some(queue) = &self.queue {
            // A closed queue means the worker stopped at a bad signature: reported at the end.
            let _ = queue.send(c);
        } else if self.failed.is_none()
            && !keys::verify_hex(&c.public, c.message.as_bytes(), &c.signature)
        {
            self.failed = Some(c.failure);
        }
    }

    /// Waits for the queued checks: the first failure, if any.
    pub fn finish(&mut self) -> Option<String> {
        self.queue = None;
        let from_worker = match self.worker.take().map(|w| w.join()) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Some("签名校验意外中止，数据包没有导入".to_string()),
            None => None,
        };
        from_worker.or_else(|| self.failed.take())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_signature_is_reported_after_the_good_ones() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[3u8; 32]);
        let public = keys::public_hex(&key);
        let mut v = Verifier::start();
        for i in 0..3000 {
            let message = format!("记录 {i}");
            let signature = keys::sign_hex(&key, message.as_bytes());
            v.check(public.clone(), message, signature, format!("第{i}条"));
        }
        assert_eq!(v.finish(), None, "all good");
        let mut v = Verifier::start();
        let good = keys::sign_hex(&key, b"a");
        v.check(public.clone(), "a".into(), good.clone(), "a 坏了".into());
        v.check(public.clone(), "b".into(), good.clone(), "b 坏了".into());
        v.check(public.clone(), "c".into(), good, "c 坏了".into());
        assert_eq!(v.finish().as_deref(), Some("b 坏了"), "the first failure");
    }
}
