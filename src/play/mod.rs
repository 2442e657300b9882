//! `drift play`: workshop mode. The chain is revealed one hop at a time on a projector, and
//! people in the room can play hops themselves.
//!
//! The played run is run 0 of the seed, the run `drift run` traces, so the room sees what the
//! report shows. The game itself ([`game`]) is a state machine without I/O; [`screen`] lays a
//! state out for any terminal size as toned text; [`terminal`] drives it full screen with raw
//! keys, and [`plain`] as a transcript when stdin or stdout is not a terminal. [`save`] writes
//! the played chain as a scenario that `drift run` re-scores to the same numbers.

pub mod game;
pub mod plain;
pub mod recovery;
pub mod save;
pub mod screen;
pub mod terminal;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::error::Error;
use crate::interrupt::Signals;
use crate::lexicon::Lexicon;
use crate::scenario::limits::MAX_FILE_BYTES;
use crate::scenario::{Scenario, diagnose};

pub use game::Game;

/// Which hops people play.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HumanHops {
    All,
    /// 1-based hop numbers, as traces number them.
    These(Vec<usize>),
}

impl HumanHops {
    /// `all`, or hop numbers from 1 separated by commas (`2,4`).
    pub fn parse(s: &str) -> Result<HumanHops, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("all") {
            return Ok(HumanHops::All);
        }
        let mut hops = Vec::new();
        for part in s.split(',') {
            let n: usize = part.trim().parse().map_err(|_| {
                format!("`{part}` is not a hop number: give hop numbers from 1, separated by commas (e.g. 2,4), or `--human` alone for every hop; the scenario file goes before --human")
            })?;
            if n == 0 {
                return Err("hops are numbered from 1, as in traces".to_string());
            }
            if !hops.contains(&n) {
                hops.push(n);
            }
        }
        Ok(HumanHops::These(hops))
    }

    /// One flag per hop of a chain of `len` hops.
    fn flags(&self, len: usize) -> Result<Vec<bool>, Error> {
        match self {
            HumanHops::All => Ok(vec![true; len]),
            HumanHops::These(hops) => {
                let mut flags = vec![false; len];
                for &n in hops {
                    if n > len {
                        return Err(Error::Usage(format!("--human {n}: the chain has {len} hops, numbered 1 to {len}")));
                    }
                    flags[n - 1] = true;
                }
                Ok(flags)
            }
        }
    }
}

/// What `drift play` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub scenario: PathBuf,
    /// The scenario's seed when not given.
    pub seed: Option<u64>,
    pub human: Option<HumanHops>,
    /// How long a message stays on screen, as if heard once.
    pub flash: Option<Duration>,
    /// Where to write the played chain as a scenario.
    pub save: Option<PathBuf>,
    /// Replace the `--save` file if it exists.
    pub force: bool,
    /// What to do with an unfinished game found in the recovery file.
    pub unfinished: Unfinished,
}

/// What to do with the typed hops of an unfinished game (`--resume`, `--discard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unfinished {
    /// Ask when a person is at the keyboard; otherwise stop and say which flag to give.
    #[default]
    Ask,
    Resume,
    Discard,
}

/// How a game ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Played to the end and dismissed.
    Finished,
    /// `q` before the end.
    Quit,
    /// Ctrl-C (or SIGTERM, SIGHUP).
    Interrupted,
}

/// Moments the drivers report, for the typed hops to be kept and the chain saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// A person typed a hop (or typed it again).
    Typed,
    /// The end screen appeared.
    End,
}

/// Said on stderr if a signal ends the process while a recovery file is on disk.
static KEPT: Mutex<Option<String>> = Mutex::new(None);

/// Before a second Ctrl-C, a SIGTERM outside the game loop or a closed terminal ends the
/// process at once: the terminal is put back and the facilitator told where the typed hops
/// are.
fn before_exit() {
    terminal::restore();
    if let Ok(kept) = KEPT.try_lock()
        && let Some(note) = kept.as_deref()
    {
        let _ = writeln!(std::io::stderr(), "{note}");
    }
}

/// Plays a scenario: full screen when both stdin and stdout are terminals, as a transcript
/// otherwise. `signals` is the process's: the game ends at a signal, and sets the hook that
/// puts the terminal back before a second one ends the process.
pub fn play(options: &Options, signals: &Signals) -> Result<(), Error> {
    let file = options.scenario.display().to_string();
    let source = diagnose::read_source(&options.scenario)?;
    let scenario = Scenario::parse(&file, &source)?;
    let human = match &options.human {
        Some(h) => h.flags(scenario.chain.len())?,
        None => vec![false; scenario.chain.len()],
    };
    if let Some(path) = &options.save {
        check_save_path(path, &options.scenario, options.force)?;
    }
    let seed = scenario.seed_or(options.seed);
    let recovery_path = recovery::path_for(options.save.as_deref().unwrap_or(&options.scenario));
    let resumed = if human.contains(&true) {
        unfinished(&recovery_path, &source, &scenario, seed, options)?
    } else {
        if recovery_path.symlink_metadata().is_ok() {
            crate::error::warn(&format!(
                "{} may hold typed hops of an unfinished game: add --human to play it again and be offered them",
                recovery_path.display()
            ));
        }
        None
    };
    signals.set_before_exit(before_exit);
    let lexicon = Lexicon::with_extension(&scenario.lexicon);
    let mut game = Game::new(scenario, &lexicon, seed, human);
    // a recovery file of this game is on disk (resumed, or written since)
    let mut kept = false;
    if let Some(found) = &resumed {
        game.resume(&found.typed);
        game.set_notice(format!("Resumed {} from {}", hops_typed(found.typed.len()), found.path.display()));
        kept = true;
        set_kept(&recovery_path, found.typed.len());
    }
    let mut save_error: Option<Error> = None;
    let mut saved_here = false;
    let mut on = |game: &mut Game, moment: Moment| match moment {
        Moment::Typed => match keep(&recovery_path, &source, &file, game, &lexicon, signals) {
            Ok(()) => {
                kept = true;
                set_kept(&recovery_path, game.typed_here().len());
            }
            Err(Kept::Not(why)) => game.set_notice(format!(
                "Could not keep the typed hops in {}: {why}. Give --save a file in a folder you can write.",
                recovery_path.display()
            )),
            Err(Kept::Anyway(why)) => {
                kept = true;
                set_kept(&recovery_path, game.typed_here().len());
                game.set_notice(format!("Kept the typed hops in {}, but {why}", recovery_path.display()));
            }
        },
        Moment::End => {
            let Some(path) = &options.save else { return };
            match save_to(path, &source, &file, game, &lexicon, options.force || saved_here, signals) {
                Ok(()) => {
                    save_error = None;
                    saved_here = true;
                    if kept && recovery::remove(&recovery_path).is_ok() {
                        kept = false;
                        clear_kept();
                    }
                    game.set_closing(format!("Saved the played chain to {}", path.display()));
                }
                Err(e) => {
                    let also = if kept { format!("; the typed hops are kept in {}", recovery_path.display()) } else { String::new() };
                    game.set_closing(format!("Could not save the played chain to {}{also}", path.display()));
                    save_error = Some(e);
                }
            }
        }
    };
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb");
    let ending = if terminal {
        let color = anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
        terminal::run(&mut game, options.flash, color, signals, &mut on).map_err(|source| Error::Io {
            action: "draw on",
            path: PathBuf::from("the terminal"),
            source,
            help: "run drift play in a terminal, or pipe it (`drift play FILE | cat`) for the line-by-line mode",
        })?
    } else {
        if options.flash.is_some() {
            crate::error::warn("--flash needs a terminal to hide the message: it is shown and stays in the line-by-line mode");
        }
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let mut stdout = std::io::stdout().lock();
        let mut stderr = std::io::stderr();
        let prompt: Option<&mut dyn Write> = if stdin.is_terminal() { Some(&mut stderr) } else { None };
        match plain::run(&mut game, &mut input, &mut stdout, prompt, signals.cancel(), &mut on) {
            Ok(ending) => ending,
            Err(plain::Stopped::NoOneTyped(hop)) => {
                tell_kept(kept, &recovery_path, &game);
                return Err(Error::Usage(format!(
                    "hop {hop} is played by a person (--human), but the input ended before anyone typed it: run drift play in a terminal, or give one line per human hop on stdin"
                )));
            }
            // the reader went away (`drift play … | head`): nothing left to show
            Err(plain::Stopped::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ending::Quit,
            Err(plain::Stopped::Io(source)) => {
                tell_kept(kept, &recovery_path, &game);
                return Err(Error::Io {
                    action: "write to",
                    path: PathBuf::from("stdout"),
                    source,
                    help: "check where the output is going",
                });
            }
        }
    };
    // without --save the facilitator chose not to keep the chain: a finished game needs no
    // recovery
    if ending == Ending::Finished && options.save.is_none() && kept && recovery::remove(&recovery_path).is_ok() {
        kept = false;
        clear_kept();
    }
    tell_kept(kept, &recovery_path, &game);
    if let Some(e) = save_error {
        return Err(e);
    }
    match ending {
        Ending::Finished | Ending::Quit => Ok(()),
        Ending::Interrupted => Err(Error::Interrupted),
    }
}

/// "1 typed hop", "4 typed hops"
fn hops_typed(n: usize) -> String {
    if n == 1 { "1 typed hop".to_string() } else { format!("{n} typed hops") }
}

/// Where the typed hops are, and how to get them back.
fn kept_note(path: &Path, typed: usize) -> String {
    format!(
        "note: kept the {} of this game in {}: drift play offers them back the next time this scenario is played with --human (and the same --save); drift run {} scores them",
        hops_typed(typed),
        path.display(),
        crate::templates::shell_word(&path.display().to_string())
    )
}

fn set_kept(path: &Path, typed: usize) {
    if let Ok(mut kept) = KEPT.lock() {
        *kept = Some(kept_note(path, typed));
    }
}

fn clear_kept() {
    if let Ok(mut kept) = KEPT.lock() {
        *kept = None;
    }
}

/// Tells the facilitator, on stderr, that a game left before its end kept its typed hops.
fn tell_kept(kept: bool, path: &Path, game: &Game) {
    if kept {
        let _ = writeln!(std::io::stderr(), "{}", kept_note(path, game.typed_here().len()));
    }
}

/// The unfinished game to resume, if there is one and the facilitator wants it.
fn unfinished(path: &Path, source: &str, scenario: &Scenario, seed: u64, options: &Options) -> Result<Option<recovery::Found>, Error> {
    let found = match recovery::find(path)? {
        None => {
            if options.unfinished == Unfinished::Resume {
                crate::error::warn(&format!("--resume: there is no unfinished game at {}; starting afresh", path.display()));
            }
            return Ok(None);
        }
        Some(_) if options.unfinished == Unfinished::Discard => {
            discard(path)?;
            return Ok(None);
        }
        Some(Err(why)) => {
            return Err(Error::Usage(format!(
                "{} holds an unfinished game that cannot be resumed: {why}\n  help: move it away, or add --discard to delete it and start afresh",
                path.display()
            )));
        }
        Some(Ok(found)) => found,
    };
    let shown = path.display();
    let what = format!("{shown} holds {} of an unfinished game ({})", hops_typed(found.typed.len()), found.hop_list(scenario));
    if found.header.scenario != recovery::fingerprint(source) {
        return Err(Error::Usage(format!(
            "{what}, but of another version of {}: the scenario has changed since; drift run {} still scores them; move the file away to keep them, or add --discard to delete it and start afresh",
            options.scenario.display(),
            crate::templates::shell_word(&shown.to_string())
        )));
    }
    if found.header.seed != seed {
        return Err(Error::Usage(format!(
            "{what}, played with seed {} (this game: seed {seed}): add --seed {} to resume it, or --discard to delete it and start afresh",
            found.header.seed, found.header.seed
        )));
    }
    let resume = match options.unfinished {
        Unfinished::Resume => true,
        Unfinished::Discard => false,
        Unfinished::Ask if std::io::stdin().is_terminal() => ask(&what)?,
        Unfinished::Ask => {
            return Err(Error::Usage(format!(
                "{what}: add --resume to go on from where it stopped, or --discard to delete it and start afresh"
            )));
        }
    };
    if resume {
        Ok(Some(found))
    } else {
        discard(path)?;
        Ok(None)
    }
}

/// "Resume it? [Y/n]" on stderr, the answer from stdin; Enter says yes.
fn ask(what: &str) -> Result<bool, Error> {
    let mut stderr = std::io::stderr();
    let _ = writeln!(stderr, "{what}.");
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    loop {
        let _ = write!(stderr, "Resume it? [Y/n] ");
        let _ = stderr.flush();
        let answer = match plain::read_line(&mut input) {
            Ok(Some(plain::Read::Line(line))) => line,
            Ok(Some(plain::Read::TooLong)) => "?".to_string(),
            Ok(None) | Err(_) => {
                return Err(Error::Usage(format!("{what}: no answer; add --resume to go on with it, or --discard to start afresh")));
            }
        };
        match answer.trim().to_lowercase().as_str() {
            "" | "y" | "yes" => return Ok(true),
            "n" | "no" => return Ok(false),
            _ => {
                let _ = writeln!(stderr, "Please answer y (resume the typed hops) or n (delete them and start afresh).");
            }
        }
    }
}

fn discard(path: &Path) -> Result<(), Error> {
    recovery::remove(path).map_err(|source| Error::Io {
        action: "delete the unfinished game in",
        path: path.to_path_buf(),
        source,
        help: "check the folder's permissions, or move the file away",
    })?;
    let _ = writeln!(std::io::stderr(), "Deleted the unfinished game in {}; starting afresh.", path.display());
    Ok(())
}

/// Keeps the typed hops so far in the recovery file.
/// The words go to disk first; then a recovery file that would not replay (a bug) or that has
/// outgrown what `drift run` reads is reported, but kept.
fn keep(path: &Path, source: &str, file: &str, game: &Game, lexicon: &Lexicon, signals: &Signals) -> Result<(), Kept> {
    let yaml = save::recovery_yaml(source, file, game).map_err(Kept::Not)?;
    recovery::write(path, yaml.as_bytes(), signals).map_err(|e| Kept::Not(e.to_string()))?;
    if yaml.len() as u64 > MAX_FILE_BYTES {
        return Err(Kept::Anyway(format!(
            "the played chain has grown to {} bytes, more than the {MAX_FILE_BYTES} a scenario file may hold, so drift run will not read it; keep the retellings shorter",
            yaml.len()
        )));
    }
    save::check_replays(&yaml, game, lexicon).map_err(|e| Kept::Anyway(format!("{e} (a bug: please report it)")))
}

/// Why the typed hops were not kept, or were kept with a caveat.
enum Kept {
    Not(String),
    Anyway(String),
}

/// Refuses, before anyone plays, a `--save` path that cannot or may not be written: the typed
/// texts would be lost at the end of the game. An existing file is replaced only with
/// `--force`, and never anything but a regular file (a device such as /dev/null, a FIFO, a
/// folder, or a link to one of those).
fn check_save_path(path: &Path, scenario: &Path, force: bool) -> Result<(), Error> {
    let shown = path.display();
    let same = match (std::fs::canonicalize(path), std::fs::canonicalize(scenario)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(Error::Usage(format!(
            "--save {shown}: that is the scenario being played; save the played chain to another file so the original stays"
        )));
    }
    if let Ok(meta) = path.symlink_metadata() {
        if meta.is_dir() {
            return Err(Error::Usage(format!("--save {shown}: is a folder; name a file, e.g. {shown}/played.yaml")));
        }
        let target = if meta.file_type().is_symlink() { std::fs::metadata(path).ok() } else { Some(meta.clone()) };
        if let Some(target) = target.filter(|t| !t.is_file()) {
            let kind = recovery::kind_of(&target);
            let via = if meta.file_type().is_symlink() { "a symbolic link to " } else { "" };
            return Err(Error::Usage(format!(
                "--save {shown}: is {via}{kind}, not a regular file; drift play saves the played chain only to a regular file, e.g. played.yaml"
            )));
        }
        if !force {
            return Err(Error::Usage(format!(
                "--save {shown}: the file exists; drift play does not overwrite files\n  help: choose another name, or add --force to replace it"
            )));
        }
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(Error::Usage(format!("--save {shown}: the folder {} does not exist", parent.display())));
    }
    Ok(())
}

fn save_to(path: &Path, source: &str, file: &str, game: &Game, lexicon: &Lexicon, overwrite: bool, signals: &Signals) -> Result<(), Error> {
    let yaml = save::played_yaml(source, file, game, lexicon).map_err(|e| Error::Io {
        action: "save the played chain to",
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
        help: "report this as a bug, with the scenario file",
    })?;
    crate::files::write_file(path, yaml.as_bytes(), overwrite, signals).map_err(|e| match e {
        Error::Exists { path } => Error::Usage(format!(
            "--save {}: a file of that name appeared during the game; drift play does not overwrite files\n  help: move it away and play again (the typed hops are offered back), or add --force",
            path.display()
        )),
        e => e,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_hops_parse() {
        assert_eq!(HumanHops::parse("all"), Ok(HumanHops::All));
        assert_eq!(HumanHops::parse("2,4, 2"), Ok(HumanHops::These(vec![2, 4])));
        assert!(HumanHops::parse("0").is_err());
        assert!(HumanHops::parse("scenarios/x.yaml").unwrap_err().contains("before --human"));
        assert!(HumanHops::These(vec![6]).flags(5).is_err());
        assert_eq!(HumanHops::These(vec![2]).flags(3).unwrap(), vec![false, true, false]);
    }
}
