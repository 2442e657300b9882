//! Plain customer language turned into marketing-speak: "paperwork" becomes
//! "administrative overhead".

use super::{Edit, OperatorKind, Stream, replace_phrases};
use crate::lexicon::Lexicon;
use crate::text::Text;

pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    replace_phrases(text, &lexicon.jargon, rate, OperatorKind::Jargon, rng)
}
