//! QR images: draw a payload as PNG or SVG, and read a QR code out of a photo
//! or screenshot of a sticker.
//!
//! Drawing uses the `qrcode` crate the issue named for segmenting and
//! placing the data, and our own bit-parallel mask choice (`symbol`): the
//! crate's own takes ~1.3 ms of its ~1.35 ms per 200-character payload. The
//! symbols are module-for-module the crate's; see docs/BENCHMARKS.md for the
//! numbers and for `fast_qr`, which was faster than `qrcode` but draws larger
//! symbols. Reading uses `rqrr`, with fallbacks for the pictures it misses
//! on its own (`Preparation`).

mod prepare;
mod region;
mod render;
mod scan;
mod symbol;

pub use prepare::Preparation;
pub use render::{
    png_data_url, render_gray, render_png, render_png_scaled, render_svg, QrImageError,
    MAX_MODULE_PX, QUIET_ZONE, SCREEN_MODULE_PX,
};
pub use scan::{scan, scan_detailed, Oversize, ScanError, Scanned, MAX_IMAGE_BYTES, MAX_PIXELS};
pub use symbol::Symbol;
