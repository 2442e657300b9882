//! The room on the network: the phones' pages and the screen's, their event streams, and the
//! few requests that change the game, over axum on tokio.
//!
//! One lock holds the game: a request checks its event, writes it to the journal (synced),
//! applies it, and bumps a version that wakes every page's event stream; each stream then
//! sends its own view ([`super::view`]). Nothing is served but the room: the phones' pages
//! answer only under the room code, the screen's only under its secret key, everything else
//! is 404. Every page is embedded in the binary, loads nothing from elsewhere, and runs under
//! a Content-Security-Policy that allows only its own scripts.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, DefaultBodyLimit, Path as UrlPath, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tokio::sync::watch;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

use super::journal::{Journal, Line};
use super::session::Session;
use super::view::{self, Connections, Show};
use super::{Event, PlayerId, RoomError, from_one, saved};
use crate::lexicon::Lexicon;

/// The largest request body: a retelling at the text limit, escaped as JSON, fits.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The most event streams open at once (every phone and screen holds one).
pub const MAX_STREAMS: usize = 2_000;

/// The most event streams one address may hold open: phones behind one router share an
/// address, so this is generous, but one device cannot take every stream.
pub const MAX_STREAMS_PER_ADDRESS: usize = 256;

/// Requests one connection may make in a burst, and per second after it.
const BURST: f64 = 60.0;
const PER_SECOND: f64 = 20.0;

/// What the pages may load and do: only the room's own scripts, styles and event streams.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; \
                   base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// A report as `drift run` writes it has its styles inline and no script.
const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
                          frame-ancestors 'none'";

const JOIN_HTML: &str = include_str!("pages/join.html");
const SCREEN_HTML: &str = include_str!("pages/screen.html");
const JOIN_JS: &str = include_str!("pages/join.js");
const SCREEN_JS: &str = include_str!("pages/screen.js");
const ROOM_CSS: &str = include_str!("pages/room.css");

/// Writes a team's report once its chain is finished: given the team (from 0) and its saved
/// chain, returns the report's path. The command line runs `drift run` here; the room does
/// not know how.
pub type Reporter = Arc<dyn Fn(usize, &std::path::Path) -> Result<PathBuf, String> + Send + Sync>;

/// The room's settings that do not change while it runs.
pub struct Settings {
    pub code: String,
    pub screen: String,
    /// The join address as printed (with the host phones reach).
    pub join: String,
    /// How long a player sees what they heard; `None`: a time to read it once.
    pub flash: Option<Duration>,
    /// How long a player may be gone at their turn before the bot plays it.
    pub away: Duration,
    /// The room's folder, and how to show it.
    pub out: PathBuf,
    pub out_shown: String,
    /// The scenario file's text and name, for the saved chains.
    pub source: String,
    pub file: String,
}

/// The game and what the pages need of it, behind one lock.
pub struct Game {
    pub session: Session<'static>,
    pub journal: Journal,
    pub lexicon: &'static Lexicon,
    /// Hops the screen reveals.
    shown: usize,
    /// When each team's current turn was first shown to its player.
    turn_shown: HashMap<(usize, usize), Instant>,
    connections: Connections,
    last_seen: HashMap<(usize, PlayerId), Instant>,
    /// Per team: hops saved to its file so far.
    saved: Vec<usize>,
    /// Per team, its report once written.
    reports: Vec<Option<PathBuf>>,
    reporting: bool,
    /// Said on the screen: a file that could not be written, a report that failed.
    pub problem: Option<String>,
    metric: &'static str,
    chance: f64,
}

impl Game {
    pub fn new(session: Session<'static>, journal: Journal, lexicon: &'static Lexicon) -> Game {
        let teams = session.teams().len();
        let scenario = session.teams()[0].game.scenario();
        let metric = scenario.headline();
        let chance = crate::metrics::chance::chance(scenario.customer.told(), &[metric], lexicon)[0];
        let now = Instant::now();
        // a resumed room's players are away until their phones reconnect
        let last_seen =
            session.teams().iter().enumerate().flat_map(|(t, team)| team.room.players().map(move |(p, _)| ((t, p), now))).collect();
        Game {
            session,
            journal,
            lexicon,
            shown: 0,
            turn_shown: HashMap::new(),
            connections: Connections::new(),
            last_seen,
            saved: vec![usize::MAX; teams],
            reports: vec![None; teams],
            reporting: false,
            problem: None,
            metric: metric.label(),
            chance,
        }
    }

    /// Checks `line`, writes it to the journal, then applies it.
    fn commit(&mut self, line: Line) -> Result<(), Refused> {
        self.session.check(&line)?;
        self.journal.record(&line).map_err(|e| Refused::Disk(e.to_string()))?;
        self.session.apply_checked(&line).expect("checked before it was written");
        Ok(())
    }

    /// Lets the bots play every hop that is theirs now.
    fn settle(&mut self) -> Result<(), Refused> {
        while let Some(line) = self.session.bot_move() {
            self.commit(line)?;
        }
        Ok(())
    }

    /// Commits `lines`, lets the bots play, and saves the chains that moved.
    fn commit_all(&mut self, lines: Vec<Line>, settings: &Settings) -> Result<(), Refused> {
        for line in lines {
            self.commit(line)?;
        }
        self.settle()?;
        self.save(settings);
        Ok(())
    }

    /// Rewrites the saved chain of every team that played a hop since, and the retellings.
    pub fn save(&mut self, settings: &Settings) {
        let mut moved = false;
        for t in 0..self.session.teams().len() {
            let played = self.session.teams()[t].room.passed().len();
            if self.saved[t] == played {
                continue;
            }
            moved = true;
            let path = settings.out.join(saved::team_file(t));
            let written = saved::team_yaml(&settings.source, &settings.file, &self.session, t, self.lexicon)
                .and_then(|yaml| write(&path, yaml.as_bytes()));
            match written {
                Ok(()) => self.saved[t] = played,
                Err(e) => self.problem = Some(format!("could not save {}: {e} (the journal has every hop)", path.display())),
            }
        }
        if moved {
            let path = settings.out.join(saved::RETELLINGS);
            if let Err(e) = write(&path, saved::retellings_csv(&self.session).as_bytes()) {
                self.problem = Some(format!("could not save {}: {e} (the journal has every hop)", path.display()));
            }
        }
    }

    /// The time a player has to read what they heard: `--flash`, or about 200 words a minute
    /// (with three seconds to find it).
    fn flash_for(&self, settings: &Settings, team: usize, hop: usize) -> Duration {
        settings.flash.unwrap_or_else(|| {
            let words = self.session.teams()[team].game.incoming(hop).split_whitespace().count();
            Duration::from_secs_f64((3.0 + 0.3 * words as f64).min(30.0))
        })
    }

    fn phone_view(&mut self, settings: &Settings, team: usize, player: PlayerId) -> Option<view::PhoneView> {
        let room = &self.session.teams()[team].room;
        let mut left = Duration::ZERO;
        if let Some(hop) = room.turn().filter(|&h| room.started() && room.player(player).is_some_and(|p| p.seat == Some(h))) {
            let flash = self.flash_for(settings, team, hop);
            let since = *self.turn_shown.entry((team, hop)).or_insert_with(Instant::now);
            left = flash.saturating_sub(since.elapsed());
        }
        view::phone(&self.session, team, player, left)
    }

    fn screen_view(&self, settings: &Settings) -> view::ScreenView {
        let reports: Vec<Option<String>> =
            (0..self.reports.len()).map(|t| self.reports[t].as_ref().map(|_| format!("/s/{}/report/{}", settings.screen, t + 1))).collect();
        let show = Show {
            shown: self.shown,
            metric: self.metric,
            chance: self.chance,
            join: &settings.join,
            code: &settings.code,
            reports: &reports,
            out: &settings.out_shown,
            problem: self.problem.as_deref(),
        };
        view::screen(&self.session, &show, &self.connections)
    }

    /// The bot takes the turn of a player whose phone has been gone for `away`.
    fn replace_the_away(&mut self, settings: &Settings) -> bool {
        let mut lines = Vec::new();
        for (t, team) in self.session.teams().iter().enumerate() {
            let Some(hop) = team.room.turn().filter(|_| team.room.started()) else { continue };
            let super::By::Player(p) = team.room.occupant(hop) else { continue };
            let connected = self.connections.get(&(t, p)).is_some_and(|&n| n > 0);
            let gone_for = self.last_seen.get(&(t, p)).map_or(Duration::MAX, Instant::elapsed);
            if !connected && gone_for >= settings.away {
                lines.push(Line { team: t, event: Event::Unseated { player: p } });
            }
        }
        if lines.is_empty() {
            return false;
        }
        if let Err(e) = self.commit_all(lines, settings) {
            self.problem = Some(e.message());
        }
        true
    }
}

/// Writes a saved file in the room's folder atomically.
fn write(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    // a token nobody cancels: a Ctrl-C waits for the file (the server stops after)
    let signals = crate::interrupt::Signals::new();
    crate::play::recovery::write(path, bytes, &signals).map_err(|e| e.to_string())
}

/// Why a request changed nothing.
#[derive(Debug)]
enum Refused {
    Room(RoomError),
    Disk(String),
}

impl From<RoomError> for Refused {
    fn from(e: RoomError) -> Refused {
        Refused::Room(e)
    }
}

impl Refused {
    fn message(&self) -> String {
        match self {
            Refused::Room(e) => e.to_string(),
            Refused::Disk(e) => format!("the room cannot write to its disk ({e}): your words are kept on your phone; try again"),
        }
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let status = match self {
            Refused::Room(_) => StatusCode::CONFLICT,
            Refused::Disk(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        (status, Json(serde_json::json!({ "error": self.message() }))).into_response()
    }
}

/// Everything a request handler reaches.
pub struct Shared {
    pub settings: Settings,
    game: Mutex<Game>,
    version: watch::Sender<u64>,
    streams: AtomicUsize,
    streams_by_address: Mutex<HashMap<IpAddr, usize>>,
    limits: Mutex<HashMap<SocketAddr, Bucket>>,
    reporter: Reporter,
}

impl Shared {
    pub fn new(settings: Settings, game: Game, reporter: Reporter) -> Arc<Shared> {
        Arc::new(Shared {
            settings,
            game: Mutex::new(game),
            version: watch::channel(0).0,
            streams: AtomicUsize::new(0),
            streams_by_address: Mutex::new(HashMap::new()),
            limits: Mutex::new(HashMap::new()),
            reporter,
        })
    }

    /// The game, even if a handler panicked while holding it (its state is checked events).
    pub fn game(&self) -> MutexGuard<'_, Game> {
        self.game.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Wakes every page to send its view again.
    fn changed(&self) {
        self.version.send_modify(|v| *v += 1);
    }

    /// Starts writing the reports once every chain is finished (once).
    pub fn report_when_finished(self: &Arc<Shared>) {
        let teams = {
            let mut game = self.game();
            if !game.session.finished() || game.reporting {
                return;
            }
            game.reporting = true;
            game.session.teams().len()
        };
        let shared = Arc::clone(self);
        std::thread::spawn(move || {
            for t in 0..teams {
                let file = shared.settings.out.join(saved::team_file(t));
                let result = (shared.reporter)(t, &file);
                let mut game = shared.game();
                match result {
                    Ok(path) => game.reports[t] = Some(path),
                    Err(e) => game.problem = Some(format!("team {}'s report: {e}", t + 1)),
                }
                drop(game);
                shared.changed();
            }
        });
    }

    /// Twice a second: the bots take the turns of players gone too long.
    pub async fn watch_the_away(self: Arc<Shared>) {
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        loop {
            tick.tick().await;
            let replaced = self.game().replace_the_away(&self.settings);
            if replaced {
                self.changed();
                self.report_when_finished();
            }
        }
    }
}

/// The room's routes, with its limits and headers.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/j/{code}", get(|s, c| page(s, c, Door::Room, JOIN_HTML)))
        .route("/j/{code}/join.js", get(|s, c| asset(s, c, Door::Room, JOIN_JS, "text/javascript")))
        .route("/j/{code}/room.css", get(|s, c| asset(s, c, Door::Room, ROOM_CSS, "text/css")))
        .route("/j/{code}/join", post(join))
        .route("/j/{code}/pass", post(pass))
        .route("/j/{code}/events", get(phone_events))
        .route("/s/{key}", get(|s, k| page(s, k, Door::Screen, SCREEN_HTML)))
        .route("/s/{key}/screen.js", get(|s, k| asset(s, k, Door::Screen, SCREEN_JS, "text/javascript")))
        .route("/s/{key}/room.css", get(|s, k| asset(s, k, Door::Screen, ROOM_CSS, "text/css")))
        .route("/s/{key}/qr.svg", get(qr))
        .route("/s/{key}/events", get(screen_events))
        .route("/s/{key}/act", post(act))
        .route("/s/{key}/report/{team}", get(report))
        .fallback(|| async { not_found() })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&shared), limit))
        .layer(axum::middleware::from_fn(headers))
        .with_state(shared)
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

type App = State<Arc<Shared>>;

fn is_room(shared: &Shared, code: &str) -> bool {
    code.eq_ignore_ascii_case(&shared.settings.code)
}

fn is_screen(shared: &Shared, key: &str) -> bool {
    key == shared.settings.screen
}

/// Who a page is for: the phones (behind the room code) or the screen (behind its key).
#[derive(Clone, Copy)]
enum Door {
    Room,
    Screen,
}

impl Door {
    /// Whether `token`, from the address, opens this door.
    fn opens(self, shared: &Shared, token: &str) -> bool {
        match self {
            Door::Room => is_room(shared, token),
            Door::Screen => is_screen(shared, token),
        }
    }

    /// Where this door's pages are: their base address.
    fn base(self, shared: &Shared) -> String {
        match self {
            Door::Room => format!("/j/{}", shared.settings.code),
            Door::Screen => format!("/s/{}", shared.settings.screen),
        }
    }
}

/// A page, its base address (the room's own code or key, so it is safe in HTML) filled in.
async fn page(State(shared): App, UrlPath(token): UrlPath<String>, door: Door, html: &'static str) -> Response {
    if !door.opens(&shared, &token) {
        return not_found();
    }
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html.replace("{{BASE}}", &door.base(&shared))).into_response()
}

/// A script or a stylesheet of the pages behind `door`.
async fn asset(State(shared): App, UrlPath(token): UrlPath<String>, door: Door, body: &'static str, kind: &'static str) -> Response {
    if !door.opens(&shared, &token) {
        return not_found();
    }
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn qr(State(shared): App, UrlPath(key): UrlPath<String>) -> Response {
    if !is_screen(&shared, &key) {
        return not_found();
    }
    match super::address::qr_svg(&shared.settings.join) {
        Some(svg) => ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response(),
        None => not_found(),
    }
}

#[derive(Deserialize)]
struct JoinBody {
    name: String,
}

async fn join(State(shared): App, UrlPath(code): UrlPath<String>, Json(body): Json<JoinBody>) -> Response {
    if !is_room(&shared, &code) {
        return not_found();
    }
    let key = super::address::secret(24);
    let joined = {
        let mut game = shared.game();
        let lines = game.session.join(&body.name, &key);
        lines.map_err(Refused::from).and_then(|lines| {
            let Line { team, event: Event::Joined { player, .. } } = lines[0] else { unreachable!("a join begins with Joined") };
            game.commit_all(lines, &shared.settings)?;
            game.last_seen.insert((team, player), Instant::now());
            Ok(team)
        })
    };
    match joined {
        Ok(team) => {
            shared.changed();
            Json(serde_json::json!({ "key": key, "team": team + 1 })).into_response()
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
struct PassBody {
    key: String,
    /// The hop (from 1) the phone was shown as its turn: a late submission for a turn the bot
    /// took is refused, not played at the next hop.
    hop: usize,
    text: String,
}

async fn pass(State(shared): App, UrlPath(code): UrlPath<String>, Json(body): Json<PassBody>) -> Response {
    if !is_room(&shared, &code) {
        return not_found();
    }
    let passed = {
        let mut game = shared.game();
        match game.session.player_with_key(&body.key) {
            None => Err(Refused::Room(RoomError::NotInRoom)),
            Some((team, player)) => from_one(body.hop).map_err(Refused::from).and_then(|hop| {
                let event = Event::Passed { hop, by: super::By::Player(player), text: body.text };
                game.commit_all(vec![Line { team, event }], &shared.settings)
            }),
        }
    };
    answer(&shared, passed)
}

/// The answer to a request that changes the game: every page is woken to show the change, and
/// the reports are begun if the chain just finished.
fn answer(shared: &Arc<Shared>, result: Result<(), Refused>) -> Response {
    match result {
        Ok(()) => {
            shared.changed();
            shared.report_when_finished();
            Json(serde_json::json!({})).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// What the facilitator's screen asks for.
#[derive(Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
enum Act {
    Start,
    Next,
    Back,
    Restart,
    /// Seat `player` of `team` (from 1) at `hop` (from 1).
    Seat {
        team: usize,
        player: PlayerId,
        hop: usize,
    },
    Unseat {
        team: usize,
        player: PlayerId,
    },
    /// The bot plays every turn a person is keeping waiting (they stay in the room).
    Bot,
}

async fn act(State(shared): App, UrlPath(key): UrlPath<String>, Json(act): Json<Act>) -> Response {
    if !is_screen(&shared, &key) {
        return not_found();
    }
    let done = {
        let mut game = shared.game();
        let played = game.session.played();
        match act {
            Act::Start => {
                let lines = game.session.start();
                game.commit_all(lines, &shared.settings)
            }
            Act::Next => {
                game.shown = (game.shown.min(played) + 1).min(played);
                Ok(())
            }
            Act::Back => {
                game.shown = game.shown.min(played).saturating_sub(1);
                Ok(())
            }
            Act::Restart => {
                game.shown = 0;
                Ok(())
            }
            Act::Seat { team, player, hop } => {
                seat(team, player, Some(hop)).map_err(Refused::from).and_then(|line| game.commit_all(vec![line], &shared.settings))
            }
            Act::Unseat { team, player } => {
                seat(team, player, None).map_err(Refused::from).and_then(|line| game.commit_all(vec![line], &shared.settings))
            }
            Act::Bot => {
                let lines = game
                    .session
                    .waiting_on_people()
                    .into_iter()
                    .map(|(team, player)| Line { team, event: Event::Unseated { player } })
                    .collect();
                game.commit_all(lines, &shared.settings)
            }
        }
    };
    answer(&shared, done)
}

/// The line that seats `player` of `team` at `hop` (or frees their seat), as the screen
/// numbers them (from 1).
fn seat(team: usize, player: PlayerId, hop: Option<usize>) -> Result<Line, RoomError> {
    let team = from_one(team)?;
    let event = match hop {
        Some(hop) => Event::Seated { player, hop: from_one(hop)? },
        None => Event::Unseated { player },
    };
    Ok(Line { team, event })
}

async fn report(State(shared): App, UrlPath((key, team)): UrlPath<(String, usize)>) -> Response {
    if !is_screen(&shared, &key) || team == 0 {
        return not_found();
    }
    let Some(path) = shared.game().reports.get(team - 1).cloned().flatten() else { return not_found() };
    match std::fs::read_to_string(&path) {
        Ok(html) => {
            let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
            response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(REPORT_CSP));
            response
        }
        Err(_) => not_found(),
    }
}

#[derive(Deserialize)]
struct KeyQuery {
    key: String,
}

/// One open event stream: counted while it lives, and a phone's counts as the player being
/// there (the bot waits for them).
struct Stream {
    shared: Arc<Shared>,
    player: Option<(usize, PlayerId)>,
    address: IpAddr,
}

impl Stream {
    fn open(shared: &Arc<Shared>, player: Option<(usize, PlayerId)>, address: IpAddr) -> Option<Stream> {
        {
            let mut by_address = shared.streams_by_address.lock().unwrap_or_else(|p| p.into_inner());
            let here = by_address.entry(address).or_default();
            if *here >= MAX_STREAMS_PER_ADDRESS {
                return None;
            }
            if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
                shared.streams.fetch_sub(1, Ordering::SeqCst);
                return None;
            }
            *here += 1;
        }
        if let Some(who) = player {
            *shared.game().connections.entry(who).or_default() += 1;
            shared.changed();
        }
        Some(Stream { shared: Arc::clone(shared), player, address })
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.shared.streams.fetch_sub(1, Ordering::SeqCst);
        {
            let mut by_address = self.shared.streams_by_address.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(n) = by_address.get_mut(&self.address) {
                *n -= 1;
                if *n == 0 {
                    by_address.remove(&self.address);
                }
            }
        }
        if let Some(who) = self.player {
            let mut game = self.shared.game();
            if let Some(n) = game.connections.get_mut(&who) {
                *n = n.saturating_sub(1);
            }
            game.last_seen.insert(who, Instant::now());
            drop(game);
            self.shared.changed();
        }
    }
}

fn busy() -> Response {
    (StatusCode::SERVICE_UNAVAILABLE, "too many pages are open: close some").into_response()
}

/// A stream of server-sent events, one per change, with keep-alives through sleepy Wi-Fi.
fn events(shared: &Arc<Shared>, stream: Stream, mut json: impl FnMut(&Shared) -> String + Send + 'static) -> Response {
    let rx = shared.version.subscribe();
    let shared = Arc::clone(shared);
    let body = WatchStream::new(rx).map(move |_| {
        let _open = &stream;
        Ok::<_, Infallible>(SseEvent::default().data(json(&shared)))
    });
    Sse::new(body).keep_alive(KeepAlive::new().interval(Duration::from_secs(10))).into_response()
}

async fn phone_events(
    State(shared): App,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    UrlPath(code): UrlPath<String>,
    Query(q): Query<KeyQuery>,
) -> Response {
    if !is_room(&shared, &code) {
        return not_found();
    }
    let who = shared.game().session.player_with_key(&q.key);
    let Some(stream) = Stream::open(&shared, who, peer.ip()) else { return busy() };
    events(&shared, stream, move |shared| {
        let Some((team, player)) = who else { return r#"{"phase":"gone"}"#.to_string() };
        let view = shared.game().phone_view(&shared.settings, team, player);
        match view {
            Some(v) => serde_json::to_string(&v).expect("a view serialises"),
            None => r#"{"phase":"gone"}"#.to_string(),
        }
    })
}

async fn screen_events(State(shared): App, ConnectInfo(peer): ConnectInfo<SocketAddr>, UrlPath(key): UrlPath<String>) -> Response {
    if !is_screen(&shared, &key) {
        return not_found();
    }
    let Some(stream) = Stream::open(&shared, None, peer.ip()) else { return busy() };
    events(&shared, stream, |shared| serde_json::to_string(&shared.game().screen_view(&shared.settings)).expect("a view serialises"))
}

/// A token bucket per connection.
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Refuses a connection's requests beyond its rate (429), so one phone cannot flood the room.
async fn limit(State(shared): App, ConnectInfo(peer): ConnectInfo<SocketAddr>, request: Request, next: Next) -> Response {
    let allowed = {
        let mut limits = shared.limits.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if limits.len() > 10_000 {
            limits.retain(|_, b| now.duration_since(b.at) < Duration::from_secs(10));
        }
        let bucket = limits.entry(peer).or_insert(Bucket { tokens: BURST, at: now });
        bucket.tokens = (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * PER_SECOND).min(BURST);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    };
    if !allowed {
        return (StatusCode::TOO_MANY_REQUESTS, "slow down").into_response();
    }
    next.run(request).await
}

/// The headers every answer carries: the page may load only its own parts, is not framed,
/// sniffed or cached, and sends no referrer.
async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
