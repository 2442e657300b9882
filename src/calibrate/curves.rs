//! What is measured of a retelling chain, generation by generation: the curves the published
//! serial-reproduction studies report, plus word order.
//!
//! Words and content words are the metrics' own ([`crate::metrics::Prepared`]): lower-cased
//! words, content words being those that are not stop words in the lexicon. A test holds
//! [`Words`] to `Prepared`'s definitions.

use serde::Serialize;

use crate::lexicon::Lexicon;
use crate::text::{Key, Text};

/// One curve along the generations of a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Curve {
    /// Words in the retelling, relative to the original.
    Length,
    /// Share of the original's content words still present.
    Original,
    /// Share of the content words of the text a person heard that they passed on.
    Kept,
    /// Of the content words passed on, the share still in the order they were heard (longest
    /// common subsequence): 1 when nothing moved.
    Order,
    /// Share of the retelling's content words that were not in the text heard: what the
    /// teller put in (their own words for it, their comments).
    Added,
    /// Share of the heard text's content words that a word diff finds replaced in place
    /// (another word where it stood), as opposed to dropped: rewording, told apart from
    /// forgetting one thing and adding another elsewhere.
    Reworded,
}

impl Curve {
    pub const ALL: [Curve; 6] = [Curve::Length, Curve::Original, Curve::Kept, Curve::Order, Curve::Added, Curve::Reworded];

    pub fn name(self) -> &'static str {
        match self {
            Curve::Length => "length",
            Curve::Original => "original_words",
            Curve::Kept => "kept_words",
            Curve::Order => "order",
            Curve::Added => "added_words",
            Curve::Reworded => "reworded",
        }
    }

    /// How tables and charts call it.
    pub fn label(self) -> &'static str {
        match self {
            Curve::Length => "length (words, vs the original)",
            Curve::Original => "the original's content words still there",
            Curve::Kept => "content words kept from the text heard",
            Curve::Order => "kept words still in the order heard",
            Curve::Added => "content words added (not in the text heard)",
            Curve::Reworded => "content words reworded in place",
        }
    }

    /// A short label for the chart legend.
    pub fn short(self) -> &'static str {
        match self {
            Curve::Length => "length",
            Curve::Original => "original's words left",
            Curve::Kept => "words kept hop to hop",
            Curve::Order => "order kept",
            Curve::Added => "words added",
            Curve::Reworded => "words reworded",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A text's words as the curves read them.
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    /// How many words (tokens) it has.
    pub len: usize,
    /// Its distinct content words (all distinct words if nothing else is left), sorted.
    pub content: Vec<Key>,
    /// All its distinct words, sorted.
    pub vocabulary: Vec<Key>,
    /// Its content words in the order they first occur.
    pub sequence: Vec<Key>,
    /// All its content words in order, repeats included.
    pub tokens: Vec<Key>,
}

impl Words {
    pub fn new(text: &str, lexicon: &Lexicon) -> Words {
        Words::of(&Text::parse(&crate::metrics::nfc(text)), lexicon)
    }

    /// From a parsed text (the words of its NFC form).
    pub fn of(text: &Text, lexicon: &Lexicon) -> Words {
        let keys = text.keys();
        let (vocabulary, content) = crate::metrics::vocabulary_and_content(&keys, lexicon);
        let tokens: Vec<Key> = keys.iter().copied().filter(|k| content.binary_search(k).is_ok()).collect();
        let mut sequence = Vec::with_capacity(content.len());
        for &k in &tokens {
            if !sequence.contains(&k) {
                sequence.push(k);
            }
        }
        Words { len: keys.len(), content, vocabulary, sequence, tokens }
    }

    /// Share of `reference`'s content words present here (as the `customer_words` metric).
    pub fn keeps_content_of(&self, reference: &Words) -> f64 {
        crate::metrics::share_kept(&reference.content, &self.vocabulary)
    }
}

/// How many curves there are.
pub const CURVES: usize = Curve::ALL.len();

/// The curves at one generation of one chain, indexed by [`Curve::index`].
pub type Point = [f64; CURVES];

/// The curves at generation `g` ≥ 1 of a chain: `original` is generation 0, `heard` the text
/// the person at generation `g` heard, `told` what they passed on.
pub fn point(original: &Words, heard: &Words, told: &Words) -> Point {
    let length = if original.len == 0 { 1.0 } else { told.len as f64 / original.len as f64 };
    let added = 1.0 - heard.keeps_content_of(told);
    [length, told.keeps_content_of(original), told.keeps_content_of(heard), order_kept(heard, told), added, reworded(heard, told)]
}

/// Of the heard text's content words (in order, repeats included), the share a word diff
/// pairs with a different word where it stood: in each replaced stretch, as many as both
/// sides have.
pub fn reworded(heard: &Words, told: &Words) -> f64 {
    if heard.tokens.is_empty() {
        return 0.0;
    }
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &heard.tokens, &told.tokens);
    let replaced: usize = ops
        .iter()
        .map(|op| match *op {
            similar::DiffOp::Replace { old_len, new_len, .. } => old_len.min(new_len),
            _ => 0,
        })
        .sum();
    replaced as f64 / heard.tokens.len() as f64
}

/// The curves of a whole chain: one [`Point`] per retelling.
pub fn measure(texts: &[String], lexicon: &Lexicon) -> Vec<Point> {
    let words: Vec<Words> = texts.iter().map(|t| Words::new(t, lexicon)).collect();
    words.windows(2).map(|w| point(&words[0], &w[0], &w[1])).collect()
}

/// Of the content words `told` kept from `heard`, the share in a longest common subsequence of
/// the two orders; 1 when fewer than two words were kept.
pub fn order_kept(heard: &Words, told: &Words) -> f64 {
    let a: Vec<Key> = heard.sequence.iter().copied().filter(|k| told.content.binary_search(k).is_ok()).collect();
    let b: Vec<Key> = told.sequence.iter().copied().filter(|k| heard.content.binary_search(k).is_ok()).collect();
    if a.len() < 2 {
        return 1.0;
    }
    let mut row = vec![0usize; b.len() + 1];
    for &x in &a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y { diagonal + 1 } else { above.max(row[j]) };
            diagonal = above;
        }
    }
    row[b.len()] as f64 / a.len() as f64
}

/// The number the fit matches for a curve at a generation, with its standard error: the mean
/// across chains, and for length the mean of its logarithm (the geometric mean's). Means keep every chain's signal
/// (a median or a trimmed mean of a mix of short remarks and long stories sees only the
/// remarks) and move smoothly with the rates; the logarithm keeps the odd runaway chain (a
/// four-word remark that grows fivefold) from outweighing the rest.
pub fn fit_value(curve: Curve, values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let transformed: Vec<f64> = match curve {
        Curve::Length => values.iter().map(|v| v.max(0.01).ln()).collect(),
        _ => values.to_vec(),
    };
    let n = transformed.len() as f64;
    let mean = transformed.iter().sum::<f64>() / n;
    let variance = transformed.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, (variance / n).sqrt())
}

/// p10, p25, median, p75, p90 and mean of a sample.
pub fn band(values: &[f64]) -> crate::aggregate::Band {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mean = if sorted.is_empty() { f64::NAN } else { sorted.iter().sum::<f64>() / sorted.len() as f64 };
    crate::aggregate::Band::of_sample(sorted.len() as u64, |k| sorted[k as usize], mean)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Prepared;

    #[test]
    fn words_are_the_metrics_words() {
        let lex = Lexicon::built_in();
        for text in ["We keep losing our best adjusters to paperwork.", "The the of and", "Café naïve, 3.5 hours; don't stop.", ""] {
            let (w, p) = (Words::new(text, &lex), Prepared::new(text, &lex));
            assert_eq!((w.len, &w.content, &w.vocabulary), (p.words.len(), &p.content, &p.vocabulary), "{text}");
        }
        let a = Words::new("The old bridge closed after heavy rain.", &lex);
        let b = Words::new("After rain the bridge closed.", &lex);
        assert_eq!(
            b.keeps_content_of(&a),
            Prepared::new("After rain the bridge closed.", &lex)
                .keeps_content_of(&Prepared::new("The old bridge closed after heavy rain.", &lex))
        );
    }

    #[test]
    fn the_curves_of_a_small_chain() {
        let lex = Lexicon::built_in();
        let texts: Vec<String> =
            ["The bridge closed after heavy rain. Buses take a detour.", "Buses take a detour. The bridge closed.", "The bridge shut."]
                .map(String::from)
                .to_vec();
        let points = measure(&texts, &lex);
        assert_eq!(points.len(), 2);
        // 7 of 10 words; content: bridge closed heavy rain buses take detour → 5 of 7 kept
        assert_eq!(points[0][Curve::Length.index()], 0.7);
        assert_eq!(points[0][Curve::Original.index()], 5.0 / 7.0);
        assert_eq!(points[0][Curve::Kept.index()], 5.0 / 7.0);
        // kept in order: bridge closed buses take detour → buses take detour bridge closed: 3 of 5
        assert_eq!(points[0][Curve::Order.index()], 0.6);
        assert_eq!(points[1][Curve::Length.index()], 0.3);
        assert_eq!(points[1][Curve::Kept.index()], 1.0 / 5.0);
        assert_eq!(points[1][Curve::Order.index()], 1.0);
        // "shut" is new in the third text: 1 of its 2 content words
        assert_eq!(points[0][Curve::Added.index()], 0.0);
        assert_eq!(points[1][Curve::Added.index()], 0.5);
        // "closed" → "shut" in place, "buses take detour" dropped: 1 of 5
        assert_eq!(points[1][Curve::Reworded.index()], 0.2);
        assert_eq!(points[0][Curve::Reworded.index()], 0.0);
    }

    #[test]
    fn quantiles_interpolate() {
        let b = band(&[0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!((b.p10, b.p25, b.median, b.p75, b.p90, b.mean), (0.4, 1.0, 2.0, 3.0, 3.6, 2.0));
        let (mean, se) = fit_value(Curve::Kept, &[0.2, 0.4]);
        assert!((mean - 0.3).abs() < 1e-12 && (se - 0.1).abs() < 1e-12, "{mean} {se}");
        assert!(fit_value(Curve::Length, &[0.5, 2.0]).0.abs() < 1e-12);
    }
}
