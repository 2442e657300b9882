//! `drift validate`'s report: for each file, whether it is a usable scenario and, if not,
//! every error in it. As text for people, as JSON for editors and CI, from the same results.

use serde::Serialize;

use super::{Diagnostic, Scenario, ScenarioError};

/// One file's result, as `drift validate --format json` prints it.
#[derive(Debug, Serialize)]
pub struct Checked {
    pub file: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hops: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<JsonError>>,
}

/// One error, with its place where the reader knows it (1-based line and column).
#[derive(Debug, Serialize)]
pub struct JsonError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub field: Option<String>,
    pub help: Option<String>,
}

impl From<&Diagnostic> for JsonError {
    fn from(d: &Diagnostic) -> JsonError {
        JsonError {
            message: d.message.clone(),
            line: d.location.map(|l| l.0),
            column: d.location.map(|l| l.1),
            field: d.field.clone(),
            help: d.help.clone(),
        }
    }
}

impl Checked {
    /// The result of reading `file`.
    pub fn new(file: &str, result: &Result<Scenario, ScenarioError>) -> Checked {
        match result {
            Ok(s) => Checked { file: file.to_string(), ok: true, name: Some(s.name.clone()), hops: Some(s.chain.len()), errors: None },
            Err(e) => {
                Checked { file: file.to_string(), ok: false, name: None, hops: None, errors: Some(e.all().map(JsonError::from).collect()) }
            }
        }
    }
}

/// "ok: FILE (NAME, N hops)", the line `drift validate` prints for a good file.
pub fn ok_line(file: &str, scenario: &Scenario) -> String {
    format!("ok: {file} ({}, {} hops)\n", scenario.name, scenario.chain.len())
}

/// The JSON document `drift validate --format json` prints: one object per file, in order.
pub fn json(checked: &[Checked]) -> String {
    let mut out = serde_json::to_string_pretty(checked).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
