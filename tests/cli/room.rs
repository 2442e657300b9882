//! `drift room` over real HTTP on loopback: a whole game played by simulated phones, the
//! room's limits and headers, a crash and `--resume`, and sixty players on a thirty-hop chain.
//! (tests/cli/browser_room.rs plays it in real browsers.)

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::drift;

/// A three-hop scenario with few runs, so the reports at the end are quick.
pub const SCENARIO: &str = "version: 1
name: Adjusters
seed: 7
runs: 20
customer:
  who: Dana, claims manager
  said: We keep losing our best adjusters to paperwork. I need them back in the field.
chain:
  - role: CMO
    preset: cmo
  - role: Writer
    preset: writer
  - role: CRO
    preset: cro
";

/// A running `drift room`, its addresses read from what it printed.
pub struct Room {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub port: u16,
    /// `/j/CODE` and `/s/KEY`
    pub join: String,
    pub screen: String,
    pub printed: String,
    agent: ureq::Agent,
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(timeout)).build().into()
}

impl Room {
    /// Starts `drift room SCENARIO --out OUT` on loopback with `extra` arguments (a free port
    /// unless `extra` names one).
    pub fn start(scenario: &Path, out: &Path, extra: &[&str]) -> Room {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("drift"));
        cmd.current_dir(crate::root()).env("NO_COLOR", "1").arg("room").arg(scenario).arg("--out").arg(out).args(["--bind", "127.0.0.1"]);
        if !extra.contains(&"--port") {
            cmd.args(["--port", "0"]);
        }
        let mut child = cmd.args(extra).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("drift runs");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut printed = String::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !printed.contains("The screen:") {
            let mut line = String::new();
            if stdout.read_line(&mut line).unwrap_or(0) == 0 || Instant::now() > deadline {
                let mut err = String::new();
                let _ = child.stderr.take().expect("piped").read_to_string(&mut err);
                panic!("drift room did not print its addresses:\n{printed}\n{err}");
            }
            printed.push_str(&line);
        }
        // the rest of stdout is drained so the server never blocks on a full pipe
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let url = |marker: &str| {
            let at = printed.find(marker).expect("an address");
            let from = at + printed[at..].find("http://").expect("a URL");
            printed[from..].split_whitespace().next().expect("a URL").to_string()
        };
        let join_url = url("Phones join at");
        let screen_url = url("The screen:");
        let base = join_url[..join_url.find("/j/").expect("a join path")].to_string();
        let port = base.rsplit(':').next().expect("a port").parse().expect("a port number");
        Room {
            child: Some(child),
            join: join_url[base.len()..].to_string(),
            screen: screen_url[base.len()..].to_string(),
            base,
            port,
            printed,
            agent: agent(Duration::from_secs(30)),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// POSTs `body` as JSON to `path`: the status and the JSON answer.
    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .send(body.to_string())
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let status = response.status().as_u16();
        let text = response.into_body().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub fn get(&self, path: &str) -> (u16, String, ureq::http::HeaderMap) {
        let response = self.agent.get(format!("{}{path}", self.base)).call().unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, response.into_body().read_to_string().unwrap_or_default(), headers)
    }

    /// The first view an event stream at `path` sends (its current state).
    pub fn view(&self, path: &str) -> Value {
        let response = agent(Duration::from_secs(10)).get(format!("{}{path}", self.base)).call().expect("an event stream");
        assert_eq!(response.status().as_u16(), 200, "GET {path}");
        let mut lines = BufReader::new(response.into_body().into_reader());
        let mut line = String::new();
        loop {
            line.clear();
            assert!(lines.read_line(&mut line).expect("an event") > 0, "the stream at {path} ended");
            if let Some(data) = line.strip_prefix("data: ") {
                return serde_json::from_str(data.trim()).expect("a JSON view");
            }
        }
    }

    /// Waits until the view at `path` satisfies `ok`, and returns it.
    pub fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let view = self.view(path);
            if ok(&view) {
                return view;
            }
            assert!(Instant::now() < deadline, "waited for {what}; the view is {view:#}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn join_as(&self, name: &str) -> String {
        let (status, answer) = self.post(&format!("{}/join", self.join), &json!({ "name": name }));
        assert_eq!(status, 200, "{answer}");
        answer["key"].as_str().expect("a key").to_string()
    }

    pub fn phone(&self, key: &str) -> String {
        format!("{}/events?key={key}", self.join)
    }

    pub fn screen_events(&self) -> String {
        format!("{}/events", self.screen)
    }

    pub fn act(&self, body: Value) -> (u16, Value) {
        self.post(&format!("{}/act", self.screen), &body)
    }

    pub fn pass(&self, key: &str, hop: u64, text: &str) -> (u16, Value) {
        self.post(&format!("{}/pass", self.join), &json!({ "key": key, "hop": hop, "text": text }))
    }

    /// Ctrl-C: the room closes; its exit code and what it printed on stderr.
    pub fn interrupt(mut self) -> (Option<i32>, String) {
        let mut child = self.child.take().expect("running");
        let pid = child.id().to_string();
        assert!(Command::new("kill").args(["-INT", &pid]).status().expect("kill runs").success());
        let status = wait(&mut child, Duration::from_secs(30));
        let mut err = String::new();
        let _ = child.stderr.take().expect("piped").read_to_string(&mut err);
        (status.code(), err)
    }

    /// A crash: SIGKILL, nothing cleaned up.
    pub fn crash(mut self) {
        let mut child = self.child.take().expect("running");
        child.kill().expect("killed");
        child.wait().expect("reaped");
    }
}

fn wait(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("waits") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("drift room did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A scenario file in `dir`.
pub fn scenario_in(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("room.yaml");
    std::fs::write(&path, text).expect("written");
    path
}

fn phase(view: &Value) -> &str {
    view["phase"].as_str().unwrap_or("")
}

/// `drift run FILE --format json`: the headline score after each hop of run 0.
fn run_scores(file: &Path) -> Vec<f64> {
    let out = drift()
        .arg("run")
        .arg(file)
        .args(["--format", "json", "--no-charts", "--runs", "2", "--out"])
        .arg(file.with_extension("run"))
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let headline = report["headline"].as_str().expect("a headline metric").to_string();
    let hops = report["trace"].as_array().unwrap_or_else(|| panic!("no trace in {report:#}"));
    hops.iter().map(|h| h["vs_customer"][&headline].as_f64().expect("a score")).collect()
}

#[test]
fn a_room_is_played_to_the_end_by_phones_and_bots() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario_in(dir.path(), SCENARIO);
    let out = dir.path().join("friday");
    let room = Room::start(&scenario, &out, &["--flash", "30"]);
    assert!(room.printed.contains("room code") && room.printed.contains('█'), "a QR code: {}", room.printed);
    let ana = room.join_as("Ana");
    let ben = room.join_as("  Ben ");
    // Ben to the last hop: the bot plays the middle one
    let (status, answer) = room.act(json!({ "do": "seat", "team": 1, "player": 2, "hop": 3 }));
    assert_eq!(status, 200, "{answer}");
    let lobby = room.view(&room.phone(&ben));
    assert_eq!((phase(&lobby), lobby["hop"].as_u64(), lobby["name"].as_str()), ("lobby", Some(3), Some("Ben")));
    let (status, answer) = room.pass(&ana, 1, "too early");
    assert_eq!((status, answer["error"].as_str()), (409, Some("the game has not started: wait for the facilitator")));
    assert_eq!(room.act(json!({ "do": "start" })).0, 200);
    let turn = room.view(&room.phone(&ana));
    assert_eq!(phase(&turn), "turn");
    assert_eq!(turn["heard"], "We keep losing our best adjusters to paperwork. I need them back in the field.");
    assert!(turn["flash_ms"].as_u64().unwrap() > 20_000, "--flash 30: {turn}");
    let waiting = room.view(&room.phone(&ben));
    assert_eq!((phase(&waiting), waiting["waiting_for"]["by"].as_str(), waiting["ahead"].as_u64()), ("waiting", Some("Ana"), Some(2)));
    // the screen shows no words before they are revealed, not even the customer's
    let screen = room.view(&room.screen_events());
    assert!(screen["customer"].is_null() && screen["teams"][0]["hops"].as_array().unwrap().is_empty(), "{screen:#}");
    assert_eq!(room.pass(&ana, 1, "Adjusters drown in paperwork; get them out in the field").0, 200);
    let bens_turn = room.wait_for(&room.phone(&ben), "Ben's turn after the bot's hop", |v| phase(v) == "turn");
    let heard = bens_turn["heard"].as_str().expect("Ben hears the bot's words").to_string();
    let (status, answer) = room.pass(&ana, 1, "again");
    assert_eq!((status, answer["error"].as_str()), (409, Some("hop 1 has already passed its words on")));
    assert_eq!(room.pass(&ben, 3, "Paperwork is the enemy").0, 200);
    let done = room.view(&room.phone(&ana));
    assert_eq!(phase(&done), "done");
    // the facilitator reveals hop by hop
    for _ in 0..4 {
        assert_eq!(room.act(json!({ "do": "next" })).0, 200);
    }
    let screen = room.wait_for(&room.screen_events(), "the report", |v| v["teams"][0]["report"].is_string());
    let team = &screen["teams"][0];
    assert_eq!(screen["shown"], 3);
    assert_eq!(screen["customer"], "We keep losing our best adjusters to paperwork. I need them back in the field.");
    let by: Vec<&str> = team["hops"].as_array().unwrap().iter().map(|h| h["by"].as_str().unwrap_or("bot")).collect();
    assert_eq!(by, ["Ana", "bot", "Ben"]);
    assert_eq!(team["last"], "Paperwork is the enemy");
    assert!(team["costliest"]["hop"].as_u64().is_some(), "{team:#}");
    let shown: Vec<f64> = team["hops"].as_array().unwrap().iter().map(|h| h["score"].as_f64().unwrap()).collect();
    // the report is served under the screen's key, with its own policy
    let (status, html, headers) = room.get(team["report"].as_str().unwrap());
    assert_eq!(status, 200);
    assert!(html.contains("Paperwork is the enemy"));
    assert!(headers["content-security-policy"].to_str().unwrap().contains("style-src 'unsafe-inline'"));
    let (code, err) = room.interrupt();
    assert_eq!(code, Some(0), "a finished room closes with 0: {err}");
    // what was saved: the chain as a scenario that drift run re-scores to the screen's numbers
    let team_file = out.join("team-1.yaml");
    let yaml = std::fs::read_to_string(&team_file).unwrap();
    assert!(yaml.contains("said: Adjusters drown in paperwork; get them out in the field"), "{yaml}");
    drift().arg("validate").arg(&team_file).assert().success();
    let replayed = run_scores(&team_file);
    assert_eq!(replayed.len(), 3);
    for (a, b) in replayed.iter().zip(&shown) {
        assert!((a - b).abs() < 1e-5, "drift run {replayed:?}, the room {shown:?}");
    }
    let csv = std::fs::read_to_string(out.join("retellings.csv")).unwrap();
    assert!(csv.starts_with("chain,generation,text,team,hop,role,by\n"), "{csv}");
    assert!(csv.contains(&heard), "Ben's run starts from what he heard: {csv}");
    assert!(
        crate::files_below(&out).iter().any(|f| f.starts_with("team-1/") && f.ends_with("report.html")),
        "{:?}",
        crate::files_below(&out)
    );
}

#[test]
fn the_room_serves_nothing_but_the_room() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario_in(dir.path(), SCENARIO);
    let room = Room::start(&scenario, &dir.path().join("out"), &[]);
    let (status, html, headers) = room.get(&room.join);
    assert_eq!(status, 200);
    assert!(html.contains("join.js") && !html.contains("<script>"), "no inline script");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    for path in ["/", "/j/AAAAAA", "/j/AAAAAA/join.js", "/s/0000", "/etc/passwd", "/j/../s", &format!("{}/../x", room.join)] {
        assert_eq!(room.get(path).0, 404, "{path}");
    }
    // the screen's key is not the room code
    let code = &room.join[3..];
    assert_eq!(room.get(&format!("/s/{code}")).0, 404);
    assert_eq!(room.post(&format!("/s/{code}/act"), &json!({ "do": "start" })).0, 404);
    // names and words are checked; a name is text, never markup
    let (status, answer) = room.post(&format!("{}/join", room.join), &json!({ "name": "x".repeat(41) }));
    assert_eq!((status, answer["error"].as_str()), (409, Some("a name of at most 40 characters, please")));
    let key = room.join_as("<img src=x onerror=alert(1)>");
    assert_eq!(room.view(&room.phone(&key))["name"], "<img src=x onerror=alert(1)>");
    let (status, _) = room.pass("no-such-key", 1, "x");
    assert_eq!(status, 409);
    // hops and teams are numbered from 1: a 0 is refused in words (it once overflowed)
    let from_one = Some("hops and teams are numbered from 1");
    let (status, answer) = room.pass(&key, 0, "x");
    assert_eq!((status, answer["error"].as_str()), (409, from_one));
    let (status, answer) = room.act(json!({ "do": "seat", "team": 0, "player": 1, "hop": 1 }));
    assert_eq!((status, answer["error"].as_str()), (409, from_one));
    let (status, answer) = room.act(json!({ "do": "unseat", "team": 1, "player": 1 }));
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = room.act(json!({ "do": "seat", "team": 1, "player": 1, "hop": usize::MAX }));
    assert_eq!((status, answer["error"].as_str()), (409, Some("the chain has 3 hops; there is no hop 18446744073709551615")));
    // a body over the limit, and a body that is not the request's JSON
    let (status, _) = room.post(&format!("{}/join", room.join), &json!({ "name": "y".repeat(100_000) }));
    assert_eq!(status, 413);
    let (status, _) = room.post(&format!("{}/join", room.join), &json!({ "nom": "z" }));
    assert!((400..500).contains(&status), "{status}");
    // one address holds at most 256 event streams open
    let held: Vec<std::net::TcpStream> = (0..256)
        .map(|_| {
            let mut stream = std::net::TcpStream::connect(room.base.trim_start_matches("http://")).unwrap();
            std::io::Write::write_all(&mut stream, format!("GET {}/events HTTP/1.1\r\nHost: room\r\n\r\n", room.screen).as_bytes())
                .unwrap();
            let mut head = [0u8; 12];
            std::io::Read::read_exact(&mut stream, &mut head).unwrap();
            assert_eq!(&head, b"HTTP/1.1 200");
            stream
        })
        .collect();
    assert_eq!(room.get(&room.screen_events()).0, 503);
    drop(held);
    // a connection that floods the room is slowed down
    let statuses: Vec<u16> = (0..150).map(|_| room.get(&room.join).0).collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    assert!(statuses[..30].iter().all(|&s| s == 200), "a burst is allowed: {statuses:?}");
}

#[test]
fn a_crashed_room_resumes_and_replays() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario_in(dir.path(), SCENARIO);
    let out = dir.path().join("room");
    let room = Room::start(&scenario, &out, &[]);
    let port = room.port.to_string();
    let (join, screen) = (room.join.clone(), room.screen.clone());
    let ana = room.join_as("Ana");
    let ben = room.join_as("Ben");
    room.act(json!({ "do": "start" }));
    assert_eq!(room.pass(&ana, 1, "Adjusters drown in paperwork").0, 200);
    room.crash();
    // the room is not opened again by accident
    let again = drift().arg("room").arg(&scenario).arg("--out").arg(&out).args(["--bind", "127.0.0.1", "--port", "0"]).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("holds a room already: add --resume"), "{again:?}");
    let room = Room::start(&scenario, &out, &["--resume", "--port", &port]);
    assert!(room.printed.contains("Resumed the room"), "{}", room.printed);
    assert_eq!((room.join.as_str(), room.screen.as_str()), (join.as_str(), screen.as_str()), "the same addresses");
    // the phones' keys still work: Ana passed, Ben is at hop 2
    assert_eq!(phase(&room.view(&room.phone(&ana))), "passed");
    let turn = room.view(&room.phone(&ben));
    assert_eq!((phase(&turn), turn["hop"].as_u64()), ("turn", Some(2)));
    assert_eq!(turn["heard"], "Adjusters drown in paperwork");
    assert_eq!(room.pass(&ben, 2, "Paperwork drowns adjusters").0, 200);
    let screen_view = room.wait_for(&room.screen_events(), "the end", |v| v["finished"] == true);
    assert_eq!(screen_view["teams"][0]["played"], 3);
    let (code, _) = room.interrupt();
    assert_eq!(code, Some(0));
    let team_file = out.join("team-1.yaml");
    drift().arg("validate").arg(&team_file).assert().success();
    let saved = std::fs::read_to_string(&team_file).unwrap();
    assert!(saved.contains("said: Adjusters drown in paperwork") && saved.contains("said: Paperwork drowns adjusters"), "{saved}");
    assert_eq!(run_scores(&team_file).len(), 3);
}

#[test]
fn a_room_closed_before_its_end_says_how_to_resume() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario_in(dir.path(), SCENARIO);
    let out = dir.path().join("room");
    let room = Room::start(&scenario, &out, &[]);
    let port = room.port;
    room.join_as("Ana");
    let (code, err) = room.interrupt();
    assert_eq!(code, Some(130));
    assert!(err.contains("the room was closed before its end") && err.contains("--out") && err.contains("--resume"), "{err}");
    assert!(err.contains(&format!("--port {port}")), "the port it listened on, to resume at the same address: {err}");
    // a torn last line (a crash in the middle of a write) is left out on resume
    let journal = out.join("room.jsonl");
    let mut text = std::fs::read_to_string(&journal).unwrap();
    text.push_str("{\"team\":0,\"event\":\"joi");
    std::fs::write(&journal, text).unwrap();
    let room = Room::start(&scenario, &out, &["--resume"]);
    let screen = room.view(&room.screen_events());
    assert_eq!(screen["teams"][0]["players"][0]["name"], "Ana");
    assert!(room.join_as("Ben").len() > 20, "the journal goes on after the repaired line");
    let (code, err) = room.interrupt();
    assert_eq!(code, Some(130), "{err}");
    let lines = std::fs::read_to_string(&journal).unwrap();
    assert!(lines.lines().all(|l| serde_json::from_str::<Value>(l).is_ok()), "{lines}");
}

/// Sixty phones join at once, each holding its event stream open, and play a thirty-hop
/// chain as their turns come; one reconnects in the middle of its turn and keeps its seat.
#[test]
fn sixty_players_and_a_thirty_hop_chain_over_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "version: 1\nname: Load\nseed: 3\nruns: 10\ncustomer:\n  said: We keep losing our best adjusters to paperwork. I need them back in the field.\nchain:\n",
    );
    for hop in 1..=30 {
        text.push_str(&format!("  - role: Hop {hop}\n    preset: writer\n"));
    }
    let scenario = scenario_in(dir.path(), &text);
    let room = std::sync::Arc::new(Room::start(&scenario, &dir.path().join("out"), &["--teams", "2", "--flash", "0.1"]));
    let keys: Vec<String> = std::thread::scope(|s| {
        let joins: Vec<_> = (0..60)
            .map(|i| {
                s.spawn({
                    let room = &room;
                    move || room.join_as(&format!("Player {i}"))
                })
            })
            .collect();
        joins.into_iter().map(|j| j.join().expect("joined")).collect()
    });
    assert_eq!(room.act(json!({ "do": "start" })).0, 200);
    let errors = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for (i, key) in keys.iter().enumerate() {
            let room = &room;
            let errors = &errors;
            s.spawn(move || {
                // the stream stays open while the player waits, as a phone's does
                let response = agent(Duration::from_secs(120)).get(format!("{}{}", room.base, room.phone(key))).call().expect("a stream");
                let mut lines = BufReader::new(response.into_body().into_reader());
                let mut line = String::new();
                let mut reconnected = false;
                let mut sent = false;
                loop {
                    line.clear();
                    if lines.read_line(&mut line).unwrap_or(0) == 0 {
                        errors.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        return;
                    }
                    let Some(data) = line.strip_prefix("data: ") else { continue };
                    let view: Value = serde_json::from_str(data.trim()).expect("a view");
                    match phase(&view) {
                        "turn" if i == 7 && !reconnected => {
                            // the phone sleeps mid-turn and comes back: still its turn
                            reconnected = true;
                            let again = room.view(&room.phone(key));
                            assert_eq!((phase(&again), &again["hop"]), ("turn", &view["hop"]));
                        }
                        "turn" if !sent => {
                            sent = true;
                            let hop = view["hop"].as_u64().unwrap();
                            let (status, answer) = room.pass(key, hop, &format!("What player {i} remembers"));
                            if status != 200 {
                                panic!("player {i} at hop {hop}: {status} {answer}");
                            }
                        }
                        "passed" | "done" | "unseated" => return,
                        _ => {}
                    }
                }
            });
        }
    });
    assert_eq!(errors.load(std::sync::atomic::Ordering::SeqCst), 0);
    let screen = room.wait_for(&room.screen_events(), "both chains finished", |v| v["finished"] == true);
    for team in screen["teams"].as_array().unwrap() {
        assert_eq!(team["played"], 30);
        assert_eq!(team["players"].as_array().unwrap().len(), 30);
    }
    // bounded memory: the server's peak resident size, from the kernel
    let status = std::fs::read_to_string(format!("/proc/{}/status", room.pid())).unwrap_or_default();
    if let Some(kb) =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
    {
        eprintln!("drift room's peak resident memory with 60 players on 30 hops: {kb} kB");
        assert!(kb < 300 * 1024, "peak memory {kb} kB");
    }
}

/// A player whose phone is gone when their turn comes loses the seat to the bot after
/// `--away`; they stay in the room.
#[test]
fn the_bot_plays_the_turn_of_a_phone_gone_too_long() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario_in(dir.path(), SCENARIO);
    let room = Room::start(&scenario, &dir.path().join("out"), &["--away", "0.5"]);
    let ana = room.join_as("Ana");
    let ben = room.join_as("Ben");
    room.act(json!({ "do": "start" }));
    // Ana never opens her page; Ben's turn comes after the bot plays hers
    let turn = room.wait_for(&room.phone(&ben), "Ben's turn", |v| phase(v) == "turn");
    assert_eq!(turn["hop"], 2);
    let screen = room.view(&room.screen_events());
    let first = &screen["teams"][0]["seats"][0];
    assert_eq!((first["by"].is_null(), &first["done"]), (true, &json!(true)), "{screen:#}");
    assert_eq!(phase(&room.view(&room.phone(&ana))), "unseated", "Ana is still in the room");
    // Ben is there but does not type: the facilitator presses B and the bot plays his hop
    assert_eq!(room.act(json!({ "do": "bot" })).0, 200);
    let screen = room.wait_for(&room.screen_events(), "the end", |v| v["finished"] == true);
    assert!(screen["teams"][0]["seats"].as_array().unwrap().iter().all(|s| s["by"].is_null()), "{screen:#}");
}

/// A port another room holds is refused (exit 2) before anything is written.
#[test]
fn a_port_in_use_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = scenario_in(dir.path(), SCENARIO);
    let room = Room::start(&scenario, &dir.path().join("first"), &[]);
    let second = dir.path().join("second");
    let out = drift()
        .arg("room")
        .arg(&scenario)
        .arg("--out")
        .arg(&second)
        .args(["--bind", "127.0.0.1", "--port", &room.port.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give another --port"), "{out:?}");
    assert!(!second.exists(), "nothing written");
}
