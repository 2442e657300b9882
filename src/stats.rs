//! Bands of values across runs: percentiles and means, from samples or from fixed histograms.
//! A leaf: it knows nothing of scenarios, metrics or charts, so anything can summarise with it.
//!
//! Memory is proportional to hops × series, not to runs or threads: each series is a fixed
//! histogram over its range whose bins keep a count and an exact fixed-point sum of their
//! values. A percentile is read as the mean of the values in the bin where its rank falls
//! (exact when those values are equal, within one bin width, 1/2000, otherwise). Counts and
//! sums are integers, so histograms merged in any order are the same bytes.

use serde::Serialize;

const BINS: usize = 2000;

/// One bin of a signed histogram (over −1..1): a median or mean of a difference no larger
/// than this is zero as far as the bands can tell.
pub const SIGNED_RESOLUTION: f64 = 2.0 / BINS as f64;
/// Fixed-point scale of the sums: 2^40 (values are at most 1 in magnitude).
const SCALE: f64 = (1u64 << 40) as f64;

/// Percentiles and mean of one score across runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    pub p10: f64,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub p90: f64,
    pub mean: f64,
}

impl Band {
    /// The band of a sample of `n` values whose k-th smallest (0-based) is `nth(k)`: its
    /// percentiles by linear interpolation between order statistics (type 7), and `mean`. One
    /// definition for the histograms' bands and for exact samples (`drift calibrate`).
    pub fn of_sample(n: u64, nth: impl Fn(u64) -> f64, mean: f64) -> Band {
        let q = |q| quantile(n, q, &nth);
        Band { p10: q(0.10), p25: q(0.25), median: q(0.50), p75: q(0.75), p90: q(0.90), mean }
    }
}

/// The q-quantile of `n` values with linear interpolation between order statistics (type 7);
/// `nth(k)` is the k-th smallest (0-based). NaN for no values.
pub fn quantile(n: u64, q: f64, nth: impl Fn(u64) -> f64) -> f64 {
    if n == 0 {
        return f64::NAN;
    }
    let rank = q * (n - 1) as f64;
    let lo = rank.floor() as u64;
    let hi = rank.ceil() as u64;
    let a = nth(lo);
    if hi == lo {
        return a;
    }
    let b = nth(hi);
    a + (b - a) * (rank - lo as f64)
}

/// A streaming accumulator for values in [`lo`, `lo + 1`] (scores in [0, 1], drops in [-1, 1]
/// use two unit halves).
///
/// A bin's sum is kept as the sum of its values' distances from the bin's centre (fixed
/// point): each distance is at most half a bin, under 2^30 at this scale, so with at most
/// `u32::MAX` values per bin (the count's own limit, far above [`crate::scenario::limits::MAX_RUNS`])
/// an `i64` cannot overflow, and the bin's exact sum is recovered as count × centre +
/// distances. 12 bytes a bin instead of 20 with an `i128` sum.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    lo: f64,
    width: f64,
    counts: Vec<u32>,
    /// Per bin: Σ (value − centre), fixed point.
    offsets: Vec<i64>,
    n: u64,
    total: i128,
    /// `lo` and one bin's width, fixed point: bin b's centre is `origin + b × step`.
    origin: i64,
    step: i64,
}

impl Histogram {
    /// For scores in [0, 1].
    pub fn unit() -> Histogram {
        Histogram::over(0.0, 1.0)
    }

    /// For differences in [-1, 1].
    pub fn signed() -> Histogram {
        Histogram::over(-1.0, 1.0)
    }

    fn over(lo: f64, hi: f64) -> Histogram {
        let (origin, step) = ((lo * SCALE).round() as i64, ((hi - lo) * SCALE / BINS as f64).round() as i64);
        Histogram { lo, width: hi - lo, counts: vec![0; BINS + 1], offsets: vec![0; BINS + 1], n: 0, total: 0, origin, step }
    }

    /// The fixed-point centre of `bin`, within a few units of the exact one (any integer
    /// function of the bin would do: the same one is used to add and to read).
    fn centre(&self, bin: usize) -> i64 {
        self.origin + bin as i64 * self.step
    }

    pub fn add(&mut self, value: f64) {
        let v = if value.is_finite() { value.clamp(self.lo, self.lo + self.width) } else { self.lo };
        let bin = (((v - self.lo) / self.width) * BINS as f64).round() as usize;
        let fixed = (v * SCALE).round() as i64;
        self.counts[bin] += 1;
        // at most half a bin (2^41 / 4000 < 2^30) from the centre: fits an i64 many times over
        self.offsets[bin] += fixed - self.centre(bin);
        self.n += 1;
        self.total += i128::from(fixed);
    }

    /// The exact fixed-point sum of the values in `bin`.
    fn sum(&self, bin: usize) -> i128 {
        i128::from(self.offsets[bin]) + i128::from(self.counts[bin]) * i128::from(self.centre(bin))
    }

    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for (a, b) in self.offsets.iter_mut().zip(&other.offsets) {
            *a += b;
        }
        self.n += other.n;
        self.total += other.total;
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    /// The value of the k-th smallest (0-based), approximated by its bin's mean.
    fn order_statistic(&self, k: u64) -> f64 {
        let mut seen = 0u64;
        for (bin, &c) in self.counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let c = u64::from(c);
            seen += c;
            if k < seen {
                return self.sum(bin) as f64 / SCALE / c as f64;
            }
        }
        self.lo + self.width
    }

    /// The q-quantile with linear interpolation between order statistics (type 7).
    pub fn quantile(&self, q: f64) -> f64 {
        quantile(self.n, q, |k| self.order_statistic(k))
    }

    pub fn mean(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.total as f64 / SCALE / self.n as f64 }
    }

    /// Counts of the values in `bins` equal slices of the range (for a histogram chart).
    pub fn coarse_counts(&self, bins: usize) -> Vec<u64> {
        let mut out = vec![0u64; bins.max(1)];
        for (fine, &c) in self.counts.iter().enumerate() {
            let coarse = (fine * out.len() / (BINS + 1)).min(out.len() - 1);
            out[coarse] += u64::from(c);
        }
        out
    }

    pub fn band(&self) -> Band {
        Band::of_sample(self.n, |k| self.order_statistic(k), self.mean())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discrete_values_give_exact_percentiles() {
        let mut h = Histogram::unit();
        for v in [0.2, 0.4, 0.4, 0.6, 0.8] {
            h.add(v);
        }
        let b = h.band();
        assert!((b.median - 0.4).abs() < 1e-12);
        assert!((b.mean - 0.48).abs() < 1e-12);
        assert!((b.p25 - 0.4).abs() < 1e-12);
        assert!((b.p10 - 0.28).abs() < 1e-12);
    }

    #[test]
    fn merge_order_does_not_matter() {
        let values: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 1000) as f64 / 999.0).collect();
        let mut whole = Histogram::unit();
        values.iter().for_each(|&v| whole.add(v));
        let mut a = Histogram::unit();
        let mut b = Histogram::unit();
        values[..333].iter().for_each(|&v| a.add(v));
        values[333..].iter().for_each(|&v| b.add(v));
        b.merge(&a);
        assert_eq!(whole, b);
        assert!((whole.quantile(0.5) - 0.5).abs() < 1e-3);
    }

    #[test]
    fn signed_values() {
        let mut h = Histogram::signed();
        for v in [-0.5, 0.0, 0.25] {
            h.add(v);
        }
        assert!((h.quantile(0.5)).abs() < 1e-12);
        assert!((h.quantile(0.0) + 0.5).abs() < 1e-12);
    }
}
