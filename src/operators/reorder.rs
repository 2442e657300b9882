//! Telling things in another order: retellers keep most of what they remember but not always
//! where it was. Walking the message left to right, each pair of neighbouring sentences is
//! told the other way round with probability `rate`; a sentence moves at most once per hop.
//! Each sentence keeps its own end punctuation, the spacing stays where it was, and [`tidy`]
//! repairs the capitals.

use rand::RngExt;

use super::{Edit, OperatorKind, Stream, finish};
use crate::text::{Small, Text, Word};

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
        if rng.random_bool(rate) {
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
