//! Many runs → bands: the percentiles of every score at every hop, the counterfactual blame,
//! and the customer's own figures, computed once so that charts and outputs only read them.
//!
//! Memory is proportional to hops × series, not to runs or threads: each series is a fixed
//! histogram ([`crate::stats::Histogram`]). Runs are simulated in fixed batches of
//! [`BATCH`] on all workers and each batch's scores are added to the one set of histograms in
//! run order; counts and sums are integers, so the result is the same bytes on any number of
//! threads.

/// The smallest median counterfactual gain that names a hop worth fixing first: one point of
/// 100 of the headline metric, as printed (0.95 rounds to 1.0 and counts). Less is below what
/// anyone would act on, and on a long chain mostly noise.
pub const WORTH_FIXING: f64 = 0.01;

pub use crate::montecarlo::BATCH;

use crate::interrupt::Interrupted;
use crate::lexicon::Lexicon;
use crate::montecarlo::Plan;
use crate::scenario::Scenario;
use crate::scoring::{HopScores, Scorer};
use crate::simulate::{Trace, final_without_cancellable, run_chain_cancellable};
use crate::stats::{Band, Histogram};

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
    /// How many distinct content words the customer's words have (the `words` chart's scale).
    pub content_words: usize,
}

impl Analysis {
    /// The traced run's hop (0-based) with the largest fall of the headline metric, and the
    /// fall. `None` when no hop lowered it.
    pub fn costliest_traced_hop(&self) -> Option<(usize, f64)> {
        costliest_in(&self.scores)
    }

    /// The hop (0-based) whose pass-through would raise the final headline the most (median,
    /// then mean), when the counterfactual was computed and some hop would help by at least
    /// [`WORTH_FIXING`] in the median run.
    pub fn worth_fixing_first(&self) -> Option<(usize, Band)> {
        self.bands
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.gain.map(|g| (i, g)))
            // a fraction of a point is not a reason to fix a hop: on most chains it is the
            // bands' noise (a bin's leftover, or a gain in a handful of runs)
            .filter(|(_, g)| (g.median * 1000.0).round() >= (WORTH_FIXING * 1000.0).round())
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
        self.bands.iter().enumerate().map(|(i, b)| (i, b.drop.median)).filter(|(_, m)| *m > crate::stats::SIGNED_RESOLUTION).fold(
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

/// What `drift run` computes: the runs to draw, and whether to measure the blame.
#[derive(Debug, Clone, Copy)]
pub struct RunSettings {
    pub plan: Plan,
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
/// trace. Runs go in batches of [`BATCH`] shared by all workers, each batch's
/// scores added to one set of histograms in run order, so memory grows neither with runs
/// nor with threads and results do not depend on the number of workers. `control`'s
/// progress is called with the number of runs just finished; the work stops within an
/// operator's step once its cancel is cancelled.
pub fn analyse(
    scenario: &Scenario,
    lexicon: &Lexicon,
    settings: RunSettings,
    control: crate::montecarlo::Control,
) -> Result<Analysis, Interrupted> {
    let RunSettings { plan: Plan { seed, runs, engine }, counterfactual } = settings;
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
        content_words: crate::metrics::Prepared::new(scenario.customer.told(), lexicon).content.len(),
    })
}
