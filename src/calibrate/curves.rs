//! What is measured of a retelling chain, generation by generation: the curves the published
//! serial-reproduction studies report, plus word order, rewording and verbatim copying; and,
//! over all generations at once, how often a message is passed on intact by its length.
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
    /// Share of the retelling's words (all of them, function words included) that lie in runs
    /// of [`VERBATIM_RUN`] or more consecutive words copied from the text heard: word for word
    /// repetition, as opposed to the same content in one's own words.
    Verbatim,
    /// Share of retellings that bring in one of the hedges or remarks drift's `elaborate`
    /// adds ("apparently", "I think", "or something like that") that the text heard did not
    /// have: what tells the teller's own comment apart from other new words, so that a fit
    /// cannot buy people's new words with stock hedges.
    Hedged,
}

impl Curve {
    pub const ALL: [Curve; 8] =
        [Curve::Length, Curve::Original, Curve::Kept, Curve::Order, Curve::Added, Curve::Reworded, Curve::Verbatim, Curve::Hedged];

    pub fn name(self) -> &'static str {
        match self {
            Curve::Length => "length",
            Curve::Original => "original_words",
            Curve::Kept => "kept_words",
            Curve::Order => "order",
            Curve::Added => "added_words",
            Curve::Reworded => "reworded",
            Curve::Verbatim => "verbatim",
            Curve::Hedged => "hedged",
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
            Curve::Verbatim => "words in runs of 4+ copied verbatim",
            Curve::Hedged => "retellings that add a hedge (\"apparently\", \"I think\")",
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
            Curve::Verbatim => "copied verbatim",
            Curve::Hedged => "hedge added",
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
    /// All its words in order, function words and repeats included.
    pub keys: Vec<Key>,
    /// Which of the lexicon's hedges and remarks it holds ([`Lexicon::hedge_phrases`]).
    pub hedges: Vec<usize>,
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
        let hedges = lexicon.hedge_phrases(text);
        Words { len: keys.len(), content, vocabulary, sequence, tokens, keys, hedges }
    }

    /// Share of `reference`'s content words present here (as the `customer_words` metric).
    pub fn keeps_content_of(&self, reference: &Words) -> f64 {
        crate::metrics::share_kept(&reference.content, &self.vocabulary)
    }
}

/// How many curves there are.
pub const CURVES: usize = Curve::ALL.len();

/// What is measured of one retelling (one hop of a chain): the curves, indexed by [`Curve`],
/// and the heard text's length in distinct content words, which bins the intact rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub curves: [f64; CURVES],
    /// How many distinct content words the text heard had.
    pub heard_content: usize,
}

impl std::ops::Index<Curve> for Point {
    type Output = f64;
    fn index(&self, curve: Curve) -> &f64 {
        &self.curves[curve.index()]
    }
}

impl Point {
    /// Passed on intact: every content word of the text heard is in the retelling.
    pub fn intact(&self) -> bool {
        self[Curve::Kept] >= 1.0
    }
}

/// The curves at generation `g` ≥ 1 of a chain: `original` is generation 0, `heard` the text
/// the person at generation `g` heard, `told` what they passed on.
pub fn point(original: &Words, heard: &Words, told: &Words) -> Point {
    let length = if original.len == 0 { 1.0 } else { told.len as f64 / original.len as f64 };
    let added = 1.0 - heard.keeps_content_of(told);
    Point {
        curves: [
            length,
            told.keeps_content_of(original),
            told.keeps_content_of(heard),
            order_kept(heard, told),
            added,
            reworded(heard, told),
            verbatim(heard, told),
            f64::from(u8::from(told.hedges.iter().any(|h| !heard.hedges.contains(h)))),
        ],
        heard_content: heard.content.len(),
    }
}

/// The shortest run of consecutive words that counts as copied verbatim: four words are rarely
/// repeated by chance ("the end of the" aside), three often are ("in the morning").
pub const VERBATIM_RUN: usize = 4;

/// Of `told`'s words (all of them, lower-cased keys), the share in a run of at least
/// [`VERBATIM_RUN`] consecutive words that also occurs, word for word, in `heard` (every
/// maximal common run of the two texts; a heard text shorter than that counts when it is
/// repeated whole). 0 for a retelling without words. O(n·m) time, O(m) memory.
pub fn verbatim(heard: &Words, told: &Words) -> f64 {
    let (a, b) = (&heard.keys, &told.keys);
    if b.is_empty() || a.is_empty() {
        return 0.0;
    }
    let min_run = VERBATIM_RUN.min(a.len());
    // run[i + 1]: the length of the common run ending at heard[i] and the current told word
    let mut run = vec![0usize; a.len() + 1];
    // longest[j]: the longest common run ending at told[j]
    let mut longest = vec![0usize; b.len()];
    for (j, &y) in b.iter().enumerate() {
        for i in (0..a.len()).rev() {
            run[i + 1] = if a[i] == y { run[i] + 1 } else { 0 };
            longest[j] = longest[j].max(run[i + 1]);
        }
    }
    // a word is copied when a run of min_run or more ending at it or after it reaches back to it
    let mut copied = 0;
    let mut from = usize::MAX;
    for j in (0..b.len()).rev() {
        if longest[j] >= min_run {
            from = from.min(j + 1 - longest[j]);
        }
        if from <= j {
            copied += 1;
        }
    }
    copied as f64 / b.len() as f64
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

/// The bins of the intact rate: the heard text's distinct content words, first and last of
/// each bin. Narrow where people's rate turns (a remark of two or three content words is
/// nearly always passed on whole, one of a dozen rarely), wide where it is close to 0: Gistr's
/// quotes hold 5–35 content words, Kreiss's stories about 80 at first and 10–40 later.
pub const INTACT_BINS: [(usize, usize); 7] = [(1, 3), (4, 6), (7, 9), (10, 14), (15, 24), (25, 49), (50, usize::MAX)];

/// How many bins the intact rate has.
pub const BINS: usize = INTACT_BINS.len();

/// A bin with fewer observed retellings than this is shown but not scored (nor fitted to): its
/// rate is too noisy to judge a preset by (a standard error of up to 0.11).
pub const MIN_BIN_HOPS: usize = 20;

/// The bin of a heard text with `content` distinct content words; `None` for none.
pub fn intact_bin(content: usize) -> Option<usize> {
    INTACT_BINS.iter().position(|&(lo, hi)| (lo..=hi).contains(&content))
}

/// How a bin is written: "1–3", "50+".
pub fn bin_label(bin: usize) -> String {
    match INTACT_BINS[bin] {
        (lo, usize::MAX) => format!("{lo}+"),
        (lo, hi) => format!("{lo}–{hi}"),
    }
}

/// Retellings counted into a bin of the intact rate, and how many of them were intact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub hops: usize,
    pub intact: usize,
}

impl Tally {
    /// The share passed on intact; `None` without retellings.
    pub fn rate(&self) -> Option<f64> {
        (self.hops > 0).then(|| self.intact as f64 / self.hops as f64)
    }

    /// The rate and its binomial standard error, with the share moved a little off 0 and 1
    /// ((k + 1) / (n + 2)) so that a bin where every retelling was intact is not taken as exact.
    pub fn fit(&self) -> Option<(f64, f64)> {
        let rate = self.rate()?;
        let p = (self.intact as f64 + 1.0) / (self.hops as f64 + 2.0);
        Some((rate, (p * (1.0 - p) / self.hops as f64).sqrt()))
    }

    /// True when the bin has enough retellings to be scored and fitted to.
    pub fn scored(&self) -> bool {
        self.hops >= MIN_BIN_HOPS
    }
}

/// The intact rate's tallies over retellings of any generation.
pub fn intact_by_length<'a>(points: impl IntoIterator<Item = &'a Point>) -> [Tally; BINS] {
    let mut tallies = [Tally::default(); BINS];
    for p in points {
        if let Some(b) = intact_bin(p.heard_content) {
            tallies[b].hops += 1;
            tallies[b].intact += usize::from(p.intact());
        }
    }
    tallies
}

/// What is judged of a preset: each curve along the generations, and the intact rate along
/// message length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Curve(Curve),
    IntactByLength,
}

impl Family {
    pub const ALL: [Family; CURVES + 1] = [
        Family::Curve(Curve::Length),
        Family::Curve(Curve::Original),
        Family::Curve(Curve::Kept),
        Family::Curve(Curve::Order),
        Family::Curve(Curve::Added),
        Family::Curve(Curve::Reworded),
        Family::Curve(Curve::Verbatim),
        Family::Curve(Curve::Hedged),
        Family::IntactByLength,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Family::Curve(c) => c.name(),
            Family::IntactByLength => "intact_by_length",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Family::Curve(c) => c.label(),
            Family::IntactByLength => "passed on intact, by content words heard",
        }
    }
}

/// Where on a family a point is: a generation (from 1) or a bin of the intact rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum At {
    Generation(usize),
    Bin(usize),
}

impl At {
    /// "generation 3", "7–9 content words".
    pub fn describe(self) -> String {
        match self {
            At::Generation(g) => format!("generation {g}"),
            At::Bin(b) => format!("{} content words", bin_label(b)),
        }
    }

    /// A column heading: "3", "7–9".
    pub fn heading(self) -> String {
        match self {
            At::Generation(g) => g.to_string(),
            At::Bin(b) => bin_label(b),
        }
    }
}

/// A number [`fit_value`] gives, on the curve's own scale: for length the geometric mean, a
/// ratio to the original's length, as the other curves are shares.
pub fn natural(curve: Curve, fitted: f64) -> f64 {
    if curve == Curve::Length { fitted.exp() } else { fitted }
}

/// p10, p25, median, p75, p90 and mean of a sample.
pub fn band(values: &[f64]) -> crate::stats::Band {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mean = if sorted.is_empty() { f64::NAN } else { sorted.iter().sum::<f64>() / sorted.len() as f64 };
    crate::stats::Band::of_sample(sorted.len() as u64, |k| sorted[k as usize], mean)
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
        assert_eq!(points[0][Curve::Length], 0.7);
        assert_eq!(points[0][Curve::Original], 5.0 / 7.0);
        assert_eq!(points[0][Curve::Kept], 5.0 / 7.0);
        // kept in order: bridge closed buses take detour → buses take detour bridge closed: 3 of 5
        assert_eq!(points[0][Curve::Order], 0.6);
        assert_eq!(points[1][Curve::Length], 0.3);
        assert_eq!(points[1][Curve::Kept], 1.0 / 5.0);
        assert_eq!(points[1][Curve::Order], 1.0);
        // "shut" is new in the third text: 1 of its 2 content words
        assert_eq!(points[0][Curve::Added], 0.0);
        assert_eq!(points[1][Curve::Added], 0.5);
        // "closed" → "shut" in place, "buses take detour" dropped: 1 of 5
        assert_eq!(points[1][Curve::Reworded], 0.2);
        assert_eq!(points[0][Curve::Reworded], 0.0);
    }

    fn verbatim_of(heard: &str, told: &str) -> f64 {
        let lex = Lexicon::built_in();
        verbatim(&Words::new(heard, &lex), &Words::new(told, &lex))
    }

    #[test]
    fn verbatim_counts_words_in_copied_runs_of_four_or_more() {
        let heard = "The old bridge over the river closed on Tuesday after heavy rain fell all night.";
        // a copy, whatever the case and punctuation
        assert_eq!(verbatim_of(heard, heard), 1.0);
        assert_eq!(verbatim_of(heard, "the OLD bridge over the river, closed on tuesday after heavy rain fell all night"), 1.0);
        // every third word changed: no run longer than two
        assert_eq!(verbatim_of(heard, "The old road over the lake closed in Tuesday after snowy rain fell any night."), 0.0);
        // three words in a row are not enough, four are
        assert_eq!(verbatim_of(heard, "The old bridge fell."), 0.0);
        assert_eq!(verbatim_of(heard, "Sadly the old bridge over collapsed."), 4.0 / 6.0);
        // two copied runs from different places, one of them moved; function words count
        assert_eq!(verbatim_of(heard, "after heavy rain fell, we heard, the old bridge over the river closed"), 11.0 / 13.0);
        // overlapping runs copied twice over still count each told word once
        assert_eq!(verbatim_of(heard, "the old bridge over the old bridge over"), 1.0);
        // a heard text shorter than a run counts when repeated whole
        assert_eq!(verbatim_of("Bridge closed.", "Bridge closed."), 1.0);
        assert_eq!(verbatim_of("Bridge closed.", "Bridge shut."), 0.0);
        assert_eq!(verbatim_of(heard, ""), 0.0);
    }

    #[test]
    fn intact_rate_by_length_bins_the_heard_content_words() {
        assert_eq!([1, 3, 4, 9, 10, 14, 15, 49, 50, 500].map(intact_bin), [0, 0, 1, 2, 3, 3, 4, 5, 6, 6].map(Some));
        assert_eq!(intact_bin(0), None);
        assert_eq!((bin_label(0), bin_label(6)), ("1–3".to_string(), "50+".to_string()));
        let lex = Lexicon::built_in();
        // bridge closed (2 content words): intact, then not; buses take detour bridge closed (5)
        let chain: Vec<String> = [
            "Buses take a detour. The bridge closed.",
            "Buses take a detour, the bridge closed.",
            "The bridge closed.",
            "The bridge shut.",
        ]
        .map(String::from)
        .to_vec();
        let points = measure(&chain, &lex);
        assert_eq!(points.iter().map(|p| (p.heard_content, p.intact())).collect::<Vec<_>>(), [(5, true), (5, false), (2, false)]);
        let tallies = intact_by_length(&points);
        assert_eq!(tallies[0], Tally { hops: 1, intact: 0 });
        assert_eq!(tallies[1], Tally { hops: 2, intact: 1 });
        assert_eq!(tallies[1].rate(), Some(0.5));
        assert!(!tallies[1].scored() && Tally { hops: MIN_BIN_HOPS, intact: 0 }.scored());
        // a bin where every retelling was intact still has a standard error
        let (rate, se) = Tally { hops: 30, intact: 30 }.fit().unwrap();
        assert!(rate == 1.0 && se > 0.0);
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
