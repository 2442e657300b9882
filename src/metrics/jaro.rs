//! Jaro–Winkler exactly as strsim computes it (same matches, same transpositions, same
//! floating-point expression), but finding each match by jumping between occurrences of the
//! character with a cursor that only moves forward: linear time instead of a scan of the whole
//! window for every character.

/// Jaro–Winkler of two code sequences; bit-for-bit strsim's `generic_jaro_winkler`.
pub fn jaro_winkler(a: &[u32], b: &[u32]) -> f64 {
    let sim = jaro(a, b);
    if sim > 0.7 {
        let prefix = a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

const NONE: u32 = u32::MAX;

/// Texts up to this many clusters are scored with scratch space on the stack.
const STACK: usize = 512;

fn jaro(a: &[u32], b: &[u32]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    if a_len <= STACK && b_len <= STACK {
        let (mut next, mut matched, mut b_bits) = ([0u32; STACK], [0u32; STACK], [0u64; STACK / 64]);
        jaro_in(a, b, &mut next[..b_len], &mut matched[..a_len], &mut b_bits[..b_len.div_ceil(64)])
    } else {
        jaro_in(a, b, &mut vec![0; b_len], &mut vec![0; a_len], &mut vec![0; b_len.div_ceil(64)])
    }
}

/// The Jaro similarity, given zeroed scratch space: `next` as long as `b`, `matched` as long
/// as `a`, and one bit per position of `b` in `b_bits`.
fn jaro_in(a: &[u32], b: &[u32], next: &mut [u32], matched: &mut [u32], b_bits: &mut [u64]) -> f64 {
    // one pass over both texts, vectorised, chooses a loop without the search for other codes
    let widest = a.iter().chain(b).fold(0, |m, &c| m | c);
    if widest < 128 { jaro_codes::<true>(a, b, next, matched, b_bits) } else { jaro_codes::<false>(a, b, next, matched, b_bits) }
}

/// [`jaro_in`]; `ASCII` when every code of both texts is below 128.
#[inline(always)]
fn jaro_codes<const ASCII: bool>(a: &[u32], b: &[u32], next: &mut [u32], matched: &mut [u32], b_bits: &mut [u64]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    let range = (a_len.max(b_len) / 2).saturating_sub(1);
    // next[j]: the next position after j holding the same code as b[j]
    let mut ascii_first = [NONE; 128];
    let mut other_first: Vec<(u32, u32)> = Vec::new();
    for j in (0..b_len).rev() {
        let c = b[j];
        let slot = if ASCII || (c as usize) < 128 {
            &mut ascii_first[(c & 127) as usize]
        } else {
            match other_first.iter_mut().find(|(code, _)| *code == c) {
                Some((_, first)) => first,
                None => {
                    other_first.push((c, NONE));
                    &mut other_first.last_mut().expect("just pushed").1
                }
            }
        };
        next[j] = *slot;
        *slot = j as u32;
    }
    // cursor[c]: the first position of c that could still match. Positions before the window
    // never can again (the window only moves right), and a position of c is only ever taken by
    // c's own cursor, which then moves past it: each cursor only moves forward, so every
    // position of b is stepped over at most once and none it meets is taken.
    let mut matches = 0usize;
    for (i, &c) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = b_len.min(i + range + 1);
        let cursor = if ASCII || (c as usize) < 128 {
            &mut ascii_first[(c & 127) as usize]
        } else {
            match other_first.iter_mut().find(|(code, _)| *code == c) {
                Some((_, first)) => first,
                None => continue,
            }
        };
        // NONE is above every position, so it ends the walk and fails the window test
        let mut j = *cursor as usize;
        while j < lo {
            j = next[j] as usize;
        }
        if j < hi {
            *cursor = next[j];
            b_bits[j / 64] |= 1 << (j % 64);
            // the codes of a's matched positions, in order
            matched[matches] = c;
            matches += 1;
        } else {
            *cursor = j as u32;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // walk b's matched positions in order beside a's
    let mut transpositions = 0usize;
    let mut t = 0usize;
    for (w, &word) in b_bits.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            let k = w * 64 + bits.trailing_zeros() as usize;
            transpositions += usize::from(matched[t] != b[k]);
            t += 1;
            bits &= bits - 1;
        }
    }
    transpositions /= 2;
    ((matches as f64 / a_len as f64) + (matches as f64 / b_len as f64) + ((matches - transpositions) as f64 / matches as f64)) / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &str) -> Vec<u32> {
        s.chars().map(|c| c as u32).collect()
    }

    #[test]
    fn bit_for_bit_strsim() {
        let cases = [
            ("", ""),
            ("a", ""),
            ("martha", "marhta"),
            ("dwayne", "duane"),
            ("cheeseburger", "cheese fries"),
            ("We keep losing our best adjusters to paperwork.", "Think bigger: our AI-powered platform keeps adjusters in the field."),
            ("東京 café 🚀", "café 東京"),
        ];
        for (x, y) in cases {
            let (a, b) = (codes(x), codes(y));
            assert_eq!(jaro_winkler(&a, &b).to_bits(), strsim::generic_jaro_winkler(&a, &b).to_bits(), "{x:?} / {y:?}");
        }
    }

    /// Few distinct characters repeat often, so cursors skip and windows close on every step;
    /// lengths cross the 64-bit words of the match bits and the stack scratch space.
    #[test]
    fn bit_for_bit_strsim_on_repetitive_text() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let alphabet = [u32::from(b'a'), u32::from(b'b'), u32::from(b' '), 0xE9, 0x11_0000];
        for case in 0..3000 {
            let max = if case % 100 == 0 { 700 } else { 150 };
            let mut text = || -> Vec<u32> {
                let len = rng.random_range(0..max);
                let kinds = rng.random_range(1..=alphabet.len());
                (0..len).map(|_| alphabet[rng.random_range(0..kinds)]).collect()
            };
            let (a, b) = (text(), text());
            assert_eq!(jaro_winkler(&a, &b).to_bits(), strsim::generic_jaro_winkler(&a, &b).to_bits(), "{a:?} / {b:?}");
        }
    }
}
