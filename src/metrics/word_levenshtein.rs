//! `word_levenshtein`: word order, 1 − word edits / the longer length in words. Fast:
//! rapidfuzz; reference: strsim.

use super::engine::normalised;
use super::{Definition, Engine, Prepared};

/// `word_levenshtein` in the registry.
pub const DEFINITION: Definition = Definition {
    name: "word_levenshtein",
    label: "word order",
    summary: "word order: whole words kept in place, 1 − word edits / longer length",
    score: Some(score),
    codes: None,
};

fn score(engine: Engine, a: &Prepared, b: &Prepared) -> f64 {
    let distance = match engine {
        Engine::Fast => rapidfuzz::distance::levenshtein::distance(a.words.iter().copied(), b.words.iter().copied()),
        Engine::Reference => strsim::generic_levenshtein(&a.words, &b.words),
    };
    normalised(distance, a.words.len(), b.words.len())
}
