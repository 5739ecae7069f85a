//! The support log: `<data dir>/logs/paicha.log`, what a county's IT support asks for when
//! something went wrong — the commands run and their outcomes, the TUI's effects before a
//! failure, failed background jobs, panics. Three files of at most 1 MB each.
//!
//! No personal data goes in: callers log command names, effect and outcome *variant names*,
//! error *kinds* ([`error_kinds`]) and panic locations — never names, 执法证号, enterprise
//! names, free text, paths or record contents, nor the rendered Chinese error text (which
//! often quotes what the user typed).

pub mod rotating;
pub mod subscriber;

use std::fmt::{self, Debug, Write as _};
use std::path::Path;
use std::sync::Once;

/// The log folder inside the data dir, and the current file in it.
pub const LOG_DIR: &str = "logs";
pub const LOG_FILE: &str = "paicha.log";
/// Size cap of one file, and how many files (the current one included) are kept.
pub const MAX_BYTES: u64 = 1024 * 1024;
pub const KEEP: usize = 3;

/// The current log file of `data_dir`.
pub fn log_path(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join(LOG_DIR).join(LOG_FILE)
}

/// The subscriber writing to `data_dir`'s log.
pub fn for_data_dir(data_dir: &Path) -> subscriber::SupportLog {
    subscriber::SupportLog::new(rotating::RotatingFile::new(
        data_dir, LOG_FILE, MAX_BYTES, KEEP,
    ))
}

/// Starts logging this process to `data_dir`'s log, and logs panics. Once per process; a
/// second call changes nothing.
pub fn init(data_dir: &Path) {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        let _ = tracing::subscriber::set_global_default(for_data_dir(data_dir));
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            log_panic(info);
            previous(info);
        }));
    });
}

/// Logs a panic: where, and the message as far as it cannot carry user data.
pub fn log_panic(info: &std::panic::PanicHookInfo<'_>) {
    let location = info
        .location()
        .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
        .unwrap_or_default();
    let thread = std::thread::current().name().unwrap_or("?").to_string();
    tracing::error!(
        location = location.as_str(),
        thread = thread.as_str(),
        message = panic_message(info.payload()).as_str(),
        "panic"
    );
}

/// A literal panic message (`&'static str`) is code and kept whole; a formatted one
/// (`String`) is cut at its first `: ` (what follows is usually a value: an error's Debug, a
/// path) and kept only in ASCII.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        return (*text).to_string();
    }
    match payload.downcast_ref::<String>() {
        Some(text) => text
            .split(": ")
            .next()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii)
            .take(200)
            .collect(),
        None => String::new(),
    }
}

/// The variant (or type) name a value's `Debug` starts with: `LoadHome`, `SaveProfile`, …
/// Formatting stops after the name, so a large payload costs nothing and is never shown.
pub fn variant(value: &dyn Debug) -> String {
    struct Name(String);
    impl fmt::Write for Name {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            for c in s.chars() {
                if c.is_ascii_alphanumeric() || c == '_' {
                    self.0.push(c);
                } else {
                    return Err(fmt::Error); // the name ended: stop formatting
                }
            }
            Ok(())
        }
    }
    let mut name = Name(String::new());
    let _ = write!(name, "{value:?}");
    match name.0.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name.0,
        Some(_) => "value".into(),
        None => "text".into(), // a string's Debug starts with a quote
    }
}

/// An error chain as kinds: `context > Invalid > io:NotFound` — each cause's variant name, an
/// I/O error's kind, `text` for a plain message, `context` for anyhow's `.context(…)` layer
/// (whose Debug is `Error { context: … }`). Never the messages themselves.
pub fn error_kinds(error: &anyhow::Error) -> String {
    error
        .chain()
        .map(|cause| match cause.downcast_ref::<std::io::Error>() {
            Some(io) => format!("io:{:?}", io.kind()),
            None => match variant(cause) {
                name if name == "Error" => "context".into(),
                name => name,
            },
        })
        .collect::<Vec<_>>()
        .join(" > ")
}

#[cfg(test)]
mod tests;
