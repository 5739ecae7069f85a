//! Long work the TUI runs off its thread — exporting and importing bundles, attaching files —
//! so the screen keeps drawing a progress bar. A job has its own database connection; it reports how far it
//! is through two counters and ends with a message for the app.

use super::msg::{JobOutcome, Msg};
use crate::bundle::{self, ExportOptions, ImportLimits};
use crate::storage::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub enum Work {
    Export {
        path: PathBuf,
        options: ExportKind,
    },
    /// A dry run first (`preview`), then the real import once the user has seen what it adds
    /// — of the very file previewed (`expect`: its SHA-256).
    Import {
        path: PathBuf,
        preview: bool,
        expect: Option<String>,
        /// The office's fingerprint the user confirmed against the one shown at the office
        /// (the first time a roster arrives).
        office_fingerprint: Option<String>,
    },
    /// Writes an encrypted backup of the data dir to `out` (progress by bytes).
    Backup {
        out: PathBuf,
        passphrase: Passphrase,
    },
    /// Copies, hashes and records files attached to a record (progress by bytes).
    Attach {
        to: super::screens::attach::AttachTo,
        files: Vec<PathBuf>,
    },
}

/// A backup's passphrase on its way to the job: never printed, compared only in tests.
#[derive(Clone)]
pub struct Passphrase(age::secrecy::SecretString);

impl Passphrase {
    pub fn new(text: String) -> Passphrase {
        Passphrase(age::secrecy::SecretString::from(text))
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(..)")
    }
}

impl PartialEq for Passphrase {
    fn eq(&self, other: &Passphrase) -> bool {
        use age::secrecy::ExposeSecret;
        self.0.expose_secret() == other.0.expose_secret()
    }
}

/// What an export from the TUI includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// What is new since the last export to the same file.
    New,
    All,
    /// The office's ledger for the laptops.
    Ledger,
}

pub struct Job {
    handle: JoinHandle<JobOutcome>,
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    shown: (u64, u64),
}

impl Job {
    /// Starts `work` on a thread with a connection of its own.
    pub fn start(store: &Store, work: Work) -> Result<Job, String> {
        let mut twin = store.twin().map_err(|e| e.to_string())?;
        let done = Arc::new(AtomicU64::new(0));
        let total = Arc::new(AtomicU64::new(0));
        let (d, t) = (done.clone(), total.clone());
        let handle = std::thread::Builder::new()
            .name("job".into())
            .spawn(move || run(&mut twin, work, &d, &t))
            .map_err(|e| format!("无法启动后台任务：{e}"))?;
        Ok(Job {
            handle,
            done,
            total,
            shown: (0, 0),
        })
    }

    /// The job's outcome when it has ended, else its progress if that moved since last asked.
    pub fn poll(&mut self) -> Option<Msg> {
        if self.handle.is_finished() {
            return None;
        }
        let now = (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        );
        (now != self.shown).then(|| {
            self.shown = now;
            Msg::JobProgress {
                done: now.0,
                total: now.1,
            }
        })
    }

    pub fn finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Waits for the end (immediately, once `finished`).
    pub fn outcome(self) -> JobOutcome {
        self.handle
            .join()
            .unwrap_or_else(|_| JobOutcome::Failed(vec!["后台任务意外中止，数据没有改变".into()]))
    }
}

fn run(store: &mut Store, work: Work, done: &AtomicU64, total: &AtomicU64) -> JobOutcome {
    match work {
        Work::Backup { out, passphrase } => {
            let mut progress = |n: u64, of: u64| {
                done.store(n, Ordering::Relaxed);
                total.store(of, Ordering::Relaxed);
            };
            JobOutcome::BackedUp(
                crate::backup::backup(store, &out, &passphrase.0, &mut progress)
                    .map(|s| super::screens::backup::done_lines(&s))
                    .map_err(|e| {
                        vec![
                            "备份没有完成，已有的备份和本机数据都没有改变：".into(),
                            e.to_string(),
                        ]
                    }),
            )
        }
        Work::Attach { to, files } => {
            let mut progress = |n: u64, of: u64| {
                done.store(n, Ordering::Relaxed);
                total.store(of, Ordering::Relaxed);
            };
            JobOutcome::Attached(super::effects::attach::attach(
                store,
                &to,
                &files,
                &mut progress,
            ))
        }
        Work::Export { path, options } => {
            let options = ExportOptions {
                all: options == ExportKind::All,
                since: None,
                ledger: options == ExportKind::Ledger,
            };
            let progress = |n: u64, of: u64| {
                done.store(n, Ordering::Relaxed);
                total.store(of, Ordering::Relaxed);
            };
            match bundle::export_with_progress(store, &path, &options, &progress) {
                Ok(summary) => JobOutcome::Exported(bundle::export_lines(&summary)),
                Err(e) => JobOutcome::Failed(vec![format!("导出没有完成：{e}")]),
            }
        }
        Work::Import {
            path,
            preview,
            expect,
            office_fingerprint,
        } => {
            let progress = |n: u64, of: u64| {
                done.store(n, Ordering::Relaxed);
                total.store(of, Ordering::Relaxed);
            };
            let result = bundle::import_with_progress(
                store,
                &path,
                bundle::Trust {
                    office_fingerprint: office_fingerprint.clone(),
                    ..bundle::Trust::default()
                },
                preview,
                expect.as_deref(),
                ImportLimits::default(),
                &progress,
            );
            match result {
                Ok(report) if preview => JobOutcome::Previewed {
                    path,
                    lines: bundle::import_lines(&report),
                    anything: report.changed_anything(),
                    sha256: report.sha256.clone(),
                    office_fingerprint,
                },
                Ok(report) => {
                    let mut lines = vec![format!("{}：已导入", path.display())];
                    lines.extend(bundle::import_lines(&report));
                    JobOutcome::Imported(lines)
                }
                Err(bundle::BundleError::Store(crate::storage::StoreError::UnknownOffice {
                    office,
                    fingerprint,
                })) => JobOutcome::UnknownOffice {
                    path,
                    office,
                    fingerprint,
                },
                Err(e) if bundle::held::held_reason(&e).is_some() => {
                    let reason = bundle::held::held_reason(&e)
                        .unwrap_or_default()
                        .to_string();
                    let kept = bundle::held::hold(store, &path, &reason);
                    JobOutcome::Failed(vec![
                        format!("{}：留待复核，没有导入，本机数据没有任何改变。", path.display()),
                        reason,
                        match kept {
                            Ok(_) => "数据包已存入数据目录的 held 文件夹；内勤处理公钥后，在命令行用 paicha import --retry-held 重新导入".to_string(),
                            Err(e) => format!("数据包未能留存：{e}"),
                        },
                    ])
                }
                Err(e) => {
                    let _ = bundle::read::log_refusal(store, &path, &e.to_string());
                    JobOutcome::Failed(vec![
                        format!("{}：已拒绝，本机数据没有任何改变。", path.display()),
                        e.to_string(),
                    ])
                }
            }
        }
    }
}
