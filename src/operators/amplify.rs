//! Exaggeration: superlatives and louder verbs from the lexicon, numbers inflated two- to
//! five-fold, intensifiers in front of gradable words. Z becomes Z×5, and at the next hop Z×5
//! cubed.

use rand::RngExt;
use rand::seq::IndexedRandom;

use super::{Edit, OperatorKind, Stream, finish};
use crate::lexicon::Lexicon;
use crate::text::Text;

pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    if rate <= 0.0 {
        return Vec::new();
    }
    let mut edits = Vec::new();
    let intensifiers = &lexicon.data.intensifiers;
    let (mut i, mut added) = (0, 0);
    while i < text.words.len() {
        if added > super::GROWTH_BUDGET_BYTES {
            break;
        }
        let found = lexicon.exaggerations.longest_match(&text.words, i, |len| text.is_phrase_span(i, i + len));
        if let Some((len, alts)) = found {
            if rng.random_bool(rate)
                && let Some(choice) = alts.choose(rng)
                && !super::echoes(&text.words, i, len, choice)
            {
                let before = text.span_text(i, i + len);
                let n = text.splice_words(i, i + len, &choice.words);
                edits.push(Edit::new(OperatorKind::Amplify, before, choice.text.as_str()));
                added += choice.text.len();
                i += n.max(1);
            } else {
                i += len;
            }
            continue;
        }
        if let Some(bigger) = inflate_number(&text.words[i].text, rng) {
            if rng.random_bool(rate) {
                let before = text.words[i].text.to_string();
                added += bigger.len();
                text.words[i].set_text(bigger.as_str().into());
                edits.push(Edit::new(OperatorKind::Amplify, before, bigger));
            }
            i += 1;
            continue;
        }
        let already_intensified = i > 0 && lexicon.intensifiers.contains(text.words[i - 1].key);
        if lexicon.gradable.contains(text.words[i].key)
            && !already_intensified
            && !intensifiers.is_empty()
            && rng.random_bool(rate)
            && let Some(adverb) = intensifiers.choose(rng)
        {
            let word = text.words[i].text.to_string();
            let tail = if text.starts_sentence(i) { crate::text::decapitalise(&word) } else { word.clone() };
            let after = format!("{adverb} {tail}");
            text.splice(i, i + 1, &after);
            added += adverb.len();
            edits.push(Edit::new(OperatorKind::Amplify, word, after));
            i += 2;
            continue;
        }
        i += 1;
    }
    finish(text, edits)
}

/// "3" → "12", "20%" → "60%", "1,000" → "5,000": a whole number multiplied by 2–5. The
/// factor is drawn whether or not the number is then used, so streams stay aligned.
fn inflate_number(word: &str, rng: &mut Stream) -> Option<String> {
    let (digits, suffix) = match word.strip_suffix('%') {
        Some(d) => (d, "%"),
        None => (word, ""),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == ',') || digits.starts_with(',') {
        return None;
    }
    let value: u64 = digits.replace(',', "").parse().ok()?;
    let factor = rng.random_range(2..=5u64);
    let bigger = value.checked_mul(factor)?;
    let body = if digits.contains(',') { group_thousands(bigger) } else { bigger.to_string() };
    Some(format!("{body}{suffix}"))
}

fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if k > 0 && (s.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::test_support::{on, stream};

    #[test]
    fn numbers_grow_and_keep_their_format() {
        let mut rng = stream(1);
        let big = inflate_number("1,000", &mut rng).unwrap();
        assert!(big.contains(',') && big.replace(',', "").parse::<u64>().unwrap() >= 2000);
        assert!(inflate_number("20%", &mut rng).unwrap().ends_with('%'));
        assert_eq!(inflate_number("adjusters", &mut rng), None);
        assert_eq!(group_thousands(1234567), "1,234,567");
    }

    #[test]
    fn amplify_at_rate_one_makes_it_louder() {
        let lex = Lexicon::built_in();
        let out = on("We lose 3 hours a week and it is hard.", |t| apply(t, 1.0, &lex, &mut stream(3)));
        assert!(!out.edits.is_empty());
        assert_ne!(out.message, "We lose 3 hours a week and it is hard.");
    }
}
