//! `drift`: how much of the customer's words is left at each hop, with the spread across
//! runs, the traced run, and the largest drop called out. The chart a talk opens with.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::along::{self, Center, Frame, Line};
use super::{About, Mark, Page, footnote, legend, quote_header};
use crate::format::runs;

/// What the chart is for, in the README's words.
pub const ABOUT: About = About {
    name: "drift",
    question: "Where did it go wrong?",
    how_to_read: "Similarity to the customer's words at each hop, one line per metric. The headline metric's middle half and 80 % of runs are shaded, the traced run's hops are dots, and the largest median drop is called out.",
};

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, page: &Page) -> Result<(), String> {
    let (d, t) = (page.data, page.theme);
    let top = quote_header(root, page, &d.title)?;
    let headline = &d.metrics[0];
    let mut lines =
        vec![Line { series: headline, color: t.headline, center: Center::Median, width: 5.0, bands: true, outer_band: true }];
    let (middle, outer) = along::shade_marks(t, &lines);
    let mut entries = vec![
        (format!("{} (median of {})", headline.name, runs(d.runs)), t.headline, Mark::Line { width: t.px(5.0) as u32 }),
        ("middle half of runs".to_string(), t.headline, middle),
    ];
    entries.extend(outer.map(|o| ("80 % of runs".to_string(), t.headline, o)));
    entries.push(("the traced run".to_string(), t.headline, Mark::Dot));
    for (k, m) in d.metrics.iter().enumerate().skip(1) {
        let color = t.series[(k - 1) % t.series.len()];
        entries.push((m.name.clone(), color, Mark::Line { width: t.px(3.0) as u32 }));
        lines.push(Line { series: m, color, center: Center::Median, width: 3.0, bands: false, outer_band: false });
    }
    let plot_top = legend(root, page, top, &entries)? + t.tx(12.0);
    let b = &headline.bands;
    let frame = Frame {
        top: plot_top,
        y_desc: "similarity to the customer's words",
        y_max: 1.02,
        dots: Some((&d.traced, t.headline)),
        stations: &d.stations,
    };
    along::draw(root, page, frame, &lines, |chart| {
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        // the chance line: what unrelated text scores, dashed, named at its left end, where the
        // curve is still high above it
        let (x0, y) = chart.backend_coord(&(0.0, d.chance));
        let (x1, _) = chart.backend_coord(&((d.stations.len() - 1) as f64, d.chance));
        super::dashed(root, t, (x0, x1), y)?;
        let label = page.text(&format!("chance: unrelated text, {}", crate::format::percent(d.chance)));
        let at = chart.backend_coord(&(0.15, d.chance)).0;
        root.draw_text(&label, &page.font(t.label_size(), t.muted).pos(Pos::new(HPos::Left, VPos::Bottom)), (at, y - t.px(5.0)))
            .map_err(e)?;
        // the biggest fall the trace names, called out when its fall shows on the chart
        let Some((hop, drop)) = d.biggest_fall.filter(|(_, m)| *m > 0.005).map(|(i, m)| (i + 1, m)) else { return Ok(()) };
        // the largest median drop: ringed, with its size and the role that caused it
        let r = t.px(13.0);
        let (px, py) = chart.backend_coord(&(hop as f64, b[hop].median));
        root.draw(&Circle::new((px, py), r, t.alarm.stroke_width(t.px(3.0) as u32))).map_err(e)?;
        // the label sits in the empty band at the top of the plot, tied to the ring by a line
        let style = page.bold(t.label_size(), t.alarm);
        let room_right = t.width as i32 - t.margin() - (px + t.px(16.0));
        let room_left = px - t.px(16.0) - (t.margin() + t.tx(110.0));
        let (h, tx, room) =
            if room_right >= room_left { (HPos::Left, px + t.px(16.0), room_right) } else { (HPos::Right, px - t.px(16.0), room_left) };
        let text = super::fit(root, &page.text(&format!("−{:.0} points at {}", drop * 100.0, d.stations[hop])), &style, room);
        let ty = plot_top + t.tx(22.0);
        if py - r > ty {
            root.draw(&PathElement::new(vec![(px, py - r), (px, ty)], t.alarm.stroke_width(t.px(2.0) as u32))).map_err(e)?;
        }
        root.draw_text(&text, &style.pos(Pos::new(h, VPos::Center)), (tx, ty)).map_err(e)?;
        Ok(())
    })?;
    footnote(root, page, &format!("drift · seed {} · {} · shaded: spread across runs · dots: the traced run", d.seed, runs(d.runs)))
}
