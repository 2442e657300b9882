//! Customer-centred phrasing turned into we/our/us product talk: "I need" becomes
//! "we deliver".

use super::{OperatorKind, Outcome, Stream, replace_phrases};
use crate::lexicon::Lexicon;

pub fn apply(message: &str, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Outcome {
    replace_phrases(message, &lexicon.we_focus, rate, OperatorKind::WeFocus, rng)
}
