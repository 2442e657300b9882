//! `--save FILE`: the played chain as a scenario, so a workshop's chain can be re-scored,
//! charted and compared later like any other.
//!
//! The saved file is the played scenario file itself, re-written: every hop a person typed
//! loses its `preset` and `mutate` and gets `said:` with the words exactly as typed; `seed` is
//! the one played, and the name says it was played. Everything else (customer, metrics,
//! lexicon, the other hops) is kept, so `drift run` on the saved file gives run 0 exactly as
//! the room saw it. Comments of the original are not kept (the YAML is re-written from its
//! values); a short header says where the file came from.

use serde_yaml::{Mapping, Value};

use super::recovery;

use super::game::Game;
use crate::lexicon::Lexicon;
use crate::scenario::Scenario;
use crate::simulate::run_chain;

/// What a played scenario's name ends with.
const PLAYED: &str = " (played)";

/// The played chain as scenario YAML. `source` is the text of the scenario file that was
/// played, `file` its name. Fails only if the result would not replay to the played chain,
/// which would be a bug.
pub fn played_yaml(source: &str, file: &str, game: &Game, lexicon: &Lexicon) -> Result<String, String> {
    let yaml = played_doc(source, game)?;
    let typed: Vec<String> = game.typed().iter().map(|(i, _)| format!("{}. {}", i + 1, game.scenario().chain[*i].role)).collect();
    let mut out = format!("# Played with `drift play {file}`, seed {}: run 0, as the room saw it.\n", game.seed());
    if typed.is_empty() {
        out.push_str("# No hop was typed by a person.\n");
    } else {
        out.push_str(&format!("# Typed in the room (`said:`, kept as typed): {}.\n", typed.join(", ")));
    }
    out.push_str("# `drift run` on this file reproduces the played scores.\n");
    out.push_str(&yaml);
    check_replays(&out, game, lexicon)?;
    Ok(out)
}

/// The chain played so far as scenario YAML under `header` (comment lines saying where it
/// comes from), for `drift room`: every hop a person typed carries `said:`, so `drift run`
/// replays the hops played and simulates the rest. Fails only if the result would not replay
/// to the chain so far, which would be a bug.
pub fn chain_yaml(source: &str, header: &str, game: &Game, lexicon: &Lexicon) -> Result<String, String> {
    let mut out = header.to_string();
    out.push_str(&played_doc(source, game)?);
    check_replays(&out, game, lexicon)?;
    Ok(out)
}

/// An unfinished game as scenario YAML, for its recovery file: the scenario with the hops
/// typed so far as `said:` (so `drift run` scores it, the hops not yet played simulated),
/// under a header that lets the next `drift play` recognise it and offer it back. Not checked
/// here: the typed words are kept first, then [`check_replays`] says whether the file replays.
pub fn recovery_yaml(source: &str, file: &str, game: &Game) -> Result<String, String> {
    let yaml = played_doc(source, game)?;
    let here = game.typed_here();
    let typed: Vec<String> = here.iter().map(|(i, _)| format!("{}. {}", i + 1, game.scenario().chain[*i].role)).collect();
    let header =
        recovery::Header { scenario: recovery::fingerprint(source), seed: game.seed(), hops: here.iter().map(|(i, _)| *i).collect() };
    let mut out = format!("# An unfinished game of `drift play {file}`, seed {}, kept as it was typed.\n", game.seed());
    out.push_str(&format!("# Typed in the room so far: {}.\n", typed.join(", ")));
    out.push_str("# The next `drift play` of that scenario (with the same --save) offers it back; `drift run` on\n");
    out.push_str("# this file scores it (the hops not yet played are simulated).\n");
    out.push_str(&header.line());
    out.push_str(&yaml);
    Ok(out)
}

/// The played scenario's YAML, without a header.
fn played_doc(source: &str, game: &Game) -> Result<String, String> {
    let mut doc: Value = serde_yaml::from_str(source).map_err(|e| format!("cannot read the scenario again: {e}"))?;
    let top = doc.as_mapping_mut().ok_or("the scenario is not a mapping")?;
    let name = top.get("name").and_then(Value::as_str).map_or_else(|| game.scenario().name.clone(), str::to_string);
    let name = if name.ends_with(PLAYED) { name } else { format!("{name}{PLAYED}") };
    top.insert("name".into(), name.into());
    set_seed(top, game.seed());
    let chain = top.get_mut("chain").and_then(Value::as_sequence_mut).ok_or("the scenario has no chain")?;
    for (i, text) in game.typed() {
        let hop = chain.get_mut(i).and_then(Value::as_mapping_mut).ok_or("a hop is not a mapping")?;
        hop.remove("preset");
        hop.remove("mutate");
        hop.insert("said".into(), text.into());
    }
    serde_yaml::to_string(&doc).map_err(|e| format!("cannot write YAML: {e}"))
}

/// Puts `seed` right after the name and description, where a reader looks for it.
fn set_seed(top: &mut Mapping, seed: u64) {
    if let Some(v) = top.get_mut("seed") {
        *v = seed.into();
        return;
    }
    let old = std::mem::take(top);
    let after = if old.contains_key("description") { "description" } else { "name" };
    for (k, v) in old {
        let here = k.as_str() == Some(after);
        top.insert(k, v);
        if here {
            top.insert("seed".into(), seed.into());
        }
    }
    if !top.contains_key("seed") {
        top.insert("seed".into(), seed.into());
    }
}

/// The saved text parses and its run 0 is the played chain, hop for hop, as far as it has
/// been played.
pub fn check_replays(yaml: &str, game: &Game, lexicon: &Lexicon) -> Result<(), String> {
    let saved = Scenario::parse("the saved scenario", yaml).map_err(|e| format!("the saved scenario does not validate: {e}"))?;
    let replayed = run_chain(&saved, lexicon, saved.seed, 0);
    if replayed.hops.get(..game.hops().len()) != Some(game.hops()) {
        return Err("the saved scenario does not replay to the played chain".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::game::Moved;

    const SOURCE: &str = "# a comment
version: 1
name: Bakery
description: A baker asks for something simple.
customer:
  who: Sam
  said: >-
    I bake everything by hand before sunrise,
    and my regulars love it.
chain:
  - role: Friend
    note: \"meant well: read it on the phone\"
    mutate: { jargon: 0.5, synonym: 0.2 }
  - role: Agency
    preset: writer
  - role: Investor
    preset: cro
";

    #[test]
    fn the_saved_file_replays_the_played_chain_with_the_typed_text_verbatim() {
        let lexicon = Lexicon::built_in();
        let scenario = Scenario::parse("bakery.yaml", SOURCE).unwrap();
        let mut game = Game::new(scenario, &lexicon, 99, vec![false, true, false]);
        game.advance();
        game.advance();
        let typed = "It's about \"artisan\" #values: she bakes — by hand!";
        game.type_text(typed);
        assert!(game.submit());
        while game.advance() == Moved::On {}
        let yaml = played_yaml(SOURCE, "bakery.yaml", &game, &lexicon).unwrap();
        let saved = Scenario::parse("saved.yaml", &yaml).unwrap();
        assert_eq!(saved.name, "Bakery (played)");
        assert_eq!(saved.seed, 99);
        assert_eq!(saved.chain[1].said.as_deref(), Some(typed));
        assert!(saved.chain[1].operators.is_empty() && saved.chain[1].preset.is_none());
        assert_eq!(saved.chain[0].note.as_deref(), Some("meant well: read it on the phone"));
        assert_eq!(saved.customer.said, "I bake everything by hand before sunrise, and my regulars love it.");
        assert_eq!(run_chain(&saved, &lexicon, 99, 0).hops, game.trace().hops);
        let lines: Vec<&str> = yaml.lines().collect();
        assert!(lines[0].starts_with("# Played with `drift play bakery.yaml`, seed 99"));
        let seed_at = lines.iter().position(|l| *l == "seed: 99").unwrap();
        let description_at = lines.iter().position(|l| l.starts_with("description:")).unwrap();
        assert_eq!(seed_at, description_at + 1, "{yaml}");
    }
}
