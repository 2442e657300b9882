//! `damerau`: as `levenshtein`, a swap of two neighbouring characters counting as one edit
//! (unrestricted Damerau–Levenshtein). Fast: rapidfuzz; reference: strsim.

use super::engine::normalised;
use super::{Definition, Engine};

/// `damerau` in the registry.
pub const DEFINITION: Definition = Definition {
    name: "damerau",
    label: "spelling (Damerau)",
    summary: "spelling similarity as levenshtein, a swap of two neighbours counting as one edit",
    score: None,
    codes: Some(codes),
};

fn codes(engine: Engine, x: &[u32], y: &[u32]) -> f64 {
    match engine {
        Engine::Fast => {
            normalised(rapidfuzz::distance::damerau_levenshtein::distance(x.iter().copied(), y.iter().copied()), x.len(), y.len())
        }
        Engine::Reference => normalised(strsim::generic_damerau_levenshtein(x, y), x.len(), y.len()),
    }
}
