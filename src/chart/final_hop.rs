//! `final`: where the message ends up: the final hop's similarity to the customer's words
//! across all runs, median and the 10th/90th percentiles marked. Answers "how bad is it, and
//! how sure are we?".

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{About, FINAL_BINS, Mark, Page, Themed, footnote, header, legend, percent_tick};
use crate::format::runs;

/// What the chart is for, in the README's words.
pub const ABOUT: About = About {
    name: "final",
    question: "How bad is it, and how sure are we?",
    how_to_read: "The final message's similarity across all runs, with the median and the 10th and 90th percentiles marked, on the full 0–100 % scale.",
};

pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, page: &Page) -> Result<(), String> {
    let (d, t) = (page.data, page.theme);
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let f = d.final_band;
    let last = d.stations.last().map_or("the last hop", String::as_str);
    let title = if d.headline == "customer_words" {
        format!("The final message keeps {:.0} % of the customer's words", f.median * 100.0)
    } else {
        format!("The final message is {:.0} % similar to what the customer said", f.median * 100.0)
    };
    let top = header(root, page, &title, &format!("{} · {} after {last}, across {}", d.title, d.headline, runs(d.runs)))?;
    let plot_top = legend(
        root,
        page,
        top,
        &[
            ("share of runs".to_string(), t.headline, Mark::Bar),
            ("median".to_string(), t.alarm, Mark::Line { width: t.px(4.0) as u32 }),
            ("10th and 90th percentile".to_string(), t.text, Mark::Dashed),
        ],
    )? + t.tx(12.0);
    let total: u64 = d.final_counts.iter().sum::<u64>().max(1);
    let shares: Vec<f64> = d.final_counts.iter().map(|&c| c as f64 / total as f64).collect();
    let peak = shares.iter().copied().fold(0.0, f64::max);
    let y_max = (peak * 1.25).max(0.05);
    // the last tick's label ("100%") is centred on the right edge: leave it half its width
    let plot_h = t.height as i32 - plot_top - t.tx(40.0);
    let area = root.clone().shrink((t.margin(), plot_top), (t.width as i32 - 2 * t.margin() - t.tx(24.0), plot_h));
    let mut chart = ChartBuilder::on(&area)
        .y_label_area_size(t.tx(100.0))
        .x_label_area_size(t.tx(90.0))
        .build_cartesian_2d(0f64..1f64, 0f64..y_max)
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(11)
        .y_labels(6)
        .x_label_formatter(&percent_tick)
        .y_label_formatter(&percent_tick)
        .x_desc(page.text(&format!("{} of the final message to the customer's words", d.headline)))
        .y_desc(super::axis_desc(root, page, "share of runs", plot_h - t.tx(90.0)))
        .apply_theme(page)
        .draw()
        .map_err(e)?;
    let w = 1.0 / FINAL_BINS as f64;
    chart
        .draw_series(shares.iter().enumerate().filter(|(_, s)| **s > 0.0).map(|(i, s)| {
            let x = i as f64 * w;
            Rectangle::new([(x + w * 0.08, 0.0), (x + w * 0.92, *s)], t.headline.filled())
        }))
        .map_err(e)?;
    let mut marker = |x: f64, label: String, color: RGBColor, dashed: bool, h: HPos, row: i32| -> Result<(), String> {
        if dashed {
            let steps = 24;
            for k in (0..steps).step_by(2) {
                let (y0, y1) = (y_max * k as f64 / steps as f64, y_max * (k + 1) as f64 / steps as f64);
                chart
                    .draw_series(std::iter::once(PathElement::new(vec![(x, y0), (x, y1)], color.stroke_width(t.px(3.0) as u32))))
                    .map_err(e)?;
            }
        } else {
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(x, 0.0), (x, y_max)], color.stroke_width(t.px(4.0) as u32))))
                .map_err(e)?;
        }
        let (px, py) = chart.backend_coord(&(x, y_max));
        let dx = match h {
            HPos::Left => t.px(8.0),
            HPos::Right => -t.px(8.0),
            HPos::Center => 0,
        };
        root.draw_text(&label, &page.bold(t.tick_size(), color).pos(Pos::new(h, VPos::Top)), (px + dx, py + t.px(6.0) + row * t.tx(32.0)))
            .map_err(e)?;
        Ok(())
    };
    // labels sit outside the spread, unless that would run off the plot
    let side = |x: f64, preferred: HPos| match preferred {
        HPos::Right if x < 0.12 => HPos::Left,
        HPos::Left if x > 0.85 => HPos::Right,
        other => other,
    };
    marker(f.p10, format!("p10 {:.0}%", f.p10 * 100.0), t.text, true, side(f.p10, HPos::Right), 1)?;
    marker(f.p90, format!("p90 {:.0}%", f.p90 * 100.0), t.text, true, side(f.p90, HPos::Left), 1)?;
    marker(f.median, format!("median {:.0}%", f.median * 100.0), t.alarm, false, side(f.median, HPos::Left), 0)?;
    footnote(root, page, &format!("drift · seed {} · {} · 100 % would be the customer's own words", d.seed, runs(d.runs)))
}
