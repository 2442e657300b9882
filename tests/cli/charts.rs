//! Charts: every kind in every format, the requested size, not blank, editable SVG text,
//! byte-identical across runs.

use std::path::Path;

use super::{drift, files_below};

/// The chart kinds `drift run` draws, from the library's own list.
fn kinds() -> Vec<&'static str> {
    drift::chart::ChartKind::ALL.iter().map(|k| k.name()).collect()
}

/// (width, height, pixels differing from the top-left background pixel)
fn decode_png(path: &Path) -> (u32, u32, usize, [u8; 3]) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let pixels = &buf[..info.buffer_size()];
    let bg = [pixels[0], pixels[1], pixels[2]];
    let ink = pixels.chunks(3).filter(|p| *p != bg).count();
    (info.width, info.height, ink, bg)
}

fn run(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let out = tempfile::tempdir().unwrap();
    let a = drift()
        .args(["run", "scenarios/workshop-demo.yaml", "--runs", "40", "--quiet", "--out"])
        .arg(out.path())
        .args(args)
        .assert()
        .success();
    let dir = std::fs::read_dir(out.path()).unwrap().next().unwrap().unwrap().path();
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    (out, dir, stderr)
}

#[test]
fn every_chart_in_both_formats_at_slide_size() {
    let (_out, dir, stderr) = run(&[]);
    assert_eq!(stderr, "", "no warnings for an English scenario");
    for kind in kinds() {
        let (w, h, ink, _) = decode_png(&dir.join(format!("{kind}.png")));
        assert_eq!((w, h), (1600, 900), "{kind}");
        assert!(ink > (w * h / 50) as usize, "{kind}.png looks blank: {ink} pixels of ink");
        let svg = std::fs::read_to_string(dir.join(format!("{kind}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("width=\"1600\"") && svg.contains("height=\"900\""), "{kind}.svg");
        assert!(svg.contains("<text"), "{kind}.svg has no text elements");
        assert!(svg.contains("The bakery that became a lifestyle platform"), "{kind}.svg lacks the scenario's name");
        for role in ["Web agency", "Brand consultant", "Growth hacker", "Investor"] {
            if kind != "final" {
                assert!(svg.contains(role), "{kind}.svg lacks the role {role}");
            }
        }
    }
    let svg = std::fs::read_to_string(dir.join("drift.svg")).unwrap();
    assert!(svg.contains("Sam, owner of a two-person neighbourhood bakery"), "the subtitle names who said it");
}

/// Issue 17: a PNG says how large it is meant to be (pHYs), so a chart dropped into slide
/// software fills a widescreen slide's width (13.333 in) at any --size.
#[test]
fn pngs_carry_a_slide_sized_density() {
    for (size, width) in [("1600x900", 1600.0), ("800x450", 800.0)] {
        let (_o, dir, _) = run(&["--size", size, "--charts", "png"]);
        for kind in kinds() {
            let path = dir.join(format!("{kind}.png"));
            let reader = png::Decoder::new(std::fs::File::open(&path).unwrap()).read_info().unwrap();
            let dims = reader.info().pixel_dims.unwrap_or_else(|| panic!("{kind}.png at {size} has no pixel density"));
            assert_eq!(dims.unit, png::Unit::Meter);
            assert_eq!(dims.xppu, dims.yppu, "{kind}.png: square pixels");
            let inches = width / (f64::from(dims.xppu) * 0.0254);
            assert!((inches - 13.333).abs() < 0.01, "{kind}.png at {size} is {inches:.3} in wide");
        }
    }
}

#[test]
fn charts_are_byte_identical_run_to_run() {
    let (_a, dir_a, _) = run(&[]);
    let (_b, dir_b, _) = run(&[]);
    for f in files_below(&dir_a) {
        assert_eq!(std::fs::read(dir_a.join(&f)).unwrap(), std::fs::read(dir_b.join(&f)).unwrap(), "{f} differs");
    }
}

#[test]
fn size_theme_and_format_options() {
    let (_o, dir, _) = run(&["--size", "800x450", "--theme", "dark", "--charts", "png"]);
    let names = files_below(&dir);
    assert!(names.iter().all(|n| !n.ends_with(".svg")), "{names:?}");
    let (w, h, _, bg) = decode_png(&dir.join("drift.png"));
    assert_eq!((w, h), (800, 450));
    assert!(bg.iter().all(|&c| c < 60), "dark theme background {bg:?}");
    let (_o, dir, _) = run(&["--no-charts"]);
    assert_eq!(files_below(&dir), ["hops.csv", "report.html", "summary.json", "trace.md"]);
    drift().args(["run", "scenarios/workshop-demo.yaml", "--size", "12x5"]).assert().code(2);
    drift().args(["run", "scenarios/workshop-demo.yaml", "--charts", "gif"]).assert().code(2);
}

#[test]
fn characters_the_font_lacks_are_reported_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("tokyo.yaml");
    std::fs::write(
        &scenario,
        "version: 1\nname: 東京 launch 🚀\ncustomer:\n  who: 佐藤さん\n  said: We keep losing our best adjusters to paperwork.\nchain:\n  - role: 広報\n    preset: cmo\n  - role: CMO\n    preset: approve\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let a = drift().arg("run").arg(&scenario).args(["--runs", "10", "--quiet", "--out"]).arg(&out).assert().success();
    let stderr = String::from_utf8_lossy(&a.get_output().stderr);
    assert!(stderr.contains("warning:") && stderr.contains("東京 launch 🚀") && stderr.contains("□"), "{stderr}");
    // the folder name transliterates the title ("東京" → dong-jing, 🚀 → rocket)
    let chart_dir = out.join("dong-jing-launch-rocket");
    let svg = std::fs::read_to_string(chart_dir.join("drift.svg")).unwrap();
    assert!(svg.contains("東京 launch 🚀") && svg.contains("広報"), "the SVG keeps every character");
    let (w, h, ink, _) = decode_png(&chart_dir.join("drift.png"));
    assert!(w == 1600 && h == 900 && ink > 0);
}

#[test]
fn title_and_subtitle_for_a_talk() {
    let (_out, dir, _) = run(&["--title", "Our approval chain <Q3>", "--subtitle", "Acme offsite & friends", "--charts", "svg"]);
    let opening = std::fs::read_to_string(dir.join("drift.svg")).unwrap();
    assert!(opening.contains("Our approval chain &lt;Q3&gt;"), "the title, escaped");
    assert!(opening.contains("Acme offsite &amp; friends"), "the subtitle, escaped");
    // the other charts name the scenario by the given title
    let blame = std::fs::read_to_string(dir.join("blame.svg")).unwrap();
    assert!(blame.contains("Our approval chain &lt;Q3&gt;"));
    // a title is one line
    let out = tempfile::tempdir().unwrap();
    let a = drift()
        .args(["run", "scenarios/workshop-demo.yaml", "--runs", "4", "--title", "two\nlines", "--out"])
        .arg(out.path())
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("one line"));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn trace_md_shows_the_charts_written() {
    let (_out, dir, _) = run(&[]);
    let md = std::fs::read_to_string(dir.join("trace.md")).unwrap();
    // a slide each: a rule, the question as a section heading, the chart
    assert_eq!(md.matches("\n---\n\n## ").count(), kinds().len(), "{md}");
    for kind in kinds() {
        assert!(md.contains(&format!("]({kind}.png)")), "{kind}.png linked");
        assert!(dir.join(format!("{kind}.png")).exists());
    }
    let (_out, dir, _) = run(&["--charts", "svg"]);
    let md = std::fs::read_to_string(dir.join("trace.md")).unwrap();
    assert!(md.contains("](drift.svg)") && !md.contains(".png)"), "only what was written is linked");
    let (_out, dir, _) = run(&["--no-charts"]);
    let md = std::fs::read_to_string(dir.join("trace.md")).unwrap();
    assert!(!md.contains(".svg)") && !md.contains("\n---\n"), "no charts, no links");
}

/// One element of an SVG as plotters writes it: its tag, its attributes and its text.
#[derive(Debug, Clone)]
pub struct Element {
    pub tag: String,
    pub attrs: std::collections::HashMap<String, String>,
    pub text: String,
}

impl Element {
    pub fn num(&self, name: &str) -> f64 {
        self.attrs.get(name).and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{name} of {self:?}"))
    }

    pub fn attr(&self, name: &str) -> &str {
        self.attrs.get(name).map_or("", String::as_str)
    }
}

/// Every element of an SVG, in drawing order (plotters writes attributes in double quotes and
/// escapes none in them).
pub fn elements(svg: &str) -> Vec<Element> {
    svg.split('<')
        .skip(1)
        .filter(|s| !s.starts_with('/') && !s.starts_with('?') && !s.starts_with('!'))
        .map(|s| {
            let (head, text) = s.split_once('>').unwrap_or((s, ""));
            let head = head.trim_end_matches('/');
            let (tag, mut rest) = head.split_once(char::is_whitespace).unwrap_or((head, ""));
            let mut attrs = std::collections::HashMap::new();
            while let Some((name, after)) = rest.split_once("=\"") {
                let (value, after) = after.split_once('"').unwrap_or((after, ""));
                attrs.insert(name.trim().to_string(), value.to_string());
                rest = after;
            }
            Element { tag: tag.to_string(), attrs, text: text.trim().to_string() }
        })
        .collect()
}

/// The charts `drift run` draws of `scenario` with `args`: the folder they are in.
fn charts_of(scenario: &Path, args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().unwrap();
    drift()
        .arg("run")
        .arg(scenario)
        .args(["--runs", "60", "--quiet", "--charts", "svg", "--out"])
        .arg(out.path())
        .args(args)
        .assert()
        .success();
    let dir = std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().path()).find(|p| p.is_dir()).expect("a chart folder");
    (out, dir)
}

/// (colour, opacity) of every shaded element of `tag`: the translucent fills.
fn shades(svg: &str, tag: &str) -> std::collections::BTreeSet<(String, String)> {
    elements(svg)
        .into_iter()
        .filter(|e| e.tag == tag && e.attr("opacity") != "1" && e.attrs.contains_key("fill"))
        .map(|e| (e.attr("fill").to_string(), e.attr("opacity").to_string()))
        .collect()
}

/// Issue 17: a legend's swatch of a shaded band is the colour and opacity the plot shades with
/// (`symptoms` had a grey swatch for orange and purple bands, `drift` and `words` a swatch at
/// 0.40 for a band at 0.30), in both themes.
#[test]
fn legend_swatches_are_the_shades_the_plot_draws() {
    for theme in ["light", "dark"] {
        let (_o, dir) = charts_of(Path::new("scenarios/workshop-demo.yaml"), &["--theme", theme]);
        for kind in ["drift", "symptoms", "words"] {
            let svg = std::fs::read_to_string(dir.join(format!("{kind}.svg"))).unwrap();
            let (swatches, bands) = (shades(&svg, "rect"), shades(&svg, "polygon"));
            assert!(!bands.is_empty(), "{kind} ({theme}) shades no band");
            assert_eq!(swatches, bands, "{kind} ({theme}): legend swatches against the bands drawn");
        }
    }
}

/// "#RRGGBB" as numbers.
fn rgb(hex: &str) -> [f64; 3] {
    let h = hex.trim_start_matches('#');
    [0, 2, 4].map(|i| f64::from(u8::from_str_radix(&h[i..i + 2], 16).unwrap()))
}

/// Issue 17: on the dark theme both bands of the headline show against the background, and
/// apart from each other: 80 % of runs at least 40 levels (of 255) from the background in some
/// channel, the middle half laid over it at least 30 more.
#[test]
fn dark_bands_are_visible_and_distinct() {
    let (_o, dir) = charts_of(Path::new("scenarios/workshop-demo.yaml"), &["--theme", "dark"]);
    let svg = std::fs::read_to_string(dir.join("drift.svg")).unwrap();
    let all = elements(&svg);
    let background = rgb(all.iter().find(|e| e.tag == "rect").unwrap().attr("fill"));
    let polygons: Vec<&Element> = all.iter().filter(|e| e.tag == "polygon").collect();
    assert_eq!(polygons.len(), 2, "the 80 % band, then the middle half");
    let over = |under: [f64; 3], e: &Element| {
        let (c, a) = (rgb(e.attr("fill")), e.num("opacity"));
        [0, 1, 2].map(|i| under[i] + a * (c[i] - under[i]))
    };
    let outer = over(background, polygons[0]);
    let middle = over(outer, polygons[1]);
    let apart = |a: [f64; 3], b: [f64; 3]| (0..3).map(|i| (a[i] - b[i]).abs()).fold(0.0, f64::max);
    assert!(apart(outer, background) >= 40.0, "80 % band {outer:?} on {background:?}");
    assert!(apart(middle, outer) >= 30.0, "middle half {middle:?} on {outer:?}");
}

/// Issue 17: a traced run's dot at 0 % stays inside the plot, clear of the hop numbers under
/// the x axis.
#[test]
fn dots_at_zero_leave_the_hop_numbers_clear() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("zero.yaml");
    std::fs::write(
        &scenario,
        "version: 1\nname: Nothing left\ncustomer:\n  said: I spend every evening on invoices instead of baking new recipes.\nchain:\n  - role: Strategist\n    mutate:\n      refocus: { rate: 1.0, to: an omnichannel lifestyle platform }\n      abstract: 1.0\n      jargon: 1.0\n  - role: Agency\n    mutate: { jargon: 1.0, synonym: 1.0, omit: 0.5 }\n",
    )
    .unwrap();
    let (_o, charts) = charts_of(&scenario, &["--seed", "1"]);
    for kind in ["words", "drift"] {
        let all = elements(&std::fs::read_to_string(charts.join(format!("{kind}.svg"))).unwrap());
        // the hop numbers: bold, centred text that is a hop's number
        let numbers: Vec<&Element> = all
            .iter()
            .filter(|e| {
                e.tag == "text" && e.attr("font-weight") == "bold" && e.attr("text-anchor") == "middle" && (e.text == "1" || e.text == "2")
            })
            .collect();
        assert_eq!(numbers.len(), 2, "{kind}: {numbers:?}");
        let top = numbers.iter().map(|e| e.num("y")).fold(f64::MAX, f64::min);
        let dots: Vec<&Element> = all.iter().filter(|e| e.tag == "circle" && e.num("cy") > 300.0).collect();
        assert!(!dots.is_empty(), "{kind}: the traced run's last dot is low");
        for d in dots {
            assert!(d.num("cy") + d.num("r") < top, "{kind}: a dot at {} (r {}) reaches the hop numbers at {top}", d.num("cy"), d.num("r"));
        }
    }
}

/// Issue 17: `symptoms` follows the mean of runs (a share of a few pronouns takes a few values,
/// and its median jumped between them from hop to hop), and says so.
#[test]
fn symptoms_say_they_draw_the_mean() {
    let (_o, dir) = charts_of(Path::new("scenarios/workshop-demo.yaml"), &[]);
    let svg = std::fs::read_to_string(dir.join("symptoms.svg")).unwrap();
    assert!(svg.contains("the mean of 60 runs") && svg.contains("lines: the mean of runs"), "subtitle and footnote");
    assert!(!svg.contains("median"), "symptoms draws no median");
}

/// The blame chart of `scenario` at 60 runs, its SVG and summary.json.
fn blame_of(scenario: &str) -> (String, serde_json::Value) {
    let (_o, dir) = charts_of(Path::new(scenario), &[]);
    let svg = std::fs::read_to_string(dir.join("blame.svg")).unwrap();
    let summary = serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    (svg, summary)
}

/// The light theme's colour of a hop that brought the message back (Okabe–Ito bluish green).
const GREEN: &str = "#009E73";

/// Issue 17: a hop is green (brought the message back) only when the middle half of its runs
/// gained, not for a wobble of a fraction of a point around zero; the legend says what green
/// means.
#[test]
fn blame_greens_only_a_hop_whose_middle_half_gained() {
    let (svg, summary) = blame_of("scenarios/workshop-demo.yaml");
    let investor = &summary["blame"][4]["drop"];
    // the wobble the old rule (a median fall below −0.05 points) coloured green
    assert!(investor["median"].as_f64().unwrap() * 100.0 < -0.05 && investor["p75"].as_f64().unwrap() > 0.0, "{investor}");
    assert!(!svg.contains(GREEN), "a wobble is not a hop that brought the message back");
    let (svg, summary) = blame_of("scenarios/customer-checkin.yaml");
    let checkin = &summary["blame"][11];
    assert_eq!(checkin["role"], "Customer check-in");
    assert!(checkin["drop"]["p75"].as_f64().unwrap() < 0.0, "{checkin}");
    let green = elements(&svg).into_iter().filter(|e| e.tag == "rect" && e.attr("fill") == GREEN).count();
    assert_eq!(green, 2, "the check-in's bar and its legend swatch");
    assert!(svg.contains("its middle half of runs gained"), "the legend says what green means");
}

/// The value labels of a blame chart: bold numbers with a decimal point.
fn value_labels(all: &[Element]) -> Vec<&Element> {
    all.iter()
        .filter(|e| {
            e.tag == "text"
                && e.attr("font-weight") == "bold"
                && e.text.contains('.')
                && e.text.replace(['−', '+'], "").parse::<f64>().is_ok()
        })
        .collect()
}

/// A label's box (left, top, right, bottom) from its anchor, taking DejaVu Sans Bold's digits
/// as 0.70 em wide and the box as one em from the top to the baseline.
fn label_box(label: &Element) -> [f64; 4] {
    let (size, x, y) = (label.num("font-size"), label.num("x"), label.num("y"));
    let w = label.text.chars().count() as f64 * 0.70 * size;
    let left = match label.attr("text-anchor") {
        "middle" => x - w / 2.0,
        "end" => x - w,
        _ => x,
    };
    let top = match label.attr("dy") {
        "0.76em" => y,
        dy if dy.starts_with('-') => y - size,
        _ => y - size / 2.0,
    };
    [left, top, left + w, top + size]
}

/// The whiskers and caps of a blame chart: the short strokes 2 px wide (the zero line spans
/// the plot).
fn whiskers(all: &[Element]) -> Vec<[f64; 4]> {
    all.iter()
        .filter(|e| e.tag == "polyline" && e.attr("stroke-width") == "2")
        .filter_map(|e| {
            let p: Vec<f64> = e.attr("points").split([' ', ',']).filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect();
            (p.len() == 4 && (p[2] - p[0]).abs() < 400.0).then(|| [p[0], p[1], p[2], p[3]])
        })
        .collect()
}

/// Issue 17: what passing each hop on unchanged would give back is readable: a value label
/// per hop beside the fall's, its whiskers in its own tone (not the falls'), and the legend
/// says what it is.
#[test]
fn blame_labels_every_gain_and_tones_its_whiskers() {
    let (svg, _) = blame_of("scenarios/workshop-demo.yaml");
    let all = elements(&svg);
    let labels = value_labels(&all);
    assert_eq!(labels.len(), 10, "a fall and a gain for each of 5 hops: {:?}", labels.iter().map(|e| &e.text).collect::<Vec<_>>());
    let colors: std::collections::BTreeSet<&str> = all
        .iter()
        .filter(|e| e.tag == "polyline" && e.attr("stroke-width") == "2" && e.attr("stroke") != "#5F5F5F")
        .map(|e| e.attr("stroke"))
        .collect();
    assert!(colors.len() >= 2, "whiskers in each series' tone: {colors:?}");
    assert!(svg.contains("given back at the end had the hop passed the message on unchanged"));
}

/// Issue 17: no value label of the blame chart covers a whisker or its caps.
#[test]
fn blame_labels_clear_every_whisker() {
    for scenario in ["workshop-demo", "cmo-approval-chain", "customer-checkin", "marketing-long-distance", "talk-chart", "three-ps"] {
        let (svg, _) = blame_of(&format!("scenarios/{scenario}.yaml"));
        let all = elements(&svg);
        let strokes = whiskers(&all);
        assert!(strokes.len() > 10, "{scenario}: {} whisker strokes", strokes.len());
        let labels = value_labels(&all);
        assert!(!labels.is_empty(), "{scenario}: no value labels");
        for label in labels {
            let [left, top, right, bottom] = label_box(label);
            // a stroke 2 px wide, and a few pixels of air
            let m = 4.0;
            for [x0, y0, x1, y1] in &strokes {
                let clear = x0.max(*x1) + m < left || x0.min(*x1) - m > right || y0.max(*y1) + m < top || y0.min(*y1) - m > bottom;
                assert!(clear, "{scenario}: label {} at ({left}, {top}) covers the stroke {:?}", label.text, [x0, y0, x1, y1]);
            }
        }
    }
}

/// The bytes of one PNG and one SVG, pinned: the same seed gives the same files on any machine
/// and with any build (a debug and a release build once wrote different PNG bytes for the same
/// pixels). A change to the charts changes these on purpose: regenerate with
/// `drift run scenarios/workshop-demo.yaml --runs 40 --size 640x360 --charts png,svg` and
/// print `drift::hash::fnv1a` of each file.
#[test]
fn chart_bytes_are_pinned_across_machines_and_builds() {
    let (_out, dir, _) = run(&["--size", "640x360"]);
    let hash = |f: &str| format!("{:016x}", drift::hash::fnv1a(&std::fs::read(dir.join(f)).unwrap()));
    assert_eq!([hash("final.png"), hash("final.svg")], ["5ac21c6ceee91b33", "f21c5da50172fae6"]);
}
