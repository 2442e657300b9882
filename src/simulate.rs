//! Passing the message down the chain.
//!
//! Each (seed, run, hop) has its own ChaCha stream: the seed picks the key, the run picks the
//! stream, the hop picks a far-apart position in it. Two variants of a chain therefore draw
//! the same random numbers at the same hop of the same run (common random numbers), and runs
//! can be computed in any order, on any number of threads, with identical results.

use rand::SeedableRng;
use serde::Serialize;

use crate::interrupt::{Cancel, Interrupted, uncancelled};
use crate::lexicon::Lexicon;
use crate::operators::{Context, Edit, Stream};
use crate::scenario::Scenario;
use crate::text::Text;

/// Words a hop may draw before running into the next hop's part of the stream (2^48).
const HOP_STRIDE_BITS: u32 = 48;

/// The random stream of one hop of one run.
pub fn stream(seed: u64, run: u64, hop: usize) -> Stream {
    let mut rng = Stream::seed_from_u64(seed);
    rng.set_stream(run);
    rng.set_word_pos((hop as u128) << HOP_STRIDE_BITS);
    rng
}

/// What one hop passed on, and how it got there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HopTrace {
    /// 1 for the first hop.
    pub hop: usize,
    pub role: String,
    pub note: Option<String>,
    pub text: String,
    /// No operator edits for a human hop: a person's retelling is not a sum of operator
    /// edits, and the word diff against the previous hop shows what changed.
    pub edits: Vec<Edit>,
    /// `text` parsed into words, as the next hop hears it (and as the metrics read it).
    #[serde(skip)]
    pub words: Text,
    /// A person typed what this hop passed on (the hop's `said:`); traces, charts and reports
    /// mark it.
    pub human: bool,
}

/// One run of the whole chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub run: u64,
    pub hops: Vec<HopTrace>,
}

impl Trace {
    /// The message as it left hop `i` (0-based), or the customer's words before the first.
    pub fn text_before(&self, customer: &str, i: usize) -> String {
        if i == 0 { customer.to_string() } else { self.hops[i - 1].text.clone() }
    }
}

/// Applies hop `index` of the chain to `message`, with that hop's stream for `run`. A human
/// hop hands on its `said:` words whatever it received; it draws no random numbers, and the
/// hops after it keep their own streams, so a played chain re-runs to the same text.
pub fn pass_on(scenario: &Scenario, ctx: &Context, seed: u64, run: u64, index: usize, message: String) -> (String, Vec<Edit>) {
    let words = Text::parse(&message);
    let (text, _, edits) = pass_on_words(scenario, ctx, seed, run, index, message, words);
    (text, edits)
}

/// [`pass_on`] given the message already parsed (`words` = `Text::parse(&message)`): returns
/// the new message, its words and the edits. A chain parses each message once, for the hop
/// that hears it and for the metrics.
pub fn pass_on_words(
    scenario: &Scenario,
    ctx: &Context,
    seed: u64,
    run: u64,
    index: usize,
    message: String,
    words: Text,
) -> (String, Text, Vec<Edit>) {
    uncancelled(pass_on_words_cancellable(scenario, ctx, seed, run, index, message, words, &Cancel::new()))
}

/// [`pass_on_words`] that stops between operators once `cancel` is cancelled.
#[allow(clippy::too_many_arguments)]
fn pass_on_words_cancellable(
    scenario: &Scenario,
    ctx: &Context,
    seed: u64,
    run: u64,
    index: usize,
    message: String,
    words: Text,
    cancel: &Cancel,
) -> Result<(String, Text, Vec<Edit>), Interrupted> {
    let (text, words, edits) = apply_hop(scenario, ctx, seed, run, index, message, words, cancel)?;
    // the next hop hears the text, so it gets the text's own words, whatever the edits left
    let words = if edits.is_empty() { words } else { words.into_parse_of(&text) };
    debug_assert_eq!(words, Text::parse(&text), "the words handed on are not the text's own");
    Ok((text, words, edits))
}

/// Applies a hop's operators: the new message, the words as the operators left them, and the
/// edits. A hop that changed nothing passes the message on byte for byte; a human hop passes
/// on its `said:` words, with no edits. On a long message one operator can take milliseconds,
/// so `cancel` is checked before each.
#[allow(clippy::too_many_arguments)]
fn apply_hop(
    scenario: &Scenario,
    ctx: &Context,
    seed: u64,
    run: u64,
    index: usize,
    message: String,
    mut words: Text,
    cancel: &Cancel,
) -> Result<(String, Text, Vec<Edit>), Interrupted> {
    if let Some(said) = &scenario.chain[index].said {
        return Ok((said.clone(), Text::parse(said), Vec::new()));
    }
    let mut rng = stream(seed, run, index);
    let mut edits = Vec::new();
    for op in &scenario.chain[index].operators {
        cancel.check()?;
        edits.extend(op.apply_in_place(&mut words, ctx, &mut rng));
    }
    // no lexicon can make a message grow without bound: past the limit the end is cut, as a
    // teller handed too much passes on the start, and the cut is shown as an edit of the
    // operator that changed the message last. Within the hop each operator adds at most
    // `GROWTH_BUDGET_BYTES`, so the message is bounded before the cut too.
    if let Some(last) = edits.last().map(|e| e.operator)
        && let Some(cut) = words.truncate_chars(crate::text::MAX_CHARS)
    {
        edits.push(Edit::new(last, cut, ""));
    }
    if edits.is_empty() {
        debug_assert_eq!(words.render(), message, "an operator changed the message without an edit");
        return Ok((message, words, edits));
    }
    Ok((words.render(), words, edits))
}

/// Runs the chain once. Run 0 is the traced run that `drift run` prints.
pub fn run_chain(scenario: &Scenario, lexicon: &Lexicon, seed: u64, run: u64) -> Trace {
    uncancelled(run_chain_cancellable(scenario, lexicon, seed, run, &Cancel::new()))
}

/// [`run_chain`] that stops within a hop once `cancel` is cancelled.
pub fn run_chain_cancellable(scenario: &Scenario, lexicon: &Lexicon, seed: u64, run: u64, cancel: &Cancel) -> Result<Trace, Interrupted> {
    let customer = scenario.customer.told();
    let ctx = Context { lexicon, customer, customer_words: scenario.customer.told_words() };
    let mut hops: Vec<HopTrace> = Vec::with_capacity(scenario.chain.len());
    for (i, hop) in scenario.chain.iter().enumerate() {
        let (message, words) = match hops.last() {
            Some(last) => (last.text.clone(), last.words.clone()),
            None => (customer.to_string(), ctx.customer_words.clone()),
        };
        let (text, words, edits) = pass_on_words_cancellable(scenario, &ctx, seed, run, i, message, words, cancel)?;
        hops.push(HopTrace { hop: i + 1, role: hop.role.clone(), note: hop.note.clone(), text, edits, words, human: hop.is_human() });
    }
    Ok(Trace { run, hops })
}

/// The final message of `trace`'s run had hop `skip` (0-based) passed the message on
/// unchanged: the same later hops with the same random streams (common random numbers). Once
/// the message entering a hop equals the one the real run had there, the rest is the real
/// run's, so it stops early.
pub fn final_without(scenario: &Scenario, lexicon: &Lexicon, seed: u64, trace: &Trace, skip: usize) -> String {
    uncancelled(final_without_cancellable(scenario, lexicon, seed, trace, skip, &Cancel::new()))
}

/// [`final_without`] that stops within a hop once `cancel` is cancelled: the counterfactual
/// re-runs up to the whole chain for every hop of a run.
pub fn final_without_cancellable(
    scenario: &Scenario,
    lexicon: &Lexicon,
    seed: u64,
    trace: &Trace,
    skip: usize,
    cancel: &Cancel,
) -> Result<String, Interrupted> {
    let customer = scenario.customer.told();
    let ctx = Context { lexicon, customer, customer_words: scenario.customer.told_words() };
    let last = trace.hops.len() - 1;
    let mut message = trace.text_before(customer, skip);
    if message == trace.hops[skip].text {
        return Ok(trace.hops[last].text.clone());
    }
    let mut words = if skip == 0 { ctx.customer_words.clone() } else { trace.hops[skip - 1].words.clone() };
    for k in skip + 1..=last {
        if message == trace.hops[k - 1].text {
            return Ok(trace.hops[last].text.clone());
        }
        if k == last {
            // only the final text counts: its words are never needed
            return Ok(apply_hop(scenario, &ctx, seed, trace.run, k, message, words, cancel)?.0);
        }
        let (next, next_words, _) = pass_on_words_cancellable(scenario, &ctx, seed, trace.run, k, message, words, cancel)?;
        (message, words) = (next, next_words);
    }
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_run_and_hop_and_repeat_by_seed() {
        let draw = |s, r, h| stream(s, r, h).next_u64();
        assert_eq!(draw(7, 3, 2), draw(7, 3, 2));
        assert_ne!(draw(7, 3, 2), draw(7, 3, 3));
        assert_ne!(draw(7, 3, 2), draw(7, 4, 2));
        assert_ne!(draw(7, 3, 2), draw(8, 3, 2));
    }
}
