//! Ctrl-C, and the signals that ask a process to end (SIGTERM, SIGHUP: a closed terminal
//! window, a `kill`), handled alike. Long work (a million runs, a long hop, the counterfactual
//! blame, the charts, writing the outputs) runs inside a cancellable section
//! ([`Signals::begin_cancellable`]): a signal there only cancels a token, the work notices it
//! within an operator, a hop or a chart, removes its temporary files and ends with exit code
//! 130. Anywhere else (reading a scenario, printing the lexicon) nothing is half done, so the
//! signal ends the process at once, with the same code.
//!
//! The library holds no signal state of its own and installs no handler: the binary owns the
//! one [`Signals`] of the process (a `static` in `main.rs`), installs the handler there, and
//! hands the command line a reference to it. The handler asks [`Signals::react`] what a signal
//! means now, so that decision is tested here without sending signals. Library functions that
//! only need to stop are handed a [`Cancel`] to poll rather than reading a global, so they can
//! be stopped by something other than Ctrl-C (a test, an embedding program) and run to the end
//! when given a token nobody cancels ([`Cancel::new`]).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The exit code of a process ended by Ctrl-C (128 + SIGINT), as shells report it.
pub const EXIT_CODE: u8 = 130;

/// The work was stopped (by Ctrl-C, or by whoever holds its [`Cancel`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// A request to stop long work, checked often enough (between operators, hops, runs and
/// charts) that the work ends within a fraction of a second of it.
#[derive(Debug, Default)]
pub struct Cancel(AtomicBool);

impl Cancel {
    /// A token nobody has cancelled yet; one the caller keeps to itself is never cancelled,
    /// for work that must run to the end.
    pub const fn new() -> Cancel {
        Cancel(AtomicBool::new(false))
    }

    /// Asks the work holding this token to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// True once [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(Interrupted)` once [`Cancel::cancel`] was called.
    pub fn check(&self) -> Result<(), Interrupted> {
        if self.is_cancelled() { Err(Interrupted) } else { Ok(()) }
    }

    /// Cancels the token and says whether this was the first time: a second signal is told
    /// apart from the first by this alone.
    fn cancel_first(&self) -> bool {
        !self.0.swap(true, Ordering::SeqCst)
    }
}

/// The value of work given a token nobody cancels, which cannot have been interrupted.
pub fn uncancelled<T>(result: Result<T, Interrupted>) -> T {
    match result {
        Ok(value) => value,
        Err(Interrupted) => unreachable!("work that is never cancelled was interrupted"),
    }
}

/// What a signal means at the moment it comes (see [`Signals::react`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaction {
    /// The first signal during a cancellable section: the token is cancelled and the work
    /// winds down by itself (removing its temporary files) to exit code 130.
    StopWork,
    /// Outside any cancellable section, or a second signal: nothing is half done, or the
    /// person does not want to wait, so the process ends at once with 130 (after
    /// [`Signals::run_before_exit`]).
    ExitNow,
}

/// The signal state of one process: the token Ctrl-C cancels, how many cancellable sections
/// are open, and what to do before the process ends at once. The binary keeps the one
/// instance and its handler; the library is handed a reference, so tests make their own and
/// nothing in the library is global.
#[derive(Debug, Default)]
pub struct Signals {
    cancel: Cancel,
    cancellable: AtomicUsize,
    before_exit: OnceLock<fn()>,
}

impl Signals {
    /// No signal yet, no section open, no hook: `const` so the binary can keep it in a
    /// `static` its handler reaches.
    pub const fn new() -> Signals {
        Signals { cancel: Cancel::new(), cancellable: AtomicUsize::new(0), before_exit: OnceLock::new() }
    }

    /// The token a signal cancels, for work that polls it.
    pub fn cancel(&self) -> &Cancel {
        &self.cancel
    }

    /// Opens a cancellable section: while the guard lives, a (first) signal asks the work to
    /// stop rather than ending the process. Sections nest.
    pub fn begin_cancellable(&self) -> Cancellable<'_> {
        self.cancellable.fetch_add(1, Ordering::SeqCst);
        Cancellable(&self.cancellable)
    }

    /// True once a signal came during a cancellable section.
    pub fn requested(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// `Err(Interrupted)` once a signal came during a cancellable section.
    pub fn check(&self) -> Result<(), Interrupted> {
        self.cancel.check()
    }

    /// Sets what must be done before a signal ends the process at once: `drift play` puts the
    /// terminal back (the alternate screen, the cursor, raw mode), which no destructor would do
    /// on `exit`. One hook for the process; a second call is ignored.
    pub fn set_before_exit(&self, hook: fn()) {
        let _ = self.before_exit.set(hook);
    }

    /// Runs the hook set with [`Signals::set_before_exit`], if any: the handler calls it just
    /// before ending the process.
    pub fn run_before_exit(&self) {
        if let Some(hook) = self.before_exit.get() {
            hook();
        }
    }

    /// Records a signal and says what it means now: the first during a cancellable section
    /// stops the work; any other ends the process. The handler acts on the answer; this does
    /// not exit, so the decision is testable.
    pub fn react(&self) -> Reaction {
        let first = self.cancel.cancel_first();
        if first && self.cancellable.load(Ordering::SeqCst) > 0 { Reaction::StopWork } else { Reaction::ExitNow }
    }
}

/// While one lives, a signal asks the work to stop rather than ending the process (see
/// [`Signals::begin_cancellable`]).
#[must_use = "the section ends when the guard is dropped"]
pub struct Cancellable<'a>(&'a AtomicUsize);

impl Drop for Cancellable<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_outside_a_cancellable_section_ends_the_process_at_once() {
        let signals = Signals::new();
        assert_eq!(signals.react(), Reaction::ExitNow);
    }

    #[test]
    fn the_first_signal_in_a_section_stops_the_work_and_a_second_ends_the_process() {
        let signals = Signals::new();
        let _section = signals.begin_cancellable();
        assert!(!signals.requested());
        assert_eq!(signals.check(), Ok(()));
        assert_eq!(signals.react(), Reaction::StopWork);
        assert!(signals.requested());
        assert_eq!(signals.check(), Err(Interrupted));
        assert!(signals.cancel().is_cancelled(), "the work polls the same token");
        assert_eq!(signals.react(), Reaction::ExitNow);
    }

    #[test]
    fn sections_nest_and_end_with_their_guards() {
        let signals = Signals::new();
        {
            let _outer = signals.begin_cancellable();
            {
                let _inner = signals.begin_cancellable();
            }
            // the outer section is still open
            assert_eq!(signals.react(), Reaction::StopWork);
        }
        let after = Signals::new();
        drop(after.begin_cancellable());
        assert_eq!(after.react(), Reaction::ExitNow, "no section is open once its guard is gone");
    }

    #[test]
    fn the_hook_is_set_once_and_run_on_request() {
        use std::sync::atomic::AtomicU8;
        static RAN: AtomicU8 = AtomicU8::new(0);
        fn first() {
            RAN.fetch_add(1, Ordering::SeqCst);
        }
        fn second() {
            RAN.fetch_add(10, Ordering::SeqCst);
        }
        let signals = Signals::new();
        signals.run_before_exit();
        assert_eq!(RAN.load(Ordering::SeqCst), 0, "no hook, nothing run");
        signals.set_before_exit(first);
        signals.set_before_exit(second);
        signals.run_before_exit();
        assert_eq!(RAN.load(Ordering::SeqCst), 1, "the first hook set is the one run");
    }

    #[test]
    fn a_token_of_ones_own_is_never_cancelled_by_a_signal() {
        let signals = Signals::new();
        let own = Cancel::new();
        let _section = signals.begin_cancellable();
        signals.react();
        assert_eq!(own.check(), Ok(()));
        uncancelled(own.check());
    }
}
