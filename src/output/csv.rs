//! `hops.csv`: one row per hop of the traced run, with the headline bands beside it, for
//! spreadsheets.

use super::{Format, Report};
use crate::format::round6;

pub struct Csv;

impl Format for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }

    fn file_name(&self) -> &'static str {
        "hops.csv"
    }

    fn render(&self, r: &Report) -> String {
        let s = r.scenario;
        let a = r.analysis;
        let headline = s.headline().name();
        let mut header: Vec<String> = vec!["hop".into(), "role".into(), "note".into(), "text".into()];
        header.extend(s.metrics.iter().map(|m| m.name().to_string()));
        header.extend(s.metrics.iter().map(|m| format!("{}_vs_previous", m.name())));
        header.extend(["jargon".to_string(), "we_focus".to_string()]);
        header.extend(s.customer.three_ps().iter().map(|(n, _)| n.to_string()));
        header.push("edits".into());
        header.extend(["p10", "median", "p90"].iter().map(|q| format!("{headline}_{q}")));
        header.push("human".into());
        let mut out = crate::table::Writer::new();
        out.row(header);
        for ((h, sc), b) in a.trace.hops.iter().zip(&a.scores).zip(&a.bands) {
            let mut row: Vec<String> = vec![h.hop.to_string(), h.role.clone(), h.note.clone().unwrap_or_default(), h.text.clone()];
            let num = |x: f64| round6(x).to_string();
            row.extend(sc.vs_customer.iter().map(|&x| num(x)));
            row.extend(sc.vs_previous.iter().map(|&x| num(x)));
            row.extend([num(sc.jargon), num(sc.we_focus)]);
            row.extend(sc.three_ps.iter().map(|&x| num(x)));
            row.push(h.edits.len().to_string());
            let band = &b.vs_customer[0];
            row.extend([num(band.p10), num(band.median), num(band.p90)]);
            row.push(h.human.to_string());
            out.row(row);
        }
        out.finish()
    }
}
