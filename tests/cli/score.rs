//! `drift score`: real copy against the customer's words.

use serde_json::Value;

use super::{drift, files_below};

const DANA: &str = "We keep losing our best adjusters to paperwork. I need them back in the field.";

fn json(args: &[&str]) -> Value {
    let a = drift().arg("score").args(args).args(["--format", "json"]).assert().success();
    serde_json::from_slice(&a.get_output().stdout).expect("stdout is JSON")
}

#[test]
fn identical_message_scores_one_everywhere() {
    let v = json(&["--customer", DANA, DANA]);
    assert_eq!(v["schema"], 1);
    assert_eq!(v["customer"], DANA);
    let m = &v["messages"][0];
    assert_eq!(m["label"], "message");
    for metric in ["levenshtein", "damerau", "jaro_winkler", "sorensen_dice", "word_levenshtein", "customer_words"] {
        assert_eq!(m["vs_customer"][metric], 1.0, "{metric}");
    }
    assert_eq!(m["symptoms"]["jargon"], 0.0);
    assert_eq!(m["customer_words"]["missing"], serde_json::json!([]));
    assert!(m["symptoms"]["we_focus"].is_number());
}

#[test]
fn marketing_copy_scores_low_with_symptoms_and_names_them() {
    let v = json(&["--customer", DANA, "Our best-in-class platform eliminates administrative overhead for adjusters."]);
    let m = &v["messages"][0];
    assert!(m["vs_customer"]["levenshtein"].as_f64().unwrap() < 0.5);
    assert!(m["symptoms"]["jargon"].as_f64().unwrap() > 0.0);
    assert_eq!(m["symptoms"]["we_focus"], 1.0);
    assert_eq!(m["pronouns"], serde_json::json!({"we": 1, "people": 1}));
    let phrases: Vec<&str> = m["jargon_phrases"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(phrases.contains(&"administrative overhead"), "{phrases:?}");
    // the kept words are the customer_words metric
    let kept = m["customer_words"]["kept"].as_array().unwrap().len() as f64;
    let total = kept + m["customer_words"]["missing"].as_array().unwrap().len() as f64;
    assert_eq!(m["vs_customer"]["customer_words"].as_f64().unwrap(), ((kept / total) * 1e6).round() / 1e6);
    // "best-in-class" is one word: not the customer's "best"
    assert_eq!(m["customer_words"]["kept"], serde_json::json!(["adjusters"]));
}

#[test]
fn headline_body_and_call_to_action_in_one_table_with_verdicts() {
    let a = drift()
        .args([
            "score",
            "--customer",
            DANA,
            "--cta",
            "Book a demo",
            "--headline",
            "Our AI platform eliminates administrative overhead",
            "--body",
            "Get your best adjusters back in the field, not buried in paperwork.",
            "--message",
            "Subject line=We empower insurers",
        ])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(text.lines().all(|l| l.chars().count() <= 88), "lines too long for a terminal:\n{text}");
    let text = text.replace("\n    ", " "); // verdicts unwrapped
    // one row per message, in reading order, every metric and symptom as a column
    let rows: Vec<&str> =
        text.lines().filter(|l| l.contains('%') && !l.contains(':') && !l.starts_with(' ') && !l.starts_with("unrelated")).collect();
    assert_eq!(rows.len(), 4, "{text}");
    // the chance line under them: unrelated text of Dana's length, every metric
    let chance = text.lines().find(|l| l.starts_with("unrelated ")).expect("a chance row");
    assert_eq!(chance.matches('%').count(), 7, "{chance}");
    for (row, label) in rows.iter().zip(["headline", "body", "call to action", "Subject line"]) {
        assert!(row.starts_with(label), "{row:?} is not {label}");
        assert_eq!(row.matches('%').count(), 9, "{row:?}: seven metrics and two symptoms");
    }
    for heading in ["mean", "lev", "dam", "jaro", "dice", "wlev", "words", "jargon", "we-focus"] {
        assert!(text.lines().any(|l| l.starts_with("message") && l.contains(heading)), "no {heading} column in\n{text}");
    }
    // plain verdicts per message
    assert!(text.contains("body: “Get your best adjusters back in the field, not buried in paperwork.”"), "{text}");
    assert!(
        text.contains("customer words kept: 5 of 8 (best, adjusters, paperwork, back, field); missing: keep, losing, need\n"),
        "{text}"
    );
    assert!(text.contains("customer words kept: 0 of 8; missing: keep, losing, best, adjusters, paperwork, need, +2 more\n"), "{text}");
    assert!(text.contains("jargon: 67% (platform, eliminates, administrative overhead)"), "{text}");
    assert!(text.contains("we-focus: 100% (1 of 1 pronoun for people is the seller's we/our/us)"), "{text}");
    assert!(text.contains("we-focus: 0% (no pronouns for people)"), "{text}");
    assert!(text.contains("jargon: 0% (no marketing-speak found)"), "{text}");
}

#[test]
fn texts_come_from_files_and_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let customer = dir.path().join("interview.txt");
    std::fs::write(&customer, format!("\u{feff}{DANA}\n")).unwrap();
    let ad = dir.path().join("ad-a.txt");
    std::fs::write(&ad, "Your adjusters, back in the field.\n\nNo more paperwork.\n").unwrap();
    let a = drift()
        .arg("score")
        .arg(format!("--customer=@{}", customer.display()))
        .arg(format!("@{}", ad.display()))
        .arg("-")
        .arg("@@adjusters")
        .args(["--format", "json"])
        .write_stdin("Our platform empowers insurers.")
        .assert()
        .success();
    let v: Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(v["customer"], DANA, "the byte-order mark and the trailing newline are dropped");
    let m = v["messages"].as_array().unwrap();
    assert_eq!(m.len(), 3);
    assert_eq!(m[0]["label"], "ad-a.txt", "a file is labelled with its name");
    assert_eq!(m[0]["text"], "Your adjusters, back in the field.\n\nNo more paperwork.");
    assert_eq!(m[1]["label"], "message 2");
    assert_eq!(m[1]["text"], "Our platform empowers insurers.");
    assert_eq!(m[2]["text"], "@adjusters", "@@ is a literal @");
    // --message takes @FILE after the label too
    let v = json(&["--customer", DANA, "--message", &format!("Ad A=@{}", ad.display())]);
    assert_eq!(v["messages"][0]["label"], "Ad A");
    assert_eq!(v["messages"][0]["text"], m[0]["text"]);
}

#[test]
fn the_customer_can_come_from_a_scenario_with_its_three_ps_and_lexicon() {
    let v = json(&["--scenario", "scenarios/three-ps.yaml", "--headline", "Nurses back at the bedside, with simpler charting"]);
    assert!(v["customer"].as_str().unwrap().starts_with("My nurses spend half their shift"));
    assert_eq!(v["who"], "Maria, nurse manager on a busy surgical ward");
    let ps = &v["messages"][0]["three_ps"];
    for p in ["priorities", "problems", "perceptions"] {
        assert!(ps[p]["share"].is_number() && ps[p]["still_said"].is_number(), "{p} missing: {ps}");
    }
    assert!(ps["perceptions"]["kept"].as_array().unwrap().iter().any(|w| w == "simpler"), "{ps}");
    let a = drift()
        .args(["score", "--scenario", "scenarios/three-ps.yaml", "--headline", "Nurses back at the bedside, with simpler charting"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(text.starts_with("Maria, nurse manager on a busy surgical ward said:"), "{text}");
    assert!(text.contains("  perceptions: ") && text.contains("still said; words kept: "), "{text}");

    // the workshop scenario teaches drift its own jargon; the built-in lexicon does not know it
    let copy = "Our entire craft range, baked before sunrise.";
    let with = json(&["--scenario", "scenarios/workshop-demo.yaml", copy]);
    assert!(with["messages"][0]["jargon_phrases"].as_array().unwrap().iter().any(|p| p == "Our entire craft range"), "{with}");
    let without = json(&["--customer", "I bake everything by hand before sunrise", copy]);
    assert!(
        !without["messages"][0]["jargon_phrases"].as_array().unwrap().iter().any(|p| p.as_str().unwrap().contains("craft range")),
        "{without}"
    );
}

/// Bad texts: exit code 2, the option and the file named, nothing on stdout, nothing written.
#[test]
fn unusable_texts_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Our cafe\n is the caf\xE9 for insurers").unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n  \n").unwrap();
    let at = |p: &std::path::Path| format!("@{}", p.display());
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        ("missing_file", vec!["--customer".into(), DANA.into(), "--body".into(), "@no/such/body.txt".into()], "--body: no such file"),
        ("directory", vec!["--customer".into(), at(dir.path()), "x".into()], "--customer: is a directory"),
        ("empty_text", vec!["--customer".into(), DANA.into(), "--cta".into(), "   ".into()], "--cta: is empty"),
        ("empty_file", vec!["--customer".into(), DANA.into(), "--headline".into(), at(&empty)], "--headline: the file is empty"),
        ("no_words", vec!["--customer".into(), DANA.into(), "…!".into()], "message: “…!” has no words"),
        ("not_utf8", vec!["--customer".into(), DANA.into(), "--body".into(), at(&latin1)], "the text is not UTF-8 (byte 0xE9"),
        ("two_stdins", vec!["--customer".into(), "-".into(), "-".into()], "--customer and message both ask for it"),
        ("message_without_label", vec!["--customer".into(), DANA.into(), "--message".into(), "Buy now".into()], "LABEL=TEXT"),
        ("empty_stdin", vec!["--customer".into(), DANA.into(), "-".into()], "message: standard input is empty"),
        ("no_message", vec!["--customer".into(), DANA.into()], "required arguments were not provided"),
        ("no_customer", vec!["Our platform".into()], "required arguments were not provided"),
        ("bad_scenario", vec!["--scenario".into(), "tests/bad_inputs/unknown-operator.yaml".into(), "x".into()], "unknown operator"),
    ];
    for (name, args, needle) in cases {
        let a = drift().arg("score").args(&args).write_stdin("").assert().code(2);
        let out = a.get_output();
        let stderr = String::from_utf8_lossy(&out.stderr).replace(&dir.path().display().to_string(), "<dir>");
        assert!(stderr.contains(needle), "{name}: expected {needle:?} in\n{stderr}");
        assert!(out.stdout.is_empty(), "{name}: printed on stdout");
        if name == "not_utf8" {
            assert!(stderr.contains("latin1.txt:2:12"), "{name}: no line and column in\n{stderr}");
        }
        insta::assert_snapshot!(format!("score_error__{name}"), stderr);
    }
    assert_eq!(files_below(dir.path()), ["empty.txt", "latin1.txt"], "score writes no files");
}

#[test]
fn score_help() {
    let a = drift().args(["score", "--help"]).assert().success();
    insta::assert_snapshot!("help_score", String::from_utf8_lossy(&a.get_output().stdout));
}

/// `--pairs`: a table in, the same table out with a column per metric, whatever the
/// delimiter; every input column kept, in order, quoting and all.
#[test]
fn pairs_round_trip_every_input_column() {
    let metrics = "meaning,levenshtein,damerau,jaro_winkler,sorensen_dice,word_levenshtein,customer_words";
    for (delimiter, name) in [(",", "pairs.csv"), (";", "pairs.csv"), ("\t", "pairs.tsv")] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(name);
        let d = delimiter;
        let table = format!(
            "id{d}customer{d}message{d}note\n1{d}We keep losing our best adjusters to paperwork.{d}We keep losing our best adjusters to paperwork.{d}\"same{d} word for word\"\n2{d}I need invoices that just work.{d}An omnichannel artisan lifestyle ecosystem{d}\n"
        );
        std::fs::write(&file, &table).unwrap();
        let out = drift().args(["score", "--pairs"]).arg(&file).assert().success().get_output().stdout.clone();
        let mut reader = csv::ReaderBuilder::new().delimiter(d.as_bytes()[0]).from_reader(&out[..]);
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header.join(","), format!("id,customer,message,note,{metrics}"));
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][3], format!("same{d} word for word"));
        assert_eq!(&rows[1][3], "");
        // a verbatim copy scores 1 on every metric; an unrelated message less
        assert!(rows[0].iter().skip(4).all(|x| x == "1"), "{:?}", rows[0]);
        assert!(rows[1].iter().skip(4).all(|x| x.parse::<f64>().unwrap() < 0.7), "{:?}", rows[1]);
    }
}

#[test]
fn pairs_as_json_keep_the_columns_and_give_every_metric() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pairs.csv");
    std::fs::write(&file, "customer,message,score\nWe keep losing adjusters.,We keep losing adjusters.,5.0\n").unwrap();
    let out = drift().args(["score", "--format", "json", "--pairs"]).arg(&file).assert().success().get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema"], 1);
    assert_eq!(v["rows"][0]["columns"]["score"], "5.0");
    assert_eq!(v["rows"][0]["scores"]["levenshtein"], 1.0);
    assert_eq!(v["metrics"].as_array().unwrap().len(), v["rows"][0]["scores"].as_object().unwrap().len());
}

#[test]
fn bad_pairs_tables_exit_2_at_their_row() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pairs.csv");
    let cases = [
        ("no_message_column", "customer,copy\nWe keep losing adjusters.,Adjusters back\n"),
        ("empty_message", "customer,message\nWe keep losing adjusters.,Adjusters back\nWe keep losing adjusters.,\n"),
        ("unequal_row", "customer,message\nWe keep losing adjusters.,Adjusters back,extra\n"),
        ("control_character", "customer,message\nWe keep losing adjusters.,\"Adjusters \x1b[2J back\"\n"),
        ("header_only", "customer,message\n"),
    ];
    for (name, table) in cases {
        std::fs::write(&file, table).unwrap();
        let a = drift().args(["score", "--pairs"]).arg(&file).assert().code(2);
        let stderr = String::from_utf8_lossy(&a.get_output().stderr).replace(&file.display().to_string(), "pairs.csv");
        insta::assert_snapshot!(format!("pairs_{name}"), stderr);
    }
    drift().args(["score", "--pairs"]).arg(&file).args(["--customer", "x"]).assert().code(2);
    drift().args(["score", "--customer", "x", "--body", "y", "--format", "csv"]).assert().code(2);
}
