//! `drift run`: one traced run and the Monte Carlo bands, written as a report.

use super::*;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (YAML); - reads it from standard input.
    pub scenario: PathBuf,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = RunFormat::Text)]
    pub format: RunFormat,
    /// Skip the counterfactual blame (what passing each hop through would gain); faster.
    #[arg(long)]
    pub no_counterfactual: bool,
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub charts: ChartArgs,
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
    let (seed, runs) = (args.batch.seed_for(&scenario), args.batch.runs_for(&scenario));
    let settings = Settings { seed, runs, engine: args.engine(), counterfactual: !args.no_counterfactual };
    let cancel = interrupt::ctrl_c();
    let analysis = with_threads(args.compute.threads, || {
        with_progress(Some(runs), "runs", args.batch.quiet, |tick| analyse(&scenario, &lexicon, settings, Control::new(tick, cancel)))
    })??;
    let file = crate::scenario::diagnose::file_name(&args.scenario);
    let report = Report { scenario: &scenario, analysis: &analysis, lexicon: &lexicon, file: &file };
    let slug = scenario.slug();
    let mut artifacts = Artifacts::default();
    for f in file_formats() {
        cancel.check()?;
        artifacts.push(f.file_name(), f.render(&report));
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
        artifacts.files.extend(charts.files);
        artifacts.missing_glyphs.extend(charts.missing_glyphs);
    }
    cancel.check()?;
    let html = Html { charts: &report_charts, command: &args.command_line(seed, runs) };
    artifacts.push(html.file_name(), html.render(&report));
    let written = artifacts.write(&Place { out: &args.batch.out, name: &slug, writer: Writer::Run, sources: &[&args.scenario] })?;
    if args.batch.quiet {
        return Ok(());
    }
    let stdout = match args.format {
        RunFormat::Text => {
            let text = Terminal { color: color_on() }.render(&report);
            print_fitted(&text)?;
            status(&wrote(&written));
            return Ok(());
        }
        RunFormat::Json => Json.render(&report),
        RunFormat::Csv => Csv.render(&report),
        RunFormat::Md => Markdown.render(&report),
    };
    print(&stdout)
}
