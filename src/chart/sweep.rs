//! `sweep`: the final message's similarity as one setting changes (a line with the spread of
//! runs), or as two change together (a heatmap). Answers "how much does turning this habit
//! down buy?".

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Drawing, Mark, Page, Themed, footnote, header, legend, percent_tick};
use crate::format::runs;
use crate::sweep::Sweep;

pub struct SweepChart;

impl Drawing<Sweep> for SweepChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, page: &Page<Sweep>) -> Result<(), String> {
        let s = page.data;
        if s.varies.len() == 2 { heatmap(root, page) } else { line(root, page) }
    }
}

/// What a sweep shows, beyond noise.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Effect {
    /// The medians differ by more than the noise.
    Some,
    /// They do not, and every point ends at the chance line: the message is lost whatever the
    /// setting, so the setting cannot show.
    AtChance,
    /// They do not.
    None,
}

/// The smallest difference between two points' medians that is not noise: twice the standard
/// error of their difference (a median's standard error taken as 1.253 σ/√runs, σ from the
/// spread across runs), and at least a point of 100. Common random numbers make the real noise
/// smaller still: this errs towards "no effect".
fn noise(s: &Sweep) -> f64 {
    let sigma = |b: &crate::stats::Band| ((b.p75 - b.p25) / 1.349).max((b.p90 - b.p10) / 2.563);
    let worst = s.points.iter().map(|p| sigma(&p.band)).fold(0.0, f64::max);
    let se = 1.253 * worst / (s.runs.max(1) as f64).sqrt();
    (2.0 * std::f64::consts::SQRT_2 * se).max(0.01)
}

/// Whether the medians of the sweep differ beyond [`noise`], and if not, whether the message
/// ends at chance (within the noise, or two points) at every point.
fn effect(s: &Sweep) -> Effect {
    let noise = noise(s);
    let (lo, hi) = s.points.iter().map(|p| p.band.median).fold((f64::MAX, f64::MIN), |(a, b), m| (a.min(m), b.max(m)));
    if hi - lo > noise {
        Effect::Some
    } else if hi <= s.chance + noise.max(0.02) {
        Effect::AtChance
    } else {
        Effect::None
    }
}

/// The footnote's words for what counts as noise, when nothing rose above it.
fn no_effect_note(s: &Sweep, effect: Effect) -> String {
    match effect {
        Effect::Some => String::new(),
        _ => format!(" · no effect: medians within {:.1} points, the noise of {}", noise(s) * 100.0, runs(s.runs)),
    }
}

fn line<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, page: &Page<Sweep>) -> Result<(), String> {
    let (s, t) = (page.data, page.theme);
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let v = &s.varies[0];
    let first = s.points.first().map_or(0.0, |p| p.band.median);
    let last = s.points.last().map_or(0.0, |p| p.band.median);
    let (lo, hi) = s.points.iter().map(|p| p.band.median).fold((f64::MAX, f64::MIN), |(a, b), m| (a.min(m), b.max(m)));
    let effect = effect(s);
    let pct = |x: f64| format!("{:.0} %", x * 100.0);
    let title = match effect {
        Effect::AtChance => "No effect: every setting ends at chance".to_string(),
        Effect::None => "No effect across the range".to_string(),
        // the ends within noise of each other, the middle not
        Effect::Some if (last - first).abs() <= noise(s) => {
            format!("Final {} ranges from {} to {} across the range", s.metric.label(), pct(lo), pct(hi))
        }
        Effect::Some => {
            let direction = if last < first { "falls" } else { "rises" };
            format!("Final {} {direction} from {} to {}", s.metric.label(), pct(first), pct(last))
        }
    };
    let what = match effect {
        Effect::AtChance => "the final message is no closer to the customer's words than unrelated text at any point".to_string(),
        Effect::None => format!("the final message scores about {} against the customer's words at every point", pct((lo + hi) / 2.0)),
        Effect::Some => "the final message against the customer's words".to_string(),
    };
    let subtitle = format!(
        "as {} goes from {} to {} · {what} · {} per point, the same random numbers at every point",
        v.label,
        v.from,
        v.to,
        runs(s.runs)
    );
    let top = header(root, page, &title, &subtitle)?;
    let plot_top = legend(
        root,
        page,
        top,
        &[
            ("median".to_string(), t.headline, Mark::Line { width: t.px(5.0) as u32 }),
            ("80 % of runs".to_string(), t.headline, Mark::Shade(vec![t.headline], vec![t.shades.outer])),
            (format!("chance: unrelated text, {}", crate::format::percent(s.chance)), t.muted, Mark::Line { width: t.px(2.0) as u32 }),
        ],
    )? + t.tx(12.0);
    let area = root.clone().shrink((t.margin(), plot_top), (t.width as i32 - 2 * t.margin(), t.height as i32 - plot_top - t.tx(40.0)));
    let (lo, hi) = (v.from.min(v.to), v.from.max(v.to));
    let pad = (hi - lo) * 0.03;
    let mut chart = ChartBuilder::on(&area)
        .y_label_area_size(t.tx(100.0))
        .x_label_area_size(t.tx(90.0))
        .build_cartesian_2d((lo - pad)..(hi + pad), 0f64..1.02f64)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_labels(s.points.len().min(11))
        .y_labels(6)
        .x_label_formatter(&|x| format!("{x:.2}"))
        .y_label_formatter(&percent_tick)
        .x_desc(page.text(&v.label))
        .y_desc(page.text(&format!("{} of the final message", s.metric.label())))
        .apply_theme(page)
        .draw()
        .map_err(e)?;
    // the chance line, dashed across the plot
    let (x0, y) = chart.backend_coord(&(lo - pad, s.chance));
    let (x1, _) = chart.backend_coord(&(hi + pad, s.chance));
    super::dashed(root, t, (x0, x1), y)?;
    let mut band: Vec<(f64, f64)> = s.points.iter().map(|p| (p.values[0], p.band.p90)).collect();
    band.extend(s.points.iter().rev().map(|p| (p.values[0], p.band.p10)));
    chart.draw_series(std::iter::once(Polygon::new(band, t.headline.mix(t.shades.outer).filled()))).map_err(e)?;
    chart
        .draw_series(LineSeries::new(s.points.iter().map(|p| (p.values[0], p.band.median)), t.headline.stroke_width(t.px(5.0) as u32)))
        .map_err(e)?;
    chart.draw_series(s.points.iter().map(|p| Circle::new((p.values[0], p.band.median), t.px(6.0), t.headline.filled()))).map_err(e)?;
    footnote(root, page, &format!("drift sweep · seed {} · {} per point{}", s.seed, runs(s.runs), no_effect_note(s, effect)))
}

/// Viridis, sampled: perceptually even and readable with every common colour-vision deficiency.
fn viridis(x: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 5] = [(0x44, 0x01, 0x54), (0x3b, 0x52, 0x8b), (0x21, 0x91, 0x8c), (0x5e, 0xc9, 0x62), (0xfd, 0xe7, 0x25)];
    let x = x.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let (i, f) = ((x.floor() as usize).min(STOPS.len() - 2), x - x.floor().min((STOPS.len() - 2) as f64));
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn heatmap<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, page: &Page<Sweep>) -> Result<(), String> {
    let (s, t) = (page.data, page.theme);
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (vx, vy) = (&s.varies[1], &s.varies[0]);
    let medians: Vec<f64> = s.points.iter().map(|p| p.band.median).collect();
    let (lo, hi) = medians.iter().fold((1.0f64, 0.0f64), |(a, b), &m| (a.min(m), b.max(m)));
    let effect = effect(s);
    let title = match effect {
        Effect::AtChance => "No effect: every setting ends at chance".to_string(),
        Effect::None => format!("No effect across the grid: about {:.0} % everywhere", (lo + hi) / 2.0 * 100.0),
        Effect::Some => format!("Final {}: from {:.0} % to {:.0} % across the grid", s.metric.label(), lo * 100.0, hi * 100.0),
    };
    let subtitle = format!(
        "rows: {} · columns: {} · median of {} per cell, the same random numbers in every cell · brighter is closer to the customer",
        vy.label,
        vx.label,
        runs(s.runs)
    );
    let top = header(root, page, &title, &subtitle)?;
    let plot_h = t.height as i32 - top - t.tx(50.0);
    let area = root.clone().shrink((t.margin(), top + t.px(10.0)), (t.width as i32 - 2 * t.margin(), plot_h));
    let (nx, ny) = (vx.steps, vy.steps);
    let mut chart = ChartBuilder::on(&area)
        .y_label_area_size(t.tx(130.0))
        .x_label_area_size(t.tx(90.0))
        .build_cartesian_2d(0f64..nx as f64, 0f64..ny as f64)
        .map_err(e)?;
    let xs = vx.values();
    let ys = vy.values();
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc(super::axis_desc(root, page, &vx.label, t.width as i32 - 2 * t.margin() - t.tx(130.0)))
        .y_desc(super::axis_desc(root, page, &vy.label, plot_h - t.px(10.0) - t.tx(90.0)))
        .x_label_style(page.font(t.tick_size(), t.text))
        .y_label_style(page.font(t.tick_size(), t.text))
        .axis_desc_style(page.font(t.label_size(), t.text))
        .axis_style(t.muted)
        .draw()
        .map_err(e)?;
    // the values at the centre of each column and row
    let tick = page.font(t.tick_size(), t.text);
    let every_x = nx.div_ceil(12).max(1);
    let every_y = ny.div_ceil(12).max(1);
    for (ix, v) in xs.iter().enumerate().step_by(every_x) {
        let (px, py) = chart.backend_coord(&(ix as f64 + 0.5, 0.0));
        root.draw_text(&format!("{v:.2}"), &tick.pos(Pos::new(HPos::Center, VPos::Top)), (px, py + t.px(10.0))).map_err(e)?;
    }
    for (iy, v) in ys.iter().enumerate().step_by(every_y) {
        let (px, py) = chart.backend_coord(&(0.0, iy as f64 + 0.5));
        root.draw_text(&format!("{v:.2}"), &tick.pos(Pos::new(HPos::Right, VPos::Center)), (px - t.px(10.0), py)).map_err(e)?;
    }
    let scale = |m: f64| if hi - lo < 1e-9 { 0.5 } else { (m - lo) / (hi - lo) };
    for (k, p) in s.points.iter().enumerate() {
        let (iy, ix) = (k / nx, k % nx);
        let color = viridis(scale(p.band.median));
        chart
            .draw_series(std::iter::once(Rectangle::new([(ix as f64, iy as f64), (ix as f64 + 1.0, iy as f64 + 1.0)], color.filled())))
            .map_err(e)?;
        if nx <= 12 && ny <= 12 {
            let (px, py) = chart.backend_coord(&(ix as f64 + 0.5, iy as f64 + 0.5));
            let ink = if scale(p.band.median) > 0.6 { RGBColor(0x1A, 0x1A, 0x1A) } else { RGBColor(0xFF, 0xFF, 0xFF) };
            root.draw_text(
                &format!("{:.0}%", p.band.median * 100.0),
                &page.bold(t.tick_size(), ink).pos(Pos::new(HPos::Center, VPos::Center)),
                (px, py),
            )
            .map_err(e)?;
        }
    }
    footnote(root, page, &format!("drift sweep · seed {} · {} per cell{}", s.seed, runs(s.runs), no_effect_note(s, effect)))
}
