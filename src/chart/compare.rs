//! `compare`: variants of a chain overlaid: the headline's median along each chain with its
//! middle half of runs, the final difference and its interval in the title. Answers "what does
//! a check-in (or a shorter chain) buy us, and is it real?".

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::along::{self, Center, Frame, Line};
use super::labels::{Rect, stack};
use super::{Drawing, Mark, Page, Series, footnote, header, legend};
use crate::compare::Comparison;
use crate::format::{runs, signed_points};
use crate::stats::Band;

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
        let n = c.variants.iter().map(|v| v.stations.len()).max().unwrap_or(1);
        let labels = station_names(c, n);
        let base = &c.variants[0].stations;
        // where a variant's spread is the baseline's (the stations its chain shares, on the same
        // random numbers), only the baseline's is shaded: the same band twice in two colours
        // turns muddy and says nothing more
        let series: Vec<Series> = c
            .variants
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let bands = v
                    .stations
                    .iter()
                    .enumerate()
                    .map(|(s, b)| match base.get(s) {
                        Some(o) if k > 0 && same_band(b, o) => Band { p25: b.median, p75: b.median, ..*b },
                        _ => *b,
                    })
                    .collect();
                Series { name: v.name.clone(), bands }
            })
            .collect();
        // the baseline last, so that its line lies on top of the variants that share its start
        let lines: Vec<Line> = series
            .iter()
            .enumerate()
            .rev()
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
        let y_desc = format!("{} to the customer's words", c.metric.label());
        let frame = Frame { top: plot_top, y_desc: &y_desc, y_max: 1.02, dots: None, stations: &labels };
        along::draw(root, page, frame, &lines, |chart| {
            let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
            // the chance line against the first variant's customer (variants of one scenario
            // share their customer)
            let (x0, y) = chart.backend_coord(&(0.0, c.variants[0].chance));
            let (x1, _) = chart.backend_coord(&((n - 1) as f64, c.variants[0].chance));
            super::dashed(root, t, (x0, x1), y)?;
            // each variant's final value above the end of its line, stacked apart where two
            // would overlap; the baseline's drawn last, on top
            let mut wants = Vec::new();
            let mut texts = Vec::new();
            for (k, v) in c.variants.iter().enumerate() {
                let last = v.stations.len() - 1;
                let (px, py) = chart.backend_coord(&(last as f64, v.stations[last].median));
                let text = format!("{:.0}%", v.stations[last].median * 100.0);
                let style = page.bold(t.label_size(), color(k));
                let (w, h) = root.estimate_text_size(&text, &style).map_err(e)?;
                let (w, h) = (w as i32, h as i32);
                let (right, bottom) = (px - t.px(8.0), py - t.px(8.0));
                wants.push(Rect { left: right - w, top: bottom - h, right, bottom });
                texts.push((text, style));
            }
            let m = t.px(3.0);
            let placed = stack(&wants, 2 * m + t.px(2.0));
            // each on a patch of the page's own colour, so that no line or band runs through it;
            // the patches first, so that none covers a label
            for at in &placed {
                let patch = [(at.left - m, at.top - m), (at.right + m, at.bottom + m)];
                root.draw(&Rectangle::new(patch, t.background.mix(0.85).filled())).map_err(e)?;
            }
            for ((text, style), at) in texts.into_iter().zip(placed).rev() {
                root.draw_text(&text, &style.pos(Pos::new(HPos::Right, VPos::Bottom)), (at.right, at.bottom)).map_err(e)?;
            }
            Ok(())
        })?;
        footnote(root, page, &format!("drift compare · seed {} · {} · same random numbers for every variant", c.seed, runs(c.runs)))
    }
}

/// Two bands the same to well below what a chart can show.
fn same_band(a: &Band, b: &Band) -> bool {
    [(a.p10, b.p10), (a.p25, b.p25), (a.median, b.median), (a.p75, b.p75), (a.p90, b.p90)].iter().all(|(x, y)| (x - y).abs() < 1e-9)
}

/// The x axis's names, `n` stations long: at each station the role every variant that reaches
/// it has there, or their roles one after the other where they differ ("CMO / Customer
/// check-in").
fn station_names(c: &Comparison, n: usize) -> Vec<String> {
    (0..n)
        .map(|k| {
            let mut names: Vec<&str> = Vec::new();
            for role in c.variants.iter().filter_map(|v| v.roles.get(k)) {
                if !names.contains(&role.as_str()) {
                    names.push(role);
                }
            }
            names.join(" / ")
        })
        .collect()
}
