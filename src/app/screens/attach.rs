//! The file browser that attaches photos, videos and scans to a record (issue 17): opened with
//! `i` from any screen showing a record an attachment can target, on the folder last used.
//! Folders first, then the files paicha accepts (by their first bytes, not their names),
//! newest capture first; space marks, Enter enters a folder or attaches. Pure: the listing and
//! the attaching are effects (`app::effects::attach`).

use super::Step;
use crate::app::keymap::{self, Cmd};
use crate::app::msg::Effect;
use crate::domain::attachment::PhotoRole;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use std::collections::BTreeSet;
use std::path::PathBuf;
use uuid::Uuid;

/// What the files go to: a record's id (an answer's: its inspection's, with the item), the
/// role of a hazard photo, and how the browser names it.
#[derive(Debug, Clone, PartialEq)]
pub struct AttachTo {
    pub id: Uuid,
    pub item: Option<String>,
    pub role: Option<PhotoRole>,
    /// A hazard's photo: Tab sets its role (整改前 / 整改后), e.g. for a 验收.
    pub hazard: bool,
    /// "检查项 E3", "执法措施 责令限期整改", …
    pub label: String,
}

/// One row of a folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub name: String,
    pub path: PathBuf,
    /// `None` for a folder; else the media type by the file's first bytes.
    pub media_type: Option<&'static str>,
    /// The capture time the file says (EXIF, container), else its modification time.
    pub time: Option<DateTime<Utc>>,
    /// `time` is the file's modification time, not one it records itself.
    pub file_time: bool,
    pub size: u64,
}

/// A file already attached to the record, with where its stored copy is.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub record: crate::domain::Record<crate::domain::attachment::Attachment>,
    pub path: PathBuf,
}

impl Entry {
    pub fn is_folder(&self) -> bool {
        self.media_type.is_none()
    }
}

/// A folder as read: its rows (sorted by [`sort`]), and how many files were left out (not a
/// photo, video or scan, or unreadable).
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub dir: PathBuf,
    pub entries: Vec<Entry>,
    pub skipped: usize,
}

/// Folders first by name, then files newest first (no time last), then by name.
pub fn sort(entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
        b.is_folder()
            .cmp(&a.is_folder())
            .then_with(|| match (a.is_folder(), a.time, b.time) {
                (true, _, _) => std::cmp::Ordering::Equal,
                (false, Some(x), Some(y)) => y.cmp(&x),
                (false, Some(_), None) => std::cmp::Ordering::Less,
                (false, None, Some(_)) => std::cmp::Ordering::Greater,
                (false, None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.name.cmp(&b.name))
    });
}

pub struct Browser {
    pub to: AttachTo,
    /// The folder shown; `None` until the first listing arrives.
    pub dir: Option<PathBuf>,
    pub entries: Vec<Entry>,
    pub skipped: usize,
    pub selected: usize,
    /// Files marked with space, by path (kept while moving between folders).
    pub marked: BTreeSet<PathBuf>,
    /// The files being attached (the runner is at work): keys wait but Esc, which hides the
    /// browser while the job goes on.
    pub attaching: Option<usize>,
    /// Bytes copied of bytes to copy, while attaching.
    pub progress: (u64, u64),
    /// A folder is being read (the list shown is the one before).
    pub reading: bool,
    /// The files the record already has, once listed.
    pub attached: Vec<Stored>,
    /// Showing those (`v`) instead of the folder, with the one selected.
    pub showing_attached: bool,
    pub attached_selected: usize,
    /// Thumbnails of the photos looked at (drawing needs them mutable: a `RefCell`).
    pub thumbs: std::cell::RefCell<crate::app::preview::Thumbs>,
    /// The preview's size in cells, as last drawn (thumbnails are encoded for it).
    pub cells: std::cell::Cell<Option<ratatui::layout::Size>>,
}

impl AttachTo {
    /// The target as the browser's title names it, with the role of a hazard photo.
    pub fn title(&self) -> String {
        match (self.hazard, self.role) {
            (false, _) => self.label.clone(),
            (true, None) => format!("{}（用途未注明，Tab 选 整改前/整改后）", self.label),
            (true, Some(r)) => format!("{}（{}，Tab 切换）", self.label, r.label()),
        }
    }
}

impl Browser {
    /// The browser for `to`, and the effect that lists the folder to open on.
    pub fn open(to: AttachTo) -> Vec<Step> {
        vec![
            Step::Open(super::overlays::Overlay::Attach(Box::new(Browser {
                dir: None,
                entries: Vec::new(),
                skipped: 0,
                selected: 0,
                marked: BTreeSet::new(),
                attaching: None,
                progress: (0, 0),
                reading: true,
                attached: Vec::new(),
                showing_attached: false,
                attached_selected: 0,
                thumbs: Default::default(),
                cells: Default::default(),
                to: to.clone(),
            }))),
            Step::Do(Effect::ListAttached(to)),
            Step::Do(Effect::ListFolder(None)),
        ]
    }

    /// A folder was read: shown, with the folder just left selected when going up.
    pub fn listed(&mut self, listing: Listing) {
        let came_from = self.dir.take();
        self.selected = came_from
            .and_then(|from| listing.entries.iter().position(|e| e.path == from))
            .unwrap_or(0);
        self.dir = Some(listing.dir);
        self.entries = listing.entries;
        self.skipped = listing.skipped;
        self.reading = false;
    }

    /// The files the record has were listed.
    pub fn attached_listed(&mut self, stored: Vec<Stored>) {
        self.attached_selected = self.attached_selected.min(stored.len().saturating_sub(1));
        self.attached = stored;
    }

    /// The stored file selected in the 已附 list.
    pub fn current_stored(&self) -> Option<&Stored> {
        self.attached.get(self.attached_selected)
    }

    /// The file previewed now (the selected one of the list shown): its thumbnail key and type.
    fn previewed(&self) -> Option<(crate::app::preview::Key, &str)> {
        if self.showing_attached {
            let s = self.current_stored()?;
            Some((
                (s.path.clone(), s.record.data.size),
                &s.record.data.media_type,
            ))
        } else {
            let e = self.current()?;
            Some(((e.path.clone(), e.size), e.media_type?))
        }
    }

    /// Bytes copied so far while attaching.
    pub fn progressed(&mut self, done: u64, total: u64) {
        self.progress = (done, total);
    }

    /// The thumbnail to ask for: the selected photo's (JPEG or PNG), unless kept or asked.
    pub fn want_preview(&mut self) -> Vec<Step> {
        let Some((key, media_type)) = self.previewed() else {
            return vec![];
        };
        if !matches!(media_type, "image/jpeg" | "image/png") {
            return vec![];
        }
        let mut thumbs = self.thumbs.borrow_mut();
        if thumbs.known(&key) {
            return vec![];
        }
        thumbs.pending.push(key.clone());
        vec![Step::Do(Effect::Thumbnail {
            key,
            cells: self.cells.get(),
        })]
    }

    /// A thumbnail arrived.
    pub fn thumbnail(&mut self, key: crate::app::preview::Key, made: crate::app::preview::Made) {
        use crate::app::preview::Thumb;
        let thumb = match made.0 {
            Ok(p) => Thumb::Ready(Box::new(p)),
            Err(why) => Thumb::Failed(why),
        };
        self.thumbs.borrow_mut().insert(key, thumb);
    }

    pub fn current(&self) -> Option<&Entry> {
        self.entries.get(self.selected)
    }

    /// The files to attach: those marked, else the selected one.
    pub fn chosen(&self) -> Vec<PathBuf> {
        if !self.marked.is_empty() {
            return self.marked.iter().cloned().collect();
        }
        match self.current() {
            Some(e) if !e.is_folder() => vec![e.path.clone()],
            _ => vec![],
        }
    }

    fn attach(&mut self) -> Vec<Step> {
        let files = self.chosen();
        if files.is_empty() {
            return vec![Step::Say(
                "没有选中照片或视频：用空格标记文件，或移到一个文件上再按 Enter".into(),
            )];
        }
        self.attaching = Some(files.len());
        self.progress = (0, 0);
        vec![Step::Do(Effect::Attach {
            to: self.to.clone(),
            files,
        })]
    }

    pub fn on_key(&mut self, ev: &KeyEvent) -> Vec<Step> {
        let mut steps = self.key(ev);
        if !steps.iter().any(|s| matches!(s, Step::Close)) {
            steps.extend(self.want_preview());
        }
        steps
    }

    fn key(&mut self, ev: &KeyEvent) -> Vec<Step> {
        let cmd = keymap::lookup(keymap::ATTACH, ev);
        if self.attaching.is_some() {
            return match cmd {
                // The job goes on; its outcome is said wherever the user is then.
                Some(Cmd::Back) => vec![
                    Step::Close,
                    Step::Say("附件在后台继续添加，完成后会提示".into()),
                ],
                _ => vec![],
            };
        }
        if self.showing_attached {
            return self.attached_key(keymap::lookup(keymap::ATTACH_STORED, ev));
        }
        let last = self.entries.len().saturating_sub(1);
        match cmd {
            Some(Cmd::ShowAttached) => return self.show_attached(),
            Some(Cmd::Down) => self.selected = (self.selected + 1).min(last),
            Some(Cmd::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Cmd::PageDown) => self.selected = (self.selected + 10).min(last),
            Some(Cmd::PageUp) => self.selected = self.selected.saturating_sub(10),
            Some(Cmd::First) => self.selected = 0,
            Some(Cmd::Last) => self.selected = last,
            Some(Cmd::Select) => match self.current() {
                Some(e) if e.is_folder() => {
                    return vec![Step::Do(Effect::ListFolder(Some(e.path.clone())))];
                }
                _ => return self.attach(),
            },
            Some(Cmd::Save) => return self.attach(),
            Some(Cmd::SwitchPane) if self.to.hazard => {
                self.to.role = match self.to.role {
                    None => Some(PhotoRole::Before),
                    Some(PhotoRole::Before) => Some(PhotoRole::After),
                    Some(PhotoRole::After) => None,
                };
            }
            Some(Cmd::SwitchPane) => {
                return vec![Step::Say("只有隐患的照片分“整改前/整改后”".into())];
            }
            Some(Cmd::Parent) => {
                if let Some(parent) = self.dir.as_ref().and_then(|d| d.parent()) {
                    return vec![Step::Do(Effect::ListFolder(Some(parent.to_path_buf())))];
                }
            }
            Some(Cmd::Toggle) => {
                if let Some(e) = self.current().filter(|e| !e.is_folder()) {
                    let path = e.path.clone();
                    if !self.marked.remove(&path) {
                        self.marked.insert(path);
                    }
                    self.selected = (self.selected + 1).min(last);
                }
            }
            Some(Cmd::MarkAll) => {
                let files: Vec<PathBuf> = self
                    .entries
                    .iter()
                    .filter(|e| !e.is_folder())
                    .map(|e| e.path.clone())
                    .collect();
                // Pressed again with all marked: unmarks them.
                if files.iter().all(|f| self.marked.contains(f)) {
                    for f in &files {
                        self.marked.remove(f);
                    }
                } else {
                    self.marked.extend(files);
                }
            }
            Some(Cmd::Back) => return vec![Step::Close],
            Some(Cmd::Help) => return vec![Step::Help(keymap::ATTACH)],
            _ => {}
        }
        vec![]
    }

    fn show_attached(&mut self) -> Vec<Step> {
        if self.attached.is_empty() {
            return vec![Step::Say(format!("{}还没有附件", self.to.label))];
        }
        self.showing_attached = true;
        vec![]
    }

    /// Keys over the 已附 list: moving, back to the folder; no key changes a stored file.
    fn attached_key(&mut self, cmd: Option<Cmd>) -> Vec<Step> {
        let last = self.attached.len().saturating_sub(1);
        let at = &mut self.attached_selected;
        match cmd {
            Some(Cmd::Down) => *at = (*at + 1).min(last),
            Some(Cmd::Up) => *at = at.saturating_sub(1),
            Some(Cmd::PageDown) => *at = (*at + 10).min(last),
            Some(Cmd::PageUp) => *at = at.saturating_sub(10),
            Some(Cmd::First) => *at = 0,
            Some(Cmd::Last) => *at = last,
            Some(Cmd::ShowAttached | Cmd::Back) => self.showing_attached = false,
            Some(Cmd::Help) => return vec![Step::Help(keymap::ATTACH_STORED)],
            _ => {}
        }
        vec![]
    }

    /// The attaching failed: keys again, the marks kept so the user can fix and retry.
    pub fn failed(&mut self) {
        self.attaching = None;
    }
}

#[cfg(test)]
#[path = "attach_tests.rs"]
mod tests;
