//! Ctrl-C, and the signals that ask a process to end (SIGTERM, SIGHUP: a closed terminal
//! window, a `kill`), handled alike by the one handler below. Long work (a million runs, the charts, writing the outputs) runs inside a
//! [`Cancellable`] section: Ctrl-C there only raises a flag, the work notices it within a run
//! or a file, removes its temporary files and ends with exit code 130. Anywhere else (reading
//! a scenario, printing the lexicon) nothing is half done, so Ctrl-C ends the process at once,
//! with the same code.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The exit code of a process ended by Ctrl-C (128 + SIGINT), as shells report it.
pub const EXIT_CODE: u8 = 130;

static REQUESTED: AtomicBool = AtomicBool::new(false);
static CANCELLABLE: AtomicUsize = AtomicUsize::new(0);
/// Run before a signal ends the process at once (see [`before_exit`]).
static BEFORE_EXIT: OnceLock<fn()> = OnceLock::new();

/// The work was stopped by Ctrl-C.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// Installs the handler for Ctrl-C, SIGTERM and SIGHUP; the command line calls it once at
/// start. A second signal while the work winds down ends the process at once.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        let first = !REQUESTED.swap(true, Ordering::SeqCst);
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
    REQUESTED.load(Ordering::Relaxed)
}

/// `Err(Interrupted)` once Ctrl-C was pressed during a cancellable section.
pub fn check() -> Result<(), Interrupted> {
    if requested() { Err(Interrupted) } else { Ok(()) }
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
