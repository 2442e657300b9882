//! Never lose work, never write where it shouldn't: Ctrl-C, atomic outputs, confinement, exit
//! codes, and results that do not depend on threads or on running twice.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::{drift, files_below, root};

const SCENARIO: &str = "scenarios/workshop-demo.yaml";

/// Every file below `dir` with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_below(dir).into_iter().map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap())).collect()
}

#[test]
fn ctrl_c_in_a_million_runs_stops_promptly_keeps_the_earlier_outputs_and_exits_130() {
    let out = tempfile::tempdir().unwrap();
    drift().args(["run", SCENARIO, "--runs", "200", "--quiet", "--out"]).arg(out.path()).assert().success();
    let before = contents(out.path());
    assert!(before.len() > 10, "{:?}", before.keys());

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("drift"))
        .current_dir(root())
        .args(["run", SCENARIO, "--runs", "1000000", "--quiet", "--out"])
        .arg(out.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let signalled = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(signalled.success());
    let sent = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(sent.elapsed() < Duration::from_secs(20), "still running 20 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    eprintln!("stopped {:?} after Ctrl-C", sent.elapsed());
    assert_eq!(status.code(), Some(130));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("interrupted"), "{stderr}");
    // the earlier run's outputs, byte for byte, and no temporary files
    assert_eq!(contents(out.path()), before);
}

/// Outside long work nothing is half done: a signal while drift waits for a scenario on
/// standard input ends it at once with 130, without the message of stopped work.
#[test]
fn a_signal_outside_long_work_ends_drift_at_once_with_130() {
    let out = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("drift"))
        .current_dir(root())
        .args(["run", "-", "--quiet", "--out"])
        .arg(out.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // stdin stays open and empty: drift waits on it, in no cancellable section
    std::thread::sleep(Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "drift finished before the signal");
    assert!(std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    let sent = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if sent.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("still waiting 10 s after Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(130));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!stderr.contains("interrupted"), "ended at once, not as stopped work: {stderr}");
    assert!(files_below(out.path()).is_empty(), "{:?}", files_below(out.path()));
}

#[test]
fn a_symbolic_link_where_the_output_folder_goes_is_refused() {
    let out = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), out.path().join("the-bakery-that-became-a-lifestyle-platform")).unwrap();
    let a = drift().args(["run", SCENARIO, "--runs", "20", "--out"]).arg(out.path()).assert().code(3);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr);
    assert!(stderr.contains("symbolic link") && stderr.contains("--out"), "{stderr}");
    assert_eq!(files_below(elsewhere.path()), Vec::<String>::new());
}

#[test]
fn a_symbolic_link_where_an_output_file_goes_is_replaced_not_followed() {
    let out = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let precious = elsewhere.path().join("precious.json");
    std::fs::write(&precious, "keep me").unwrap();
    let dir = out.path().join("the-bakery-that-became-a-lifestyle-platform");
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::symlink(&precious, dir.join("summary.json")).unwrap();
    drift().args(["run", SCENARIO, "--runs", "20", "--no-charts", "--quiet", "--out"]).arg(out.path()).assert().success();
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
    assert!(!dir.join("summary.json").is_symlink());
    assert!(std::fs::read_to_string(dir.join("summary.json")).unwrap().contains("\"schema\""));
}

#[test]
fn other_scenarios_outputs_and_other_files_are_never_touched() {
    let out = tempfile::tempdir().unwrap();
    drift().args(["run", "scenarios/talk-chart.yaml", "--runs", "20", "--quiet", "--out"]).arg(out.path()).assert().success();
    let mine = out.path().join("the-bakery-that-became-a-lifestyle-platform");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "the facilitator's notes").unwrap();
    let before = contents(out.path());
    drift().args(["run", SCENARIO, "--runs", "20", "--quiet", "--out"]).arg(out.path()).assert().success();
    let after = contents(out.path());
    for (name, bytes) in &before {
        assert_eq!(after.get(name), Some(bytes), "{name} changed");
    }
    // a later run without charts removes the earlier run's charts from its own folder only
    drift().args(["run", SCENARIO, "--runs", "20", "--quiet", "--no-charts", "--out"]).arg(out.path()).assert().success();
    let files = files_below(&mine);
    assert!(files.iter().all(|f| !f.ends_with(".png") && !f.ends_with(".svg")), "{files:?}");
    assert!(files.contains(&"notes.txt".to_string()), "{files:?}");
    assert_eq!(contents(out.path()).into_iter().filter(|(n, _)| n.starts_with("talk")).collect::<BTreeMap<_, _>>(), {
        before.into_iter().filter(|(n, _)| n.starts_with("talk")).collect::<BTreeMap<_, _>>()
    });
}

#[test]
fn an_output_folder_that_cannot_be_created_exits_1() {
    // nobody, not even root, can make a folder in /proc; (--out naming a file is exit 2, see
    // outputs.rs)
    let a = drift().args(["run", SCENARIO, "--runs", "5", "--out", "/proc/drift-cannot-be-here/out"]).assert().code(3);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr);
    assert!(stderr.contains("cannot create the output folder") && stderr.contains("help:"), "{stderr}");
}

/// The determinism guard: 1, 2 and 8 threads, and the same command twice, give the same bytes
/// in every file: summary, table, charts and report.
#[test]
fn every_output_is_byte_identical_across_threads_and_repeats() {
    let run = |threads: &str| {
        let out = tempfile::tempdir().unwrap();
        drift().args(["run", SCENARIO, "--runs", "300", "--quiet", "--threads", threads, "--out"]).arg(out.path()).assert().success();
        contents(out.path())
    };
    let reference = run("1");
    assert!(reference.keys().any(|f| f.ends_with("summary.json")) && reference.keys().any(|f| f.ends_with("drift.png")));
    assert!(reference.keys().any(|f| f.ends_with("hops.csv")) && reference.keys().any(|f| f.ends_with("blame.svg")));
    for threads in ["2", "8", "8", "1"] {
        let other = run(threads);
        assert_eq!(other.keys().collect::<Vec<_>>(), reference.keys().collect::<Vec<_>>());
        for (name, bytes) in &reference {
            assert!(other[name] == *bytes, "{name} differs with {threads} threads");
        }
    }
}
