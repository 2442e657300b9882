//! A text made ready for comparison once, then compared many times: the customer's words are
//! compared with every hop of every run.

use std::sync::LazyLock;

use unicode_segmentation::UnicodeSegmentation;

use crate::lexicon::Lexicon;
use crate::text::{Interner, Key, Text};

/// The text as the metrics see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// One code per grapheme cluster of the NFC text: a cluster that is one code point keeps
    /// it; a longer one (an emoji sequence, a letter with a mark NFC cannot fold) gets a code
    /// above the Unicode range, the same for the same cluster everywhere in the process.
    pub codes: Vec<u32>,
    /// One id per lower-cased word, the same for the same word everywhere in the process.
    pub words: Vec<u32>,
    /// Its distinct content words (stop words left out; all words if nothing else is left),
    /// sorted.
    pub content: Vec<u32>,
    /// All its distinct words, sorted.
    pub vocabulary: Vec<u32>,
    /// Its cluster bigrams, white space left out (for Sørensen–Dice): a pair of ASCII codes
    /// as one 14-bit number, in text order, so that two texts' pairs are counted against each
    /// other in a small table instead of being sorted...
    pub ascii_bigrams: Vec<u16>,
    /// ...and any other pair as two codes in a u64, sorted (rare outside ASCII text).
    pub other_bigrams: Vec<u64>,
    /// How many clusters it has, white space left out.
    pub solid_len: usize,
    /// What the `meaning` metric matches on.
    pub meaning: super::meaning::Meaning,
    /// What the symptoms are counted from.
    pub symptoms: super::SymptomWords,
}

/// True for a cluster code that is white space (codes above the Unicode range never are).
pub fn is_space(code: u32) -> bool {
    char::from_u32(code).is_some_and(char::is_whitespace)
}

/// Ids for long clusters, above the Unicode range (so they never equal a code point).
static CLUSTERS: LazyLock<Interner> = LazyLock::new(|| Interner::starting_at(0x11_0000));

/// True when `text` is its own NFC and every byte its own cluster: ASCII without "\r\n".
fn is_plain(text: &str) -> bool {
    text.is_ascii() && !text.contains('\r')
}

/// One code per grapheme cluster of the NFC text: all the character metrics need.
pub fn codes_of(text: &str) -> Vec<u32> {
    if is_plain(text) {
        return text.bytes().map(u32::from).collect();
    }
    super::nfc(text)
        .graphemes(true)
        .map(|g| {
            let mut chars = g.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c as u32,
                _ => CLUSTERS.id(g),
            }
        })
        .collect()
}

impl Prepared {
    pub fn new(text: &str, lexicon: &Lexicon) -> Prepared {
        Prepared::with_words(text, &Text::parse(&super::nfc(text)), lexicon)
    }

    /// [`Prepared::new`] reusing `parsed`, the words of `text` as the simulator parsed them
    /// (from the text as it is, not its NFC form): for plain ASCII the two are the same, and
    /// the simulator has parsed every hop's message already.
    pub fn from_parsed(text: &str, parsed: &Text, lexicon: &Lexicon) -> Prepared {
        if is_plain(text) { Prepared::with_words(text, parsed, lexicon) } else { Prepared::new(text, lexicon) }
    }

    /// `parsed` must be the words of `text`'s NFC form.
    fn with_words(text: &str, parsed: &Text, lexicon: &Lexicon) -> Prepared {
        let codes = codes_of(text);
        let words: Vec<u32> = parsed.keys();
        let symptoms = super::SymptomWords::of(parsed, &words, lexicon);
        let (vocabulary, content) = vocabulary_and_content(&words, lexicon);
        let (mut ascii_bigrams, mut other_bigrams) = (Vec::with_capacity(codes.len()), Vec::new());
        let (mut previous, mut solid_len) = (None, 0);
        for &c in codes.iter().filter(|&&c| !is_space(c)) {
            solid_len += 1;
            match previous {
                Some(p) if p < 128 && c < 128 => ascii_bigrams.push(((p << 7) | c) as u16),
                Some(p) => other_bigrams.push((u64::from(p) << 32) | u64::from(c)),
                None => {}
            }
            previous = Some(c);
        }
        other_bigrams.sort_unstable();
        let meaning = super::meaning::Meaning::of(parsed);
        Prepared { codes, words, content, vocabulary, ascii_bigrams, other_bigrams, solid_len, meaning, symptoms }
    }

    /// (jargon, we-focus) of this text against the customer's words: both 0 for the
    /// customer's own words.
    pub fn symptoms_against(&self, customer: &Prepared) -> (f64, f64) {
        self.symptoms.against(&self.words, &customer.vocabulary, &customer.symptoms)
    }

    /// Share of `reference`'s content words present in this text.
    pub fn keeps_content_of(&self, reference: &Prepared) -> f64 {
        share_kept(&reference.content, &self.vocabulary)
    }
}

/// A text's distinct words and its distinct content words (stop words left out; all its words
/// if nothing else is left), both sorted: what "the customer's words" means to the
/// `customer_words` metric and to `drift calibrate`'s curves alike.
pub fn vocabulary_and_content(words: &[Key], lexicon: &Lexicon) -> (Vec<Key>, Vec<Key>) {
    let mut vocabulary = words.to_vec();
    vocabulary.sort_unstable();
    vocabulary.dedup();
    let mut content: Vec<Key> = vocabulary.iter().copied().filter(|&k| !lexicon.stopwords.contains(k)).collect();
    if content.is_empty() {
        content = vocabulary.clone();
    }
    (vocabulary, content)
}

/// Share of `content` (sorted) found in `vocabulary` (sorted); 1 when there is no content.
pub fn share_kept(content: &[Key], vocabulary: &[Key]) -> f64 {
    if content.is_empty() {
        return 1.0;
    }
    let kept = content.iter().filter(|w| vocabulary.binary_search(w).is_ok()).count();
    kept as f64 / content.len() as f64
}
