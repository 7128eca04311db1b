//! A page as a thin list of printpdf ops, in millimetres from the top left
//! (printpdf counts from the bottom left), with the text measuring the
//! documents need to align columns: the 14 standard PDF fonts are not embedded,
//! so their advance widths come from the metric-compatible faces printpdf ships.

use crate::qr_image::Symbol;
use printpdf::{
    BuiltinFont, Color, Greyscale, LinePoint, Mm, Op, PaintMode, PdfFontHandle, PdfPage, Point,
    Polygon, PolygonRing, Pt, TextItem, WindingOrder,
};
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    Regular,
    Bold,
    Mono,
}

impl Font {
    fn builtin(self) -> BuiltinFont {
        match self {
            Font::Regular => BuiltinFont::Helvetica,
            Font::Bold => BuiltinFont::HelveticaBold,
            Font::Mono => BuiltinFont::Courier,
        }
    }

    /// Advance widths in 1/1000 em for the WinAnsi range 0..=255.
    fn widths(self) -> &'static [u16; 256] {
        static REGULAR: OnceLock<[u16; 256]> = OnceLock::new();
        static BOLD: OnceLock<[u16; 256]> = OnceLock::new();
        static MONO: OnceLock<[u16; 256]> = OnceLock::new();
        let cell = match self {
            Font::Regular => &REGULAR,
            Font::Bold => &BOLD,
            Font::Mono => &MONO,
        };
        cell.get_or_init(|| metrics_of(self.builtin()))
    }
}

fn metrics_of(font: BuiltinFont) -> [u16; 256] {
    // Courier is 600 for every glyph; unknown glyphs of Helvetica get an average width
    let mut w = [if font == BuiltinFont::Courier {
        600
    } else {
        556
    }; 256];
    let Some(parsed) = font.get_parsed_font() else {
        return w;
    };
    let upem = u32::from(parsed.units_per_em.max(1));
    for (cp, slot) in w.iter_mut().enumerate().skip(0x20) {
        if let Some(adv) = parsed
            .lookup_glyph_index(cp as u32)
            .and_then(|g| parsed.get_glyph_width(g))
        {
            *slot = ((u32::from(adv) * 1000 + upem / 2) / upem) as u16;
        }
    }
    // the shipped faces have no space glyph; Adobe's metrics give it 278
    if font != BuiltinFont::Courier {
        w[0x20] = 278;
        w[0xa0] = 278;
    }
    w
}

/// Text the standard fonts can show: WinAnsi is Latin-1 for our purposes;
/// anything else (emoji, CJK) would print as `?`, so say so plainly.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if (' '..='~').contains(&c) || ('\u{a0}'..='\u{ff}').contains(&c) => c,
            _ => '?',
        })
        .collect()
}

/// Width of `s` in millimetres at `size` points.
pub fn text_width(s: &str, font: Font, size: f32) -> f32 {
    let w = font.widths();
    let units: u32 = s
        .chars()
        .map(|c| u32::from(w[(c as u32).min(255) as usize]))
        .sum();
    units as f32 / 1000.0 * size * PT_MM
}

/// Millimetres in a point.
pub const PT_MM: f32 = 25.4 / 72.0;

/// Break `s` into lines no wider than `width` mm, at spaces where it can and
/// inside a word only when the word alone is too wide (an order id on 58 mm).
pub fn wrap(s: &str, font: Font, size: f32, width: f32) -> Vec<String> {
    let mut lines = vec![];
    for para in s.split('\n') {
        let mut line = String::new();
        for word in printable(para).split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if text_width(&candidate, font, size) <= width {
                line = candidate;
                continue;
            }
            let too_wide = text_width(word, font, size) > width;
            if !line.is_empty() {
                if too_wide {
                    // it is cut anyway, so start it here rather than leave a short line
                    line.push(' ');
                } else {
                    lines.push(std::mem::take(&mut line));
                }
            }
            // a word wider than the line is cut after a hyphen, or where it must be
            let mut word_start = line.len();
            for c in word.chars() {
                line.push(c);
                if text_width(&line, font, size) > width {
                    line.pop();
                    let cut = line[word_start..]
                        .rfind('-')
                        .map(|i| word_start + i + 1)
                        .filter(|&i| i < line.len())
                        .unwrap_or(line.len());
                    word_start = 0;
                    let rest = line.split_off(cut);
                    let done = std::mem::replace(&mut line, rest);
                    lines.push(done.trim_end().to_string());
                    line.push(c);
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Cut `s` to fit `width` mm, ending in `...` when cut.
pub fn ellipsize(s: &str, font: Font, size: f32, width: f32) -> String {
    let s = printable(s);
    if text_width(&s, font, size) <= width {
        return s;
    }
    let mut out = String::new();
    for c in s.chars() {
        out.push(c);
        if text_width(&format!("{out}..."), font, size) > width {
            out.pop();
            break;
        }
    }
    format!("{}...", out.trim_end())
}

#[derive(Debug, Clone, Copy)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One page being drawn; `y` is millimetres down from the top edge.
pub struct Canvas {
    pub width: f32,
    pub height: f32,
    ops: Vec<Op>,
}

impl Canvas {
    pub fn new(width: f32, height: f32) -> Canvas {
        Canvas {
            width,
            height,
            ops: Vec::with_capacity(256),
        }
    }

    fn pt(&self, x: f32, y: f32) -> Point {
        Point::new(Mm(x), Mm(self.height - y))
    }

    /// Text whose baseline is at `y`, anchored at `x` as `align` says.
    pub fn text(&mut self, x: f32, y: f32, s: &str, font: Font, size: f32, align: Align) {
        let s = printable(s);
        if s.is_empty() {
            return;
        }
        let x = match align {
            Align::Left => x,
            Align::Center => x - text_width(&s, font, size) / 2.0,
            Align::Right => x - text_width(&s, font, size),
        };
        let pos = self.pt(x, y);
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::Builtin(font.builtin()),
                size: Pt(size),
            },
            Op::SetTextCursor { pos },
            Op::ShowText {
                items: vec![TextItem::Text(s)],
            },
            Op::EndTextSection,
        ]);
    }

    /// A horizontal rule, `weight` points thick.
    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, weight: f32) {
        let h = weight * PT_MM;
        self.fill_rects(&[(x1, y - h / 2.0, x2 - x1, h)], 0.0);
    }

    /// A dashed horizontal rule, as receipts draw between sections.
    pub fn dashed(&mut self, x1: f32, x2: f32, y: f32) {
        let h = 0.5 * PT_MM;
        let mut rects = vec![];
        let mut x = x1;
        while x < x2 {
            rects.push((x, y - h / 2.0, 1.2f32.min(x2 - x), h));
            x += 2.0;
        }
        self.fill_rects(&rects, 0.0);
    }

    /// Filled rectangles (x, y of the top left, width, height), as one path.
    pub fn fill_rects(&mut self, rects: &[(f32, f32, f32, f32)], grey: f32) {
        if rects.is_empty() {
            return;
        }
        let rings = rects
            .iter()
            .map(|&(x, y, w, h)| PolygonRing {
                points: [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                    .into_iter()
                    .map(|(px, py)| LinePoint {
                        p: self.pt(px, py),
                        bezier: false,
                    })
                    .collect(),
            })
            .collect();
        self.ops.extend([
            Op::SaveGraphicsState,
            Op::SetFillColor {
                col: Color::Greyscale(Greyscale::new(grey, None)),
            },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings,
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
            Op::RestoreGraphicsState,
        ]);
    }

    /// The QR symbol as vector squares, `size` mm square including the
    /// 4-module quiet zone, its top left at (x, y). Dark runs of a row are one
    /// rectangle each and all of them one path, so scanners see no seams.
    pub fn qr(&mut self, x: f32, y: f32, size: f32, symbol: &Symbol) {
        let n = symbol.side();
        let module = size / (n + 8) as f32;
        let mut rects = vec![];
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if !symbol.is_dark(col, row) {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && symbol.is_dark(col, row) {
                    col += 1;
                }
                rects.push((
                    x + (start + 4) as f32 * module,
                    y + (row + 4) as f32 * module,
                    (col - start) as f32 * module,
                    module,
                ));
            }
        }
        self.fill_rects(&rects, 0.0);
    }

    pub fn into_page(self) -> PdfPage {
        PdfPage::new(Mm(self.width), Mm(self.height), self.ops)
    }
}

/// The finished document's bytes.
pub fn save(title: &str, pages: Vec<PdfPage>) -> Vec<u8> {
    let mut doc = printpdf::PdfDocument::new(title);
    doc.with_pages(pages);
    let mut warnings = vec![];
    doc.save(&printpdf::PdfSaveOptions::default(), &mut warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helvetica_widths_are_the_standard_ones() {
        // from Adobe's Helvetica.afm
        assert_eq!(Font::Regular.widths()[b' ' as usize], 278);
        assert_eq!(Font::Regular.widths()[b'a' as usize], 556);
        assert_eq!(Font::Regular.widths()[b'i' as usize], 222);
        assert_eq!(Font::Regular.widths()[b'W' as usize], 944);
        assert_eq!(Font::Bold.widths()[b'a' as usize], 556);
        assert_eq!(Font::Bold.widths()[b'i' as usize], 278);
        assert_eq!(Font::Mono.widths()[b'i' as usize], 600);
    }

    #[test]
    fn long_words_are_cut_to_fit() {
        let lines = wrap("ORD-ABCDEFGHJKLMNPQRSTUVWXYZ", Font::Regular, 10.0, 20.0);
        assert!(lines.len() > 1);
        assert!(lines
            .iter()
            .all(|l| text_width(l, Font::Regular, 10.0) <= 20.0));
        assert_eq!(lines.concat(), "ORD-ABCDEFGHJKLMNPQRSTUVWXYZ");
        let lines = wrap("kerupuk-udang-tanpa-bawang", Font::Regular, 10.0, 30.0);
        assert_eq!(lines, ["kerupuk-udang-", "tanpa-bawang"]);
        // a word cut anyway starts on the line before, not below a short line
        let lines = wrap(
            "pedas 5, kerupuk-udang-tanpa-bawang",
            Font::Regular,
            10.0,
            30.0,
        );
        assert_eq!(lines[0], "pedas 5, kerupuk-");
        assert!(lines
            .iter()
            .all(|l| text_width(l, Font::Regular, 10.0) <= 30.0));
    }
}
