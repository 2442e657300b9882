//! What `drift compare` hands over: `compare.json` and the table on the terminal.

use serde_json::{Value, json};

use crate::compare::Comparison;
use crate::format::{percent, round6, runs, signed_points};
use crate::stats::Band;

/// A band in a JSON file: its percentiles and mean, rounded with [`round6`].
pub(super) fn band(b: &Band) -> Value {
    json!({"p10": round6(b.p10), "p25": round6(b.p25), "median": round6(b.median), "p75": round6(b.p75), "p90": round6(b.p90), "mean": round6(b.mean)})
}

/// `compare.json` (schema 1).
pub fn json(c: &Comparison) -> String {
    let variants: Vec<Value> = c
        .variants
        .iter()
        .map(|v| {
            let mut o = json!({
                "name": v.name,
                "file": v.file,
                "final": band(&v.final_band),
                "chance": round6(v.chance),
                "hops": v.stations.iter().skip(1).enumerate().map(|(i, b)| json!({"hop": i + 1, "role": v.roles[i + 1], "median": round6(b.median), "p25": round6(b.p25), "p75": round6(b.p75)})).collect::<Vec<_>>(),
            });
            if let Some(p) = v.vs_first {
                o["vs_first"] = json!({
                    "mean_diff": round6(p.mean_diff),
                    "ci95": [round6(p.ci95.0), round6(p.ci95.1)],
                    "share_better": round6(p.share_better),
                    "share_worse": round6(p.share_worse),
                });
            }
            o
        })
        .collect();
    let doc = json!({"schema": 1, "drift": env!("CARGO_PKG_VERSION"), "metric": c.metric.name(), "seed": c.seed, "runs": c.runs, "variants": variants});
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// The comparison as a table.
pub fn text(c: &Comparison) -> String {
    let width = c.variants.iter().map(|v| v.name.chars().count()).max().unwrap_or(7).clamp(7, 48);
    let mut out = format!(
        "Comparing {} variants on common random numbers (seed {}, {}): {} of the final message\n\n",
        c.variants.len(),
        c.seed,
        runs(c.runs),
        c.metric.name()
    );
    out.push_str(&format!(
        "  {:<width$}  {:>6}  {:>11}  {:>6}  {:<32}  {}\n",
        "variant", "median", "p10 – p90", "chance", "vs the first (95 % interval)", "closer in"
    ));
    for v in &c.variants {
        let name: String = v.name.chars().take(48).collect();
        let spread = format!("{} – {}", percent(v.final_band.p10), percent(v.final_band.p90));
        let (diff, closer) = match v.vs_first {
            Some(p) => (
                format!("{} points ({} to {})", signed_points(p.mean_diff), signed_points(p.ci95.0), signed_points(p.ci95.1)),
                format!("{:.0} % of runs", p.share_better * 100.0),
            ),
            None => ("(the baseline)".to_string(), String::new()),
        };
        let line =
            format!("  {name:<width$}  {:>6}  {spread:>11}  {:>6}  {diff:<32}  {closer}", percent(v.final_band.median), percent(v.chance));
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!(
        "\nchance: what unrelated text of the customer's length scores on {} (the chance line); a final message near it keeps nothing of the customer.\n",
        c.metric.name()
    ));
    out
}
