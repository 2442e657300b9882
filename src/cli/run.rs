//! `drift run`: one traced run and the Monte Carlo bands, written as a report.

use super::*;

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

impl RunArgs {
    fn engine(&self) -> Engine {
        self.compute.engine()
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

pub(super) fn run(args: &RunArgs) -> Result<(), Error> {
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
