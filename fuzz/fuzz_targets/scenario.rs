//! Arbitrary bytes → the scenario loader `drift validate` and `drift run` use.
//!
//! The bytes go through what `Scenario::load` does after reading the file (UTF-8 decoding,
//! then `Scenario::parse`). A scenario that parses is checked against the format's rules and
//! then run as `drift run` would: its lexicon extension is built and the chain runs once and
//! is scored. An error must render as a message (exit code 2) that points inside the file and
//! never leaks the parser's internal field markers.

#![no_main]

use drift::lexicon::Lexicon;
use drift::metrics::{Engine, Scorer};
use drift::scenario::{Scenario, diagnose};
use drift::simulate::run_chain;
use libfuzzer_sys::fuzz_target;

const FILE: &str = "fuzz.yaml";

fuzz_target!(|data: &[u8]| {
    let parsed = diagnose::decode(FILE, data).and_then(|source| Scenario::parse(FILE, &source));
    match parsed {
        Ok(scenario) => check_scenario(&scenario),
        Err(err) => check_error(data, err),
    }
});

fn check_scenario(scenario: &Scenario) {
    assert!(!scenario.name.trim().is_empty(), "a scenario has a name");
    assert!(!scenario.customer.said.trim().is_empty(), "the customer said something");
    assert!(!scenario.chain.is_empty(), "the chain has at least one hop");
    assert!(!scenario.metrics.is_empty(), "there is a headline metric");
    assert!(scenario.runs >= 1, "at least one run");
    for hop in &scenario.chain {
        for op in &hop.operators {
            assert!((0.0..=1.0).contains(&op.rate), "rate {} outside 0..1", op.rate);
        }
    }
    let slug = scenario.slug();
    assert!(!slug.is_empty() && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "slug {slug:?}");

    // what `drift run` does next: the lexicon, one traced run, its scores
    let lexicon = Lexicon::with_extension(&scenario.lexicon);
    let trace = run_chain(scenario, &lexicon, scenario.seed, 0);
    assert_eq!(trace.hops.len(), scenario.chain.len());
    let scorer = Scorer::new(scenario, &lexicon, Engine::Fast);
    for hop in scorer.score_trace(&trace) {
        for s in hop.vs_customer.iter().chain(&hop.vs_previous).chain(&hop.three_ps) {
            assert!((0.0..=1.0).contains(s), "score {s}");
        }
    }
}

fn check_error(data: &[u8], err: drift::scenario::ScenarioError) {
    assert_eq!(err.file, FILE);
    assert!(!err.message.trim().is_empty(), "an error says what is wrong");
    if let Some((line, column)) = err.location {
        // lines as YAML counts them: "\r\n", "\r", "\n", NEL, LS and PS each end one
        let text = String::from_utf8_lossy(data);
        let breaks = text.matches(is_break).count() - text.matches("\r\n").count();
        assert!(line >= 1 && column >= 1, "location {line}:{column}");
        assert!(line <= breaks + 1, "line {line} is past the end of the file ({breaks} line breaks)");
        let shown = err.source_line.as_deref();
        assert!(line > breaks || shown.is_some(), "line {line} of the file is not shown");
        assert!(!shown.is_some_and(|l| l.contains(is_break)), "the line shown is not one line: {shown:?}");
    }
    if !data.contains(&1) {
        // the parser's field markers are U+0001; the file may hold one only as an escape
        let leaked = err.message.contains('\u{1}') || err.field.as_deref().is_some_and(|f| f.contains('\u{1}'));
        assert!(!leaked, "an internal field marker leaked into the error: {err:?}");
    }
    let err = drift::Error::from(err);
    assert_eq!(err.exit_code(), drift::error::exit::BAD_INPUT);
    let text = err.to_string();
    assert!(text.contains(&format!("--> {FILE}")), "the message names the file: {text}");
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}
