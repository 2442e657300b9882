//! `compare`: variants of a chain overlaid: the headline's median along each chain with its
//! middle half of runs, the final difference and its interval in the title. Answers "what does
//! a check-in (or a shorter chain) buy us, and is it real?".

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Drawing, Mark, Page, Themed, footnote, header, legend, percent_tick, station_labels};
use crate::compare::Comparison;
use crate::output::{runs, signed_points};

/// The compare chart.
pub struct CompareChart;

impl Drawing<Comparison> for CompareChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, page: &Page<Comparison>) -> Result<(), String> {
        let (c, t) = (page.data, page.theme);
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        let colors: Vec<RGBColor> = std::iter::once(t.muted).chain(std::iter::once(t.headline)).chain(t.series.iter().copied()).collect();
        let color = |k: usize| colors[k % colors.len()];
        let (title, subtitle) = match c.variants.get(1).and_then(|v| v.vs_first.map(|p| (v, p))) {
            Some((v, p)) if c.variants.len() == 2 => (
                format!("{} points at the end of the chain", signed_points(p.mean_diff)),
                format!(
                    "{} vs {} · {} of the final message · 95 % interval {} to {} · closer in {:.0} % of runs",
                    v.name,
                    c.variants[0].name,
                    c.metric.name(),
                    signed_points(p.ci95.0),
                    signed_points(p.ci95.1),
                    p.share_better * 100.0
                ),
            ),
            _ => {
                let best = c.variants.iter().max_by(|a, b| a.final_band.median.total_cmp(&b.final_band.median));
                let title = best.map_or_else(|| "Variants compared".to_string(), |b| format!("{} ends closest to the customer", b.name));
                (title, format!("{} variants · {} along each chain, on common random numbers", c.variants.len(), c.metric.name()))
            }
        };
        let top = header(root, page, &title, &subtitle)?;
        let entries: Vec<(String, RGBColor, Mark)> = c
            .variants
            .iter()
            .enumerate()
            .map(|(k, v)| {
                (format!("{} ({:.0} % at the end)", v.name, v.final_band.median * 100.0), color(k), Mark::Line { width: t.px(5.0) as u32 })
            })
            .chain(std::iter::once(("middle half of runs".to_string(), t.muted, Mark::Band(0.3))))
            .collect();
        let plot_top = legend(root, page, top, &entries)? + t.px(12.0);
        let n = c.variants.iter().map(|v| v.stations.len()).max().unwrap_or(1);
        let same_roles = c.variants.windows(2).all(|w| w[0].roles == w[1].roles);
        let labels: Vec<String> = if same_roles {
            c.variants[0].roles.clone()
        } else {
            (0..n).map(|k| if k == 0 { "Customer".to_string() } else { String::new() }).collect()
        };
        let area = root.clone().shrink((t.margin(), plot_top), (t.width as i32 - 2 * t.margin(), t.height as i32 - plot_top - t.px(150.0)));
        let mut chart = ChartBuilder::on(&area)
            .y_label_area_size(t.px(100.0))
            .x_label_area_size(0)
            .build_cartesian_2d(-0.4f64..(n as f64 - 0.6), 0f64..1.02f64)
            .map_err(e)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .y_label_formatter(&percent_tick)
            .y_desc(page.text(&format!("{} to the customer's words", c.metric.name())))
            .apply_theme(page)
            .draw()
            .map_err(e)?;
        for (k, v) in c.variants.iter().enumerate() {
            let b = &v.stations;
            let mut pts: Vec<(f64, f64)> = b.iter().enumerate().map(|(i, x)| (i as f64, x.p75)).collect();
            pts.extend(b.iter().enumerate().rev().map(|(i, x)| (i as f64, x.p25)));
            chart.draw_series(std::iter::once(Polygon::new(pts, color(k).mix(0.22).filled()))).map_err(e)?;
        }
        for (k, v) in c.variants.iter().enumerate() {
            let line = v.stations.iter().enumerate().map(|(i, x)| (i as f64, x.median));
            chart.draw_series(LineSeries::new(line, color(k).stroke_width(t.px(5.0) as u32))).map_err(e)?;
            let last = v.stations.len() - 1;
            let (px, py) = chart.backend_coord(&(last as f64, v.stations[last].median));
            let label = format!("{:.0}%", v.stations[last].median * 100.0);
            root.draw_text(
                &label,
                &page.bold(t.label_size(), color(k)).pos(Pos::new(HPos::Right, VPos::Bottom)),
                (px - t.px(8.0), py - t.px(8.0)),
            )
            .map_err(e)?;
        }
        let positions: Vec<(i32, i32)> = (0..n).map(|k| chart.backend_coord(&(k as f64, 0.0))).collect();
        station_labels(root, page, &positions, &labels, 0)?;
        footnote(root, page, &format!("drift compare · seed {} · {} · same random numbers for every variant", c.seed, runs(c.runs)))
    }
}
