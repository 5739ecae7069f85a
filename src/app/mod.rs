//! The TUI: terminal setup and restore, the event loop, and key handling.
//!
//! The loop blocks on `crossterm::event::read()`: nothing runs while the inspector is not
//! typing, so an idle paicha costs no battery.

mod lock;
pub mod search;

use crate::domain::SystemClock;
use crate::storage::Store;
use crate::ui::home::{self, HomeView};
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::DefaultTerminal;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

/// What a key asks the app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
}

/// Maps a key press to an action; `None` for keys this screen does not use.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    match key.code {
        KeyCode::Char('q') | KeyCode::Esc => Some(Action::Quit),
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Some(Action::Quit),
        _ => None,
    }
}

/// Opens the data directory and runs the TUI until the user quits.
pub fn run(data_dir: &Path, config_dir: Option<&Path>) -> anyhow::Result<()> {
    // A broken template is reported (file:line:col) before the screen opens.
    let _catalog = crate::cli::catalog(config_dir)?;
    let store = Store::open(data_dir, Arc::new(SystemClock))?;
    let _lock = lock::DataDirLock::acquire(data_dir)?;
    let view = HomeView::load(&store, data_dir)?;
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        anyhow::bail!(
            "paicha 的界面需要在终端窗口中运行（现在的输入或输出不是终端）。命令行用法见 paicha --help"
        );
    }
    // `try_init` also installs a panic hook that restores the terminal first.
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            anyhow::bail!(
                "无法打开终端界面：{}",
                crate::storage::error::describe_io(&e)
            );
        }
    };
    let result = event_loop(&mut terminal, &view);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut DefaultTerminal, view: &HomeView) -> anyhow::Result<()> {
    loop {
        terminal.draw(|frame| home::draw(frame, view))?;
        // Redraw only when something changed: a resize here; state changes in later screens.
        loop {
            match event::read()? {
                Event::Key(key) if action_for(key) == Some(Action::Quit) => return Ok(()),
                Event::Resize(..) => break,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn quit_keys() {
        assert_eq!(
            action_for(press(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(press(KeyCode::Esc, KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(press(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(press(KeyCode::Char('c'), KeyModifiers::NONE)),
            None
        );
        let mut release = press(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(action_for(release), None);
    }
}
