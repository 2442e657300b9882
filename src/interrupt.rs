//! Ctrl-C, and the signals that ask a process to end (SIGTERM, SIGHUP: a closed terminal
//! window, a `kill`), handled alike by the one handler below. Long work (a million runs, a
//! long hop, the counterfactual blame, the charts, writing the outputs) runs inside a
//! [`Cancellable`] section: a signal there only raises a flag, the work notices it within an
//! operator, a hop or a chart, removes its temporary files and ends with exit code 130.
//! Anywhere else (reading a scenario, printing the lexicon) nothing is half done, so the
//! signal ends the process at once, with the same code.
//!
//! This module is the one place that installs the handler. Library functions are handed a
//! [`Cancel`] to poll rather than reading a global, so they can be stopped by something
//! other than Ctrl-C (a test, an embedding program) and run to the end when given
//! [`Cancel::never`]; the command line hands them [`ctrl_c`].

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The exit code of a process ended by Ctrl-C (128 + SIGINT), as shells report it.
pub const EXIT_CODE: u8 = 130;

static CTRL_C: Cancel = Cancel::new();
static NEVER: Cancel = Cancel::new();
static CANCELLABLE: AtomicUsize = AtomicUsize::new(0);
/// Run before a signal ends the process at once (see [`before_exit`]).
static BEFORE_EXIT: OnceLock<fn()> = OnceLock::new();

/// The work was stopped (by Ctrl-C, or by whoever holds its [`Cancel`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// A request to stop long work, checked often enough (between operators, hops, runs and
/// charts) that the work ends within a fraction of a second of it.
#[derive(Debug, Default)]
pub struct Cancel(AtomicBool);

impl Cancel {
    /// A token nobody has cancelled yet.
    pub const fn new() -> Cancel {
        Cancel(AtomicBool::new(false))
    }

    /// A token that is never cancelled: for work that must run to the end.
    pub fn never() -> &'static Cancel {
        &NEVER
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
}

/// The value of work given [`Cancel::never`], which cannot have been interrupted.
pub fn uncancelled<T>(result: Result<T, Interrupted>) -> T {
    match result {
        Ok(value) => value,
        Err(Interrupted) => unreachable!("work that is never cancelled was interrupted"),
    }
}

/// The token Ctrl-C cancels (once [`install`] has run).
pub fn ctrl_c() -> &'static Cancel {
    &CTRL_C
}

/// Installs the handler for Ctrl-C, SIGTERM and SIGHUP; the command line calls it once at
/// start. A second signal while the work winds down ends the process at once.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        let first = !CTRL_C.0.swap(true, Ordering::SeqCst);
        if !(first && CANCELLABLE.load(Ordering::SeqCst) > 0) {
            if let Some(hook) = BEFORE_EXIT.get() {
                hook();
            }
            std::process::exit(i32::from(EXIT_CODE));
        }
    });
}

/// Sets what must be done before a signal ends the process at once: `drift play` puts the
/// terminal back (the alternate screen, the cursor, raw mode), which no destructor would do
/// on `exit`. One hook for the process; a second call is ignored.
pub fn before_exit(hook: fn()) {
    let _ = BEFORE_EXIT.set(hook);
}

/// True once Ctrl-C was pressed (or SIGTERM, SIGHUP came) during a cancellable section.
pub fn requested() -> bool {
    CTRL_C.is_cancelled()
}

/// `Err(Interrupted)` once Ctrl-C was pressed during a cancellable section.
pub fn check() -> Result<(), Interrupted> {
    CTRL_C.check()
}

/// While one lives, Ctrl-C asks the work to stop rather than ending the process.
pub struct Cancellable(());

impl Cancellable {
    pub fn begin() -> Cancellable {
        CANCELLABLE.fetch_add(1, Ordering::SeqCst);
        Cancellable(())
    }
}

impl Drop for Cancellable {
    fn drop(&mut self) {
        CANCELLABLE.fetch_sub(1, Ordering::SeqCst);
    }
}
