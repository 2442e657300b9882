//! What `drift sweep` hands over: `sweep.csv`, `sweep.json` and a table to read, the same
//! numbers in each (rounded with [`round6`] in the files).

use serde_json::{Value, json};

use crate::format::{percent, round6, runs};
use crate::sweep::Sweep;

/// `sweep.csv`: one row per point: the values, then the final headline's p10, median, p90, and
/// the chance line (the same on every row: the customer does not change).
pub fn csv(s: &Sweep) -> String {
    let mut out = crate::table::Writer::new();
    out.row(s.varies.iter().map(|v| v.path.as_str()).chain(["p10", "median", "p90", "chance"]));
    for p in &s.points {
        let numbers = p.values.iter().copied().chain([p.band.p10, p.band.median, p.band.p90, s.chance]);
        out.row(numbers.map(|x| round6(x).to_string()));
    }
    out.finish()
}

/// `sweep.json` (schema 1): the settings varied (`path`, `values`), then per point the value
/// of each and the final headline's band across runs, with the metric, seed, runs and chance
/// line, so that a notebook needs nothing else to redraw the chart.
pub fn json(s: &Sweep) -> String {
    let varied: Vec<Value> =
        s.varies.iter().map(|v| json!({"path": v.path, "values": v.values().into_iter().map(round6).collect::<Vec<_>>()})).collect();
    let points: Vec<Value> = s
        .points
        .iter()
        .map(|p| json!({"values": p.values.iter().map(|&x| round6(x)).collect::<Vec<_>>(), "band": super::comparison::band(&p.band)}))
        .collect();
    let doc = json!({
        "schema": 1,
        "drift": env!("CARGO_PKG_VERSION"),
        "metric": s.metric.name(),
        "seed": s.seed,
        "runs": s.runs,
        "chance": round6(s.chance),
        "varied": varied,
        "points": points,
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// The sweep as a table: a row per point, the values and the final headline's band in %.
pub fn text(s: &Sweep) -> String {
    let mut out = format!(
        "Final {} across {} per point (seed {}); the chance line is {}\n\n",
        s.metric.name(),
        runs(s.runs),
        s.seed,
        percent(s.chance)
    );
    let widths: Vec<usize> = s.varies.iter().map(|v| v.path.chars().count().max(6)).collect();
    let mut header: String = s.varies.iter().zip(&widths).map(|(v, w)| format!("{:>w$}  ", v.path)).collect();
    header.push_str(&["p10", "p25", "median", "p75", "p90", "mean"].map(|q| format!("{q:>6}")).join(" "));
    out.push_str(header.trim_end());
    out.push('\n');
    for p in &s.points {
        let mut line: String = p.values.iter().zip(&widths).map(|(x, w)| format!("{:>w$}  ", round6(*x))).collect();
        let b = &p.band;
        line.push_str(&[b.p10, b.p25, b.median, b.p75, b.p90, b.mean].map(|x| format!("{:>6}", percent(x))).join(" "));
        out.push_str(&line);
        out.push('\n');
    }
    out
}
