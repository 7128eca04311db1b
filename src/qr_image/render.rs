//! Drawing a payload as a QR code: PNG for the till's screen, SVG for print.

use super::symbol::Symbol;
use base64::Engine;
use image::{GrayImage, Luma};
use std::fmt::Write;

/// White modules around the code. ISO/IEC 18004 asks for four; phone
/// scanners lose the finder patterns against a busy page without them.
pub const QUIET_ZONE: u32 = 4;
/// Pixels per module on screen. The QRIS payloads in the shared vectors of
/// 190-230 characters are version 8 (49 modules, 456 px with the quiet zone)
/// and the longest, 274 characters, version 9 (488 px): 400-600 px is what
/// phones read from the till's screen at arm's length.
pub const SCREEN_MODULE_PX: u32 = 8;
/// Largest module size `render_png_scaled` accepts: 40 px modules make a
/// 300 dpi print about 3.4 mm per module, already larger than any sticker.
pub const MAX_MODULE_PX: u32 = 40;

/// Why a payload could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrImageError {
    #[error(
        "The payload is {bytes} bytes long, too long for a QR code at error-correction level M."
    )]
    PayloadTooLong { bytes: usize },
    #[error("The QR code could not be encoded: {0}.")]
    Encode(String),
    #[error("The module size must be between 1 and {MAX_MODULE_PX} pixels, not {0}.")]
    ModuleSize(u32),
    #[error("The QR code could not be written as PNG: {0}.")]
    Png(String),
}

fn check_module_px(module_px: u32) -> Result<usize, QrImageError> {
    if (1..=MAX_MODULE_PX).contains(&module_px) {
        Ok(module_px as usize)
    } else {
        Err(QrImageError::ModuleSize(module_px))
    }
}

/// The code as an 8-bit grayscale image with the quiet zone, for callers
/// that compose it into something larger (a receipt, a JPEG in tests).
pub fn render_gray(payload: &str, module_px: u32) -> Result<GrayImage, QrImageError> {
    let px = check_module_px(module_px)?;
    let m = Symbol::encode(payload)?;
    let q = QUIET_ZONE as usize;
    let side = (m.side() + 2 * q) * px;
    let mut img = GrayImage::from_pixel(side as u32, side as u32, Luma([255]));
    for (i, p) in img.pixels_mut().enumerate() {
        let (x, y) = ((i % side) / px, (i / side) / px);
        let inside = (q..q + m.side()).contains(&x) && (q..q + m.side()).contains(&y);
        if inside && m.is_dark(x - q, y - q) {
            p.0 = [0];
        }
    }
    Ok(img)
}

/// A 1-bit grayscale PNG with `module_px` pixels per module.
///
/// Written with the `png` crate directly rather than through `image`: a
/// 1-bit image has an eighth of the bytes of 8-bit grayscale to filter and
/// deflate, and deflate was most of the time (docs/BENCHMARKS.md).
pub fn render_png_scaled(payload: &str, module_px: u32) -> Result<Vec<u8>, QrImageError> {
    let px = check_module_px(module_px)?;
    let m = Symbol::encode(payload)?;
    let q = QUIET_ZONE as usize;
    let side = (m.side() + 2 * q) * px;
    let row_bytes = side.div_ceil(8);
    // 1 = white in 1-bit grayscale; the quiet zone stays as initialised
    let mut data = vec![0xFFu8; row_bytes * side];
    let mut row = vec![0xFFu8; row_bytes];
    for y in 0..m.side() {
        row.fill(0xFF);
        for x in (0..m.side()).filter(|&x| m.is_dark(x, y)) {
            for p in (x + q) * px..(x + q + 1) * px {
                row[p / 8] &= !(0x80 >> (p % 8));
            }
        }
        for py in (y + q) * px..(y + q + 1) * px {
            data[py * row_bytes..(py + 1) * row_bytes].copy_from_slice(&row);
        }
    }
    let png_err = |e: png::EncodingError| QrImageError::Png(e.to_string());
    let mut out = Vec::with_capacity(4 * 1024);
    let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::One);
    enc.set_compression(png::Compression::Fast);
    let mut w = enc.write_header().map_err(png_err)?;
    w.write_image_data(&data).map_err(png_err)?;
    w.finish().map_err(png_err)?;
    Ok(out)
}

/// A PNG a phone can scan from the till's screen at arm's length.
pub fn render_png(payload: &str) -> Result<Vec<u8>, QrImageError> {
    render_png_scaled(payload, SCREEN_MODULE_PX)
}

/// `data:image/png;base64,…`, ready for `<img src>` and the reference API's
/// `qr_image` field.
pub fn png_data_url(payload: &str) -> Result<String, QrImageError> {
    let png = render_png(payload)?;
    Ok(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

/// An SVG one unit per module, quiet zone included; it scales to any print
/// size without blurring.
pub fn render_svg(payload: &str) -> Result<String, QrImageError> {
    let m = Symbol::encode(payload)?;
    let q = QUIET_ZONE as usize;
    let side = m.side() + 2 * q;
    let mut path = String::with_capacity(m.side() * m.side());
    // one sub-path per horizontal run of dark modules keeps the file small
    for y in 0..m.side() {
        let mut x = 0;
        while x < m.side() {
            if !m.is_dark(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < m.side() && m.is_dark(x, y) {
                x += 1;
            }
            let run = x - start;
            let _ = write!(path, "M{} {}h{run}v1h-{run}z", start + q, y + q);
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{side}\" height=\"{side}\" \
         fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>\n"
    ))
}
