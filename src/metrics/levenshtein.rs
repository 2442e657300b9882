//! `levenshtein`: spelling similarity, 1 − character edits / the longer length (grapheme
//! clusters of NFC text). Fast: Myers' bit-parallel distance after the common prefix and
//! suffix are set aside; reference: strsim.

use super::engine::{levenshtein_stripped, normalised};
use super::{Definition, Engine};

/// `levenshtein` in the registry.
pub const DEFINITION: Definition = Definition {
    name: "levenshtein",
    label: "spelling (Levenshtein)",
    summary: "spelling similarity: characters kept in place, 1 − edits / longer length",
    score: None,
    codes: Some(codes),
};

fn codes(engine: Engine, x: &[u32], y: &[u32]) -> f64 {
    match engine {
        Engine::Fast => normalised(levenshtein_stripped(x, y), x.len(), y.len()),
        Engine::Reference => normalised(strsim::generic_levenshtein(&x.to_vec(), &y.to_vec()), x.len(), y.len()),
    }
}
