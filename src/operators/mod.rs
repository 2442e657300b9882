//! What a person does to a message when they pass it on.
//!
//! One file per operator; each is a small pure function of (message, parameters, lexicon,
//! random stream) → (new message, edits). The edits are the explanation a trace shows: which
//! operator turned which words into which.

use rand::RngExt;
use rand::seq::IndexedRandom;
use serde::Serialize;

use crate::lexicon::{Alternative, Lexicon, PhraseTable};
use crate::text::{Small, Text, Word, tidy};

/// The random stream an operator draws from: one per (seed, run, hop).
pub type Stream = rand_chacha::ChaCha8Rng;

/// What an operator is, for the scenario reader, `--help`, the README and the simulation: its
/// name in scenarios, one line saying what it does, its parameters, and how it changes a
/// message. Each operator's file holds its own (`pub const DEFINITION`).
pub struct Definition {
    /// As scenarios write it (`we_focus`).
    pub name: &'static str,
    /// One line for `--help`, the README and `drift lexicon`.
    pub summary: &'static str,
    /// The name of the long-form text parameter, where the operator has one (`refocus`'s `to`).
    pub text_param: Option<&'static str>,
    /// The long-form number parameters besides `rate`.
    pub number_params: &'static [Param],
    /// Changes the parsed message in place and returns the edits.
    pub apply: fn(&mut Text, &Applied, &Context, &mut Stream) -> Vec<Edit>,
}

/// An operator as it acts on one message: its parameters, and its rate scaled by the
/// message's length where it has a `capacity` ([`load`]).
pub struct Applied<'a> {
    pub operator: &'a Operator,
    /// `rate` × `load`.
    pub rate: f64,
    /// The share of the rates that acts on this message: 1 without a capacity.
    pub load: f64,
}

/// Declares the operators from one list: each line names a variant and its file
/// (`src/operators/FILE.rs`, holding `pub const DEFINITION: Definition`), and becomes the
/// module, the [`OperatorKind`] variant and its place in [`OperatorKind::ALL`].
macro_rules! operators {
    ($($kind:ident => $file:ident),+ $(,)?) => {
        $(mod $file;)+

        /// The operators of DESIGN.md, and `paraphrase`, `reorder`, `elaborate` and `numbers`
        /// for plain retelling. Their order is the order a hop applies them in: first it
        /// (maybe) hears the customer again, then it retells what it remembers (forgets,
        /// rewords, reorders), then its habits colour the message, and last it pushes its own
        /// agenda.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum OperatorKind {
            $($kind,)+
        }

        impl OperatorKind {
            pub const ALL: &[OperatorKind] = &[$(OperatorKind::$kind,)+];

            /// The operator's name, summary, parameters and what it does.
            pub fn definition(self) -> &'static Definition {
                match self {
                    $(OperatorKind::$kind => &$file::DEFINITION,)+
                }
            }
        }
    };
}

// A new operator: a file in src/operators/ and one line here, where the hop should apply it.
operators! {
    Listen => listen,
    Omit => omit,
    Paraphrase => paraphrase,
    Reorder => reorder,
    Elaborate => elaborate,
    Numbers => numbers,
    Synonym => synonym,
    Abstract => abstraction,
    Jargon => jargon,
    WeFocus => we_focus,
    Amplify => amplify,
    Refocus => refocus,
    Anecdote => anecdote,
    Approve => approve,
}

impl OperatorKind {
    pub fn name(self) -> &'static str {
        self.definition().name
    }

    /// One line for `--help`, the README and `drift lexicon`.
    pub fn summary(self) -> &'static str {
        self.definition().summary
    }

    pub fn from_name(name: &str) -> Option<OperatorKind> {
        OperatorKind::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// The name of the long-form text parameter, where the operator has one.
    pub fn text_param(self) -> Option<&'static str> {
        self.definition().text_param
    }

    /// The long-form number parameters besides `rate`, where the operator has any.
    pub fn number_params(self) -> &'static [Param] {
        self.definition().number_params
    }
}

/// An operator's number parameters: what a scenario's long form, a sweep and the calibration
/// can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Param {
    /// How often the operator acts where it could (for `omit`: how often a filler goes).
    Rate,
    /// `omit`: how often a sentence's trailing clause is dropped (default rate × 0.5).
    Clause,
    /// `omit`: how often a whole sentence is dropped (default rate × 0.3).
    Sentence,
    /// `omit`: how often a detail at the end of a clause ("on Tuesday", "for fifty dollars")
    /// is dropped (default 0).
    Detail,
    /// A message of L words is handled at the rates × L² / (L² + capacity²): people keep a
    /// short message nearly word for word and retell a long one from its gist.
    Capacity,
}

impl Param {
    pub fn name(self) -> &'static str {
        match self {
            Param::Rate => "rate",
            Param::Clause => "clause",
            Param::Sentence => "sentence",
            Param::Detail => "detail",
            Param::Capacity => "capacity",
        }
    }

    pub fn from_name(name: &str) -> Option<Param> {
        [Param::Rate, Param::Clause, Param::Sentence, Param::Detail, Param::Capacity].into_iter().find(|p| p.name() == name)
    }

    /// True for a probability in [0, 1]; `capacity` is a number of words.
    pub fn is_rate(self) -> bool {
        self != Param::Capacity
    }
}

/// The largest `capacity` a scenario may give, in words: far beyond any message.
pub const MAX_CAPACITY: f64 = 100_000.0;

/// One operator with its parameters, as a hop applies it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operator {
    pub kind: OperatorKind,
    /// How often the operator acts where it could: 0 never, 1 always.
    pub rate: f64,
    /// `refocus`'s agenda (`to`) or `anecdote`'s story (`text`); the lexicon's when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `omit`: how often a trailing clause goes; rate × 0.5 when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<f64>,
    /// `omit`: how often a whole sentence goes; rate × 0.3 when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentence: Option<f64>,
    /// `omit`: how often a detail at the end of a clause goes; 0 when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<f64>,
    /// `omit`, `paraphrase`, `elaborate`: the rates scale by L² / (L² + capacity²) for a message of L
    /// words ([`load`]); absent, they apply as given whatever the length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<f64>,
}

/// The share of an operator's rates that acts on a message of `words` words: `words² /
/// (words² + capacity²)`. A message of `capacity` words gets half the rates, one half as long
/// a fifth, one twice as long four fifths: people pass on what fits in their memory span
/// nearly word for word and retell anything longer from its gist, with a fairly sharp turn
/// between the two (serial-reproduction studies: a two-word remark passes on intact nine
/// times in ten, a twenty-word text loses about half its content words at every retelling).
pub fn load(words: usize, capacity: f64) -> f64 {
    let (w, c) = ((words as f64).powi(2), capacity.powi(2));
    if w + c <= 0.0 { 1.0 } else { w / (w + c) }
}

/// The most text, in bytes, one operator may add to a message in one pass: past it the
/// operator stops, and the hop cuts the message to [`crate::text::MAX_CHARS`]. Without it a
/// lexicon whose every word turns into a paragraph would build a message of millions of
/// words inside a single hop before the hop's limit could act.
pub(crate) const GROWTH_BUDGET_BYTES: usize = 4 * crate::text::MAX_CHARS;

/// One change, as a trace explains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub operator: OperatorKind,
    /// Inline up to 24 bytes: most edits are a word or a phrase, and every hop of every run
    /// makes several.
    pub before: Small,
    pub after: Small,
}

impl Edit {
    pub fn new(operator: OperatorKind, before: impl Into<Small>, after: impl Into<Small>) -> Edit {
        Edit { operator, before: before.into(), after: after.into() }
    }

    pub fn operator_name(&self) -> &'static str {
        self.operator.name()
    }
}

/// What an operator hands on: the new message and what it changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub message: String,
    pub edits: Vec<Edit>,
}

impl Outcome {
    pub fn unchanged(message: &str) -> Outcome {
        Outcome { message: message.to_string(), edits: Vec::new() }
    }
}

/// What every operator may consult besides the message.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub lexicon: &'a Lexicon,
    /// The customer's own words, for `listen`.
    pub customer: &'a str,
    /// The same, parsed once for every run and hop (`listen`, `paraphrase` and `elaborate`
    /// consult them at every hop).
    pub customer_words: &'a Text,
}

impl Operator {
    /// The operator at `rate`, its other parameters at their defaults.
    pub const fn new(kind: OperatorKind, rate: f64) -> Operator {
        Operator { kind, rate, text: None, clause: None, sentence: None, detail: None, capacity: None }
    }

    /// A number parameter as the operator applies it (`clause` and `sentence` default to their
    /// share of `rate`); `None` for `capacity` when there is none.
    pub fn param(&self, param: Param) -> Option<f64> {
        match param {
            Param::Rate => Some(self.rate),
            Param::Clause => Some(self.clause.unwrap_or(self.rate * omit::CLAUSE_SHARE)),
            Param::Sentence => Some(self.sentence.unwrap_or(self.rate * omit::SENTENCE_SHARE)),
            Param::Detail => Some(self.detail.unwrap_or(0.0)),
            Param::Capacity => self.capacity,
        }
    }

    /// Sets a number parameter.
    pub fn set_param(&mut self, param: Param, value: f64) {
        match param {
            Param::Rate => self.rate = value,
            Param::Clause => self.clause = Some(value),
            Param::Sentence => self.sentence = Some(value),
            Param::Detail => self.detail = Some(value),
            Param::Capacity => self.capacity = Some(value),
        }
    }

    /// Applies the operator to a parsed message in place and returns its edits; a hop parses
    /// its message once and hands it from operator to operator.
    pub fn apply_in_place(&self, message: &mut Text, ctx: &Context, rng: &mut Stream) -> Vec<Edit> {
        // the length-dependent share of the rates: 1 without a capacity
        let load = match self.capacity {
            Some(capacity) => load(message.words.len(), capacity),
            None => 1.0,
        };
        (self.kind.definition().apply)(message, &Applied { operator: self, rate: self.rate * load, load }, ctx, rng)
    }

    /// The operator as a function of text: (message, parameters, lexicon, stream) → (new
    /// message, edits). A message nothing happened to comes back byte for byte.
    pub fn apply(&self, message: &str, ctx: &Context, rng: &mut Stream) -> Outcome {
        let mut text = Text::parse(message);
        let edits = self.apply_in_place(&mut text, ctx, rng);
        if edits.is_empty() {
            return Outcome::unchanged(message);
        }
        Outcome { message: text.render(), edits }
    }
}

/// Walks the message left to right and, where `table` has the longest phrase starting at a
/// word, swaps it for one of its alternatives with probability `rate`. New words are not
/// matched again in the same pass, so a phrase changes at most once per hop.
pub(crate) fn replace_phrases(text: &mut Text, table: &PhraseTable, rate: f64, kind: OperatorKind, rng: &mut Stream) -> Vec<Edit> {
    replace_phrases_except(text, table, rate, kind, rng, |_, _| false)
}

/// [`replace_phrases`], leaving alone the words `keep` picks (by the text and the word's
/// index): no phrase starts there, and no random number is drawn for them.
pub(crate) fn replace_phrases_except(
    text: &mut Text,
    table: &PhraseTable,
    rate: f64,
    kind: OperatorKind,
    rng: &mut Stream,
    keep: impl Fn(&Text, usize) -> bool,
) -> Vec<Edit> {
    if rate <= 0.0 || table.is_empty() {
        return Vec::new();
    }
    let mut edits = Vec::new();
    let (mut i, mut added) = (0, 0);
    while i < text.words.len() {
        if keep(text, i) {
            i += 1;
            continue;
        }
        let found = table.longest_match(&text.words, i, |len| text.is_phrase_span(i, i + len));
        let Some((len, alts)) = found else {
            i += 1;
            continue;
        };
        if !rng.random_bool(rate) {
            i += len;
            continue;
        }
        let Some(choice) = alts.choose(rng) else {
            i += len;
            continue;
        };
        if echoes(&text.words, i, len, choice) {
            i += len;
            continue;
        }
        let before = text.span_text(i, i + len);
        let inserted = text.splice_words(i, i + len, &choice.words);
        edits.push(Edit::new(kind, before, choice.text.as_str()));
        i += inserted.max(1);
        added += choice.text.len();
        if added > GROWTH_BUDGET_BYTES {
            break;
        }
    }
    finish(text, edits)
}

/// True when `choice` in place of words `i..i + len` would repeat the word just before or just
/// after it ("entire days" → "entire entire weeks"): such a swap is skipped.
pub(crate) fn echoes(words: &[Word], i: usize, len: usize, choice: &Alternative) -> bool {
    let (first, last) = (choice.words.first().map(|w| w.key), choice.words.last().map(|w| w.key));
    (i > 0 && first == Some(words[i - 1].key)) || (i + len < words.len() && last == Some(words[i + len].key))
}

/// The message after edits: tidied when anything changed, untouched otherwise.
pub(crate) fn finish(text: &mut Text, edits: Vec<Edit>) -> Vec<Edit> {
    if !edits.is_empty() {
        tidy(text);
    }
    edits
}

/// Fills `{slot}` in a frame taken from the lexicon.
pub(crate) fn fill(frame: &str, slot: &str, value: &str) -> String {
    frame.replace(&format!("{{{slot}}}"), value.trim())
}

/// Inserts a whole sentence before sentence `index` (or at the end).
pub(crate) fn insert_sentence(text: &mut Text, index: usize, sentence: &str) {
    let sentences = text.sentences();
    let mut sentence = sentence.trim().to_string();
    if !sentence.ends_with(['.', '!', '?', '…']) {
        sentence.push('.');
    }
    match sentences.get(index) {
        Some(&(start, _)) => {
            if let Some(first) = text.words.get_mut(start) {
                let lower = crate::text::decapitalise(&first.text).into();
                first.set_text(lower);
            }
            let mut parsed = Text::parse(&sentence);
            if let Some(last) = parsed.words.last_mut() {
                last.gap = format!("{} ", last.gap.trim_end()).into();
            }
            text.words.splice(start..start, parsed.words);
            // the old sentence start keeps its capital letter through tidy
        }
        None => {
            if let Some(last) = text.words.last_mut() {
                let gap = last.gap.trim_end().to_string();
                last.gap = if gap.ends_with(['.', '!', '?', '…']) { format!("{gap} ").into() } else { format!("{gap}. ").into() };
            }
            text.words.extend(Text::parse(&sentence).words);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: "entire days" became "entire entire weeks".
    #[test]
    fn a_swap_that_would_repeat_a_neighbour_is_skipped() {
        let words = Text::parse("They put in entire days").words;
        let alt = |s: &str| Alternative { text: s.to_string(), words: Text::parse(s).words };
        assert!(echoes(&words, 4, 1, &alt("entire weeks")));
        assert!(!echoes(&words, 4, 1, &alt("weeks")));
        assert!(echoes(&words, 2, 1, &alt("put in")));
        assert!(echoes(&words, 2, 1, &alt("into entire")));
        assert!(!echoes(&words, 0, 1, &alt("we")));
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use rand::SeedableRng;

    use super::{Edit, Outcome, Stream};
    use crate::text::Text;

    pub fn stream(seed: u64) -> Stream {
        Stream::seed_from_u64(seed)
    }

    /// Runs an in-place operator on a string, as the simulator does.
    pub fn on(message: &str, f: impl FnOnce(&mut Text) -> Vec<Edit>) -> Outcome {
        let mut text = Text::parse(message);
        let edits = f(&mut text);
        if edits.is_empty() { Outcome::unchanged(message) } else { Outcome { message: text.render(), edits } }
    }
}
