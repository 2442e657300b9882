//! `drift calibrate`: the `retell` preset against the published figures, a fit that recovers
//! known rates, the data formats and their mistakes, and what it writes.

use serde_json::Value;

use drift::calibrate::{published, retell};
use drift::lexicon::Lexicon;
use drift::operators::{Operator, OperatorKind, Param};

use super::{drift, files_below, root};

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// A CSV field, quoted.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The published serial-reproduction figures are a third, independent check of `retell`
/// (fitted to Kreiss et al.'s chains, not to these): the original's content words stay within
/// ±0.05 at every generation, and short remarks and long stories behave as people's do. The
/// length and the words kept from the text heard are off after two retellings (drift's
/// retellings settle at a length they keep word for word); the README says so, and the check
/// exits 1 until that is modelled.
#[test]
fn retell_against_the_published_curves() {
    let out = tempfile::tempdir().unwrap();
    let a = drift().args(["calibrate", "--check", "--format", "json", "--no-charts", "--out"]).arg(out.path()).assert().code(1);
    let v = json_of(a.get_output());
    assert_eq!(v["mode"], "check");
    assert_eq!(v["within_tolerance"], false);
    let curves = v["curves"].as_array().unwrap();
    let names: Vec<&str> = curves.iter().map(|c| c["curve"].as_str().unwrap()).collect();
    assert_eq!(names, ["length", "original_words", "kept_words"]);
    let original = &curves[1]["generations"];
    for g in original.as_array().unwrap() {
        let (observed, simulated) = (g["observed"].as_f64().unwrap(), g["simulated"]["median"].as_f64().unwrap());
        assert!((simulated - observed).abs() <= 0.05, "original_words generation {}: {simulated} vs {observed}", g["generation"]);
    }
    // the published figures themselves, as the issue gives them
    let first: Vec<f64> = curves.iter().map(|c| c["generations"][0]["observed"].as_f64().unwrap()).collect();
    assert_eq!(first, [0.48, 0.31, 0.31]);
    let short = &v["short_messages"];
    assert!(short["two_words_intact"]["drift"].as_f64().unwrap() >= 0.85, "{short}");
    assert!(short["twelve_words_intact"]["drift"].as_f64().unwrap() <= 0.3, "{short}");
    assert!(short["long_under_100_after_two"].as_f64().unwrap() >= 0.95, "{short}");
    assert_eq!(files_below(out.path()), ["calibrate-retell-published/calibration.csv", "calibrate-retell-published/calibration.json"]);
}

/// The README's table is what the command prints, so its figures can be checked by anyone.
#[test]
fn the_readme_table_is_what_the_check_prints() {
    let out = tempfile::tempdir().unwrap();
    let a = drift().args(["calibrate", "--check", "--no-charts", "--out"]).arg(out.path()).assert().code(1);
    let printed = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let table: Vec<&str> = printed.lines().skip_while(|l| !l.starts_with("generation")).take_while(|l| !l.starts_with("Wrote")).collect();
    assert!(table.len() > 15, "{printed}");
    for line in table.iter().filter(|l| !l.trim().is_empty()) {
        assert!(readme.contains(line), "the README's calibration table lacks this line of `drift calibrate --check`:\n{line}");
    }
}

/// The rates chains were simulated with, for [`calibration_recovers_known_rates`]: `retell`
/// with every fitted rate moved (forgetting as one level, as the fit moves it).
fn known_rates() -> Vec<Operator> {
    let mut ops = drift::presets::find("retell").unwrap().operators();
    let omit = ops.iter().find(|o| o.kind == OperatorKind::Omit).unwrap().clone();
    let level = |p: Param| omit.param(p).unwrap();
    let sentence = 0.2;
    let tied = |p: Param| ((sentence * (level(p) / level(Param::Sentence))).min(1.0) * 100.0).round() / 100.0;
    for op in &mut ops {
        match op.kind {
            OperatorKind::Omit => {
                let (clause, detail) = (tied(Param::Clause), tied(Param::Detail));
                op.set_param(Param::Sentence, sentence);
                op.set_param(Param::Clause, clause);
                op.set_param(Param::Detail, detail);
            }
            OperatorKind::Paraphrase => op.rate = 0.5,
            OperatorKind::Elaborate => op.rate = 0.6,
            OperatorKind::Reorder => op.rate = 0.3,
            _ => {}
        }
    }
    ops
}

/// The acceptance test: chains simulated with known rates (and their own random
/// numbers), calibrated from `retell`'s rates, give the known rates back within ±0.05 (±0.08
/// for paraphrase, below): how
/// much people forget (omit's sentence rate; its clause and detail rates move with it), reword,
/// reorder and add. The originals mix long stories (where forgetting and reordering show) with
/// short remarks (where a single addition or rewording shows); three retellings each, 90 chains
/// per original. Elaborate adds one hedge per message at most, almost only to the eight stories
/// (it scales with length, capacity 190 words): with 30 chains per original, data drawn with
/// seeds 93-99 gave its 0.6 back as 0.54 to 0.68; with 90, seeds 95-97 gave 0.56 to 0.63.
#[test]
fn calibration_recovers_known_rates() {
    let lexicon = Lexicon::built_in();
    let truth = known_rates();
    let originals: Vec<String> = published::stories()
        .iter()
        .map(|s| s.text.clone())
        .chain(published::two_word_remarks().iter().cloned())
        .chain(published::twelve_word_remarks().iter().cloned())
        .collect();
    let mut csv = String::from("chain,generation,text\n");
    for (k, original) in originals.iter().enumerate() {
        for r in 0..90u64 {
            // seed 99: not the numbers the fit draws (seed 1)
            for (g, text) in retell(&truth, original, 3, 99, k as u64 * 1000 + r, &lexicon).iter().enumerate() {
                csv.push_str(&format!("{k}-{r},{g},{}\n", quoted(text)));
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("simulated.csv");
    std::fs::write(&data, csv).unwrap();
    let a = drift()
        .arg("calibrate")
        .arg(&data)
        .args(["--runs", "2520", "--format", "json", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let v = json_of(a.get_output());
    assert_eq!(v["observed_chains"], serde_json::json!([2520, 2520, 2520]));
    let fitted: Vec<&str> = v["fitted"].as_array().unwrap().iter().map(|k| k["parameter"].as_str().unwrap()).collect();
    assert_eq!(fitted, ["omit.sentence", "paraphrase", "reorder", "elaborate"]);
    // the four rates the fit moves come back within ±0.05
    let param = |op: OperatorKind, p: Param| truth.iter().find(|o| o.kind == op).and_then(|o| o.param(p)).unwrap();
    let got = |op: OperatorKind, p: Param| v["operators"][op.name()][p.name()].as_f64().unwrap();
    for (op, p) in [
        (OperatorKind::Omit, Param::Sentence),
        (OperatorKind::Paraphrase, Param::Rate),
        (OperatorKind::Reorder, Param::Rate),
        (OperatorKind::Elaborate, Param::Rate),
    ] {
        let (want, found) = (param(op, p), got(op, p));
        // paraphrase acts only where WordNet has a clear synonym (about one content word in
        // seven of these stories), so its rate shows in few words and is known less closely
        let tolerance = if op == OperatorKind::Paraphrase { 0.08 } else { 0.05 };
        assert!((found - want).abs() <= tolerance + 1e-9, "{}.{}: fitted {found}, simulated with {want}\n{v:#}", op.name(), p.name());
    }
    // omit's clause and detail rates follow its sentence rate in retell's proportions, and
    // nothing the fit does not move has moved
    let retell = drift::presets::find("retell").unwrap().operators();
    let omit = retell.iter().find(|o| o.kind == OperatorKind::Omit).unwrap();
    let sentence = got(OperatorKind::Omit, Param::Sentence);
    for p in [Param::Clause, Param::Detail] {
        let want = ((sentence * (omit.param(p).unwrap() / omit.param(Param::Sentence).unwrap())).min(1.0) * 100.0).round() / 100.0;
        assert_eq!(got(OperatorKind::Omit, p), want, "omit.{}", p.name());
    }
    assert_eq!(got(OperatorKind::Omit, Param::Rate), omit.rate);
    assert_eq!(got(OperatorKind::Omit, Param::Capacity), omit.capacity.unwrap());
}

/// A small data set, fitted quickly, for the tests of what calibrate writes.
fn small_csv(dir: &std::path::Path) -> std::path::PathBuf {
    let lexicon = Lexicon::built_in();
    let ops = drift::presets::find("retell").unwrap().operators();
    let mut csv = String::from("text,chain,generation,participant\n");
    for (k, remark) in published::twelve_word_remarks().iter().enumerate().take(4) {
        for (g, text) in retell(&ops, remark, 2, 5, k as u64, &lexicon).iter().enumerate() {
            csv.push_str(&format!("{},room {k},{g},p{g}\n", quoted(text)));
        }
    }
    let path = dir.join("room.csv");
    std::fs::write(&path, csv).unwrap();
    path
}

#[test]
fn a_fit_writes_the_preset_ready_to_paste_and_the_chart() {
    let dir = tempfile::tempdir().unwrap();
    let data = small_csv(dir.path());
    let out = dir.path().join("out");
    let a = drift().arg("calibrate").arg(&data).args(["--runs", "40", "--out"]).arg(&out).assert().success();
    let text = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(text.contains("Calibrating `retell` to"), "{text}");
    assert!(text.contains("presets:\n  retell_room:\n"), "{text}");
    let folder = out.join("calibrate-retell-room");
    assert_eq!(
        files_below(&out),
        ["calibration.csv", "calibration.json", "calibration.png", "calibration.svg", "preset.yaml"]
            .map(|f| format!("calibrate-retell-room/{f}"))
    );
    // the preset, pasted into a scenario, validates and gives the hop exactly the fitted rates
    let preset = std::fs::read_to_string(folder.join("preset.yaml")).unwrap();
    assert!(text.contains(&preset), "stdout shows the preset.yaml it wrote");
    let scenario = format!(
        "version: 1\nname: Pasted\ncustomer:\n  said: The new manager wants every report on blue paper.\nchain:\n  - role: Ana\n    preset: retell_room\n{preset}"
    );
    let parsed = drift::scenario::Scenario::parse("pasted.yaml", &scenario).unwrap_or_else(|e| panic!("{e}\n{scenario}"));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(folder.join("calibration.json")).unwrap()).unwrap();
    for op in &parsed.chain[0].operators {
        let want = &v["operators"][op.kind.name()];
        assert_eq!(op.rate, want["rate"].as_f64().unwrap(), "{}", op.kind.name());
        for p in op.kind.number_params() {
            assert_eq!(op.param(*p), want[p.name()].as_f64(), "{}.{}", op.kind.name(), p.name());
        }
    }
    let png = std::fs::read(folder.join("calibration.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "{} bytes", png.len());
    let svg = std::fs::read_to_string(folder.join("calibration.svg")).unwrap();
    assert!(svg.contains("retell_room") && svg.contains("words reworded"), "the SVG names the preset and the curves");
}

#[test]
fn same_seed_same_files_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let data = small_csv(dir.path());
    let run = |threads: &str, seed: &str| {
        let out = dir.path().join(format!("out-{threads}-{seed}"));
        drift()
            .arg("calibrate")
            .arg(&data)
            .args(["--runs", "40", "--quiet", "--threads", threads, "--seed", seed, "--out"])
            .arg(&out)
            .assert()
            .success();
        let folder = out.join("calibrate-retell-room");
        ["calibration.json", "preset.yaml", "calibration.png", "calibration.svg"].map(|f| std::fs::read(folder.join(f)).unwrap())
    };
    let one = run("1", "3");
    assert_eq!(one, run("2", "3"));
    assert_ne!(one[0], run("1", "4")[0], "another seed, other simulated chains");
}

#[test]
fn a_folder_of_played_chains_is_data() {
    let dir = tempfile::tempdir().unwrap();
    let played = dir.path().join("played");
    std::fs::create_dir(&played).unwrap();
    let said = |a: &str, b: &str| {
        format!(
            "version: 1\nname: Played\ncustomer:\n  said: My dispatchers spend every morning on the phone chasing drivers. I need to see where my trucks are.\nchain:\n  - role: Ana\n    said: {a}\n  - role: Ben\n    said: {b}\n"
        )
    };
    std::fs::write(
        played.join("table-1.yaml"),
        said("Dispatchers spend mornings chasing drivers. They need to see the trucks.", "They chase drivers all morning."),
    )
    .unwrap();
    std::fs::write(
        played.join("table-2.yaml"),
        said("The dispatchers are on the phone every morning.", "Dispatchers phone a lot, apparently."),
    )
    .unwrap();
    std::fs::write(played.join("notes.txt"), "not a scenario").unwrap();
    let a = drift()
        .arg("calibrate")
        .arg(&played)
        .args(["--runs", "20", "--format", "json", "--no-charts", "--name", "our_room", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let v = json_of(a.get_output());
    assert_eq!(v["observed_chains"], serde_json::json!([2, 2]));
    assert_eq!(v["preset"], "our_room");
    // two tables are a thin basis for a fit, and drift says so (on stderr: stdout stays JSON)
    let stderr = String::from_utf8_lossy(&a.get_output().stderr);
    assert!(stderr.contains("warning: 2 chains are few"), "{stderr}");
    assert!(v["data"].as_str().unwrap().contains("(2 chains)"));
    // a scenario that was not played is named, with the field it lacks
    std::fs::write(
        played.join("table-3.yaml"),
        "version: 1\nname: Simulated\ncustomer:\n  said: Hello there.\nchain:\n  - role: A\n    preset: retell\n",
    )
    .unwrap();
    let a = drift().arg("calibrate").arg(&played).args(["--out"]).arg(dir.path().join("out2")).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr);
    assert!(stderr.contains("error: chain[0].said: ") && stderr.contains("table-3.yaml"), "{stderr}");
    assert!(!dir.path().join("out2").exists());
}

#[test]
fn bad_data_exits_2_names_the_place_and_writes_nothing() {
    let cases: &[(&str, &str, &str)] = &[
        ("not-a-number", "chain,generation,text\na,0,Hello there.\na,two,Hi.\n", "generation"),
        ("no-original", "chain,generation,text\na,1,Hi.\n", "generation"),
        ("missing-column", "chain,text\na,Hello.\n", "generation"),
        ("unclosed-quote", "chain,generation,text\na,0,\"Hello.\na,1,Hi.\n", ""),
        ("empty-text", "chain,generation,text\na,0,Hello.\na,1,   \n", "text"),
    ];
    for (name, csv, field) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("{name}.csv"));
        std::fs::write(&path, csv).unwrap();
        let out = dir.path().join("out");
        let a = drift().arg("calibrate").arg(&path).arg("--out").arg(&out).assert().code(2);
        let stderr = String::from_utf8_lossy(&a.get_output().stderr).replace(&dir.path().display().to_string(), "DIR");
        if !field.is_empty() {
            assert!(stderr.contains(&format!("error: {field}: ")), "{name}: {stderr}");
        }
        assert!(stderr.contains(&format!("DIR/{name}.csv:")), "{name}: no file:line:column in {stderr}");
        assert!(a.get_output().stdout.is_empty());
        assert!(!out.exists(), "{name}: wrote files");
        insta::assert_snapshot!(format!("calibrate_bad_data__{name}"), stderr);
    }
    drift().args(["calibrate", "no/such.csv"]).assert().code(2);
    let a = drift().args(["calibrate", "--preset", "nope"]).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("unknown preset `nope`"));
    let a = drift().args(["calibrate", "--name", "cmo"]).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("is a built-in preset"));
    let a = drift().args(["calibrate", "--preset", "approve"]).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("no retelling rate"));
}

/// Spreadsheets in much of Europe save CSV with `;`, and TSV files use tabs: the delimiter is
/// found from the header, as for `drift score --pairs`, and the same chains give the same
/// calibration whichever it is. A mistake in such a file is still located.
#[test]
fn semicolon_and_tab_separated_chains_are_read_alike() {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        ("a", 0, "The bridge closed; buses take a detour, which adds twenty minutes."),
        ("a", 1, "The bridge closed, buses detour."),
        ("a", 2, "A bridge closed."),
        ("b", 0, "Shops on Mill Street say the closure came at the worst time."),
        ("b", 1, "Shops say the \"closure\" came at a bad time."),
    ];
    let mut curves = Vec::new();
    for (name, d) in [("comma.csv", ","), ("semicolon.csv", ";"), ("tab.tsv", "\t")] {
        let mut csv = ["chain", "generation", "text"].join(d) + "\n";
        for (chain, g, text) in rows {
            csv.push_str(&format!("{chain}{d}{g}{d}{}\n", quoted(text)));
        }
        let data = dir.path().join(name);
        std::fs::write(&data, csv).unwrap();
        let a = drift()
            .arg("calibrate")
            .arg(&data)
            .args(["--check", "--runs", "10", "--format", "json", "--no-charts", "--out"])
            .arg(dir.path().join("out"))
            .assert();
        let v = json_of(a.get_output());
        assert!(v["data"].as_str().unwrap().contains("(2 chains)"), "{name}: {}", v["data"]);
        curves.push(v["curves"].clone());
    }
    assert_eq!(curves[0], curves[1]);
    assert_eq!(curves[0], curves[2]);
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "chain;generation;text\na;0;Hello there.\na;1\n").unwrap();
    let a = drift().arg("calibrate").arg(&bad).arg("--out").arg(dir.path().join("fresh")).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr);
    assert!(stderr.contains("bad.csv:3:4") && stderr.contains("error: text: this row has no `text` value"), "{stderr}");
    assert!(stderr.contains("separated by semicolons"), "{stderr}");
    assert!(!dir.path().join("fresh").exists());
}

/// A check that fails says so with exit code 1, after printing and writing what it found.
#[test]
fn a_failed_check_exits_1_and_still_reports() {
    let out = tempfile::tempdir().unwrap();
    let a = drift().args(["calibrate", "--check", "--tolerance", "0.001", "--no-charts", "--out"]).arg(out.path()).assert().code(1);
    let o = a.get_output();
    assert!(String::from_utf8_lossy(&o.stdout).contains("Off by more than ±0.001"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`retell` is off the published serial-reproduction figures"));
    assert_eq!(files_below(out.path()).len(), 2);
}

#[test]
fn help_calibrate() {
    let a = drift().args(["calibrate", "--help"]).assert().success();
    insta::assert_snapshot!(String::from_utf8_lossy(&a.get_output().stdout));
}

/// A fit that stays off says what to try next: a check suggests fitting, a fit of the rates
/// alone suggests fitting the capacities too.
#[test]
fn an_unmatched_fit_says_what_to_try_next() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("room.csv");
    let original = "The old stone bridge over the Alder closed on Tuesday after heavy rain. Buses now take a detour through Wexley, which adds twenty minutes. Shops on Mill Street say the closure came at the worst possible time, just before the autumn fair.";
    let rows = [original, "The bridge closed and shops are unhappy.", "A bridge closed.", "Something closed."];
    let mut csv = String::from("chain,generation,text\n");
    for (g, text) in rows.iter().enumerate() {
        csv.push_str(&format!("a,{g},{}\n", quoted(text)));
    }
    std::fs::write(&data, csv).unwrap();
    let out = dir.path().join("out");
    let fit = drift().arg("calibrate").arg(&data).args(["--runs", "40", "--no-charts", "--out"]).arg(&out).assert().success();
    let text = String::from_utf8_lossy(&fit.get_output().stdout).to_string();
    assert!(text.contains("Off by more than ±0.05"), "{text}");
    assert!(text.contains("add --fit-capacity"), "{text}");
    let check = drift().arg("calibrate").arg(&data).args(["--check", "--runs", "40", "--no-charts", "--out"]).arg(&out).assert().code(1);
    let text = String::from_utf8_lossy(&check.get_output().stdout).to_string();
    assert!(text.contains("without --check"), "{text}");
}

/// Chains of `originals` retold by `retell` (seed 5, not the fit's), `per` chains of
/// `generations` retellings each, as a CSV.
fn chains_csv(originals: &[String], per: u64, generations: usize) -> String {
    let lexicon = Lexicon::built_in();
    let ops = drift::presets::find("retell").unwrap().operators();
    let mut csv = String::from("chain,generation,text\n");
    for (k, original) in originals.iter().enumerate() {
        for r in 0..per {
            for (g, text) in retell(&ops, original, generations, 5, k as u64 * 100 + r, &lexicon).iter().enumerate() {
                csv.push_str(&format!("o{k}-{r},{g},{}\n", quoted(text)));
            }
        }
    }
    csv
}

/// Eight twelve-content-word remarks, four chains each, three retellings.
fn folds_csv(dir: &std::path::Path) -> std::path::PathBuf {
    let originals: Vec<String> = published::twelve_word_remarks().iter().take(8).cloned().collect();
    assert_eq!(originals.len(), 8);
    let path = dir.join("room.csv");
    std::fs::write(&path, chains_csv(&originals, 4, 3)).unwrap();
    path
}

/// `--check --folds`: every original held out once, whole; the curves pooled over the held-out
/// folds against drift and the two baselines; a family RMS over the tolerance exits 1.
#[test]
fn check_folds_holds_out_whole_originals_and_reports_baselines() {
    let dir = tempfile::tempdir().unwrap();
    let data = folds_csv(dir.path());
    let out = dir.path().join("out");
    let a =
        drift().arg("calibrate").arg(&data).args(["--check", "--folds", "3", "--runs", "64", "--no-charts", "--out"]).arg(&out).assert();
    let o = a.get_output();
    let text = String::from_utf8_lossy(&o.stdout).replace(&dir.path().display().to_string(), "DIR");
    insta::assert_snapshot!("calibrate_check_folds", text);
    assert_eq!(files_below(&out), ["calibration.csv", "calibration.json", "folds.csv"].map(|f| format!("calibrate-retell-room/{f}")));
    let folder = out.join("calibrate-retell-room");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(folder.join("calibration.json")).unwrap()).unwrap();
    let folds = &v["folds"];
    assert_eq!((folds["k"].as_u64(), folds["originals"].as_u64(), folds["chains"].as_u64()), (Some(3), Some(8), Some(32)));
    // 8 originals dealt round-robin: 3, 3 and 2 of them, with all their chains
    let per_fold: Vec<(u64, u64)> =
        folds["folds"].as_array().unwrap().iter().map(|f| (f["originals"].as_u64().unwrap(), f["chains"].as_u64().unwrap())).collect();
    assert_eq!(per_fold, [(3, 12), (3, 12), (2, 8)]);
    let families: Vec<&str> = folds["families"].as_array().unwrap().iter().map(|f| f["family"].as_str().unwrap()).collect();
    assert_eq!(
        families,
        ["length", "original_words", "kept_words", "order", "added_words", "reworded", "verbatim", "hedged", "intact_by_length"]
    );
    // the copy baseline is the curves of chains that repeat their original
    let length = &folds["families"][0]["points"][0];
    assert_eq!((length["copy"]["mean"].as_f64(), length["copy"]["median"].as_f64()), (Some(1.0), Some(1.0)));
    let verbatim = &folds["families"][6]["points"][2];
    assert_eq!(verbatim["copy"]["mean"].as_f64(), Some(1.0));
    // every held-out chain counted once, at every generation
    assert_eq!(length["observed"]["n"].as_u64(), Some(32));
    let csv = std::fs::read_to_string(folder.join("folds.csv")).unwrap();
    assert!(csv.starts_with("family,generation,bin,scored,observed_n,"), "{csv}");
    assert_eq!(csv.lines().filter(|l| l.starts_with("verbatim,")).count(), 3);
    // drift retold these chains itself, so it is within a loose tolerance, and not a strict one
    let loose = drift()
        .arg("calibrate")
        .arg(&data)
        .args(["--check", "--folds", "3", "--runs", "64", "--tolerance", "0.3", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&loose.get_output().stdout).contains("drift is within ±0.3 (root mean square) on every curve family"));
    let strict = drift()
        .arg("calibrate")
        .arg(&data)
        .args(["--check", "--folds", "3", "--runs", "64", "--tolerance", "0.001", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&strict.get_output().stderr).contains("on held-out folds: root mean square over ±0.001"));
}

/// A fit with `--folds` fits once per fold on the other folds' chains, reports each fold's
/// rates and their mean, and still writes the preset fitted on all the data; the same files on
/// any number of threads.
#[test]
fn folds_fit_per_fold_and_write_the_same_files_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let data = folds_csv(dir.path());
    let run = |threads: &str| {
        let out = dir.path().join(format!("out-{threads}"));
        let a = drift()
            .arg("calibrate")
            .arg(&data)
            .args(["--folds", "2", "--runs", "32", "--no-charts", "--threads", threads, "--out"])
            .arg(&out)
            .assert()
            .success();
        let folder = out.join("calibrate-retell-room");
        let files = ["calibration.json", "calibration.csv", "folds.csv", "preset.yaml"].map(|f| std::fs::read(folder.join(f)).unwrap());
        (String::from_utf8_lossy(&a.get_output().stdout).to_string(), files)
    };
    let (text, one) = run("1");
    assert_eq!(one, run("2").1);
    assert!(text.contains("Fitted without each fold (on the other folds' chains):"), "{text}");
    assert!(text.contains("presets:\n  retell_room:\n"), "{text}");
    let v: Value = serde_json::from_slice(&one[0]).unwrap();
    let folds = v["folds"]["folds"].as_array().unwrap();
    assert_eq!(folds.len(), 2);
    for knob in ["omit.sentence", "paraphrase", "reorder", "elaborate"] {
        let values: Vec<f64> = folds.iter().map(|f| f["fitted"][knob].as_f64().unwrap()).collect();
        let mean = v["folds"]["mean_fitted"][knob].as_f64().unwrap();
        assert!((mean - (values[0] + values[1]) / 2.0).abs() < 1e-6, "{knob}: {values:?} {mean}");
    }
    assert_eq!(v["folds"]["mode"], "fit");
}

/// Several DATA files are one pool of chains; a mistake in any of them exits 2 with its place.
#[test]
fn several_data_files_are_pooled() {
    let dir = tempfile::tempdir().unwrap();
    let remarks = published::twelve_word_remarks();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::fs::write(&a, chains_csv(&remarks[..2], 3, 2)).unwrap();
    // the same chain names in the second file are other chains
    std::fs::write(&b, chains_csv(&remarks[2..4], 3, 2)).unwrap();
    let out = dir.path().join("out");
    let run = drift()
        .arg("calibrate")
        .arg(&a)
        .arg(&b)
        .args(["--check", "--runs", "24", "--format", "json", "--no-charts", "--out"])
        .arg(&out)
        .assert();
    let v = json_of(run.get_output());
    assert_eq!(v["observed_chains"], serde_json::json!([12, 12]));
    assert_eq!(v["originals"], 12);
    assert!(v["data"].as_str().unwrap().ends_with("b.csv (12 chains)"), "{}", v["data"]);
    assert!(v["data"].as_str().unwrap().contains("a.csv + "), "{}", v["data"]);
    assert_eq!(files_below(&out), ["calibrate-retell-a-b/calibration.csv", "calibrate-retell-a-b/calibration.json"]);
    // the pool is the one file with both
    let both = dir.path().join("both.csv");
    let second: String = chains_csv(&remarks[2..4], 3, 2).lines().skip(1).map(|l| format!("{}\n", l.replacen('o', "p", 1))).collect();
    std::fs::write(&both, chains_csv(&remarks[..2], 3, 2) + &second).unwrap();
    let one = drift()
        .arg("calibrate")
        .arg(&both)
        .args(["--check", "--runs", "24", "--format", "json", "--no-charts", "--out"])
        .arg(&out)
        .assert();
    let w = json_of(one.get_output());
    assert_eq!(v["curves"], w["curves"]);
    assert_eq!(v["families"], w["families"]);
    // a mistake in the second file names it; nothing is written
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "chain,generation,text\na,0,Hello there.\na,two,Hi.\n").unwrap();
    let fresh = dir.path().join("fresh");
    let e = drift().arg("calibrate").arg(&a).arg(&bad).arg("--out").arg(&fresh).assert().code(2);
    let stderr = String::from_utf8_lossy(&e.get_output().stderr);
    assert!(stderr.contains("bad.csv:3:3") && stderr.contains("error: generation: "), "{stderr}");
    assert!(!fresh.exists());
}

/// Generations a handful of chains reach are left out of the comparison, the fit and the
/// simulation.
#[test]
fn deep_generations_few_chains_reach_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let remarks = published::twelve_word_remarks();
    // 24 chains of two retellings, one of five
    let mut csv = chains_csv(&remarks[..3], 8, 2);
    csv.push_str(&chains_csv(&remarks[3..4], 1, 5).lines().skip(1).map(|l| format!("deep{l}\n")).collect::<String>());
    let data = dir.path().join("deep.csv");
    std::fs::write(&data, csv).unwrap();
    let out = dir.path().join("out");
    let a = drift().arg("calibrate").arg(&data).args(["--check", "--runs", "25", "--no-charts", "--out"]).arg(&out).assert();
    let text = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(text.contains("Compared: generations 1–2 (generations 3–5 left out: reached by fewer than 10 chains)"), "{text}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(out.join("calibrate-retell-deep/calibration.json")).unwrap()).unwrap();
    assert_eq!(v["observed_chains"], serde_json::json!([25, 25]));
    assert_eq!(v["generations_compared"], serde_json::json!({"compared": 2, "deepest": 5, "min_chains": 10}));
    assert_eq!(v["curves"][0]["generations"].as_array().unwrap().len(), 2);
}

#[test]
fn folds_need_chains_and_enough_originals() {
    let a = drift().args(["calibrate", "--folds", "5"]).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("--folds splits observed chains by original: give DATA"));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("two.csv");
    std::fs::write(&data, chains_csv(&published::twelve_word_remarks()[..2], 5, 1)).unwrap();
    let out = dir.path().join("out");
    let a = drift().arg("calibrate").arg(&data).args(["--folds", "3", "--out"]).arg(&out).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("the data have 2 distinct originals"));
    assert!(!out.exists());
    drift().arg("calibrate").arg(&data).args(["--folds", "1"]).assert().code(2);
}

/// Issue 16: a fit stops at Ctrl-C as `run` does: promptly, exit code 130, nothing written.
#[test]
fn ctrl_c_stops_a_fit_promptly_and_writes_nothing() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let out = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("drift"))
        .current_dir(super::root())
        .args(["calibrate", "--runs", "200000", "--no-charts", "--out"])
        .arg(out.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    let sent = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(sent.elapsed() < Duration::from_secs(20), "still fitting 20 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(130));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(files_below(out.path()), Vec::<String>::new());
}
