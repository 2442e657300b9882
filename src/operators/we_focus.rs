//! Customer-centred phrasing turned into we/our/us product talk: "I need" becomes
//! "we deliver".

use super::{Edit, OperatorKind, Stream, replace_phrases};
use crate::lexicon::Lexicon;
use crate::text::Text;


/// `we_focus` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "we_focus",
    summary: "turns customer-centred phrasing into we/our/us product talk",
    text_param: None,
    number_params: &[],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, ctx: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    apply(text, how.rate, ctx.lexicon, rng)
}

pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    replace_phrases(text, &lexicon.we_focus, rate, OperatorKind::WeFocus, rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::new_problems;
    use crate::operators::test_support::{on, stream};

    /// Regression: "Nobody was injured" became "Only we was injured", and "I wasn't going"
    /// "we wasn't going".
    #[test]
    fn only_we_was_injured() {
        let lex = Lexicon::built_in();
        for text in ["Nobody was injured.", "No one was there.", "But I wasn't going to tell anyone.", "I was not sure."] {
            for seed in 0..20 {
                let out = on(text, |t| apply(t, 1.0, &lex, &mut stream(seed)));
                assert_eq!(new_problems(text, &out.message, &[]), [], "{}", out.message);
            }
        }
    }
}
