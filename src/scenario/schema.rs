//! A JSON Schema (draft 2020-12) of the scenario format, for editors: with it, VS Code and
//! any editor using yaml-language-server completes field, operator, preset and metric names
//! and marks a typo as it is typed.
//!
//! It is built from the loader's own lists (the top-level fields, the operators and their
//! parameters, the built-in presets, the metrics, the lexicon's tables, the limits), so it
//! cannot drift from what `drift validate` accepts. What a schema cannot say (a preset a hop
//! names must be defined, texts need a word, a lexicon alternative may not repeat its phrase)
//! is left to `drift validate`: every scenario drift accepts validates against the schema,
//! and the schema refuses only scenarios drift refuses too.

use serde_json::{Map, Value, json};

use super::limits::{MAX_HOPS, MAX_RUNS, MAX_TEXT_CHARS};
use super::{DEFAULT_RUNS, DEFAULT_SEED, FORMAT_VERSION};
use crate::lexicon::LexiconData;
use crate::metrics::Metric;
use crate::operators::{MAX_CAPACITY, OperatorKind};

/// Where the schema says it lives: a name, since drift is not served from anywhere; an
/// editor resolves the `$schema` line `drift new` writes against the scenario's folder.
pub const FILE_NAME: &str = "drift.schema.json";

/// The schema, as pretty JSON.
pub fn json() -> String {
    let mut out = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    out.push('\n');
    out
}

/// The schema as a JSON value.
pub fn schema() -> Value {
    let text = json!({ "type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS });
    // the loader reads a number where it wants text (`name: 2024`) as that text
    let words = json!({ "type": ["string", "number"], "maxLength": MAX_TEXT_CHARS });
    let metrics: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
    let presets: Vec<String> = crate::presets::PRESETS.iter().map(|p| format!("`{}`", p.name)).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "drift scenario",
        "description": format!("A drift scenario, format version {FORMAT_VERSION}: a customer's words and the chain of handoffs they pass through. Made by `drift schema`; `drift validate` checks the rest."),
        "type": "object",
        "additionalProperties": false,
        "required": ["version", "name", "customer", "chain"],
        "properties": {
            "version": { "description": "The format version.", "const": FORMAT_VERSION },
            "name": { "description": "Shown in titles; the output folder is a file-name-safe slug of it.", "allOf": [words.clone(), { "minLength": 1 }] },
            "description": { "description": "A sentence or two, shown under the title.", "type": ["string", "null"], "maxLength": MAX_TEXT_CHARS },
            "seed": { "description": format!("Random seed (default {DEFAULT_SEED}); --seed overrides."), "type": "integer", "minimum": 0 },
            "runs": { "description": format!("Monte Carlo runs (default {DEFAULT_RUNS}); --runs overrides."), "type": "integer", "minimum": 1, "maximum": MAX_RUNS },
            "customer": {
                "description": "Who the customer is and what they said, in their own words.",
                "type": "object",
                "additionalProperties": false,
                "required": ["said"],
                "properties": {
                    "who": { "type": ["string", "null"], "maxLength": MAX_TEXT_CHARS },
                    "said": { "description": "The customer's own words.", "allOf": [words.clone(), { "minLength": 1 }] },
                    "priorities": words.clone(),
                    "problems": words.clone(),
                    "perceptions": words.clone()
                }
            },
            "metrics": {
                "description": "What to measure; the first is the headline.",
                "type": "array",
                "minItems": 1,
                "maxItems": 64,
                "uniqueItems": true,
                "items": { "enum": metrics }
            },
            "lexicon": lexicon(),
            "presets": {
                "description": "The scenario's own presets: name → operator mix, named by hops like the built-in ones.",
                "type": "object",
                "propertyNames": { "pattern": "^[\\p{L}\\p{N}_-]+$", "not": { "enum": crate::presets::PRESETS.iter().map(|p| p.name).collect::<Vec<_>>() } },
                "additionalProperties": { "$ref": "#/$defs/mix" }
            },
            "chain": {
                "description": "The handoffs, in order.",
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_HOPS,
                "items": { "$ref": "#/$defs/hop" }
            }
        },
        "$defs": {
            "hop": {
                "description": "One handoff: a role with a preset, an operator mix (mutate), both, or the words a person passed on (said).",
                "type": "object",
                "additionalProperties": false,
                "required": ["role"],
                "properties": {
                    "role": { "allOf": [words.clone(), { "minLength": 1 }] },
                    "note": { "type": ["string", "null"], "maxLength": MAX_TEXT_CHARS },
                    "preset": { "description": format!("A built-in preset ({}) or one of the scenario's own.", presets.join(", ")), "type": "string" },
                    "mutate": { "$ref": "#/$defs/mix" },
                    "said": words
                },
                "anyOf": [{ "required": ["preset"] }, { "required": ["mutate"] }, { "required": ["said"] }],
                "dependentSchemas": { "said": { "not": { "anyOf": [{ "required": ["preset"] }, { "required": ["mutate"] }] } } }
            },
            "mix": mix(),
            "rate": { "description": "A probability: 0 never, 1 always.", "type": "number", "minimum": 0, "maximum": 1 },
            "text": text
        }
    })
}

/// `mutate:` and a preset of one's own: operator name → rate, or `{ rate, … }` with the
/// operator's own parameters.
fn mix() -> Value {
    let mut properties = Map::new();
    for kind in OperatorKind::ALL {
        let mut params = Map::new();
        params.insert("rate".into(), json!({ "$ref": "#/$defs/rate" }));
        if let Some(p) = kind.text_param() {
            params.insert(p.into(), json!({ "$ref": "#/$defs/text" }));
        }
        for p in kind.number_params() {
            let value = if p.is_rate() {
                json!({ "$ref": "#/$defs/rate" })
            } else {
                json!({ "description": "A number of words.", "type": "number", "minimum": 1, "maximum": MAX_CAPACITY })
            };
            params.insert(p.name().into(), value);
        }
        properties.insert(
            kind.name().into(),
            json!({
                "oneOf": [
                    { "$ref": "#/$defs/rate" },
                    { "type": "object", "additionalProperties": false, "required": ["rate"], "properties": params }
                ]
            }),
        );
    }
    json!({
        "description": "Operator name → rate (0 to 1), or the long form { rate, … }.",
        "type": "object",
        "minProperties": 1,
        "additionalProperties": false,
        "properties": properties
    })
}

/// `lexicon:`: the tables of the built-in lexicon, each in the shape the built-in one has.
fn lexicon() -> Value {
    let built_in = serde_json::to_value(LexiconData::built_in()).unwrap_or_default();
    let properties: Map<String, Value> =
        built_in.as_object().map(|t| t.iter().map(|(k, v)| (k.clone(), shape(v))).collect()).unwrap_or_default();
    json!({
        "description": "Extends the built-in lexicon (see `drift lexicon`).",
        "type": "object",
        "additionalProperties": false,
        "properties": properties
    })
}

/// The shape of a lexicon table: maps of phrases to lists, lists of phrases, ladders.
fn shape(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            json!({ "type": "object", "additionalProperties": map.values().next().map_or(json!({}), shape) })
        }
        Value::Array(items) => json!({ "type": "array", "items": items.first().map_or(json!({}), shape) }),
        _ => json!({ "type": "string", "maxLength": MAX_TEXT_CHARS }),
    }
}
