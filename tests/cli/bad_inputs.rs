//! Every kind of bad scenario: exit code 2, a message naming the field (and line where the
//! parser knows it), and nothing written.

use std::time::Instant;

use super::{drift, files_below, root};

/// (file, text the message must hold, field path it must name, `file:line` it must point at)
const CASES: &[(&str, &str, Option<&str>, Option<usize>)] = &[
    ("alias-bomb.yaml", "with its aliases (`*name`) written out", Some("lexicon.ladders[52]"), Some(8)),
    ("alias-wrong-type.yaml", "invalid type", Some("lexicon.fillers[0]"), Some(6)),
    ("blank-customer-words.yaml", "is empty", Some("customer.said"), Some(5)),
    ("capacity-out-of-range.yaml", "capacity 0 is outside", Some("chain[0].mutate.omit.capacity"), Some(8)),
    ("duplicate-operator.yaml", "given twice", Some("chain[0].mutate.jargon"), Some(7)),
    ("empty-chain.yaml", "is empty: add at least one hop", Some("chain"), Some(5)),
    ("empty-file.yaml", "the file is empty", None, None),
    ("empty-metrics.yaml", "is empty: name at least one metric", Some("metrics"), Some(5)),
    ("empty-mutate.yaml", "`mutate` is empty", Some("chain[0].mutate"), Some(7)),
    ("hop-without-preset-or-mutate.yaml", "has neither `preset` nor `mutate`", Some("chain[0]"), Some(6)),
    ("hop-without-role.yaml", "missing field `role`", Some("chain[1]"), Some(8)),
    ("human-hop-empty-words.yaml", "is empty: write the words this person passed on", Some("chain[1].said"), Some(9)),
    ("human-hop-with-mutate.yaml", "has `said` and also `preset` or `mutate`", Some("chain[0]"), Some(6)),
    ("lexicon-frame-without-slot.yaml", "must hold `{agenda}`", Some("lexicon.agenda_frames[1]"), Some(8)),
    ("latin1-not-utf8.yaml", "not UTF-8", None, Some(4)),
    ("long-form-without-rate.yaml", "missing field `rate`", Some("chain[0].mutate.anecdote"), Some(8)),
    ("missing-customer-words.yaml", "missing field `said`", Some("customer"), Some(4)),
    ("negative-seed.yaml", "whole number", Some("seed"), Some(5)),
    ("not-a-mapping.yaml", "a scenario: a mapping", None, Some(1)),
    ("preset-empty.yaml", "the preset is empty", Some("presets.our_cmo"), Some(6)),
    ("preset-shadows-built-in.yaml", "is a built-in preset", Some("presets.retell"), Some(6)),
    ("preset-unknown-in-chain.yaml", "did you mean `our_room`?", Some("chain[0].preset"), Some(9)),
    ("preset-unknown-operator.yaml", "did you mean `jargon`?", Some("presets.our_cmo.jargn"), Some(10)),
    ("rate-above-one.yaml", "rate 1.5 is outside 0..1", Some("chain[0].mutate.jargon"), Some(7)),
    ("rate-below-zero.yaml", "rate -0.2 is outside 0..1", Some("chain[0].mutate.omit"), Some(7)),
    ("rate-is-text.yaml", "expected a rate from 0 to 1", Some("chain[0].mutate.jargon"), Some(7)),
    ("tab-indentation.yaml", "tab character", None, Some(4)),
    ("two-documents.yaml", "more than one YAML document", None, None),
    ("unknown-customer-key.yaml", "did you mean `priorities`?", Some("customer.prorities"), Some(5)),
    ("unknown-hop-key.yaml", "did you mean `preset`?", Some("chain[1].prest"), Some(9)),
    ("unknown-metric.yaml", "did you mean `levenshtein`?", Some("metrics"), Some(5)),
    ("unknown-operator-field.yaml", "did you mean `to`?", Some("chain[0].mutate.refocus.too"), Some(8)),
    ("unknown-omit-parameter.yaml", "did you mean `detail`?", Some("chain[0].mutate.omit.detial"), Some(8)),
    ("unknown-operator.yaml", "did you mean `jargon`?", Some("chain[0].mutate.jargn"), Some(7)),
    ("unknown-preset.yaml", "did you mean `cmo`?", Some("chain[0].preset"), Some(7)),
    ("unknown-top-level-key.yaml", "did you mean `runs`?", Some("runz"), Some(5)),
    ("unsupported-version.yaml", "unsupported version 2", Some("version"), Some(1)),
    ("yaml-syntax-error.yaml", "YAML syntax error", None, Some(5)),
    ("zero-runs.yaml", "is 0", Some("runs"), Some(3)),
    // limits (README, "Limits")
    ("agenda-too-long.yaml", "texts in a scenario are limited to 10000", Some("chain[0].mutate.refocus.to"), Some(10)),
    ("customer-words-too-long.yaml", "is 12000 characters long", Some("customer.said"), Some(5)),
    ("deep-nesting.yaml", "nested more than 64 deep", None, Some(5)),
    ("lexicon-too-big.yaml", "a scenario may add at most 10000", Some("lexicon"), Some(9)),
    ("too-many-hops.yaml", "may hold at most 200", Some("chain"), Some(7)),
    ("too-many-runs.yaml", "at most 10000000 runs", Some("runs"), Some(3)),
    // issue 13: hostile inputs
    // growth per hop (README, "Limits")
    ("lexicon-grows-itself.yaml", "more than once", Some("lexicon.jargon.paperwork[0]"), Some(7)),
    ("lexicon-synonym-grows-itself.yaml", "more than once", Some("lexicon.synonyms.adjusters[1]"), Some(7)),
    ("lexicon-exaggeration-grows-itself.yaml", "more than once", Some("lexicon.exaggerations.best[0]"), Some(7)),
    // every text field is bounded
    ("who-too-long.yaml", "is 12000 characters long", Some("customer.who"), Some(4)),
    ("note-too-long.yaml", "is 12000 characters long", Some("chain[0].note"), Some(7)),
    ("description-too-long.yaml", "is 12000 characters long", Some("description"), Some(3)),
    ("name-too-long.yaml", "is 12000 characters long", Some("name"), Some(2)),
    ("role-too-long.yaml", "is 12000 characters long", Some("chain[0].role"), Some(6)),
    ("lexicon-value-too-long.yaml", "is 12000 characters long", Some("lexicon.jargon.paperwork[0]"), Some(7)),
    ("lexicon-key-too-long.yaml", "is 12000 characters long", Some("lexicon.jargon"), Some(7)),
    ("anecdote-list-too-long.yaml", "is 12000 characters long", Some("lexicon.anecdotes[0]"), Some(7)),
    ("three-p-too-long.yaml", "is 12000 characters long", Some("customer.priorities"), Some(5)),
    ("plain-scalar-too-long.yaml", "is 12000 characters long", None, Some(1)),
    ("plain-scalar-file.yaml", "a scenario: a mapping", None, Some(1)),
    // aliases are bounded by their expanded size
    ("alias-big-note.yaml", "with its aliases (`*name`) written out", Some("chain[231].note"), None),
    ("alias-flat-list.yaml", "with its aliases (`*name`) written out", Some("lexicon.anecdotes[418]"), Some(7)),
    // nesting follows YAML's rules
    ("nesting-after-quote-in-plain-text.yaml", "nested more than 64 deep", None, Some(5)),
    ("nesting-by-indentation.yaml", "nested more than 64 deep", None, None),
    ("nesting-deep-closed.yaml", "nested more than 64 deep", None, Some(5)),
    // control characters never reach a terminal
    ("escape-sequence-in-said.yaml", "U+001B ESC", Some("customer.said"), Some(4)),
    ("escape-sequence-in-name.yaml", "U+001B ESC", Some("name"), Some(2)),
    ("c1-control-in-who.yaml", "U+009B CSI", Some("customer.who"), Some(4)),
    ("escape-sequence-in-lexicon.yaml", "U+001B ESC", Some("lexicon.jargon.paperwork[0]"), Some(7)),
    ("escape-sequence-in-note.yaml", "U+001B ESC", Some("chain[0].note"), Some(7)),
    ("escape-sequence-in-agenda.yaml", "U+001B ESC", Some("chain[0].mutate.refocus.to"), Some(8)),
    ("carriage-return-in-role.yaml", "U+000D carriage return", Some("chain[0].role"), Some(6)),
    ("bell-in-human-hop.yaml", "U+0007 BEL", Some("chain[0].said"), Some(7)),
    ("raw-escape-byte.yaml", "U+001B ESC", None, Some(4)),
    ("raw-c1-character.yaml", "U+009B CSI", None, Some(4)),
    ("escape-sequence-in-key.yaml", "U+001B ESC", None, Some(3)),
    ("nul-byte.yaml", "U+0000 NUL", None, Some(4)),
    // smaller holes
    ("said-without-words.yaml", "has no words", Some("customer.said"), Some(4)),
    ("priorities-without-words.yaml", "has no words", Some("customer.priorities"), Some(5)),
    ("human-hop-without-words.yaml", "has no words", Some("chain[0].said"), Some(7)),
    ("preset-upper-case-built-in.yaml", "reads the same as the built-in preset `cmo`", Some("presets.CMO"), Some(6)),
    ("preset-look-alike-built-in.yaml", "reads the same as the built-in preset `cmo`", Some("presets.сmo"), Some(6)),
    ("presets-look-alike-each-other.yaml", "reads the same as preset `our_cmo`", Some("presets.our_сmo"), Some(7)),
    ("duplicate-top-level-key.yaml", "is given twice", Some("name"), Some(8)),
    ("duplicate-hop-key.yaml", "is given twice", Some("chain[0].role"), Some(8)),
    ("duplicate-lexicon-phrase.yaml", "is given twice", Some("lexicon.jargon.paperwork"), Some(8)),
    ("duplicate-customer-key.yaml", "is given twice", Some("customer.said"), Some(5)),
    ("runs-not-whole.yaml", "must be a whole number, not 1.5", Some("runs"), Some(3)),
    // encodings
    ("utf16-not-utf8.yaml", "UTF-16 text, not UTF-8", None, None),
    // issue 16: every independent mistake at once (the first one here; all of them below)
    ("many-mistakes.yaml", "did you mean `runs`?", Some("runz"), Some(3)),
];

#[test]
fn every_bad_input_file_has_a_case() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("tests/bad_inputs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|f| f.ends_with(".yaml"))
        .collect();
    files.sort();
    let mut cases: Vec<&str> = CASES.iter().map(|c| c.0).collect();
    cases.sort();
    assert_eq!(files, cases);
}

#[test]
fn bad_inputs_exit_2_name_the_field_and_write_nothing() {
    for &(file, needle, field, line) in CASES {
        let path = format!("tests/bad_inputs/{file}");
        let out = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let assert = drift().args(["run", &path, "--out"]).arg(out.path()).assert().code(2);
        assert!(started.elapsed().as_secs() < 5, "{file} took {:?}", started.elapsed());
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(stderr.contains(needle), "{file}: expected {needle:?} in\n{stderr}");
        if let Some(field) = field {
            assert!(stderr.contains(&format!("error: {field}: ")), "{file}: expected field {field} in\n{stderr}");
        }
        match line {
            Some(line) => assert!(stderr.contains(&format!("{path}:{line}:")), "{file}: expected line {line} in\n{stderr}"),
            None => assert!(stderr.contains(&path), "{file}: expected the file name in\n{stderr}"),
        }
        assert!(assert.get_output().stdout.is_empty(), "{file}: stdout not empty");
        assert_eq!(files_below(out.path()), Vec::<String>::new(), "{file}: wrote files");
        insta::assert_snapshot!(format!("bad_input__{}", file.trim_end_matches(".yaml")), stderr);
    }
}

#[test]
fn validate_reports_every_bad_file_and_exits_2() {
    let assert = drift()
        .args([
            "validate",
            "tests/bad_inputs/unknown-operator.yaml",
            "scenarios/marketing-long-distance.yaml",
            "tests/bad_inputs/zero-runs.yaml",
        ])
        .assert()
        .code(2);
    let out = assert.get_output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown operator `jargn`"));
    assert!(stderr.contains("runs: is 0"));
    assert!(stderr.contains("2 of 3 scenario files are invalid"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok: scenarios/marketing-long-distance.yaml"));
}

/// Issue 16: a file with seven independent mistakes names all seven (each with its place),
/// not just the first; a hop that names a preset whose definition is wrong gets no second,
/// misleading error of its own.
#[test]
fn every_independent_mistake_is_reported_at_once() {
    let path = "tests/bad_inputs/many-mistakes.yaml";
    let a = drift().args(["validate", path]).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    for (field, line) in [
        ("runz", 3),
        ("metrics", 6),
        ("presets.ours.jargn", 8),
        ("chain[0].preset", 11),
        ("chain[1].mutate.amplfy", 13),
        ("chain[1].mutate.jargon", 13),
        ("chain[4].mutate.synonym", 18),
    ] {
        assert!(stderr.contains(&format!("error: {field}: ")), "expected {field} in\n{stderr}");
        assert!(stderr.contains(&format!("{path}:{line}:")), "expected line {line} in\n{stderr}");
    }
    assert!(!stderr.contains("chain[2]"), "{stderr}");
    assert_eq!(stderr.matches("error: ").count(), 8, "{stderr}");
    assert!(stderr.trim_end().ends_with("error: 7 errors in tests/bad_inputs/many-mistakes.yaml"), "{stderr}");
    // issue 16: the caret sits under the `2` after the wide characters (the snapshot shows it)
    let shown = stderr.lines().find(|l| l.contains("synonym: 2")).expect("the CJK line");
    let caret = stderr.lines().skip_while(|l| !l.contains("synonym: 2")).nth(1).expect("the caret line");
    use unicode_width::UnicodeWidthStr;
    assert_eq!(caret.find('^').map(|at| caret[..at].width()), shown.find("2 }").map(|at| shown[..at].width()), "{stderr}");
    // run reads scenarios the same way
    let b = drift().args(["run", path, "--out", "/nonexistent-never-written"]).assert().code(2);
    assert_eq!(String::from_utf8_lossy(&b.get_output().stderr), stderr);
}

/// Several missing fields and a bad hop: each is its own error.
#[test]
fn missing_fields_are_reported_with_the_other_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.yaml");
    std::fs::write(&file, "version: 1\nchain:\n  - role: CMO\n    preset: nope\n").unwrap();
    let a = drift().arg("validate").arg(&file).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr);
    assert!(stderr.contains("missing field `name`"), "{stderr}");
    assert!(stderr.contains("missing field `customer`"), "{stderr}");
    assert!(stderr.contains("chain[0].preset: unknown preset `nope`"), "{stderr}");
    assert!(stderr.contains("3 errors in"), "{stderr}");
}

/// `validate --format json`: one document on stdout, an object per file in order, every
/// error with its place and help; exit code 2 as in text.
#[test]
fn validate_json_lists_every_file_and_every_error() {
    let a = drift()
        .args(["validate", "--format", "json", "scenarios/marketing-long-distance.yaml", "tests/bad_inputs/many-mistakes.yaml"])
        .assert()
        .code(2);
    let out = a.get_output();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let files = doc.as_array().expect("an array");
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["file"], "scenarios/marketing-long-distance.yaml");
    assert_eq!(files[0]["ok"], true);
    assert_eq!(files[0]["name"], "Marketing long distance");
    assert!(files[0]["hops"].as_u64().unwrap() > 1);
    assert!(files[0].get("errors").is_none());
    assert_eq!(files[1]["ok"], false);
    let errors = files[1]["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 7);
    assert_eq!(errors[0]["field"], "runz");
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(errors[0]["column"], 1);
    assert!(errors[0]["message"].as_str().unwrap().contains("did you mean `runs`?"));
    assert!(errors[0]["help"].as_str().unwrap().contains("the fields here are"));
    // the errors are in the document, not repeated on stderr
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("runz"), "{stderr}");
    assert!(stderr.contains("1 of 2 scenario files are invalid"), "{stderr}");
    // a good file alone: exit 0
    let ok = drift().args(["validate", "--format", "json", "scenarios/marketing-long-distance.yaml"]).assert().success();
    let doc: serde_json::Value = serde_json::from_slice(&ok.get_output().stdout).unwrap();
    assert_eq!(doc[0]["ok"], true);
    insta::assert_snapshot!("validate_json_many_mistakes", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn missing_file_and_directory_exit_2() {
    let a = drift().args(["run", "no/such/file.yaml"]).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("no such file"));
    let a = drift().args(["run", "scenarios"]).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("is a directory"));
}

#[test]
fn unknown_command_line_options_exit_2() {
    drift().args(["run", "scenarios/marketing-long-distance.yaml", "--runs", "0"]).assert().code(2);
    drift().args(["run", "scenarios/marketing-long-distance.yaml", "--format", "xml"]).assert().code(2);
    drift().args(["frobnicate"]).assert().code(2);
}

/// A 2 MB customer quote is refused by the file-size limit before it is read, whatever its
/// shape; the 20,000-deep list and the billion laughs are in the catalogue above.
#[test]
fn a_two_megabyte_quote_is_refused_before_it_is_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.yaml");
    let quote = "We keep losing adjusters to paperwork. ".repeat(2_000_000 / 39);
    std::fs::write(&file, format!("version: 1\nname: Huge\ncustomer:\n  said: \"{quote}\"\nchain:\n  - role: CMO\n    preset: cmo\n"))
        .unwrap();
    let started = Instant::now();
    let a = drift().arg("validate").arg(&file).assert().code(2);
    assert!(started.elapsed().as_secs() < 5, "took {:?}", started.elapsed());
    let stderr = String::from_utf8_lossy(&a.get_output().stderr);
    assert!(stderr.contains("scenarios are limited to 1048576 bytes"), "{stderr}");
}
