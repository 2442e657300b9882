//! The Monte Carlo drivers (run, compare, sweep): bounded memory whatever the threads and
//! variants, the same bytes on any number of threads, and Ctrl-C seen within a run.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use drift::aggregate::{BATCH, RunSettings, analyse};
use drift::interrupt::{Cancel, Interrupted};
use drift::lexicon::Lexicon;
use drift::metrics::Engine;
use drift::montecarlo::Control;
use drift::montecarlo::Plan;
use drift::scenario::Scenario;
use drift::stats::Histogram;
use proptest::prelude::*;

use super::{drift, files_below, root};

/// The words of a long customer quote: `chars` characters of a real complaint, repeated.
fn long_words(chars: usize) -> String {
    let words = "We keep losing our best adjusters to paperwork. They spend hours every week typing the same claim into three \
                 systems. I need them back in the field, not stuck in the claims system. ";
    let text: String = words.repeat(chars / words.len() + 1).chars().take(chars).collect();
    text.rsplit_once(' ').map_or(text.clone(), |(head, _)| head.to_string())
}

/// A scenario of `hops` hops, each with `mutate`, on `said`.
fn chain(name: &str, said: &str, hops: usize, mutate: &str, extra: &str) -> String {
    let mut yaml = format!("version: 1\nname: {name}\nseed: 7\nruns: 10\n{extra}customer:\n  who: Dana\n  said: \"{said}\"\nchain:\n");
    for i in 0..hops {
        yaml.push_str(&format!("  - role: Person {i}\n    mutate: {mutate}\n"));
    }
    yaml
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Starts drift, sends it Ctrl-C (SIGINT) after `after`, and returns its exit code and stderr.
/// No timing is asserted beyond a generous bound that work ignoring Ctrl-C for a whole run
/// would exceed.
fn interrupted(args: &[&str], file: &Path, out: &Path, after: Duration) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("drift"))
        .current_dir(root())
        .args(args)
        .arg(file)
        .args(["--quiet", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    assert!(child.try_wait().unwrap().is_none(), "drift finished before Ctrl-C: make its work longer");
    let signalled = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(signalled.success());
    let sent = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if sent.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("still running 30 s after Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    eprintln!("stopped {:?} after Ctrl-C", sent.elapsed());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    (status.code(), stderr)
}

/// Every operator at rate 1 on a long customer quote, 200 hops: one run takes seconds (minutes
/// unoptimised), so Ctrl-C between runs only would come far too late.
#[test]
fn ctrl_c_within_a_long_run_of_many_hops_exits_130_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let every = "{ listen: 1, omit: 1, paraphrase: 1, reorder: 1, elaborate: 1, synonym: 1, abstract: 1, jargon: 1, we_focus: 1, amplify: 1, refocus: 1, anecdote: 1 }";
    let file = write(dir.path(), "long.yaml", &chain("Every operator at rate one", &long_words(9_000), 200, every, ""));
    let out = dir.path().join("out");
    let (code, stderr) = interrupted(&["run", "--no-counterfactual", "--runs", "3"], &file, &out, Duration::from_millis(2500));
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(files_below(&out), Vec::<String>::new());
}

/// Word-for-word rewording that never converges back: the counterfactual re-runs the rest of
/// the 200-hop chain once per hop (about 20,000 hops for one run).
#[test]
fn ctrl_c_during_the_counterfactual_blame_exits_130_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let reword = "{ paraphrase: 1, synonym: 1, jargon: 1, reorder: 1 }";
    let file = write(dir.path(), "what-if.yaml", &chain("What if", &long_words(6_000), 200, reword, "metrics: [customer_words]\n"));
    let out = dir.path().join("out");
    let (code, stderr) = interrupted(&["run", "--runs", "1", "--no-charts"], &file, &out, Duration::from_millis(3000));
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(files_below(&out), Vec::<String>::new());
}

#[test]
fn compare_refuses_more_variants_than_its_limit_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let files = vec!["scenarios/workshop-demo.yaml"; drift::scenario::limits::MAX_VARIANTS + 1];
    let a = drift().arg("compare").args(&files).arg("--out").arg(&out).assert().code(2);
    assert!(a.get_output().stdout.is_empty());
    insta::assert_snapshot!("compare_too_many_variants", String::from_utf8_lossy(&a.get_output().stderr));
    assert!(!out.exists(), "nothing may be written");
    // the limit itself is accepted
    let files = vec!["scenarios/workshop-demo.yaml"; drift::scenario::limits::MAX_VARIANTS];
    drift().arg("compare").args(&files).args(["--runs", "1", "--no-charts", "--quiet", "--out"]).arg(&out).assert().success();
}

/// More runs than one batch, so batches end inside a thread's work; the files are the same
/// bytes on 1, 2 and 7 threads.
#[test]
fn compare_and_sweep_are_byte_identical_across_threads() {
    let runs = (BATCH + 37).to_string();
    let outputs = |threads: &str| {
        let out = tempfile::tempdir().unwrap();
        let common = ["--runs", runs.as_str(), "--no-charts", "--quiet", "--threads", threads, "--out"];
        drift()
            .args(["compare", "scenarios/workshop-demo.yaml", "scenarios/customer-checkin.yaml"])
            .args(common)
            .arg(out.path())
            .assert()
            .success();
        drift()
            .args(["sweep", "scenarios/workshop-demo.yaml", "--vary", "chain[0].mutate.jargon=0..1:3"])
            .args(common)
            .arg(out.path())
            .assert()
            .success();
        let files = files_below(out.path());
        assert_eq!(files.len(), 3, "{files:?}");
        files.iter().map(|f| (f.clone(), std::fs::read(out.path().join(f)).unwrap())).collect::<Vec<_>>()
    };
    let one = outputs("1");
    assert_eq!(one, outputs("2"), "2 threads changed compare.json, sweep.csv or sweep.json");
    assert_eq!(one, outputs("7"), "7 threads changed compare.json, sweep.csv or sweep.json");
}

/// Variants too long to share one pass of histograms (7 × 201 stations) get the same numbers
/// as when compared with the baseline alone.
#[test]
fn a_variant_in_a_later_pass_gets_the_same_result_as_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mutates = [
        "{ omit: 0.1 }",
        "{ synonym: 0.2 }",
        "{ jargon: 0.2 }",
        "{ amplify: 0.2 }",
        "{ omit: 0.2, jargon: 0.1 }",
        "{ abstract: 0.2 }",
        "{ we_focus: 0.3 }",
    ];
    let files: Vec<PathBuf> = mutates
        .iter()
        .enumerate()
        .map(|(i, m)| {
            write(dir.path(), &format!("v{i}.yaml"), &chain(&format!("Variant {i}"), "I need my adjusters back in the field.", 200, m, ""))
        })
        .collect();
    let json = |files: &[&PathBuf]| -> serde_json::Value {
        let out = tempfile::tempdir().unwrap();
        let a = drift()
            .arg("compare")
            .args(files)
            .args(["--runs", "12", "--no-charts", "--format", "json", "--out"])
            .arg(out.path())
            .assert()
            .success();
        serde_json::from_slice(&a.get_output().stdout).unwrap()
    };
    let all = json(&files.iter().collect::<Vec<_>>());
    let last = files.len() - 1;
    let alone = json(&[&files[0], &files[last]]);
    assert_eq!(all["variants"][last], alone["variants"][1]);
    assert_eq!(all["variants"][0], alone["variants"][0]);
}

/// Ten variants with lexicons of their own (more than one pass builds) get the same numbers as
/// when compared with the baseline alone.
#[test]
fn variants_with_their_own_lexicons_in_later_passes_get_the_same_result_as_alone() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = (0..10)
        .map(|i| {
            let lexicon = format!("lexicon:\n  jargon:\n    adjusters: [claims talent {i}]\n");
            write(
                dir.path(),
                &format!("l{i}.yaml"),
                &chain(&format!("Lexicon {i}"), "I need my adjusters back in the field.", 5, "{ jargon: 0.5 }", &lexicon),
            )
        })
        .collect();
    let json = |files: &[&PathBuf]| -> serde_json::Value {
        let out = tempfile::tempdir().unwrap();
        let a = drift()
            .arg("compare")
            .args(files)
            .args(["--runs", "30", "--no-charts", "--format", "json", "--out"])
            .arg(out.path())
            .assert()
            .success();
        serde_json::from_slice(&a.get_output().stdout).unwrap()
    };
    let all = json(&files.iter().collect::<Vec<_>>());
    let alone = json(&[&files[0], &files[9]]);
    assert_eq!(all["variants"][9], alone["variants"][1]);
    assert_eq!(all["variants"].as_array().unwrap().len(), 10);
}

fn bundled_demo() -> (Scenario, Lexicon) {
    let scenario = Scenario::load(&root().join("scenarios/workshop-demo.yaml")).unwrap();
    let lexicon = Lexicon::with_extension(&scenario.lexicon);
    (scenario, lexicon)
}

#[test]
fn a_cancelled_token_stops_the_analysis_and_an_uncancelled_one_does_not() {
    let (scenario, lexicon) = bundled_demo();
    let settings = RunSettings { plan: Plan { seed: 3, runs: 40, engine: Engine::Fast }, counterfactual: true };
    let cancel = Cancel::new();
    assert!(analyse(&scenario, &lexicon, settings, Control::new(&|_| {}, &cancel)).is_ok());
    cancel.cancel();
    assert_eq!(analyse(&scenario, &lexicon, settings, Control::new(&|_| {}, &cancel)).err(), Some(Interrupted));
    // cancelled from another thread while the runs are under way
    let cancel = Cancel::new();
    let started = std::sync::atomic::AtomicBool::new(false);
    let result = std::thread::scope(|s| {
        s.spawn(|| {
            while !started.load(std::sync::atomic::Ordering::SeqCst) {
                std::thread::yield_now();
            }
            cancel.cancel();
        });
        let settings = RunSettings { plan: Plan { runs: 10_000_000, ..settings.plan }, ..settings };
        analyse(&scenario, &lexicon, settings, Control::new(&|_| started.store(true, std::sync::atomic::Ordering::SeqCst), &cancel))
    });
    assert_eq!(result.err(), Some(Interrupted));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Values added in any batches, merged in any order, give the same histogram (and bands) as
    /// added one by one: what makes the result independent of threads and batch boundaries.
    #[test]
    fn histograms_do_not_depend_on_batches_or_merge_order(
        values in proptest::collection::vec(prop_oneof![-1.5f64..1.5, Just(0.0), Just(1.0), Just(-1.0), Just(f64::NAN)], 0..300),
        cuts in proptest::collection::vec(0usize..300, 0..8),
        reverse in any::<bool>(),
        signed in any::<bool>(),
    ) {
        let empty = || if signed { Histogram::signed() } else { Histogram::unit() };
        let mut whole = empty();
        values.iter().for_each(|v| whole.add(*v));
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(values.len())).collect();
        bounds.extend([0, values.len()]);
        bounds.sort_unstable();
        let mut batches: Vec<Histogram> = bounds
            .windows(2)
            .map(|w| {
                let mut h = empty();
                values[w[0]..w[1]].iter().for_each(|v| h.add(*v));
                h
            })
            .collect();
        if reverse {
            batches.reverse();
        }
        let mut merged = empty();
        batches.iter().for_each(|b| merged.merge(b));
        prop_assert_eq!(&merged, &whole);
        let (a, b) = (merged.band(), whole.band());
        prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
}
