//! The customer as an abstraction: a named person becomes a persona, then an enterprise, a
//! segment, a market. Each hop climbs at most one rung of the lexicon's ladders.

use super::{OperatorKind, Outcome, Stream, replace_phrases};
use crate::lexicon::Lexicon;

pub fn apply(message: &str, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Outcome {
    replace_phrases(message, &lexicon.ladder_up, rate, OperatorKind::Abstract, rng)
}
