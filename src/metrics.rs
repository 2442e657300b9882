//! How far a message has drifted: 1 = the customer's own words, 0 = nothing left.
//!
//! Character metrics compare extended grapheme clusters of NFC-normalised text, so "café"
//! typed with a combining accent equals "café" typed precomposed, and a family emoji counts
//! as one character, as a reader sees it. strsim computes every metric it computes correctly
//! on such sequences (its generic functions); Sørensen–Dice is computed here because strsim's
//! `sorensen_dice` divides by byte length and is wrong on non-ASCII text.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::lexicon::Lexicon;
use crate::text::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Levenshtein,
    Damerau,
    JaroWinkler,
    SorensenDice,
    WordLevenshtein,
    CustomerWords,
}

impl Metric {
    pub const ALL: [Metric; 6] =
        [Metric::Levenshtein, Metric::Damerau, Metric::JaroWinkler, Metric::SorensenDice, Metric::WordLevenshtein, Metric::CustomerWords];

    /// What a scenario gets when it names none; the first is the headline.
    pub const DEFAULT: [Metric; 4] = [Metric::Levenshtein, Metric::JaroWinkler, Metric::SorensenDice, Metric::CustomerWords];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Levenshtein => "levenshtein",
            Metric::Damerau => "damerau",
            Metric::JaroWinkler => "jaro_winkler",
            Metric::SorensenDice => "sorensen_dice",
            Metric::WordLevenshtein => "word_levenshtein",
            Metric::CustomerWords => "customer_words",
        }
    }

    pub fn summary(self) -> &'static str {
        match self {
            Metric::Levenshtein => "characters kept in place: 1 − edits / longer length",
            Metric::Damerau => "as levenshtein, a swap of two neighbours counting as one edit",
            Metric::JaroWinkler => "characters in common and in order, the opening weighted most",
            Metric::SorensenDice => "shared character pairs (bigrams), order ignored",
            Metric::WordLevenshtein => "whole words kept in place: 1 − word edits / longer length",
            Metric::CustomerWords => "share of the customer's content words still there",
        }
    }

    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Similarity of `message` to `reference`, in [0, 1].
    pub fn score(self, reference: &str, message: &str, lexicon: &Lexicon) -> f64 {
        match self {
            Metric::Levenshtein => normalised_distance(reference, message, |a, b| strsim::generic_levenshtein(a, b)),
            Metric::Damerau => normalised_distance(reference, message, |a, b| strsim::generic_damerau_levenshtein(a, b)),
            Metric::JaroWinkler => {
                let (a, b) = characters(reference, message);
                strsim::generic_jaro_winkler(&a, &b)
            }
            Metric::SorensenDice => sorensen_dice(reference, message),
            Metric::WordLevenshtein => word_levenshtein(reference, message),
            Metric::CustomerWords => content_words_kept(reference, message, &lexicon.stopwords),
        }
    }
}

/// Both texts as sequences of character codes, one per grapheme: a grapheme that is one
/// code point keeps it; longer ones (a letter with a combining mark NFC cannot fold, an
/// emoji sequence) get codes above the Unicode range, equal for equal clusters. Comparing
/// integers is what makes the edit distances fast; the answer is the same as on clusters.
pub fn characters(a: &str, b: &str) -> (Vec<u32>, Vec<u32>) {
    let mut clusters: HashMap<String, u32> = HashMap::new();
    let mut encode = |s: &str| -> Vec<u32> {
        if s.is_ascii() && !s.contains('\r') {
            // ASCII is already NFC and each byte is its own grapheme (but for "\r\n")
            return s.bytes().map(u32::from).collect();
        }
        let nfc: String = s.nfc().collect();
        nfc.graphemes(true)
            .map(|g| {
                let mut chars = g.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => c as u32,
                    _ => {
                        let next = 0x11_0000 + clusters.len() as u32;
                        *clusters.entry(g.to_string()).or_insert(next)
                    }
                }
            })
            .collect()
    };
    let a = encode(a);
    let b = encode(b);
    (a, b)
}

fn normalised_distance(a: &str, b: &str, distance: impl Fn(&Vec<u32>, &Vec<u32>) -> usize) -> f64 {
    let (a, b) = characters(a, b);
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - distance(&a, &b) as f64 / longest as f64
}

/// Sørensen–Dice on grapheme bigrams, white space left out (strsim's definition, counted in
/// characters rather than bytes).
pub fn sorensen_dice(a: &str, b: &str) -> f64 {
    let (a, b) = characters(a, b);
    // white space is left out; a cluster code above the Unicode range is never white space
    let strip = |s: Vec<u32>| -> Vec<u32> { s.into_iter().filter(|&c| !char::from_u32(c).is_some_and(char::is_whitespace)).collect() };
    let (a, b) = (strip(a), strip(b));
    if a == b {
        return 1.0;
    }
    if a.len() < 2 || b.len() < 2 {
        return 0.0;
    }
    let bigrams = |s: &[u32]| -> Vec<u64> {
        let mut v: Vec<u64> = s.windows(2).map(|w| (u64::from(w[0]) << 32) | u64::from(w[1])).collect();
        v.sort_unstable();
        v
    };
    let (x, y) = (bigrams(&a), bigrams(&b));
    // the size of the multiset intersection, by merging two sorted lists
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * shared) as f64 / (a.len() + b.len() - 2) as f64
}

/// Words, lower-cased and NFC-normalised: the unit of the word metrics.
pub fn words(s: &str) -> Vec<String> {
    let nfc: String = s.nfc().collect();
    Text::parse(&nfc).lower_words()
}

fn word_levenshtein(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    1.0 - strsim::generic_levenshtein(&a, &b) as f64 / longest as f64
}

/// Share of the reference's distinct content words (stop words left out) found in `message`.
/// A reference made only of stop words is judged on all its words.
pub fn content_words_kept(reference: &str, message: &str, stopwords: &HashSet<String>) -> f64 {
    let wanted = content_words(reference, stopwords);
    if wanted.is_empty() {
        return 1.0;
    }
    let present: HashSet<String> = words(message).into_iter().collect();
    wanted.iter().filter(|w| present.contains(*w)).count() as f64 / wanted.len() as f64
}

/// The distinct words of `text` that carry meaning (stop words left out); all its words when
/// it has nothing but stop words.
pub fn content_words(text: &str, stopwords: &HashSet<String>) -> HashSet<String> {
    let all = words(text);
    let content: HashSet<String> = all.iter().filter(|w| !stopwords.contains(*w)).cloned().collect();
    if content.is_empty() { all.into_iter().collect() } else { content }
}

/// Share of the message's words that are marketing-speak: inside a phrase of the lexicon's
/// jargon, exaggerations, agendas or buzzwords.
pub fn jargon_share(message: &str, lexicon: &Lexicon) -> f64 {
    let nfc: String = message.nfc().collect();
    let text = Text::parse(&nfc);
    let lower = text.lower_words();
    if lower.is_empty() {
        return 0.0;
    }
    let mut covered = 0usize;
    let mut i = 0;
    while i < lower.len() {
        match lexicon.marketing_speak.longest_match(&lower, i, |len| text.is_phrase_span(i, i + len)) {
            Some((len, _)) => {
                covered += len;
                i += len;
            }
            None => i += 1,
        }
    }
    covered as f64 / lower.len() as f64
}

const WE: [&str; 5] = ["we", "us", "our", "ours", "ourselves"];
const OTHER_PEOPLE: [&str; 19] = [
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "she",
    "her",
    "hers",
    "they",
    "them",
    "their",
];

/// Share of we/our/us among the message's pronouns for people: how much of the message is
/// about "us" rather than about the customer. No pronouns at all counts as 0.
pub fn we_focus_share(message: &str) -> f64 {
    let words = words(message);
    let we = words.iter().filter(|w| WE.contains(&w.as_str())).count();
    let others = words.iter().filter(|w| OTHER_PEOPLE.contains(&w.as_str()) || *w == "theirs" || *w == "themselves").count();
    if we + others == 0 { 0.0 } else { we as f64 / (we + others) as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_text_scores_one() {
        let lex = Lexicon::built_in();
        for m in Metric::ALL {
            assert_eq!(m.score("We keep losing adjusters.", "We keep losing adjusters.", &lex), 1.0, "{m:?}");
            assert_eq!(m.score("", "", &lex), 1.0, "{m:?}");
        }
    }

    #[test]
    fn composed_and_decomposed_accents_are_the_same_text() {
        let lex = Lexicon::built_in();
        let composed = "caf\u{e9} cr\u{e8}me";
        let decomposed = "cafe\u{301} cre\u{300}me";
        for m in Metric::ALL {
            assert_eq!(m.score(composed, decomposed, &lex), 1.0, "{m:?}");
        }
        // one grapheme differs out of four
        assert!((Metric::Levenshtein.score("cafe\u{301}", "cafe", &lex) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn strsim_sorensen_dice_is_matched_on_ascii() {
        for (a, b) in [("feris", "ferris"), ("french", "quebec"), ("night", "nacht"), ("a b c", "abc d")] {
            assert!((sorensen_dice(a, b) - strsim::sorensen_dice(a, b)).abs() < 1e-12, "{a} {b}");
        }
        // strsim counts bytes here; one of two grapheme bigrams is shared: 2·1/(3+3−2)
        assert!((sorensen_dice("éèà", "éèa") - 0.5).abs() < 1e-12);
    }

    #[test]
    fn symptoms() {
        assert_eq!(we_focus_share("We deliver our platform to you"), 2.0 / 3.0);
        assert_eq!(we_focus_share("Adjusters need time"), 0.0);
    }
}

/// Every score of one hop.
#[derive(Debug, Clone, PartialEq)]
pub struct HopScores {
    /// Per scenario metric, in the scenario's order: against the customer's words.
    pub vs_customer: Vec<f64>,
    /// Per scenario metric: against the message the hop received.
    pub vs_previous: Vec<f64>,
    pub jargon: f64,
    pub we_focus: f64,
    /// `customer_words` against each of the customer's three P's that is given.
    pub three_ps: Vec<f64>,
    /// `customer_words` against the customer's words, whatever the scenario's metrics (the
    /// `words` chart shows it).
    pub words: f64,
}

/// Scores every hop of a trace.
pub fn score_trace(scenario: &crate::scenario::Scenario, lexicon: &Lexicon, trace: &crate::simulate::Trace) -> Vec<HopScores> {
    let customer = scenario.customer.said.as_str();
    let ps = scenario.customer.three_ps();
    let mut previous = customer;
    let mut out = Vec::with_capacity(trace.hops.len());
    for hop in &trace.hops {
        let text = hop.text.as_str();
        let vs_customer: Vec<f64> = scenario.metrics.iter().map(|m| m.score(customer, text, lexicon)).collect();
        let vs_previous = if previous == customer {
            vs_customer.clone()
        } else {
            scenario.metrics.iter().map(|m| m.score(previous, text, lexicon)).collect()
        };
        out.push(HopScores {
            vs_customer: vs_customer.clone(),
            vs_previous,
            jargon: jargon_share(text, lexicon),
            we_focus: we_focus_share(text),
            three_ps: ps.iter().map(|(_, p)| content_words_kept(p, text, &lexicon.stopwords)).collect(),
            words: match scenario.metrics.iter().position(|m| *m == Metric::CustomerWords) {
                Some(k) => vs_customer[k],
                None => content_words_kept(customer, text, &lexicon.stopwords),
            },
        });
        previous = text;
    }
    out
}
