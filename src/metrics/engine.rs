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
fn levenshtein_stripped(x: &[u32], y: &[u32]) -> usize {
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
fn normalised(distance: usize, a: usize, b: usize) -> f64 {
    let longest = a.max(b);
    if longest == 0 { 1.0 } else { 1.0 - distance as f64 / longest as f64 }
}

impl Engine {
    /// Similarity of `b` to `a` by `metric`, in [0, 1].
    pub fn score(self, metric: Metric, a: &Prepared, b: &Prepared) -> f64 {
        if let Some(s) = self.score_codes(metric, &a.codes, &b.codes) {
            return s;
        }
        match (metric, self) {
            (Metric::Levenshtein | Metric::Damerau | Metric::JaroWinkler, _) => unreachable!("scored on codes above"),
            (Metric::SorensenDice, _) => sorensen_dice(a, b),
            (Metric::WordLevenshtein, Engine::Fast) => normalised(
                rapidfuzz::distance::levenshtein::distance(a.words.iter().copied(), b.words.iter().copied()),
                a.words.len(),
                b.words.len(),
            ),
            (Metric::WordLevenshtein, Engine::Reference) => {
                normalised(strsim::generic_levenshtein(&a.words, &b.words), a.words.len(), b.words.len())
            }
            (Metric::CustomerWords, _) => b.keeps_content_of(a),
            (Metric::Meaning, _) => super::meaning::meaning(&a.meaning, &b.meaning),
        }
    }

    /// The character metrics, which need only the cluster codes of the two texts; `None` for
    /// the others.
    pub fn score_codes(self, metric: Metric, x: &[u32], y: &[u32]) -> Option<f64> {
        Some(match (metric, self) {
            (Metric::Levenshtein, Engine::Fast) => normalised(levenshtein_stripped(x, y), x.len(), y.len()),
            (Metric::Levenshtein, Engine::Reference) => normalised(strsim::generic_levenshtein(&x.to_vec(), &y.to_vec()), x.len(), y.len()),
            (Metric::Damerau, Engine::Fast) => {
                normalised(rapidfuzz::distance::damerau_levenshtein::distance(x.iter().copied(), y.iter().copied()), x.len(), y.len())
            }
            (Metric::Damerau, Engine::Reference) => normalised(strsim::generic_damerau_levenshtein(x, y), x.len(), y.len()),
            (Metric::JaroWinkler, Engine::Fast) => super::jaro::jaro_winkler(x, y),
            (Metric::JaroWinkler, Engine::Reference) => strsim::generic_jaro_winkler(&x.to_vec(), &y.to_vec()),
            _ => return None,
        })
    }
}

/// Sørensen–Dice on cluster bigrams, white space left out: strsim's definition, counted in
/// clusters rather than bytes. Pairs of ASCII codes are counted against each other in a table
/// that fits the nearest cache (no sorting, no unpredictable branches); other pairs, sorted
/// once per text when it is prepared, are merged.
pub fn sorensen_dice(a: &Prepared, b: &Prepared) -> f64 {
    fn solid(p: &Prepared) -> impl Iterator<Item = u32> + '_ {
        p.codes.iter().copied().filter(|&c| !super::prepared::is_space(c))
    }
    if a.solid_len == b.solid_len && a.ascii_bigrams == b.ascii_bigrams && a.other_bigrams == b.other_bigrams && solid(a).eq(solid(b)) {
        return 1.0;
    }
    if a.solid_len < 2 || b.solid_len < 2 {
        return 0.0;
    }
    let shared = shared_ascii_pairs(&a.ascii_bigrams, &b.ascii_bigrams) + shared_sorted(&a.other_bigrams, &b.other_bigrams);
    (2 * shared) as f64 / (a.solid_len + b.solid_len - 2) as f64
}

/// The size of the multiset intersection of two lists of 14-bit pairs: `x` counted into a
/// table, `y` taken out of it, the table left zeroed for the next call.
fn shared_ascii_pairs(x: &[u16], y: &[u16]) -> usize {
    thread_local! {
        // a count per pair of ASCII codes; only the entries a text's pairs touch are read
        static COUNTS: std::cell::RefCell<Vec<u32>> = std::cell::RefCell::new(vec![0; 1 << 14]);
    }
    COUNTS.with_borrow_mut(|counts| {
        for &k in x {
            counts[usize::from(k)] += 1;
        }
        let mut shared = 0;
        for &k in y {
            let count = &mut counts[usize::from(k)];
            let hit = *count > 0;
            shared += usize::from(hit);
            *count -= u32::from(hit);
        }
        for &k in x {
            counts[usize::from(k)] = 0;
        }
        shared
    })
}

/// The size of the multiset intersection of two sorted lists.
fn shared_sorted(x: &[u64], y: &[u64]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    // without branches on the comparison, which a branch predictor cannot guess
    while i < x.len() && j < y.len() {
        let (p, q) = (x[i], y[j]);
        shared += usize::from(p == q);
        i += usize::from(p <= q);
        j += usize::from(p >= q);
    }
    shared
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The counted ASCII pairs plus the merged others give exactly the multiset intersection
    /// of all the pairs, sorted and merged as one list: on texts of few characters (pairs
    /// repeat), mixing ASCII, accented letters and clusters beyond one code point, so pairs
    /// straddle the two kinds.
    #[test]
    fn counted_pairs_are_the_multiset_intersection() {
        use rand::{RngExt, SeedableRng};
        let lexicon = crate::lexicon::Lexicon::built_in();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let pieces = ["a", "b", " ", "é", "e\u{301}x", "👍🏽", "\t", "A"];
        let solid = |p: &Prepared| -> Vec<u32> { p.codes.iter().copied().filter(|&c| !super::super::prepared::is_space(c)).collect() };
        let all_pairs = |p: &Prepared| -> Vec<u64> {
            let mut pairs: Vec<u64> = solid(p).windows(2).map(|w| (u64::from(w[0]) << 32) | u64::from(w[1])).collect();
            pairs.sort_unstable();
            pairs
        };
        for _ in 0..2000 {
            let mut text = || (0..rng.random_range(0..40)).map(|_| pieces[rng.random_range(0..pieces.len())]).collect::<String>();
            let (x, y) = (text(), text());
            let (a, b) = (Prepared::new(&x, &lexicon), Prepared::new(&y, &lexicon));
            // strsim's definition, on clusters: the same text 1, a text under two clusters 0
            let expected = if solid(&a) == solid(&b) {
                1.0
            } else if a.solid_len < 2 || b.solid_len < 2 {
                0.0
            } else {
                (2 * shared_sorted(&all_pairs(&a), &all_pairs(&b))) as f64 / (a.solid_len + b.solid_len - 2) as f64
            };
            assert_eq!(sorensen_dice(&a, &b).to_bits(), expected.to_bits(), "{x:?} / {y:?}");
        }
    }
}
