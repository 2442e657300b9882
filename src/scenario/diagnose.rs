//! Turning every way a scenario can be wrong into one message a person can act on: the file,
//! the line and column, the field path (`chain[1].mutate.jargon`), what is wrong and what to
//! do about it, with the offending line shown.

use super::limits::MAX_FILE_BYTES;
use std::fmt;
use std::path::Path;

/// A scenario that cannot be used, and why: one [`Diagnostic`] or more, each independent of
/// the others (boxed: errors travel far and should be small). It reads as its first
/// diagnostic; [`ScenarioError::all`] gives every one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError(Box<(Diagnostic, Vec<Diagnostic>)>);

/// The parts of a [`ScenarioError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line and column, where the parser knows them.
    pub location: Option<(usize, usize)>,
    /// The path of the bad field, indices from 0: `chain[1].mutate.jargon`.
    pub field: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// The source line the location points into.
    pub source_line: Option<String>,
}

impl std::error::Error for ScenarioError {}

impl std::ops::Deref for ScenarioError {
    type Target = Diagnostic;

    fn deref(&self) -> &Diagnostic {
        &self.0.0
    }
}

impl std::ops::DerefMut for ScenarioError {
    fn deref_mut(&mut self) -> &mut Diagnostic {
        &mut self.0.0
    }
}

/// Every diagnostic, then how many there are when more than one; each after the first
/// starts with `error: ` as the first one does where it is reported.
impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (n, d) in self.all().enumerate() {
            if n > 0 {
                write!(f, "\nerror: ")?;
            }
            write!(f, "{d}")?;
        }
        if let Some(count) = self.count_line() {
            write!(f, "\nerror: {count}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match &self.field {
            Some(field) => writeln!(f, "{field}: {}", self.message)?,
            None => writeln!(f, "{}", self.message)?,
        }
        match self.location {
            Some((line, column)) => writeln!(f, "  --> {}:{line}:{column}", self.file)?,
            None => writeln!(f, "  --> {}", self.file)?,
        }
        if let (Some((line, column)), Some(text)) = (self.location, &self.source_line) {
            let number = line.to_string();
            let pad = " ".repeat(number.len());
            let (shown, caret_at) = snippet(text, column);
            writeln!(f, "   {pad}|")?;
            writeln!(f, "   {number}| {shown}")?;
            writeln!(f, "   {pad}| {caret_at}^")?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "  help: {help}")?;
        }
        Ok(())
    }
}

/// The part of a source line a message shows: at most [`SNIPPET_CHARS`] characters around
/// `column`, "…" where cut, control characters as "�" (so a terminal never obeys them and the
/// caret still lines up); and the white space that puts a caret under `column`. `column`
/// counts characters, as the YAML reader does, but a terminal gives a wide character (CJK,
/// most emoji) two cells and a combining mark none: the caret's white space follows each
/// character's display width, so it lands under the character the column names.
fn snippet(line: &str, column: usize) -> (String, String) {
    use unicode_width::UnicodeWidthChar;
    let chars: Vec<char> = line.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    let start = if at < SNIPPET_CHARS - 20 { 0 } else { at - SNIPPET_CHARS / 2 };
    let end = (start + SNIPPET_CHARS).min(chars.len());
    let show = |c: &char| if crate::text::is_unsafe_control(*c) { '\u{FFFD}' } else { *c };
    let mut shown: String = chars[start..end].iter().map(show).collect();
    let mut caret = String::new();
    for c in chars[start..at].iter().map(show) {
        match c {
            // a tab is as wide as the terminal makes it: the same tab keeps the caret in step
            '\t' => caret.push('\t'),
            c => caret.extend(std::iter::repeat_n(' ', c.width().unwrap_or(0))),
        }
    }
    if start > 0 {
        shown.insert(0, '…');
        caret.insert(0, ' ');
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

/// The most characters of a source line an error shows.
const SNIPPET_CHARS: usize = 120;

impl ScenarioError {
    pub fn new(file: &str, message: impl Into<String>) -> ScenarioError {
        ScenarioError(Box::new((
            Diagnostic { file: file.to_string(), location: None, field: None, message: message.into(), help: None, source_line: None },
            Vec::new(),
        )))
    }

    /// One error of all those found, in the order of the file (the ones without a place
    /// last), each once; `None` when none was.
    pub fn all_of(errors: Vec<ScenarioError>) -> Option<ScenarioError> {
        let mut all: Vec<Diagnostic> = errors.into_iter().flat_map(|e| e.into_all()).collect();
        all.sort_by_key(|d| d.location.map_or((usize::MAX, usize::MAX), |l| l));
        all.dedup();
        let mut all = all.into_iter();
        let first = all.next()?;
        Some(ScenarioError(Box::new((first, all.collect()))))
    }

    /// Every diagnostic, first to last.
    pub fn all(&self) -> impl Iterator<Item = &Diagnostic> {
        std::iter::once(&self.0.0).chain(&self.0.1)
    }

    fn into_all(self) -> Vec<Diagnostic> {
        let (first, mut more) = *self.0;
        more.insert(0, first);
        more
    }

    /// How many diagnostics there are.
    pub fn count(&self) -> usize {
        1 + self.0.1.len()
    }

    /// "3 errors in x.yaml", ending a report of more than one.
    pub fn count_line(&self) -> Option<String> {
        let n = self.count();
        (n > 1).then(|| {
            let most = if n >= super::limits::MAX_ERRORS { " (drift stops counting there: fix these first)" } else { "" };
            format!("{n} errors in {}{most}\n", self.file)
        })
    }

    /// Places the error at `line` and `column` (1-based) of `source`, showing that line.
    pub(super) fn located(mut self, source: &str, line: usize, column: usize) -> ScenarioError {
        // the parser puts the end of a file that does not end with a line break on a line of
        // its own, past the last: point at the end of the last line instead
        let last = lines(source).enumerate().last();
        let (line, column) = match last {
            Some((n, text)) if line > n + 1 && !source.ends_with(is_break) => (n + 1, text.chars().count() + 1),
            _ => (line, column),
        };
        self.location = Some((line, column));
        self.source_line = lines(source).nth(line.saturating_sub(1)).map(str::to_string);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> ScenarioError {
        self.help = Some(help.into());
        self
    }
}

/// The path `-`: the scenario on standard input (`drift run -`).
pub const STDIN: &str = "-";

/// How messages name the scenario at `path`: its path, or `<stdin>` for [`STDIN`].
pub fn file_name(path: &Path) -> String {
    if is_stdin(path) { "<stdin>".to_string() } else { path.display().to_string() }
}

/// True for the path `-`, standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN
}

/// Reads a scenario file as UTF-8 text (a leading byte-order mark is dropped), never more than
/// [`MAX_FILE_BYTES`] of it, whatever kind of file it is; `-` reads standard input, within
/// the same limit.
pub fn read_source(path: &Path) -> Result<String, ScenarioError> {
    use crate::read::{ReadError, read_at_most, read_stream_at_most};
    use std::io::IsTerminal;
    if is_stdin(path) {
        let file = file_name(path);
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            // a person at a terminal: say what drift is waiting for
            eprintln!("Reading the scenario from standard input; end it with Ctrl-D.");
        }
        let bytes = read_stream_at_most(stdin.lock(), MAX_FILE_BYTES).map_err(|e| match e {
            ReadError::TooBig { .. } => ScenarioError::new(
                &file,
                format!("standard input holds more than {MAX_FILE_BYTES} bytes; scenarios are limited to {MAX_FILE_BYTES} bytes"),
            )
            .with_help("a scenario is a few kilobytes of YAML: check what is piped in"),
            e => ScenarioError::new(&file, format!("cannot read standard input: {}", crate::read::describe(&e))),
        })?;
        return decode(&file, &bytes);
    }
    let file = path.display().to_string();
    let bytes = read_at_most(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::NotFound => ScenarioError::new(&file, "no such file").with_help("check the path; bundled scenarios are in scenarios/"),
        ReadError::Directory => ScenarioError::new(&file, "is a directory, not a scenario file")
            .with_help("name a .yaml file, e.g. scenarios/marketing-long-distance.yaml"),
        ReadError::TooBig { size } => ScenarioError::new(
            &file,
            format!("{}; scenarios are limited to {MAX_FILE_BYTES} bytes", ReadError::too_big_phrase(size, MAX_FILE_BYTES)),
        )
        .with_help("a scenario is a few kilobytes of YAML: check that this is the right file"),
        ReadError::Io(e) => ScenarioError::new(&file, format!("cannot read the file: {e}")),
    })?;
    decode(&file, &bytes)
}

/// A scenario file's bytes as UTF-8 text (a leading byte-order mark is dropped); `file` names
/// it in the error.
pub fn decode(file: &str, bytes: &[u8]) -> Result<String, ScenarioError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ScenarioError::new(file, "the file is UTF-16 text, not UTF-8")
            .with_help("save the file as UTF-8 (most editors: File › Save with encoding › UTF-8)"));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let (line, column, text) = utf8_error_at(bytes, &e);
            let bad = bytes[e.valid_up_to()];
            let mut err = ScenarioError::new(file, format!("the file is not UTF-8 text (byte 0x{bad:02X} cannot start a character)"))
                .with_help("save the file as UTF-8 (most editors: File › Save with encoding › UTF-8)");
            err.location = Some((line, column));
            err.source_line = Some(text);
            Err(err)
        }
    }
}

/// Where text stops being UTF-8: the 1-based line and column of the first bad byte, and that
/// line (bad bytes shown as �), for a message that points at it.
pub fn utf8_error_at(bytes: &[u8], e: &std::str::Utf8Error) -> (usize, usize, String) {
    let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
    let line = good.matches(is_break).count() - good.matches("\r\n").count() + 1;
    let column = good.rsplit(is_break).next().map_or(0, |l| l.chars().count()) + 1;
    (line, column, lines(&String::from_utf8_lossy(bytes)).nth(line - 1).unwrap_or_default().to_string())
}

/// True for the characters YAML ends a line at (libyaml's line breaks; "\r\n" is one break).
/// An error at `at` (1-based line and column) of a table's `text`, showing that line: data
/// files and pairs tables report their mistakes as scenarios do. Tables count lines at `\n`
/// only, as the csv crate does.
pub fn in_table(file: &str, text: &str, (line, column): crate::table::At, message: impl Into<String>) -> ScenarioError {
    let mut err = ScenarioError::new(file, message);
    err.location = Some((line, column));
    err.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_string);
    err
}

/// A table that cannot be read as CSV, located, with what to do.
pub fn table_error(file: &str, text: &str, e: &crate::table::TableError) -> ScenarioError {
    in_table(file, text, e.location(), e.to_string()).with_help(e.help())
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// The lines of `source` as the YAML parser counts them, so that the line an error reports is
/// the line shown: "\r" alone and the Unicode line breaks end a line too, unlike in
/// [`str::lines`]. As there, a final line break starts no further line.
fn lines(source: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(source);
    std::iter::from_fn(move || {
        let text = rest.filter(|t| !t.is_empty())?;
        match text.char_indices().find(|&(_, c)| is_break(c)) {
            Some((at, c)) => {
                let width = if text[at..].starts_with("\r\n") { 2 } else { c.len_utf8() };
                rest = Some(&text[at + width..]);
                Some(&text[..at])
            }
            None => {
                rest = None;
                Some(text)
            }
        }
    })
}

/// YAML forbids tabs in indentation and libyaml's own message for it is cryptic.
pub fn check_indentation(file: &str, source: &str) -> Result<(), ScenarioError> {
    for (n, line) in lines(source).enumerate() {
        let indent: String = line.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        if let Some(col) = indent.chars().position(|c| c == '\t') {
            return Err(ScenarioError::new(file, "a tab character in the indentation")
                .located(source, n + 1, col + 1)
                .with_help("YAML indents with spaces only: replace the tab with spaces"));
        }
    }
    Ok(())
}

/// Prefixes a message with the name of the field it is about, for errors raised on a map key
/// whose path the parser reports without the key itself.
pub fn field_marker(key: &str) -> String {
    format!("\u{1}{key}\u{1}")
}

/// The closest known name, if one is close enough to be a typo.
pub fn did_you_mean<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let name = name.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(&name, k), strsim::levenshtein(&name, k), *k))
        .filter(|(jw, lev, k)| *jw >= 0.8 || *lev <= 2.min(k.len() / 2))
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, _, k)| k)
}

/// Fields of each part of the format, for suggestions on unknown keys.
const FIELDS: &[&str] = &[
    "version",
    "name",
    "description",
    "seed",
    "runs",
    "customer",
    "metrics",
    "lexicon",
    "presets",
    "chain",
    "who",
    "said",
    "priorities",
    "problems",
    "perceptions",
    "role",
    "note",
    "preset",
    "mutate",
];

/// Maps a parser error onto the scenario: location, field path, plain message, help.
pub fn from_yaml(file: &str, source: &str, err: &serde_yaml::Error) -> ScenarioError {
    let raw = err.to_string();
    let location = err.location().map(|l| (l.line(), l.column()));
    let mut text = shorten_echo(&strip_location(&raw));
    let mut field = None;
    if let Some((prefix, rest)) = text.split_once(": ")
        && !prefix.contains('`')
        && !prefix.contains(' ')
        && prefix.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '[' || c == '_')
    {
        field = Some(prefix.to_string());
        text = rest.to_string();
    }
    if let Some(start) = text.find('\u{1}')
        && let Some(len) = text[start + 1..].find('\u{1}')
    {
        let key = text[start + 1..start + 1 + len].to_string();
        text = format!("{}{}", &text[..start], &text[start + len + 2..]);
        field = Some(join_path(field.as_deref(), &key));
    }
    for (rust, plain) in [
        ("struct ScenarioFile", "a scenario: a mapping with `version`, `name`, `customer` and `chain`"),
        ("struct Customer", "the customer: a mapping with `who` and `said`"),
        ("struct RawHop", "a hop: a mapping with `role` and `preset`, `mutate` or `said`"),
        ("struct LexiconData", "a lexicon: a mapping of tables (see `drift lexicon`)"),
        ("expected u64", "expected a whole number from 0 up"),
        ("expected a sequence", "expected a list"),
        ("expected a map", "expected a mapping"),
    ] {
        text = text.replace(rust, plain);
    }
    let mut help = None;
    if text.starts_with("deserializing from YAML containing more than one document") {
        text = "the file holds more than one YAML document (a `---` line)".to_string();
        help = Some("keep one scenario per file".to_string());
    }
    if let Some(rest) = text.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or_default().to_string();
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let known = if expected.is_empty() { FIELDS.to_vec() } else { expected.clone() };
        let mut msg = format!("unknown field `{key}`");
        if let Some(s) = did_you_mean(&key, &known) {
            msg.push_str(&format!(": did you mean `{s}`?"));
        }
        if !expected.is_empty() {
            help = Some(format!("the fields here are: {}", expected.join(", ")));
        }
        field = Some(join_path(field.as_deref(), &key));
        text = msg;
    } else if let Some(rest) = text.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or_default();
        help = Some(missing_help(field.as_deref(), key));
    } else if text == "recursion limit exceeded" {
        text = "the YAML is nested too deeply".to_string();
        help = Some("a scenario is at most a few levels deep: check for runaway brackets or indentation".to_string());
    } else if text == "repetition limit exceeded" {
        text = "the YAML expands too many aliases (an alias bomb)".to_string();
        help = Some("write the values out instead of repeating anchors (`*name`) inside each other".to_string());
    } else if text == "EOF while parsing a value" {
        text = "the file is empty".to_string();
        help = Some("a scenario needs at least `version`, `name`, `customer` and `chain`: see scenarios/ for examples".to_string());
    } else if text.starts_with("invalid type") || text.starts_with("invalid value") {
        help = Some("see the scenario format in the README".to_string());
    } else if text.starts_with("unknown anchor") {
        help = Some("an alias (`*name`) refers to an anchor (`&name`) that is not defined before it".to_string());
    } else if field.is_none() && is_syntax_error(&text) {
        text = format!("YAML syntax error: {text}");
        help = Some(
            "check the indentation and quoting around this line; quote text that contains `: ` or starts with a special character"
                .to_string(),
        );
    }
    let mut out = ScenarioError::new(file, text);
    out.field = field;
    out.help = help;
    if let Some((line, column)) = location {
        out = out.located(source, line, column);
    }
    out
}

/// libyaml's scanner and parser messages.
fn is_syntax_error(text: &str) -> bool {
    [
        "while scanning",
        "while parsing",
        "did not find",
        "could not find",
        "found character",
        "found unexpected",
        "mapping values are not allowed",
        "found undefined tag",
    ]
    .iter()
    .any(|p| text.contains(p))
}

fn join_path(parent: Option<&str>, key: &str) -> String {
    match parent {
        Some(p) if p == key || p.ends_with(&format!(".{key}")) => p.to_string(),
        Some(p) if key.starts_with('[') => format!("{p}{key}"),
        Some(p) => format!("{p}.{key}"),
        None => key.to_string(),
    }
}

fn missing_help(field: Option<&str>, key: &str) -> String {
    match key {
        "said" => "add `said:` under `customer` with the customer's own words".to_string(),
        "role" => "every hop needs a `role`, e.g. `role: CMO`".to_string(),
        "chain" => "add a `chain:` list of hops, each with a `role` and a `preset` or `mutate`".to_string(),
        "version" => "start the file with `version: 1`".to_string(),
        _ => match field {
            Some(f) => format!("add `{key}:` to `{f}`"),
            None => format!("add `{key}:` at the top level"),
        },
    }
}

/// serde's `invalid type: string "…", expected …` quotes the whole value, which can be a
/// megabyte: the value is shortened to a few words (the location shows where it is).
fn shorten_echo(message: &str) -> String {
    let Some(start) = message.find("string \"").map(|i| i + "string \"".len()) else { return message.to_string() };
    let Some(len) = message[start..].rfind("\", expected") else { return message.to_string() };
    let value = &message[start..start + len];
    format!("{}{}{}", &message[..start], crate::text::shorten(value, 60), &message[start + len..])
}

/// Drops serde_yaml's " at line N column M" (the location is reported separately).
fn strip_location(s: &str) -> String {
    let mut out = s.to_string();
    while let Some(at) = out.find(" at line ") {
        let rest = &out[at + " at line ".len()..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let tail = &rest[digits..];
        let Some(after_col) = tail.strip_prefix(" column ") else { break };
        let col_digits = after_col.chars().take_while(char::is_ascii_digit).count();
        let end = at + " at line ".len() + digits + " column ".len() + col_digits;
        out.replace_range(at..end, "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 16: after wide characters the caret landed a column early per character.
    #[test]
    fn the_caret_follows_display_width() {
        // "名前" and "東京" are four cells wide each: `x` is in cell 12, not 8
        let line = "名前: 東京 x";
        let column = line.chars().position(|c| c == 'x').unwrap() + 1;
        let (shown, caret) = snippet(line, column);
        assert_eq!(shown, line);
        assert_eq!(caret, " ".repeat(11));
        use unicode_width::UnicodeWidthStr;
        assert_eq!(shown.split('x').next().unwrap().width(), caret.len());
        // an emoji is two cells, a combining accent none, a control character shown as � one
        let (_, caret) = snippet("🙂e\u{301}\u{7}z", 5);
        assert_eq!(caret, "    ");
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("jargn", &["jargon", "omit"]), Some("jargon"));
        assert_eq!(did_you_mean("levenstein", &["levenshtein", "damerau"]), Some("levenshtein"));
        assert_eq!(did_you_mean("zebra", &["jargon", "omit"]), None);
    }

    #[test]
    fn echoed_values_are_shortened() {
        let long = format!("invalid type: string \"{}\", expected a scenario", "word ".repeat(10_000));
        let short = shorten_echo(&long);
        assert!(short.len() < 200, "{short}");
        assert!(short.ends_with("…\", expected a scenario"), "{short}");
        assert_eq!(shorten_echo("invalid type: integer `3`, expected a list"), "invalid type: integer `3`, expected a list");
    }

    #[test]
    fn locations_are_stripped() {
        assert_eq!(strip_location("bad thing at line 3 column 7"), "bad thing");
        assert_eq!(strip_location("x at line 1 column 2, while parsing y at line 3 column 4"), "x, while parsing y");
    }
}
