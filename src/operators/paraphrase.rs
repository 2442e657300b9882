//! Retelling in one's own words: people keep the gist of what they heard and lose its wording,
//! the more so the longer it was (with a `capacity`).
//!
//! Two sources, each word changing at most once per hop:
//!
//! - **Words** from the dictionary ([`crate::wordnet`]): a content word is swapped for
//!   another word of its commonest sense ("nearly" → "almost", "automobile" → "car"), with
//!   probability `rate`, where the dictionary is fairly sure that sense is what the word
//!   means (half its tagged uses or more: "flight" is a formation of aircraft in only one of
//!   three, so it stays). The swap keeps the part
//!   of speech (a word the dictionary has as a noun and a verb changes only where the word
//!   before it says which it is: "the report", "they report") and the inflection (a plural
//!   stays plural, a past tense past; a substitute whose form the dictionary does not hold as
//!   a regular one, such as "gave", is never used). Substitutes are everyday words, not much
//!   rarer than the word they replace. A word is never swapped back into one of the
//!   original's words, so wording drifts one way down a chain instead of flipping back and
//!   forth. Names, numbers, words inside a fixed phrase with a number ("a 37 year old") and
//!   the teller's own hedges are left alone.
//! - **Phrases** from the lexicon's `paraphrases` of two words or more ("the police" →
//!   "officers"), where the phrase pins down the grammatical role.
//!
//! `synonym` is a role's habit of swapping the customer's words for near-synonyms in the
//! customer's own register (`synonyms`); `paraphrase` is what anyone retelling a message does
//! to everyday words.

use rand::RngExt;
use rand::seq::IndexedRandom;

use super::{Edit, OperatorKind, Stream, finish, replace_phrases_except};
use crate::lexicon::Lexicon;
use crate::text::{Small, Text, capitalise};
use crate::wordnet::{self, Inflection, Pos};

/// A substitute may be this much rarer than the word it replaces (in informativeness, 0-1),
/// and no rarer than [`RAREST`]: people retell in everyday words, not in "aeroplane" and
/// "constabulary".
const RARER_BY: f64 = 0.1;
const RAREST: f64 = 0.78;


/// `paraphrase` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "paraphrase",
    summary: "rewords what it retells in commoner words of the same sense, or broader ones (`capacity`)",
    text_param: None,
    number_params: &[super::Param::Capacity],
    apply: run,
};

fn run(text: &mut Text, how: &super::Applied, ctx: &super::Context, rng: &mut super::Stream) -> Vec<super::Edit> {
    apply(text, how.rate, ctx.lexicon, ctx.customer_words, rng)
}

pub fn apply(text: &mut Text, rate: f64, lexicon: &Lexicon, original: &Text, rng: &mut Stream) -> Vec<Edit> {
    if rate <= 0.0 || text.words.is_empty() {
        return Vec::new();
    }
    let hedges = lexicon.hedges(text);
    let mut edits = reword(text, rate, lexicon, &hedges, original, rng);
    // the phrase pass changes the number of words, so it knows the hedges by their words
    let hedge_words: Vec<crate::text::Key> = text.words.iter().zip(&hedges).filter(|(_, h)| **h).map(|(w, _)| w.key).collect();
    let reworded: Vec<Small> = edits.iter().map(|e| e.after.clone()).collect();
    let table = lexicon.paraphrases();
    edits.extend(replace_phrases_except(text, table, rate, OperatorKind::Paraphrase, rng, |t, i| {
        let w = &t.words[i];
        is_name(t, i)
            || hedge_words.contains(&w.key)
            || reworded.contains(&w.text)
            // one-word entries would ignore the part of speech: phrases only
            || table.longest_match(&t.words, i, |len| len >= 2 && t.is_phrase_span(i, i + len)).is_none()
    }));
    finish(text, edits)
}

/// The word-by-word swaps.
fn reword(text: &mut Text, rate: f64, lexicon: &Lexicon, hedges: &[bool], original: &Text, rng: &mut Stream) -> Vec<Edit> {
    let table = wordnet::table();
    let mut edits = Vec::new();
    for i in 0..text.words.len() {
        if hedges.get(i).copied().unwrap_or(false)
            || lexicon.stopwords.contains(text.words[i].key)
            || is_name(text, i)
            || beside_number(text, i)
        {
            continue;
        }
        let Some((choices, pos, several)) = substitutes(table, lexicon, &text.words[i].text) else { continue };
        if (several && !context_says(text, i, pos)) || (pos == Pos::Verb && takes_a_verb_or_particle(text, i)) {
            continue;
        }
        if !rng.random_bool(rate) {
            continue;
        }
        // never back into the original's words: a chain's wording moves one way
        let fresh: Vec<&str> = choices
            .into_iter()
            .filter(|f| {
                let key = crate::text::key_of(f);
                !original.words.iter().any(|w| w.key == key)
            })
            .collect();
        let Some(&choice) = fresh.choose(rng) else { continue };
        let before = text.words[i].text.clone();
        let after: Small =
            if text.starts_sentence(i) && before.starts_with(char::is_uppercase) { capitalise(choice) } else { choice.into() };
        text.words[i].set_text(after.clone());
        edits.push(Edit::new(OperatorKind::Paraphrase, before, after));
    }
    edits
}

/// Words after which a word is a noun ("the passes"), and after which it is a verb ("they
/// pass", "to pass", "was passing").
const BEFORE_NOUNS: &[&str] = &[
    "a", "all", "an", "any", "both", "each", "every", "few", "her", "his", "its", "many", "my", "no", "our", "several", "some", "that",
    "the", "their", "these", "this", "those", "your",
];
const BEFORE_VERBS: &[&str] = &[
    "can", "could", "did", "do", "does", "he", "i", "it", "may", "might", "must", "she", "should", "they", "to", "we", "will", "would",
    "you",
];
const BEFORE_PARTICIPLES: &[&str] = &["am", "are", "be", "been", "being", "had", "has", "have", "is", "was", "were"];

/// True when the word before word `i` says it is used as `pos`: what a word the dictionary
/// has as a noun and a verb needs before it is swapped, since "boarding passes" must not
/// become "boarding goes".
fn context_says(text: &Text, i: usize, pos: Pos) -> bool {
    let Some(previous) = i.checked_sub(1).map(|p| text.words[p].text.to_ascii_lowercase()) else { return false };
    if !text.is_phrase_span(i - 1, i + 1) {
        return false;
    }
    let word = text.words[i].text.to_ascii_lowercase();
    match pos {
        Pos::Noun => BEFORE_NOUNS.contains(&previous.as_str()),
        Pos::Verb if word.ends_with("ing") || word.ends_with("ed") => BEFORE_PARTICIPLES.contains(&previous.as_str()),
        Pos::Verb => BEFORE_VERBS.contains(&previous.as_str()),
        _ => false,
    }
}

/// How surely a word must mean its commonest sense to be swapped for a synonym of it.
const SURE: f64 = 0.5;

/// Words after a verb that make it part of a phrase: "keep losing", "want to", "give up".
const PARTICLES: &[&str] = &["about", "after", "away", "back", "down", "in", "into", "off", "on", "out", "over", "to", "up"];

/// True when the verb at `i` goes with the word after it ("keep losing", "give up"): a
/// synonym of the verb alone breaks the phrase ("maintain losing").
fn takes_a_verb_or_particle(text: &Text, i: usize) -> bool {
    text.words.get(i + 1).is_some_and(|w| {
        let next = w.text.to_ascii_lowercase();
        text.is_phrase_span(i, i + 2) && (PARTICLES.contains(&next.as_str()) || (next.len() > 4 && next.ends_with("ing")))
    })
}

/// The words that may stand in for `word` (any case) with its inflection, the part of
/// speech they share, and whether the dictionary has `word` as another part of speech too;
/// `None` when there are none.
fn substitutes(table: &'static wordnet::WordNet, lexicon: &Lexicon, word: &str) -> Option<(Vec<&'static str>, Pos, bool)> {
    let found = dictionary_substitutes(table, word)?;
    let forms: Vec<&'static str> = found.forms.iter().filter(|(_, base)| !lexicon.stopwords.contains(*base)).map(|(f, _)| *f).collect();
    (!forms.is_empty()).then_some((forms, found.pos, found.several))
}

/// What the dictionary offers for a word, whatever the lexicon: each substitute's form and
/// the key of its base form (for the lexicon's stop words).
struct Found {
    forms: Vec<(&'static str, crate::text::Key)>,
    pos: Pos,
    several: bool,
}

/// Words looked up per thread: every hop of every run meets the same words, and a lookup
/// (base form, part of speech, inflected synonyms) costs a dozen searches of the table.
const CACHED_WORDS: usize = 1 << 16;

fn dictionary_substitutes(table: &'static wordnet::WordNet, word: &str) -> Option<std::rc::Rc<Found>> {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<crate::text::Key, Option<std::rc::Rc<Found>>, foldhash::fast::FixedState>> = Default::default();
    }
    let key = crate::text::key_of(word);
    if let Some(hit) = CACHE.with_borrow(|c| c.get(&key).cloned()) {
        return hit;
    }
    let found = look_up(table, word).map(std::rc::Rc::new);
    CACHE.with_borrow_mut(|c| {
        if c.len() >= CACHED_WORDS {
            c.clear();
        }
        c.insert(key, found.clone());
    });
    found
}

fn look_up(table: &'static wordnet::WordNet, word: &str) -> Option<Found> {
    if !word.chars().all(|c| c.is_ascii_alphabetic()) || word.len() < 3 {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let (base, inflection) = table.base_form(&lower)?;
    let pos = table.only_pos(base)?;
    if table.dominance(base) < SURE {
        return None;
    }
    if inflection != Inflection::Base && !matches!(pos, Pos::Noun | Pos::Verb) {
        return None;
    }
    let own = table.informativeness(table.find(&lower));
    let forms: Vec<(&'static str, crate::text::Key)> = table
        .synonyms(base)
        .iter()
        .filter(|&&id| table.only_pos(id) == Some(pos))
        .filter_map(|&id| Some((table.inflect(id, inflection)?, crate::text::key_of(table.word(id)))))
        .filter(|(form, _)| {
            let info = table.informativeness(table.find(form));
            form.len() >= 3 && !lower.starts_with(*form) && info <= own + RARER_BY && info <= RAREST
        })
        .collect();
    let several = table.parts_of_speech(base).nth(1).is_some();
    (!forms.is_empty()).then_some(Found { forms, pos, several })
}

/// A word next to a number ("a 37 year old", "5 million", "two weeks") belongs to a fixed
/// phrase: "37 year aged" reads as a mistake, not a rewording.
fn beside_number(text: &Text, i: usize) -> bool {
    let is_number =
        |k: usize| text.words.get(k).is_some_and(|w| w.text.starts_with(|c: char| c.is_ascii_digit()) || crate::analysis::is_number(w));
    (i > 0 && is_number(i - 1)) || (i > 1 && is_number(i - 2) && text.is_phrase_span(i - 2, i + 1)) || is_number(i + 1)
}

/// A capitalised word (not "I") that does not start a sentence, or that starts one and is
/// followed by another capitalised word ("Quarry Road was closed").
fn is_name(text: &Text, i: usize) -> bool {
    let capital = |k: usize| text.words.get(k).is_some_and(|w| w.text.starts_with(char::is_uppercase) && w.text != "I");
    capital(i) && (!text.starts_sentence(i) || (capital(i + 1) && text.is_phrase_span(i, i + 2)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operators::test_support::{on, stream};

    #[test]
    fn everyday_words_are_reworded() {
        let lex = Lexicon::built_in();
        let out = on("The automobile was nearly destroyed when the police arrived.", |t| apply(t, 1.0, &lex, &Text::default(), &mut stream(3)));
        assert!(!out.edits.is_empty(), "nothing reworded: {}", out.message);
        assert!(out.edits.iter().all(|e| e.operator == OperatorKind::Paraphrase));
        assert!(out.message.contains("car") && out.message.contains("almost"), "{}", out.message);
    }

    #[test]
    fn names_stay() {
        let lex = Lexicon::built_in();
        for seed in 0..30 {
            let out = on("Shops on Mill Street closed. Quarry Road stayed open near the Alder River.", |t| {
                apply(t, 1.0, &lex, &Text::default(), &mut stream(seed))
            });
            assert!(out.message.contains("Mill Street") && out.message.contains("Alder River"), "{}", out.message);
        }
    }

    /// Regression: "a 37 year old man" became "a 37 year ancient believe".
    #[test]
    fn a_phrase_with_a_number_stays() {
        let lex = Lexicon::built_in();
        for seed in 0..30 {
            let out = on("A 37 year old man was arrested.", |t| apply(t, 1.0, &lex, &Text::default(), &mut stream(seed)));
            assert!(out.message.contains("37 year old man"), "{}", out.message);
        }
    }

    #[test]
    fn inflection_is_kept() {
        let (table, lex) = (wordnet::table(), Lexicon::built_in());
        let (synonyms, _, _) = substitutes(table, &lex, "automobiles").unwrap();
        assert!(synonyms.contains(&"cars"), "{synonyms:?}");
        // an irregular verb form has no substitute
        assert!(substitutes(table, &lex, "went").is_none());
        // regression: "stayed" became "bed" (a broader "be", and "bed" read as its past)
        assert!(substitutes(table, &lex, "stayed").is_none_or(|(s, _, _)| !s.contains(&"bed")));
        // regression: "took a flight" became "took a formation"
        assert!(substitutes(table, &lex, "flight").is_none());
    }

    /// Regression: "We keep losing" became "We maintain losing".
    #[test]
    fn a_verb_with_its_phrase_stays() {
        let lex = Lexicon::built_in();
        for seed in 0..40 {
            let out = on("We keep losing staff. They gave up.", |t| apply(t, 1.0, &lex, &Text::default(), &mut stream(seed)));
            assert!(out.message.contains("keep losing") && out.message.contains("gave up"), "{}", out.message);
        }
    }

    /// Regression: "boarding passes" became "boarding goes": a noun and verb is swapped only
    /// where the word before says which it is.
    #[test]
    fn a_noun_that_could_be_a_verb_needs_its_context() {
        let lex = Lexicon::built_in();
        for seed in 0..40 {
            let out = on("Officers checked other boarding passes.", |t| apply(t, 1.0, &lex, &Text::default(), &mut stream(seed)));
            assert!(out.message.contains("passes"), "{}", out.message);
        }
    }

    /// Down a chain a word never comes back: "nearly" → "almost" does not turn into
    /// "nearly" again at the next hop.
    #[test]
    fn words_never_flip_back_to_the_original() {
        let lex = Lexicon::built_in();
        let original = "The automobile was nearly destroyed, and the house was quickly sold.";
        let words: Vec<String> = original.split(|c: char| !c.is_alphabetic()).map(str::to_lowercase).collect();
        for seed in 0..20 {
            let mut text = Text::parse(original);
            let mut rng = stream(seed);
            for _ in 0..6 {
                for e in apply(&mut text, 1.0, &lex, &Text::parse(original), &mut rng) {
                    assert!(!words.contains(&e.after.to_lowercase().to_string()), "{} came back: {}", e.after, text.render());
                }
            }
        }
    }
}
