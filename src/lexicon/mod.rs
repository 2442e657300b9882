//! The words people swap in when they retell a message.
//!
//! The built-in English lexicon lives in readable YAML files beside this module, compiled in
//! with `include_str!`, so a trainer can read (and a contributor can extend) exactly what
//! each operator will say. A scenario's `lexicon:` section uses the same shape and extends the
//! built-in tables, which is how non-English scenarios work.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::text::{Key, Text, Word};

/// The built-in files, in the order they are merged.
const BUILT_IN: &[(&str, &str)] = &[
    ("synonyms.yaml", include_str!("synonyms.yaml")),
    ("paraphrases.yaml", include_str!("paraphrases.yaml")),
    ("jargon.yaml", include_str!("jargon.yaml")),
    ("we_focus.yaml", include_str!("we_focus.yaml")),
    ("ladders.yaml", include_str!("ladders.yaml")),
    ("amplify.yaml", include_str!("amplify.yaml")),
    ("agenda.yaml", include_str!("agenda.yaml")),
    ("anecdotes.yaml", include_str!("anecdotes.yaml")),
    ("comments.yaml", include_str!("comments.yaml")),
    ("omit.yaml", include_str!("omit.yaml")),
    ("buzzwords.yaml", include_str!("buzzwords.yaml")),
    ("stopwords.yaml", include_str!("stopwords.yaml")),
];

/// The lexicon as written in YAML: the built-in files and a scenario's `lexicon:` section.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LexiconData {
    /// Plain phrase → near-synonyms (the `synonym` operator).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "phrases::table")]
    pub synonyms: BTreeMap<String, Vec<String>>,
    /// Everyday word or phrase → other words for it (the `paraphrase` operator, with the
    /// synonyms).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "phrases::table")]
    pub paraphrases: BTreeMap<String, Vec<String>>,
    /// Plain customer phrase → marketing-speak (the `jargon` operator and symptom).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "phrases::table")]
    pub jargon: BTreeMap<String, Vec<String>>,
    /// Customer-centred phrase → we/our/us product talk (the `we_focus` operator).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "phrases::table")]
    pub we_focus: BTreeMap<String, Vec<String>>,
    /// Abstraction ladders: person → persona → enterprise → segment → market.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ladders: Vec<Vec<Vec<String>>>,
    /// Adverbs the `amplify` operator puts before a gradable word.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intensifiers: Vec<String>,
    /// Words an intensifier may go before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gradable: Vec<String>,
    /// Phrase → louder versions: superlatives and inflated quantities.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty", deserialize_with = "phrases::table")]
    pub exaggerations: BTreeMap<String, Vec<String>>,
    /// Topics a `refocus` hop pushes when the scenario names none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agendas: Vec<String>,
    /// Sentences that carry an agenda; each holds `{agenda}`.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "frames::agenda")]
    pub agenda_frames: Vec<String>,
    /// What a hop heard in its last conversation, for `anecdote` without `text`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anecdotes: Vec<String>,
    /// Sentences that carry an anecdote; each holds `{anecdote}`.
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "frames::anecdote")]
    pub anecdote_frames: Vec<String>,
    /// Hedges tellers put before a sentence they retell, for `elaborate`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub openers: Vec<String>,
    /// Remarks tellers put after a sentence they retell, for `elaborate`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
    /// Low-information words an omitting hop drops first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fillers: Vec<String>,
    /// Words that open a droppable detail at the end of a clause (`omit`'s `detail`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prepositions: Vec<String>,
    /// Words that open a clause `omit` may drop after a comma.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clause_openers: Vec<String>,

    /// Further marketing-speak counted by the `jargon` symptom.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buzzwords: Vec<String>,
    /// Function words left out of `customer_words`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stopwords: Vec<String>,
}

impl LexiconData {
    /// The built-in English lexicon, all files merged.
    pub fn built_in() -> LexiconData {
        // parsed once per process: compare and the tests build many lexicons
        static BUILT: std::sync::OnceLock<LexiconData> = std::sync::OnceLock::new();
        BUILT
            .get_or_init(|| {
                let mut data = LexiconData::default();
                for (file, text) in BUILT_IN {
                    let part: LexiconData =
                        serde_yaml::from_str(text).unwrap_or_else(|e| panic!("built-in lexicon file {file} is invalid: {e}"));
                    data.extend(part);
                }
                data
            })
            .clone()
    }

    /// Adds `other`'s entries; for a phrase both know, the alternatives are combined.
    pub fn extend(&mut self, other: LexiconData) {
        fn maps(a: &mut BTreeMap<String, Vec<String>>, b: BTreeMap<String, Vec<String>>) {
            for (k, v) in b {
                let slot = a.entry(k.trim().to_lowercase()).or_default();
                for item in v {
                    if !slot.contains(&item) {
                        slot.push(item);
                    }
                }
            }
        }
        fn lists(a: &mut Vec<String>, b: Vec<String>) {
            for item in b {
                if !a.contains(&item) {
                    a.push(item);
                }
            }
        }
        maps(&mut self.synonyms, other.synonyms);
        maps(&mut self.paraphrases, other.paraphrases);
        maps(&mut self.jargon, other.jargon);
        maps(&mut self.we_focus, other.we_focus);
        maps(&mut self.exaggerations, other.exaggerations);
        self.ladders.extend(other.ladders);
        lists(&mut self.intensifiers, other.intensifiers);
        lists(&mut self.gradable, other.gradable);
        lists(&mut self.agendas, other.agendas);
        lists(&mut self.agenda_frames, other.agenda_frames);
        lists(&mut self.anecdotes, other.anecdotes);
        lists(&mut self.anecdote_frames, other.anecdote_frames);
        lists(&mut self.openers, other.openers);
        lists(&mut self.remarks, other.remarks);
        lists(&mut self.fillers, other.fillers);
        lists(&mut self.prepositions, other.prepositions);
        lists(&mut self.clause_openers, other.clause_openers);
        lists(&mut self.buzzwords, other.buzzwords);
        lists(&mut self.stopwords, other.stopwords);
    }

    /// How many entries the lexicon holds, table by table (for `drift lexicon`).
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("synonyms", self.synonyms.len()),
            ("paraphrases", self.paraphrases.len()),
            ("jargon", self.jargon.len()),
            ("we_focus", self.we_focus.len()),
            ("ladders", self.ladders.len()),
            ("intensifiers", self.intensifiers.len()),
            ("gradable", self.gradable.len()),
            ("exaggerations", self.exaggerations.len()),
            ("agendas", self.agendas.len()),
            ("agenda_frames", self.agenda_frames.len()),
            ("anecdotes", self.anecdotes.len()),
            ("anecdote_frames", self.anecdote_frames.len()),
            ("openers", self.openers.len()),
            ("remarks", self.remarks.len()),
            ("fillers", self.fillers.len()),
            ("prepositions", self.prepositions.len()),
            ("clause_openers", self.clause_openers.len()),
            ("buzzwords", self.buzzwords.len()),
            ("stopwords", self.stopwords.len()),
        ]
    }
}

/// A phrase table's alternatives must not hold the phrase they replace twice: `alpha → alpha
/// bravo alpha` puts two copies back for every one, so the message doubles at every hop that
/// uses the table, until it hits the message limit. Holding it once ("adjusters" → "field
/// adjusters") adds a modifier, which the next hop does not repeat next to itself.
mod phrases {
    use std::collections::BTreeMap;
    use std::fmt;

    use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

    use crate::text::Text;

    pub fn table<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
        d.deserialize_map(Table)
    }

    struct Table;

    impl<'de> Visitor<'de> for Table {
        type Value = BTreeMap<String, Vec<String>>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of phrases to lists of alternatives, e.g. `{ fix: [sort out, repair] }`")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                let alternatives = map.next_value_seed(Alternatives(&key))?;
                out.insert(key, alternatives);
            }
            Ok(out)
        }
    }

    /// The alternatives of the phrase `.0`.
    struct Alternatives<'a>(&'a str);

    impl<'de> DeserializeSeed<'de> for Alternatives<'_> {
        type Value = Vec<String>;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<String>, D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for Alternatives<'_> {
        type Value = Vec<String>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a list of alternatives for `{}`", self.0)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(alternative) = seq.next_element_seed(Alternative(self.0))? {
                out.push(alternative);
            }
            Ok(out)
        }
    }

    struct Alternative<'a>(&'a str);

    impl<'de> DeserializeSeed<'de> for Alternative<'_> {
        type Value = String;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
            d.deserialize_str(self)
        }
    }

    impl Visitor<'_> for Alternative<'_> {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "an alternative for `{}`", self.0)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            if grows(self.0, v) {
                return Err(E::custom(format!(
                    "\"{v}\" holds \"{}\", the phrase it replaces, more than once, so the message would double at every hop that uses it: keep one \"{}\" in it at most",
                    self.0, self.0
                )));
            }
            Ok(v.to_string())
        }
    }

    /// True when `alternative` holds `phrase`, as whole words, more than once.
    pub(super) fn grows(phrase: &str, alternative: &str) -> bool {
        let (phrase, alternative) = (Text::parse(phrase).lower_words(), Text::parse(alternative).lower_words());
        !phrase.is_empty() && alternative.windows(phrase.len()).filter(|w| *w == phrase.as_slice()).count() > 1
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn an_alternative_holding_its_phrase_twice_grows() {
            assert!(super::grows("alpha", "alpha bravo alpha"));
            assert!(super::grows("fix it", "fix it and fix it"));
            assert!(!super::grows("adjusters", "field adjusters"));
            assert!(!super::grows("fix", "fixing fixes"));
            assert!(!super::grows("fix", "fix"));
            assert!(!super::grows("pay", "payroll"));
        }
    }
}

/// Frames must hold their slot, or the agenda or story would silently never appear.
mod frames {
    use std::fmt;

    use serde::de::{self, Deserializer, SeqAccess, Visitor};

    struct Frames(&'static str);

    impl<'de> Visitor<'de> for Frames {
        type Value = Vec<String>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a list of sentences, each holding {{{}}}", self.0)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(frame) = seq.next_element_seed(Frame(self.0))? {
                out.push(frame);
            }
            Ok(out)
        }
    }

    struct Frame(&'static str);

    impl<'de> de::DeserializeSeed<'de> for Frame {
        type Value = String;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
            d.deserialize_str(self)
        }
    }

    impl Visitor<'_> for Frame {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a sentence holding {{{}}}", self.0)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            let slot = format!("{{{}}}", self.0);
            if v.contains(&slot) {
                Ok(v.to_string())
            } else {
                Err(E::custom(format!("the frame \"{v}\" must hold `{slot}`, where the {} goes", self.0)))
            }
        }
    }

    pub fn agenda<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        d.deserialize_seq(Frames("agenda"))
    }

    pub fn anecdote<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        d.deserialize_seq(Frames("anecdote"))
    }
}

/// A phrase → alternatives table, matched on whole words (by [`Key`]), longest phrase first.
///
/// Phrases are indexed by the key of their first word, so a word that starts no phrase costs
/// one array read: this runs for every word of every hop of every run. Within a first word,
/// they are indexed by their second: "the" starts some two hundred phrases of the paraphrase
/// table, and a text has a "the" in every sentence.
#[derive(Debug, Clone, Default)]
pub struct PhraseTable {
    /// `by_first[key]`: 1 + the index in `groups` of the phrases starting with that word, or 0.
    by_first: Vec<u32>,
    /// The same as a bit per key: small enough to stay in the nearest cache, where most words,
    /// which start no phrase, are turned away.
    starts: WordSet,
    groups: Vec<Group>,
}

/// The phrases that start with one word.
#[derive(Debug, Clone, Default)]
struct Group {
    /// Longest first; phrases of one length cannot both match at one place.
    phrases: Vec<Phrase>,
    /// (the key of the second word, the indices in `phrases` of the phrases that go on with
    /// it, longest first), sorted by key; built once the table is complete.
    by_second: Vec<(Key, Vec<u32>)>,
    /// The index of the one-word phrase, if any.
    single: Option<u32>,
}

impl Group {
    fn index(&mut self) {
        let mut by_second: Vec<(Key, Vec<u32>)> = Vec::new();
        self.single = None;
        for (k, p) in self.phrases.iter().enumerate() {
            match p.rest.first() {
                None => self.single = Some(k as u32),
                Some(&second) => match by_second.iter_mut().find(|(key, _)| *key == second) {
                    Some((_, list)) => list.push(k as u32),
                    None => by_second.push((second, vec![k as u32])),
                },
            }
        }
        by_second.sort_by_key(|(key, _)| *key);
        self.by_second = by_second;
    }
}

#[derive(Debug, Clone)]
struct Phrase {
    /// The keys of the words after the first.
    rest: Vec<Key>,
    alternatives: Vec<Alternative>,
}

/// One replacement phrase, parsed once when the lexicon is built.
#[derive(Debug, Clone)]
pub struct Alternative {
    pub text: String,
    pub words: Vec<Word>,
}

impl Alternative {
    fn new(text: String) -> Alternative {
        let words = crate::text::Text::parse(&text).words;
        Alternative { text, words }
    }
}

impl PhraseTable {
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a String, &'a Vec<String>)>) -> PhraseTable {
        let mut table = PhraseTable::default();
        for (k, v) in pairs {
            let alts: Vec<String> = v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
            if !alts.is_empty() {
                table.insert(k, alts);
            }
        }
        table.indexed()
    }

    /// The table with every group indexed by second word: the last step of building one.
    fn indexed(mut self) -> PhraseTable {
        self.groups.iter_mut().for_each(Group::index);
        self
    }

    fn insert(&mut self, phrase: &str, alternatives: Vec<String>) {
        let keys = crate::text::Text::parse(phrase).keys();
        let Some((&first, rest)) = keys.split_first() else { return };
        let alternatives: Vec<Alternative> = alternatives.into_iter().map(Alternative::new).collect();
        let first = first as usize;
        if self.by_first.len() <= first {
            self.by_first.resize(first + 1, 0);
        }
        if self.by_first[first] == 0 {
            self.starts.insert(first as Key);
            self.groups.push(Group::default());
            self.by_first[first] = self.groups.len() as u32;
        }
        let entries = &mut self.groups[self.by_first[first] as usize - 1].phrases;
        match entries.iter_mut().find(|p| p.rest == rest) {
            Some(p) => p.alternatives.extend(alternatives),
            // longest first; phrases of one length cannot both match at one place
            None => {
                let at = entries.iter().position(|p| p.rest.len() < rest.len()).unwrap_or(entries.len());
                entries.insert(at, Phrase { rest: rest.to_vec(), alternatives });
            }
        }
    }

    /// The longest phrase starting at `words[i]` that `allowed` accepts (given its length in
    /// words): its length and its alternatives.
    pub fn longest_match(&self, words: &[Word], i: usize, allowed: impl Fn(usize) -> bool) -> Option<(usize, &[Alternative])> {
        let first = words[i].key;
        if !self.starts.contains(first) {
            return None;
        }
        let group = self.by_first[first as usize];
        let group = &self.groups[group as usize - 1];
        // every phrase longer than one word that can match goes on with the next word
        let longer = words.get(i + 1).and_then(|next| {
            let at = group.by_second.binary_search_by_key(&next.key, |(key, _)| *key).ok()?;
            group.by_second[at].1.iter().map(|&k| &group.phrases[k as usize]).find(|p| {
                let len = p.rest.len() + 1;
                i + len <= words.len() && words[i + 1..i + len].iter().map(|w| w.key).eq(p.rest.iter().copied()) && allowed(len)
            })
        });
        longer
            .or_else(|| group.single.map(|k| &group.phrases[k as usize]).filter(|_| allowed(1)))
            .map(|p| (p.rest.len() + 1, p.alternatives.as_slice()))
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// A set of words by key: a bit per key (looked up for every word of every hop).
#[derive(Debug, Clone, Default)]
pub struct WordSet {
    bits: Vec<u64>,
}

impl WordSet {
    pub fn contains(&self, key: Key) -> bool {
        self.bits.get(key as usize / 64).is_some_and(|b| b & (1 << (key % 64)) != 0)
    }

    pub fn insert(&mut self, key: Key) {
        let at = key as usize / 64;
        if self.bits.len() <= at {
            self.bits.resize(at + 1, 0);
        }
        self.bits[at] |= 1 << (key % 64);
    }

    /// The set of single words among `words` (any case; a multi-word entry is left out).
    pub fn of<'a>(words: impl IntoIterator<Item = &'a String>) -> WordSet {
        let mut set = WordSet::default();
        for w in words {
            if let [word] = crate::text::Text::parse(w).words.as_slice() {
                set.insert(word.key);
            }
        }
        set
    }
}

/// Lower-cases a phrase and folds its spacing so it matches tokenised text.
pub fn normalise_phrase(s: &str) -> String {
    crate::text::Text::parse(s).lower_words().join(" ")
}

/// The lexicon ready for use: phrase tables built once per scenario.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub data: LexiconData,
    pub synonyms: PhraseTable,
    pub jargon: PhraseTable,
    pub we_focus: PhraseTable,
    pub exaggerations: PhraseTable,
    /// Each ladder phrase → the phrases one rung up.
    pub ladder_up: PhraseTable,
    pub fillers: PhraseTable,
    pub gradable: WordSet,
    pub intensifiers: WordSet,
    pub prepositions: WordSet,
    /// The first words of `clause_openers`.
    pub clause_openers: WordSet,
    pub stopwords: WordSet,
    /// Every phrase that counts as marketing-speak for the `jargon` symptom.
    pub marketing_speak: PhraseTable,
    /// Paraphrases and synonyms together, built the first time a `paraphrase` hop needs them:
    /// a scenario without one pays nothing for the larger table.
    paraphrases: std::sync::OnceLock<PhraseTable>,
    /// `elaborate`'s openers and remarks, parsed the first time a hop needs them.
    comments: std::sync::OnceLock<(Vec<Alternative>, Vec<Alternative>)>,
}

impl Lexicon {
    pub fn built_in() -> Lexicon {
        Lexicon::new(LexiconData::built_in())
    }

    /// The built-in lexicon extended by a scenario's own entries.
    pub fn with_extension(extension: &LexiconData) -> Lexicon {
        let mut data = LexiconData::built_in();
        data.extend(extension.clone());
        Lexicon::new(data)
    }

    pub fn new(data: LexiconData) -> Lexicon {
        let mut up: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for ladder in &data.ladders {
            for pair in ladder.windows(2) {
                for phrase in &pair[0] {
                    up.entry(phrase.clone()).or_default().extend(pair[1].iter().cloned());
                }
            }
        }
        let fillers: BTreeMap<String, Vec<String>> = data.fillers.iter().map(|f| (f.clone(), vec![String::new()])).collect();
        let stopwords = WordSet::of(&data.stopwords);
        let mut speak: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let marketing =
            data.jargon.values().chain(data.exaggerations.values()).flatten().chain(data.agendas.iter()).chain(data.buzzwords.iter());
        for phrase in marketing {
            let key = normalise_phrase(phrase);
            // a phrase made only of function words ("the", "our") is not marketing-speak
            if crate::text::Text::parse(&key).words.iter().any(|w| !stopwords.contains(w.key)) {
                speak.insert(key, vec![String::from("*")]);
            }
        }
        Lexicon {
            synonyms: PhraseTable::new(&data.synonyms),
            jargon: PhraseTable::new(&data.jargon),
            we_focus: PhraseTable::new(&data.we_focus),
            exaggerations: PhraseTable::new(&data.exaggerations),
            ladder_up: PhraseTable::new(&up),
            fillers: filler_table(&fillers),
            gradable: WordSet::of(&data.gradable),
            intensifiers: WordSet::of(&data.intensifiers),
            prepositions: WordSet::of(&data.prepositions),
            clause_openers: first_words(&data.clause_openers),

            stopwords,
            marketing_speak: PhraseTable::new(&speak),
            paraphrases: std::sync::OnceLock::new(),
            comments: std::sync::OnceLock::new(),
            data,
        }
    }

    /// `elaborate`'s openers, parsed.
    pub fn comment_openers(&self) -> &[Alternative] {
        &self.comments().0
    }

    /// `elaborate`'s remarks, parsed.
    pub fn comment_remarks(&self) -> &[Alternative] {
        &self.comments().1
    }

    fn comments(&self) -> &(Vec<Alternative>, Vec<Alternative>) {
        self.comments.get_or_init(|| {
            let parse =
                |v: &[String]| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).map(|s| Alternative::new(s.to_string())).collect();
            (parse(&self.data.openers), parse(&self.data.remarks))
        })
    }

    /// Which words of `text` belong to a teller's hedge or remark (an opener at the start of a
    /// sentence, a remark at its end): what other tellers leave as it is, since "apparently"
    /// reworded or turned into jargon reads as nonsense.
    pub fn hedges(&self, text: &Text) -> Vec<bool> {
        let mut out = vec![false; text.words.len()];
        self.each_hedge(text, |_, from, to| out[from..to].iter_mut().for_each(|x| *x = true));
        out
    }

    /// The hedges and remarks `text` holds, by their place in the lexicon (openers first,
    /// then remarks), sorted, each once.
    pub fn hedge_phrases(&self, text: &Text) -> Vec<usize> {
        let mut out = Vec::new();
        self.each_hedge(text, |id, _, _| out.push(id));
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Calls `f(phrase, from, to)` for each opener at the start of a sentence (several in a
    /// row where a message was built that way) and each remark at its end.
    fn each_hedge(&self, text: &Text, mut f: impl FnMut(usize, usize, usize)) {
        let (openers, remarks) = self.comments();
        if openers.is_empty() && remarks.is_empty() {
            return;
        }
        for (a, b) in text.sentences() {
            let words = &text.words[a..b];
            let mut at = 0;
            while let Some((id, o)) = openers
                .iter()
                .enumerate()
                .find(|(_, o)| o.words.len() < words.len() - at && words[at..].iter().zip(&o.words).all(|(w, p)| w.key == p.key))
            {
                f(id, a + at, a + at + o.words.len());
                at += o.words.len();
            }
            for (id, r) in remarks.iter().enumerate() {
                let n = r.words.len();
                if n < words.len() && words[words.len() - n..].iter().zip(&r.words).all(|(w, p)| w.key == p.key) {
                    f(openers.len() + id, b - n, b);
                }
            }
        }
    }

    /// The `paraphrase` operator's table: each everyday phrase and the ways of saying it
    /// listed after it in its group, one way only, so that a chain never rewords a phrase
    /// back and forth ("years old" → "years of age" → "years old").
    pub fn paraphrases(&self) -> &PhraseTable {
        self.paraphrases.get_or_init(|| PhraseTable::new(&one_way(&self.data.paraphrases)))
    }
}

/// The set of the first words of `phrases`.
fn first_words(phrases: &[String]) -> WordSet {
    let mut set = WordSet::default();
    for p in phrases {
        if let Some(w) = crate::text::Text::parse(p).words.first() {
            set.insert(w.key);
        }
    }
    set
}

/// Every phrase of a group (a key and its alternatives) → those after it in the group,
/// except where the other way round is in the table already (two groups that list each
/// other: "lots of: [plenty of]" and "plenty of: [lots of]").
fn one_way(table: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, alternatives) in table {
        let group: Vec<&String> = std::iter::once(key).chain(alternatives).collect();
        for (i, &from) in group.iter().enumerate() {
            for &to in &group[i + 1..] {
                let (f, t) = (normalise_phrase(from), normalise_phrase(to));
                let back = out.get(&t).is_some_and(|alts| alts.iter().any(|a| normalise_phrase(a) == f));
                let slot = out.entry(f.clone()).or_default();
                if t != f && !back && !slot.contains(to) {
                    slot.push(to.clone());
                }
            }
        }
    }
    out.retain(|_, alts| !alts.is_empty());
    out
}

/// Fillers map to nothing: PhraseTable drops empty alternatives, so build it by hand.
fn filler_table(fillers: &BTreeMap<String, Vec<String>>) -> PhraseTable {
    let mut table = PhraseTable::default();
    for k in fillers.keys() {
        table.insert(k, vec![String::new()]);
    }
    table.indexed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_lexicon_is_rich() {
        let data = LexiconData::built_in();
        let total: usize = data.counts().iter().map(|(_, n)| n).sum();
        assert!(total >= 500, "only {total} entries");
        assert!(data.synonyms.len() >= 150);
        assert!(data.jargon.len() >= 150);
        for frame in &data.agenda_frames {
            assert!(frame.contains("{agenda}"), "{frame}");
        }
        for frame in &data.anecdote_frames {
            assert!(frame.contains("{anecdote}"), "{frame}");
        }
        for ladder in &data.ladders {
            assert_eq!(ladder.len(), 5, "{ladder:?}");
        }
    }

    #[test]
    fn longest_phrase_wins() {
        let data = LexiconData {
            jargon: BTreeMap::from([
                ("paperwork".to_string(), vec!["admin".to_string()]),
                ("the paperwork".to_string(), vec!["process friction".to_string()]),
            ]),
            ..Default::default()
        };
        let lex = Lexicon::new(data);
        let words = crate::text::Text::parse("The paperwork").words;
        let (len, alts) = lex.jargon.longest_match(&words, 0, |_| true).unwrap();
        assert_eq!((len, alts[0].text.as_str()), (2, "process friction"));
    }
}
#[cfg(test)]
mod index_tests {
    use super::*;

    /// The first-and-second-word index finds exactly what a scan of the first word's phrases,
    /// longest first, finds: in every table, at every word of drift's stories (regression: the
    /// fillers table, built by hand, was once left unindexed).
    #[test]
    fn the_index_finds_what_a_scan_finds() {
        let lex = Lexicon::built_in();
        let tables = [&lex.synonyms, &lex.jargon, &lex.we_focus, &lex.exaggerations, &lex.fillers, &lex.marketing_speak, lex.paraphrases()];
        let texts: Vec<String> = crate::calibrate::published::stories()
            .iter()
            .map(|s| s.text.clone())
            .chain([
                "We keep losing our best adjusters to paperwork. They spend hours every week typing the same claim into three systems.".to_string(),
                "Basically, you know, the thing is that in order to get a lot of the work done, at the end of the day, we really need more time.".to_string(),
            ])
            .collect();
        let mut found = 0;
        for t in tables {
            for story in &texts {
                let text = crate::text::Text::parse(story);
                let words = &text.words;
                for i in 0..words.len() {
                    let allowed = |len: usize| text.is_phrase_span(i, i + len);
                    let indexed = t.longest_match(words, i, allowed).map(|(l, a)| (l, a.as_ptr()));
                    let group = t.by_first.get(words[i].key as usize).copied().unwrap_or(0);
                    let scanned = (group != 0)
                        .then(|| {
                            t.groups[group as usize - 1].phrases.iter().find(|p| {
                                let len = p.rest.len() + 1;
                                i + len <= words.len()
                                    && words[i + 1..i + len].iter().map(|w| w.key).eq(p.rest.iter().copied())
                                    && allowed(len)
                            })
                        })
                        .flatten()
                        .map(|p| (p.rest.len() + 1, p.alternatives.as_ptr()));
                    assert_eq!(indexed, scanned, "at word {i} ({}) of {story:?}", words[i].text);
                    found += usize::from(indexed.is_some_and(|(l, _)| l > 1));
                }
            }
        }
        assert!(found > 20, "only {found} multi-word phrases found: the test checks too little");
    }
}
