//! Broken English, found by rule: the patterns an operator's edit can leave behind that a room
//! watching drift on a projector would read as a bug in the tool ("a 37 year ancient believe",
//! "have been gave", "A number of were hurt", "So they noted that they said that").
//!
//! This is not a grammar checker for English at large. Each pattern is narrow enough that
//! ordinary correct English almost never trips it (the tests measure that on 200 real
//! sentences not written for drift and on drift's own customer texts), so that a problem it
//! reports is nearly always a real one. What it does not catch it says nothing about: a
//! sentence that passes is not thereby correct.
//!
//! The test at the end of this file runs every operator at high rates over those sentences
//! and fails on any problem an operator added ([`new_problems`]: problems the input already
//! had do not count). drift never calls it at run time.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::text::{Key, Text, Word, key_of, lower};
use crate::wordnet::{Inflection, Pos, WordId, table};

/// What kind of broken English a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A determiner followed by a word that cannot start a noun phrase: a verb form ("a
    /// believe", "the gave"), "of", an auxiliary ("the were"), another determiner ("the
    /// our"). Also "a"/"an"/"every" with only adjectives and numbers between it and a verb
    /// ("a 37 year ancient believe"): a noun phrase with no noun.
    DeterminerVerb,
    /// "a number of", "a lot of", "dozens of"... followed by an auxiliary or a verb ("A number
    /// of were hurt"): the quantity lost its noun.
    QuantifierVerb,
    /// have/has/had/been, a modal or do/did before an irregular simple past that is not the
    /// participle ("have been gave", "has went", "will took").
    PastForParticiple,
    /// A subject and a verb that do not agree: "we was", "I is", "business leaders was" (a
    /// plural noun phrase that starts its clause, then a singular verb), "am" without "I".
    Agreement,
    /// Two of drift's own hedges in one sentence ("Apparently …, or something like that"), or
    /// hedges and reporting frames stacked at its start ("So they noted that they said that").
    StackedHedges,
    /// The same hedge used twice in a message ("I heard that … I heard that …").
    RepeatedHedge,
    /// The same word twice in a row ("the the", "to to"); "had had", "that that" and numbers
    /// are fine.
    DoubledWord,
    /// A sentence that starts in lower case, "i" as a pronoun, a capital inside a word.
    Capitalisation,
    /// An adjective that only goes before a noun, used without one ("people were pretty
    /// at-risk about it").
    AttributiveOnly,
    /// A degree word before a quantity that takes none ("too plenty of", "so lots of").
    DegreeQuantity,
    /// "than" after an adjective that is not a comparative ("disastrous than").
    Comparative,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::DeterminerVerb => "determiner without a noun",
            Kind::QuantifierVerb => "quantifier without a noun",
            Kind::PastForParticiple => "simple past for a participle",
            Kind::Agreement => "subject-verb agreement",
            Kind::StackedHedges => "stacked hedges",
            Kind::RepeatedHedge => "repeated hedge",
            Kind::DoubledWord => "doubled word",
            Kind::Capitalisation => "capitalisation",
            Kind::AttributiveOnly => "attributive-only adjective without a noun",
            Kind::DegreeQuantity => "degree word before a quantity",
            Kind::Comparative => "\"than\" without a comparative",
        }
    }
}

/// One piece of broken English: its kind and the words that show it, lower-cased (so that a
/// problem an input already had is recognised in the output wherever it moved).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Problem {
    pub kind: Kind,
    pub excerpt: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}: \"{}\"", self.kind.name(), self.excerpt)
    }
}

/// Every problem of `text`, in the order found.
pub fn problems(text: &str) -> Vec<Problem> {
    let t = Text::parse(text);
    let words = Words::new(&t);
    let mut out = Vec::new();
    determiners(&words, &mut out);
    quantifiers(&words, &mut out);
    participles(&words, &mut out);
    agreement(&words, &mut out);
    hedges(&words, &mut out);
    doubled(&words, &mut out);
    capitals(&words, &mut out);
    attributive(&words, &mut out);
    degree(&words, &mut out);
    comparative(&words, &mut out);
    out
}

/// The problems of `output` that `input` did not have (by kind and excerpt, counting
/// repeats): what an edit added. `also` holds further texts whose problems do not count (the
/// customer's words, which `listen` restores).
pub fn new_problems(input: &str, output: &str, also: &[&str]) -> Vec<Problem> {
    let had: Vec<Problem> = std::iter::once(input).chain(also.iter().copied()).flat_map(problems).collect();
    added(problems(output), &had)
}

/// The problems of `output` not in `had`, counting repeats. Two stacked-hedge problems are
/// the same when they share a hedge: a later edit that rewords one of a sentence's hedges
/// ("at least that's what I heard" → "… what department heads heard") leaves the stack it
/// was already part of, and adds nothing.
pub fn added(output: Vec<Problem>, had: &[Problem]) -> Vec<Problem> {
    let mut left: Vec<Option<&Problem>> = had.iter().map(Some).collect();
    output
        .into_iter()
        .filter(|p| {
            let exact = left.iter().position(|h| h.is_some_and(|h| h == p));
            let similar = || left.iter().position(|h| h.is_some_and(|h| same_stack(h, p)));
            match exact.or_else(similar) {
                Some(k) => {
                    left[k] = None;
                    false
                }
                None => true,
            }
        })
        .collect()
}

fn same_stack(a: &Problem, b: &Problem) -> bool {
    a.kind == Kind::StackedHedges && b.kind == Kind::StackedHedges && a.excerpt.split(" … ").any(|h| b.excerpt.split(" … ").any(|g| g == h))
}

/// The parsed text with what the rules ask of each word worked out once.
struct Words<'a> {
    t: &'a Text,
    /// Lower-cased words.
    lower: Vec<crate::text::Small>,
    /// True where a sentence starts.
    starts: Vec<bool>,
}

impl<'a> Words<'a> {
    fn new(t: &'a Text) -> Words<'a> {
        let lower = t.lower_words();
        let starts = (0..t.words.len()).map(|i| t.starts_sentence(i)).collect();
        Words { t, lower, starts }
    }

    fn len(&self) -> usize {
        self.t.words.len()
    }

    fn w(&self, i: usize) -> &str {
        &self.lower[i]
    }

    fn word(&self, i: usize) -> &Word {
        &self.t.words[i]
    }

    /// True when only white space lies between word `i` and the next: they are in one clause.
    fn joined(&self, i: usize) -> bool {
        i + 1 < self.len() && is_space(&self.t.words[i].gap)
    }

    /// True when word `i` is written with a capital although no sentence starts there: a name.
    fn is_name(&self, i: usize) -> bool {
        !self.starts[i] && self.t.words[i].text.starts_with(char::is_uppercase)
    }

    /// Words `from..to`, as written, lower-cased.
    fn excerpt(&self, from: usize, to: usize) -> String {
        lower(&self.t.span_text(from, to.min(self.len()))).to_string()
    }
}

fn is_space(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(char::is_whitespace)
}

fn is_number(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_ascii_digit()) && w.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '%'))
}

/// Irregular verbs whose simple past is not their participle, as (past, participle): general
/// English knowledge, kept short. Pasts that are also nouns or adjectives in their own right
/// ("saw", "rose", "fell", "bit", "lay", "bore", "slew") are left out, since they could
/// follow a determiner or "have" correctly. `broke` is an adjective too ("the broke
/// student"), so it counts only after have/been ([`past_after_have`]).
const PAST_NOT_PARTICIPLE: &[(&str, &str)] = &[
    ("arose", "arisen"),
    ("ate", "eaten"),
    ("awoke", "awoken"),
    ("became", "become"),
    ("began", "begun"),
    ("blew", "blown"),
    ("came", "come"),
    ("chose", "chosen"),
    ("did", "done"),
    ("drank", "drunk"),
    ("drew", "drawn"),
    ("drove", "driven"),
    ("flew", "flown"),
    ("forbade", "forbidden"),
    ("forgave", "forgiven"),
    ("forgot", "forgotten"),
    ("froze", "frozen"),
    ("gave", "given"),
    ("went", "gone"),
    ("grew", "grown"),
    ("hid", "hidden"),
    ("knew", "known"),
    ("mistook", "mistaken"),
    ("overcame", "overcome"),
    ("overtook", "overtaken"),
    ("ran", "run"),
    ("rang", "rung"),
    ("rode", "ridden"),
    ("sang", "sung"),
    ("sank", "sunk"),
    ("shook", "shaken"),
    ("shrank", "shrunk"),
    ("spoke", "spoken"),
    ("sprang", "sprung"),
    ("stank", "stunk"),
    ("stole", "stolen"),
    ("strode", "stridden"),
    ("strove", "striven"),
    ("swam", "swum"),
    ("swore", "sworn"),
    ("threw", "thrown"),
    ("took", "taken"),
    ("tore", "torn"),
    ("undertook", "undertaken"),
    ("underwent", "undergone"),
    ("withdrew", "withdrawn"),
    ("woke", "woken"),
    ("wore", "worn"),
    ("wove", "woven"),
    ("wrote", "written"),
];

fn is_past_not_participle(w: &str) -> bool {
    PAST_NOT_PARTICIPLE.iter().any(|(p, _)| *p == w)
}

fn past_after_have(w: &str) -> bool {
    is_past_not_participle(w) || w == "broke"
}

/// Base verbs WordNet lists only as verbs that business English uses as nouns all the same
/// ("the ask", "the spend").
const VERBS_USED_AS_NOUNS: &[&str] = &["ask", "spend", "reveal", "invite", "fail", "solve", "hire", "learn", "must", "ought"];

/// True for a word that can only be a verb form: an irregular simple past of
/// [`PAST_NOT_PARTICIPLE`], or a base form that WordNet lists as a verb and nothing else
/// ("believe", "seem") and that is no other word's inflection.
fn verb_only(w: &str) -> bool {
    if is_past_not_participle(w) {
        return true;
    }
    if VERBS_USED_AS_NOUNS.contains(&w) {
        return false;
    }
    let t = table();
    let Some(id) = t.find(w) else { return false };
    matches!(t.base_form(w), Some((base, Inflection::Base)) if base == id) && t.lemmas(id) == [id] && t.parts_of_speech(id).eq([Pos::Verb])
}

/// True when no noun can start at word `j` of `words`, whose previous word is a quantity
/// ("so many", "too many") that an edit may turn into one that needs its noun ("such a
/// number of"): the text ends there, or punctuation comes first, or an auxiliary or a verb
/// follows ("so many came", "too many were hurt"). Operators ask it before such an edit.
pub(crate) fn no_noun_at(words: &[Word], j: usize) -> bool {
    let Some(next) = words.get(j) else { return true };
    if j > 0 && !is_space(&words[j - 1].gap) {
        return true;
    }
    let w = lower(&next.text);
    AUXILIARIES.contains(&w.as_str()) || verb_only(&w)
}

/// True for a word whose base form is nearly always `pos` (WordNet's tags).
fn mostly(w: &str, pos: Pos) -> bool {
    let t = table();
    let Some(id) = t.find(w) else { return false };
    let lemmas = t.lemmas(id);
    !lemmas.is_empty() && lemmas.iter().all(|&l| t.only_pos(l) == Some(pos))
}

const AUXILIARIES: &[&str] = &[
    "am",
    "is",
    "are",
    "was",
    "were",
    "been",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "hadn't",
    "doesn't",
    "didn't",
    "won't",
    "wouldn't",
    "can't",
    "couldn't",
    "shouldn't",
];

/// Words that end a noun phrase's determiner (after "a", "the", "our"...): a noun phrase
/// cannot go on with any of them.
const NEVER_AFTER_DETERMINER: &[&str] = &[
    "of",
    "is",
    "are",
    "was",
    "were",
    "been",
    "has",
    "have",
    "had",
    "would",
    "could",
    "should",
    "shall",
    "the",
    "a",
    "an",
    "my",
    "our",
    "your",
    "their",
    "its",
    "every",
    "we",
    "they",
    "he",
    "she",
    "i",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "wouldn't",
    "couldn't",
    "shouldn't",
    "doesn't",
    "didn't",
    "won't",
    "can't",
];

/// Determiners and possessives a noun must follow.
const DETERMINERS: &[&str] = &["a", "an", "the", "every", "my", "your", "our", "their", "its"];

fn determiners(words: &Words, out: &mut Vec<Problem>) {
    for i in 0..words.len() {
        let d = words.w(i);
        if !DETERMINERS.contains(&d) || !words.joined(i) {
            continue;
        }
        // "grade A is", "vitamin A": a capital A inside a sentence is a letter
        if d == "a" && words.is_name(i) {
            continue;
        }
        let next = i + 1;
        let n = words.w(next);
        if words.is_name(next) {
            continue;
        }
        // "from a to b", "a and b": "a" as a letter
        let letter = d == "a" && matches!(n, "to" | "and" | "or");
        // "the the" is a doubled word, and counts once
        if !letter && n != d && (NEVER_AFTER_DETERMINER.contains(&n) || verb_only(n)) {
            out.push(Problem { kind: Kind::DeterminerVerb, excerpt: words.excerpt(i, next + 1) });
            continue;
        }
        // "a 37 year ancient believe": adjectives and numbers, then a verb
        if matches!(d, "a" | "an" | "every") {
            let mut k = next;
            let mut modifiers = 0;
            while k < words.len() && words.joined(k) && !words.is_name(k) {
                let w = words.w(k);
                let after_number = k > next && is_number(words.w(k - 1));
                if is_number(w) || after_number || (mostly(w, Pos::Adjective) && !verb_only(w) && !QUANTITY.contains(&w)) {
                    modifiers += 1;
                    k += 1;
                } else {
                    break;
                }
            }
            if modifiers > 0 && k < words.len() && !words.is_name(k) && verb_only(words.w(k)) {
                out.push(Problem { kind: Kind::DeterminerVerb, excerpt: words.excerpt(i, k + 1) });
            }
        }
    }
}

/// Words after "a" that make a quantity rather than a noun phrase ("a few believe", "a
/// great many went").
const QUANTITY: &[&str] = &["few", "little", "lot", "number", "couple", "bit", "great", "good", "many", "handful", "dozen"];

/// Quantities that must be followed by a noun: "a number of", "lots of", "dozens of".
const QUANTIFIERS: &[&[&str]] = &[
    &["a", "number", "of"],
    &["a", "lot", "of"],
    &["lots", "of"],
    &["a", "couple", "of"],
    &["a", "few", "of"],
    &["plenty", "of"],
    &["dozens", "of"],
    &["hundreds", "of"],
    &["thousands", "of"],
    &["millions", "of"],
    &["a", "bunch", "of"],
    &["a", "handful", "of"],
    &["a", "mountain", "of"],
    &["an", "avalanche", "of"],
    &["mountains", "of"],
    &["countless"],
];

fn quantifiers(words: &Words, out: &mut Vec<Problem>) {
    for i in 0..words.len() {
        for q in QUANTIFIERS {
            let end = i + q.len();
            if end >= words.len() || !(i..end).all(|k| words.joined(k) && words.w(k) == q[k - i]) {
                continue;
            }
            let n = words.w(end);
            if !words.is_name(end) && (AUXILIARIES.contains(&n) || verb_only(n)) {
                out.push(Problem { kind: Kind::QuantifierVerb, excerpt: words.excerpt(i, end + 1) });
            }
        }
    }
}

/// Words that take a participle after them, not a simple past.
const TAKES_PARTICIPLE: &[&str] =
    &["have", "has", "had", "having", "been", "being", "haven't", "hasn't", "hadn't", "i've", "we've", "they've", "you've"];

/// Words that take a base form after them.
const TAKES_BASE: &[&str] = &[
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "do",
    "does",
    "did",
    "won't",
    "wouldn't",
    "can't",
    "couldn't",
    "shouldn't",
    "don't",
    "doesn't",
    "didn't",
];

/// Adverbs that may stand between an auxiliary and its verb.
const BETWEEN: &[&str] =
    &["not", "never", "already", "just", "always", "ever", "also", "really", "recently", "even", "often", "once", "still"];

fn participles(words: &Words, out: &mut Vec<Problem>) {
    for i in 0..words.len() {
        let a = words.w(i);
        let (participle, base) = (TAKES_PARTICIPLE.contains(&a), TAKES_BASE.contains(&a));
        if !participle && !base {
            continue;
        }
        let mut k = i;
        while k < words.len() && words.joined(k) && k + 1 < words.len() && BETWEEN.contains(&words.w(k + 1)) && k < i + 2 {
            k += 1;
        }
        if !words.joined(k) {
            continue;
        }
        let v = words.w(k + 1);
        if words.is_name(k + 1) {
            continue;
        }
        // "have been gave"; "been" itself after "have" is fine and checked as the next auxiliary
        if (participle && past_after_have(v)) || (base && is_past_not_participle(v)) {
            out.push(Problem { kind: Kind::PastForParticiple, excerpt: words.excerpt(i, k + 2) });
        }
    }
}

/// Irregular verbs whose past is their base form: "she cut", "he put" are past tenses.
const PAST_LIKE_BASE: &[&str] = &[
    "bet", "burst", "cast", "cost", "cut", "fit", "hit", "hurt", "let", "put", "quit", "read", "set", "shed", "shut", "split", "spread",
    "thrust", "upset", "be", "wet",
];

/// True for a base form that is mostly a verb: its own only base form, a verb in WordNet, and
/// tagged as a verb at least half as often as as anything else ("lack", "need"; not "still",
/// "just").
fn mainly_verb(w: &str) -> bool {
    if AUXILIARIES.contains(&w) || TAKES_BASE.contains(&w) {
        return false;
    }
    let t = table();
    t.find(w).is_some_and(|id| {
        let tags = t.tags(id);
        let verb = tags[1];
        matches!(t.base_form(w), Some((b, Inflection::Base)) if b == id)
            && t.lemmas(id) == [id]
            && t.parts_of_speech(id).any(|p| p == Pos::Verb)
            && tags.iter().all(|&n| u32::from(n) <= 2 * u32::from(verb))
    })
}

/// Verbs that need a singular subject.
const SINGULAR_VERBS: &[&str] = &["was", "is", "has", "does", "wasn't", "isn't", "hasn't", "doesn't"];

fn agreement(words: &Words, out: &mut Vec<Problem>) {
    for i in 0..words.len().saturating_sub(1) {
        if !words.joined(i) {
            continue;
        }
        let (s, v) = (words.w(i), words.w(i + 1));
        let wrong = match s {
            "we" | "they" => SINGULAR_VERBS.contains(&v) || v == "am",
            "i" => words.word(i).text == "I" && matches!(v, "is" | "are" | "has" | "does" | "isn't" | "aren't" | "hasn't" | "doesn't"),
            "he" | "she" | "it" => matches!(v, "am" | "are" | "aren't"),
            _ => false,
        };
        // "he lack", "it lack": a base verb after a third-person subject that no auxiliary
        // before it ("does she need") or subjunctive explains
        let third = matches!(s, "he" | "she") || (s == "it" && (i == 0 || words.starts[i] || !words.joined(i - 1)));
        let after_auxiliary = i > 0 && (AUXILIARIES.contains(&words.w(i - 1)) || TAKES_BASE.contains(&words.w(i - 1)));
        let base_verb = !PAST_LIKE_BASE.contains(&v) && !BETWEEN.contains(&v) && !words.is_name(i + 1) && mainly_verb(v);
        if wrong || (third && !after_auxiliary && base_verb && !words.t.render().contains('?')) {
            out.push(Problem { kind: Kind::Agreement, excerpt: words.excerpt(i, i + 2) });
        }
    }
    for i in 0..words.len() {
        let v = words.w(i);
        // "am" goes with "I": just before it ("I really am") or after it ("so am I")
        if v == "am" {
            let near_i = (i.saturating_sub(3)..i + 2).any(|k| k < words.len() && k != i && words.word(k).text == "I");
            if !near_i {
                // the word before may be reworded by a later edit: the excerpt leaves it out
                out.push(Problem { kind: Kind::Agreement, excerpt: "… am".into() });
            }
            continue;
        }
        if !SINGULAR_VERBS.contains(&v) || i == 0 || !words.joined(i - 1) {
            continue;
        }
        // a plural noun phrase that starts its clause, then a singular verb: "business
        // leaders was" (not "one of the leaders was": "of" stops the walk)
        let j = i - 1;
        if words.is_name(j) || !plural_noun(words.w(j)) {
            continue;
        }
        let mut k = j;
        let starts_clause = loop {
            if k == 0 || !words.joined(k - 1) {
                break true;
            }
            let w = words.w(k - 1);
            if words.is_name(k - 1) {
                break false;
            }
            let modifier = DETERMINERS.contains(&w) || is_number(w) || (noun_modifier(w) && !plural_noun(w));
            if !modifier || matches!(w, "one" | "each" | "every" | "this" | "that" | "a" | "an") {
                break false;
            }
            k -= 1;
        };
        if starts_clause {
            // "decision makers was" becomes "mid-size companies was" at the next lift: the
            // same problem
            out.push(Problem { kind: Kind::Agreement, excerpt: format!("(plural noun) {v}") });
        }
    }
}

/// A regular plural of a noun ("leaders", "heads"): one of the word's base forms is a noun it
/// is the "-s" form of, and the word is not a noun of its own more often ("physics", "news").
fn plural_noun(w: &str) -> bool {
    if !w.ends_with('s') || w.ends_with("ss") {
        return false;
    }
    let t = table();
    let Some(id) = t.find(w) else { return false };
    let uses = |l: WordId| t.tags(l).iter().map(|&n| u32::from(n)).sum::<u32>();
    t.lemmas(id).iter().any(|&l| {
        l != id
            && t.parts_of_speech(l).any(|p| p == Pos::Noun)
            && Inflection::of(w, t.word(l)) == Some(Inflection::S)
            && (t.lemma(w).is_none() || uses(id) < uses(l))
    })
}

/// A word that can stand before a noun in a noun phrase and is no verb: a noun or an
/// adjective ("business", "decision", "regional").
fn noun_modifier(w: &str) -> bool {
    let t = table();
    let Some(id) = t.find(w) else { return false };
    let lemmas = t.lemmas(id);
    !lemmas.is_empty() && lemmas.iter().all(|&l| t.parts_of_speech(l).all(|p| matches!(p, Pos::Noun | Pos::Adjective)))
}

/// drift's hedges: `elaborate`'s openers and remarks, and what paraphrasing makes of
/// "apparently".
struct Hedges {
    openers: Vec<Vec<Key>>,
    remarks: Vec<Vec<Key>>,
    /// "so", "anyway": they read as a plain discourse marker before one other hedge.
    light: Vec<Key>,
    subjects: Vec<Key>,
    reporting: Vec<Vec<Key>>,
    that: Key,
}

static HEDGES: LazyLock<Hedges> = LazyLock::new(|| {
    let keys = |s: &str| Text::parse(s).keys();
    let data = crate::lexicon::LexiconData::built_in();
    let mut openers: Vec<Vec<Key>> = data.openers.iter().map(|s| keys(s)).collect();
    openers.extend(["it seems", "reportedly", "it seems that"].map(keys));
    openers.sort_by_key(|o| std::cmp::Reverse(o.len()));
    let mut remarks: Vec<Vec<Key>> = data.remarks.iter().map(|s| keys(s)).collect();
    remarks.sort_by_key(|o| std::cmp::Reverse(o.len()));
    let subjects = ["i", "they", "people", "someone", "somebody", "he", "she", "we", "everyone", "you"].map(key_of).to_vec();
    let reporting = [
        "said",
        "says",
        "say",
        "explained",
        "stated",
        "noted",
        "heard",
        "hear",
        "think",
        "thought",
        "reckon",
        "reckons",
        "reckoned",
        "told me",
        "mentioned",
        "claimed",
        "reported",
        "believe",
        "believed",
        "know",
    ]
    .map(keys)
    .to_vec();
    Hedges { openers, remarks, light: ["so", "anyway"].map(key_of).to_vec(), subjects, reporting, that: key_of("that") }
});

impl Hedges {
    /// The length of the opener or reporting frame ("they said that") at word `i` (within
    /// `..end`), and whether it is an opener.
    fn item_at(&self, words: &Words, i: usize, end: usize) -> Option<(usize, bool)> {
        let keys = |from: usize, phrase: &[Key]| {
            from + phrase.len() <= end
                && phrase.iter().enumerate().all(|(k, &p)| words.word(from + k).key == p)
                && (from..from + phrase.len() - 1).all(|k| words.joined(k))
        };
        if let Some(o) = self.openers.iter().find(|o| keys(i, o)) {
            return Some((o.len(), true));
        }
        if self.subjects.contains(&words.word(i).key) && words.joined(i) {
            // with "that" only: "I explained the cypher" reports nothing
            let verb = self.reporting.iter().find(|r| keys(i + 1, r))?;
            let len = 1 + verb.len();
            if i + len < end && words.word(i + len).key == self.that && words.joined(i + len - 1) {
                return Some((len + 1, false));
            }
        }
        None
    }
}

/// True when the sentence starting at word `i` of `text` opens by reporting ("she thought
/// that", "I hear that") or with one of drift's hedges: another hedge in front would stack.
pub(crate) fn opens_with_report(text: &Text, i: usize) -> bool {
    let h = &*HEDGES;
    let key = |k: usize| text.words.get(k).map(|w| w.key);
    let phrase_at = |from: usize, phrase: &[Key]| phrase.iter().enumerate().all(|(k, &p)| key(from + k) == Some(p));
    if h.openers.iter().any(|o| phrase_at(i, o)) || h.light.iter().any(|&l| key(i) == Some(l)) {
        return true;
    }
    let subject =
        key(i).is_some_and(|k| h.subjects.contains(&k)) || text.words.get(i).is_some_and(|w| w.text.starts_with(char::is_uppercase));
    subject && h.reporting.iter().any(|r| phrase_at(i + 1, r) && key(i + 1 + r.len()) == Some(h.that))
}

fn hedges(words: &Words, out: &mut Vec<Problem>) {
    let h = &*HEDGES;
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for (a, b) in words.t.sentences() {
        // the start: openers and reporting frames, one after another
        let mut items: Vec<(usize, usize, bool)> = Vec::new();
        let mut i = a;
        while i < b {
            let Some((len, opener)) = h.item_at(words, i, b) else { break };
            items.push((i, i + len, opener));
            // the next item follows after a space or a comma, inside the sentence
            if i + len >= b || words.word(i + len - 1).gap.contains(['.', '!', '?', ';', ':']) {
                break;
            }
            i += len;
        }
        // a frame alone at the start is just what the sentence says ("They said that …")
        let frames_only = items.iter().all(|&(_, _, opener)| !opener);
        let heavy: Vec<(usize, usize)> = items
            .iter()
            .filter(|&&(s, e, opener)| !(opener && e == s + 1 && h.light.contains(&words.word(s).key)))
            .map(|&(s, e, _)| (s, e))
            .collect();
        // the end: remarks after a comma
        let mut remarks: Vec<(usize, usize)> = Vec::new();
        let mut e = b;
        'outer: loop {
            for r in &h.remarks {
                let n = r.len();
                if e < a + n + 1 {
                    continue;
                }
                let s = e - n;
                let matches = (0..n).all(|k| words.word(s + k).key == r[k]) && (s..e - 1).all(|k| words.joined(k));
                if matches && words.word(s - 1).gap.contains(',') && items.iter().all(|&(_, end, _)| end <= s) {
                    remarks.push((s, e));
                    e = s;
                    continue 'outer;
                }
            }
            break;
        }
        for &(s, e) in heavy.iter().filter(|_| !frames_only).chain(&remarks) {
            *used.entry(words.excerpt(s, e)).or_default() += 1;
        }
        let stacked = (!frames_only && heavy.len() >= 2) || items.len() >= 3 || (!frames_only && heavy.len() + remarks.len() >= 2);
        if stacked {
            let all: Vec<String> = heavy.iter().chain(remarks.iter().rev()).map(|&(s, e)| words.excerpt(s, e)).collect();
            out.push(Problem { kind: Kind::StackedHedges, excerpt: all.join(" … ") });
        }
    }
    for (hedge, n) in used {
        if n >= 2 {
            out.push(Problem { kind: Kind::RepeatedHedge, excerpt: hedge });
        }
    }
}

/// Words that may stand twice in a row: "had had", "that that", "is is" (what it is is…).
const MAY_DOUBLE: &[&str] = &["had", "that", "is", "do", "very", "no", "bye"];

fn doubled(words: &Words, out: &mut Vec<Problem>) {
    for i in 0..words.len().saturating_sub(1) {
        let w = words.w(i);
        if words.joined(i) && words.word(i).key == words.word(i + 1).key && !MAY_DOUBLE.contains(&w) && !is_number(w) {
            out.push(Problem { kind: Kind::DoubledWord, excerpt: words.excerpt(i, i + 2) });
        }
    }
}

fn capitals(words: &Words, out: &mut Vec<Problem>) {
    for i in 0..words.len() {
        let text = words.word(i).text.as_str();
        let first = text.chars().next();
        if words.starts[i] && first.is_some_and(char::is_lowercase) && !text.chars().skip(1).any(char::is_uppercase) {
            out.push(Problem { kind: Kind::Capitalisation, excerpt: words.excerpt(i, i + 1) });
        }
        if text == "i" || text.starts_with("i'") || text.starts_with("i’") {
            out.push(Problem { kind: Kind::Capitalisation, excerpt: text.to_string() });
        }
        // "tHe", "THe": a capital after a small letter, or two capitals before small letters,
        // in a word that is otherwise a dictionary word ("iPhone", "McKinsey" and "CEOs" are
        // not)
        let chars: Vec<char> = text.chars().collect();
        let lower_then_upper = chars.windows(2).any(|p| p[0].is_lowercase() && p[1].is_uppercase());
        let caps_then_smalls = chars.len() >= 3 && chars[0].is_uppercase() && chars[1].is_uppercase() && chars[2].is_lowercase();
        if (lower_then_upper || caps_then_smalls) && table().find(words.w(i)).is_some() && !text.starts_with("Mc") {
            let plural_acronym = caps_then_smalls && chars.iter().filter(|c| c.is_lowercase()).count() == 1 && text.ends_with('s');
            if !plural_acronym {
                out.push(Problem { kind: Kind::Capitalisation, excerpt: text.to_string() });
            }
        }
    }
}

/// Adjectives that only go before a noun.
const ATTRIBUTIVE_ONLY: &[&str] = &["at-risk"];

fn attributive(words: &Words, out: &mut Vec<Problem>) {
    for i in 0..words.len() {
        if !ATTRIBUTIVE_ONLY.contains(&words.w(i)) {
            continue;
        }
        let noun_follows = words.joined(i) && {
            let n = words.w(i + 1);
            !matches!(
                n,
                "about"
                    | "with"
                    | "for"
                    | "of"
                    | "and"
                    | "or"
                    | "but"
                    | "than"
                    | "to"
                    | "in"
                    | "on"
                    | "at"
                    | "by"
                    | "from"
                    | "that"
                    | "because"
                    | "when"
                    | "if"
                    | "is"
                    | "are"
                    | "was"
                    | "were"
            )
        };
        if !noun_follows {
            out.push(Problem { kind: Kind::AttributiveOnly, excerpt: words.excerpt(i.saturating_sub(1), i + 2) });
        }
    }
}

/// Quantities that take no degree word: "too plenty of" is "too many" reworded.
fn degree(words: &Words, out: &mut Vec<Problem>) {
    for i in 0..words.len().saturating_sub(2) {
        let d = words.w(i);
        let q = words.w(i + 1);
        if matches!(d, "too" | "so" | "how" | "very" | "as")
            && matches!(q, "plenty" | "lots" | "loads" | "heaps" | "dozens" | "hundreds" | "thousands" | "millions" | "countless")
            && words.joined(i)
        {
            out.push(Problem { kind: Kind::DegreeQuantity, excerpt: words.excerpt(i, i + 2) });
        }
    }
}

/// Words before "than" that need no comparative: "other than", "rather than".
const BEFORE_THAN: &[&str] =
    &["other", "rather", "else", "different", "elsewhere", "otherwise", "sooner", "anything", "nothing", "more", "less"];

/// "disastrous than": an adjective that is no comparative before "than", with no "more" or
/// "less" in front of it.
fn comparative(words: &Words, out: &mut Vec<Problem>) {
    for i in 1..words.len() {
        if words.w(i) != "than" || !words.joined(i - 1) {
            continue;
        }
        let a = words.w(i - 1);
        let compared = a.ends_with("er") || matches!(a, "worse" | "more" | "less" | "fewer" | "further" | "farther" | "better");
        let more = i >= 2 && matches!(words.w(i - 2), "more" | "less" | "as" | "no" | "any");
        let t = table();
        let adjective = t.find(a).is_some_and(|id| t.lemmas(id) == [id] && t.parts_of_speech(id).eq([Pos::Adjective]));
        if adjective && !compared && !more && !BEFORE_THAN.contains(&a) && !words.is_name(i - 1) {
            out.push(Problem { kind: Kind::Comparative, excerpt: words.excerpt(i - 1, i + 1) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        problems(text).into_iter().map(|p| p.kind).collect()
    }

    #[test]
    fn the_reviewers_examples_are_caught() {
        assert_eq!(kinds("It was a 37 year ancient believe."), [Kind::DeterminerVerb]);
        assert_eq!(kinds("The staff have been gave new forms."), [Kind::PastForParticiple]);
        assert_eq!(kinds("She has went home."), [Kind::PastForParticiple]);
        assert_eq!(kinds("A number of were hurt."), [Kind::QuantifierVerb]);
        assert_eq!(kinds("So they noted that they said that the bridge closed."), [Kind::StackedHedges]);
        assert_eq!(kinds("And people were pretty at-risk about it."), [Kind::AttributiveOnly]);
        assert_eq!(kinds("We lost the the claim."), [Kind::DoubledWord]);
        assert_eq!(kinds("It rained. the bridge closed."), [Kind::Capitalisation]);
        assert_eq!(kinds("Then i left."), [Kind::Capitalisation]);
        assert_eq!(kinds("Business leaders was in the field."), [Kind::Agreement]);
        assert_eq!(kinds("We was late."), [Kind::Agreement]);
        assert_eq!(kinds("Apparently the bridge closed, or something like that."), [Kind::StackedHedges]);
        assert_eq!(kinds("I heard that it rained. I heard that the bridge closed."), [Kind::RepeatedHedge]);
        assert_eq!(kinds("Emilia puts too plenty of murders into it."), [Kind::DegreeQuantity]);
        assert_eq!(kinds("It was rendered disastrous than useless."), [Kind::Comparative]);
        assert_eq!(kinds("It is misleading, it lack the capability to think."), [Kind::Agreement]);
        assert_eq!(kinds("Decision makers wasn't going to tell anyone."), [Kind::Agreement]);
    }

    #[test]
    fn ordinary_english_is_left_alone() {
        for ok in [
            "They had had enough of that that day.",
            "A few believe it, and the rich get richer.",
            "From a to b is an hour; grade A was fine.",
            "Did a young man go there? Let a child believe it.",
            "I really am tired, and so am I.",
            "One of the leaders was late, and the news is good.",
            "So they said that the bridge closed.",
            "The meeting went well and the iPhone broke.",
            "He went from rich to broke.",
            "We took the at-risk accounts first.",
            "Does she need it? She cut it and he put it down.",
            "It was rather than more useful; nothing other than that.",
        ] {
            assert_eq!(problems(ok), [], "{ok}");
        }
    }

    #[test]
    fn only_new_problems_count() {
        assert_eq!(new_problems("We lost the the claim.", "We lost the the claim, apparently.", &[]), []);
        assert_eq!(new_problems("We lost the claim.", "We lost the the claim.", &[]).len(), 1);
    }
}

#[cfg(test)]
mod check;
