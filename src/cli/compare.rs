//! `drift compare`: variants of a chain on common random numbers.

use super::*;

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Two or more scenario files; the first is the baseline. One of them may be -, read from
    /// standard input.
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

pub(super) fn run(args: &CompareArgs, signals: &Signals) -> Result<(), Error> {
    let most = crate::scenario::limits::MAX_VARIANTS;
    if args.scenarios.len() > most {
        return Err(Error::Usage(format!(
            "{} scenario files to compare: drift compare takes at most {most}\n  help: compare fewer variants at a time, keeping the same first file as the baseline",
            args.scenarios.len()
        )));
    }
    one_stdin(&args.scenarios)?;
    crate::files::check_out(&args.batch.out)?;
    let mut scenarios = Vec::new();
    for path in &args.scenarios {
        scenarios.push(Scenario::load(path)?);
    }
    let _cancellable = signals.begin_cancellable();
    let variants: Vec<crate::compare::Variant> = scenarios
        .iter()
        .zip(&args.scenarios)
        .map(|(scenario, path)| crate::compare::Variant { scenario, file: crate::scenario::diagnose::file_name(path) })
        .collect();
    let first = &scenarios[0];
    let plan = args.batch.plan_for(first, &args.compute);
    let metric = first.headline();
    let cancel = signals.cancel();
    let comparison = with_threads(args.compute.threads, || {
        with_progress(Some(plan.runs * variants.len() as u64), "runs", args.batch.quiet, |tick| {
            crate::compare::compare(&variants, metric, plan, Control::new(tick, cancel))
        })
    })??;
    let slugs: Vec<String> = scenarios.iter().map(Scenario::slug).collect();
    let mut name = format!("compare-{}", slugs.join("-vs-"));
    name.truncate(120);
    let name = name.trim_end_matches('-').to_string();
    let json = crate::output::comparison::json(&comparison);
    let mut artifacts = Artifacts::default();
    artifacts.push("compare.json", json.clone());
    artifacts.chart("compare", &crate::chart::compare::CompareChart, &comparison, &args.charts, cancel)?;
    let sources: Vec<&Path> = args.scenarios.iter().map(PathBuf::as_path).collect();
    let written = artifacts.write(&Place { out: &args.batch.out, name: &name, writer: Writer::Compare, sources: &sources }, signals)?;
    if args.batch.quiet {
        return Ok(());
    }
    match args.format {
        ScoreFormat::Json => print(&json),
        ScoreFormat::Text => {
            let text = crate::output::comparison::text(&comparison);
            print_fitted(&text)?;
            status(&wrote(&written));
            Ok(())
        }
    }
}
