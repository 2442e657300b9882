//! `drift sweep`: the final drift as one or two rates change.

use super::*;

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

pub(super) fn run(args: &SweepArgs) -> Result<(), Error> {
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
