//! The backup dialog (`b` on the home screen): where to write the backup and its passphrase,
//! typed twice and never shown. Not a `Form`: forms are remembered in the database for a
//! kill -9, and a passphrase must never be written anywhere. The backup itself runs as a
//! background job (`jobs::Work::Backup`) with a progress bar by bytes.

use super::Step;
use crate::app::jobs::{Passphrase, Work};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::Effect;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::PathBuf;

/// The three fields, in order.
pub const PATH: usize = 0;
pub const PASS: usize = 1;
pub const AGAIN: usize = 2;

pub struct BackupDialog {
    pub path: String,
    pass: String,
    again: String,
    pub focus: usize,
    pub error: Option<String>,
    /// Bytes written of bytes to write, once the job runs (keys wait then).
    pub running: Option<(u64, u64)>,
}

impl BackupDialog {
    /// The dialog, proposing `<folder>/paicha-备份-<date>.age`.
    pub fn new(folder: PathBuf, today: chrono::NaiveDate) -> BackupDialog {
        let file = folder.join(format!("paicha-备份-{}.age", today.format("%Y%m%d")));
        BackupDialog {
            path: file.display().to_string(),
            pass: String::new(),
            again: String::new(),
            focus: PASS,
            error: None,
            running: None,
        }
    }

    /// How many characters each passphrase field holds (drawn as dots).
    pub fn typed(&self, field: usize) -> usize {
        match field {
            PASS => self.pass.chars().count(),
            AGAIN => self.again.chars().count(),
            _ => self.path.chars().count(),
        }
    }

    fn field(&mut self) -> &mut String {
        match self.focus {
            PATH => &mut self.path,
            PASS => &mut self.pass,
            _ => &mut self.again,
        }
    }

    pub fn on_key(&mut self, ev: &KeyEvent) -> Vec<Step> {
        if self.running.is_some() {
            return vec![];
        }
        match keymap::lookup(keymap::BACKUP, ev) {
            Some(Cmd::Back) => return vec![Step::Close],
            Some(Cmd::Help) => return vec![Step::Help(keymap::BACKUP)],
            Some(Cmd::Save) => return self.submit(),
            Some(Cmd::Select) if self.focus == AGAIN => return self.submit(),
            Some(Cmd::Select | Cmd::Down) => self.focus = (self.focus + 1) % 3,
            Some(Cmd::Up) => self.focus = (self.focus + 2) % 3,
            Some(Cmd::Complete) if self.focus != PATH => self.focus = (self.focus + 1) % 3,
            Some(Cmd::Complete) => {
                let (completed, said) = super::path_completion::complete(&self.path);
                self.path = completed;
                if let Some(said) = said {
                    return vec![Step::Say(said)];
                }
            }
            _ => self.type_key(ev),
        }
        vec![]
    }

    fn type_key(&mut self, ev: &KeyEvent) {
        if ev
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return;
        }
        match ev.code {
            KeyCode::Char(c) => {
                self.field().push(c);
                self.error = None;
            }
            KeyCode::Backspace => {
                self.field().pop();
            }
            _ => {}
        }
    }

    fn submit(&mut self) -> Vec<Step> {
        let path = super::path_completion::effective(self.path.trim());
        let problem = if path.trim().is_empty() {
            Some("请填写备份文件的位置，如 U 盘上的 E:\\paicha-备份.age")
        } else if self.pass.chars().count() < crate::backup::MIN_PASSPHRASE_CHARS {
            Some("口令至少 8 个字符：备份可能随 U 盘丢失，口令是唯一的保护")
        } else if self.pass != self.again {
            Some("两次输入的口令不一致")
        } else {
            None
        };
        if let Some(p) = problem {
            self.error = Some(p.to_string());
            if self.pass != self.again {
                self.again.clear();
                self.focus = AGAIN;
            }
            return vec![];
        }
        self.running = Some((0, 0));
        vec![Step::Do(Effect::Start(Work::Backup {
            out: PathBuf::from(path.trim()),
            passphrase: Passphrase::new(std::mem::take(&mut self.pass)),
        }))]
    }

    /// Bytes written so far.
    pub fn progressed(&mut self, done: u64, total: u64) {
        self.running = Some((done, total));
    }

    /// The job ended in a refusal: the dialog again, the passphrase to type anew.
    pub fn failed(&mut self) {
        self.running = None;
        self.pass.clear();
        self.again.clear();
        self.focus = PASS;
    }
}

/// What a finished backup tells: where, how big, and that the passphrase is the only key.
pub fn done_lines(s: &crate::backup::BackupSummary) -> Vec<String> {
    use crate::storage::attachment_files::size_text;
    vec![
        format!("已备份并校验：{}", s.path.display()),
        format!(
            "{}，其中数据库 {}，附件 {} 个共 {}",
            size_text(s.size),
            size_text(s.database_bytes),
            s.attachments,
            size_text(s.attachment_bytes)
        ),
        "备份中没有私钥。口令请另行妥善保管：忘记口令则无法恢复。".into(),
        "恢复：paicha restore 备份文件 --data-dir 空目录".into(),
    ]
}

#[cfg(test)]
#[path = "backup_tests.rs"]
mod tests;
