//! `drift calibrate`: the command line around [`crate::calibrate`].

use std::path::{Path, PathBuf};

use super::{Artifacts, ChartArgs, Place, ScoreFormat, print, status, with_progress, with_threads, wrote};
use crate::calibrate::{self, FitSettings, Mode, Targets, data};
use crate::error::Error;
use crate::interrupt::Signals;
use crate::lexicon::Lexicon;
use crate::montecarlo::Control;
use crate::operators::Operator;
use crate::output::calibration;
use crate::scenario::{Scenario, slug};

/// Fewer observed chains than this get a warning: the fit follows them, noise and all.
const FEW_CHAINS: usize = 10;

pub const EXAMPLES: &str = "\
Examples:
  drift calibrate --check                      how `retell` compares with the published figures
  drift calibrate room.csv                     fit `retell`'s rates to a room's retellings
  drift calibrate played/ --name our_room      the same from chains saved by drift play --human --save
  drift calibrate room.csv --preset cmo --check
  drift calibrate --fit-capacity               refit `retell` to the published figures
  drift calibrate a.csv b.csv --folds 5        fit on four fifths of the originals, judge on the
                                               fifth held out, five times; against two baselines

DATA as CSV: a header naming the columns chain, generation and text (in any order; other
columns are ignored), then a row per text; generation 0 is a chain's original:
  chain,generation,text
  a,0,\"The old bridge over the river closed on Tuesday after heavy rain.\"
  a,1,\"The bridge closed after the rain.\"";

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Retellings to fit: CSVs (chain, generation, text; generation 0 is the original) or
    /// folders of scenarios saved by `drift play --human --save`, pooled. Without any, the
    /// published serial-reproduction figures, on drift's own stories.
    #[arg(value_name = "DATA")]
    pub data: Vec<PathBuf>,
    /// The preset to start from: a built-in one, or one of --scenario's `presets:`.
    #[arg(long, default_value = "retell", value_name = "NAME")]
    pub preset: String,
    /// Take the preset and the lexicon from this scenario (- reads it from standard input).
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Compare the preset as it is, without fitting; exit code 1 when it is off by more than
    /// --tolerance anywhere.
    #[arg(long)]
    pub check: bool,
    /// Fit the capacities (how fast loss grows with a message's length) as well as the rates.
    #[arg(long, conflicts_with = "check")]
    pub fit_capacity: bool,
    /// Fit omit's clause, sentence and detail rates each on its own, not as one level of
    /// forgetting (they trade off against each other: use with a lot of data).
    #[arg(long, conflicts_with = "check")]
    pub omit_levels: bool,
    /// Cross-validate in K folds split by original: fit on the other folds' chains, judge on the
    /// fold's own originals, against the copy and training-average baselines (with --check:
    /// judge the preset as it is; exit code 1 when a curve family's RMS exceeds --tolerance).
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u16).range(2..=100))]
    pub folds: Option<u16>,
    /// The fitted preset's name (default: the preset's name and the data's).
    #[arg(long, value_name = "NAME", conflicts_with = "check")]
    pub name: Option<String>,
    /// How close the simulated medians must come to the observed ones, at every generation (with
    /// --folds: the root mean square of each curve family, held out).
    #[arg(long, default_value_t = calibrate::published::TOLERANCE, value_name = "SHARE")]
    pub tolerance: f64,
    /// Random seed: the same seed gives the same fit and the same files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Simulated chains per candidate, spread evenly over the originals.
    #[arg(long, default_value_t = 400, value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    pub runs: u64,
    /// Folder for the output; files go to a folder inside it named after the preset and data.
    #[arg(long, default_value = "output", value_name = "DIR")]
    pub out: PathBuf,
    /// Print nothing on stdout (the files are still written).
    #[arg(long, short)]
    pub quiet: bool,
    /// text (a table and the fitted preset) or json (calibration.json) on stdout.
    #[arg(long, value_enum, default_value_t = ScoreFormat::Text)]
    pub format: ScoreFormat,
    #[command(flatten)]
    pub charts: ChartArgs,
    /// Worker threads (default: all cores; more than 256 run as 256); results are identical
    /// for any number.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024), help_heading = "Computation (never changes a result)")]
    pub threads: Option<u16>,
}

pub fn run(args: &CalibrateArgs, signals: &Signals) -> Result<(), Error> {
    if !(args.tolerance > 0.0 && args.tolerance <= 1.0) {
        return Err(Error::Usage(format!("--tolerance {}: give a share above 0 and at most 1, e.g. 0.05", args.tolerance)));
    }
    crate::files::check_out(&args.out)?;
    let scenario = args.scenario.as_deref().map(Scenario::load).transpose()?;
    let lexicon = scenario.as_ref().map_or_else(Lexicon::built_in, |s| Lexicon::with_extension(&s.lexicon));
    let base = base_preset(&args.preset, scenario.as_ref())?;
    if args.folds.is_some() && args.data.is_empty() {
        return Err(Error::Usage(
            "--folds splits observed chains by original: give DATA (the published figures are medians, not chains)".to_string(),
        ));
    }
    let data_name = if args.data.is_empty() {
        "published".to_string()
    } else {
        let stems: Vec<String> =
            args.data.iter().map(|p| p.file_stem().map_or_else(|| "data".to_string(), |s| s.to_string_lossy().to_string())).collect();
        stems.join("+")
    };
    let name = match &args.name {
        Some(n) => checked_name(n)?,
        None if args.check => args.preset.clone(),
        None => format!("{}_{}", args.preset, slug(&data_name).replace('-', "_")),
    };
    let mode = match (args.check, args.fit_capacity) {
        (true, _) => Mode::Check,
        (false, true) => Mode::RatesAndCapacity,
        (false, false) => Mode::Rates,
    };
    let settings = FitSettings { seed: args.seed, runs: args.runs, mode, omit_levels: args.omit_levels };
    let chains = load_all(&args.data)?;
    let k = args.folds.map(usize::from);
    if let Some(k) = k {
        let originals = calibrate::folds::originals(&chains).len();
        if originals < k {
            return Err(Error::Usage(format!(
                "--folds {k}: the data have {originals} distinct original{}; folds split by original need at least {k}",
                if originals == 1 { "" } else { "s" }
            )));
        }
    }
    let _cancellable = signals.begin_cancellable();
    let cancel = signals.cancel();
    let (result, cross) = with_threads(args.threads, || -> Result<_, Error> {
        let targets = if args.data.is_empty() {
            Targets::published()
        } else {
            if chains.len() < FEW_CHAINS && mode != Mode::Check {
                let few = if chains.len() == 1 { "1 chain is".to_string() } else { format!("{} chains are", chains.len()) };
                crate::error::warn(&format!(
                    "{few} few: the fitted rates follow these retellings closely and would move with another room; {FEW_CHAINS} or more chains give steadier rates"
                ));
            }
            let names: Vec<String> = args.data.iter().map(|p| p.display().to_string()).collect();
            let description = format!("{} ({} chains)", names.join(" + "), chains.len());
            Targets::observed(description, &chains, &lexicon)
        };
        let (knobs, _) = calibrate::knobs(&base, &targets, settings);
        if mode != Mode::Check && knobs.is_empty() {
            let fittable: Vec<String> = calibrate::FIT_PARAMS
                .iter()
                .map(|f| match f.param {
                    crate::operators::Param::Rate => f.operator.name().to_string(),
                    p => format!("{}.{}", f.operator.name(), p.name()),
                })
                .collect();
            return Err(Error::Usage(format!(
                "preset `{}` has no retelling rate drift can fit to these data (it fits {}, each where the data have a curve for it): start from `retell` or a preset that retells",
                args.preset,
                fittable.join(", ")
            )));
        }
        let cap = targets.cap;
        // how many runs a fit simulates is known only at its end: the bar counts them
        with_progress(None, "runs simulated", args.quiet, |tick| -> Result<_, Error> {
            let control = Control::new(tick, cancel);
            let result = calibrate::calibrate(&args.preset, &name, &base, targets, &lexicon, settings, control)?;
            let cross = match (k, cap) {
                (Some(k), Some(cap)) => Some(calibrate::folds::cross_validate(&chains, k, cap, &lexicon, settings, control, |training| {
                    if mode == Mode::Check {
                        return Ok((base.clone(), Vec::new(), 0));
                    }
                    let fitted = calibrate::calibrate(&args.preset, &name, &base, training, &lexicon, settings, control)?;
                    Ok((fitted.fitted, fitted.knobs, fitted.evaluations))
                })?),
                _ => None,
            };
            Ok((result, cross))
        })
    })??;
    let folder = format!("calibrate-{}-{}", slug(&args.preset), slug(&data_name));
    let json = calibration::json(&result, cross.as_ref(), args.tolerance);
    let mut artifacts = Artifacts::default();
    artifacts.push("calibration.json", json.clone());
    artifacts.push("calibration.csv", calibration::csv(&result));
    if let Some(cv) = &cross {
        artifacts.push("folds.csv", calibration::folds_csv(cv));
    }
    if mode != Mode::Check {
        artifacts.push("preset.yaml", calibration::preset_yaml(&result));
    }
    let chart = crate::chart::calibration::CalibrationChart { tolerance: args.tolerance };
    artifacts.chart("calibration", &chart, &result, &args.charts, cancel)?;
    let sources: Vec<&Path> = args.scenario.iter().chain(args.data.iter()).map(PathBuf::as_path).collect();
    let written =
        artifacts.write(&Place { out: &args.out, name: &folder, writer: crate::files::Writer::Calibrate, sources: &sources }, signals)?;
    if !args.quiet {
        match args.format {
            ScoreFormat::Json => print(&json)?,
            ScoreFormat::Text => {
                let text = match &cross {
                    Some(cv) => calibration::folds_text(&result, cv, args.tolerance),
                    None => calibration::text(&result, args.tolerance),
                };
                super::print_fitted(&text)?;
                status(&wrote(&written));
            }
        }
    }
    if let (true, Some(cv)) = (args.check, &cross) {
        let over = calibration::folds_over(cv, args.tolerance);
        if !over.is_empty() {
            return Err(Error::Check(format!(
                "`{}` is off {} on held-out folds: root mean square over ±{} on {} of {} curve families ({})",
                args.preset,
                result.targets.description,
                args.tolerance,
                over.len(),
                cv.families.len(),
                over.iter().map(|(f, rms)| format!("{} {rms:.3}", f.name())).collect::<Vec<_>>().join(", ")
            )));
        }
        return Ok(());
    }
    let misses = result.misses(args.tolerance);
    if args.check && !misses.is_empty() {
        return Err(Error::Check(format!(
            "`{}` is off {} by more than ±{} at {} of {} points",
            args.preset,
            result.targets.description,
            args.tolerance,
            misses.len(),
            result.residuals().len()
        )));
    }
    Ok(())
}

/// The chains of every DATA, pooled (a chain's id is prefixed by its file's name when there are
/// several). The first mistake stops it, nothing written.
fn load_all(paths: &[PathBuf]) -> Result<Vec<data::Chain>, Error> {
    let mut chains = Vec::new();
    for path in paths {
        let mut loaded = data::load(path)?;
        if paths.len() > 1 {
            let stem = path.file_stem().map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().to_string());
            for chain in &mut loaded {
                chain.id = format!("{stem}:{}", chain.id);
            }
        }
        chains.extend(loaded);
    }
    Ok(chains)
}

/// The operators of the preset to start from: the scenario's own, or a built-in one.
fn base_preset(name: &str, scenario: Option<&Scenario>) -> Result<Vec<Operator>, Error> {
    let own = scenario.map_or(&[][..], |s| s.presets.as_slice());
    if let Some(operators) = crate::scenario::preset_operators(own, name) {
        return Ok(operators);
    }
    let mut msg = format!("--preset: {}", crate::scenario::unknown_name("preset", name, &crate::scenario::preset_names(own)));
    if scenario.is_none() {
        msg.push_str("; a scenario's own presets need --scenario FILE");
    }
    Err(Error::Usage(msg))
}

/// A name for the fitted preset, as `presets:` accepts it.
fn checked_name(name: &str) -> Result<String, Error> {
    use crate::scenario::BadPresetName;
    match crate::scenario::check_preset_name(name) {
        Ok(()) => Ok(name.to_string()),
        Err(BadPresetName::Characters) => {
            Err(Error::Usage(format!("--name {name:?}: a preset name holds only letters, digits, `_` and `-`, e.g. retell_our_room")))
        }
        Err(BadPresetName::BuiltIn(built_in)) => Err(Error::Usage(format!(
            "--name {name}: {}; give the fitted one another name, e.g. {built_in}_ours",
            crate::scenario::built_in_clash(name, built_in)
        ))),
    }
}
