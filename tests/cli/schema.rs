//! `drift schema`: the scenario format as a JSON Schema, derived from the loader's own lists.
//! Every scenario drift accepts must meet it, and mistakes it can see must fail it.

use super::{bundled, drift, root};

fn schema() -> jsonschema::Validator {
    let a = drift().arg("schema").assert().success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).expect("the schema is JSON");
    assert!(jsonschema::meta::is_valid(&v), "not a valid JSON Schema");
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::draft202012::new(&v).expect("a draft 2020-12 schema")
}

/// A scenario's YAML as the JSON value an editor checks.
fn as_json(yaml: &str) -> serde_json::Value {
    serde_yaml::from_str(yaml).expect("YAML")
}

#[test]
fn every_bundled_scenario_and_template_meets_the_schema() {
    let schema = schema();
    for path in bundled() {
        let yaml = std::fs::read_to_string(&path).unwrap();
        let errors: Vec<String> = schema.iter_errors(&as_json(&yaml)).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
    for t in drift::templates::TEMPLATES {
        let a = drift().args(["new", "-", "--template", t.name]).assert().success();
        let yaml = String::from_utf8_lossy(&a.get_output().stdout).to_string();
        assert!(yaml.starts_with("# yaml-language-server: $schema=drift.schema.json\n"), "{}", t.name);
        let errors: Vec<String> = schema.iter_errors(&as_json(&yaml)).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "template {}: {errors:#?}", t.name);
    }
}

/// Mistakes a schema can see fail it, as they fail `drift validate`.
#[test]
fn known_bad_scenarios_fail_the_schema() {
    let schema = schema();
    for file in [
        "unknown-operator.yaml",
        "rate-above-one.yaml",
        "unknown-top-level-key.yaml",
        "hop-without-preset-or-mutate.yaml",
        "unknown-metric.yaml",
        "empty-chain.yaml",
        "human-hop-with-mutate.yaml",
        "unsupported-version.yaml",
        "many-mistakes.yaml",
    ] {
        let yaml = std::fs::read_to_string(root().join("tests/bad_inputs").join(file)).unwrap();
        assert!(!schema.is_valid(&as_json(&yaml)), "{file} meets the schema");
        drift().args(["validate", &format!("tests/bad_inputs/{file}")]).assert().code(2);
    }
}

/// The schema names what the loader knows: every operator and its parameters, every metric,
/// every built-in preset, the limits.
#[test]
fn the_schema_comes_from_the_code() {
    let a = drift().arg("schema").assert().success();
    let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    let ops = v["$defs"]["mix"]["properties"].as_object().unwrap();
    assert_eq!(ops.len(), drift::operators::OperatorKind::ALL.len());
    assert!(ops["refocus"]["oneOf"][1]["properties"].get("to").is_some());
    assert!(ops["omit"]["oneOf"][1]["properties"].get("capacity").is_some());
    assert_eq!(v["properties"]["metrics"]["items"]["enum"].as_array().unwrap().len(), drift::metrics::Metric::ALL.len());
    assert_eq!(v["properties"]["chain"]["maxItems"], drift::scenario::limits::MAX_HOPS);
    for p in drift::presets::PRESETS {
        assert!(v["$defs"]["hop"]["properties"]["preset"]["description"].as_str().unwrap().contains(&format!("`{}`", p.name)));
    }
    insta::assert_snapshot!(
        "help_schema",
        String::from_utf8_lossy(&drift().args(["schema", "--help"]).assert().success().get_output().stdout)
    );
}
