//! Reading the QR code out of a photo or screenshot of a QRIS sticker.

use super::prepare::Preparation;
use super::region;
use image::imageops;
use image::{DynamicImage, GrayImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Luma};
use std::io::Cursor;

/// Uploads above this many bytes are refused before anything is decoded.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;
/// Images above this many pixels are refused from their header, before any
/// pixel is decompressed: a 20000×20000 PNG is a few hundred kilobytes on
/// disk and 400 MB in memory. 40 MP is above any phone camera's default.
pub const MAX_PIXELS: u64 = 40_000_000;
/// Photos whose long side is above this are shrunk to `DETECT_SIDE` first:
/// the detector's time grows with the pixel count, and a sticker that fills
/// a fair part of a 12 MP photo still has 8+ px modules at 1200 px.
const SHRINK_ABOVE: u32 = 1600;
const DETECT_SIDE: u32 = 1200;
/// `FullResolution` is skipped above this long side: rqrr on a 40 MP photo
/// takes seconds, and a code that small in the frame is a bad photo anyway.
const FULL_RESOLUTION_MAX_SIDE: u32 = 4000;

/// What exceeded a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Oversize {
    Bytes(usize),
    Pixels { width: u32, height: u32 },
}

/// Why no payload came out of an image.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    #[error("{}", too_large_message(.0))]
    TooLarge(Oversize),
    #[error("The file is not a PNG, JPEG or WebP image.")]
    NotAnImage,
    #[error("The image is damaged or cut short and could not be decoded ({0}).")]
    Corrupt(String),
    #[error("No QR code could be read in the image; photograph the sticker straight on, in focus and filling most of the frame.")]
    NoQrFound,
}

fn too_large_message(what: &Oversize) -> String {
    match *what {
        Oversize::Bytes(bytes) => format!(
            "The image file is {:.1} MB, above the limit of {} MB.",
            bytes as f64 / (1024.0 * 1024.0),
            MAX_IMAGE_BYTES / (1024 * 1024)
        ),
        Oversize::Pixels { width, height } => format!(
            "The image is {width}×{height} pixels ({:.1} megapixels), above the limit of {} megapixels.",
            f64::from(width) * f64::from(height) / 1e6,
            MAX_PIXELS / 1_000_000
        ),
    }
}

/// A payload and how the picture had to be prepared to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub payload: String,
    pub preparation: Preparation,
    /// Whether the photo was shrunk before detection.
    pub shrunk: bool,
}

/// Read the QR code in a PNG, JPEG or WebP image and return its text.
pub fn scan(bytes: &[u8]) -> Result<String, ScanError> {
    scan_detailed(bytes).map(|s| s.payload)
}

/// `scan`, also saying which preparation found the code.
pub fn scan_detailed(bytes: &[u8]) -> Result<Scanned, ScanError> {
    let original = decode_gray(bytes)?;
    let long = original.width().max(original.height());
    let shrunk = long > SHRINK_ABOVE;
    let (base, original) = if shrunk {
        let f = f64::from(DETECT_SIDE) / f64::from(long);
        let w = ((f64::from(original.width()) * f).round() as u32).max(1);
        let h = ((f64::from(original.height()) * f).round() as u32).max(1);
        // an area average: a fifth of the time of a triangle filter on a
        // 6 MP photo (20 ms against 100 ms), and as sharp at this ratio
        (imageops::thumbnail(&original, w, h), Some(original))
    } else {
        (original, None)
    };
    let full_resolution = original
        .as_ref()
        .filter(|o| o.width().max(o.height()) <= FULL_RESOLUTION_MAX_SIDE);
    for preparation in Preparation::ALL {
        let payload = match preparation {
            Preparation::Region => read_regions(&base, original.as_ref().unwrap_or(&base)),
            p => p.apply(&base, full_resolution).and_then(detect),
        };
        if let Some(payload) = payload {
            return Ok(Scanned {
                payload,
                preparation,
                shrunk,
            });
        }
    }
    Err(ScanError::NoQrFound)
}

/// Decode to 8-bit gray, upright, transparency on white, within the limits.
fn decode_gray(bytes: &[u8]) -> Result<GrayImage, ScanError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ScanError::TooLarge(Oversize::Bytes(bytes.len())));
    }
    let corrupt = |e: ImageError| ScanError::Corrupt(e.to_string());
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ScanError::Corrupt(e.to_string()))?;
    if !matches!(
        reader.format(),
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP)
    ) {
        return Err(ScanError::NotAnImage);
    }
    // No limits while reading the header: the pixel count is checked by hand
    // from it, so the message can name the size.
    reader.no_limits();
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    let too_large = || ScanError::TooLarge(Oversize::Pixels { width, height });
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(too_large());
    }
    // Then a cap on what the decoder may allocate (16-bit RGBA at 40 MP).
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 8 + (16 << 20));
    decoder.set_limits(limits).map_err(|_| too_large())?;
    if width == 0 || height == 0 {
        return Err(ScanError::Corrupt("it has no pixels".into()));
    }
    // Phones store photos sideways and say so in EXIF; a rotated code still
    // reads, but a mirrored one (front camera, orientations 2/4/5/7) does not.
    let orientation = decoder.orientation().ok();
    let img = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        ImageError::Limits(_) => too_large(),
        e => corrupt(e),
    })?;
    let mut gray = DynamicImage::ImageLuma8(flatten_on_white(img));
    if let Some(o) = orientation {
        gray.apply_orientation(o);
    }
    Ok(gray.into_luma8())
}

/// Transparent pixels are black in most RGBA exports of QR codes; without
/// this a code on a transparent background is black on black.
fn flatten_on_white(img: DynamicImage) -> GrayImage {
    if !img.color().has_alpha() {
        return img.into_luma8();
    }
    let la = img.into_luma_alpha8();
    let mut out = GrayImage::new(la.width(), la.height());
    for (o, p) in out.pixels_mut().zip(la.pixels()) {
        let [l, a] = p.0.map(u32::from);
        *o = Luma([((l * a + 255 * (255 - a) + 127) / 255) as u8]);
    }
    out
}

/// Cut each busy patch of `small` out of `full` (the same photo, at its own
/// resolution) and read it as a picture of its own.
fn read_regions(small: &GrayImage, full: &GrayImage) -> Option<String> {
    region::candidates(small, full.width(), full.height())
        .into_iter()
        .find_map(|r| {
            let crop = imageops::crop_imm(full, r.x, r.y, r.width, r.height).to_image();
            region::views(crop).find_map(detect)
        })
}

fn detect(picture: GrayImage) -> Option<String> {
    let mut prepared = rqrr::PreparedImage::prepare(picture);
    prepared.detect_grids().into_iter().find_map(|grid| {
        let mut bytes = Vec::new();
        grid.decode_to(&mut bytes).ok()?;
        Some(text(bytes))
    })
}

/// QRIS payloads are UTF-8 when they carry a non-ASCII merchant name; a code
/// that is not UTF-8 is read as ISO 8859-1, the QR standard's default.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes)
        .unwrap_or_else(|e| e.into_bytes().iter().map(|&b| char::from(b)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_bytes_become_their_characters() {
        assert_eq!(text(b"Caf\xe9".to_vec()), "Café");
        assert_eq!(text("Café".as_bytes().to_vec()), "Café");
    }

    #[test]
    fn exif_orientation_is_applied() {
        use image::ImageEncoder;
        // TIFF big-endian, one IFD entry: Orientation (0x0112) SHORT 1 = 6
        let exif = b"MM\x00\x2A\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00";
        let mut jpeg = Vec::new();
        let mut enc = image::codecs::jpeg::JpegEncoder::new(&mut jpeg);
        enc.set_exif_metadata(exif.to_vec()).unwrap();
        enc.write_image(&[200; 40 * 16], 40, 16, image::ExtendedColorType::L8)
            .unwrap();
        let upright = decode_gray(&jpeg).unwrap();
        assert_eq!((upright.width(), upright.height()), (16, 40));
    }

    #[test]
    fn transparent_pixels_are_white_and_opaque_ones_keep_their_gray() {
        let mut img = image::GrayAlphaImage::new(2, 1);
        img.put_pixel(0, 0, image::LumaA([0, 0]));
        img.put_pixel(1, 0, image::LumaA([10, 255]));
        let flat = flatten_on_white(DynamicImage::ImageLumaA8(img));
        assert_eq!(flat.as_raw(), &vec![255, 10]);
    }
}
