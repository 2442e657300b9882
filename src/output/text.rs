//! The terminal trace: the story hop by hop, readable on a projector.

use anstyle::{AnsiColor, Effects, Style};

use super::{Format, Piece, Report, word_diff};
use crate::format::{percent, points, runs, signed_points};

/// The trace for a terminal; `color` adds ANSI styles (word diffs in red and green).
pub struct Terminal {
    pub color: bool,
}

const BOLD: Style = Style::new().effects(Effects::BOLD);
const DIM: Style = Style::new().effects(Effects::DIMMED);
const REMOVED: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red))).effects(Effects::STRIKETHROUGH);
const ADDED: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green))).effects(Effects::BOLD);
const HUMAN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan))).effects(Effects::BOLD);
const WARN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow))).effects(Effects::BOLD);

impl Terminal {
    fn paint(&self, style: Style, s: &str) -> String {
        if self.color && !s.is_empty() { format!("{style}{s}{style:#}") } else { s.to_string() }
    }

    /// The new message; with colour, removed words struck through in red and added in green.
    fn message(&self, old: &str, new: &str) -> String {
        if !self.color {
            return new.to_string();
        }
        let mut out = String::new();
        for piece in word_diff(old, new) {
            match piece {
                Piece::Same(s) => out.push_str(&s),
                Piece::Changed { removed, added } => {
                    let (lead, removed, added, tail) = Piece::change_parts(&removed, &added);
                    out.push_str(&lead);
                    if !removed.is_empty() {
                        out.push_str(&self.paint(REMOVED, &removed));
                        if !added.is_empty() {
                            out.push(' ');
                        }
                    }
                    out.push_str(&self.paint(ADDED, &added));
                    out.push_str(&tail);
                }
            }
        }
        out
    }
}

/// A bar of `width` cells, full at 1.
pub fn bar(x: f64, width: usize) -> String {
    let filled = (x.clamp(0.0, 1.0) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// Wraps `text` at `width` columns, each line after the first indented by `indent`.
pub(crate) fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut visible = 0usize;
    for word in text.split(' ') {
        let len = visible_len(word);
        if visible > 0 && visible + 1 + len > width {
            lines.push(std::mem::take(&mut line));
            visible = 0;
        }
        if visible > 0 {
            line.push(' ');
            visible += 1;
        }
        line.push_str(word);
        visible += len;
    }
    lines.push(line);
    lines.join(&format!("\n{indent}"))
}

/// Characters shown, ANSI escapes left out.
fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\u{1b}') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

impl Format for Terminal {
    fn name(&self) -> &'static str {
        "text"
    }

    fn file_name(&self) -> &'static str {
        "trace.txt"
    }

    fn render(&self, r: &Report) -> String {
        let s = r.scenario;
        let a = r.analysis;
        let headline = s.headline();
        let mut out = String::new();
        out.push_str(&format!("{}  {}\n", self.paint(BOLD, &s.name), self.paint(DIM, &format!("seed {} · {}", a.seed, runs(a.runs)))));
        if let Some(d) = &s.description {
            out.push_str(&format!("{}\n", wrap(d, 88, "")));
        }
        let who = s.customer.who.as_deref().unwrap_or("The customer");
        out.push_str(&format!("\n{} said:\n  “{}”\n", self.paint(BOLD, who), wrap(&s.customer.said, 86, "   ")));
        for (name, text) in s.customer.three_ps() {
            out.push_str(&format!("  {}: {}\n", self.paint(DIM, name), wrap(text, 80, "    ")));
        }
        let width = s.chain.iter().map(|h| h.role.chars().count()).max().unwrap_or(0).min(28);
        for (i, (h, sc)) in a.trace.hops.iter().zip(&a.scores).enumerate() {
            let role: String = h.role.chars().take(28).collect();
            let pad = width.saturating_sub(role.chars().count());
            let v = sc.vs_customer[0];
            out.push_str(&format!(
                "\n{:>2}. {}{}  {} {:>4} {}\n",
                h.hop,
                self.paint(BOLD, &role),
                " ".repeat(pad),
                bar(v, 20),
                percent(v),
                self.paint(DIM, headline.name())
            ));
            if let Some(note) = &h.note {
                out.push_str(&format!("    {}\n", self.paint(DIM, &wrap(note, 84, "    "))));
            }
            let before = a.trace.text_before(s.customer.told(), i);
            out.push_str(&format!("    “{}”\n", wrap(&self.message(&before, &h.text), 84, "     ")));
            if h.human {
                out.push_str(&format!("    {}\n", self.paint(HUMAN, "retold by a person (human hop)")));
            } else if h.edits.is_empty() {
                out.push_str(&format!("    {}\n", self.paint(DIM, "passed on unchanged")));
            }
            for e in &h.edits {
                let change = match (e.before.is_empty(), e.after.is_empty()) {
                    (true, _) => format!("+ “{}”", e.after),
                    (_, true) => format!("− “{}”", e.before),
                    _ => format!("“{}” → “{}”", e.before, e.after),
                };
                out.push_str(&format!(
                    "      {} {}\n",
                    self.paint(DIM, &format!("{:<9}", e.operator_name())),
                    wrap(&change, 72, "                ")
                ));
            }
            let scores: Vec<String> = s.metrics.iter().zip(&sc.vs_customer).map(|(m, v)| format!("{} {}", m.name(), percent(*v))).collect();
            out.push_str(&format!(
                "    {}\n",
                self.paint(DIM, &format!("{} · jargon {} · we-focus {}", scores.join(" · "), percent(sc.jargon), percent(sc.we_focus)))
            ));
            let ps: Vec<String> =
                s.customer.three_ps().iter().zip(&sc.three_ps).map(|((name, _), v)| format!("{name} {}", percent(*v))).collect();
            if !ps.is_empty() {
                out.push_str(&format!("    {}\n", self.paint(DIM, &format!("the customer's words kept: {}", ps.join(" · ")))));
            }
        }
        out.push('\n');
        if let Some((i, fall)) = a.costliest_traced_hop() {
            out.push_str(&format!(
                "{} {}. {} cost {:.0} points of {} in this run.\n",
                self.paint(WARN, "Costliest hop:"),
                i + 1,
                s.chain[i].role,
                fall * 100.0,
                headline.name()
            ));
        }
        if a.runs > 1 {
            out.push_str(&format!(
                "\n{}\n",
                self.paint(BOLD, &format!("Across {}: {} against the customer", runs(a.runs), headline.name()))
            ));
            out.push_str(&format!("{}\n", self.paint(DIM, &chance_line(headline.name(), a.chance[0]))));
            let with_gain = a.bands.iter().any(|b| b.gain.is_some());
            let header = ["hop", "role", "p10", "p25", "median", "p75", "p90", "drop"];
            out.push_str(&format!(
                "{:>4}  {:<w$}  {:>5} {:>5} {:>6} {:>5} {:>5}  {:>5}",
                header[0],
                header[1],
                header[2],
                header[3],
                header[4],
                header[5],
                header[6],
                header[7],
                w = width
            ));
            out.push_str(if with_gain { "  if passed through (p25 to p75)\n" } else { "\n" });
            for (i, (b, hop)) in a.bands.iter().zip(&s.chain).enumerate() {
                let v = &b.vs_customer[0];
                let role: String = hop.role.chars().take(28).collect();
                out.push_str(&format!(
                    "{:>4}  {:<w$}  {:>5} {:>5} {:>6} {:>5} {:>5}  {:>5}",
                    i + 1,
                    role,
                    percent(v.p10),
                    percent(v.p25),
                    percent(v.median),
                    percent(v.p75),
                    percent(v.p90),
                    points(b.drop.median),
                    w = width
                ));
                match b.gain {
                    Some(g) => {
                        out.push_str(&format!("  {:>6} ({} to {})\n", signed_points(g.median), signed_points(g.p25), signed_points(g.p75)))
                    }
                    None => out.push('\n'),
                }
            }
            if let Some((i, g)) = a.worth_fixing_first() {
                out.push_str(&format!(
                    "{} {}. {}: passing the message on unchanged there would leave the final message {} points closer to the customer (median; mean {}{}).\n",
                    self.paint(WARN, "Costliest hop across runs:"),
                    i + 1,
                    s.chain[i].role,
                    points(g.median),
                    points(g.mean),
                    if a.counterfactual_runs < a.runs { format!("; the first {}", runs(a.counterfactual_runs)) } else { String::new() }
                ));
            } else if a.counterfactual_runs > 0 {
                out.push_str(&format!(
                    "{} passing any one hop on unchanged would leave the final message less than a point closer to the customer (median). The drift is the chain's: compare a shorter chain or a customer check-in (drift compare).\n",
                    self.paint(WARN, "No single fix:"),
                ));
            }
            if let Some((i, fall)) = a.biggest_fall() {
                let fix = a.worth_fixing_first().map(|(k, _)| k);
                if fix != Some(i) {
                    out.push_str(&format!(
                        "{} {}. {} (median drop {} points){}\n",
                        self.paint(DIM, "Biggest fall across runs:"),
                        i + 1,
                        s.chain[i].role,
                        points(fall),
                        if fix.is_some() { "; an early hop falls furthest because it has the most to lose" } else { "" }
                    ));
                }
            }
        }
        out
    }
}

/// "Chance line: unrelated text of the same length scores 3% on meaning; near that, nothing
/// of the customer is left."
pub fn chance_line(metric: &str, chance: f64) -> String {
    format!(
        "Chance line: unrelated text of the same length scores {} on {metric}; near that, nothing of the customer is left.",
        crate::format::percent(chance)
    )
}
