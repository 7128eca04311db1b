//! QR images: draw a payload as PNG or SVG, and read a QR code out of a photo
//! or screenshot of a sticker.
//!
//! Drawing uses `fast_qr` rather than the `qrcode` crate: measured on this
//! machine, `qrcode` 0.14 spends about 1.35 ms per ~200-character payload
//! (it scores all eight masks with slow penalty rules) against about 0.19 ms
//! for `fast_qr`; see docs/BENCHMARKS.md.

use base64::Engine;
use fast_qr::qr::QRBuilder;
use fast_qr::ECL;
use image::{DynamicImage, GrayImage, ImageReader, Luma};
use std::fmt;
use std::io::Cursor;

/// Uploads above this are refused before decoding.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;
/// Images above this many pixels are refused before decoding (decompression bombs).
pub const MAX_PIXELS: u64 = 40_000_000;
/// Pixels per module on screen: ~8 px keeps a 300-character code near 500 px.
pub const SCREEN_MODULE_PX: u32 = 8;
const QUIET_ZONE: u32 = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanError {
    TooLarge { detail: String },
    NotAnImage,
    Corrupt(String),
    NoQrFound,
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScanError::TooLarge { detail } => write!(f, "the image is too large ({detail}); send a photo under 10 MB and 40 megapixels"),
            ScanError::NotAnImage => write!(f, "the file is not a PNG, JPEG or WebP image"),
            ScanError::Corrupt(e) => write!(f, "the image could not be decoded (truncated or damaged): {e}"),
            ScanError::NoQrFound => write!(f, "no QR code could be read in the image; photograph the sticker straight on, in focus and filling most of the frame"),
        }
    }
}

impl std::error::Error for ScanError {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError(pub String);

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the QR code could not be drawn: {}", self.0)
    }
}

impl std::error::Error for RenderError {}

/// The module matrix (true = dark), with its side length.
fn modules(payload: &str) -> Result<(Vec<bool>, usize), RenderError> {
    let qr = QRBuilder::new(payload.as_bytes())
        .ecl(ECL::M)
        .build()
        .map_err(|e| RenderError(format!("{e:?}")))?;
    let n = qr.size;
    Ok((qr.data[..n * n].iter().map(|m| m.value()).collect(), n))
}

/// A grayscale image of the code with a 4-module quiet zone.
pub fn render_gray(payload: &str, module_px: u32) -> Result<GrayImage, RenderError> {
    let (dark, n) = modules(payload)?;
    let side = (n as u32 + 2 * QUIET_ZONE) * module_px;
    let mut img = GrayImage::from_pixel(side, side, Luma([255]));
    for y in 0..n {
        for x in 0..n {
            if dark[y * n + x] {
                let (x0, y0) = (
                    (x as u32 + QUIET_ZONE) * module_px,
                    (y as u32 + QUIET_ZONE) * module_px,
                );
                for yy in y0..y0 + module_px {
                    for xx in x0..x0 + module_px {
                        img.put_pixel(xx, yy, Luma([0]));
                    }
                }
            }
        }
    }
    Ok(img)
}

/// A 1-bit PNG written row by row: 8x fewer bytes to compress than 8-bit
/// grayscale, which is most of the time a QR image takes (docs/BENCHMARKS.md).
pub fn render_png_scaled(payload: &str, module_px: u32) -> Result<Vec<u8>, RenderError> {
    let (dark, n) = modules(payload)?;
    let module_px = module_px.max(1) as usize;
    let q = QUIET_ZONE as usize;
    let side = (n + 2 * q) * module_px;
    let row_bytes = side.div_ceil(8);
    let mut data = vec![0xFFu8; row_bytes * side];
    for y in 0..n {
        // one pixel row of this module row; copied module_px times below
        let mut row = vec![0xFFu8; row_bytes];
        for x in 0..n {
            if dark[y * n + x] {
                let x0 = (x + q) * module_px;
                for px in x0..x0 + module_px {
                    row[px / 8] &= !(0x80 >> (px % 8));
                }
            }
        }
        let y0 = (y + q) * module_px;
        for py in y0..y0 + module_px {
            data[py * row_bytes..(py + 1) * row_bytes].copy_from_slice(&row);
        }
    }
    let mut out = Vec::with_capacity(4 * 1024);
    let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::One);
    enc.set_compression(png::Compression::Fast);
    let mut w = enc.write_header().map_err(|e| RenderError(e.to_string()))?;
    w.write_image_data(&data)
        .map_err(|e| RenderError(e.to_string()))?;
    w.finish().map_err(|e| RenderError(e.to_string()))?;
    Ok(out)
}

/// A PNG a phone can scan from a screen at arm's length.
pub fn render_png(payload: &str) -> Result<Vec<u8>, RenderError> {
    render_png_scaled(payload, SCREEN_MODULE_PX)
}

/// `data:image/png;base64,…` for `<img src>`.
pub fn png_data_url(payload: &str) -> Result<String, RenderError> {
    let png = render_png(payload)?;
    Ok(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

pub fn render_svg(payload: &str) -> Result<String, RenderError> {
    let (dark, n) = modules(payload)?;
    let side = n as u32 + 2 * QUIET_ZONE;
    let mut path = String::new();
    for y in 0..n {
        for x in 0..n {
            if dark[y * n + x] {
                path.push_str(&format!(
                    "M{} {}h1v1h-1z",
                    x as u32 + QUIET_ZONE,
                    y as u32 + QUIET_ZONE
                ));
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>\n"
    ))
}

/// Read the QR code in a PNG, JPEG or WebP image.
pub fn scan(bytes: &[u8]) -> Result<String, ScanError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ScanError::TooLarge {
            detail: format!("{} bytes", bytes.len()),
        });
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ScanError::Corrupt(e.to_string()))?;
    match reader.format() {
        Some(image::ImageFormat::Png | image::ImageFormat::Jpeg | image::ImageFormat::WebP) => {}
        _ => return Err(ScanError::NotAnImage),
    }
    // read the size from the header first: a 20000x20000 PNG is a few KB on disk
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| ScanError::Corrupt(e.to_string()))?;
    if w as u64 * h as u64 > MAX_PIXELS {
        return Err(ScanError::TooLarge {
            detail: format!("{w}x{h} pixels"),
        });
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ScanError::Corrupt(e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| ScanError::Corrupt(e.to_string()))?;
    let orientation = image::ImageDecoder::orientation(&mut decoder).ok();
    let mut img =
        DynamicImage::from_decoder(decoder).map_err(|e| ScanError::Corrupt(e.to_string()))?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    let gray = img.to_luma8();
    // large photos: detection works on ~1000 px and is much faster there
    let base = if gray.width().max(gray.height()) > 1600 {
        let s = 1200.0 / gray.width().max(gray.height()) as f32;
        image::imageops::resize(
            &gray,
            (gray.width() as f32 * s) as u32,
            (gray.height() as f32 * s) as u32,
            image::imageops::FilterType::Triangle,
        )
    } else {
        gray
    };
    for prepared in preparations(&base) {
        if let Some(p) = detect(&prepared) {
            return Ok(p);
        }
    }
    Err(ScanError::NoQrFound)
}

fn detect(img: &GrayImage) -> Option<String> {
    let mut prepared = rqrr::PreparedImage::prepare(img.clone());
    for grid in prepared.detect_grids() {
        if let Ok((_, content)) = grid.decode() {
            return Some(content);
        }
    }
    None
}

type Preparation = Box<dyn Fn(&GrayImage) -> GrayImage>;

/// Ways to present the picture to the detector, cheapest first.
fn preparations(base: &GrayImage) -> impl Iterator<Item = GrayImage> + '_ {
    let steps: Vec<Preparation> = vec![
        Box::new(|g| g.clone()),
        // a code drawn edge to edge has no quiet zone for the finder patterns
        Box::new(|g| pad(g, g.width().max(g.height()) / 8 + 8)),
        Box::new(|g| pad(&threshold(g), g.width().max(g.height()) / 8 + 8)),
        Box::new(|g| pad(&scale(g, 0.5), 16)),
        Box::new(|g| pad(&scale(g, 2.0), 32)),
        Box::new(|g| pad(&invert(g), g.width().max(g.height()) / 8 + 8)),
    ];
    steps.into_iter().map(move |f| f(base))
}

fn pad(g: &GrayImage, border: u32) -> GrayImage {
    let mut out =
        GrayImage::from_pixel(g.width() + 2 * border, g.height() + 2 * border, Luma([255]));
    image::imageops::overlay(&mut out, g, border as i64, border as i64);
    out
}

fn scale(g: &GrayImage, s: f32) -> GrayImage {
    let (w, h) = (
        ((g.width() as f32 * s) as u32).max(1),
        ((g.height() as f32 * s) as u32).max(1),
    );
    if w > 4000 || h > 4000 {
        return g.clone();
    }
    image::imageops::resize(g, w, h, image::imageops::FilterType::Triangle)
}

fn invert(g: &GrayImage) -> GrayImage {
    let mut out = g.clone();
    image::imageops::invert(&mut out);
    out
}

/// Otsu's threshold: separates ink from paper under uneven light.
fn threshold(g: &GrayImage) -> GrayImage {
    let mut hist = [0u64; 256];
    for p in g.pixels() {
        hist[p[0] as usize] += 1;
    }
    let total = g.pixels().len() as f64;
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, c)| i as f64 * *c as f64)
        .sum();
    let (mut sum_b, mut w_b, mut best, mut t) = (0.0, 0.0, 0.0, 128u8);
    for (i, c) in hist.iter().enumerate() {
        w_b += *c as f64;
        if w_b == 0.0 {
            continue;
        }
        let w_f = total - w_b;
        if w_f == 0.0 {
            break;
        }
        sum_b += i as f64 * *c as f64;
        let (m_b, m_f) = (sum_b / w_b, (sum - sum_b) / w_f);
        let between = w_b * w_f * (m_b - m_f).powi(2);
        if between > best {
            best = between;
            t = i as u8;
        }
    }
    let mut out = g.clone();
    for p in out.pixels_mut() {
        p[0] = if p[0] > t { 255 } else { 0 };
    }
    out
}
