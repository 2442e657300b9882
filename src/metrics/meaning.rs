//! `meaning`: how much of what the customer said is still said.
//!
//! Each content word of one text is matched with its best counterpart in the other: the
//! same base form or the same number counts 1 ("matches"/"match", "five"/"5"), a shared
//! dictionary sense [`SYNONYM`] ("fix"/"repair"), a sense one link away [`RELATED`]
//! ("invoice"/"bill" is a sense, "baker"/"bake" a derivation, "car"/"vehicle" a broader
//! sense). Words count by how informative they are, so "adjusters" weighs more than "make".
//! The share of the customer's words found in the message (recall) and of the message's
//! words found in the customer's (precision) are combined by their harmonic mean: a message
//! scores high only when it keeps what the customer said *and* adds little else. A negation
//! on one side only ("we lose time" / "we don't lose time") costs [`NEGATION`] of the score,
//! a changed number ("two days" / "three days") [`NUMBER`]. A changed name or thing is an
//! unmatched word the dictionary rates rare, the heaviest loss there is.
//!
//! This is the lexical alignment of Sultan, Bethard & Sumner's STS systems (2014, 2015),
//! with WordNet in place of PPDB and informativeness weights added; its constants were
//! chosen on the STS Benchmark's train split and checked on its dev split (README, Metrics).
//! A text against itself scores exactly 1.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use smallvec::SmallVec;

use crate::analysis::{Analysis, Form, Token};
use crate::text::Key;
use crate::wordnet::{WordId, intersect, table};

/// `meaning` in the registry.
pub const DEFINITION: super::Definition = super::Definition {
    name: "meaning",
    label: "meaning",
    summary: "what the customer said still said: words matched by base form, sense or related sense, weighted by how much they tell",
    score: Some(score),
    codes: None,
};

fn score(_: super::Engine, a: &super::Prepared, b: &super::Prepared) -> f64 {
    meaning(&a.meaning, &b.meaning)
}

/// What a shared sense is worth.
pub const SYNONYM: f64 = 0.9;
/// What a sense one link away is worth.
pub const RELATED: f64 = 0.6;
/// The share of the score a negation on one side only takes away.
pub const NEGATION: f64 = 0.2;
/// The share of the score a changed number takes away (a number on each side that matches
/// none on the other: "two days" / "three days"), on top of the number's own weight.
pub const NUMBER: f64 = 0.1;

/// A text made ready for `meaning`: its content words, and their units sorted so that the
/// words two texts share are found in one merge.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meaning {
    tokens: Vec<Token>,
    /// (unit, position), sorted.
    units: Vec<(Key, u32)>,
    negated: bool,
}

impl Meaning {
    pub fn new(analysis: Analysis) -> Meaning {
        let mut units: Vec<(Key, u32)> = analysis.tokens.iter().enumerate().map(|(i, t)| (t.unit, i as u32)).collect();
        units.sort_unstable();
        Meaning { tokens: analysis.tokens, units, negated: analysis.negated }
    }

    /// The meaning of a text, straight from its words.
    pub fn of(text: &crate::text::Text) -> Meaning {
        Meaning::new(crate::analysis::analyse(text))
    }

    /// The meaning of a text as written (NFC-normalised and parsed here).
    pub fn of_str(text: &str) -> Meaning {
        Meaning::of(&crate::text::Text::parse(&super::nfc(text)))
    }

    fn total_weight(&self) -> f64 {
        self.tokens.iter().map(|t| t.weight).sum()
    }
}

/// What matching word `a` with word `b` is worth: 1 for a shared form, [`SYNONYM`] for a
/// shared sense, [`RELATED`] for a sense one link away, else 0. Symmetric.
fn worth_of(a: &Token, b: &Token) -> f64 {
    if a.forms.iter().any(|f| b.forms.contains(f)) {
        return 1.0;
    }
    fn lemmas(x: &Token) -> impl Iterator<Item = WordId> + Clone + '_ {
        x.forms.iter().filter_map(|f| if let Form::Lemma(id) = f { Some(*id) } else { None })
    }
    let t = table();
    let any_pair = |linked: &dyn Fn(WordId, WordId) -> bool| lemmas(a).any(|x| lemmas(b).any(|y| linked(x, y)));
    if any_pair(&|x, y| intersect(t.senses(x), t.senses(y))) {
        SYNONYM
    } else if any_pair(&|x, y| intersect(t.related(x), t.senses(y)) || intersect(t.senses(x), t.related(y))) {
        RELATED
    } else {
        0.0
    }
}

/// [`worth_of`], remembered per pair of words per thread: a run compares the same words
/// over and over, and looking senses up costs far more than a table lookup. The memory is a
/// fixed table of 2¹⁷ slots of 8 bytes (1 MiB), each holding the last pair that hashed to it
/// and its worth: small enough to stay in a core's cache, which a growing map of every pair
/// does not (measured on the benchmark scenario: a `HashMap` of pairs cost a fifth of the
/// run time in cache misses).
fn worth(a: &Token, b: &Token) -> f64 {
    const SLOTS: usize = 1 << 17;
    /// Units above this do not fit a slot and are worked out every time.
    const UNIT_BITS: u32 = 30;
    thread_local! {
        static KNOWN: RefCell<Vec<u64>> = RefCell::new(vec![u64::MAX; SLOTS]);
    }
    if a.unit == b.unit {
        return 1.0;
    }
    let linked = a.senses.meets(b.senses) || a.senses.meets(b.related) || a.related.meets(b.senses);
    if !linked {
        // no sense and no link in common; only a shared form is left to look for
        return if a.forms.iter().any(|f| b.forms.contains(f)) { 1.0 } else { 0.0 };
    }
    let (low, high) = if a.unit < b.unit { (a.unit, b.unit) } else { (b.unit, a.unit) };
    if high >= 1 << UNIT_BITS {
        return worth_of(a, b);
    }
    // the pair in the top 60 bits, the worth's code in the bottom 4
    let pair = (u64::from(low) << UNIT_BITS | u64::from(high)) << 4;
    let slot = (pair.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOTS.trailing_zeros())) as usize;
    const WORTHS: [f64; 4] = [0.0, RELATED, SYNONYM, 1.0];
    KNOWN.with_borrow_mut(|known| {
        let held = known[slot];
        if held & !0xF == pair {
            return WORTHS[(held & 0xF) as usize];
        }
        let w = worth_of(a, b);
        let code = WORTHS.iter().position(|&x| x == w).expect("a worth is one of four values");
        known[slot] = pair | code as u64;
        w
    })
}

/// Each word's best match so far; on the stack for messages of up to 64 content words.
type Best = SmallVec<[f64; 64]>;

/// Marks the words `a` and `b` both say, as written, with 1 in `best_a` and `best_b`: one
/// merge of the sorted units.
fn same_words(a: &Meaning, b: &Meaning, best_a: &mut [f64], best_b: &mut [f64]) {
    let (mut i, mut j) = (0, 0);
    while i < a.units.len() && j < b.units.len() {
        let unit = a.units[i].0;
        match unit.cmp(&b.units[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                while i < a.units.len() && a.units[i].0 == unit {
                    best_a[a.units[i].1 as usize] = 1.0;
                    i += 1;
                }
                while j < b.units.len() && b.units[j].0 == unit {
                    best_b[b.units[j].1 as usize] = 1.0;
                    j += 1;
                }
            }
        }
    }
}

/// How much of `a` is still said in `b` (and of `b` in `a`), in [0, 1]; see the module.
///
/// Words both texts say as written are matched first; each remaining word is then matched
/// with its best counterpart among the other text's remaining words (as an aligner takes
/// identical words first). Besides being the better reading, it keeps the work to the words
/// a hop changed.
pub fn meaning(a: &Meaning, b: &Meaning) -> f64 {
    let (mut best_a, mut best_b): (Best, Best) = (smallvec::smallvec![0.0; a.tokens.len()], smallvec::smallvec![0.0; b.tokens.len()]);
    same_words(a, b, &mut best_a, &mut best_b);
    let unmatched_b: SmallVec<[usize; 32]> = (0..b.tokens.len()).filter(|&y| best_b[y] < 1.0).collect();
    for (x, ta) in a.tokens.iter().enumerate() {
        if best_a[x] == 1.0 {
            continue;
        }
        for &y in &unmatched_b {
            let w = worth(ta, &b.tokens[y]);
            best_a[x] = best_a[x].max(w);
            best_b[y] = best_b[y].max(w);
        }
    }
    combine(a, b, &best_a, &best_b)
}

/// The harmonic mean of the two sides' shares, and the penalties.
fn combine(a: &Meaning, b: &Meaning, best_a: &[f64], best_b: &[f64]) -> f64 {
    match (a.tokens.is_empty(), b.tokens.is_empty()) {
        (true, true) => return if a.negated == b.negated { 1.0 } else { 1.0 - NEGATION },
        (true, false) | (false, true) => return 0.0,
        (false, false) => {}
    }
    let share = |m: &Meaning, best: &[f64]| m.tokens.iter().zip(best).map(|(t, b)| t.weight * b).sum::<f64>() / m.total_weight();
    let (recall, precision) = (share(a, best_a), share(b, best_b));
    let mut f = if recall + precision == 0.0 { 0.0 } else { 2.0 * recall * precision / (recall + precision) };
    let unmatched_number =
        |m: &Meaning, best: &[f64]| m.tokens.iter().zip(best).any(|(t, &b)| matches!(t.forms[0], Form::Number(_)) && b < 1.0);
    if unmatched_number(a, best_a) && unmatched_number(b, best_b) {
        f *= 1.0 - NUMBER;
    }
    if a.negated != b.negated {
        f *= 1.0 - NEGATION;
    }
    f
}

/// The customer's words, compared with thousands of messages: for each word a message may
/// hold, the customer's words it matches are worked out once per thread and remembered.
#[derive(Debug)]
pub struct MeaningPattern {
    pub meaning: Meaning,
    /// Tells this pattern's remembered matches from another's.
    id: u64,
}

impl MeaningPattern {
    pub fn new(meaning: Meaning) -> MeaningPattern {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        MeaningPattern { meaning, id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) }
    }

    /// [`meaning`] of this pattern against `b`: the same value, from remembered matches.
    pub fn against(&self, b: &Meaning) -> f64 {
        let (best_a, best_b) = self.best_matches(b);
        combine(&self.meaning, b, &best_a, &best_b)
    }

    /// How much of this text `b` still says: the weighted share of its words matched in `b`
    /// (recall alone, since `b` may say much else besides), less [`NEGATION`] when this text
    /// negates and `b` does not. 1 when `b` holds it whole, 0 when nothing in `b` speaks to
    /// it. How each of the customer's three P's is scored.
    pub fn still_said(&self, b: &Meaning) -> f64 {
        let a = &self.meaning;
        if a.tokens.is_empty() {
            return 1.0;
        }
        let (best_a, _) = self.best_matches(b);
        let kept = a.tokens.iter().zip(&best_a).map(|(t, w)| t.weight * w).sum::<f64>() / a.total_weight();
        if a.negated && !b.negated { kept * (1.0 - NEGATION) } else { kept }
    }

    /// Each word's best match, this text's and `b`'s.
    fn best_matches(&self, b: &Meaning) -> (Best, Best) {
        type Matches = Rc<[(u32, f64)]>;
        thread_local! {
            static KNOWN: RefCell<HashMap<(u64, Key), Matches, foldhash::fast::FixedState>> = Default::default();
        }
        let a = &self.meaning;
        let (mut best_a, mut best_b): (Best, Best) = (smallvec::smallvec![0.0; a.tokens.len()], smallvec::smallvec![0.0; b.tokens.len()]);
        same_words(a, b, &mut best_a, &mut best_b);
        // the words of `a` said as written are matched already
        let open_a: SmallVec<[bool; 64]> = best_a.iter().map(|&w| w < 1.0).collect();
        KNOWN.with(|known| {
            for (y, tb) in b.tokens.iter().enumerate() {
                if best_b[y] == 1.0 {
                    continue;
                }
                let key = (self.id, tb.unit);
                let found = known.borrow().get(&key).cloned();
                let matches = found.unwrap_or_else(|| {
                    let m: Matches = a
                        .tokens
                        .iter()
                        .enumerate()
                        .filter_map(|(x, ta)| Some((x as u32, worth_of(ta, tb))).filter(|(_, w)| *w > 0.0))
                        .collect();
                    let mut known = known.borrow_mut();
                    if known.len() > 200_000 {
                        known.clear();
                    }
                    known.insert(key, m.clone());
                    m
                });
                for &(x, w) in matches.iter().filter(|(x, _)| open_a[*x as usize]) {
                    best_a[x as usize] = best_a[x as usize].max(w);
                    best_b[y] = best_b[y].max(w);
                }
            }
        });
        (best_a, best_b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    fn score(a: &str, b: &str) -> f64 {
        let m = |s: &str| Meaning::of(&Text::parse(s));
        let generic = meaning(&m(a), &m(b));
        let pattern = MeaningPattern::new(m(a)).against(&m(b));
        assert_eq!(generic.to_bits(), pattern.to_bits(), "{a} / {b}");
        generic
    }

    #[test]
    fn a_text_against_itself_is_one() {
        for s in ["Every time our chart of accounts changes, someone loses two days.", "", "We", "Ünïcödé 我们的会计"] {
            assert_eq!(score(s, s), 1.0, "{s}");
        }
    }

    #[test]
    fn inflections_and_numbers_are_the_same_words() {
        assert_eq!(score("The invoices match", "the invoice matches"), 1.0);
        assert_eq!(score("five adjusters", "5 adjusters"), 1.0);
        assert!(score("five adjusters", "six adjusters") < 0.6);
    }

    #[test]
    fn synonyms_align() {
        let synonyms = score("Fix the invoices", "Repair the bills");
        assert!(synonyms > 0.8, "{synonyms}");
    }

    #[test]
    fn a_paraphrase_by_synonyms_beats_a_change_of_topic() {
        let customer = "The baker wants a website that handles her invoices so she can bake";
        let paraphrase = "The baker needs a site that deals with her bills so that she can bake";
        let change = "Our platform delivers best-in-class synergy for enterprise growth leaders";
        assert!(score(customer, paraphrase) > 0.6, "{}", score(customer, paraphrase));
        assert!(score(customer, change) < 0.1, "{}", score(customer, change));
    }

    #[test]
    fn a_negation_on_one_side_costs() {
        assert!(score("We lose hours every week", "We don't lose hours every week") < 0.85);
    }
}
