//! The shop's thermal printer: a receipt (or a test slip) rendered to ESC/POS
//! bytes here, and sent by [`send`] from a durable queue (the service's), so a printer
//! that is off or out of paper never blocks a sale nor loses the receipt.
//!
//! The commands come from the `escpos` crate; text goes through [`text`] for
//! the code page, and the QR is the printer's own (`GS ( k`, model 2), so it is
//! sharp at any size and a 274-character QRIS fits a 58 mm roll, or a raster
//! image of it for printers without that command ([`qr`]).

mod qr;
pub mod send;
pub mod text;

use crate::error::{Error, Result};
use crate::receipt::{Line, Receipt};
use escpos::printer::Printer;
use escpos::utils::{JustifyMode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption};
pub use qr::QrMode;
use text::Bytes;

/// The paper's width in characters of font A (12×24 dots).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Roll {
    #[serde(rename = "58")]
    Mm58,
    #[serde(rename = "80")]
    Mm80,
}

impl Roll {
    pub fn parse(s: &str) -> Option<Roll> {
        match s.trim().trim_end_matches("mm") {
            "58" => Some(Roll::Mm58),
            "80" => Some(Roll::Mm80),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Roll::Mm58 => "58",
            Roll::Mm80 => "80",
        }
    }
    pub fn columns(self) -> usize {
        match self {
            Roll::Mm58 => 32,
            Roll::Mm80 => 48,
        }
    }
    /// Printable dots across (203 dpi heads: 48 mm and 72 mm).
    pub fn dots(self) -> usize {
        match self {
            Roll::Mm58 => 384,
            Roll::Mm80 => 576,
        }
    }
}

/// How the slip is printed, from the printer settings.
#[derive(Debug, Clone)]
pub struct Layout {
    pub roll: Roll,
    pub code_page: String,
    /// Open the cash drawer after the slip (`ESC p`, pin 2).
    pub open_drawer: bool,
    /// The printer's own QR command, or a raster image of the symbol.
    pub qr: QrMode,
}

/// `ESC p 0 t1 t2`: a pulse on pin 2, 50 ms on and 500 ms off (t × 2 ms).
/// escpos 0.20 sends only `ESC p 0`, and the printer would take the next two
/// bytes (the status request that follows the job) as the pulse's times.
const DRAWER_KICK: [u8; 5] = [0x1B, b'p', 0, 25, 250];

/// A slip being written: escpos's commands into memory.
struct Slip {
    p: Printer<Bytes>,
    out: Bytes,
    cols: usize,
    page: String,
}

type R<T> = std::result::Result<T, SlipError>;

/// Why a slip could not be written: escpos refused a command, or the QR's
/// data is too long for a symbol.
#[derive(Debug)]
enum SlipError {
    Escpos(escpos::errors::PrinterError),
    QrTooLong(usize),
}

impl From<escpos::errors::PrinterError> for SlipError {
    fn from(e: escpos::errors::PrinterError) -> Self {
        SlipError::Escpos(e)
    }
}

impl Slip {
    fn new(layout: &Layout) -> R<Slip> {
        let out = Bytes::default();
        let mut p = Printer::new(out.clone(), Protocol::default(), None);
        p.init()?;
        if let Some(page) = text::code_page(&layout.code_page) {
            p.page_code(page)?;
        }
        Ok(Slip {
            p,
            out,
            cols: layout.roll.columns(),
            page: layout.code_page.clone(),
        })
    }

    fn text(&mut self, s: &str) -> R<()> {
        let bytes = text::encode(s, &self.page);
        self.p.custom(&bytes)?.feed()?;
        Ok(())
    }

    /// Words wrapped at `cols` columns (a word longer than a line is cut).
    fn wrap(&self, s: &str, cols: usize) -> Vec<String> {
        let mut lines = vec![];
        let mut line = String::new();
        for word in s.split_whitespace() {
            let mut word = word.to_string();
            while text::width(&word, &self.page) > cols {
                let head: String = word.chars().take(cols).collect();
                word = word.chars().skip(cols).collect();
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                lines.push(head);
            }
            let need = text::width(&line, &self.page) + usize::from(!line.is_empty());
            if !line.is_empty() && need + text::width(&word, &self.page) > cols {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    fn center(&mut self, s: &str, cols: usize) -> R<()> {
        self.p.justify(JustifyMode::CENTER)?;
        for l in self.wrap(s, cols) {
            self.text(&l)?;
        }
        self.p.justify(JustifyMode::LEFT)?;
        Ok(())
    }

    /// Label left, value right on one line; the value under the label,
    /// right-aligned, when both don't fit. `scale` is the width multiplier.
    fn pair(&mut self, label: &str, value: &str, bold: bool, scale: usize) -> R<()> {
        let cols = self.cols / scale;
        let (lw, vw) = (
            text::width(label, &self.page),
            text::width(value, &self.page),
        );
        self.p.bold(bold)?;
        if lw + 1 + vw <= cols {
            let pad = " ".repeat(cols - lw - vw);
            self.text(&format!("{label}{pad}{value}"))?;
        } else {
            self.text(label)?;
            self.p.justify(JustifyMode::RIGHT)?;
            for l in self.wrap(value, cols) {
                self.text(&l)?;
            }
            self.p.justify(JustifyMode::LEFT)?;
        }
        self.p.bold(false)?;
        Ok(())
    }

    /// The QR (model 2, level M), its modules as large as fit the roll with
    /// the quiet zone: the printer's own, or drawn here as a raster image.
    fn qr(&mut self, payload: &str, dots: usize, mode: QrMode) -> R<()> {
        match mode {
            QrMode::Native => {
                let size = qr::module_size(qr::native_modules(payload.len()), dots) as u8;
                self.p.justify(JustifyMode::CENTER)?;
                self.p.qrcode_option(
                    payload,
                    QRCodeOption::new(QRCodeModel::Model2, size, QRCodeCorrectionLevel::M),
                )?;
                self.p.justify(JustifyMode::LEFT)?;
            }
            QrMode::Bitmap => {
                let image = qr::raster(payload, dots).ok_or(SlipError::QrTooLong(payload.len()))?;
                self.p.custom(&image)?;
            }
        }
        Ok(())
    }

    fn finish(mut self, open_drawer: bool) -> R<Vec<u8>> {
        // feed past the cutter, then cut
        self.p.feeds(4)?.partial_cut()?;
        if open_drawer {
            self.p.custom(&DRAWER_KICK)?;
        }
        self.p.print()?;
        drop(self.p);
        Ok(std::mem::take(&mut *self.out.0.borrow_mut()))
    }
}

/// A receipt as ESC/POS bytes; `qr` is printed under it (an unpaid order's
/// dynamic QRIS).
pub fn receipt(r: &Receipt, layout: &Layout, qr: Option<&str>) -> Result<Vec<u8>> {
    render(r, layout, qr).map_err(|e| match e {
        SlipError::QrTooLong(n) => Error::invalid(
            "qr",
            format!("{n} bytes are more than a QR symbol holds at level M (2331)"),
        ),
        // memory takes every write; escpos refuses only arguments out of range
        SlipError::Escpos(e) => Error::invalid("printer", format!("ESC/POS: {e}")),
    })
}

fn render(r: &Receipt, layout: &Layout, qr: Option<&str>) -> R<Vec<u8>> {
    let mut s = Slip::new(layout)?;
    let cols = s.cols;
    let rule = "-".repeat(cols);
    for line in &r.lines {
        match line {
            Line::Title(t) => {
                s.p.bold(true)?.size(2, 2)?;
                s.center(t, cols / 2)?;
                s.p.reset_size()?.bold(false)?;
            }
            Line::Center(t) => s.center(t, cols)?,
            Line::Heading(t) => {
                s.p.bold(true)?;
                s.center(t, cols)?;
                s.p.bold(false)?;
            }
            Line::Pair {
                label,
                value,
                strong,
            } => s.pair(label, value, *strong, 1)?,
            Line::Total { label, value } => {
                // double height, single width: the columns stay the same
                s.p.size(1, 2)?;
                s.pair(label, value, true, 1)?;
                s.p.reset_size()?;
            }
            Line::Block { label, text } => {
                s.text(label)?;
                s.p.bold(true)?;
                for l in s.wrap(text, cols) {
                    s.text(&l)?;
                }
                s.p.bold(false)?;
            }
            Line::Rule => s.text(&rule)?,
            Line::Gap => {
                s.p.feed()?;
            }
            Line::Small(t) => s.center(t, cols)?,
        }
    }
    if let Some(payload) = qr {
        s.p.feed()?;
        s.qr(payload, layout.roll.dots(), layout.qr)?;
    }
    s.finish(layout.open_drawer)
}

/// The drawer kick alone: the job that opens the drawer on a cash sale.
pub fn drawer_kick() -> Vec<u8> {
    DRAWER_KICK.to_vec()
}

/// A short slip that says the printer works, with a QR to check the QR command.
pub fn test_slip(layout: &Layout, shop: &str, when: &str) -> Result<Vec<u8>> {
    let r = Receipt {
        order_id: "TES".into(),
        lines: vec![
            Line::Title(shop.to_string()),
            Line::Rule,
            Line::Heading("TES CETAK".into()),
            Line::Pair {
                label: "Kertas".into(),
                value: format!(
                    "{} mm, {} kolom",
                    layout.roll.as_str(),
                    layout.roll.columns()
                ),
                strong: false,
            },
            Line::Pair {
                label: "Code page".into(),
                value: layout.code_page.to_uppercase(),
                strong: false,
            },
            Line::Pair {
                label: "QR".into(),
                value: match layout.qr {
                    QrMode::Native => "printer (GS ( k)".into(),
                    QrMode::Bitmap => "gambar (GS v 0)".into(),
                },
                strong: false,
            },
            Line::Pair {
                label: "Waktu".into(),
                value: when.to_string(),
                strong: false,
            },
            Line::Total {
                label: "TOTAL".into(),
                value: "Rp 12.345".into(),
            },
            Line::Rule,
            Line::Small("Jika QR di bawah terbaca, printer siap.".into()),
        ],
    };
    let mut layout = layout.clone();
    layout.open_drawer = false;
    receipt(&r, &layout, Some("KASIR TES CETAK"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(open_drawer: bool) -> Layout {
        Layout {
            roll: Roll::Mm58,
            code_page: "pc437".into(),
            open_drawer,
            qr: QrMode::Native,
        }
    }

    #[test]
    fn the_drawer_kick_carries_its_pulse_times() {
        let r = Receipt {
            order_id: "X".into(),
            lines: vec![Line::Title("Warung".into())],
        };
        let with = receipt(&r, &layout(true), None).unwrap();
        assert!(with.ends_with(&DRAWER_KICK), "after the cut");
        let without = receipt(&r, &layout(false), None).unwrap();
        assert!(!without.windows(2).any(|w| w == [0x1B, b'p']));
    }
}
