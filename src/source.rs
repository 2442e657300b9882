//! Text given on the command line: typed in, read from a file (`@copy.txt`) or from standard
//! input (`-`).
//!
//! Campaign copy lives in documents, not in shell quotes: a body of three paragraphs with
//! apostrophes and dollar signs is easier to save to a file or pipe from the clipboard than to
//! quote. The `@file` spelling is curl's and httpie's; `-` is the usual name for standard
//! input. Text that really starts with `@` is written `@@…`.

use std::fmt;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::read::{ReadError, read_at_most, read_stream_at_most};
use crate::text::TextProblem;
pub use crate::text::shorten;

/// The largest text drift reads from a file or standard input: campaign copy is kilobytes,
/// and a bigger file is almost certainly the wrong one.
pub const MAX_BYTES: u64 = 1024 * 1024;

/// Where a text comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Typed on the command line.
    Text(String),
    /// `@path`: the file's contents.
    File(PathBuf),
    /// `-`: standard input.
    Stdin,
}

impl Source {
    /// `-` is standard input, `@path` a file, `@@…` text starting with `@`, anything else
    /// the text itself.
    pub fn parse(arg: &str) -> Source {
        if arg == "-" {
            Source::Stdin
        } else if let Some(rest) = arg.strip_prefix("@@") {
            Source::Text(format!("@{rest}"))
        } else if let Some(path) = arg.strip_prefix('@') {
            Source::File(PathBuf::from(path))
        } else {
            Source::Text(arg.to_string())
        }
    }
}

/// A text that cannot be used, and why: which option it was given to (`--body`), the file and
/// the place in it where that is known, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// What the text was for: `--body`, `--customer`, `message 2`.
    pub what: String,
    pub message: String,
    /// The file (or `<stdin>`) it came from, and the 1-based line and column of the problem.
    pub file: Option<String>,
    pub location: Option<(usize, usize)>,
    pub help: Option<String>,
}

impl std::error::Error for InputError {}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        writeln!(f, "{}: {}", self.what, self.message)?;
        match (&self.file, self.location) {
            (Some(file), Some((line, column))) => writeln!(f, "  --> {file}:{line}:{column}")?,
            (Some(file), None) => writeln!(f, "  --> {file}")?,
            _ => {}
        }
        if let Some(help) = &self.help {
            writeln!(f, "  help: {help}")?;
        }
        Ok(())
    }
}

impl InputError {
    fn new(what: &str, message: impl Into<String>) -> InputError {
        InputError { what: what.to_string(), message: message.into(), file: None, location: None, help: None }
    }

    fn in_file(mut self, file: impl Into<String>) -> InputError {
        self.file = Some(file.into());
        self
    }

    fn help(mut self, help: impl Into<String>) -> InputError {
        self.help = Some(help.into());
        self
    }
}

/// Reads the text of `source`, given for `what`; an empty text, or one without a single word,
/// is an error, because scoring it would print numbers about nothing.
pub fn read(what: &str, source: &Source) -> Result<String, InputError> {
    let (text, origin) = match source {
        Source::Text(text) => (text.clone(), None),
        Source::File(path) => (read_file(what, path)?, Some(path.display().to_string())),
        Source::Stdin => (read_stdin(what)?, Some("<stdin>".to_string())),
    };
    // a text saved on Windows ends its lines with CR LF; a lone CR is an old Mac's line end
    let text = text.trim().replace("\r\n", "\n").replace('\r', "\n");
    let at = |e: InputError| match &origin {
        Some(file) => e.in_file(file.clone()),
        None => e,
    };
    if text.is_empty() {
        let message = match source {
            Source::Text(_) => "is empty",
            Source::File(_) => "the file is empty",
            Source::Stdin => "standard input is empty",
        };
        return Err(at(InputError::new(what, message).help("type the words, give @FILE, or pipe them in with -")));
    }
    if !text.chars().any(char::is_alphanumeric) {
        return Err(at(InputError::new(what, format!("“{}” has no words to score", shorten(&text, 40)))
            .help("score the words themselves: a headline, a paragraph, a call to action")));
    }
    match crate::text::problem(&text) {
        Some(TextProblem::Control { c, at: k }) => {
            let before = &text[..k];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let mut err = InputError::new(
                what,
                format!("holds a control character ({}), which would act on the terminal", crate::text::describe_control(c)),
            )
            .help("remove it: score the words as they would be read");
            if origin.is_some() {
                err.location = Some((line, column));
            }
            Err(at(err))
        }
        Some(TextProblem::TooLong { chars }) => Err(at(InputError::new(
            what,
            format!("is {chars} characters long; drift scores texts of up to {} characters", crate::text::MAX_CHARS),
        )
        .help("score the part that matters: a headline, a paragraph, a call to action"))),
        None => Ok(text),
    }
}

fn read_file(what: &str, path: &Path) -> Result<String, InputError> {
    let file = path.display().to_string();
    if file.is_empty() {
        return Err(InputError::new(what, "`@` names no file")
            .help("write @ and a path, e.g. @copy/body.txt; to score text that starts with @, double it: @@"));
    }
    let bytes = read_at_most(path, MAX_BYTES).map_err(|e| {
        match e {
            ReadError::NotFound => InputError::new(what, "no such file")
                .help("check the path; to score text that starts with @ rather than a file, double the @: @@"),
            ReadError::Directory => InputError::new(what, "is a directory, not a text file").help("name a text file, e.g. @copy/body.txt"),
            ReadError::TooBig { size } => InputError::new(
                what,
                format!("{}; drift reads at most {MAX_BYTES} bytes of copy", ReadError::too_big_phrase(size, MAX_BYTES)),
            )
            .help("campaign copy is a few kilobytes: check that this is the right file"),
            ReadError::Io(e) => InputError::new(what, format!("cannot read the file: {e}")),
        }
        .in_file(&file)
    })?;
    decode(what, &file, bytes)
}

fn read_stdin(what: &str) -> Result<String, InputError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        // a person at a terminal: say what drift is waiting for, on stderr
        let _ = writeln!(std::io::stderr(), "Reading {what} from standard input; end it with Ctrl-D.");
    }
    let bytes = read_stream_at_most(stdin.lock(), MAX_BYTES).map_err(|e| match e {
        ReadError::Io(e) => InputError::new(what, format!("cannot read standard input: {e}")).in_file("<stdin>"),
        _ => InputError::new(what, format!("standard input holds more than {MAX_BYTES} bytes"))
            .in_file("<stdin>")
            .help("campaign copy is a few kilobytes: check what is piped in"),
    })?;
    decode(what, "<stdin>", bytes)
}

/// UTF-8 text from bytes, a leading byte-order mark dropped; otherwise an error pointing at
/// the first bad byte.
fn decode(what: &str, file: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let (line, column, _) = crate::scenario::diagnose::utf8_error_at(body, &e);
            let bad = body[e.valid_up_to()];
            let mut err = InputError::new(what, format!("the text is not UTF-8 (byte 0x{bad:02X} cannot start a character)"))
                .in_file(file)
                .help("save it as UTF-8 (most editors: File › Save with encoding › UTF-8)");
            err.location = Some((line, column));
            Err(err)
        }
    }
}

/// The one `-` allowed: standard input can be read only once.
pub fn check_one_stdin<'a>(sources: impl IntoIterator<Item = (&'a str, &'a Source)>) -> Result<(), String> {
    let readers: Vec<&str> = sources.into_iter().filter(|(_, s)| **s == Source::Stdin).map(|(what, _)| what).collect();
    match readers.as_slice() {
        [] | [_] => Ok(()),
        [a, b] => Err(format!("standard input (`-`) can be read only once, but {a} and {b} both ask for it: give one as text or @FILE")),
        [many @ .., last] => Err(format!(
            "standard input (`-`) can be read only once, but {} and {last} all ask for it: give all but one as text or @FILE",
            many.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_parsed_as_documented() {
        assert_eq!(Source::parse("-"), Source::Stdin);
        assert_eq!(Source::parse("@copy/body.txt"), Source::File("copy/body.txt".into()));
        assert_eq!(Source::parse("@@brand is here"), Source::Text("@brand is here".into()));
        assert_eq!(Source::parse("Book a demo"), Source::Text("Book a demo".into()));
        assert_eq!(Source::parse("- not stdin"), Source::Text("- not stdin".into()));
    }

    #[test]
    fn empty_and_wordless_texts_are_refused() {
        assert_eq!(read("--cta", &Source::Text("  \n ".into())).unwrap_err().message, "is empty");
        assert!(read("--cta", &Source::Text("!!! —".into())).unwrap_err().message.contains("no words"));
        assert_eq!(read("--cta", &Source::Text("  Book a demo \n".into())).unwrap(), "Book a demo");
    }

    #[test]
    fn bad_utf8_points_at_the_byte() {
        let e = decode("--body", "body.txt", b"line one\nthe caf\xE9 is shut".to_vec()).unwrap_err();
        assert_eq!(e.location, Some((2, 8)));
        assert!(e.message.contains("0xE9"));
        assert_eq!(decode("--body", "b", b"\xEF\xBB\xBFhello".to_vec()).unwrap(), "hello");
    }

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("We keep losing our best adjusters to paperwork.", 20), "We keep losing our…");
        assert_eq!(shorten("short\n  text", 20), "short text");
    }

    #[test]
    fn only_one_stdin() {
        let (a, b, c) = (Source::Stdin, Source::Stdin, Source::Text("x".into()));
        assert!(check_one_stdin([("--customer", &a), ("--body", &c)]).is_ok());
        let c2 = Source::Stdin;
        let e = check_one_stdin([("--customer", &a), ("--body", &b), ("--cta", &c2), ("x", &c)]).unwrap_err();
        assert!(e.contains("--customer, --body and --cta all ask"), "{e}");
        let e = check_one_stdin([("--customer", &a), ("message", &b)]).unwrap_err();
        assert!(e.contains("--customer and message both ask"), "{e}");
    }
}
