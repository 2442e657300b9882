//! How far a message has drifted: 1 = the customer's own words, 0 = nothing left.
//!
//! Character metrics compare extended grapheme clusters of NFC-normalised text, so "café"
//! typed with a combining accent equals "café" typed precomposed, and a family emoji counts
//! as one character, as a reader sees it. strsim computes every metric it computes correctly
//! on such sequences (its generic functions); Sørensen–Dice is computed here because strsim's
//! `sorensen_dice` divides by byte length and is wrong on non-ASCII text.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::lexicon::{Lexicon, WordSet};
use crate::text::{Key, Text};

pub mod chance;
mod engine;
mod jaro;
mod myers;
mod prepared;

pub use engine::{Engine, Pattern};
pub use prepared::{Prepared, codes_of, share_kept, vocabulary_and_content};

/// What a metric is, for the scenario reader, `--help`, the README and the engine: its name,
/// one line saying what it measures, and how it scores a message against a reference. Each
/// metric's file holds its own (`pub const DEFINITION`).
pub struct Definition {
    /// As scenarios and outputs write it (`jaro_winkler`).
    pub name: &'static str,
    /// What charts call it, in the README's words: a slide shows "the customer's own words",
    /// not `customer_words`.
    pub label: &'static str,
    /// One line for `--help`, the README and error messages.
    pub summary: &'static str,
    /// The score from two prepared texts (words, meaning, bigrams…), in [0, 1], 1 for a text
    /// against itself.
    pub score: Option<ScoreFn>,
    /// For a character metric: the score from the two texts' grapheme-cluster codes alone,
    /// which is all it needs (the counterfactual scores thousands of texts on codes alone).
    pub codes: Option<CodesFn>,
}

/// A metric's score of two prepared texts.
pub type ScoreFn = fn(Engine, &Prepared, &Prepared) -> f64;
/// A character metric's score of two texts' cluster codes.
pub type CodesFn = fn(Engine, &[u32], &[u32]) -> f64;

/// Declares the metrics from one list: each line names a variant and its file
/// (`src/metrics/FILE.rs`, holding `pub const DEFINITION: Definition`), and becomes the
/// module, the [`Metric`] variant and its place in [`Metric::ALL`].
macro_rules! metrics {
    ($($kind:ident => $file:ident),+ $(,)?) => {
        $(pub mod $file;)+

        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Metric {
            $($kind,)+
        }

        impl Metric {
            pub const ALL: &[Metric] = &[$(Metric::$kind,)+];

            /// The metric's name, summary and scoring.
            pub fn definition(self) -> &'static Definition {
                match self {
                    $(Metric::$kind => &$file::DEFINITION,)+
                }
            }
        }
    };
}

// A new metric: a file in src/metrics/ and one line here.
metrics! {
    Meaning => meaning,
    Levenshtein => levenshtein,
    Damerau => damerau,
    JaroWinkler => jaro_winkler,
    SorensenDice => sorensen_dice,
    WordLevenshtein => word_levenshtein,
    CustomerWords => customer_words,
}

impl Metric {
    /// What a scenario gets when it names none; the first is the headline.
    pub const DEFAULT: [Metric; 3] = [Metric::Meaning, Metric::CustomerWords, Metric::Levenshtein];

    pub fn name(self) -> &'static str {
        self.definition().name
    }

    /// The metric's name on a chart, in words.
    pub fn label(self) -> &'static str {
        self.definition().label
    }

    pub fn summary(self) -> &'static str {
        self.definition().summary
    }

    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.iter().copied().find(|m| m.name() == name)
    }

    /// Similarity of `message` to `reference`, in [0, 1] (the fast engine; see [`Engine`]).
    pub fn score(self, reference: &str, message: &str, lexicon: &Lexicon) -> f64 {
        let (a, b) = (Prepared::new(reference, lexicon), Prepared::new(message, lexicon));
        Engine::Fast.score(self, &a, &b)
    }
}

/// Words, lower-cased and NFC-normalised: the unit of the word metrics.
pub fn words(s: &str) -> Vec<crate::text::Small> {
    Text::parse(&nfc(s)).lower_words()
}

/// NFC, without the work for ASCII (which is its own NFC).
pub fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() { s.into() } else { s.nfc().collect::<String>().into() }
}

/// What the symptoms are counted from, in one text: its stretches of marketing-speak and its
/// pronouns for people (the words themselves are the text's keys, which its `Prepared` holds). The symptoms themselves are measured against the customer
/// ([`SymptomWords::against`]), so the customer's own words score 0 on both.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SymptomWords {
    /// Word ranges of marketing-speak.
    spans: Vec<(usize, usize)>,
    /// Pronouns for us (we, our, us...), and for people of any kind.
    pub we: usize,
    pub people: usize,
    /// The we/our/us with a product word within the next three words ("our platform", "we
    /// give you a turnkey solution"): a seller talking about what it sells.
    pub we_selling: usize,
}

impl SymptomWords {
    /// `keys` must be `text.keys()`.
    pub fn of(text: &Text, keys: &[Key], lexicon: &Lexicon) -> SymptomWords {
        let mut spans = Vec::new();
        marketing_speak_spans(text, lexicon, |from, to| spans.push((from, to)));
        let (we, people) = pronouns(keys.iter().copied());
        let (we_words, _) = &*PRONOUNS;
        let we_selling = (0..keys.len())
            .filter(|&i| we_words.contains(keys[i]) && keys[i + 1..(i + 4).min(keys.len())].iter().any(|&k| PRODUCT_WORDS.contains(k)))
            .count();
        SymptomWords { spans, we, people, we_selling }
    }

    /// The we/our/us that are the seller's, against the customer's own words: those beyond as
    /// many as the customer used, or beyond as many selling ones ("our platform") as the
    /// customer's words hold, whichever is more.
    pub fn sellers_we(&self, customer: &SymptomWords) -> usize {
        self.we.saturating_sub(customer.we).max(self.we_selling.saturating_sub(customer.we_selling))
    }

    /// The stretches that count as marketing-speak against a customer who used `vocabulary`
    /// (sorted keys): those with a word the customer never used. A phrase made only of the
    /// customer's own words ("every time", "hours") is how they speak, not jargon. `keys` are
    /// the text's, as given to [`SymptomWords::of`].
    pub fn jargon_spans<'a>(&'a self, keys: &'a [Key], vocabulary: &'a [Key]) -> impl Iterator<Item = (usize, usize)> + 'a {
        self.spans.iter().copied().filter(|&(from, to)| keys[from..to].iter().any(|k| vocabulary.binary_search(k).is_err()))
    }

    /// (jargon, we-focus) against the customer, whose own words are `customer`:
    /// - jargon, the share of words inside marketing-speak the customer did not speak;
    /// - we-focus, the seller's we/our/us ([`SymptomWords::sellers_we`]) as a share of the
    ///   pronouns for people: the customer's "we" about their own team is theirs; what a
    ///   retelling adds, or a "we" selling a product, is the seller talking about itself.
    pub fn against(&self, keys: &[Key], vocabulary: &[Key], customer: &SymptomWords) -> (f64, f64) {
        let jargon = if keys.is_empty() {
            0.0
        } else {
            self.jargon_spans(keys, vocabulary).map(|(from, to)| to - from).sum::<usize>() as f64 / keys.len() as f64
        };
        let we_focus = if self.people == 0 { 0.0 } else { self.sellers_we(customer) as f64 / self.people as f64 };
        (jargon, we_focus)
    }
}

/// (jargon, we-focus) of `message` against the customer's words `customer` (see
/// [`SymptomWords::against`]): both 0 for the customer's own words.
pub fn symptoms(customer: &str, message: &str, lexicon: &Lexicon) -> (f64, f64) {
    let (c, m) = (Prepared::new(customer, lexicon), Prepared::new(message, lexicon));
    m.symptoms_against(&c)
}

/// Calls `each(from, to)` for every stretch of words that is marketing-speak, longest phrase
/// first, left to right: the one definition of what the jargon symptom counts, shared by the
/// metric and by `drift score`, which names the phrases.
pub fn marketing_speak_spans(text: &Text, lexicon: &Lexicon, mut each: impl FnMut(usize, usize)) {
    let words = &text.words;
    let mut i = 0;
    while i < words.len() {
        match lexicon.marketing_speak.longest_match(words, i, |len| text.is_phrase_span(i, i + len)) {
            Some((len, _)) => {
                each(i, i + len);
                i += len;
            }
            None => i += 1,
        }
    }
}

const WE: [&str; 9] = ["we", "us", "our", "ours", "ourselves", "we're", "we've", "we'll", "we'd"];
const OTHER_PEOPLE: [&str; 35] = [
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "i'm",
    "i've",
    "i'll",
    "i'd",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "you're",
    "you've",
    "you'll",
    "you'd",
    "he",
    "him",
    "his",
    "he's",
    "she",
    "her",
    "hers",
    "she's",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "they're",
    "they've",
    "they'll",
    "they'd",
];

/// Words for what a seller sells or does for you: after "our" or "we", the seller is talking
/// about itself.
static PRODUCT_WORDS: std::sync::LazyLock<WordSet> = std::sync::LazyLock::new(|| {
    let words = [
        "platform",
        "platforms",
        "solution",
        "solutions",
        "product",
        "products",
        "software",
        "suite",
        "tool",
        "tools",
        "technology",
        "technologies",
        "offering",
        "offerings",
        "service",
        "services",
        "app",
        "apps",
        "engine",
        "ecosystem",
        "experts",
        "expertise",
        "team",
        "partners",
        "clients",
        "customers",
        "brand",
        "innovation",
        "approach",
        "framework",
        "methodology",
        "portfolio",
        "capabilities",
        "deliver",
        "delivers",
        "provide",
        "provides",
        "offer",
        "offers",
        "help",
        "helps",
        "give",
        "gives",
        "empower",
        "empowers",
        "enable",
        "enables",
    ];
    WordSet::of(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>())
});

/// The pronouns for "us" and for other people, by key.
static PRONOUNS: std::sync::LazyLock<(WordSet, WordSet)> = std::sync::LazyLock::new(|| {
    let set = |words: &[&str]| WordSet::of(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>());
    (set(&WE), set(&OTHER_PEOPLE))
});

/// (we/our/us, all pronouns for people) among words (by key): what we-focus is the share of.
pub fn pronouns(keys: impl Iterator<Item = crate::text::Key>) -> (usize, usize) {
    let (we_words, other_words) = &*PRONOUNS;
    let (mut we, mut others) = (0usize, 0usize);
    for k in keys {
        we += usize::from(we_words.contains(k));
        others += usize::from(other_words.contains(k));
    }
    (we, we + others)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorensen_dice(a: &str, b: &str) -> f64 {
        let lex = Lexicon::new(Default::default());
        Metric::SorensenDice.score(a, b, &lex)
    }

    #[test]
    fn identical_text_scores_one() {
        let lex = Lexicon::built_in();
        for m in Metric::ALL {
            assert_eq!(m.score("We keep losing adjusters.", "We keep losing adjusters.", &lex), 1.0, "{m:?}");
            assert_eq!(m.score("", "", &lex), 1.0, "{m:?}");
        }
    }

    #[test]
    fn composed_and_decomposed_accents_are_the_same_text() {
        let lex = Lexicon::built_in();
        let composed = "caf\u{e9} cr\u{e8}me";
        let decomposed = "cafe\u{301} cre\u{300}me";
        for m in Metric::ALL {
            assert_eq!(m.score(composed, decomposed, &lex), 1.0, "{m:?}");
        }
        // one grapheme differs out of four
        assert!((Metric::Levenshtein.score("cafe\u{301}", "cafe", &lex) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn strsim_sorensen_dice_is_matched_on_ascii() {
        for (a, b) in [("feris", "ferris"), ("french", "quebec"), ("night", "nacht"), ("a b c", "abc d")] {
            assert!((sorensen_dice(a, b) - strsim::sorensen_dice(a, b)).abs() < 1e-12, "{a} {b}");
        }
        // strsim counts bytes here; one of two grapheme bigrams is shared: 2·1/(3+3−2)
        assert!((sorensen_dice("éèà", "éèa") - 0.5).abs() < 1e-12);
    }

    #[test]
    fn symptoms_are_measured_against_the_customer() {
        let lex = Lexicon::built_in();
        let dana = "We keep losing our best adjusters to paperwork. They spend hours every week typing the same claim into three systems.";
        assert_eq!(symptoms(dana, dana, &lex), (0.0, 0.0), "the customer's own words");
        let (_, we_focus) = symptoms("Adjusters need time", "We deliver our platform to you", &lex);
        assert_eq!(we_focus, 2.0 / 3.0);
        // the customer's two we/our are hers; the seller's third is not
        let (_, we_focus) = symptoms(dana, "We keep losing our best adjusters, and we fix that for you.", &lex);
        assert_eq!(we_focus, 1.0 / 4.0);
        // fewer we/our than Dana used, but selling a product
        let (_, we_focus) = symptoms(dana, "Our best-in-class platform eliminates overhead for adjusters.", &lex);
        assert_eq!(we_focus, 1.0);
        let (jargon, _) = symptoms(dana, "We keep losing our best adjusters to non-value-add activity.", &lex);
        assert!(jargon > 0.0);
    }
}
