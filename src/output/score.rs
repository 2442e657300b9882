//! What `drift score` prints: a table with a row per message, then plain verdicts per message;
//! or the same as JSON.

use anstyle::{Effects, Style};
use serde_json::{Map, Value, json};

use super::text::wrap;
use crate::format::{percent, round6};
use crate::metrics::Metric;
use crate::score::{Customer, Scorecard, WordsKept};
use crate::source::shorten;

/// Bumped whenever a field changes meaning or disappears (adding fields keeps it).
pub const SCHEMA: u64 = 1;

const BOLD: Style = Style::new().effects(Effects::BOLD);
const DIM: Style = Style::new().effects(Effects::DIMMED);

/// Column headings short enough for a row per message in 80 columns; the legend under the
/// table spells them out.
fn heading(m: Metric) -> &'static str {
    match m {
        Metric::Meaning => "mean",
        Metric::Levenshtein => "lev",
        Metric::Damerau => "dam",
        Metric::JaroWinkler => "jaro",
        Metric::SorensenDice => "dice",
        Metric::WordLevenshtein => "wlev",
        Metric::CustomerWords => "words",
    }
}

/// The label of the chance row.
const UNRELATED: &str = "unrelated";

/// The most items a verdict lists before "+N more": enough to act on, short enough to read.
const LISTED: usize = 6;

fn list(items: &[String]) -> String {
    let mut out = items.iter().take(LISTED).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > LISTED {
        out.push_str(&format!(", +{} more", items.len() - LISTED));
    }
    out
}

/// "customer words kept: 2 of 9 (adjusters, paperwork); missing: losing, best, …"
fn kept_verdict(what: &str, w: &WordsKept) -> String {
    let mut s = format!("{what} kept: {} of {}", w.kept.len(), w.total());
    if !w.kept.is_empty() {
        s.push_str(&format!(" ({})", list(&w.kept)));
    }
    if !w.missing.is_empty() {
        s.push_str(&format!("; missing: {}", list(&w.missing)));
    }
    s
}

fn paint(color: bool, style: Style, s: &str) -> String {
    if color && !s.is_empty() { format!("{style}{s}{style:#}") } else { s.to_string() }
}

/// The table and the verdicts, for a terminal (`color` adds bold labels and a dim legend).
///
/// `chance` holds each metric's chance line against this customer, in [`Metric::ALL`]'s order
/// (see [`crate::score::chance`]): a dim row under the messages.
pub fn text(customer: &Customer, cards: &[Scorecard], chance: &[f64], color: bool) -> String {
    let mut out = String::new();
    let who = customer.who.as_deref().unwrap_or("The customer");
    out.push_str(&format!("{} said:\n  “{}”\n", paint(color, BOLD, who), wrap(&shorten(&customer.said, 240), 86, "   ")));
    for (name, p) in &customer.three_ps {
        out.push_str(&format!("  {}: {}\n", paint(color, DIM, name), wrap(&shorten(p, 160), 80, "    ")));
    }

    let labels: Vec<String> = cards.iter().map(|c| shorten(&c.message.label, 24)).collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0).max(UNRELATED.len());
    let pad = |s: &str| format!("{s}{}", " ".repeat(width - s.chars().count()));
    let mut head = pad("message");
    for &m in Metric::ALL {
        head.push_str(&format!("  {:>5}", heading(m)));
    }
    head.push_str(&format!("  {:>6}  {:>8}", "jargon", "we-focus"));
    out.push_str(&format!("\n{}\n", paint(color, BOLD, &head)));
    for (card, label) in cards.iter().zip(&labels) {
        let mut row = paint(color, BOLD, &pad(label));
        for (_, v) in &card.scores {
            row.push_str(&format!("  {:>5}", percent(*v)));
        }
        row.push_str(&format!("  {:>6}  {:>8}", percent(card.jargon), percent(card.we_focus)));
        out.push_str(&row);
        out.push('\n');
    }
    let mut row = pad(UNRELATED);
    for v in chance {
        row.push_str(&format!("  {:>5}", percent(*v)));
    }
    out.push_str(&format!("{}\n", paint(color, DIM, &row)));
    let names = Metric::ALL.iter().map(|m| format!("{} {}", heading(*m), m.name())).collect::<Vec<_>>().join(" · ");
    let legend = format!(
        "{}\n{}",
        wrap(
            &format!(
                "{names}: 100% is the customer's own words; {UNRELATED}: what unrelated text of their length scores (the chance line)."
            ),
            88,
            ""
        ),
        wrap(
            "jargon, we-focus: symptoms, measured against the customer (marketing-speak they never used, the seller's we/our/us); none in the customer's own words.",
            88,
            "",
        )
    );
    out.push_str(&format!("\n{}\n", paint(color, DIM, &legend)));

    for (card, label) in cards.iter().zip(&labels) {
        out.push_str(&format!("\n{} “{}”\n", paint(color, BOLD, &format!("{label}:")), shorten(&card.message.text, 72)));
        let mut verdicts = vec![kept_verdict("customer words", &card.customer_words)];
        for (name, still, w) in &card.three_ps {
            verdicts.push(format!("{name}: {} still said; {}", percent(*still), kept_verdict("words", w)));
        }
        verdicts.push(match card.jargon_phrases.as_slice() {
            [] => format!("jargon: {} (no marketing-speak found)", percent(card.jargon)),
            phrases => format!("jargon: {} ({})", percent(card.jargon), list(phrases)),
        });
        verdicts.push(match card.pronouns {
            (_, 0) => format!("we-focus: {} (no pronouns for people)", percent(card.we_focus)),
            (we, 1) => format!("we-focus: {} ({we} of 1 pronoun for people is the seller's we/our/us)", percent(card.we_focus)),
            (we, people) => {
                format!("we-focus: {} ({we} of {people} pronouns for people are the seller's we/our/us)", percent(card.we_focus))
            }
        });
        for v in verdicts {
            out.push_str(&format!("  {}\n", wrap(&v, 86, "    ")));
        }
    }
    out
}

fn words_kept(w: &WordsKept) -> Value {
    json!({"share": round6(w.share()), "kept": w.kept, "missing": w.missing})
}

/// The scores as JSON: per message the metrics (`vs_customer`) and `symptoms` under the names
/// `summary.json` uses for a hop, and the words behind them.
pub fn json(customer: &Customer, cards: &[Scorecard], chance: &[f64]) -> String {
    let messages: Vec<Value> = cards
        .iter()
        .map(|c| {
            let mut o = json!({
                "label": c.message.label,
                "text": c.message.text,
                "vs_customer": c.scores.iter().map(|(m, v)| (m.name().to_string(), json!(round6(*v)))).collect::<Map<_, _>>(),
                "symptoms": {"jargon": round6(c.jargon), "we_focus": round6(c.we_focus)},
                "customer_words": words_kept(&c.customer_words),
                "jargon_phrases": c.jargon_phrases,
                "pronouns": {"we": c.pronouns.0, "people": c.pronouns.1},
            });
            if !c.three_ps.is_empty() {
                o["three_ps"] = Value::Object(
                    c.three_ps
                        .iter()
                        .map(|(n, still, w)| {
                            let mut v = words_kept(w);
                            v["still_said"] = json!(round6(*still));
                            (n.to_string(), v)
                        })
                        .collect(),
                );
            }
            o
        })
        .collect();
    let doc = json!({
        "schema": SCHEMA,
        "drift": env!("CARGO_PKG_VERSION"),
        "customer": customer.said,
        "who": customer.who,
        "chance": Metric::ALL.iter().zip(chance).map(|(m, v)| (m.name().to_string(), json!(round6(*v)))).collect::<Map<_, _>>(),
        "messages": messages,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A pairs table with a column per metric added, in the table's own delimiter: every input
/// column as read, in order, then the metrics of [`Metric::ALL`] (numbers to six places).
pub fn pairs_csv(pairs: &crate::pairs::Pairs, scores: &[crate::pairs::Scores]) -> String {
    let mut out = crate::table::Writer::with_delimiter(pairs.delimiter);
    out.row(pairs.header.iter().map(String::as_str).chain(Metric::ALL.iter().map(|m| m.name())));
    for (row, scores) in pairs.rows.iter().zip(scores) {
        out.row(row.iter().cloned().chain(scores.iter().map(|x| round6(*x).to_string())));
    }
    out.finish()
}

/// A pairs table as JSON: `schema` (1), `metrics` (their names) and `rows`, each with
/// `columns` (the input columns, in order) and `scores` (metric → number).
pub fn pairs_json(pairs: &crate::pairs::Pairs, scores: &[crate::pairs::Scores]) -> String {
    let rows: Vec<Value> = pairs
        .rows
        .iter()
        .zip(scores)
        .map(|(row, scores)| {
            let columns: Map<String, Value> = pairs.header.iter().cloned().zip(row.iter().map(|v| json!(v))).collect();
            let scores: Map<String, Value> =
                Metric::ALL.iter().zip(scores).map(|(m, x)| (m.name().to_string(), json!(round6(*x)))).collect();
            json!({ "columns": columns, "scores": scores })
        })
        .collect();
    let metrics: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
    let out = json!({ "schema": 1, "metrics": metrics, "rows": rows });
    format!("{}\n", serde_json::to_string_pretty(&out).unwrap_or_default())
}
