//! Arbitrary lexicon entries and a message → a scenario whose every hop applies every
//! operator that adds text, at rate 1, for 16 hops.
//!
//! Input: lines; the first is the customer's words, each further line `table<TAB>phrase<TAB>
//! alternative` adds one entry to the scenario's own lexicon (table: a byte picking `jargon`,
//! `we_focus`, `synonyms`, `paraphrases`, `exaggerations`, `intensifiers` or `anecdotes`).
//! Invalid UTF-8 is read lossily. The scenario goes through the reader like any file, so
//! entries it refuses (a phrase held twice in its alternative) are refused here too.
//!
//! Invariant: whatever the lexicon, no hop hands on more than `text::MAX_CHARS` characters
//! (issue 13: a lexicon mapping a word to a phrase holding it grew the message threefold per
//! hop until memory ran out), and a chain of 16 such hops finishes (enough for a doubling
//! lexicon to reach the limit: 2^16 times a short message).

#![no_main]

use drift::lexicon::Lexicon;
use drift::scenario::Scenario;
use drift::simulate::run_chain;
use drift::text::MAX_CHARS;
use libfuzzer_sys::fuzz_target;

const TABLES: [&str; 7] = ["jargon", "we_focus", "synonyms", "paraphrases", "exaggerations", "intensifiers", "anecdotes"];

fn quoted(s: &str) -> String {
    // a YAML double-quoted scalar is a JSON string
    format!("{s:?}").replace("\\'", "'")
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines();
    let Some(said) = lines.next() else { return };
    let mut tables: std::collections::BTreeMap<&str, Vec<String>> = std::collections::BTreeMap::new();
    for line in lines.take(64) {
        let mut parts = line.splitn(3, '\t');
        let (Some(table), Some(phrase), Some(alternative)) = (parts.next(), parts.next(), parts.next()) else { continue };
        let table = TABLES[table.bytes().next().unwrap_or(0) as usize % TABLES.len()];
        let entry = match table {
            "intensifiers" | "anecdotes" => quoted(alternative),
            _ => format!("{}: [{}]", quoted(phrase), quoted(alternative)),
        };
        tables.entry(table).or_default().push(entry);
    }
    let mut lexicon = String::new();
    for (table, entries) in tables {
        match table {
            "intensifiers" | "anecdotes" => lexicon.push_str(&format!("  {table}: [{}]\n", entries.join(", "))),
            _ => lexicon.push_str(&format!("  {table}: {{ {} }}\n", entries.join(", "))),
        }
    }
    let hop = "  - role: Hop\n    mutate: { paraphrase: 1, elaborate: 1, synonym: 1, abstract: 1, jargon: 1, we_focus: 1, amplify: 1, refocus: 1, anecdote: 1 }\n";
    let source = format!(
        "version: 1\nname: Growth\ncustomer:\n  said: {}\n{}chain:\n{}",
        quoted(said),
        if lexicon.is_empty() { String::new() } else { format!("lexicon:\n{lexicon}") },
        hop.repeat(16)
    );
    // several tables given twice is a repeated key: the reader refuses it, like any file
    let Ok(scenario) = Scenario::parse("growth.yaml", &source) else { return };
    let lexicon = Lexicon::with_extension(&scenario.lexicon);
    let trace = run_chain(&scenario, &lexicon, 1, 0);
    for hop in &trace.hops {
        let chars = hop.text.chars().count();
        assert!(chars <= MAX_CHARS, "hop {} handed on {chars} characters", hop.hop);
    }
});
