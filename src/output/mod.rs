//! What `drift run` hands over: the terminal trace and the files in `<out>/<slug>/`.
//!
//! One file per format behind [`Format`], as hyperfine's exporters: each renders the same
//! [`Report`] to text, so stdout (`--format`) and the files never disagree.

pub mod calibration;
pub mod comparison;
mod csv;
mod html;
mod json;
mod markdown;
pub mod score;
mod text;

use similar::{ChangeTag, TextDiff};

pub use self::csv::Csv;
pub use self::html::{Html, ReportCharts};
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

/// 0.8734 → "87%".
pub fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// "1 run", "2000 runs".
pub fn runs(n: u64) -> String {
    if n == 1 { "1 run".to_string() } else { format!("{n} runs") }
}

/// A fall in points of 100, one decimal, never "-0.0"; a rise (a hop that brings the message
/// back) with the same minus sign as [`signed_points`]: "−0.3", not "-0.3".
pub fn points(x: f64) -> String {
    with_minus(x, 100.0, 1, "")
}

/// A change in points of 100 with its sign: "+12.5", "−3.0", "0.0".
pub fn signed_points(x: f64) -> String {
    with_minus(x, 100.0, 1, "+")
}

/// `x` in `unit`s (100 for points of 100) to `decimals` places, with the typographic minus,
/// `plus` before a positive number, and no sign on a number that rounds to zero ("0.0", never
/// "-0.0").
pub fn with_minus(x: f64, unit: f64, decimals: usize, plus: &str) -> String {
    let scale = 10f64.powi(decimals as i32);
    // one multiplication, so that the rounding is the same as x * 1000 for points
    let r = (x * (unit * scale)).round() / scale;
    if r == 0.0 {
        format!("{:.decimals$}", 0.0)
    } else if r > 0.0 {
        format!("{plus}{r:.decimals$}")
    } else {
        format!("−{:.decimals$}", -r)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: a negative drop printed as "-0.3" beside a gain's "−0.3".
    #[test]
    fn drops_and_gains_share_one_minus_sign() {
        assert_eq!(points(-0.003), "−0.3");
        assert_eq!(points(0.29), "29.0");
        assert_eq!(points(-0.0001), "0.0");
        assert_eq!(points(-0.003), signed_points(-0.003));
    }

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
