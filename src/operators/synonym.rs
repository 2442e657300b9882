//! Swapping a word for a near-synonym: harmless one hop at a time, it is what makes
//! the message stop sounding like the customer.

use super::{Edit, OperatorKind, Stream, replace_phrases};
use crate::lexicon::Lexicon;
use crate::text::Text;

pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    replace_phrases(text, &lexicon.synonyms, rate, OperatorKind::Synonym, rng)
}
