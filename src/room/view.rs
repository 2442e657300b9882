//! What the pages show, as JSON: the screen's view of every team, and one phone's view of its
//! own turn. Pure functions of the session and the room's presentation state, so what a page
//! may see is decided here (and tested) rather than in the browser: a phone is sent the words
//! it heard only during its turn's flash, and the screen is sent a hop's words only once the
//! facilitator has revealed it, as later players could read them off the projector.

use std::collections::HashMap;

use serde::Serialize;

use super::session::{Session, Team};
use super::{By, PlayerId};
use crate::output::{Piece, word_diff};

/// Who is connected: open event streams per (team, player).
pub type Connections = HashMap<(usize, PlayerId), usize>;

/// The screen's state that is not the game's: how far the facilitator has revealed the chain.
pub struct Show<'a> {
    /// Hops revealed (0: only the customer's words).
    pub shown: usize,
    /// The headline metric's label and its chance level against the customer's words.
    pub metric: &'a str,
    pub chance: f64,
    pub join: &'a str,
    pub code: &'a str,
    /// Per team, the report's address once it is written.
    pub reports: &'a [Option<String>],
    /// The folder the room's files go to, as the facilitator gave it.
    pub out: &'a str,
    /// A file that could not be written, a report that failed.
    pub problem: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct ScreenView {
    pub scenario: String,
    pub who: String,
    /// The customer's words, once the facilitator reveals the chain or it is finished: until
    /// then only hop 1 may know them.
    pub customer: Option<String>,
    pub chain: usize,
    pub code: String,
    pub join: String,
    pub started: bool,
    pub finished: bool,
    pub shown: usize,
    /// The most hops any team has played: how far "reveal next" can go.
    pub played: usize,
    pub metric: String,
    pub chance: f64,
    pub out: String,
    pub problem: Option<String>,
    pub teams: Vec<TeamView>,
}

#[derive(Debug, Serialize)]
pub struct TeamView {
    pub name: String,
    pub seats: Vec<SeatView>,
    pub players: Vec<PlayerView>,
    /// The hop whose turn it is (from 1) and who plays it.
    pub turn: Option<SeatView>,
    pub played: usize,
    pub hops: Vec<HopView>,
    /// The meaning score after each revealed hop, the customer's words first (1).
    pub curve: Vec<f64>,
    /// Once the whole chain is revealed: the final message and the costliest hop.
    pub last: Option<String>,
    pub costliest: Option<Costliest>,
    pub report: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeatView {
    pub hop: usize,
    pub role: String,
    /// The player's name, or `None` for the bot.
    pub by: Option<String>,
    pub player: Option<PlayerId>,
    pub connected: bool,
    pub done: bool,
}

#[derive(Debug, Serialize)]
pub struct PlayerView {
    pub id: PlayerId,
    pub name: String,
    pub seat: Option<usize>,
    pub connected: bool,
}

#[derive(Debug, Serialize)]
pub struct HopView {
    pub hop: usize,
    pub role: String,
    pub by: Option<String>,
    /// The words as a diff against what the hop heard: `["same" | "del" | "ins", text]`.
    pub diff: Vec<(&'static str, String)>,
    pub score: f64,
}

#[derive(Debug, Serialize)]
pub struct Costliest {
    pub hop: usize,
    pub role: String,
    pub by: Option<String>,
    pub cost: f64,
}

/// The screen's view of the whole room.
pub fn screen(session: &Session, show: &Show, connections: &Connections) -> ScreenView {
    let first = &session.teams()[0].game;
    let scenario = first.scenario();
    let played = session.played();
    let shown = show.shown.min(played);
    ScreenView {
        scenario: scenario.name.clone(),
        who: scenario.customer.who.clone().unwrap_or_default(),
        customer: (shown > 0 || session.finished()).then(|| scenario.customer.told().to_string()),
        chain: scenario.chain.len(),
        code: show.code.to_string(),
        join: show.join.to_string(),
        started: session.started(),
        finished: session.finished(),
        shown,
        played,
        metric: show.metric.to_string(),
        chance: show.chance,
        out: show.out.to_string(),
        problem: show.problem.map(str::to_string),
        teams: session
            .teams()
            .iter()
            .enumerate()
            .map(|(t, team)| team_view(t, team, shown, show.reports.get(t).cloned().flatten(), connections))
            .collect(),
    }
}

fn team_view(t: usize, team: &Team, shown: usize, report: Option<String>, connections: &Connections) -> TeamView {
    let room = &team.room;
    let game = &team.game;
    let connected = |p: PlayerId| connections.get(&(t, p)).is_some_and(|&n| n > 0);
    let name_of = |by: &By| name(team, by);
    let seat = |hop: usize| seat_view(team, hop, connected);
    let revealed = shown.min(room.passed().len());
    let hops = (0..revealed)
        .map(|i| HopView {
            hop: i + 1,
            role: game.scenario().chain[i].role.clone(),
            by: name_of(&room.passed()[i].0),
            diff: diff(game.incoming(i), game.text_after(Some(i))),
            score: game.scores()[i].vs_customer[0],
        })
        .collect();
    let whole = revealed == room.chain_len();
    TeamView {
        name: format!("Team {}", t + 1),
        seats: (0..room.chain_len()).map(seat).collect(),
        players: room
            .players()
            .filter(|(_, p)| p.present)
            .map(|(id, p)| PlayerView { id, name: p.name.clone(), seat: p.seat.map(|s| s + 1), connected: connected(id) })
            .collect(),
        turn: room.started().then(|| room.turn()).flatten().map(seat),
        played: room.passed().len(),
        hops,
        curve: game.curve(revealed.checked_sub(1)).into_iter().map(|(score, _)| score).collect(),
        last: whole.then(|| game.text_after(revealed.checked_sub(1)).to_string()),
        costliest: whole.then(|| game.costliest()).flatten().map(|(hop, cost)| Costliest {
            hop: hop + 1,
            role: game.scenario().chain[hop].role.clone(),
            by: name_of(&room.passed()[hop].0),
            cost,
        }),
        report,
    }
}

/// A player's name, or `None` for the bot.
fn name(team: &Team, by: &By) -> Option<String> {
    match by {
        By::Player(p) => team.room.player(*p).map(|p| p.name.clone()),
        By::Bot => None,
    }
}

/// Hop `hop`'s seat: who played it, or who plays it.
fn seat_view(team: &Team, hop: usize, connected: impl Fn(PlayerId) -> bool) -> SeatView {
    let room = &team.room;
    let occupant = room.passed().get(hop).map_or_else(|| room.occupant(hop), |(by, _)| by.clone());
    let player = match occupant {
        By::Player(p) => Some(p),
        By::Bot => None,
    };
    SeatView {
        hop: hop + 1,
        role: team.game.scenario().chain[hop].role.clone(),
        by: name(team, &occupant),
        player,
        connected: player.is_some_and(connected),
        done: hop < room.passed().len(),
    }
}

/// A word diff as the pages draw it.
fn diff(old: &str, new: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for piece in word_diff(old, new) {
        match piece {
            Piece::Same(s) => out.push(("same", s)),
            Piece::Changed { removed, added } => {
                if !removed.trim().is_empty() {
                    out.push(("del", removed));
                }
                if !added.trim().is_empty() {
                    out.push(("ins", added));
                }
            }
        }
    }
    out
}

/// Where a phone's player is in the game.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The game has not started.
    Lobby,
    /// Someone before them is playing.
    Waiting,
    /// Their turn: type what they pass on.
    Turn,
    /// They passed their words on (or the bot played their hop).
    Passed,
    /// In the room without a seat.
    Unseated,
    /// The chain is finished.
    Done,
}

#[derive(Debug, Serialize)]
pub struct PhoneView {
    pub phase: Phase,
    pub name: String,
    pub team: usize,
    pub teams: usize,
    pub scenario: String,
    /// Their hop (from 1) and its role.
    pub hop: Option<usize>,
    pub role: Option<String>,
    pub chain: usize,
    /// Whose turn it is (name or `None` for the bot) and at which hop (from 1).
    pub waiting_for: Option<SeatView>,
    /// Hops still to play before theirs.
    pub ahead: Option<usize>,
    /// What they heard, during the flash only.
    pub heard: Option<String>,
    /// Milliseconds of the flash left.
    pub flash_ms: u64,
    pub max_chars: usize,
}

/// One phone's view. `flash_left` is what is left of their turn's flash (the server keeps
/// when the turn was first shown).
pub fn phone(session: &Session, t: usize, player: PlayerId, flash_left: std::time::Duration) -> Option<PhoneView> {
    let team = &session.teams()[t];
    let room = &team.room;
    let me = room.player(player).filter(|p| p.present)?;
    let game = &team.game;
    let seat = me.seat;
    let turn = room.turn();
    let phase = match (room.started(), seat, turn) {
        (_, _, None) => Phase::Done,
        (false, _, _) => Phase::Lobby,
        // unseated after passing their words on: they still passed
        (true, None, _) if room.passed().iter().any(|(by, _)| *by == By::Player(player)) => Phase::Passed,
        (true, None, _) => Phase::Unseated,
        (true, Some(s), Some(t)) if s == t => Phase::Turn,
        (true, Some(s), Some(t)) if s > t => Phase::Waiting,
        (true, Some(_), Some(_)) => Phase::Passed,
    };
    let waiting_for = turn.filter(|_| room.started()).map(|hop| seat_view(team, hop, |_| false));
    let heard = (phase == Phase::Turn && !flash_left.is_zero()).then(|| game.incoming(turn.unwrap_or(0)).to_string());
    Some(PhoneView {
        ahead: seat.zip(turn).map(|(s, t)| s.saturating_sub(t)),
        phase,
        name: me.name.clone(),
        team: t + 1,
        teams: session.teams().len(),
        scenario: game.scenario().name.clone(),
        hop: seat.map(|s| s + 1),
        role: seat.map(|s| game.scenario().chain[s].role.clone()),
        chain: room.chain_len(),
        waiting_for,
        flash_ms: if heard.is_some() { flash_left.as_millis() as u64 } else { 0 },
        heard,
        max_chars: crate::scenario::limits::MAX_TEXT_CHARS,
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::lexicon::Lexicon;
    use crate::play::game::TEST_SCENARIO;
    use crate::room::Event;
    use crate::room::journal::Line;
    use crate::scenario::Scenario;

    fn session(lexicon: &Lexicon) -> Session<'_> {
        let scenario = Scenario::parse("t.yaml", TEST_SCENARIO).unwrap();
        let mut s = Session::new(&scenario, lexicon, 7, 1);
        for line in s.join("Ana", "a").unwrap() {
            s.apply(&line).unwrap();
        }
        s
    }

    #[test]
    fn a_phone_sees_what_it_heard_only_during_its_flash() {
        let lexicon = Lexicon::built_in();
        let mut s = session(&lexicon);
        let lobby = phone(&s, 0, 1, Duration::from_secs(5)).unwrap();
        assert_eq!((lobby.phase, lobby.hop, lobby.heard), (Phase::Lobby, Some(1), None));
        s.apply(&Line { team: 0, event: Event::Started }).unwrap();
        let turn = phone(&s, 0, 1, Duration::from_millis(1500)).unwrap();
        assert_eq!(turn.phase, Phase::Turn);
        assert_eq!(turn.heard.as_deref(), Some(s.teams()[0].game.scenario().customer.told()));
        assert_eq!(turn.flash_ms, 1500);
        let later = phone(&s, 0, 1, Duration::ZERO).unwrap();
        assert_eq!((later.phase, later.heard, later.flash_ms), (Phase::Turn, None, 0));
        assert!(phone(&s, 0, 2, Duration::ZERO).is_none(), "no such player");
    }

    #[test]
    fn the_screen_shows_words_only_once_revealed() {
        let lexicon = Lexicon::built_in();
        let mut s = session(&lexicon);
        s.apply(&Line { team: 0, event: Event::Started }).unwrap();
        let typed = Event::Passed { hop: 0, by: By::Player(1), text: "Adjusters drown in forms".into() };
        s.apply(&Line { team: 0, event: typed }).unwrap();
        let show = |shown| Show { shown, metric: "meaning", chance: 0.2, join: "j", code: "c", reports: &[], out: "o", problem: None };
        let connections = Connections::new();
        let hidden = screen(&s, &show(0), &connections);
        assert_eq!((hidden.played, hidden.shown), (1, 0));
        assert!(hidden.teams[0].hops.is_empty());
        assert_eq!(hidden.teams[0].turn.as_ref().map(|t| (t.hop, t.by.clone())), Some((2, None)), "the bot's turn");
        let shown = screen(&s, &show(5), &connections);
        assert_eq!(shown.shown, 1, "no further than played");
        let hop = &shown.teams[0].hops[0];
        assert_eq!(hop.by.as_deref(), Some("Ana"));
        assert!(hop.diff.iter().any(|(k, w)| *k == "ins" && w.contains("forms")), "{:?}", hop.diff);
        assert_eq!(shown.teams[0].curve.len(), 2);
        assert!(shown.teams[0].last.is_none(), "the chain is not finished");
        let json = serde_json::to_string(&shown).unwrap();
        assert!(json.contains("\"metric\":\"meaning\""));
    }
}
