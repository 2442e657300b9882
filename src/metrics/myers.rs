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

    /// The distances between the pattern and each of `texts`, in order. Texts go through
    /// [`LANES`] at a time: their columns are independent of each other, so advancing the
    /// same block of several texts in one step lets the processor overlap work that is one
    /// long chain of dependent steps for a single text.
    pub fn distances(&self, texts: &[&[u32]]) -> Vec<usize> {
        let mut out = vec![0; texts.len()];
        // texts of like length side by side, so that few lanes idle while one finishes
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        for group in order.chunks(LANES) {
            if self.len == 0 || group.len() == 1 {
                group.iter().for_each(|&i| out[i] = self.distance(texts[i]));
                continue;
            }
            let mut lanes: [&[u32]; LANES] = [&[]; LANES];
            group.iter().zip(&mut lanes).for_each(|(&i, lane)| *lane = texts[i]);
            let d = match self.blocks {
                1 => self.lanes::<1>(lanes),
                2 => self.lanes::<2>(lanes),
                3 => self.lanes::<3>(lanes),
                4 => self.lanes::<4>(lanes),
                _ => lanes.map(|t| self.distance_any(t)),
            };
            group.iter().zip(d).for_each(|(&i, d)| out[i] = d);
        }
        out
    }

    /// [`Myers::distance_lanes`], in 256-bit vector instructions where the processor has
    /// them (the lanes are what a vector holds; the compiler does the rest).
    fn lanes<const N: usize>(&self, texts: [&[u32]; LANES]) -> [usize; LANES] {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above
            return unsafe { self.distance_lanes_avx2::<N>(texts) };
        }
        self.distance_lanes::<N>(texts)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn distance_lanes_avx2<const N: usize>(&self, texts: [&[u32]; LANES]) -> [usize; LANES] {
        self.distance_lanes::<N>(texts)
    }

    /// [`Myers::distance_fixed`] on [`LANES`] texts side by side. A lane whose text has
    /// ended goes on with empty match vectors, and its score no longer changes.
    #[inline(always)]
    fn distance_lanes<const N: usize>(&self, texts: [&[u32]; LANES]) -> [usize; LANES] {
        let none = [0u64; N];
        let (mut pv, mut mv) = ([[!0u64; LANES]; N], [[0u64; LANES]; N]);
        let last_high = 1u64 << ((self.len - 1) % 64);
        let mut score = [self.len as i64; LANES];
        let longest = texts.iter().map(|t| t.len()).max().unwrap_or(0);
        for column in 0..longest {
            let mut eqs = [[0u64; LANES]; N];
            let mut live = [0i64; LANES];
            for (lane, text) in texts.iter().enumerate() {
                if let Some(&c) = text.get(column) {
                    let eq = self.eqs(c, &none);
                    for b in 0..N {
                        eqs[b][lane] = eq[b];
                    }
                    live[lane] = -1;
                }
            }
            let mut h_in = [1i64; LANES];
            for b in 0..N - 1 {
                h_in = advance_lanes(&mut pv[b], &mut mv[b], eqs[b], h_in, 1u64 << 63);
            }
            let h_out = advance_lanes(&mut pv[N - 1], &mut mv[N - 1], eqs[N - 1], h_in, last_high);
            for lane in 0..LANES {
                // a mask, not a product: vector instructions have no 64-bit multiply before
                // AVX-512
                score[lane] += h_out[lane] & live[lane];
            }
        }
        score.map(|s| s as usize)
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

/// Texts [`Myers::distances`] advances side by side.
const LANES: usize = 4;

/// [`advance`] for the same block of [`LANES`] texts.
#[inline(always)]
fn advance_lanes(pv: &mut [u64; LANES], mv: &mut [u64; LANES], eq: [u64; LANES], h_in: [i64; LANES], high: u64) -> [i64; LANES] {
    let mut h_out = [0i64; LANES];
    for lane in 0..LANES {
        h_out[lane] = advance(&mut pv[lane], &mut mv[lane], eq[lane], h_in[lane], high);
    }
    h_out
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
            // side by side: every group size, texts of unequal lengths
            let x = codes(a);
            let texts: Vec<Vec<u32>> = variants.iter().map(|b| codes(b)).collect();
            for n in 0..=texts.len() {
                let group: Vec<&[u32]> = texts[..n].iter().map(Vec::as_slice).collect();
                let expected: Vec<usize> = group.iter().map(|y| strsim::generic_levenshtein(&x, &y.to_vec())).collect();
                assert_eq!(Myers::new(&x).distances(&group), expected, "{a:?}");
            }
            // the portable lanes, whatever the processor has
            let m = Myers::new(&x);
            let lanes: [&[u32]; LANES] = std::array::from_fn(|i| texts[i].as_slice());
            let portable = match m.blocks {
                _ if x.is_empty() => continue,
                1 => m.distance_lanes::<1>(lanes),
                2 => m.distance_lanes::<2>(lanes),
                3 => m.distance_lanes::<3>(lanes),
                4 => m.distance_lanes::<4>(lanes),
                _ => continue,
            };
            assert_eq!(portable.to_vec(), lanes.map(|y| strsim::generic_levenshtein(&x, &y.to_vec())).to_vec(), "{a:?}");
        }
    }
}
