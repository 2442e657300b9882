//! The command line: parses arguments and hands each command to the library.

mod reproduce;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{Map, Value, json};

use crate::aggregate::{Settings, analyse};
use crate::chart::{ChartData, ImageFormat, Theme, ThemeName};
use crate::error::Error;
use crate::lexicon::{Lexicon, LexiconData};
use crate::metrics::{Engine, Metric, jargon_share, we_focus_share};
use crate::output::{Csv, Format, Html, Json, Markdown, Report, ReportCharts, Terminal, file_formats, percent, round6};
use crate::scenario::Scenario;

const EXAMPLES: &str = "\
Examples:
  drift run scenarios/marketing-long-distance.yaml
  drift run scenarios/workshop-demo.yaml --seed 42 --runs 500
  drift run scenarios/talk-chart.yaml --format json --quiet --out talks/
  drift score --customer \"I need my adjusters back in the field\" \"Our AI platform empowers insurers\"
  drift validate scenarios/*.yaml
  drift lexicon";

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
    /// Score any message against the customer's words: every metric and the symptoms.
    #[command(
        after_help = "Example:\n  drift score --customer \"We keep losing adjusters to paperwork\" \"Our platform eliminates administrative overhead\""
    )]
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
    /// Check scenario files without running them; exit code 2 if any is invalid.
    #[command(after_help = "Example:\n  drift validate scenarios/*.yaml")]
    Validate {
        /// Scenario files (YAML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
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
    /// Worker threads (default: all cores); results are identical for any number.
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
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub runs: Option<u64>,
    /// Folder for the output; files go to a folder inside it named after the scenario.
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Print nothing on stdout (the files are still written).
    #[arg(long, short)]
    pub quiet: bool,
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

#[derive(Debug, clap::Args)]
pub struct ScoreArgs {
    /// The customer's own words.
    #[arg(long)]
    pub customer: String,
    /// The message to score (a headline, body copy, a call to action…).
    pub message: String,
    /// text: a table with verdicts; json: {metric: value, …} with the symptoms.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Text)]
    pub format: ScoreFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    Text,
    Json,
}

pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Run(args) => run_scenario(&args),
        Command::Score(args) => score(&args),
        Command::Compare(args) => compare(&args),
        Command::Sweep(args) => sweep(&args),
        Command::Validate { files } => validate(&files),
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

fn run_scenario(args: &RunArgs) -> Result<(), Error> {
    let scenario = Scenario::load(&args.scenario)?;
    let lexicon = Lexicon::with_extension(&scenario.lexicon);
    let seed = args.batch.seed.unwrap_or(scenario.seed);
    let runs = args.batch.runs.unwrap_or(scenario.runs);
    let settings = Settings { seed, runs, engine: args.engine(), counterfactual: !args.no_counterfactual };
    let analysis = with_threads(args.compute.threads, || with_progress(runs, "runs", |tick| analyse(&scenario, &lexicon, settings, tick)))?;
    let file = args.scenario.display().to_string();
    let report = Report { scenario: &scenario, analysis: &analysis, lexicon: &lexicon, file: &file };
    let dir = args.batch.out.join(scenario.slug());
    let mut files: Vec<(String, Vec<u8>)> =
        file_formats().iter().map(|f| (f.file_name().to_string(), f.render(&report).into_bytes())).collect();
    let formats = args.charts.formats();
    let mut report_charts = ReportCharts::Skipped;
    if !formats.is_empty() {
        let theme = Theme::new(args.charts.theme, args.charts.size);
        let data = ChartData::from_report(&report);
        let charts = crate::chart::render_all(&data, &theme, &formats).map_err(Error::Chart)?;
        report_charts = ReportCharts::from_run(&data, &charts.files, args.charts.theme, args.charts.size).map_err(Error::Chart)?;
        files.extend(charts.files);
        warn_missing_glyphs(&charts.missing_glyphs);
    }
    let html = Html { charts: &report_charts, command: &args.command_line(seed, runs) };
    files.push((html.file_name().to_string(), html.render(&report).into_bytes()));
    let written = write_files(&dir, &files)?;
    if args.batch.quiet {
        return Ok(());
    }
    let stdout = match args.format {
        RunFormat::Text => {
            let mut text = Terminal { color: color_on() }.render(&report);
            text.push_str(&format!("\nWrote {} files to {}/\n", written.len(), dir.display()));
            text
        }
        RunFormat::Json => Json.render(&report),
        RunFormat::Csv => Csv.render(&report),
        RunFormat::Md => Markdown.render(&report),
    };
    print(&stdout)
}

/// Runs `work` on a pool of `threads` workers (all cores when not given).
fn with_threads<T: Send>(threads: Option<u16>, work: impl FnOnce() -> T + Send) -> Result<T, Error> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(usize::from(n));
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

/// Prints a warning on stderr.
fn warn(message: &str) {
    let style = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Yellow.into())).effects(anstyle::Effects::BOLD);
    let _ = writeln!(anstream::stderr(), "{style}warning:{style:#} {message}");
}

fn compare(args: &CompareArgs) -> Result<(), Error> {
    let mut scenarios = Vec::new();
    for path in &args.scenarios {
        scenarios.push(Scenario::load(path)?);
    }
    let lexicons: Vec<Lexicon> = scenarios.iter().map(|s| Lexicon::with_extension(&s.lexicon)).collect();
    let variants: Vec<crate::compare::Variant> = scenarios
        .iter()
        .zip(&lexicons)
        .zip(&args.scenarios)
        .map(|((scenario, lexicon), path)| crate::compare::Variant { scenario, lexicon, file: path.display().to_string() })
        .collect();
    let first = &scenarios[0];
    let seed = args.batch.seed.unwrap_or(first.seed);
    let runs = args.batch.runs.unwrap_or(first.runs);
    let metric = first.headline();
    let engine = args.compute.engine();
    let comparison = with_threads(args.compute.threads, || {
        with_progress(runs, "runs", |tick| crate::compare::compare(&variants, metric, seed, runs, engine, tick))
    })?;
    let slugs: Vec<String> = scenarios.iter().map(Scenario::slug).collect();
    let mut name = format!("compare-{}", slugs.join("-vs-"));
    name.truncate(120);
    let dir = args.batch.out.join(name.trim_end_matches('-'));
    let json = crate::output::comparison::json(&comparison);
    let mut files = vec![("compare.json".to_string(), json.clone().into_bytes())];
    let theme = Theme::new(args.charts.theme, args.charts.size);
    let mut missing = std::collections::BTreeSet::new();
    for format in args.charts.formats() {
        let (bytes, lost) =
            crate::chart::render(&crate::chart::compare::CompareChart, &comparison, &theme, format).map_err(Error::Chart)?;
        files.push((format!("compare.{}", format.extension()), bytes));
        missing.extend(lost);
    }
    warn_missing_glyphs(&missing.into_iter().collect::<Vec<_>>());
    let written = write_files(&dir, &files)?;
    if args.batch.quiet {
        return Ok(());
    }
    match args.format {
        ScoreFormat::Json => print(&json),
        ScoreFormat::Text => {
            print(&format!("{}\nWrote {} files to {}/\n", crate::output::comparison::text(&comparison), written.len(), dir.display()))
        }
    }
}

fn sweep(args: &SweepArgs) -> Result<(), Error> {
    let scenario = Scenario::load(&args.scenario)?;
    if args.vary.len() > 2 {
        return Err(Error::Usage("give --vary once for a curve or twice for a grid, not more".into()));
    }
    let mut varies = Vec::new();
    for spec in &args.vary {
        let v = crate::sweep::Vary::parse(spec, &scenario).map_err(|e| Error::Usage(format!("--vary {spec}: {e}")))?;
        if varies.iter().any(|w: &crate::sweep::Vary| w.hop == v.hop && w.operator == v.operator) {
            return Err(Error::Usage(format!("--vary {spec}: that rate is already varied")));
        }
        varies.push(v);
    }
    let lexicon = Lexicon::with_extension(&scenario.lexicon);
    let seed = args.batch.seed.unwrap_or(scenario.seed);
    let runs = args.batch.runs.unwrap_or(scenario.runs);
    let points: u64 = varies.iter().map(|v| v.steps as u64).product();
    let engine = args.compute.engine();
    let result = with_threads(args.compute.threads, || {
        with_progress(points * runs, "runs", |tick| crate::sweep::sweep(&scenario, &lexicon, &varies, seed, runs, engine, tick))
    })?;
    let csv = crate::sweep::csv(&result);
    let mut files = vec![("sweep.csv".to_string(), csv.clone().into_bytes())];
    let theme = Theme::new(args.charts.theme, args.charts.size);
    let mut missing = std::collections::BTreeSet::new();
    for format in args.charts.formats() {
        let (bytes, lost) = crate::chart::render(&crate::chart::sweep::SweepChart, &result, &theme, format).map_err(Error::Chart)?;
        files.push((format!("sweep.{}", format.extension()), bytes));
        missing.extend(lost);
    }
    warn_missing_glyphs(&missing.into_iter().collect::<Vec<_>>());
    let dir = args.batch.out.join(scenario.slug());
    let written = write_files(&dir, &files)?;
    if args.batch.quiet {
        return Ok(());
    }
    print(&format!("{csv}\nWrote {} files to {}/\n", written.len(), dir.display()))
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

/// Writes the files into `dir`; returns the paths written.
fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<String>, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        action: "create the output folder",
        path: dir.to_path_buf(),
        source,
        help: "choose another folder with --out",
    })?;
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|source| Error::Io {
            action: "write",
            path: path.clone(),
            source,
            help: "check the folder's permissions and free space, or choose another folder with --out",
        })?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

fn score(args: &ScoreArgs) -> Result<(), Error> {
    if args.customer.trim().is_empty() {
        return Err(Error::Usage("--customer is empty: give the customer's own words".into()));
    }
    let lexicon = Lexicon::built_in();
    let scores: Vec<(Metric, f64)> = Metric::ALL.iter().map(|m| (*m, m.score(&args.customer, &args.message, &lexicon))).collect();
    let jargon = jargon_share(&args.message, &lexicon);
    let we = we_focus_share(&args.message);
    let text = match args.format {
        ScoreFormat::Json => {
            let mut map: Map<String, Value> = scores.iter().map(|(m, v)| (m.name().to_string(), json!(round6(*v)))).collect();
            map.insert("jargon".into(), json!(round6(jargon)));
            map.insert("we_focus".into(), json!(round6(we)));
            let mut s = serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default();
            s.push('\n');
            s
        }
        ScoreFormat::Text => {
            let mut s = String::new();
            for (m, v) in &scores {
                s.push_str(&format!("{:<17} {:>4}  {}\n", m.name(), percent(*v), crate::output::bar(*v, 20)));
            }
            s.push_str(&format!("{:<17} {:>4}  share of words that are marketing-speak\n", "jargon", percent(jargon)));
            s.push_str(&format!("{:<17} {:>4}  share of we/our/us among pronouns for people\n", "we_focus", percent(we)));
            s
        }
    };
    print(&text)
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
