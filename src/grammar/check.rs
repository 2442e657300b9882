//! Every operator, at high rates, over real sentences: no operator may add broken English.
//!
//! The corpus is `assets/chance/sentences.txt` (200 sentences from Mozilla Common Voice, CC0,
//! none written for drift), each alone and in passages of 3 to 5 consecutive sentences, and
//! drift's own customer texts (the bundled scenarios and templates). Each operator runs on
//! each text alone; then in short sequences as a hop applies them (in `OperatorKind` order);
//! then down chains of five hops of every preset. Every step is checked against its own
//! input, so a problem is blamed on the operator that made it. See `README.md`, "Readable by
//! construction", for the shares this measures.
//!
//! Run `cargo test --release --lib grammar -- --nocapture` to see the table of shares and
//! examples of what each operator breaks.

use std::collections::{BTreeMap, HashMap};

use super::{Problem, added, problems};
use crate::lexicon::Lexicon;
use crate::operators::test_support::stream;
use crate::operators::{Context, Operator, OperatorKind};
use crate::presets::PRESETS;

use OperatorKind::*;

/// Operators being rewritten elsewhere: what they break is counted and shown, and does not
/// fail the test yet. Empty this list when their rewrite lands.
const REWRITTEN_ELSEWHERE: &[OperatorKind] = &[];

/// The random seeds each text is run with.
const SEEDS: u64 = 3;

/// The 200 real sentences.
fn sentences() -> Vec<&'static str> {
    include_str!("../../assets/chance/sentences.txt").lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

/// Passages of 3 to 5 consecutive sentences, starting every fifth sentence.
fn passages() -> Vec<String> {
    let s = sentences();
    (0..s.len()).step_by(5).map(|start| s[start..(start + 3 + start % 3).min(s.len())].join(" ")).collect()
}

/// What the customers say in drift's bundled scenarios and templates.
pub(super) fn customer_texts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("scenarios/").flatten().map(|e| e.path()).collect();
    files.sort();
    let mut out: Vec<String> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| crate::scenario::Scenario::load(p).unwrap_or_else(|e| panic!("{}: {e:?}", p.display())).customer.told().to_string())
        .collect();
    for t in crate::templates::TEMPLATES {
        let scenario = crate::scenario::Scenario::parse(t.name, &t.render("x.yaml")).expect("a template parses");
        out.push(scenario.customer.told().to_string());
    }
    out.sort();
    out.dedup();
    out
}

/// Every text the operators run on.
fn corpus() -> Vec<String> {
    sentences().into_iter().map(str::to_string).chain(passages()).chain(customer_texts()).collect()
}

/// The operator at full strength: rate 1, and `omit`'s clause, sentence and detail at 1.
fn full(kind: OperatorKind) -> Operator {
    let mut op = Operator::new(kind, 1.0);
    if kind == Omit {
        (op.clause, op.sentence, op.detail) = (Some(1.0), Some(1.0), Some(1.0));
    }
    op
}

#[derive(Default)]
struct Tally {
    /// Outputs that differ from their input.
    changed: usize,
    /// Of those, outputs with a problem their input did not have.
    broken: usize,
    /// The first few, to show.
    examples: Vec<String>,
}

struct Check {
    lexicon: Lexicon,
    known: HashMap<String, Vec<Problem>>,
    tallies: BTreeMap<OperatorKind, Tally>,
}

impl Check {
    fn new() -> Check {
        Check { lexicon: Lexicon::built_in(), known: HashMap::new(), tallies: BTreeMap::new() }
    }

    fn problems_of(&mut self, text: &str) -> Vec<Problem> {
        if let Some(p) = self.known.get(text) {
            return p.clone();
        }
        let p = problems(text);
        self.known.insert(text.to_string(), p.clone());
        p
    }

    /// Applies `op` to `message` (the customer said `customer`), records what it broke and
    /// returns the output.
    fn step(&mut self, op: &Operator, message: &str, customer: &str, seed: u64, context: &str) -> String {
        let customer_words = crate::text::Text::parse(customer);
        let ctx = Context { lexicon: &self.lexicon, customer, customer_words: &customer_words };
        let out = op.apply(message, &ctx, &mut stream(seed)).message;
        let tally = self.tallies.entry(op.kind).or_default();
        if out == message {
            return out;
        }
        tally.changed += 1;
        let mut had = self.problems_of(message);
        if op.kind == Listen {
            had.extend(self.problems_of(customer));
        }
        let new = added(problems(&out), &had);
        if !new.is_empty() {
            let tally = self.tallies.entry(op.kind).or_default();
            tally.broken += 1;
            if tally.examples.len() < 400 {
                let list: Vec<String> = new.iter().map(Problem::to_string).collect();
                tally.examples.push(format!(
                    "{} (rate {}, seed {seed}, {context})\n    in:  {message}\n    out: {out}\n    {}",
                    op.kind.name(),
                    op.rate,
                    list.join("; ")
                ));
            }
        }
        out
    }
}

/// The sequences a hop might apply, each in application order.
const SEQUENCES: &[&[OperatorKind]] = &[
    &[Synonym, Jargon],
    &[Abstract, WeFocus],
    &[Jargon, WeFocus, Amplify],
    &[Synonym, Abstract, Amplify],
    &[Reorder, Refocus, Anecdote],
    &[Paraphrase, Synonym, Amplify],
    &[Omit, Elaborate, Jargon],
    &[Elaborate, WeFocus, Refocus],
];

/// Each operator alone, at full strength, on every text.
fn alone() -> Check {
    let mut check = Check::new();
    let texts = corpus();
    // each operator alone, on every text
    for text in &texts {
        for seed in 0..SEEDS {
            for &kind in OperatorKind::ALL {
                if kind == Listen {
                    continue;
                }
                check.step(&full(kind), text, text, seed, "alone");
            }
            // listen, half way back from a drifted message to the customer's words
            let mut drifted = text.clone();
            for kind in [Abstract, Jargon, WeFocus, Amplify] {
                let customer_words = crate::text::Text::parse(text);
                let ctx = Context { lexicon: &check.lexicon, customer: text, customer_words: &customer_words };
                drifted = full(kind).apply(&drifted, &ctx, &mut stream(seed)).message;
            }
            check.step(&Operator::new(Listen, 0.5), &drifted, text, seed, "alone");
        }
    }
    check
}

/// A few operators in a row, at full strength, as a hop applies them.
fn sequences() -> Check {
    let mut check = Check::new();
    let texts = corpus();
    for (k, sequence) in SEQUENCES.iter().enumerate() {
        for text in &texts {
            let seed = k as u64;
            let mut message = text.clone();
            for (n, &kind) in sequence.iter().enumerate() {
                message = check.step(&full(kind), &message, text, seed * 31 + n as u64, "in a sequence");
            }
        }
    }
    check
}

/// Chains of five hops of every preset, and one of mixed roles, at the presets' rates.
fn chains() -> Check {
    let mut check = Check::new();
    let mut chains: Vec<(String, Vec<Vec<Operator>>)> = PRESETS.iter().map(|p| (p.name.to_string(), vec![p.operators(); 5])).collect();
    let mixed = ["analyst_report", "cmo", "sales_rep", "customer_checkin", "writer"];
    chains.push(("mixed".into(), mixed.iter().map(|n| crate::presets::find(n).expect("a preset").operators()).collect()));
    let long: Vec<String> = passages().into_iter().chain(customer_texts()).collect();
    for (name, hops) in &chains {
        for text in &long {
            for seed in 0..1u64 {
                let mut message = text.clone();
                for (g, ops) in hops.iter().enumerate() {
                    for op in ops {
                        let s = seed * 10_000 + g as u64 * 100 + op.kind as u64;
                        message = check.step(op, &message, text, s, &format!("hop {} of a {name} chain", g + 1));
                    }
                }
            }
        }
    }
    check
}

/// The shares of changed outputs with a new problem, per operator, as the README quotes them.
fn table(check: &Check) -> String {
    let mut out = String::from("operator      changed  broken  share\n");
    for (kind, t) in &check.tallies {
        let share = if t.changed == 0 { 0.0 } else { 100.0 * t.broken as f64 / t.changed as f64 };
        out.push_str(&format!("{:<12} {:>8} {:>7} {:>5.1}%\n", kind.name(), t.changed, t.broken, share));
    }
    out
}

/// Prints the shares and examples of `check`; fails when an operator not being rewritten
/// elsewhere added a problem.
fn verdict(what: &str, check: &Check) {
    println!("{what}:\n{}", table(check));
    let mut failures = Vec::new();
    for (kind, t) in &check.tallies {
        if t.broken == 0 {
            continue;
        }
        let elsewhere = REWRITTEN_ELSEWHERE.contains(kind);
        println!(
            "--- {what}: {} broke {} of {} outputs{}; examples:",
            kind.name(),
            t.broken,
            t.changed,
            if elsewhere { " (being rewritten elsewhere: not failing yet)" } else { "" }
        );
        for e in t.examples.iter().take(if elsewhere { 12 } else { 40 }) {
            println!("  {e}");
        }
        if !elsewhere {
            failures.push(format!("{}: {} of {}", kind.name(), t.broken, t.changed));
        }
    }
    assert!(failures.is_empty(), "{what}: operators that add broken English (examples above): {}", failures.join(", "));
}

#[test]
fn no_operator_alone_adds_broken_english() {
    verdict("each operator alone at rate 1", &alone());
}

#[test]
fn no_operator_in_a_sequence_adds_broken_english() {
    verdict("operators in sequence at rate 1", &sequences());
}

#[test]
fn no_operator_in_a_chain_adds_broken_english() {
    verdict("five-hop chains of every preset", &chains());
}

/// The checker itself must leave real English alone: none of the 200 real sentences and none
/// of drift's customer texts has a problem.
#[test]
fn real_sentences_have_no_problems() {
    let mut found = Vec::new();
    for text in sentences().into_iter().map(str::to_string).chain(customer_texts()) {
        for p in problems(&text) {
            found.push(format!("{p} in {text:?}"));
        }
    }
    assert!(found.is_empty(), "{} false positives:\n{}", found.len(), found.join("\n"));
}
