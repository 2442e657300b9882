//! Exaggeration: superlatives and louder verbs from the lexicon, numbers inflated two- to
//! five-fold, intensifiers in front of gradable words. Z becomes Z×5, and at the next hop Z×5
//! cubed.

use rand::RngExt;
use rand::seq::IndexedRandom;

use std::sync::LazyLock;

use super::{Edit, OperatorKind, Stream, finish};
use crate::lexicon::{Alternative, Lexicon};
use crate::text::{Key, Text, Word, key_of};

/// Determiners and possessives, and "than".
static KEYS: LazyLock<([Key; 10], Key)> = LazyLock::new(|| {
    let determiners = ["a", "an", "the", "every", "my", "our", "your", "their", "its", "this"].map(key_of);
    (determiners, key_of("than"))
});

/// True when `choice` in place of words `i..i + len` still reads: no determiner after a
/// determiner ("pass the time" is not "pass the every waking hour"), and a comparative stays
/// a comparative before "than" ("worse than" is not "disastrous than").
fn fits(words: &[Word], i: usize, len: usize, choice: &Alternative) -> bool {
    let (determiners, than) = &*KEYS;
    let (Some(first), Some(last)) = (choice.words.first(), choice.words.last()) else { return true };
    let after_determiner = i > 0 && determiners.contains(&words[i - 1].key) && words[i - 1].gap.trim().is_empty();
    if after_determiner && determiners.contains(&first.key) {
        return false;
    }
    let before_than = words.get(i + len).is_some_and(|w| w.key == *than) && words[i + len - 1].gap.trim().is_empty();
    let comparative = |w: &Word| w.text.ends_with("er") || matches!(w.text.as_str(), "better" | "worse" | "more" | "less" | "fewer");
    if before_than && !comparative(last) {
        return false;
    }
    // "too many were hurt" is not "an insane number of were hurt"
    !(matches!(last.text.as_str(), "of" | "countless" | "untold") && crate::grammar::no_noun_at(words, i + len))
}


/// `amplify` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "amplify",
    summary: "exaggerates: intensifiers, superlatives, inflated numbers",
    text_param: None,
    number_params: &[],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, ctx: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    apply(text, how.rate, ctx.lexicon, rng)
}

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
                && fits(&text.words, i, len, choice)
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

    /// Regression: "to pass the time" became "to pass the every waking hour".
    #[test]
    fn the_every_waking_hour() {
        let lex = Lexicon::built_in();
        let text = "A choir sang on the deck to pass the time.";
        for seed in 0..30 {
            let out = on(text, |t| apply(t, 1.0, &lex, &mut stream(seed)));
            assert_eq!(crate::grammar::new_problems(text, &out.message, &[]), [], "{}", out.message);
        }
    }

    /// Regression: "too many were hurt" could become "an insane number of were hurt", the
    /// reviewers' "A number of were hurt".
    #[test]
    fn an_insane_number_of_were_hurt() {
        let lex = Lexicon::built_in();
        for text in ["Too many were hurt.", "There were far too many.", "A few came."] {
            for seed in 0..30 {
                let out = on(text, |t| apply(t, 1.0, &lex, &mut stream(seed)));
                assert_eq!(crate::grammar::new_problems(text, &out.message, &[]), [], "{}", out.message);
            }
        }
    }

    /// Regression: "rendered worse than unavailing" became "rendered disastrous than
    /// unavailing".
    #[test]
    fn disastrous_than() {
        let lex = Lexicon::built_in();
        for text in ["They are lost: rendered worse than unavailing.", "It is easier than it looks."] {
            for seed in 0..30 {
                let out = on(text, |t| apply(t, 1.0, &lex, &mut stream(seed)));
                assert_eq!(crate::grammar::new_problems(text, &out.message, &[]), [], "{}", out.message);
            }
        }
    }

    #[test]
    fn amplify_at_rate_one_makes_it_louder() {
        let lex = Lexicon::built_in();
        let out = on("We lose 3 hours a week and it is hard.", |t| apply(t, 1.0, &lex, &mut stream(3)));
        assert!(!out.edits.is_empty());
        assert_ne!(out.message, "We lose 3 hours a week and it is hard.");
    }
}
