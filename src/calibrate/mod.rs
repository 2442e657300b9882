//! `drift calibrate`: grounding the simulator in what people actually do.
//!
//! A room (or a study) retells a text down a chain; drift measures, generation by
//! generation, how long the retelling is, how much of the original's content words and of
//! the text each person heard survive, how much stays in order and how much is new
//! ([`curves`]). It then retells the same originals with a preset's operators and moves the
//! preset's retelling rates until the simulated curves match the observed ones (their means
//! for chains, the medians for the published figures; [`fit`]), every candidate on the same
//! random numbers. The result is a preset to paste into a scenario, the residual at every
//! generation, and a chart. `--check` skips the fit and only compares; without data, the
//! observations are the published serial-reproduction figures on drift's own stories
//! ([`published`]), which is where the built-in `retell` preset comes from.

pub mod curves;
pub mod data;
mod fit;
pub mod folds;
pub mod published;

use rayon::prelude::*;
use serde::Serialize;

pub use curves::{At, BINS, CURVES, Curve, Family, Point, Tally, Words};
pub use data::Chain;

use crate::interrupt::Interrupted;
use crate::lexicon::Lexicon;
use crate::montecarlo::Control;
use crate::operators::{Context, Operator, OperatorKind, Param};
use crate::simulate::stream;
use crate::stats::Band;
use crate::text::Text;

/// What the simulation is held to: the originals to retell, and the median of each curve at
/// each generation.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    /// What the targets are, for titles: "room.csv (12 chains)".
    pub description: String,
    /// One per observed chain: its original and how many generations it has.
    pub originals: Vec<(String, usize)>,
    /// `medians[curve][g - 1]`; `None` where nothing was observed.
    pub medians: [Vec<Option<f64>>; CURVES],
    /// `spread[curve][g - 1]`: the observed p25, p75 and the value the fit matches, where the
    /// data are chains (the published figures are medians only).
    pub spread: [Vec<Option<Spread>>; CURVES],
    /// How many observed chains reach each generation (for the published figures, the
    /// studies' chains are not known one by one: 0).
    pub chains: Vec<usize>,
    /// True for the published figures on drift's stories.
    pub published: bool,
    /// The intact rate by the heard text's length, over the generations compared (the
    /// published figures have none: every tally is empty).
    pub intact: [Tally; BINS],
    /// Which generations are compared, for observed chains.
    pub cap: Option<Cap>,
}

/// A generation is compared only when at least this many chains reach it...
pub const CAP_CHAINS: usize = 10;
/// ...and at least this share of the chains; with fewer than twice [`CAP_CHAINS`] chains in all,
/// half of them (rounded up) is enough. Deeper generations, reached by a handful of chains, are
/// left out of the comparison and the fit alike (their means are noise that would dominate a
/// root mean square), and of the simulation.
pub const CAP_SHARE: f64 = 0.05;

/// Which generations of observed chains are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cap {
    /// Generations 1 to this are compared.
    pub compared: usize,
    /// The deepest generation in the data.
    pub deepest: usize,
    /// How many chains a generation must be reached by to be compared.
    pub min_chains: usize,
}

impl Cap {
    /// The generations of `chains` that enough of them reach.
    pub fn of(chains: &[Chain]) -> Cap {
        let n = chains.len();
        let min_chains = CAP_CHAINS.max((n as f64 * CAP_SHARE).ceil() as usize).min(n.div_ceil(2)).max(1);
        let deepest = chains.iter().map(Chain::generations).max().unwrap_or(0);
        let compared =
            (1..=deepest).take_while(|&g| chains.iter().filter(|c| c.generations() >= g).count() >= min_chains).last().unwrap_or(0);
        Cap { compared, deepest, min_chains }
    }

    /// True when some generations are left out.
    pub fn cuts(&self) -> bool {
        self.deepest > self.compared
    }

    /// `chain`'s texts up to the last generation compared.
    pub fn texts<'a>(&self, chain: &'a Chain) -> &'a [String] {
        &chain.texts[..chain.texts.len().min(self.compared + 1)]
    }
}

impl Targets {
    pub fn generations(&self) -> usize {
        self.medians[0].len()
    }

    pub fn median(&self, curve: Curve, generation: usize) -> Option<f64> {
        self.medians[curve.index()].get(generation - 1).copied().flatten()
    }

    /// The observed quartiles and mean, where known.
    pub fn spread(&self, curve: Curve, generation: usize) -> Option<Spread> {
        self.spread[curve.index()].get(generation - 1).copied().flatten()
    }

    /// The curves of observed chains, over the generations enough of them reach ([`Cap`]).
    pub fn observed(description: String, chains: &[Chain], lexicon: &Lexicon) -> Targets {
        Targets::observed_to(description, chains, Cap::of(chains), lexicon)
    }

    /// The curves of observed chains over the generations `cap` compares.
    pub fn observed_to(description: String, chains: &[Chain], cap: Cap, lexicon: &Lexicon) -> Targets {
        let measured: Vec<Vec<Point>> = chains.par_iter().map(|c| curves::measure(cap.texts(c), lexicon)).collect();
        let generations = measured.iter().map(Vec::len).max().unwrap_or(0);
        let mut medians: [Vec<Option<f64>>; CURVES] = Default::default();
        let mut spread: [Vec<Option<Spread>>; CURVES] = Default::default();
        let mut counts = Vec::with_capacity(generations);
        for g in 1..=generations {
            let at: Vec<&Point> = measured.iter().filter_map(|m| m.get(g - 1)).collect();
            counts.push(at.len());
            for curve in Curve::ALL {
                let values: Vec<f64> = at.iter().map(|p| p[curve]).collect();
                let band = (!values.is_empty()).then(|| curves::band(&values));
                medians[curve.index()].push(band.map(|b| b.median));
                spread[curve.index()].push(band.map(|b| Spread { p25: b.p25, p75: b.p75, fit: curves::fit_value(curve, &values) }));
            }
        }
        let originals = chains.iter().zip(&measured).map(|(c, m)| (c.texts[0].clone(), m.len())).collect();
        let intact = curves::intact_by_length(measured.iter().flatten());
        Targets { description, originals, medians, spread, chains: counts, published: false, intact, cap: Some(cap) }
    }

    /// The published serial-reproduction medians, on drift's own stories.
    pub fn published() -> Targets {
        let figures = &published::SERIAL_REPRODUCTION;
        let generations = figures.curves[0].1.len();
        let mut medians: [Vec<Option<f64>>; CURVES] = Default::default();
        for curve in Curve::ALL {
            medians[curve.index()] = match figures.curves.iter().find(|(c, _)| *c == curve) {
                Some((_, values)) => values.iter().map(|&v| Some(v)).collect(),
                None => vec![None; generations],
            };
        }
        Targets {
            description: "the published serial-reproduction figures".to_string(),
            originals: published::stories().iter().map(|s| (s.text.clone(), generations)).collect(),
            medians,
            spread: std::array::from_fn(|_| vec![None; generations]),
            chains: vec![0; generations],
            published: true,
            intact: [Tally::default(); BINS],
            cap: None,
        }
    }

    /// True when the targets include `curve` at some generation.
    pub fn has(&self, curve: Curve) -> bool {
        self.medians[curve.index()].iter().any(Option::is_some)
    }

    /// True when the targets include `family` somewhere (the intact rate: a bin with enough
    /// retellings to score).
    pub fn has_family(&self, family: Family) -> bool {
        match family {
            Family::Curve(c) => self.has(c),
            Family::IntactByLength => self.intact.iter().any(Tally::scored),
        }
    }
}

/// Where observed values lie besides their median.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub p25: f64,
    pub p75: f64,
    /// What the fit matches ([`curves::fit_value`]), and its standard error.
    pub fit: (f64, f64),
}

/// A parameter the fit may move, as the table [`FIT_PARAMS`] lists it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitParam {
    pub operator: OperatorKind,
    pub param: Param,
    /// Parameters of the same operator that move with this one, in the base preset's
    /// proportions to it (capped at 1), unless [`FitSettings::omit_levels`] fits each on its own.
    pub tied: &'static [Param],
    /// What the parameter and those tied to it are together, for the table.
    pub tie: &'static str,
    /// The curve the data must have for the parameter to be identified.
    pub needs: Curve,
    /// Fitted first, on its own and to `needs` alone, then held while the rest are fitted: a
    /// parameter one curve measures directly (how often a teller adds one of drift's hedges)
    /// must not be moved to buy a better fit of curves its operator only mimics.
    pub alone: bool,
}

impl FitParam {
    /// An operator's rate, identified by `needs`.
    pub const fn rate(operator: OperatorKind, needs: Curve) -> FitParam {
        FitParam { operator, param: Param::Rate, tied: &[], tie: "", needs, alone: false }
    }

    /// An operator's rate, fitted first and alone to the curve that measures it.
    pub const fn measured_by(operator: OperatorKind, curve: Curve) -> FitParam {
        FitParam { operator, param: Param::Rate, tied: &[], tie: "", needs: curve, alone: true }
    }
}

/// Every parameter `drift calibrate` fits, in the order it lists them: the one place to add one
/// (a new retelling operator's rate is a line `FitParam::rate(OperatorKind::Gist,
/// Curve::Length)`; `needs` is the curve the data must have for it to be identified, and
/// Length every data set has). An operator of a preset that is not listed here is kept as it
/// is. Capacities are not listed: under `--fit-capacity` every operator with a `capacity`
/// parameter has it fitted.
pub const FIT_PARAMS: &[FitParam] = &[
    // how much people forget: the sentence rate, with the clause and detail rates in proportion
    FitParam {
        operator: OperatorKind::Omit,
        param: Param::Sentence,
        tied: &[Param::Clause, Param::Detail],
        tie: "the level of forgetting",
        needs: Curve::Length,
        alone: false,
    },
    FitParam::rate(OperatorKind::Paraphrase, Curve::Length),
    FitParam::rate(OperatorKind::Reorder, Curve::Order),
    // people's stock hedges are counted: elaborate is fitted to that count alone
    FitParam::measured_by(OperatorKind::Elaborate, Curve::Hedged),
];

/// The parameters [`FIT_PARAMS`] lists for operators of `kind`.
pub fn fit_params(kind: OperatorKind) -> impl Iterator<Item = &'static FitParam> {
    FIT_PARAMS.iter().filter(move |f| f.operator == kind)
}

/// One parameter the fit moves: an operator of the preset and which of its numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Knob {
    pub operator: OperatorKind,
    #[serde(skip)]
    pub param: Param,
    /// Parameters that keep their ratio to this one as it moves (capped at 1): for
    /// `omit.sentence` fitted as the level of forgetting, the base preset's clause and detail
    /// rates as multiples of its sentence rate.
    #[serde(skip)]
    pub tied: Vec<(Param, f64)>,
    /// What the knob and those tied to it are together ([`FitParam::tie`]).
    #[serde(skip)]
    pub tie: &'static str,
    /// The curve that must be observed for this knob to be identified.
    #[serde(skip)]
    pub needs: Curve,
    /// Fitted first, alone, to `needs` only ([`FitParam::alone`]).
    #[serde(skip)]
    pub alone: bool,
}

/// The range the fit searches a capacity in, in words (on a log scale).
pub const CAPACITY_RANGE: (f64, f64) = (1.0, 2000.0);

impl Knob {
    fn new(operator: OperatorKind, param: Param, needs: Curve) -> Knob {
        Knob { operator, param, tied: Vec::new(), tie: "", needs, alone: false }
    }

    /// The knob's value in `operators`.
    pub fn value_in(&self, operators: &[Operator]) -> Option<f64> {
        operators.iter().find(|o| o.kind == self.operator).and_then(|o| o.param(self.param))
    }

    /// True when other parameters move with this one.
    pub fn ties(&self) -> bool {
        self.tied.iter().any(|&(_, ratio)| ratio > 0.0)
    }

    /// As a scenario path writes it: `omit.sentence`, `paraphrase` (its rate).
    pub fn path(&self) -> String {
        match self.param {
            Param::Rate => self.operator.name().to_string(),
            p => format!("{}.{}", self.operator.name(), p.name()),
        }
    }

    /// The value at a point `u` of [0, 1], on the grid the fitted values are written with:
    /// rates to 0.01, capacities to a whole word.
    fn value(&self, u: f64) -> f64 {
        match self.param {
            Param::Capacity => {
                let (lo, hi) = CAPACITY_RANGE;
                (lo.ln() + u * (hi.ln() - lo.ln())).exp().round()
            }
            _ => (u * 100.0).round() / 100.0,
        }
    }

    /// The point of [0, 1] closest to `value`.
    fn position(&self, value: f64) -> f64 {
        match self.param {
            Param::Capacity => {
                let (lo, hi) = CAPACITY_RANGE;
                ((value.clamp(lo, hi).ln() - lo.ln()) / (hi.ln() - lo.ln())).clamp(0.0, 1.0)
            }
            _ => value.clamp(0.0, 1.0),
        }
    }
}

/// What is fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing: compare the preset as it is.
    Check,
    /// The retelling rates: how much people forget (`omit`'s sentence rate, with its clause and
    /// detail rates in proportion), reword (`paraphrase`), add (`elaborate`) and reorder.
    Rates,
    /// The rates and the capacities.
    RatesAndCapacity,
}

/// How a calibration runs.
#[derive(Debug, Clone, Copy)]
pub struct FitSettings {
    pub seed: u64,
    /// Simulated chains per candidate, spread evenly over the originals.
    pub runs: u64,
    pub mode: Mode,
    /// Fit `omit`'s clause, sentence and detail rates each on its own rather than as one level
    /// of forgetting. They trade off against each other (many small losses or a few large
    /// ones), so this needs a lot of data; it is how `retell`'s proportions were fitted.
    pub omit_levels: bool,
}

/// The parameters `settings` let the fit move in `operators`, and those it leaves as they
/// are (with why).
pub fn knobs(operators: &[Operator], targets: &Targets, settings: FitSettings) -> (Vec<Knob>, Vec<(Knob, &'static str)>) {
    let mut fitted = Vec::new();
    let mut fixed = Vec::new();
    if settings.mode == Mode::Check {
        return (fitted, fixed);
    }
    for op in operators {
        let mut knobs: Vec<Knob> = Vec::new();
        for f in fit_params(op.kind) {
            if settings.omit_levels || f.tied.is_empty() {
                let mut group: Vec<Param> = std::iter::once(f.param).chain(f.tied.iter().copied()).collect();
                group.sort();
                knobs.extend(group.into_iter().map(|p| Knob { alone: f.alone, ..Knob::new(op.kind, p, f.needs) }));
            } else {
                let level = |p: Param| op.param(p).unwrap_or(0.0);
                let base = level(f.param);
                let tied = f.tied.iter().map(|&p| (p, if base > 0.0 { level(p) / base } else { 0.0 })).collect();
                knobs.push(Knob { operator: op.kind, param: f.param, tied, tie: f.tie, needs: f.needs, alone: f.alone });
            }
        }
        if knobs.is_empty() {
            continue;
        }
        if op.kind.number_params().contains(&Param::Capacity) {
            // an operator fitted alone to its curve has its capacity fitted with it
            let alone = knobs.iter().find(|k| k.alone).map(|k| k.needs);
            if settings.mode == Mode::RatesAndCapacity {
                knobs.push(Knob { alone: alone.is_some(), ..Knob::new(op.kind, Param::Capacity, alone.unwrap_or(Curve::Length)) });
            } else if op.capacity.is_some() {
                fixed.push((Knob::new(op.kind, Param::Capacity, Curve::Length), "kept: add --fit-capacity to fit it"));
            }
        }
        for knob in knobs {
            if !targets.has(knob.needs) {
                let why = match knob.needs {
                    Curve::Order => "kept: the data have no word-order curve to fit it to",
                    _ => "kept: the data have no curve to fit it to",
                };
                fixed.push((knob, why));
            } else {
                fitted.push(knob);
            }
        }
    }
    (fitted, fixed)
}

/// A calibration's result: the preset before and after, and the curves.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The preset the fit started from.
    pub base_name: String,
    /// The fitted preset's name (the base's under `--check`).
    pub name: String,
    pub base: Vec<Operator>,
    pub fitted: Vec<Operator>,
    pub knobs: Vec<Knob>,
    pub fixed: Vec<(Knob, &'static str)>,
    pub targets: Targets,
    /// `simulated[curve][g - 1]`: the fitted preset's curves across the simulated chains.
    pub simulated: [Vec<Band>; CURVES],
    /// What the fit matched of them ([`curves::fit_value`]), with standard errors.
    pub simulated_fit: [Vec<(f64, f64)>; CURVES],
    /// The fitted preset's intact rate by length across the simulated chains.
    pub simulated_intact: [Tally; BINS],
    /// Simulated chains per candidate: `settings.runs` rounded up to a whole number per
    /// observed chain, so every chain weighs the same as in the data.
    pub runs: u64,
    pub evaluations: usize,
    pub settings: FitSettings,
    /// For the published figures: how the preset does on short remarks and long texts.
    pub short: Option<ShortMessages>,
}

impl Calibration {
    /// Simulated median minus observed, where both exist.
    pub fn residual(&self, curve: Curve, generation: usize) -> Option<f64> {
        Some(self.simulated[curve.index()].get(generation - 1)?.median - self.targets.median(curve, generation)?)
    }

    /// Simulated intact rate minus observed, in a bin with enough observed retellings.
    pub fn intact_residual(&self, bin: usize) -> Option<f64> {
        let observed = self.targets.intact[bin];
        if !observed.scored() {
            return None;
        }
        Some(self.simulated_intact[bin].rate()? - observed.rate()?)
    }

    /// Every point the verdict judges off by more than `tolerance`.
    pub fn misses(&self, tolerance: f64) -> Vec<(Family, At, f64)> {
        // the residuals are rounded as printed, so a printed 0.050 is within ±0.05
        self.residuals().into_iter().filter(|r| (r.2 * 1000.0).round().abs() > (tolerance * 1000.0).round()).collect()
    }

    /// Every residual the verdict judges, with where it is: the medians of every curve at every
    /// generation compared, and the intact rate in every bin scored.
    pub fn residuals(&self) -> Vec<(Family, At, f64)> {
        let mut out = Vec::new();
        for curve in Curve::ALL {
            for g in 1..=self.targets.generations() {
                if let Some(r) = self.residual(curve, g) {
                    out.push((Family::Curve(curve), At::Generation(g), r));
                }
            }
        }
        for b in 0..BINS {
            if let Some(r) = self.intact_residual(b) {
                out.push((Family::IntactByLength, At::Bin(b), r));
            }
        }
        out
    }

    /// The largest residual in absolute value.
    pub fn worst(&self) -> Option<(Family, At, f64)> {
        self.residuals().into_iter().max_by(|a, b| a.2.abs().total_cmp(&b.2.abs()))
    }

    /// What the fit minimised (see `objective`).
    pub fn objective(&self) -> f64 {
        let summary = Summary { bands: self.simulated.clone(), fit: self.simulated_fit.clone(), intact: self.simulated_intact };
        objective(&summary, &self.targets)
    }

    pub fn rms(&self) -> f64 {
        let r = self.residuals();
        if r.is_empty() { 0.0 } else { (r.iter().map(|x| x.2 * x.2).sum::<f64>() / r.len() as f64).sqrt() }
    }

    /// Drift minus observed on each family observed, on the values the fit matches: for chains
    /// the mean at each generation (length's geometric mean, as a ratio to the original), for
    /// the published figures the median; the intact rate in each bin scored.
    pub fn families(&self) -> Vec<Differences> {
        let t = &self.targets;
        Family::ALL
            .into_iter()
            .filter(|&f| t.has_family(f))
            .map(|family| {
                let points = match family {
                    Family::Curve(curve) => (1..=t.generations())
                        .filter_map(|g| {
                            let d = match t.spread(curve, g) {
                                Some(observed) => {
                                    let (sim, _) = *self.simulated_fit[curve.index()].get(g - 1)?;
                                    curves::natural(curve, sim) - curves::natural(curve, observed.fit.0)
                                }
                                None => self.residual(curve, g)?,
                            };
                            d.is_finite().then_some((At::Generation(g), d))
                        })
                        .collect(),
                    Family::IntactByLength => (0..BINS).filter_map(|b| Some((At::Bin(b), self.intact_residual(b)?))).collect(),
                };
                Differences { family, points }
            })
            .collect()
    }

    /// The curves shown: those observed.
    pub fn curves(&self) -> Vec<Curve> {
        Curve::ALL.into_iter().filter(|&c| self.targets.has(c)).collect()
    }
}

/// Drift minus observed along one family: at each generation or bin compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Differences {
    pub family: Family,
    pub points: Vec<(At, f64)>,
}

impl Differences {
    /// The root mean square of the differences; `None` without points.
    pub fn rms(&self) -> Option<f64> {
        let n = self.points.len();
        (n > 0).then(|| (self.points.iter().map(|p| p.1 * p.1).sum::<f64>() / n as f64).sqrt())
    }

    /// The mean absolute difference.
    pub fn mean_abs(&self) -> Option<f64> {
        let n = self.points.len();
        (n > 0).then(|| self.points.iter().map(|p| p.1.abs()).sum::<f64>() / n as f64)
    }

    /// The largest difference in absolute value, and where (the first of equals).
    pub fn worst(&self) -> Option<(At, f64)> {
        self.points.iter().copied().reduce(|a, b| if b.1.abs() > a.1.abs() { b } else { a })
    }
}

/// How `retell` does on short remarks and long texts, beside the people's figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShortMessages {
    /// Remarks of two content words passed on with every content word.
    pub two_words_intact: f64,
    /// Remarks of twelve content words passed on with every content word.
    pub twelve_words_intact: f64,
    /// Stories of over 100 words that are under 100 after two retellings.
    pub long_under_100_after_two: f64,
}

/// Words of a hop's stream each operator has to itself in a fit (2^32, far more than a
/// retelling draws), and how many such parts a hop's 2^48 words hold (2^16).
const OPERATOR_STREAM_BITS: u32 = 32;
const OPERATOR_SLOTS: u64 = 1 << 16;

/// Where `kind`'s draws start within its hop's part of the stream, keyed by the operator's
/// name (FNV-1a), not its place in the list: adding an operator anywhere changes no other
/// operator's random numbers, so a fit made before it reproduces after. Two names landing
/// in one slot would only correlate their draws; a test keeps the built-in ones apart.
fn operator_stream_offset(kind: OperatorKind) -> u128 {
    u128::from(crate::hash::fnv1a(kind.name().as_bytes()) % OPERATOR_SLOTS) << OPERATOR_STREAM_BITS
}

/// Retells `original` for `generations` generations with `operators`, run `run` of `seed`.
/// Generation g draws from the stream of (seed, run, hop g − 1) as a chain of `drift run`
/// does, except that each operator kind draws from its own part of it (see
/// [`operator_stream_offset`]): a candidate that
/// changes one rate then changes no other operator's random numbers, which keeps the fit's
/// common random numbers common. Returns every generation's text, the original first.
pub fn retell(operators: &[Operator], original: &str, generations: usize, seed: u64, run: u64, lexicon: &Lexicon) -> Vec<String> {
    let original_words = Text::parse(original);
    let ctx = Context { lexicon, customer: original, customer_words: &original_words };
    let mut texts = vec![original.to_string()];
    let mut words = Text::parse(original);
    for g in 0..generations {
        let hop = stream(seed, run, g);
        let mut changed = false;
        for op in operators {
            let mut rng = hop.clone();
            rng.set_word_pos(hop.get_word_pos() + operator_stream_offset(op.kind));
            changed |= !op.apply_in_place(&mut words, &ctx, &mut rng).is_empty();
        }
        let text = if changed { words.render() } else { texts[g].clone() };
        if changed {
            words = words.into_parse_of(&text);
        }
        texts.push(text);
    }
    texts
}

/// Simulated chains: run k retells `originals[k % n]` for its generations. The curves of each
/// run, in run order (the same on any number of threads). Each run counts one unit of
/// `control`'s progress; cancelled, it stops within a run.
pub fn simulate(
    operators: &[Operator],
    originals: &[(String, usize)],
    seed: u64,
    runs: u64,
    lexicon: &Lexicon,
    control: Control,
) -> Result<Vec<Vec<Point>>, Interrupted> {
    simulate_from(operators, originals, seed, 0, runs, lexicon, control)
}

/// [`simulate`] with run numbers from `first`.
fn simulate_from(
    operators: &[Operator],
    originals: &[(String, usize)],
    seed: u64,
    first: u64,
    runs: u64,
    lexicon: &Lexicon,
    control: Control,
) -> Result<Vec<Vec<Point>>, Interrupted> {
    let prepared: Vec<Words> = originals.iter().map(|(o, _)| Words::new(o, lexicon)).collect();
    let one_run = |k: u64| -> Result<Vec<Point>, Interrupted> {
        control.cancel.check()?;
        let i = (k % originals.len() as u64) as usize;
        let (original, generations) = &originals[i];
        let texts = retell(operators, original, *generations, seed, first + k, lexicon);
        let mut heard = prepared[i].clone();
        let mut points = Vec::with_capacity(*generations);
        for text in &texts[1..] {
            let told = Words::new(text, lexicon);
            points.push(curves::point(&prepared[i], &heard, &told));
            heard = told;
        }
        (control.progress)(1);
        Ok(points)
    };
    let mut out = Vec::with_capacity(runs as usize);
    crate::montecarlo::monte_carlo(runs, one_run, |points| out.push(points))?;
    Ok(out)
}

/// The curves of simulated runs, generation by generation, and their intact rate by length.
struct Summary {
    bands: [Vec<Band>; CURVES],
    fit: [Vec<(f64, f64)>; CURVES],
    intact: [Tally; BINS],
}

/// The bands of each curve at each generation across simulated runs, and what the fit
/// matches.
fn summarise(runs: &[Vec<Point>], generations: usize) -> Summary {
    let mut bands: [Vec<Band>; CURVES] = Default::default();
    let mut fit: [Vec<(f64, f64)>; CURVES] = Default::default();
    for g in 1..=generations {
        let at: Vec<&Point> = runs.iter().filter_map(|r| r.get(g - 1)).collect();
        for curve in Curve::ALL {
            let values: Vec<f64> = at.iter().map(|p| p[curve]).collect();
            bands[curve.index()].push(curves::band(&values));
            fit[curve.index()].push(curves::fit_value(curve, &values));
        }
    }
    Summary { bands, fit, intact: curves::intact_by_length(runs.iter().flatten()) }
}

/// The smallest standard error a point is weighted with: a curve that does not vary at all
/// (the order of a one-sentence remark) must not weigh infinitely.
const MIN_ERROR: f64 = 0.005;

/// What the fit minimises. For observed chains, the squared differences of every curve's
/// mean at every generation (length's on a log scale: see [`curves::fit_value`]), each divided
/// by the variance of that difference (observed and simulated standard errors): precise
/// points count for more than noisy ones, as in weighted least squares. (A median of short
/// texts jumps from one plateau to the next and would strand the search.) For the published
/// figures, which are medians without errors and come with a tolerance, the squared
/// differences of the medians, and a steep penalty on any difference beyond
/// [`PENALTY_FROM`] of the tolerance: a fit within ±0.05 everywhere beats one closer on
/// average with one point outside. The intact rate by length counts like a curve: in each bin
/// with enough observed retellings, the squared difference of the rates over the variance of
/// that difference (binomial standard errors).
fn objective(simulated: &Summary, targets: &Targets) -> f64 {
    objective_of(simulated, targets, |_| true, true)
}

/// [`objective`] over the curves `curves` picks, and the intact rates when `intact`.
fn objective_of(simulated: &Summary, targets: &Targets, curves: impl Fn(Curve) -> bool, intact: bool) -> f64 {
    let mut sum = 0.0;
    for (observed, sim) in targets.intact.iter().zip(&simulated.intact).filter(|_| intact) {
        if let (true, Some((obs, obs_se)), Some((rate, se))) = (observed.scored(), observed.fit(), sim.fit()) {
            sum += (rate - obs).powi(2) / (se.powi(2) + obs_se.powi(2) + MIN_ERROR.powi(2));
        }
    }
    for curve in Curve::ALL.into_iter().filter(|&c| curves(c)) {
        for (g, band) in simulated.bands[curve.index()].iter().enumerate() {
            match (targets.spread(curve, g + 1), targets.median(curve, g + 1)) {
                (Some(observed), _) => {
                    let (sim, sim_se) = simulated.fit[curve.index()][g];
                    let (obs, obs_se) = observed.fit;
                    sum += (sim - obs).powi(2) / (sim_se.powi(2) + obs_se.powi(2) + MIN_ERROR.powi(2));
                }
                (None, Some(median)) => {
                    let r = band.median - median;
                    let excess = (r.abs() - PENALTY_FROM * published::TOLERANCE).max(0.0);
                    sum += r.powi(2) + PENALTY * excess.powi(2);
                }
                (None, None) => {}
            }
        }
    }
    sum
}

/// Where the penalty on a published point starts, as a share of the tolerance.
const PENALTY_FROM: f64 = 0.8;
/// How much steeper than the squared difference the penalty rises.
const PENALTY: f64 = 100.0;

/// `operators` with the knobs set to `values`.
fn with_values(operators: &[Operator], knobs: &[Knob], values: &[f64]) -> Vec<Operator> {
    let mut ops = operators.to_vec();
    for (knob, &v) in knobs.iter().zip(values) {
        if let Some(op) = ops.iter_mut().find(|o| o.kind == knob.operator) {
            op.set_param(knob.param, v);
            if knob.ties() {
                for &(param, ratio) in &knob.tied {
                    op.set_param(param, ((v * ratio).min(1.0) * 100.0).round() / 100.0);
                }
            }
        }
    }
    ops
}

/// Fits (or, under [`Mode::Check`], only compares) the preset `base` to `targets`. Every
/// simulated run counts one unit of `control`'s progress (how many the fit needs is not known
/// before it ends); cancelled, it stops within a run.
pub fn calibrate(
    base_name: &str,
    name: &str,
    base: &[Operator],
    targets: Targets,
    lexicon: &Lexicon,
    settings: FitSettings,
    control: Control,
) -> Result<Calibration, Interrupted> {
    let (knobs, fixed) = knobs(base, &targets, settings);
    let generations = targets.generations();
    let n = targets.originals.len().max(1) as u64;
    let runs = settings.runs.div_ceil(n) * n;
    let simulated = |ops: &[Operator]| simulate(ops, &targets.originals, settings.seed, runs, lexicon, control);
    // the search cannot stop halfway: once cancelled, every candidate scores +∞ without being
    // simulated, so it winds down in a few steps, and the interruption is returned after it
    let evaluate = |ops: &[Operator]| simulated(ops).map_or_else(|_| None, |runs| Some(summarise(&runs, generations)));
    // the published figures also say how often a two-word remark passes on intact: the fit
    // weighs that like a point of a curve, which pins down how nearly verbatim very short
    // messages go. (The twelve-word figure, from remarks passed on in conversation, pulls
    // against the story chains at the same length, about twenty words, and is only reported.)
    let short_term = |ops: &[Operator]| {
        if !targets.published {
            return 0.0;
        }
        match short_remarks(ops, settings, lexicon, control) {
            Ok((two_words, _)) => (two_words - published::SHORT_MESSAGES.two_words_intact).powi(2),
            Err(Interrupted) => f64::INFINITY,
        }
    };
    // each measured parameter first, on its own curve; then the rest together
    let search = |base: &[Operator], knobs: &[Knob], only: Option<Curve>| -> (Vec<Operator>, usize) {
        if knobs.is_empty() {
            return (base.to_vec(), 0);
        }
        let start: Vec<f64> = knobs
            .iter()
            .map(|k| k.position(base.iter().find(|o| o.kind == k.operator).and_then(|o| o.param(k.param)).unwrap_or(0.5)))
            .collect();
        let found = fit::minimise(&start, |u| {
            let values: Vec<f64> = knobs.iter().zip(u).map(|(k, &x)| k.value(x)).collect();
            let ops = with_values(base, knobs, &values);
            match (evaluate(&ops), only) {
                (None, _) => f64::INFINITY,
                (Some(sim), Some(curve)) => objective_of(&sim, &targets, |c| c == curve, false),
                (Some(sim), None) => objective(&sim, &targets) + short_term(&ops),
            }
        });
        let values: Vec<f64> = knobs.iter().zip(&found.at).map(|(k, &x)| k.value(x)).collect();
        (with_values(base, knobs, &values), found.evaluations)
    };
    let mut alone: Vec<OperatorKind> = knobs.iter().filter(|k| k.alone).map(|k| k.operator).collect();
    alone.dedup();
    let fit_alone = |mut fitted: Vec<Operator>, mut evaluations: usize| {
        for &kind in &alone {
            let own: Vec<Knob> = knobs.iter().filter(|k| k.alone && k.operator == kind).cloned().collect();
            let (ops, n) = search(&fitted, &own, Some(own[0].needs));
            (fitted, evaluations) = (ops, evaluations + n);
        }
        (fitted, evaluations)
    };
    let (fitted, evaluations) = fit_alone(base.to_vec(), 0);
    let joint: Vec<Knob> = knobs.iter().filter(|k| !k.alone).cloned().collect();
    let (ops, n) = search(&fitted, &joint, None);
    // how often a hedge shows depends on how long the retellings are, which the joint fit has
    // just settled: the measured parameters are fitted again on the final lengths
    let (fitted, evaluations) = if joint.is_empty() { (ops, evaluations + n) } else { fit_alone(ops, evaluations + n) };
    control.cancel.check()?;
    let Summary { bands: simulated, fit: simulated_fit, intact: simulated_intact } = summarise(&simulated(&fitted)?, generations);
    let short = if targets.published { Some(short_messages(&fitted, settings, lexicon, control)?) } else { None };
    Ok(Calibration {
        base_name: base_name.to_string(),
        name: name.to_string(),
        base: base.to_vec(),
        fitted,
        knobs,
        fixed,
        targets,
        simulated,
        simulated_fit,
        simulated_intact,
        runs,
        evaluations,
        settings,
        short,
    })
}

/// Streams for the short remarks start here, far from the stories' runs.
const SHORT_RUNS: u64 = 1 << 40;

/// How `operators` do on drift's short remarks (one retelling each, `settings.runs` times in
/// all) and on its stories (two retellings).
pub fn short_messages(
    operators: &[Operator],
    settings: FitSettings,
    lexicon: &Lexicon,
    control: Control,
) -> Result<ShortMessages, Interrupted> {
    let (two_words_intact, twelve_words_intact) = short_remarks(operators, settings, lexicon, control)?;
    let stories: Vec<(String, usize)> = published::stories().iter().map(|s| (s.text.clone(), 2)).collect();
    let lengths: Vec<usize> = stories.iter().map(|(s, _)| Words::new(s, lexicon).len).collect();
    let runs = simulate(operators, &stories, settings.seed, settings.runs, lexicon, control)?;
    let under = runs.iter().enumerate().filter(|(k, r)| (r[1][Curve::Length] * lengths[k % lengths.len()] as f64).round() < 100.0).count();
    Ok(ShortMessages { two_words_intact, twelve_words_intact, long_under_100_after_two: under as f64 / runs.len().max(1) as f64 })
}

/// The shares of drift's two- and twelve-content-word remarks passed on intact (every content
/// word kept) after one retelling.
fn short_remarks(operators: &[Operator], settings: FitSettings, lexicon: &Lexicon, control: Control) -> Result<(f64, f64), Interrupted> {
    let intact = |remarks: &[String], first: u64| -> Result<f64, Interrupted> {
        let originals: Vec<(String, usize)> = remarks.iter().map(|r| (r.clone(), 1)).collect();
        let runs = simulate_from(operators, &originals, settings.seed, first, settings.runs, lexicon, control)?;
        let whole = runs.iter().filter(|r| r[0].intact()).count();
        Ok(whole as f64 / runs.len().max(1) as f64)
    };
    Ok((intact(published::two_word_remarks(), SHORT_RUNS)?, intact(published::twelve_word_remarks(), 2 * SHORT_RUNS)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chains(generations: &[usize]) -> Vec<Chain> {
        generations
            .iter()
            .enumerate()
            .map(|(i, &g)| Chain { id: i.to_string(), texts: (0..=g).map(|k| format!("Text {k} of chain {i}.")).collect() })
            .collect()
    }

    #[test]
    fn each_operator_draws_from_a_part_of_the_stream_of_its_own() {
        let mut offsets: Vec<(u128, &str)> = OperatorKind::ALL.iter().map(|&k| (operator_stream_offset(k), k.name())).collect();
        offsets.sort();
        for pair in offsets.windows(2) {
            assert_ne!(pair[0].0, pair[1].0, "operators `{}` and `{}` share a part of the stream: rename one", pair[0].1, pair[1].1);
        }
        // every part lies inside the hop's 2^48 words, and is keyed by the name alone
        assert!(offsets.iter().all(|(o, _)| *o < 1 << 48));
        assert_eq!(operator_stream_offset(OperatorKind::Omit), u128::from(crate::hash::fnv1a(b"omit") % (1 << 16)) << 32);
    }

    #[test]
    fn deep_generations_a_handful_of_chains_reach_are_not_compared() {
        // 400 chains: 5 % is 20, more than 10; generation 4 is reached by 19
        let mut g = vec![3; 381];
        g.extend([4; 19]);
        assert_eq!(Cap::of(&chains(&g)), Cap { compared: 3, deepest: 4, min_chains: 20 });
        // 100 chains: 10
        let mut g = vec![2; 90];
        g.extend([5; 10]);
        assert_eq!(Cap::of(&chains(&g)), Cap { compared: 5, deepest: 5, min_chains: 10 });
        // a few chains: half of them
        assert_eq!(Cap::of(&chains(&[1, 2, 2, 3, 6])), Cap { compared: 2, deepest: 6, min_chains: 3 });
        assert_eq!(Cap::of(&chains(&[4])), Cap { compared: 4, deepest: 4, min_chains: 1 });
        let cap = Cap::of(&chains(&[1, 2, 2, 3, 6]));
        assert!(cap.cuts());
        assert_eq!(cap.texts(&chains(&[6])[0]).len(), 3);
    }

    #[test]
    fn the_knobs_come_from_the_table() {
        let retell = crate::presets::find("retell").unwrap().operators();
        let targets = Targets::published();
        let settings = FitSettings { seed: 1, runs: 10, mode: Mode::Rates, omit_levels: false };
        let (fitted, fixed) = knobs(&retell, &targets, settings);
        // the published figures have no word order: reorder is kept; nor hedges: elaborate is
        assert_eq!(fitted.iter().map(Knob::path).collect::<Vec<_>>(), ["omit.sentence", "paraphrase"]);
        assert_eq!(fitted[0].tied.iter().map(|t| t.0).collect::<Vec<_>>(), [Param::Clause, Param::Detail]);
        assert!(fixed.iter().any(|(k, why)| k.path() == "reorder" && why.contains("word-order")));
        let levels = FitSettings { omit_levels: true, ..settings };
        let (fitted, _) = knobs(&retell, &targets, levels);
        assert_eq!(fitted.iter().map(Knob::path).collect::<Vec<_>>(), ["omit.clause", "omit.sentence", "omit.detail", "paraphrase"]);
        // elaborate is fitted alone, to the hedges people add, which chains show
        assert!(fixed.iter().any(|(k, _)| k.path() == "elaborate" && k.alone && k.needs == Curve::Hedged));
        assert!(fitted.iter().all(|k| !k.ties()));
        // every listed parameter is one its operator has
        for f in FIT_PARAMS {
            assert!(f.param == Param::Rate || f.operator.number_params().contains(&f.param), "{f:?}");
        }
    }
}
