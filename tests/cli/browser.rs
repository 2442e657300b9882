//! A tiny blocking WebDriver client for headless Chromium, for tests only.
//!
//! Why hand-rolled: the tests need a dozen commands (navigate, find, type, click, read, run a
//! script, screenshot), and the WebDriver crates bring an async runtime and TLS with them. This
//! speaks the W3C protocol as JSON over plain HTTP to a `chromedriver` child on 127.0.0.1, with
//! the `ureq` and `serde_json` the project already has.
//!
//! Every failure panics with the command, the error JSON and the page's URL: it is test support,
//! and a panic with that context is the most useful thing a failing browser test can print.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// What to tell a developer whose machine lacks the browser (Debian/Ubuntu package names).
pub const INSTALL_HINT: &str = "install Chromium and its WebDriver, e.g. `apt-get install chromium chromium-driver`";

/// The W3C key under which an element reference comes back.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long `text`, `click`, `send_keys` and `clear` wait for their element to appear.
const ACTION_WAIT: Duration = Duration::from_secs(5);
/// How often the waits poll: short, because each poll is one round trip on 127.0.0.1.
const POLL: Duration = Duration::from_millis(50);
/// Chromium's own phone user agent, so the page sees the engine it really runs on.
const PHONE_UA: &str =
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

/// One headless Chromium, driven through its own `chromedriver` on a free port.
///
/// Each has its own chromedriver and its own throwaway profile, so several can run at once
/// (in parallel tests, or a desktop and a phone side by side). Dropping it ends the session,
/// which closes Chromium, then kills chromedriver and removes the profile.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    // Last, so it is removed after Drop has closed the browser that writes into it.
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Whether `chromium` (or `chromium-browser`) and `chromedriver` are on PATH, so a test can
    /// say clearly what to install ([`INSTALL_HINT`]) instead of failing obscurely.
    pub fn available() -> bool {
        chromium_binary().is_some() && on_path("chromedriver").is_some()
    }

    /// Starts chromedriver and a headless Chromium whose page gets `window` = (width, height)
    /// CSS px.
    ///
    /// With `mobile`, the page is emulated as a 390×844 phone at 3× pixel ratio, with touch
    /// and a phone user agent, whatever the window size.
    pub fn start(window: (u32, u32), mobile: bool) -> Browser {
        let chromium = chromium_binary().unwrap_or_else(|| panic!("no chromium on PATH: {INSTALL_HINT}"));
        let chromedriver = on_path("chromedriver").unwrap_or_else(|| panic!("no chromedriver on PATH: {INSTALL_HINT}"));
        // Ask the OS for a free port, then hand it to chromedriver: a tiny race, never seen to matter.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("cannot bind a port on 127.0.0.1")
            .port();
        let mut command = Command::new(&chromedriver);
        // To see what chromedriver and Chromium said to each other: CHROMEDRIVER_LOG_DIR=/tmp.
        if let Some(dir) = std::env::var_os("CHROMEDRIVER_LOG_DIR") {
            command.arg("--verbose").arg(format!("--log-path={}", Path::new(&dir).join(format!("chromedriver-{port}.log")).display()));
        }
        let driver = command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", chromedriver.display()));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            // WebDriver reports errors as 4xx/5xx with a JSON body we want to read.
            .http_status_as_error(false)
            // Never send 127.0.0.1 through an HTTP_PROXY from the environment.
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let profile = tempfile::Builder::new().prefix("browser-profile-").tempdir().expect("cannot create a profile directory");
        // Built before the session exists, so that a panic below still kills chromedriver.
        let mut browser = Browser { driver, base: format!("http://127.0.0.1:{port}"), session: String::new(), agent, _profile: profile };

        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok((200, status)) = request(&browser.agent, "GET", &format!("{}/status", browser.base), None, None)
                && status["value"]["ready"] == true
            {
                break;
            }
            if let Ok(Some(exit)) = browser.driver.try_wait() {
                panic!("chromedriver exited before it was ready ({exit}); run `chromedriver --port={port}` to see why");
            }
            assert!(Instant::now() < deadline, "chromedriver was not ready on port {port} within 20 s");
            sleep(POLL);
        }

        let (width, height) = window;
        let mut options = json!({
            "binary": chromium,
            "args": [
                "--headless=new",
                // Chromium refuses to start sandboxed as root (containers, CI).
                "--no-sandbox",
                "--disable-gpu",
                // Docker's /dev/shm is 64 MB, too small for Chromium's shared memory.
                "--disable-dev-shm-usage",
                format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", browser._profile.path().display()),
            ],
            // Open about:blank at startup. Otherwise a fresh profile opens the search engine's
            // new tab page (on Debian, start.duckduckgo.com via chrome://new-tab-page-third-party)
            // and the first `goto` waits for it: 0.3 to 5 s.
            "prefs": { "session.restore_on_startup": 4, "session.startup_urls": ["about:blank"] },
        });
        if mobile {
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 3.0, "touch": true, "mobile": true },
                "userAgent": PHONE_UA,
            });
        }
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "goog:chromeOptions": options,
            // Keeps the page's console for `console_errors`.
            "goog:loggingPrefs": { "browser": "ALL" },
        }}});
        let url = format!("{}/session", browser.base);
        let created = match request(&browser.agent, "POST", &url, Some(&capabilities), None) {
            Ok((200, created)) => created,
            other => panic!("WebDriver POST /session failed: {}\n  capabilities: {capabilities}", describe(other)),
        };
        browser.session = created["value"]["sessionId"].as_str().expect("no sessionId in the new session").to_string();
        if !mobile {
            // `--window-size` counts the toolbar headless Chromium pretends to have (143 px
            // here): grow the window by that so the page gets the whole size asked for.
            let chrome = browser.execute("return [outerWidth - innerWidth, outerHeight - innerHeight];", &[]);
            let extra = |i: usize| chrome[i].as_u64().unwrap_or(0);
            let rect = json!({ "width": u64::from(width) + extra(0), "height": u64::from(height) + extra(1) });
            browser.cmd("POST", "/window/rect", Some(rect));
        }
        browser
    }

    /// Navigates and waits for the page's load event.
    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    /// The current page's URL.
    pub fn url(&self) -> String {
        self.cmd("GET", "/url", None).as_str().unwrap_or_default().to_string()
    }

    /// The first element matching the CSS selector, now, as a WebDriver element id.
    pub fn find(&self, css: &str) -> Option<String> {
        let found = self.cmd("POST", "/elements", Some(json!({ "using": "css selector", "value": css })));
        found.as_array()?.first()?[ELEMENT_KEY].as_str().map(str::to_string)
    }

    /// Waits for an element matching the CSS selector; panics with the page's URL and text if
    /// none appears in time, since that text usually says why (an error page, a wrong route).
    pub fn wait_for(&self, css: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(id) = self.find(css) {
                return id;
            }
            if Instant::now() >= deadline {
                panic!("no `{css}` after {timeout:?}\n  url: {}\n  page text:\n{}", self.url(), self.page_text());
            }
            sleep(POLL);
        }
    }

    /// Waits until the element's text contains `needle` and returns that text.
    ///
    /// Reads `innerText` by script, so an element that is replaced while we poll is simply
    /// read again rather than failing as a stale reference.
    pub fn wait_for_text(&self, css: &str, needle: &str, timeout: Duration) -> String {
        let script = "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;";
        let deadline = Instant::now() + timeout;
        loop {
            let text = self.execute(script, &[json!(css)]);
            if let Some(text) = text.as_str()
                && text.contains(needle)
            {
                return text.to_string();
            }
            if Instant::now() >= deadline {
                panic!(
                    "`{css}` did not contain {needle:?} after {timeout:?}; it held {text}\n  url: {}\n  page text:\n{}",
                    self.url(),
                    self.page_text()
                );
            }
            sleep(POLL);
        }
    }

    /// The element's rendered text (waits up to 5 s for it to appear).
    pub fn text(&self, css: &str) -> String {
        self.on_element(css, "GET", "/text", None).as_str().unwrap_or_default().to_string()
    }

    /// Clicks the element's centre, as a user would: fails if something covers it.
    pub fn click(&self, css: &str) {
        self.on_element(css, "POST", "/click", Some(json!({})));
    }

    /// Types `text` into the element, after what it already holds.
    pub fn send_keys(&self, css: &str, text: &str) {
        self.on_element(css, "POST", "/value", Some(json!({ "text": text })));
    }

    /// Runs `script` as the body of a function with `arguments` = `args`, returning what it
    /// returns. WebDriver injects it outside the page's CSP, so `script-src 'self'` is no bar.
    pub fn execute(&self, script: &str, args: &[Value]) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({ "script": script, "args": args })))
    }

    /// Saves a PNG of the viewport to `path` and returns its (width, height) in device pixels:
    /// CSS size times the pixel ratio, so 1170 wide for the emulated phone.
    pub fn screenshot_png(&self, path: impl AsRef<Path>) -> (u32, u32) {
        let encoded = self.cmd("GET", "/screenshot", None);
        let png = decode_base64(encoded.as_str().expect("screenshot is not a string"));
        assert!(png.len() > 24 && png.starts_with(b"\x89PNG\r\n\x1a\n"), "screenshot is not a PNG");
        let path = path.as_ref();
        std::fs::write(path, &png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        let be32 = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        (be32(16), be32(20))
    }

    /// The body's `innerText`: what a reader sees, for asserts and for failure messages.
    pub fn page_text(&self) -> String {
        self.execute("return document.body ? document.body.innerText : '';", &[]).as_str().unwrap_or_default().to_string()
    }

    /// `localStorage.getItem(key)` for the current page's origin.
    pub fn local_storage_get(&self, key: &str) -> Option<String> {
        self.execute("return localStorage.getItem(arguments[0]);", &[json!(key)]).as_str().map(str::to_string)
    }

    /// Console errors, uncaught exceptions, failed loads and CSP violations logged since the
    /// last call (chromedriver hands each entry out once).
    pub fn console_errors(&self) -> Vec<String> {
        let entries = self.cmd("POST", "/se/log", Some(json!({ "type": "browser" })));
        let entries = entries.as_array().cloned().unwrap_or_default();
        entries.iter().filter(|e| e["level"] == "SEVERE").map(|e| e["message"].as_str().unwrap_or_default().to_string()).collect()
    }

    /// Runs one session command; panics on any error with the command, the reply and the URL.
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        match self.try_cmd(method, path, body.as_ref()) {
            Ok(value) => value,
            Err(error) => self.fail(method, path, body.as_ref(), &error),
        }
    }

    /// Runs a command on the element matching `css`, finding it again if the page replaced it.
    fn on_element(&self, css: &str, method: &str, suffix: &str, body: Option<Value>) -> Value {
        let deadline = Instant::now() + ACTION_WAIT;
        loop {
            let id = self.wait_for(css, ACTION_WAIT);
            let path = format!("/element/{id}{suffix}");
            match self.try_cmd(method, &path, body.as_ref()) {
                Ok(value) => return value,
                Err(error) if error.contains("stale element reference") && Instant::now() < deadline => sleep(POLL),
                Err(error) => self.fail(method, &format!("{path} (`{css}`)"), body.as_ref(), &error),
            }
        }
    }

    fn try_cmd(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        match request(&self.agent, method, &url, body, None) {
            Ok((200, mut reply)) if reply["value"].get("error").is_none() => {
                Ok(reply.get_mut("value").map(Value::take).unwrap_or_default())
            }
            other => Err(describe(other)),
        }
    }

    fn fail(&self, method: &str, path: &str, body: Option<&Value>, error: &str) -> ! {
        let mut sent = body.map(Value::to_string).unwrap_or_default();
        if sent.chars().count() > 500 {
            sent = sent.chars().take(500).chain(['…']).collect();
        }
        // Not `self.url()`: that would panic again if the session itself is what broke.
        let url = self
            .try_cmd("GET", "/url", None)
            .map(|u| u.as_str().unwrap_or_default().to_string())
            .unwrap_or_else(|e| format!("unknown ({e})"));
        panic!("WebDriver {method} {path} {sent}\n  failed: {error}\n  url: {url}")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            // Closes Chromium; bounded, so a wedged browser cannot hang a failing test forever.
            let url = format!("{}/session/{}", self.base, self.session);
            let _ = request(&self.agent, "DELETE", &url, None, Some(Duration::from_secs(10)));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// One HTTP exchange with chromedriver: (status, JSON body), or why there was none.
fn request(agent: &ureq::Agent, method: &str, url: &str, body: Option<&Value>, timeout: Option<Duration>) -> Result<(u16, Value), String> {
    let reply = match method {
        "GET" => agent.get(url).call(),
        "DELETE" => agent.delete(url).config().timeout_global(timeout).build().call(),
        _ => agent.post(url).header("Content-Type", "application/json").send(body.unwrap_or(&json!({})).to_string()),
    };
    let mut reply = reply.map_err(|e| format!("no reply from chromedriver: {e}"))?;
    let status = reply.status().as_u16();
    // Screenshots of a tall page run to megabytes of base64; ureq's default cap is 10 MB.
    let text = reply.body_mut().with_config().limit(256 << 20).read_to_string().map_err(|e| format!("unreadable reply: {e}"))?;
    let json = serde_json::from_str(&text).map_err(|e| format!("HTTP {status}, not JSON ({e}): {text:.300}"))?;
    Ok((status, json))
}

fn describe(outcome: Result<(u16, Value), String>) -> String {
    match outcome {
        Ok((status, mut reply)) => {
            // chromedriver's native stack trace is only hex addresses: noise in a test failure.
            if let Some(value) = reply.get_mut("value").and_then(Value::as_object_mut) {
                value.remove("stacktrace");
            }
            format!("HTTP {status} {reply}")
        }
        Err(error) => error,
    }
}

fn chromium_binary() -> Option<PathBuf> {
    on_path("chromium").or_else(|| on_path("chromium-browser"))
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|path| path.is_file())
}

/// Standard base64 (screenshots), by hand rather than one more crate for twenty lines.
fn decode_base64(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let sextet = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\r' | b'\n' => continue,
            _ => panic!("screenshot: {byte:#04x} is not base64"),
        };
        acc = (acc << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::decode_base64;

    #[test]
    fn base64_decodes_every_padding() {
        assert_eq!(decode_base64(""), b"");
        assert_eq!(decode_base64("Zg=="), b"f");
        assert_eq!(decode_base64("Zm8="), b"fo");
        assert_eq!(decode_base64("Zm9v"), b"foo");
        assert_eq!(decode_base64("+/+/"), [0xfb, 0xff, 0xbf]);
    }
}
