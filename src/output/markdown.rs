//! `trace.md`: the traced run as a document a trainer can paste into notes or a handout.

use super::{Format, Piece, Report, word_diff};
use crate::aggregate::Cost;
use crate::format::{percent, points, runs};

pub struct Markdown;

/// Escapes the characters Markdown would read as formatting.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The new message with removed words struck through and added words in bold.
fn diff_markdown(old: &str, new: &str) -> String {
    let mut out = String::new();
    for piece in word_diff(old, new) {
        match piece {
            Piece::Same(s) => out.push_str(&escape(&s)),
            Piece::Changed { removed, added } => {
                let (lead, removed, added, tail) = Piece::change_parts(&removed, &added);
                let mut parts = Vec::new();
                if !removed.is_empty() {
                    parts.push(format!("~~{}~~", escape(&removed)));
                }
                if !added.is_empty() {
                    parts.push(format!("**{}**", escape(&added)));
                }
                out.push_str(&format!("{lead}{}{tail}", parts.join(" ")));
            }
        }
    }
    out
}

impl Format for Markdown {
    fn name(&self) -> &'static str {
        "md"
    }

    fn file_name(&self) -> &'static str {
        "trace.md"
    }

    fn render(&self, r: &Report) -> String {
        let s = r.scenario;
        let a = r.analysis;
        let headline = s.headline();
        let mut md = format!("# {}\n\n", escape(&s.name));
        if let Some(d) = &s.description {
            md.push_str(&format!("{}\n\n", escape(d)));
        }
        md.push_str(&format!("Seed {} · {} · headline metric `{}` · scenario `{}`\n\n", a.seed, runs(a.runs), headline.name(), r.file));
        let who = s.customer.who.as_deref().unwrap_or("The customer");
        md.push_str(&format!("## What the customer said\n\n{} said:\n\n> {}\n\n", escape(who), escape(&s.customer.said)));
        for (name, text) in s.customer.three_ps() {
            md.push_str(&format!("- **{name}:** {}\n", escape(text)));
        }
        md.push_str("\n## Hop by hop (run 0)\n\n");
        md.push_str("Removed words are ~~struck through~~, added words are **bold**.\n\n");
        for (i, (h, sc)) in a.trace.hops.iter().zip(&a.scores).enumerate() {
            let note = h.note.as_deref().map(|n| format!(" — {}", escape(n))).unwrap_or_default();
            let human = if h.human { " (human)" } else { "" };
            md.push_str(&format!("### {}. {}{human}{note}\n\n", h.hop, escape(&h.role)));
            let before = a.trace.text_before(s.customer.told(), i);
            md.push_str(&format!("> {}\n\n", diff_markdown(&before, &h.text)));
            if h.human {
                md.push_str("Retold by a person: the words as they typed them.\n\n");
            } else if h.edits.is_empty() {
                md.push_str("No change.\n\n");
            } else {
                md.push_str("| operator | before | after |\n|---|---|---|\n");
                for e in &h.edits {
                    md.push_str(&format!("| {} | {} | {} |\n", e.operator_name(), escape(&e.before), escape(&e.after)));
                }
                md.push('\n');
            }
            let scores: Vec<String> = s.metrics.iter().zip(&sc.vs_customer).map(|(m, v)| format!("{} {}", m.name(), percent(*v))).collect();
            md.push_str(&format!(
                "Against the customer: {} · jargon {} · we-focus {}\n\n",
                scores.join(" · "),
                percent(sc.jargon),
                percent(sc.we_focus)
            ));
            let ps: Vec<String> =
                s.customer.three_ps().iter().zip(&sc.three_ps).map(|((name, _), v)| format!("{name} {}", percent(*v))).collect();
            if !ps.is_empty() {
                md.push_str(&format!("The customer's words kept: {}\n\n", ps.join(" · ")));
            }
        }
        if let Some((i, fall)) = a.costliest_traced_hop() {
            md.push_str(&format!(
                "**Costliest hop in this run:** {}. {} (−{:.0} points of {}).\n\n",
                i + 1,
                escape(&s.chain[i].role),
                fall * 100.0,
                headline.name()
            ));
        }
        md.push_str(&format!("## Across {}: `{}` against the customer\n\n", runs(a.runs), headline.name()));
        md.push_str(&format!("{}\n\n", super::text::chance_line(&format!("`{}`", headline.name()), a.chance[0])));
        md.push_str("| hop | role | p10 | p25 | median | p75 | p90 | median drop |\n|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (i, (b, hop)) in a.bands.iter().zip(&s.chain).enumerate() {
            let v = &b.vs_customer[0];
            md.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                i + 1,
                escape(&hop.role),
                percent(v.p10),
                percent(v.p25),
                percent(v.median),
                percent(v.p75),
                percent(v.p90),
                points(b.drop.median)
            ));
        }
        match a.costliest_hop() {
            Some((i, Cost::Gain(g))) => md.push_str(&format!(
                "\n**Costliest hop across runs:** {}. {}: passing the message on unchanged there would leave the final message {} points closer to the customer (median).\n",
                i + 1,
                escape(&s.chain[i].role),
                points(g.median)
            )),
            Some((i, Cost::Fall(fall))) => md.push_str(&format!(
                "\n**Costliest hop across runs:** {}. {} (median −{} points).\n",
                i + 1,
                escape(&s.chain[i].role),
                points(fall)
            )),
            None => {}
        }
        if let Some((i, fall)) = a.biggest_fall().filter(|(i, _)| a.worth_fixing_first().is_some_and(|(k, _)| k != *i)) {
            md.push_str(&format!(
                "\n**Biggest fall across runs:** {}. {} (median −{} points).\n",
                i + 1,
                escape(&s.chain[i].role),
                points(fall)
            ));
        }
        // a chart a slide: a rule before each (Marp's and reveal-md's slide break, and Pandoc's)
        // and a heading at the level of the document's sections (Pandoc's slide level)
        for chart in r.charts {
            md.push_str(&format!(
                "\n---\n\n## {}\n\n![{}]({})\n\n{}\n",
                escape(chart.question),
                escape(chart.question),
                chart.file,
                escape(chart.how_to_read)
            ));
        }
        md
    }
}
