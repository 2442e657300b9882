//! `drift room`: its arguments, handed to the room's server; the reports it writes at the end
//! are `drift run`'s, on each team's saved chain.

use std::sync::Arc;

use super::*;

#[derive(Debug, clap::Args)]
pub struct RoomArgs {
    /// The scenario file (YAML).
    pub scenario: PathBuf,
    /// The room's folder: its journal (room.jsonl), each team's chain (team-N.yaml), every
    /// retelling (retellings.csv) and, at the end, the reports (team-N/).
    #[arg(long, default_value = "room", value_name = "DIR")]
    pub out: PathBuf,
    /// The address to listen on: all of this machine's networks, or 127.0.0.1 for this
    /// machine alone.
    #[arg(long, default_value = "0.0.0.0", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// The port to listen on (0: any free one).
    #[arg(long, default_value_t = crate::room::host::PORT)]
    pub port: u16,
    /// Chains side by side, each played by its own people, compared at the end.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=crate::room::session::MAX_TEAMS as i64))]
    pub teams: Option<u16>,
    /// Show each player what they heard for this many seconds (default: about 200 words a
    /// minute, from 3 seconds).
    #[arg(long, value_name = "SECONDS", value_parser = super::play::parse_flash)]
    pub flash: Option<std::time::Duration>,
    /// Random seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Go on with the room in --out (after Ctrl-C or a crash), at the same addresses.
    #[arg(long)]
    pub resume: bool,
    /// Let the bot play a player's turn when their phone has been gone this many seconds.
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = super::play::parse_flash)]
    pub away: std::time::Duration,
}

pub(super) fn run(args: RoomArgs, signals: &Signals) -> Result<(), Error> {
    let options = crate::room::host::Options {
        scenario: args.scenario,
        out: args.out,
        bind: args.bind,
        port: args.port,
        teams: args.teams.map(usize::from),
        flash: args.flash,
        seed: args.seed,
        resume: args.resume,
        away: args.away,
    };
    let out = options.out.clone();
    let reporter: crate::room::server::Reporter = Arc::new(move |team, file| report(team, file, &out));
    crate::room::host::serve(&options, signals, reporter)
}

/// `drift run` on a team's saved chain, into `OUT/team-N/`, quietly: the report the room links
/// to at the end.
fn report(team: usize, file: &Path, out: &Path) -> Result<PathBuf, String> {
    let folder = out.join(format!("team-{}", team + 1));
    let cli =
        Cli::try_parse_from(["drift".as_ref(), "run".as_ref(), file.as_os_str(), "--out".as_ref(), folder.as_os_str(), "--quiet".as_ref()]
            as [&std::ffi::OsStr; 6])
        .map_err(|e| e.to_string())?;
    let Command::Run(args) = cli.command else { unreachable!("parsed as drift run") };
    // a token of its own: the room's Ctrl-C closes the room, not a report half written
    run::run(&args, &Signals::new()).map_err(|e| e.to_string())?;
    crate::room::host::report_path(out, team).ok_or_else(|| format!("no report.html in {}", folder.display()))
}
