//! How big a scenario may be. drift reads files downloaded from a workshop's shared drive:
//! each limit is far above what a real scenario needs and low enough that a hostile or broken
//! file is refused within a second, in bounded memory. The README lists them.

/// The largest scenario file, in bytes; real scenarios are a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The longest text in a scenario (the customer's words, a name, an agenda, a story), in
/// characters: a customer quote is a paragraph, not a report.
pub const MAX_TEXT_CHARS: usize = crate::text::MAX_CHARS;

/// The most text a scenario may hold with every YAML alias (`*name`) written out, in bytes:
/// twice the file limit, so anchors can save typing but cannot multiply a file into
/// hundreds of megabytes of notes.
pub const MAX_EXPANDED_BYTES: u64 = 2 * MAX_FILE_BYTES;

/// The most hops in a chain.
pub const MAX_HOPS: usize = 200;

/// The most runs a scenario or `--runs` may ask for.
pub const MAX_RUNS: u64 = 10_000_000;

/// The most entries a scenario's own `lexicon:` may add, over all its tables.
pub const MAX_LEXICON_ENTRIES: usize = 10_000;

/// The deepest nesting of `[…]` and `{…}`; a scenario needs three or four levels.
pub const MAX_NESTING: usize = 64;

/// The most scenario files one `drift compare` takes. Memory does not grow with variants
/// beyond their files (compare holds a bounded number of histograms at a time); the limit
/// keeps a comparison readable and its run time in proportion: each variant is simulated
/// `runs` times.
pub const MAX_VARIANTS: usize = 200;

/// The most errors one scenario reports. Each costs one more reading of the file (see
/// `recover`), and past a few dozen the file is better fixed from the top.
pub const MAX_ERRORS: usize = 50;
