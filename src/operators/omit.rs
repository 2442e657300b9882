//! Forgetting: filler words go first, then whole sentences, then trailing clauses. A
//! sentence keeps its first clause (where its subject and verb usually are), so what is left
//! still reads as a sentence, and the message always keeps at least one sentence.
//!
//! Each level has its own rate: `rate` for fillers, `clause` and `sentence` (by default the
//! shares of `rate` below). With a `capacity` all three scale with the message's length (see
//! [`super::load`]), which is how people lose whole sentences of a long story and almost
//! nothing of a short remark.

use rand::RngExt;

use super::{Edit, OperatorKind, Stream, finish};
use crate::lexicon::Lexicon;
use crate::text::Text;
use crate::wordnet::Pos;

/// Without `clause` and `sentence`, a clause is dropped with probability `rate ×
/// CLAUSE_SHARE`, a sentence with `rate × SENTENCE_SHARE`: people lose words more often than
/// whole thoughts.
pub(crate) const CLAUSE_SHARE: f64 = 0.5;
pub(crate) const SENTENCE_SHARE: f64 = 0.3;

/// The probabilities of each level of forgetting, as they apply to this message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    pub fillers: f64,
    pub clause: f64,
    pub sentence: f64,
    pub detail: f64,
}

impl Rates {
    /// The rates a plain `omit: RATE` has.
    pub fn of(rate: f64) -> Rates {
        Rates { fillers: rate, clause: rate * CLAUSE_SHARE, sentence: rate * SENTENCE_SHARE, detail: 0.0 }
    }
}


/// `omit` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "omit",
    summary: "drops filler words, clauses and whole sentences (`clause`, `sentence`, `capacity`)",
    text_param: None,
    number_params: &[super::Param::Clause, super::Param::Sentence, super::Param::Detail, super::Param::Capacity],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, ctx: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    let op = how.operator;
    let rates = match (op.clause, op.sentence, op.detail, op.capacity) {
        // as before the parameters existed: the shares of the rate, exactly
        (None, None, None, None) => Rates::of(how.rate),
        _ => Rates {
            fillers: how.rate,
            clause: op.param(super::Param::Clause).unwrap_or(0.0) * how.load,
            sentence: op.param(super::Param::Sentence).unwrap_or(0.0) * how.load,
            detail: op.param(super::Param::Detail).unwrap_or(0.0) * how.load,
        },
    };
    apply(text, rates, ctx.lexicon, rng)
}

pub fn apply(text: &mut Text, rates: Rates, lexicon: &Lexicon, rng: &mut Stream) -> Vec<Edit> {
    if rates.fillers <= 0.0 && rates.clause <= 0.0 && rates.sentence <= 0.0 && rates.detail <= 0.0 {
        return Vec::new();
    }
    let mut edits = Vec::new();
    drop_fillers(text, rates.fillers, lexicon, rng, &mut edits);
    drop_units(text, rates.sentence, Weighting::LoseTheEnd, rng, &mut edits, |t| vec![(0, t.words.len())], |t, _| t.sentences());
    drop_units(text, rates.clause, Weighting::Even, rng, &mut edits, Text::sentences, |t: &Text, s| trailing_clauses(t, s, lexicon));
    drop_details(text, rates.detail, lexicon, rng, &mut edits);
    drop_modifiers(text, rates.detail, lexicon, rng, &mut edits);
    finish(text, edits)
}

/// The clauses of sentence `a..b` that may be dropped: after the first, those that open like a
/// clause that adds to the sentence ("…, which nobody saw coming", "…, not stuck in …",
/// "…, adding twenty minutes"; the lexicon's `clause_openers`, and words in "-ing"). Any other
/// clause after a comma may hold the sentence's verb ("The coin, minted in 1650, disappeared
/// …", "At its heart, this is about …") and stays, so what is left still reads as a sentence.
fn trailing_clauses(text: &Text, (a, b): (usize, usize), lexicon: &Lexicon) -> Vec<(usize, usize)> {
    text.clauses(a, b)
        .into_iter()
        .skip(1)
        .filter(|&(x, _)| {
            let first = &text.words[x];
            lexicon.clause_openers.contains(first.key) || (first.text.len() > 4 && first.text.to_lowercase().ends_with("ing"))
        })
        .collect()
}

/// The longest detail [`drop_details`] takes, in words.
const MAX_DETAIL: usize = 5;

/// Drops details: a clause's closing prepositional phrase ("closed on Tuesday", "a cheque for
/// fifty dollars"), from a preposition to the clause's end, at most [`MAX_DETAIL`] words and
/// holding a content word; then, with the same probability, the detail that now closes the
/// clause ("closed on Tuesday after heavy rain" → "closed on Tuesday" → "closed"). The clause
/// keeps at least its first two words, so what is left still has a subject and a verb, and
/// the word before a detail must be a content word: a phrase after "was" or "them" ("was in
/// 1987", "put them in the car") is what the clause says, not a detail of it.
fn drop_details(text: &mut Text, p: f64, lexicon: &Lexicon, rng: &mut Stream, edits: &mut Vec<Edit>) {
    if p <= 0.0 {
        return;
    }

    let clauses: Vec<(usize, usize)> = text.sentences().into_iter().flat_map(|(a, b)| text.clauses(a, b)).collect();
    for (a, mut b) in clauses.into_iter().rev() {
        while let Some(start) = closing_detail(text, a, b, lexicon) {
            if !rng.random_bool(p) {
                break;
            }
            let before = text.span_text(start, b);
            text.splice(start, b, "");
            edits.push(Edit::new(OperatorKind::Omit, before, ""));
            b = start;
        }
    }
}

/// Where the detail closing clause `a..b` starts, if it has one.
fn closing_detail(text: &Text, a: usize, b: usize, lexicon: &Lexicon) -> Option<usize> {
    let first = (a + 2).max(b.saturating_sub(MAX_DETAIL));
    let start = (first..b).find(|&i| lexicon.prepositions.contains(text.words[i].key))?;
    let content = text.words[start + 1..b].iter().any(|w| !lexicon.stopwords.contains(w.key));
    (content && !lexicon.stopwords.contains(text.words[start - 1].key)).then_some(start)
}

/// Words a modifier may not be: dropping them turns what is said around ("barely enough").
/// Nor may one that points rather than describes ("the next day", "the same man").
const MEANINGFUL_MODIFIERS: &[&str] = &[
    "almost", "barely", "first", "hardly", "last", "nearly", "never", "next", "not", "only", "other", "rarely", "same", "scarcely",
    "seldom",
];

/// Drops modifiers, with the probability of a detail: an adjective right before a noun ("a
/// tragic incident" → "an incident") and an adverb in -ly ("allegedly responsible"). Only
/// words the dictionary has as nearly always an adjective or an adverb go, and never one
/// that turns the meaning around ("barely", "only") or a name.
fn drop_modifiers(text: &mut Text, p: f64, lexicon: &Lexicon, rng: &mut Stream, edits: &mut Vec<Edit>) {
    if p <= 0.0 {
        return;
    }
    let pos_of = |w: &str| -> Option<Pos> { only_pos(w) };
    let mut i = text.words.len();
    while i > 0 {
        i -= 1;
        let w = &text.words[i];
        if i + 1 >= text.words.len()
            || lexicon.stopwords.contains(w.key)
            || !w.text.chars().all(|c| c.is_ascii_lowercase())
            || MEANINGFUL_MODIFIERS.contains(&w.text.as_str())
            || crate::analysis::is_number(w)
            || !text.is_phrase_span(i, i + 2)
        {
            continue;
        }
        let droppable = match pos_of(&w.text) {
            Some(Pos::Adjective) => {
                pos_of(&text.words[i + 1].text) == Some(Pos::Noun) && text.words[i + 1].text.starts_with(|c: char| c.is_ascii_lowercase())
            }
            Some(Pos::Adverb) => w.text.ends_with("ly"),
            _ => false,
        };
        if droppable && rng.random_bool(p) {
            let before = w.text.clone();
            text.words.remove(i);
            edits.push(Edit::new(OperatorKind::Omit, before, ""));
        }
    }
}

/// The part of speech a word nearly always has, looked up once per word and thread: every hop
/// of every run asks it of every word.
fn only_pos(word: &str) -> Option<Pos> {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<crate::text::Key, Option<Pos>, foldhash::fast::FixedState>> = Default::default();
    }
    let key = crate::text::key_of(word);
    if let Some(hit) = CACHE.with_borrow(|c| c.get(&key).copied()) {
        return hit;
    }
    let table = crate::wordnet::table();
    let pos = table.base_form(&word.to_ascii_lowercase()).and_then(|(base, _)| table.only_pos(base));
    CACHE.with_borrow_mut(|c| {
        if c.len() >= 1 << 16 {
            c.clear();
        }
        c.insert(key, pos);
    });
    pos
}

fn drop_fillers(text: &mut Text, rate: f64, lexicon: &Lexicon, rng: &mut Stream, edits: &mut Vec<Edit>) {
    if rate <= 0.0 {
        return;
    }
    let mut i = 0;
    while i < text.words.len() {
        let found = lexicon.fillers.longest_match(&text.words, i, |len| text.is_phrase_span(i, i + len));
        match found {
            Some((len, _)) if len < text.words.len() => {
                if rng.random_bool(rate) {
                    let before = text.span_text(i, i + len);
                    text.splice(i, i + len, "");
                    edits.push(Edit::new(OperatorKind::Omit, before, ""));
                } else {
                    i += len;
                }
            }
            _ => i += 1,
        }
    }
}

/// How the chance of losing a unit depends on where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weighting {
    Even,
    /// People keep a story's lead and lose its end: unit k of n goes with probability
    /// p × 2(k + 1)/(n + 1), which averages p, gives the first sentence of eight a fifth of
    /// the average chance and the last nearly twice it; when all would go, the first stays.
    LoseTheEnd,
}

/// Drops units (sentences, or a sentence's trailing clauses) inside each container, last
/// first so indices stay valid; when every unit of a container would go, one stays.
fn drop_units(
    text: &mut Text,
    p: f64,
    weighting: Weighting,
    rng: &mut Stream,
    edits: &mut Vec<Edit>,
    containers: impl Fn(&Text) -> Vec<(usize, usize)>,
    units: impl Fn(&Text, (usize, usize)) -> Vec<(usize, usize)>,
) {
    if p <= 0.0 {
        return;
    }
    for container in containers(text).into_iter().rev() {
        let parts = units(text, container);
        if parts.is_empty() {
            continue;
        }
        let n = parts.len() as f64;
        let drops: Vec<bool> = (0..parts.len())
            .map(|k| match weighting {
                Weighting::Even => rng.random_bool(p),
                Weighting::LoseTheEnd => rng.random_bool((p * 2.0 * (k as f64 + 1.0) / (n + 1.0)).min(1.0)),
            })
            .collect();
        // a sentence's trailing clauses may all go (its first clause stays); sentences keep one
        let whole = parts.first().map(|p| p.0) == Some(container.0) && parts.last().map(|p| p.1) == Some(container.1);
        let keep_one = match weighting {
            _ if !(whole && drops.iter().all(|&d| d)) => usize::MAX,
            Weighting::Even => rng.random_range(0..parts.len()),
            Weighting::LoseTheEnd => 0,
        };
        for (k, &(a, b)) in parts.iter().enumerate().rev() {
            if drops[k] && k != keep_one {
                let before = text.span_text(a, b);
                text.splice(a, b, "");
                edits.push(Edit::new(OperatorKind::Omit, before, ""));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::test_support::{on, stream};

    /// Regression: dropping a sentence's first clause left fragments ("Not locked into …").
    #[test]
    fn a_sentence_keeps_its_first_clause() {
        let lex = Lexicon::built_in();
        for seed in 0..200 {
            let out =
                on("I need them back in the field, not stuck in the claims system.", |t| apply(t, Rates::of(1.0), &lex, &mut stream(seed)));
            assert!(out.message.starts_with("I need them back in the field"), "{}", out.message);
        }
    }

    /// Regression: "At its heart, this is about AI-powered innovation." lost everything but
    /// its lead-in, and "The coin, minted around 1650, disappeared …" its verb.
    #[test]
    fn only_clauses_that_add_to_the_sentence_go() {
        let lex = Lexicon::built_in();
        let clauses = Rates { fillers: 0.0, clause: 1.0, sentence: 0.0, detail: 0.0 };
        for (text, left) in [
            ("At its heart, this is about innovation, not paperwork.", "At its heart, this is about innovation."),
            (
                "The coin, minted around 1650, disappeared in 1984, when a visitor took it.",
                "The coin, minted around 1650, disappeared in 1984.",
            ),
            ("Ines Marlow, a farmer, said the bus is late, adding an hour to the day.", "Ines Marlow, a farmer, said the bus is late."),
        ] {
            assert_eq!(on(text, |t| apply(t, clauses, &lex, &mut stream(1))).message, left);
        }
    }

    #[test]
    fn omission_never_empties_the_message() {
        let lex = Lexicon::built_in();
        for seed in 0..50 {
            let out =
                on("We keep losing staff, really. I need them back, now. Honestly.", |t| apply(t, Rates::of(1.0), &lex, &mut stream(seed)));
            assert!(!out.message.trim().is_empty());
            assert!(out.message.len() < 62);
        }
    }

    /// `clause` and `sentence` act on their own: no sentence goes at `sentence: 0`, and every
    /// trailing clause goes at `clause: 1`.
    #[test]
    fn each_level_has_its_own_rate() {
        let lex = Lexicon::built_in();
        let story = "The bridge closed on Tuesday, after the rain. Buses take a detour, adding twenty minutes. Shops are quiet.";
        for seed in 0..50 {
            let clauses = on(story, |t| apply(t, Rates { fillers: 0.0, clause: 1.0, sentence: 0.0, detail: 0.0 }, &lex, &mut stream(seed)));
            assert_eq!(clauses.message, "The bridge closed on Tuesday. Buses take a detour. Shops are quiet.");
            let sentences =
                on(story, |t| apply(t, Rates { fillers: 0.0, clause: 0.0, sentence: 1.0, detail: 0.0 }, &lex, &mut stream(seed)));
            assert_eq!(sentences.edits.len(), 2, "all but one sentence go: {}", sentences.message);
        }
    }

    /// People keep a story's lead: with every sentence going but one, the first stays.
    #[test]
    fn the_lead_sentence_stays() {
        let lex = Lexicon::built_in();
        let story = "The bridge closed. Buses take a detour. Shops are quiet. Nobody knows when it opens.";
        for seed in 0..50 {
            let out = on(story, |t| apply(t, Rates { fillers: 0.0, clause: 0.0, sentence: 1.0, detail: 0.0 }, &lex, &mut stream(seed)));
            assert!(!out.message.contains("Shops") && !out.message.contains("Nobody"), "{}", out.message);
            if !out.message.contains("bridge") {
                assert_eq!(out.message, "Buses take a detour.");
            }
        }
        // at a lower rate the end goes more often than the lead
        let (mut lead, mut end) = (0, 0);
        for seed in 0..400 {
            let out = on(story, |t| apply(t, Rates { fillers: 0.0, clause: 0.0, sentence: 0.4, detail: 0.0 }, &lex, &mut stream(seed)));
            lead += usize::from(!out.message.contains("bridge"));
            end += usize::from(!out.message.contains("Nobody"));
        }
        assert!(end > 3 * lead, "lead lost {lead} times, end {end}");
    }

    #[test]
    fn modifiers_go_with_the_details() {
        let lex = Lexicon::built_in();
        let all = Rates { fillers: 0.0, clause: 0.0, sentence: 0.0, detail: 1.0 };
        let out = on("They found a tragic scene. Two boys are allegedly responsible.", |t| apply(t, all, &lex, &mut stream(1)));
        assert_eq!(out.message, "They found a scene. Two boys are responsible.");
        // meaning-bearing modifiers stay, and numbers (regression: "three weeks" lost "three")
        for text in ["They barely noticed.", "They came back three weeks later.", "They left the next day."] {
            assert_eq!(on(text, |t| apply(t, all, &lex, &mut stream(1))).message, text);
        }
    }

    #[test]
    fn details_at_the_end_of_a_clause_go() {
        let lex = Lexicon::built_in();
        let all = Rates { fillers: 0.0, clause: 0.0, sentence: 0.0, detail: 1.0 };
        let out =
            on("The bridge closed on Tuesday, and buses took a detour through Wexley. It rained.", |t| apply(t, all, &lex, &mut stream(1)));
        assert_eq!(out.message, "The bridge closed, and buses took a detour. It rained.");
        // the clause keeps its subject and verb; a detail of function words only, or after a
        // function word, stays
        let out = on("Rain fell in torrents. She came in. It was in 1987. Put them in the car.", |t| apply(t, all, &lex, &mut stream(1)));
        assert_eq!(out.message, "Rain fell. She came in. It was in 1987. Put them in the car.");
    }
}
