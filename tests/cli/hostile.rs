//! Hostile input beyond scenario files (issue 13): special files that report no size, texts
//! to score that are too long or carry terminal commands, messages that must not pass control
//! characters on, lexicons that would make the message grow, and the things the old checks
//! wrongly refused. Bad scenario files are in `bad_inputs.rs`.

use std::io::Write;

use super::{drift, files_below};

fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).to_string()
}

/// `validate /dev/zero` read until memory ran out: the size in a device's metadata is 0.
#[cfg(target_os = "linux")]
#[test]
fn an_endless_device_is_read_to_the_limit_only() {
    let out = tempfile::tempdir().unwrap();
    let a = drift().args(["run", "/dev/zero", "--out"]).arg(out.path()).assert().code(2);
    insta::assert_snapshot!("scenario_dev_zero", stderr_of(&a));
    assert!(files_below(out.path()).is_empty());
    let a = drift().args(["score", "--customer", "We keep losing adjusters.", "--body", "@/dev/zero"]).assert().code(2);
    insta::assert_snapshot!("score_dev_zero", stderr_of(&a));
    let a = drift().args(["calibrate", "/dev/zero"]).assert().code(2);
    insta::assert_snapshot!("calibrate_dev_zero", stderr_of(&a));
}

/// `validate <(yes …)`: a pipe that never ends.
#[cfg(target_os = "linux")]
#[test]
fn an_endless_pipe_is_read_to_the_limit_only() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("drift"))
        .args(["validate", "/dev/stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let line = b"a: b\n".repeat(1000);
        // drift stops reading at its limit and the pipe breaks: that ends the feeder
        while stdin.write_all(&line).is_ok() {}
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the file holds more than 1048576 bytes"), "{stderr}");
}

/// A FIFO is read like any file once something writes to it.
#[cfg(target_os = "linux")]
#[test]
fn a_named_pipe_is_read_when_written() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("scenario.yaml");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let scenario = std::fs::read(super::root().join("scenarios/workshop-demo.yaml")).unwrap();
            std::fs::OpenOptions::new().write(true).open(&fifo).unwrap().write_all(&scenario).unwrap();
        })
    };
    drift().arg("validate").arg(&fifo).assert().success();
    writer.join().unwrap();
}

#[test]
fn a_text_to_score_is_limited_to_ten_thousand_characters() {
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.txt");
    std::fs::write(&body, "paperwork ".repeat(1_001)).unwrap();
    let a = drift().args(["score", "--customer", "We keep losing adjusters."]).arg(format!("--body=@{}", body.display())).assert().code(2);
    let stderr = stderr_of(&a).replace(&body.display().to_string(), "body.txt");
    insta::assert_snapshot!("score_text_too_long", stderr);
}

#[test]
fn a_text_to_score_with_terminal_commands_is_refused_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.txt");
    std::fs::write(&body, "Invoices that just work.\nNo more \x1b]0;owned\x07 paperwork.").unwrap();
    let a = drift().args(["score", "--customer", "We keep losing adjusters."]).arg(format!("--body=@{}", body.display())).assert().code(2);
    let stderr = stderr_of(&a).replace(&body.display().to_string(), "body.txt");
    assert!(!stderr.contains('\x1b'));
    insta::assert_snapshot!("score_escape_sequence", stderr);
    let a = drift().args(["score", "--customer", "We keep losing adjusters.", "--body", "Buy \u{9b}2J now"]).assert().code(2);
    insta::assert_snapshot!("score_c1_control", stderr_of(&a));
}

#[test]
fn a_text_saved_on_windows_scores_like_any_other() {
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.txt");
    std::fs::write(&body, "Invoices that just work.\r\nBack to baking.\r\n").unwrap();
    drift().args(["score", "--customer", "I want invoices that work."]).arg(format!("--body=@{}", body.display())).assert().success();
}

/// A file name is printed in messages: one holding an escape sequence must not clear the
/// screen or retitle the window.
#[test]
fn messages_pass_no_control_characters_on() {
    let a = drift().args(["validate", "no-such-\x1b[2J\x1b]0;owned\x07file.yaml"]).assert().code(2);
    let stderr = stderr_of(&a);
    assert!(!stderr.chars().any(|c| c.is_control() && c != '\n'), "{stderr:?}");
    insta::assert_snapshot!("control_characters_in_a_file_name", stderr);
}

/// 70 `[` inside plain text were refused as nesting by the old check.
#[test]
fn brackets_in_text_are_text() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("brackets.yaml");
    let brackets = "[".repeat(70);
    std::fs::write(
        &file,
        format!(
            "version: 1\nname: Brackets\ncustomer:\n  said: We need {brackets} fewer forms\n  who: |\n    {brackets}\nchain:\n  - role: CMO\n    preset: cmo\n"
        ),
    )
    .unwrap();
    drift().arg("validate").arg(&file).assert().success();
}

#[test]
fn a_whole_number_may_be_written_as_a_decimal() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("runs.yaml");
    std::fs::write(
        &file,
        "version: 1.0\nname: Runs\nruns: 1e2\ncustomer:\n  said: We keep losing adjusters.\nchain:\n  - role: CMO\n    preset: cmo\n",
    )
    .unwrap();
    let a = drift().arg("validate").arg(&file).assert().success();
    assert!(String::from_utf8_lossy(&a.get_output().stdout).contains("ok:"));
}

/// Two lexicon tables that feed each other (`alpha → bravo echo bravo`, `bravo → alpha
/// foxtrot alpha`) grow the message fourfold per hop; no single entry holds its own phrase,
/// so the reader accepts them. The hop's limit keeps every message within 10,000
/// characters.
#[test]
fn no_lexicon_makes_a_message_grow_past_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("grow.yaml");
    let hops = "  - role: Hop\n    mutate: { jargon: 1, we_focus: 1 }\n".repeat(12);
    std::fs::write(
        &file,
        format!(
            "version: 1\nname: Growth\nruns: 2\ncustomer:\n  said: alpha alpha alpha\nlexicon:\n  jargon:\n    alpha: [bravo echo bravo]\n  we_focus:\n    bravo: [alpha foxtrot alpha]\nchain:\n{hops}"
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    drift().arg("run").arg(&file).arg("--out").arg(out.path()).assert().success();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("growth/summary.json")).unwrap()).unwrap();
    let hops = summary["trace"].as_array().expect("the traced run's hops");
    assert_eq!(hops.len(), 12);
    let lengths: Vec<usize> = hops.iter().map(|h| h["text"].as_str().unwrap().chars().count()).collect();
    assert!(lengths.iter().all(|&n| n <= 10_000), "{lengths:?}");
    assert!(lengths.iter().any(|&n| n > 9_000), "the lexicon should reach the limit: {lengths:?}");
}

/// A retelling in a calibration CSV is shown and scored like a scenario's text: the same
/// limits hold.
#[test]
fn a_retelling_to_calibrate_on_has_the_limits_of_a_scenario_text() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("room.csv");
    std::fs::write(&csv, "chain,generation,text\na,0,\"We keep losing adjusters.\"\na,1,\"We lose \x1b[2Jadjusters.\"\n").unwrap();
    let a = drift().arg("calibrate").arg(&csv).assert().code(2);
    insta::assert_snapshot!("calibrate_escape_sequence", stderr_of(&a).replace(&csv.display().to_string(), "room.csv"));
    std::fs::write(&csv, format!("chain,generation,text\na,0,We keep losing adjusters.\na,1,{}\n", "w ".repeat(6_000))).unwrap();
    let a = drift().arg("calibrate").arg(&csv).assert().code(2);
    insta::assert_snapshot!("calibrate_text_too_long", stderr_of(&a).replace(&csv.display().to_string(), "room.csv"));
}
