//! The chart check: every chart kind of every bundled scenario, at a small, a slide and a 4K
//! size, light and dark, read back from its SVG and judged as a trainer would before putting it
//! on a slide. It fails on
//! - two texts whose boxes overlap, or a text that runs off the canvas;
//! - text smaller than the minimum size;
//! - a legend swatch whose colour and opacity no series of the chart is drawn with;
//! - text shortened inside a word ("Cust…").
//!
//! Text boxes come from the SVG's own attributes (position, anchor, `dy`, size, weight,
//! rotation) and the width the bundled font gives the text, measured as the charts measure it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use drift::chart::theme::{MIN_TEXT_EM, Theme, ThemeName};
use drift::chart::{ChartData, ChartKind, ImageFormat, render, typeset};

use super::charts::Element as Svg;
use super::{drift, root};

const SIZES: [(u32, u32); 3] = [(640, 360), (1600, 900), (3840, 2160)];
const THEMES: [ThemeName; 2] = [ThemeName::Light, ThemeName::Dark];

/// One element of an SVG, in drawing order.
#[derive(Debug, Clone)]
enum Element {
    Text(TextBox),
    /// A drawn shape: what it is, its colour (fill, or stroke when unfilled), opacity and
    /// bounding box.
    Shape {
        kind: Kind,
        color: String,
        opacity: f64,
        bounds: Rect,
    },
}

/// What a shape is, as a legend swatch stands for it: a dot for dots, a stroke for lines and
/// whiskers, an area for bars and bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dot,
    Stroke,
    Area,
}

#[derive(Debug, Clone, Copy)]
struct Rect {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Rect {
    fn overlap(&self, o: &Rect) -> f64 {
        let w = (self.x1.min(o.x1) - self.x0.max(o.x0)).max(0.0);
        let h = (self.y1.min(o.y1) - self.y0.max(o.y0)).max(0.0);
        w.min(h)
    }
}

#[derive(Debug, Clone)]
struct TextBox {
    text: String,
    /// The em, in pixels.
    size: f64,
    anchor_x: f64,
    anchor_y: f64,
    /// Regular, `start` anchored and centred on its y: how legend labels are set.
    left_centred: bool,
    bounds: Rect,
}

/// An attribute of an element read by the chart tests' SVG reader, when it has it.
fn attr<'a>(e: &'a Svg, name: &str) -> Option<&'a str> {
    e.attrs.get(name).map(String::as_str)
}

fn num(e: &Svg, name: &str) -> f64 {
    attr(e, name).and_then(|v| v.parse().ok()).unwrap_or(0.0)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&apos;", "'").replace("&amp;", "&")
}

/// The box a `<text>` element's ink takes: from the cap height above the baseline to the
/// descent below it, as wide as the font sets the text.
fn text_box(e: &Svg) -> TextBox {
    let text = unescape(&e.text);
    let size = num(e, "font-size");
    let bold = attr(e, "font-weight") == Some("bold");
    let width = f64::from(typeset::width(&text, size * typeset::SIZE_PER_EM, bold));
    let (x, y) = (num(e, "x"), num(e, "y"));
    let ex = f64::from(typeset::x_height(bold)) * size;
    let baseline = match attr(e, "dy") {
        Some("0.76em") => y + 0.76 * size,
        Some("0.5ex") => y + 0.5 * ex,
        Some("-0.5ex") => y - 0.5 * ex,
        _ => y,
    };
    let left = match attr(e, "text-anchor") {
        Some("middle") => x - width / 2.0,
        Some("end") => x - width,
        _ => x,
    };
    let mut bounds = Rect { x0: left, y0: baseline - 0.73 * size, x1: left + width, y1: baseline + 0.24 * size };
    if let Some(t) = attr(e, "transform") {
        // rotate(a, cx, cy), a multiple of 90: turn the corners
        let args: Vec<f64> = t.trim_start_matches("rotate(").trim_end_matches(')').split(',').map(|a| a.trim().parse().unwrap()).collect();
        let (a, cx, cy) = (args[0].to_radians(), args[1], args[2]);
        let turn = |px: f64, py: f64| (cx + (px - cx) * a.cos() - (py - cy) * a.sin(), cy + (px - cx) * a.sin() + (py - cy) * a.cos());
        let corners = [turn(bounds.x0, bounds.y0), turn(bounds.x1, bounds.y1)];
        bounds = Rect {
            x0: corners[0].0.min(corners[1].0),
            y0: corners[0].1.min(corners[1].1),
            x1: corners[0].0.max(corners[1].0),
            y1: corners[0].1.max(corners[1].1),
        };
    }
    // legend labels are regular weight; a bold label beside a mark is a callout
    let left_centred = attr(e, "text-anchor") == Some("start") && attr(e, "dy") == Some("0.5ex") && attr(e, "transform").is_none() && !bold;
    TextBox { text, size, anchor_x: x, anchor_y: y, left_centred, bounds }
}

fn points_bounds(points: &str) -> Rect {
    let mut r = Rect { x0: f64::MAX, y0: f64::MAX, x1: f64::MIN, y1: f64::MIN };
    for p in points.split_whitespace() {
        if let Some((x, y)) = p.split_once(',') {
            let (x, y): (f64, f64) = (x.parse().unwrap_or(0.0), y.parse().unwrap_or(0.0));
            r = Rect { x0: r.x0.min(x), y0: r.y0.min(y), x1: r.x1.max(x), y1: r.y1.max(y) };
        }
    }
    r
}

/// The texts and shapes of an SVG, in drawing order, from the chart tests' SVG reader.
fn elements(svg: &str) -> Vec<Element> {
    let shape = |e: &Svg, kind: Kind, bounds: Rect| {
        let color = match attr(e, "fill") {
            Some(f) if f != "none" => f.to_string(),
            _ => attr(e, "stroke").unwrap_or("").to_string(),
        };
        let opacity = attr(e, "opacity").and_then(|o| o.parse().ok()).unwrap_or(1.0);
        Element::Shape { kind, color, opacity, bounds }
    };
    super::charts::elements(svg)
        .iter()
        .filter_map(|e| match e.tag.as_str() {
            "text" => Some(Element::Text(text_box(e))),
            "rect" => {
                let (x, y) = (num(e, "x"), num(e, "y"));
                Some(shape(e, Kind::Area, Rect { x0: x, y0: y, x1: x + num(e, "width"), y1: y + num(e, "height") }))
            }
            "circle" => {
                let (x, y, r) = (num(e, "cx"), num(e, "cy"), num(e, "r"));
                Some(shape(e, Kind::Dot, Rect { x0: x - r, y0: y - r, x1: x + r, y1: y + r }))
            }
            "polygon" => Some(shape(e, Kind::Area, points_bounds(attr(e, "points").unwrap_or("")))),
            "polyline" => Some(shape(e, Kind::Stroke, points_bounds(attr(e, "points").unwrap_or("")))),
            "line" => Some(shape(e, Kind::Stroke, Rect { x0: num(e, "x1"), y0: num(e, "y1"), x1: num(e, "x2"), y1: num(e, "y2") })),
            _ => None,
        })
        .collect()
}

/// What is wrong with one chart, in words; empty when it is fit for a slide. `words` are the
/// words the chart may end a shortened text on: the scenario's and the chart's whole texts.
fn judge(svg: &str, (width, height): (u32, u32), words: &BTreeSet<String>) -> Vec<String> {
    let els = elements(svg);
    let texts: Vec<&TextBox> = els.iter().filter_map(|e| if let Element::Text(t) = e { Some(t) } else { None }).collect();
    let mut faults = Vec::new();
    for t in texts.iter().filter(|t| !t.text.trim().is_empty()) {
        if t.size < MIN_TEXT_EM - 0.01 {
            faults.push(format!("`{}` is {:.1} px, below the {MIN_TEXT_EM} px minimum", t.text, t.size));
        }
        let b = t.bounds;
        if b.x0 < -0.5 || b.y0 < -0.5 || b.x1 > f64::from(width) + 0.5 || b.y1 > f64::from(height) + 0.5 {
            faults.push(format!("`{}` runs off the canvas ({:.0},{:.0})–({:.0},{:.0})", t.text, b.x0, b.y0, b.x1, b.y1));
        }
        if let Some(cut) =
            t.text.strip_suffix('…').or_else(|| t.text.strip_suffix("…”").or_else(|| t.text.split_once("…”").map(|(a, _)| a)))
        {
            let last = cut.split_whitespace().last().unwrap_or("");
            let last = last.trim_matches(|c: char| !c.is_alphanumeric());
            if !last.is_empty() && !words.contains(&last.to_lowercase()) {
                faults.push(format!("`{}` is cut inside a word (`{last}`)", t.text));
            }
        }
    }
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            if a.text.trim().is_empty() || b.text.trim().is_empty() {
                continue;
            }
            if a.bounds.overlap(&b.bounds) > 1.0 {
                faults.push(format!("`{}` and `{}` overlap", a.text, b.text));
            }
        }
    }
    // legend swatches: the shapes just before a legend label, left of it on its line
    let mut swatches: Vec<(usize, &str)> = Vec::new();
    for (k, e) in els.iter().enumerate() {
        let Element::Text(t) = e else { continue };
        if !t.left_centred {
            continue;
        }
        let mut j = k;
        while j > 0 {
            j -= 1;
            let Element::Shape { bounds, .. } = &els[j] else { break };
            let beside = bounds.x1 <= t.anchor_x + 0.5
                && bounds.x1 > t.anchor_x - 3.0 * t.size
                && ((bounds.y0 + bounds.y1) / 2.0 - t.anchor_y).abs() < t.size;
            if !beside {
                break;
            }
            swatches.push((j, &t.text));
        }
    }
    let is_swatch = |m: usize| swatches.iter().any(|(j, _)| *j == m);
    for (j, label) in &swatches {
        let Element::Shape { kind, color, opacity, .. } = &els[*j] else { continue };
        let drawn = els.iter().enumerate().any(|(m, other)| {
            !is_swatch(m)
                && matches!(other, Element::Shape { kind: k, color: c, opacity: o, bounds: r }
                    if k == kind && c == color && (o - opacity).abs() < 0.011 && (r.x1 - r.x0) < f64::from(width) - 1.0)
        });
        if !drawn {
            faults.push(format!("the legend swatch of `{label}` ({color}, opacity {opacity}) matches no series drawn"));
        }
    }
    faults
}

/// Every word the charts may end a shortened text on: the scenario file's words.
fn words_of(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’' && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn scenarios() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// Judges a set of SVGs, drawn at every size and theme, together: a word any of them shows
/// whole counts as a whole word for all.
fn judge_all(name: &str, drawn: &[((u32, u32), ThemeName, String)], mut words: BTreeSet<String>, faults: &mut Vec<String>) {
    for (_, _, svg) in drawn {
        for e in elements(svg) {
            if let Element::Text(t) = e
                && !t.text.contains('…')
            {
                words.extend(words_of(&t.text));
            }
        }
    }
    for (size, theme, svg) in drawn {
        for f in judge(svg, *size, &words) {
            faults.push(format!("{name} at {}x{} ({theme:?}): {f}", size.0, size.1));
        }
    }
}

#[test]
fn every_chart_of_every_bundled_scenario_is_fit_for_a_slide() {
    use drift::aggregate::{RunSettings, analyse};
    use drift::metrics::Engine;
    use drift::montecarlo::{Control, Plan};
    let mut faults = Vec::new();
    for path in scenarios() {
        let source = std::fs::read_to_string(&path).unwrap();
        let scenario = drift::scenario::Scenario::parse(&path.display().to_string(), &source).expect("a bundled scenario is valid");
        let lexicon = drift::lexicon::Lexicon::with_extension(&scenario.lexicon);
        let plan = Plan { seed: scenario.seed, runs: 60, engine: Engine::Fast };
        let analysis = analyse(
            &scenario,
            &lexicon,
            RunSettings { plan, counterfactual: true },
            Control::new(&|_| {}, &drift::interrupt::Cancel::new()),
        )
        .expect("not interrupted");
        let data = ChartData::new(&scenario, &analysis);
        for kind in ChartKind::ALL {
            let mut drawn = Vec::new();
            for size in SIZES {
                for theme in THEMES {
                    let (svg, _) = render(kind, &data, &Theme::new(theme, size), ImageFormat::Svg).expect("drawn");
                    drawn.push((size, theme, String::from_utf8(svg).unwrap()));
                }
            }
            let name = format!("{} {}", path.file_name().unwrap().to_string_lossy(), kind.name());
            judge_all(&name, &drawn, words_of(&source), &mut faults);
        }
    }
    assert!(faults.is_empty(), "{} faults:\n{}", faults.len(), faults.join("\n"));
}

/// Runs `drift ARGS --charts svg` at every size and theme and returns each time's `stem.svg`.
fn drawn_by(args: &[&str], stem: &str) -> Vec<((u32, u32), ThemeName, String)> {
    let mut drawn = Vec::new();
    for size in SIZES {
        for theme in THEMES {
            let out = tempfile::tempdir().unwrap();
            let theme_name = if theme == ThemeName::Light { "light" } else { "dark" };
            drift()
                .args(args)
                .args(["--charts", "svg", "--quiet", "--size", &format!("{}x{}", size.0, size.1), "--theme", theme_name, "--out"])
                .arg(out.path())
                .assert()
                // `calibrate --check` exits 1 when off the figures, and still draws its chart
                .code(&[0, 1][..]);
            let svg = find(out.path(), &format!("{stem}.svg")).expect("the chart is written");
            drawn.push((size, theme, std::fs::read_to_string(svg).unwrap()));
        }
    }
    drawn
}

fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    super::files_below(dir).into_iter().find(|p| p.rsplit('/').next() == Some(name)).map(|p| dir.join(p))
}

#[test]
fn compare_sweep_and_calibration_charts_are_fit_for_a_slide() {
    let scenario_words = |files: &[&str]| files.iter().flat_map(|f| words_of(&std::fs::read_to_string(root().join(f)).unwrap())).collect();
    let mut faults = Vec::new();
    let compare = ["scenarios/marketing-long-distance.yaml", "scenarios/customer-checkin.yaml"];
    let drawn = drawn_by(&["compare", compare[0], compare[1], "--runs", "30"], "compare");
    judge_all("compare", &drawn, scenario_words(&compare), &mut faults);
    for vary in [
        &["--vary", "chain[2].mutate.jargon=0..1:6"][..],
        &["--vary", "chain[2].mutate.jargon=0..1:3", "--vary", "chain[1].mutate.omit=0..1:3"],
    ] {
        let mut args = vec!["sweep", "scenarios/talk-chart.yaml", "--runs", "20"];
        args.extend(vary);
        let drawn = drawn_by(&args, "sweep");
        judge_all(&format!("sweep {}", vary.join(" ")), &drawn, scenario_words(&["scenarios/talk-chart.yaml"]), &mut faults);
    }
    // a sweep without an effect says so in words (issue 17), and they fit too
    let flat = ["sweep", "scenarios/marketing-long-distance.yaml", "--vary", "chain[8].mutate.jargon=0..1:3", "--runs", "100"];
    let drawn = drawn_by(&flat, "sweep");
    assert!(drawn.iter().all(|(_, _, svg)| svg.contains("No effect")), "the flat sweep says it has no effect");
    judge_all("sweep without an effect", &drawn, scenario_words(&["scenarios/marketing-long-distance.yaml"]), &mut faults);
    let drawn = drawn_by(&["calibrate", "tests/readme/room.csv", "--runs", "40"], "calibration");
    judge_all("calibration of a room", &drawn, BTreeSet::new(), &mut faults);
    let drawn = drawn_by(&["calibrate", "--check"], "calibration");
    judge_all("calibration check", &drawn, BTreeSet::new(), &mut faults);
    assert!(faults.is_empty(), "{} faults:\n{}", faults.len(), faults.join("\n"));
}

#[test]
fn the_check_sees_what_it_is_for() {
    // overlapping texts, tiny text, a cut word and a swatch in a colour nothing is drawn in
    let svg = r##"<svg>
<text x="10" y="10" dy="0.76em" text-anchor="start" font-size="20" fill="#000">overlapping</text>
<text x="20" y="12" dy="0.76em" text-anchor="start" font-size="20" fill="#000">texts</text>
<text x="10" y="100" dy="0.76em" text-anchor="start" font-size="6" fill="#000">tiny</text>
<text x="10" y="200" dy="0.76em" text-anchor="start" font-size="20" fill="#000">Cust…</text>
<rect x="10" y="291" width="30" height="18" opacity="0.3" fill="#5F5F5F" stroke="none"/>
<text x="50" y="300" dy="0.5ex" text-anchor="start" font-size="20" fill="#000">middle half</text>
<polygon opacity="0.3" fill="#D55E00" points="100,400 200,400 200,450"/>
</svg>"##;
    let faults = judge(svg, (640, 480), &words_of("Customer"));
    let all = faults.join("\n");
    assert!(all.contains("`overlapping` and `texts` overlap"), "{all}");
    assert!(all.contains("`tiny` is 6.0 px"), "{all}");
    assert!(all.contains("`Cust…` is cut inside a word"), "{all}");
    assert!(all.contains("legend swatch of `middle half`"), "{all}");
    assert_eq!(faults.len(), 4, "{all}");
    // and passes what is right: a swatch in a drawn series' colour, a cut after a whole word
    let svg = r##"<svg>
<text x="10" y="200" dy="0.76em" text-anchor="start" font-size="20" fill="#000">The customer…</text>
<rect x="10" y="291" width="30" height="18" opacity="0.3" fill="#D55E00" stroke="none"/>
<text x="50" y="300" dy="0.5ex" text-anchor="start" font-size="20" fill="#000">middle half</text>
<polygon opacity="0.3" fill="#D55E00" points="100,400 200,400 200,450"/>
</svg>"##;
    assert_eq!(judge(svg, (640, 480), &words_of("The customer said")), Vec::<String>::new());
}
