//! Exchanging bundles from the home screen: export (what is new, everything, or the office's
//! ledger) to a file, or import one — checked first, its findings shown, and only then applied.
//! The work runs in the background with a progress bar.

use super::{Ctx, Step};
use crate::app::form::{Field, FieldKind, Form, Outcome};
use crate::app::jobs::{ExportKind, Work};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::{Effect, JobOutcome};
use crossterm::event::KeyEvent;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Export,
    Import,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// The file (and for an export, what goes in it).
    Ask(Form),
    Running {
        label: String,
        done: u64,
        total: u64,
    },
    /// An import's dry run: what it would add. Enter imports, Esc cancels.
    Preview {
        path: PathBuf,
        lines: Vec<String>,
        anything: bool,
        sha256: String,
        office_fingerprint: Option<String>,
    },
    /// The bundle brings the roster of an office this laptop does not trust yet: `y` once the
    /// fingerprint matches the one shown at the office, anything else cancels.
    TrustOffice {
        path: PathBuf,
        office: String,
        fingerprint: String,
    },
    Finished {
        lines: Vec<String>,
        failed: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub direction: Direction,
    pub stage: Stage,
    /// How far a long preview or outcome is scrolled, in display rows (clamped when drawn).
    pub scroll: usize,
}

/// Rows a PgUp/PgDn moves a preview or outcome: a screenful at 80x24, less the pinned lines.
const PAGE: usize = 15;

const NEW: &str = "上次导出到此文件以来的新记录";
const ALL: &str = "全部已定稿记录";
const LEDGER: &str = "当前台账（办公室给现场电脑）";

impl Exchange {
    pub fn export(ctx: &Ctx) -> Exchange {
        let stamp = crate::domain::time::local(ctx.now).format("%Y%m%d-%H%M");
        let default = std::env::current_dir()
            .map(|d| d.join(format!("paicha-{stamp}.paicha")))
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let what = Field::of_kind(
            "what",
            "导出内容",
            FieldKind::Choice(vec![NEW.into(), ALL.into(), LEDGER.into()]),
            true,
        )
        .with_value(ALL);
        let path = Field::text("path", "数据包文件", true)
            .with_value(default)
            .with_help("U 盘上的路径，如 /media/usb/李建山-0915.paicha");
        Exchange {
            direction: Direction::Export,
            stage: Stage::Ask(Form::new("导出数据包", vec![path, what])),
            scroll: 0,
        }
    }

    pub fn import() -> Exchange {
        let path = Field::text("path", "数据包文件", true)
            .with_help("先检查并列出将导入的内容，确认后才写入");
        Exchange {
            direction: Direction::Import,
            stage: Stage::Ask(Form::new("导入数据包", vec![path])),
            scroll: 0,
        }
    }

    pub fn on_key(&mut self, ev: &KeyEvent) -> Vec<Step> {
        if matches!(self.stage, Stage::Preview { .. } | Stage::Finished { .. }) {
            let moved = match keymap::lookup(keymap::FINISHED, ev) {
                Some(Cmd::Up) => Some(self.scroll.saturating_sub(1)),
                Some(Cmd::Down) => Some(self.scroll + 1),
                Some(Cmd::PageUp) => Some(self.scroll.saturating_sub(PAGE)),
                Some(Cmd::PageDown) => Some(self.scroll + PAGE),
                _ => None,
            };
            if let Some(to) = moved {
                // Past the end is clamped when drawn; here only bounded by what there is.
                self.scroll = to.min(self.shown_lines());
                return vec![];
            }
        }
        match &mut self.stage {
            Stage::Ask(form) => match form.handle(ev) {
                Outcome::Editing => vec![],
                Outcome::Help => vec![Step::Help(keymap::FORM)],
                Outcome::Cancel => home(),
                Outcome::Submit => self.submit(),
            },
            // The job cannot be interrupted halfway: it ends whole or not at all anyway.
            Stage::Running { .. } => vec![Step::Say("正在处理数据包，请稍候".into())],
            Stage::TrustOffice {
                path, fingerprint, ..
            } => match keymap::lookup(keymap::TRUST_OFFICE, ev) {
                Some(Cmd::Apply) => {
                    let work = Work::Import {
                        path: path.clone(),
                        preview: true,
                        expect: None,
                        office_fingerprint: Some(fingerprint.clone()),
                    };
                    self.stage = running("正在校验数据包");
                    vec![Step::Do(Effect::Start(work))]
                }
                Some(Cmd::Back) => {
                    let mut steps = home();
                    steps.push(Step::Say(
                        "已取消，没有导入任何内容：请与办公室核对指纹后再导入".into(),
                    ));
                    steps
                }
                _ => vec![],
            },
            Stage::Preview {
                path,
                anything,
                sha256,
                office_fingerprint,
                ..
            } => match keymap::lookup(keymap::PREVIEW, ev)
                .or_else(|| keymap::lookup(keymap::PREVIEW_NOTHING, ev))
            {
                Some(Cmd::Apply) if *anything => {
                    let work = Work::Import {
                        path: path.clone(),
                        preview: false,
                        expect: Some(sha256.clone()),
                        office_fingerprint: office_fingerprint.clone(),
                    };
                    self.stage = running("正在导入");
                    vec![Step::Do(Effect::Start(work))]
                }
                Some(Cmd::Apply) => home(),
                Some(Cmd::Back) if !*anything => home(),
                Some(Cmd::Back) => {
                    let mut steps = home();
                    steps.push(Step::Say("已取消，没有导入任何内容".into()));
                    steps
                }
                Some(Cmd::Help) => vec![Step::Help(keymap::PREVIEW)],
                _ => vec![],
            },
            Stage::Finished { .. } => match keymap::lookup(keymap::FINISHED, ev) {
                Some(Cmd::Back) | Some(Cmd::Apply) => home(),
                _ => vec![],
            },
        }
    }

    fn submit(&mut self) -> Vec<Step> {
        let Stage::Ask(form) = &mut self.stage else {
            return vec![];
        };
        // A path dragged in from a file manager may arrive in quotes.
        let typed = form.value("path").trim_matches(|c| c == '\'' || c == '"');
        let path = PathBuf::from(typed);
        let work = match self.direction {
            Direction::Import => {
                if !path.is_file() {
                    if let Some(f) = form.fields.iter_mut().find(|f| f.key == "path") {
                        f.error = Some("找不到这个文件".into());
                    }
                    return vec![];
                }
                Work::Import {
                    path,
                    preview: true,
                    expect: None,
                    office_fingerprint: None,
                }
            }
            Direction::Export => {
                if path.is_dir() || path.file_name().is_none() || typed.ends_with(['/', '\\']) {
                    if let Some(f) = form.fields.iter_mut().find(|f| f.key == "path") {
                        f.error = Some("请写出文件名，如 李建山-0915.paicha".into());
                    }
                    return vec![];
                }
                let options = match form.value("what") {
                    ALL => ExportKind::All,
                    LEDGER => ExportKind::Ledger,
                    _ => ExportKind::New,
                };
                Work::Export { path, options }
            }
        };
        self.stage = running(match self.direction {
            Direction::Export => "正在导出",
            Direction::Import => "正在校验数据包",
        });
        vec![Step::Do(Effect::Start(work))]
    }

    pub fn progress(&mut self, now: u64, of: u64) {
        if let Stage::Running { done, total, .. } = &mut self.stage {
            *done = now;
            *total = of;
        }
    }

    /// How many lines a preview or outcome has (before wrapping).
    fn shown_lines(&self) -> usize {
        match &self.stage {
            // Wrapped as at 80 columns; a wider screen clamps the excess when drawing.
            Stage::Preview { lines, .. } | Stage::Finished { lines, .. } => {
                4 + lines
                    .iter()
                    .map(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) / 76 + 1)
                    .sum::<usize>()
            }
            _ => 0,
        }
    }

    pub fn finished(&mut self, outcome: JobOutcome) {
        self.scroll = 0;
        self.stage = match outcome {
            JobOutcome::Previewed {
                path,
                lines,
                anything,
                sha256,
                office_fingerprint,
            } => Stage::Preview {
                path,
                lines,
                anything,
                sha256,
                office_fingerprint,
            },
            JobOutcome::UnknownOffice {
                path,
                office,
                fingerprint,
            } => Stage::TrustOffice {
                path,
                office,
                fingerprint,
            },
            JobOutcome::Exported(lines) | JobOutcome::Imported(lines) => Stage::Finished {
                lines,
                failed: false,
            },
            JobOutcome::Failed(lines) => Stage::Finished {
                lines,
                failed: true,
            },
            // Attaching and backing up have their own dialogs, never routed here.
            JobOutcome::Attached(_) | JobOutcome::BackedUp(_) => return,
        };
    }
}

fn running(label: &str) -> Stage {
    Stage::Running {
        label: label.into(),
        done: 0,
        total: 0,
    }
}

fn home() -> Vec<Step> {
    vec![
        Step::go(super::Screen::Home(super::home::Home::default())),
        Step::Do(Effect::LoadHome),
    ]
}
