//! Telling things in another order: retellers keep most of what they remember but not always
//! where it was. Walking the message left to right, each pair of neighbouring sentences is
//! told the other way round with probability `rate`; a sentence moves at most once per hop.
//! Each sentence keeps its own end punctuation, the spacing stays where it was, and [`tidy`]
//! repairs the capitals.
//!
//! A sentence that points back never moves away from the one before it, in front of it or
//! behind the next: a pronoun ("They spend hours…" after "We keep losing our best
//! adjusters…") would lose the noun it stands for, and one that opens with "But", "So" or
//! "This" would answer nothing. People who retell
//! in another order keep such a sentence after what it leans on.

use rand::RngExt;

use std::sync::LazyLock;

use super::{Edit, OperatorKind, Stream, finish};
use crate::lexicon::WordSet;
use crate::text::{Small, Text, Word};


/// `reorder` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "reorder",
    summary: "tells two neighbouring sentences the other way round",
    text_param: None,
    number_params: &[],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, _: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    apply(text, how.rate, rng)
}

pub fn apply(text: &mut Text, rate: f64, rng: &mut Stream) -> Vec<Edit> {
    if rate <= 0.0 {
        return Vec::new();
    }
    let sentences = text.sentences();
    if sentences.len() < 2 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    let mut edits = Vec::new();
    let mut k = 0;
    while k + 1 < sentences.len() {
        // neither sentence may leave what it leans on: the second moves in front of its own
        // antecedent, the first (unless it opens the message) away from the one before it
        if rng.random_bool(rate) && !points_back(text, sentences[k + 1]) && (k == 0 || !points_back(text, sentences[k])) {
            order.swap(k, k + 1);
            let (first, second) = (sentences[k], sentences[k + 1]);
            let before = text.span_text(first.0, second.1);
            let after = format!("{} {}", sentence_text(text, second), sentence_text(text, first));
            edits.push(Edit::new(OperatorKind::Reorder, before, after));
            k += 2;
        } else {
            k += 1;
        }
    }
    if edits.is_empty() {
        return edits;
    }
    let old = std::mem::take(&mut text.words);
    let mut words: Vec<Word> = Vec::with_capacity(old.len());
    for (slot, &from) in order.iter().enumerate() {
        let (a, b) = sentences[from];
        let start = words.len();
        words.extend_from_slice(&old[a..b]);
        // the sentence takes its end punctuation along; the space after it stays in its slot
        let (punctuation, _) = split_gap(&old[b - 1].gap);
        let (_, space) = split_gap(&old[sentences[slot].1 - 1].gap);
        let punctuation = if punctuation.is_empty() && slot + 1 < order.len() { "." } else { punctuation };
        let space = if space.is_empty() && slot + 1 < order.len() { " " } else { space };
        if let Some(last) = words.last_mut() {
            last.gap = Small::from(format!("{punctuation}{space}"));
        }
        debug_assert!(words.len() > start);
    }
    text.words = words;
    finish(text, edits)
}

/// Pronouns that stand for a noun said before them.
const PRONOUNS: &[&str] = &[
    "he",
    "she",
    "it",
    "they",
    "him",
    "her",
    "them",
    "his",
    "hers",
    "its",
    "their",
    "theirs",
    "himself",
    "herself",
    "itself",
    "themselves",
    "it's",
    "they're",
    "they've",
    "they'd",
    "they'll",
    "he's",
    "she's",
    "he'd",
    "she'd",
];

/// Words a sentence opens with when it leans on the one before: connectives and pointers.
const LEANS_BACK: &[&str] = &[
    "and",
    "but",
    "so",
    "or",
    "yet",
    "because",
    "also",
    "however",
    "still",
    "then",
    "this",
    "these",
    "those",
    "that",
    "such",
    "there",
    "instead",
    "meanwhile",
    "later",
    "afterwards",
    "both",
    "neither",
    "either",
    "otherwise",
    "therefore",
    "thus",
];

/// The two lists by word key (any case; each contraction with either apostrophe).
static KEYS: LazyLock<(WordSet, WordSet)> = LazyLock::new(|| {
    let set = |words: &[&str]| WordSet::of(&words.iter().flat_map(|w| [w.to_string(), w.replace('\'', "’")]).collect::<Vec<_>>());
    (set(PRONOUNS), set(LEANS_BACK))
});

/// True when sentence `a..b` refers back to what came before it: a pronoun anywhere in it, or
/// an opening connective or pointer.
fn points_back(text: &Text, (a, b): (usize, usize)) -> bool {
    let (pronouns, leans_back) = &*KEYS;
    leans_back.contains(text.words[a].key) || text.words[a..b].iter().any(|w| pronouns.contains(w.key))
}

/// A sentence with its end punctuation, as a trace shows it.
fn sentence_text(text: &Text, (a, b): (usize, usize)) -> String {
    let punctuation = split_gap(&text.words[b - 1].gap).0;
    format!("{}{}", text.span_text(a, b), if punctuation.is_empty() { "." } else { punctuation })
}

/// A sentence's closing gap as (punctuation, the white space after it).
fn split_gap(gap: &str) -> (&str, &str) {
    let punctuation = gap.trim_end();
    (punctuation, &gap[punctuation.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::test_support::{on, stream};

    #[test]
    fn neighbouring_sentences_change_places() {
        let out = on("The bridge closed. Buses take a detour! Shops are quiet?", |t| apply(t, 1.0, &mut stream(1)));
        assert_eq!(out.message, "Buses take a detour! The bridge closed. Shops are quiet?");
        assert_eq!(out.edits.len(), 1);
        assert_eq!(out.edits[0].before, "The bridge closed. Buses take a detour");
        assert_eq!(out.edits[0].after, "Buses take a detour! The bridge closed.");
    }

    /// Regression (issue 15): "They spend hours every week typing the same claim into three
    /// systems. We keep losing our best adjusters to paperwork." left "They" without its
    /// adjusters. A sentence that points back stays behind the one it leans on.
    #[test]
    fn a_sentence_that_points_back_stays_after_what_it_points_to() {
        let dana = "We keep losing our best adjusters to paperwork. They spend hours every week typing the same claim. I need them back in the field.";
        let leaning = "The bridge closed. But the buses still run. So the shops stay open. This surprised nobody.";
        // a contraction with a typographic apostrophe points back too
        let curly = "Drivers grumble. They’re late.";
        // nor does one move behind the next and away from what it leans on
        let behind = "The shops stay open. This surprised nobody. Drivers grumble.";
        for seed in 0..60 {
            assert_eq!(on(dana, |t| apply(t, 1.0, &mut stream(seed))).message, dana);
            assert_eq!(on(leaning, |t| apply(t, 1.0, &mut stream(seed))).message, leaning);
            assert_eq!(on(curly, |t| apply(t, 1.0, &mut stream(seed))).message, curly);
            assert_eq!(on(behind, |t| apply(t, 1.0, &mut stream(seed))).message, behind);
        }
        // a sentence that leans on nothing may still move in front of one that does
        let out = on("They closed the bridge. Buses take a detour.", |t| apply(t, 1.0, &mut stream(1)));
        assert_eq!(out.message, "Buses take a detour. They closed the bridge.");
    }

    #[test]
    fn a_last_sentence_without_a_full_stop_gets_one_when_it_moves() {
        let out = on("It rained. The bridge closed", |t| apply(t, 1.0, &mut stream(1)));
        assert_eq!(out.message, "The bridge closed. It rained.");
    }

    #[test]
    fn one_sentence_or_rate_zero_stays_as_it_is() {
        assert!(on("Only one sentence here.", |t| apply(t, 1.0, &mut stream(1))).edits.is_empty());
        assert!(on("One. Two.", |t| apply(t, 0.0, &mut stream(1))).edits.is_empty());
    }

    #[test]
    fn reordering_keeps_every_word() {
        let story = "A dog went missing. Volunteers searched for days. Hikers heard barking, near a quarry. She is safe now.";
        for seed in 0..40 {
            let out = on(story, |t| apply(t, 0.5, &mut stream(seed)));
            let mut a: Vec<String> = Text::parse(story).lower_words().into_iter().map(|w| w.to_string()).collect();
            let mut b: Vec<String> = Text::parse(&out.message).lower_words().into_iter().map(|w| w.to_string()).collect();
            a.sort();
            b.sort();
            assert_eq!(a, b, "{}", out.message);
        }
    }
}
