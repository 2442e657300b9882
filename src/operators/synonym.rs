//! Swapping a word for a near-synonym: harmless one hop at a time, it is what makes
//! the message stop sounding like the customer.

use std::sync::LazyLock;

use super::{Edit, OperatorKind, Stream, replace_phrases_except};
use crate::lexicon::Lexicon;
use crate::text::{Key, Text, key_of};

/// "many" and "much", and the degree words before them that a quantity ("lots of") cannot
/// take: "too many" is not "too plenty of".
static DEGREE: LazyLock<([Key; 2], [Key; 5])> =
    LazyLock::new(|| ([key_of("many"), key_of("much")], [key_of("too"), key_of("so"), key_of("how"), key_of("as"), key_of("very")]));


/// `synonym` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "synonym",
    summary: "swaps words and phrases for near-synonyms",
    text_param: None,
    number_params: &[],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, ctx: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    apply(text, how.rate, ctx.lexicon, rng)
}

pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    replace_phrases_except(text, &lexicon.synonyms, rate, OperatorKind::Synonym, rng, |t, i| {
        after_a_degree_word(t, i) || quantity_without_noun(t, i)
    })
}

/// True for "many"/"much" after "too", "so", "how", "as" or "very".
fn after_a_degree_word(text: &Text, i: usize) -> bool {
    let (quantities, degrees) = &*DEGREE;
    i > 0 && quantities.contains(&text.words[i].key) && degrees.contains(&text.words[i - 1].key)
}

/// True for a quantity used without its noun ("so many came"): its synonyms ("such a number
/// of") need one.
pub(super) fn quantity_without_noun(text: &Text, i: usize) -> bool {
    let (quantities, degrees) = &*DEGREE;
    let key = text.words[i].key;
    let at = if quantities.contains(&key) {
        i + 1
    } else if degrees.contains(&key) && text.words.get(i + 1).is_some_and(|w| quantities.contains(&w.key)) {
        i + 2
    } else {
        return false;
    };
    crate::grammar::no_noun_at(&text.words, at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grammar::new_problems;
    use crate::operators::test_support::{on, stream};

    /// Regression: "Emilia puts too many murders into hers" became "too plenty of murders".
    #[test]
    fn too_plenty_of() {
        let lex = Lexicon::built_in();
        for text in ["Then Emilia puts too many murders into hers.", "I never knew how many there were.", "So many came."] {
            for seed in 0..20 {
                let out = on(text, |t| apply(t, 1.0, &lex, &mut stream(seed)));
                assert_eq!(new_problems(text, &out.message, &[]), [], "{}", out.message);
            }
        }
        // "many" on its own is still reworded
        let out = on("Many people came.", |t| apply(t, 1.0, &lex, &mut stream(1)));
        assert!(!out.message.starts_with("Many "), "{}", out.message);
    }
}
