//! `drift run`: one traced run and the Monte Carlo bands, written as a report.

use super::*;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (YAML); - reads it from standard input.
    pub scenario: PathBuf,
    /// What to print on stdout.
    #[arg(long, default_value = "text", value_parser = stdout_formats())]
    pub format: String,
    /// Skip the counterfactual blame (what passing each hop through would gain); faster.
    #[arg(long)]
    pub no_counterfactual: bool,
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub charts: ChartArgs,
    /// The drift chart's title and the name the other charts give the scenario, for a talk
    /// (default: the scenario's `name:`).
    #[arg(long, value_name = "TEXT", help_heading = "Charts", value_parser = one_line)]
    pub title: Option<String>,
    /// The line under the drift chart's title, for a talk (default: the customer's words and
    /// who said them).
    #[arg(long, value_name = "TEXT", help_heading = "Charts", value_parser = one_line)]
    pub subtitle: Option<String>,
    #[command(flatten)]
    pub compute: ComputeArgs,
}

/// A title is one line of printable text.
fn one_line(s: &str) -> Result<String, String> {
    match s.chars().find(|c| c.is_control()) {
        Some(c) => Err(format!("{c:?} is a control character: a title is one line of text")),
        None if s.trim().is_empty() => Err("the text is empty".to_string()),
        None => Ok(s.trim().to_string()),
    }
}

/// The charts `trace.md` shows: each kind's PNG, or its SVG when only SVG is drawn.
fn chart_links(formats: &[ImageFormat]) -> Vec<crate::output::ChartLink> {
    let Some(format) = [ImageFormat::Png, ImageFormat::Svg].into_iter().find(|f| formats.contains(f)) else { return Vec::new() };
    crate::chart::ChartKind::ALL
        .iter()
        .map(|kind| {
            let about = kind.about();
            crate::output::ChartLink {
                file: format!("{}.{}", about.name, format.extension()),
                question: about.question,
                how_to_read: about.how_to_read,
            }
        })
        .collect()
}

/// What `--format` takes: the readable trace, or any format the run writes as a file (from
/// [`crate::output::FILE_FORMATS`], so a new format is offered without a line here).
fn stdout_formats() -> clap::builder::PossibleValuesParser {
    let text = clap::builder::PossibleValue::new("text").help("The readable trace");
    let files = crate::output::FILE_FORMATS.iter().map(|f| clap::builder::PossibleValue::new(f.name()).help(f.file_name()));
    clap::builder::PossibleValuesParser::new(std::iter::once(text).chain(files))
}

pub(super) fn run(args: &RunArgs, signals: &Signals) -> Result<(), Error> {
    crate::files::check_out(&args.batch.out)?;
    let scenario = Scenario::load(&args.scenario)?;
    let _cancellable = signals.begin_cancellable();
    let lexicon = Lexicon::with_extension(&scenario.lexicon);
    let plan = args.batch.plan_for(&scenario, &args.compute);
    let (seed, runs) = (plan.seed, plan.runs);
    let settings = RunSettings { plan, counterfactual: !args.no_counterfactual };
    let cancel = signals.cancel();
    let analysis = with_threads(args.compute.threads, || {
        with_progress(Some(runs), "runs", args.batch.quiet, |tick| analyse(&scenario, &lexicon, settings, Control::new(tick, cancel)))
    })??;
    let file = crate::scenario::diagnose::file_name(&args.scenario);
    let formats = args.charts.formats();
    let links = chart_links(&formats);
    let report = Report { scenario: &scenario, analysis: &analysis, file: &file, charts: &links };
    let slug = scenario.slug();
    let mut artifacts = Artifacts::default();
    for f in crate::output::FILE_FORMATS {
        cancel.check()?;
        artifacts.push(f.file_name(), f.render(&report));
    }
    let mut report_charts = ReportCharts::Skipped;
    if !formats.is_empty() {
        let theme = Theme::new(args.charts.theme, args.charts.size);
        let mut data = ChartData::new(&scenario, &analysis);
        data.title = args.title.clone().unwrap_or(data.title);
        data.subtitle = args.subtitle.clone();
        // a chart not drawn because of Ctrl-C is an interruption, not a failure to draw
        let charts = crate::chart::render_all(&data, &theme, &formats, cancel);
        cancel.check()?;
        let charts = charts.map_err(Error::Chart)?;
        let light = crate::chart::light_svgs(&data, &charts.files, args.charts.theme, args.charts.size, cancel);
        cancel.check()?;
        report_charts = ReportCharts::Drawn(light.map_err(Error::Chart)?.into_iter().map(figure).collect());
        artifacts.files.extend(charts.files);
        artifacts.missing_glyphs.extend(charts.missing_glyphs);
    }
    cancel.check()?;
    let html = Html { charts: &report_charts, command: &args.command_line(seed, runs) };
    artifacts.push(html.file_name(), html.render(&report));
    let written =
        artifacts.write(&Place { out: &args.batch.out, name: &slug, writer: Writer::Run, sources: &[&args.scenario] }, signals)?;
    if args.batch.quiet {
        return Ok(());
    }
    match crate::output::file_format(&args.format) {
        Some(format) => print(&format.render(&report)),
        None => {
            let text = Terminal { color: color_on() }.render(&report);
            print_fitted(&text)?;
            status(&wrote(&written));
            Ok(())
        }
    }
}

/// A chart as `report.html` shows it.
fn figure((kind, svg): (crate::chart::ChartKind, String)) -> Figure {
    let about = kind.about();
    Figure { name: about.name.to_string(), question: about.question.to_string(), how_to_read: about.how_to_read.to_string(), svg }
}
