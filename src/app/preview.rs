//! Previews of photos (issue 17, Deliver 3): the terminal's graphics protocol where it has one
//! (sixel, kitty, iTerm2), half blocks elsewhere. Thumbnails are decoded and encoded on a
//! worker thread and kept by the app (a few, least recently used out); the UI never waits on
//! an image: it draws "正在生成预览" until the worker answers, and the event loop wakes for
//! the answer as it does for a bundle job.

use super::msg::Msg;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use ratatui::layout::Size;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::StatefulProtocol;
use ratatui_image::{Resize, ResizeEncodeRender};
use std::collections::VecDeque;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

/// The longest side of a thumbnail, in pixels: enough for a sixel preview in half a screen.
const MAX_SIDE: u32 = 640;
/// Photos larger than this are not read for a preview (they are attached all the same).
const MAX_BYTES: u64 = 64 * 1024 * 1024;
/// How many thumbnails the app keeps.
pub const CACHE: usize = 16;

/// Which thumbnail: the file (a listed one, or an attachment's stored copy) and its size.
pub type Key = (PathBuf, u64);

/// The picker for this terminal. Asking the terminal (sixel/kitty/iTerm2 support) blocks the
/// first frame for up to its timeout on terminals that never answer (the classic Windows
/// console, tmux without passthrough) and ratatui-image 11's reader can then eat the first key,
/// so it is not asked by default: `PAICHA_GRAPHICS=halfblocks|sixel|kitty|iterm2` chooses,
/// `PAICHA_GRAPHICS=query` asks (1 s timeout), and otherwise the protocol is read from the
/// environment that graphics-capable terminals set, half blocks everywhere else.
pub fn picker() -> Picker {
    let forced = std::env::var("PAICHA_GRAPHICS").ok();
    let env = |name: &str| std::env::var(name).unwrap_or_default();
    let protocol = match forced.as_deref().map(str::trim) {
        Some("query") => None,
        Some(named) if protocol_named(named).is_some() => protocol_named(named),
        _ => Some(protocol_from_env(
            &env("TERM"),
            &env("TERM_PROGRAM"),
            !env("KITTY_WINDOW_ID").is_empty(),
        )),
    };
    match protocol {
        Some(p) => {
            let mut picker = Picker::halfblocks();
            picker.set_protocol_type(p);
            picker
        }
        None => {
            let options = ratatui_image::picker::cap_parser::QueryStdioOptions {
                timeout: std::time::Duration::from_secs(1),
                ..Default::default()
            };
            Picker::from_query_stdio_with_options(options).unwrap_or_else(|_| Picker::halfblocks())
        }
    }
}

fn protocol_named(name: &str) -> Option<ProtocolType> {
    match name {
        "halfblocks" => Some(ProtocolType::Halfblocks),
        "sixel" => Some(ProtocolType::Sixel),
        "kitty" => Some(ProtocolType::Kitty),
        "iterm2" => Some(ProtocolType::Iterm2),
        _ => None,
    }
}

/// The graphics protocol a terminal announces through its environment, without asking it.
fn protocol_from_env(term: &str, term_program: &str, kitty_window: bool) -> ProtocolType {
    if kitty_window || term == "xterm-kitty" || term == "xterm-ghostty" {
        ProtocolType::Kitty
    } else if matches!(term_program, "iTerm.app" | "WezTerm") {
        ProtocolType::Iterm2
    } else if term.starts_with("foot") || term == "mlterm" || term_program == "mintty" {
        ProtocolType::Sixel
    } else {
        ProtocolType::Halfblocks
    }
}

#[cfg(test)]
mod picker_tests {
    use super::*;

    #[test]
    fn the_protocol_comes_from_the_environment_and_half_blocks_are_the_default() {
        assert_eq!(
            protocol_from_env("xterm-256color", "", false),
            ProtocolType::Halfblocks
        );
        assert_eq!(
            protocol_from_env("screen-256color", "tmux", false),
            ProtocolType::Halfblocks
        );
        assert_eq!(
            protocol_from_env("xterm-kitty", "", false),
            ProtocolType::Kitty
        );
        assert_eq!(
            protocol_from_env("xterm-256color", "", true),
            ProtocolType::Kitty
        );
        assert_eq!(
            protocol_from_env("xterm-256color", "iTerm.app", false),
            ProtocolType::Iterm2
        );
        assert_eq!(protocol_from_env("foot", "", false), ProtocolType::Sixel);
        assert_eq!(protocol_named("sixel"), Some(ProtocolType::Sixel));
        assert_eq!(protocol_named("query"), None);
    }
}

/// A small upright copy of the JPEG or PNG at `path`: decoded under limits, shrunk, then
/// turned by its EXIF orientation (turning the shrunk copy is cheaper).
pub fn thumbnail(path: &Path) -> Result<DynamicImage, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("无法读取：{e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("无法读取：{e}"))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err("文件太大，不生成预览".into());
    }
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("无法读取：{e}"))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let bad = |e: image::ImageError| format!("图像无法解码（{e}）");
    let mut decoder = reader.into_decoder().map_err(bad)?;
    let orientation = decoder.orientation().map_err(bad)?;
    let decoded = DynamicImage::from_decoder(decoder).map_err(bad)?;
    // `thumbnail` also enlarges: a small picture is kept as it is.
    let mut thumb = if decoded.width().max(decoded.height()) > MAX_SIDE {
        decoded.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        decoded
    };
    thumb.apply_orientation(orientation);
    Ok(thumb)
}

/// The protocol image for `path`, already encoded for `cells` when known (drawing it in an
/// area of that size then costs nothing).
pub fn encode(
    picker: &Picker,
    path: &Path,
    cells: Option<Size>,
) -> Result<StatefulProtocol, String> {
    let mut protocol = picker.new_resize_protocol(thumbnail(path)?);
    if let Some(size) = cells {
        protocol.resize_encode(&Resize::Fit(None), size);
    }
    Ok(protocol)
}

/// What the worker made of one file (a protocol image is not `Debug`, messages are).
pub struct Made(pub Result<StatefulProtocol, String>);

impl std::fmt::Debug for Made {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Ok(_) => f.write_str("Made(Ok(..))"),
            Err(e) => write!(f, "Made(Err({e:?}))"),
        }
    }
}

/// A thumbnail as the app keeps it.
pub enum Thumb {
    Ready(Box<StatefulProtocol>),
    Failed(String),
}

/// The thumbnails the app keeps, most recently used last, and those asked for.
#[derive(Default)]
pub struct Thumbs {
    kept: VecDeque<(Key, Thumb)>,
    pub pending: Vec<Key>,
}

impl Thumbs {
    /// Whether `key` is kept or on its way.
    pub fn known(&self, key: &Key) -> bool {
        self.pending.contains(key) || self.kept.iter().any(|(k, _)| k == key)
    }

    pub fn insert(&mut self, key: Key, thumb: Thumb) {
        self.pending.retain(|k| *k != key);
        self.kept.retain(|(k, _)| *k != key);
        self.kept.push_back((key, thumb));
        while self.kept.len() > CACHE {
            self.kept.pop_front();
        }
    }

    /// The thumbnail of `key`, marked as used.
    pub fn get(&mut self, key: &Key) -> Option<&mut Thumb> {
        let at = self.kept.iter().position(|(k, _)| k == key)?;
        let entry = self.kept.remove(at)?;
        self.kept.push_back(entry);
        self.kept.back_mut().map(|(_, t)| t)
    }

    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }
}

/// The thread that makes thumbnails, and what it has answered.
pub struct Worker {
    tx: Sender<(Key, Option<Size>)>,
    done: Receiver<(Key, Result<StatefulProtocol, String>)>,
    pending: usize,
}

impl Worker {
    pub fn start(picker: Picker) -> Worker {
        let (tx, rx) = channel::<(Key, Option<Size>)>();
        let (done_tx, done) = channel();
        // Without a thread (none could be started) the requests fail to send: nothing is
        // pending, and the preview stays a card.
        let _ = std::thread::Builder::new()
            .name("preview".into())
            .spawn(move || {
                while let Ok((key, cells)) = rx.recv() {
                    let made = encode(&picker, &key.0, cells);
                    if done_tx.send((key, made)).is_err() {
                        break;
                    }
                }
            });
        Worker {
            tx,
            done,
            pending: 0,
        }
    }

    pub fn request(&mut self, key: Key, cells: Option<Size>) {
        if self.tx.send((key, cells)).is_ok() {
            self.pending += 1;
        }
    }

    /// Whether a thumbnail is on its way (the loop then wakes to show it).
    pub fn busy(&self) -> bool {
        self.pending > 0
    }

    /// A thumbnail the worker finished, if any.
    pub fn poll(&mut self) -> Option<Msg> {
        let (key, made) = self.done.try_recv().ok()?;
        self.pending = self.pending.saturating_sub(1);
        Some(Msg::Thumbnail(key, Made(made)))
    }
}

#[cfg(test)]
#[path = "preview_tests.rs"]
pub(crate) mod tests;
