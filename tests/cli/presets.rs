//! Presets a scenario defines itself (`presets:`), and the retelling operators' parameters.

use serde_json::Value;

use super::drift;

const OWN_PRESETS: &str = r#"version: 1
name: Our own presets
customer:
  said: >-
    The old stone bridge closed on Tuesday after heavy rain. Buses take a detour through
    Wexley, adding twenty minutes. Shops on Mill Street say it came at the worst time.
chain:
  - role: Ana
    preset: our_room
  - role: Ben
    preset: our_room
    mutate: { jargon: 0.5 }
  - role: Cleo
    preset: loud_cmo
# after the chain on purpose: hops name presets wherever they are defined
presets:
  our_room:
    omit: { rate: 0.1, sentence: 0.4, clause: 0.8, detail: 0.5, capacity: 8 }
    paraphrase: { rate: 0.8, capacity: 15 }
    reorder: 0.2
    elaborate: 0.9
  loud_cmo: { amplify: 1, we_focus: 0.5 }
"#;

fn run_json(dir: &std::path::Path, scenario: &str, extra: &[&str]) -> Value {
    let file = dir.join("scenario.yaml");
    std::fs::write(&file, scenario).unwrap();
    drift().arg("validate").arg(&file).assert().success();
    let a = drift()
        .arg("run")
        .arg(&file)
        .args(["--format", "json", "--no-charts", "--out"])
        .arg(dir.join("out"))
        .args(extra)
        .assert()
        .success();
    serde_json::from_slice(&a.get_output().stdout).unwrap()
}

#[test]
fn hops_use_the_scenarios_own_presets() {
    // what is left to amplify by the third hop is up to the dice: several seeds, each checked
    // for the operators it may use, and amplify at rate 1 must act in some of them
    let mut amplified = 0;
    for seed in ["4", "5", "6", "7"] {
        let dir = tempfile::tempdir().unwrap();
        let v = run_json(dir.path(), OWN_PRESETS, &["--runs", "30", "--seed", seed]);
        let trace = v["trace"].as_array().unwrap();
        let operators = |hop: usize| -> Vec<String> {
            trace[hop]["edits"].as_array().unwrap().iter().map(|e| e["operator"].as_str().unwrap().to_string()).collect()
        };
        let retelling = ["omit", "paraphrase", "reorder", "elaborate"];
        assert!(!operators(0).is_empty(), "our_room did nothing to a three-sentence message");
        assert!(operators(0).iter().all(|o| retelling.contains(&o.as_str())), "{:?}", operators(0));
        assert!(operators(1).iter().all(|o| retelling.contains(&o.as_str()) || o == "jargon"), "{:?}", operators(1));
        assert!(operators(2).iter().all(|o| o == "amplify" || o == "we_focus"), "{:?}", operators(2));
        amplified += usize::from(operators(2).iter().any(|o| o == "amplify"));
    }
    assert!(amplified >= 1, "amplify at rate 1 never acted in 4 seeds");
}

#[test]
fn a_scenario_without_presets_runs_as_before() {
    // the format stays version 1: `presets:` is optional and nothing else changed
    let dir = tempfile::tempdir().unwrap();
    let plain = OWN_PRESETS
        .split("# after the chain")
        .next()
        .unwrap()
        .replace("preset: our_room\n    mutate", "mutate")
        .replace("preset: our_room", "mutate: { omit: 0.3 }")
        .replace("preset: loud_cmo", "preset: approve");
    let v = run_json(dir.path(), &plain, &["--runs", "5"]);
    assert_eq!(v["trace"].as_array().unwrap().len(), 3);
}

#[test]
fn a_sweep_varies_one_level_of_omit() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.yaml");
    std::fs::write(&file, OWN_PRESETS).unwrap();
    let a = drift()
        .arg("sweep")
        .arg(&file)
        .args(["--vary", "chain[0].mutate.omit.sentence=0..1:3", "--runs", "20", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let csv = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(csv.starts_with("chain[0].mutate.omit.sentence,p10,median,p90,chance\n0,"), "{csv}");
    let a = drift().arg("sweep").arg(&file).args(["--vary", "chain[0].mutate.omit.capacity=0..1:3"]).assert().code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("has no rate `capacity`"));
}

/// The task presets are what `drift calibrate` fitted to public human chains: the fitted
/// presets it wrote are kept in `docs/calibration/` (the data are not, their licence does not
/// allow it; `scripts/human_chains.py` fetches them), and the built-in ones must match them
/// parameter for parameter, so a preset cannot drift from its measurement unnoticed.
#[test]
fn the_task_presets_are_what_calibrate_fitted() {
    for (preset, file) in [("relay", "relay.yaml"), ("retell", "retell.yaml")] {
        let path = super::root().join("docs/calibration").join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let presets = yaml["presets"].as_mapping().unwrap();
        assert_eq!(presets.len(), 1, "{file}");
        let fitted = presets.values().next().unwrap().as_mapping().unwrap();
        let built_in = drift::presets::find(preset).unwrap().operators();
        assert_eq!(fitted.len(), built_in.len(), "{preset}: operators differ from {file}");
        for op in &built_in {
            let entry = &fitted[&serde_yaml::Value::from(op.kind.name())];
            let number = |v: &serde_yaml::Value| v.as_f64().unwrap_or_else(|| panic!("{preset}.{}: {v:?}", op.kind.name()));
            let (rate, params) = match entry.as_mapping() {
                Some(m) => (number(&m[&serde_yaml::Value::from("rate")]), Some(m)),
                None => (number(entry), None),
            };
            assert_eq!(op.rate, rate, "{preset}.{}.rate", op.kind.name());
            for param in op.kind.number_params() {
                let want = params.and_then(|m| m.get(serde_yaml::Value::from(param.name()))).map(number);
                let have = match param {
                    drift::operators::Param::Capacity => op.capacity,
                    p => op.param(*p).filter(|_| want.is_some()),
                };
                assert_eq!(have, want, "{preset}.{}.{}", op.kind.name(), param.name());
            }
        }
    }
}

/// The bundled CMO chain with its hops in the given order (the CMO's sign-off stays last).
fn cmo_chain(reversed: bool) -> String {
    let file = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/cmo-approval-chain.yaml")).unwrap();
    let (head, chain) = file.split_once("chain:\n").unwrap();
    let mut hops: Vec<String> = chain.trim_end().split("\n  - role:").map(|h| h.trim_start_matches("  - role:").to_string()).collect();
    let last = hops.pop().unwrap();
    if reversed {
        hops.reverse();
    }
    hops.push(last);
    let hops: Vec<String> = hops.iter().map(|h| format!("  - role:{h}")).collect();
    format!("{head}chain:\n{}\n", hops.join("\n"))
}

/// Issue 15: the costliest hop was whoever went first, because every hop was lossy enough to
/// floor the chain; reversing the roles moved the blame to the new first role. On relay's
/// fidelity the roles' habits drive the drift: the creative director's new focus costs the
/// final message most wherever he stands, while the biggest fall stays with the first hop.
#[test]
fn the_costliest_hop_follows_the_habit_not_the_position() {
    for reversed in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let v = run_json(dir.path(), &cmo_chain(reversed), &["--runs", "400", "--seed", "3"]);
        let roles: Vec<&str> = v["trace"].as_array().unwrap().iter().map(|h| h["role"].as_str().unwrap()).collect();
        assert_eq!(roles[0], if reversed { "CRO" } else { "Product marketing" });
        assert_eq!(v["costliest_hop"]["median"]["role"], "Creative director", "reversed: {reversed}: {}", v["costliest_hop"]);
        assert!(v["costliest_hop"]["median"]["median_gain"].as_f64().unwrap() >= 0.02, "{}", v["costliest_hop"]);
        assert_eq!(v["biggest_fall"]["hop"], 1, "reversed: {reversed}: {}", v["biggest_fall"]);
        let last = v["bands"].as_array().unwrap().last().unwrap()["meaning"]["median"].as_f64().unwrap();
        assert!(last > 0.08, "the chain fell to the chance line: final median {last}");
    }
}

/// Issue 15: sweeps of a role's habit were flat because the chain had nothing left to lose by
/// the time the role spoke. Now the creative director's refocus rate moves the final meaning.
#[test]
fn sweeping_a_habit_moves_the_final_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cmo.yaml");
    std::fs::write(&file, cmo_chain(false)).unwrap();
    let a = drift()
        .arg("sweep")
        .arg(&file)
        .args(["--vary", "chain[5].mutate.refocus=0..1:3", "--runs", "300", "--seed", "3", "--no-charts", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let csv = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    let medians: Vec<f64> = csv
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
        .collect();
    assert_eq!(medians.len(), 3, "{csv}");
    assert!(medians[0] - medians[2] >= 0.04, "refocus from 0 to 1 moved the final median only from {} to {}", medians[0], medians[2]);
}
