use std::process::ExitCode;

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
