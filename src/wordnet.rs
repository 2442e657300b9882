//! English words as a dictionary knows them: base forms, senses, related senses and how
//! informative each word is, from a table compiled into the binary.
//!
//! The table (`assets/words/words.bin.z`, built by `scripts/words_table.py`) is derived from
//! WordNet 3.0 (Princeton University; licence in `assets/words/LICENSE-WordNet.txt`) and from
//! word counts of the Google Books Ngram corpus as distilled by SymSpell (CC BY 3.0, MIT). It
//! holds the 50,000 most frequent English words and their base forms (about 53,000 words),
//! the three commonest senses of each per part of speech and the senses one link away (63,000
//! in all), 0.75 MB compressed. It is inflated once, on first use, in a few milliseconds.
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
        if r.take(12)? != b"DRIFTWORDS1\n" {
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
        if r.at != bytes.len() {
            return Err(Malformed("bytes after the end"));
        }
        let table = WordNet { text, starts, informativeness, lemmas, senses, related };
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

    /// The id of `word` when it is a base form WordNet has senses for: what WordNet's rules
    /// check a candidate base form against.
    pub fn lemma(&self, word: &str) -> Option<WordId> {
        self.find(word).filter(|&id| !self.senses(id).is_empty())
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
    fn informativeness_orders_common_below_rare() {
        let t = table();
        let info = |w| t.informativeness(t.find(w));
        assert!(info("the") < info("invoice"));
        assert!(info("invoice") < info("adjudicator"));
        assert_eq!(t.informativeness(None), 1.0);
    }
}
