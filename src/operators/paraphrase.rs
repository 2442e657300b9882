//! Retelling in one's own words: people keep the gist of what they heard and lose its wording,
//! the more so the longer it was (with a `capacity`). Everyday words and phrases are swapped
//! for others of the same meaning and grammatical role, from the lexicon's `paraphrases`
//! (each way round: see [`Lexicon::paraphrases`]).
//!
//! `synonym` is a role's habit of swapping the customer's words for near-synonyms in the
//! customer's own register (`synonyms`); `paraphrase` is what anyone retelling a message does
//! to everyday words.

use super::{Edit, OperatorKind, Stream, replace_phrases_except};
use crate::lexicon::Lexicon;
use crate::text::Text;

/// [`super::replace_phrases`] on the paraphrase table, except that a phrase starting with a
/// capital letter inside a sentence is a name ("Mill Street", "Alder River") and stays: people
/// retelling a story keep its names or drop them, they do not translate them.
pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    replace_phrases_except(text, lexicon.paraphrases(), rate, OperatorKind::Paraphrase, rng, is_name)
}

/// A capitalised word (not "I") that does not start a sentence, or that starts one and is
/// followed by another capitalised word ("Quarry Road was closed").
fn is_name(text: &Text, i: usize) -> bool {
    let capital = |k: usize| text.words.get(k).is_some_and(|w| w.text.starts_with(char::is_uppercase) && w.text != "I");
    capital(i) && (!text.starts_sentence(i) || (capital(i + 1) && text.is_phrase_span(i, i + 2)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::test_support::{on, stream};

    #[test]
    fn everyday_words_are_reworded() {
        let lex = Lexicon::built_in();
        let out = on("The old bridge closed on Tuesday morning after heavy rain.", |t| apply(t, 1.0, &lex, &mut stream(3)));
        assert!(!out.edits.is_empty(), "nothing reworded: {}", out.message);
        assert!(out.edits.iter().all(|e| e.operator == OperatorKind::Paraphrase));
        assert_ne!(out.message, "The old bridge closed on Tuesday morning after heavy rain.");
    }

    #[test]
    fn names_stay() {
        let lex = Lexicon::built_in();
        for seed in 0..30 {
            let out = on("Shops on Mill Street closed. Quarry Road stayed open near the Alder River.", |t| {
                apply(t, 1.0, &lex, &mut stream(seed))
            });
            assert!(out.message.contains("Mill Street") && out.message.contains("Alder River"), "{}", out.message);
        }
    }
}
