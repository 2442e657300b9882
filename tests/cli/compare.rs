//! `drift compare`: variants on common random numbers.

use serde_json::Value;

use super::{drift, files_below};

fn compare(files: &[&str], extra: &[&str]) -> (Value, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let a = drift().arg("compare").args(files).args(["--format", "json", "--out"]).arg(out.path()).args(extra).assert().success();
    (serde_json::from_slice(&a.get_output().stdout).unwrap(), out)
}

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    let (v, _out) = compare(&["scenarios/workshop-demo.yaml", "scenarios/workshop-demo.yaml"], &["--runs", "200", "--no-charts"]);
    let p = &v["variants"][1]["vs_first"];
    assert_eq!(p["mean_diff"], 0.0);
    assert_eq!(p["ci95"], serde_json::json!([0.0, 0.0]));
    assert_eq!(p["share_better"], 0.0);
    assert_eq!(p["share_worse"], 0.0);
}

#[test]
fn a_customer_checkin_buys_a_large_certain_gain() {
    let (v, out) = compare(&["scenarios/marketing-long-distance.yaml", "scenarios/customer-checkin.yaml"], &["--runs", "300"]);
    assert_eq!(v["schema"], 1);
    let variants = v["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    assert!(variants[0].get("vs_first").is_none());
    let p = &variants[1]["vs_first"];
    let (mean, lo, hi) = (p["mean_diff"].as_f64().unwrap(), p["ci95"][0].as_f64().unwrap(), p["ci95"][1].as_f64().unwrap());
    assert!(lo <= mean && mean <= hi);
    assert!(lo > 0.3, "the check-in's gain should be large and certain: {p}");
    assert!(p["share_better"].as_f64().unwrap() > 0.8);
    for key in ["p10", "p25", "median", "p75", "p90", "mean"] {
        assert!(variants[1]["final"][key].is_number());
    }
    let files = files_below(out.path());
    for f in ["compare.json", "compare.png", "compare.svg"] {
        assert!(files.iter().any(|x| x.ends_with(&format!("/{f}"))), "{files:?}");
    }
    let svg_path = files.iter().find(|x| x.ends_with("compare.svg")).unwrap();
    let svg = std::fs::read_to_string(out.path().join(svg_path)).unwrap();
    assert!(svg.contains("Marketing long distance with a customer check-in"));
}

#[test]
fn compare_needs_two_scenarios_and_rejects_bad_ones() {
    drift().args(["compare", "scenarios/workshop-demo.yaml"]).assert().code(2);
    let a = drift().args(["compare", "scenarios/workshop-demo.yaml", "tests/bad_inputs/unknown-operator.yaml"]).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("unknown operator"));
}
