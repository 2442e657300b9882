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
use crate::text::Text;

mod engine;
mod jaro;
pub mod meaning;
mod myers;
mod prepared;

pub use engine::{Engine, Pattern};
pub use prepared::{Prepared, share_kept, vocabulary_and_content};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Meaning,
    Levenshtein,
    Damerau,
    JaroWinkler,
    SorensenDice,
    WordLevenshtein,
    CustomerWords,
}

impl Metric {
    pub const ALL: [Metric; 7] = [
        Metric::Meaning,
        Metric::Levenshtein,
        Metric::Damerau,
        Metric::JaroWinkler,
        Metric::SorensenDice,
        Metric::WordLevenshtein,
        Metric::CustomerWords,
    ];

    /// What a scenario gets when it names none; the first is the headline.
    pub const DEFAULT: [Metric; 3] = [Metric::Meaning, Metric::CustomerWords, Metric::Levenshtein];

    pub fn name(self) -> &'static str {
        match self {
            Metric::Meaning => "meaning",
            Metric::Levenshtein => "levenshtein",
            Metric::Damerau => "damerau",
            Metric::JaroWinkler => "jaro_winkler",
            Metric::SorensenDice => "sorensen_dice",
            Metric::WordLevenshtein => "word_levenshtein",
            Metric::CustomerWords => "customer_words",
        }
    }

    pub fn summary(self) -> &'static str {
        match self {
            Metric::Meaning => {
                "what the customer said still said: words matched by base form, sense or related sense, weighted by how much they tell"
            }
            Metric::Levenshtein => "spelling similarity: characters kept in place, 1 − edits / longer length",
            Metric::Damerau => "spelling similarity as levenshtein, a swap of two neighbours counting as one edit",
            Metric::JaroWinkler => "spelling similarity: characters in common and in order, the opening weighted most",
            Metric::SorensenDice => "spelling similarity: shared character pairs (bigrams), order ignored",
            Metric::WordLevenshtein => "word order: whole words kept in place, 1 − word edits / longer length",
            Metric::CustomerWords => "the customer's own words: share of their content words still there, as spelled",
        }
    }

    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
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

/// Share of the message's words that are marketing-speak: inside a phrase of the lexicon's
/// jargon, exaggerations, agendas or buzzwords.
pub fn jargon_share(message: &str, lexicon: &Lexicon) -> f64 {
    symptoms(message, lexicon).0
}

/// (jargon, we-focus) of a message, from one pass over its words.
pub fn symptoms(message: &str, lexicon: &Lexicon) -> (f64, f64) {
    symptoms_of(&Text::parse(&nfc(message)), lexicon)
}

/// (jargon, we-focus) of a parsed message.
pub fn symptoms_of(text: &Text, lexicon: &Lexicon) -> (f64, f64) {
    let words = &text.words;
    if words.is_empty() {
        return (0.0, 0.0);
    }
    let mut covered = 0usize;
    marketing_speak_spans(text, lexicon, |from, to| covered += to - from);
    (covered as f64 / words.len() as f64, we_focus_of(words.iter().map(|w| w.key)))
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

const WE: [&str; 5] = ["we", "us", "our", "ours", "ourselves"];
const OTHER_PEOPLE: [&str; 19] = [
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "he",
    "him",
    "his",
    "she",
    "her",
    "hers",
    "they",
    "them",
    "their",
];

/// Share of we/our/us among the message's pronouns for people: how much of the message is
/// about "us" rather than about the customer. No pronouns at all counts as 0.
pub fn we_focus_share(message: &str) -> f64 {
    we_focus_of(Text::parse(&nfc(message)).words.iter().map(|w| w.key))
}

/// The pronouns for "us" and for other people, by key.
static PRONOUNS: std::sync::LazyLock<(WordSet, WordSet)> = std::sync::LazyLock::new(|| {
    let set = |words: &[&str]| WordSet::of(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>());
    (set(&WE), set(&[&OTHER_PEOPLE[..], &["theirs", "themselves"]].concat()))
});

fn we_focus_of(keys: impl Iterator<Item = crate::text::Key>) -> f64 {
    let (we, people) = pronouns(keys);
    if people == 0 { 0.0 } else { we as f64 / people as f64 }
}

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
    fn symptoms() {
        assert_eq!(we_focus_share("We deliver our platform to you"), 2.0 / 3.0);
        assert_eq!(we_focus_share("Adjusters need time"), 0.0);
    }
}

/// Every score of one hop.
#[derive(Debug, Clone, PartialEq)]
pub struct HopScores {
    /// Per scenario metric, in the scenario's order: against the customer's words.
    pub vs_customer: Vec<f64>,
    /// Per scenario metric: against the message the hop received.
    pub vs_previous: Vec<f64>,
    pub jargon: f64,
    pub we_focus: f64,
    /// `customer_words` against each of the customer's three P's that is given.
    pub three_ps: Vec<f64>,
    /// `customer_words` against the customer's words, whatever the scenario's metrics (the
    /// `words` chart shows it).
    pub words: f64,
}

/// Scores traces of one scenario: the customer's words (and three P's) prepared once.
pub struct Scorer<'a> {
    lexicon: &'a Lexicon,
    metrics: &'a [Metric],
    engine: Engine,
    customer: Pattern,
    three_ps: Vec<Prepared>,
    /// Where `customer_words` sits in the scenario's metrics, if it does.
    words_at: Option<usize>,
}

impl<'a> Scorer<'a> {
    pub fn new(scenario: &'a crate::scenario::Scenario, lexicon: &'a Lexicon, engine: Engine) -> Scorer<'a> {
        Scorer {
            lexicon,
            metrics: &scenario.metrics,
            engine,
            customer: Pattern::new(Prepared::new(&scenario.customer.said, lexicon)),
            three_ps: scenario.customer.three_ps().iter().map(|(_, p)| Prepared::new(p, lexicon)).collect(),
            words_at: scenario.metrics.iter().position(|m| *m == Metric::CustomerWords),
        }
    }

    /// The headline metric of `text` against the customer's words.
    pub fn headline(&self, text: &str) -> f64 {
        let metric = self.metrics[0];
        if metric == Metric::Meaning {
            // the counterfactual asks this thousands of times: meaning needs only the words
            return self.customer.meaning_of(&meaning::Meaning::of(&Text::parse(&nfc(text))));
        }
        // ... and a character metric only the codes
        self.engine
            .score_codes_against(metric, &self.customer, &prepared::codes_of(text))
            .unwrap_or_else(|| self.engine.score_against(metric, &self.customer, &Prepared::new(text, self.lexicon)))
    }

    /// Scores every hop of a trace. A hop that passed the message on unchanged gets the
    /// previous hop's scores without recomputing them.
    pub fn score_trace(&self, trace: &crate::simulate::Trace) -> Vec<HopScores> {
        crate::interrupt::uncancelled(self.score_trace_cancellable(trace, crate::interrupt::Cancel::never()))
    }

    /// [`Scorer::score_trace`] that stops between metrics and between hops once `cancel` is
    /// cancelled: on a long chain of long messages scoring one run takes seconds.
    pub fn score_trace_cancellable(
        &self,
        trace: &crate::simulate::Trace,
        cancel: &crate::interrupt::Cancel,
    ) -> Result<Vec<HopScores>, crate::interrupt::Interrupted> {
        // each hop's text made ready, or None when it is the previous hop's text
        let prepared: Vec<Option<Prepared>> = trace
            .hops
            .iter()
            .enumerate()
            .map(|(i, hop)| {
                let unchanged = i > 0 && trace.hops[i - 1].text == hop.text;
                (!unchanged).then(|| Prepared::from_parsed(&hop.text, &hop.words, self.lexicon))
            })
            .collect();
        // against the customer, metric by metric, all the prepared hops at once (the engine
        // computes some several at a time), taken hop by hop below
        let texts: Vec<&Prepared> = prepared.iter().flatten().collect();
        // in slices of 16 hops (four of the engine's batches), so that Ctrl-C is seen within
        // a few long messages; distances are exact, so slicing changes no score
        let mut by_metric: Vec<Vec<f64>> = Vec::with_capacity(self.metrics.len());
        for &m in self.metrics {
            let mut scores = Vec::with_capacity(texts.len());
            for slice in texts.chunks(16) {
                cancel.check()?;
                scores.extend(self.engine.score_many_against(m, &self.customer, slice));
            }
            by_metric.push(scores);
        }
        let mut out: Vec<HopScores> = Vec::with_capacity(trace.hops.len());
        let mut previous: Option<&Prepared> = None;
        let mut columns: Vec<std::slice::Iter<f64>> = by_metric.iter().map(|scores| scores.iter()).collect();
        for p in &prepared {
            cancel.check()?;
            let Some(prepared) = p else {
                let mut same = out.last().expect("the first hop is always prepared").clone();
                same.vs_previous = vec![1.0; self.metrics.len()];
                out.push(same);
                continue;
            };
            let vs_customer: Vec<f64> = columns.iter_mut().map(|c| *c.next().expect("a score per prepared hop")).collect();
            let vs_previous = match previous {
                None => vs_customer.clone(),
                Some(before) => self.metrics.iter().map(|m| self.engine.score(*m, before, prepared)).collect(),
            };
            let (jargon, we_focus) = (prepared.jargon, prepared.we_focus);
            let words = match self.words_at {
                Some(k) => vs_customer[k],
                None => prepared.keeps_content_of(&self.customer.prepared),
            };
            let three_ps = self.three_ps.iter().map(|p| prepared.keeps_content_of(p)).collect();
            out.push(HopScores { vs_customer, vs_previous, jargon, we_focus, three_ps, words });
            previous = Some(prepared);
        }
        Ok(out)
    }
}
