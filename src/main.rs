use std::process::ExitCode;

/// mimalloc instead of the system allocator: a run makes and drops thousands of small
/// strings and vectors per chain (messages, words, edits, scores), and mimalloc takes about 8 %
/// off 10,000 runs. Built without transparent huge pages (the `no_thp` feature): with them its
/// arenas sit in 2 MiB pages and peak memory rose from 29 MB to 75 MB; without, it is 44-52 MB
/// (README, Performance, and docs/ARCHITECTURE.md; the target is 64 MiB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use drift::interrupt::{EXIT_CODE, Reaction, Signals};

/// The process's signal state: here in the binary, not in the library, so library code is
/// handed it (and tests hand it their own) instead of reading a global.
static SIGNALS: Signals = Signals::new();

fn main() -> ExitCode {
    let cli = drift::cli::Cli::parse();
    install_handler();
    match drift::run(cli, &SIGNALS) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            drift::error::report(&err);
            ExitCode::from(err.exit_code())
        }
    }
}

/// Installs the one handler for Ctrl-C, SIGTERM and SIGHUP (the `ctrlc` crate's `termination`
/// feature). A signal during long work only cancels the token the work polls; outside it, or a
/// second one while the work winds down, ends the process at once with 130, after the hook
/// (`drift play` puts the terminal back).
fn install_handler() {
    let _ = ctrlc::set_handler(|| {
        if SIGNALS.react() == Reaction::ExitNow {
            SIGNALS.run_before_exit();
            std::process::exit(i32::from(EXIT_CODE));
        }
    });
}
