//! `calibration`: observed against simulated, generation by generation. Each curve in its own
//! colour: what people did as dots (joined by a dashed line), what drift does as its median
//! line with the middle half of the simulated chains shaded. Answers "are these
//! rates made up?" at a glance: the dots sit on the lines, or they do not.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Drawing, Mark, Page, Themed, footnote, header, legend, percent_tick};
use crate::calibrate::{Calibration, Curve, Mode};

/// The calibration chart; `tolerance` is the one the verdict uses.
pub struct CalibrationChart {
    pub tolerance: f64,
}

impl Drawing<Calibration> for CalibrationChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, page: &Page<Calibration>) -> Result<(), String> {
        let (c, t) = (page.data, page.theme);
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        let worst = c.worst().map_or(0.0, |w| w.2.abs());
        let within = c.misses(self.tolerance).is_empty();
        let who = if c.targets.published { "people" } else { "the retellings" };
        let title = if within { format!("Within {worst:.3} of {who} at every generation") } else { format!("Up to {worst:.3} off {who}") };
        let preset = match c.settings.mode {
            Mode::Check => format!("“{}” as it is", c.base_name),
            _ => format!("“{}”, fitted from “{}”", c.name, c.base_name),
        };
        let subtitle = format!(
            "{preset} · {} · {} originals retold up to {} times · medians of {} simulated chains · dots: observed, lines: drift",
            c.targets.description,
            c.targets.originals.len(),
            c.targets.generations(),
            c.runs
        );
        let top = header(root, page, &title, &subtitle)?;
        let curves = c.curves();
        let generations = c.targets.generations();
        let color = |curve: Curve| match curve {
            Curve::Length => t.headline,
            Curve::Original => t.series[0],
            Curve::Kept => t.series[1],
            Curve::Order => t.series[2],
            Curve::Added => t.series[3],
            Curve::Reworded => t.series[4],
            Curve::Verbatim => t.text,
            Curve::Hedged => t.muted,
        };
        let mut entries: Vec<(String, RGBColor, Mark)> =
            curves.iter().map(|&k| (k.short().to_string(), color(k), Mark::Line { width: t.px(5.0) as u32 })).collect();
        let spread = curves.iter().any(|&k| (1..=generations).any(|g| c.targets.spread(k, g).is_some()));
        let dots = Mark::Dots(curves.iter().map(|&k| color(k)).collect());
        entries.push((if spread { "observed median, whisker: middle half" } else { "observed median" }.to_string(), t.muted, dots));
        let shades = Mark::Shade(curves.iter().map(|&k| color(k)).collect(), vec![t.shades.overlaid]);
        entries.push(("middle half of simulated chains".to_string(), t.muted, shades));
        let plot_top = legend(root, page, top, &entries)? + t.tx(12.0);
        let plot_h = t.height as i32 - plot_top - t.tx(50.0);
        let area = root.clone().shrink((t.margin(), plot_top), (t.width as i32 - 2 * t.margin(), plot_h));
        let mut chart = ChartBuilder::on(&area)
            .y_label_area_size(t.tx(100.0))
            .x_label_area_size(t.tx(70.0))
            .build_cartesian_2d(-0.3f64..(generations as f64 + 0.3), 0f64..1.02)
            .map_err(e)?;
        let x_label = |x: &f64| {
            let g = x.round();
            if (x - g).abs() > 1e-6 || g < 0.0 {
                String::new()
            } else if g == 0.0 {
                "original".to_string()
            } else {
                format!("{g:.0}")
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(generations + 1)
            .x_label_formatter(&x_label)
            .x_desc(page.text("retelling (generation)"))
            .y_labels(6)
            .y_label_formatter(&percent_tick)
            .y_desc(super::axis_desc(root, page, "share (of the original, or of the text heard)", plot_h - t.tx(70.0)))
            .apply_theme(page)
            .draw()
            .map_err(e)?;
        for &curve in &curves {
            let bands = &c.simulated[curve.index()];
            // length and the original's words are 1 at the original; the hop-to-hop curves
            // start at the first retelling
            let start = matches!(curve, Curve::Length | Curve::Original);
            let mut pts: Vec<(f64, crate::stats::Band)> = bands.iter().enumerate().map(|(k, b)| ((k + 1) as f64, *b)).collect();
            if start {
                let one = crate::stats::Band { p10: 1.0, p25: 1.0, median: 1.0, p75: 1.0, p90: 1.0, mean: 1.0 };
                pts.insert(0, (0.0, one));
            }
            let polygon = |lo: &dyn Fn(&crate::stats::Band) -> f64, hi: &dyn Fn(&crate::stats::Band) -> f64| {
                let mut p: Vec<(f64, f64)> = pts.iter().map(|(x, b)| (*x, hi(b))).collect();
                p.extend(pts.iter().rev().map(|(x, b)| (*x, lo(b))));
                p
            };
            let col = color(curve);
            // the middle half only: with three curves, wider bands would bury each other
            chart
                .draw_series(std::iter::once(Polygon::new(polygon(&|b| b.p25, &|b| b.p75), col.mix(t.shades.overlaid).filled())))
                .map_err(e)?;
            chart.draw_series(LineSeries::new(pts.iter().map(|(x, b)| (*x, b.median)), col.stroke_width(t.px(5.0) as u32))).map_err(e)?;
            // the observations: dots joined by a dashed line
            let mut observed: Vec<(f64, f64)> =
                (1..=generations).filter_map(|g| c.targets.median(curve, g).map(|v| (g as f64, v))).collect();
            if start {
                observed.insert(0, (0.0, 1.0));
            }
            for pair in observed.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                for k in 0..6 {
                    let f0 = k as f64 / 6.0;
                    let f1 = f0 + 1.0 / 12.0;
                    let at = |f: f64| (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f);
                    chart
                        .draw_series(std::iter::once(PathElement::new(vec![at(f0), at(f1)], col.stroke_width(t.px(2.0) as u32))))
                        .map_err(e)?;
                }
            }
            // the observed middle half, where the data are chains
            for g in 1..=generations {
                if let Some(sp) = c.targets.spread(curve, g) {
                    let x = g as f64;
                    let cap = 0.04;
                    let stroke = col.stroke_width(t.px(3.0) as u32);
                    chart.draw_series(std::iter::once(PathElement::new(vec![(x, sp.p25), (x, sp.p75)], stroke))).map_err(e)?;
                    for y in [sp.p25, sp.p75] {
                        chart.draw_series(std::iter::once(PathElement::new(vec![(x - cap, y), (x + cap, y)], stroke))).map_err(e)?;
                    }
                }
            }
            let r = t.px(9.0);
            chart.draw_series(observed.iter().map(|&p| Circle::new(p, r + t.px(3.0), t.background.filled()))).map_err(e)?;
            chart.draw_series(observed.iter().map(|&p| Circle::new(p, r, col.filled()))).map_err(e)?;
        }
        footnote(root, page, &format!("drift calibrate · seed {} · {} simulated chains per candidate", c.settings.seed, c.runs))
    }
}
