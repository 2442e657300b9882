//! The chance line: what a metric gives text that has nothing to do with the customer.
//!
//! A similarity of 21 % means little if unrelated text scores 21 % too, which it does on
//! spelling similarity. So every place a similarity is shown draws or prints the score that
//! unrelated English of the same length gets against the same customer: the median over
//! passages built from 200 bundled sentences (Mozilla Common Voice's Sentence Collector, CC0;
//! `assets/chance/`), none of them written for drift. Measured per customer, since spelling
//! similarity depends on length, and deterministic: the same passages every time.

use super::{Engine, Metric, Pattern, Prepared};
use crate::lexicon::Lexicon;

static SENTENCES: &str = include_str!("../../assets/chance/sentences.txt");

/// How many unrelated passages the median is taken over.
const PASSAGES: usize = 41;

/// Unrelated passages about as long as `words` words: consecutive bundled sentences, each
/// passage starting at its own place in the list.
pub fn passages(words: usize) -> Vec<String> {
    let sentences: Vec<&str> = SENTENCES.lines().filter(|l| !l.trim().is_empty()).collect();
    let step = sentences.len() / PASSAGES;
    (0..PASSAGES)
        .map(|p| {
            let mut out = String::new();
            let mut count = 0;
            for s in sentences.iter().cycle().skip(p * step) {
                if count >= words.max(1) {
                    break;
                }
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(s);
                count += s.split_whitespace().count();
            }
            out
        })
        .collect()
}

/// Per metric, in order, the median score of unrelated passages against `customer`.
pub fn chance(customer: &str, metrics: &[Metric], lexicon: &Lexicon) -> Vec<f64> {
    let pattern = Pattern::new(Prepared::new(customer, lexicon));
    let texts: Vec<Prepared> = passages(customer.split_whitespace().count()).iter().map(|p| Prepared::new(p, lexicon)).collect();
    metrics
        .iter()
        .map(|&m| {
            let mut scores: Vec<f64> = texts.iter().map(|t| Engine::Fast.score_against(m, &pattern, t)).collect();
            scores.sort_by(f64::total_cmp);
            scores[scores.len() / 2]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unrelated_text_scores_near_zero_on_meaning_and_a_floor_on_spelling() {
        let lex = Lexicon::built_in();
        let dana = "We keep losing our best adjusters to paperwork. They spend hours every week typing the same \
                    claim into three systems. I need them back in the field, not stuck in the claims system.";
        let c = chance(dana, &[Metric::Meaning, Metric::Levenshtein, Metric::JaroWinkler], &lex);
        assert!(c[0] <= 0.10, "meaning {}", c[0]);
        assert!(c[1] > 0.15 && c[1] < 0.40, "levenshtein {}", c[1]);
        assert!(c[2] > 0.45, "jaro_winkler {}", c[2]);
        assert_eq!(c, chance(dana, &[Metric::Meaning, Metric::Levenshtein, Metric::JaroWinkler], &lex), "the same every time");
    }

    #[test]
    fn passages_are_about_the_customers_length() {
        for p in passages(40) {
            let n = p.split_whitespace().count();
            assert!((40..40 + 15).contains(&n), "{n}");
        }
        assert_eq!(passages(40).len(), PASSAGES);
    }
}
