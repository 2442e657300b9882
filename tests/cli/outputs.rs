//! The output folder as a whole: a command's files appear as one set (built beside, swapped
//! in, under a lock), each command keeps the others' files, same-name scenarios get folders
//! of their own, leftovers of killed processes are cleaned, and nothing is written through a
//! symbolic link or over something that is not a regular file.

use std::collections::BTreeMap;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::{drift, files_below, root};

const SCENARIO: &str = "scenarios/workshop-demo.yaml";
const SLUG: &str = "the-bakery-that-became-a-lifestyle-platform";
const VARY: &str = "chain[0].mutate.jargon=0..1:3";
/// Above the largest process id Linux hands out (4,194,304 is the most `pid_max` can be).
const DEAD_PID: u32 = 4_194_304;

/// Every file below `dir` with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_below(dir).into_iter().map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap())).collect()
}

/// All names in `dir`, hidden ones too, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    v.sort();
    v
}

/// stderr with the temporary folders and the repository replaced by fixed words.
fn stderr_of(output: &std::process::Output, paths: &[(&Path, &str)]) -> String {
    let mut text = String::from_utf8_lossy(&output.stderr).to_string();
    for (path, word) in paths {
        text = text.replace(&path.display().to_string(), word);
    }
    text.replace(&root().display().to_string(), "[repo]")
}

#[test]
fn out_naming_a_file_fails_at_once_with_exit_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "mine").unwrap();
    let started = Instant::now();
    // ten million runs would take minutes: the check comes before any of them
    let a = drift().args(["run", SCENARIO, "--runs", "10000000", "--out"]).arg(&file).assert().code(2);
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    insta::assert_snapshot!(stderr_of(a.get_output(), &[(dir.path(), "[tmp]")]), @r"
    error: --out [tmp]/a-file: [tmp]/a-file is a file, not a folder
      help: give a folder for the outputs (drift creates it if it is missing), e.g. --out output
    ");
    let below = file.join("outputs");
    for args in [
        vec!["sweep", SCENARIO, "--vary", VARY, "--runs", "10000000"],
        vec!["compare", SCENARIO, "scenarios/talk-chart.yaml", "--runs", "10000000"],
        vec!["calibrate", "--runs", "10000"],
    ] {
        let a = drift().args(&args).arg("--out").arg(&below).assert().code(2);
        let stderr = stderr_of(a.get_output(), &[(dir.path(), "[tmp]")]);
        assert!(stderr.contains("[tmp]/a-file is a file, not a folder"), "{args:?}: {stderr}");
    }
    assert_eq!(names(dir.path()), ["a-file"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn run_and_sweep_keep_each_others_outputs() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join(SLUG);
    drift().args(["run", SCENARIO, "--runs", "20", "--charts", "svg", "--quiet", "--out"]).arg(out.path()).assert().success();
    let run = contents(&dir);
    assert!(run.contains_key("report.html") && run.contains_key("drift.svg"), "{:?}", run.keys());
    drift()
        .args(["sweep", SCENARIO, "--vary", VARY, "--runs", "5", "--charts", "svg", "--quiet", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let both = contents(&dir);
    for (name, bytes) in &run {
        assert!(both.get(name) == Some(bytes), "sweep changed or removed {name}");
    }
    assert!(both.contains_key("sweep.csv") && both.contains_key("sweep.svg"), "{:?}", both.keys());
    // a run without charts drops its own charts only; the sweep's stay
    drift().args(["run", SCENARIO, "--runs", "20", "--no-charts", "--quiet", "--out"]).arg(out.path()).assert().success();
    let after = contents(&dir);
    assert!(!after.contains_key("drift.svg") && after.contains_key("report.html"), "{:?}", after.keys());
    assert_eq!(after.get("sweep.csv"), both.get("sweep.csv"));
    assert_eq!(after.get("sweep.svg"), both.get("sweep.svg"));
}

#[test]
fn same_name_scenarios_get_folders_of_their_own() {
    let out = tempfile::tempdir().unwrap();
    let copies = tempfile::tempdir().unwrap();
    let copy = copies.path().join("variant.yaml");
    std::fs::copy(root().join(SCENARIO), &copy).unwrap();
    let run = |scenario: &Path| {
        drift().args(["run", "--runs", "20", "--no-charts", "--seed", "7", "--out"]).arg(out.path()).arg(scenario).output().unwrap()
    };
    let first = run(&root().join(SCENARIO));
    let status_only = |stderr: &[u8]| String::from_utf8_lossy(stderr).lines().all(|l| l.starts_with("Wrote "));
    assert!(first.status.success() && status_only(&first.stderr), "{}", String::from_utf8_lossy(&first.stderr));
    let original = contents(&out.path().join(SLUG));

    let second = run(&copy);
    assert!(second.status.success());
    let paths = [(out.path(), "[out]"), (copies.path(), "[copies]")];
    insta::assert_snapshot!(stderr_of(&second, &paths).lines().filter(|l| !l.starts_with("Wrote ")).collect::<Vec<_>>().join("\n"), @"warning: [out]/the-bakery-that-became-a-lifestyle-platform/ holds the outputs of [repo]/scenarios/workshop-demo.yaml, another scenario with the same name; these go to a folder of their own beside it (give the scenarios different names to avoid this)");
    let stderr = String::from_utf8_lossy(&second.stderr).replace(&out.path().display().to_string(), "[out]");
    assert!(stderr.ends_with(&format!("Wrote 4 files to [out]/{SLUG}-2/\n")), "{stderr}");
    assert_eq!(contents(&out.path().join(SLUG)), original, "the copy overwrote the original's outputs");
    assert!(out.path().join(format!("{SLUG}-2/summary.json")).is_file());

    // each goes back to its own folder, the original without a warning
    let again = run(&root().join(SCENARIO));
    assert!(again.status.success() && status_only(&again.stderr), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(String::from_utf8_lossy(&again.stderr).contains(&format!("{SLUG}/\n")));
    let copy_again = run(&copy);
    assert!(String::from_utf8_lossy(&copy_again.stderr).ends_with(&format!("{SLUG}-2/\n")));
    assert_eq!(names(out.path()), [".drift.lock", SLUG, &format!("{SLUG}-2")]);
}

#[test]
fn leftovers_of_killed_runs_are_cleaned_and_nothing_else() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join(SLUG);
    drift().args(["run", SCENARIO, "--runs", "20", "--no-charts", "--quiet", "--out"]).arg(out.path()).assert().success();
    // what a process killed while writing leaves: a staging folder, temporary files
    let staging = out.path().join(format!(".{SLUG}.drift-new-{DEAD_PID}-0"));
    std::fs::create_dir(&staging).unwrap();
    std::fs::write(staging.join("summary.json"), "half").unwrap();
    std::fs::write(out.path().join(format!(".drift.1.{DEAD_PID}-0.drift-tmp")), "half").unwrap();
    std::fs::write(dir.join(format!(".summary.json.{DEAD_PID}-3.drift-tmp")), "half").unwrap();
    // the user's own files, whatever their names look like
    for mine in [".notes.drift-tmp", ".x.drift-new-notes", "drift-tmp"] {
        std::fs::write(out.path().join(mine), "mine").unwrap();
        std::fs::write(dir.join(mine), "mine").unwrap();
    }
    drift().args(["run", SCENARIO, "--runs", "20", "--no-charts", "--quiet", "--out"]).arg(out.path()).assert().success();
    assert_eq!(names(out.path()), [".drift.lock", ".notes.drift-tmp", ".x.drift-new-notes", "drift-tmp", SLUG]);
    assert_eq!(
        names(&dir),
        [".drift-source", ".notes.drift-tmp", ".x.drift-new-notes", "drift-tmp", "hops.csv", "report.html", "summary.json", "trace.md"]
    );
}

/// A disk that fills up while writing: `ulimit -f` makes every write past 4 KiB fail (with
/// SIGXFSZ ignored, as `trap '' XFSZ` leaves it for drift).
fn run_on_a_full_disk(out: &Path) -> std::process::Output {
    let drift = assert_cmd::cargo::cargo_bin("drift");
    std::process::Command::new("sh")
        .current_dir(root())
        .env("NO_COLOR", "1")
        .arg("-c")
        .arg(r#"trap '' XFSZ; ulimit -f 8; exec "$0" run scenarios/workshop-demo.yaml --runs 20 --no-charts --quiet --out "$1""#)
        .arg(&drift)
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn a_full_disk_leaves_the_earlier_outputs_and_no_empty_folder() {
    let out = tempfile::tempdir().unwrap();
    let failed = run_on_a_full_disk(out.path());
    assert_eq!(failed.status.code(), Some(3), "{}", String::from_utf8_lossy(&failed.stderr));
    let stderr = stderr_of(&failed, &[(out.path(), "[out]")]);
    assert!(stderr.starts_with("error: cannot write [out]/the-bakery-that-became-a-lifestyle-platform/"), "{stderr}");
    assert!(stderr.contains("File too large") && stderr.contains("help:"), "{stderr}");
    assert_eq!(names(out.path()), [".drift.lock"], "a folder or temporaries were left");

    drift().args(["run", SCENARIO, "--runs", "20", "--no-charts", "--quiet", "--out"]).arg(out.path()).assert().success();
    let before = contents(out.path());
    let failed = run_on_a_full_disk(out.path());
    assert_eq!(failed.status.code(), Some(3));
    assert_eq!(contents(out.path()), before);
    assert_eq!(names(out.path()), [".drift.lock", SLUG]);
}

/// The seed each file of a run's folder says it was made with.
fn seeds(dir: &Path) -> Vec<(String, String)> {
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    let report = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let trace = std::fs::read_to_string(dir.join("trace.md")).unwrap();
    let seed = summary["seed"].to_string();
    vec![
        ("summary.json".into(), seed.clone()),
        ("report.html".into(), if report.contains(&format!("--seed {seed}")) { seed.clone() } else { "other".into() }),
        ("trace.md".into(), if trace.to_lowercase().contains(&format!("seed {seed}")) { seed.clone() } else { "other".into() }),
    ]
}

#[test]
fn two_runs_into_one_out_at_once_leave_one_complete_set() {
    let out = tempfile::tempdir().unwrap();
    for round in 0..3 {
        let spawn = |seed: &str| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("drift"))
                .current_dir(root())
                .args(["run", SCENARIO, "--runs", "30", "--charts", "svg", "--quiet", "--seed", seed, "--out"])
                .arg(out.path())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        };
        let (mut a, mut b) = (spawn("1"), spawn("2"));
        assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
        let dir = out.path().join(SLUG);
        let found = seeds(&dir);
        assert!(found.iter().all(|(_, s)| *s == found[0].1), "round {round}: a mixed set {found:?}");
        assert_eq!(names(out.path()), [".drift.lock", SLUG], "round {round}");
    }
}

#[test]
fn ctrl_c_while_waiting_for_another_drift_leaves_the_outputs_as_they_were() {
    let out = tempfile::tempdir().unwrap();
    drift().args(["run", SCENARIO, "--runs", "20", "--no-charts", "--quiet", "--out"]).arg(out.path()).assert().success();
    let before = contents(out.path());
    // another process holds the lock on --out, as a drift writing there would
    let mut holder = std::process::Command::new("flock").arg(out.path().join(".drift.lock")).args(["sleep", "30"]).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("drift"))
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(["run", SCENARIO, "--runs", "20", "--no-charts", "--quiet", "--seed", "9", "--out"])
        .arg(out.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut stderr = child.stderr.take().unwrap();
    // the warning says it waits; then Ctrl-C
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&seen).contains('\n') {
        assert!(started.elapsed() < Duration::from_secs(20), "no warning: {}", String::from_utf8_lossy(&seen));
        if std::io::Read::read(&mut stderr, &mut byte).unwrap() == 0 {
            break;
        }
        seen.push(byte[0]);
    }
    assert!(std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap().success());
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let _ = holder.kill();
    let _ = holder.wait();
    let text = format!("{}{rest}", String::from_utf8_lossy(&seen)).replace(&out.path().display().to_string(), "[out]");
    assert_eq!(status.code(), Some(130), "{text}");
    insta::assert_snapshot!(text, @r"
    warning: another drift is writing to [out]/; waiting for it to finish
    error: interrupted (Ctrl-C); earlier outputs were left as they were
    ");
    assert_eq!(contents(out.path()), before);
}

#[test]
fn a_symbolic_link_at_drifts_own_hidden_names_is_never_followed() {
    let out = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let precious = elsewhere.path().join("precious");
    std::fs::write(&precious, "keep me").unwrap();
    // at the lock file: refused
    std::os::unix::fs::symlink(&precious, out.path().join(".drift.lock")).unwrap();
    let a = drift().args(["run", SCENARIO, "--runs", "20", "--no-charts", "--out"]).arg(out.path()).assert().code(3);
    insta::assert_snapshot!(stderr_of(a.get_output(), &[(out.path(), "[out]")]), @r"
    error: refusing to write into [out]/.drift.lock: it is a symbolic link, and drift keeps its lock file there
      help: drift writes only inside --out; remove it, or choose another folder with --out
    ");
    std::fs::remove_file(out.path().join(".drift.lock")).unwrap();
    // at the source record in the folder: replaced, not read or followed
    let dir = out.path().join(SLUG);
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::symlink(&precious, dir.join(".drift-source")).unwrap();
    // at the staging folder's name (drift's process id is the shell's, which execs it)
    let drift_bin = assert_cmd::cargo::cargo_bin("drift");
    let status = std::process::Command::new("sh")
        .current_dir(root())
        .arg("-c")
        .arg(r#"ln -s "$2" "$1/.$3.drift-new-$$-0" && exec "$0" run scenarios/workshop-demo.yaml --runs 20 --no-charts --quiet --out "$1""#)
        .arg(&drift_bin)
        .arg(out.path())
        .arg(elsewhere.path())
        .arg(SLUG)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
    assert_eq!(names(elsewhere.path()), ["precious"]);
    assert!(!dir.join(".drift-source").is_symlink() && dir.join("summary.json").is_file());
}

#[test]
fn only_regular_files_are_ever_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.yaml");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let a = drift().args(["new", "--force"]).arg(&fifo).assert().code(2);
    insta::assert_snapshot!(stderr_of(a.get_output(), &[(dir.path(), "[tmp]")]), @r"
    error: refusing to replace [tmp]/pipe.yaml: it is a FIFO (named pipe), not a regular file
      help: drift replaces only regular files; give the path of a new file or of a regular one
    ");
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    // a link to a device: neither the link nor the device is replaced
    let null = dir.path().join("null.yaml");
    std::os::unix::fs::symlink("/dev/null", &null).unwrap();
    let a = drift().args(["new", "--force"]).arg(&null).assert().code(2);
    let stderr = stderr_of(a.get_output(), &[(dir.path(), "[tmp]")]);
    assert!(stderr.contains("it is a symbolic link to a character device, not a regular file"), "{stderr}");
    assert!(std::fs::symlink_metadata(&null).unwrap().is_symlink());
    // a link to a regular file is replaced by the file, the file it led to kept
    let target = dir.path().join("target.yaml");
    std::fs::write(&target, "mine").unwrap();
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    drift().args(["new", "--force"]).arg(&link).assert().success();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
    assert!(!std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(names(dir.path()), ["link.yaml", "null.yaml", "pipe.yaml", "target.yaml"]);
}

/// Issue 16: slugs dropped letters outside ASCII ("Café" → `caf`, an all-CJK name →
/// `scenario`). They are transliterated now, and still land inside `--out`.
#[test]
fn names_in_other_scripts_keep_their_words_in_the_folder_name() {
    let out = tempfile::tempdir().unwrap();
    for (name, folder) in [("Café Crème", "cafe-creme"), ("東京の会議", "dong-jing-nohui-yi")] {
        let file = out.path().join("s.yaml");
        std::fs::write(
            &file,
            format!("version: 1\nname: {name}\ncustomer:\n  said: I need my trucks back.\nchain:\n  - role: A\n    preset: relay\n"),
        )
        .unwrap();
        drift().args(["run", "--runs", "5", "--no-charts", "--quiet", "--out"]).arg(out.path().join("out")).arg(&file).assert().success();
        assert!(out.path().join("out").join(folder).join("summary.json").is_file(), "{name}: {:?}", names(&out.path().join("out")));
    }
}
