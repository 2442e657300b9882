//! The customer as an abstraction: a named person becomes a persona, then an enterprise, a
//! segment, a market. Each hop climbs at most one rung of the lexicon's ladders.

use std::sync::LazyLock;

use super::{Edit, OperatorKind, Stream, replace_phrases_except};
use crate::lexicon::Lexicon;
use crate::text::{Key, Text, key_of};

/// "I", and the verbs that agree with "I" alone.
static I_AND_ITS_VERBS: LazyLock<(Key, [Key; 4])> =
    LazyLock::new(|| (key_of("i"), [key_of("am"), key_of("was"), key_of("wasn't"), key_of("ain't")]));


/// `abstract` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "abstract",
    summary: "lifts a person to a persona, an enterprise, a segment, a market",
    text_param: None,
    number_params: &[],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, ctx: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    apply(text, how.rate, ctx.lexicon, rng)
}

/// Every rung above "I" is plural ("business leaders"), which agrees with what follows "I"
/// except "am" and "was": "I was" stays, rather than become "decision makers was".
pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    replace_phrases_except(text, &lexicon.ladder_up, rate, OperatorKind::Abstract, rng, i_before_its_verb)
}

fn i_before_its_verb(text: &Text, i: usize) -> bool {
    let (i_key, verbs) = &*I_AND_ITS_VERBS;
    text.words[i].key == *i_key && text.words.get(i + 1).is_some_and(|next| verbs.contains(&next.key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::new_problems;
    use crate::operators::test_support::{on, stream};

    /// Regression: "I am putting an extreme case" became "Department heads am putting…", and
    /// "I was quite well" "Decision makers was quite well".
    #[test]
    fn department_heads_am_and_decision_makers_was() {
        let lex = Lexicon::built_in();
        for text in ["I am putting an extreme case.", "I was quite well but a moment ago.", "But I wasn't going to tell anyone."] {
            for seed in 0..20 {
                let out = on(text, |t| apply(t, 1.0, &lex, &mut stream(seed)));
                assert_eq!(new_problems(text, &out.message, &[]), [], "{}", out.message);
            }
        }
        // "I" before any other verb still climbs
        let out = on("I need them back.", |t| apply(t, 1.0, &lex, &mut stream(1)));
        assert!(!out.message.starts_with("I "), "{}", out.message);
    }
}
