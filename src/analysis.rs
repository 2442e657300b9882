//! What a text says, word by word, as the `meaning` metric reads it: its content words by
//! base form, its numbers by value, whether it negates, and how informative each word is.
//!
//! English only where a dictionary is needed (base forms, senses, informativeness come from
//! [`crate::wordnet`]); a word the dictionary lacks (a name, a product, a word in another
//! language) still matches itself, and counts as the most informative kind of word, since a
//! name the customer used is exactly what a retelling must keep. Text outside ASCII is cut
//! into words at Unicode word boundaries (UAX #29), so Chinese or Japanese text, written
//! without spaces, has words too.

use std::cell::RefCell;
use std::rc::Rc;

use smallvec::{SmallVec, smallvec};
use unicode_segmentation::UnicodeSegmentation;

use crate::text::{Key, Small, Text, Word, key_of, lower};
use crate::wordnet::{WordId, table};

/// One way of writing a word's meaning: two words mean the same when they share a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Form {
    /// A base form in the dictionary.
    Lemma(WordId),
    /// A word the dictionary lacks, as written (lower case).
    Other(Key),
    /// A number, by value ("five", "5", "5.0").
    Number(Key),
}

/// A content word of the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The word as written, lower case (or the number's value), as a key: two tokens with
    /// the same unit are the same word.
    pub unit: Key,
    /// Its base forms (several when the word could be more than one: "saw" is see or saw).
    pub forms: SmallVec<[Form; 2]>,
    /// How much it tells, in (0, 1]: rarer words tell more.
    pub weight: f64,
    /// Which senses it has, and which senses are one link away, as 256-bit Bloom filters:
    /// two words with no bit in common (senses against senses, senses against links) share
    /// no sense and no link, so most pairs are told apart without looking anything up.
    pub senses: Signature,
    pub related: Signature,
}

/// A 256-bit Bloom filter of sense ids (one bit per id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Signature([u64; 4]);

impl Signature {
    fn of(ids: impl Iterator<Item = u32>) -> Signature {
        let mut bits = [0u64; 4];
        for id in ids {
            let bit = (u64::from(id).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize;
            bits[bit / 64] |= 1 << (bit % 64);
        }
        Signature(bits)
    }

    /// True when the two filters share a bit: the sets may meet.
    pub fn meets(self, other: Signature) -> bool {
        (0..4).any(|i| self.0[i] & other.0[i] != 0)
    }
}

/// A text as the `meaning` metric reads it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Analysis {
    pub tokens: Vec<Token>,
    /// True when the text says "not", "never", "no", "without"... anywhere.
    pub negated: bool,
}

/// Words that carry grammar rather than content: articles, pronouns, auxiliaries,
/// prepositions, conjunctions. Negations are among them and are noticed separately.
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "etc",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "let",
    "may",
    "me",
    "might",
    "mine",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "neither",
    "never",
    "no",
    "nobody",
    "none",
    "nor",
    "not",
    "nothing",
    "now",
    "nowhere",
    "of",
    "off",
    "on",
    "once",
    "only",
    "onto",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "percent",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Words that turn what follows into its opposite.
const NEGATIONS: &[&str] = &["not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "without", "cannot"];

const UNITS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("dozen", 12.0),
];

const SCALES: &[(&str, f64)] =
    &[("hundred", 100.0), ("thousand", 1e3), ("million", 1e6), ("mn", 1e6), ("billion", 1e9), ("bn", 1e9), ("trillion", 1e12)];

fn is_function_word(w: &str) -> bool {
    FUNCTION_WORDS.binary_search(&w).is_ok()
}

/// The pieces of a word as the analysis cuts it: lower case, contractions opened
/// ("don't" → do, not), possessive "'s" dropped, text outside ASCII cut at Unicode word
/// boundaries.
fn split(lower: &str) -> Vec<Small> {
    let mut out = Vec::with_capacity(1);
    if lower.is_ascii() {
        open_contraction(lower, &mut out);
    } else {
        let straight = lower.replace('’', "'");
        for piece in straight.unicode_words() {
            open_contraction(piece, &mut out);
        }
    }
    out
}

/// Pushes `word`'s parts: "don't" → do, not; "can't" → can, not; "it's" → it.
fn open_contraction(word: &str, out: &mut Vec<Small>) {
    if let Some(base) = word.strip_suffix("n't") {
        let base = match base {
            "ca" => "can",
            "wo" => "will",
            "sha" => "shall",
            other => other,
        };
        out.push(base.into());
        out.push("not".into());
        return;
    }
    if word == "cannot" {
        out.push("can".into());
        out.push("not".into());
        return;
    }
    for suffix in ["'s", "'re", "'ve", "'ll", "'d", "'m"] {
        if let Some(base) = word.strip_suffix(suffix) {
            out.push(base.into());
            return;
        }
    }
    out.push(word.into());
}

/// The value of a number written in digits: "60,000", "3.5", "60k", "5m", "50%".
fn digits_value(w: &str) -> Option<f64> {
    let w = w.strip_suffix('%').unwrap_or(w);
    let (digits, scale) = match w.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((at, _)) => (&w[..at], &w[at..]),
        None => (w, ""),
    };
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let scale = match scale {
        "" => 1.0,
        "k" => 1e3,
        "m" | "mn" => 1e6,
        "b" | "bn" => 1e9,
        _ => return None,
    };
    let plain: String = digits.chars().filter(|&c| c != ',').collect();
    plain.parse::<f64>().ok().filter(|v| v.is_finite()).map(|v| v * scale)
}

/// "five", "twenty", and "twenty-five".
fn unit_value(w: &str) -> Option<f64> {
    let single = |w: &str| UNITS.iter().find(|(name, _)| *name == w).map(|&(_, v)| v);
    match w.split_once('-') {
        Some((tens, unit)) => Some(single(tens).filter(|t| *t >= 20.0)? + single(unit).filter(|u| *u < 10.0)?),
        None => single(w),
    }
}

/// [`is_number_word`] of a word of a text, remembered per word key and thread: operators ask
/// it of every word of every hop. The first [`NUMBER_CACHE`] keys only, so memory stays
/// bounded whatever the input.
pub fn is_number(word: &Word) -> bool {
    const NUMBER_CACHE: usize = 1 << 18;
    thread_local! {
        static KNOWN: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    let at = word.key as usize;
    if at >= NUMBER_CACHE {
        return is_number_word(&word.text);
    }
    KNOWN.with_borrow_mut(|known| {
        if known.len() <= at {
            known.resize(at + 1, 0);
        }
        if known[at] == 0 {
            known[at] = 1 + u8::from(is_number_word(&word.text));
        }
        known[at] == 2
    })
}

/// True for a number written in words or digits ("five", "twenty-five", "million", "60k").
/// Operators ask it through [`is_number`], which remembers the answer per word.
pub fn is_number_word(word: &str) -> bool {
    let lower = crate::text::lower(word);
    digits_value(&lower).is_some() || unit_value(&lower).is_some() || scale_value(&lower).is_some()
}

fn scale_value(w: &str) -> Option<f64> {
    SCALES.iter().find(|(name, _)| *name == w).map(|&(_, v)| v)
}

/// The base forms of a word the table lacks, by WordNet's suffix rules ("onboarded" has none;
/// "adjudicators" → adjudicator when only the singular is listed).
fn rule_lemmas(word: &str) -> SmallVec<[WordId; 2]> {
    const RULES: &[(&str, &str)] = &[
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
        ("er", ""),
        ("est", ""),
        ("er", "e"),
        ("est", "e"),
    ];
    let t = table();
    let mut out = SmallVec::new();
    for (suffix, ending) in RULES {
        if let Some(stem) = word.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            let candidate = format!("{stem}{ending}");
            if let Some(id) = t.lemma(&candidate)
                && !out.contains(&id)
            {
                out.push(id);
            }
        }
    }
    out
}

/// The weight of a number: as informative as a rare word (a changed figure changes the
/// message).
const NUMBER_WEIGHT: f64 = 1.0;

/// The smallest weight a content word gets, so that a common content word ("make", "time")
/// still counts for something.
const MIN_WEIGHT: f64 = 0.05;

/// A content word's forms and weight.
fn token_of(word: &str) -> Token {
    let t = table();
    let unit = key_of(word);
    let (forms, weight) = match t.find(word) {
        Some(id) => {
            let lemmas = t.lemmas(id);
            let forms = if lemmas.is_empty() { smallvec![Form::Lemma(id)] } else { lemmas.iter().map(|&l| Form::Lemma(l)).collect() };
            (forms, t.informativeness(Some(id)))
        }
        None => {
            let lemmas = rule_lemmas(word);
            let weight = lemmas.iter().map(|&l| t.informativeness(Some(l))).fold(f64::NAN, f64::max);
            let mut forms: SmallVec<[Form; 2]> = smallvec![Form::Other(unit)];
            forms.extend(lemmas.into_iter().map(Form::Lemma));
            (forms, if weight.is_nan() { 1.0 } else { weight })
        }
    };
    let lemmas = || forms.iter().filter_map(|f| if let Form::Lemma(id) = f { Some(*id) } else { None });
    let senses = Signature::of(lemmas().flat_map(|l| t.senses(l).iter().copied()));
    let related = Signature::of(lemmas().flat_map(|l| t.related(l).iter().copied()));
    Token { unit, forms, weight: weight.max(MIN_WEIGHT), senses, related }
}

/// A number's token.
fn number_token(value: f64) -> Token {
    let unit = key_of(&format!("#{value}"));
    Token { unit, forms: smallvec![Form::Number(unit)], weight: NUMBER_WEIGHT, senses: Signature::default(), related: Signature::default() }
}

/// What one piece of a word is to the analysis.
#[derive(Debug, Clone)]
enum Piece {
    /// Grammar, not content; `negation` for "not", "never"...; `and` for "and", which may
    /// join the parts of a number ("a hundred and five").
    Function {
        negation: bool,
        and: bool,
    },
    /// A number in digits ("60,000", "60k").
    Digits(f64),
    /// A number word ("five", "twenty-five").
    Unit(f64),
    /// "hundred", "thousand", "million".
    Scale(f64),
    Content(Token),
}

fn pieces_of(piece: &str, out: &mut Vec<Piece>) {
    let is_and = piece == "and";
    if let Some(v) = digits_value(piece) {
        out.push(Piece::Digits(v));
    } else if let Some(v) = unit_value(piece) {
        out.push(Piece::Unit(v));
    } else if let Some(v) = scale_value(piece) {
        out.push(Piece::Scale(v));
    } else if is_function_word(piece) || is_and {
        out.push(Piece::Function { negation: NEGATIONS.contains(&piece), and: is_and });
    } else if !piece.chars().any(char::is_alphanumeric) {
    } else if piece.contains('-') && table().find(piece).is_none() {
        // "best-in-class": its parts, when the dictionary lacks the whole
        for part in piece.split('-').filter(|p| !p.is_empty()) {
            pieces_of(part, out);
        }
    } else {
        out.push(Piece::Content(token_of(piece)));
    }
}

/// The pieces of each word, worked out once per word per thread: a run meets the same few
/// hundred words thousands of times. Indexed by the word's key, which are dense from 0; the
/// first [`CACHED_KEYS`] keys only, so the memory stays bounded (4 MiB of slots a thread)
/// whatever the input.
fn pieces_of_words(words: &[Word]) -> SmallVec<[Rc<[Piece]>; 64]> {
    const CACHED_KEYS: usize = 1 << 18;
    thread_local! {
        static KNOWN: RefCell<Vec<Option<Rc<[Piece]>>>> = const { RefCell::new(Vec::new()) };
    }
    KNOWN.with_borrow_mut(|known| {
        words
            .iter()
            .map(|word| {
                let at = word.key as usize;
                if let Some(Some(p)) = known.get(at) {
                    return p.clone();
                }
                let mut out = Vec::new();
                for piece in split(&lower(&word.text)) {
                    pieces_of(&piece, &mut out);
                }
                let out: Rc<[Piece]> = out.into();
                if at >= CACHED_KEYS {
                    return out;
                }
                if known.len() <= at {
                    known.resize(at + 1, None);
                }
                known[at] = Some(out.clone());
                out
            })
            .collect()
    })
}

/// Reads a number starting at `pieces[i]`: digits or number words, with scales after them
/// ("sixty thousand", "17 million", "a hundred and five"). Returns the value and the pieces
/// it took.
fn number_at(pieces: &[&Piece], i: usize) -> Option<(f64, usize)> {
    let (mut total, mut current, mut j) = match pieces[i] {
        Piece::Digits(v) | Piece::Unit(v) => (0.0, *v, i + 1),
        // "hundred", "thousand" on their own (after "a"): the loop applies the scale
        Piece::Scale(_) => (0.0, 1.0, i),
        _ => return None,
    };
    while j < pieces.len() {
        match pieces[j] {
            Piece::Scale(scale) if *scale == 100.0 => current *= scale,
            Piece::Scale(scale) => {
                total += current * scale;
                current = 0.0;
            }
            Piece::Unit(v) => current += v,
            Piece::Function { and: true, .. } if current >= 100.0 && matches!(pieces.get(j + 1), Some(Piece::Unit(_))) => {}
            _ => break,
        }
        j += 1;
    }
    Some((total + current, j - i))
}

/// Reads `text`.
pub fn analyse(text: &Text) -> Analysis {
    let words = pieces_of_words(&text.words);
    let flat: SmallVec<[&Piece; 64]> = words.iter().flat_map(|p| p.iter()).collect();
    let mut out = Analysis { tokens: Vec::with_capacity(flat.len()), negated: false };
    let mut i = 0;
    while i < flat.len() {
        if let Some((value, taken)) = number_at(&flat, i) {
            out.tokens.push(number_token(value));
            i += taken;
            continue;
        }
        match flat[i] {
            Piece::Function { negation, .. } => out.negated |= negation,
            Piece::Content(token) => out.tokens.push(token.clone()),
            Piece::Digits(_) | Piece::Unit(_) | Piece::Scale(_) => unreachable!("read as a number above"),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysed(s: &str) -> Analysis {
        analyse(&Text::parse(s))
    }

    /// The remembered answer, asked twice of each word of a text, says what the three parsers
    /// say, for every number word, its cases and near misses.
    #[test]
    fn is_number_agrees_with_the_parsers() {
        let by_parsers = |w: &str| {
            let l = lower(w);
            digits_value(&l).is_some() || unit_value(&l).is_some() || scale_value(&l).is_some()
        };
        let mut words: Vec<String> = UNITS.iter().chain(SCALES).map(|(w, _)| w.to_string()).collect();
        for (t, _) in UNITS {
            for (u, _) in UNITS {
                words.push(format!("{t}-{u}"));
            }
        }
        words.extend(
            [
                "60,000",
                "3.5",
                "60k",
                "5m",
                "50%",
                "7x",
                "Twenty-Five",
                "MILLION",
                "tens",
                "twenty-",
                "-five",
                "fivefold",
                "",
                "ﬁve",
                "Ｆive",
                "dozens",
                "a",
                "zeroes",
            ]
            .map(String::from),
        );
        for w in words.iter().flat_map(|w| [w.clone(), w.to_uppercase(), format!("{w}s")]) {
            assert_eq!(is_number_word(&w), by_parsers(&w), "{w:?}");
            for word in &Text::parse(&w).words {
                for _ in 0..2 {
                    assert_eq!(is_number(word), by_parsers(&word.text), "{:?} in {w:?}", word.text);
                }
            }
        }
    }

    fn number(v: f64) -> SmallVec<[Form; 2]> {
        smallvec![Form::Number(key_of(&format!("#{v}")))]
    }

    #[test]
    fn function_words_are_sorted_for_binary_search() {
        assert!(FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn numbers_are_read_by_value() {
        for (text, value) in [
            ("five", 5.0),
            ("5", 5.0),
            ("60,000", 60000.0),
            ("60k", 60000.0),
            ("sixty thousand", 60000.0),
            ("17 million", 17e6),
            ("twenty-five", 25.0),
            ("a hundred and five", 105.0),
            ("3.5", 3.5),
            ("50%", 50.0),
        ] {
            let a = analysed(text);
            assert_eq!(a.tokens.len(), 1, "{text}: {a:?}");
            assert_eq!(a.tokens[0].forms, number(value), "{text}");
        }
    }

    #[test]
    fn inflected_words_share_their_base_form() {
        let form = |w: &str| analysed(w).tokens[0].forms.clone();
        let shares = |a: &str, b: &str| form(a).iter().any(|f| form(b).contains(f));
        assert!(shares("matches", "match"));
        assert!(shares("geese", "goose"));
        assert!(shares("saw", "see"));
        assert!(shares("invoices", "invoice"));
        assert!(!shares("invoice", "website"));
    }

    #[test]
    fn negation_is_noticed() {
        assert!(analysed("We don't want it").negated);
        assert!(analysed("It can't wait").negated);
        assert!(analysed("never again").negated);
        assert!(!analysed("We want it now").negated);
    }

    #[test]
    fn function_words_carry_no_content() {
        assert_eq!(analysed("We would have been there with them").tokens.len(), 0);
        assert_eq!(analysed("Adjusters lose hours").tokens.len(), 3);
    }

    #[test]
    fn text_without_spaces_has_words() {
        // UAX #29 makes each ideograph a word
        assert_eq!(analysed("我们的会计每个月都要花三天").tokens.len(), 13);
    }

    #[test]
    fn unknown_words_are_most_informative() {
        let a = analysed("Zorblatt invoice");
        assert_eq!(a.tokens[0].weight, 1.0);
        assert!(a.tokens[1].weight < 1.0);
    }
}
