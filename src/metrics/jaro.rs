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

fn jaro(a: &[u32], b: &[u32]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let range = (a_len.max(b_len) / 2).saturating_sub(1);
    // next[j]: the next position after j holding the same code as b[j]
    let mut next = vec![NONE; b_len];
    let mut ascii_first = [NONE; 128];
    let mut other_first: Vec<(u32, u32)> = Vec::new();
    for j in (0..b_len).rev() {
        let c = b[j];
        let slot = if (c as usize) < 128 {
            &mut ascii_first[c as usize]
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
    // and positions already matched never can again (the window only moves right), so each
    // cursor only moves forward: every position of b is stepped over at most once.
    let mut a_flags = vec![false; a_len];
    let mut b_flags = vec![false; b_len];
    let mut matches = 0usize;
    for (i, &c) in a.iter().enumerate() {
        let lo = i.saturating_sub(range);
        let hi = b_len.min(i + range + 1);
        let cursor = if (c as usize) < 128 {
            &mut ascii_first[c as usize]
        } else {
            match other_first.iter_mut().find(|(code, _)| *code == c) {
                Some((_, first)) => first,
                None => continue,
            }
        };
        let mut j = *cursor;
        while j != NONE && ((j as usize) < lo || b_flags[j as usize]) {
            j = next[j as usize];
        }
        *cursor = j;
        if j != NONE && (j as usize) < hi {
            a_flags[i] = true;
            b_flags[j as usize] = true;
            matches += 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut k = 0usize;
    for (i, &flag) in a_flags.iter().enumerate() {
        if flag {
            while !b_flags[k] {
                k += 1;
            }
            if a[i] != b[k] {
                transpositions += 1;
            }
            k += 1;
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
}
