//! What a room leaves on disk besides its journal, rewritten as each hop is passed on: each
//! team's chain as a scenario with its typed hops as `said:` (`drift run` re-scores it, the
//! hops not played yet simulated), and one CSV of every chain people retold, in the format
//! `drift calibrate` reads.

use super::By;
use super::session::Session;
use crate::lexicon::Lexicon;
use crate::play::save;

/// The file a team's chain is saved to, in the room's folder (teams from 0).
pub fn team_file(team: usize) -> String {
    format!("team-{}.yaml", team + 1)
}

/// The CSV of all chains people retold.
pub const RETELLINGS: &str = "retellings.csv";

/// Team `team`'s chain so far as scenario YAML. `source` is the scenario file's text, `file`
/// its name as given.
pub fn team_yaml(source: &str, file: &str, session: &Session, team: usize, lexicon: &Lexicon) -> Result<String, String> {
    let t = &session.teams()[team];
    let game = &t.game;
    let typed: Vec<String> = game.typed().iter().map(|(i, _)| format!("{}. {}", i + 1, game.scenario().chain[*i].role)).collect();
    let mut header = format!(
        "# Played in `drift room {file}`, team {} of {}, seed {}: run 0, as the room saw it.\n",
        team + 1,
        session.teams().len(),
        game.seed()
    );
    if typed.is_empty() {
        header.push_str("# No hop was typed by a person.\n");
    } else {
        header.push_str(&format!("# Typed in the room (`said:`, kept as typed): {}.\n", typed.join(", ")));
    }
    let played = t.room.passed().len();
    if played < t.room.chain_len() {
        header
            .push_str(&format!("# {played} of {} hops played so far: `drift run` on this file simulates the rest.\n", t.room.chain_len()));
    } else {
        header.push_str("# `drift run` on this file reproduces the played scores.\n");
    }
    save::chain_yaml(source, &header, game, lexicon)
}

/// Every run of consecutive hops people typed, in every team, as a chain of retellings:
/// generation 0 is what the run's first person heard, then each person's words. Columns
/// `chain`, `generation`, `text` for `drift calibrate`, then the team, hop, role and name.
pub fn retellings_csv(session: &Session) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut row = |fields: [&str; 7]| out.write_record(fields).expect("a CSV row is written to memory");
    row(["chain", "generation", "text", "team", "hop", "role", "by"]);
    for (t, team) in session.teams().iter().enumerate() {
        let passed = team.room.passed();
        let mut hop = 0;
        while hop < passed.len() {
            if passed[hop].0 == By::Bot {
                hop += 1;
                continue;
            }
            let chain = format!("team-{}-hop-{}", t + 1, hop + 1);
            let first = hop;
            let heard = team.game.incoming(first);
            let from = if first == 0 { "customer".to_string() } else { first.to_string() };
            row([&chain, "0", heard, &(t + 1).to_string(), &from, "", ""]);
            while hop < passed.len() && passed[hop].0 != By::Bot {
                let By::Player(p) = passed[hop].0 else { unreachable!("a person's hop") };
                let name = team.room.player(p).map_or("", |p| p.name.as_str());
                let role = &team.game.scenario().chain[hop].role;
                let generation = (hop - first + 1).to_string();
                row([&chain, &generation, &passed[hop].1, &(t + 1).to_string(), &(hop + 1).to_string(), role, name]);
                hop += 1;
            }
        }
    }
    String::from_utf8(out.into_inner().expect("written to memory")).expect("CSV of UTF-8 text")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::game::TEST_SCENARIO;
    use crate::room::Event;
    use crate::room::journal::Line;
    use crate::scenario::Scenario;

    #[test]
    fn people_s_runs_of_hops_are_chains_calibrate_reads() {
        let lexicon = Lexicon::built_in();
        let scenario = Scenario::parse("t.yaml", TEST_SCENARIO).unwrap();
        let mut s = Session::new(&scenario, &lexicon, 7, 1);
        for (name, key) in [("Ana", "a"), ("Ben", "b")] {
            for line in s.join(name, key).unwrap() {
                s.apply(&line).unwrap();
            }
        }
        // Ana at hop 1, the bot at hop 2, Ben at hop 3
        s.apply(&Line { team: 0, event: Event::Seated { player: 2, hop: 2 } }).unwrap();
        s.apply(&Line { team: 0, event: Event::Started }).unwrap();
        let pass = |hop, p, text: &str| Line { team: 0, event: Event::Passed { hop, by: By::Player(p), text: text.into() } };
        s.apply(&pass(0, 1, "Adjusters, drown in \"forms\"")).unwrap();
        let bot = s.bot_move().unwrap();
        s.apply(&bot).unwrap();
        s.apply(&pass(2, 2, "Forms")).unwrap();
        let csv = retellings_csv(&s);
        let chains = crate::calibrate::data::parse_csv("retellings.csv", &csv).unwrap();
        assert_eq!(chains.len(), 2, "{csv}");
        assert_eq!(chains[0].texts[1], "Adjusters, drown in \"forms\"");
        assert_eq!(chains[1].texts[0], s.teams()[0].game.incoming(2));
        let yaml = team_yaml(TEST_SCENARIO, "t.yaml", &s, 0, &lexicon).unwrap();
        let saved = Scenario::parse("team-1.yaml", &yaml).unwrap();
        assert_eq!(saved.chain[2].said.as_deref(), Some("Forms"));
        assert!(saved.chain[1].said.is_none(), "the bot's hop stays a preset");
        assert!(yaml.starts_with("# Played in `drift room t.yaml`, team 1 of 1, seed 7"), "{yaml}");
    }
}
