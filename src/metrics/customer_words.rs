//! `customer_words`: the share of the customer's content words (stop words left out) still
//! in the message, as spelled.

use super::{Definition, Engine, Prepared};

/// `customer_words` in the registry.
pub const DEFINITION: Definition = Definition {
    name: "customer_words",
    label: "the customer's own words",
    summary: "the customer's own words: share of their content words still there, as spelled",
    score: Some(score),
    codes: None,
};

fn score(_: Engine, a: &Prepared, b: &Prepared) -> f64 {
    b.keeps_content_of(a)
}
