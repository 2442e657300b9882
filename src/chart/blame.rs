//! `blame`: the drift each hop adds (the median fall of the headline metric at that hop) and,
//! beside it, what passing that hop through unchanged would add at the end of the chain (the
//! counterfactual gain, on common random numbers), each with the middle half of runs as
//! whiskers. Answers "which hop do we fix first?".

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{About, Mark, Page, StationLabels, Themed, axis_desc, footnote, header, legend, tick_count};
use crate::format::runs;

/// What the chart is for, in the README's words.
pub const ABOUT: About = About {
    name: "blame",
    question: "Which hop do we fix first?",
    how_to_read: "The median fall of the headline metric at each hop, the middle half of runs as whiskers, the costliest hop (what it costs the end of the chain, where measured) in dark orange; a hop that brings the message back goes below zero, in green. Beside each, in light orange when measured: what passing that hop on unchanged would give back at the end.",
};

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, page: &Page) -> Result<(), String> {
    let (d, t) = (page.data, page.theme);
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let n = d.drops.len();
    let points = |x: f64| x * 100.0;
    // the same hops the trace names: one definition, in the analysis
    let has_gain = d.gains.iter().any(Option::is_some);
    // the costliest hop: what it costs the end of the chain where measured, else its fall
    let worst = if has_gain { d.worth_fixing_first } else { d.biggest_fall.map(|(i, _)| i) };
    let title = match (d.worth_fixing_first, worst) {
        (Some(i), _) => format!("Fix hop {}, {}, first", i + 1, d.stations[i + 1]),
        // measured, and no hop alone would give a point back: the drift is the chain's
        (None, _) if has_gain => "No single hop to fix".to_string(),
        (None, Some(i)) => format!("Hop {}, {}, falls furthest", i + 1, d.stations[i + 1]),
        _ => "What each hop costs".to_string(),
    };
    let subtitle = if has_gain {
        format!(
            "{} · what each hop takes away, and what passing it through unchanged would give back at the end (median {}, points of 100)",
            d.title, d.headline
        )
    } else {
        format!("{} · how much {} each hop takes away (median fall, points of 100)", d.title, d.headline)
    };
    let top = header(root, page, &title, &subtitle)?;
    let remedy = t.series[1];
    let helps = |b: &crate::stats::Band| points(b.median) < -0.05;
    let mut entries = vec![("median fall at the hop".to_string(), t.headline, Mark::Bar)];
    if worst.is_some() {
        entries.push(("the costliest hop".to_string(), t.alarm, Mark::Bar));
    }
    if d.drops.iter().any(helps) {
        entries.push(("a hop that brought the message back".to_string(), remedy, Mark::Bar));
    }
    let gain_color = t.series[0];
    if has_gain {
        entries.push(("final gain had it passed the message on unchanged".to_string(), gain_color, Mark::Bar));
    }
    entries.push(("middle half of runs".to_string(), t.text, Mark::Line { width: 2 }));
    let plot_top = legend(root, page, top, &entries)? + t.tx(12.0);
    let gains: Vec<crate::stats::Band> = d.gains.iter().flatten().copied().collect();
    let lo = d.drops.iter().chain(&gains).map(|b| points(b.p25)).fold(0.0, f64::min);
    let hi = d.drops.iter().chain(&gains).map(|b| points(b.p75)).fold(1.0, f64::max);
    let pad = (hi - lo) * 0.14;
    let y_area = t.tx(100.0);
    let labels = StationLabels::new(root, page, &d.stations[1..], (t.width as i32 - 2 * t.margin() - y_area) / n.max(1) as i32);
    let plot_h = t.height as i32 - plot_top - labels.height - t.tx(42.0);
    let area = root.clone().shrink((t.margin(), plot_top), (t.width as i32 - 2 * t.margin(), plot_h));
    let mut chart = ChartBuilder::on(&area)
        .y_label_area_size(y_area)
        .x_label_area_size(0)
        .build_cartesian_2d(0.4f64..(n as f64 + 0.6), (lo - if lo < 0.0 { pad } else { 0.0 })..(hi + pad))
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(tick_count(page, plot_h, 10))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .y_desc(axis_desc(root, page, &format!("points of {} lost", d.headline), plot_h))
        .apply_theme(page)
        .draw()
        .map_err(e)?;
    chart
        .draw_series(std::iter::once(PathElement::new(vec![(0.4, 0.0), (n as f64 + 0.6, 0.0)], t.muted.stroke_width(t.px(2.0) as u32))))
        .map_err(e)?;
    // with gains, each hop has two bars side by side
    let (half, shift) = if has_gain { (0.19, 0.2) } else { (0.32, 0.0) };
    chart
        .draw_series(d.drops.iter().enumerate().map(|(i, b)| {
            let x = (i + 1) as f64 - shift;
            let color = if Some(i) == worst {
                t.alarm
            } else if helps(b) {
                remedy
            } else {
                t.headline
            };
            Rectangle::new([(x - half, 0.0), (x + half, points(b.median))], color.filled())
        }))
        .map_err(e)?;
    if has_gain {
        chart
            .draw_series(d.gains.iter().enumerate().filter_map(|(i, g)| {
                let g = (*g)?;
                let x = (i + 1) as f64 + shift;
                Some(Rectangle::new([(x - half, 0.0), (x + half, points(g.median))], gain_color.filled()))
            }))
            .map_err(e)?;
    }
    let cap = if has_gain { 0.08 } else { 0.12 };
    let whiskers = d
        .drops
        .iter()
        .enumerate()
        .map(|(i, b)| (i, *b, -shift))
        .chain(d.gains.iter().enumerate().filter_map(|(i, g)| g.map(|g| (i, g, shift))));
    for (i, b, dx) in whiskers {
        let x = (i + 1) as f64 + dx;
        let (y25, y75) = (points(b.p25), points(b.p75));
        let style = t.text.stroke_width(t.px(2.0) as u32);
        chart.draw_series(std::iter::once(PathElement::new(vec![(x, y25), (x, y75)], style))).map_err(e)?;
        chart.draw_series(std::iter::once(PathElement::new(vec![(x - cap, y25), (x + cap, y25)], style))).map_err(e)?;
        chart.draw_series(std::iter::once(PathElement::new(vec![(x - cap, y75), (x + cap, y75)], style))).map_err(e)?;
        if dx > 0.0 {
            continue; // gains are read off their bars and whiskers; one label per hop
        }
        let rounded = (points(b.median) * 10.0).round() / 10.0;
        // the same figure, minus sign included, as the terminal's table
        let label = crate::format::points(b.median);
        let color = if Some(i) == worst { t.alarm } else { t.text };
        if rounded < 0.0 {
            // below a bar that goes down
            let (px, py) = chart.backend_coord(&(x + half, points(b.median).min(y25)));
            root.draw_text(&label, &page.bold(t.tick_size(), color).pos(Pos::new(HPos::Right, VPos::Top)), (px, py + t.px(6.0)))
                .map_err(e)?;
        } else {
            let (px, py) = chart.backend_coord(&(x + half, points(b.median).max(y75)));
            root.draw_text(&label, &page.bold(t.tick_size(), color).pos(Pos::new(HPos::Right, VPos::Bottom)), (px, py - t.px(6.0)))
                .map_err(e)?;
        }
    }
    let (_, zero) = chart.backend_coord(&(1.0, 0.0));
    let bottom = chart.backend_coord(&(1.0, lo - if lo < 0.0 { pad } else { 0.0 })).1;
    let positions: Vec<(i32, i32)> = (0..n).map(|i| (chart.backend_coord(&((i + 1) as f64, 0.0)).0, bottom.max(zero))).collect();
    labels.draw(root, page, &positions, 1)?;
    footnote(
        root,
        page,
        &format!("drift · seed {} · {} · points of {} · a bar below zero brought the message back", d.seed, runs(d.runs), d.headline),
    )
}
