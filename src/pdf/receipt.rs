//! The receipt (`struk`) of a paid order, on a 58 or 80 mm thermal roll or A4.
//! A roll's page is as long as the receipt; on A4 the receipt is a column at the
//! top of the sheet.

use super::layout::{self, Align, Canvas, Font, PT_MM};
use super::Paper;
use crate::receipt::{Line as Say, Receipt};

struct Style {
    /// Left edge and width of the text column, mm.
    x: f32,
    width: f32,
    top: f32,
    body: f32,
    title: f32,
    total: f32,
}

fn style(paper: Paper) -> Style {
    match paper {
        Paper::Roll58 => Style {
            x: 4.0,
            width: 50.0,
            top: 5.0,
            body: 8.0,
            title: 11.0,
            total: 10.0,
        },
        Paper::Roll80 => Style {
            x: 5.0,
            width: 70.0,
            top: 5.0,
            body: 9.0,
            title: 13.0,
            total: 11.0,
        },
        // A4 and anything else: a 110 mm column centred on the sheet
        _ => Style {
            x: 50.0,
            width: 110.0,
            top: 25.0,
            body: 11.0,
            title: 16.0,
            total: 13.0,
        },
    }
}

enum Line {
    Center(String, Font, f32),
    Left(String, Font, f32),
    Right(String, Font, f32),
    Pair(String, String, Font, f32),
    Rule,
    Gap(f32),
}

fn leading(size: f32) -> f32 {
    size * PT_MM * 1.35
}

impl Line {
    fn height(&self) -> f32 {
        match self {
            Line::Center(_, _, s) | Line::Left(_, _, s) | Line::Right(_, _, s) => leading(*s),
            Line::Pair(_, _, _, s) => leading(*s),
            Line::Rule => 3.0,
            Line::Gap(h) => *h,
        }
    }
}

struct Lines {
    width: f32,
    out: Vec<Line>,
}

impl Lines {
    fn center(&mut self, text: &str, font: Font, size: f32) {
        for l in layout::wrap(text, font, size, self.width) {
            self.out.push(Line::Center(l, font, size));
        }
    }

    /// A label and its value on one line, or the value under the label,
    /// right-aligned, when both do not fit (58 mm).
    fn pair(&mut self, label: &str, value: &str, font: Font, size: f32) {
        let gap = 2.0;
        let lw = layout::text_width(label, Font::Regular, size);
        let vw = layout::text_width(&layout::printable(value), font, size);
        if lw + gap + vw <= self.width {
            self.out
                .push(Line::Pair(label.into(), value.into(), font, size));
        } else {
            self.out.push(Line::Left(label.into(), Font::Regular, size));
            for l in layout::wrap(value, font, size, self.width) {
                self.out.push(Line::Right(l, font, size));
            }
        }
    }

    /// A label, then free text (description, note) wrapped under it.
    fn block(&mut self, label: &str, text: &str, size: f32) {
        self.out.push(Line::Left(label.into(), Font::Regular, size));
        for l in layout::wrap(text, Font::Bold, size, self.width) {
            self.out.push(Line::Left(l, Font::Bold, size));
        }
    }
}

/// Lay out and draw the receipt.
pub fn render(receipt: &Receipt, paper: Paper) -> Vec<u8> {
    let st = style(paper);
    let mut l = Lines {
        width: st.width,
        out: vec![],
    };
    let b = st.body;
    for line in &receipt.lines {
        match line {
            Say::Title(t) => l.center(t, Font::Bold, st.title),
            Say::Center(t) => l.center(t, Font::Regular, b),
            Say::Heading(t) => l.center(t, Font::Bold, b),
            Say::Pair {
                label,
                value,
                strong,
            } => {
                let font = if *strong { Font::Bold } else { Font::Regular };
                l.pair(label, value, font, b)
            }
            Say::Total { label, value } => l.pair(label, value, Font::Bold, st.total),
            Say::Block { label, text } => l.block(label, text, b),
            Say::Rule => l.out.push(Line::Rule),
            Say::Gap => l.out.push(Line::Gap(1.0)),
            Say::Small(t) => l.center(t, Font::Regular, b * 0.85),
        }
    }

    let content: f32 = l.out.iter().map(Line::height).sum();
    let (page_w, page_h) = match paper.size_mm() {
        (w, Some(h)) => (w, h),
        // the roll is cut after the last line, with room for the cutter
        (w, None) => (w, st.top + content + 10.0),
    };
    let mut c = Canvas::new(page_w, page_h);
    let (x, right, mid) = (st.x, st.x + st.width, st.x + st.width / 2.0);
    let mut y = st.top;
    for line in &l.out {
        let h = line.height();
        // text sits on a baseline about 3/4 down its line
        let base = y + h * 0.74;
        match line {
            Line::Center(t, f, s) => c.text(mid, base, t, *f, *s, Align::Center),
            Line::Left(t, f, s) => c.text(x, base, t, *f, *s, Align::Left),
            Line::Right(t, f, s) => c.text(right, base, t, *f, *s, Align::Right),
            Line::Pair(label, value, f, s) => {
                c.text(x, base, label, Font::Regular, *s, Align::Left);
                c.text(right, base, value, *f, *s, Align::Right);
            }
            Line::Rule => c.dashed(x, right, y + h / 2.0),
            Line::Gap(_) => {}
        }
        y += h;
    }
    layout::save(&format!("Struk {}", receipt.order_id), vec![c.into_page()])
}
