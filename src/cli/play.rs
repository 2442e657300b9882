//! `drift play`: its arguments, handed to the workshop mode.

use super::*;

#[derive(Debug, clap::Args)]
pub struct PlayArgs {
    /// The scenario file (YAML).
    pub scenario: PathBuf,
    /// Random seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// People play hops: every hop, or the hops given (numbered from 1, e.g. 2,4). Each types
    /// what they pass on.
    #[arg(long, value_name = "HOPS", num_args = 0..=1, default_missing_value = "all", value_parser = crate::play::HumanHops::parse)]
    pub human: Option<crate::play::HumanHops>,
    /// Show each message for this many seconds only, as if heard once.
    #[arg(long, value_name = "SECONDS", value_parser = parse_flash)]
    pub flash: Option<std::time::Duration>,
    /// Write the played chain as a scenario (typed hops as `said:`) to FILE at the end. An
    /// existing file is left alone unless --force is given.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Replace the --save file if it exists.
    #[arg(long, requires = "save")]
    pub force: bool,
    /// Go on with the typed hops of an unfinished game of this scenario (its recovery file)
    /// without asking.
    #[arg(long, conflicts_with = "discard")]
    pub resume: bool,
    /// Delete the typed hops of an unfinished game of this scenario and start afresh.
    #[arg(long)]
    pub discard: bool,
}

/// "2.5" → 2.5 seconds, from a tenth of a second to ten minutes.
pub(super) fn parse_flash(s: &str) -> Result<std::time::Duration, String> {
    let x: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number of seconds, e.g. 5 or 2.5"))?;
    if !(0.1..=600.0).contains(&x) {
        return Err(format!("{x} seconds: give 0.1 to 600"));
    }
    Ok(std::time::Duration::from_secs_f64(x))
}

pub(super) fn run(args: PlayArgs, signals: &Signals) -> Result<(), Error> {
    if crate::scenario::diagnose::is_stdin(&args.scenario) {
        // the keys (or the transcript's Enter) come from standard input
        return Err(Error::Usage(
            "drift play reads key presses from standard input, so it cannot read the scenario there\n  help: save the scenario to a file and play that".into(),
        ));
    }
    crate::play::play(
        &crate::play::Options {
            scenario: args.scenario,
            seed: args.seed,
            human: args.human,
            flash: args.flash,
            save: args.save,
            force: args.force,
            unfinished: match (args.resume, args.discard) {
                (true, _) => crate::play::Unfinished::Resume,
                (_, true) => crate::play::Unfinished::Discard,
                _ => crate::play::Unfinished::Ask,
            },
        },
        signals,
    )
}
