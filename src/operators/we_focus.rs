//! Customer-centred phrasing turned into we/our/us product talk: "I need" becomes
//! "we deliver".

use super::{Edit, OperatorKind, Stream, replace_phrases};
use crate::lexicon::Lexicon;
use crate::text::Text;

pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    replace_phrases(text, &lexicon.we_focus, rate, OperatorKind::WeFocus, rng)
}
