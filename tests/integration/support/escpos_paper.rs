//! A picture of the paper a thermal printer would give for the ESC/POS bytes
//! Kasir sends: text in a 12×24 dot cell (font A) drawn with `font8x8`
//! scaled, justification, bold, `GS !` sizes, feeds, the printer's own QR
//! (`GS ( k`, drawn with the `qrcode` crate at the module size the job asked
//! for), raster images (`GS v 0`), the cut as a dashed line. Commands it doesn't
//! draw are skipped by their lengths in Epson's ESC/POS reference; a byte it
//! doesn't know is an error, so a new command can't slip past the test.

use font8x8::UnicodeFonts;
use image::{GrayImage, Luma};

/// What the printer would have done besides drawing.
pub struct Paper {
    pub image: GrayImage,
    pub cuts: usize,
    pub drawer_kicks: usize,
    /// `GS ( k` QR symbols printed, and `GS v 0` images.
    pub native_qrs: usize,
    pub rasters: usize,
}

const CELL_W: usize = 12;
const CELL_H: usize = 24;

#[derive(Clone, Copy)]
struct Glyph {
    byte: u8,
    bold: bool,
    w: usize,
    h: usize,
}

struct State<'a> {
    dots: usize,
    rows: Vec<Vec<bool>>,
    y: usize,
    line: Vec<Glyph>,
    /// `ESC a` as it was when the line started: it applies per line.
    line_justify: u8,
    justify: u8,
    bold: bool,
    size: (usize, usize),
    page: &'a str,
    qr: Qr,
    cuts: usize,
    drawer_kicks: usize,
    native_qrs: usize,
    rasters: usize,
}

#[derive(Default)]
struct Qr {
    module: usize,
    level: u8,
    data: Vec<u8>,
}

impl State<'_> {
    fn ensure(&mut self, height: usize) {
        while self.rows.len() < self.y + height {
            self.rows.push(vec![false; self.dots]);
        }
    }

    fn dot(&mut self, x: usize, y: usize) {
        if x < self.dots {
            if y >= self.rows.len() {
                self.rows.resize(y + 1, vec![false; self.dots]);
            }
            self.rows[y][x] = true;
        }
    }

    fn x_for(&self, width: usize, justify: u8) -> usize {
        match justify {
            1 => self.dots.saturating_sub(width) / 2,
            2 => self.dots.saturating_sub(width),
            _ => 0,
        }
    }

    fn char_of(&self, byte: u8) -> char {
        if byte < 0x80 {
            return byte as char;
        }
        // the code page's byte back to its character, by asking Kasir's encoder
        ('\u{a0}'..='\u{24f}')
            .chain('\u{2010}'..='\u{20ac}')
            .find(|c| kasir::printer::text::encode(&c.to_string(), self.page) == [byte])
            .unwrap_or('?')
    }

    fn put(&mut self, byte: u8) {
        let g = Glyph {
            byte,
            bold: self.bold,
            w: self.size.0,
            h: self.size.1,
        };
        let width: usize = self.line.iter().map(|g| g.w * CELL_W).sum();
        if width + g.w * CELL_W > self.dots {
            // the printer wraps a line wider than the paper
            self.print_line();
        }
        if self.line.is_empty() {
            self.line_justify = self.justify;
        }
        self.line.push(g);
    }

    /// Print the buffered line and move to the next one (`LF`).
    fn print_line(&mut self) {
        let height = self
            .line
            .iter()
            .map(|g| g.h * CELL_H)
            .max()
            .unwrap_or(CELL_H);
        let width: usize = self.line.iter().map(|g| g.w * CELL_W).sum();
        self.ensure(height);
        let justify = if self.line.is_empty() {
            self.justify
        } else {
            self.line_justify
        };
        let mut x = self.x_for(width, justify);
        let line = std::mem::take(&mut self.line);
        for g in line {
            let c = self.char_of(g.byte);
            let bitmap = font8x8::BASIC_FONTS
                .get(c)
                .or_else(|| font8x8::LATIN_FONTS.get(c))
                .or_else(|| font8x8::MISC_FONTS.get(c))
                .unwrap_or([0xFF, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0xFF]);
            // glyphs sit on the line's baseline
            let top = self.y + height - g.h * CELL_H;
            for dy in 0..g.h * CELL_H {
                let src_y = dy / (3 * g.h);
                for dx in 0..g.w * CELL_W {
                    let src_x = dx * 8 / (CELL_W * g.w);
                    if bitmap[src_y] & (1 << src_x) != 0 {
                        self.dot(x + dx, top + dy);
                        if g.bold {
                            self.dot(x + dx + 1, top + dy);
                        }
                    }
                }
            }
            x += g.w * CELL_W;
        }
        self.y += height;
    }

    fn feed(&mut self, lines: usize) {
        self.print_line();
        self.y += CELL_H * lines.saturating_sub(1);
        self.ensure(0);
    }

    /// Dots from a 1-bit image, `width_bytes` across, MSB leftmost.
    fn raster(&mut self, width_bytes: usize, height: usize, data: &[u8], scale: (usize, usize)) {
        if !self.line.is_empty() {
            self.print_line();
        }
        let w = width_bytes * 8 * scale.0;
        let x0 = self.x_for(w, self.justify);
        self.ensure(height * scale.1);
        for y in 0..height {
            for x in 0..width_bytes * 8 {
                if data[y * width_bytes + x / 8] & (0x80 >> (x % 8)) != 0 {
                    for sy in 0..scale.1 {
                        for sx in 0..scale.0 {
                            self.dot(x0 + x * scale.0 + sx, self.y + y * scale.1 + sy);
                        }
                    }
                }
            }
        }
        self.y += height * scale.1;
    }

    fn print_qr(&mut self) -> Result<(), String> {
        let level = match self.qr.level {
            48 => qrcode::EcLevel::L,
            50 => qrcode::EcLevel::Q,
            51 => qrcode::EcLevel::H,
            _ => qrcode::EcLevel::M,
        };
        let code = qrcode::QrCode::with_error_correction_level(&self.qr.data, level)
            .map_err(|e| format!("GS ( k: the stored data is no QR: {e}"))?;
        let n = code.width();
        // GS ( k fn 167: 1 to 16 dots a module, 3 when never set
        let size = if self.qr.module == 0 {
            3
        } else {
            self.qr.module
        };
        let colors = code.to_colors();
        self.print_line();
        let x0 = self.x_for(n * size, self.justify);
        self.ensure(n * size);
        for my in 0..n {
            for mx in 0..n {
                if colors[my * n + mx] == qrcode::Color::Dark {
                    for dy in 0..size {
                        for dx in 0..size {
                            self.dot(x0 + mx * size + dx, self.y + my * size + dy);
                        }
                    }
                }
            }
        }
        self.y += n * size;
        self.native_qrs += 1;
        Ok(())
    }
}

fn arg(bytes: &[u8], i: usize) -> Result<u8, String> {
    bytes
        .get(i)
        .copied()
        .ok_or_else(|| format!("the job ends inside a command at byte {i}"))
}

/// Lay `bytes` out on a roll `dots` wide (384 for 58 mm, 576 for 80 mm).
/// Bytes ≥ 0x80 are read in the code page the job selects with `ESC t`.
pub fn render(bytes: &[u8], dots: usize) -> Result<Paper, String> {
    let mut s = State {
        dots,
        rows: vec![],
        y: 0,
        line: vec![],
        line_justify: 0,
        justify: 0,
        bold: false,
        size: (1, 1),
        page: "pc437",
        qr: Qr::default(),
        cuts: 0,
        drawer_kicks: 0,
        native_qrs: 0,
        rasters: 0,
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += match b {
            0x0A => {
                s.print_line();
                1
            }
            0x0D | 0x09 => 1,
            0x10 => match arg(bytes, i + 1)? {
                // DLE EOT n: a real-time status request
                0x04 => 3,
                // DLE DC4 fn m t: real-time pulse
                0x14 => 5,
                other => return Err(format!("DLE {other:#04x} at {i}")),
            },
            0x1B => {
                let c = arg(bytes, i + 1)?;
                match c {
                    b'@' => {
                        s.justify = 0;
                        s.bold = false;
                        s.size = (1, 1);
                        s.page = "pc437";
                        2
                    }
                    b't' => {
                        s.page = match arg(bytes, i + 2)? {
                            0 => "pc437",
                            2 => "pc850",
                            16 => "wpc1252",
                            19 => "pc858",
                            n => return Err(format!("ESC t {n}: a code page Kasir never selects")),
                        };
                        3
                    }
                    b'a' => {
                        s.justify = arg(bytes, i + 2)? % 48;
                        3
                    }
                    b'E' => {
                        s.bold = arg(bytes, i + 2)? & 1 == 1;
                        3
                    }
                    b'!' => {
                        let n = arg(bytes, i + 2)?;
                        s.bold = n & 0x08 != 0;
                        s.size = (
                            1 + usize::from(n & 0x20 != 0),
                            1 + usize::from(n & 0x10 != 0),
                        );
                        3
                    }
                    b'd' => {
                        s.feed(arg(bytes, i + 2)? as usize);
                        3
                    }
                    b'J' => {
                        s.print_line();
                        s.y += arg(bytes, i + 2)? as usize;
                        3
                    }
                    b'p' => {
                        s.drawer_kicks += 1;
                        5
                    }
                    // ESC - n underline, ESC G n double strike, ESC M n font,
                    // ESC V n rotate, ESC { n upside down, ESC R n charset, ESC 3 n spacing
                    b'-' | b'G' | b'M' | b'V' | b'{' | b'R' | b'3' | b'=' => 3,
                    // ESC 2: default line spacing
                    b'2' => 2,
                    other => return Err(format!("ESC {:?} at {i}", other as char)),
                }
            }
            0x1D => {
                let c = arg(bytes, i + 1)?;
                match c {
                    b'!' => {
                        let n = arg(bytes, i + 2)?;
                        s.size = (1 + (n >> 4) as usize, 1 + (n & 0x0F) as usize);
                        3
                    }
                    b'V' => {
                        s.print_line();
                        s.cuts += 1;
                        // the cut, dashed across the paper
                        let y = s.y;
                        s.ensure(1);
                        for x in (0..dots).step_by(8) {
                            for d in 0..4 {
                                s.dot(x + d, y);
                            }
                        }
                        s.y += 1;
                        match arg(bytes, i + 2)? {
                            65 | 66 => 4,
                            _ => 3,
                        }
                    }
                    b'(' => {
                        if arg(bytes, i + 2)? != b'k' {
                            return Err(format!("GS ( {:?} at {i}", bytes[i + 2] as char));
                        }
                        let len = arg(bytes, i + 3)? as usize + 256 * arg(bytes, i + 4)? as usize;
                        let body = bytes
                            .get(i + 5..i + 5 + len)
                            .ok_or_else(|| format!("GS ( k at {i} runs past the job"))?;
                        if body.first() == Some(&49) {
                            match body.get(1) {
                                // fn 165: model; fn 169: error correction level
                                Some(65) => {}
                                Some(67) => s.qr.module = *body.get(2).unwrap_or(&3) as usize,
                                Some(69) => s.qr.level = *body.get(2).unwrap_or(&49),
                                Some(80) => s.qr.data = body[3..].to_vec(),
                                Some(81) => s.print_qr()?,
                                // fn 182: transmit size information
                                Some(82) => {}
                                f => return Err(format!("GS ( k QR function {f:?} at {i}")),
                            }
                        }
                        5 + len
                    }
                    b'v' => {
                        if arg(bytes, i + 2)? != b'0' {
                            return Err(format!("GS v {:?} at {i}", bytes[i + 2] as char));
                        }
                        let m = arg(bytes, i + 3)?;
                        let w = arg(bytes, i + 4)? as usize + 256 * arg(bytes, i + 5)? as usize;
                        let h = arg(bytes, i + 6)? as usize + 256 * arg(bytes, i + 7)? as usize;
                        let data = bytes
                            .get(i + 8..i + 8 + w * h)
                            .ok_or_else(|| format!("GS v 0 at {i} runs past the job"))?;
                        let scale = (1 + usize::from(m & 1 != 0), 1 + usize::from(m & 2 != 0));
                        s.raster(w, h, data, scale);
                        s.rasters += 1;
                        8 + w * h
                    }
                    // GS B n reverse, GS b n smoothing, GS H/f/h/w barcode settings
                    b'B' | b'b' | b'H' | b'f' | b'h' | b'w' => 3,
                    // GS L nL nH left margin, GS W nL nH print area width
                    b'L' | b'W' => 4,
                    other => return Err(format!("GS {:?} at {i}", other as char)),
                }
            }
            0x00..=0x1F | 0x7F => return Err(format!("control byte {b:#04x} at {i}")),
            _ => {
                s.put(b);
                1
            }
        };
    }
    if !s.line.is_empty() {
        s.print_line();
    }
    // a margin below, like the paper past the last line
    s.y += CELL_H;
    s.ensure(0);
    let (w, h) = (dots as u32, s.rows.len().max(1) as u32);
    let rows = s.rows;
    let image = GrayImage::from_fn(w, h, |x, y| {
        let ink = rows.get(y as usize).is_some_and(|r| r[x as usize]);
        Luma([if ink { 0 } else { 255 }])
    });
    // a white margin around the roll, as scanners want around a QR
    let mut framed = GrayImage::from_pixel(w + 32, h + 32, Luma([255]));
    image::imageops::overlay(&mut framed, &image, 16, 16);
    Ok(Paper {
        image: framed,
        cuts: s.cuts,
        drawer_kicks: s.drawer_kicks,
        native_qrs: s.native_qrs,
        rasters: s.rasters,
    })
}

/// Where pictures for a person to look at go: `target/e2e/` of this workspace.
pub fn e2e_dir() -> std::path::PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("e2e");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
