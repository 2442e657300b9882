//! Variants of a chain side by side, on common random numbers.
//!
//! Every variant's run *r* draws the same random stream at hop *h* as every other variant's,
//! so the paired difference of their final messages comes from the chains, not from the dice:
//! a scenario compared with itself differs by exactly 0, and a small real effect shows with a
//! tight interval after a few hundred runs.

use crate::interrupt::Interrupted;
use crate::lexicon::Lexicon;
use crate::metrics::Metric;
use crate::montecarlo::Plan;
use crate::scenario::Scenario;
use crate::scoring::Scorer;
use crate::simulate::run_chain_cancellable;
use crate::stats::{Band, Histogram};

/// One variant to compare: a scenario (its lexicon is built when its pass comes).
pub struct Variant<'a> {
    pub scenario: &'a Scenario,
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
    /// What unrelated text of its customer's length scores on the metric (the chance line).
    pub chance: f64,
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

/// Stations (a variant's customer and hops) whose histograms one pass over the runs holds:
/// 1,024 histograms are about 25 MB. Variants beyond it go in further passes, each re-running
/// the first variant for the paired difference, so memory does not grow with the number of
/// variants or their length: a comparison of short chains is one pass.
const STATIONS_PER_PASS: usize = 1024;

/// Lexicons of their own (a scenario's `lexicon:` section other than the first variant's) one
/// pass builds: a lexicon with a large section takes tens of MB.
const LEXICONS_PER_PASS: usize = 8;

/// The variants (by index) each pass computes: consecutive, as many as fit in
/// [`STATIONS_PER_PASS`] and [`LEXICONS_PER_PASS`], at least one.
fn passes(variants: &[Variant]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut stations, mut own) = (0, 0);
    for (k, v) in variants.iter().enumerate() {
        let need = v.scenario.chain.len() + 1;
        let in_pass = |pass: &std::ops::Range<usize>| variants[pass.clone()].iter().any(|w| w.scenario.lexicon == v.scenario.lexicon);
        let new_lexicon = |pass: &std::ops::Range<usize>| usize::from(v.scenario.lexicon != variants[0].scenario.lexicon && !in_pass(pass));
        match out.last_mut() {
            Some(pass) if stations + need <= STATIONS_PER_PASS && own + new_lexicon(pass) <= LEXICONS_PER_PASS => {
                own += new_lexicon(pass);
                pass.end = k + 1;
                stations += need;
            }
            _ => {
                out.push(k..k + 1);
                stations = need;
                own = usize::from(v.scenario.lexicon != variants[0].scenario.lexicon);
            }
        }
    }
    out
}

/// The lexicons of a pass's variants, in pass order: the first variant's lexicon for those
/// that share its section, one built for each other distinct section.
fn lexicons_of<'a>(
    variants: &[Variant],
    pass: std::ops::Range<usize>,
    first: &'a Lexicon,
    built: &'a mut Vec<Lexicon>,
) -> Vec<&'a Lexicon> {
    let base = &variants[0].scenario.lexicon;
    let mut sections: Vec<&crate::lexicon::LexiconData> = Vec::new();
    for v in &variants[pass.clone()] {
        let data = &v.scenario.lexicon;
        if data != base && !sections.contains(&data) {
            sections.push(data);
            built.push(Lexicon::with_extension(data));
        }
    }
    let built: &'a [Lexicon] = built;
    variants[pass]
        .iter()
        .map(|v| match sections.iter().position(|d| **d == v.scenario.lexicon) {
            Some(i) => &built[i],
            None => first,
        })
        .collect()
}

/// The paired statistics of one variant against the first: exact integer sums of the scaled
/// differences and their squares, and the runs it did better and worse in.
#[derive(Debug, Clone, Copy, Default)]
struct PairedSums {
    sum: i128,
    sum_sq: i128,
    better: u64,
    worse: u64,
}

impl PairedSums {
    fn add(&mut self, d: f64) {
        let fixed = (d * SCALE).round() as i128;
        self.sum += fixed;
        self.sum_sq += fixed * fixed;
        self.better += u64::from(d > 1e-12);
        self.worse += u64::from(d < -1e-12);
    }

    fn paired(&self, runs: u64) -> Paired {
        let n = runs as f64;
        let mean = self.sum as f64 / SCALE / n;
        // sample variance from exact integer sums
        let variance = if runs > 1 { ((self.sum_sq as f64 / (SCALE * SCALE)) - n * mean * mean).max(0.0) / (n - 1.0) } else { 0.0 };
        let half = 1.959_963_984_540_054 * (variance / n).sqrt();
        Paired {
            mean_diff: mean,
            ci95: (mean - half, mean + half),
            share_better: self.better as f64 / n,
            share_worse: self.worse as f64 / n,
        }
    }
}

/// Runs every variant `runs` times on the same streams and compares their final `metric`
/// against each variant's own customer words. Runs go in batches of
/// [`crate::aggregate::BATCH`] shared by all workers and variants in passes of at most
/// [`STATIONS_PER_PASS`] histograms, so memory grows neither with runs, threads nor variants;
/// results are the same bytes on any number of threads. `progress` counts one per variant
/// run (`runs` × variants in all). Stops within an operator's work once `cancel` is cancelled.
pub fn compare(variants: &[Variant], metric: Metric, plan: Plan, control: crate::montecarlo::Control) -> Result<Comparison, Interrupted> {
    let Plan { seed, runs, engine } = plan;
    let crate::montecarlo::Control { progress, cancel } = control;
    // the headline after each hop of a variant's run (a hop that changed nothing keeps the
    // score of the text it passed on)
    let stations_of = |scenario: &Scenario, lexicon: &Lexicon, scorer: &Scorer, run: u64| -> Result<Vec<f64>, Interrupted> {
        let trace = run_chain_cancellable(scenario, lexicon, seed, run, cancel)?;
        let mut last = 1.0;
        let mut previous: Option<&str> = None;
        let mut out = Vec::with_capacity(trace.hops.len());
        for hop in &trace.hops {
            if previous != Some(hop.text.as_str()) {
                cancel.check()?;
                last = scorer.headline(&hop.text);
            }
            out.push(last);
            previous = Some(hop.text.as_str());
        }
        Ok(out)
    };
    let final_of = |stations: &[f64]| stations.last().copied().unwrap_or(1.0);
    let first_scenario = variants[0].scenario;
    let first_lexicon = Lexicon::with_extension(&first_scenario.lexicon);
    let first_scorer = Scorer::of_metric(first_scenario, &first_lexicon, metric, engine);
    let mut bands: Vec<Vec<Band>> = Vec::with_capacity(variants.len());
    let mut vs_first: Vec<Option<Paired>> = vec![None; variants.len()];
    for pass in passes(variants) {
        let mut built = Vec::new();
        let lexicons = lexicons_of(variants, pass.clone(), &first_lexicon, &mut built);
        let scorers: Vec<Scorer> = variants[pass.clone()]
            .iter()
            .zip(&lexicons)
            .map(|(v, lexicon)| Scorer::of_metric(v.scenario, lexicon, metric, engine))
            .collect();
        let mut histograms: Vec<Vec<Histogram>> =
            pass.clone().map(|k| vec![Histogram::unit(); variants[k].scenario.chain.len() + 1]).collect();
        let mut sums = vec![PairedSums::default(); pass.len()];
        // per run: the first variant's final headline, and the stations of the pass's variants
        let one_run = |run: u64| -> Result<(f64, Vec<Vec<f64>>), Interrupted> {
            let rows = variants[pass.clone()]
                .iter()
                .zip(&lexicons)
                .zip(&scorers)
                .map(|((v, lexicon), scorer)| stations_of(v.scenario, lexicon, scorer, run))
                .collect::<Result<Vec<_>, _>>()?;
            let baseline = if pass.start == 0 {
                final_of(&rows[0])
            } else {
                final_of(&stations_of(first_scenario, &first_lexicon, &first_scorer, run)?)
            };
            progress(pass.len() as u64);
            Ok((baseline, rows))
        };
        crate::montecarlo::monte_carlo(runs, one_run, |(baseline, rows)| {
            for ((k, row), (h, s)) in pass.clone().zip(&rows).zip(histograms.iter_mut().zip(&mut sums)) {
                h[0].add(1.0);
                h[1..].iter_mut().zip(row).for_each(|(h, v)| h.add(*v));
                if k > 0 {
                    s.add(final_of(row) - baseline);
                }
            }
        })?;
        for (k, (h, s)) in pass.zip(histograms.iter().zip(&sums)) {
            bands.push(h.iter().map(Histogram::band).collect());
            vs_first[k] = (k > 0).then(|| s.paired(runs));
        }
    }
    cancel.check()?;
    let results = variants
        .iter()
        .zip(bands)
        .zip(vs_first)
        .map(|((v, stations), vs_first)| {
            let mut roles = vec!["Customer".to_string()];
            roles.extend(v.scenario.chain.iter().map(|h| h.role.clone()));
            let lexicon = Lexicon::with_extension(&v.scenario.lexicon);
            VariantResult {
                chance: crate::metrics::chance::chance(v.scenario.customer.told(), &[metric], &lexicon)[0],
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
