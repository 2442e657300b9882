//! The library's errors and the one place that turns them into messages and exit codes.

use std::io::Write;
use std::path::PathBuf;

use crate::scenario::ScenarioError;
use crate::source::InputError;

/// Exit codes, as documented in the README.
pub mod exit {
    /// A check ran and failed (`calibrate --check`): the work was done, the answer is no. As
    /// `diff` and `grep` use 1 for "found a difference", scripts can tell it from trouble.
    pub const CHECK_FAILED: u8 = 1;
    /// Something broke: a runtime or I/O failure (an output folder that cannot be written,
    /// say, or a chart that cannot be drawn).
    pub const FAILURE: u8 = 3;
    /// Bad usage or a bad scenario.
    pub const BAD_INPUT: u8 = 2;
    /// Stopped with Ctrl-C (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: u8 = 130;
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    /// Several files checked, some invalid (each already reported).
    #[error("{invalid} of {total} scenario files are invalid")]
    Invalid { invalid: usize, total: usize },
    /// A text given on the command line (a message, the customer's words) that cannot be used.
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{0}")]
    Usage(String),
    /// `drift new` would overwrite a file.
    #[error("{} already exists; drift new does not overwrite files\n  help: choose another name, e.g. drift new my-scenario.yaml, or add --force to replace it", path.display())]
    Exists { path: PathBuf },
    /// `drift calibrate --check` found the preset off the data.
    #[error("{0}\n  help: the table above shows where; drift calibrate without --check fits the rates")]
    Check(String),
    #[error("cannot draw the charts: {0}\n  help: run again with --no-charts to skip them, and report this as a bug")]
    Chart(String),
    #[error("cannot {action} {}: {source}\n  help: {help}", path.display())]
    Io { action: &'static str, path: PathBuf, source: std::io::Error, help: &'static str },
    /// Ctrl-C: during long work (the signal handler raised a flag) or in `drift play` (raw
    /// mode delivers it as a key), before any output was swapped in. Temporary files are gone
    /// and earlier outputs untouched.
    #[error("interrupted (Ctrl-C); earlier outputs were left as they were")]
    Interrupted,
    /// Ctrl-C once the new outputs were being put in place: that step is finished, not undone.
    #[error("interrupted (Ctrl-C) after the new outputs were in place; {}/ holds this run's complete set", dir.display())]
    InterruptedAfterWriting { dir: PathBuf },
    /// `drift room` closed (Ctrl-C, SIGTERM) before every chain was played: nothing is lost,
    /// and `resume` is the command that opens it again.
    #[error("the room was closed before its end; every typed hop is kept in {}\n  help: {resume}   opens it again at the same addresses", out.display())]
    RoomClosed { out: PathBuf, resume: String },
    /// `--out` (or a folder above it) is a file: nothing could ever be written there.
    #[error("--out {}: {} is a file, not a folder\n  help: give a folder for the outputs (drift creates it if it is missing), e.g. --out output", out.display(), file.display())]
    OutNotAFolder { out: PathBuf, file: PathBuf },
    /// Writing a file would replace something that is not a regular file (a device, a pipe…).
    #[error("refusing to replace {}: it is {what}, not a regular file\n  help: drift replaces only regular files; give the path of a new file or of a regular one", path.display())]
    NotAFile { path: PathBuf, what: String },
    /// Writing here could lead outside `--out`.
    #[error("refusing to write into {}: {why}\n  help: drift writes only inside --out; remove it, or choose another folder with --out", path.display())]
    Unsafe { path: PathBuf, why: String },
}

impl From<crate::interrupt::Interrupted> for Error {
    fn from(_: crate::interrupt::Interrupted) -> Error {
        Error::Interrupted
    }
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_)
            | Error::Invalid { .. }
            | Error::Input(_)
            | Error::Usage(_)
            | Error::Exists { .. }
            | Error::OutNotAFolder { .. }
            | Error::NotAFile { .. } => exit::BAD_INPUT,
            Error::Check(_) => exit::CHECK_FAILED,
            Error::Io { .. } | Error::Chart(_) | Error::Unsafe { .. } => exit::FAILURE,
            Error::Interrupted | Error::InterruptedAfterWriting { .. } | Error::RoomClosed { .. } => exit::INTERRUPTED,
        }
    }
}

/// Prints a warning on stderr, `warning:` in yellow where colour is on.
pub fn warn(message: &str) {
    let style = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Yellow.into())).effects(anstyle::Effects::BOLD);
    let _ = writeln!(anstream::stderr(), "{style}warning:{style:#} {}", crate::text::printable(message));
}

/// Prints an error on stderr, `error:` in red where colour is on; a scenario with several
/// errors gets one `error:` for each, then their count.
pub fn report(err: &Error) {
    match err {
        Error::Scenario(e) if e.count() > 1 => {
            for d in e.all() {
                report_text(&format!("{d}\n"));
            }
            report_text(&e.count_line().unwrap_or_default());
        }
        _ => report_text(&err.to_string()),
    }
}

fn report_text(text: &str) {
    let style = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Red.into())).effects(anstyle::Effects::BOLD);
    let mut stderr = anstream::stderr();
    // a message can quote what it is about (a file name, a value): nothing in it may act on
    // the terminal
    let text = crate::text::printable(text).into_owned();
    let _ = write!(stderr, "{style}error:{style:#} {}", text);
    if !text.ends_with('\n') {
        let _ = writeln!(stderr);
    }
}
