//! The line mode, for when stdin or stdout is not a terminal (a pipe, a file, a screen
//! reader, a CI log): the same game as plain text, one screen after another, still paced by
//! Enter. No escape codes; word diffs are written `[-removed-]{+added+}`.
//!
//! Each line read is a command: empty (Enter) moves on, `b` goes back, `q` quits; at a human
//! hop the line is the retelling, refused whole (and asked for again) when it is longer than a
//! scenario text may be. When the input ends, the rest of the chain is shown without waiting,
//! but a human hop cannot be played without input. Lines are read with a bound, so no input
//! can fill the memory.

use std::io::{self, BufRead, Read as _, Write};

use super::game::{Game, Moved, Step};
use super::screen::{Line, Tone, diff_segments, score_caption, sparkline, wrap};
use super::{Ending, Moment};
use crate::format::percent;
use crate::interrupt::Cancel;
use crate::output::bar;
use crate::scenario::limits::MAX_TEXT_CHARS;

/// The text column of the transcript.
const WIDTH: usize = 88;

/// The longest line read whole: a retelling at the text limit in four-byte characters, and
/// its line ending. The rest of a longer line is read and dropped.
const MAX_LINE_BYTES: usize = MAX_TEXT_CHARS * 4 + 2;

/// A line of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// Without its line ending; bytes that are not UTF-8 become U+FFFD.
    Line(String),
    /// Longer than [`MAX_LINE_BYTES`]: dropped.
    TooLong,
}

/// Why the line mode stopped early.
#[derive(Debug)]
pub enum Stopped {
    /// A human hop came and the input had ended: 1-based hop.
    NoOneTyped(usize),
    Io(io::Error),
}

impl From<io::Error> for Stopped {
    fn from(e: io::Error) -> Stopped {
        Stopped::Io(e)
    }
}

/// Plays the game as a transcript on `out`, reading commands and retellings from `input`.
/// `prompt` (stderr when a person is at the keyboard) says what a line will do. `on` is told
/// each time a person has typed a hop and each time the end is reached. The game ends when
/// `cancel` is (a signal while the typed hops were being kept).
pub fn run(
    game: &mut Game,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    mut prompt: Option<&mut dyn Write>,
    cancel: &Cancel,
    on: &mut dyn FnMut(&mut Game, Moment),
) -> Result<Ending, Stopped> {
    let mut input_open = true;
    out.write_all(screen(game).as_bytes())?;
    loop {
        out.flush()?;
        let step = game.step().clone();
        let ask = match &step {
            Step::Typing { hop, .. } => {
                format!("Hop {} ({}) is yours: type what you pass on, then press Enter.", hop + 1, game.scenario().chain[*hop].role)
            }
            Step::End => "Enter: finish · b: back".to_string(),
            _ => "Enter: next · b: back · q: quit".to_string(),
        };
        let line = if input_open {
            if let Some(p) = prompt.as_deref_mut() {
                let _ = writeln!(p, "{ask}");
            }
            read_line(input)?
        } else {
            None
        };
        let Some(line) = line else {
            input_open = false;
            if let Step::Typing { hop, .. } = step {
                return Err(Stopped::NoOneTyped(hop + 1));
            }
            if game.advance() == Moved::Finished {
                return Ok(Ending::Finished);
            }
            after_move(game, out, &step, on)?;
            continue;
        };
        let line = match line {
            Read::Line(line) if line.chars().nth(MAX_TEXT_CHARS).is_none() => line,
            _ if matches!(step, Step::Typing { .. }) => {
                out.write_all(format!("   {}\n", too_long(&line)).as_bytes())?;
                continue;
            }
            // not a command
            _ => String::new(),
        };
        match (&step, line.trim()) {
            (Step::Typing { .. }, _) => {
                game.type_text(&line);
                if !game.submit() {
                    if let Some(n) = game.notice() {
                        out.write_all(format!("   {n}\n").as_bytes())?;
                    }
                    continue;
                }
            }
            (_, "q") if step != Step::End => return Ok(Ending::Quit),
            (_, "b") => game.back(),
            _ => {
                if game.advance() == Moved::Finished {
                    return Ok(Ending::Finished);
                }
            }
        }
        after_move(game, out, &step, on)?;
        // a signal came while the typed hops were being kept
        if cancel.is_cancelled() {
            return Ok(Ending::Interrupted);
        }
    }
}

/// Why a retelling line was refused.
fn too_long(line: &Read) -> String {
    let length = match line {
        Read::Line(l) => format!("{} characters", l.chars().count()),
        Read::TooLong => format!("more than {MAX_LINE_BYTES} bytes"),
    };
    format!(
        "That retelling is {length}; a retelling can be at most {MAX_TEXT_CHARS} characters, like any text in a scenario. Nothing was taken: type a shorter one."
    )
}

/// Prints the new screen after a move (nothing when the move changed nothing), keeping the
/// typed hops first when a person just typed one.
fn after_move(game: &mut Game, out: &mut dyn Write, before: &Step, on: &mut dyn FnMut(&mut Game, Moment)) -> io::Result<()> {
    if game.take_typed() {
        on(game, Moment::Typed);
    }
    if game.step() == before {
        return Ok(());
    }
    if *game.step() == Step::End {
        on(game, Moment::End);
    }
    out.write_all(screen(game).as_bytes())
}

/// A line without its line ending, read with a bound: at most [`MAX_LINE_BYTES`] are kept,
/// the rest of a longer line is skipped. `None` at the end of the input.
pub fn read_line(input: &mut dyn BufRead) -> io::Result<Option<Read>> {
    let mut line = Vec::new();
    if (&mut *input).take(MAX_LINE_BYTES as u64 + 1).read_until(b'\n', &mut line)? == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') && line.len() > MAX_LINE_BYTES {
        loop {
            let buf = input.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            match buf.iter().position(|&b| b == b'\n') {
                Some(at) => {
                    input.consume(at + 1);
                    break;
                }
                None => {
                    let n = buf.len();
                    input.consume(n);
                }
            }
        }
        return Ok(Some(Read::TooLong));
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    Ok(Some(Read::Line(String::from_utf8_lossy(&line).into_owned())))
}

/// Lines of text, the first after `first`, the rest indented by `indent`.
fn block(lines: &[Line], first: &str, indent: &str) -> String {
    let mut out = String::new();
    for (k, l) in lines.iter().enumerate() {
        out.push_str(if k == 0 { first } else { indent });
        out.push_str(&l.text());
        out.push('\n');
    }
    out
}

fn plain(text: &str, width: usize) -> Vec<Line> {
    wrap(&[(text.to_string(), Tone::Plain)], width)
}

fn quoted(mut segments: Vec<(String, Tone)>, width: usize) -> Vec<Line> {
    segments.insert(0, ("“".to_string(), Tone::Quote));
    segments.push(("”".to_string(), Tone::Quote));
    wrap(&segments, width)
}

/// The transcript of the current screen.
pub fn screen(game: &Game) -> String {
    let s = game.scenario();
    match game.step() {
        Step::Customer => {
            let mut out = block(&plain(&s.name, WIDTH), "", "");
            if let Some(d) = &s.description {
                out.push_str(&block(&plain(d, WIDTH), "", ""));
            }
            let who = s.customer.who.as_deref().unwrap_or("The customer");
            out.push_str(&format!("\n{who} said:\n"));
            out.push_str(&block(&quoted(vec![(s.customer.told().to_string(), Tone::Quote)], WIDTH - 2), "  ", "   "));
            let roles: Vec<String> = s
                .chain
                .iter()
                .enumerate()
                .map(|(i, h)| if game.is_marked_human(i) { format!("{} (human)", h.role) } else { h.role.clone() })
                .collect();
            out.push_str(&format!("\n{}", block(&plain(&format!("The chain: {}", roles.join(" → ")), WIDTH), "", "")));
            out
        }
        Step::Hop(i) => {
            let i = *i;
            let h = &game.hops()[i];
            let human = if h.human { " (human: typed in the room)" } else { "" };
            let note = h.note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
            let mut out = format!("\n{}", block(&plain(&format!("{}. {}{human}{note}", i + 1, h.role), WIDTH), "", "   "));
            out.push_str(&block(&quoted(diff_segments(game.incoming(i), &h.text, false), WIDTH - 3), "   ", "    "));
            if h.text == game.incoming(i) {
                out.push_str("   passed on unchanged\n");
            }
            let x = game.scores()[i].vs_customer[0];
            out.push_str(&format!(
                "   {} {:>4}  {}\n   {}\n",
                bar(x, 20),
                percent(x),
                score_caption(game),
                sparkline("the curve so far", &game.curve(Some(i)), WIDTH).text()
            ));
            if let Some(n) = game.notice() {
                out.push_str(&format!("   {n}\n"));
            }
            out
        }
        Step::Typing { hop, .. } => {
            let note = s.chain[*hop].note.as_deref().map(|n| format!(" — {n}")).unwrap_or_default();
            let mut out =
                format!("\n{}", block(&plain(&format!("{}. {} (your turn){note}", hop + 1, s.chain[*hop].role), WIDTH), "", "   "));
            out.push_str("   You heard:\n");
            out.push_str(&block(&quoted(vec![(game.incoming(*hop).to_string(), Tone::Quote)], WIDTH - 3), "   ", "    "));
            out
        }
        Step::End => end(game),
    }
}

fn end(game: &Game) -> String {
    let s = game.scenario();
    let n = game.chain_len();
    let x = game.scores()[n - 1].vs_customer[0];
    let who = s.customer.who.as_deref().unwrap_or("The customer");
    let mut out = format!("\nThe end, after {n} hops\n");
    out.push_str(&format!("  {who} said:\n"));
    out.push_str(&block(&quoted(vec![(s.customer.told().to_string(), Tone::Quote)], WIDTH - 4), "    ", "     "));
    out.push_str(&format!("  After {n} hops:\n"));
    out.push_str(&block(&quoted(vec![(game.text_after(Some(n - 1)).to_string(), Tone::Quote)], WIDTH - 4), "    ", "     "));
    out.push_str(&format!("  Score: {} {}\n", percent(x), score_caption(game)));
    out.push_str(&format!("  {}\n", sparkline("the whole curve", &game.curve(Some(n - 1)), WIDTH).text()));
    if let Some((i, fall)) = game.costliest() {
        out.push_str(&format!("  Costliest hop: {}. {}, −{:.0} points\n", i + 1, s.chain[i].role, fall * 100.0));
    }
    let typed: Vec<String> = game.typed().iter().map(|(i, _)| format!("{}. {}", i + 1, s.chain[*i].role)).collect();
    if !typed.is_empty() {
        out.push_str(&format!("  Typed in the room: {}\n", typed.join(", ")));
    }
    if let Some(c) = game.closing() {
        out.push_str(&format!("  {c}\n"));
    }
    out
}
