//! `drift play`: driven through a real pseudo-terminal (portable-pty) as a facilitator would,
//! read back through a terminal emulator (vt100) to see the screen the room sees; the line
//! mode through pipes; and the pure renderer at many sizes. Every wait has a deadline, so a
//! hung game fails the test instead of hanging it.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use serde_json::Value;

use super::{drift, root};

const DEMO: &str = "scenarios/workshop-demo.yaml";
const WAIT: Duration = Duration::from_secs(20);

/// `drift` running in a pseudo-terminal of a given size.
struct Pty {
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    keys: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Pty {
    fn spawn(args: &[&str], cols: u16, rows: u16, color: bool) -> Pty {
        let pair = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(assert_cmd::cargo::cargo_bin("drift"));
        cmd.args(args);
        cmd.cwd(root());
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("CLICOLOR_FORCE");
        cmd.env_remove("CLICOLOR");
        if color {
            cmd.env_remove("NO_COLOR");
        } else {
            cmd.env("NO_COLOR", "1");
        }
        let child = pair.slave.spawn_command(cmd).expect("drift starts");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(rows).expect("rows"),
            std::num::NonZero::new(cols).expect("columns"),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (Arc::clone(&screen), Arc::clone(&raw));
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let keys = pair.master.take_writer().expect("writer");
        Pty { screen, raw, keys, child, _master: pair.master }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Waits until the screen shows `needle`; returns the screen.
    fn wait_for(&mut self, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let text = self.contents();
            if text.contains(needle) {
                return text;
            }
            if started.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("timed out waiting for {needle:?}; the screen:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn press(&mut self, keys: &str) {
        self.keys.write_all(keys.as_bytes()).unwrap();
        self.keys.flush().unwrap();
    }

    /// Presses `keys` and waits for `needle`.
    fn step(&mut self, keys: &str, needle: &str) -> String {
        self.press(keys);
        self.wait_for(needle)
    }

    /// The exit code, once the process has ended (and everything it wrote was read).
    fn exit_code(&mut self) -> u32 {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            if started.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("drift play did not exit; the screen:\n{}", self.contents());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The terminal was put back: the alternate screen left, the cursor shown, after the
    /// last time they were changed.
    fn assert_restored(&self) {
        let raw = String::from_utf8_lossy(&self.raw()).to_string();
        let entered = raw.rfind("\x1b[?1049h").expect("the alternate screen was used");
        let left = raw.rfind("\x1b[?1049l").expect("the alternate screen was left");
        let shown = raw.rfind("\x1b[?25h").expect("the cursor was shown again");
        assert!(left > entered && shown > raw.rfind("\x1b[?25l").unwrap_or(0), "terminal not restored");
        assert!(!self.screen.lock().unwrap().screen().alternate_screen(), "still on the alternate screen");
    }
}

fn json_of(args: &[&str]) -> Value {
    let out = tempfile::tempdir().unwrap();
    let a = drift().args(args).args(["--format", "json", "--no-charts", "--out"]).arg(out.path()).assert().success();
    serde_json::from_slice(&a.get_output().stdout).expect("JSON")
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

#[test]
fn a_facilitator_steps_through_to_the_end_in_a_terminal() {
    let run = json_of(&["run", DEMO, "--runs", "20"]);
    let trace = run["trace"].as_array().unwrap();
    let mut pty = Pty::spawn(&["play", DEMO], 100, 32, true);
    let first = pty.wait_for("Enter or space: the first hop");
    assert!(first.contains("Sam, owner of a two-person neighbourhood bakery said:"), "{first}");
    let hop1 = pty.step("\r", "hop 1 of 5");
    assert!(hop1.contains("1. Friend \"in marketing\""), "{hop1}");
    let score1 = percent(trace[0]["vs_customer"]["meaning"].as_f64().unwrap());
    assert!(hop1.contains(&format!("{score1}  still says what Sam said")), "hop 1 should show {score1}:\n{hop1}");
    assert!(hop1.contains("the curve so far"));
    pty.step(" ", "hop 2 of 5");
    pty.step("b", "hop 1 of 5");
    for n in 2..=5 {
        pty.step(" ", &format!("hop {n} of 5"));
    }
    let end = pty.step("\r", "Any key: finish");
    let last = trace.last().unwrap();
    let score = percent(last["vs_customer"]["meaning"].as_f64().unwrap());
    for needle in ["Sam said:", "After 5 hops:", "Costliest hop:", &format!("{score} still says what Sam said"), "Any key: finish"] {
        assert!(end.contains(needle), "the end screen lacks {needle:?}:\n{end}");
    }
    let costliest = &run["costliest_hop"]["traced_run"];
    assert!(end.contains(&format!("Costliest hop: {}. {}", costliest["hop"], costliest["role"].as_str().unwrap())), "{end}");
    // the final message, as `drift run` traces it, word for word on the end screen
    let words: String = end.split_whitespace().collect::<Vec<_>>().join(" ");
    for word in last["text"].as_str().unwrap().split_whitespace().take(6) {
        assert!(words.contains(word), "{word} missing from the end screen");
    }
    pty.press("x");
    assert_eq!(pty.exit_code(), 0);
    pty.assert_restored();
}

#[test]
fn a_person_types_a_hop_which_is_saved_validated_and_scored() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("played.yaml");
    let saved_arg = saved.to_string_lossy().to_string();
    let typed = "Sam wants invoices to \"just work\": she'd rather bake #sourdough";
    let mut pty = Pty::spawn(&["play", DEMO, "--human", "2", "--save", &saved_arg], 90, 30, true);
    pty.wait_for("Web agency (human)");
    pty.step("\r", "hop 1 of 5");
    let turn = pty.step(" ", "your turn");
    assert!(turn.contains("You heard:") && turn.contains("Pass it on in your own words"), "{turn}");
    pty.step("\r", "Type what you would pass on first");
    pty.press("Sam wants paperwork");
    pty.press(&"\x7f".repeat("paperwork".len()));
    pty.press("invoices to");
    pty.press(&typed["Sam wants invoices to".len()..]);
    pty.wait_for("#sourdough");
    let hop2 = pty.step("\r", "typed in the room");
    assert!(hop2.contains("2. Web agency"), "{hop2}");
    for n in 3..=5 {
        pty.step("\r", &format!("hop {n} of 5"));
    }
    let end = pty.step("\r", "Saved the played chain to");
    assert!(end.contains("Typed in the room: 2. Web agency"), "{end}");
    pty.press("\r");
    assert_eq!(pty.exit_code(), 0);
    pty.assert_restored();

    let yaml = std::fs::read_to_string(&saved).expect("the played chain was saved");
    let said: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
    assert_eq!(said["chain"][1]["said"].as_str(), Some(typed), "the typed text, verbatim:\n{yaml}");
    assert!(said["chain"][1].get("mutate").is_none());
    drift().args(["validate", &saved_arg]).assert().success();

    let out = tempfile::tempdir().unwrap();
    let a =
        drift().args(["run", &saved_arg, "--runs", "20", "--no-charts", "--format", "json", "--out"]).arg(out.path()).assert().success();
    let v: Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    let hop = &v["trace"][1];
    assert_eq!(hop["text"], typed);
    assert_eq!(hop["human"], true);
    assert_eq!(v["trace"][0]["human"], false);
    let score = hop["vs_customer"]["meaning"].as_f64().unwrap();
    assert!(score > 0.0 && score < 1.0, "scored: {score}");
    // the report files mark it too
    let slug = out.path().join("the-bakery-that-became-a-lifestyle-platform-played");
    let md = std::fs::read_to_string(slug.join("trace.md")).unwrap();
    assert!(md.contains("### 2. Web agency (human)"), "{md}");
    assert!(md.contains("Retold by a person"), "{md}");
    let html = std::fs::read_to_string(slug.join("report.html")).unwrap();
    let hop2 = html.split("id=\"hop-2\"").nth(1).unwrap().split("id=\"hop-3\"").next().unwrap();
    assert!(hop2.contains("typed by a person") && hop2.contains("Retold by a person"), "{hop2}");
    assert!(hop2.contains("sourdough") && !hop2.contains("Passed on unchanged"), "{hop2}");
    assert_eq!(html.matches("badge human").count(), 1, "only the typed hop is marked");
    let csv = std::fs::read_to_string(slug.join("hops.csv")).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",human"));
    assert!(csv.lines().nth(2).unwrap().ends_with(",true"));
    let text = drift().args(["run", &saved_arg, "--runs", "20", "--no-charts", "--out"]).arg(out.path()).assert().success();
    let text = String::from_utf8_lossy(&text.get_output().stdout).to_string();
    assert!(text.contains("retold by a person (human hop)"), "{text}");
    assert!(text.contains(&format!("{:.0}% meaning", score * 100.0)));
}

#[test]
fn no_color_means_no_colour_codes_and_the_diff_in_markers() {
    let mut plain = Pty::spawn(&["play", DEMO], 100, 30, false);
    plain.wait_for("the first hop");
    let hop = plain.step("\r", "hop 1 of 5");
    assert!(hop.contains("[-") && hop.contains("{+"), "the diff is marked without colour:\n{hop}");
    plain.press("q");
    assert_eq!(plain.exit_code(), 0);
    let raw = String::from_utf8_lossy(&plain.raw()).to_string();
    assert!(!has_sgr(&raw), "styling escape codes under NO_COLOR");

    let mut coloured = Pty::spawn(&["play", DEMO], 100, 30, true);
    coloured.wait_for("the first hop");
    let hop = coloured.step("\r", "hop 1 of 5");
    assert!(!hop.contains("[-"), "markers only without colour:\n{hop}");
    coloured.press("q");
    assert_eq!(coloured.exit_code(), 0);
    assert!(has_sgr(&String::from_utf8_lossy(&coloured.raw())), "colour when allowed");
}

/// Select Graphic Rendition (colour, bold, …): ESC [ digits/semicolons m.
fn has_sgr(raw: &str) -> bool {
    raw.split("\x1b[").skip(1).any(|rest| {
        let params: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == ';').collect();
        rest[params.len()..].starts_with('m')
    })
}

#[test]
fn q_and_ctrl_c_put_the_terminal_back() {
    let mut pty = Pty::spawn(&["play", DEMO], 80, 24, true);
    pty.wait_for("first hop");
    pty.step(" ", "hop 1 of 5");
    pty.press("q");
    assert_eq!(pty.exit_code(), 0);
    pty.assert_restored();

    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("never.yaml");
    let mut pty = Pty::spawn(&["play", DEMO, "--human", "--save", &saved.to_string_lossy()], 80, 24, true);
    pty.wait_for("first hop");
    pty.step("\r", "your turn");
    pty.press("half a tho");
    pty.press("\x03");
    assert_eq!(pty.exit_code(), 130);
    pty.assert_restored();
    assert!(pty.contents().contains("interrupted (Ctrl-C)"), "{}", pty.contents());
    assert!(!saved.exists(), "nothing saved after Ctrl-C");
}

#[test]
fn flash_shows_the_message_then_hides_it() {
    let mut pty = Pty::spawn(&["play", DEMO, "--flash", "0.6"], 100, 30, false);
    let shown = pty.wait_for("I bake everything by hand");
    assert!(shown.contains("gone in 1 s"), "{shown}");
    let gone = pty.wait_for("heard once");
    assert!(!gone.contains("I bake everything"), "{gone}");
    let hop = pty.step("\r", "hop 1 of 5");
    assert!(hop.contains("still says what Sam said"), "{hop}");
    pty.wait_for("heard once");
    pty.press("q");
    assert_eq!(pty.exit_code(), 0);
}

/// Reads a child's stdout on a thread, so the test can wait for text with a deadline.
struct Piped {
    child: std::process::Child,
    out: Arc<Mutex<String>>,
}

impl Piped {
    fn spawn(args: &[&str]) -> Piped {
        Piped::spawn_in(&root(), args)
    }

    fn spawn_in(dir: &Path, args: &[&str]) -> Piped {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("drift"))
            .args(args)
            .current_dir(dir)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let out = Arc::new(Mutex::new(String::new()));
        let o = Arc::clone(&out);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                o.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Piped { child, out }
    }

    fn text(&self) -> String {
        self.out.lock().unwrap().clone()
    }

    fn wait_for(&mut self, needle: &str) -> String {
        let started = Instant::now();
        while !self.text().contains(needle) {
            if started.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("timed out waiting for {needle:?} in\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.text()
    }

    fn line(&mut self, line: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(format!("{line}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Closes stdin and waits for the exit code and stderr.
    fn finish(mut self) -> (i32, String, String) {
        drop(self.child.stdin.take());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut err = String::new();
                self.child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
                std::thread::sleep(Duration::from_millis(50));
                return (status.code().unwrap_or(-1), self.text(), err);
            }
            if started.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("drift play did not exit:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn without_a_terminal_it_prints_line_by_line_paced_by_enter() {
    let run = json_of(&["run", DEMO, "--runs", "20"]);
    let mut p = Piped::spawn(&["play", DEMO]);
    p.wait_for("The chain: ");
    std::thread::sleep(Duration::from_millis(400));
    assert!(!p.text().contains("1. Friend"), "moved on before Enter:\n{}", p.text());
    p.line("");
    p.wait_for("1. Friend \"in marketing\"");
    std::thread::sleep(Duration::from_millis(400));
    assert!(!p.text().contains("2. Web agency"), "moved on before Enter:\n{}", p.text());
    p.line("b");
    p.line("");
    p.line("");
    p.wait_for("2. Web agency");
    // the end of input: the rest of the chain without waiting
    let (code, out, err) = p.finish();
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains('\x1b') && !err.contains('\x1b'), "escape codes in the line mode:\n{out}");
    assert!(out.contains("[-") && out.contains("{+"), "the diff is marked in plain text");
    assert!(out.contains("The end, after 5 hops"));
    // the played run is the one `drift run` traces
    let after = out.split("  After 5 hops:\n").nth(1).unwrap();
    let block: Vec<&str> = after.lines().take_while(|l| l.starts_with("    ")).map(str::trim).collect();
    let shown = block.join(" ");
    let last = run["trace"].as_array().unwrap().last().unwrap()["text"].as_str().unwrap();
    assert_eq!(shown, format!("“{last}”"));
}

#[test]
fn without_a_terminal_a_human_hop_reads_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("played.yaml");
    let saved_arg = saved.to_string_lossy().to_string();
    let mut p = Piped::spawn(&["play", DEMO, "--human", "1,5", "--save", &saved_arg, "--seed", "3"]);
    p.line("");
    p.line("   ");
    p.line("  Sam bakes by hand and hates invoices  ");
    p.wait_for("1. Friend \"in marketing\" (human: typed in the room)");
    for _ in 0..4 {
        p.line("");
    }
    p.line("A bakery platform for the omnichannel age");
    p.line("");
    p.wait_for("Saved the played chain to");
    let (code, out, err) = p.finish();
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Type what you would pass on first"), "an empty retelling is refused:\n{out}");
    assert!(out.contains("Typed in the room: 1. Friend \"in marketing\", 5. Investor"), "{out}");
    let s = drift::scenario::Scenario::load(&saved).expect("the saved scenario validates");
    assert_eq!(s.seed, 3);
    assert_eq!(s.chain[0].said.as_deref(), Some("Sam bakes by hand and hates invoices"));
    assert_eq!(s.chain[4].said.as_deref(), Some("A bakery platform for the omnichannel age"));

    // the input ends before a human hop: nobody typed it
    let mut p = Piped::spawn(&["play", DEMO, "--human", "2"]);
    p.line("");
    let (code, _, err) = p.finish();
    assert_eq!(code, 2);
    assert!(err.contains("hop 2 is played by a person (--human), but the input ended"), "{err}");
}

#[test]
fn bad_play_arguments_exit_2_before_anything_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["play", DEMO, "--human", "9"], "--human 9: the chain has 5 hops"),
        (&["play", "--human", DEMO], "the scenario file goes before --human"),
        (&["play", DEMO, "--human", "0"], "numbered from 1"),
        (&["play", DEMO, "--flash", "0"], "give 0.1 to 600"),
        (&["play", DEMO, "--save", "no/such/folder/x.yaml"], "the folder no/such/folder does not exist"),
        (&["play", DEMO, "--save", DEMO], "that is the scenario being played"),
        (&["play", "tests/bad_inputs/human-hop-empty-words.yaml"], "chain[1].said: is empty"),
    ];
    for (args, needle) in cases {
        let a = drift().args(*args).current_dir(root()).write_stdin("").assert().code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        assert!(err.contains(needle), "{args:?}: expected {needle:?} in\n{err}");
        assert!(a.get_output().stdout.is_empty(), "{args:?} printed on stdout");
    }
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    assert!(!Path::new(&root().join("no")).exists());
}

/// The played demo with a person at hop 2, at each of its screens.
fn screens(width: u16, height: u16, color: bool) -> Vec<(String, Vec<drift::play::screen::Line>)> {
    use drift::play::game::Game;
    use drift::play::screen::{View, render};
    let scenario = drift::scenario::Scenario::load(&root().join(DEMO)).unwrap();
    let lexicon = drift::lexicon::Lexicon::with_extension(&scenario.lexicon);
    let seed = scenario.seed;
    let mut game = Game::new(scenario, &lexicon, seed, vec![false, true, false, false, false]);
    let view = View { width, height, color, hidden: false, flash_left: None };
    let mut out = vec![("customer".to_string(), render(&game, &view))];
    out.push(("customer, --flash counting down".to_string(), render(&game, &View { flash_left: Some(3), ..view })));
    game.advance();
    out.push(("hop 1".to_string(), render(&game, &view)));
    out.push(("hop 1, heard once".to_string(), render(&game, &View { hidden: true, ..view })));
    game.advance();
    game.type_text("Sam needs invoicing that just works, so she can get back to baking new recipes");
    out.push(("hop 2, a person typing".to_string(), render(&game, &view)));
    game.submit();
    out.push(("hop 2, typed".to_string(), render(&game, &view)));
    while game.advance() == drift::play::game::Moved::On {}
    game.set_closing("Saved the played chain to played.yaml".to_string());
    out.push(("the end".to_string(), render(&game, &view)));
    out
}

fn screens_text(width: u16, height: u16) -> String {
    let mut out = String::new();
    for (name, lines) in screens(width, height, false) {
        out.push_str(&format!("──── {name} {}\n", "─".repeat(usize::from(width).saturating_sub(name.len() + 6))));
        out.push_str(&drift::play::screen::to_text(&lines));
    }
    out
}

#[test]
fn screens_at_40_columns() {
    insta::assert_snapshot!("play_screens_40x24", screens_text(40, 24));
}

#[test]
fn screens_at_200_columns() {
    insta::assert_snapshot!("play_screens_200x50", screens_text(200, 50));
}

#[test]
fn screens_on_a_tiny_terminal() {
    insta::assert_snapshot!("play_screens_24x7", screens_text(24, 7));
}

#[test]
fn every_screen_fits_every_size() {
    for width in [1u16, 2, 3, 7, 12, 20, 33, 40, 57, 80, 95, 96, 120, 160, 200, 320] {
        for height in [1u16, 2, 3, 4, 6, 9, 13, 14, 24, 40, 70] {
            for (name, lines) in screens(width, height, true) {
                assert_eq!(lines.len(), usize::from(height), "{name} at {width}x{height}");
                for l in &lines {
                    assert!(l.width() <= usize::from(width), "{name} at {width}x{height}: {:?} is {} wide", l.text(), l.width());
                }
            }
        }
    }
}

#[test]
fn with_colour_the_diff_is_in_tones_not_markers() {
    use drift::play::screen::Tone;
    let (_, hop) = screens(100, 30, true).swap_remove(2);
    let tones: Vec<Tone> = hop.iter().flat_map(|l| l.spans.iter().map(|s| s.tone)).collect();
    assert!(tones.contains(&Tone::Removed) && tones.contains(&Tone::Added));
    let text = drift::play::screen::to_text(&hop);
    assert!(!text.contains("[-") && !text.contains("{+"), "{text}");
}

#[test]
fn an_approval_that_changes_nothing_says_so() {
    let a = drift().args(["play", "scenarios/marketing-long-distance.yaml"]).write_stdin("\n".repeat(14)).assert().success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    let last = out.split("\n12. CMO").nth(1).expect("the last hop");
    let hop: Vec<&str> = last.lines().take_while(|l| !l.starts_with("The end")).collect();
    assert!(hop.iter().any(|l| l.trim() == "passed on unchanged"), "{last}");
    assert!(!out.split("\n11. CRO").nth(1).unwrap().split("\n12.").next().unwrap().contains("passed on unchanged"));
    assert!(out.contains("the whole curve  █"), "{out}");
}

/// A folder with a copy of the demo as `s.yaml`, so recovery files stay out of the repository.
fn demo_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(DEMO), dir.path().join("s.yaml")).unwrap();
    dir
}

/// `drift play` run in `dir` on the piped line mode with `stdin`: (exit code, stdout, stderr).
fn play_in(dir: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let a = drift().current_dir(dir).arg("play").args(args).write_stdin(stdin).timeout(WAIT).assert();
    let o = a.get_output();
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stdout).to_string(), String::from_utf8_lossy(&o.stderr).to_string())
}

#[test]
fn typed_hops_are_kept_as_they_are_typed_and_offered_back() {
    let dir = demo_copy();
    let recovery = dir.path().join("p.yaml.drift-recovery");
    let mut p = Piped::spawn_in(dir.path(), &["play", "s.yaml", "--human", "2,4", "--save", "p.yaml"]);
    p.line("");
    p.line("");
    p.line("Sam wants invoices that just work");
    p.wait_for("2. Web agency (human: typed in the room)");
    // kept before the next screen was shown: a valid scenario with the typed hop
    let kept = drift::scenario::Scenario::load(&recovery).expect("the recovery file is a scenario");
    assert_eq!(kept.chain[1].said.as_deref(), Some("Sam wants invoices that just work"));
    assert!(kept.chain[3].said.is_none(), "hops not yet played stay simulated");
    drift().arg("run").arg(&recovery).args(["--runs", "3", "--no-charts", "--out"]).arg(dir.path().join("out")).assert().success();
    p.line("q");
    let (code, _, err) = p.finish();
    assert_eq!(code, 0, "{err}");
    assert!(!dir.path().join("p.yaml").exists());
    insta::assert_snapshot!("play_quit_keeps_the_typed_hops", err);

    // the next game in a pipe must be told what to do with them: nothing is shown or changed
    let (code, out, err) = play_in(dir.path(), &["s.yaml", "--human", "2,4", "--save", "p.yaml"], "\n\n");
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    insta::assert_snapshot!("play_unfinished_game_without_resume_or_discard", err);
    // a game saved elsewhere, or one of another seed, does not take them
    let (code, _, _) = play_in(dir.path(), &["s.yaml", "--human", "2,4", "--save", "q.yaml"], "\n\nhi\n\n\nyo\n\n\n");
    assert_eq!(code, 0);
    let (code, _, err) = play_in(dir.path(), &["s.yaml", "--human", "2,4", "--save", "p.yaml", "--seed", "5", "--resume"], "");
    assert_eq!(code, 2);
    assert!(err.contains("played with seed 42 (this game: seed 5): add --seed 42 to resume it"), "{err}");

    // --resume goes on from the hop after the typed one
    let (code, out, err) = play_in(dir.path(), &["s.yaml", "--human", "2,4", "--save", "p.yaml", "--resume"], "\n\nfour words\n\n\n\n");
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("\n2. Web agency (human: typed in the room)"), "{out}");
    assert!(out.contains("Resumed 1 typed hop from p.yaml.drift-recovery"), "{out}");
    assert!(out.contains("4. Growth hacker (your turn)") && !out.contains("2. Web agency (your turn)"), "{out}");
    assert!(out.contains("Typed in the room: 2. Web agency, 4. Growth hacker"), "{out}");
    assert!(!recovery.exists(), "the recovery file goes once the chain is saved");
    let saved = drift::scenario::Scenario::load(&dir.path().join("p.yaml")).unwrap();
    assert_eq!(saved.chain[1].said.as_deref(), Some("Sam wants invoices that just work"));
    assert_eq!(saved.chain[3].said.as_deref(), Some("four words"));
    let left: Vec<String> = crate::files_below(dir.path()).into_iter().filter(|f| f.contains("drift-")).collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn discard_starts_afresh_and_a_finished_game_without_save_keeps_nothing() {
    let dir = demo_copy();
    let recovery = dir.path().join("s.yaml.drift-recovery");
    // without --save the typed hops are kept beside the scenario
    let (code, _, err) = play_in(dir.path(), &["s.yaml", "--human", "1"], "\nfirst try\nq\n");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("kept the 1 typed hop of this game in s.yaml.drift-recovery"), "{err}");
    assert!(std::fs::read_to_string(&recovery).unwrap().contains("said: first try"));
    let (code, out, err) = play_in(dir.path(), &["s.yaml", "--human", "1", "--discard"], "\nsecond try\n");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Deleted the unfinished game in s.yaml.drift-recovery; starting afresh."), "{err}");
    assert!(out.contains("1. Friend \"in marketing\" (your turn)"), "{out}");
    assert!(out.contains("The end, after 5 hops") && !out.contains("first try"), "{out}");
    assert!(!recovery.exists(), "a finished game without --save leaves no recovery file");
    // a game without people neither writes nor asks
    let (code, _, err) = play_in(dir.path(), &["s.yaml"], "");
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(!recovery.exists());
    // a file drift did not write is never taken for one, nor replaced
    std::fs::write(&recovery, "my notes\n").unwrap();
    let (code, _, err) = play_in(dir.path(), &["s.yaml", "--human", "1", "--discard"], "\nhi\n");
    assert_eq!(code, 2);
    assert!(err.contains("s.yaml.drift-recovery exists and was not written by drift play"), "{err}");
    assert_eq!(std::fs::read_to_string(&recovery).unwrap(), "my notes\n");
    // one of drift's that no longer reads as a scenario is not resumed, but can be discarded
    std::fs::write(&recovery, "# drift-recovery: scenario=1 seed=42 hops=1\nversion: [\n").unwrap();
    let (code, _, err) = play_in(dir.path(), &["s.yaml", "--human", "1", "--resume"], "\nhi\n");
    assert_eq!(code, 2);
    assert!(err.contains("s.yaml.drift-recovery holds an unfinished game that cannot be resumed"), "{err}");
    assert!(err.contains("add --discard to delete it"), "{err}");
    let (code, _, err) = play_in(dir.path(), &["s.yaml", "--human", "1", "--discard"], "\nhi\n");
    assert_eq!(code, 0, "{err}");
    assert!(!recovery.exists());
}

#[test]
fn a_retelling_longer_than_the_text_limit_is_refused_at_the_prompt() {
    let dir = demo_copy();
    let long = "word ".repeat(4000);
    let huge = "x".repeat(100_000);
    let typed = "Sam\u{1b}[31m bakes\tby hand\u{9b}2J";
    let input = format!("\n{long}\n{huge}\n{typed}\n\n\n\n\n\n");
    let (code, out, err) = play_in(dir.path(), &["s.yaml", "--human", "1", "--save", "p.yaml"], &input);
    assert_eq!(code, 0, "{err}");
    let refused: Vec<&str> = out.lines().filter(|l| l.contains("That retelling")).collect();
    insta::assert_snapshot!("play_retelling_too_long", refused.join("\n"));
    assert!(!out.contains('\u{1b}'), "no escape codes in the transcript");
    let saved = drift::scenario::Scenario::load(&dir.path().join("p.yaml")).unwrap();
    assert_eq!(saved.chain[0].said.as_deref(), Some("Sam[31m bakes by hand2J"), "control characters are left out, tabs are spaces");
}

#[test]
fn save_refuses_an_existing_file_without_force_and_a_special_file_always() {
    let dir = demo_copy();
    std::fs::write(dir.path().join("p.yaml"), "mine\n").unwrap();
    let (code, out, err) = play_in(dir.path(), &["s.yaml", "--human", "1", "--save", "p.yaml"], "\nhi\n\n\n\n\n\n");
    assert_eq!(code, 2);
    assert!(out.is_empty(), "refused before the game: {out}");
    insta::assert_snapshot!("play_save_exists", err);
    assert_eq!(std::fs::read_to_string(dir.path().join("p.yaml")).unwrap(), "mine\n");
    assert!(!dir.path().join("p.yaml.drift-recovery").exists());
    let (code, _, err) = play_in(dir.path(), &["s.yaml", "--human", "1", "--save", "p.yaml", "--force"], "\nhi\n\n\n\n\n\n");
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(dir.path().join("p.yaml")).unwrap().contains("said: hi"));

    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        std::os::unix::fs::symlink("/dev/null", dir.path().join("link.yaml")).unwrap();
        for (target, kind) in [("/dev/null", "is a device"), ("link.yaml", "is a symbolic link to a device")] {
            for force in [false, true] {
                let mut args = vec!["s.yaml", "--human", "1", "--save", target];
                if force {
                    args.push("--force");
                }
                let (code, out, err) = play_in(dir.path(), &args, "\nhi\n\n\n\n\n\n");
                assert_eq!(code, 2, "{args:?}: {err}");
                assert!(out.is_empty(), "{args:?}: {out}");
                assert!(err.contains(&format!("--save {target}: {kind}, not a regular file")), "{err}");
            }
        }
        let (_, _, err) = play_in(dir.path(), &["s.yaml", "--save", "/dev/null", "--force"], "");
        insta::assert_snapshot!("play_save_dev_null", err);
        assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device(), "/dev/null is still a device");
        assert!(dir.path().join("link.yaml").symlink_metadata().unwrap().file_type().is_symlink());
    }
}

#[cfg(unix)]
#[test]
fn sigterm_and_sighup_put_the_terminal_back_and_keep_the_typed_hops() {
    for signal in ["TERM", "HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let saved = dir.path().join("played.yaml");
        let saved_arg = saved.to_string_lossy().to_string();
        let recovery = dir.path().join("played.yaml.drift-recovery");
        let args = ["play", DEMO, "--human", "2,4", "--save", &saved_arg];
        let mut pty = Pty::spawn(&args, 90, 30, false);
        pty.wait_for("first hop");
        pty.step("\r", "hop 1 of 5");
        pty.step("\r", "your turn");
        // a paste longer than a scenario text may be stops at the limit, with a notice
        pty.press(&format!("\x1b[200~{}\x1b[201~", "x".repeat(12_000)));
        pty.wait_for("at most 10000 characters");
        pty.press("\x15");
        pty.press("Sam just wants invoices that work");
        pty.wait_for("invoices that work");
        pty.step("\r", "typed in the room");
        let started = Instant::now();
        while !recovery.exists() {
            assert!(started.elapsed() < WAIT, "no recovery file after the typed hop");
            std::thread::sleep(Duration::from_millis(20));
        }
        let pid = pty.child.process_id().expect("a process id").to_string();
        assert!(Command::new("kill").args([&format!("-{signal}"), &pid]).status().unwrap().success());
        assert_eq!(pty.exit_code(), 130, "SIG{signal}");
        pty.assert_restored();
        assert!(pty.contents().contains("kept the 1 typed hop of this game in"), "{}", pty.contents());
        let kept = drift::scenario::Scenario::load(&recovery).expect("the typed hops survive the signal");
        assert_eq!(kept.chain[1].said.as_deref(), Some("Sam just wants invoices that work"));
        assert!(!saved.exists());

        // the next game in a terminal asks, and Enter resumes it at the typed hop
        let mut pty = Pty::spawn(&args, 90, 30, false);
        pty.wait_for("Resume it? [Y/n]");
        let resumed = pty.step("\r", "Resumed 1 typed hop");
        assert!(resumed.contains("2. Web agency") && resumed.contains("hop 2 of 5"), "{resumed}");
        pty.step("\r", "hop 3 of 5");
        pty.step("\r", "your turn");
        pty.press("platform for bakers");
        pty.wait_for("platform for bakers");
        pty.step("\r", "Growth hacker · typed in the room");
        // the second typed hop joins the first in the recovery file
        let kept = drift::scenario::Scenario::load(&recovery).unwrap();
        assert_eq!(kept.chain[1].said.as_deref(), Some("Sam just wants invoices that work"));
        assert_eq!(kept.chain[3].said.as_deref(), Some("platform for bakers"));
        pty.step("\r", "hop 5 of 5");
        pty.step("\r", "Saved the played chain to");
        pty.press("\r");
        assert_eq!(pty.exit_code(), 0);
        pty.assert_restored();
        assert!(!recovery.exists(), "the recovery file goes once the chain is saved");
        let s = drift::scenario::Scenario::load(&saved).unwrap();
        assert_eq!(s.chain[1].said.as_deref(), Some("Sam just wants invoices that work"));
        assert_eq!(s.chain[3].said.as_deref(), Some("platform for bakers"));
    }
}

/// Regression: when the terminal went away (its window closed, the connection dropped),
/// `drift play` span at full speed forever, reading the closed terminal's end-of-file. It
/// must end, and soon.
#[test]
fn a_terminal_that_hangs_up_ends_the_game() {
    let pair = native_pty_system().openpty(PtySize { rows: 30, cols: 100, pixel_width: 0, pixel_height: 0 }).expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(assert_cmd::cargo::cargo_bin("drift"));
    cmd.args(["play", DEMO]);
    cmd.cwd(root());
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).expect("drift starts");
    drop(pair.slave);
    // let the game start and paint (the pseudo-terminal buffers what it writes), then hang up
    std::thread::sleep(Duration::from_millis(1500));
    drop(pair.master);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if child.try_wait().expect("the child can be waited on").is_some() {
            break;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("drift play kept running after its terminal hung up");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
