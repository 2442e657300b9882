//! Scoring real copy: a headline, a body, a call to action, held against what the customer
//! said.
//!
//! The numbers are the same metrics and symptoms a simulated hop gets. What a person writing
//! copy needs on top is *which* words: which of the customer's own words survived, which
//! phrases read as marketing-speak, how many pronouns are about "us". Those lists come from
//! the same definitions the metrics use (content words, [`marketing_speak_spans`],
//! [`pronouns`]), so "kept 2 of 9" is exactly the `customer_words` score.

use crate::lexicon::Lexicon;
use crate::metrics::meaning::{Meaning, MeaningPattern};
use crate::metrics::{Metric, SymptomWords, nfc, words};
use crate::text::{Small, Text};

/// A message to score and what to call it in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// "headline", "body", "call to action", a `--message` label or a file name.
    pub label: String,
    pub text: String,
}

/// Which of a reference's content words a message kept, each list in the reference's order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WordsKept {
    pub kept: Vec<String>,
    pub missing: Vec<String>,
}

impl WordsKept {
    pub fn total(&self) -> usize {
        self.kept.len() + self.missing.len()
    }

    /// The share kept: the `customer_words` metric (1 when there was nothing to keep).
    pub fn share(&self) -> f64 {
        if self.total() == 0 { 1.0 } else { self.kept.len() as f64 / self.total() as f64 }
    }
}

/// Everything `drift score` says about one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    pub message: Message,
    /// Every metric against the customer's words, in [`Metric::ALL`] order.
    pub scores: Vec<(Metric, f64)>,
    pub jargon: f64,
    pub we_focus: f64,
    /// The customer's content words the message kept and lost.
    pub customer_words: WordsKept,
    /// The marketing-speak the jargon symptom counted, as written in the message, each once.
    pub jargon_phrases: Vec<String>,
    /// (the seller's we/our/us, all pronouns for people): what we-focus is the share of
    /// (see `SymptomWords::sellers_we`).
    pub pronouns: (usize, usize),
    /// Per three P's given (a scenario's priorities, problems, perceptions): the words kept.
    /// Per P given: how much of it is still said (`meaning`, recall alone), and its words
    /// found as spelled.
    pub three_ps: Vec<(&'static str, f64, WordsKept)>,
}

/// The customer's side: what they said, and their three P's where a scenario gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub who: Option<String>,
    pub said: String,
    pub three_ps: Vec<(&'static str, String)>,
}

/// Scores each message against the customer.
pub fn score(customer: &Customer, messages: &[Message], lexicon: &Lexicon) -> Vec<Scorecard> {
    let customer_content = content_words(&customer.said, lexicon);
    let customer_prepared = crate::metrics::Prepared::new(&customer.said, lexicon);
    let ps: Vec<(&'static str, Vec<Small>, MeaningPattern)> =
        customer.three_ps.iter().map(|(name, p)| (*name, content_words(p, lexicon), MeaningPattern::new(Meaning::of_str(p)))).collect();
    messages
        .iter()
        .map(|message| {
            let parsed = Text::parse(&nfc(&message.text));
            let lower = parsed.lower_words();
            let scores = Metric::ALL.iter().map(|m| (*m, m.score(&customer.said, &message.text, lexicon))).collect();
            let keys = parsed.keys();
            let meaning = Meaning::of(&parsed);
            let symptoms = SymptomWords::of(&parsed, &keys, lexicon);
            let (jargon, we_focus) = symptoms.against(&keys, &customer_prepared.vocabulary, &customer_prepared.symptoms);
            let mut jargon_phrases: Vec<String> = Vec::new();
            for (from, to) in symptoms.jargon_spans(&keys, &customer_prepared.vocabulary) {
                let phrase = parsed.span_text(from, to);
                if !jargon_phrases.iter().any(|p| p.to_lowercase() == phrase.to_lowercase()) {
                    jargon_phrases.push(phrase.into());
                }
            }
            Scorecard {
                message: message.clone(),
                scores,
                jargon,
                we_focus,
                customer_words: kept(&customer_content, &lower),
                jargon_phrases,
                pronouns: (symptoms.sellers_we(&customer_prepared.symptoms), symptoms.people),
                three_ps: ps.iter().map(|(name, content, p)| (*name, p.still_said(&meaning), kept(content, &lower))).collect(),
            }
        })
        .collect()
}

/// Each metric of [`Metric::ALL`] on unrelated text of the customer's length: the chance line
/// beside the table.
pub fn chance(customer: &Customer, lexicon: &Lexicon) -> Vec<f64> {
    crate::metrics::chance::chance(&customer.said, Metric::ALL, lexicon)
}

/// A text's distinct content words (stop words left out; all its words if nothing else is
/// left), lower-cased, in order of first appearance: the words `customer_words` counts.
pub fn content_words(text: &str, lexicon: &Lexicon) -> Vec<Small> {
    let all = words(text);
    let mut out: Vec<Small> = Vec::new();
    for w in all.iter().filter(|w| !lexicon.stopwords.contains(crate::text::key_of(w))) {
        if !out.contains(w) {
            out.push(w.clone());
        }
    }
    if out.is_empty() {
        for w in all {
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

fn kept(reference: &[Small], message: &[Small]) -> WordsKept {
    let (kept, missing): (Vec<&Small>, Vec<&Small>) = reference.iter().partition(|w| message.contains(w));
    WordsKept { kept: kept.into_iter().map(ToString::to_string).collect(), missing: missing.into_iter().map(ToString::to_string).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(said: &str) -> Customer {
        Customer { who: None, said: said.to_string(), three_ps: Vec::new() }
    }

    fn one(said: &str, message: &str) -> Scorecard {
        let lexicon = Lexicon::built_in();
        let message = Message { label: "m".into(), text: message.into() };
        score(&customer(said), &[message], &lexicon).remove(0)
    }

    #[test]
    fn kept_words_are_the_customer_words_metric() {
        let card = one(
            "We keep losing our best adjusters to paperwork. I need them back in the field.",
            "Our platform gives adjusters their field time back from paperwork.",
        );
        let metric = card.scores.iter().find(|(m, _)| *m == Metric::CustomerWords).unwrap().1;
        assert!((card.customer_words.share() - metric).abs() < 1e-12, "{:?} vs {metric}", card.customer_words);
        assert_eq!(card.customer_words.kept, ["adjusters", "paperwork", "back", "field"]);
        assert!(card.customer_words.missing.contains(&"losing".to_string()));
        assert!(!card.customer_words.missing.iter().any(|w| w == "the" || w == "we"), "stop words are not counted");
    }

    #[test]
    fn jargon_phrases_are_named_as_written() {
        let card =
            one("I need my adjusters back", "Our best-in-class platform eliminates administrative overhead. Administrative overhead!");
        assert!(card.jargon > 0.0);
        assert!(card.jargon_phrases.iter().any(|p| p == "administrative overhead"), "{:?}", card.jargon_phrases);
        assert_eq!(card.jargon_phrases.iter().filter(|p| p.eq_ignore_ascii_case("administrative overhead")).count(), 1);
        let plain = one("I need my adjusters back", "I need my adjusters back");
        assert_eq!(plain.jargon, 0.0);
        assert!(plain.jargon_phrases.is_empty());
    }

    #[test]
    fn pronouns_give_the_we_focus() {
        let card = one("I need time", "We give you our platform and we help us");
        assert_eq!(card.pronouns, (4, 5));
        assert!((card.we_focus - 0.8).abs() < 1e-12);
    }

    #[test]
    fn three_ps_are_kept_apart() {
        let lexicon = Lexicon::built_in();
        let c = Customer {
            who: Some("Maria".into()),
            said: "My nurses chart all shift".into(),
            three_ps: vec![("priorities", "Keep nurses with patients".into()), ("perceptions", "Simpler charting".into())],
        };
        let cards = score(&c, &[Message { label: "ad".into(), text: "Nurses back with patients".into() }], &lexicon);
        assert_eq!(cards[0].three_ps[0].0, "priorities");
        assert_eq!(cards[0].three_ps[0].2.kept, ["nurses", "patients"]);
        assert_eq!(cards[0].three_ps[1].2.missing, ["simpler", "charting"]);
        // "still said" by meaning: nothing of the perceptions, most of the priorities
        assert_eq!(cards[0].three_ps[1].1, 0.0);
        assert!(cards[0].three_ps[0].1 > 0.5, "{}", cards[0].three_ps[0].1);
    }

    /// The customer's own words keep every P whole and show no symptom (issue 14).
    #[test]
    fn the_customers_own_words_keep_every_p_and_show_no_symptom() {
        let lexicon = Lexicon::built_in();
        let c = Customer {
            who: None,
            said: "We keep losing our best adjusters to paperwork. Every time our chart of accounts changes, we lose hours. \
                   Keep adjusters in the field. Three systems for one claim. A single screen would do."
                .into(),
            three_ps: vec![
                ("priorities", "Keep adjusters in the field.".into()),
                ("problems", "Three systems for one claim.".into()),
                ("perceptions", "A single screen would do.".into()),
            ],
        };
        let cards = score(&c, &[Message { label: "own".into(), text: c.said.clone() }], &lexicon);
        for (name, still, _) in &cards[0].three_ps {
            assert_eq!(*still, 1.0, "{name}");
        }
        assert_eq!((cards[0].jargon, cards[0].we_focus), (0.0, 0.0));
    }

    #[test]
    fn a_text_of_stop_words_counts_all_its_words() {
        assert_eq!(content_words("we need it", &Lexicon::built_in()), ["need"]);
        assert_eq!(content_words("it is what it is", &Lexicon::built_in()), ["it", "is", "what"]);
    }
}
