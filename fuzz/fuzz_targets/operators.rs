//! Arbitrary UTF-8 → every operator, and the bundled story's whole chain.
//!
//! Input: `[kind, rate, seed × 8, hop]` then the message (the hop byte's low bits also give
//! `omit` and `paraphrase` their levels and capacity, from seed bytes); a 0xFF byte (never part of UTF-8)
//! ends the message, and what follows is the customer's words (for `listen`) and the
//! operator's text (`refocus`'s `to`, `anecdote`'s `text`). Invalid UTF-8 is read lossily.
//!
//! Invariants: no panic; parsing a text and rendering it gives it back byte for byte; rate 0
//! and `approve` change nothing; an operator is deterministic given its stream; an outcome with
//! no edits is the message unchanged; the message grows by a bounded amount per hop; a chain
//! hop by hop (`pass_on`) equals `run_chain`, and the counterfactual (`final_without`) equals
//! the chain rerun with that hop passing the message on.

#![no_main]

use std::sync::LazyLock;

use drift::lexicon::Lexicon;
use drift::operators::{Context, Operator, OperatorKind};
use drift::scenario::Scenario;
use drift::simulate::{final_without, pass_on, run_chain, stream};
use drift::text::Text;
use libfuzzer_sys::fuzz_target;

static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::built_in);

static STORY: LazyLock<Scenario> = LazyLock::new(|| {
    Scenario::parse("marketing-long-distance.yaml", include_str!("../../scenarios/marketing-long-distance.yaml"))
        .expect("the bundled story parses")
});

const CUSTOMER: &str = "We keep losing our best adjusters to paperwork. I need them back in the field.";

/// Generous: an operator swaps, adds or inserts a bounded amount of text per word.
fn max_len(input: &str, extra: &str) -> usize {
    64 * (input.len() + 16) + 4 * extra.len() + 4096
}

fuzz_target!(|data: &[u8]| {
    let [kind, rate, s0, s1, s2, s3, s4, s5, s6, s7, hop, rest @ ..] = data else { return };
    let seed = u64::from_le_bytes([*s0, *s1, *s2, *s3, *s4, *s5, *s6, *s7]);
    let (message, other) = match rest.iter().position(|&b| b == 0xFF) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let message = String::from_utf8_lossy(message).into_owned();
    let other = other.map(|o| String::from_utf8_lossy(o).into_owned());

    let parsed = Text::parse(&message);
    assert_eq!(parsed.render(), message, "parse and render round-trip");

    let customer = other.as_deref().unwrap_or(CUSTOMER);
    let customer_words = drift::text::Text::parse(customer);
    let ctx = Context { lexicon: &LEXICON, customer, customer_words: &customer_words };
    let text = other.clone().filter(|t| !t.trim().is_empty()).map(|t| t.trim().to_string());

    let kinds = OperatorKind::ALL.len();
    if usize::from(*kind) % (kinds + 1) == kinds {
        chain(&message, seed, usize::from(*hop));
        return;
    }
    let kind = OperatorKind::ALL[usize::from(*kind) % (kinds + 1)];
    let rate = f64::from(*rate) / 255.0;
    let share = |b: u8| f64::from(b) / 255.0;
    let levels = *hop & 1 == 1;
    let op = Operator {
        text: text.clone(),
        clause: levels.then(|| share(*s1)),
        sentence: levels.then(|| share(*s2)),
        detail: levels.then(|| share(*s3)),
        capacity: (*hop & 2 == 2).then(|| 1.0 + 2.0 * f64::from(*s4)),
        ..Operator::new(kind, rate)
    };
    let out = op.apply(&message, &ctx, &mut stream(seed, 0, 0));
    let again = op.apply(&message, &ctx, &mut stream(seed, 0, 0));
    assert_eq!(out, again, "deterministic given its stream");
    if out.edits.is_empty() {
        assert_eq!(out.message, message, "no edits, no change");
    }
    assert!(out.message.len() <= max_len(&message, customer), "{} grew {} bytes into {}", kind.name(), message.len(), out.message.len());
    // the simulator's path: in place on the parsed words
    let mut words = parsed.clone();
    let edits = op.apply_in_place(&mut words, &ctx, &mut stream(seed, 0, 0));
    assert_eq!(edits, out.edits);
    if edits.is_empty() {
        assert_eq!(words.render(), message, "an operator changed the message without an edit");
    }

    for kind in [kind, OperatorKind::Approve] {
        let idle = Operator { text: text.clone(), ..Operator::new(kind, if kind == OperatorKind::Approve { 1.0 } else { 0.0 }) };
        let out = idle.apply(&message, &ctx, &mut stream(seed, 0, 0));
        assert_eq!(out.message, message, "{} at rate 0 changed the message", kind.name());
        assert!(out.edits.is_empty());
    }
});

/// The bundled story with `said` as the customer's words (trimmed and non-empty, as a
/// scenario requires).
fn chain(said: &str, seed: u64, skip: usize) {
    let said = said.trim();
    if said.is_empty() {
        return;
    }
    let mut scenario = STORY.clone();
    scenario.customer.said = said.to_string();
    let lexicon = &*LEXICON;
    let said_words = drift::text::Text::parse(said);
    let ctx = Context { lexicon, customer: said, customer_words: &said_words };
    let run = seed % 8;
    let trace = run_chain(&scenario, lexicon, seed, run);
    let mut message = said.to_string();
    for (i, hop) in trace.hops.iter().enumerate() {
        let (next, edits) = pass_on(&scenario, &ctx, seed, run, i, message.clone());
        assert_eq!(next, hop.text, "hop {i}: pass_on and run_chain disagree");
        assert_eq!(edits, hop.edits);
        assert_eq!(Text::parse(&hop.text), hop.words, "hop {i}: the words handed on are the text's");
        assert!(next.len() <= max_len(&message, ""), "hop {i} grew {} bytes into {}", message.len(), next.len());
        message = next;
    }

    let skip = skip % scenario.chain.len();
    let mut expected = said.to_string();
    for i in 0..scenario.chain.len() {
        if i != skip {
            expected = pass_on(&scenario, &ctx, seed, run, i, expected).0;
        }
    }
    assert_eq!(final_without(&scenario, lexicon, seed, &trace, skip), expected, "the counterfactual without hop {skip}");
}
