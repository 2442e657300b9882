use std::process::ExitCode;

/// mimalloc instead of the system allocator: a run makes and drops thousands of small
/// strings and vectors per chain (messages, words, edits, scores), and mimalloc takes about 8 %
/// off 10,000 runs. Built without transparent huge pages (the `no_thp` feature): with them its
/// arenas sit in 2 MiB pages and peak memory rose from 29 MB to 75 MB; without, it is 44-52 MB
/// (README, Performance, and docs/ARCHITECTURE.md; the target is 64 MiB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

fn main() -> ExitCode {
    let cli = drift::cli::Cli::parse();
    drift::interrupt::install();
    match drift::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            drift::error::report(&err);
            ExitCode::from(err.exit_code())
        }
    }
}
