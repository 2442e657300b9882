//! The command line: parses arguments and hands each command to the library.

mod calibrate;
mod compare;
mod lexicon;
mod man;
mod new;
mod play;
mod reproduce;
mod room;
mod run;
mod score;
mod sweep;
mod validate;

pub use compare::CompareArgs;
pub use new::NewArgs;
pub use play::PlayArgs;
pub use room::RoomArgs;
pub use run::RunArgs;
pub use score::{ScoreArgs, ScoreFormat, ScoreOutput};
pub use sweep::{SweepArgs, SweepFormat};
pub use validate::ValidateFormat;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::aggregate::{RunSettings, analyse};
use crate::chart::{ChartData, ImageFormat, Theme, ThemeName};
use crate::error::{Error, warn};
use crate::files::Writer;
use crate::interrupt::{Cancel, Signals};
use crate::lexicon::{Lexicon, LexiconData};
use crate::metrics::Engine;
use crate::montecarlo::Control;
use crate::output::{Figure, Format, Html, Report, ReportCharts, Terminal};
use crate::scenario::Scenario;
use crate::source::Source;

const EXAMPLES: &str = "\
Examples:
  drift run scenarios/marketing-long-distance.yaml
  drift run scenarios/workshop-demo.yaml --seed 42 --runs 500
  drift run scenarios/talk-chart.yaml --format json --quiet --out talks/
  drift score --customer \"I need my adjusters back in the field\" \"Our AI platform empowers insurers\"
  drift new my-chain.yaml --template approval-chain
  drift validate scenarios/*.yaml
  drift lexicon
  drift completions bash > ~/.local/share/bash-completion/completions/drift";

const COMPLETION_EXAMPLES: &str = "\
Examples (load at start-up; see the README's Shell completions):
  bash:        drift completions bash > ~/.local/share/bash-completion/completions/drift
  zsh:         drift completions zsh > ~/.zfunc/_drift   (with fpath+=~/.zfunc before compinit)
  fish:        drift completions fish > ~/.config/fish/completions/drift.fish
  powershell:  add to $PROFILE: drift completions powershell | Out-String | Invoke-Expression
  elvish:      add to ~/.config/elvish/rc.elv: eval (drift completions elvish | slurp)";

/// Marketing long distance: watch a customer's words drift down a chain of handoffs.
#[derive(Debug, Parser)]
#[command(name = "drift", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// When to colour the output, errors and warnings: auto (where it goes to a terminal,
    /// unless NO_COLOR is set; CLICOLOR_FORCE forces it), always, or never.
    #[arg(long, value_enum, global = true, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`: as ripgrep, fd and cargo take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario: one traced run hop by hop, and Monte Carlo bands over many runs.
    ///
    /// Prints the trace and writes trace.md, hops.csv, summary.json, report.html and the charts
    /// to <OUT>/<slug>/, where the slug is a file-name-safe form of the scenario's name.
    #[command(
        after_help = "Examples:\n  drift run scenarios/marketing-long-distance.yaml\n  drift run scenarios/workshop-demo.yaml --seed 42 --runs 500 --out workshop/\n  drift run scenarios/talk-chart.yaml --format md > trace.md"
    )]
    Run(RunArgs),
    /// Score real copy against the customer's words: a table and plain verdicts per message.
    ///
    /// Give the customer's words (--customer, or --scenario to take them from a scenario) and
    /// one or more messages: --headline, --body, --cta, labelled --message LABEL=TEXT, or plain
    /// MESSAGE arguments. Every text can be typed in, read from a file with @FILE, or read from
    /// standard input with - (once); write @@ for text that starts with @.
    #[command(after_help = score::EXAMPLES)]
    Score(ScoreArgs),
    /// Compare variants of a chain on common random numbers: the difference and its interval.
    ///
    /// Every variant draws the same random numbers at the same hop of the same run, so the
    /// difference comes from the chains, not the dice. Writes compare.json and the compare
    /// chart to <OUT>/compare-<slugs>/.
    #[command(after_help = "Example:\n  drift compare scenarios/marketing-long-distance.yaml scenarios/customer-checkin.yaml")]
    Compare(CompareArgs),
    /// Final drift as one or two rates change: a curve, or a grid and a heatmap.
    ///
    /// PATH names a rate as error messages do (hop indices from 0): chain[2].mutate.jargon.
    /// Every point uses the same seed, so the curve moves because of the setting, not the dice.
    /// Writes sweep.csv, sweep.json and the sweep chart to <OUT>/<slug>/; prints the CSV, or
    /// with --format the JSON or a table.
    #[command(
        after_help = "Examples:\n  drift sweep scenarios/marketing-long-distance.yaml --vary 'chain[6].mutate.jargon=0..1:11'\n  drift sweep scenarios/workshop-demo.yaml --vary 'chain[0].mutate.jargon=0..1:6' --vary 'chain[1].mutate.we_focus=0..1:6'"
    )]
    Sweep(SweepArgs),
    /// Workshop mode: reveal a chain hop by hop on a projector, and let people play hops.
    ///
    /// Shows the customer's words, then one hop per key press (Enter or space): the new
    /// message with a word diff, its similarity to the customer's words and the curve so far;
    /// b goes back, q quits. The played run is run 0 of the seed, as `drift run` traces it.
    /// When stdin or stdout is not a terminal, prints the same line by line, paced by Enter.
    #[command(
        after_help = "Examples:\n  drift play scenarios/workshop-demo.yaml\n  drift play scenarios/workshop-demo.yaml --human 2,4 --flash 5 --save played.yaml\n  drift run played.yaml"
    )]
    Play(PlayArgs),
    /// The telephone game on the room's own phones: a web server on the local network.
    ///
    /// Prints the join address for phones (with a QR code) and the screen's address for the
    /// projector. Players type a name and are seated at hops; at their turn they see what
    /// they heard for a few seconds and type what they pass on; bots play the seats nobody
    /// took. The screen reveals the chain hop by hop (S start, → next, ← back, R restart; P
    /// shows the seats, B lets the bot play a turn a person keeps waiting):
    /// word diffs, meaning scores, the curve, and at the end the costliest hop and the
    /// report. Every typed hop is saved as it arrives; Ctrl-C closes the room and --resume
    /// opens it again.
    #[command(
        after_help = "Examples:\n  drift room scenarios/workshop-demo.yaml\n  drift room scenarios/workshop-demo.yaml --teams 2 --flash 8 --out friday/\n  drift room scenarios/workshop-demo.yaml --out friday/ --resume\n  drift run friday/team-1.yaml"
    )]
    Room(RoomArgs),
    /// Fit a preset's retelling rates to observed retellings, or check it against them.
    ///
    /// Measures, generation by generation, how long the retellings are, how much of the
    /// original's and of each heard text's content words survive, in what order, and how many
    /// words are new or reworded; retells the same originals with the preset and fits its
    /// retelling rates until the curves match (every candidate on the same random numbers).
    /// Prints observed against simulated per generation and the fitted preset as YAML for a
    /// scenario's `presets:`; writes calibration.json, calibration.csv, preset.yaml and the
    /// calibration chart to <OUT>/calibrate-<preset>-<data>/. Without DATA: the published
    /// serial-reproduction figures, on drift's own stories.
    #[command(after_help = calibrate::EXAMPLES)]
    Calibrate(calibrate::CalibrateArgs),
    /// Write a commented starter scenario to edit: a template that validates and runs.
    ///
    /// Writes FILE (default scenario.yaml), or prints it with FILE `-`. An existing file is
    /// left alone unless --force is given.
    #[command(
        after_help = "Examples:\n  drift new\n  drift new q3-launch.yaml --template approval-chain\n  drift new --list\n  drift new - --template workshop | less"
    )]
    New(NewArgs),
    /// Check scenario files without running them; exit code 2 if any is invalid.
    #[command(after_help = "Examples:\n  drift validate scenarios/*.yaml\n  drift validate --format json my-scenario.yaml")]
    Validate {
        /// Scenario files (YAML); - reads one from standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to report: text for people, json for editors and CI (one document on stdout).
        #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
        format: ValidateFormat,
    },
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    #[command(after_help = COMPLETION_EXAMPLES)]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command with --out.
    #[command(after_help = "Examples:\n  drift man | man -l -\n  drift man score | man -l -\n  drift man --out ~/.local/share/man/man1")]
    Man {
        /// A command's page (drift-COMMAND(1)) instead of drift(1).
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
        /// Write drift.1 and drift-COMMAND.1 for every command into DIR instead of printing.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        out: Option<PathBuf>,
    },
    /// Print the JSON Schema (draft 2020-12) of scenario files, for editors.
    ///
    /// Save it beside your scenarios as drift.schema.json: the scenarios `drift new` writes
    /// start with a `# yaml-language-server: $schema=drift.schema.json` line, which makes VS
    /// Code (with the YAML extension) and other yaml-language-server editors complete field,
    /// operator, preset and metric names and mark mistakes as you type. It is made from drift's
    /// own lists, so it matches this drift; `drift validate` checks the rest.
    #[command(after_help = "Example:\n  drift schema > drift.schema.json")]
    Schema,
    /// Print the built-in lexicon (YAML), with a scenario's extensions if given.
    #[command(after_help = "Examples:\n  drift lexicon | less\n  drift lexicon --scenario my-scenario.yaml")]
    Lexicon {
        /// Include this scenario's `lexicon:` extensions (- reads it from standard input).
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
    },
}

impl BatchArgs {
    /// The seed: the one given, else the scenario's.
    fn seed_for(&self, scenario: &Scenario) -> u64 {
        scenario.seed_or(self.seed)
    }

    /// The number of runs: the one given, else the scenario's.
    fn runs_for(&self, scenario: &Scenario) -> u64 {
        scenario.runs_or(self.runs)
    }

    /// The runs to draw for `scenario` (its seed and runs unless given), scored by `compute`'s
    /// engine: the one place `run`, `compare` and `sweep` get their Monte Carlo settings.
    fn plan_for(&self, scenario: &Scenario, compute: &ComputeArgs) -> crate::montecarlo::Plan {
        crate::montecarlo::Plan { seed: self.seed_for(scenario), runs: self.runs_for(scenario), engine: compute.engine() }
    }
}

/// How the work is done: never changes a result.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Computation (never changes a result)")]
pub struct ComputeArgs {
    /// Worker threads (default: all cores; more than 256 run as 256); results are identical
    /// for any number.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Compute metrics with the reference implementation (strsim) instead of the fast one,
    /// to audit a result; slower, same numbers to 1e-12.
    #[arg(long)]
    pub reference_metrics: bool,
}

impl ComputeArgs {
    fn engine(&self) -> Engine {
        if self.reference_metrics { Engine::Reference } else { Engine::Fast }
    }
}

/// "1600x900" → (1600, 900), within what a chart can be drawn at.
fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s.split_once(['x', 'X', '×']).ok_or_else(|| format!("`{s}` is not WIDTHxHEIGHT, e.g. 1600x900"))?;
    let parse = |v: &str| v.trim().parse::<u32>().map_err(|_| format!("`{s}` is not WIDTHxHEIGHT, e.g. 1600x900"));
    let (w, h) = (parse(w)?, parse(h)?);
    if !(480..=7680).contains(&w) || !(270..=4320).contains(&h) {
        return Err(format!("{w}x{h} is outside 480x270 to 7680x4320"));
    }
    Ok((w, h))
}

/// Seed, runs and where the files go: the same for run, compare and sweep.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Runs and output")]
pub struct BatchArgs {
    /// Random seed (default: the scenario's; with several, the first one's); the same seed
    /// gives the same output.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Monte Carlo runs (default: the scenario's; with several, the first one's).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=crate::scenario::limits::MAX_RUNS))]
    pub runs: Option<u64>,
    /// Folder for the output; files go to a folder inside it named after the scenario.
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Print nothing but errors and warnings: nothing on stdout, no status line, no progress
    /// bar (the files are still written).
    #[arg(long, short)]
    pub quiet: bool,
}

/// How charts are drawn.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Charts")]
pub struct ChartArgs {
    /// Chart size in pixels (16:9 suits slides).
    #[arg(long, default_value = "1600x900", value_name = "WxH", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Chart colours: light for print and laptops, dark for projectors.
    #[arg(long, value_enum, default_value_t = ThemeName::Light)]
    pub theme: ThemeName,
    /// Chart formats to write.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "png,svg", value_name = "FORMATS")]
    pub charts: Vec<ImageFormat>,
    /// Write no charts.
    #[arg(long, conflicts_with_all = ["charts", "size", "theme"])]
    pub no_charts: bool,
}

impl ChartArgs {
    /// The formats to draw, none when charts are off.
    fn formats(&self) -> Vec<ImageFormat> {
        if self.no_charts {
            return Vec::new();
        }
        let mut formats = self.charts.clone();
        formats.sort();
        formats.dedup();
        formats
    }
}

/// Runs the command `cli` asks for. `signals` is the process's signal state, which the binary
/// owns and feeds from its handler: the commands open cancellable sections on it and stop
/// when it says so.
pub fn run(cli: Cli, signals: &Signals) -> Result<(), Error> {
    // every stream drift writes through (anstream) follows this choice from here on
    match cli.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    match cli.command {
        Command::Run(args) => run::run(&args, signals),
        Command::Score(args) => score::run(&args),
        Command::Compare(args) => compare::run(&args, signals),
        Command::Sweep(args) => sweep::run(&args, signals),
        Command::Play(args) => play::run(args, signals),
        Command::Room(args) => room::run(args, signals),
        Command::Calibrate(args) => calibrate::run(&args, signals),
        Command::New(args) => new::run(&args, signals),
        Command::Validate { files, format } => validate::run(&files, format),
        Command::Completions { shell } => print_bytes(&crate::manual::completions(<Cli as clap::CommandFactory>::command(), shell)),
        Command::Man { command, out } => man::run(command.as_deref(), out.as_deref(), signals),
        Command::Lexicon { scenario } => lexicon::run(scenario.as_deref()),
        Command::Schema => print(&crate::scenario::schema::json()),
    }
}

fn color_on() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// Standard input can be read only once: at most one scenario path may be `-`.
fn one_stdin<'a>(paths: impl IntoIterator<Item = &'a PathBuf>) -> Result<(), Error> {
    if paths.into_iter().filter(|p| crate::scenario::diagnose::is_stdin(p)).count() > 1 {
        return Err(Error::Usage(
            "standard input (`-`) can be read only once, but more than one scenario asks for it\n  help: save all but one of them to files"
                .into(),
        ));
    }
    Ok(())
}

/// Writes to stdout; a closed pipe (`drift lexicon | head -1`) ends quietly.
fn print(text: &str) -> Result<(), Error> {
    let mut out = anstream::stdout();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Io { action: "write to", path: PathBuf::from("stdout"), source: e, help: "check where the output is going" })
        }
        _ => Ok(()),
    }
}

/// [`print`] for a report of tables and prose laid out for a wide terminal: fitted to the
/// terminal's width (or `COLUMNS`) when stdout is a terminal or `COLUMNS` is set, as it is
/// otherwise (see [`crate::fit`]).
fn print_fitted(text: &str) -> Result<(), Error> {
    match crate::fit::stdout_width() {
        Some(width) => print(&crate::fit::fit(text, width)),
        None => print(text),
    }
}

/// A status line ("Wrote 14 files to output/slug/") on stderr, so that stdout holds only what
/// the command was asked for (a trace, a CSV, JSON) and pipes cleanly. A stderr that cannot
/// be written to loses the line, not the command.
fn status(text: &str) {
    let mut err = anstream::stderr();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// [`print`] for generated text (completion scripts are ASCII, but need not be UTF-8).
fn print_bytes(bytes: &[u8]) -> Result<(), Error> {
    print(&String::from_utf8_lossy(bytes))
}

/// What a command writes, gathered as it is made and then written in one go: the one way
/// every command puts out files. Charts are rendered in each format asked for, the characters
/// the chart font lacks are warned about once, the folder is written atomically (see
/// [`crate::files`]), and the caller reports the folder with [`wrote`].
#[derive(Default)]
struct Artifacts {
    files: Vec<(String, Vec<u8>)>,
    missing_glyphs: std::collections::BTreeSet<String>,
}

/// Where a command's folder goes and what it is made from.
struct Place<'a> {
    out: &'a Path,
    name: &'a str,
    writer: Writer,
    sources: &'a [&'a Path],
}

impl Artifacts {
    fn push(&mut self, name: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.push((name.into(), bytes.into()));
    }

    /// Draws chart `kind` of `data` as `stem.png`, `stem.svg`, … in the formats `args` asks
    /// for (none with --no-charts). Stops at Ctrl-C between formats.
    fn chart<D, K: crate::chart::Drawing<D>>(
        &mut self,
        stem: &str,
        kind: &K,
        data: &D,
        args: &ChartArgs,
        cancel: &Cancel,
    ) -> Result<(), Error> {
        let theme = Theme::new(args.theme, args.size);
        for format in args.formats() {
            cancel.check()?;
            let (bytes, lost) = crate::chart::render(kind, data, &theme, format).map_err(Error::Chart)?;
            self.push(format!("{stem}.{}", format.extension()), bytes);
            self.missing_glyphs.extend(lost);
        }
        Ok(())
    }

    /// Warns about missing glyphs, then writes every file into the command's folder. Ctrl-C
    /// pressed before ends drift with nothing written; pressed while the files were put in
    /// place, with a message saying they are complete.
    fn write(self, place: &Place, signals: &Signals) -> Result<crate::files::Written, Error> {
        warn_missing_glyphs(&self.missing_glyphs.into_iter().collect::<Vec<_>>());
        signals.check()?;
        let Place { out, name, writer, sources } = *place;
        let written = crate::files::write_folder(&crate::files::Folder { out, name, writer, sources }, &self.files, signals)?;
        if signals.requested() {
            return Err(Error::InterruptedAfterWriting { dir: written.dir });
        }
        Ok(written)
    }
}

/// "Wrote 14 files to output/slug/", the line every command that writes a folder ends with.
fn wrote(written: &crate::files::Written) -> String {
    let n = written.files.len();
    format!("Wrote {n} {} to {}/\n", if n == 1 { "file" } else { "files" }, written.dir.display())
}

/// Runs `work` on a pool of `threads` workers (all cores when not given). No more than
/// [`crate::aggregate::BATCH`]: that many runs are all the work there is at once, and every
/// idle thread would still hold a stack and an allocator heap.
fn with_threads<T: Send>(threads: Option<u16>, work: impl FnOnce() -> T + Send) -> Result<T, Error> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(usize::from(n).min(crate::aggregate::BATCH as usize));
    }
    let pool = builder.build().map_err(|e| Error::Usage(format!("cannot start {} worker threads: {e}", threads.unwrap_or(0))))?;
    Ok(pool.install(work))
}

/// Runs `work` with a progress bar on stderr, shown only when stderr is a terminal, the
/// command is not `--quiet`, and the work has taken more than a second. Without a `total`
/// (work whose size is known only at its end, as a fit's) it is a spinner with the count.
fn with_progress<T>(total: Option<u64>, unit: &'static str, quiet: bool, work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> T) -> T {
    use std::io::IsTerminal;
    use std::time::{Duration, Instant};
    let bar = indicatif::ProgressBar::with_draw_target(total, indicatif::ProgressDrawTarget::hidden());
    let template = match total {
        Some(_) => format!("{{bar:40}} {{pos}}/{{len}} {unit} · {{eta}} left"),
        None => format!("{{spinner}} {{human_pos}} {unit} · {{elapsed}}"),
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    let started = Instant::now();
    let visible = std::sync::atomic::AtomicBool::new(false);
    // --quiet hides the bar as it hides everything else but errors and warnings
    let terminal = !quiet && std::io::stderr().is_terminal();
    let tick = |n: u64| {
        bar.inc(n);
        if terminal && !visible.load(std::sync::atomic::Ordering::Relaxed) && started.elapsed() > Duration::from_secs(1) {
            visible.store(true, std::sync::atomic::Ordering::Relaxed);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    };
    let out = work(&tick);
    bar.finish_and_clear();
    out
}

/// Warns once about text the chart font could not draw.
fn warn_missing_glyphs(missing: &[String]) {
    if !missing.is_empty() {
        warn(&format!(
            "the chart font has no glyphs for some characters in {}; the PNG charts show them as □ (the SVG charts keep them)",
            missing.iter().map(|m| format!("“{m}”")).collect::<Vec<_>>().join(", ")
        ));
    }
}
