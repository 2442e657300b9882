//! Swapping a word for a near-synonym: harmless one hop at a time, it is what makes
//! the message stop sounding like the customer.

use super::{OperatorKind, Outcome, Stream, replace_phrases};
use crate::lexicon::Lexicon;

pub fn apply(message: &str, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Outcome {
    replace_phrases(message, &lexicon.synonyms, rate, OperatorKind::Synonym, rng)
}
