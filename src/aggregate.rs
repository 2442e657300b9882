//! Many runs → bands: the percentiles of every score at every hop.
//!
//! Memory is proportional to hops × series, not to runs or threads: each series is a fixed
//! histogram over its range whose bins keep a count and an exact fixed-point sum of their
//! values. A percentile is read as the mean of the values in the bin where its rank falls
//! (exact when those values are equal, within one bin width, 1/2000, otherwise). Runs are
//! simulated in fixed batches of [`BATCH`] on all workers and each batch's scores are added to
//! the one set of histograms in run order; counts and sums are integers, so the result is the
//! same bytes on any number of threads.

use serde::Serialize;

const BINS: usize = 2000;

/// The smallest median counterfactual gain that names a hop worth fixing first: one point of
/// 100 of the headline metric, as printed (0.95 rounds to 1.0 and counts). Less is below what
/// anyone would act on, and on a long chain mostly noise.
pub const WORTH_FIXING: f64 = 0.01;

/// One bin of a signed histogram (over −1..1): a median or mean of a difference no larger
/// than this is zero as far as the bands can tell.
pub const SIGNED_RESOLUTION: f64 = 2.0 / BINS as f64;
/// Fixed-point scale of the sums: 2^40 (values are at most 1 in magnitude).
const SCALE: f64 = (1u64 << 40) as f64;

pub use crate::montecarlo::BATCH;

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

pub use analysis::*;

mod analysis {

    use super::{Band, Histogram};
    use crate::interrupt::Interrupted;
    use crate::lexicon::Lexicon;
    use crate::metrics::{Engine, HopScores, Scorer};
    use crate::scenario::Scenario;
    use crate::simulate::{Trace, final_without_cancellable, run_chain_cancellable};

    /// Histograms of every series at one hop.
    #[derive(Debug, Clone, PartialEq)]
    struct HopAccumulator {
        vs_customer: Vec<Histogram>,
        vs_previous: Vec<Histogram>,
        jargon: Histogram,
        we_focus: Histogram,
        three_ps: Vec<Histogram>,
        /// The headline metric's fall at this hop (before − after, against the customer).
        drop: Histogram,
        words: Histogram,
        /// How much higher the final headline would be had this hop passed the message on
        /// unchanged.
        gain: Histogram,
    }

    impl HopAccumulator {
        fn new(metrics: usize, ps: usize) -> HopAccumulator {
            HopAccumulator {
                vs_customer: vec![Histogram::unit(); metrics],
                vs_previous: vec![Histogram::unit(); metrics],
                jargon: Histogram::unit(),
                we_focus: Histogram::unit(),
                three_ps: vec![Histogram::unit(); ps],
                drop: Histogram::signed(),
                words: Histogram::unit(),
                gain: Histogram::signed(),
            }
        }

        fn add(&mut self, s: &HopScores, headline_before: f64) {
            s.vs_customer.iter().zip(&mut self.vs_customer).for_each(|(v, h)| h.add(*v));
            s.vs_previous.iter().zip(&mut self.vs_previous).for_each(|(v, h)| h.add(*v));
            s.three_ps.iter().zip(&mut self.three_ps).for_each(|(v, h)| h.add(*v));
            self.jargon.add(s.jargon);
            self.we_focus.add(s.we_focus);
            self.drop.add(headline_before - s.vs_customer[0]);
            self.words.add(s.words);
        }

        fn bands(&self) -> HopBands {
            HopBands {
                vs_customer: self.vs_customer.iter().map(Histogram::band).collect(),
                vs_previous: self.vs_previous.iter().map(Histogram::band).collect(),
                jargon: self.jargon.band(),
                we_focus: self.we_focus.band(),
                three_ps: self.three_ps.iter().map(Histogram::band).collect(),
                drop: self.drop.band(),
                words: self.words.band(),
                gain: (self.gain.count() > 0).then(|| self.gain.band()),
            }
        }
    }

    /// What the costliest hop costs, as it was measured.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub enum Cost {
        /// What passing it on unchanged would give back at the end of the chain.
        Gain(Band),
        /// Its median fall (the counterfactual was not measured).
        Fall(f64),
    }

    /// The bands of one hop, series in the scenario's metric order.
    #[derive(Debug, Clone, PartialEq)]
    pub struct HopBands {
        pub vs_customer: Vec<Band>,
        pub vs_previous: Vec<Band>,
        pub jargon: Band,
        pub we_focus: Band,
        pub three_ps: Vec<Band>,
        pub drop: Band,
        /// `customer_words` against the customer, whatever the scenario's metrics.
        pub words: Band,
        /// The counterfactual gain of skipping this hop, when it was computed.
        pub gain: Option<Band>,
    }

    /// Everything `drift run` reports: the traced run and the Monte Carlo bands.
    #[derive(Debug, Clone)]
    pub struct Analysis {
        pub seed: u64,
        pub runs: u64,
        /// Run 0, shown hop by hop.
        pub trace: Trace,
        pub scores: Vec<HopScores>,
        /// One entry per hop.
        pub bands: Vec<HopBands>,
        /// The last hop's headline similarity across runs.
        pub final_histogram: Histogram,
        /// How many runs the counterfactual blame was measured on (0: not measured).
        pub counterfactual_runs: u64,
        /// Per scenario metric: what unrelated text of the customer's length scores against
        /// the customer (see [`crate::metrics::chance`]).
        pub chance: Vec<f64>,
    }

    impl Analysis {
        /// The traced run's hop (0-based) with the largest fall of the headline metric, and the
        /// fall. `None` when no hop lowered it.
        pub fn costliest_traced_hop(&self) -> Option<(usize, f64)> {
            costliest_in(&self.scores)
        }

        /// The hop (0-based) whose pass-through would raise the final headline the most (median,
        /// then mean), when the counterfactual was computed and some hop would help by at least
        /// [`super::WORTH_FIXING`] in the median run.
        pub fn worth_fixing_first(&self) -> Option<(usize, Band)> {
            self.bands
                .iter()
                .enumerate()
                .filter_map(|(i, b)| b.gain.map(|g| (i, g)))
                // a fraction of a point is not a reason to fix a hop: on most chains it is the
                // bands' noise (a bin's leftover, or a gain in a handful of runs)
                .filter(|(_, g)| (g.median * 1000.0).round() >= (super::WORTH_FIXING * 1000.0).round())
                .fold(None, |best: Option<(usize, Band)>, (i, g)| match best {
                    Some((_, bg)) if (bg.median, bg.mean) >= (g.median, g.mean) => best,
                    _ => Some((i, g)),
                })
        }

        /// The hop (0-based) that costs the final message the most, and how it was measured: the
        /// counterfactual gain of passing it on unchanged where that was measured (`None` when no
        /// hop would give back a point), else the largest median fall.
        ///
        /// The fall alone blames position: under the same habits the first hop falls furthest
        /// because it has the most to lose (reverse a chain and the blame moves to the new first
        /// role). A hop's counterfactual gain is what its own changes cost the end of the chain,
        /// wherever it stands, so that is what "costliest" means when it is known.
        pub fn costliest_hop(&self) -> Option<(usize, Cost)> {
            if self.counterfactual_runs > 0 && self.runs > 1 {
                self.worth_fixing_first().map(|(i, g)| (i, Cost::Gain(g)))
            } else {
                self.biggest_fall().map(|(i, f)| (i, Cost::Fall(f)))
            }
        }

        /// The hop (0-based) with the largest median fall across runs: where the most meaning
        /// was lost, which is not always the hop to fix (see [`Self::costliest_hop`]).
        pub fn biggest_fall(&self) -> Option<(usize, f64)> {
            self.bands.iter().enumerate().map(|(i, b)| (i, b.drop.median)).filter(|(_, m)| *m > super::SIGNED_RESOLUTION).fold(
                None,
                |best: Option<(usize, f64)>, (i, m)| match best {
                    Some((_, bm)) if bm >= m => best,
                    _ => Some((i, m)),
                },
            )
        }
    }

    /// The hop (0-based) of one run's scores with the largest fall of the headline metric, and
    /// the fall; `None` when no hop lowered it. `drift play` names it for the played run.
    pub fn costliest_in(scores: &[HopScores]) -> Option<(usize, f64)> {
        let mut before = 1.0;
        let mut best: Option<(usize, f64)> = None;
        for (i, s) in scores.iter().enumerate() {
            let fall = before - s.vs_customer[0];
            if fall > 1e-12 && best.is_none_or(|(_, f)| fall > f) {
                best = Some((i, fall));
            }
            before = s.vs_customer[0];
        }
        best
    }

    /// What to compute.
    #[derive(Debug, Clone, Copy)]
    pub struct Settings {
        pub seed: u64,
        pub runs: u64,
        pub engine: Engine,
        /// Also re-run each hop as a pass-through to measure what fixing it would gain.
        pub counterfactual: bool,
    }

    /// Runs the counterfactual blame is measured on (the first ones): its median and quartiles
    /// are settled long before this, and it costs several times a plain run.
    pub const COUNTERFACTUAL_RUNS: u64 = 2000;

    /// One run's scores, hop by hop, and the counterfactual gains when measured.
    struct RunScores {
        scores: Vec<HopScores>,
        gains: Option<Vec<f64>>,
    }

    /// Runs the chain `settings.runs` times on the current rayon pool and keeps run 0's
    /// trace. Runs go in batches of [`super::BATCH`] shared by all workers, each batch's
    /// scores added to one set of histograms in run order, so memory grows neither with runs
    /// nor with threads and results do not depend on the number of workers. `control`'s
    /// progress is called with the number of runs just finished; the work stops within an
    /// operator's step once its cancel is cancelled.
    pub fn analyse(
        scenario: &Scenario,
        lexicon: &Lexicon,
        settings: Settings,
        control: crate::montecarlo::Control,
    ) -> Result<Analysis, Interrupted> {
        let Settings { seed, runs, engine, counterfactual } = settings;
        let crate::montecarlo::Control { progress, cancel } = control;
        let scorer = Scorer::new(scenario, lexicon, engine);
        let hops = scenario.chain.len();
        let (m, ps) = (scenario.metrics.len(), scenario.customer.three_ps().len());
        let one_run = |run: u64| -> Result<RunScores, Interrupted> {
            let trace = run_chain_cancellable(scenario, lexicon, seed, run, cancel)?;
            let scores = scorer.score_trace_cancellable(&trace, cancel)?;
            let gains = if counterfactual && run < COUNTERFACTUAL_RUNS {
                let actual = scores[hops - 1].vs_customer[0];
                let mut gains = Vec::with_capacity(hops);
                for skip in 0..hops {
                    cancel.check()?;
                    let text = final_without_cancellable(scenario, lexicon, seed, &trace, skip, cancel)?;
                    gains.push(if text == trace.hops[hops - 1].text { 0.0 } else { scorer.headline(&text) - actual });
                }
                Some(gains)
            } else {
                None
            };
            progress(1);
            Ok(RunScores { scores, gains })
        };
        let mut total = vec![HopAccumulator::new(m, ps); hops];
        crate::montecarlo::monte_carlo(runs, one_run, |run| {
            let mut before = 1.0;
            for (a, s) in total.iter_mut().zip(&run.scores) {
                a.add(s, before);
                before = s.vs_customer[0];
            }
            for (a, gain) in total.iter_mut().zip(run.gains.iter().flatten()) {
                a.gain.add(*gain);
            }
        })?;
        cancel.check()?;
        let trace = run_chain_cancellable(scenario, lexicon, seed, 0, cancel)?;
        let scores = scorer.score_trace_cancellable(&trace, cancel)?;
        let final_histogram = total.last().map_or_else(Histogram::unit, |h| h.vs_customer[0].clone());
        let counterfactual_runs = if counterfactual { runs.min(COUNTERFACTUAL_RUNS) } else { 0 };
        Ok(Analysis {
            seed,
            runs,
            trace,
            scores,
            bands: total.iter().map(HopAccumulator::bands).collect(),
            final_histogram,
            counterfactual_runs,
            chance: crate::metrics::chance::chance(scenario.customer.told(), &scenario.metrics, lexicon),
        })
    }
}
