//! What tellers add: a retelling loses much of what was heard but is rarely only the
//! remainder. Now and then people put a hedge in front of a sentence ("Apparently, …") or a
//! remark after it ("…, or something like that"). With probability `rate` (scaled by the
//! message's length with a `capacity`: a long story collects a remark more often than a
//! one-line quote) a hop adds one, to one sentence: a remark or an opener. A message holds at
//! most one, so hedges never stack ("So they said that I heard that …"); it belongs to its
//! sentence and is forgotten with it. Both come from the lexicon's `comments`.

use rand::RngExt;
use rand::seq::IndexedRandom;

use super::{Edit, OperatorKind, Stream, finish};
use crate::lexicon::{Alternative, Lexicon};
use crate::text::{Small, Text, decapitalise};

/// Words a sentence may open with that an opener must not precede ("So but …").
const CONJUNCTIONS: &[&str] = &["and", "but", "or", "so", "yet", "because", "anyway"];

/// How often an addition is a remark after the sentence rather than an opener before it.
const REMARK_SHARE: f64 = 0.6;


/// `elaborate` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "elaborate",
    summary: "now and then adds the teller's own comment, one per message at most: a hedge, a remark (`capacity`)",
    text_param: None,
    number_params: &[super::Param::Capacity],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, ctx: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    apply(text, how.rate, ctx.lexicon, ctx.customer_words, rng)
}

pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, customer: &Text, rng: &mut Stream) -> Vec<Edit> {
    if rate <= 0.0 || text.words.is_empty() || !rng.random_bool(rate.min(1.0)) {
        return Vec::new();
    }
    // one hedge per message: a message that has one keeps it and gets no other
    if lexicon.hedges(text).contains(&true) {
        return Vec::new();
    }
    let sentences = text.sentences();
    let (a, b) = sentences[rng.random_range(0..sentences.len())];
    let (openers, remarks) = (lexicon.comment_openers(), lexicon.comment_remarks());
    // a sentence that opens by reporting ("she thought that …") or with "and"/"but" takes no
    // opener: "Apparently she thought that …" stacks two hedges
    let no_opener = crate::grammar::opens_with_report(text, a) || CONJUNCTIONS.contains(&text.words[a].text.to_ascii_lowercase().as_str());
    let edit = if (no_opener || rng.random_bool(REMARK_SHARE)) && b - a > 1 {
        let Some(choice) = remarks.choose(rng) else { return Vec::new() };
        add_remark(text, b, choice);
        choice.text.clone()
    } else if !no_opener {
        let Some(choice) = openers.choose(rng) else { return Vec::new() };
        add_opener(text, a, choice, customer);
        choice.text.clone()
    } else {
        return Vec::new();
    };
    finish(text, vec![Edit::new(OperatorKind::Elaborate, "", edit)])
}

/// True when the word at `i` is written with a capital where no sentence starts, in the
/// message or in the customer's words: a name, which keeps its capital wherever it stands.
fn is_name(text: &Text, i: usize, customer: &Text) -> bool {
    let key = text.words[i].key;
    let capitalised_inside =
        |t: &Text| t.words.iter().enumerate().any(|(k, w)| w.key == key && !t.starts_sentence(k) && w.text.starts_with(char::is_uppercase));
    text.words[i].text == "I" || capitalised_inside(text) || capitalised_inside(customer)
}

/// "The bridge closed." → "The bridge closed, or something like that."
fn add_remark(text: &mut Text, end: usize, remark: &Alternative) {
    let closing = std::mem::replace(&mut text.words[end - 1].gap, Small::from(", "));
    let mut words = remark.words.clone();
    if let Some(last) = words.last_mut() {
        last.gap = closing;
    }
    text.words.splice(end..end, words);
}

/// "The bridge closed." → "Apparently the bridge closed."
fn add_opener(text: &mut Text, start: usize, opener: &Alternative, customer: &Text) {
    let mut words = opener.words.clone();
    if let Some(last) = words.last_mut() {
        last.gap = Small::from(format!("{} ", last.gap.trim()));
    }
    // the old first word no longer starts the sentence: it goes to lower case, unless it is a
    // name ("Finch said", "Pepper ran")
    if !is_name(text, start, customer) {
        let first = &mut text.words[start];
        let lower = decapitalise(&first.text);
        first.set_text(lower.into());
    }
    text.words.splice(start..start, words);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::test_support::{on, stream};

    #[test]
    fn a_sentence_gets_a_remark_or_an_opener() {
        let lex = Lexicon::built_in();
        let (mut remarks, mut openers) = (0, 0);
        for seed in 0..60 {
            let out = on("The bridge closed. Buses take a detour!", |t| apply(t, 1.0, &lex, &Text::default(), &mut stream(seed)));
            assert_eq!(out.edits.len(), 1);
            let added = &out.edits[0].after;
            let m = &out.message;
            if m.contains(&format!(", {added}.")) || m.contains(&format!(", {added}!")) {
                remarks += 1;
            } else {
                openers += 1;
                assert!(m.contains("the bridge closed") || m.contains("buses take"), "{m}");
            }
            assert!(m.ends_with('!') && m.chars().next().unwrap().is_uppercase(), "{m}");
        }
        assert!(remarks > 10 && openers > 10, "{remarks} remarks, {openers} openers");
    }

    /// Regression: hedges stacked down a chain ("So they noted that they said that …").
    #[test]
    fn a_message_gets_one_hedge_at_most() {
        let lex = Lexicon::built_in();
        for seed in 0..20 {
            let mut t = Text::parse("The bridge closed. Buses take a detour.");
            let mut rng = stream(seed);
            let added: usize = (0..10).map(|_| apply(&mut t, 1.0, &lex, &Text::default(), &mut rng).len()).sum();
            assert_eq!(added, 1, "{}", t.render());
            assert!(t.render().contains("bridge closed"), "{}", t.render());
        }
    }

    /// Regression: "Apparently she thought that it looked a safe spot."
    #[test]
    fn no_opener_before_a_sentence_that_reports() {
        let lex = Lexicon::built_in();
        for seed in 0..40 {
            for text in ["She thought that it looked a safe spot.", "But she left."] {
                let out = on(text, |t| apply(t, 1.0, &lex, &Text::default(), &mut stream(seed)));
                assert!(out.message.starts_with(&text[..text.len() - 1]), "{}", out.message);
            }
        }
    }

    /// A name keeps its capital behind an opener; a common word loses it.
    #[test]
    fn names_keep_their_capital() {
        let lex = Lexicon::built_in();
        let customer = "A walk with her owner, Alan Finch, ended badly.";
        for seed in 0..40 {
            for (text, word) in [("Finch said he had given up.", "Finch"), ("Business leaders keep losing staff.", "business")] {
                let out = on(text, |t| apply(t, 1.0, &lex, &Text::parse(customer), &mut stream(seed)));
                if out.edits.iter().any(|e| !e.after.is_empty() && out.message.starts_with(&capitalise_first(&e.after))) {
                    assert!(out.message.contains(&format!(" {word} ")), "{}", out.message);
                }
            }
        }
    }

    fn capitalise_first(s: &str) -> String {
        crate::text::capitalise(s).to_string()
    }
}
