//! `drift room`: opens the room (new, or resumed from its journal), prints where phones and
//! the screen find it, and serves it until Ctrl-C.

use std::io::{BufReader, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::address;
use super::journal::{self, Header, Journal};
use super::server::{self, Reporter, Settings, Shared};
use super::session::{MAX_TEAMS, Session};
use crate::error::Error;
use crate::interrupt::Signals;
use crate::lexicon::Lexicon;
use crate::play::recovery::fingerprint;
use crate::scenario::{Scenario, diagnose};

/// The room's journal in its folder.
pub const JOURNAL: &str = "room.jsonl";

/// The port a room listens on unless told: one phones can be told to type, free on most
/// machines.
pub const PORT: u16 = 4700;

/// What `drift room` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub scenario: PathBuf,
    /// The room's folder: its journal, the saved chains, the reports.
    pub out: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    /// Teams side by side (a resumed room keeps its own).
    pub teams: Option<usize>,
    pub flash: Option<Duration>,
    pub seed: Option<u64>,
    /// Go on with the room in `out`.
    pub resume: bool,
    /// How long a player may be gone at their turn before the bot plays it.
    pub away: Duration,
}

/// Where team `team`'s report is, once written: `drift run` writes it into a folder named
/// after the scenario inside `team-N/`.
pub fn report_path(out: &Path, team: usize) -> Option<PathBuf> {
    let dir = out.join(format!("team-{}", team + 1));
    let mut found: Vec<PathBuf> =
        std::fs::read_dir(dir).ok()?.flatten().map(|e| e.path().join("report.html")).filter(|p| p.is_file()).collect();
    found.sort();
    found.into_iter().next()
}

fn usage(message: String) -> Error {
    Error::Usage(message)
}

fn io(action: &'static str, path: &Path, source: std::io::Error, help: &'static str) -> Error {
    Error::Io { action, path: path.to_path_buf(), source, help }
}

/// Runs a room until Ctrl-C (or SIGTERM): everything typed is on disk as it arrives, so the
/// room can be resumed. `reporter` writes a team's report when its chain is finished.
pub fn serve(options: &Options, signals: &Signals, reporter: Reporter) -> Result<(), Error> {
    if diagnose::is_stdin(&options.scenario) {
        return Err(usage("drift room serves a scenario file: save it to a file and give its name".into()));
    }
    let file = options.scenario.display().to_string();
    let source = diagnose::read_source(&options.scenario)?;
    let scenario = Scenario::parse(&file, &source)?;
    crate::files::check_out(&options.out)?;
    // the port first: a room that cannot listen leaves nothing behind
    let listener = std::net::TcpListener::bind((options.bind, options.port)).map_err(|e| {
        usage(format!(
            "cannot listen on {}: {e}\n  help: give another --port (another room or program has this one), or --bind 127.0.0.1 to try on this machine alone",
            SocketAddr::new(options.bind, options.port)
        ))
    })?;
    std::fs::create_dir_all(&options.out).map_err(|e| io("create", &options.out, e, "give --out a folder you can write"))?;
    let journal_path = options.out.join(JOURNAL);
    let lexicon: &'static Lexicon = Box::leak(Box::new(Lexicon::with_extension(&scenario.lexicon)));
    let out_shown = options.out.display().to_string();
    let (header, session, journal) = if journal_path.symlink_metadata().is_ok() {
        if !options.resume {
            return Err(usage(format!(
                "{} holds a room already: add --resume to go on with it, or give --out a new folder",
                journal_path.display()
            )));
        }
        resume(&journal_path, &source, &scenario, lexicon, options)?
    } else {
        if options.resume {
            crate::error::warn(&format!("--resume: there is no room in {out_shown} yet; opening a new one"));
        }
        let teams = options.teams.unwrap_or(1);
        let header = Header {
            drift_room: journal::FORMAT,
            scenario: fingerprint_hex(&source),
            seed: scenario.seed_or(options.seed),
            teams,
            code: address::room_code(),
            screen: address::secret(24),
        };
        let journal =
            Journal::create(&journal_path, &header).map_err(|e| io("create", &journal_path, e, "give --out a folder you can write"))?;
        let session = Session::new(&scenario, lexicon, header.seed, teams);
        (header, session, journal)
    };
    let port = listener.local_addr().map_or(options.port, |a| a.port());
    let host = address::reachable(options.bind).unwrap_or_else(|| {
        crate::error::warn("this machine is on no network: phones cannot reach the room; join the room's Wi-Fi and start it again");
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    });
    let at = SocketAddr::new(host, port);
    let join = format!("http://{at}/j/{}", header.code);
    let screen = format!("http://{at}/s/{}", header.screen);
    let settings = Settings {
        code: header.code.clone(),
        screen: header.screen.clone(),
        join: join.clone(),
        flash: options.flash,
        away: options.away,
        out: options.out.clone(),
        out_shown: out_shown.clone(),
        source,
        file: file.clone(),
    };
    announce(&scenario, &header, &join, &screen, &out_shown, &file);
    let mut game = server::Game::new(session, journal, lexicon);
    game.save(&settings);
    let shared = Shared::new(settings, game, reporter);
    let _cancellable = signals.begin_cancellable();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| io("start the server for", &options.out, e, "the system refused a thread or a timer: try again"))?;
    let served: Result<(), std::io::Error> = runtime.block_on(async {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        shared.report_when_finished();
        tokio::spawn(Arc::clone(&shared).watch_the_away());
        let app = server::router(Arc::clone(&shared)).into_make_service_with_connect_info::<SocketAddr>();
        let server = axum::serve(listener, app);
        tokio::select! {
            served = server => served,
            () = until_signal(signals) => Ok(()),
        }
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    served.map_err(|e| io("serve the room from", &options.out, e, "try again, perhaps with another --port"))?;
    let game = shared.game();
    let finished = game.session.finished();
    let mut stdout = std::io::stdout();
    if finished {
        let _ = writeln!(
            stdout,
            "The room is closed. In {out_shown}: each team's chain (team-N.yaml), every retelling (retellings.csv), the reports (team-N/) and the journal ({JOURNAL})."
        );
        Ok(())
    } else {
        Err(Error::RoomClosed {
            out: options.out.clone(),
            resume: format!(
                "drift room {} --out {}{} --resume",
                crate::templates::shell_word(&file),
                crate::templates::shell_word(&out_shown),
                // the same address: the phones and the screen reconnect by themselves
                if options.port == PORT { String::new() } else { format!(" --port {port}") }
            ),
        })
    }
}

/// The scenario file's fingerprint as the journal's header keeps it: a room resumes only with
/// the file it was played with.
fn fingerprint_hex(source: &str) -> String {
    format!("{:016x}", fingerprint(source))
}

/// Resolves once a signal has come (Ctrl-C, SIGTERM).
async fn until_signal(signals: &Signals) {
    while !signals.requested() {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Prints where the room is.
fn announce(scenario: &Scenario, header: &Header, join: &str, screen: &str, out: &str, file: &str) {
    let mut text = String::new();
    let teams = if header.teams == 1 { String::new() } else { format!(", {} teams side by side", header.teams) };
    text.push_str(&format!("drift room: {} ({} hops{teams}, seed {}) from {file}\n\n", scenario.name, scenario.chain.len(), header.seed));
    text.push_str(&format!("Phones join at   {join}   (room code {})\n", header.code));
    if let Some(qr) = address::qr_text(join) {
        text.push('\n');
        text.push_str(&qr);
        text.push('\n');
    }
    text.push_str(&format!("\nThe screen:      {screen}\n"));
    text.push_str("  (open it on the projector's browser; whoever has this address drives the game)\n");
    text.push_str(&format!("\nEvery hop is saved in {out}/ as it is typed. Ctrl-C closes the room; --resume opens it again.\n"));
    let mut stdout = std::io::stdout();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// The room in `path`, replayed: its header, its session, and its journal open to go on.
fn resume(
    path: &Path,
    source: &str,
    scenario: &Scenario,
    lexicon: &'static Lexicon,
    options: &Options,
) -> Result<(Header, Session<'static>, Journal), Error> {
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| io("read", path, e, "check the folder's permissions"))?;
    let replay = journal::read(BufReader::new(file)).map_err(|e| match e {
        journal::JournalError::Io(e) => io("read", path, e, "check the folder's permissions"),
        e => usage(format!("{shown}: {e}: not a room journal drift can resume; give --out a new folder")),
    })?;
    let header = replay.header;
    if header.scenario != fingerprint_hex(source) {
        return Err(usage(format!(
            "{shown} is a room of another version of {}: the scenario changed since; each team's chain so far is in {}",
            options.scenario.display(),
            options.out.join("team-1.yaml").display()
        )));
    }
    if !address::is_code(&header.code) || !address::is_key(&header.screen) || header.teams == 0 || header.teams > MAX_TEAMS {
        return Err(usage(format!("{shown}: its header is not one drift wrote; give --out a new folder")));
    }
    if let Some(seed) = options.seed.filter(|&s| s != header.seed) {
        return Err(usage(format!(
            "--seed {seed}: the room in {shown} is played with seed {}; leave --seed out to resume it",
            header.seed
        )));
    }
    if let Some(teams) = options.teams.filter(|&t| t != header.teams) {
        return Err(usage(format!("--teams {teams}: the room in {shown} has {} teams; leave --teams out to resume it", header.teams)));
    }
    let mut session = Session::new(scenario, lexicon, header.seed, header.teams);
    for (line, event) in &replay.lines {
        session.apply(event).map_err(|e| usage(format!("{shown}:{line}: {e}: the journal cannot be replayed; give --out a new folder")))?;
    }
    if replay.torn_tail {
        crate::error::warn(&format!("{shown}: its last line was cut short by a crash and is left out"));
    }
    let journal = Journal::append(path, replay.complete_bytes).map_err(|e| io("open", path, e, "check the folder's permissions"))?;
    let typed: usize = session.teams().iter().map(|t| t.game.typed().len()).sum();
    let players = session.players();
    println!("Resumed the room in {}: {players} players joined, {typed} typed hops.", options.out.display());
    Ok((header, session, journal))
}
