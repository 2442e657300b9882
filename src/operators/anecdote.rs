//! The hop's last conversation gets into the message: the CRO who just heard "it's all about
//! price" makes sure the campaign says so.

use rand::RngExt;
use rand::seq::IndexedRandom;

use super::{Edit, OperatorKind, Stream, fill, finish, insert_sentence};
use crate::lexicon::Lexicon;
use crate::text::Text;


/// `anecdote` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "anecdote",
    summary: "injects the hop's last conversation (`text:`)",
    text_param: Some("text"),
    number_params: &[],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, ctx: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    apply(text, how.rate, how.operator.text.as_deref(), ctx.lexicon, rng)
}

pub fn apply(text: &mut Text, rate: f64, story: Option<&str>, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    if rate <= 0.0 || !rng.random_bool(rate) {
        return Vec::new();
    }
    let story = match story {
        Some(t) => t.trim().trim_end_matches(['.', '!']).to_string(),
        None => match lexicon.data.anecdotes.choose(rng) {
            Some(a) => a.clone(),
            None => return Vec::new(),
        },
    };
    let frame = lexicon.data.anecdote_frames.choose(rng).map_or("Remember, {anecdote}.", String::as_str);
    let sentence = fill(frame, "anecdote", &story);
    let sentences = text.sentences().len();
    let at = rng.random_range(0..=sentences);
    insert_sentence(text, at, &sentence);
    let edits = vec![Edit::new(OperatorKind::Anecdote, "", sentence)];
    finish(text, edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::test_support::{on, stream};

    #[test]
    fn the_story_gets_in() {
        let lex = Lexicon::built_in();
        let out = on("We keep losing adjusters.", |t| {
            apply(t, 1.0, Some("the last customer I spoke to only cared about price"), &lex, &mut stream(5))
        });
        assert!(out.message.contains("only cared about price"), "{}", out.message);
        assert!(out.message.contains("We keep losing adjusters") || out.message.contains("we keep losing adjusters"));
    }
}
