//! Final drift as one or two settings change: `--vary chain[2].mutate.jargon=0..1:11`.
//!
//! Every point of the sweep uses the same seed, so runs share their random streams across
//! points (common random numbers) and the curve moves because of the setting, not the dice.

use crate::interrupt::Interrupted;
use crate::lexicon::Lexicon;
use crate::montecarlo::Plan;
use crate::operators::{Operator, OperatorKind, Param};
use crate::scenario::Scenario;
use crate::scoring::Scorer;
use crate::simulate::run_chain_cancellable;
use crate::stats::{Band, Histogram};

/// One setting to vary: which rate, over which values.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    /// As written: `chain[2].mutate.jargon`.
    pub path: String,
    /// In words, for charts: "hop 3, Top sales rep: jargon rate" (hops count from 1, as on
    /// every chart).
    pub label: String,
    pub hop: usize,
    pub operator: OperatorKind,
    /// `rate`, or one of the operator's own rates (`chain[0].mutate.omit.sentence`).
    pub param: Param,
    pub from: f64,
    pub to: f64,
    pub steps: usize,
}

/// The most points one setting may take.
pub const MAX_STEPS: usize = 101;

impl Vary {
    /// Parses `PATH=FROM..TO:STEPS` against a scenario, with a message that says what to fix.
    pub fn parse(spec: &str, scenario: &Scenario) -> Result<Vary, String> {
        let usage = "write it as PATH=FROM..TO:STEPS, e.g. chain[2].mutate.jargon=0..1:11";
        let (path, range) = spec.split_once('=').ok_or_else(|| format!("`{spec}` has no `=`: {usage}"))?;
        let (hop, operator, param) = parse_path(path.trim(), scenario)?;
        let (span, steps) = range.split_once(':').ok_or_else(|| format!("`{range}` has no `:STEPS`: {usage}"))?;
        let (from, to) = span.split_once("..").ok_or_else(|| format!("`{span}` is not FROM..TO: {usage}"))?;
        let number = |s: &str| s.trim().parse::<f64>().map_err(|_| format!("`{s}` is not a number: {usage}"));
        let (from, to) = (number(from)?, number(to)?);
        for v in [from, to] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("{v} is outside 0..1: a rate is a probability"));
            }
        }
        let steps: usize = steps.trim().parse().map_err(|_| format!("`{steps}` is not a whole number of steps: {usage}"))?;
        if !(2..=MAX_STEPS).contains(&steps) {
            return Err(format!("{steps} steps: use 2 to {MAX_STEPS}"));
        }
        let label = label(path.trim(), hop, scenario);
        Ok(Vary { path: path.trim().to_string(), label, hop, operator, param, from, to, steps })
    }

    pub fn values(&self) -> Vec<f64> {
        (0..self.steps).map(|k| self.from + (self.to - self.from) * k as f64 / (self.steps - 1) as f64).collect()
    }
}

/// A valid path in words: `chain[2].mutate.omit.sentence` → "hop 3, Top sales rep: omit
/// sentence rate".
fn label(path: &str, hop: usize, scenario: &Scenario) -> String {
    let setting = path.split_once(".mutate.").map_or(path, |(_, rest)| rest);
    let setting = setting.strip_suffix(".rate").unwrap_or(setting).replace('.', " ");
    format!("hop {}, {}: {setting} rate", hop + 1, scenario.chain[hop].role)
}

/// `chain[N].mutate.OP`, `chain[N].mutate.OP.rate` or `chain[N].mutate.OP.PARAM` (one of the
/// operator's own rates, e.g. `omit.sentence`) → (hop index, operator, parameter).
fn parse_path(path: &str, scenario: &Scenario) -> Result<(usize, OperatorKind, Param), String> {
    let shape = "the path names a rate as in error messages: chain[N].mutate.OPERATOR (N counts from 0)";
    let rest = path.strip_prefix("chain[").ok_or_else(|| format!("`{path}`: {shape}"))?;
    let (index, rest) = rest.split_once(']').ok_or_else(|| format!("`{path}`: {shape}"))?;
    let hop: usize = index.parse().map_err(|_| format!("`{index}` is not a hop index: {shape}"))?;
    if hop >= scenario.chain.len() {
        return Err(format!(
            "chain[{hop}] does not exist: the chain has {} hops, chain[0] to chain[{}]",
            scenario.chain.len(),
            scenario.chain.len() - 1
        ));
    }
    if scenario.chain[hop].is_human() {
        return Err(format!("chain[{hop}] is a human hop (`said:`): its words are fixed, so no rate of it can vary"));
    }
    let rest = rest.strip_prefix(".mutate.").ok_or_else(|| format!("`{path}`: {shape}"))?;
    let (name, param) = match rest.split_once('.') {
        Some((name, param)) => (name, Some(param)),
        None => (rest, None),
    };
    let operator = OperatorKind::from_name(name).ok_or_else(|| {
        let known: Vec<&str> = OperatorKind::ALL.iter().map(|k| k.name()).collect();
        crate::scenario::unknown_name("operator", name, &known)
    })?;
    if operator == OperatorKind::Approve {
        return Err("`approve` has no rate that changes anything: vary another operator".to_string());
    }
    let rates: Vec<&str> =
        std::iter::once("rate").chain(operator.number_params().iter().filter(|p| p.is_rate()).map(|p| p.name())).collect();
    let param = match param {
        None => Param::Rate,
        Some(p) => Param::from_name(p)
            .filter(|p| p.is_rate() && rates.contains(&p.name()))
            .ok_or_else(|| format!("`{name}` has no rate `{p}` to vary (its rates: {})", rates.join(", ")))?,
    };
    Ok((hop, operator, param))
}

/// The scenario with one rate set (the operator added to the hop if it did not have it).
pub fn with_rate(scenario: &Scenario, hop: usize, operator: OperatorKind, param: Param, rate: f64) -> Scenario {
    let mut s = scenario.clone();
    let ops = &mut s.chain[hop].operators;
    match ops.iter_mut().find(|o| o.kind == operator) {
        Some(op) => op.set_param(param, rate),
        None => {
            let mut op = Operator::new(operator, if param == Param::Rate { rate } else { 0.0 });
            op.set_param(param, rate);
            ops.push(op);
            ops.sort_by_key(|o| o.kind);
        }
    }
    s
}

/// One point of the sweep.
#[derive(Debug, Clone)]
pub struct Point {
    /// The value of each varied setting.
    pub values: Vec<f64>,
    /// The final headline across runs.
    pub band: Band,
}

#[derive(Debug, Clone)]
pub struct Sweep {
    pub varies: Vec<Vary>,
    pub points: Vec<Point>,
    pub metric: crate::metrics::Metric,
    pub seed: u64,
    pub runs: u64,
    /// What unrelated text of the customer's length scores on the metric (the chance line).
    pub chance: f64,
}

/// Runs the scenario at every point of the grid (the first setting varies slowest). Each
/// point's runs go in batches of [`crate::aggregate::BATCH`] shared by all workers and added
/// to one histogram in run order: memory grows neither with runs nor with threads, and results
/// are the same bytes on any number of threads. Stops within an operator's work once `cancel`
/// is cancelled.
pub fn sweep(
    scenario: &Scenario,
    lexicon: &Lexicon,
    varies: &[Vary],
    plan: Plan,
    control: crate::montecarlo::Control,
) -> Result<Sweep, Interrupted> {
    let Plan { seed, runs, engine } = plan;
    let crate::montecarlo::Control { progress, cancel } = control;
    let metric = scenario.headline();
    let scorer = Scorer::of_metric(scenario, lexicon, metric, engine);
    let mut grid: Vec<Vec<f64>> = vec![Vec::new()];
    for v in varies {
        grid = grid.into_iter().flat_map(|prefix| v.values().into_iter().map(move |x| [prefix.clone(), vec![x]].concat())).collect();
    }
    let points = grid
        .into_iter()
        .map(|values| {
            let mut s = scenario.clone();
            for (v, x) in varies.iter().zip(&values) {
                s = with_rate(&s, v.hop, v.operator, v.param, *x);
            }
            let final_score = |run: u64| -> Result<f64, Interrupted> {
                let trace = run_chain_cancellable(&s, lexicon, seed, run, cancel)?;
                let last = trace.hops.last().map_or(s.customer.said.as_str(), |h| h.text.as_str());
                cancel.check()?;
                let score = scorer.headline(last);
                progress(1);
                Ok(score)
            };
            let mut histogram = Histogram::unit();
            crate::montecarlo::monte_carlo(runs, final_score, |v| histogram.add(v))?;
            Ok(Point { values, band: histogram.band() })
        })
        .collect::<Result<Vec<Point>, _>>()?;
    let chance = crate::metrics::chance::chance(scenario.customer.told(), &[metric], lexicon)[0];
    Ok(Sweep { varies: varies.to_vec(), points, metric, seed, runs, chance })
}
