//! Variants of a chain side by side, on common random numbers.
//!
//! Every variant's run *r* draws the same random stream at hop *h* as every other variant's,
//! so the paired difference of their final messages comes from the chains, not from the dice:
//! a scenario compared with itself differs by exactly 0, and a small real effect shows with a
//! tight interval after a few hundred runs.

use rayon::prelude::*;

use crate::aggregate::{Band, Histogram};
use crate::lexicon::Lexicon;
use crate::metrics::{Engine, Metric, Prepared};
use crate::scenario::Scenario;
use crate::simulate::run_chain;

/// One variant to compare: a scenario and its lexicon.
pub struct Variant<'a> {
    pub scenario: &'a Scenario,
    pub lexicon: &'a Lexicon,
    /// The file it came from, as given on the command line.
    pub file: String,
}

/// How a variant does against the first, run by run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paired {
    /// Mean of (this variant's final headline − the first's), over runs.
    pub mean_diff: f64,
    /// 95 % confidence interval of the mean difference (normal approximation).
    pub ci95: (f64, f64),
    /// Share of runs in which this variant ends closer to the customer than the first.
    pub share_better: f64,
    /// Share of runs in which it ends further away.
    pub share_worse: f64,
}

/// One variant's result.
#[derive(Debug, Clone)]
pub struct VariantResult {
    pub name: String,
    pub file: String,
    /// The headline at the customer (1) and after each hop, across runs.
    pub stations: Vec<Band>,
    /// "Customer", then the roles.
    pub roles: Vec<String>,
    pub final_band: Band,
    /// `None` for the first variant.
    pub vs_first: Option<Paired>,
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub metric: Metric,
    pub seed: u64,
    pub runs: u64,
    pub variants: Vec<VariantResult>,
}

/// Fixed-point scale for the paired sums (exact integer sums: the result cannot depend on
/// the order runs finish in).
const SCALE: f64 = (1u64 << 40) as f64;

#[derive(Clone)]
struct Accumulator {
    /// Per variant, per station (customer first).
    stations: Vec<Vec<Histogram>>,
    /// Per variant: sum of differences, of squared differences (scaled), better, worse.
    sums: Vec<(i128, i128, u64, u64)>,
}

impl Accumulator {
    fn new(variants: &[Variant]) -> Accumulator {
        Accumulator {
            stations: variants.iter().map(|v| vec![Histogram::unit(); v.scenario.chain.len() + 1]).collect(),
            sums: vec![(0, 0, 0, 0); variants.len()],
        }
    }

    fn merge(&mut self, other: &Accumulator) {
        for (a, b) in self.stations.iter_mut().flatten().zip(other.stations.iter().flatten()) {
            a.merge(b);
        }
        for (a, b) in self.sums.iter_mut().zip(&other.sums) {
            a.0 += b.0;
            a.1 += b.1;
            a.2 += b.2;
            a.3 += b.3;
        }
    }
}

/// Runs every variant `runs` times on the same streams and compares their final `metric`
/// against each variant's own customer words.
pub fn compare(
    variants: &[Variant],
    metric: Metric,
    seed: u64,
    runs: u64,
    engine: Engine,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Comparison, crate::interrupt::Interrupted> {
    let customers: Vec<Prepared> = variants.iter().map(|v| Prepared::new(&v.scenario.customer.said, v.lexicon)).collect();
    let workers = (rayon::current_num_threads() as u64).clamp(1, runs);
    let share = |w: u64| (runs * w / workers)..(runs * (w + 1) / workers);
    let partials: Vec<Accumulator> = (0..workers)
        .into_par_iter()
        .map(|w| {
            let mut acc = Accumulator::new(variants);
            let mut pending = 0;
            for run in share(w) {
                if crate::interrupt::requested() {
                    break;
                }
                let mut finals = Vec::with_capacity(variants.len());
                for (k, v) in variants.iter().enumerate() {
                    let trace = run_chain(v.scenario, v.lexicon, seed, run);
                    acc.stations[k][0].add(1.0);
                    let mut last = 1.0;
                    let mut previous: Option<&str> = None;
                    for (h, hop) in trace.hops.iter().enumerate() {
                        if previous != Some(hop.text.as_str()) {
                            last = engine.score(metric, &customers[k], &Prepared::new(&hop.text, v.lexicon));
                        }
                        acc.stations[k][h + 1].add(last);
                        previous = Some(hop.text.as_str());
                    }
                    finals.push(last);
                }
                for k in 1..variants.len() {
                    let d = finals[k] - finals[0];
                    let fixed = (d * SCALE).round() as i128;
                    let s = &mut acc.sums[k];
                    s.0 += fixed;
                    s.1 += fixed * fixed;
                    s.2 += u64::from(d > 1e-12);
                    s.3 += u64::from(d < -1e-12);
                }
                pending += 1;
                if pending == 64 {
                    progress(pending);
                    pending = 0;
                }
            }
            progress(pending);
            acc
        })
        .collect();
    crate::interrupt::check()?;
    let mut total = Accumulator::new(variants);
    for p in &partials {
        total.merge(p);
    }
    let n = runs as f64;
    let results = variants
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let stations: Vec<Band> = total.stations[k].iter().map(Histogram::band).collect();
            let vs_first = (k > 0).then(|| {
                let (sum, sum_sq, better, worse) = total.sums[k];
                let mean = sum as f64 / SCALE / n;
                // sample variance from exact integer sums
                let variance = if runs > 1 { ((sum_sq as f64 / (SCALE * SCALE)) - n * mean * mean).max(0.0) / (n - 1.0) } else { 0.0 };
                let half = 1.959_963_984_540_054 * (variance / n).sqrt();
                Paired { mean_diff: mean, ci95: (mean - half, mean + half), share_better: better as f64 / n, share_worse: worse as f64 / n }
            });
            let mut roles = vec!["Customer".to_string()];
            roles.extend(v.scenario.chain.iter().map(|h| h.role.clone()));
            VariantResult {
                name: v.scenario.name.clone(),
                file: v.file.clone(),
                final_band: *stations.last().expect("the customer station at least"),
                stations,
                roles,
                vs_first,
            }
        })
        .collect();
    Ok(Comparison { metric, seed, runs, variants: results })
}
