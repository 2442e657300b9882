//! drift: a seeded simulator of marketing long distance.
//!
//! A customer's pain point, in their own words, goes down a chain of handoffs; every hop
//! mangles it a little; drift shows where it went wrong, how much, and what would have
//! prevented it. Data flows one way:
//! [`scenario`] → [`simulate`] (with [`operators`], [`presets`], [`lexicon`]) → [`scoring`]
//! (with [`metrics`]) → [`aggregate`] → [`chart`] / [`output`]; [`cli`] turns arguments into
//! settings and calls the rest. Leaves anyone may use: [`text`], [`format`], [`table`],
//! [`stats`], [`interrupt`]. No module imports one above it: `tests/cli/layers.rs` holds the order and
//! fails on an arrow back (docs/ARCHITECTURE.md draws it).

pub mod aggregate;
pub mod analysis;
pub mod calibrate;
pub mod chart;
pub mod cli;
pub mod compare;
pub mod error;
pub mod files;
pub mod fit;
pub mod format;
pub mod grammar;
pub mod hash;
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
pub mod room;
pub mod scenario;
pub mod score;
pub mod scoring;
pub mod simulate;
pub mod source;
pub mod stats;
pub mod sweep;
pub mod table;
pub mod templates;
pub mod text;
pub mod wordnet;

pub use cli::run;
pub use error::Error;
