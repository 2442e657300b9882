//! `drift new`: starter scenarios that validate and run.

use super::{drift, files_below};

/// The template names, as `drift new --list` prints them.
fn templates() -> Vec<String> {
    let a = drift().args(["new", "--list"]).assert().success();
    String::from_utf8_lossy(&a.get_output().stdout).lines().map(|l| l.split_whitespace().next().unwrap().to_string()).collect()
}

#[test]
fn list_shows_the_templates_with_what_they_are_for() {
    let names = templates();
    assert_eq!(names, ["basic", "approval-chain", "workshop", "checkin"]);
    let a = drift().args(["new", "--list"]).assert().success();
    let text = String::from_utf8_lossy(&a.get_output().stdout);
    assert!(text.lines().all(|l| l.split_whitespace().count() > 3), "every template has a summary:\n{text}");
}

#[test]
fn every_template_validates_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    for name in templates() {
        let file = dir.path().join(format!("{name}.yaml"));
        let a = drift().args(["new", "--template", &name]).arg(&file).assert().success();
        let said = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        assert!(said.starts_with(&format!("Wrote {}", file.display())), "{said}");
        assert!(said.contains(&format!("drift run {}", file.display())), "{said}");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(&file.display().to_string()), "{name}: its comments do not name the file");
        drift().arg("validate").arg(&file).assert().success();
        let out = dir.path().join("out");
        drift().arg("run").arg(&file).args(["--runs", "20", "--no-charts", "--quiet", "--out"]).arg(&out).assert().success().stdout("");
    }
    // four scenarios, each with its own output folder: trace.md, hops.csv, summary.json and
    // report.html
    assert_eq!(files_below(&dir.path().join("out")).len(), 4 * 4);
}

#[test]
fn the_default_is_the_basic_template_in_scenario_yaml() {
    let dir = tempfile::tempdir().unwrap();
    drift().current_dir(dir.path()).arg("new").assert().success();
    let written = std::fs::read_to_string(dir.path().join("scenario.yaml")).unwrap();
    let a = drift().args(["new", "-"]).assert().success();
    assert_eq!(String::from_utf8_lossy(&a.get_output().stdout), written, "`-` prints what FILE would hold");
    assert!(written.contains("drift run scenario.yaml"));
    assert!(written.contains("preset: product_marketing"));
}

#[test]
fn printing_to_stdout_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = drift().current_dir(dir.path()).args(["new", "-", "--template", "workshop"]).assert().success();
    let text = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    drift::scenario::Scenario::parse("stdout", &text).expect("a valid scenario");
    assert_eq!(files_below(dir.path()), Vec::<String>::new());
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.yaml");
    std::fs::write(&file, "my own work\n").unwrap();
    let a = drift().current_dir(dir.path()).args(["new", "mine.yaml"]).assert().code(2);
    assert!(a.get_output().stdout.is_empty());
    insta::assert_snapshot!("new_refuses_to_overwrite", String::from_utf8_lossy(&a.get_output().stderr));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my own work\n");
    drift().current_dir(dir.path()).args(["new", "mine.yaml", "--force", "--template", "checkin"]).assert().success();
    let text = std::fs::read_to_string(&file).unwrap();
    // the first line points editors at the schema (drift schema)
    assert!(text.starts_with("# yaml-language-server: $schema=drift.schema.json\n# A chain with a customer check-in"), "{text}");
}

#[test]
fn new_creates_folders_and_quotes_odd_names_in_its_hints() {
    let dir = tempfile::tempdir().unwrap();
    let a = drift().current_dir(dir.path()).args(["new", "launch plans/Q3 launch.yaml"]).assert().success();
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("drift validate 'launch plans/Q3 launch.yaml'"));
    let text = std::fs::read_to_string(dir.path().join("launch plans/Q3 launch.yaml")).unwrap();
    assert!(text.contains("drift run 'launch plans/Q3 launch.yaml'"));
}

#[test]
fn bad_template_or_folder_fails_cleanly() {
    let a = drift().args(["new", "-", "--template", "workshp"]).assert().code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr);
    assert!(stderr.contains("possible values: basic, approval-chain, workshop, checkin"), "{stderr}");
    let a = drift().args(["new", "scenarios", "--force"]).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("scenarios is a folder: name the file to write in it"));
    // a file where the folder should be: an I/O failure, exit 3, nothing written
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plans"), "").unwrap();
    let a = drift().current_dir(dir.path()).args(["new", "plans/q3.yaml"]).assert().code(3);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("cannot create the folder plans"));
}

#[test]
fn new_help() {
    let a = drift().args(["new", "--help"]).assert().success();
    insta::assert_snapshot!("help_new", String::from_utf8_lossy(&a.get_output().stdout));
}
