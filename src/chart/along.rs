//! The plot shared by the charts that follow the message along the chain (drift, symptoms,
//! words, compare): stations on x, a share on y, bands and median (or mean) lines, role names
//! underneath.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::{Mark, Page, Series, StationLabels, Theme, Themed, axis_desc, percent_tick, tick_count};
use crate::stats::Band;

/// Which value of each station's band a line follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Center {
    Median,
    /// For series of a few discrete values (a share of three pronouns), whose median jumps
    /// between them from hop to hop while the mean moves smoothly.
    Mean,
}

impl Center {
    pub fn of(self, b: &Band) -> f64 {
        match self {
            Center::Median => b.median,
            Center::Mean => b.mean,
        }
    }
}

/// One series to draw: its median (or mean) as a line, and (optionally) its bands shaded.
pub struct Line<'a> {
    pub series: &'a Series,
    pub color: RGBColor,
    pub center: Center,
    /// Line width for a 1600×900 canvas.
    pub width: f64,
    /// Shade the middle half of runs (p25–p75).
    pub bands: bool,
    /// Also shade 80 % of runs (p10–p90): for smooth series; noisy ones read better without.
    pub outer_band: bool,
}

/// How opaque the middle half of runs is shaded: lighter where several lines shade theirs and
/// the bands may overlap.
fn middle_shade(t: &Theme, lines: &[Line]) -> f64 {
    if lines.iter().filter(|l| l.bands).count() > 1 { t.shades.overlaid } else { t.shades.middle }
}

/// The legend's swatches for the spreads `lines` shade, drawn as the plot draws them: the
/// middle half of runs (laid over the 80 % where that is shaded too), and 80 % of runs when a
/// line shades it; a stripe per line's colour.
pub fn shade_marks(t: &Theme, lines: &[Line]) -> (Mark, Option<Mark>) {
    let colors: Vec<RGBColor> = lines.iter().filter(|l| l.bands).map(|l| l.color).collect();
    let outer = lines.iter().any(|l| l.bands && l.outer_band);
    let middle = middle_shade(t, lines);
    if outer {
        (Mark::Shade(colors.clone(), vec![t.shades.outer, middle]), Some(Mark::Shade(colors, vec![t.shades.outer])))
    } else {
        (Mark::Shade(colors, vec![middle]), None)
    }
}

pub type Plot<'a, 'b, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Where and how the plot is laid out.
pub struct Frame<'a> {
    /// The y below the page's header and legend.
    pub top: i32,
    pub y_desc: &'a str,
    pub y_max: f64,
    /// The traced run's values, drawn as dots.
    pub dots: Option<(&'a [f64], RGBColor)>,
    /// The x axis: "Customer", then each hop's role.
    pub stations: &'a [String],
}

/// Draws the axes, the bands and lines, the dots of the traced run and the station labels
/// in the area below `frame.top`; `extra` may add to the plot before the labels are drawn.
pub fn draw<DB: DrawingBackend, D>(
    root: &DrawingArea<DB, Shift>,
    page: &Page<D>,
    frame: Frame,
    lines: &[Line],
    extra: impl FnOnce(&mut Plot<'_, '_, DB>) -> Result<(), String>,
) -> Result<(), String> {
    let Frame { top, y_desc, y_max, dots, stations } = frame;
    let t = page.theme;
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let n = stations.len();
    let y_area = t.tx(100.0);
    let labels = StationLabels::new(root, page, stations, (t.width as i32 - 2 * t.margin() - y_area) / n.max(1) as i32);
    let label_room = labels.height + t.tx(42.0);
    let plot_h = t.height as i32 - top - label_room;
    let area = root.clone().shrink((t.margin(), top), (t.width as i32 - 2 * t.margin(), plot_h));
    // the axis starts a little below 0, so that a dot or a line at 0 stays inside the plot,
    // clear of the hop numbers under it
    let pad = f64::from(t.px(14.0));
    let height = f64::from(area.dim_in_pixel().1).max(2.0 * pad);
    let y_min = -y_max * pad / (height - pad);
    let mut chart = ChartBuilder::on(&area)
        .y_label_area_size(y_area)
        .x_label_area_size(0)
        .build_cartesian_2d(-0.4f64..(n as f64 - 0.6), y_min..y_max)
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(tick_count(page, plot_h, 6))
        .y_label_formatter(&percent_tick)
        .y_desc(axis_desc(root, page, y_desc, plot_h))
        .apply_theme(page)
        .draw()
        .map_err(e)?;
    let x = |k: usize| k as f64;
    let middle = middle_shade(t, lines);
    for line in lines.iter().filter(|l| l.bands) {
        let b = &line.series.bands;
        // a series may be shorter than the axis (a variant with fewer hops)
        let len = b.len();
        let polygon = |lo: &dyn Fn(usize) -> f64, hi: &dyn Fn(usize) -> f64| -> Vec<(f64, f64)> {
            let mut pts: Vec<(f64, f64)> = (0..len).map(|k| (x(k), hi(k))).collect();
            pts.extend((0..len).rev().map(|k| (x(k), lo(k))));
            pts
        };
        if line.outer_band {
            chart
                .draw_series(std::iter::once(Polygon::new(polygon(&|k| b[k].p10, &|k| b[k].p90), line.color.mix(t.shades.outer).filled())))
                .map_err(e)?;
        }
        chart
            .draw_series(std::iter::once(Polygon::new(polygon(&|k| b[k].p25, &|k| b[k].p75), line.color.mix(middle).filled())))
            .map_err(e)?;
    }
    // thin lines first, so the headline stays on top
    let mut order: Vec<&Line> = lines.iter().collect();
    order.sort_by(|a, b| a.width.total_cmp(&b.width));
    for line in order {
        let b = &line.series.bands;
        chart
            .draw_series(LineSeries::new(
                b.iter().enumerate().map(|(k, v)| (x(k), line.center.of(v))),
                line.color.stroke_width(t.px(line.width) as u32),
            ))
            .map_err(e)?;
    }
    if let Some((values, color)) = dots {
        let r = t.px(7.0);
        chart.draw_series(values.iter().enumerate().map(|(k, v)| Circle::new((x(k), *v), r + 2, t.background.filled()))).map_err(e)?;
        chart.draw_series(values.iter().enumerate().map(|(k, v)| Circle::new((x(k), *v), r, color.filled()))).map_err(e)?;
    }
    extra(&mut chart)?;
    let positions: Vec<(i32, i32)> = (0..n).map(|k| chart.backend_coord(&(x(k), y_min))).collect();
    labels.draw(root, page, &positions, 0)
}
