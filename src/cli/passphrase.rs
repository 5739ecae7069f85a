//! A passphrase typed at the terminal without being shown (no crate for it: crossterm's raw
//! mode already works on every console paicha runs on, Windows included).

use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
use std::io::{IsTerminal, Write};

/// Asks for a passphrase after `prompt` on standard error; the characters typed are not shown.
pub fn ask(prompt: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("没有可输入口令的终端：请用 --passphrase-file 文件 给出口令");
    }
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    crossterm::terminal::enable_raw_mode()?;
    let typed = read_hidden();
    let _ = crossterm::terminal::disable_raw_mode();
    eprintln!();
    typed
}

fn read_hidden() -> anyhow::Result<String> {
    let mut typed = String::new();
    loop {
        let Event::Key(key) = read()? else { continue };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        match key.code {
            KeyCode::Enter => return Ok(typed),
            KeyCode::Esc => anyhow::bail!("已取消"),
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                anyhow::bail!("已取消")
            }
            KeyCode::Backspace => {
                typed.pop();
            }
            KeyCode::Char(c) => typed.push(c),
            _ => {}
        }
    }
}
