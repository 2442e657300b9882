//! `report.html`: self-contained, complete, escaped, reproducible, and (where Chromium is
//! installed) shown by a real browser with every chart and no console error.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use super::{drift, files_below};

/// The chart kinds `drift run` draws, from the library's own list.
fn kinds() -> Vec<&'static str> {
    drift::chart::ChartKind::ALL.iter().map(|k| k.name()).collect()
}

/// Runs `drift run` with `args` into a fresh folder; returns it and the one output folder.
fn run(scenario: &str, args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    drift().args(["run", scenario, "--quiet", "--out"]).arg(out.path()).args(args).assert().success();
    let dir = std::fs::read_dir(out.path()).unwrap().next().unwrap().unwrap().path();
    (out, dir)
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let to = text[from..].find(end).unwrap_or_else(|| panic!("no {end} after {start}"));
    &text[from..from + to]
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// The reproduce command as the report prints it, split into words (the tests' paths have
/// no spaces or quotes).
fn command(html: &str) -> Vec<String> {
    unescape(between(html, "<code id=\"reproduce-command\">", "</code>")).split_whitespace().map(String::from).collect()
}

/// Checks that every element is closed, in order: text that was not escaped, or a chart
/// spliced in badly, breaks the nesting. Void elements and self-closed SVG elements aside.
fn assert_well_nested(html: &str) {
    const VOID: [&str; 5] = ["meta", "link", "br", "img", "hr"];
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').expect("an unclosed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        assert!(!name.is_empty(), "a `<` that is not a tag: <{tag}>");
        if let Some(closing) = tag.strip_prefix('/') {
            let closing = closing.trim();
            assert_eq!(open.pop().as_deref(), Some(closing), "</{closing}> closes the wrong element");
        } else if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
}

#[test]
fn the_report_is_self_contained_and_tells_the_whole_story() {
    let (_out, dir) = run("scenarios/workshop-demo.yaml", &["--runs", "60"]);
    let html = read(&dir, "report.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert_well_nested(&html);
    // nothing is fetched: no script, no stylesheet link, no remote source or reference
    let lower = html.to_lowercase();
    for banned in ["<script", "rel=\"stylesheet\"", "@import", "url(", "src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
        assert!(!lower.contains(banned), "report.html contains {banned}");
    }
    assert_eq!(lower.matches("<link").count(), 1, "only the empty icon link");
    assert!(html.contains("<link rel=\"icon\" href=\"data:,\">"));
    assert!(html.contains("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"));
    assert!(html.contains("<style>") && html.contains("@media print") && html.contains("break-before: page"));
    // one inline SVG per chart, each in its figure
    assert_eq!(html.matches("<svg").count(), kinds().len());
    for kind in kinds() {
        let figure = between(&html, &format!("<figure class=\"card chart\" id=\"chart-{kind}\">"), "</figure>");
        assert_eq!(figure.matches("<svg").count(), 1, "{kind}");
        assert!(figure.contains("viewBox=\"0 0 1600 900\"") && figure.contains("</svg>"), "{kind}");
    }
    // the scenario, the customer, every hop, the blame, the table and the command
    assert!(html.contains("<h1>The bakery that became a lifestyle platform</h1>"));
    assert!(html.contains("Sam, owner of a two-person neighbourhood bakery"));
    assert!(html.contains("I bake everything by hand before sunrise, and my regulars love it."));
    let timeline = between(&html, "<ol class=\"timeline\">", "</ol>");
    let table = between(&html, "<tbody>", "</tbody>");
    let summary: serde_json::Value = serde_json::from_str(&read(&dir, "summary.json")).unwrap();
    let trace = summary["trace"].as_array().unwrap();
    assert_eq!(timeline.matches("<li class=\"hop").count(), trace.len() + 1, "the customer, then one card per hop");
    assert_eq!(table.matches("<tr").count(), trace.len(), "one Monte Carlo row per hop");
    for hop in trace {
        let role = hop["role"].as_str().unwrap().replace('"', "&quot;");
        assert!(timeline.contains(&format!("<h3>{}. {role}</h3>", hop["hop"])), "no card for {role}");
        assert!(table.contains(&format!("<td class=\"role\">{role}")), "no row for {role}");
        for edit in hop["edits"].as_array().unwrap() {
            assert!(timeline.contains(&format!("<span class=\"op-name\">{}</span>", edit["operator"].as_str().unwrap())));
        }
    }
    assert!(timeline.contains("<del>") && timeline.contains("<ins>"), "word diffs are marked");
    let worst = &summary["biggest_fall"];
    assert!(html.contains(&format!(
        "Biggest fall across runs: {}. {}",
        worst["hop"],
        worst["role"].as_str().unwrap().replace('"', "&quot;")
    )));
    assert!(html.contains("<h2 id=\"runs-title\">Across 60 runs</h2>"));
    assert_eq!(command(&html), ["drift", "run", "scenarios/workshop-demo.yaml", "--seed", "42", "--runs", "60"]);
    // no date, no output folder: nothing that differs between two runs of the same seed
    assert!(!html.contains(&dir.display().to_string()));
}

#[test]
fn the_embedded_charts_are_the_svg_files_not_drawn_again() {
    let (_out, dir) = run("scenarios/three-ps.yaml", &["--runs", "30"]);
    let html = read(&dir, "report.html");
    for kind in kinds() {
        let svg = read(&dir, &format!("{kind}.svg"));
        let body = &svg[svg.find('>').unwrap() + 1..];
        assert!(html.contains(body.trim()), "{kind}.svg is not the chart in the report");
    }
    // the three P's are shown
    assert!(html.contains("<dt>priorities</dt>") && html.contains("The customer's words kept: priorities"));
}

#[test]
fn a_dark_or_png_only_run_still_gets_light_charts_in_the_report() {
    let (_out, dir) = run("scenarios/workshop-demo.yaml", &["--runs", "20", "--theme", "dark", "--charts", "png"]);
    assert!(files_below(&dir).iter().all(|f| !f.ends_with(".svg")), "no SVG files were asked for");
    let html = read(&dir, "report.html");
    assert_eq!(html.matches("<svg").count(), kinds().len());
    assert!(html.matches("fill=\"#FFFFFF\" stroke=\"none\"/>").count() >= kinds().len(), "white chart backgrounds");
    assert!(!html.contains("fill=\"#121418\""), "no dark chart background in a handout");
    assert!(command(&html).join(" ").ends_with("--runs 20 --theme dark --charts png"));
}

#[test]
fn without_charts_the_report_is_written_and_says_so() {
    let (_out, dir) = run("scenarios/workshop-demo.yaml", &["--runs", "20", "--no-charts"]);
    assert_eq!(files_below(&dir), ["hops.csv", "report.html", "summary.json", "trace.md"]);
    let html = read(&dir, "report.html");
    assert!(!html.contains("<svg"));
    assert!(html.contains("Charts were skipped"));
    assert_well_nested(&html);
    assert!(command(&html).ends_with(&["--no-charts".to_string()]));
}

#[test]
fn a_single_run_has_no_bands_and_says_so() {
    let (_out, dir) = run("scenarios/workshop-demo.yaml", &["--runs", "1", "--no-charts"]);
    let html = read(&dir, "report.html");
    assert!(html.contains("This report is of a single run, so there are no bands"));
    assert!(!html.contains("<table"));
    assert!(!html.contains("Fix first") && !html.contains("worth fixing first"), "no counterfactual verdict from one run");
    assert_well_nested(&html);
}

#[test]
fn scenario_text_is_escaped_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("escape.yaml");
    std::fs::write(
        &scenario,
        r#"version: 1
name: "Q3 <b>launch</b> & \"friends\""
description: "Fast <i>and</i> loose & proud"
customer:
  who: "Jo <i>O'Neil</i> & co"
  said: "I need <b>fast</b> invoices & \"simple\" tools, not <script>alert(1)</script> or more paperwork."
chain:
  - role: "CMO <img src=x onerror=alert(1)>"
    note: "reads \"the deck\" & <u>skims</u>"
    preset: cmo
  - role: "Agency & <em>partners</em>"
    mutate: { jargon: 0.6, we_focus: 0.5 }
"#,
    )
    .unwrap();
    let out = tmp.path().join("out");
    drift().arg("run").arg(&scenario).args(["--runs", "20", "--quiet", "--out"]).arg(&out).assert().success();
    let html = read(&out.join("q3-b-launch-b-friends"), "report.html");
    assert_well_nested(&html);
    for raw in ["<b>", "<i>", "<u>", "<em>", "<script", "<img", "onerror=alert(1)>"] {
        assert!(!html.contains(raw), "unescaped {raw}");
    }
    assert!(html.contains("<h1>Q3 &lt;b&gt;launch&lt;/b&gt; &amp; &quot;friends&quot;</h1>"));
    assert!(html.contains("<title>Q3 &lt;b&gt;launch&lt;/b&gt; &amp; &quot;friends&quot; · drift report</title>"));
    assert!(html.contains("— Jo &lt;i&gt;O&#39;Neil&lt;/i&gt; &amp; co"));
    assert!(
        html.contains("I need &lt;b&gt;fast&lt;/b&gt; invoices &amp; &quot;simple&quot; tools, not &lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(html.contains("<h3>1. CMO &lt;img src=x onerror=alert(1)&gt;</h3>"));
    assert!(html.contains("reads &quot;the deck&quot; &amp; &lt;u&gt;skims&lt;/u&gt;"));
    assert!(html.contains("Agency &amp; &lt;em&gt;partners&lt;/em&gt;"));
}

#[test]
fn the_printed_command_reproduces_every_file_byte_for_byte() {
    let (_a, first) = run("scenarios/customer-checkin.yaml", &["--seed", "5", "--runs", "40", "--no-counterfactual", "--threads", "2"]);
    let html = read(&first, "report.html");
    let words = command(&html);
    assert_eq!(
        words,
        ["drift", "run", "scenarios/customer-checkin.yaml", "--seed", "5", "--runs", "40", "--no-counterfactual"],
        "explicit seed and runs, the option that changes results, nothing about threads or folders"
    );
    let out = tempfile::tempdir().unwrap();
    drift().args(&words[1..]).args(["--quiet", "--out"]).arg(out.path()).assert().success();
    let again = out.path().join(first.file_name().unwrap());
    let files = files_below(&first);
    assert_eq!(files_below(&again), files);
    for f in &files {
        assert!(std::fs::read(first.join(f)).unwrap() == std::fs::read(again.join(f)).unwrap(), "{f} differs");
    }
    // the scenario's own seed and runs are spelled out too
    let (_b, dir) = run("scenarios/workshop-demo.yaml", &["--no-charts"]);
    assert_eq!(command(&read(&dir, "report.html"))[3..], ["--seed", "42", "--runs", "500", "--no-charts"]);
}

#[test]
fn the_report_is_byte_identical_across_runs_and_threads() {
    let report = |threads: &str| {
        let (_out, dir) = run("scenarios/workshop-demo.yaml", &["--runs", "200", "--threads", threads]);
        std::fs::read(dir.join("report.html")).unwrap()
    };
    let one = report("1");
    assert_eq!(one, report("2"), "threads changed report.html");
    assert_eq!(one, report("1"), "two runs differ");
}

#[test]
fn blame_section() {
    let (_out, dir) = run("scenarios/workshop-demo.yaml", &["--runs", "200", "--no-charts"]);
    let html = read(&dir, "report.html");
    let start = html.find("<section id=\"blame\"").unwrap();
    let blame = &html[start..start + html[start..].find("</section>").unwrap()];
    insta::assert_snapshot!("report_blame_section", blame.replace("</div>", "</div>\n"));
}

// ---- a real browser, where there is one ----

/// Chromium or Chrome on the PATH, if any.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Opens `page` headless and returns (the DOM after load, the console messages).
fn open_in(browser: &Path, page: &Path) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let output = Process::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--window-size=1280,900", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("the browser starts");
    assert!(output.status.success(), "the browser failed: {}", String::from_utf8_lossy(&output.stderr));
    let console = String::from_utf8_lossy(&output.stderr).lines().filter(|l| l.contains(":CONSOLE")).map(String::from).collect();
    (String::from_utf8_lossy(&output.stdout).into_owned(), console)
}

#[test]
fn chromium_shows_every_chart_without_console_errors() {
    let Some(browser) = chromium() else {
        eprintln!("note: chromium is not installed; skipping the browser check of report.html (the structural tests still ran)");
        return;
    };
    let (out, dir) = run("scenarios/marketing-long-distance.yaml", &["--runs", "100"]);
    let report = dir.join("report.html");
    // the check itself can fail: a page that breaks the report's policy is caught
    let html = read(&dir, "report.html");
    let bad = out.path().join("bad.html");
    std::fs::write(&bad, html.replacen("</main>", "<img src=\"https://example.com/pixel.png\" alt=\"\"></main>", 1)).unwrap();
    let (_, console) = open_in(&browser, &bad);
    assert!(console.iter().any(|l| l.contains("Content Security Policy")), "a remote image was not reported: {console:?}");
    // the report itself: no console message at all
    let (dom, console) = open_in(&browser, &report);
    assert!(console.is_empty(), "console messages: {console:#?}");
    assert_eq!(dom.matches("<svg").count(), kinds().len(), "the browser parsed every chart");
    // every chart laid out at a visible size: measured by a copy of the report with a probe
    // script (the report has none, and its policy would block one)
    let probe = out.path().join("probe.html");
    let policy = between(&html, "<meta http-equiv=\"Content-Security-Policy\"", ">");
    let script = "<script>document.body.insertAdjacentHTML('beforeend', '<pre id=\"probe\">' + [...document.querySelectorAll('figure.chart')].map(f => { const s = f.querySelector('svg'); const b = s.getBoundingClientRect(); const c = getComputedStyle(s); return [f.id, Math.round(b.width), Math.round(b.height), c.display, c.visibility, s.querySelectorAll('text').length].join(','); }).join(';') + '</pre>');</script>";
    std::fs::write(
        &probe,
        html.replace(&format!("<meta http-equiv=\"Content-Security-Policy\"{policy}>"), "").replace("</body>", &format!("{script}</body>")),
    )
    .unwrap();
    let (dom, console) = open_in(&browser, &probe);
    assert!(console.is_empty(), "console messages: {console:#?}");
    // the script's own text holds the same markers: the result is the last of them
    let measured = between(&dom[dom.rfind("<pre id=\"probe\">").unwrap()..], "<pre id=\"probe\">", "</pre>");
    let charts: Vec<Vec<&str>> = measured.split(';').map(|c| c.split(',').collect()).collect();
    assert_eq!(charts.len(), kinds().len(), "{measured}");
    for (chart, kind) in charts.iter().zip(kinds()) {
        let [id, w, h, display, visibility, texts] = chart[..] else { panic!("{measured}") };
        let (w, h): (f64, f64) = (w.parse().unwrap(), h.parse().unwrap());
        assert_eq!(id, format!("chart-{kind}"));
        assert!(w >= 600.0 && (w / h - 16.0 / 9.0).abs() < 0.05, "{kind}: {w}×{h}");
        assert!(display == "block" && visibility == "visible", "{kind}: {display} {visibility}");
        assert!(texts.parse::<usize>().unwrap() > 10, "{kind}: {texts} text elements");
    }
}
