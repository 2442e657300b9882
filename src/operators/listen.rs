//! The remedy: going back to the customer's own words. Every stretch where the message and
//! the customer's words differ (a word diff) is restored with probability `rate`; at rate 1 the
//! message is the customer's words again, exactly.

use rand::RngExt;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::{Edit, OperatorKind, Stream, finish};
use crate::text::{Small, Text, Word};


/// `listen` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "listen",
    summary: "moves the message back toward the customer's own words",
    text_param: None,
    number_params: &[],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, ctx: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    apply(text, how.rate, ctx.customer, ctx.customer_words, rng)
}

/// `customer_words` is `customer` parsed (the context parses it once for every run).
pub fn apply(text: &mut Text, rate: f64, customer: &str, customer_words: &Text, rng: &mut Stream) -> Vec<Edit> {
    if rate <= 0.0 {
        return Vec::new();
    }
    let message = text.render();
    if message == customer {
        return Vec::new();
    }
    let current = std::mem::take(text);
    let target = customer_words.clone();
    let ops = capture_diff_slices(Algorithm::Myers, &current.keys(), &target.keys());
    let mut words: Vec<Word> = Vec::new();
    let mut edits = Vec::new();
    let mut all_restored = true;
    for op in ops {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                words.extend_from_slice(&current.words[old_index..old_index + len]);
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                if rng.random_bool(rate) {
                    edits.push(edit(current.span_text(old_index, old_index + old_len), ""));
                    // the dropped words' trailing punctuation stays with the word before them
                    if let Some(prev) = words.last_mut() {
                        let gap = &current.words[old_index + old_len - 1].gap;
                        if gap.trim().len() > prev.gap.trim().len() {
                            prev.gap = gap.clone();
                        }
                    }
                } else {
                    all_restored = false;
                    words.extend_from_slice(&current.words[old_index..old_index + old_len]);
                }
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                if rng.random_bool(rate) {
                    edits.push(edit(String::new(), target.span_text(new_index, new_index + new_len)));
                    words.extend_from_slice(&target.words[new_index..new_index + new_len]);
                } else {
                    all_restored = false;
                }
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                if rng.random_bool(rate) {
                    edits.push(edit(current.span_text(old_index, old_index + old_len), target.span_text(new_index, new_index + new_len)));
                    words.extend_from_slice(&target.words[new_index..new_index + new_len]);
                } else {
                    all_restored = false;
                    words.extend_from_slice(&current.words[old_index..old_index + old_len]);
                }
            }
        }
    }
    if all_restored {
        // every difference went back: the customer's words, with their own punctuation
        *text = Text::parse(customer);
        return if edits.is_empty() { vec![edit(message, customer.to_string())] } else { edits };
    }
    if edits.is_empty() {
        *text = current;
        return edits;
    }
    *text = Text { lead: current.lead.clone(), words };
    finish(text, edits)
}

fn edit(before: impl Into<Small>, after: impl Into<Small>) -> Edit {
    Edit::new(OperatorKind::Listen, before, after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::test_support::{on, stream};

    const CUSTOMER: &str = "We keep losing our best adjusters to paperwork.";

    #[test]
    fn rate_one_restores_the_customer_words() {
        let out = on("Our platform eliminates administrative overhead for insurers!", |t| apply(t, 1.0, CUSTOMER, &Text::parse(CUSTOMER), &mut stream(1)));
        assert_eq!(out.message, CUSTOMER);
        assert!(!out.edits.is_empty());
    }

    #[test]
    fn partial_listening_moves_closer() {
        let drifted = "Our platform eliminates administrative overhead, losing the best adjusters.";
        let out = on(drifted, |t| apply(t, 0.5, CUSTOMER, &Text::parse(CUSTOMER), &mut stream(7)));
        let before = strsim::normalized_levenshtein(drifted, CUSTOMER);
        let after = strsim::normalized_levenshtein(&out.message, CUSTOMER);
        assert!(after >= before, "{} -> {}", drifted, out.message);
    }
}
