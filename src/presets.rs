//! Role archetypes: the operator mix a typical person in that seat applies.
//!
//! `retell` is measured, not guessed: its rates are fitted to what people do when they retell
//! a message (serial reproduction of news-like stories; `drift calibrate --check` shows the
//! fit, the README has the figures). Every role of the marketing story is `retell` plus its
//! habits: it loses information the way anyone retelling does, and then adds its own bias.
//! The habits' rates are judgement: they encode the roles in the story (the creative director
//! adds ideas, the CRO brings his last call). A hop's `mutate` overrides any operator of a
//! preset as a whole, and a scenario can define presets of its own under `presets:`.

use crate::operators::{Operator, OperatorKind};

use OperatorKind::*;

/// An operator at a rate, its other parameters at their defaults.
const fn op(kind: OperatorKind, rate: f64) -> Operator {
    Operator::new(kind, rate)
}

/// Plain human retelling, as `drift calibrate --fit-capacity --omit-levels --runs 2000` fitted
/// it to the published serial-reproduction medians on drift's own stories (a fixed point of
/// the fit: refitting from these values returns them; src/calibrate/published.rs has the
/// figures): whole sentences, trailing clauses and closing details dropped, less from a
/// message short enough to hold in mind (`capacity`); everyday words reworded on anything
/// longer than a few words; usually a hedge or a remark added. `reorder`'s rate is judgement:
/// the published figures say nothing about word order. `omit`'s `rate` (fillers) is the old
/// default, left as it was: the stories have too few fillers to fit it.
pub const RETELL: &[Operator] = &[
    Operator { kind: Omit, rate: 0.1, text: None, clause: Some(0.99), sentence: Some(0.43), detail: Some(1.0), capacity: Some(26.0) },
    Operator { kind: Paraphrase, rate: 0.62, text: None, clause: None, sentence: None, detail: None, capacity: Some(5.0) },
    op(Reorder, 0.1),
    Operator { kind: Elaborate, rate: 0.3, text: None, clause: None, sentence: None, detail: None, capacity: Some(40.0) },
    op(Numbers, 0.3),
];

/// A named operator mix.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub name: &'static str,
    /// What the role does to a message, for `--help`, the README and `drift lexicon`.
    pub summary: &'static str,
    /// True when the role retells the message first ([`RETELL`]), then applies its habits.
    pub retells: bool,
    pub habits: &'static [Operator],
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "retell",
        summary: "plain human retelling, fitted to serial-reproduction data: loses sentences and clauses of long messages, rewords, now and then reorders",
        retells: true,
        habits: &[],
    },
    Preset {
        name: "analyst_report",
        summary: "retells, and writes the customer up: the person becomes a persona, some jargon",
        retells: true,
        habits: &[op(Abstract, 0.5), op(Jargon, 0.15)],
    },
    Preset {
        name: "cmo",
        summary: "retells, abstracts the customer, reaches for jargon and the brand's own agenda",
        retells: true,
        habits: &[op(Abstract, 0.3), op(Jargon, 0.3), op(WeFocus, 0.2), op(Refocus, 0.15)],
    },
    Preset {
        name: "sales_rep",
        summary: "retells with the last deal in mind: louder, more about what we sell",
        retells: true,
        habits: &[op(WeFocus, 0.25), op(Amplify, 0.3), op(Anecdote, 0.3)],
    },
    Preset {
        name: "agency_account_lead",
        summary: "retells and passes on a summary in agency language",
        retells: true,
        habits: &[op(Abstract, 0.2), op(Jargon, 0.3)],
    },
    Preset {
        name: "creative_director",
        summary: "retells and adds his own ideas: a new focus, a bigger promise",
        retells: true,
        habits: &[op(Jargon, 0.2), op(Amplify, 0.35), op(Refocus, 0.6)],
    },
    Preset {
        name: "writer",
        summary: "writes from a retold brief: rewrites, jargon, superlatives, product talk",
        retells: true,
        habits: &[op(Synonym, 0.4), op(Jargon, 0.3), op(WeFocus, 0.3), op(Amplify, 0.3)],
    },
    Preset {
        name: "cro",
        summary: "retells and rewrites it after his last customer conversation",
        retells: true,
        habits: &[op(WeFocus, 0.2), op(Amplify, 0.2), op(Refocus, 0.2), op(Anecdote, 0.7)],
    },
    Preset {
        name: "product_marketing",
        summary: "retells and turns the pain into features: we/our talk, jargon, the segment instead of the person",
        retells: true,
        habits: &[op(Abstract, 0.3), op(Jargon, 0.4), op(WeFocus, 0.5), op(Amplify, 0.2)],
    },
    Preset { name: "customer_checkin", summary: "goes back to the customer's own words", retells: false, habits: &[op(Listen, 0.8)] },
    Preset { name: "approve", summary: "signs off without changing a word", retells: false, habits: &[op(Approve, 1.0)] },
];

pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

impl Preset {
    /// The preset's operators, in application order: [`RETELL`]'s where the role retells, then
    /// its habits (a habit of the same kind replaces retell's).
    pub fn operators(&self) -> Vec<Operator> {
        let base: &[Operator] = if self.retells { RETELL } else { &[] };
        let mut ops: Vec<Operator> =
            base.iter().filter(|b| !self.habits.iter().any(|h| h.kind == b.kind)).chain(self.habits).cloned().collect();
        ops.sort_by_key(|o| o.kind);
        ops
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_of_the_story_retells_and_keeps_its_habits() {
        for p in PRESETS.iter().filter(|p| p.retells) {
            let ops = p.operators();
            for r in RETELL {
                assert!(ops.iter().any(|o| o.kind == r.kind), "{} lacks {}", p.name, r.kind.name());
            }
            for h in p.habits {
                assert!(ops.contains(h), "{} lacks its habit {}", p.name, h.kind.name());
            }
            assert!(ops.windows(2).all(|w| w[0].kind < w[1].kind), "{}: not in application order", p.name);
        }
        assert_eq!(find("approve").unwrap().operators(), vec![Operator::new(Approve, 1.0)]);
    }
}
