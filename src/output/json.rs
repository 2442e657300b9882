//! `summary.json`: the machine-readable result, schema-versioned so tools can rely on it.

use serde_json::{Map, Value, json};

use super::{Format, Report};
use crate::aggregate::Cost;
use crate::format::round6;
use crate::stats::Band;

/// Bumped whenever a field changes meaning or disappears (adding fields keeps it).
pub const SCHEMA: u64 = 1;

pub struct Json;

fn band(b: &Band) -> Value {
    json!({
        "p10": round6(b.p10), "p25": round6(b.p25), "median": round6(b.median),
        "p75": round6(b.p75), "p90": round6(b.p90), "mean": round6(b.mean),
    })
}

fn named<T>(names: &[&str], values: &[T], f: impl Fn(&T) -> Value) -> Value {
    Value::Object(names.iter().zip(values).map(|(n, v)| (n.to_string(), f(v))).collect::<Map<_, _>>())
}

impl Format for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn render(&self, r: &Report) -> String {
        let s = r.scenario;
        let a = r.analysis;
        let metrics: Vec<&str> = s.metrics.iter().map(|m| m.name()).collect();
        let ps = s.customer.three_ps();
        let p_names: Vec<&str> = ps.iter().map(|(n, _)| *n).collect();
        let trace: Vec<Value> = a
            .trace
            .hops
            .iter()
            .zip(&a.scores)
            .map(|(h, sc)| {
                let mut o = json!({
                    "hop": h.hop, "role": h.role, "note": h.note, "text": h.text,
                    "vs_customer": named(&metrics, &sc.vs_customer, |v| json!(round6(*v))),
                    "vs_previous": named(&metrics, &sc.vs_previous, |v| json!(round6(*v))),
                    "symptoms": {"jargon": round6(sc.jargon), "we_focus": round6(sc.we_focus)},
                    "edits": h.edits,
                    "human": h.human,
                });
                if !ps.is_empty() {
                    o["three_ps"] = named(&p_names, &sc.three_ps, |v| json!(round6(*v)));
                }
                o
            })
            .collect();
        let bands: Vec<Value> = a
            .bands
            .iter()
            .zip(&s.chain)
            .enumerate()
            .map(|(i, (b, hop))| {
                let mut o = Map::new();
                o.insert("hop".into(), json!(i + 1));
                o.insert("role".into(), json!(hop.role));
                for (name, band_) in metrics.iter().zip(&b.vs_customer) {
                    o.insert(name.to_string(), band(band_));
                }
                o.insert("vs_previous".into(), named(&metrics, &b.vs_previous, band));
                o.insert("symptoms".into(), json!({"jargon": band(&b.jargon), "we_focus": band(&b.we_focus)}));
                if !ps.is_empty() {
                    o.insert("three_ps".into(), named(&p_names, &b.three_ps, band));
                }
                o.insert("drop".into(), band(&b.drop));
                Value::Object(o)
            })
            .collect();
        let blame: Vec<Value> = a
            .bands
            .iter()
            .zip(&s.chain)
            .enumerate()
            .map(|(i, (b, hop))| {
                let mut o = json!({"hop": i + 1, "role": hop.role, "drop": band(&b.drop)});
                if let Some(g) = b.gain {
                    o["counterfactual_gain"] =
                        json!({"median": round6(g.median), "p25": round6(g.p25), "p75": round6(g.p75), "mean": round6(g.mean)});
                }
                o
            })
            .collect();
        let costliest =
            |found: Option<(usize, f64)>| found.map(|(i, fall)| json!({"hop": i + 1, "role": s.chain[i].role, "drop": round6(fall)}));
        let doc = json!({
            "schema": SCHEMA,
            "drift": env!("CARGO_PKG_VERSION"),
            "scenario": s.name,
            "description": s.description,
            "file": r.file,
            "seed": a.seed,
            "runs": a.runs,
            "customer": s.customer.told(),
            "who": s.customer.who,
            "three_ps": ps.iter().map(|(n, t)| (n.to_string(), json!(t))).collect::<Map<_, _>>(),
            "metrics": metrics,
            "headline": metrics[0],
            "chance": named(&metrics, &a.chance, |v| json!(round6(*v))),
            "trace": trace,
            "costliest_hop": {"traced_run": costliest(a.costliest_traced_hop()), "median": a.costliest_hop().map(|(i, cost)| match cost {
                Cost::Gain(g) => json!({"hop": i + 1, "role": s.chain[i].role, "median_gain": round6(g.median), "mean_gain": round6(g.mean)}),
                Cost::Fall(fall) => json!({"hop": i + 1, "role": s.chain[i].role, "drop": round6(fall)}),
            })},
            "biggest_fall": costliest(a.biggest_fall()),
            "worth_fixing_first": a.worth_fixing_first().map(|(i, g)| json!({"hop": i + 1, "role": s.chain[i].role, "median_gain": round6(g.median), "mean_gain": round6(g.mean)})),
            "counterfactual_runs": a.counterfactual_runs,
            "blame": blame,
            "bands": bands,
        });
        let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
        out.push('\n');
        out
    }
}
