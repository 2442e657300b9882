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

/// Passing a short message on as accurately as one can (Gistr: quotes of 12-66 words passed
/// on "as accurately as possible"): now and then a word or a detail lost, a word put another
/// way, a number misremembered; rarely a sentence. Fitted by `drift calibrate` (see the
/// README's Calibration section for the data and the held-out check).
pub const RELAY: &[Operator] = &[
    Operator { kind: Omit, rate: 0.1, text: None, clause: Some(0.3), sentence: Some(0.22), detail: Some(0.57), capacity: Some(1.0) },
    Operator { kind: Paraphrase, rate: 1.0, text: None, clause: None, sentence: None, detail: None, capacity: Some(1.0) },
    op(Reorder, 1.0),
    Operator { kind: Elaborate, rate: 0.0, text: None, clause: None, sentence: None, detail: None, capacity: Some(163.0) },
    op(Numbers, 0.1),
];

/// Telling a story in one's own words (Kreiss et al.'s iterated narration, control condition:
/// ~160-word news stories retold): most sentences and details of a long story lost, the end
/// first, words put other ways, numbers rounded, now and then a remark. Fitted by `drift
/// calibrate` (see the README's Calibration section).
pub const RETELL: &[Operator] = &[
    Operator { kind: Omit, rate: 0.1, text: None, clause: Some(0.75), sentence: Some(0.64), detail: Some(1.0), capacity: Some(14.0) },
    Operator { kind: Paraphrase, rate: 1.0, text: None, clause: None, sentence: None, detail: None, capacity: Some(1.0) },
    op(Reorder, 0.93),
    Operator { kind: Elaborate, rate: 0.24, text: None, clause: None, sentence: None, detail: None, capacity: Some(190.0) },
    op(Numbers, 0.3),
];

/// What a person is asked to do with what they heard: the base every role builds on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Pass it on as accurately as possible ([`RELAY`]).
    Relay,
    /// Tell it in one's own words ([`RETELL`]).
    Retell,
}

impl Task {
    pub fn operators(self) -> &'static [Operator] {
        match self {
            Task::Relay => RELAY,
            Task::Retell => RETELL,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Task::Relay => "relay",
            Task::Retell => "retell",
        }
    }
}

/// A named operator mix.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub name: &'static str,
    /// What the role does to a message, for `--help`, the README and `drift lexicon`.
    pub summary: &'static str,
    /// What the role does with the message before its habits colour it, if anything.
    pub task: Option<Task>,
    pub habits: &'static [Operator],
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "relay",
        summary: "passes a message on as accurately as people do when asked to: loses a word or a detail now and then, rarely a sentence (fitted to public human chains)",
        task: Some(Task::Relay),
        habits: &[],
    },
    Preset {
        name: "retell",
        summary: "tells it in one's own words as people do: loses most of a long story, the end first, rewords, rounds numbers (fitted to public human chains)",
        task: Some(Task::Retell),
        habits: &[],
    },
    Preset {
        name: "analyst_report",
        summary: "retells, and writes the customer up: the person becomes a persona, some jargon",
        task: Some(Task::Relay),
        habits: &[op(Abstract, 0.4), op(Jargon, 0.1)],
    },
    Preset {
        name: "cmo",
        summary: "retells, abstracts the customer, reaches for jargon and the brand's own agenda",
        task: Some(Task::Relay),
        habits: &[op(Abstract, 0.2), op(Jargon, 0.1), op(WeFocus, 0.2), op(Refocus, 0.15)],
    },
    Preset {
        name: "sales_rep",
        summary: "retells with the last deal in mind: louder, more about what we sell",
        task: Some(Task::Relay),
        habits: &[op(WeFocus, 0.25), op(Amplify, 0.2), op(Anecdote, 0.3)],
    },
    Preset {
        name: "agency_account_lead",
        summary: "retells and passes on a summary in agency language",
        task: Some(Task::Relay),
        habits: &[op(Abstract, 0.2), op(Jargon, 0.2)],
    },
    Preset {
        name: "creative_director",
        summary: "retells and adds his own ideas: a new focus, a bigger promise",
        task: Some(Task::Relay),
        habits: &[op(Jargon, 0.1), op(Amplify, 0.3), op(Refocus, 0.6)],
    },
    Preset {
        name: "writer",
        summary: "writes from a retold brief: rewrites, jargon, superlatives, product talk",
        task: Some(Task::Relay),
        habits: &[op(Synonym, 0.2), op(Jargon, 0.15), op(WeFocus, 0.3), op(Amplify, 0.3)],
    },
    Preset {
        name: "cro",
        summary: "retells and rewrites it after his last customer conversation",
        task: Some(Task::Relay),
        habits: &[op(WeFocus, 0.2), op(Amplify, 0.2), op(Refocus, 0.1), op(Anecdote, 0.5)],
    },
    Preset {
        name: "product_marketing",
        summary: "retells and turns the pain into features: we/our talk, jargon, the segment instead of the person",
        task: Some(Task::Relay),
        habits: &[op(Abstract, 0.2), op(Jargon, 0.1), op(WeFocus, 0.5), op(Amplify, 0.2)],
    },
    Preset { name: "customer_checkin", summary: "goes back to the customer's own words", task: None, habits: &[op(Listen, 0.8)] },
    Preset { name: "approve", summary: "signs off without changing a word", task: None, habits: &[op(Approve, 1.0)] },
];

pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

impl Preset {
    /// The preset's operators, in application order: its task's, then its habits (a habit of
    /// the same kind replaces the task's).
    pub fn operators(&self) -> Vec<Operator> {
        let base: &[Operator] = self.task.map_or(&[], Task::operators);
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
        for p in PRESETS.iter().filter(|p| p.task.is_some()) {
            let ops = p.operators();
            for r in p.task.unwrap().operators() {
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
