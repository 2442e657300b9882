//! `drift room` in real browsers: headless Chromium drives the projector's screen (1920x1080)
//! and two phones (390x844) through a whole game: join, seat, the timed reveal of what they
//! heard, typing, a bot for the empty seat, a crash and `--resume` in the middle (every page
//! reconnects by itself), the final screen, and what was saved.
//!
//! Set `DRIFT_SCREENSHOTS=DIR` to keep the screenshots (the README's come from here).

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;

use crate::browser::{Browser, INSTALL_HINT};
use crate::room::{Room, SCENARIO, scenario_in};

const WAIT: Duration = Duration::from_secs(30);

fn screenshots() -> PathBuf {
    std::env::var_os("DRIFT_SCREENSHOTS").map_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")), PathBuf::from)
}

/// A phone joins under `name`.
fn join(phone: &Browser, url: &str, name: &str) {
    phone.goto(url);
    phone.wait_for("#name", WAIT);
    phone.send_keys("#name", name);
    phone.click("#join-form button");
    phone.wait_for_text("#status-title", &format!("You are in, {name}."), WAIT);
}

/// Presses `key` on the screen as the facilitator would.
fn press(screen: &Browser, key: &str) {
    screen.execute("document.dispatchEvent(new KeyboardEvent('keydown', { key: arguments[0], bubbles: true }));", &[json!(key)]);
}

#[test]
fn a_whole_game_in_real_browsers() {
    assert!(Browser::available(), "the browser tests need Chromium: {INSTALL_HINT} (.ci/run installs them)");
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario_in(dir.path(), SCENARIO);
    let out = dir.path().join("room");
    let room = Room::start(&scenario, &out, &["--flash", "3"]);
    let join_url = format!("{}{}", room.base, room.join);
    let screen = Browser::start((1920, 1080), false);
    screen.goto(&format!("{}{}", room.base, room.screen));
    screen.wait_for_text("#code", &room.join[3..], WAIT);
    let ana = Browser::start((390, 844), true);
    let ben = Browser::start((390, 844), true);
    join(&ana, &join_url, "Ana");
    join(&ben, &join_url, "Ben");
    screen.wait_for_text("#state", "2 players joined", WAIT);
    // the facilitator seats Ben at the last hop: the bot plays the middle one
    screen.execute(
        "const pick = document.querySelectorAll('.seats select')[2]; pick.value = '2'; pick.dispatchEvent(new Event('change'));",
        &[],
    );
    ben.wait_for_text("#status-text", "hop 3 of 3", WAIT);
    screen.screenshot_png(screenshots().join("room-lobby.png"));
    press(&screen, "s");
    // Ana hears the customer for the flash, then it is gone
    ana.wait_for_text("#heard", "We keep losing our best adjusters", WAIT);
    ben.wait_for_text("#status-title", "Waiting for Ana (hop 1", WAIT);
    screen.wait_for_text(".turn", "Waiting for Ana", WAIT);
    let (w, h) = ana.screenshot_png(screenshots().join("room-phone-turn.png"));
    assert_eq!((w, h), (1170, 2532), "a phone at 3x");
    ana.send_keys("#text", "Adjusters drown in paperwork, ");
    ana.wait_for("#gone-note:not([hidden])", WAIT);
    assert!(!ana.page_text().contains("We keep losing"), "the heard words are hidden after the flash");
    assert!(ana.local_storage_get(&format!("drift-room:{}:key", room.join)).is_some_and(|k| k.len() == 48), "the phone keeps its key");
    // what she typed survives a reload (the phone slept, the page was closed)
    ana.goto(&join_url);
    ana.wait_for("#turn:not([hidden])", WAIT);
    assert_eq!(ana.execute("return document.getElementById('text').value;", &[]), json!("Adjusters drown in paperwork, "));
    ana.send_keys("#text", "get them back in the field");
    ana.click("#send");
    ana.wait_for_text("#status-title", "Passed on.", WAIT);
    // the laptop crashes; the room is resumed at the same address and every page reconnects
    // by itself
    let port = room.port.to_string();
    room.crash();
    let room = Room::start(&scenario, &out, &["--resume", "--port", &port, "--flash", "3"]);
    // the bot plays hop 2; Ben hears the bot's words
    ben.wait_for("#turn:not([hidden])", WAIT);
    ben.wait_for("#heard-box:not([hidden])", WAIT);
    ben.send_keys("#text", "Paperwork is the enemy");
    ben.click("#send");
    ben.wait_for_text("#status-title", "The chain is finished.", WAIT);
    ana.wait_for_text("#status-title", "The chain is finished.", WAIT);
    // the facilitator reveals hop by hop
    for hop in 1..=3 {
        press(&screen, "ArrowRight");
        screen.wait_for(&format!(".hop:nth-child({hop})"), WAIT);
    }
    let hops = screen.text(".hops");
    assert!(hops.contains("Ana") && hops.contains("bot") && hops.contains("Ben"), "{hops}");
    screen.wait_for_text(".ending", "Paperwork is the enemy", WAIT);
    screen.wait_for_text(".ending", "Costliest hop", WAIT);
    screen.wait_for("a.report", Duration::from_secs(60));
    screen.wait_for("svg.curve polyline", WAIT);
    let customer = screen.text("#said");
    assert_eq!(customer, "We keep losing our best adjusters to paperwork. I need them back in the field.");
    screen.screenshot_png(screenshots().join("room-screen.png"));
    // back and restart
    press(&screen, "ArrowLeft");
    screen.wait_for_text("#state", "Press → to reveal hop 3", WAIT);
    press(&screen, "r");
    screen.wait_for_text("#state", "Press → to reveal hop 1", WAIT);
    // nothing the pages did broke their policy or threw (the event streams cut by the crash
    // are the only network errors)
    for (who, browser) in [("screen", &screen), ("Ana", &ana), ("Ben", &ben)] {
        let errors: Vec<String> =
            browser.console_errors().into_iter().filter(|e| !e.contains("favicon") && !e.contains("/events")).collect();
        assert!(errors.is_empty(), "{who}'s console: {errors:?}");
    }
    drop((screen, ana, ben));
    let (code, err) = room.interrupt();
    assert_eq!(code, Some(0), "{err}");
    let saved = std::fs::read_to_string(out.join("team-1.yaml")).unwrap();
    assert!(saved.contains("said: Adjusters drown in paperwork, get them back in the field"), "{saved}");
    assert!(saved.contains("said: Paperwork is the enemy"), "{saved}");
}
