//! `jaro_winkler`: characters in common and in order, the opening weighted most. Fast: drift's
//! linear-time Jaro–Winkler ([`super::jaro`]), bit for bit strsim's; reference: strsim.

use super::{Definition, Engine};

/// `jaro_winkler` in the registry.
pub const DEFINITION: Definition = Definition {
    name: "jaro_winkler",
    label: "spelling (Jaro–Winkler)",
    summary: "spelling similarity: characters in common and in order, the opening weighted most",
    score: None,
    codes: Some(codes),
};

fn codes(engine: Engine, x: &[u32], y: &[u32]) -> f64 {
    match engine {
        Engine::Fast => super::jaro::jaro_winkler(x, y),
        Engine::Reference => strsim::generic_jaro_winkler(&x.to_vec(), &y.to_vec()),
    }
}
