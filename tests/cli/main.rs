//! Integration tests: the real binary, end to end, plus property tests of the library.

mod bad_inputs;
mod browser;
mod browser_room;
mod calibrate;
mod chart_check;
mod charts;
mod compare;
mod docs;
mod fuzz_regressions;
mod hardening;
mod hostile;
mod layers;
mod metrics_reference;
mod monte_carlo;
mod new;
mod outputs;
mod play;
mod presets;
mod properties;
mod readme;
mod report;
mod room;
mod run;
mod schema;
mod score;
mod sweep;
mod terminal;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The binary, with colour off and run from the repository root.
pub fn drift() -> Command {
    let mut cmd = Command::cargo_bin("drift").expect("binary built");
    // COLUMNS fits the text reports to a width (a test that wants it sets it)
    cmd.current_dir(root()).env("NO_COLOR", "1").env_remove("CLICOLOR_FORCE").env_remove("COLUMNS");
    cmd
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every bundled scenario.
pub fn bundled() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .expect("scenarios/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

/// drift's own bookkeeping in an output folder: the lock on `--out` and the record of which
/// scenario a folder's outputs come from (outputs.rs tests them).
const BOOKKEEPING: [&str; 2] = [".drift.lock", ".drift-source"];

/// All files below `dir`, relative, sorted; drift's [`BOOKKEEPING`] files left out.
pub fn files_below(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten().filter(|e| !BOOKKEEPING.iter().any(|b| e.file_name() == *b)) {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_below(&p).into_iter().map(|f| format!("{}/{f}", e.file_name().to_string_lossy())));
            } else {
                out.push(e.file_name().to_string_lossy().to_string());
            }
        }
    }
    out.sort();
    out
}
