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
pub mod save;
pub mod screen;
pub mod terminal;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::Error;
use crate::lexicon::Lexicon;
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
}

/// How a game ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Played to the end and dismissed.
    Finished,
    /// `q` before the end.
    Quit,
    /// Ctrl-C.
    Interrupted,
}

/// Plays a scenario: full screen when both stdin and stdout are terminals, as a transcript
/// otherwise.
pub fn play(options: &Options) -> Result<(), Error> {
    let file = options.scenario.display().to_string();
    let source = diagnose::read_source(&options.scenario)?;
    let scenario = Scenario::parse(&file, &source)?;
    let human = match &options.human {
        Some(h) => h.flags(scenario.chain.len())?,
        None => vec![false; scenario.chain.len()],
    };
    if let Some(path) = &options.save {
        check_save_path(path, &options.scenario)?;
    }
    let lexicon = Lexicon::with_extension(&scenario.lexicon);
    let seed = options.seed.unwrap_or(scenario.seed);
    let mut game = Game::new(scenario, &lexicon, seed, human);
    let mut save_error: Option<Error> = None;
    let mut at_end = |game: &mut Game| {
        let Some(path) = &options.save else { return };
        match save_to(path, &source, &file, game, &lexicon) {
            Ok(()) => {
                save_error = None;
                game.set_closing(format!("Saved the played chain to {}", path.display()));
            }
            Err(e) => {
                game.set_closing(format!("Could not save the played chain to {}", path.display()));
                save_error = Some(e);
            }
        }
    };
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb");
    let ending = if terminal {
        let color = anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
        terminal::run(&mut game, options.flash, color, &mut at_end).map_err(|source| Error::Io {
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
        match plain::run(&mut game, &mut input, &mut stdout, prompt, &mut at_end) {
            Ok(ending) => ending,
            Err(plain::Stopped::NoOneTyped(hop)) => {
                return Err(Error::Usage(format!(
                    "hop {hop} is played by a person (--human), but the input ended before anyone typed it: run drift play in a terminal, or give one line per human hop on stdin"
                )));
            }
            // the reader went away (`drift play … | head`): nothing left to show
            Err(plain::Stopped::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ending::Quit,
            Err(plain::Stopped::Io(source)) => {
                return Err(Error::Io {
                    action: "write to",
                    path: PathBuf::from("stdout"),
                    source,
                    help: "check where the output is going",
                });
            }
        }
    };
    if let Some(e) = save_error {
        return Err(e);
    }
    match ending {
        Ending::Finished | Ending::Quit => Ok(()),
        Ending::Interrupted => Err(Error::Interrupted),
    }
}

/// Refuses, before anyone plays, a `--save` path that cannot be written: the typed texts would
/// be lost at the end of the game.
fn check_save_path(path: &Path, scenario: &Path) -> Result<(), Error> {
    if path.is_dir() {
        return Err(Error::Usage(format!("--save {}: is a folder; name a file, e.g. {}/played.yaml", path.display(), path.display())));
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(Error::Usage(format!("--save {}: the folder {} does not exist", path.display(), parent.display())));
    }
    let same = match (std::fs::canonicalize(path), std::fs::canonicalize(scenario)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(Error::Usage(format!(
            "--save {}: that is the scenario being played; save the played chain to another file so the original stays",
            path.display()
        )));
    }
    Ok(())
}

fn save_to(path: &Path, source: &str, file: &str, game: &Game, lexicon: &Lexicon) -> Result<(), Error> {
    let yaml = save::played_yaml(source, file, game, lexicon).map_err(|e| Error::Io {
        action: "save the played chain to",
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
        help: "report this as a bug, with the scenario file",
    })?;
    crate::files::write_file(path, yaml.as_bytes(), true)
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
