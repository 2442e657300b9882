//! Levenshtein distance by Myers' bit-vector algorithm (1999), in its block form for
//! patterns longer than one 64-bit word: 64 cells of the dynamic programme per machine step.
//! The pattern's match vectors are built once, so the customer's words are compared with every
//! hop at the cost of the hop's length times the number of blocks.

/// A pattern ready for bit-parallel comparison.
#[derive(Debug, Clone)]
pub struct Myers {
    len: usize,
    blocks: usize,
    /// Match vectors of the codes below 128: `ascii[code * blocks + block]`.
    ascii: Vec<u64>,
    /// Match vectors of the other codes, in order of first appearance.
    other: Vec<(u32, Vec<u64>)>,
}

impl Myers {
    pub fn new(pattern: &[u32]) -> Myers {
        let blocks = pattern.len().div_ceil(64).max(1);
        let mut ascii = vec![0u64; 128 * blocks];
        let mut other: Vec<(u32, Vec<u64>)> = Vec::new();
        for (i, &c) in pattern.iter().enumerate() {
            let (block, bit) = (i / 64, 1u64 << (i % 64));
            if (c as usize) < 128 {
                ascii[c as usize * blocks + block] |= bit;
            } else {
                match other.iter_mut().find(|(code, _)| *code == c) {
                    Some((_, v)) => v[block] |= bit,
                    None => {
                        let mut v = vec![0u64; blocks];
                        v[block] |= bit;
                        other.push((c, v));
                    }
                }
            }
        }
        Myers { len: pattern.len(), blocks, ascii, other }
    }

    /// The edit distance between the pattern and `text` (insertions, deletions and
    /// substitutions, each costing 1).
    pub fn distance(&self, text: &[u32]) -> usize {
        if self.len == 0 {
            return text.len();
        }
        // patterns of up to four blocks (256 clusters: every message a chain passes on) keep
        // their state in registers; longer ones in a vector
        match self.blocks {
            1 => self.distance_fixed::<1>(text),
            2 => self.distance_fixed::<2>(text),
            3 => self.distance_fixed::<3>(text),
            4 => self.distance_fixed::<4>(text),
            _ => self.distance_any(text),
        }
    }

    /// The match vectors of `c`, one per block.
    #[inline(always)]
    fn eqs<'a>(&'a self, c: u32, none: &'a [u64]) -> &'a [u64] {
        let blocks = self.blocks;
        if (c as usize) < 128 {
            &self.ascii[c as usize * blocks..(c as usize + 1) * blocks]
        } else {
            self.other.iter().find(|(code, _)| *code == c).map_or(none, |(_, v)| &v[..])
        }
    }

    fn distance_fixed<const N: usize>(&self, text: &[u32]) -> usize {
        let none = [0u64; N];
        // (positive, negative) vertical deltas of each block
        let (mut pv, mut mv) = ([!0u64; N], [0u64; N]);
        let last_high = 1u64 << ((self.len - 1) % 64);
        let mut score = self.len as i64;
        for &c in text {
            let eqs: &[u64; N] = self.eqs(c, &none).try_into().expect("one vector per block");
            // the top row of the table is 0, 1, 2, …: each column enters with +1
            let mut h_in: i64 = 1;
            for b in 0..N - 1 {
                h_in = advance(&mut pv[b], &mut mv[b], eqs[b], h_in, 1u64 << 63);
            }
            score += advance(&mut pv[N - 1], &mut mv[N - 1], eqs[N - 1], h_in, last_high);
        }
        score as usize
    }

    fn distance_any(&self, text: &[u32]) -> usize {
        let blocks = self.blocks;
        let last = blocks - 1;
        let none = vec![0u64; blocks];
        let mut state = vec![(!0u64, 0u64); blocks];
        let last_high = 1u64 << ((self.len - 1) % 64);
        let mut score = self.len as i64;
        for &c in text {
            let eqs = self.eqs(c, &none);
            let mut h_in: i64 = 1;
            for ((p, m), &eq) in state[..last].iter_mut().zip(&eqs[..last]) {
                h_in = advance(p, m, eq, h_in, 1u64 << 63);
            }
            let (p, m) = &mut state[last];
            score += advance(p, m, eqs[last], h_in, last_high);
        }
        score as usize
    }
}

/// One block of one column (Myers 1999, "advance block"): updates the block's vertical
/// deltas and returns the horizontal delta leaving its last row. Ph and Mh never share a bit,
/// so the delta is a difference of two bits.
#[inline(always)]
fn advance(pv: &mut u64, mv: &mut u64, eq: u64, h_in: i64, high: u64) -> i64 {
    let (p, m) = (*pv, *mv);
    let carry = u64::from(h_in < 0);
    let xv = eq | m;
    let eq = eq | carry;
    let xh = (((eq & p).wrapping_add(p)) ^ p) | eq;
    let ph = m | !(xh | p);
    let mh = p & xh;
    let h_out = i64::from(ph & high != 0) - i64::from(mh & high != 0);
    let ph = (ph << 1) | u64::from(h_in > 0);
    let mh = (mh << 1) | carry;
    *pv = mh | !(xv | ph);
    *mv = ph & xv;
    h_out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &str) -> Vec<u32> {
        s.chars().map(|c| c as u32).collect()
    }

    #[test]
    fn matches_the_dynamic_programme_across_block_boundaries() {
        let base = "We keep losing our best adjusters to paperwork. They spend hours every week typing the same claim into three systems.";
        let variants = [
            "",
            "x",
            base,
            "We keep losing our top claims professionals to process friction. They invest hours every sprint keying claims.",
            "東京 café 🚀 We keep losing adjusters",
            &base[..64],
            &base[..65],
            &base[..63],
            &base.repeat(3)[..300],
        ];
        for a in variants {
            for b in variants {
                let (x, y) = (codes(a), codes(b));
                assert_eq!(Myers::new(&x).distance(&y), strsim::generic_levenshtein(&x, &y), "{a:?} / {b:?}");
            }
        }
    }
}
