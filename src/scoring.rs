//! Scoring a simulated chain: every hop of a [`Trace`] against the customer's words, with the
//! scenario's metrics, the symptoms and the three P's. It sits above the metrics (what a score
//! is) and the simulation (what a trace is), so neither needs the other; everything that turns
//! runs into numbers (`run`, `compare`, `sweep`, `play`) scores through one [`Scorer`].

use crate::interrupt::{Cancel, Interrupted, uncancelled};
use crate::lexicon::Lexicon;
use crate::metrics::{Engine, Metric, Pattern, Prepared, codes_of, meaning};
use crate::scenario::Scenario;
use crate::simulate::Trace;

/// Every score of one hop.
#[derive(Debug, Clone, PartialEq)]
pub struct HopScores {
    /// Per scenario metric, in the scenario's order: against the customer's words.
    pub vs_customer: Vec<f64>,
    /// Per scenario metric: against the message the hop received.
    pub vs_previous: Vec<f64>,
    /// Against the customer: see [`SymptomWords::against`].
    pub jargon: f64,
    pub we_focus: f64,
    /// How much of each of the customer's three P's that is given is still said (`meaning`,
    /// recall alone: see [`meaning::MeaningPattern::still_said`]).
    pub three_ps: Vec<f64>,
    /// `customer_words` against the customer's words, whatever the scenario's metrics (the
    /// `words` chart shows it).
    pub words: f64,
}

/// Scores traces of one scenario: the customer's words (and three P's) prepared once.
pub struct Scorer<'a> {
    lexicon: &'a Lexicon,
    metrics: Vec<Metric>,
    engine: Engine,
    customer: Pattern,
    three_ps: Vec<meaning::MeaningPattern>,
    /// Where `customer_words` sits in the scenario's metrics, if it does.
    words_at: Option<usize>,
}

impl<'a> Scorer<'a> {
    pub fn new(scenario: &'a Scenario, lexicon: &'a Lexicon, engine: Engine) -> Scorer<'a> {
        Scorer {
            lexicon,
            metrics: scenario.metrics.clone(),
            engine,
            customer: Pattern::new(Prepared::new(scenario.customer.told(), lexicon)),
            three_ps: scenario.customer.three_ps().iter().map(|(_, p)| meaning::MeaningPattern::new(meaning::Meaning::of_str(p))).collect(),
            words_at: scenario.metrics.iter().position(|m| *m == Metric::CustomerWords),
        }
    }

    /// A scorer of one metric alone, for work that needs only the final headline (`compare`
    /// and `sweep` score every hop or run with `metric` and nothing else).
    pub fn of_metric(scenario: &Scenario, lexicon: &'a Lexicon, metric: Metric, engine: Engine) -> Scorer<'a> {
        Scorer {
            lexicon,
            metrics: vec![metric],
            engine,
            customer: Pattern::new(Prepared::new(scenario.customer.told(), lexicon)),
            three_ps: Vec::new(),
            words_at: (metric == Metric::CustomerWords).then_some(0),
        }
    }

    /// The headline metric of `text` against the customer's words.
    pub fn headline(&self, text: &str) -> f64 {
        let metric = self.metrics[0];
        if metric == Metric::Meaning {
            // the counterfactual asks this thousands of times: meaning needs only the words
            return self.customer.meaning_of(&meaning::Meaning::of_str(text));
        }
        // ... and a character metric only the codes
        self.engine
            .score_codes_against(metric, &self.customer, &codes_of(text))
            .unwrap_or_else(|| self.engine.score_against(metric, &self.customer, &Prepared::new(text, self.lexicon)))
    }

    /// Scores every hop of a trace. A hop that passed the message on unchanged gets the
    /// previous hop's scores without recomputing them.
    pub fn score_trace(&self, trace: &Trace) -> Vec<HopScores> {
        uncancelled(self.score_trace_cancellable(trace, &Cancel::new()))
    }

    /// [`Scorer::score_trace`] that stops between metrics and between hops once `cancel` is
    /// cancelled: on a long chain of long messages scoring one run takes seconds.
    pub fn score_trace_cancellable(&self, trace: &Trace, cancel: &Cancel) -> Result<Vec<HopScores>, Interrupted> {
        // each hop's text made ready, or None when it is the previous hop's text
        let prepared: Vec<Option<Prepared>> = trace
            .hops
            .iter()
            .enumerate()
            .map(|(i, hop)| {
                let unchanged = i > 0 && trace.hops[i - 1].text == hop.text;
                (!unchanged).then(|| Prepared::from_parsed(&hop.text, &hop.words, self.lexicon))
            })
            .collect();
        // against the customer, metric by metric, all the prepared hops at once (the engine
        // computes some several at a time), taken hop by hop below
        let texts: Vec<&Prepared> = prepared.iter().flatten().collect();
        // in slices of 16 hops (four of the engine's batches), so that Ctrl-C is seen within
        // a few long messages; distances are exact, so slicing changes no score
        let mut by_metric: Vec<Vec<f64>> = Vec::with_capacity(self.metrics.len());
        for &m in &self.metrics {
            let mut scores = Vec::with_capacity(texts.len());
            for slice in texts.chunks(16) {
                cancel.check()?;
                scores.extend(self.engine.score_many_against(m, &self.customer, slice));
            }
            by_metric.push(scores);
        }
        let mut out: Vec<HopScores> = Vec::with_capacity(trace.hops.len());
        let mut previous: Option<&Prepared> = None;
        let mut columns: Vec<std::slice::Iter<f64>> = by_metric.iter().map(|scores| scores.iter()).collect();
        for p in &prepared {
            cancel.check()?;
            let Some(prepared) = p else {
                let mut same = out.last().expect("the first hop is always prepared").clone();
                same.vs_previous = vec![1.0; self.metrics.len()];
                out.push(same);
                continue;
            };
            let vs_customer: Vec<f64> = columns.iter_mut().map(|c| *c.next().expect("a score per prepared hop")).collect();
            let vs_previous = match previous {
                None => vs_customer.clone(),
                Some(before) => self.metrics.iter().map(|m| self.engine.score(*m, before, prepared)).collect(),
            };
            let (jargon, we_focus) = prepared.symptoms_against(&self.customer.prepared);
            let words = match self.words_at {
                Some(k) => vs_customer[k],
                None => prepared.keeps_content_of(&self.customer.prepared),
            };
            let three_ps = self.three_ps.iter().map(|p| p.still_said(&prepared.meaning)).collect();
            out.push(HopScores { vs_customer, vs_previous, jargon, we_focus, three_ps, words });
            previous = Some(prepared);
        }
        Ok(out)
    }
}
