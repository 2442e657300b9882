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

/// The compare chart's SVG of `files` at 80 runs.
fn compare_svg(files: &[&std::path::Path]) -> String {
    let out = tempfile::tempdir().unwrap();
    drift().arg("compare").args(files).args(["--runs", "80", "--charts", "svg", "--quiet", "--out"]).arg(out.path()).assert().success();
    let files = files_below(out.path());
    let svg = files.iter().find(|x| x.ends_with("compare.svg")).unwrap();
    std::fs::read_to_string(out.path().join(svg)).unwrap()
}

/// Variants of the bakery that keep its roles: the brand consultant refocuses less, the growth
/// hacker amplifies less. Written to `dir`.
fn bakery_variants(dir: &std::path::Path) -> [std::path::PathBuf; 2] {
    let base = std::fs::read_to_string(super::root().join("scenarios/workshop-demo.yaml")).unwrap();
    let calm = base
        .replace("name: The bakery that became a lifestyle platform", "name: Bakery, calmer consultant")
        .replace("rate: 0.8, to: an artisanal", "rate: 0.2, to: an artisanal");
    let quiet = base
        .replace("name: The bakery that became a lifestyle platform", "name: Bakery, quieter growth hacker")
        .replace("mutate: { amplify: 0.8, abstract: 0.5 }", "mutate: { amplify: 0.1 }");
    assert!(calm != base && quiet != base && calm != quiet, "the bundled scenario changed: update the variants");
    let paths = [dir.join("calm.yaml"), dir.join("quiet.yaml")];
    std::fs::write(&paths[0], calm).unwrap();
    std::fs::write(&paths[1], quiet).unwrap();
    paths
}

/// Issue 17: the baseline's line is drawn last, on top of the variants that share its start;
/// the end labels are drawn after every line and apart from each other; variants with the
/// same roles name them under the hop numbers.
#[test]
fn the_baseline_is_drawn_on_top_and_end_labels_stay_apart() {
    let dir = tempfile::tempdir().unwrap();
    let [calm, quiet] = bakery_variants(dir.path());
    let svg = compare_svg(&[std::path::Path::new("scenarios/workshop-demo.yaml"), &calm, &quiet]);
    let all = super::charts::elements(&svg);
    // the lines: 5 px wide, after the legend's swatches (the first three)
    let lines: Vec<usize> = (0..all.len()).filter(|&i| all[i].tag == "polyline" && all[i].attr("stroke-width") == "5").collect();
    assert_eq!(lines.len(), 6, "three swatches, three lines");
    let baseline = all[lines[0]].attr("stroke");
    assert_eq!(all[*lines.last().unwrap()].attr("stroke"), baseline, "the baseline's line is the last");
    // the end labels: "NN%" in bold, each after every line, none overlapping another
    let labels: Vec<usize> =
        (0..all.len()).filter(|&i| all[i].tag == "text" && all[i].attr("font-weight") == "bold" && all[i].text.ends_with('%')).collect();
    assert_eq!(labels.len(), 3, "{:?}", labels.iter().map(|&i| &all[i].text).collect::<Vec<_>>());
    assert!(labels.iter().all(|&l| l > *lines.last().unwrap()), "end labels are drawn over the lines");
    assert_eq!(all[*labels.last().unwrap()].attr("fill"), baseline, "the baseline's label is drawn last");
    let boxes: Vec<(f64, f64)> = labels.iter().map(|&i| (all[i].num("y") - all[i].num("font-size"), all[i].num("y"))).collect();
    for a in 0..boxes.len() {
        for b in a + 1..boxes.len() {
            let ((t0, b0), (t1, b1)) = (boxes[a], boxes[b]);
            assert!(b0 <= t1 || b1 <= t0, "end labels {a} and {b} overlap: {boxes:?}");
        }
    }
    for role in ["Web agency", "Brand consultant", "Growth hacker", "Investor"] {
        assert!(svg.contains(&format!(">\n{role}\n<")) || svg.contains(&format!(">{role}<")), "the x axis names {role}");
    }
}

/// Issue 17: where a variant's spread is the baseline's (the hops a check-in chain shares with
/// the chain without it, on the same random numbers), only the baseline's band is shaded: two
/// colours over each other turned muddy.
#[test]
fn a_shared_spread_is_shaded_once() {
    let svg = compare_svg(&[
        std::path::Path::new("scenarios/marketing-long-distance.yaml"),
        std::path::Path::new("scenarios/customer-checkin.yaml"),
    ]);
    let all = super::charts::elements(&svg);
    let polygons: Vec<&super::charts::Element> = all.iter().filter(|e| e.tag == "polygon").collect();
    assert_eq!(polygons.len(), 2);
    // the check-in's band is drawn first (the baseline's on top); its upper and lower edges
    // meet at every station it shares with the baseline: the customer and the 11 hops before
    // the check-in
    let points: Vec<(f64, f64)> = polygons[0]
        .attr("points")
        .split_whitespace()
        .map(|p| p.split_once(',').map(|(x, y)| (x.parse().unwrap(), y.parse().unwrap())).unwrap())
        .collect();
    let n = points.len() / 2;
    assert_eq!(n, 14, "the customer and 13 hops");
    for k in 0..n {
        let (upper, lower) = (points[k], points[points.len() - 1 - k]);
        assert_eq!(upper.0, lower.0);
        if k <= 11 {
            assert_eq!(upper.1, lower.1, "station {k} is shared: no band of its own");
        }
    }
    let (upper, lower) = (points[12], points[points.len() - 13]);
    assert!(lower.1 - upper.1 > 20.0, "after the check-in the band is its own: {upper:?} {lower:?}");
    // the roles the chains share are named under their hops
    for role in ["Analyst", "Copywriter", "CRO"] {
        assert!(svg.contains(&format!(">\n{role}")), "the x axis names {role}");
    }
}
