//! `drift sweep`: final drift as one or two rates change.

use super::{drift, files_below};

fn rows(csv: &str) -> Vec<Vec<f64>> {
    csv.lines().skip(1).map(|l| l.split(',').map(|x| x.parse().unwrap()).collect()).collect()
}

#[test]
fn more_jargon_means_a_final_message_further_from_the_customer() {
    let out = tempfile::tempdir().unwrap();
    drift()
        .args(["sweep", "scenarios/talk-chart.yaml", "--vary", "chain[2].mutate.jargon=0..1:5", "--runs", "400", "--quiet", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let dir = out.path().join("month-end-close-eight-handoffs");
    let csv = std::fs::read_to_string(dir.join("sweep.csv")).unwrap();
    assert!(csv.starts_with("chain[2].mutate.jargon,p10,median,p90,chance\n"), "{csv}");
    let r = rows(&csv);
    assert_eq!(r.len(), 5);
    assert_eq!((r[0][0], r[4][0]), (0.0, 1.0));
    assert!(r[4][2] < r[0][2] - 0.02, "median should fall as jargon rises: {csv}");
    for row in &r {
        assert!(row[1] <= row[2] && row[2] <= row[3], "{row:?}");
    }
    let files = files_below(&dir);
    assert!(files.contains(&"sweep.png".to_string()) && files.contains(&"sweep.svg".to_string()), "{files:?}");
}

#[test]
fn two_settings_give_a_grid() {
    let out = tempfile::tempdir().unwrap();
    let a = drift()
        .args([
            "sweep",
            "scenarios/workshop-demo.yaml",
            "--vary",
            "chain[0].mutate.jargon=0..1:3",
            "--vary",
            "chain[1].mutate.we_focus=0..1:4",
        ])
        .args(["--runs", "50", "--charts", "svg", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&a.get_output().stdout);
    assert!(stdout.starts_with("chain[0].mutate.jargon,chain[1].mutate.we_focus,p10,median,p90,chance\n"), "{stdout}");
    assert_eq!(rows(stdout.split("\n\n").next().unwrap()).len(), 12);
}

#[test]
fn bad_vary_paths_exit_2_and_write_nothing() {
    for (spec, needle) in [
        ("chain[9].mutate.jargon=0..1:5", "chain[9] does not exist"),
        ("chain[0].mutate.jargn=0..1:5", "did you mean `jargon`?"),
        ("chain[0].mutate.jargon=0..2:5", "outside 0..1"),
        ("chain[0].mutate.jargon=0..1:1", "steps"),
        ("runs=1..10:3", "the path names a rate"),
    ] {
        let out = tempfile::tempdir().unwrap();
        let a = drift().args(["sweep", "scenarios/workshop-demo.yaml", "--vary", spec, "--out"]).arg(out.path()).assert().code(2);
        let stderr = String::from_utf8_lossy(&a.get_output().stderr);
        assert!(stderr.contains(needle), "{spec}: {stderr}");
        assert!(files_below(out.path()).is_empty());
    }
}

/// Issue 16: "Wrote 3 files to …" ended up inside the CSV on stdout. Status lines go to
/// stderr; stdout is the CSV, byte for byte the file written.
#[test]
fn stdout_is_the_csv_and_the_status_line_goes_to_stderr() {
    let out = tempfile::tempdir().unwrap();
    let a = drift()
        .args(["sweep", "scenarios/talk-chart.yaml", "--vary", "chain[2].mutate.jargon=0..1:3", "--runs", "50", "--no-charts", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let written = std::fs::read(out.path().join("month-end-close-eight-handoffs/sweep.csv")).unwrap();
    assert_eq!(a.get_output().stdout, written);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).starts_with("Wrote 2 files to "), "{:?}", a.get_output());
}

/// `--format json` prints sweep.json (also written beside sweep.csv): the settings varied,
/// and every point's values and band; `--format csv` (the default) prints sweep.csv, which
/// the csv crate reads back; the status line stays on stderr either way.
#[test]
fn format_json_and_csv_parse_and_match_the_files() {
    let out = tempfile::tempdir().unwrap();
    let sweep = |format: &str| {
        drift()
            .args(["sweep", "scenarios/talk-chart.yaml", "--vary", "chain[2].mutate.jargon=0..1:3", "--runs", "30", "--no-charts"])
            .args(["--seed", "3", "--format", format, "--out"])
            .arg(out.path())
            .assert()
            .success()
            .get_output()
            .clone()
    };
    let json = sweep("json");
    let dir = out.path().join("month-end-close-eight-handoffs");
    assert_eq!(json.stdout, std::fs::read(dir.join("sweep.json")).unwrap());
    assert!(String::from_utf8_lossy(&json.stderr).starts_with("Wrote 2 files to "), "{json:?}");
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("stdout is JSON");
    assert_eq!(
        (v["schema"].as_u64(), v["metric"].as_str(), v["seed"].as_u64(), v["runs"].as_u64()),
        (Some(1), Some("meaning"), Some(3), Some(30))
    );
    assert_eq!(v["varied"], serde_json::json!([{"path": "chain[2].mutate.jargon", "values": [0.0, 0.5, 1.0]}]));
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    for p in points {
        let b = &p["band"];
        let q = |k: &str| b[k].as_f64().unwrap_or_else(|| panic!("{k} in {b}"));
        assert!(q("p10") <= q("p25") && q("p25") <= q("median") && q("median") <= q("p75") && q("p75") <= q("p90"), "{b}");
        assert!((0.0..=1.0).contains(&q("mean")), "{b}");
    }
    assert!(v["chance"].as_f64().unwrap() > 0.0);
    let csv = sweep("csv");
    assert_eq!(csv.stdout, std::fs::read(dir.join("sweep.csv")).unwrap());
    let mut reader = csv::Reader::from_reader(&csv.stdout[..]);
    assert_eq!(reader.headers().unwrap(), vec!["chain[2].mutate.jargon", "p10", "median", "p90", "chance"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    // the CSV and the JSON are the same numbers
    assert_eq!(rows[1][2].parse::<f64>().unwrap(), points[1]["band"]["median"].as_f64().unwrap());
    let text = String::from_utf8(sweep("text").stdout).unwrap();
    assert!(text.starts_with("Final meaning across 30 runs per point (seed 3)"), "{text}");
    assert!(text.contains("chain[2].mutate.jargon     p10    p25 median    p75    p90   mean\n"), "{text}");
    assert_eq!(text.lines().count(), 6, "{text}");
}

/// The title of the sweep chart of `scenario` with `vary` at 200 runs.
fn sweep_title(scenario: &str, vary: &[&str]) -> String {
    let out = tempfile::tempdir().unwrap();
    let mut cmd = drift();
    cmd.args(["sweep", scenario]);
    for v in vary {
        cmd.args(["--vary", v]);
    }
    cmd.args(["--runs", "200", "--charts", "svg", "--quiet", "--out"]).arg(out.path()).assert().success();
    let files = files_below(out.path());
    let svg = std::fs::read_to_string(out.path().join(files.iter().find(|f| f.ends_with("sweep.svg")).unwrap())).unwrap();
    // the first bold text is the title
    let at = svg.find("font-weight=\"bold\">").unwrap();
    svg[at..].split('>').nth(1).unwrap().split('<').next().unwrap().trim().to_string()
}

/// Issue 17: a sweep with no effect beyond noise says so, in words: a message that ends at
/// chance whatever the setting, or one that stays where it is; it no longer "stays from 8 % to
/// 8 %". A sweep with an effect keeps its numbers.
#[test]
fn a_flat_sweep_says_it_has_no_effect() {
    // marketing-long-distance has reached the chance line long before its end
    let title = sweep_title("scenarios/marketing-long-distance.yaml", &["chain[8].mutate.jargon=0..1:3"]);
    assert_eq!(title, "No effect: every setting ends at chance");
    // a tenth of we-focus on the bakery's last hop moves nothing
    let title = sweep_title("scenarios/workshop-demo.yaml", &["chain[4].mutate.we_focus=0..0.1:3"]);
    assert_eq!(title, "No effect across the range");
    let title = sweep_title("scenarios/workshop-demo.yaml", &["chain[4].mutate.we_focus=0..0.1:3", "chain[3].mutate.synonym=0..0.05:2"]);
    assert!(title.starts_with("No effect across the grid"), "{title}");
    let title = sweep_title("scenarios/talk-chart.yaml", &["chain[2].mutate.jargon=0..1:3"]);
    assert!(title.contains(" falls from ") && !title.contains("No effect"), "{title}");
}
