//! What `drift calibrate` hands over: the table on the terminal, `calibration.json`,
//! `calibration.csv`, and the fitted preset as YAML to paste under `presets:`.

use serde_json::{Value, json};

use crate::calibrate::folds::{CrossValidation, Predictor, Stat};
use crate::calibrate::{At, BINS, Calibration, Differences, Family, Mode, curves};
use crate::format::round6;
use crate::operators::{Operator, Param};

/// A number as a scenario would write it: `0.38`, `1`, `12`.
fn number(x: f64) -> String {
    format!("{}", round6(x))
}

/// A signed difference: "+0.012", "−0.030", "0.000".
fn signed(x: f64) -> String {
    crate::format::with_minus(x, 1.0, 3, "+")
}

/// One operator as a `presets:` entry writes it: `0.3`, or `{ rate: 0.1, clause: 1, … }`.
pub fn operator_yaml(op: &Operator) -> String {
    let mut parts = vec![format!("rate: {}", number(op.rate))];
    for param in op.kind.number_params() {
        let value = match param {
            Param::Clause => op.clause,
            Param::Sentence => op.sentence,
            Param::Detail => op.detail,
            Param::Capacity => op.capacity,
            Param::Rate => None,
        };
        if let Some(v) = value {
            parts.push(format!("{}: {}", param.name(), number(v)));
        }
    }
    if let (Some(name), Some(text)) = (op.kind.text_param(), &op.text) {
        // a JSON string is a valid YAML double-quoted scalar
        parts.push(format!("{name}: {}", serde_json::Value::String(text.clone())));
    }
    if parts.len() == 1 { number(op.rate) } else { format!("{{ {} }}", parts.join(", ")) }
}

/// The fitted preset, ready to paste under `presets:` in a scenario.
pub fn preset_yaml(c: &Calibration) -> String {
    let mut out = format!(
        "# drift calibrate: `{}` fitted to {} from the `{}` preset (seed {}, {} simulated chains per candidate).\n",
        c.name, c.targets.description, c.base_name, c.settings.seed, c.runs
    );
    out.push_str(&format!("# Paste under `presets:` in a scenario and give a hop `preset: {}`.\n", c.name));
    out.push_str(&format!("presets:\n  {}:\n", c.name));
    for op in &c.fitted {
        out.push_str(&format!("    {}: {}\n", op.kind.name(), operator_yaml(op)));
    }
    out
}

/// The value of a knob's parameter in `ops`.
fn value_of(ops: &[Operator], knob: &crate::calibrate::Knob) -> Option<f64> {
    ops.iter().find(|o| o.kind == knob.operator).and_then(|o| o.param(knob.param))
}

/// The calibration as a table, with the verdict and (after a fit) the preset.
pub fn text(c: &Calibration, tolerance: f64) -> String {
    let t = &c.targets;
    let originals = t.originals.len();
    let what = if t.published { format!("drift's {originals} stories") } else { format!("the {originals} chains' originals") };
    let mut out = match c.settings.mode {
        Mode::Check => format!("Checking `{}` against {}", c.base_name, t.description),
        _ => format!("Calibrating `{}` to {}", c.base_name, t.description),
    };
    out.push_str(&format!(": {what} retold up to {} times, {} simulated chains (seed {})\n", t.generations(), c.runs, c.settings.seed));
    if let Some(line) = cap_line(c) {
        out.push_str(&line);
    }
    out.push('\n');
    out.push_str(&fitted_lines(c, "Fitted"));
    if c.settings.mode != Mode::Check || !c.fixed.is_empty() {
        out.push('\n');
    }
    out.push_str(&generations_table(c));
    out.push_str(&intact_table(c, 44));
    out.push('\n');
    out.push_str(&verdict(c, tolerance));
    out.push('\n');
    out.push_str(&families_table(c, 46));
    if let Some(hint) = next_step(c, tolerance) {
        out.push('\n');
        out.push_str(hint);
        out.push('\n');
    }
    out.push_str(&short_lines(c));
    if c.settings.mode != Mode::Check {
        out.push_str("\nThe fitted preset, ready to paste under `presets:` in a scenario:\n\n");
        out.push_str(&preset_yaml(c));
    }
    out
}

/// Which generations were left out, if any.
fn cap_line(c: &Calibration) -> Option<String> {
    let cap = c.targets.cap.filter(|cap| cap.cuts())?;
    let left_out = if cap.deepest == cap.compared + 1 {
        format!("generation {}", cap.deepest)
    } else {
        format!("generations {}–{}", cap.compared + 1, cap.deepest)
    };
    Some(format!("Compared: generations 1–{} ({left_out} left out: reached by fewer than {} chains)\n", cap.compared, cap.min_chains))
}

/// The knobs fitted, before and after, and those kept; nothing under `--check` without any kept.
fn fitted_lines(c: &Calibration, title: &str) -> String {
    let mut out = String::new();
    if c.settings.mode != Mode::Check {
        out.push_str(&format!("{title} ({} candidates, all on the same random numbers):\n", c.evaluations));
        for k in &c.knobs {
            let (before, after) = (value_of(&c.base, k), value_of(&c.fitted, k));
            let mut line =
                format!("  {:<20} {:>6} → {}", k.path(), before.map_or("—".to_string(), number), after.map_or("—".to_string(), number));
            if k.ties() {
                let op = c.fitted.iter().find(|o| o.kind == k.operator);
                let level = |p: Param| op.and_then(|o| o.param(p)).map_or("—".to_string(), number);
                let tied: Vec<String> = k.tied.iter().map(|&(p, _)| format!("{} {}", p.name(), level(p))).collect();
                line.push_str(&format!("   ({}: {} move with it; --omit-levels fits them apart)", k.tie, tied.join(" and ")));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    if !c.fixed.is_empty() {
        out.push_str("Kept as they are:\n");
        for (k, why) in &c.fixed {
            out.push_str(&format!("  {:<20} {:>6}   {why}\n", k.path(), value_of(&c.base, k).map_or("—".to_string(), number)));
        }
    }
    out
}

/// Observed against simulated medians, curve by curve, generation by generation.
fn generations_table(c: &Calibration) -> String {
    let t = &c.targets;
    let mut out = String::new();
    let generations = t.generations();
    let label_width = 44;
    out.push_str(&format!("{:<label_width$}", "generation"));
    for g in 1..=generations {
        out.push_str(&format!("{g:>8}"));
    }
    out.push('\n');
    let observed = if t.published { "people (published median)" } else { "observed (median)" };
    for curve in c.curves() {
        out.push_str(curve.label());
        out.push('\n');
        type Cell<'a> = Box<dyn Fn(usize) -> String + 'a>;
        let rows: [(&str, Cell); 3] = [
            (observed, Box::new(|g| t.median(curve, g).map_or("—".to_string(), |v| format!("{v:.3}")))),
            ("drift (median)", Box::new(|g| format!("{:.3}", c.simulated[curve.index()][g - 1].median))),
            ("difference", Box::new(|g| c.residual(curve, g).map_or("—".to_string(), signed))),
        ];
        for (label, cell) in rows {
            let mut line = format!("  {label:<w$}", w = label_width - 2);
            for g in 1..=generations {
                line.push_str(&format!("{:>8}", cell(g)));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// The short messages of the published figures.
fn short_lines(c: &Calibration) -> String {
    let mut out = String::new();
    if let Some(s) = &c.short {
        let people = &crate::calibrate::published::SHORT_MESSAGES;
        out.push_str("\nShort messages                                           people   drift\n");
        out.push_str(&format!(
            "  a remark of 2 content words passed on intact            {:>5.0} %  {:>4.0} %\n",
            people.two_words_intact * 100.0,
            s.two_words_intact * 100.0
        ));
        out.push_str(&format!(
            "  a remark of 12 content words passed on intact           {:>5.0} %  {:>4.0} %\n",
            people.twelve_words_intact * 100.0,
            s.twelve_words_intact * 100.0
        ));
        out.push_str(&format!(
            "  stories over 100 words under 100 after two retellings      all  {:>4.0} %\n",
            s.long_under_100_after_two * 100.0
        ));
    }
    out
}

/// The intact rate by length, observed against simulated, in the bins with observed retellings
/// (nothing for the published figures).
fn intact_table(c: &Calibration, label_width: usize) -> String {
    let t = &c.targets;
    let bins: Vec<usize> = (0..BINS).filter(|&b| t.intact[b].hops > 0).collect();
    if bins.is_empty() {
        return String::new();
    }
    let mut out = format!("{:<label_width$}", Family::IntactByLength.label());
    for &b in &bins {
        out.push_str(&format!("{:>8}", curves::bin_label(b)));
    }
    out.push('\n');
    type Cell<'a> = Box<dyn Fn(usize) -> String + 'a>;
    let rate = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{v:.3}"));
    let rows: [(String, Cell); 4] = [
        ("retellings observed".to_string(), Box::new(|b| t.intact[b].hops.to_string())),
        ("observed".to_string(), Box::new(|b| rate(t.intact[b].rate()))),
        ("drift".to_string(), Box::new(|b| rate(c.simulated_intact[b].rate()))),
        (
            format!("difference (bins of {}+ retellings)", curves::MIN_BIN_HOPS),
            Box::new(|b| c.intact_residual(b).map_or("—".to_string(), signed)),
        ),
    ];
    for (label, cell) in rows {
        let mut line = format!("  {label:<w$}", w = label_width - 2);
        for &b in &bins {
            line.push_str(&format!("{:>8}", cell(b)));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Drift minus observed per family: points, root mean square, mean absolute difference and the
/// largest difference.
fn families_table(c: &Calibration, label_width: usize) -> String {
    let families = c.families();
    if families.is_empty() {
        return String::new();
    }
    let on = if c.targets.published {
        "the published medians"
    } else {
        "the means the fit matches (length: the geometric mean, as a ratio); the intact rate in bins scored"
    };
    let mut out = format!("\nPer curve family, drift minus observed on {on}:\n");
    out.push_str(&format!("{:<label_width$}{:>8}{:>8}{:>10}  largest\n", "", "points", "RMS", "mean |d|"));
    for d in &families {
        out.push_str(&family_line(d, label_width));
    }
    out
}

/// One family's line of a table of [`Differences`](Differences).
fn family_line(d: &Differences, label_width: usize) -> String {
    let opt = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{v:.3}"));
    let worst = d.worst().map_or("—".to_string(), |(at, v)| format!("{} at {}", signed(v), at.describe()));
    let label = format!("  {}", d.family.label());
    format!("{label:<label_width$}{:>8}{:>8}{:>10}  {worst}\n", d.points.len(), opt(d.rms()), opt(d.mean_abs()))
}

/// What to try when the simulation stays off: a fit where only a check was made, the
/// capacities where only the rates were fitted.
fn next_step(c: &Calibration, tolerance: f64) -> Option<&'static str> {
    use crate::calibrate::Mode;
    if c.misses(tolerance).is_empty() {
        return None;
    }
    match c.settings.mode {
        Mode::Check => Some("To fit the preset's rates to these retellings, run the same command without --check."),
        Mode::Rates => Some(
            "The rates alone do not reach it: add --fit-capacity to fit how fast loss grows with a message's length too (best with long and short texts in the data).",
        ),
        Mode::RatesAndCapacity => None,
    }
}

/// One sentence on how close the simulation came.
pub fn verdict(c: &Calibration, tolerance: f64) -> String {
    let Some((family, at, worst)) = c.worst() else {
        return "Nothing to compare: the data have no generation the simulation reaches.".to_string();
    };
    let misses = c.misses(tolerance);
    let mut out = if misses.is_empty() {
        format!(
            "Within ±{tolerance} at every generation of every curve{}",
            if c.targets.has_family(Family::IntactByLength) { " and every bin scored" } else { "" }
        )
    } else {
        format!("Off by more than ±{tolerance} at {} of {} points", misses.len(), c.residuals().len())
    };
    out.push_str(&format!(
        " (largest difference {}: {}, {}; root mean square {:.3}).",
        signed(worst),
        family.label(),
        at.describe(),
        c.rms()
    ));
    out
}

fn band(b: &crate::stats::Band) -> Value {
    json!({"p10": round6(b.p10), "p25": round6(b.p25), "median": round6(b.median), "p75": round6(b.p75), "p90": round6(b.p90), "mean": round6(b.mean)})
}

fn preset_json(ops: &[Operator]) -> Value {
    let mut o = serde_json::Map::new();
    for op in ops {
        let mut params = serde_json::Map::new();
        params.insert("rate".into(), json!(round6(op.rate)));
        for p in op.kind.number_params() {
            if let Some(v) = op.param(*p).filter(|_| *p != Param::Capacity || op.capacity.is_some()) {
                params.insert(p.name().into(), json!(round6(v)));
            }
        }
        if let (Some(name), Some(text)) = (op.kind.text_param(), &op.text) {
            params.insert(name.into(), json!(text));
        }
        o.insert(op.kind.name().into(), Value::Object(params));
    }
    Value::Object(o)
}

/// `calibration.json` (schema 1); with `--folds`, the cross-validation under `folds`.
pub fn json(c: &Calibration, cross: Option<&CrossValidation>, tolerance: f64) -> String {
    let t = &c.targets;
    let curves: Vec<Value> = c
        .curves()
        .into_iter()
        .map(|curve| {
            let generations: Vec<Value> = (1..=t.generations())
                .map(|g| {
                    json!({
                        "generation": g,
                        "observed": t.median(curve, g).map(round6),
                        "simulated": band(&c.simulated[curve.index()][g - 1]),
                        "difference": c.residual(curve, g).map(round6),
                    })
                })
                .collect();
            json!({"curve": curve.name(), "label": curve.label(), "generations": generations})
        })
        .collect();
    let knobs: Vec<Value> = c
        .knobs
        .iter()
        .map(|k| json!({"parameter": k.path(), "before": value_of(&c.base, k).map(round6), "after": value_of(&c.fitted, k).map(round6)}))
        .collect();
    let kept: Vec<Value> =
        c.fixed.iter().map(|(k, why)| json!({"parameter": k.path(), "value": value_of(&c.base, k).map(round6), "why": why})).collect();
    let mut doc = json!({
        "schema": 1,
        "drift": env!("CARGO_PKG_VERSION"),
        "mode": if c.settings.mode == Mode::Check { "check" } else { "fit" },
        "data": t.description,
        "originals": t.originals.len(),
        "observed_chains": t.chains,
        "base": c.base_name,
        "preset": c.name,
        "seed": c.settings.seed,
        "runs": c.runs,
        "evaluations": c.evaluations,
        "fitted": knobs,
        "kept": kept,
        "operators": preset_json(&c.fitted),
        "curves": curves,
        "rms": round6(c.rms()),
        "tolerance": tolerance,
        "within_tolerance": c.misses(tolerance).is_empty(),
    });
    if let Some((family, at, r)) = c.worst() {
        let mut worst = at_json(at);
        worst["curve"] = json!(family.name());
        worst["difference"] = json!(round6(r));
        doc["largest_difference"] = worst;
    }
    if !t.published {
        doc["intact_by_length"] = Value::Array(
            (0..BINS)
                .filter(|&b| t.intact[b].hops > 0 || c.simulated_intact[b].hops > 0)
                .map(|b| {
                    json!({
                        "bin": curves::bin_label(b),
                        "content_words": [curves::INTACT_BINS[b].0, (curves::INTACT_BINS[b].1 != usize::MAX).then_some(curves::INTACT_BINS[b].1)],
                        "observed_retellings": t.intact[b].hops,
                        "observed": t.intact[b].rate().map(round6),
                        "simulated_retellings": c.simulated_intact[b].hops,
                        "simulated": c.simulated_intact[b].rate().map(round6),
                        "scored": t.intact[b].scored(),
                        "difference": c.intact_residual(b).map(round6),
                    })
                })
                .collect(),
        );
    }
    if let Some(cap) = &t.cap {
        doc["generations_compared"] = json!({"compared": cap.compared, "deepest": cap.deepest, "min_chains": cap.min_chains});
    }
    doc["families"] = Value::Array(c.families().iter().map(family_json).collect());
    if let Some(cv) = cross {
        doc["folds"] = folds_json(c, cv, tolerance);
    }
    if let Some(s) = &c.short {
        let people = &crate::calibrate::published::SHORT_MESSAGES;
        doc["short_messages"] = json!({
            "two_words_intact": {"people": people.two_words_intact, "drift": round6(s.two_words_intact)},
            "twelve_words_intact": {"people": people.twelve_words_intact, "drift": round6(s.twelve_words_intact)},
            "long_under_100_after_two": round6(s.long_under_100_after_two),
        });
    }
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// Where a point is, in JSON: `{"generation": 3}` or `{"bin": "7–9"}`.
pub fn at_json(at: At) -> Value {
    match at {
        At::Generation(g) => json!({"generation": g}),
        At::Bin(b) => json!({"bin": curves::bin_label(b)}),
    }
}

/// One family's differences in JSON.
pub fn family_json(d: &Differences) -> Value {
    json!({
        "family": d.family.name(),
        "points": d.points.len(),
        "rms": d.rms().map(round6),
        "mean_abs_difference": d.mean_abs().map(round6),
        "largest_difference": d.worst().map(|(at, v)| json!({"at": at_json(at), "difference": round6(v)})),
    })
}

/// `calibration.csv`: a row per curve and generation.
pub fn csv(c: &Calibration) -> String {
    let mut out = crate::table::Writer::new();
    out.row(["curve", "generation", "observed", "p10", "p25", "median", "p75", "p90", "difference"]);
    let opt = |x: Option<f64>| x.map_or(String::new(), |v| round6(v).to_string());
    for curve in c.curves() {
        for g in 1..=c.targets.generations() {
            let b = &c.simulated[curve.index()][g - 1];
            let mut row = vec![curve.name().to_string(), g.to_string(), opt(c.targets.median(curve, g))];
            row.extend([b.p10, b.p25, b.median, b.p75, b.p90].map(|x| round6(x).to_string()));
            row.push(opt(c.residual(curve, g)));
            out.row(row);
        }
    }
    out.finish()
}

/// The families whose held-out root mean square (drift's) is over `tolerance`, with it (rounded
/// as printed, so a printed 0.050 is within ±0.05).
pub fn folds_over(cv: &CrossValidation, tolerance: f64) -> Vec<(Family, f64)> {
    cv.differences(Predictor::Drift)
        .iter()
        .filter_map(|d| Some((d.family, d.rms()?)))
        .filter(|(_, rms)| (rms * 1000.0).round() > (tolerance * 1000.0).round())
        .collect()
}

/// A cell of a table: three decimals, or "—".
fn cell(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite()).map_or("—".to_string(), |v| format!("{v:.3}"))
}

/// The cross-validation as tables: the folds and what was fitted without each, the held-out
/// curves and bins pooled over the folds against drift and both baselines, the root mean
/// square per family, the verdict, and (after a fit) the preset fitted on all the data.
pub fn folds_text(c: &Calibration, cv: &CrossValidation, tolerance: f64) -> String {
    let k = cv.folds.len();
    let check = c.settings.mode == Mode::Check;
    let mut out = if check {
        format!("Checking `{}` on held-out folds of {}", c.base_name, c.targets.description)
    } else {
        format!("Cross-validating `{}` on {}", c.base_name, c.targets.description)
    };
    out.push_str(&format!(
        ": {} originals dealt into {k} folds by original; {}\n",
        cv.originals,
        if check {
            "each fold's originals retold with the preset as it is".to_string()
        } else {
            format!("each fold held out in turn, the preset fitted on the other {} folds' chains", k - 1)
        }
    ));
    out.push_str(&format!(
        "{} simulated chain{} per held-out chain (seed {})",
        cv.runs_per_chain,
        if cv.runs_per_chain == 1 { "" } else { "s" },
        c.settings.seed
    ));
    match cap_line(c) {
        Some(line) => out.push_str(&format!("; {}", line[..1].to_lowercase() + &line[1..])),
        None => out.push('\n'),
    }
    out.push('\n');
    // the folds
    let label_width = 44;
    let mut head = format!("{:>6}{:>11}{:>8}", "fold", "originals", "chains");
    if !check {
        head.push_str(&format!("{:>12}", "candidates"));
        for knob in &cv.knobs {
            head.push_str(&format!("{:>w$}", knob.path(), w = knob.path().len().max(6) + 2));
        }
    }
    out.push_str(if check { "Folds:\n" } else { "Fitted without each fold (on the other folds' chains):\n" });
    out.push_str(&format!("{}\n", head.trim_end()));
    for (f, fold) in cv.folds.iter().enumerate() {
        let mut line = format!("{:>6}{:>11}{:>8}", f + 1, fold.originals, fold.chains);
        if !check {
            line.push_str(&format!("{:>12}", fold.evaluations));
            for knob in &cv.knobs {
                line.push_str(&format!(
                    "{:>w$}",
                    value_of(&fold.fitted, knob).map_or("—".to_string(), number),
                    w = knob.path().len().max(6) + 2
                ));
            }
        }
        out.push_str(&format!("{}\n", line.trim_end()));
    }
    if !check {
        let mut line = format!("{:>6}{:>11}{:>8}{:>12}", "mean", "", "", "");
        for knob in &cv.knobs {
            line.push_str(&format!(
                "{:>w$}",
                cv.mean_fitted(knob).map_or("—".to_string(), |v| format!("{v:.3}")),
                w = knob.path().len().max(6) + 2
            ));
        }
        out.push_str(&format!("{}\n", line.trim_end()));
    }
    // the held-out points
    out.push_str(&format!(
        "\nHeld out, pooled over the {k} folds: observed mean and median, drift's, and each predictor's mean minus the observed mean\n"
    ));
    let generations = cv.cap.compared;
    out.push_str(&format!("{:<label_width$}", "generation"));
    for g in 1..=generations {
        out.push_str(&format!("{g:>8}"));
    }
    out.push('\n');
    for (family, points) in &cv.families {
        type Row<'a> = (String, Box<dyn Fn(&crate::calibrate::folds::Pooled) -> String + 'a>);
        let mean = |s: Option<Stat>| cell(s.map(|s| s.mean));
        let median = |s: Option<Stat>| cell(s.and_then(|s| s.median));
        let diff = |by: Predictor| {
            move |p: &crate::calibrate::folds::Pooled| {
                if p.scored { p.difference(by).map_or("—".to_string(), signed) } else { "—".to_string() }
            }
        };
        let mut rows: Vec<Row> = Vec::new();
        match family {
            Family::Curve(_) => {
                out.push_str(&format!("{}\n", family.label()));
                rows.push(("chains observed".to_string(), Box::new(|p| p.observed.n.to_string())));
                rows.push(("observed mean".to_string(), Box::new(move |p| mean(Some(p.observed)))));
                rows.push(("observed median".to_string(), Box::new(move |p| median(Some(p.observed)))));
                rows.push(("drift mean".to_string(), Box::new(move |p| mean(p.drift))));
                rows.push(("drift median".to_string(), Box::new(move |p| median(p.drift))));
            }
            Family::IntactByLength => {
                let mut heading = format!("{:<label_width$}", family.label());
                for p in points {
                    heading.push_str(&format!("{:>8}", p.at.heading()));
                }
                out.push_str(&format!("{heading}\n"));
                rows.push(("retellings observed".to_string(), Box::new(|p| p.observed.n.to_string())));
                rows.push(("observed".to_string(), Box::new(move |p| mean(Some(p.observed)))));
                rows.push(("drift".to_string(), Box::new(move |p| mean(p.drift))));
            }
        }
        let note = if *family == Family::IntactByLength { format!(" (bins of {}+)", curves::MIN_BIN_HOPS) } else { String::new() };
        rows.push((format!("drift − observed{note}"), Box::new(diff(Predictor::Drift))));
        rows.push(("copy − observed".to_string(), Box::new(diff(Predictor::Copy))));
        rows.push(("training average − observed".to_string(), Box::new(diff(Predictor::TrainingAverage))));
        for (label, value) in rows {
            let mut line = format!("  {label:<w$}", w = label_width - 2);
            for p in points {
                line.push_str(&format!("{:>8}", value(p)));
            }
            out.push_str(&format!("{}\n", line.trim_end()));
        }
    }
    // per family
    let width = 46;
    let [drift, copy, training] = Predictor::ALL.map(|by| cv.differences(by));
    let [fold_drift, _, fold_training] = Predictor::ALL.map(|by| cv.fold_differences(by));
    out.push_str(
        "\nPer curve family, held out: root mean square of each predictor's mean minus the observed mean (length: geometric means, as ratios),\npooled over the folds, and fold by fold (each fold's own held-out means)\n",
    );
    out.push_str(&format!(
        "{:<width$}{:>8}{:>8}{:>10}{:>8}{:>10} {:>8}{:>10}  largest (drift, pooled)\n",
        "", "", "pooled:", "", "", "", "by fold:", ""
    ));
    out.push_str(&format!(
        "{:<width$}{:>8}{:>8}{:>10}{:>8}{:>10} {:>8}{:>10}\n",
        "", "points", "drift", "mean |d|", "copy", "training", "drift", "training"
    ));
    for (i, d) in drift.iter().enumerate() {
        let worst = d.worst().map_or("—".to_string(), |(at, v)| format!("{} at {}", signed(v), at.describe()));
        let label = format!("  {}", d.family.label());
        out.push_str(&format!(
            "{label:<width$}{:>8}{:>8}{:>10}{:>8}{:>10} {:>8}{:>10}  {worst}\n",
            d.points.len(),
            cell(d.rms()),
            cell(d.mean_abs()),
            cell(copy[i].rms()),
            cell(training[i].rms()),
            cell(fold_drift[i].rms()),
            cell(fold_training[i].rms()),
        ));
    }
    out.push('\n');
    out.push_str(&folds_verdict(cv, tolerance));
    out.push('\n');
    if !check {
        out.push('\n');
        out.push_str(&fitted_lines(c, &format!("Fitted on all {} chains", cv.chains)));
        out.push_str("\nThe preset fitted on all the data, ready to paste under `presets:` in a scenario:\n\n");
        out.push_str(&preset_yaml(c));
    }
    out
}

/// One sentence on the held-out root mean squares, with the baselines'.
pub fn folds_verdict(cv: &CrossValidation, tolerance: f64) -> String {
    let families = cv.differences(Predictor::Drift).iter().filter(|d| !d.points.is_empty()).count();
    let within = |by: Predictor| {
        cv.differences(by).iter().filter(|d| d.rms().is_some_and(|r| (r * 1000.0).round() <= (tolerance * 1000.0).round())).count()
    };
    let over = folds_over(cv, tolerance);
    let mut out = if over.is_empty() {
        format!("Held out, drift is within ±{tolerance} (root mean square) on every curve family")
    } else {
        let list: Vec<String> = over.iter().map(|(f, rms)| format!("{} {rms:.3}", f.name())).collect();
        format!(
            "Held out, drift is off by more than ±{tolerance} (root mean square) on {} of {families} curve families: {}",
            over.len(),
            list.join(", ")
        )
    };
    out.push_str(&format!(
        " (the copy baseline is within on {} of {families}, the training average on {}).",
        within(Predictor::Copy),
        within(Predictor::TrainingAverage)
    ));
    out
}

/// The cross-validation in `calibration.json`.
fn folds_json(c: &Calibration, cv: &CrossValidation, tolerance: f64) -> Value {
    let knobs =
        |ops: &[Operator]| -> Value { Value::Object(cv.knobs.iter().map(|k| (k.path(), json!(value_of(ops, k).map(round6)))).collect()) };
    let folds: Vec<Value> = cv
        .folds
        .iter()
        .enumerate()
        .map(|(f, fold)| {
            json!({"fold": f + 1, "originals": fold.originals, "chains": fold.chains, "evaluations": fold.evaluations, "fitted": knobs(&fold.fitted)})
        })
        .collect();
    let mean: serde_json::Map<String, Value> = cv.knobs.iter().map(|k| (k.path(), json!(cv.mean_fitted(k).map(round6)))).collect();
    let stat = |s: Option<Stat>| s.map(|s| json!({"mean": round6(s.mean), "median": s.median.map(round6), "n": s.n}));
    let [drift, copy, training] = Predictor::ALL.map(|by| cv.differences(by));
    let by_fold = Predictor::ALL.map(|by| cv.fold_differences(by));
    let families: Vec<Value> = cv
        .families
        .iter()
        .enumerate()
        .map(|(i, (family, points))| {
            let points: Vec<Value> = points
                .iter()
                .map(|p| {
                    let mut v = at_json(p.at);
                    v["scored"] = json!(p.scored);
                    v["observed"] = stat(Some(p.observed)).unwrap_or(Value::Null);
                    v["drift"] = stat(p.drift).unwrap_or(Value::Null);
                    v["copy"] = stat(p.copy).unwrap_or(Value::Null);
                    v["training_average"] = json!(p.training.map(round6));
                    v["differences"] = Value::Object(
                        Predictor::ALL.iter().map(|&by| (by.name().to_string(), json!(p.difference(by).map(round6)))).collect(),
                    );
                    v["by_fold"] = p
                        .by_fold
                        .iter()
                        .map(|f| {
                            json!({
                                "fold": f.fold + 1,
                                "n": f.n,
                                "observed": round6(f.observed),
                                "drift": f.drift.map(round6),
                                "copy": f.copy.map(round6),
                                "training_average": f.training.map(round6),
                            })
                        })
                        .collect();
                    v
                })
                .collect();
            json!({
                "family": family.name(),
                "label": family.label(),
                "points": points,
                "drift": family_json(&drift[i]),
                "copy": family_json(&copy[i]),
                "training_average": family_json(&training[i]),
                "by_fold": Value::Object(
                    Predictor::ALL.iter().zip(&by_fold).map(|(by, d)| (by.name().to_string(), family_json(&d[i]))).collect()
                ),
            })
        })
        .collect();
    json!({
        "k": cv.folds.len(),
        "split_by": "original",
        "originals": cv.originals,
        "chains": cv.chains,
        "simulated_per_chain": cv.runs_per_chain,
        "folds": folds,
        "mean_fitted": mean,
        "families": families,
        "tolerance": tolerance,
        "within_tolerance": folds_over(cv, tolerance).is_empty(),
        "mode": if c.settings.mode == Mode::Check { "check" } else { "fit" },
    })
}

/// `folds.csv`: a row per family and generation or bin, pooled over the held-out folds.
pub fn folds_csv(cv: &CrossValidation) -> String {
    let mut out = crate::table::Writer::new();
    out.row([
        "family",
        "generation",
        "bin",
        "scored",
        "observed_n",
        "observed_mean",
        "observed_median",
        "drift_mean",
        "drift_median",
        "copy_mean",
        "copy_median",
        "training_average",
        "drift_difference",
        "copy_difference",
        "training_average_difference",
    ]);
    let opt = |x: Option<f64>| x.filter(|v| v.is_finite()).map_or(String::new(), |v| round6(v).to_string());
    for (family, points) in &cv.families {
        for p in points {
            let (generation, bin) = match p.at {
                At::Generation(g) => (g.to_string(), String::new()),
                At::Bin(b) => (String::new(), curves::bin_label(b)),
            };
            let row = [
                family.name().to_string(),
                generation,
                bin,
                p.scored.to_string(),
                p.observed.n.to_string(),
                opt(Some(p.observed.mean)),
                opt(p.observed.median),
                opt(p.drift.map(|s| s.mean)),
                opt(p.drift.and_then(|s| s.median)),
                opt(p.copy.map(|s| s.mean)),
                opt(p.copy.and_then(|s| s.median)),
                opt(p.training),
                opt(p.difference(Predictor::Drift)),
                opt(p.difference(Predictor::Copy)),
                opt(p.difference(Predictor::TrainingAverage)),
            ];
            out.row(row);
        }
    }
    out.finish()
}
