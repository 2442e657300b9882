//! The command line: parses arguments and hands each command to the library.

mod calibrate;
mod reproduce;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::aggregate::{Settings, analyse};
use crate::chart::{ChartData, ImageFormat, Theme, ThemeName};
use crate::error::{Error, warn};
use crate::files::Writer;
use crate::interrupt;
use crate::lexicon::{Lexicon, LexiconData};
use crate::metrics::Engine;
use crate::output::{Csv, Format, Html, Json, Markdown, Report, ReportCharts, Terminal, file_formats};
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

const SCORE_EXAMPLES: &str = "\
Examples:
  drift score --customer \"We keep losing adjusters to paperwork\" \"Our platform ends admin overhead\"
  drift score --scenario scenarios/marketing-long-distance.yaml \\
      --headline \"Get your adjusters back in the field\" --body @copy/body.txt --cta \"See how\"
  drift score --customer @interview.txt --message \"Ad A=@ad-a.txt\" --message \"Ad B=@ad-b.txt\"
  pbpaste | drift score --customer @interview.txt -";

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
    #[command(subcommand)]
    pub command: Command,
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
    #[command(after_help = SCORE_EXAMPLES)]
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
    /// Writes sweep.csv and the sweep chart to <OUT>/<slug>/.
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
    #[command(after_help = "Example:\n  drift validate scenarios/*.yaml")]
    Validate {
        /// Scenario files (YAML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
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
    /// Print the built-in lexicon (YAML), with a scenario's extensions if given.
    #[command(after_help = "Examples:\n  drift lexicon | less\n  drift lexicon --scenario my-scenario.yaml")]
    Lexicon {
        /// Include this scenario's `lexicon:` extensions.
        #[arg(long, value_name = "FILE")]
        scenario: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (YAML).
    pub scenario: PathBuf,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = RunFormat::Text)]
    pub format: RunFormat,
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub charts: ChartArgs,
    /// Skip the counterfactual blame (what passing each hop through would gain); faster.
    #[arg(long)]
    pub no_counterfactual: bool,
    #[command(flatten)]
    pub compute: ComputeArgs,
}

/// How the work is done: never changes a result.
#[derive(Debug, Clone, clap::Args)]
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

impl RunArgs {
    fn engine(&self) -> Engine {
        self.compute.engine()
    }
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

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Two or more scenario files; the first is the baseline.
    #[arg(required = true, num_args = 2..)]
    pub scenarios: Vec<PathBuf>,
    /// text (a table) or json (compare.json) on stdout.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Text)]
    pub format: ScoreFormat,
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub charts: ChartArgs,
    #[command(flatten)]
    pub compute: ComputeArgs,
}

/// Seed, runs and where the files go: the same for run, compare and sweep.
#[derive(Debug, clap::Args)]
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
    /// Print nothing on stdout (the files are still written).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// Where to write the scenario; - prints it on stdout.
    #[arg(default_value = "scenario.yaml", value_name = "FILE")]
    pub file: PathBuf,
    /// Which starter scenario (see --list).
    #[arg(long, short, default_value = "basic", value_name = "NAME", value_parser = template_names())]
    pub template: String,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
    /// List the templates and exit.
    #[arg(long, conflicts_with_all = ["template", "force"])]
    pub list: bool,
}

/// The template names, with their summaries for `--help` and shell completion.
fn template_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        crate::templates::TEMPLATES.iter().map(|t| clap::builder::PossibleValue::new(t.name).help(t.summary)),
    )
}

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The scenario file (YAML).
    pub scenario: PathBuf,
    /// PATH=FROM..TO:STEPS, e.g. chain[2].mutate.jargon=0..1:11; give it twice for a grid.
    #[arg(long, required = true, value_name = "PATH=FROM..TO:STEPS")]
    pub vary: Vec<String>,
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub charts: ChartArgs,
    #[command(flatten)]
    pub compute: ComputeArgs,
}

/// How charts are drawn.
#[derive(Debug, Clone, clap::Args)]
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
fn parse_flash(s: &str) -> Result<std::time::Duration, String> {
    let x: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number of seconds, e.g. 5 or 2.5"))?;
    if !(0.1..=600.0).contains(&x) {
        return Err(format!("{x} seconds: give 0.1 to 600"));
    }
    Ok(std::time::Duration::from_secs_f64(x))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    /// The readable trace.
    Text,
    /// summary.json.
    Json,
    /// hops.csv.
    Csv,
    /// trace.md.
    Md,
}

/// Where the customer's words come from, and the messages to hold against them. Every text
/// is typed in, `@FILE`, or `-` for standard input.
#[derive(Debug, clap::Args)]
#[command(
    override_usage = "drift score [OPTIONS] <--customer <TEXT>|--scenario <FILE>> <--headline <TEXT>|--body <TEXT>|--cta <TEXT>|--message <LABEL=TEXT>|MESSAGE>...\n       drift score --pairs <FILE> [--format <csv|json>]"
)]
#[command(group(clap::ArgGroup::new("customer_words").required(true).args(["customer", "scenario", "pairs"])))]
#[command(group(clap::ArgGroup::new("messages_to_score").required(true).multiple(true).args(["headline", "body", "cta", "message", "messages", "pairs"])))]
pub struct ScoreArgs {
    /// The customer's own words: the text, @FILE, or - for standard input.
    #[arg(long, value_name = "TEXT")]
    pub customer: Option<String>,
    /// Take the customer's words, three P's and lexicon from this scenario instead.
    #[arg(long, value_name = "FILE", conflicts_with = "customer")]
    pub scenario: Option<PathBuf>,
    /// The headline: the text, @FILE, or -.
    #[arg(long, value_name = "TEXT")]
    pub headline: Option<String>,
    /// The body copy: the text, @FILE, or -.
    #[arg(long, value_name = "TEXT")]
    pub body: Option<String>,
    /// The call to action: the text, @FILE, or -.
    #[arg(long, value_name = "TEXT")]
    pub cta: Option<String>,
    /// Any other message, with its label: --message "Subject line=Get your adjusters back";
    /// the text after `=` may be @FILE or -. Repeat for more.
    #[arg(long, value_name = "LABEL=TEXT")]
    pub message: Vec<String>,
    /// More messages: the text, @FILE (labelled with the file's name), or -.
    #[arg(value_name = "MESSAGE")]
    pub messages: Vec<String>,
    /// Score a whole table instead: a CSV or TSV file (comma, `;` or tab, found from the
    /// header) whose header names a `customer` and a `message` column. Prints the table with
    /// a column per metric added; every input column is kept, in order.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["headline", "body", "cta", "message", "messages"])]
    pub pairs: Option<PathBuf>,
    /// text (the default): a table and plain verdicts; json: the same, with the words behind
    /// each number. With --pairs: csv (the default) or json.
    #[arg(long, value_enum)]
    pub format: Option<ScoreOutput>,
}

impl ScoreArgs {
    /// (label, what errors call it, source) per message, in reading order: headline, body,
    /// call to action, then `--message` and the positional messages as given.
    fn messages(&self) -> Result<Vec<(String, String, Source)>, Error> {
        let mut out = Vec::new();
        for (label, option, value) in
            [("headline", "--headline", &self.headline), ("body", "--body", &self.body), ("call to action", "--cta", &self.cta)]
        {
            if let Some(v) = value {
                out.push((label.to_string(), option.to_string(), Source::parse(v)));
            }
        }
        for spec in &self.message {
            let Some((label, text)) = spec.split_once('=') else {
                return Err(Error::Usage(format!(
                    "--message {spec:?}: give a label and the text, LABEL=TEXT, e.g. --message \"Subject line=Get your adjusters back\"; or give the text on its own, without --message"
                )));
            };
            let label = label.trim();
            if label.is_empty() {
                return Err(Error::Usage(format!("--message {spec:?}: the label before `=` is empty")));
            }
            out.push((label.to_string(), format!("--message {label}"), Source::parse(text)));
        }
        let several = self.messages.len() > 1;
        for (i, m) in self.messages.iter().enumerate() {
            let source = Source::parse(m);
            let label = match &source {
                Source::File(path) => path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string()),
                _ if several => format!("message {}", i + 1),
                _ => "message".to_string(),
            };
            out.push((label, if several { format!("message {}", i + 1) } else { "message".to_string() }, source));
        }
        Ok(out)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    Text,
    Json,
}

/// What `drift score` prints: the formats of [`ScoreFormat`], and csv for a table of pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreOutput {
    /// A table and plain verdicts (not with --pairs).
    Text,
    /// The same, with the words behind each number; with --pairs, the rows and their scores.
    Json,
    /// With --pairs (its default): the table with a column per metric added.
    Csv,
}

pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Run(args) => run_scenario(&args),
        Command::Score(args) => score(&args),
        Command::Compare(args) => compare(&args),
        Command::Sweep(args) => sweep(&args),
        Command::Play(args) => crate::play::play(&crate::play::Options {
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
        }),
        Command::Calibrate(args) => calibrate::run(&args),
        Command::New(args) => new(&args),
        Command::Validate { files } => validate(&files),
        Command::Completions { shell } => print_bytes(&crate::manual::completions(<Cli as clap::CommandFactory>::command(), shell)),
        Command::Man { command, out } => man(command.as_deref(), out.as_deref()),
        Command::Lexicon { scenario } => lexicon(scenario.as_deref()),
    }
}

fn color_on() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
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

/// [`print`] for generated text (completion scripts are ASCII, but need not be UTF-8).
fn print_bytes(bytes: &[u8]) -> Result<(), Error> {
    print(&String::from_utf8_lossy(bytes))
}

fn man(command: Option<&str>, out: Option<&Path>) -> Result<(), Error> {
    let cli = <Cli as clap::CommandFactory>::command();
    let failed = |e: std::io::Error| Error::Usage(format!("cannot render the manual: {e}"));
    if let Some(dir) = out {
        crate::files::check_out(dir)?;
        let pages = crate::manual::pages(cli).map_err(failed)?;
        let written = crate::files::write_into(dir, &pages)?;
        return print(&format!(
            "Wrote {} manual pages to {}/\nRead one with: man -l {}\n",
            written.len(),
            dir.display(),
            dir.join("drift.1").display()
        ));
    }
    let commands: Vec<String> = cli.get_subcommands().map(|c| c.get_name().to_string()).filter(|n| n != "help").collect();
    match crate::manual::one(cli, command).map_err(failed)? {
        Some((_, roff)) => print_bytes(&roff),
        None => Err(Error::Usage(format!(
            "drift has no command `{}`: give one of {}, or nothing for drift(1)",
            command.unwrap_or_default(),
            commands.join(", ")
        ))),
    }
}

fn run_scenario(args: &RunArgs) -> Result<(), Error> {
    crate::files::check_out(&args.batch.out)?;
    let scenario = Scenario::load(&args.scenario)?;
    let _cancellable = interrupt::Cancellable::begin();
    let lexicon = Lexicon::with_extension(&scenario.lexicon);
    let seed = args.batch.seed.unwrap_or(scenario.seed);
    let runs = args.batch.runs.unwrap_or(scenario.runs);
    let settings = Settings { seed, runs, engine: args.engine(), counterfactual: !args.no_counterfactual };
    let cancel = interrupt::ctrl_c();
    let analysis =
        with_threads(args.compute.threads, || with_progress(runs, "runs", |tick| analyse(&scenario, &lexicon, settings, tick, cancel)))??;
    let file = args.scenario.display().to_string();
    let report = Report { scenario: &scenario, analysis: &analysis, lexicon: &lexicon, file: &file };
    let slug = scenario.slug();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for f in file_formats() {
        cancel.check()?;
        files.push((f.file_name().to_string(), f.render(&report).into_bytes()));
    }
    let formats = args.charts.formats();
    let mut report_charts = ReportCharts::Skipped;
    if !formats.is_empty() {
        let theme = Theme::new(args.charts.theme, args.charts.size);
        let data = ChartData::from_report(&report);
        // a chart not drawn because of Ctrl-C is an interruption, not a failure to draw
        let charts = crate::chart::render_all(&data, &theme, &formats, cancel);
        cancel.check()?;
        let charts = charts.map_err(Error::Chart)?;
        let drawn = ReportCharts::from_run(&data, &charts.files, args.charts.theme, args.charts.size, cancel);
        cancel.check()?;
        report_charts = drawn.map_err(Error::Chart)?;
        files.extend(charts.files);
        warn_missing_glyphs(&charts.missing_glyphs);
    }
    cancel.check()?;
    let html = Html { charts: &report_charts, command: &args.command_line(seed, runs) };
    files.push((html.file_name().to_string(), html.render(&report).into_bytes()));
    let written = write_outputs(&args.batch.out, &slug, Writer::Run, &[&args.scenario], &files)?;
    if args.batch.quiet {
        return Ok(());
    }
    let stdout = match args.format {
        RunFormat::Text => {
            let mut text = Terminal { color: color_on() }.render(&report);
            text.push_str(&format!("\nWrote {} files to {}/\n", written.files.len(), written.dir.display()));
            text
        }
        RunFormat::Json => Json.render(&report),
        RunFormat::Csv => Csv.render(&report),
        RunFormat::Md => Markdown.render(&report),
    };
    print(&stdout)
}

/// Writes a command's outputs into their folder in `out` (see [`crate::files`]). Ctrl-C
/// pressed while they were put in place ends drift with a message saying they are complete.
fn write_outputs(
    out: &Path,
    name: &str,
    writer: Writer,
    sources: &[&Path],
    files: &[(String, Vec<u8>)],
) -> Result<crate::files::Written, Error> {
    let written = crate::files::write_folder(&crate::files::Folder { out, name, writer, sources }, files)?;
    if interrupt::requested() {
        return Err(Error::InterruptedAfterWriting { dir: written.dir });
    }
    Ok(written)
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

/// Runs `work` with a progress bar on stderr, shown only when stderr is a terminal and the
/// work has taken more than a second.
fn with_progress<T>(total: u64, unit: &'static str, work: impl FnOnce(&(dyn Fn(u64) + Sync)) -> T) -> T {
    use std::io::IsTerminal;
    use std::time::{Duration, Instant};
    let bar = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::hidden());
    if let Ok(style) = indicatif::ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {unit} · {{eta}} left")) {
        bar.set_style(style);
    }
    let started = Instant::now();
    let visible = std::sync::atomic::AtomicBool::new(false);
    let terminal = std::io::stderr().is_terminal();
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

fn compare(args: &CompareArgs) -> Result<(), Error> {
    let most = crate::scenario::limits::MAX_VARIANTS;
    if args.scenarios.len() > most {
        return Err(Error::Usage(format!(
            "{} scenario files to compare: drift compare takes at most {most}\n  help: compare fewer variants at a time, keeping the same first file as the baseline",
            args.scenarios.len()
        )));
    }
    crate::files::check_out(&args.batch.out)?;
    let mut scenarios = Vec::new();
    for path in &args.scenarios {
        scenarios.push(Scenario::load(path)?);
    }
    let _cancellable = interrupt::Cancellable::begin();
    let variants: Vec<crate::compare::Variant> = scenarios
        .iter()
        .zip(&args.scenarios)
        .map(|(scenario, path)| crate::compare::Variant { scenario, file: path.display().to_string() })
        .collect();
    let first = &scenarios[0];
    let seed = args.batch.seed.unwrap_or(first.seed);
    let runs = args.batch.runs.unwrap_or(first.runs);
    let metric = first.headline();
    let engine = args.compute.engine();
    let cancel = interrupt::ctrl_c();
    let comparison = with_threads(args.compute.threads, || {
        with_progress(runs * variants.len() as u64, "runs", |tick| {
            crate::compare::compare(&variants, metric, seed, runs, engine, tick, cancel)
        })
    })??;
    let slugs: Vec<String> = scenarios.iter().map(Scenario::slug).collect();
    let mut name = format!("compare-{}", slugs.join("-vs-"));
    name.truncate(120);
    let name = name.trim_end_matches('-').to_string();
    let json = crate::output::comparison::json(&comparison);
    let mut files = vec![("compare.json".to_string(), json.clone().into_bytes())];
    let theme = Theme::new(args.charts.theme, args.charts.size);
    let mut missing = std::collections::BTreeSet::new();
    for format in args.charts.formats() {
        cancel.check()?;
        let (bytes, lost) =
            crate::chart::render(&crate::chart::compare::CompareChart, &comparison, &theme, format).map_err(Error::Chart)?;
        files.push((format!("compare.{}", format.extension()), bytes));
        missing.extend(lost);
    }
    warn_missing_glyphs(&missing.into_iter().collect::<Vec<_>>());
    interrupt::check()?;
    let sources: Vec<&Path> = args.scenarios.iter().map(PathBuf::as_path).collect();
    let written = write_outputs(&args.batch.out, &name, Writer::Compare, &sources, &files)?;
    if args.batch.quiet {
        return Ok(());
    }
    match args.format {
        ScoreFormat::Json => print(&json),
        ScoreFormat::Text => {
            let text = crate::output::comparison::text(&comparison);
            print(&format!("{text}\nWrote {} files to {}/\n", written.files.len(), written.dir.display()))
        }
    }
}

fn sweep(args: &SweepArgs) -> Result<(), Error> {
    crate::files::check_out(&args.batch.out)?;
    let scenario = Scenario::load(&args.scenario)?;
    if args.vary.len() > 2 {
        return Err(Error::Usage("give --vary once for a curve or twice for a grid, not more".into()));
    }
    let mut varies = Vec::new();
    for spec in &args.vary {
        let v = crate::sweep::Vary::parse(spec, &scenario).map_err(|e| Error::Usage(format!("--vary {spec}: {e}")))?;
        if varies.iter().any(|w: &crate::sweep::Vary| w.hop == v.hop && w.operator == v.operator && w.param == v.param) {
            return Err(Error::Usage(format!("--vary {spec}: that rate is already varied")));
        }
        varies.push(v);
    }
    let _cancellable = interrupt::Cancellable::begin();
    let lexicon = Lexicon::with_extension(&scenario.lexicon);
    let seed = args.batch.seed.unwrap_or(scenario.seed);
    let runs = args.batch.runs.unwrap_or(scenario.runs);
    let points: u64 = varies.iter().map(|v| v.steps as u64).product();
    let engine = args.compute.engine();
    let cancel = interrupt::ctrl_c();
    let result = with_threads(args.compute.threads, || {
        with_progress(points * runs, "runs", |tick| crate::sweep::sweep(&scenario, &lexicon, &varies, seed, runs, engine, tick, cancel))
    })??;
    let csv = crate::sweep::csv(&result);
    let mut files = vec![("sweep.csv".to_string(), csv.clone().into_bytes())];
    let theme = Theme::new(args.charts.theme, args.charts.size);
    let mut missing = std::collections::BTreeSet::new();
    for format in args.charts.formats() {
        cancel.check()?;
        let (bytes, lost) = crate::chart::render(&crate::chart::sweep::SweepChart, &result, &theme, format).map_err(Error::Chart)?;
        files.push((format!("sweep.{}", format.extension()), bytes));
        missing.extend(lost);
    }
    warn_missing_glyphs(&missing.into_iter().collect::<Vec<_>>());
    interrupt::check()?;
    let written = write_outputs(&args.batch.out, &scenario.slug(), Writer::Sweep, &[&args.scenario], &files)?;
    if args.batch.quiet {
        return Ok(());
    }
    print(&format!("{csv}\nWrote {} files to {}/\n", written.files.len(), written.dir.display()))
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

fn score(args: &ScoreArgs) -> Result<(), Error> {
    if let Some(path) = &args.pairs {
        let pairs = crate::pairs::load(path)?;
        let scores = crate::pairs::score(&pairs, &Lexicon::built_in());
        return print(&match args.format.unwrap_or(ScoreOutput::Csv) {
            ScoreOutput::Csv => crate::output::score::pairs_csv(&pairs, &scores),
            ScoreOutput::Json => crate::output::score::pairs_json(&pairs, &scores),
            ScoreOutput::Text => return Err(Error::Usage("--pairs prints csv or json: give --format csv or --format json".into())),
        });
    }
    let format = match args.format.unwrap_or(ScoreOutput::Text) {
        ScoreOutput::Csv => return Err(Error::Usage("--format csv is for a table of pairs (--pairs FILE); give text or json".into())),
        format => format,
    };
    let messages = args.messages()?;
    let customer_source = args.customer.as_deref().map(Source::parse);
    let mut sources: Vec<(&str, &Source)> = messages.iter().map(|(_, what, source)| (what.as_str(), source)).collect();
    if let Some(c) = &customer_source {
        sources.insert(0, ("--customer", c));
    }
    crate::source::check_one_stdin(sources).map_err(Error::Usage)?;
    let (customer, lexicon) = match (&customer_source, &args.scenario) {
        (_, Some(path)) => {
            let s = Scenario::load(path)?;
            let three_ps = s.customer.three_ps().into_iter().map(|(n, p)| (n, p.to_string())).collect();
            let customer = crate::score::Customer { who: s.customer.who.clone(), said: s.customer.told().to_string(), three_ps };
            (customer, Lexicon::with_extension(&s.lexicon))
        }
        (Some(source), None) => {
            let said = crate::source::read("--customer", source)?;
            (crate::score::Customer { who: None, said, three_ps: Vec::new() }, Lexicon::built_in())
        }
        (None, None) => return Err(Error::Usage("give the customer's words with --customer TEXT or --scenario FILE".into())),
    };
    let mut texts = Vec::new();
    for (label, what, source) in &messages {
        texts.push(crate::score::Message { label: label.clone(), text: crate::source::read(what, source)? });
    }
    let cards = crate::score::score(&customer, &texts, &lexicon);
    print(&match format {
        ScoreOutput::Json => crate::output::score::json(&customer, &cards, &crate::score::chance(&customer, &lexicon)),
        _ => crate::output::score::text(&customer, &cards, &crate::score::chance(&customer, &lexicon), color_on()),
    })
}

fn new(args: &NewArgs) -> Result<(), Error> {
    use crate::templates::{TEMPLATES, find};
    if args.list {
        let width = TEMPLATES.iter().map(|t| t.name.len()).max().unwrap_or(0);
        let list: String = TEMPLATES.iter().map(|t| format!("{:<width$}  {}\n", t.name, t.summary)).collect();
        return print(&list);
    }
    let template = find(&args.template).ok_or_else(|| Error::Usage(format!("no template called {}", args.template)))?;
    if args.file.as_os_str() == "-" {
        return print(&template.render("scenario.yaml"));
    }
    let path = &args.file;
    if path.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a folder: name the file to write in it, e.g. drift new {}",
            path.display(),
            crate::templates::shell_word(&path.join("my-scenario.yaml").display().to_string())
        )));
    }
    let text = template.render(&path.display().to_string());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            action: "create the folder",
            path: dir.to_path_buf(),
            source,
            help: "check the path, or write the scenario somewhere else",
        })?;
    }
    // an existing file is kept unless --force; the new one appears whole or not at all
    crate::files::write_file(path, text.as_bytes(), args.force)?;
    let shown = crate::templates::shell_word(&path.display().to_string());
    print(&format!(
        "Wrote {shown}: {} ({} template).\nNext: put your customer's words and your chain in it, then\n  drift validate {shown}\n  drift run {shown}\n",
        template.summary, template.name
    ))
}

fn validate(files: &[PathBuf]) -> Result<(), Error> {
    if let [file] = files {
        let s = Scenario::load(file)?;
        return print(&format!("ok: {} ({}, {} hops)\n", file.display(), s.name, s.chain.len()));
    }
    let mut invalid = 0;
    let mut ok = String::new();
    for file in files {
        match Scenario::load(file) {
            Ok(s) => ok.push_str(&format!("ok: {} ({}, {} hops)\n", file.display(), s.name, s.chain.len())),
            Err(e) => {
                invalid += 1;
                crate::error::report(&Error::from(e));
            }
        }
    }
    print(&ok)?;
    match invalid {
        0 => Ok(()),
        _ => Err(Error::Invalid { invalid, total: files.len() }),
    }
}

fn lexicon(scenario: Option<&Path>) -> Result<(), Error> {
    let mut data = LexiconData::built_in();
    let mut header = String::from("# drift's built-in lexicon");
    if let Some(path) = scenario {
        let s = Scenario::load(path)?;
        data.extend(s.lexicon);
        header.push_str(&format!(", extended by {}", path.display()));
    }
    let counts: Vec<String> = data.counts().iter().map(|(n, c)| format!("{c} {n}")).collect();
    let yaml = serde_yaml::to_string(&data).map_err(|e| Error::Usage(format!("cannot print the lexicon: {e}")))?;
    print(&format!("{header}\n# {}\n{yaml}", counts.join(", ")))
}
