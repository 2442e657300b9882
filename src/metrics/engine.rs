//! Two ways to compute the same numbers: fast (Myers' bit-parallel Levenshtein and a
//! linear-time Jaro–Winkler of drift's own, rapidfuzz's Damerau–Levenshtein) for the hot path
//! and the reference (strsim's generic functions) for audit. Property tests hold them
//! to 1e-12 of each other; `--reference-metrics` switches a run to the reference.

use super::{Metric, Prepared};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Engine {
    /// Bit-parallel Levenshtein (Myers/Hyyrö) and Damerau–Levenshtein, fast Jaro–Winkler.
    #[default]
    Fast,
    /// strsim, the reference implementation.
    Reference,
}

/// Levenshtein distance after setting aside the common prefix and suffix, which an optimal
/// alignment always matches: a hop changes a few words of the message it received, so against
/// the previous hop most of the text falls away before the bit-parallel pass.
pub(super) fn levenshtein_stripped(x: &[u32], y: &[u32]) -> usize {
    let prefix = x.iter().zip(y).take_while(|(a, b)| a == b).count();
    let (x, y) = (&x[prefix..], &y[prefix..]);
    let suffix = x.iter().rev().zip(y.iter().rev()).take_while(|(a, b)| a == b).count();
    let (x, y) = (&x[..x.len() - suffix], &y[..y.len() - suffix]);
    if x.is_empty() || y.is_empty() {
        return x.len().max(y.len());
    }
    super::myers::Myers::new(x).distance(y)
}

/// 1 − distance / longer length; 1 for two empty sequences.
pub(super) fn normalised(distance: usize, a: usize, b: usize) -> f64 {
    let longest = a.max(b);
    if longest == 0 { 1.0 } else { 1.0 - distance as f64 / longest as f64 }
}

impl Engine {
    /// Similarity of `b` to `a` by `metric`, in [0, 1].
    pub fn score(self, metric: Metric, a: &Prepared, b: &Prepared) -> f64 {
        let definition = metric.definition();
        match (definition.codes, definition.score) {
            (Some(codes), _) => codes(self, &a.codes, &b.codes),
            (None, Some(score)) => score(self, a, b),
            (None, None) => unreachable!("the metric `{}` defines no score", definition.name),
        }
    }

    /// The character metrics, which need only the cluster codes of the two texts; `None` for
    /// the others.
    pub fn score_codes(self, metric: Metric, x: &[u32], y: &[u32]) -> Option<f64> {
        metric.definition().codes.map(|codes| codes(self, x, y))
    }
}

/// A text compared with many others (the customer's words): its bit-parallel pattern tables
/// are built once.
pub struct Pattern {
    pub prepared: Prepared,
    levenshtein: super::myers::Myers,
    meaning: super::meaning::MeaningPattern,
}

impl Pattern {
    pub fn new(prepared: Prepared) -> Pattern {
        Pattern {
            levenshtein: super::myers::Myers::new(&prepared.codes),
            meaning: super::meaning::MeaningPattern::new(prepared.meaning.clone()),
            prepared,
        }
    }

    /// `meaning` of a message against this text, from the message's words alone.
    pub fn meaning_of(&self, message: &super::meaning::Meaning) -> f64 {
        self.meaning.against(message)
    }
}

impl Engine {
    /// As [`Engine::score`] with `pattern` as the first text, reusing its tables.
    pub fn score_against(self, metric: Metric, pattern: &Pattern, b: &Prepared) -> f64 {
        match (metric, self) {
            (Metric::Levenshtein, Engine::Fast) => self.levenshtein_against(pattern, &b.codes),
            (Metric::Meaning, _) => pattern.meaning_of(&b.meaning),
            _ => self.score(metric, &pattern.prepared, b),
        }
    }

    /// As [`Engine::score_against`] for a character metric, given only the codes of `b`.
    pub fn score_codes_against(self, metric: Metric, pattern: &Pattern, b: &[u32]) -> Option<f64> {
        match (metric, self) {
            (Metric::Levenshtein, Engine::Fast) => Some(self.levenshtein_against(pattern, b)),
            _ => self.score_codes(metric, &pattern.prepared.codes, b),
        }
    }

    /// True for a metric [`Engine::score_many_against`] computes faster than one by one.
    fn batches(self, metric: Metric) -> bool {
        (metric, self) == (Metric::Levenshtein, Engine::Fast)
    }

    /// [`Engine::score_against`] for each of `texts`, in order: the same values, several
    /// texts at a time where the engine can (see [`Engine::batches`]).
    pub fn score_many_against(self, metric: Metric, pattern: &Pattern, texts: &[&Prepared]) -> Vec<f64> {
        if !self.batches(metric) {
            return texts.iter().map(|b| self.score_against(metric, pattern, b)).collect();
        }
        let codes: Vec<&[u32]> = texts.iter().map(|b| b.codes.as_slice()).collect();
        let distances = pattern.levenshtein.distances(&codes);
        distances.iter().zip(&codes).map(|(&d, b)| normalised(d, pattern.prepared.codes.len(), b.len())).collect()
    }

    fn levenshtein_against(self, pattern: &Pattern, b: &[u32]) -> f64 {
        normalised(pattern.levenshtein.distance(b), pattern.prepared.codes.len(), b.len())
    }
}
