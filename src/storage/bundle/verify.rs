//! Signature checks of an import on a second thread: the import's own thread parses and
//! writes while the other core verifies. The queue is bounded by count and by bytes (an
//! inspection's signed form can be large), so memory stays flat; the first bad signature is
//! reported when the import finishes (before anything is committed).

use crate::identity::keys;
use ed25519_dalek::VerifyingKey;
use std::collections::HashMap;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex};

/// At most this many bytes of signed text wait in the queue at once.
const QUEUED_BYTES: usize = 8 << 20;

/// Bytes waiting in the queue, and whether the worker has stopped taking any.
#[derive(Default)]
struct Budget {
    state: Mutex<(usize, bool)>,
    changed: Condvar,
}

/// Stops the budget when dropped.
struct Release(Arc<Budget>);

impl Drop for Release {
    fn drop(&mut self) {
        self.0.stop();
    }
}

impl Budget {
    /// Waits until `bytes` more fit (always, when the queue is empty or the worker stopped).
    fn take(&self, bytes: usize) {
        let Ok(mut s) = self.state.lock() else { return };
        while s.0 > 0 && s.0 + bytes > QUEUED_BYTES && !s.1 {
            s = match self.changed.wait(s) {
                Ok(s) => s,
                Err(_) => return,
            };
        }
        s.0 += bytes;
    }

    fn give(&self, bytes: usize) {
        if let Ok(mut s) = self.state.lock() {
            s.0 = s.0.saturating_sub(bytes);
        }
        self.changed.notify_all();
    }

    fn stop(&self) {
        if let Ok(mut s) = self.state.lock() {
            s.1 = true;
        }
        self.changed.notify_all();
    }
}
use std::thread::JoinHandle;

struct Check<F> {
    public: String,
    message: String,
    signature: String,
    /// What to report if it does not verify.
    failure: F,
}

/// Public keys decoded once: a bundle has few signers and many signed records.
#[derive(Default)]
struct KeyCache(HashMap<String, Option<VerifyingKey>>);

impl KeyCache {
    fn verifies<F>(&mut self, c: &Check<F>) -> bool {
        let key = self
            .0
            .entry(c.public.clone())
            .or_insert_with(|| keys::verifying_key(&c.public));
        key.as_ref()
            .is_some_and(|k| keys::verify_with(k, c.message.as_bytes(), &c.signature))
    }
}

pub struct Verifier<F> {
    queue: Option<SyncSender<Check<F>>>,
    worker: Option<JoinHandle<Option<F>>>,
    /// Without a worker (no thread to be had), checks run inline and the first failure waits
    /// here.
    failed: Option<F>,
    inline_keys: KeyCache,
    /// Reported if the worker itself dies.
    aborted: fn() -> F,
    budget: Arc<Budget>,
}

impl<F: Send + 'static> Verifier<F> {
    /// `aborted` is what to report if the checking thread dies unexpectedly.
    pub fn start(aborted: fn() -> F) -> Verifier<F> {
        let (queue, jobs) = sync_channel::<Check<F>>(1024);
        let budget = Arc::new(Budget::default());
        let worker_budget = budget.clone();
        let worker = std::thread::Builder::new()
            .name("verify".into())
            .spawn(move || {
                // However the worker ends (a panic included), the sender is never left waiting.
                let _release = Release(worker_budget.clone());
                let mut keys = KeyCache::default();
                let mut failed = None;
                for c in jobs {
                    let ok = keys.verifies(&c);
                    worker_budget.give(c.message.len());
                    if !ok {
                        failed = Some(c.failure);
                        break;
                    }
                }
                worker_budget.stop();
                failed
            });
        let (queue, worker) = match worker {
            Ok(worker) => (Some(queue), Some(worker)),
            Err(_) => (None, None),
        };
        Verifier {
            queue,
            worker,
            failed: None,
            inline_keys: KeyCache::default(),
            aborted,
            budget,
        }
    }

    /// Queues a check of `signature` (hex) by `public` (hex) over `message`.
    pub fn check(&mut self, public: String, message: String, signature: String, failure: F) {
        let c = Check {
            public,
            message,
            signature,
            failure,
        };
        if let Some(queue) = &self.queue {
            self.budget.take(c.message.len());
            // A closed queue means the worker stopped at a bad signature: reported at the end.
            let _ = queue.send(c);
        } else if self.failed.is_none() && !self.inline_keys.verifies(&c) {
            self.failed = Some(c.failure);
        }
    }

    /// Waits for the queued checks: the first failure, if any.
    pub fn finish(&mut self) -> Option<F> {
        self.queue = None;
        let from_worker = match self.worker.take().map(|w| w.join()) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Some((self.aborted)()),
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
        let mut v = Verifier::start(|| "中止".to_string());
        for i in 0..3000 {
            let message = format!("记录 {i}");
            let signature = keys::sign_hex(&key, message.as_bytes());
            v.check(public.clone(), message, signature, format!("第{i}条"));
        }
        assert_eq!(v.finish(), None, "all good");
        let mut v = Verifier::start(|| "中止".to_string());
        let good = keys::sign_hex(&key, b"a");
        v.check(public.clone(), "a".into(), good.clone(), "a 坏了".into());
        v.check(public.clone(), "b".into(), good.clone(), "b 坏了".into());
        v.check(public.clone(), "c".into(), good, "c 坏了".into());
        assert_eq!(v.finish().as_deref(), Some("b 坏了"), "the first failure");
        let mut v = Verifier::start(|| "中止".to_string());
        v.check(
            "zz".into(),
            "a".into(),
            keys::sign_hex(&key, b"a"),
            "坏公钥".into(),
        );
        assert_eq!(
            v.finish().as_deref(),
            Some("坏公钥"),
            "an invalid key fails"
        );
    }
}
