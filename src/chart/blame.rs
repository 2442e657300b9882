//! `blame`: the drift each hop adds (the median fall of the headline metric at that hop) and,
//! beside it, what passing that hop through unchanged would add at the end of the chain (the
//! counterfactual gain, on common random numbers), each with the middle half of runs as
//! whiskers. Answers "which hop do we fix first?".

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::labels::{Moves, Rect, free_place};
use super::{About, Mark, Page, StationLabels, Themed, axis_desc, footnote, header, legend, tick_count};
use crate::format::runs;
use crate::stats::Band;

/// What the chart is for, in the README's words.
pub const ABOUT: About = About {
    name: "blame",
    question: "Which hop do we fix first?",
    how_to_read: "The median fall of the headline metric at each hop, the middle half of runs as whiskers, the costliest hop (what it costs the end of the chain, where measured) in dark orange; a hop that brings the message back goes below zero, in green when the middle half of its runs gained. Beside each, in light orange when measured: what passing that hop on unchanged would give back at the end, its median marked and labelled.",
};

/// `c` moved `f` of the way towards `to`: a bar's own darker (on a dark page, lighter) tone,
/// for its whisker and its median mark.
fn toward(c: RGBColor, to: RGBColor, f: f64) -> RGBColor {
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    RGBColor(mix(c.0, to.0), mix(c.1, to.1), mix(c.2, to.2))
}

/// A hop brought the message back, beyond noise, when the middle half of its runs gained:
/// its fall's 75th percentile is below zero.
fn brought_back(b: &Band) -> bool {
    b.p75 < 0.0
}

/// A hop lost meaning, beyond noise, when the middle half of its runs lost some: its fall's
/// 25th percentile is above zero.
fn lost(b: &Band) -> bool {
    b.p25 > 0.0
}

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, page: &Page) -> Result<(), String> {
    let (d, t) = (page.data, page.theme);
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let n = d.drops.len();
    let points = |x: f64| x * 100.0;
    // the same hops the trace names: one definition, in the analysis
    let has_gain = d.gains.iter().any(Option::is_some);
    // the costliest hop: what it costs the end of the chain where measured (at least a point
    // in the median run, as the trace has it), else its fall, when the middle half of its
    // runs lost some
    let worst = if has_gain { d.worth_fixing_first } else { d.biggest_fall.map(|(i, _)| i).filter(|&i| lost(&d.drops[i])) };
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
    let gain_color = t.series[0];
    let fall_color = |i: usize, b: &Band| {
        if Some(i) == worst {
            t.alarm
        } else if brought_back(b) {
            remedy
        } else {
            t.headline
        }
    };
    // whiskers and median marks in each bar's own deeper tone: which whisker is whose shows
    let tone = |c: RGBColor| toward(c, t.text, 0.55);
    let mut entries = vec![("median fall at the hop".to_string(), t.headline, Mark::Bar)];
    if worst.is_some() {
        entries.push(("the costliest hop".to_string(), t.alarm, Mark::Bar));
    }
    let any_back = d.drops.iter().any(brought_back);
    if any_back {
        entries.push(("brought the message back: its middle half of runs gained".to_string(), remedy, Mark::Bar));
    }
    if has_gain {
        entries.push(("given back at the end had the hop passed the message on unchanged".to_string(), gain_color, Mark::Bar));
    }
    let mut whisker_colors: Vec<RGBColor> = (0..n).map(|i| tone(fall_color(i, &d.drops[i]))).collect();
    if has_gain {
        whisker_colors.push(tone(gain_color));
    }
    let mut seen = Vec::new();
    whisker_colors.retain(|c| if seen.contains(c) { false } else { seen.push(*c); true });
    entries.push(("middle half of runs".to_string(), t.text, Mark::Whisker(whisker_colors)));
    let plot_top = legend(root, page, top, &entries)? + t.tx(12.0);
    let gains: Vec<Band> = d.gains.iter().flatten().copied().collect();
    let lo = d.drops.iter().chain(&gains).map(|b| points(b.p25.min(b.median))).fold(0.0, f64::min);
    let hi = d.drops.iter().chain(&gains).map(|b| points(b.p75.max(b.median))).fold(1.0, f64::max);
    let y_area = t.tx(100.0);
    let labels = StationLabels::new(root, page, &d.stations[1..], (t.width as i32 - 2 * t.margin() - y_area) / n.max(1) as i32);
    let plot_h = t.height as i32 - plot_top - labels.height - t.tx(42.0);
    let area = root.clone().shrink((t.margin(), plot_top), (t.width as i32 - 2 * t.margin(), plot_h));
    // with gains, each hop has two bars side by side: its fall, then what passing it on
    // unchanged would give back
    let (half, shift) = if has_gain { (0.19, 0.2) } else { (0.32, 0.0) };
    // room for a value label beyond the furthest whisker, above (and below, if any go below):
    // two rows where neighbouring bars stand closer than a label is wide, so that a label moved
    // clear of its neighbour's stays inside the plot
    let label_style = page.bold(t.tick_size(), t.text);
    let label_w = root.estimate_text_size("−88.8", &label_style).map(|(w, _)| w as i32).map_err(e)?;
    let unit = f64::from(t.width as i32 - 2 * t.margin() - y_area) / (n as f64 + 0.2);
    let pitch = if has_gain { unit * 2.0 * shift } else { unit };
    let rows = if f64::from(label_w + t.tx(8.0)) > pitch { 2.0 } else { 1.0 };
    let room = rows * f64::from(t.tx(40.0));
    let height = f64::from(area.dim_in_pixel().1).max(4.0 * room);
    let pad = (hi - lo) * room / (height - 2.0 * room);
    let (y_lo, y_hi) = (lo - if lo < 0.0 { pad } else { 0.0 }, hi + pad);
    let mut chart = ChartBuilder::on(&area)
        .y_label_area_size(y_area)
        .x_label_area_size(0)
        .build_cartesian_2d(0.4f64..(n as f64 + 0.6), y_lo..y_hi)
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
    struct Bar {
        x: f64,
        band: Band,
        color: RGBColor,
        label: String,
        label_color: RGBColor,
    }
    let mut bars: Vec<Bar> = d
        .drops
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let color = fall_color(i, b);
            // the same figure, minus sign included, as the terminal's table
            let label_color = if Some(i) == worst { t.alarm } else { t.text };
            Bar { x: (i + 1) as f64 - shift, band: *b, color, label: crate::format::points(b.median), label_color }
        })
        .collect();
    bars.extend(d.gains.iter().enumerate().filter_map(|(i, g)| {
        g.map(|g| Bar {
            x: (i + 1) as f64 + shift,
            band: g,
            color: gain_color,
            label: crate::format::signed_points(g.median),
            label_color: tone(gain_color),
        })
    }));
    let cap = if has_gain { 0.08 } else { 0.12 };
    let stroke = t.px(2.0);
    let mark = t.px(4.0);
    // what a label must not cover: every bar, whisker and cap
    let mut taken: Vec<Rect> = Vec::new();
    for bar in &bars {
        let (x, b) = (bar.x, &bar.band);
        let (y25, y75, median) = (points(b.p25), points(b.p75), points(b.median));
        chart.draw_series(std::iter::once(Rectangle::new([(x - half, 0.0), (x + half, median)], bar.color.filled()))).map_err(e)?;
        // the median, marked across the bar: a bar of zero height still shows
        let (left, ym) = chart.backend_coord(&(x - half, median));
        let (right, _) = chart.backend_coord(&(x + half, median));
        root.draw(&Rectangle::new([(left, ym - mark / 2), (right, ym + mark - mark / 2)], tone(bar.color).filled())).map_err(e)?;
        let whisker = tone(bar.color).stroke_width(stroke as u32);
        chart.draw_series(std::iter::once(PathElement::new(vec![(x, y25), (x, y75)], whisker))).map_err(e)?;
        chart.draw_series(std::iter::once(PathElement::new(vec![(x - cap, y25), (x + cap, y25)], whisker))).map_err(e)?;
        chart.draw_series(std::iter::once(PathElement::new(vec![(x - cap, y75), (x + cap, y75)], whisker))).map_err(e)?;
        taken.push(Rect::spanning(chart.backend_coord(&(x - half, 0.0)), chart.backend_coord(&(x + half, median))));
        taken.push(Rect::spanning((left, ym - mark), (right, ym + mark)));
        let (a, b) = (chart.backend_coord(&(x - cap, y25)), chart.backend_coord(&(x + cap, y75)));
        taken.push(Rect::spanning((a.0 - stroke, a.1 + stroke), (b.0 + stroke, b.1 - stroke)));
    }
    // each value beyond its whisker's cap, above a bar that goes up and below one that goes
    // down, moved further out where a neighbour's bar or whisker is in the way
    let gap = t.px(8.0);
    for bar in &bars {
        let (x, b) = (bar.x, &bar.band);
        let style = page.bold(t.tick_size(), bar.label_color);
        let size = root.estimate_text_size(&bar.label, &style).map(|(w, h)| (w as i32, h as i32)).map_err(e)?;
        let down = (points(b.median) * 10.0).round() < 0.0;
        let at = if down {
            let (px, py) = chart.backend_coord(&(x, points(b.median.min(b.p25))));
            free_place(Rect::below(px, py + gap, size), &taken, gap / 2, Moves::Down)
        } else {
            let (px, py) = chart.backend_coord(&(x, points(b.median.max(b.p75))));
            free_place(Rect::above(px, py - gap, size), &taken, gap / 2, Moves::Up)
        };
        taken.push(at);
        root.draw_text(&bar.label, &style.pos(Pos::new(HPos::Center, VPos::Top)), ((at.left + at.right) / 2, at.top)).map_err(e)?;
    }
    let (_, zero) = chart.backend_coord(&(1.0, 0.0));
    let bottom = chart.backend_coord(&(1.0, y_lo)).1;
    let positions: Vec<(i32, i32)> = (0..n).map(|i| (chart.backend_coord(&((i + 1) as f64, 0.0)).0, bottom.max(zero))).collect();
    labels.draw(root, page, &positions, 1)?;
    let back = if any_back { "green: the middle half of its runs gained" } else { "a bar below zero: the message came back" };
    footnote(root, page, &format!("drift · seed {} · {} · points of {} · {back}", d.seed, runs(d.runs), d.headline))
}
