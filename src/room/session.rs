//! A room's session: one chain per team, each a [`Room`] (seats and turns) and a played
//! [`Game`] (the words worked out and scored), moved only by journal [`Line`]s.
//!
//! Every team plays the same scenario with the same seed, the played run being run 0 as in
//! `drift play`: a bot hop that hears the same words says the same thing in every team, so
//! teams differ only by what their people typed, and each team's chain saved as a scenario
//! replays to what the room saw.

use crate::lexicon::Lexicon;
use crate::play::Game;
use crate::scenario::Scenario;

use super::journal::Line;
use super::{By, Event, PlayerId, Room, RoomError};

/// The most players a room takes, over all teams: a big workshop is sixty.
pub const MAX_PLAYERS: usize = 500;

/// The most teams a room plays side by side.
pub const MAX_TEAMS: usize = 8;

/// One team's chain.
pub struct Team<'a> {
    pub room: Room,
    pub game: Game<'a>,
}

/// All the teams of a room.
pub struct Session<'a> {
    teams: Vec<Team<'a>>,
}

impl<'a> Session<'a> {
    /// A room of `teams` teams playing `scenario` with `seed`, nobody in it yet.
    pub fn new(scenario: &Scenario, lexicon: &'a Lexicon, seed: u64, teams: usize) -> Session<'a> {
        let chain = scenario.chain.len();
        let teams = (0..teams)
            .map(|_| Team { room: Room::new(chain), game: Game::new(scenario.clone(), lexicon, seed, vec![false; chain]) })
            .collect();
        Session { teams }
    }

    pub fn teams(&self) -> &[Team<'a>] {
        &self.teams
    }

    /// Checks `line` without applying it: the error [`Session::apply`] would give. The server
    /// checks an event, writes it to the journal, and only then applies it, so what is on disk
    /// is always ahead of what anyone was told.
    pub fn check(&self, line: &Line) -> Result<(), RoomError> {
        let team = self.teams.get(line.team).ok_or(RoomError::NoSuchTeam(line.team))?;
        if let Event::Joined { .. } = line.event
            && self.players() >= MAX_PLAYERS
        {
            return Err(RoomError::Full(MAX_PLAYERS));
        }
        if let Event::Passed { hop, by: By::Bot, text } = &line.event
            && team.room.started()
            && team.room.turn() == Some(*hop)
            && team.room.occupant(*hop) == By::Bot
            && team.game.bot_words(*hop) != *text
        {
            return Err(RoomError::BotDiffers(*hop));
        }
        team.room.clone().apply(&line.event)
    }

    /// Checks `line` and applies it; nothing changes on an error. A hop a bot passes on must
    /// carry the words this drift's operators give (a journal of another version may not).
    pub fn apply(&mut self, line: &Line) -> Result<(), RoomError> {
        self.check(line)?;
        self.apply_checked(line)
    }

    /// Applies `line`, which [`Session::check`] has just passed: the server checks, writes the
    /// journal, then applies, without working out a bot's words a second time.
    pub fn apply_checked(&mut self, line: &Line) -> Result<(), RoomError> {
        let team = &mut self.teams[line.team];
        team.room.apply(&line.event)?;
        if let Event::Passed { hop, by, .. } = &line.event {
            // the words as the room keeps them (trimmed), which is what the saved scenario says
            let text = team.room.passed()[*hop].1.clone();
            team.game.play(*hop, matches!(by, By::Player(_)).then_some(text.as_str()));
        }
        Ok(())
    }

    /// Players who joined, over all teams.
    pub fn players(&self) -> usize {
        self.teams.iter().map(|t| t.room.players().count()).sum()
    }

    /// The lines of a phone joining under `name` with `key`: it joins the team with the
    /// fewest players present (the first of those), and sits at its first free seat.
    pub fn join(&self, name: &str, key: &str) -> Result<Vec<Line>, RoomError> {
        if self.players() >= MAX_PLAYERS {
            return Err(RoomError::Full(MAX_PLAYERS));
        }
        let present = |t: &Team| t.room.players().filter(|(_, p)| p.present).count();
        let team = (0..self.teams.len()).min_by_key(|&i| present(&self.teams[i])).expect("a room has a team");
        Ok(self.teams[team].room.join(name, key)?.into_iter().map(|event| Line { team, event }).collect())
    }

    /// The team and player a phone's key belongs to, while they are in the room.
    pub fn player_with_key(&self, key: &str) -> Option<(usize, PlayerId)> {
        self.teams
            .iter()
            .enumerate()
            .find_map(|(t, team)| team.room.players().find(|(_, p)| p.present && p.key == key).map(|(id, _)| (t, id)))
    }

    /// The lines that start every team not started yet.
    pub fn start(&self) -> Vec<Line> {
        (0..self.teams.len()).filter(|&t| !self.teams[t].room.started()).map(|team| Line { team, event: Event::Started }).collect()
    }

    pub fn started(&self) -> bool {
        self.teams.iter().all(|t| t.room.started())
    }

    /// A hop a bot plays now, if one is due: the first team whose turn is a bot's.
    pub fn bot_move(&self) -> Option<Line> {
        self.teams.iter().enumerate().find_map(|(t, team)| {
            let hop = team.room.turn().filter(|&h| team.room.started() && team.room.occupant(h) == By::Bot)?;
            Some(Line { team: t, event: Event::Passed { hop, by: By::Bot, text: team.game.bot_words(hop) } })
        })
    }

    /// The people whose turn it is, team by team: `(team, player)`.
    pub fn waiting_on_people(&self) -> Vec<(usize, PlayerId)> {
        self.teams
            .iter()
            .enumerate()
            .filter_map(|(t, team)| match team.room.turn().filter(|_| team.room.started()).map(|h| team.room.occupant(h)) {
                Some(By::Player(p)) => Some((t, p)),
                _ => None,
            })
            .collect()
    }

    /// The most hops any team has played.
    pub fn played(&self) -> usize {
        self.teams.iter().map(|t| t.room.passed().len()).max().unwrap_or(0)
    }

    /// Every team's chain is played to its end.
    pub fn finished(&self) -> bool {
        self.teams.iter().all(|t| t.room.turn().is_none())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::run_chain;

    use crate::play::game::TEST_SCENARIO as SCENARIO;

    fn settle(session: &mut Session) {
        while let Some(line) = session.bot_move() {
            session.apply(&line).unwrap();
        }
    }

    #[test]
    fn teams_fill_evenly_and_bots_play_the_free_seats() {
        let lexicon = Lexicon::built_in();
        let scenario = Scenario::parse("t.yaml", SCENARIO).unwrap();
        let mut s = Session::new(&scenario, &lexicon, 7, 2);
        for (name, key) in [("Ana", "a"), ("Ben", "b"), ("Cleo", "c")] {
            for line in s.join(name, key).unwrap() {
                s.apply(&line).unwrap();
            }
        }
        assert_eq!(s.player_with_key("a"), Some((0, 1)));
        assert_eq!(s.player_with_key("b"), Some((1, 1)));
        assert_eq!(s.player_with_key("c"), Some((0, 2)));
        assert_eq!(s.player_with_key("zzz"), None);
        assert!(s.bot_move().is_none(), "nothing is played before the start");
        for line in s.start() {
            s.apply(&line).unwrap();
        }
        settle(&mut s);
        assert!(s.bot_move().is_none() && !s.finished(), "people play hop 1 of each team");
        let typed = Line { team: 0, event: Event::Passed { hop: 0, by: By::Player(1), text: "Adjusters drown in forms".into() } };
        s.apply(&typed).unwrap();
        let cleo = Line { team: 0, event: Event::Passed { hop: 1, by: By::Player(2), text: "Forms are the problem".into() } };
        s.apply(&cleo).unwrap();
        settle(&mut s);
        assert_eq!(s.teams()[0].room.turn(), None, "the bot played team 1's last hop");
        let ben = Line { team: 1, event: Event::Passed { hop: 0, by: By::Player(1), text: "Paperwork".into() } };
        s.apply(&ben).unwrap();
        settle(&mut s);
        assert!(s.finished());
        // each team's played scenario replays to its chain
        for team in s.teams() {
            assert_eq!(run_chain(team.game.scenario(), &lexicon, 7, 0), team.game.trace());
        }
    }

    #[test]
    fn a_bot_hop_with_other_words_is_refused() {
        let lexicon = Lexicon::built_in();
        let scenario = Scenario::parse("t.yaml", SCENARIO).unwrap();
        let mut s = Session::new(&scenario, &lexicon, 7, 1);
        s.apply(&Line { team: 0, event: Event::Started }).unwrap();
        let forged = Line { team: 0, event: Event::Passed { hop: 0, by: By::Bot, text: "words no bot said".into() } };
        assert_eq!(s.apply(&forged), Err(RoomError::BotDiffers(0)));
        assert_eq!(s.apply(&Line { team: 3, event: Event::Started }), Err(RoomError::NoSuchTeam(3)));
        let line = s.bot_move().unwrap();
        s.apply(&line).unwrap();
        assert_eq!(s.teams()[0].game.hops().len(), 1);
    }
}
