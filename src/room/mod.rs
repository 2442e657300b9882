//! `drift room`'s game without the network: who sits at which hop, whose turn it is, and what
//! each hop passed on, as a list of [`Event`]s.
//!
//! The room is its events: every change is an event, checked by [`Room::apply`] before it
//! changes anything, and the [`journal`] writes each one to disk as it happens. A crash or a
//! Ctrl-C loses no typed word, and resuming a room is replaying its journal. No clock and no
//! I/O here, so the server, the tests and `--resume` drive the same logic (as `drift play`'s
//! [`crate::play`] game does for one keyboard).
//!
//! Seats: a hop nobody sits at is played by a bot (the hop's preset), so a chain of twelve
//! works with five people; a player who leaves gives their seat back to the bot.

pub mod address;
pub mod host;
pub mod journal;
pub mod saved;
pub mod server;
pub mod session;
pub mod view;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::scenario::limits::MAX_TEXT_CHARS;

/// A player, numbered in the order they joined (from 1).
pub type PlayerId = u32;

/// The longest name a player may give, in characters: it must fit a phone's line and the
/// screen's "waiting for …".
pub const MAX_NAME_CHARS: usize = 40;

/// Who passed a hop's words on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    Player(PlayerId),
    /// The hop's preset, for a seat nobody took.
    Bot,
}

/// One change to a room, as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A phone joined under `name`; `key` is the secret it reconnects with (kept in the
    /// phone's storage), so a phone that slept or a server that restarted keeps its seat.
    Joined { player: PlayerId, name: String, key: String },
    /// The facilitator started the game: hops are played from now on.
    Started,
    /// `player` sits at hop `hop` (0-based), leaving any seat they had.
    Seated { player: PlayerId, hop: usize },
    /// `player` no longer sits anywhere (the facilitator let the bot play their hop, or they
    /// were away at their turn): the seat goes back to the bot; they stay in the room.
    Unseated { player: PlayerId },
    /// `player` left: their seat goes back to the bot.
    Left { player: PlayerId },
    /// Hop `hop` passed on `text`.
    Passed { hop: usize, by: By, text: String },
}

/// Why an event cannot happen, in words for the player or the facilitator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoomError {
    #[error("type a name first")]
    NameEmpty,
    #[error("a name of at most {MAX_NAME_CHARS} characters, please")]
    NameTooLong,
    #[error("a name is one line of text, without control characters")]
    NameNotText,
    #[error("there is no player {0} in this room")]
    UnknownPlayer(PlayerId),
    #[error("player {0} has already joined")]
    AlreadyJoined(PlayerId),
    #[error("the chain has {chain} hops; there is no hop {}", nth(.hop))]
    NoSuchHop { hop: usize, chain: usize },
    #[error("hop {} has already passed its words on", nth(.0))]
    AlreadyPassed(usize),
    #[error("hop {} is someone else's seat", nth(.0))]
    SeatTaken(usize),
    #[error("it is hop {}'s turn, not hop {}'s", nth(.turn), nth(.hop))]
    NotYourTurn { hop: usize, turn: usize },
    #[error("the chain is finished")]
    Finished,
    #[error("the game has not started: wait for the facilitator")]
    NotStarted,
    #[error("there is no team {}", nth(.0))]
    NoSuchTeam(usize),
    #[error("the bot's words for hop {} are not this drift's: the room was played with another version of drift", nth(.0))]
    BotDiffers(usize),
    #[error("hops and teams are numbered from 1")]
    NumberedFromOne,
    #[error("this phone is not in the room: join again")]
    NotInRoom,
    #[error("this room is full: at most {0} players")]
    Full(usize),
    #[error("hop {} is played by {}, not by {}", nth(.hop), who(.seated), who(.by))]
    NotYourSeat { hop: usize, seated: By, by: By },
    #[error("type what you pass on first")]
    TextEmpty,
    #[error("at most {MAX_TEXT_CHARS} characters, please")]
    TextTooLong,
    #[error("what you pass on is text: no control characters")]
    TextNotText,
}

/// Hop or team `i` (from 0) as people count it, from 1; a number from a hostile request or
/// journal may be the largest there is, so this cannot overflow.
fn nth(i: &usize) -> u128 {
    *i as u128 + 1
}

/// A hop or team number as people give it (from 1) as the room counts it (from 0).
pub fn from_one(n: usize) -> Result<usize, RoomError> {
    n.checked_sub(1).ok_or(RoomError::NumberedFromOne)
}

fn who(by: &By) -> String {
    match by {
        By::Player(p) => format!("player {p}"),
        By::Bot => "the bot".to_string(),
    }
}

/// A player as the room knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Player {
    pub name: String,
    /// The secret the phone reconnects with.
    pub key: String,
    /// The hop they sit at, if any.
    pub seat: Option<usize>,
    /// False once they left: their name stays on the hops they played.
    pub present: bool,
}

/// A room's chain: its seats and what has been passed on so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    chain: usize,
    players: BTreeMap<PlayerId, Player>,
    /// Who sits at each hop; `None` is the bot.
    seats: Vec<Option<PlayerId>>,
    /// What each hop passed on, hop by hop: always a prefix of the chain.
    passed: Vec<(By, String)>,
    started: bool,
}

impl Room {
    /// An empty room for a chain of `chain` hops: every seat a bot's.
    pub fn new(chain: usize) -> Room {
        Room { chain, players: BTreeMap::new(), seats: vec![None; chain], passed: Vec::new(), started: false }
    }

    pub fn chain_len(&self) -> usize {
        self.chain
    }

    /// Whether the facilitator started the game.
    pub fn started(&self) -> bool {
        self.started
    }

    /// The hop whose turn it is (0-based), or `None` when the chain is finished.
    pub fn turn(&self) -> Option<usize> {
        (self.passed.len() < self.chain).then_some(self.passed.len())
    }

    /// Who plays hop `hop`: a player, or the bot.
    pub fn occupant(&self, hop: usize) -> By {
        match self.seats.get(hop).copied().flatten() {
            Some(p) => By::Player(p),
            None => By::Bot,
        }
    }

    pub fn player(&self, id: PlayerId) -> Option<&Player> {
        self.players.get(&id)
    }

    pub fn players(&self) -> impl Iterator<Item = (PlayerId, &Player)> {
        self.players.iter().map(|(id, p)| (*id, p))
    }

    /// What each hop passed on so far, in order.
    pub fn passed(&self) -> &[(By, String)] {
        &self.passed
    }

    /// The id the next player to join gets.
    pub fn next_player(&self) -> PlayerId {
        self.players.keys().next_back().map_or(1, |last| last.saturating_add(1))
    }

    /// Where a new player sits: the first free seat from the hop whose turn it is on, so they
    /// play soon; `None` when every seat still to play is taken.
    pub fn free_seat(&self) -> Option<usize> {
        let from = self.turn()?;
        (from..self.chain).find(|&hop| self.seats[hop].is_none())
    }

    /// The events of a phone joining under `name`: it joins, and sits at the first free seat
    /// (if any; the facilitator can seat it later).
    pub fn join(&self, name: &str, key: &str) -> Result<Vec<Event>, RoomError> {
        let name = checked_name(name)?;
        let player = self.next_player();
        let mut events = vec![Event::Joined { player, name, key: key.to_string() }];
        if let Some(hop) = self.free_seat() {
            events.push(Event::Seated { player, hop });
        }
        Ok(events)
    }

    /// Checks `event` against the room and applies it; the room is unchanged on an error.
    pub fn apply(&mut self, event: &Event) -> Result<(), RoomError> {
        match event {
            Event::Joined { player, name, key } => {
                if self.players.contains_key(player) {
                    return Err(RoomError::AlreadyJoined(*player));
                }
                let name = checked_name(name)?;
                self.players.insert(*player, Player { name, key: key.clone(), seat: None, present: true });
            }
            Event::Started => self.started = true,
            Event::Seated { player, hop } => {
                self.present(*player)?;
                self.hop_to_play(*hop)?;
                if self.seats[*hop].is_some_and(|p| p != *player) {
                    return Err(RoomError::SeatTaken(*hop));
                }
                self.unseat(*player);
                self.seats[*hop] = Some(*player);
                self.players.get_mut(player).expect("present").seat = Some(*hop);
            }
            Event::Unseated { player } => {
                self.present(*player)?;
                self.unseat(*player);
            }
            Event::Left { player } => {
                self.present(*player)?;
                self.unseat(*player);
                self.players.get_mut(player).expect("present").present = false;
            }
            Event::Passed { hop, by, text } => {
                if !self.started {
                    return Err(RoomError::NotStarted);
                }
                let turn = self.turn().ok_or(RoomError::Finished)?;
                if *hop >= self.chain {
                    return Err(RoomError::NoSuchHop { hop: *hop, chain: self.chain });
                }
                if *hop < turn {
                    return Err(RoomError::AlreadyPassed(*hop));
                }
                if *hop != turn {
                    return Err(RoomError::NotYourTurn { hop: *hop, turn });
                }
                let seated = self.occupant(*hop);
                if seated != *by {
                    return Err(RoomError::NotYourSeat { hop: *hop, seated, by: by.clone() });
                }
                let text = checked_text(text)?;
                self.passed.push((by.clone(), text));
            }
        }
        Ok(())
    }

    /// The player, when they are in the room.
    fn present(&self, id: PlayerId) -> Result<&Player, RoomError> {
        self.players.get(&id).filter(|p| p.present).ok_or(RoomError::UnknownPlayer(id))
    }

    /// `hop` exists and has not passed its words on yet.
    fn hop_to_play(&self, hop: usize) -> Result<(), RoomError> {
        if hop >= self.chain {
            return Err(RoomError::NoSuchHop { hop, chain: self.chain });
        }
        if hop < self.passed.len() {
            return Err(RoomError::AlreadyPassed(hop));
        }
        Ok(())
    }

    fn unseat(&mut self, player: PlayerId) {
        for seat in &mut self.seats {
            if *seat == Some(player) {
                *seat = None;
            }
        }
        if let Some(p) = self.players.get_mut(&player) {
            p.seat = None;
        }
    }
}

/// A name as the room keeps it: trimmed, one line, not empty, not too long.
fn checked_name(name: &str) -> Result<String, RoomError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(RoomError::NameEmpty);
    }
    if name.chars().any(char::is_control) {
        return Err(RoomError::NameNotText);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(RoomError::NameTooLong);
    }
    Ok(name.to_string())
}

/// What a hop passes on, as the room keeps it: trimmed, text (line breaks allowed, as typed on
/// a phone), not empty, within the scenario's limit for a text.
fn checked_text(text: &str) -> Result<String, RoomError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(RoomError::TextEmpty);
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(RoomError::TextNotText);
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(RoomError::TextTooLong);
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(room: &mut Room, name: &str) {
        let events = room.join(name, &format!("key-{name}")).unwrap();
        apply_all(room, &events);
    }

    fn apply_all(room: &mut Room, events: &[Event]) {
        for e in events {
            room.apply(e).unwrap_or_else(|err| panic!("{e:?}: {err}"));
        }
    }

    #[test]
    fn players_sit_at_the_first_free_seat_and_bots_play_the_rest() {
        let mut room = Room::new(4);
        let ana = room.join("Ana", "k1").unwrap();
        apply_all(&mut room, &ana);
        assert_eq!(ana, [Event::Joined { player: 1, name: "Ana".into(), key: "k1".into() }, Event::Seated { player: 1, hop: 0 }]);
        join(&mut room, "  Ben ");
        assert_eq!(room.player(2).unwrap().name, "Ben", "trimmed");
        assert_eq!((room.occupant(0), room.occupant(1), room.occupant(2)), (By::Player(1), By::Player(2), By::Bot));
        // nothing is played before the facilitator starts
        let early = Event::Passed { hop: 0, by: By::Player(1), text: "x".into() };
        assert_eq!(room.apply(&early), Err(RoomError::NotStarted));
        apply_all(&mut room, &[Event::Started]);
        // Ana plays hop 1; the bot may not play it for her, nor Ben
        assert_eq!(room.turn(), Some(0));
        let bot = Event::Passed { hop: 0, by: By::Bot, text: "x".into() };
        assert!(matches!(room.apply(&bot), Err(RoomError::NotYourSeat { .. })));
        apply_all(&mut room, &[Event::Passed { hop: 0, by: By::Player(1), text: "Our adjusters drown in paperwork".into() }]);
        assert_eq!(room.turn(), Some(1));
        // a late joiner sits at the first free seat from the turn on
        join(&mut room, "Cleo");
        assert_eq!(room.player(3).unwrap().seat, Some(2));
        // an early hop cannot be played again, a later one not out of turn
        let again = Event::Passed { hop: 0, by: By::Player(1), text: "again".into() };
        assert_eq!(room.apply(&again), Err(RoomError::AlreadyPassed(0)));
        let early = Event::Passed { hop: 2, by: By::Player(3), text: "too soon".into() };
        assert_eq!(room.apply(&early), Err(RoomError::NotYourTurn { hop: 2, turn: 1 }));
    }

    #[test]
    fn a_player_who_leaves_gives_the_seat_back_to_the_bot() {
        let mut room = Room::new(3);
        join(&mut room, "Ana");
        apply_all(&mut room, &[Event::Started, Event::Left { player: 1 }]);
        assert_eq!(room.occupant(0), By::Bot);
        assert!(!room.player(1).unwrap().present);
        apply_all(&mut room, &[Event::Passed { hop: 0, by: By::Bot, text: "the bot's words".into() }]);
        // gone players cannot be seated again; a new phone gets a new id
        assert_eq!(room.apply(&Event::Seated { player: 1, hop: 1 }), Err(RoomError::UnknownPlayer(1)));
        assert_eq!(room.next_player(), 2);
    }

    #[test]
    fn the_facilitator_reseats_and_a_seat_holds_one_player() {
        let mut room = Room::new(3);
        join(&mut room, "Ana");
        join(&mut room, "Ben");
        assert_eq!(room.apply(&Event::Seated { player: 2, hop: 0 }), Err(RoomError::SeatTaken(0)));
        apply_all(&mut room, &[Event::Seated { player: 1, hop: 2 }]);
        assert_eq!((room.occupant(0), room.occupant(2)), (By::Bot, By::Player(1)), "the old seat is freed");
        assert_eq!(room.apply(&Event::Seated { player: 1, hop: 3 }), Err(RoomError::NoSuchHop { hop: 3, chain: 3 }));
        // the bot plays Ana's hop; she stays and can be seated again
        apply_all(&mut room, &[Event::Unseated { player: 1 }]);
        assert_eq!(room.occupant(2), By::Bot);
        assert!(room.player(1).unwrap().present);
        apply_all(&mut room, &[Event::Seated { player: 1, hop: 0 }]);
    }

    #[test]
    fn names_and_words_are_checked_as_scenario_text_is() {
        let room = Room::new(2);
        assert_eq!(room.join("   ", "k"), Err(RoomError::NameEmpty));
        assert_eq!(room.join("a\u{7}b", "k"), Err(RoomError::NameNotText));
        assert_eq!(room.join(&"x".repeat(MAX_NAME_CHARS + 1), "k"), Err(RoomError::NameTooLong));
        let mut room = Room::new(1);
        room.apply(&Event::Started).unwrap();
        let pass = |text: &str| Event::Passed { hop: 0, by: By::Bot, text: text.into() };
        assert_eq!(room.apply(&pass(" \n ")), Err(RoomError::TextEmpty));
        assert_eq!(room.apply(&pass("a\u{0}b")), Err(RoomError::TextNotText));
        assert_eq!(room.apply(&pass(&"x".repeat(MAX_TEXT_CHARS + 1))), Err(RoomError::TextTooLong));
        room.apply(&pass("two\nlines")).unwrap();
        assert_eq!(room.turn(), None);
        assert_eq!(room.apply(&pass("more")), Err(RoomError::Finished));
        assert_eq!(RoomError::NotYourTurn { hop: 2, turn: 0 }.to_string(), "it is hop 1's turn, not hop 3's");
        // a hop number from a hostile request or journal is refused in words, not a panic
        let mut room = Room::new(2);
        room.apply(&Event::Joined { player: u32::MAX, name: "Ana".into(), key: "k".into() }).unwrap();
        assert_eq!(room.next_player(), u32::MAX, "no overflow past the last id");
        let far = Event::Seated { player: u32::MAX, hop: usize::MAX };
        assert_eq!(room.apply(&far).unwrap_err().to_string(), "the chain has 2 hops; there is no hop 18446744073709551616");
        assert_eq!(from_one(0), Err(RoomError::NumberedFromOne));
    }
}
