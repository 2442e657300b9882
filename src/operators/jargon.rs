//! Plain customer language turned into marketing-speak: "paperwork" becomes
//! "administrative overhead".

use super::{OperatorKind, Outcome, Stream, replace_phrases};
use crate::lexicon::Lexicon;

pub fn apply(message: &str, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Outcome {
    replace_phrases(message, &lexicon.jargon, rate, OperatorKind::Jargon, rng)
}
