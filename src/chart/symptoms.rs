//! `symptoms`: the message gets louder and more about "us": the share of marketing-speak and
//! of we/our/us along the chain.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::along::{self, Center, Frame, Line};
use super::{About, Mark, Page, footnote, header, legend};
use crate::format::runs;

/// What the chart is for, in the README's words.
pub const ABOUT: About = About {
    name: "symptoms",
    question: "How does it go wrong?",
    how_to_read: "Jargon (the share of words in marketing-speak the customer never used) and we-focus (the seller's we, our and us among the words for people, beyond the customer's own) along the chain: the mean of runs as a line, the middle half of runs shaded. Both are 0 for the customer's own words.",
};

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, page: &Page) -> Result<(), String> {
    let (d, t) = (page.data, page.theme);
    let change = |s: &super::Series| {
        // the mean, as drawn: a share of a few pronouns takes a few values, and its median
        // jumps between them from hop to hop
        let first = s.bands.first().map_or(0.0, |b| b.mean);
        let last = s.bands.last().map_or(0.0, |b| b.mean);
        (first, last, last - first > 0.05)
    };
    let ((j0, j1, louder), (w0, w1, about_us)) = (change(&d.jargon), change(&d.we_focus));
    let pct = |x: f64| format!("{:.0} %", x * 100.0);
    let title = match (louder, about_us) {
        (true, true) => "Louder, and more about us".to_string(),
        (true, false) => format!("Jargon rises from {} to {}", pct(j0), pct(j1)),
        (false, true) => format!("More about us: we-focus rises from {} to {}", pct(w0), pct(w1)),
        (false, false) => "Symptoms of drift along the chain".to_string(),
    };
    let top = header(root, page, &title, &format!("{} · jargon and we-focus, hop by hop: the mean of {}", d.title, runs(d.runs)))?;
    let (jargon, we) = (t.alarm, t.series[2]);
    let lines = [
        Line { series: &d.jargon, color: jargon, center: Center::Mean, width: 5.0, bands: true, outer_band: false },
        Line { series: &d.we_focus, color: we, center: Center::Mean, width: 5.0, bands: true, outer_band: false },
    ];
    let (middle, _) = along::shade_marks(t, &lines);
    let plot_top = legend(
        root,
        page,
        top,
        &[
            ("jargon: marketing-speak the customer never used".to_string(), jargon, Mark::Line { width: t.px(5.0) as u32 }),
            ("we-focus: the seller's we/our/us among pronouns".to_string(), we, Mark::Line { width: t.px(5.0) as u32 }),
            ("middle half of runs".to_string(), t.muted, middle),
        ],
    )? + t.tx(12.0);
    let peak = d.jargon.bands.iter().chain(&d.we_focus.bands).map(|b| b.p90).fold(0.0, f64::max);
    let y_max = ((peak * 10.0).ceil() / 10.0 + 0.05).clamp(0.3, 1.02);
    along::draw(
        root,
        page,
        Frame { top: plot_top, y_desc: "share of the message", y_max, dots: None, stations: &d.stations },
        &lines,
        |_| Ok(()),
    )?;
    footnote(root, page, &format!("drift · seed {} · {} · lines: the mean of runs · shaded: the middle half of runs", d.seed, runs(d.runs)))
}
