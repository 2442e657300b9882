//! `sorensen_dice`: shared character pairs (bigrams), order ignored, white space left out.

use super::{Definition, Engine, Prepared};

/// `sorensen_dice` in the registry.
pub const DEFINITION: Definition = Definition {
    name: "sorensen_dice",
    label: "letter pairs (Sørensen–Dice)",
    summary: "spelling similarity: shared character pairs (bigrams), order ignored",
    score: Some(score),
    codes: None,
};

fn score(_: Engine, a: &Prepared, b: &Prepared) -> f64 {
    sorensen_dice(a, b)
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
