//! Role archetypes: the operator mix a typical person in that seat applies.
//!
//! The rates are judgement, not measurement: they encode the habits of the roles in the
//! story (the agency hears less, the creative director adds ideas, the CRO brings his last
//! call). A hop's `mutate` overrides any of them.

use crate::operators::{Operator, OperatorKind};

use OperatorKind::*;

/// A named operator mix.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub name: &'static str,
    /// What the role does to a message, for `--help`, the README and `drift lexicon`.
    pub summary: &'static str,
    pub mix: &'static [(OperatorKind, f64)],
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "analyst_report",
        summary: "an analyst writes the customer up: the person becomes a persona, a little paraphrase",
        mix: &[(Omit, 0.1), (Synonym, 0.2), (Abstract, 0.5), (Jargon, 0.15)],
    },
    Preset {
        name: "cmo",
        summary: "half-hears, abstracts the customer, reaches for jargon and the brand's own agenda",
        mix: &[(Omit, 0.2), (Synonym, 0.2), (Abstract, 0.3), (Jargon, 0.3), (WeFocus, 0.2), (Refocus, 0.15)],
    },
    Preset {
        name: "sales_rep",
        summary: "tells it with the last deal in mind: louder, more about what we sell",
        mix: &[(Synonym, 0.2), (WeFocus, 0.25), (Amplify, 0.3), (Anecdote, 0.3)],
    },
    Preset {
        name: "agency_account_lead",
        summary: "hears less than was said and passes on a summary in agency language",
        mix: &[(Omit, 0.35), (Synonym, 0.3), (Abstract, 0.2), (Jargon, 0.3)],
    },
    Preset {
        name: "creative_director",
        summary: "adds his own ideas: a new focus, a bigger promise",
        mix: &[(Synonym, 0.2), (Jargon, 0.2), (Amplify, 0.35), (Refocus, 0.6)],
    },
    Preset {
        name: "writer",
        summary: "writes from a garbled brief: paraphrase, jargon, superlatives, product talk",
        mix: &[(Omit, 0.15), (Synonym, 0.4), (Jargon, 0.3), (WeFocus, 0.3), (Amplify, 0.3)],
    },
    Preset {
        name: "cro",
        summary: "rewrites it after his last customer conversation",
        mix: &[(WeFocus, 0.2), (Amplify, 0.2), (Refocus, 0.2), (Anecdote, 0.7)],
    },
    Preset {
        name: "product_marketing",
        summary: "turns the pain into features: we/our talk, jargon, the segment instead of the person",
        mix: &[(Abstract, 0.3), (Jargon, 0.4), (WeFocus, 0.5), (Amplify, 0.2)],
    },
    Preset { name: "customer_checkin", summary: "goes back to the customer's own words", mix: &[(Listen, 0.8)] },
    Preset { name: "approve", summary: "signs off without changing a word", mix: &[(Approve, 1.0)] },
];

pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

impl Preset {
    pub fn operators(&self) -> Vec<Operator> {
        self.mix.iter().map(|&(kind, rate)| Operator { kind, rate, text: None }).collect()
    }
}
