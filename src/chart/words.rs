//! `words`: the customer's own content words still present at each hop: the plainest way to
//! say what got lost.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::along::{self, Center, Frame, Line};
use super::{About, Mark, Page, footnote, header, legend};
use crate::format::runs;

/// What the chart is for, in the README's words.
pub const ABOUT: About = About {
    name: "words",
    question: "What is left of what they said?",
    how_to_read: "The share of the customer's own content words still in the message at each hop.",
};

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, page: &Page) -> Result<(), String> {
    let (d, t) = (page.data, page.theme);
    let last = d.words.bands.last().map_or(1.0, |b| b.median);
    let title = format!("{:.0} % of the customer's words survive the chain", last * 100.0);
    let top = header(
        root,
        page,
        &title,
        &format!("{} · the customer's {} content words (stop words left out), hop by hop", d.title, d.content_words),
    )?;
    let color = t.series[1];
    let lines = [Line { series: &d.words, color, center: Center::Median, width: 5.0, bands: true, outer_band: true }];
    let (middle, outer) = along::shade_marks(t, &lines);
    let mut entries = vec![
        (format!("median of {}", runs(d.runs)), color, Mark::Line { width: t.px(5.0) as u32 }),
        ("middle half of runs".to_string(), color, middle),
    ];
    entries.extend(outer.map(|o| ("80 % of runs".to_string(), color, o)));
    entries.push(("the traced run".to_string(), color, Mark::Dot));
    let plot_top = legend(root, page, top, &entries)? + t.tx(12.0);
    let frame = Frame {
        top: plot_top,
        y_desc: "customer's content words still there",
        y_max: 1.02,
        dots: Some((&d.traced_words, color)),
        stations: &d.stations,
    };
    along::draw(root, page, frame, &lines, |_| Ok(()))?;
    footnote(root, page, &format!("drift · seed {} · {}", d.seed, runs(d.runs)))
}
