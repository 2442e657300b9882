//! The customer as an abstraction: a named person becomes a persona, then an enterprise, a
//! segment, a market. Each hop climbs at most one rung of the lexicon's ladders.

use super::{Edit, OperatorKind, Stream, replace_phrases};
use crate::lexicon::Lexicon;
use crate::text::Text;

pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    replace_phrases(text, &lexicon.ladder_up, rate, OperatorKind::Abstract, rng)
}
