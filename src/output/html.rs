//! `report.html`: the handout. One file a facilitator can mail after a talk, open on a laptop
//! or print to PDF: the customer's words and where they ended up, the chain as a timeline with
//! every change marked, the charts, the blame, the Monte Carlo table, and the command that
//! reproduces it all.
//!
//! Self-contained because it travels: the CSS and the charts (SVG) are inline, and there is no
//! script, font or image to fetch, so it looks the same offline, as a mail attachment and on
//! paper. Deterministic like every other output: no date, and nothing about where it was
//! written, so the same seed gives the same bytes.

use super::{Format, Piece, Report, word_diff};
use crate::aggregate::Analysis;
use crate::format::{percent, points, runs, signed_points};
use crate::scenario::Scenario;
use crate::stats::Band;

/// The stylesheet, kept as a CSS file so it can be read and edited as CSS.
const CSS: &str = include_str!("html.css");

/// The report fetches nothing, and says so to the browser: anything that would load from
/// elsewhere (a stray link, an image) is blocked and reported in the console instead of
/// quietly making the file depend on the network.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// `report.html`, with the charts drawn for this run and the command line that reproduces it.
pub struct Html<'a> {
    pub charts: &'a ReportCharts,
    /// The exact command line, as the CLI spells it (see `RunArgs::command_line`).
    pub command: &'a str,
}

/// One chart as the report shows it: drawn already (the report renders no chart itself), with
/// the question it answers and how to read it, in the README's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// The chart kind's name, as in its file name (`drift`, `blame`…).
    pub name: String,
    pub question: String,
    pub how_to_read: String,
    /// The chart as SVG text, drawn in the light theme (a handout is read on white paper).
    pub svg: String,
}

/// The charts a report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportCharts {
    /// Each chart, in the order `drift run` draws them.
    Drawn(Vec<Figure>),
    /// The run was asked for no charts (`--no-charts`).
    Skipped,
}

/// Escapes text for HTML content and attribute values: whatever a scenario says is shown as
/// text, never read as markup.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A share in [0, 1] as a CSS length along a bar: "42.5%".
fn css_percent(x: f64) -> String {
    let x = if x.is_finite() { x.clamp(0.0, 1.0) } else { 0.0 };
    format!("{:.1}%", x * 100.0)
}

/// The new message with removed words struck through (`<del>`) and added words marked
/// (`<ins>`), the spacing kept outside the marks.
fn diff_html(old: &str, new: &str) -> String {
    let mut out = String::new();
    for piece in word_diff(old, new) {
        match piece {
            Piece::Same(s) => out.push_str(&esc(&s)),
            Piece::Changed { removed, added } => {
                let (lead, removed, added, tail) = Piece::change_parts(&removed, &added);
                out.push_str(&esc(&lead));
                if !removed.is_empty() {
                    out.push_str(&format!("<del>{}</del>", esc(&removed)));
                    if !added.is_empty() {
                        out.push(' ');
                    }
                }
                if !added.is_empty() {
                    out.push_str(&format!("<ins>{}</ins>", esc(&added)));
                }
                out.push_str(&esc(&tail));
            }
        }
    }
    out
}

/// The hops the analysis singles out, 0-based.
struct Flags {
    traced_costliest: Option<(usize, f64)>,
    biggest_fall: Option<(usize, f64)>,
    fix_first: Option<(usize, Band)>,
}

impl Flags {
    fn of(a: &Analysis) -> Flags {
        Flags {
            traced_costliest: a.costliest_traced_hop(),
            // across runs only when there are several, as the terminal says it
            biggest_fall: a.biggest_fall().filter(|_| a.runs > 1),
            fix_first: a.worth_fixing_first().filter(|_| a.runs > 1),
        }
    }

    fn is_biggest_fall(&self, i: usize) -> bool {
        self.biggest_fall.is_some_and(|(k, _)| k == i)
    }

    fn is_fix_first(&self, i: usize) -> bool {
        self.fix_first.is_some_and(|(k, _)| k == i)
    }
}

/// "2. CMO": a hop as the terminal names it.
fn hop_name(s: &Scenario, i: usize) -> String {
    format!("{}. {}", i + 1, s.chain[i].role)
}

impl Format for Html<'_> {
    fn name(&self) -> &'static str {
        "html"
    }

    fn file_name(&self) -> &'static str {
        "report.html"
    }

    fn render(&self, r: &Report) -> String {
        let flags = Flags::of(r.analysis);
        let mut html = String::new();
        html.push_str(&head(r));
        html.push_str("<body>\n<main>\n");
        html.push_str(&masthead(r));
        html.push_str(&summary(r, &flags));
        html.push_str(&timeline(r, &flags));
        html.push_str(&self.charts_section(r));
        html.push_str(&blame(r, &flags));
        html.push_str(&bands(r, &flags));
        html.push_str(&self.reproduce(r));
        html.push_str(&format!(
            "<footer>Made with drift {}, a seeded simulator of marketing long distance. The same seed gives the same report, byte for byte.</footer>\n",
            env!("CARGO_PKG_VERSION")
        ));
        html.push_str("</main>\n</body>\n</html>\n");
        html
    }
}

fn head(r: &Report) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"generator\" content=\"drift {}\">\n\
         <title>{} · drift report</title>\n\
         <link rel=\"icon\" href=\"data:,\">\n<style>\n{CSS}</style>\n</head>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&r.scenario.name)
    )
}

fn masthead(r: &Report) -> String {
    let (s, a) = (r.scenario, r.analysis);
    let mut h = String::from("<header class=\"masthead\">\n<p class=\"eyebrow\">drift · marketing long distance</p>\n");
    h.push_str(&format!("<h1>{}</h1>\n", esc(&s.name)));
    if let Some(d) = &s.description {
        h.push_str(&format!("<p class=\"lede\">{}</p>\n", esc(d)));
    }
    let hops = s.chain.len();
    let facts = [
        ("Chain", format!("{hops} {}", if hops == 1 { "handoff" } else { "handoffs" })),
        ("Monte Carlo", runs(a.runs)),
        ("Seed", a.seed.to_string()),
        ("Headline metric", s.headline().name().to_string()),
        ("Scenario file", format!("<code>{}</code>", esc(r.file))),
    ];
    h.push_str("<dl class=\"facts\">\n");
    for (term, value) in facts {
        h.push_str(&format!("<div><dt>{term}</dt><dd>{value}</dd></div>\n"));
    }
    h.push_str("</dl>\n<nav class=\"toc\" aria-label=\"Contents\">");
    for (id, title) in
        [("chain", "The chain"), ("charts", "Charts"), ("blame", "Blame"), ("runs", "Across runs"), ("reproduce", "Reproduce")]
    {
        h.push_str(&format!("<a href=\"#{id}\">{title}</a>"));
    }
    h.push_str("</nav>\n</header>\n");
    h
}

/// The customer's words beside the final message, and the few numbers an executive reads.
fn summary(r: &Report, flags: &Flags) -> String {
    let (s, a) = (r.scenario, r.analysis);
    let headline = s.headline().name();
    let who = s.customer.who.as_deref().unwrap_or("The customer");
    let last = s.chain.len() - 1;
    let final_traced = a.scores[last].vs_customer[0];
    let mut h = String::from("<section id=\"summary\" aria-labelledby=\"summary-title\">\n");
    h.push_str("<h2 id=\"summary-title\">What the customer said, and what came out</h2>\n");
    h.push_str("<div class=\"versus\">\n");
    h.push_str(&format!(
        "<figure class=\"card words customer\"><figcaption>What the customer said</figcaption><blockquote>{}</blockquote><p class=\"who\">— {}</p>\n",
        esc(s.customer.told()),
        esc(who)
    ));
    let ps = s.customer.three_ps();
    if !ps.is_empty() {
        h.push_str("<dl class=\"three-ps\">\n");
        for (name, text) in ps {
            h.push_str(&format!("<div><dt>{name}</dt><dd>{}</dd></div>\n", esc(text)));
        }
        h.push_str("</dl>\n");
    }
    h.push_str("</figure>\n");
    h.push_str(&format!(
        "<figure class=\"card words final\"><figcaption>What came out: hop {}</figcaption><blockquote>{}</blockquote>\
         <p class=\"score-line\"><strong>{}</strong> {headline} similarity to the customer's words in the traced run</p></figure>\n",
        esc(&format!("{}, {}", last + 1, s.chain[last].role)),
        esc(&a.trace.hops[last].text),
        percent(final_traced)
    ));
    h.push_str("</div>\n<div class=\"kpis\">\n");
    let kpi = |class: &str, kicker: &str, value: String, label: String| {
        format!(
            "<div class=\"card kpi {class}\"><span class=\"kicker\">{kicker}</span><span class=\"value\">{value}</span><span class=\"label\">{label}</span></div>\n"
        )
    };
    let words = a.scores[last].words;
    h.push_str(&kpi(
        "",
        "Words left",
        percent(words),
        "of the customer's own content words are still in the final message (traced run)".into(),
    ));
    if a.runs > 1 {
        let b = a.bands[last].vs_customer[0];
        h.push_str(&kpi(
            "",
            &format!("Median of {}", runs(a.runs)),
            percent(b.median),
            format!("final {headline} similarity to the customer; 80 % of runs between {} and {}", percent(b.p10), percent(b.p90)),
        ));
    }
    match (flags.biggest_fall, flags.traced_costliest) {
        (Some((i, fall)), _) => h.push_str(&kpi(
            "alarm name",
            "Biggest fall",
            esc(&hop_name(s, i)),
            format!("−{} points of {headline}: the largest median drop across runs", points(fall)),
        )),
        (None, Some((i, fall))) => h.push_str(&kpi(
            "alarm name",
            "Biggest fall",
            esc(&hop_name(s, i)),
            format!("−{:.0} points of {headline}: the largest drop in this run", fall * 100.0),
        )),
        (None, None) => h.push_str(&kpi("quiet name", "Biggest fall", "None".into(), format!("no hop lowered {headline}"))),
    }
    match flags.fix_first {
        _ if a.runs == 1 => {}
        Some((i, g)) => h.push_str(&kpi(
            "fix name",
            "Costliest hop",
            esc(&hop_name(s, i)),
            format!(
                "{} points of {headline} at the end of the chain (median) had it passed the message on unchanged: fix it first",
                signed_points(g.median)
            ),
        )),
        None => h.push_str(&kpi("quiet name", "Costliest hop", "—".into(), fix_first_missing(a).into())),
    }
    h.push_str("</div>\n</section>\n");
    h
}

/// Why no hop is named worth fixing first.
fn fix_first_missing(a: &Analysis) -> &'static str {
    if a.counterfactual_runs == 0 {
        "Not measured: the counterfactual blame was skipped (--no-counterfactual)."
    } else {
        "No single hop, passed on unchanged, would bring the final message a point or more closer to the customer (median): the drift is the chain's. Compare a shorter chain or a customer check-in."
    }
}

/// The traced run, hop by hop: each a card with its message and changes marked.
fn timeline(r: &Report, flags: &Flags) -> String {
    let (s, a) = (r.scenario, r.analysis);
    let headline = s.headline().name();
    let mut h = String::from("<section id=\"chain\" class=\"page\" aria-labelledby=\"chain-title\">\n");
    h.push_str("<p class=\"eyebrow\">The traced run</p>\n<h2 id=\"chain-title\">The chain, hop by hop</h2>\n");
    h.push_str(&format!(
        "<p class=\"section-intro\">Run 0 of {}, as each person passed it on. <span class=\"legend-inline\"><del>Removed words</del> are struck through, <ins>added words</ins> are marked; the score is the {headline} similarity to the customer's words.</span></p>\n",
        runs(a.runs)
    ));
    h.push_str("<ol class=\"timeline\">\n");
    h.push_str(&format!(
        "<li class=\"hop start\"><div class=\"marker\" aria-hidden=\"true\">START</div><div class=\"card hop-card\"><div class=\"hop-head\"><div><h3>The customer</h3><p class=\"note\">{}</p></div>\
         <div class=\"score\"><span class=\"value\">100%</span><span class=\"metric\">{headline}</span><div class=\"meter\"><span style=\"width:100.0%\"></span></div></div></div>\
         <blockquote class=\"message\">{}</blockquote></div></li>\n",
        esc(s.customer.who.as_deref().unwrap_or("their own words")),
        esc(s.customer.told())
    ));
    let last = a.trace.hops.len() - 1;
    let mut before_score = 1.0;
    for (i, (hop, sc)) in a.trace.hops.iter().zip(&a.scores).enumerate() {
        let score = sc.vs_customer[0];
        let mut classes = vec!["hop"];
        let mut badges = Vec::new();
        if flags.traced_costliest.is_some_and(|(k, _)| k == i) {
            badges.push("<span class=\"badge alarm\">costliest in this run</span>");
        }
        if flags.is_biggest_fall(i) {
            classes.push("costliest");
            badges.push("<span class=\"badge alarm\">biggest fall across runs</span>");
        }
        if flags.is_fix_first(i) {
            classes.push("fix-first");
            badges.push("<span class=\"badge fix\">costliest: worth fixing first</span>");
        }
        if hop.human {
            classes.push("human");
            badges.push("<span class=\"badge human\">typed by a person</span>");
        }
        if i == last {
            badges.push("<span class=\"badge end\">final message</span>");
        }
        h.push_str(&format!(
            "<li class=\"{}\" id=\"hop-{}\"><div class=\"marker\" aria-hidden=\"true\">{}</div><div class=\"card hop-card\">\n",
            classes.join(" "),
            hop.hop,
            hop.hop
        ));
        h.push_str(&format!("<div class=\"hop-head\"><div><h3>{}. {}</h3>", hop.hop, esc(&hop.role)));
        if let Some(note) = &hop.note {
            h.push_str(&format!("<p class=\"note\">{}</p>", esc(note)));
        }
        if !badges.is_empty() {
            h.push_str(&format!("<div class=\"badges\">{}</div>", badges.concat()));
        }
        let change = score - before_score;
        let (class, delta) = if (change * 1000.0).round() == 0.0 {
            ("flat", "no change".to_string())
        } else if change < 0.0 {
            ("down", format!("{} points", signed_points(change)))
        } else {
            ("up", format!("{} points", signed_points(change)))
        };
        h.push_str(&format!(
            "</div>\n<div class=\"score\"><span class=\"value\">{}</span><span class=\"metric\">{headline} vs the customer</span>\
             <div class=\"meter\"><span style=\"width:{}\"></span></div><span class=\"delta {class}\">{delta}</span></div></div>\n",
            percent(score),
            css_percent(score)
        ));
        let before = a.trace.text_before(s.customer.told(), i);
        h.push_str(&format!("<blockquote class=\"message\">{}</blockquote>\n", diff_html(&before, &hop.text)));
        if hop.human {
            h.push_str("<p class=\"unchanged\">Retold by a person: the words as they typed them.</p>\n");
        } else if hop.edits.is_empty() {
            h.push_str("<p class=\"unchanged\">Passed on unchanged.</p>\n");
        } else {
            h.push_str(&operators(hop));
            h.push_str("<ul class=\"edits\">\n");
            for e in &hop.edits {
                let change = match (e.before.is_empty(), e.after.is_empty()) {
                    (true, _) => format!("<ins>{}</ins>", esc(&e.after)),
                    (_, true) => format!("<del>{}</del>", esc(&e.before)),
                    _ => format!("<del>{}</del><span class=\"arrow\">→</span><ins>{}</ins>", esc(&e.before), esc(&e.after)),
                };
                h.push_str(&format!("<li><span class=\"op-name\">{}</span><span>{change}</span></li>\n", e.operator_name()));
            }
            h.push_str("</ul>\n");
        }
        let mut scores: Vec<String> = s.metrics.iter().zip(&sc.vs_customer).map(|(m, v)| format!("{} {}", m.name(), percent(*v))).collect();
        scores.push(format!("jargon {}", percent(sc.jargon)));
        scores.push(format!("we-focus {}", percent(sc.we_focus)));
        let ps: Vec<String> =
            s.customer.three_ps().iter().zip(&sc.three_ps).map(|((name, _), v)| format!("{name} {}", percent(*v))).collect();
        let kept = if ps.is_empty() { String::new() } else { format!("<br>The customer's words kept: {}", ps.join(" · ")) };
        h.push_str(&format!("<p class=\"scores\">{}{kept}</p>\n</div></li>\n", scores.join(" · ")));
        before_score = score;
    }
    h.push_str("</ol>\n</section>\n");
    h
}

/// The operators that acted at a hop, in the order they first acted, with how often.
fn operators(hop: &crate::simulate::HopTrace) -> String {
    let mut seen: Vec<(&'static str, usize)> = Vec::new();
    for e in &hop.edits {
        match seen.iter_mut().find(|(n, _)| *n == e.operator_name()) {
            Some((_, count)) => *count += 1,
            None => seen.push((e.operator_name(), 1)),
        }
    }
    let chips: Vec<String> = seen
        .iter()
        .map(|(name, n)| {
            let count = if *n > 1 { format!("<span class=\"n\">×{n}</span>") } else { String::new() };
            format!("<span class=\"op {name}\">{name}{count}</span>")
        })
        .collect();
    format!("<p class=\"ops\"><span class=\"label\">What this hop did:</span>{}</p>\n", chips.concat())
}

impl Html<'_> {
    fn charts_section(&self, r: &Report) -> String {
        let a = r.analysis;
        let mut h = String::from("<section id=\"charts\" class=\"page\" aria-labelledby=\"charts-title\">\n");
        h.push_str("<p class=\"eyebrow\">All runs</p>\n<h2 id=\"charts-title\">Charts</h2>\n");
        match self.charts {
            ReportCharts::Skipped => h.push_str(
                "<p class=\"card notice\">Charts were skipped: this run was asked for none (<code>--no-charts</code>). Run it again without <code>--no-charts</code> to draw them here and as PNG and SVG files.</p>\n",
            ),
            ReportCharts::Drawn(charts) => {
                h.push_str(&format!(
                    "<p class=\"section-intro\">Drawn from {} with seed {}. The chart files beside this report are the same charts, ready for slides.</p>\n",
                    runs(a.runs),
                    a.seed
                ));
                for Figure { name, question, how_to_read, svg } in charts {
                    let label = format!("The {name} chart: {question}");
                    let svg = svg.trim().replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{}\" ", esc(&label)), 1);
                    h.push_str(&format!(
                        "<figure class=\"card chart\" id=\"chart-{name}\">\n{svg}\n<figcaption><strong>{}</strong> <code>{name}</code> · {}</figcaption>\n</figure>\n",
                        esc(question),
                        esc(how_to_read)
                    ));
                }
            }
        }
        h.push_str("</section>\n");
        h
    }

    fn reproduce(&self, r: &Report) -> String {
        let slug = r.scenario.slug();
        format!(
            "<section id=\"reproduce\" aria-labelledby=\"reproduce-title\">\n<h2 id=\"reproduce-title\">Reproduce this report</h2>\n\
             <p class=\"section-intro\">From the folder it was run in, with drift {} and the same scenario file, this command writes the same files, this report included, byte for byte, to <code>output/{}/</code> (add <code>--out DIR</code> for another folder). The seed fixes every random choice; the number of threads does not change a result.</p>\n\
             <pre class=\"command\"><code id=\"reproduce-command\">{}</code></pre>\n</section>\n",
            env!("CARGO_PKG_VERSION"),
            esc(&slug),
            esc(self.command)
        )
    }
}

/// Which hop costs the most and which is worth fixing first, in sentences.
fn blame(r: &Report, flags: &Flags) -> String {
    let (s, a) = (r.scenario, r.analysis);
    let headline = s.headline().name();
    let mut h = String::from("<section id=\"blame\" class=\"page\" aria-labelledby=\"blame-title\">\n");
    h.push_str("<p class=\"eyebrow\">Where to intervene</p>\n<h2 id=\"blame-title\">Blame</h2>\n<div class=\"verdicts\">\n");
    let verdict =
        |class: &str, title: String, text: String| format!("<div class=\"card verdict {class}\"><h3>{title}</h3><p>{text}</p></div>\n");
    match flags.traced_costliest {
        Some((i, fall)) => h.push_str(&verdict(
            "alarm",
            format!("In the traced run: {}", esc(&hop_name(s, i))),
            format!("It cost {:.0} points of {headline}, more than any other hop in run 0.", fall * 100.0),
        )),
        None => h.push_str(&verdict("quiet", "In the traced run".into(), format!("No hop lowered {headline} in run 0."))),
    }
    if a.runs > 1 {
        match flags.biggest_fall {
            Some((i, fall)) => h.push_str(&verdict(
                "alarm",
                format!("Biggest fall across runs: {}", esc(&hop_name(s, i))),
                format!("The largest median drop in {headline} across {}: {} points. An early hop falls furthest because it has the most to lose; the costliest hop is the one whose own changes cost the end of the chain the most.", runs(a.runs), points(fall)),
            )),
            None => h.push_str(&verdict(
                "quiet",
                "Biggest fall across runs".into(),
                format!("No hop lowered the median {headline} across {}.", runs(a.runs)),
            )),
        }
        match flags.fix_first {
            Some((i, g)) => {
                let sample = if a.counterfactual_runs < a.runs {
                    format!("; measured on the first {}", runs(a.counterfactual_runs))
                } else {
                    String::new()
                };
                h.push_str(&verdict(
                    "fix",
                    format!("Costliest across runs, worth fixing first: {}", esc(&hop_name(s, i))),
                    format!(
                        "Had this hop passed the message on unchanged, the final message's {headline} similarity to the customer would have changed by {} points (median; mean {}; middle half of runs {} to {}{sample}). Same random numbers, one hop behaving: the difference is the hop's.",
                        signed_points(g.median),
                        signed_points(g.mean),
                        signed_points(g.p25),
                        signed_points(g.p75)
                    ),
                ));
            }
            None => h.push_str(&verdict("quiet", "Costliest across runs".into(), fix_first_missing(a).into())),
        }
    }
    h.push_str("</div>\n</section>\n");
    h
}

/// The Monte Carlo table: the headline metric's bands at every hop, the drop, the gain.
fn bands(r: &Report, flags: &Flags) -> String {
    let (s, a) = (r.scenario, r.analysis);
    let headline = s.headline().name();
    let mut h = String::from("<section id=\"runs\" aria-labelledby=\"runs-title\">\n");
    h.push_str(&format!("<p class=\"eyebrow\">Monte Carlo</p>\n<h2 id=\"runs-title\">Across {}</h2>\n", runs(a.runs)));
    if a.runs == 1 {
        h.push_str("<p class=\"card notice\">This report is of a single run, so there are no bands: run it with <code>--runs 1000</code> or more to see how sure these numbers are.</p>\n</section>\n");
        return h;
    }
    let with_gain = a.bands.iter().any(|b| b.gain.is_some());
    h.push_str(&format!("<p class=\"section-intro\">{}</p>\n", esc(&super::text::chance_line(headline, a.chance[0]))));
    h.push_str(&format!(
        "<p class=\"section-intro\">{headline} similarity to the customer's words after each hop, across all runs. The bar runs from 0 to 100 %: light for 80 % of runs (p10 to p90), dark for the middle half (p25 to p75), the tick at the median. The drop is what the hop takes away (median, points of 100){}.</p>\n",
        if with_gain {
            format!(
                "; “if passed on unchanged” is what the final message would gain had that hop changed nothing (median, with the middle half of runs{})",
                if a.counterfactual_runs < a.runs { format!("; the first {}", runs(a.counterfactual_runs)) } else { String::new() }
            )
        } else {
            String::new()
        }
    ));
    h.push_str("<div class=\"card table-wrap\">\n<table>\n<thead><tr><th>Hop</th><th class=\"role\">Role</th><th>Spread</th><th>p10</th><th>p25</th><th>Median</th><th>p75</th><th>p90</th><th>Drop</th>");
    if with_gain {
        h.push_str("<th>If passed on unchanged</th>");
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (i, (b, hop)) in a.bands.iter().zip(&s.chain).enumerate() {
        let v = &b.vs_customer[0];
        let mut classes = Vec::new();
        let mut flag = String::new();
        if flags.is_biggest_fall(i) {
            classes.push("costliest");
            flag.push_str("<span class=\"flag\">biggest fall</span>");
        }
        if flags.is_fix_first(i) {
            classes.push("fix-first");
            flag.push_str("<span class=\"flag\">costliest: fix first</span>");
        }
        let class = if classes.is_empty() { String::new() } else { format!(" class=\"{}\"", classes.join(" ")) };
        h.push_str(&format!(
            "<tr{class}><td>{}</td><td class=\"role\">{}{flag}</td><td class=\"spread\"><div class=\"range\" aria-hidden=\"true\">\
             <span class=\"r80\" style=\"left:{};width:{}\"></span><span class=\"r50\" style=\"left:{};width:{}\"></span><span class=\"mid\" style=\"left:{}\"></span></div></td>\
             <td>{}</td><td>{}</td><td class=\"median\">{}</td><td>{}</td><td>{}</td><td class=\"drop\">{}</td>",
            i + 1,
            esc(&hop.role),
            css_percent(v.p10),
            css_percent(v.p90 - v.p10),
            css_percent(v.p25),
            css_percent(v.p75 - v.p25),
            css_percent(v.median),
            percent(v.p10),
            percent(v.p25),
            percent(v.median),
            percent(v.p75),
            percent(v.p90),
            points(b.drop.median)
        ));
        if with_gain {
            match b.gain {
                Some(g) => h.push_str(&format!(
                    "<td class=\"gain\">{} <small>({} to {})</small></td>",
                    signed_points(g.median),
                    signed_points(g.p25),
                    signed_points(g.p75)
                )),
                None => h.push_str("<td class=\"gain\">—</td>"),
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str(&format!(
        "</tbody>\n<caption>{headline} against the customer, {} with seed {}. Percentiles are read from 2,000-bin histograms (within 1/2000).</caption>\n</table>\n</div>\n</section>\n",
        runs(a.runs),
        a.seed
    ));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(esc(r#"<b>Q3 & "Brand"</b> isn't"#), "&lt;b&gt;Q3 &amp; &quot;Brand&quot;&lt;/b&gt; isn&#39;t");
    }

    #[test]
    fn diffs_mark_removed_and_added_words_and_escape_them() {
        let html = diff_html("We need <fast> tools & people.", "We need <slow> tools & people, now.");
        // words cut as the metrics cut them: "people" is kept, only ", now" came in
        assert_eq!(html, "We need &lt;<del>fast</del> <ins>slow</ins>&gt; tools &amp; people<ins>, now</ins>.");
    }

    #[test]
    fn css_lengths_stay_on_the_bar() {
        assert_eq!(css_percent(0.4253), "42.5%");
        assert_eq!(css_percent(1.7), "100.0%");
        assert_eq!(css_percent(-0.2), "0.0%");
        assert_eq!(css_percent(f64::NAN), "0.0%");
    }
}
