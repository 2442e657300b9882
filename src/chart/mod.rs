//! Slide-ready charts, drawn with plotters, as PNG and SVG.
//!
//! One file per chart kind, as criterion's `plot/`; this module holds what they share: the
//! data every chart reads ([`ChartData`]), the page furniture (title, subtitle, legend, role
//! labels), and the rendering to PNG bytes and SVG text. A new chart kind is one new file and
//! one line in the `run_charts!` list.

mod along;
pub mod calibration;
pub mod compare;
mod labels;
pub mod sweep;
pub mod theme;
pub mod typeset;

use std::cell::RefCell;
use std::collections::BTreeSet;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use theme::{Theme, ThemeName};

use crate::aggregate::Analysis;
use crate::scenario::Scenario;
use crate::stats::Band;

/// What a chart kind of `drift run` is, for the files, the report and the README: its file
/// name, the question it answers and how to read it, in the README's words. Each chart file
/// holds its own (`pub const ABOUT`), beside the drawing it describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    /// The file name's stem: `drift` → drift.png, drift.svg.
    pub name: &'static str,
    pub question: &'static str,
    pub how_to_read: &'static str,
}

/// A chart that can be drawn from data of type `D` on any plotters backend.
pub trait Drawing<D> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, page: &Page<D>) -> Result<(), String>;
}

/// Declares the chart kinds `drift run` draws from one list: each line names a variant and
/// its file (`src/chart/FILE.rs`, holding `pub const ABOUT: About` and `pub fn draw`), and
/// becomes the module, the [`ChartKind`] variant, its place in [`ChartKind::ALL`] and its
/// drawing.
macro_rules! run_charts {
    ($($kind:ident => $file:ident),+ $(,)?) => {
        $(mod $file;)+

        /// The chart kinds `drift run` draws, in the order the README explains them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ChartKind {
            $($kind,)+
        }

        impl ChartKind {
            pub const ALL: &[ChartKind] = &[$(ChartKind::$kind,)+];

            /// The chart's name, question and how to read it.
            pub fn about(self) -> &'static About {
                match self {
                    $(ChartKind::$kind => &$file::ABOUT,)+
                }
            }
        }

        impl Drawing<ChartData> for ChartKind {
            fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, page: &Page<ChartData>) -> Result<(), String> {
                match self {
                    $(ChartKind::$kind => $file::draw(root, page),)+
                }
            }
        }
    };
}

// A new chart kind of `drift run`: a file in src/chart/ and one line here.
run_charts! {
    Drift => drift,
    Blame => blame,
    Final => final_hop,
    Symptoms => symptoms,
    Words => words,
}

impl ChartKind {
    pub fn name(self) -> &'static str {
        self.about().name
    }
}

/// Image formats a chart is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum ImageFormat {
    Png,
    Svg,
}

impl ImageFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Svg => "svg",
        }
    }
}

/// One series along the chain: index 0 is the customer's own words, then one per hop.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub bands: Vec<Band>,
}

/// What the charts show, taken from the scenario and its analysis alone: every figure is
/// computed once, in the analysis, and the charts only draw it.
#[derive(Debug, Clone)]
pub struct ChartData {
    /// The scenario's name, or the title given for a talk (`--title`).
    pub title: String,
    /// The drift chart's line under the title, when given for a talk (`--subtitle`); else the
    /// customer's words.
    pub subtitle: Option<String>,
    /// The customer's words, whole (shortened to fit when drawn).
    pub quote: String,
    pub who: Option<String>,
    /// "Customer", then each hop's role.
    pub stations: Vec<String>,
    pub headline: String,
    /// Against the customer, the headline first.
    pub metrics: Vec<Series>,
    /// The traced run's headline value at each station.
    pub traced: Vec<f64>,
    /// The headline's fall at each hop (no entry for the customer).
    pub drops: Vec<Band>,
    /// What passing each hop through would add to the final headline, when computed.
    pub gains: Vec<Option<Band>>,
    /// The hop (0-based) with the largest median fall, and the fall (as the trace names it).
    pub biggest_fall: Option<(usize, f64)>,
    /// The hop (0-based) worth fixing first (as the trace names it).
    pub worth_fixing_first: Option<usize>,
    pub final_counts: Vec<u64>,
    pub final_band: Band,
    /// What unrelated text of the customer's length scores on the headline.
    pub chance: f64,
    pub jargon: Series,
    pub we_focus: Series,
    pub words: Series,
    pub traced_words: Vec<f64>,
    /// How many distinct content words the customer's words have.
    pub content_words: usize,
    pub runs: u64,
    pub seed: u64,
}

fn point(x: f64) -> Band {
    Band { p10: x, p25: x, median: x, p75: x, p90: x, mean: x }
}

/// Bins of the `final` histogram: 2 % each.
pub const FINAL_BINS: usize = 50;

impl ChartData {
    pub fn new(s: &Scenario, a: &Analysis) -> ChartData {
        let customer = s.customer.told();
        let mut stations = vec!["Customer".to_string()];
        stations.extend(s.chain.iter().map(|h| if h.is_human() { format!("{} (human)", h.role) } else { h.role.clone() }));
        let along = |name: &str, start: Band, f: &dyn Fn(&crate::aggregate::HopBands) -> Band| Series {
            name: name.to_string(),
            bands: std::iter::once(start).chain(a.bands.iter().map(f)).collect(),
        };
        let metrics = s.metrics.iter().enumerate().map(|(k, m)| along(m.label(), point(1.0), &|b| b.vs_customer[k])).collect();
        let mut traced = vec![1.0];
        traced.extend(a.scores.iter().map(|sc| sc.vs_customer[0]));
        let mut traced_words = vec![1.0];
        traced_words.extend(a.scores.iter().map(|sc| sc.words));
        ChartData {
            title: s.name.clone(),
            subtitle: None,
            quote: customer.to_string(),
            who: s.customer.who.clone(),
            stations,
            headline: s.headline().label().to_string(),
            metrics,
            traced,
            drops: a.bands.iter().map(|b| b.drop).collect(),
            gains: a.bands.iter().map(|b| b.gain).collect(),
            biggest_fall: a.biggest_fall(),
            worth_fixing_first: a.worth_fixing_first().map(|(i, _)| i),
            final_counts: a.final_histogram.coarse_counts(FINAL_BINS),
            final_band: a.bands.last().map_or(point(1.0), |b| b.vs_customer[0]),
            chance: a.chance[0],
            // measured against the customer, whose own words score 0 on both
            jargon: along("jargon", point(0.0), &|b| b.jargon),
            we_focus: along("we-focus", point(0.0), &|b| b.we_focus),
            words: along("customer words", point(1.0), &|b| b.words),
            traced_words,
            content_words: a.content_words,
            runs: a.runs,
            seed: a.seed,
        }
    }
}

/// Everything a chart kind needs to draw: the data, the look, and the text filter.
pub struct Page<'a, D = ChartData> {
    pub data: &'a D,
    pub theme: &'a Theme,
    /// PNG text goes through the bundled font, which lacks CJK and emoji: those characters
    /// are drawn as □ and the text is remembered for a warning. SVG keeps every character.
    substitute: bool,
    affected: RefCell<BTreeSet<String>>,
}

impl<D> Page<'_, D> {
    /// `s` as it can be drawn: no longer than [`MAX_DRAWN_CHARS`] (what is past that could
    /// never show, and measuring it would cost time in proportion), and in the font's
    /// characters.
    pub fn text(&self, s: &str) -> String {
        let s = match s.char_indices().nth(MAX_DRAWN_CHARS) {
            Some((cut, _)) => format!("{}…", &s[..cut]),
            None => s.to_string(),
        };
        if !self.substitute || s.chars().all(theme::font_has) {
            return s;
        }
        self.affected.borrow_mut().insert(s.clone());
        s.chars().map(|c| if theme::font_has(c) { c } else { '□' }).collect()
    }

    pub fn font(&self, size: f64, color: RGBColor) -> TextStyle<'static> {
        (theme::family(), size).into_font().color(&color)
    }

    pub fn bold(&self, size: f64, color: RGBColor) -> TextStyle<'static> {
        (theme::family(), size, FontStyle::Bold).into_font().color(&color)
    }
}

/// Renders one chart as PNG bytes or SVG text; also returns text the font could not draw.
pub fn render<D, K: Drawing<D>>(kind: &K, data: &D, theme: &Theme, format: ImageFormat) -> Result<(Vec<u8>, Vec<String>), String> {
    let (w, h) = (theme.width, theme.height);
    let page = Page { data, theme, substitute: format == ImageFormat::Png, affected: RefCell::new(BTreeSet::new()) };
    let bytes = match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = typeset::Typeset::vector(SVGBackend::with_string(&mut svg, (w, h))).into_drawing_area();
                root.fill(&theme.background).map_err(|e| e.to_string())?;
                kind.draw(&root, &page)?;
                root.present().map_err(|e| e.to_string())?;
            }
            svg.into_bytes()
        }
        ImageFormat::Png => {
            let mut pixels = vec![0u8; w as usize * h as usize * 3];
            {
                let root = typeset::Typeset::raster(BitMapBackend::with_buffer(&mut pixels, (w, h))).into_drawing_area();
                root.fill(&theme.background).map_err(|e| e.to_string())?;
                kind.draw(&root, &page)?;
                root.present().map_err(|e| e.to_string())?;
            }
            encode_png(&pixels, w, h)?
        }
    };
    Ok((bytes, page.affected.into_inner().into_iter().collect()))
}

/// The width of a widescreen (16:9) slide in PowerPoint, in inches. A chart's PNG says its
/// pixels span that width, so slide software places it filling the slide's width at any
/// `--size` (1600 px wide: 120 dpi), instead of at 96 or 72 dpi, several slides wide.
const SLIDE_WIDTH_INCHES: f64 = 13.333;

/// The pixel density (pixels per metre, as PNG's pHYs chunk has it) at which an image `w`
/// pixels wide spans [`SLIDE_WIDTH_INCHES`].
fn pixels_per_metre(w: u32) -> u32 {
    (f64::from(w) / SLIDE_WIDTH_INCHES / 0.0254).round() as u32
}

fn encode_png(pixels: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let density = pixels_per_metre(w);
        encoder.set_pixel_dims(Some(png::PixelDimensions { xppu: density, yppu: density, unit: png::Unit::Meter }));
        encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        // named, not left to the crate: its default is the fast compressor, whose output is
        // 2.4 times the size of zlib level 6 on charts (final.png: 121 kB against 50 kB)
        encoder.set_compression(png::Compression::Default);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(pixels).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

// ---- shared page furniture ----

/// Draws the title and up to two subtitle lines at the top; returns the y just below them.
pub fn header<DB: DrawingBackend, D>(root: &DrawingArea<DB, Shift>, page: &Page<D>, title: &str, subtitle: &str) -> Result<i32, String> {
    // a short canvas keeps its height for the plot: one line of subtitle
    header_keeping(root, page, title, subtitle, "", if page.theme.height < 500 { 1 } else { 2 })
}

/// The header with the customer's words as its subtitle: shortened at a word when they do
/// not fit on two lines, and always with who said them.
pub fn quote_header<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, page: &Page, title: &str) -> Result<i32, String> {
    let d = page.data;
    if let Some(subtitle) = &d.subtitle {
        return header(root, page, title, subtitle);
    }
    let who = d.who.as_ref().map(|w| format!(" — {w}")).unwrap_or_default();
    header_keeping(root, page, title, &format!("“{}", d.quote), &format!("”{who}"), 2)
}

/// The header, its subtitle `body` followed by `keep`: when the two do not fit on two lines,
/// the body is shortened at a word with … and `keep` stays whole.
fn header_keeping<DB: DrawingBackend, D>(
    root: &DrawingArea<DB, Shift>,
    page: &Page<D>,
    title: &str,
    body: &str,
    keep: &str,
    lines: usize,
) -> Result<i32, String> {
    let t = page.theme;
    let m = t.margin();
    let width = t.width as i32 - 2 * m;
    let title_style = page.bold(t.title_size(), t.text);
    let title = fit(root, &page.text(title), &title_style, width);
    root.draw_text(&title, &title_style, (m, m)).map_err(|e| e.to_string())?;
    let mut y = m + (t.title_size() * 1.3).round() as i32;
    let sub_style = page.font(t.subtitle_size(), t.muted);
    let measure = measurer(root, &sub_style);
    let subtitle = shorten_keeping(&page.text(body), &page.text(keep), width, lines, &measure);
    for line in wrap(&subtitle, width, lines, &measure) {
        root.draw_text(&line, &sub_style, (m, y)).map_err(|e| e.to_string())?;
        y += t.tx(34.0);
    }
    Ok(y + t.tx(8.0))
}

/// `body` then `keep`, with the body shortened at a word (and …) until the whole wraps into
/// `lines` lines of `width` pixels; `keep` is never cut.
fn shorten_keeping(body: &str, keep: &str, width: i32, lines: usize, measure: &dyn Fn(&str) -> i32) -> String {
    let whole = format!("{body}{keep}");
    if wraps_into(&whole, width, lines, measure) {
        return whole;
    }
    let words: Vec<&str> = body.split_whitespace().collect();
    let with = |k: usize| format!("{}…{keep}", words[..k].join(" "));
    // the most words that fit: a binary search, as the body may be long
    let (mut lo, mut hi) = (0usize, words.len().saturating_sub(1));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if wraps_into(&with(mid), width, lines, measure) { lo = mid } else { hi = mid - 1 }
    }
    with(lo)
}

/// True when greedy wrapping puts `text` on at most `lines` lines, no word cut.
fn wraps_into(text: &str, width: i32, lines: usize, measure: &dyn Fn(&str) -> i32) -> bool {
    let mut count = 1;
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if measure(&candidate) <= width {
            line = candidate;
        } else if line.is_empty() || measure(word) > width {
            return false;
        } else {
            count += 1;
            line = word.to_string();
        }
    }
    count <= lines
}

/// The most characters of one text a chart draws: more than the widest chart fits on its
/// three lines of labels at the smallest type.
pub const MAX_DRAWN_CHARS: usize = 1_000;

/// How wide a text is in `style`, in pixels, as `root` sets it (unmeasurable: too wide).
fn measurer<'a, DB: DrawingBackend>(root: &'a DrawingArea<DB, Shift>, style: &'a TextStyle) -> impl Fn(&str) -> i32 + 'a {
    move |s: &str| root.estimate_text_size(s, style).map(|(w, _)| w as i32).unwrap_or(i32::MAX)
}

/// Shortens `text` with … until it fits `width` pixels.
pub fn fit<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, text: &str, style: &TextStyle, width: i32) -> String {
    let measure = measurer(root, style);
    shorten_to(text, width, &measure)
}

/// `text`, or its longest start that fits `width` pixels with "…" after it, cut after a
/// whole word; only a first word too long for the width is cut inside. Binary searches, so a
/// long text costs a few measurements, not one per character.
fn shorten_to(text: &str, width: i32, measure: &dyn Fn(&str) -> i32) -> String {
    if measure(text) <= width {
        return text.to_string();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let with = |k: usize| format!("{}…", words[..k].join(" "));
    if words.len() > 1 && measure(&with(1)) <= width {
        let (mut lo, mut hi) = (1usize, words.len() - 1);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if measure(&with(mid)) <= width { lo = mid } else { hi = mid - 1 }
        }
        return with(lo);
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>().trim_end().to_string() + "…";
        if measure(&candidate) <= width { lo = mid } else { hi = mid - 1 }
    }
    chars[..lo].iter().collect::<String>().trim_end().to_string() + "…"
}

/// How a legend entry is drawn.
pub enum Mark {
    Line {
        width: u32,
    },
    Dashed,
    /// A swatch shaded as the plot shades a spread across runs: a stripe per colour, side by
    /// side, each with the opacities laid one over the other as the plot lays them (the middle
    /// half of runs over the 80 %). The entry's own colour is not used.
    Shade(Vec<RGBColor>, Vec<f64>),
    Dot,
    /// Dots, one per colour, side by side: for marks drawn in each series' colour. The entry's
    /// own colour is not used.
    Dots(Vec<RGBColor>),
    Bar,
    /// A whisker with its caps, one per colour, side by side. The entry's own colour is not
    /// used.
    Whisker(Vec<RGBColor>),
}

/// Legend entries in rows from `y`, left to right from the margin, wrapping at the right
/// margin: outside the plot, so it never covers data. Returns the y below the legend.
pub fn legend<DB: DrawingBackend, D>(
    root: &DrawingArea<DB, Shift>,
    page: &Page<D>,
    y: i32,
    entries: &[(String, RGBColor, Mark)],
) -> Result<i32, String> {
    let t = page.theme;
    let style = page.font(t.tick_size(), t.text);
    let mut x = t.margin();
    let mut y = y;
    let swatch = t.tx(34.0);
    let right = t.width as i32 - t.margin();
    for (label, color, mark) in entries {
        let text = page.text(label);
        let w = root.estimate_text_size(&text, &style).map(|(w, _)| w as i32).unwrap_or(100);
        let entry = swatch + t.tx(10.0) + w;
        if x > t.margin() && x + entry > right {
            x = t.margin();
            y += t.tx(36.0);
        }
        let mid = y + t.tx(12.0);
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        match mark {
            Mark::Line { width } => {
                root.draw(&PathElement::new(vec![(x, mid), (x + swatch, mid)], color.stroke_width(*width))).map_err(e)?
            }
            Mark::Dashed => {
                for k in 0..3 {
                    let x0 = x + k * swatch / 3;
                    root.draw(&PathElement::new(vec![(x0, mid), (x0 + swatch / 5, mid)], color.stroke_width(3))).map_err(e)?;
                }
            }
            Mark::Shade(colors, layers) => {
                let k = colors.len().max(1) as i32;
                for (i, c) in (0..).zip(colors) {
                    let (x0, x1) = (x + swatch * i / k, x + swatch * (i + 1) / k);
                    for alpha in layers {
                        root.draw(&Rectangle::new([(x0, mid - t.tx(9.0)), (x1, mid + t.tx(9.0))], c.mix(*alpha).filled())).map_err(e)?;
                    }
                }
            }
            Mark::Dot => root.draw(&Circle::new((x + swatch / 2, mid), t.tx(7.0), color.filled())).map_err(e)?,
            Mark::Dots(colors) => {
                let k = colors.len().max(1) as i32;
                let r = t.tx(7.0).min(swatch / (2 * k));
                for (i, c) in (0..).zip(colors) {
                    root.draw(&Circle::new((x + swatch * (2 * i + 1) / (2 * k), mid), r, c.filled())).map_err(e)?;
                }
            }
            Mark::Bar => root
                .draw(&Rectangle::new([(x + swatch / 4, mid - t.tx(11.0)), (x + 3 * swatch / 4, mid + t.tx(11.0))], color.filled()))
                .map_err(e)?,
            Mark::Whisker(colors) => {
                let k = colors.len().max(1) as i32;
                let (cap, reach) = (t.px(6.0), t.px(12.0));
                for (i, c) in (0..).zip(colors) {
                    let cx = x + swatch * (2 * i + 1) / (2 * k);
                    let stroke = c.stroke_width(t.px(2.0) as u32);
                    root.draw(&PathElement::new(vec![(cx, mid - reach), (cx, mid + reach)], stroke)).map_err(e)?;
                    for y in [mid - reach, mid + reach] {
                        root.draw(&PathElement::new(vec![(cx - cap, y), (cx + cap, y)], stroke)).map_err(e)?;
                    }
                }
            }
        }
        let anchored = style.pos(Pos::new(HPos::Left, VPos::Center));
        root.draw_text(&text, &anchored, (x + swatch + t.tx(10.0), mid)).map_err(|e| e.to_string())?;
        x += entry + t.tx(34.0);
    }
    Ok(y + t.tx(36.0))
}

/// Role names under the x axis, laid out before the plot is drawn, so the plot leaves them
/// the room they need: each name centred on its hop under the hop's number, wrapped at words
/// onto up to three lines of the space a hop has; when a name does not fit even so, every
/// other hop's name drops below its neighbours' to get twice the width; when that fails too,
/// or the names would take more than a quarter of the canvas's height, the hops keep their
/// numbers only. A name is never cut inside a word.
pub struct StationLabels {
    lines: Vec<Vec<String>>,
    stagger: bool,
    size: f64,
    line_h: i32,
    /// The room the labels take below the axis, in pixels.
    pub height: i32,
}

impl StationLabels {
    /// Lays out `labels` for hops `span` pixels apart.
    pub fn new<DB: DrawingBackend, D>(root: &DrawingArea<DB, Shift>, page: &Page<D>, labels: &[String], span: i32) -> StationLabels {
        let t = page.theme;
        // long chains get slightly smaller names rather than fewer
        let size = if labels.len() > 10 { (t.tick_size() * 0.88).max(t.min_text_size()) } else { t.tick_size() };
        let style = page.font(size, t.text);
        let measure = measurer(root, &style);
        let texts: Vec<String> = labels.iter().map(|r| page.text(r)).collect();
        let fits = |width: i32| texts.iter().all(|r| wraps_into(r, width, 3, &measure));
        let line_h = t.tx(25.0);
        let height = |lines: &[Vec<String>], stagger: bool| {
            let rows = 1 + lines.iter().map(Vec::len).max().unwrap_or(0) as i32;
            t.tx(8.0) + line_h * rows * if stagger { 2 } else { 1 }
        };
        // the labels may take a quarter of the canvas's height; the plot needs the rest
        let budget = t.height as i32 / 4;
        // the first layout that fits, tried in order, wrapped only when it is the one
        let (lines, stagger) = [(span - t.px(8.0), false), (2 * span - t.tx(12.0), true)]
            .into_iter()
            .filter(|&(width, _)| fits(width))
            .map(|(width, stagger)| (texts.iter().map(|r| wrap(r, width, 3, &measure)).collect::<Vec<_>>(), stagger))
            .find(|(lines, stagger)| height(lines, *stagger) <= budget)
            .unwrap_or_else(|| (vec![Vec::new(); texts.len()], false));
        let height = height(&lines, stagger);
        StationLabels { lines, stagger, size, line_h, height }
    }

    /// Draws the labels centred on `positions` (the axis under each hop), numbering them from
    /// `first` (the customer, 0, has no number).
    pub fn draw<DB: DrawingBackend, D>(
        &self,
        root: &DrawingArea<DB, Shift>,
        page: &Page<D>,
        positions: &[(i32, i32)],
        first: usize,
    ) -> Result<(), String> {
        let t = page.theme;
        let style = page.font(self.size, t.text);
        let number_style = page.bold(self.size, t.muted);
        let centre = |s: &TextStyle<'static>| s.clone().pos(Pos::new(HPos::Center, VPos::Top));
        let rows = 1 + self.lines.iter().map(Vec::len).max().unwrap_or(0) as i32;
        for (k, ((x, y), lines)) in positions.iter().zip(&self.lines).enumerate() {
            let top = y + t.tx(8.0) + if self.stagger && k % 2 == 1 { rows * self.line_h } else { 0 };
            if first + k > 0 {
                root.draw_text(&format!("{}", first + k), &centre(&number_style), (*x, top)).map_err(|e| e.to_string())?;
            }
            for (l, line) in lines.iter().enumerate() {
                root.draw_text(line, &centre(&style), (*x, top + self.line_h * (l as i32 + 1))).map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }
}

/// Greedy word wrap into at most `max_lines` lines of `max_w` pixels; what does not fit is
/// shortened with ….
fn wrap(text: &str, max_w: i32, max_lines: usize, measure: &dyn Fn(&str) -> i32) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    let mut words = text.split_whitespace();
    while let Some(word) = words.next() {
        let count = lines.len();
        let last = lines.last_mut().expect("one line");
        let candidate = if last.is_empty() { word.to_string() } else { format!("{last} {word}") };
        if last.is_empty() || measure(&candidate) <= max_w {
            *last = candidate;
        } else if count < max_lines {
            lines.push(word.to_string());
        } else {
            // the last line takes the rest, to be shortened below: measured once, not per word
            *last = std::iter::once(candidate.as_str()).chain(words).collect::<Vec<_>>().join(" ");
            break;
        }
    }
    for line in &mut lines {
        *line = shorten_to(line, max_w, measure);
    }
    lines
}

/// The shared look of axes: tick and axis labels in the chart font, faint grid lines.
pub trait Themed {
    fn apply_theme<D>(&mut self, page: &Page<D>) -> &mut Self;
}

impl<X: plotters::coord::ranged1d::Ranged, Y: plotters::coord::ranged1d::Ranged, DB: DrawingBackend> Themed
    for plotters::chart::MeshStyle<'_, '_, X, Y, DB>
{
    fn apply_theme<D>(&mut self, page: &Page<D>) -> &mut Self {
        let t = page.theme;
        self.x_label_style(page.font(t.tick_size(), t.text))
            .y_label_style(page.font(t.tick_size(), t.text))
            .axis_desc_style(page.font(t.label_size(), t.text))
            .light_line_style(t.background)
            .bold_line_style(t.grid)
            .axis_style(t.muted)
    }
}

/// An axis description when it fits the axis's `length` in pixels whole; otherwise none (a
/// shortened one says less than the ticks and the title do).
pub fn axis_desc<DB: DrawingBackend, D>(root: &DrawingArea<DB, Shift>, page: &Page<D>, text: &str, length: i32) -> String {
    let style = page.font(page.theme.label_size(), page.theme.text);
    let text = page.text(text);
    match root.estimate_text_size(&text, &style) {
        Ok((w, _)) if w as i32 <= length => text,
        _ => String::new(),
    }
}

/// How many labelled ticks an axis `length` pixels long holds without crowding, at most `most`.
pub fn tick_count<D>(page: &Page<D>, length: i32, most: usize) -> usize {
    let pitch = (page.theme.tick_size() * 1.8).max(1.0);
    ((f64::from(length.max(0)) / pitch) as usize).clamp(2, most)
}

/// "74%" for axis ticks.
pub fn percent_tick(v: &f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// The note under every chart: where the numbers come from.
pub fn footnote<DB: DrawingBackend, D>(root: &DrawingArea<DB, Shift>, page: &Page<D>, text: &str) -> Result<(), String> {
    let t = page.theme;
    let style = page.font(t.footnote_size(), t.muted).pos(Pos::new(HPos::Right, VPos::Bottom));
    let text = fit(root, &page.text(text), &style, t.width as i32 - 2 * t.margin());
    root.draw_text(&text, &style, (t.width as i32 - t.margin(), t.height as i32 - t.tx(12.0))).map_err(|e| e.to_string())
}

/// A rendered file: its name and bytes.
pub type ChartFile = (String, Vec<u8>);

/// The charts for `report.html`: the SVG files just drawn when they are light (a handout is
/// read on white paper), otherwise drawn once more, as light SVG at the same size, for the
/// report alone (`--theme dark` for a projector, or `--charts png`). Each chart kind's SVG
/// text, in [`ChartKind::ALL`] order; the drawing stops once `cancel` is cancelled.
pub fn light_svgs(
    data: &ChartData,
    drawn: &[ChartFile],
    theme: ThemeName,
    size: (u32, u32),
    cancel: &crate::interrupt::Cancel,
) -> Result<Vec<(ChartKind, String)>, String> {
    if theme == ThemeName::Light
        && let Some(svgs) = svgs(drawn)
    {
        return Ok(svgs);
    }
    let light = render_all(data, &Theme::new(ThemeName::Light, size), &[ImageFormat::Svg], cancel)?;
    svgs(&light.files).ok_or_else(|| "a chart is missing from the SVG charts just drawn".to_string())
}

/// Every chart kind's SVG among `files`, or `None` if one is missing.
fn svgs(files: &[ChartFile]) -> Option<Vec<(ChartKind, String)>> {
    ChartKind::ALL
        .iter()
        .map(|&kind| {
            let name = format!("{}.{}", kind.name(), ImageFormat::Svg.extension());
            files.iter().find(|(n, _)| *n == name).map(|(_, bytes)| (kind, String::from_utf8_lossy(bytes).into_owned()))
        })
        .collect()
}

/// Every chart of a run, and the texts the PNG font could not draw.
pub struct Charts {
    pub files: Vec<ChartFile>,
    pub missing_glyphs: Vec<String>,
}

/// Every chart file drift may write into an output folder, for every command: a chart of
/// an earlier run that this run did not draw is removed, so a folder describes one run.
pub fn file_names() -> Vec<String> {
    let stems = ChartKind::ALL.iter().map(|k| k.name()).chain(["compare", "sweep", "calibration"]);
    stems.flat_map(|s| [ImageFormat::Png, ImageFormat::Svg].map(|f| format!("{s}.{}", f.extension()))).collect()
}

/// Every chart kind in every format, in a fixed order (rendered in parallel). Once `cancel` is
/// cancelled the charts not yet started are not drawn and the result is an error: the caller
/// checks its token before reporting it.
pub fn render_all(data: &ChartData, theme: &Theme, formats: &[ImageFormat], cancel: &crate::interrupt::Cancel) -> Result<Charts, String> {
    use rayon::prelude::*;
    let jobs: Vec<(ChartKind, ImageFormat)> = ChartKind::ALL.iter().flat_map(|k| formats.iter().map(move |f| (*k, *f))).collect();
    let rendered: Result<Vec<(ChartFile, Vec<String>)>, String> = jobs
        .par_iter()
        .map(|&(kind, format)| {
            cancel.check().map_err(|e| e.to_string())?;
            let (bytes, affected) = render(&kind, data, theme, format)?;
            Ok(((format!("{}.{}", kind.name(), format.extension()), bytes), affected))
        })
        .collect();
    let mut files = Vec::new();
    let mut missing = BTreeSet::new();
    for (file, affected) in rendered? {
        files.push(file);
        missing.extend(affected);
    }
    Ok(Charts { files, missing_glyphs: missing.into_iter().collect() })
}

/// The chance line: a muted dashed rule from `x.0` to `x.1` at height `y` (pixels).
pub fn dashed<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, t: &Theme, x: (i32, i32), y: i32) -> Result<(), String> {
    let (dash, gap) = (t.px(10.0), t.px(7.0));
    let mut at = x.0;
    while at < x.1 {
        let end = (at + dash).min(x.1);
        root.draw(&PathElement::new(vec![(at, y), (end, y)], t.muted.stroke_width(t.px(2.0) as u32))).map_err(|e| e.to_string())?;
        at = end + gap;
    }
    Ok(())
}
