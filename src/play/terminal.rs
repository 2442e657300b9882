//! The full-screen terminal UI: raw key input, the alternate screen, and painting what
//! [`screen::render`] lays out. Kept thin: every decision about what to show is in the game
//! and the renderer; this file only reads keys, keeps the `--flash` clock and paints.
//!
//! The terminal is put back as it was on every way out: the end, `q`, Ctrl-C (which raw mode
//! delivers as a key), SIGTERM or SIGHUP (the signal handler raises a flag the key loop looks
//! at every [`TICK`]; a second signal ends the process after [`restore`]), an I/O error (the
//! guard's `Drop`) and a panic (a hook that restores it before the panic message is printed).

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::style::{Attribute, Color, ContentStyle, PrintStyledContent, Stylize};
use crossterm::{cursor, execute, queue, terminal};

use super::game::{Game, Moved, Step};
use super::screen::{self, Line, Tone, View};
use super::{Ending, Moment};
use crate::interrupt::{Cancel, Signals};

/// Size assumed when the terminal does not say (some pseudo-terminals report 0×0).
const FALLBACK: (u16, u16) = (80, 24);

/// How often the key loop looks whether a signal asked the game to end.
const TICK: Duration = Duration::from_millis(100);

/// Set while the terminal is in raw mode on the alternate screen.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Raw mode and the alternate screen for as long as it lives.
struct Guard;

impl Guard {
    fn enter() -> io::Result<Guard> {
        install_panic_hook();
        terminal::enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let guard = Guard;
        execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide, event::EnableBracketedPaste)?;
        Ok(guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves the alternate screen, shows the cursor and ends raw mode, once (and nothing when
/// the terminal was not taken).
pub(super) fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = execute!(io::stdout(), event::DisableBracketedPaste, cursor::Show, terminal::LeaveAlternateScreen);
        let _ = terminal::disable_raw_mode();
    }
}

/// A panic mid-game would otherwise leave the terminal raw, with the message lost on the
/// alternate screen.
fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Which screen is showing, whatever is being typed on it: the `--flash` clock restarts
/// when this changes.
fn screen_of(step: &Step) -> (u8, usize) {
    match step {
        Step::Customer => (0, 0),
        Step::Hop(i) => (1, *i),
        Step::Typing { hop, .. } => (2, *hop),
        Step::End => (3, 0),
    }
}

/// Plays the game full screen until it ends, `q`, Ctrl-C or a signal (as `signals` report
/// it). `on` is told each time a person has typed a hop (to keep the typed hops) and each time
/// the end screen is reached (to save the played chain).
pub fn run(
    game: &mut Game,
    flash: Option<Duration>,
    color: bool,
    signals: &Signals,
    on: &mut dyn FnMut(&mut Game, Moment),
) -> io::Result<Ending> {
    // SIGTERM and SIGHUP raise a flag here instead of ending the process with the terminal raw
    let _section = signals.begin_cancellable();
    let cancel = signals.cancel();
    let _guard = Guard::enter()?;
    let mut out = io::BufWriter::new(io::stdout());
    let mut shown = (screen_of(game.step()), Instant::now());
    loop {
        let size = match terminal::size() {
            Ok((w, h)) if w > 0 && h > 0 => (w, h),
            _ => FALLBACK,
        };
        let flashing = flash.filter(|_| *game.step() != Step::End);
        let elapsed = shown.1.elapsed();
        let hidden = flashing.is_some_and(|f| elapsed >= f);
        let left = flashing.filter(|_| !hidden).map(|f| (f - elapsed).as_secs_f64().ceil() as u64);
        let view = View { width: size.0, height: size.1, color, hidden, flash_left: left };
        paint(&mut out, &screen::render(game, &view), color)?;
        // while the message is flashing, wake up for the countdown and the moment it goes
        let repaint_in = flashing.filter(|_| !hidden).map(|f| {
            let to_next_second = Duration::from_millis(1000 - (elapsed.as_millis() % 1000) as u64);
            to_next_second.min(f - elapsed).max(Duration::from_millis(20))
        });
        let Some(event) = next_event(repaint_in, cancel)? else {
            if cancel.is_cancelled() {
                return Ok(Ending::Interrupted);
            }
            continue;
        };
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                if let Some(ending) = on_key(game, key) {
                    return Ok(ending);
                }
            }
            Event::Paste(text) => game.type_text(&text),
            _ => {}
        }
        if game.take_typed() {
            on(game, Moment::Typed);
        }
        let now = screen_of(game.step());
        if now != shown.0 {
            shown = (now, Instant::now());
            if *game.step() == Step::End {
                on(game, Moment::End);
            }
        }
        if cancel.is_cancelled() {
            return Ok(Ending::Interrupted);
        }
    }
}

/// The next key, paste or resize; `None` when it is time to repaint (after `repaint_in`) or
/// a signal asked the game to end (`cancel`).
fn next_event(repaint_in: Option<Duration>, cancel: &Cancel) -> io::Result<Option<Event>> {
    let started = Instant::now();
    loop {
        if cancel.is_cancelled() {
            return Ok(None);
        }
        let left = repaint_in.map(|d| d.saturating_sub(started.elapsed()));
        if left == Some(Duration::ZERO) {
            return Ok(None);
        }
        // crossterm, waiting on a terminal that hung up, reads its end-of-file over and over
        // and never returns (a busy loop): so drift waits for input itself, and hands over to
        // crossterm only what is there to read
        if terminal_hung_up(Duration::ZERO) {
            // the room's typed hops are in the recovery file already
            return Err(io::Error::new(io::ErrorKind::BrokenPipe, "the terminal went away (hung up)"));
        }
        if event::poll(Duration::ZERO)? {
            return event::read().map(Some);
        }
        terminal_hung_up(left.map_or(TICK, |l| l.min(TICK)));
    }
}

/// Waits up to `wait` for input on the terminal; true when it has hung up (its window was
/// closed or its connection dropped).
fn terminal_hung_up(wait: Duration) -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let timeout = Timespec { tv_sec: wait.as_secs() as i64, tv_nsec: i64::from(wait.subsec_nanos()) };
    poll(&mut fds, Some(&timeout)).is_ok() && fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
}

/// What a key does; `Some` when the game is over.
fn on_key(game: &mut Game, key: KeyEvent) -> Option<Ending> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        return Some(Ending::Interrupted);
    }
    match game.step() {
        Step::Typing { .. } => match key.code {
            KeyCode::Enter => {
                game.submit();
            }
            KeyCode::Esc => game.back(),
            KeyCode::Backspace => game.backspace(),
            KeyCode::Char('u') if ctrl => game.clear_input(),
            KeyCode::Char('w') if ctrl => game.delete_word(),
            KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => game.type_text(&c.to_string()),
            _ => {}
        },
        Step::End => match key.code {
            KeyCode::Char('b') | KeyCode::Left | KeyCode::PageUp => game.back(),
            _ => return Some(Ending::Finished),
        },
        _ => match key.code {
            // presentation clickers send PageDown/PageUp or the arrow keys
            KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Char('n') | KeyCode::Right | KeyCode::Down | KeyCode::PageDown => {
                return (game.advance() == Moved::Finished).then_some(Ending::Finished);
            }
            KeyCode::Char('b') | KeyCode::Left | KeyCode::Up | KeyCode::PageUp | KeyCode::Backspace => game.back(),
            KeyCode::Char('r') => {
                game.retype();
            }
            KeyCode::Char('q') | KeyCode::Esc => return Some(Ending::Quit),
            _ => {}
        },
    }
    None
}

/// How a tone looks in colour; nothing at all without colour (`NO_COLOR`).
fn style(tone: Tone) -> ContentStyle {
    let s = ContentStyle::new();
    match tone {
        Tone::Plain => s,
        Tone::Chrome | Tone::Faint => s.with(Color::DarkGrey),
        Tone::Title | Tone::Role | Tone::Quote => s.attribute(Attribute::Bold),
        Tone::Note => s.attribute(Attribute::Italic),
        Tone::Removed => s.with(Color::Red).attribute(Attribute::CrossedOut),
        Tone::Added => s.with(Color::Green).attribute(Attribute::Bold),
        Tone::Human => s.with(Color::Magenta).attribute(Attribute::Bold),
        Tone::Warn => s.with(Color::Yellow).attribute(Attribute::Bold),
        Tone::Good => s.with(Color::Green),
        Tone::Fair => s.with(Color::Yellow),
        Tone::Poor => s.with(Color::Red),
        Tone::Input => s.with(Color::Cyan).attribute(Attribute::Bold),
    }
}

/// Paints a whole screen, row by row, each row cleared to its end (no flicker from clearing
/// the screen first).
fn paint(out: &mut impl Write, lines: &[Line], color: bool) -> io::Result<()> {
    queue!(out, terminal::BeginSynchronizedUpdate)?;
    for (row, line) in lines.iter().enumerate() {
        queue!(out, cursor::MoveTo(0, row as u16))?;
        for span in &line.spans {
            if color && span.tone != Tone::Plain {
                queue!(out, PrintStyledContent(style(span.tone).apply(span.text.as_str())))?;
            } else {
                out.write_all(span.text.as_bytes())?;
            }
        }
        queue!(out, terminal::Clear(terminal::ClearType::UntilNewLine))?;
    }
    queue!(out, terminal::EndSynchronizedUpdate)?;
    out.flush()
}
