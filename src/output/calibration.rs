//! What `drift calibrate` hands over: the table on the terminal, `calibration.json`,
//! `calibration.csv`, and the fitted preset as YAML to paste under `presets:`.

use serde_json::{Value, json};

use super::round6;
use crate::calibrate::{At, BINS, Calibration, Family, Mode, curves};
use crate::operators::{Operator, Param};

/// A number as a scenario would write it: `0.38`, `1`, `12`.
fn number(x: f64) -> String {
    format!("{}", round6(x))
}

/// A signed difference: "+0.012", "−0.030", "0.000".
fn signed(x: f64) -> String {
    super::with_minus(x, 1.0, 3, "+")
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
    out.push_str(&format!(": {what} retold up to {} times, {} simulated chains (seed {})\n\n", t.generations(), c.runs, c.settings.seed));
    if c.settings.mode != Mode::Check {
        out.push_str(&format!("Fitted ({} candidates, all on the same random numbers):\n", c.evaluations));
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
    if c.settings.mode != Mode::Check || !c.fixed.is_empty() {
        out.push('\n');
    }
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
    out.push_str(&intact_table(c, label_width));
    out.push('\n');
    out.push_str(&verdict(c, tolerance));
    out.push('\n');
    out.push_str(&families_table(c, label_width + 2));
    if let Some(hint) = next_step(c, tolerance) {
        out.push('\n');
        out.push_str(hint);
        out.push('\n');
    }
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
    if c.settings.mode != Mode::Check {
        out.push_str("\nThe fitted preset, ready to paste under `presets:` in a scenario:\n\n");
        out.push_str(&preset_yaml(c));
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

/// One family's line of a table of [`Differences`](crate::calibrate::Differences).
fn family_line(d: &crate::calibrate::Differences, label_width: usize) -> String {
    let opt = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{v:.3}"));
    let worst = d.worst().map_or("—".to_string(), |(at, v)| format!("{} at {}", signed(v), at.describe()));
    let label = format!("  {}", d.family.label());
    format!("{label:<label_width$}{:>8}{:>8}{:>10}  {worst}\n", d.points.len(), opt(d.rms()), opt(d.mean_abs()))
}

/// Every point the verdict judges off by more than `tolerance`.
pub fn misses(c: &Calibration, tolerance: f64) -> Vec<(Family, At, f64)> {
    // the residuals are rounded as printed, so a printed 0.050 is within ±0.05
    c.residuals().into_iter().filter(|r| (r.2 * 1000.0).round().abs() > (tolerance * 1000.0).round()).collect()
}

/// What to try when the simulation stays off: a fit where only a check was made, the
/// capacities where only the rates were fitted.
fn next_step(c: &Calibration, tolerance: f64) -> Option<&'static str> {
    use crate::calibrate::Mode;
    if misses(c, tolerance).is_empty() {
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
    let misses = misses(c, tolerance);
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

fn band(b: &crate::aggregate::Band) -> Value {
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

/// `calibration.json` (schema 1).
pub fn json(c: &Calibration, tolerance: f64) -> String {
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
        "within_tolerance": misses(c, tolerance).is_empty(),
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
pub fn family_json(d: &crate::calibrate::Differences) -> Value {
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
    let mut out = String::from("curve,generation,observed,p10,p25,median,p75,p90,difference\n");
    for curve in c.curves() {
        for g in 1..=c.targets.generations() {
            let b = &c.simulated[curve.index()][g - 1];
            let opt = |x: Option<f64>| x.map_or(String::new(), |v| round6(v).to_string());
            out.push_str(&format!(
                "{},{g},{},{},{},{},{},{},{}\n",
                curve.name(),
                opt(c.targets.median(curve, g)),
                round6(b.p10),
                round6(b.p25),
                round6(b.median),
                round6(b.p75),
                round6(b.p90),
                opt(c.residual(curve, g))
            ));
        }
    }
    out
}
