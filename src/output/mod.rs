//! What `drift run` hands over: the terminal trace and the files in `<out>/<slug>/`.
//!
//! One file per format behind [`Format`], as hyperfine's exporters: each renders the same
//! [`Report`] to text, so stdout (`--format`) and the files never disagree.

mod csv;
mod json;
mod markdown;
mod text;

use similar::{ChangeTag, TextDiff};

pub use self::csv::Csv;
pub use self::json::Json;
pub use self::markdown::Markdown;
pub use self::text::{Terminal, bar};

use crate::aggregate::Analysis;
use crate::lexicon::Lexicon;
use crate::scenario::Scenario;

/// Everything a format needs to render a run.
pub struct Report<'a> {
    pub scenario: &'a Scenario,
    pub analysis: &'a Analysis,
    pub lexicon: &'a Lexicon,
    /// The scenario file as given on the command line.
    pub file: &'a str,
}

/// An output format: the same report as text of one kind.
pub trait Format {
    /// The file it is saved as in `<out>/<slug>/`.
    fn file_name(&self) -> &'static str;
    fn render(&self, report: &Report) -> String;
}

/// Word-level changes from `old` to `new`, neighbouring pieces of one kind joined.
pub fn word_diff(old: &str, new: &str) -> Vec<(ChangeTag, String)> {
    let diff = TextDiff::from_words(old, new);
    let mut out: Vec<(ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        let value = change.value().to_string();
        // a lone space between two removed or added words belongs to them
        match out.last_mut() {
            Some((t, s)) if *t == tag => s.push_str(&value),
            _ => out.push((tag, value)),
        }
    }
    out
}

/// 0.8734 → "87%".
pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Rounds for files: six decimals are far below what the simulation can resolve, and make
/// the output the same on every machine's float formatting.
pub fn round6(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 { 0.0 } else { r }
}

/// The formats that are written as files on every run.
pub fn file_formats() -> Vec<Box<dyn Format>> {
    vec![Box::new(Markdown), Box::new(Csv), Box::new(Json)]
}
