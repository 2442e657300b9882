//! English words as a dictionary knows them: base forms, senses, related senses and how
//! informative each word is, from a table compiled into the binary.
//!
//! The table (`assets/words/words.bin.z`, built by `scripts/words_table.py`) is derived from
//! WordNet 3.0 (Princeton University; licence in `assets/words/LICENSE-WordNet.txt`) and from
//! word counts of the Google Books Ngram corpus as distilled by SymSpell (CC BY 3.0, MIT). It
//! holds the 50,000 most frequent English words and their base forms (about 53,000 words),
//! the three commonest senses of each per part of speech and the senses one link away (63,000
//! in all), parts of speech, and synonyms for `paraphrase`; 0.85 MB compressed. It is inflated once, on first use, in a few milliseconds.
//!
//! Why a table and not rules alone: "saw" is "see", "geese" is "goose", "fix" shares a sense
//! with "repair", and "invoice" with "bill"; only a dictionary knows that. Why WordNet: it is
//! the one open, permissively licensed English dictionary with senses and links between them.

use std::sync::LazyLock;

static PACKED: &[u8] = include_bytes!("../assets/words/words.bin.z");

/// A word in the table.
pub type WordId = u32;

/// The inflated table: every list stored once, flat, with offsets (the layout keeps the
/// table to a few allocations and lookups to slices).
pub struct WordNet {
    text: String,
    /// Where each word's letters start in `text` (and one past the last).
    starts: Vec<u32>,
    informativeness: Vec<u8>,
    lemmas: Lists,
    senses: Lists,
    related: Lists,
    /// `tags[4 * id + pos]`: how often the base form was tagged in that part of speech.
    tags: Vec<u16>,
    /// Bit `pos` set when WordNet lists the base form under that part of speech.
    parts: Vec<u8>,
    /// How surely the commonest sense is meant, 0-255.
    dominance: Vec<u8>,
    synonyms: Lists,
    /// The forms of each base form, the inverse of `lemmas`, built when first needed.
    forms: std::sync::OnceLock<Lists>,
}

/// A part of speech, as WordNet has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pos {
    Noun,
    Verb,
    Adjective,
    Adverb,
}

impl Pos {
    pub const ALL: [Pos; 4] = [Pos::Noun, Pos::Verb, Pos::Adjective, Pos::Adverb];
}

/// `n` lists of ids, flat.
struct Lists {
    starts: Vec<u32>,
    ids: Vec<u32>,
}

impl Lists {
    fn get(&self, i: WordId) -> &[u32] {
        let i = i as usize;
        &self.ids[self.starts[i] as usize..self.starts[i + 1] as usize]
    }
}

/// The table compiled into the binary.
pub fn table() -> &'static WordNet {
    static TABLE: LazyLock<WordNet> =
        LazyLock::new(|| WordNet::parse(PACKED).unwrap_or_else(|Malformed(why)| panic!("the bundled word table is malformed: {why}")));
    &TABLE
}

/// A malformed table; only a broken build could produce one (a test reads the bundled one).
#[derive(Debug)]
pub struct Malformed(&'static str);

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], Malformed> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or(Malformed("cut short"))?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, Malformed> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn varint(&mut self) -> Result<u32, Malformed> {
        let mut value = 0u64;
        for shift in (0..35).step_by(7) {
            let b = self.take(1)?[0];
            value |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return u32::try_from(value).map_err(|_| Malformed("a number past 32 bits"));
            }
        }
        Err(Malformed("a number past 32 bits"))
    }

    /// `n` lists, each a count and ids; `delta` when each id is stored as the step from the
    /// previous one; every id must be below `bound`.
    fn lists(&mut self, n: usize, delta: bool, bound: u32) -> Result<Lists, Malformed> {
        let mut starts = Vec::with_capacity(n + 1);
        let mut ids = Vec::new();
        starts.push(0);
        for _ in 0..n {
            let count = self.varint()?;
            let mut previous = 0u32;
            for _ in 0..count {
                let step = self.varint()?;
                let id = if delta { previous.checked_add(step).ok_or(Malformed("an id past 32 bits"))? } else { step };
                if id >= bound {
                    return Err(Malformed("an id past the end"));
                }
                ids.push(id);
                previous = id;
            }
            starts.push(ids.len() as u32);
        }
        Ok(Lists { starts, ids })
    }
}

impl WordNet {
    fn parse(packed: &[u8]) -> Result<WordNet, Malformed> {
        let bytes = miniz_oxide::inflate::decompress_to_vec_zlib(packed).map_err(|_| Malformed("not zlib"))?;
        let mut r = Reader { bytes: &bytes, at: 0 };
        if r.take(12)? != b"DRIFTWORDS2\n" {
            return Err(Malformed("not a drift word table"));
        }
        let (words, synsets) = (r.u32()? as usize, r.u32()?);
        let mut text = String::new();
        let mut starts = Vec::with_capacity(words + 1);
        for _ in 0..words {
            starts.push(text.len() as u32);
            let len = r.take(1)?[0] as usize;
            let word = std::str::from_utf8(r.take(len)?).map_err(|_| Malformed("a word not in UTF-8"))?;
            text.push_str(word);
        }
        starts.push(text.len() as u32);
        let informativeness = r.take(words)?.to_vec();
        let lemmas = r.lists(words, false, words as u32)?;
        let senses = r.lists(words, true, synsets)?;
        let related = r.lists(words, true, synsets)?;
        let mut tags = Vec::with_capacity(4 * words);
        for _ in 0..4 * words {
            tags.push(u16::try_from(r.varint()?).map_err(|_| Malformed("a tag count past 65535"))?);
        }
        let parts = r.take(words)?.to_vec();
        let dominance = r.take(words)?.to_vec();
        let synonyms = r.lists(words, false, words as u32)?;
        if r.at != bytes.len() {
            return Err(Malformed("bytes after the end"));
        }
        let table = WordNet {
            text,
            starts,
            informativeness,
            lemmas,
            senses,
            related,
            tags,
            parts,
            dominance,
            synonyms,
            forms: std::sync::OnceLock::new(),
        };
        if (1..words).any(|i| table.word(i as u32 - 1) >= table.word(i as u32)) {
            return Err(Malformed("words out of order"));
        }
        Ok(table)
    }

    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// The word with this id, lower case.
    pub fn word(&self, id: WordId) -> &str {
        &self.text[self.starts[id as usize] as usize..self.starts[id as usize + 1] as usize]
    }

    /// The id of `word` (lower case), if the table has it.
    pub fn find(&self, word: &str) -> Option<WordId> {
        let (mut low, mut high) = (0usize, self.len());
        while low < high {
            let mid = (low + high) / 2;
            match self.word(mid as u32).cmp(word) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid as u32),
            }
        }
        None
    }

    /// How much a word tells, 0 (the commonest words) to 1 (rare words, and words the table
    /// lacks): its inverse document frequency in the Google Books counts, capped and scaled.
    pub fn informativeness(&self, id: Option<WordId>) -> f64 {
        id.map_or(1.0, |id| f64::from(self.informativeness[id as usize]) / 255.0)
    }

    /// The word's base forms by WordNet's rules and exception lists, over every part of
    /// speech ("saw" → see, saw; "matches" → match); empty when WordNet knows no base form.
    pub fn lemmas(&self, id: WordId) -> &[WordId] {
        self.lemmas.get(id)
    }

    /// The senses of a base form, sorted.
    pub fn senses(&self, lemma: WordId) -> &[u32] {
        self.senses.get(lemma)
    }

    /// The senses one link away from a base form's senses (a broader sense, a derived word,
    /// a similar adjective...), sorted.
    pub fn related(&self, lemma: WordId) -> &[u32] {
        self.related.get(lemma)
    }

    /// How often the base form was tagged as each part of speech in WordNet's sense-tagged
    /// corpus (noun, verb, adjective, adverb).
    pub fn tags(&self, lemma: WordId) -> [u16; 4] {
        let i = 4 * lemma as usize;
        [self.tags[i], self.tags[i + 1], self.tags[i + 2], self.tags[i + 3]]
    }

    /// The parts of speech WordNet lists the base form under.
    pub fn parts_of_speech(&self, lemma: WordId) -> impl Iterator<Item = Pos> + '_ {
        Pos::ALL.into_iter().enumerate().filter(move |&(i, _)| self.parts[lemma as usize] & (1 << i) != 0).map(|(_, p)| p)
    }

    /// The part of speech a base form has nearly always: the only one WordNet lists, or nine
    /// tagged uses in ten or more of ten at least. Where a word could be a noun or a verb,
    /// only the sentence knows, and drift does not parse sentences.
    pub fn only_pos(&self, lemma: WordId) -> Option<Pos> {
        let mut parts = self.parts_of_speech(lemma);
        if let (Some(only), None) = (parts.next(), parts.next()) {
            return Some(only);
        }
        let tags = self.tags(lemma);
        let total: u32 = tags.iter().map(|&t| u32::from(t)).sum();
        if total >= 10 {
            let (best, &count) = tags.iter().enumerate().max_by_key(|&(i, &t)| (t, std::cmp::Reverse(i)))?;
            return (u32::from(count) * 10 >= total * 9).then_some(Pos::ALL[best]);
        }
        None
    }

    /// How surely the base form means its commonest sense, 0-1: that sense's share of its
    /// tagged uses in its commonest part of speech (1 when it has one sense there, 0 when it
    /// was never tagged). "flight" is a formation of aircraft in one use of three.
    pub fn dominance(&self, lemma: WordId) -> f64 {
        f64::from(self.dominance[lemma as usize]) / 255.0
    }

    /// Other base forms for the word's commonest sense, commonest first: words that have that
    /// sense as their own commonest one, in the same part of speech.
    pub fn synonyms(&self, lemma: WordId) -> &[WordId] {
        self.synonyms.get(lemma)
    }

    /// The id of `word` when it is a base form WordNet has senses for: what WordNet's rules
    /// check a candidate base form against.
    pub fn lemma(&self, word: &str) -> Option<WordId> {
        self.find(word).filter(|&id| !self.senses(id).is_empty())
    }
}

/// How a word is inflected from its base form, for the regular endings a substitute can copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inflection {
    /// The base form itself.
    Base,
    /// -s: a plural noun, or a verb after he/she/it.
    S,
    /// -ed: a regular past tense or participle (the same word for regular verbs).
    Ed,
    /// -ing.
    Ing,
}

impl Inflection {
    /// How `form` is made from `base` when that is one of the regular endings; `None` for
    /// anything else ("went" from "go", "better" from "good").
    pub fn of(form: &str, base: &str) -> Option<Inflection> {
        if form == base {
            return Some(Inflection::Base);
        }
        let candidates = [Inflection::S, Inflection::Ed, Inflection::Ing];
        candidates.into_iter().find(|&i| regular_forms(base, i).iter().any(|f| f == form))
    }
}

/// The spellings the regular rules allow for `base` with `inflection`: "try" → tries, tried;
/// "stop" → stopped, stoping, stopping; the table decides which one is a word.
fn regular_forms(base: &str, inflection: Inflection) -> Vec<String> {
    let stem_y = base.strip_suffix('y').filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']));
    let stem_e = base.strip_suffix('e');
    let doubled = base.chars().last().filter(|c| !"aeiouwxy".contains(*c)).map(|c| format!("{base}{c}"));
    let mut out = Vec::new();
    match inflection {
        Inflection::Base => out.push(base.to_string()),
        Inflection::S => {
            out.push(format!("{base}s"));
            out.push(format!("{base}es"));
            out.extend(stem_y.map(|s| format!("{s}ies")));
        }
        Inflection::Ed => {
            out.push(format!("{base}ed"));
            if base.ends_with('e') {
                out.push(format!("{base}d"));
            }
            out.extend(stem_y.map(|s| format!("{s}ied")));
            out.extend(doubled.map(|d| format!("{d}ed")));
        }
        Inflection::Ing => {
            out.push(format!("{base}ing"));
            out.extend(stem_e.filter(|s| !s.ends_with('e')).map(|s| format!("{s}ing")));
            out.extend(doubled.map(|d| format!("{d}ing")));
        }
    }
    out
}

impl WordNet {
    /// `base` with `inflection`, when the table holds that form as a word whose only base
    /// form is `base`: a verb whose past tense is irregular ("give") has no "-ed" form here,
    /// so a substitute is never "gived" or, worse, "have been gave".
    pub fn inflect(&self, base: WordId, inflection: Inflection) -> Option<&str> {
        let word = self.word(base);
        regular_forms(word, inflection).into_iter().find_map(|form| {
            let id = self.find(&form)?;
            if inflection == Inflection::Base {
                return (id == base).then(|| self.word(id));
            }
            // a verb with an irregular past ("give": gave; "be": was) has no regular one, even
            // where the rules' spelling happens to be a word ("bed")
            if inflection == Inflection::Ed && self.has_irregular_forms(base) {
                return None;
            }
            self.lemmas(id).contains(&base).then(|| self.word(id))
        })
    }

    /// True when some word of the table is a form of `base` that the regular endings do not
    /// make ("gave" of "give", "men" of "man").
    fn has_irregular_forms(&self, base: WordId) -> bool {
        let word = self.word(base);
        let regular: Vec<String> =
            [Inflection::S, Inflection::Ed, Inflection::Ing].into_iter().flat_map(|i| regular_forms(word, i)).collect();
        self.forms_of(base).iter().any(|&f| !regular.iter().any(|r| r == self.word(f)))
    }

    /// The words whose base forms include `base`, itself aside.
    fn forms_of(&self, base: WordId) -> &[WordId] {
        let forms = self.forms.get_or_init(|| {
            let mut pairs: Vec<(u32, u32)> = Vec::new();
            for id in 0..self.len() as u32 {
                pairs.extend(self.lemmas(id).iter().filter(|&&l| l != id).map(|&l| (l, id)));
            }
            pairs.sort_unstable();
            let mut starts = vec![0u32; self.len() + 1];
            for &(l, _) in &pairs {
                starts[l as usize + 1] += 1;
            }
            for i in 0..self.len() {
                starts[i + 1] += starts[i];
            }
            Lists { starts, ids: pairs.into_iter().map(|(_, id)| id).collect() }
        });
        forms.get(base)
    }

    /// True for a base form WordNet lists only as an adjective: a participle that is an
    /// adjective of its own ("tried", "stopped") still reads as the verb's form.
    fn is_only_adjective(&self, lemma: WordId) -> bool {
        let mut parts = self.parts_of_speech(lemma);
        parts.next() == Some(Pos::Adjective) && parts.next().is_none()
    }

    /// The one base form of `word` (lower case) and how it is inflected from it, when there is
    /// exactly one and the ending is regular ("houses" → house, S); `None` for words with
    /// several base forms ("left": leave or left) or none.
    pub fn base_form(&self, word: &str) -> Option<(WordId, Inflection)> {
        let id = self.find(word)?;
        // a participle may be an adjective of its own ("tried", "stopped"), which reads the
        // same with another verb's participle; a noun of its own ("building") does not
        let participle = |l: WordId| l == id && self.is_only_adjective(l);
        let lemmas = self.lemmas(id);
        let mut others = lemmas.iter().copied().filter(|&l| lemmas.len() == 1 || !participle(l));
        let (Some(base), None) = (others.next(), others.next()) else { return None };
        let inflection = Inflection::of(word, self.word(base))?;
        (inflection != Inflection::Base || base == id).then_some((base, inflection))
    }
}

/// True when two sorted lists share an element.
pub fn intersect(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lemmas(word: &str) -> Vec<&'static str> {
        let t = table();
        let mut out: Vec<&str> = t.lemmas(t.find(word).unwrap()).iter().map(|&l| t.word(l)).collect();
        out.sort_unstable();
        out
    }

    #[test]
    fn the_bundled_table_reads() {
        let t = table();
        assert!(t.len() > 50_000);
        assert_eq!(t.word(t.find("invoice").unwrap()), "invoice");
        assert_eq!(t.find("zzzzqx"), None);
    }

    #[test]
    fn irregular_and_regular_forms_have_their_base_forms() {
        assert_eq!(lemmas("geese"), ["goose"]);
        assert!(lemmas("saw").contains(&"see"));
        assert!(lemmas("matches").contains(&"match"));
        assert!(lemmas("ran").contains(&"run"));
        assert!(lemmas("better").contains(&"good"));
    }

    #[test]
    fn synonyms_share_a_sense() {
        let t = table();
        let sense = |w| t.senses(t.find(w).unwrap());
        assert!(intersect(sense("fix"), sense("repair")));
        assert!(intersect(sense("invoice"), sense("bill")));
        assert!(!intersect(sense("invoice"), sense("banana")));
    }

    #[test]
    fn regular_forms_come_from_the_table() {
        let t = table();
        let id = |w| t.find(w).unwrap();
        assert_eq!(t.inflect(id("house"), Inflection::S), Some("houses"));
        assert_eq!(t.inflect(id("stop"), Inflection::Ed), Some("stopped"));
        assert_eq!(t.inflect(id("try"), Inflection::Ed), Some("tried"));
        assert_eq!(t.inflect(id("make"), Inflection::Ing), Some("making"));
        // irregular pasts have no regular form
        assert_eq!(t.inflect(id("give"), Inflection::Ed), None);
        // "bed" is a noun, not the past of "be"
        assert_eq!(t.inflect(id("be"), Inflection::Ed), None);
        assert_eq!(t.base_form("houses"), Some((id("house"), Inflection::S)));
        assert_eq!(t.base_form("went"), None);
        assert_eq!(t.base_form("tragic"), Some((id("tragic"), Inflection::Base)));
        assert_eq!(t.base_form("tried"), Some((id("try"), Inflection::Ed)));
        // "building" is a noun of its own as well as a form of "build"
        assert_eq!(t.base_form("building"), None);
    }

    #[test]
    fn substitutes_share_the_commonest_sense() {
        let t = table();
        let words = |ids: &[WordId]| ids.iter().map(|&i| t.word(i).to_string()).collect::<Vec<_>>();
        let id = |w| t.find(w).unwrap();
        assert!(words(t.synonyms(id("nearly"))).contains(&"almost".to_string()));
        assert!(!words(t.synonyms(id("problem"))).contains(&"job".to_string()));
        assert_eq!(t.only_pos(id("prison")), Some(Pos::Noun));
        assert_eq!(t.only_pos(id("report")), None);
    }

    #[test]
    fn informativeness_orders_common_below_rare() {
        let t = table();
        let info = |w| t.informativeness(t.find(w));
        assert!(info("the") < info("invoice"));
        assert!(info("invoice") < info("adjudicator"));
        assert_eq!(t.informativeness(None), 1.0);
    }
}
