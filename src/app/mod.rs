//! The TUI: terminal setup and restore, the event loop, the effect runner.
//!
//! One direction of flow: key → [`Msg`] → [`App::update`] (pure) → [`Effect`]s → the runner
//! does the I/O → its answer is another `Msg` → redraw. The loop blocks on
//! `crossterm::event::read()`: nothing runs while the inspector is not typing, so an idle
//! paicha costs no battery. Once a key arrives, every event already waiting is handled before
//! the next draw.

pub mod effects;
pub mod form;
pub mod jobs;
pub mod keymap;
mod ledger_cache;
mod lock;
pub mod msg;
pub mod preview;
pub mod screens;
pub mod search;
pub mod state;

#[cfg(test)]
pub(crate) mod tests;

use crate::domain::{Clock, SystemClock};
use crate::storage::Store;
use crate::templates::Catalog;
use effects::Runner;
use msg::{Effect, Msg};
use ratatui::DefaultTerminal;
use screens::Ctx;
use state::App;
use std::collections::VecDeque;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

/// Opens the data directory and runs the TUI until the user quits.
pub fn run(data_dir: &Path, config_dir: Option<&Path>) -> anyhow::Result<()> {
    // A broken template is reported (file:line:col) before the screen opens.
    let catalog = crate::cli::catalog(config_dir)?;
    let clock = Arc::new(SystemClock);
    let mut store = Store::open(data_dir, clock.clone())?;
    store.set_permissions(catalog.rules.permissions.clone());
    store.set_forms(catalog.forms.clone());
    store.set_attachment_rules(catalog.rules.attachments);
    let _lock = lock::DataDirLock::acquire(data_dir)?;
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
    // The hook just installed restores the terminal: right whenever the process ends, wrong
    // for a background job's panic that the app survives (reported as a failed job).
    let restore = std::panic::take_hook();
    let log = crate::support_log::log_path(data_dir);
    std::panic::set_hook(Box::new(move |info| {
        let on_main = std::thread::current().name() == Some("main");
        if panic_ends_program(on_main, cfg!(panic = "abort")) {
            restore(info); // restores the terminal, then logs (support_log::init's hook)
            eprintln!("{}", crash_notice(&log));
        } else {
            crate::support_log::log_panic(info);
        }
    }));
    // Pasted text (and some input methods' commits) arrive as one paste event.
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste);
    // Coming back to the window (after a command run in another one) reloads what the screen
    // shows from the database: no polling while idle.
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableFocusChange);
    // Which graphics the terminal shows photos with: from the environment, not asked (see
    // preview::picker), so the first frame never waits.
    let picker = preview::picker();
    let mut runner = Runner::new(&mut store, &catalog, data_dir.display().to_string());
    runner.set_previews(preview::Worker::start(picker));
    let result = event_loop(&mut terminal, &mut runner, &catalog, clock.as_ref());
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableFocusChange);
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
    ratatui::restore();
    result
}

/// Whether a panic ends the program: always on the UI thread, and on any thread in builds
/// that abort on panic (the shipped release, for size: see Cargo.toml). Only then is the
/// terminal restored; otherwise the screen stays up and the job is reported as failed.
fn panic_ends_program(on_main_thread: bool, aborts_on_panic: bool) -> bool {
    on_main_thread || aborts_on_panic
}

/// What the inspector reads on the restored terminal after a crash.
fn crash_notice(log: &Path) -> String {
    format!(
        "paicha 遇到内部错误，已经退出。已经保存的记录不受影响（每一项在填写时就已写入数据库），\
         重新运行 paicha 即可继续。出错经过已记入日志：{}，请把它交给技术支持。",
        log.display()
    )
}

/// The effects to run at start: the home screen, and the draft the app was in, if any.
pub fn startup(runner: &Runner) -> Vec<Effect> {
    let mut effects = vec![Effect::LoadHome, Effect::WarmLedger];
    if let Some(place) = runner.resume() {
        effects.push(Effect::OpenInspection(place.inspection, Some(place)));
    }
    // A loose form (ledger, monthly table, documents) a crash interrupted: reopened last, on
    // top.
    effects.push(Effect::ResumeLooseForm);
    effects
}

/// Runs effects until none are left, feeding each answer back through `update`; the place to
/// remember is written before it returns.
pub fn settle(app: &mut App, runner: &mut Runner, effects: Vec<Effect>, ctx: &Ctx) {
    settle_deferred(app, runner, effects, ctx);
    if let Some(msg) = runner.flush_place() {
        let more = app.update(msg, ctx);
        settle_deferred(app, runner, more, ctx);
    }
}

/// [`settle`], except that remembering the place waits for the next draw (see
/// [`Runner::defer`]): a burst of keys costs one durable write of where the app is.
fn settle_deferred(app: &mut App, runner: &mut Runner, effects: Vec<Effect>, ctx: &Ctx) {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        // The support log's steps: the effect's variant name only, never its payload.
        let name = crate::support_log::variant(&effect);
        tracing::debug!(effect = name.as_str(), "effect");
        if let Some(msg) = runner.defer(effect) {
            if is_failure(&msg) {
                tracing::warn!(effect = name.as_str(), "effect failed");
            }
            queue.extend(app.update(msg, ctx));
        }
    }
}

/// Whether an effect's answer says it failed (for the support log).
fn is_failure(msg: &Msg) -> bool {
    matches!(
        msg,
        Msg::Failed(_) | Msg::JobDone(msg::JobOutcome::Failed(_)) | Msg::Attached(Err(_))
    )
}

/// Whether the screen is below the size the layout needs (it then says so, and keys wait).
pub fn too_small(width: u16, height: u16) -> bool {
    width < crate::ui::MIN_WIDTH || height < crate::ui::MIN_HEIGHT
}

/// How long to look for more input once some arrived. Not zero: crossterm's reader only
/// looks at the terminal again when given time, and a burst longer than its 1 KB buffer
/// would otherwise be drawn a piece at a time.
const DRAIN: std::time::Duration = std::time::Duration::from_millis(1);

fn event_loop(
    terminal: &mut DefaultTerminal,
    runner: &mut Runner,
    catalog: &Catalog,
    clock: &dyn Clock,
) -> anyhow::Result<()> {
    let mut app = App::default();
    let ctx = Ctx {
        catalog,
        now: clock.now(),
    };
    let first = startup(runner);
    settle(&mut app, runner, first, &ctx);
    loop {
        let ctx = Ctx {
            catalog,
            now: clock.now(),
        };
        // What the keys since the last draw changed is durable before it is shown.
        if let Some(msg) = runner.flush_place() {
            let effects = app.update(msg, &ctx);
            settle(&mut app, runner, effects, &ctx);
        }
        let drawn = terminal.draw(|frame| crate::ui::draw(frame, &app, &ctx))?;
        app.too_small = too_small(drawn.area.width, drawn.area.height);
        if app.quit {
            return Ok(());
        }
        // Block until something happens: no tick, no polling while idle. Only while a bundle
        // job runs or a thumbnail is being made does the loop wake up (10 times a second) to
        // show how far it is.
        let first = loop {
            if runner.busy() && !crossterm::event::poll(std::time::Duration::from_millis(100))? {
                match runner.poll_job() {
                    Some(news) => {
                        let effects = app.update(news, &ctx);
                        settle_deferred(&mut app, runner, effects, &ctx);
                        break None;
                    }
                    None => continue,
                }
            }
            break Some(crossterm::event::read()?);
        };
        if let Some(event) = first {
            handle_event(&mut app, runner, event, catalog, clock);
            // Then every event already waiting, before the next draw: a typed burst of any
            // length (an input method's commit, a barcode scanner, tmux) lands whole, and
            // the Ctrl-S typed after it acts.
            while !app.quit && crossterm::event::poll(DRAIN)? {
                let event = crossterm::event::read()?;
                handle_event(&mut app, runner, event, catalog, clock);
            }
        }
    }
}

/// One terminal event through `update`.
fn handle_event(
    app: &mut App,
    runner: &mut Runner,
    event: crossterm::event::Event,
    catalog: &Catalog,
    clock: &dyn Clock,
) {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let ctx = Ctx {
        catalog,
        now: clock.now(),
    };
    let msgs = match event {
        Event::Key(key) => vec![Msg::Key(key)],
        Event::FocusGained => vec![Msg::FocusGained],
        Event::Resize(width, height) => {
            // Keys read after a shrink, before the next draw, are already held back.
            app.too_small = too_small(width, height);
            vec![Msg::Resize]
        }
        // Pasted text arrives as typed characters (IME commits can come this way).
        Event::Paste(text) => text
            .chars()
            .map(|c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
            .collect(),
        _ => vec![],
    };
    for msg in msgs {
        let effects = app.update(msg, &ctx);
        settle_deferred(app, runner, effects, &ctx);
    }
}
