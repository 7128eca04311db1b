//! The QR on the paper: the printer's own (`GS ( k`, model 2, level M), sharp
//! at any size and a few dozen bytes, or, for printers without that command
//! (some clones print its bytes as garbage), the same symbol drawn here and
//! sent as a raster image (`GS v 0`).

use serde::Serialize;

/// How the slip's QR reaches the paper (setting `printer_qr`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QrMode {
    /// The printer draws it from the data (`GS ( k`).
    #[default]
    Native,
    /// Kasir draws it and sends the dots (`GS v 0`).
    Bitmap,
}

impl QrMode {
    pub fn parse(s: &str) -> Option<QrMode> {
        match s.trim().to_ascii_lowercase().as_str() {
            "native" => Some(QrMode::Native),
            "bitmap" => Some(QrMode::Bitmap),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            QrMode::Native => "native",
            QrMode::Bitmap => "bitmap",
        }
    }
}

/// The quiet zone a scanner needs around the symbol, in modules.
const QUIET: usize = 4;

/// Dots a module: the largest that fits `dots` across with the quiet zone on
/// both sides (8 is the most `GS ( k` takes).
pub(super) fn module_size(modules: usize, dots: usize) -> usize {
    (dots / (modules + 2 * QUIET)).clamp(1, 8)
}

/// Bytes a QR symbol holds in byte mode at level M, versions 1 to 40 (ISO/IEC
/// 18004 table 7).
const BYTES_AT_M: [usize; 40] = [
    14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666,
    711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911,
    1989, 2099, 2213, 2331,
];

/// Modules across the printer's QR of `len` bytes, the printer choosing the
/// version. Byte mode is the largest any encoder picks, so the symbol is never
/// wider than this: sizing from it never overflows the roll. (Encoding the QR
/// here only to measure it took 1.2 ms of a 1.25 ms slip.)
pub(super) fn native_modules(len: usize) -> usize {
    let version = BYTES_AT_M.iter().position(|&cap| len <= cap).unwrap_or(39) + 1;
    17 + 4 * version
}

/// `payload` as a `GS v 0` raster image as wide as the roll (`dots`), the
/// symbol centred in it with its quiet zone above and below, so it lands in
/// the middle whatever the printer makes of `ESC a` for images. `None` when
/// the payload is too long for any QR symbol.
pub(super) fn raster(payload: &str, dots: usize) -> Option<Vec<u8>> {
    let code = qrcode::QrCode::with_error_correction_level(payload, qrcode::EcLevel::M).ok()?;
    let modules = code.width();
    let size = module_size(modules, dots);
    let colors = code.to_colors();
    let row_bytes = dots.div_ceil(8);
    let side = modules * size;
    let left = (row_bytes * 8).saturating_sub(side) / 2;
    let top = QUIET * size;
    let height = side + 2 * top;
    let mut out = Vec::with_capacity(8 + row_bytes * height);
    // m = 0: normal density; then width in bytes and height in dots, low byte first
    out.extend_from_slice(&[0x1D, b'v', b'0', 0]);
    out.extend_from_slice(&(row_bytes as u16).to_le_bytes());
    out.extend_from_slice(&(height as u16).to_le_bytes());
    let mut row = vec![0u8; row_bytes];
    for y in 0..height {
        row.fill(0);
        if (top..top + side).contains(&y) {
            let my = (y - top) / size;
            for mx in 0..modules {
                if colors[my * modules + mx] == qrcode::Color::Dark {
                    for x in left + mx * size..left + (mx + 1) * size {
                        // the leftmost dot is the high bit
                        row[x / 8] |= 0x80 >> (x % 8);
                    }
                }
            }
        }
        out.extend_from_slice(&row);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_is_never_wider_than_sized_for() {
        assert_eq!(native_modules(274), 65, "a long QRIS: version 12");
        for len in (1..600).step_by(7) {
            let data = "Qris.id-".repeat(len / 8 + 1)[..len].to_string();
            let real = qrcode::QrCode::with_error_correction_level(&data, qrcode::EcLevel::M)
                .unwrap()
                .width();
            assert!(
                real <= native_modules(len),
                "{len}: {real} > {}",
                native_modules(len)
            );
        }
        // 58 mm holds a 274-character QRIS at 5 dots a module with its quiet zone
        assert_eq!(module_size(native_modules(274), 384), 5);
    }

    #[test]
    fn the_bitmap_qr_is_as_wide_as_the_roll_with_the_symbol_in_the_middle() {
        let payload = "0".repeat(274);
        for dots in [384, 576] {
            let img = raster(&payload, dots).unwrap();
            let (w, h) = (
                u16::from_le_bytes([img[4], img[5]]) as usize,
                u16::from_le_bytes([img[6], img[7]]) as usize,
            );
            assert_eq!(&img[..4], &[0x1D, b'v', b'0', 0]);
            assert_eq!(w * 8, dots);
            assert_eq!(img.len(), 8 + w * h);
            let rows: Vec<&[u8]> = img[8..].chunks(w).collect();
            let inked = |r: &[u8]| r.iter().any(|b| *b != 0);
            let first = rows.iter().position(|r| inked(r)).unwrap();
            let last = rows.iter().rposition(|r| inked(r)).unwrap();
            assert_eq!(first, h - 1 - last, "as much white above as below");
            let (l, r) = rows.iter().fold((usize::MAX, 0), |(l, r), row| {
                let dots: Vec<usize> = (0..w * 8)
                    .filter(|x| row[x / 8] & (0x80 >> (x % 8)) != 0)
                    .collect();
                match (dots.first(), dots.last()) {
                    (Some(a), Some(b)) => (l.min(*a), r.max(*b)),
                    _ => (l, r),
                }
            });
            assert!(
                l.abs_diff(dots - 1 - r) <= 1,
                "centred: {l} .. {r} of {dots}"
            );
        }
        assert!(
            raster(&"x".repeat(3000), 384).is_none(),
            "too long for a QR"
        );
    }
}
