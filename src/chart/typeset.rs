//! Text on charts, laid out once per run of text and placed as a whole.
//!
//! plotters' own ab_glyph text drops each glyph's side bearing and rounds every glyph's
//! position to a whole pixel on its own, which spaces letters unevenly ("ad justers",
//! "Creat ive"). [`Typeset`] wraps any plotters backend and takes over text: it measures a
//! run with the font's advances and kerning in fractional pixels, and, on a bitmap, draws
//! each glyph anti-aliased at its exact place. On SVG it leaves drawing to the backend (the
//! text stays text) but measures the same way, so what fits in the PNG fits in the SVG.
//!
//! Sizes follow plotters' SVG convention: a text style of size `s` is set at an em of
//! `s / 1.24` pixels, as the SVG's `font-size` says; anchors follow the SVG's `dy` offsets, so
//! the PNG and the SVG put every text in the same place.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use plotters::style::FontStyle;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontTransform};

use super::theme;

/// plotters' ratio of a text style's size to its em, as its SVG backend writes `font-size`.
pub const SIZE_PER_EM: f64 = 1.24;

/// One face of the bundled font.
pub struct Face {
    font: FontRef<'static>,
    /// The height of a lower-case x, in ems: SVG's `ex`, which places centred text.
    x_height: f32,
}

/// The bundled font's regular or bold face.
pub fn face(bold: bool) -> &'static Face {
    static FACES: OnceLock<[Face; 2]> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        [theme::REGULAR, theme::BOLD].map(|bytes| {
            // the bundled files parse: a defect here fails every chart test
            let font = FontRef::try_from_slice(bytes).expect("the bundled font parses");
            let em = font.units_per_em().unwrap_or(2048.0);
            let x = font.outline(font.glyph_id('x')).map_or(0.55 * em, |o| o.bounds.max.y);
            Face { font, x_height: x / em }
        })
    });
    &faces[usize::from(bold)]
}

/// True when the bundled font (its regular face) has a glyph for `c`.
pub fn has_glyph(c: char) -> bool {
    face(false).font.glyph_id(c).0 != 0
}

/// The height of a lower-case x in the regular or bold face, in ems: what SVG's `ex` is.
pub fn x_height(bold: bool) -> f32 {
    face(bold).x_height
}

/// A run of text laid out on one line: each glyph and where its origin falls, in pixels from
/// the run's start, and the run's advance width.
pub struct Run {
    glyphs: Vec<(GlyphId, f32)>,
    pub width: f32,
    scale: PxScale,
    em: f32,
    bold: bool,
}

/// Lays `text` out in the bundled font at a plotters text size: advances and kerning summed
/// in fractional pixels, rounded never.
pub fn layout(text: &str, size: f64, bold: bool) -> Run {
    let f = face(bold);
    let em = (size / SIZE_PER_EM) as f32;
    let units = f.font.units_per_em().unwrap_or(2048.0);
    // ab_glyph scales by the font's height (ascent − descent), not by its em
    let scale = PxScale::from(em * f.font.height_unscaled() / units);
    let scaled = f.font.as_scaled(scale);
    let mut pen = 0.0f32;
    let mut previous: Option<GlyphId> = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            pen += scaled.kern(p, id);
        }
        glyphs.push((id, pen));
        pen += scaled.h_advance(id);
        previous = Some(id);
    }
    Run { glyphs, width: pen, scale, em, bold }
}

/// The width in pixels of `text` at a plotters text size.
pub fn width(text: &str, size: f64, bold: bool) -> f32 {
    layout(text, size, bold).width
}

impl Run {
    /// How far below the anchor's y the baseline lies, as SVG's `dy` puts it.
    fn baseline(&self, v: VPos) -> f32 {
        let half_ex = 0.5 * face(self.bold).x_height * self.em;
        match v {
            VPos::Top => 0.76 * self.em,
            VPos::Center => half_ex,
            VPos::Bottom => -half_ex,
        }
    }

    /// Calls `ink(x, y, coverage)` for every pixel the run covers, in pixels relative to the
    /// anchor, before any rotation.
    fn rasterize(&self, h: HPos, v: VPos, mut ink: impl FnMut(i32, i32, f32)) {
        let start = match h {
            HPos::Left => 0.0,
            HPos::Center => -self.width / 2.0,
            HPos::Right => -self.width,
        };
        let baseline = self.baseline(v);
        let font = &face(self.bold).font;
        // each glyph's origin on a whole pixel: positions are summed in fractions, so spacing
        // stays even (off by half a pixel at most, never accumulating), and every "e" of a
        // text is the same pixels, which keeps the PNG small (deflate finds the repeats;
        // fractional origins doubled the charts' size)
        let baseline = baseline.round();
        for &(id, x) in &self.glyphs {
            let glyph = id.with_scale_and_position(self.scale, point((start + x).round(), baseline));
            let Some(outline) = font.outline_glyph(glyph) else { continue };
            let bounds = outline.px_bounds();
            let (left, top) = (bounds.min.x as i32, bounds.min.y as i32);
            outline.draw(|px, py, coverage| ink(left + px as i32, top + py as i32, coverage));
        }
    }
}

/// A plotters backend whose text is measured, and on a bitmap drawn, by [`layout`].
pub struct Typeset<B> {
    inner: B,
    /// Draw text as pixels (a bitmap); otherwise the inner backend writes it (SVG).
    raster: bool,
}

impl<B: DrawingBackend> Typeset<B> {
    /// For a bitmap: text is drawn here, glyph by glyph.
    pub fn raster(inner: B) -> Self {
        Typeset { inner, raster: true }
    }

    /// For SVG: text is written by the backend as text, and only measured here.
    pub fn vector(inner: B) -> Self {
        Typeset { inner, raster: false }
    }
}

fn is_bold<S: BackendTextStyle>(style: &S) -> bool {
    matches!(style.style(), FontStyle::Bold)
}

/// Where a pixel `(x, y)` relative to the anchor lands once the text is turned, as SVG's
/// `rotate(a, x0, y0)` turns it.
fn turn(transform: &FontTransform, (x0, y0): BackendCoord, (x, y): (i32, i32)) -> BackendCoord {
    match transform {
        FontTransform::None => (x0 + x, y0 + y),
        FontTransform::Rotate90 => (x0 - y, y0 + x),
        FontTransform::Rotate180 => (x0 - x, y0 - y),
        FontTransform::Rotate270 => (x0 + y, y0 - x),
    }
}

impl<B: DrawingBackend> DrawingBackend for Typeset<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let run = layout(text, style.size(), is_bold(style));
        Ok((run.width.ceil() as u32, run.em.round() as u32))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if !self.raster {
            return self.inner.draw_text(text, style, pos);
        }
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let run = layout(text, style.size(), is_bold(style));
        let anchor = style.anchor();
        let transform = style.transform();
        let mut result = Ok(());
        run.rasterize(anchor.h_pos, anchor.v_pos, |x, y, coverage| {
            if coverage <= 0.0 || result.is_err() {
                return;
            }
            let ink = BackendColor { alpha: color.alpha * f64::from(coverage.min(1.0)), rgb: color.rgb };
            result = self.inner.draw_pixel(turn(&transform, pos, (x, y)), ink);
        });
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_as_wide_as_its_advances_and_kerning() {
        // "AV" kerns tighter than "A" and "V" set apart, in DejaVu Sans
        let apart = width("A", 30.0, false) + width("V", 30.0, false);
        assert!(width("AV", 30.0, false) < apart, "kerning applies");
        // a run's width grows with the size, in proportion
        let (small, large) = (width("adjusters", 20.0, false), width("adjusters", 40.0, false));
        assert!((large / small - 2.0).abs() < 0.01, "{small} {large}");
    }

    #[test]
    fn letters_keep_their_side_bearings() {
        // plotters drops side bearings and rounds each glyph on its own, which opened gaps of
        // several blank columns inside words ("ad justers", "Creat ive"); laid out as one
        // run, no gap between two letters of a word is wider than a fifth of an em
        for word in ["adjusters", "Creative", "account", "p10"] {
            let run = layout(word, 24.0, false);
            let mut columns = std::collections::BTreeSet::new();
            run.rasterize(HPos::Left, VPos::Top, |x, _, c| {
                if c > 0.1 {
                    columns.insert(x);
                }
            });
            let (first, last) = (*columns.first().unwrap(), *columns.last().unwrap());
            let mut widest = 0;
            let mut gap = 0;
            for x in first..=last {
                gap = if columns.contains(&x) { 0 } else { gap + 1 };
                widest = widest.max(gap);
            }
            assert!(f64::from(widest) <= 0.2 * run.em as f64, "{word}: a gap of {widest} blank columns");
        }
    }

    #[test]
    fn turned_text_goes_where_svg_turns_it() {
        // rotate(270): a pixel right of the anchor lands above it
        assert_eq!(turn(&FontTransform::Rotate270, (100, 100), (10, 0)), (100, 90));
        assert_eq!(turn(&FontTransform::Rotate90, (100, 100), (10, 0)), (100, 110));
        assert_eq!(turn(&FontTransform::None, (100, 100), (10, 2)), (110, 102));
    }
}
