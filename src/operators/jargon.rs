//! Plain customer language turned into marketing-speak: "paperwork" becomes
//! "administrative overhead".

use super::{Edit, OperatorKind, Stream, replace_phrases_except};
use crate::lexicon::Lexicon;
use crate::text::Text;


/// `jargon` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "jargon",
    summary: "replaces plain customer language with marketing-speak",
    text_param: None,
    number_params: &[],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, ctx: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    apply(text, how.rate, ctx.lexicon, rng)
}

pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    // "too many were hurt" is not "an excessive number of were hurt"
    replace_phrases_except(text, &lexicon.jargon, rate, OperatorKind::Jargon, rng, super::synonym::quantity_without_noun)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::new_problems;
    use crate::operators::test_support::{on, stream};

    fn never_breaks(texts: &[&str]) {
        let lex = Lexicon::built_in();
        for text in texts {
            for seed in 0..20 {
                let out = on(text, |t| apply(t, 1.0, &lex, &mut stream(seed)));
                assert_eq!(new_problems(text, &out.message, &[]), [], "{}", out.message);
            }
        }
    }

    /// Regression: "it cannot think on its own yet" became "it are unable to think" and "it
    /// lack the capability to think".
    #[test]
    fn it_are_unable_to() {
        never_breaks(&["It can be misleading, it cannot think on its own yet.", "She can't see the claims.", "He can't see why."]);
        // with a subject it agrees with, "can't" is still jargon
        let lex = Lexicon::built_in();
        let out = on("We can't see the claims.", |t| apply(t, 1.0, &lex, &mut stream(1)));
        assert_ne!(out.message, "We can't see the claims.");
    }

    /// Regression: "too many were hurt" could become "an excessive number of were hurt".
    #[test]
    fn an_excessive_number_of_were_hurt() {
        never_breaks(&["Too many were hurt.", "There were too many."]);
    }

    /// Regression: "I love it" could become "I are highly engaged".
    #[test]
    fn i_are_highly_engaged() {
        never_breaks(&["I love it.", "She said she would love it."]);
    }

    /// Regression: "and people were pretty upset about it" became "pretty at-risk about it".
    #[test]
    fn pretty_at_risk_about_it() {
        never_breaks(&["The bridge closed, and people were pretty upset about it.", "Angry, he left."]);
    }
}
