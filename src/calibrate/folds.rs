//! Cross-validation by original (`drift calibrate --folds K`): how well a preset fitted to some
//! texts predicts people's retellings of texts it has never seen.
//!
//! Chains are grouped by their original (generation 0, trimmed): in Gistr a quote starts many
//! chains, and chains of one tree share their first retellings, so a fold split by chain or by
//! row would test the fit on texts it was fitted to. The originals are sorted by a stable hash
//! of their text and dealt round-robin into K folds; every chain of an original lands in its
//! fold. For each fold the preset is fitted, as an ordinary fit is, on the chains of the other
//! folds (under `--check` it is taken as it is), and the fold's originals are retold with it
//! and compared with what people did with them. Everything is then pooled over the held-out
//! folds: each observed chain is held out exactly once.
//!
//! Two no-skill baselines are judged on the same held-out chains: `copy`, every person passing
//! on exactly what they heard (the curves measured on chains that repeat their original; for
//! the intact rate, on a copy of each text people heard, so that it falls in the same bins),
//! and `training average`, each held-out point predicted by the training folds' observed mean
//! at that generation or bin.
//!
//! Pooled over the folds, the training average is all but exact by construction (with folds of
//! about the same size, the average of "everyone else's mean" is everyone's mean): it shows
//! what a root mean square of pooled means can reach with no skill at all. Fold by fold, the
//! same comparison at each fold's own held-out means ([`FOLD_MIN`] observations or more) tells
//! apart a preset that follows the texts it retells (short quotes kept whole, long stories
//! cut) from an average that does not.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{At, BINS, Cap, Chain, Curve, Differences, Family, FitSettings, Knob, Point, Targets, Words, curves};
use crate::interrupt::Interrupted;
use crate::lexicon::Lexicon;
use crate::montecarlo::Control;
use crate::operators::Operator;

/// A stable 64-bit hash of an original (FNV-1a over its trimmed UTF-8), the same on every
/// platform and in every version of Rust.
pub fn original_hash(text: &str) -> u64 {
    crate::hash::fnv1a(text.trim().as_bytes())
}

/// The distinct originals of `chains` (trimmed), in the order the folds deal them: by
/// [`original_hash`], ties by the text.
pub fn originals(chains: &[Chain]) -> Vec<&str> {
    let mut texts: Vec<&str> = chains.iter().map(|c| c.texts[0].trim()).collect();
    texts.sort_by(|a, b| original_hash(a).cmp(&original_hash(b)).then(a.cmp(b)));
    texts.dedup();
    texts
}

/// The fold (0 to `k` − 1) of each chain: its original's place in [`originals`], modulo `k`.
/// No original is in two folds.
pub fn assign(chains: &[Chain], k: usize) -> Vec<usize> {
    let order: BTreeMap<&str, usize> = originals(chains).into_iter().enumerate().map(|(i, t)| (t, i % k.max(1))).collect();
    chains.iter().map(|c| order[c.texts[0].trim()]).collect()
}

/// One fold: what was held out and what the preset was fitted to be without it.
#[derive(Debug, Clone)]
pub struct Fold {
    pub originals: usize,
    pub chains: usize,
    /// The preset fitted on the other folds (the base under `--check`).
    pub fitted: Vec<Operator>,
    /// Candidates the fit tried.
    pub evaluations: usize,
}

/// Means and medians of a sample on the curve's own scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    /// What the fit matches ([`curves::fit_value`], length's geometric mean as a ratio); for the
    /// intact rate, the rate.
    pub mean: f64,
    /// The median (none for the intact rate).
    pub median: Option<f64>,
    /// How many values.
    pub n: usize,
}

/// A fold's held-out mean at a point counts fold by fold when it rests on this many observed
/// chains (for the intact rate, [`curves::MIN_BIN_HOPS`] retellings).
pub const FOLD_MIN: usize = 10;

/// One fold's held-out means at a point, on the curve's own scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FoldPoint {
    pub fold: usize,
    /// Observed values (chains or retellings) held out here.
    pub n: usize,
    pub observed: f64,
    pub drift: Option<f64>,
    pub copy: Option<f64>,
    pub training: Option<f64>,
}

impl FoldPoint {
    pub fn difference(&self, by: Predictor) -> Option<f64> {
        let predicted = match by {
            Predictor::Drift => self.drift,
            Predictor::Copy => self.copy,
            Predictor::TrainingAverage => self.training,
        };
        Some(predicted? - self.observed).filter(|d| d.is_finite())
    }
}

/// One point of a family, pooled over the held-out folds.
#[derive(Debug, Clone, PartialEq)]
pub struct Pooled {
    pub at: At,
    pub observed: Stat,
    pub drift: Option<Stat>,
    pub copy: Option<Stat>,
    /// The training folds' mean at this point, averaged over the held-out chains (or
    /// retellings) it predicts.
    pub training: Option<f64>,
    /// True when the point is judged: every generation compared, a bin of the intact rate with
    /// [`curves::MIN_BIN_HOPS`] observed retellings or more.
    pub scored: bool,
    /// Each fold's own held-out means here, for the folds with enough observations.
    pub by_fold: Vec<FoldPoint>,
}

/// What a pooled point is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predictor {
    Drift,
    Copy,
    TrainingAverage,
}

impl Predictor {
    pub const ALL: [Predictor; 3] = [Predictor::Drift, Predictor::Copy, Predictor::TrainingAverage];

    pub fn name(self) -> &'static str {
        match self {
            Predictor::Drift => "drift",
            Predictor::Copy => "copy",
            Predictor::TrainingAverage => "training_average",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Predictor::Drift => "drift",
            Predictor::Copy => "copy",
            Predictor::TrainingAverage => "training average",
        }
    }
}

impl Pooled {
    /// The predictor's mean here.
    pub fn predicted(&self, by: Predictor) -> Option<f64> {
        match by {
            Predictor::Drift => self.drift.map(|s| s.mean),
            Predictor::Copy => self.copy.map(|s| s.mean),
            Predictor::TrainingAverage => self.training,
        }
    }

    /// The predictor's mean minus the observed mean.
    pub fn difference(&self, by: Predictor) -> Option<f64> {
        Some(self.predicted(by)? - self.observed.mean).filter(|d| d.is_finite())
    }
}

/// The result of `--folds`.
#[derive(Debug, Clone)]
pub struct CrossValidation {
    pub folds: Vec<Fold>,
    /// The knobs fitted (the same in every fold); empty under `--check`.
    pub knobs: Vec<Knob>,
    pub cap: Cap,
    /// Distinct originals and chains in all.
    pub originals: usize,
    pub chains: usize,
    /// Simulated chains per held-out chain.
    pub runs_per_chain: u64,
    /// Per family, its points pooled over the held-out folds.
    pub families: Vec<(Family, Vec<Pooled>)>,
}

impl CrossValidation {
    /// A predictor's differences on each family, at the points scored.
    pub fn differences(&self, by: Predictor) -> Vec<Differences> {
        self.families
            .iter()
            .map(|(family, points)| Differences {
                family: *family,
                points: points.iter().filter(|p| p.scored).filter_map(|p| Some((p.at, p.difference(by)?))).collect(),
            })
            .collect()
    }

    /// A predictor's differences fold by fold: at every point, each fold's held-out mean
    /// against its own prediction.
    pub fn fold_differences(&self, by: Predictor) -> Vec<Differences> {
        self.families
            .iter()
            .map(|(family, points)| Differences {
                family: *family,
                points: points.iter().flat_map(|p| p.by_fold.iter().filter_map(move |f| Some((p.at, f.difference(by)?)))).collect(),
            })
            .collect()
    }

    /// The mean of the folds' fitted values of `knob`.
    pub fn mean_fitted(&self, knob: &Knob) -> Option<f64> {
        let values: Vec<f64> = self.folds.iter().filter_map(|f| knob.value_in(&f.fitted)).collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    }
}

/// Per (family, point): the observed values of the held-out chains, drift's, copy's, and the
/// training mean predicting each observed value (for curves in [`curves::fit_value`]'s scale).
#[derive(Default)]
struct Pool {
    observed: Vec<f64>,
    drift: Vec<f64>,
    copy: Vec<f64>,
    training: Vec<f64>,
    by_fold: Vec<FoldPoint>,
}

impl Pool {
    /// Adds one fold's values here.
    fn add(&mut self, family: Family, fold: usize, observed: Vec<f64>, drift: Vec<f64>, copy: Vec<f64>, training: Option<f64>) {
        let enough = match family {
            Family::Curve(_) => FOLD_MIN,
            Family::IntactByLength => curves::MIN_BIN_HOPS,
        };
        if observed.len() >= enough {
            self.by_fold.push(FoldPoint {
                fold,
                n: observed.len(),
                observed: natural_mean(family, &observed).unwrap_or(f64::NAN),
                drift: natural_mean(family, &drift),
                copy: natural_mean(family, &copy),
                training: training.map(|t| natural(family, t)),
            });
        }
        if let Some(t) = training {
            self.training.extend(std::iter::repeat_n(t, observed.len()));
        }
        self.observed.extend(observed);
        self.drift.extend(drift);
        self.copy.extend(copy);
    }
}

/// What [`curves::fit_value`] matches of `values`, on the curve's own scale (the rate, for the
/// intact rate).
fn natural_mean(family: Family, values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(match family {
        Family::Curve(curve) => curves::natural(curve, curves::fit_value(curve, values).0),
        Family::IntactByLength => values.iter().sum::<f64>() / values.len() as f64,
    })
}

/// A mean in [`curves::fit_value`]'s scale back on the curve's own.
fn natural(family: Family, fitted: f64) -> f64 {
    match family {
        Family::Curve(curve) => curves::natural(curve, fitted),
        Family::IntactByLength => fitted,
    }
}

/// Cross-validates `base` on `chains` in `k` folds by original (see the module's notes). The
/// chains are compared up to `cap`; `fit` fits a preset to training targets (an ordinary
/// calibration) and returns it with its knobs and how many candidates it tried.
pub fn cross_validate(
    chains: &[Chain],
    k: usize,
    cap: Cap,
    lexicon: &Lexicon,
    settings: FitSettings,
    control: Control,
    fit: impl Fn(Targets) -> Result<(Vec<Operator>, Vec<Knob>, usize), Interrupted>,
) -> Result<CrossValidation, Interrupted> {
    let fold_of = assign(chains, k);
    let runs_per_chain = settings.runs.div_ceil(chains.len().max(1) as u64).max(1);
    let mut pools: BTreeMap<(Family, At), Pool> = BTreeMap::new();
    let mut folds = Vec::with_capacity(k);
    let mut knobs = Vec::new();
    for f in 0..k {
        let in_fold = |want: bool| -> Vec<Chain> {
            chains.iter().zip(&fold_of).filter(|(_, g)| (**g == f) == want).map(|(c, _)| c.clone()).collect()
        };
        let (held, training) = (in_fold(true), in_fold(false));
        let targets = Targets::observed_to(format!("fold {} of {k}: training", f + 1), &training, cap, lexicon);
        let (fitted, fold_knobs, evaluations) = fit(targets.clone())?;
        knobs = fold_knobs;
        // the held-out chains: as people retold them, as drift retells them, as a copy
        let observed: Vec<Vec<Point>> = held.par_iter().map(|c| curves::measure(cap.texts(c), lexicon)).collect();
        let originals: Vec<(String, usize)> = held.iter().zip(&observed).map(|(c, m)| (c.texts[0].clone(), m.len())).collect();
        let simulated = if originals.is_empty() {
            Vec::new()
        } else {
            super::simulate(&fitted, &originals, settings.seed, runs_per_chain * originals.len() as u64, lexicon, control)?
        };
        let copied: Vec<Vec<Point>> = originals.par_iter().map(|(o, g)| curves::measure(&vec![o.clone(); g + 1], lexicon)).collect();
        let copied_hops: Vec<Point> = held
            .par_iter()
            .flat_map_iter(|c| {
                let words: Vec<Words> = cap.texts(c).iter().map(|t| Words::new(t, lexicon)).collect();
                let original = words[0].clone();
                words[..words.len() - 1].iter().map(|h| curves::point(&original, h, h)).collect::<Vec<_>>()
            })
            .collect();
        for curve in Curve::ALL {
            let family = Family::Curve(curve);
            for g in 1..=cap.compared {
                let at = |runs: &[Vec<Point>]| runs.iter().filter_map(|r| r.get(g - 1)).map(|p| p[curve]).collect::<Vec<f64>>();
                // the training folds' mean here (or at the deepest generation before it they reach)
                let training = (1..=g).rev().find_map(|h| targets.spread(curve, h)).map(|s| s.fit.0);
                let pool = pools.entry((family, At::Generation(g))).or_default();
                pool.add(family, f, at(&observed), at(&simulated), at(&copied), training);
            }
        }
        let intact = |p: &Point| if p.intact() { 1.0 } else { 0.0 };
        for (b, tally) in targets.intact.iter().enumerate() {
            let in_bin = |p: &&Point| curves::intact_bin(p.heard_content) == Some(b);
            // the training rate here, or in the nearest bin with retellings
            let nearest = (0..BINS).filter(|&c| targets.intact[c].hops > 0).min_by_key(|&c| (c.abs_diff(b), c));
            let training = tally.rate().or_else(|| nearest.and_then(|c| targets.intact[c].rate()));
            let pool = pools.entry((Family::IntactByLength, At::Bin(b))).or_default();
            pool.add(
                Family::IntactByLength,
                f,
                observed.iter().flatten().filter(in_bin).map(intact).collect(),
                simulated.iter().flatten().filter(in_bin).map(intact).collect(),
                copied_hops.iter().filter(in_bin).map(intact).collect(),
                training,
            );
        }
        folds.push(Fold { originals: originals_in(&held), chains: held.len(), fitted, evaluations });
    }
    let families = Family::ALL
        .into_iter()
        .map(|family| {
            let points = pools
                .range((family, At::Generation(0))..=(family, At::Bin(usize::MAX)))
                .filter(|(_, pool)| !pool.observed.is_empty())
                .map(|(&(_, at), pool)| pooled(family, at, pool))
                .collect();
            (family, points)
        })
        .filter(|(_, points): &(Family, Vec<Pooled>)| !points.is_empty())
        .collect();
    Ok(CrossValidation { folds, knobs, cap, originals: originals(chains).len(), chains: chains.len(), runs_per_chain, families })
}

fn originals_in(chains: &[Chain]) -> usize {
    originals(chains).len()
}

/// A pool's statistics.
fn pooled(family: Family, at: At, pool: &Pool) -> Pooled {
    let stat = |values: &[f64]| -> Option<Stat> {
        let median = match family {
            Family::Curve(_) => Some(curves::band(values).median),
            Family::IntactByLength => None,
        };
        Some(Stat { mean: natural_mean(family, values)?, median, n: values.len() })
    };
    let training = (!pool.training.is_empty()).then(|| natural(family, pool.training.iter().sum::<f64>() / pool.training.len() as f64));
    let scored = match family {
        Family::Curve(_) => true,
        Family::IntactByLength => pool.observed.len() >= curves::MIN_BIN_HOPS,
    };
    Pooled {
        at,
        observed: stat(&pool.observed).expect("a pooled point has observations"),
        drift: stat(&pool.drift),
        copy: stat(&pool.copy),
        training,
        scored,
        by_fold: pool.by_fold.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chain(id: &str, texts: &[&str]) -> Chain {
        Chain { id: id.to_string(), texts: texts.iter().map(|t| t.to_string()).collect() }
    }

    #[test]
    fn folds_deal_whole_originals_round_robin_by_hash() {
        let chains: Vec<Chain> =
            (0..30).map(|i| chain(&format!("c{i}"), &[&format!(" Original number {}. ", i % 7), "A retelling."])).collect();
        let folds = assign(&chains, 3);
        // chains of one original (compared trimmed) share a fold
        for (a, fa) in chains.iter().zip(&folds) {
            for (b, fb) in chains.iter().zip(&folds) {
                if a.texts[0].trim() == b.texts[0].trim() {
                    assert_eq!(fa, fb);
                }
            }
        }
        // 7 originals in 3 folds: 3, 2 and 2 of them
        let mut per_fold = [std::collections::BTreeSet::new(), Default::default(), Default::default()];
        for (c, &f) in chains.iter().zip(&folds) {
            per_fold[f].insert(c.texts[0].trim().to_string());
        }
        assert_eq!(per_fold.map(|s| s.len()), [3, 2, 2]);
        // the same whatever order the chains come in
        let mut reversed = chains.clone();
        reversed.reverse();
        let mut again = assign(&reversed, 3);
        again.reverse();
        assert_eq!(folds, again);
        assert_eq!(original_hash("abc"), 0xe71fa2190541574b, "FNV-1a 64");
    }

    proptest! {
        #[test]
        fn no_original_is_in_two_folds(originals in proptest::collection::vec(0usize..12, 1..60), k in 2usize..7) {
            let chains: Vec<Chain> = originals.iter().enumerate().map(|(i, o)| chain(&i.to_string(), &[&format!("text {o}"), "told"])).collect();
            let folds = assign(&chains, k);
            let mut fold_of: BTreeMap<&str, usize> = BTreeMap::new();
            for (c, &f) in chains.iter().zip(&folds) {
                prop_assert!(f < k);
                prop_assert_eq!(*fold_of.entry(c.texts[0].as_str()).or_insert(f), f);
            }
            // the folds are as even as whole originals allow
            let distinct = fold_of.len();
            for f in 0..k {
                let n = fold_of.values().filter(|&&g| g == f).count();
                prop_assert!(n == distinct / k || n == distinct.div_ceil(k));
            }
        }
    }
}
