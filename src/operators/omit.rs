//! Forgetting: filler words go first, then trailing clauses, then whole sentences. A
//! sentence keeps its first clause (where its subject and verb usually are), so what is left
//! still reads as a sentence, and the message always keeps at least one sentence.

use rand::RngExt;

use super::{Edit, OperatorKind, Stream, finish};
use crate::lexicon::Lexicon;
use crate::text::Text;

/// A clause is dropped with probability `rate × CLAUSE_SHARE`, a sentence with
/// `rate × SENTENCE_SHARE`: people lose words more often than whole thoughts.
const CLAUSE_SHARE: f64 = 0.5;
const SENTENCE_SHARE: f64 = 0.3;

pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    if rate <= 0.0 {
        return Vec::new();
    }
    let mut edits = Vec::new();
    drop_fillers(text, rate, lexicon, rng, &mut edits);
    drop_units(text, rate * SENTENCE_SHARE, rng, &mut edits, |t| vec![(0, t.words.len())], |t, _| t.sentences());
    drop_units(text, rate * CLAUSE_SHARE, rng, &mut edits, Text::sentences, |t: &Text, (a, b)| {
        t.clauses(a, b).into_iter().skip(1).collect()
    });
    finish(text, edits)
}

fn drop_fillers(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream, edits: &mut Vec<Edit>) {
    let mut i = 0;
    while i < text.words.len() {
        let found = lexicon.fillers.longest_match(&text.words, i, |len| text.is_phrase_span(i, i + len));
        match found {
            Some((len, _)) if len < text.words.len() => {
                if rng.random_bool(rate) {
                    let before = text.span_text(i, i + len);
                    text.splice(i, i + len, "");
                    edits.push(Edit { operator: OperatorKind::Omit, before, after: String::new() });
                } else {
                    i += len;
                }
            }
            _ => i += 1,
        }
    }
}

/// Drops units (sentences, or a sentence's trailing clauses) inside each container, last
/// first so indices stay valid; when every unit of a container would go, one stays.
fn drop_units(
    text: &mut Text,
    p: f64,
    rng: &mut Stream,
    edits: &mut Vec<Edit>,
    containers: impl Fn(&Text) -> Vec<(usize, usize)>,
    units: impl Fn(&Text, (usize, usize)) -> Vec<(usize, usize)>,
) {
    for container in containers(text).into_iter().rev() {
        let parts = units(text, container);
        if parts.is_empty() {
            continue;
        }
        let drops: Vec<bool> = parts.iter().map(|_| rng.random_bool(p)).collect();
        // a sentence's trailing clauses may all go (its first clause stays); sentences keep one
        let whole = parts.first().map(|p| p.0) == Some(container.0) && parts.last().map(|p| p.1) == Some(container.1);
        let keep_one = if whole && drops.iter().all(|&d| d) { rng.random_range(0..parts.len()) } else { usize::MAX };
        for (k, &(a, b)) in parts.iter().enumerate().rev() {
            if drops[k] && k != keep_one {
                let before = text.span_text(a, b);
                text.splice(a, b, "");
                edits.push(Edit { operator: OperatorKind::Omit, before, after: String::new() });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::test_support::{on, stream};

    /// Regression: dropping a sentence's first clause left fragments ("Not locked into …").
    #[test]
    fn a_sentence_keeps_its_first_clause() {
        let lex = Lexicon::built_in();
        for seed in 0..200 {
            let out = on("I need them back in the field, not stuck in the claims system.", |t| apply(t, 1.0, &lex, &mut stream(seed)));
            assert!(out.message.starts_with("I need them back in the field"), "{}", out.message);
        }
    }

    #[test]
    fn omission_never_empties_the_message() {
        let lex = Lexicon::built_in();
        for seed in 0..50 {
            let out = on("We keep losing staff, really. I need them back, now. Honestly.", |t| apply(t, 1.0, &lex, &mut stream(seed)));
            assert!(!out.message.trim().is_empty());
            assert!(out.message.len() < 62);
        }
    }
}
