//! A first pass over a scenario's YAML events, before serde reads it.
//!
//! serde sees values, not the file: by the time it sees a string, an alias has already been
//! copied out in full, a 450,000-deep `[[[…` has already been parsed (slowly: libyaml's work
//! grows with the square of the depth), and a repeated key has lost its place in the file. A
//! YAML event parser sees the file as YAML's rules read it (a `[` inside a plain scalar is
//! text, a quote after `a:` starts nothing) with each event's place, and holds aliases as
//! references. This pass refuses, each at its line, column and field path:
//! - characters YAML does not allow in a file (NUL, other control characters);
//! - lists and maps nested deeper than [`MAX_NESTING`];
//! - a text longer than [`MAX_TEXT_CHARS`] anywhere (names, notes, lexicon phrases alike);
//! - control characters in a text, which an escape like `"\e[2J"` can put there and which a
//!   terminal would obey when the text is shown;
//! - a key given twice in one mapping;
//! - aliases that expand the scenario past [`MAX_EXPANDED_BYTES`] (a 900 KB anchor used on
//!   200 hops is 180 MB of text, whatever the alias count).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScanError, Span};

use super::diagnose::ScenarioError;
use super::limits::{MAX_EXPANDED_BYTES, MAX_NESTING, MAX_TEXT_CHARS};
use crate::text::TextProblem;

/// How many `[` and `{` a file may hold before a syntax error found by this pass is reported
/// from here rather than left to the YAML reader, whose messages are the familiar ones but
/// whose work grows with the square of the nesting depth.
const FLOW_INDICATORS_LEFT_TO_THE_READER: usize = 10_000;

/// Checks `source` (the text of `file`) as described in the module documentation.
pub fn check(file: &str, source: &str) -> Result<(), ScenarioError> {
    check_characters(file, source)?;
    let mut scan = Scan { file, source, stack: Vec::new(), anchors: HashMap::new(), expanded: 0 };
    for event in Parser::new_from_str(source) {
        match event {
            Ok((event, span)) => scan.event(event, span)?,
            Err(e) => return scan.syntax_error(&e),
        }
    }
    Ok(())
}

/// Refuses the first character YAML does not allow in a file (its `c-printable`): the YAML
/// reader would report it at the start of the file.
fn check_characters(file: &str, source: &str) -> Result<(), ScenarioError> {
    let printable = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{85}') || !(c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}'));
    let Some(at) = source.find(|c: char| !printable(c)) else { return Ok(()) };
    let c = source[at..].chars().next().unwrap_or_default();
    let (line, column) = line_and_column(source, at);
    Err(ScenarioError::new(file, format!("the file holds a control character ({}) here, which YAML does not allow", describe(c)))
        .with_help("remove it: a scenario is plain text (if the file came from a word processor, save it as plain text)")
        .located(source, line, column))
}

use crate::text::describe_control as describe;

/// The 1-based line and column (in characters) of byte offset `at`, counting lines as YAML
/// does.
fn line_and_column(source: &str, at: usize) -> (usize, usize) {
    let before = &source[..at];
    let breaks = before.matches(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']).count() - before.matches("\r\n").count();
    let line_start = before
        .rfind(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
        .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    (breaks + 1, before[line_start..].chars().count() + 1)
}

/// Where the parser is: one frame per open list or mapping.
struct Frame {
    kind: FrameKind,
    /// The anchor this collection defines, and the expanded size when it started.
    anchor: Option<(usize, u64)>,
}

enum FrameKind {
    List {
        index: usize,
    },
    Map {
        /// Keys seen so far, with the line each was on.
        keys: HashMap<String, usize>,
        /// The key whose value comes next (or came last).
        key: Option<String>,
        expecting_key: bool,
    },
}

struct Scan<'a> {
    file: &'a str,
    source: &'a str,
    stack: Vec<Frame>,
    /// The expanded size of each anchored node, by anchor id.
    anchors: HashMap<usize, u64>,
    /// Bytes of text the scenario holds with every alias written out.
    expanded: u64,
}

impl Scan<'_> {
    fn event(&mut self, event: Event, span: Span) -> Result<(), ScenarioError> {
        match event {
            Event::Scalar(value, _, anchor, _) => {
                let size = value.len() as u64 + 1;
                // a key is checked as text before it names the path, so that a message about
                // a 12,000-character key does not quote it as the field
                if let Some(Frame { kind: FrameKind::Map { key: current, expecting_key: true, .. }, .. }) = self.stack.last_mut() {
                    *current = None;
                }
                self.text(&value, span)?;
                if self.is_key() {
                    self.key(&value, span)?;
                }
                self.grow(size, span)?;
                if anchor > 0 {
                    self.anchors.insert(anchor, size);
                }
                self.done();
            }
            Event::Alias(id) => {
                if self.is_key() {
                    self.key("*", span)?;
                }
                let size = self.anchors.get(&id).copied().unwrap_or(1);
                self.grow(size, span)?;
                self.done();
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.is_key() {
                    self.key("?", span)?;
                }
                if self.stack.len() >= MAX_NESTING {
                    return Err(ScenarioError::new(self.file, format!("lists and maps are nested more than {MAX_NESTING} deep here"))
                        .with_help("a scenario needs a few levels: check that this is the right file")
                        .located(self.source, span.start.line(), span.start.col() + 1));
                }
                self.grow(1, span)?;
                let kind = match event {
                    Event::SequenceStart(..) => FrameKind::List { index: 0 },
                    _ => FrameKind::Map { keys: HashMap::new(), key: None, expecting_key: true },
                };
                let anchor = (anchor > 0).then_some((anchor, self.expanded - 1));
                self.stack.push(Frame { kind, anchor });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Frame { anchor: Some((id, start)), .. }) = self.stack.pop() {
                    self.anchors.insert(id, self.expanded - start);
                }
                self.done();
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) | Event::DocumentEnd => {}
        }
        Ok(())
    }

    /// True when the next node is a mapping's key.
    fn is_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame { kind: FrameKind::Map { expecting_key: true, .. }, .. }))
    }

    /// A key: refused if the mapping already has it; otherwise the key the value comes under.
    fn key(&mut self, key: &str, span: Span) -> Result<(), ScenarioError> {
        let line = span.start.line();
        let Some(Frame { kind: FrameKind::Map { keys, key: current, .. }, .. }) = self.stack.last_mut() else { return Ok(()) };
        *current = Some(key.to_string());
        // keys that are lists, maps or aliases are compared by nobody: serde refuses them
        if matches!(key, "?" | "*") {
            return Ok(());
        }
        if let Some(first) = keys.insert(key.to_string(), line) {
            let mut err = ScenarioError::new(self.file, format!("is given twice in the same mapping (first on line {first}): keep one"))
                .with_help("YAML keeps only one value per key, so one of the two would be silently lost")
                .located(self.source, line, span.start.col() + 1);
            err.field = Some(self.path());
            return Err(err);
        }
        Ok(())
    }

    /// A text (a value or a key): not too long, no control characters.
    fn text(&self, value: &str, span: Span) -> Result<(), ScenarioError> {
        let message = match crate::text::problem(value) {
            None => return Ok(()),
            Some(TextProblem::TooLong { chars }) => {
                format!("is {chars} characters long; texts in a scenario are limited to {MAX_TEXT_CHARS}: quote the part that matters")
            }
            Some(TextProblem::Control { c, .. }) => format!(
                "holds a control character ({}): scenario texts are shown in terminals, where it would act as a command; remove it",
                describe(c)
            ),
        };
        let mut err = ScenarioError::new(self.file, message).located(self.source, span.start.line(), span.start.col() + 1);
        err.field = Some(self.path()).filter(|p| !p.is_empty());
        Err(err)
    }

    /// Counts `size` more bytes of expanded text, refusing the scenario past the limit.
    fn grow(&mut self, size: u64, span: Span) -> Result<(), ScenarioError> {
        self.expanded += size;
        if self.expanded <= MAX_EXPANDED_BYTES {
            return Ok(());
        }
        let mut err = ScenarioError::new(
            self.file,
            format!("with its aliases (`*name`) written out, the scenario holds more than {MAX_EXPANDED_BYTES} bytes of text"),
        )
        .with_help("an alias copies everything its anchor (`&name`) holds: write a short text out where it is needed instead")
        .located(self.source, span.start.line(), span.start.col() + 1);
        err.field = Some(self.path()).filter(|p| !p.is_empty());
        Err(err)
    }

    /// A node is complete: its list moves to the next index, its mapping to the next key.
    fn done(&mut self) {
        match self.stack.last_mut().map(|f| &mut f.kind) {
            Some(FrameKind::List { index }) => *index += 1,
            Some(FrameKind::Map { expecting_key, .. }) => *expecting_key = !*expecting_key,
            None => {}
        }
    }

    /// The field path of the node being read, as serde names it: `chain[1].mutate.jargon`.
    fn path(&self) -> String {
        let mut out = String::new();
        for frame in &self.stack {
            match &frame.kind {
                FrameKind::List { index } => out.push_str(&format!("[{index}]")),
                FrameKind::Map { key: Some(key), .. } => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                FrameKind::Map { key: None, .. } => {}
            }
        }
        out
    }

    /// A file this parser cannot read: the YAML reader reports it in its familiar words,
    /// unless the file holds so many brackets that reading it could take minutes.
    fn syntax_error(&self, e: &ScanError) -> Result<(), ScenarioError> {
        let at = (e.marker().line(), e.marker().col() + 1);
        if e.info().contains("recursion limit") {
            return Err(ScenarioError::new(self.file, format!("lists and maps are nested more than {MAX_NESTING} deep here"))
                .with_help("a scenario needs a few levels: check that this is the right file")
                .located(self.source, at.0, at.1));
        }
        if self.source.matches(['[', '{']).count() <= FLOW_INDICATORS_LEFT_TO_THE_READER {
            return Ok(());
        }
        Err(ScenarioError::new(self.file, format!("YAML syntax error: {}", e.info()))
            .with_help(
                "check the indentation and quoting around this line; quote text that contains `: ` or starts with a special character",
            )
            .located(self.source, at.0, at.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(source: &str) -> ScenarioError {
        check("s.yaml", source).expect_err("refused")
    }

    #[test]
    fn brackets_in_plain_text_are_text() {
        let source = format!("name: we need {}\nsaid: it\n", "[".repeat(100));
        assert!(check("s.yaml", &source).is_ok());
        let block = format!("said: |\n  {}\n", "{".repeat(100));
        assert!(check("s.yaml", &block).is_ok());
    }

    #[test]
    fn a_quote_inside_a_plain_scalar_hides_nothing() {
        let source = format!("name: a:'b\nchain: {}\n", "[".repeat(100));
        let e = err(&source);
        assert!(e.message.contains("nested more than"), "{e}");
        assert_eq!(e.location.map(|l| l.0), Some(2));
    }

    #[test]
    fn block_nesting_counts_too() {
        let mut source = String::new();
        for depth in 0..70 {
            source.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
        }
        source.push_str(&format!("{}end: 1\n", " ".repeat(70)));
        assert!(err(&source).message.contains("nested more than"));
    }

    #[test]
    fn a_repeated_key_is_found_where_it_is() {
        let e = err("version: 1\nchain:\n  - role: A\n    role: B\n");
        assert_eq!(e.location, Some((4, 5)));
        assert_eq!(e.field.as_deref(), Some("chain[0].role"));
        assert!(e.message.contains("first on line 3"), "{e}");
    }

    #[test]
    fn control_characters_are_refused_in_the_file_and_in_escapes() {
        let e = err("name: a\nsaid: b\u{0}c\n");
        assert_eq!(e.location, Some((2, 8)));
        assert!(e.message.contains("U+0000 NUL"));
        let e = err("customer:\n  said: \"\\e]0;owned\\a\"\n");
        assert_eq!(e.field.as_deref(), Some("customer.said"));
        assert!(e.message.contains("U+001B ESC"), "{e}");
        assert!(check("s.yaml", "said: \"tab\\tand\\nline\"\n").is_ok());
    }

    #[test]
    fn aliases_count_at_their_expanded_size() {
        let big = "x".repeat(9_000);
        let mut source = format!("a: &big {big}\nhops:\n");
        for _ in 0..300 {
            source.push_str("  - *big\n");
        }
        let e = err(&source);
        assert!(e.message.contains("aliases"), "{e}");
        assert_eq!(e.field.as_deref().map(|f| f.starts_with("hops[")), Some(true));
        // the same anchor a few times is fine
        let few = format!("a: &big {big}\nhops: [*big, *big, *big]\n");
        assert!(check("s.yaml", &few).is_ok());
    }

    #[test]
    fn nested_anchors_multiply() {
        let mut source = String::from("a: &a [\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"]\n");
        let mut prev = "a".to_string();
        for level in 0..20 {
            let name = format!("l{level}");
            source.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = name;
        }
        assert!(err(&source).message.contains("aliases"));
    }

    #[test]
    fn a_long_text_is_refused_wherever_it_is() {
        let source = format!("lexicon:\n  jargon:\n    alpha: [{}]\n", "y".repeat(MAX_TEXT_CHARS + 1));
        let e = err(&source);
        assert_eq!(e.field.as_deref(), Some("lexicon.jargon.alpha[0]"));
    }
}
