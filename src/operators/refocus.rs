//! The hop's own agenda takes over: a sentence about it leads the message and, where the
//! message has more than one sentence, pushes one of the customer's sentences out.

use rand::RngExt;
use rand::seq::IndexedRandom;

use super::{Edit, OperatorKind, Stream, fill, finish, insert_sentence};
use crate::lexicon::Lexicon;
use crate::text::Text;


/// `refocus` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "refocus",
    summary: "replaces the focus with the hop's own agenda (`to:`)",
    text_param: Some("to"),
    number_params: &[],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, ctx: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    apply(text, how.rate, how.operator.text.as_deref(), ctx.lexicon, rng)
}

pub fn apply(text: &mut Text, rate: f64, to: Option<&str>, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    if rate <= 0.0 || !rng.random_bool(rate) {
        return Vec::new();
    }
    let agenda = match to {
        Some(t) => t.to_string(),
        None => match lexicon.data.agendas.choose(rng) {
            Some(a) => a.clone(),
            None => return Vec::new(),
        },
    };
    let frame = lexicon.data.agenda_frames.choose(rng).map_or("It's really about {agenda}.", String::as_str);
    let sentence = fill(frame, "agenda", &agenda);
    let mut edits = Vec::new();
    let sentences = text.sentences();
    if sentences.len() >= 2 {
        let (a, b) = sentences[rng.random_range(0..sentences.len())];
        let before = text.span_text(a, b);
        text.splice(a, b, "");
        edits.push(Edit::new(OperatorKind::Refocus, before, sentence.clone()));
    } else {
        edits.push(Edit::new(OperatorKind::Refocus, "", sentence.clone()));
    }
    insert_sentence(text, 0, &sentence);
    finish(text, edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::test_support::{on, stream};

    #[test]
    fn the_agenda_leads() {
        let lex = Lexicon::built_in();
        let out = on("We keep losing adjusters. I need them back.", |t| apply(t, 1.0, Some("emotional brand story"), &lex, &mut stream(2)));
        assert!(out.message.contains("emotional brand story"), "{}", out.message);
        assert_eq!(out.edits.len(), 1);
    }
}
