//! `drift sweep`: the final drift as one or two rates change.

use super::*;

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The scenario file (YAML); - reads it from standard input.
    pub scenario: PathBuf,
    /// PATH=FROM..TO:STEPS, e.g. chain[2].mutate.jargon=0..1:11; give it twice for a grid.
    #[arg(long, required = true, value_name = "PATH=FROM..TO:STEPS")]
    pub vary: Vec<String>,
    /// What to print on stdout (the files are written either way).
    #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
    pub format: SweepFormat,
    #[command(flatten)]
    pub batch: BatchArgs,
    #[command(flatten)]
    pub charts: ChartArgs,
    #[command(flatten)]
    pub compute: ComputeArgs,
}

/// `drift sweep --format`: CSV stays the default, as it was before there was a choice, so that
/// `drift sweep … > sweep.csv` keeps working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    /// sweep.csv: a row per point.
    Csv,
    /// sweep.json: the settings varied, and every point's band.
    Json,
    /// A table to read, in percent.
    Text,
}

pub(super) fn run(args: &SweepArgs, signals: &Signals) -> Result<(), Error> {
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
    let _cancellable = signals.begin_cancellable();
    let lexicon = Lexicon::with_extension(&scenario.lexicon);
    let plan = args.batch.plan_for(&scenario, &args.compute);
    let points: u64 = varies.iter().map(|v| v.steps as u64).product();
    let cancel = signals.cancel();
    let result = with_threads(args.compute.threads, || {
        with_progress(Some(points * plan.runs), "runs", args.batch.quiet, |tick| {
            crate::sweep::sweep(&scenario, &lexicon, &varies, plan, Control::new(tick, cancel))
        })
    })??;
    let (csv, json) = (crate::output::sweep::csv(&result), crate::output::sweep::json(&result));
    let stdout = match args.format {
        SweepFormat::Csv => csv.clone(),
        SweepFormat::Json => json.clone(),
        SweepFormat::Text => crate::output::sweep::text(&result),
    };
    let mut artifacts = Artifacts::default();
    artifacts.push("sweep.csv", csv);
    artifacts.push("sweep.json", json);
    artifacts.chart("sweep", &crate::chart::sweep::SweepChart, &result, &args.charts, cancel)?;
    let written = artifacts
        .write(&Place { out: &args.batch.out, name: &scenario.slug(), writer: Writer::Sweep, sources: &[&args.scenario] }, signals)?;
    if args.batch.quiet {
        return Ok(());
    }
    print(&stdout)?;
    status(&wrote(&written));
    Ok(())
}
