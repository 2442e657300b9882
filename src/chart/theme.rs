//! The shared look of every chart: canvas size, light and dark themes, a colour-blind-safe
//! palette, type sizes that scale with the canvas, and the bundled font.

use plotters::style::{FontFamily, RGBColor};

/// DejaVu Sans (Bitstream Vera licence, assets/fonts/LICENSE-DejaVu.txt), compiled in so that
/// charts render the same on a machine with no fonts and no fontconfig.
pub(super) static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub(super) static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The font family as the SVG names it: slide software that lacks DejaVu Sans falls back to
/// a sans-serif it has, and the text stays editable text.
pub const FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";

pub fn family() -> FontFamily<'static> {
    FontFamily::Name(FAMILY)
}

/// True when the bundled font can draw `c`.
pub fn font_has(c: char) -> bool {
    c.is_whitespace() || super::typeset::has_glyph(c)
}

/// Light for print and laptops, dark for projectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ThemeName {
    Light,
    Dark,
}

/// Colours and type sizes for one canvas.
#[derive(Debug, Clone)]
pub struct Theme {
    pub width: u32,
    pub height: u32,
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    /// The headline metric and its bands.
    pub headline: RGBColor,
    /// What went wrong: the worst hop, the largest drop.
    pub alarm: RGBColor,
    /// Further series, in order (Okabe–Ito: distinguishable with every common colour-vision
    /// deficiency).
    pub series: [RGBColor; 5],
    /// How opaque the shaded spreads across runs are, on this background.
    pub shades: Shades,
    /// Drawing lengths: 1 on a 1600×900 canvas.
    scale: f64,
    /// Small text and the room it takes: the drawing scale, but never so small that the
    /// smallest text (the footnote) falls below [`MIN_TEXT_EM`].
    text_scale: f64,
}

/// The smallest text a chart draws, as an em in pixels: about what a phone or a laptop shows
/// as small print. Below it (6 px on a 640×360 canvas scaled like a 1600×900 one) text cannot
/// be read on any screen.
pub const MIN_TEXT_EM: f64 = 11.0;

/// [`MIN_TEXT_EM`] as a text style's size.
const MIN_TEXT_SIZE: f64 = MIN_TEXT_EM * super::typeset::SIZE_PER_EM;

/// The footnote's size on a 1600×900 canvas: the smallest text of a chart.
const FOOTNOTE: f64 = 18.0;

/// The opacities of the shaded spreads across runs: every chart shades with these and its
/// legend draws its swatches with the same ones, so a swatch is the colour on the plot. The
/// dark background needs stronger shades than white to show on a projector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shades {
    /// The middle half of runs (p25–p75) of a series, laid over its 80 % band.
    pub middle: f64,
    /// 80 % of runs (p10–p90).
    pub outer: f64,
    /// The middle half of runs where several series' bands may overlap (symptoms, compare,
    /// calibration): lighter, so that two bands crossing stay readable, not muddy.
    pub overlaid: f64,
}

impl Theme {
    pub fn new(name: ThemeName, (width, height): (u32, u32)) -> Theme {
        // type scales with the smaller side, so a 4K or a square canvas keeps its proportions
        let scale = f64::from(height.min(width * 9 / 16)) / 900.0;
        let text_scale = scale.max(MIN_TEXT_SIZE / FOOTNOTE);
        let okabe_ito = [
            RGBColor(0xE6, 0x9F, 0x00), // orange
            RGBColor(0x00, 0x9E, 0x73), // bluish green
            RGBColor(0xCC, 0x79, 0xA7), // reddish purple
            RGBColor(0x44, 0x44, 0x44), // near black
            RGBColor(0x56, 0xB4, 0xE9), // sky blue
        ];
        match name {
            ThemeName::Light => Theme {
                width,
                height,
                background: RGBColor(0xFF, 0xFF, 0xFF),
                text: RGBColor(0x1A, 0x1A, 0x1A),
                muted: RGBColor(0x5F, 0x5F, 0x5F),
                grid: RGBColor(0xE3, 0xE3, 0xE3),
                headline: RGBColor(0x00, 0x72, 0xB2),
                alarm: RGBColor(0xD5, 0x5E, 0x00),
                series: okabe_ito,
                shades: Shades { middle: 0.30, outer: 0.14, overlaid: 0.22 },
                scale,
                text_scale,
            },
            ThemeName::Dark => Theme {
                width,
                height,
                background: RGBColor(0x12, 0x14, 0x18),
                text: RGBColor(0xF2, 0xF2, 0xF2),
                muted: RGBColor(0xB0, 0xB4, 0xBA),
                grid: RGBColor(0x33, 0x37, 0x3D),
                headline: RGBColor(0x56, 0xB4, 0xE9),
                alarm: RGBColor(0xE6, 0x9F, 0x00),
                series: [
                    RGBColor(0xF0, 0xE4, 0x42), // yellow
                    RGBColor(0x00, 0x9E, 0x73), // bluish green
                    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
                    RGBColor(0xDD, 0xDD, 0xDD), // near white
                    RGBColor(0xD5, 0x5E, 0x00), // vermillion
                ],
                shades: Shades { middle: 0.36, outer: 0.24, overlaid: 0.30 },
                scale,
                text_scale,
            },
        }
    }

    /// A length in pixels for a 1600×900 canvas, scaled to this one.
    pub fn px(&self, base: f64) -> i32 {
        (base * self.scale).round().max(1.0) as i32
    }

    /// Room for small text (legend rows, label areas, line heights) designed as `base`
    /// pixels on a 1600×900 canvas: it grows with the text when the text is held at its
    /// minimum size.
    pub fn tx(&self, base: f64) -> i32 {
        (base * self.text_scale).round().max(1.0) as i32
    }

    /// The title scales with the canvas, staying a step above the subtitle on small ones.
    pub fn title_size(&self) -> f64 {
        f64::from(self.px(46.0)).max(self.subtitle_size() * 1.3)
    }

    pub fn subtitle_size(&self) -> f64 {
        f64::from(self.tx(26.0))
    }

    pub fn label_size(&self) -> f64 {
        f64::from(self.tx(24.0))
    }

    pub fn tick_size(&self) -> f64 {
        f64::from(self.tx(21.0))
    }

    /// The smallest text: where the numbers come from.
    pub fn footnote_size(&self) -> f64 {
        f64::from(self.tx(FOOTNOTE))
    }

    /// The smallest size any text may be drawn at.
    pub fn min_text_size(&self) -> f64 {
        MIN_TEXT_SIZE
    }

    pub fn margin(&self) -> i32 {
        self.px(36.0)
    }
}
