//! What `drift run` hands over: the terminal trace and the files in `<out>/<slug>/`.
//!
//! One file per format behind [`Format`], as hyperfine's exporters: each renders the same
//! [`Report`] to text, so stdout (`--format`) and the files never disagree.

pub mod calibration;
pub mod comparison;
mod html;
pub mod score;
pub mod sweep;
mod text;

use similar::{ChangeTag, TextDiff};

pub use self::html::{Figure, Html, ReportCharts};
pub use self::text::{Terminal, bar};

use crate::aggregate::Analysis;
use crate::scenario::Scenario;

/// Everything a format needs to render a run.
pub struct Report<'a> {
    pub scenario: &'a Scenario,
    pub analysis: &'a Analysis,
    /// The scenario file as given on the command line.
    pub file: &'a str,
    /// The charts written beside the report, for the documents that show them.
    pub charts: &'a [ChartLink],
}

/// A chart written beside the report: its file (relative to the report's folder) and what it
/// answers, so `trace.md` can show it and a Markdown-to-slides tool makes a slide of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartLink {
    pub file: String,
    /// The question the chart answers ("Where did it go wrong?").
    pub question: &'static str,
    pub how_to_read: &'static str,
}

/// An output format: the same report as text of one kind.
pub trait Format: Sync {
    /// The name `drift run --format` knows it by (`json`).
    fn name(&self) -> &'static str;
    /// The file it is saved as in `<out>/<slug>/`.
    fn file_name(&self) -> &'static str;
    fn render(&self, report: &Report) -> String;
}

/// Declares the formats every run writes as files from one list: each entry names its file
/// (`src/output/FILE.rs`) and its type, and becomes the module and a place in
/// [`FILE_FORMATS`]; `drift run --format` offers every one of them beside `text`.
macro_rules! file_formats {
    ($($file:ident::$format:ident),+ $(,)?) => {
        $(mod $file; pub use self::$file::$format;)+

        /// The formats that are written as files on every run, in this order.
        pub const FILE_FORMATS: &[&dyn Format] = &[$(&$format,)+];
    };
}

// A new file format of `drift run`: a file in src/output/ and one line here.
file_formats! {
    markdown::Markdown,
    csv::Csv,
    json::Json,
}

/// The file format `drift run --format` calls `name`.
pub fn file_format(name: &str) -> Option<&'static dyn Format> {
    FILE_FORMATS.iter().copied().find(|f| f.name() == name)
}

/// A stretch of the new message: as it was, or changed (what went, what came).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    Changed { removed: String, added: String },
}

/// Word-level changes from `old` to `new`. Neighbouring changes separated only by white space
/// are one change, so "~~begging people~~ **backfilling coverage**" reads as a phrase swap
/// rather than alternating single words.
///
/// Words are cut where the metrics cut them, at Unicode word boundaries (UAX #29): so
/// "works." and "works" share the word and differ by the full stop, and Chinese or Japanese
/// text, written without spaces, is diffed word by word rather than as one block.
pub fn word_diff(old: &str, new: &str) -> Vec<Piece> {
    use unicode_segmentation::UnicodeSegmentation;
    let (old, new): (Vec<&str>, Vec<&str>) = (old.split_word_bounds().collect(), new.split_word_bounds().collect());
    let diff = TextDiff::from_slices(&old, &new);
    let changes: Vec<(ChangeTag, String)> = diff.iter_all_changes().map(|c| (c.tag(), c.value().to_string())).collect();
    let mut out: Vec<Piece> = Vec::new();
    for (k, (tag, value)) in changes.iter().enumerate() {
        let changed_next = || changes[k + 1..].iter().find(|(_, v)| !v.trim().is_empty()).is_some_and(|(t, _)| *t != ChangeTag::Equal);
        match (tag, out.last_mut()) {
            (ChangeTag::Equal, Some(Piece::Changed { removed, added })) if value.trim().is_empty() && changed_next() => {
                removed.push_str(value);
                added.push_str(value);
            }
            (ChangeTag::Equal, Some(Piece::Same(s))) => s.push_str(value),
            (ChangeTag::Equal, _) => out.push(Piece::Same(value.clone())),
            (ChangeTag::Delete, Some(Piece::Changed { removed, .. })) => removed.push_str(value),
            (ChangeTag::Insert, Some(Piece::Changed { added, .. })) => added.push_str(value),
            (ChangeTag::Delete, _) => out.push(Piece::Changed { removed: value.clone(), added: String::new() }),
            (ChangeTag::Insert, _) => out.push(Piece::Changed { removed: String::new(), added: value.clone() }),
        }
    }
    out
}

impl Piece {
    /// A change as (leading space, removed words, added words, trailing space): renderers
    /// mark up the words and keep the spacing outside the marks.
    pub fn change_parts(removed: &str, added: &str) -> (String, String, String, String) {
        let outer = if added.trim().is_empty() { removed } else { added };
        let lead = outer[..outer.len() - outer.trim_start().len()].to_string();
        let tail = outer[outer.trim_end().len()..].to_string();
        (lead, removed.trim().to_string(), added.trim().to_string(), tail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a change's trailing space was lost ("**coverage window**on").
    /// Regression (issue 14): text without spaces was one "word", so any change to a Chinese
    /// sentence struck the whole sentence.
    #[test]
    fn text_without_spaces_is_diffed_word_by_word() {
        let pieces = word_diff("我们的会计每个月都要花三天", "我们的会计每个月都要花五天");
        assert_eq!(pieces.first(), Some(&Piece::Same("我们的会计每个月都要花".into())));
        assert!(pieces.contains(&Piece::Changed { removed: "三".into(), added: "五".into() }), "{pieces:?}");
    }

    #[test]
    fn word_diff_keeps_the_spacing_and_joins_neighbouring_changes() {
        let pieces = word_diff("their shift on calls begging people to cover.", "their coverage window on inbound interactions.");
        let rebuilt: String = pieces
            .iter()
            .map(|p| match p {
                Piece::Same(s) => s.clone(),
                Piece::Changed { added, .. } => added.clone(),
            })
            .collect();
        assert_eq!(rebuilt, "their coverage window on inbound interactions.");
        let changes = pieces.iter().filter(|p| matches!(p, Piece::Changed { .. })).count();
        assert_eq!(changes, 2, "{pieces:?}");
    }
}
