//! `compare`: variants of a chain overlaid: the headline's median along each chain with its
//! middle half of runs, the final difference and its interval in the title. Answers "what does
//! a check-in (or a shorter chain) buy us, and is it real?".

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::along::{self, Center, Frame, Line};
use super::{Drawing, Mark, Page, Series, footnote, header, legend};
use crate::compare::Comparison;
use crate::format::{runs, signed_points};

/// The compare chart.
pub struct CompareChart;

impl Drawing<Comparison> for CompareChart {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, page: &Page<Comparison>) -> Result<(), String> {
        let (c, t) = (page.data, page.theme);
        let colors: Vec<RGBColor> = std::iter::once(t.muted).chain(std::iter::once(t.headline)).chain(t.series.iter().copied()).collect();
        let color = |k: usize| colors[k % colors.len()];
        let (title, subtitle) = match c.variants.get(1).and_then(|v| v.vs_first.map(|p| (v, p))) {
            Some((v, p)) if c.variants.len() == 2 => (
                format!("{} points at the end of the chain", signed_points(p.mean_diff)),
                format!(
                    "{} vs {} · {} of the final message · 95 % interval {} to {} · closer in {:.0} % of runs",
                    v.name,
                    c.variants[0].name,
                    c.metric.label(),
                    signed_points(p.ci95.0),
                    signed_points(p.ci95.1),
                    p.share_better * 100.0
                ),
            ),
            _ => {
                let best = c.variants.iter().max_by(|a, b| a.final_band.median.total_cmp(&b.final_band.median));
                let title = best.map_or_else(|| "Variants compared".to_string(), |b| format!("{} ends closest to the customer", b.name));
                (title, format!("{} variants · {} along each chain, on common random numbers", c.variants.len(), c.metric.label()))
            }
        };
        let top = header(root, page, &title, &subtitle)?;
        let series: Vec<Series> = c.variants.iter().map(|v| Series { name: v.name.clone(), bands: v.stations.clone() }).collect();
        let lines: Vec<Line> = series
            .iter()
            .enumerate()
            .map(|(k, s)| Line { series: s, color: color(k), center: Center::Median, width: 5.0, bands: true, outer_band: false })
            .collect();
        let (middle, _) = along::shade_marks(t, &lines);
        let entries: Vec<(String, RGBColor, Mark)> = c
            .variants
            .iter()
            .enumerate()
            .map(|(k, v)| {
                (format!("{} ({:.0} % at the end)", v.name, v.final_band.median * 100.0), color(k), Mark::Line { width: t.px(5.0) as u32 })
            })
            .chain(std::iter::once(("middle half of runs".to_string(), t.muted, middle)))
            .chain(std::iter::once((
                format!("chance: unrelated text, {}", crate::format::percent(c.variants[0].chance)),
                t.muted,
                Mark::Line { width: t.px(2.0) as u32 },
            )))
            .collect();
        let plot_top = legend(root, page, top, &entries)? + t.tx(12.0);
        let n = c.variants.iter().map(|v| v.stations.len()).max().unwrap_or(1);
        let same_roles = c.variants.windows(2).all(|w| w[0].roles == w[1].roles);
        let labels: Vec<String> = if same_roles {
            c.variants[0].roles.clone()
        } else {
            (0..n).map(|k| if k == 0 { "Customer".to_string() } else { String::new() }).collect()
        };
        let y_desc = format!("{} to the customer's words", c.metric.label());
        let frame = Frame { top: plot_top, y_desc: &y_desc, y_max: 1.02, dots: None, stations: &labels };
        along::draw(root, page, frame, &lines, |chart| {
            let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
            // the chance line against the first variant's customer (variants of one scenario
            // share their customer)
            let (x0, y) = chart.backend_coord(&(0.0, c.variants[0].chance));
            let (x1, _) = chart.backend_coord(&((n - 1) as f64, c.variants[0].chance));
            super::dashed(root, t, (x0, x1), y)?;
            // each variant's final value at the end of its line
            for (k, v) in c.variants.iter().enumerate() {
                let last = v.stations.len() - 1;
                let (px, py) = chart.backend_coord(&(last as f64, v.stations[last].median));
                let style = page.bold(t.label_size(), color(k)).pos(Pos::new(HPos::Right, VPos::Bottom));
                root.draw_text(&format!("{:.0}%", v.stations[last].median * 100.0), &style, (px - t.px(8.0), py - t.px(8.0))).map_err(e)?;
            }
            Ok(())
        })?;
        footnote(root, page, &format!("drift compare · seed {} · {} · same random numbers for every variant", c.seed, runs(c.runs)))
    }
}
