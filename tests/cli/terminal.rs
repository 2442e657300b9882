//! Terminal manners: colour only where it belongs, quiet broken pipes, a progress bar only on
//! a terminal.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::root;

/// The binary with the colour variables cleared, as a user's shell would run it: colour is
/// decided by drift, not by the test's environment. TERM claims a colour terminal, so only
/// the pipe can be what turns colour off.
fn drift_plain() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("drift").expect("binary built");
    cmd.current_dir(root()).env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env_remove("CLICOLOR").env("TERM", "xterm-256color");
    cmd
}

/// Every command, with arguments that make it print (or fail) quickly. Output folders go into
/// `out`.
fn every_command(out: &std::path::Path) -> Vec<Vec<String>> {
    let out = out.display().to_string();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        s(&["run", "scenarios/workshop-demo.yaml", "--runs", "5", "--no-charts", "--out", &out]),
        s(&[
            "compare",
            "scenarios/marketing-long-distance.yaml",
            "scenarios/customer-checkin.yaml",
            "--runs",
            "5",
            "--no-charts",
            "--out",
            &out,
        ]),
        s(&[
            "sweep",
            "scenarios/workshop-demo.yaml",
            "--vary",
            "chain[0].mutate.jargon=0..1:3",
            "--runs",
            "5",
            "--no-charts",
            "--out",
            &out,
        ]),
        s(&["score", "--customer", "I need my adjusters back in the field", "Our AI platform empowers insurers"]),
        s(&["validate", "scenarios/workshop-demo.yaml", "scenarios/talk-chart.yaml"]),
        s(&["lexicon"]),
        // stdin is a pipe that ends at once: the line mode prints the whole chain
        s(&["play", "scenarios/workshop-demo.yaml"]),
        s(&["new", "-", "--template", "workshop"]),
        s(&["new", "--list"]),
        s(&["new", "scenarios/workshop-demo.yaml"]),
        s(&["completions", "bash"]),
        s(&["completions", "zsh"]),
        s(&["man"]),
        s(&["man", "--out", &out]),
        s(&["--help"]),
        s(&["run", "--help"]),
        // errors and warnings go to stderr, which is piped too
        s(&["run", "tests/bad_inputs/unknown-operator.yaml", "--out", &out]),
        s(&["validate", "tests/bad_inputs/zero-runs.yaml", "scenarios/talk-chart.yaml"]),
        s(&["score", "--customer", " ", "anything"]),
        s(&["frobnicate"]),
    ]
}

fn has_escape(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b)
}

#[test]
fn piped_output_carries_no_escape_codes() {
    let out = tempfile::tempdir().unwrap();
    for args in every_command(out.path()) {
        let output = drift_plain().args(&args).output().unwrap();
        assert!(!output.stdout.is_empty() || !output.stderr.is_empty(), "{args:?} printed nothing");
        assert!(!has_escape(&output.stdout), "{args:?}: escape codes on piped stdout:\n{}", String::from_utf8_lossy(&output.stdout));
        assert!(!has_escape(&output.stderr), "{args:?}: escape codes on piped stderr:\n{}", String::from_utf8_lossy(&output.stderr));
    }
}

#[test]
fn clicolor_force_forces_colour_and_no_color_beats_it() {
    let out = tempfile::tempdir().unwrap();
    let run = ["run", "scenarios/workshop-demo.yaml", "--runs", "5", "--no-charts", "--out"];
    let forced = drift_plain().args(run).arg(out.path()).env("CLICOLOR_FORCE", "1").output().unwrap();
    assert!(forced.status.success());
    assert!(has_escape(&forced.stdout), "CLICOLOR_FORCE=1 gave no colour:\n{}", String::from_utf8_lossy(&forced.stdout));
    let score = drift_plain().args(["score", "--customer", "I need time", "We give you time"]).env("CLICOLOR_FORCE", "1").output().unwrap();
    assert!(has_escape(&score.stdout), "score: CLICOLOR_FORCE=1 gave no colour");
    let error = drift_plain().args(["run", "no/such/file.yaml"]).env("CLICOLOR_FORCE", "1").output().unwrap();
    assert!(String::from_utf8_lossy(&error.stderr).starts_with("\u{1b}["), "error: not coloured: {:?}", error.stderr);

    let both = drift_plain().args(run).arg(out.path()).env("CLICOLOR_FORCE", "1").env("NO_COLOR", "1").output().unwrap();
    assert!(both.status.success());
    assert!(!has_escape(&both.stdout), "NO_COLOR did not beat CLICOLOR_FORCE");
    let error = drift_plain().args(["run", "no/such/file.yaml"]).env("CLICOLOR_FORCE", "1").env("NO_COLOR", "1").output().unwrap();
    assert!(!has_escape(&error.stderr));
}

/// Runs drift with its stdout on a pipe whose reading end is already closed, so the first
/// write fails with EPIPE whatever the size of the output.
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_drift"))
        .current_dir(root())
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_broken_pipe_ends_quietly() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().display().to_string();
    for args in [
        vec!["lexicon"],
        vec!["run", "scenarios/workshop-demo.yaml", "--runs", "5", "--no-charts", "--out", &out],
        vec!["run", "scenarios/workshop-demo.yaml", "--runs", "5", "--no-charts", "--format", "json", "--out", &out],
        vec!["score", "--customer", "I need my adjusters back", "Our platform empowers insurers"],
        vec!["validate", "scenarios/workshop-demo.yaml"],
        vec!["play", "scenarios/workshop-demo.yaml"],
        vec!["new", "-"],
        vec!["completions", "fish"],
        vec!["man"],
        vec!["--help"],
    ] {
        let output = with_closed_stdout(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        // the status line of the files written is not an error: it goes to stderr as ever
        assert!(stderr.lines().all(|l| l.starts_with("Wrote ")), "{args:?}: an error on stderr on a broken pipe:\n{stderr}");
        assert_eq!(output.status.code(), Some(0), "{args:?}");
    }
}

/// `drift lexicon | head -1`, as a shell runs it: the reader goes away after one line.
#[test]
fn lexicon_into_head_is_quiet() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_drift"))
        .current_dir(root())
        .arg("lexicon")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert!(first.starts_with(b"# drift's built-in lexicon"));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// Runs `args` under `script`, so that stderr is a terminal; stdout goes to /dev/null. Returns
/// what appeared on the terminal and how long it took.
fn on_a_terminal(args: &str) -> (String, Duration) {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_drift"));
    let started = Instant::now();
    let output = Command::new("script")
        .args(["-q", "-e", "-c", &format!("{} {args} >/dev/null", bin.display()), "/dev/null"])
        .current_dir(root())
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("script(1) from util-linux runs a command on a pseudo-terminal");
    assert!(output.status.success(), "{args}: {}", String::from_utf8_lossy(&output.stderr));
    (String::from_utf8_lossy(&output.stdout).to_string(), started.elapsed())
}

#[test]
fn long_work_shows_a_progress_bar_on_a_terminal_only() {
    let out = tempfile::tempdir().unwrap();
    // enough runs to take well over the one second before the bar appears, on any machine
    let mut runs = 500;
    let (screen, took) = loop {
        let args = format!(
            "run scenarios/workshop-demo.yaml --runs {runs} --no-charts --no-counterfactual --threads 1 --out {}",
            out.path().display()
        );
        let (screen, took) = on_a_terminal(&args);
        if took > Duration::from_millis(1800) || runs >= 1_000_000 {
            break (screen, took);
        }
        runs *= 4;
    };
    assert!(screen.contains(&format!("/{runs} runs")), "no progress bar on the terminal after {took:?}:\n{screen:?}");
    // the status line follows on stderr, after the bar is cleared
    assert!(screen.contains("Wrote 4 files to"), "{screen:?}");
    // --quiet hides the bar and the status line, on a terminal too
    let (quiet, _) = on_a_terminal(&format!(
        "run scenarios/workshop-demo.yaml --runs {runs} --no-charts --no-counterfactual --threads 1 --quiet --out {}",
        out.path().display()
    ));
    assert!(!quiet.contains("runs") && !quiet.contains("Wrote"), "--quiet still showed progress or status:\n{quiet:?}");
    // the same work with stderr on a pipe: nothing on stderr
    let piped = drift_plain()
        .args([
            "run",
            "scenarios/workshop-demo.yaml",
            "--runs",
            &runs.to_string(),
            "--no-charts",
            "--no-counterfactual",
            "--threads",
            "1",
            "--quiet",
            "--out",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert_eq!(String::from_utf8_lossy(&piped.stderr), "", "a progress bar on piped stderr");
}

/// Issue 16: `drift calibrate` shows a progress spinner (how many runs a fit simulates is
/// known only at its end) on a terminal, and none under `--quiet`.
#[test]
fn calibrate_shows_its_progress_on_a_terminal_only() {
    let out = tempfile::tempdir().unwrap();
    let mut runs = 200;
    let (screen, took) = loop {
        let (screen, took) = on_a_terminal(&format!("calibrate --runs {runs} --no-charts --threads 1 --out {}", out.path().display()));
        if took > Duration::from_millis(1800) || runs >= 200_000 {
            break (screen, took);
        }
        runs *= 4;
    };
    assert!(screen.contains("runs simulated"), "no progress on the terminal after {took:?}:\n{screen:?}");
    let (quiet, _) = on_a_terminal(&format!("calibrate --runs {runs} --no-charts --threads 1 --quiet --out {}", out.path().display()));
    assert!(!quiet.contains("runs simulated"), "--quiet still showed progress:\n{quiet:?}");
}

/// Issue 16: `--color auto|always|never`, as ripgrep, fd and cargo take it; `never` wins
/// over CLICOLOR_FORCE, `always` colours a pipe.
#[test]
fn color_flag_overrides_the_terminal_and_the_environment() {
    let escapes = |args: &[&str], force: bool| {
        let mut cmd = drift_plain();
        cmd.args(args);
        if force {
            cmd.env("CLICOLOR_FORCE", "1");
        }
        let out = cmd.output().unwrap();
        let all = [out.stdout, out.stderr].concat();
        String::from_utf8_lossy(&all).contains('\x1b')
    };
    let score = ["score", "--customer", "I need my adjusters back", "Our platform empowers insurers"];
    assert!(!escapes(&score, false), "colour on a pipe by default");
    assert!(escapes(&[&["--color", "always"], &score[..]].concat(), false), "--color always left a pipe plain");
    assert!(escapes(&score, true), "CLICOLOR_FORCE did not colour");
    assert!(!escapes(&[&score[..], &["--color", "never"]].concat(), true), "--color never lost to CLICOLOR_FORCE");
    // errors too
    assert!(escapes(&["--color", "always", "validate", "no-such-file.yaml"], false));
}

/// Issue 16: with `COLUMNS=60` the text reports of run, compare, score and calibrate fit in
/// 60 columns (tables narrowed, prose wrapped again); without it, and not on a terminal,
/// they are as they were (every other test checks that).
#[test]
fn text_reports_fit_the_width_columns_gives() {
    use unicode_width::UnicodeWidthStr;
    let out = tempfile::tempdir().unwrap();
    let o = out.path().display().to_string();
    let cases: [(&str, Vec<&str>); 4] = [
        ("run", vec!["run", "scenarios/workshop-demo.yaml", "--runs", "20", "--no-charts", "--out", &o]),
        (
            "compare",
            vec![
                "compare",
                "scenarios/marketing-long-distance.yaml",
                "scenarios/customer-checkin.yaml",
                "--runs",
                "20",
                "--no-charts",
                "--out",
                &o,
            ],
        ),
        (
            "score",
            vec![
                "score",
                "--customer",
                "I need my adjusters back in the field, not stuck in the claims system",
                "Our AI-powered platform empowers insurers to streamline end-to-end claims operations",
            ],
        ),
        ("calibrate", vec!["calibrate", "--check", "--runs", "40", "--no-charts", "--out", &o]),
    ];
    for (name, args) in cases {
        let wide = super::drift().args(&args).output().unwrap();
        let narrow = super::drift().env("COLUMNS", "60").args(&args).output().unwrap();
        assert_eq!(wide.status.code(), narrow.status.code(), "{name}");
        let (wide, narrow) = (String::from_utf8_lossy(&wide.stdout), String::from_utf8_lossy(&narrow.stdout));
        assert!(wide.lines().any(|l| l.width() > 60), "{name}: nothing wider than 60 to fit");
        for line in narrow.lines() {
            assert!(line.width() <= 60, "{name}: {line:?} is wider than 60 in\n{narrow}");
        }
        assert_eq!(wide.split_whitespace().next(), narrow.split_whitespace().next(), "{name}");
        if name != "calibrate" {
            insta::assert_snapshot!(format!("columns_60_{name}"), narrow);
        }
    }
}
