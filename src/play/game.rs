//! The played chain as a state machine: which screen is showing, what has been revealed, what
//! a person is typing. No I/O and no clock, so the terminal UI and the line mode drive the same
//! logic, and tests can step through it directly.

use crate::aggregate::costliest_in;
use crate::lexicon::Lexicon;
use crate::metrics::Engine;
use crate::operators::Context;
use crate::scenario::Scenario;
use crate::scenario::limits::MAX_TEXT_CHARS;
use crate::scoring::{HopScores, Scorer};
use crate::simulate::{HopTrace, Trace, pass_on_words};
use crate::text::Text;

/// The run `drift play` plays: the one `drift run` traces, so the room sees what the report
/// shows.
pub const PLAYED_RUN: u64 = 0;

/// What is on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The customer and their words.
    Customer,
    /// Hop `i` (0-based) revealed: its message, diff, score and the curve so far.
    Hop(usize),
    /// A person is typing what hop `hop` (0-based) passes on.
    Typing { hop: usize, input: String },
    /// The customer's words beside the final message, the costliest hop, the score.
    End,
}

/// What a key press that moves on led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moved {
    /// Another screen is showing.
    On,
    /// The end screen was showing: the game is over.
    Finished,
}

/// A chain being played, hop by hop.
pub struct Game<'a> {
    /// The scenario as played so far: each human hop that has been typed carries the text as
    /// `said:`, exactly as a saved scenario will, so replaying it gives the same chain.
    scenario: Scenario,
    lexicon: &'a Lexicon,
    seed: u64,
    human: Vec<bool>,
    /// The hops worked out so far (a prefix of the chain).
    hops: Vec<HopTrace>,
    scores: Vec<HopScores>,
    step: Step,
    /// A short message for the current screen (e.g. "type something first").
    notice: Option<String>,
    /// Said on the end screen (where the played chain was saved).
    closing: Option<String>,
    /// A hop was typed (or typed again) and not yet kept on disk: see [`Game::take_typed`].
    typed_unkept: bool,
}

impl<'a> Game<'a> {
    /// `human[i]` says whether a person plays hop `i`; it must have one entry per hop.
    pub fn new(scenario: Scenario, lexicon: &'a Lexicon, seed: u64, human: Vec<bool>) -> Game<'a> {
        debug_assert_eq!(human.len(), scenario.chain.len());
        Game {
            scenario,
            lexicon,
            seed,
            human,
            hops: Vec::new(),
            scores: Vec::new(),
            step: Step::Customer,
            notice: None,
            closing: None,
            typed_unkept: false,
        }
    }

    pub fn step(&self) -> &Step {
        &self.step
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The hops revealed or worked out so far.
    pub fn hops(&self) -> &[HopTrace] {
        &self.hops
    }

    pub fn scores(&self) -> &[HopScores] {
        &self.scores
    }

    pub fn chain_len(&self) -> usize {
        self.scenario.chain.len()
    }

    /// Whether a person plays hop `i` (0-based) in this game.
    pub fn is_human(&self, i: usize) -> bool {
        self.human.get(i).copied().unwrap_or(false)
    }

    /// Whether hop `i`'s words are a person's: played in this game, or already written in
    /// the scenario (`said:`, e.g. a chain saved by an earlier game).
    pub fn is_marked_human(&self, i: usize) -> bool {
        self.is_human(i) || self.scenario.chain.get(i).is_some_and(|h| h.is_human())
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn closing(&self) -> Option<&str> {
        self.closing.as_deref()
    }

    /// Sets what the end screen says last (where the chain was saved, or why it was not).
    pub fn set_closing(&mut self, text: String) {
        self.closing = Some(text);
    }

    /// Shows a short message on the current screen (until the next move).
    pub fn set_notice(&mut self, text: String) {
        self.notice = Some(text);
    }

    /// True once after each hop a person typed: time to keep the typed hops on disk.
    pub fn take_typed(&mut self) -> bool {
        std::mem::take(&mut self.typed_unkept)
    }

    /// Hops (0-based) people typed in this game (not those the scenario already had as
    /// `said:`), with the text, in chain order: what a recovery file keeps.
    pub fn typed_here(&self) -> Vec<(usize, &str)> {
        self.typed().into_iter().filter(|(i, _)| self.is_human(*i)).collect()
    }

    /// Picks up an unfinished game: `typed` holds (0-based hop, text) as people typed them
    /// then. The hops up to the last typed one are worked out again (with the same seed and
    /// words they come out as they were) and that hop is shown; the game goes on from the
    /// next. Each typed hop counts as played by a person here, so `r` can retype it.
    pub fn resume(&mut self, typed: &[(usize, String)]) {
        let Some(last) = typed.iter().map(|(i, _)| *i).max().filter(|&i| i < self.chain_len()) else { return };
        for (i, text) in typed {
            let hop = &mut self.scenario.chain[*i];
            hop.said = Some(text.clone());
            hop.preset = None;
            hop.operators.clear();
            self.human[*i] = true;
        }
        self.hops.clear();
        for i in 0..=last {
            self.pass_on(i);
        }
        self.rescore();
        self.notice = None;
        self.step = Step::Hop(last);
    }

    /// The message as it left hop `i` (0-based), or the customer's words for `None`.
    pub fn text_after(&self, i: Option<usize>) -> &str {
        match i {
            None => self.scenario.customer.told(),
            Some(i) => &self.hops[i].text,
        }
    }

    /// The message hop `i` (0-based) received.
    pub fn incoming(&self, i: usize) -> &str {
        self.text_after(i.checked_sub(1))
    }

    /// The headline similarity to the customer's words: 1 for the customer, then each hop
    /// worked out up to and including hop `upto` (0-based), with whether a person played it.
    pub fn curve(&self, upto: Option<usize>) -> Vec<(f64, bool)> {
        let n = upto.map_or(0, |i| i + 1).min(self.scores.len());
        std::iter::once((1.0, false)).chain(self.scores[..n].iter().zip(&self.hops).map(|(s, h)| (s.vs_customer[0], h.human))).collect()
    }

    /// The played run's hop (0-based) that cost the most of the headline, and how much.
    pub fn costliest(&self) -> Option<(usize, f64)> {
        costliest_in(&self.scores)
    }

    /// The whole chain is worked out.
    pub fn complete(&self) -> bool {
        self.hops.len() == self.chain_len()
    }

    /// The played chain as a trace of run 0 (complete once the end screen is reached).
    pub fn trace(&self) -> Trace {
        Trace { run: PLAYED_RUN, hops: self.hops.clone() }
    }

    /// Hops (0-based) a person played, with what they typed, in chain order.
    pub fn typed(&self) -> Vec<(usize, &str)> {
        self.hops.iter().enumerate().filter(|(_, h)| h.human).map(|(i, h)| (i, h.text.as_str())).collect()
    }

    /// Enter or space: reveal the next hop, start a person's turn, or finish.
    pub fn advance(&mut self) -> Moved {
        self.notice = None;
        let next = match &self.step {
            Step::Customer => 0,
            Step::Hop(i) => i + 1,
            Step::Typing { .. } => return Moved::On,
            Step::End => return Moved::Finished,
        };
        if next == self.chain_len() {
            self.step = Step::End;
        } else if next < self.hops.len() {
            self.step = Step::Hop(next);
        } else if self.is_human(next) {
            self.step = Step::Typing { hop: next, input: String::new() };
        } else {
            self.work_out(next);
            self.step = Step::Hop(next);
        }
        Moved::On
    }

    /// `b`: the screen before (hops already worked out stay as they were).
    pub fn back(&mut self) {
        self.notice = None;
        self.step = match &self.step {
            Step::Customer | Step::Hop(0) => Step::Customer,
            Step::Hop(i) => Step::Hop(i - 1),
            Step::Typing { hop, .. } if *hop < self.hops.len() => Step::Hop(*hop),
            Step::Typing { hop: 0, .. } => Step::Customer,
            Step::Typing { hop, .. } => Step::Hop(hop - 1),
            Step::End => Step::Hop(self.chain_len() - 1),
        };
    }

    /// `r` on a human hop: type it again (what follows it is worked out anew).
    pub fn retype(&mut self) -> bool {
        match self.step {
            Step::Hop(i) if self.hops[i].human => {
                self.notice = None;
                self.step = Step::Typing { hop: i, input: self.hops[i].text.clone() };
                true
            }
            _ => false,
        }
    }

    /// Adds typed or pasted text to the person's retelling; line breaks and tabs become
    /// spaces and other control characters (escape sequences, C1 codes) are left out. A
    /// retelling stops at the scenario text limit, with a notice: what was accepted here is
    /// always a text the saved scenario can hold.
    pub fn type_text(&mut self, text: &str) {
        if let Step::Typing { input, .. } = &mut self.step {
            self.notice = None;
            let mut len = input.chars().count();
            for c in text.chars() {
                let c = match c {
                    '\n' | '\r' | '\t' => ' ',
                    c if c.is_control() => continue,
                    c => c,
                };
                if len >= MAX_TEXT_CHARS {
                    self.notice = Some(too_long_notice());
                    break;
                }
                input.push(c);
                len += 1;
            }
        }
    }

    /// Backspace: the last character typed.
    pub fn backspace(&mut self) {
        if let Step::Typing { input, .. } = &mut self.step {
            input.pop();
        }
    }

    /// Ctrl-W: the last word typed.
    pub fn delete_word(&mut self) {
        if let Step::Typing { input, .. } = &mut self.step {
            let kept = input.trim_end().rfind(' ').map_or(0, |at| at + 1);
            input.truncate(kept);
        }
    }

    /// Ctrl-U: everything typed.
    pub fn clear_input(&mut self) {
        if let Step::Typing { input, .. } = &mut self.step {
            input.clear();
        }
    }

    /// Enter while typing: the retelling (outer white space aside) becomes what the hop passes
    /// on. An empty one is refused with a notice, since an empty message is not a retelling.
    pub fn submit(&mut self) -> bool {
        let Step::Typing { hop, input } = &self.step else { return false };
        let (hop, text) = (*hop, input.trim().to_string());
        if text.is_empty() {
            self.notice = Some("Type what you would pass on first, then press Enter.".to_string());
            return false;
        }
        self.hops.truncate(hop);
        self.scores.truncate(hop);
        let played = &mut self.scenario.chain[hop];
        played.said = Some(text);
        played.preset = None;
        played.operators.clear();
        self.work_out(hop);
        self.notice = None;
        self.step = Step::Hop(hop);
        self.typed_unkept = true;
        true
    }

    /// Hop `hop`, the next one after those already known, is played: by a person who passed
    /// on `said`, or by the hop's own operators (`None`, a bot in `drift room`). The chain so
    /// far is scored again.
    pub fn play(&mut self, hop: usize, said: Option<&str>) {
        debug_assert_eq!(hop, self.hops.len());
        if let Some(text) = said {
            let played = &mut self.scenario.chain[hop];
            played.said = Some(text.to_string());
            played.preset = None;
            played.operators.clear();
            self.human[hop] = true;
        }
        self.work_out(hop);
    }

    /// What hop `hop`, the next one after those already known, passes on when nobody types
    /// it: its operators' words, as [`Game::play`] with `None` would work them out.
    pub fn bot_words(&self, hop: usize) -> String {
        debug_assert_eq!(hop, self.hops.len());
        self.next_hop(hop).text
    }

    /// Works out hop `i`, the next one after those already known, and scores the chain so
    /// far.
    fn work_out(&mut self, i: usize) {
        self.pass_on(i);
        self.rescore();
    }

    /// Works out hop `i`, the next one after those already known, with the played run's
    /// stream (a human hop passes on its `said:`).
    fn pass_on(&mut self, i: usize) {
        let hop = self.next_hop(i);
        self.hops.push(hop);
    }

    /// Hop `i` worked out, the next one after those already known.
    fn next_hop(&self, i: usize) -> HopTrace {
        debug_assert_eq!(i, self.hops.len());
        let ctx =
            Context { lexicon: self.lexicon, customer: self.scenario.customer.told(), customer_words: self.scenario.customer.told_words() };
        // as run_chain does it, so the played hops are run 0's hop for hop
        let (incoming, words) = match i.checked_sub(1) {
            Some(p) => (self.hops[p].text.clone(), self.hops[p].words.clone()),
            None => (self.scenario.customer.told().to_string(), Text::parse(self.scenario.customer.told())),
        };
        let (text, words, edits) = pass_on_words(&self.scenario, &ctx, self.seed, PLAYED_RUN, i, incoming, words);
        let hop = &self.scenario.chain[i];
        let human = hop.is_human();
        HopTrace { hop: i + 1, role: hop.role.clone(), note: hop.note.clone(), text, edits, words, human }
    }

    fn rescore(&mut self) {
        let scorer = Scorer::new(&self.scenario, self.lexicon, Engine::Fast);
        self.scores = scorer.score_trace(&self.trace());
    }
}

/// Said when a retelling reaches the scenario text limit.
pub fn too_long_notice() -> String {
    format!("A retelling can be at most {MAX_TEXT_CHARS} characters: the rest was not taken. Press Enter to pass this on.")
}

/// A three-hop scenario the play and room tests share.
#[cfg(test)]
pub(crate) const TEST_SCENARIO: &str = "version: 1
name: Test
customer:
  said: We keep losing our best adjusters to paperwork. I need them back in the field.
chain:
  - role: CMO
    preset: cmo
  - role: Writer
    preset: writer
  - role: CRO
    preset: cro
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::run_chain;

    use super::TEST_SCENARIO as SCENARIO;

    fn game(lexicon: &Lexicon, human: Vec<bool>) -> Game<'_> {
        Game::new(Scenario::parse("test.yaml", SCENARIO).unwrap(), lexicon, 7, human)
    }

    #[test]
    fn played_without_people_it_is_run_zero() {
        let lexicon = Lexicon::built_in();
        let mut g = game(&lexicon, vec![false; 3]);
        while g.advance() == Moved::On {}
        let expected = run_chain(&Scenario::parse("test.yaml", SCENARIO).unwrap(), &lexicon, 7, 0);
        assert_eq!(g.trace(), expected);
        assert_eq!(g.step(), &Step::End);
    }

    #[test]
    fn a_person_types_a_hop_and_the_rest_follows_from_it() {
        let lexicon = Lexicon::built_in();
        let mut g = game(&lexicon, vec![false, true, false]);
        g.advance();
        g.advance();
        assert_eq!(g.step(), &Step::Typing { hop: 1, input: String::new() });
        assert!(!g.submit(), "an empty retelling is refused");
        assert!(g.notice().is_some());
        g.type_text("  Adjusters hate\npaperwork ");
        g.type_text("a lot\u{7}");
        assert!(g.submit());
        assert_eq!(g.hops()[1].text, "Adjusters hate paperwork a lot");
        assert!(g.hops()[1].human && g.hops()[1].edits.is_empty());
        while g.advance() == Moved::On {}
        // the played scenario replays to the same chain
        assert_eq!(run_chain(g.scenario(), &lexicon, 7, 0), g.trace());
        assert_eq!(g.typed(), vec![(1, "Adjusters hate paperwork a lot")]);
    }

    #[test]
    fn back_and_retype() {
        let lexicon = Lexicon::built_in();
        let mut g = game(&lexicon, vec![true, false, false]);
        g.back();
        assert_eq!(g.step(), &Step::Customer);
        g.advance();
        g.type_text("first try");
        g.back();
        assert_eq!(g.step(), &Step::Customer, "Esc while typing a new hop goes back");
        g.advance();
        g.type_text("paperwork eats my adjusters");
        g.submit();
        g.advance();
        let second = g.hops()[1].text.clone();
        g.back();
        assert!(g.retype());
        assert_eq!(g.step(), &Step::Typing { hop: 0, input: "paperwork eats my adjusters".into() });
        g.delete_word();
        g.type_text("days");
        g.submit();
        assert_eq!(g.hops().len(), 1, "hops after a retyped one are worked out anew");
        assert_eq!(g.hops()[0].text, "paperwork eats my days");
        g.advance();
        assert_ne!(g.hops()[1].text, "", "{second}");
        g.advance();
        g.advance();
        assert_eq!(g.step(), &Step::End);
        g.back();
        assert_eq!(g.step(), &Step::Hop(2));
        assert_eq!(g.curve(Some(2)).len(), 4);
        assert!(g.curve(Some(2))[1].1, "the human hop is marked on the curve");
    }

    #[test]
    fn a_retelling_stops_at_the_text_limit_and_takes_no_control_characters() {
        let lexicon = Lexicon::built_in();
        let mut g = game(&lexicon, vec![true, false, false]);
        g.advance();
        g.type_text("a\u{1b}[31mb\tc\u{9b}d\u{7f}");
        assert_eq!(g.step(), &Step::Typing { hop: 0, input: "a[31mb cd".into() });
        assert!(g.notice().is_none());
        g.type_text(&"x".repeat(MAX_TEXT_CHARS * 2));
        let Step::Typing { input, .. } = g.step() else { panic!() };
        assert_eq!(input.chars().count(), MAX_TEXT_CHARS);
        assert!(g.notice().unwrap().contains("at most 10000 characters"), "{:?}", g.notice());
        g.type_text("y");
        let Step::Typing { input, .. } = g.step() else { panic!() };
        assert!(!input.ends_with('y'), "nothing more is taken");
        assert!(g.submit());
        assert!(g.take_typed() && !g.take_typed(), "one typed hop to keep, once");
        // what was accepted is a text a scenario can hold
        let yaml = crate::play::save::recovery_yaml(SCENARIO, "test.yaml", &g).unwrap();
        Scenario::parse("recovery", &yaml).unwrap();
    }

    #[test]
    fn a_resumed_game_is_the_game_it_was_and_goes_on_from_the_next_hop() {
        let lexicon = Lexicon::built_in();
        let mut played = game(&lexicon, vec![true, false, true]);
        played.advance();
        played.type_text("paperwork eats my adjusters");
        played.submit();
        played.advance();
        let typed: Vec<(usize, String)> = played.typed_here().iter().map(|(i, t)| (*i, t.to_string())).collect();
        let mut resumed = game(&lexicon, vec![true, false, true]);
        resumed.resume(&typed);
        assert_eq!(resumed.step(), &Step::Hop(0));
        assert_eq!(resumed.hops(), &played.hops()[..1]);
        assert_eq!(resumed.scores(), &played.scores()[..1]);
        assert_eq!(resumed.advance(), Moved::On);
        assert_eq!(resumed.hops(), played.hops());
        resumed.advance();
        assert_eq!(resumed.step(), &Step::Typing { hop: 2, input: String::new() });
        resumed.back();
        resumed.back();
        assert!(resumed.retype(), "a resumed typed hop can be typed again");
    }
}
