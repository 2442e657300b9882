//! drift: a seeded simulator of marketing long distance.
//!
//! A customer's pain point, in their own words, goes down a chain of handoffs; every hop
//! mangles it a little; drift shows where it went wrong, how much, and what would have
//! prevented it. Data flows one way:
//! [`scenario`] → [`simulate`] (with [`operators`], [`presets`], [`lexicon`]) → [`metrics`] →
//! [`aggregate`] → [`output`]; [`cli`] only parses and dispatches.

pub mod aggregate;
pub mod analysis;
pub mod calibrate;
pub mod chart;
pub mod cli;
pub mod compare;
pub mod error;
pub mod files;
pub mod fit;
pub mod grammar;
pub mod interrupt;
pub mod lexicon;
pub mod manual;
pub mod metrics;
pub mod montecarlo;
pub mod operators;
pub mod output;
pub mod pairs;
pub mod play;
pub mod presets;
pub mod read;
pub mod scenario;
pub mod score;
pub mod simulate;
pub mod source;
pub mod sweep;
pub mod templates;
pub mod text;
pub mod wordnet;

pub use cli::run;
pub use error::Error;
