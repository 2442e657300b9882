//! The one Monte Carlo loop, shared by `run`'s bands, `compare`, `sweep` and anything else
//! that simulates many runs: runs go in fixed batches of [`BATCH`] shared by all workers, and
//! each batch's results are folded in run order. Memory holds one batch of results, however
//! many runs or threads there are, and the fold sees the same sequence on any number of
//! threads, so results are the same bytes.
//!
//! Progress and cancellation come in through a [`Control`], from whoever drives the work (the
//! command line's progress bar and Ctrl-C, a test's counters), never from globals.

use rayon::prelude::*;

use crate::interrupt::Cancel;
use crate::metrics::Engine;

/// Which runs a Monte Carlo command draws and how it scores them: `run`, `compare` and
/// `sweep` take one, so a seed, a number of runs and an engine mean the same everywhere, and
/// the same plan gives the same numbers on any number of threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub seed: u64,
    pub runs: u64,
    pub engine: Engine,
}

/// Runs simulated together before their results are folded: all workers share a batch, so
/// memory holds at most this many runs' results (and runs in flight), however many threads
/// there are. Batches end at fixed runs, never at a thread's share.
pub const BATCH: u64 = 256;

/// How a caller follows and stops the work.
#[derive(Clone, Copy)]
pub struct Control<'a> {
    /// Called with the number of units of work just finished (a unit is what the caller's
    /// progress total counts: one run, or one run of one variant).
    pub progress: &'a (dyn Fn(u64) + Sync),
    /// Once cancelled, the work stops within an operator's step.
    pub cancel: &'a Cancel,
}

impl<'a> Control<'a> {
    pub fn new(progress: &'a (dyn Fn(u64) + Sync), cancel: &'a Cancel) -> Control<'a> {
        Control { progress, cancel }
    }
}

/// Runs `one_run(run)` for every run in `0..runs` on the current rayon pool, in batches of
/// [`BATCH`], and hands each result to `fold` in run order. Stops at the first error (an
/// interruption; work that cannot fail says so with [`std::convert::Infallible`]).
pub fn monte_carlo<R: Send, E: Send>(runs: u64, one_run: impl Fn(u64) -> Result<R, E> + Sync, mut fold: impl FnMut(R)) -> Result<(), E> {
    for first in (0..runs).step_by(BATCH as usize) {
        let batch: Vec<R> = (first..(first + BATCH).min(runs)).into_par_iter().map(&one_run).collect::<Result<_, _>>()?;
        batch.into_iter().for_each(&mut fold);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interrupt::Interrupted;

    #[test]
    fn results_are_folded_in_run_order_on_any_pool() {
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let mut seen = Vec::new();
            pool.install(|| monte_carlo(600, |run| Ok::<_, Interrupted>(run * 2), |r| seen.push(r))).unwrap();
            assert_eq!(seen, (0..600).map(|r| r * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn an_interruption_stops_the_loop() {
        let mut folded = 0;
        let out = monte_carlo(1000, |run| if run == 300 { Err(Interrupted) } else { Ok(run) }, |_| folded += 1);
        assert!(out.is_err());
        assert!(folded <= 256, "folded past the batch that was interrupted: {folded}");
    }
}
