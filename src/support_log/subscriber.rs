//! A tracing subscriber of our own, smaller than tracing-subscriber: one line per event into
//! the rotating file. DEBUG events are the *steps* (effects run): kept in memory, the last
//! [`STEPS`] of them, and written only before a WARN or ERROR, so the log shows what led to a
//! failure without a line per keystroke. Spans are not used.

use super::rotating::RotatingFile;
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::Mutex;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// How many steps before a failure the log shows.
pub const STEPS: usize = 24;
/// A line is cut at this many bytes (a runaway field cannot fill the log).
const MAX_LINE: usize = 2000;

pub struct SupportLog {
    state: Mutex<State>,
}

struct State {
    file: RotatingFile,
    steps: VecDeque<String>,
}

impl SupportLog {
    pub fn new(file: RotatingFile) -> Self {
        SupportLog {
            state: Mutex::new(State {
                file,
                steps: VecDeque::with_capacity(STEPS),
            }),
        }
    }
}

impl Subscriber for SupportLog {
    /// paicha's own events only: a dependency that starts logging cannot put its data here.
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        *metadata.level() <= Level::DEBUG && metadata.target().starts_with("paicha")
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::DEBUG)
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let level = *event.metadata().level();
        let line = format_line(event);
        // A poisoned lock (a panic while logging) must not stop the app: take the state.
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if level == Level::DEBUG {
            if state.steps.len() == STEPS {
                state.steps.pop_front();
            }
            state.steps.push_back(line);
            return;
        }
        if level <= Level::WARN {
            let steps: Vec<String> = state.steps.drain(..).collect();
            for step in steps {
                let _ = state.file.write_line(&step);
            }
        }
        // Logging never fails the app: a full disk or a read-only data dir loses the line.
        let _ = state.file.write_line(&line);
    }
}

/// `2026-05-04 09:30:01+08:00 ERROR paicha::cli command failed command="hazard add" …`
fn format_line(event: &Event<'_>) -> String {
    let meta = event.metadata();
    let mut line = format!(
        "{} {:<5} {}",
        // Beijing time, as everywhere in paicha; chrono's Local would add its tz-file reader.
        chrono::Utc::now()
            .with_timezone(&crate::domain::time::beijing())
            .format("%Y-%m-%d %H:%M:%S%:z"),
        meta.level(),
        meta.target()
    );
    event.record(&mut Fields(&mut line));
    if line.len() > MAX_LINE {
        let mut cut = MAX_LINE;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        line.truncate(cut);
    }
    line.push('\n');
    line
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}
