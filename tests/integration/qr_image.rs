//! Reading QR codes from real sticker photos and screenshots, and drawing
//! them for the till's screen.

use crate::support::*;
use image::{GrayImage, ImageEncoder, Luma};
use kasir::qr_image::{
    png_data_url, render_gray, render_png, render_png_scaled, render_svg, scan, scan_detailed,
    Oversize, Preparation, QrImageError, ScanError, Symbol, MAX_IMAGE_BYTES, QUIET_ZONE,
    SCREEN_MODULE_PX,
};
use std::path::Path;
use std::time::{Duration, Instant};

fn file_name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn every_sticker_image_is_read_and_agrees_with_zbarimg() {
    let vectors = vector_payloads();
    let zbar = zbarimg_available();
    for path in images() {
        let name = file_name(&path);
        let bytes = std::fs::read(&path).unwrap();
        let started = Instant::now();
        let scanned = scan_detailed(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        eprintln!(
            "{name}: read {} in {:?}{}",
            scanned.preparation,
            started.elapsed(),
            if scanned.shrunk {
                " after shrinking"
            } else {
                ""
            }
        );
        assert!(
            vectors.contains(&scanned.payload),
            "{name}: {} is not in vectors.tsv",
            scanned.payload
        );
        if zbar {
            assert_eq!(
                scanned.payload,
                zbarimg(&path),
                "{name}: zbarimg reads otherwise"
            );
        }
    }
}

/// A real dynamic QRIS, a Chinese EMV code from the EMVCo specification, and
/// a QRIS whose merchant name has an 'é' (CRC recomputed so it stays valid).
fn payloads_to_draw() -> Vec<String> {
    let dynamic = vector(|v| v.crc_ok && v.initiation == "dynamic" && v.scheme == "QRIS");
    let chinese = vector(|v| v.crc_ok && v.payload.contains("最佳运输"));
    let gureum = vector(|v| v.payload.contains("5911GUREUM SHOP") && v.crc_ok);
    let body = gureum[..gureum.len() - 4].replace("5911GUREUM SHOP", "5911GUREUM CAFÉ");
    let cafe = format!("{body}{}", qris::crc16_hex(body.as_bytes()));
    vec![dynamic, chinese, cafe]
}

#[test]
fn what_the_till_draws_reads_back_exactly() {
    let zbar = zbarimg_available();
    let dir = tempfile::tempdir().unwrap();
    for p in payloads_to_draw() {
        let png = render_png(&p).unwrap();
        assert_eq!(scan(&png).unwrap(), p);
        if zbar {
            // a second, independent decoder
            let path = dir.path().join("drawn.png");
            std::fs::write(&path, &png).unwrap();
            assert_eq!(zbarimg(&path), p);
        }
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let info = decoder.read_info().unwrap().info().clone();
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(info.bit_depth, png::BitDepth::One);
        // big enough to scan from the screen at arm's length, small enough to fit it
        assert_eq!(info.width, info.height);
        assert!((400..=640).contains(&info.width), "{} px", info.width);
        assert_eq!(info.width % SCREEN_MODULE_PX, 0);
    }
}

#[test]
fn the_drawn_code_has_its_quiet_zone() {
    let img = render_gray(&payloads_to_draw()[0], 8).unwrap();
    let quiet = QUIET_ZONE * 8;
    let side = img.width();
    for (x, y, p) in img.enumerate_pixels() {
        let edge = x < quiet || y < quiet || x >= side - quiet || y >= side - quiet;
        if edge {
            assert_eq!(p[0], 255, "dark pixel at {x},{y} in the quiet zone");
        }
    }
    // the top-left finder pattern starts right after it
    assert_eq!(img.get_pixel(quiet, quiet)[0], 0);
}

fn encode(img: &GrayImage, encoder: impl ImageEncoder) {
    encoder
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::L8,
        )
        .unwrap();
}

#[test]
fn jpeg_and_webp_copies_of_a_drawn_code_read_back() {
    let p = &payloads_to_draw()[2];
    let img = render_gray(p, 6).unwrap();
    let mut jpeg = Vec::new();
    encode(
        &img,
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 70),
    );
    assert_eq!(scan(&jpeg).unwrap(), *p);
    let mut webp = Vec::new();
    encode(
        &img,
        image::codecs::webp::WebPEncoder::new_lossless(&mut webp),
    );
    assert_eq!(scan(&webp).unwrap(), *p);
}

/// Fill the SVG's `M x y h n v1 h-n z` runs into a module grid and compare it
/// with the PNG renderer's modules: both must draw the same code.
#[test]
fn the_svg_draws_the_same_modules_as_the_png() {
    let p = &payloads_to_draw()[0];
    let svg = render_svg(p).unwrap();
    let view_box = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let side: usize = view_box.split(' ').next().unwrap().parse().unwrap();
    let d = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let mut grid = vec![false; side * side];
    for run in d.split('M').filter(|r| !r.is_empty()) {
        let (xy, rest) = run.split_once('h').unwrap();
        let (x, y) = xy.split_once(' ').unwrap();
        let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
        let n: usize = rest.split_once('v').unwrap().0.parse().unwrap();
        for cell in &mut grid[y * side + x..y * side + x + n] {
            *cell = true;
        }
    }
    let gray = render_gray(p, 1).unwrap();
    assert_eq!(gray.width() as usize, side);
    for (x, y, px) in gray.enumerate_pixels() {
        assert_eq!(
            grid[y as usize * side + x as usize],
            px[0] == 0,
            "module {x},{y}"
        );
    }
}

#[test]
fn the_data_url_carries_the_png() {
    use base64::Engine;
    let p = &payloads_to_draw()[0];
    let url = png_data_url(p).unwrap();
    let b64 = url.strip_prefix("data:image/png;base64,").unwrap();
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert_eq!(png, render_png(p).unwrap());
}

#[test]
fn payloads_a_qr_code_cannot_hold_are_refused() {
    // byte mode at version 40-M holds 2331 bytes
    let fits = "é".repeat(1165) + "a";
    assert!(render_png_scaled(&fits, 1).is_ok());
    let e = render_png_scaled(&(fits + "a"), 1).err().unwrap();
    assert_eq!(e, QrImageError::PayloadTooLong { bytes: 2332 });
    assert_eq!(
        e.to_string(),
        "The payload is 2332 bytes long, too long for a QR code at error-correction level M."
    );
    assert_eq!(
        render_png_scaled("x", 0).err(),
        Some(QrImageError::ModuleSize(0))
    );
    assert_eq!(
        render_png_scaled("x", 41).err().unwrap().to_string(),
        "The module size must be between 1 and 40 pixels, not 41."
    );
}

/// A real 20000×20000 1-bit PNG (400 megapixels) whose zero rows deflate to
/// a few hundred kilobytes.
fn png_bomb() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 20_000, 20_000);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::One);
        enc.set_compression(png::Compression::Fast);
        let mut w = enc.write_header().unwrap();
        let mut rows = w.stream_writer().unwrap();
        let row = [0u8; 2500];
        for _ in 0..20_000 {
            std::io::Write::write_all(&mut rows, &row).unwrap();
        }
        rows.finish().unwrap();
    }
    out
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let bomb = png_bomb();
    assert!(bomb.len() < MAX_IMAGE_BYTES, "{} bytes", bomb.len());
    let started = Instant::now();
    let e = scan(&bomb).unwrap_err();
    let took = started.elapsed();
    assert_eq!(
        e,
        ScanError::TooLarge(Oversize::Pixels {
            width: 20_000,
            height: 20_000
        })
    );
    assert_eq!(
        e.to_string(),
        "The image is 20000×20000 pixels (400.0 megapixels), above the limit of 40 megapixels."
    );
    // decoding it would take seconds and 400 MB
    assert!(took < Duration::from_millis(200), "took {took:?}");
}

/// A real 16×16 JPEG whose frame header is patched to claim 10000×10000.
#[test]
fn a_jpeg_claiming_100_megapixels_is_refused_from_its_header() {
    let mut jpeg = Vec::new();
    encode(
        &GrayImage::from_pixel(16, 16, Luma([128])),
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg),
    );
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    // FFC0, length (2), precision (1), height (2), width (2)
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0x27, 0x10, 0x27, 0x10]);
    assert_eq!(
        scan(&jpeg).unwrap_err(),
        ScanError::TooLarge(Oversize::Pixels {
            width: 10_000,
            height: 10_000
        })
    );
}

#[test]
fn a_file_over_10_mb_is_refused_before_decoding() {
    let e = scan(&vec![0x89; 11 * 1024 * 1024]).unwrap_err();
    assert_eq!(e, ScanError::TooLarge(Oversize::Bytes(11 * 1024 * 1024)));
    assert_eq!(
        e.to_string(),
        "The image file is 11.0 MB, above the limit of 10 MB."
    );
}

#[test]
fn files_that_are_not_images_are_refused() {
    let text = b"Nama toko: Warung Sayur Bu Sugeng\nNMID: ID1020017611473\n";
    let mut random = vec![0u8; 4096];
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    for b in &mut random {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    random[0] = b'#'; // no image format starts this way
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
    for (what, bytes) in [
        ("text", text.to_vec()),
        ("random bytes", random),
        ("empty", Vec::new()),
        ("GIF", gif),
    ] {
        let e = scan(&bytes).unwrap_err();
        assert_eq!(e, ScanError::NotAnImage, "{what}");
        assert_eq!(e.to_string(), "The file is not a PNG, JPEG or WebP image.");
    }
}

#[test]
fn a_truncated_png_is_refused_as_damaged() {
    for path in images().iter().filter(|p| p.extension().unwrap() == "png") {
        let good = std::fs::read(path).unwrap();
        for cut in [good.len() / 2, 40] {
            let e = scan(&good[..cut]).unwrap_err();
            assert!(
                matches!(e, ScanError::Corrupt(_)),
                "{} cut to {cut} bytes: {e:?}",
                file_name(path)
            );
            assert!(e
                .to_string()
                .starts_with("The image is damaged or cut short and could not be decoded ("));
        }
    }
}

/// JPEG decoders are lenient by design (a camera's last block may be
/// missing): a JPEG cut short is decoded with the missing part gray, so the
/// answer depends on how much of the code survived. For the shared JPEG a
/// third of the file already reads exactly; 100 bytes end inside the headers
/// and are refused as damaged.
#[test]
fn a_truncated_jpeg_is_refused_or_read_but_never_misread() {
    let path = images()
        .into_iter()
        .find(|p| p.extension().unwrap() == "jpg")
        .unwrap();
    let good = std::fs::read(&path).unwrap();
    let expected = scan(&good).unwrap();
    for cut in [good.len() / 3, good.len() / 2] {
        assert_eq!(
            scan(&good[..cut]),
            Ok(expected.clone()),
            "cut to {cut} bytes"
        );
    }
    let e = scan(&good[..100]).unwrap_err();
    assert!(matches!(e, ScanError::Corrupt(_)), "{e:?}");
    assert!(e
        .to_string()
        .starts_with("The image is damaged or cut short and could not be decoded ("));
}

#[test]
fn a_picture_without_a_qr_code_says_so() {
    let blank = GrayImage::from_pixel(300, 200, Luma([255]));
    let mut stripes = GrayImage::new(640, 480);
    for (x, y, p) in stripes.enumerate_pixels_mut() {
        p[0] = if (x / 7 + y / 11) % 2 == 0 { 30 } else { 220 };
    }
    for img in [blank, stripes] {
        let mut png = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let e = scan(&png).unwrap_err();
        assert_eq!(e, ScanError::NoQrFound);
        assert!(e
            .to_string()
            .starts_with("No QR code could be read in the image"));
    }
}

/// EXIF: `MM`, version 42, first directory at 8, one entry: Orientation
/// (0x0112), SHORT, count 1, value; no next directory.
fn exif_orientation(value: u8) -> Vec<u8> {
    let mut tiff = b"MM\x00\x2A\x00\x00\x00\x08\x00\x01".to_vec();
    tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, value, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff
}

fn jpeg_with_orientation(img: &GrayImage, orientation: Option<u8>) -> Vec<u8> {
    let mut jpeg = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85);
    if let Some(o) = orientation {
        enc.set_exif_metadata(exif_orientation(o)).unwrap();
    }
    encode(img, enc);
    jpeg
}

/// Phones store photos sideways or (front camera) mirrored and say so in
/// EXIF. rqrr reads rotated and mirrored codes alike, so this only shows such
/// photos read; that the orientation is applied is a unit test in `scan`.
#[test]
fn sideways_and_mirrored_photos_with_exif_orientation_are_read() {
    let p = &payloads_to_draw()[0];
    let code = render_gray(p, 5).unwrap();
    let mirrored = image::imageops::flip_horizontal(&code);
    assert_eq!(
        scan(&jpeg_with_orientation(&mirrored, Some(2))).unwrap(),
        *p
    );
    // orientation 6: "rotate 90° clockwise to view"
    let sideways = image::imageops::rotate270(&code);
    assert_eq!(
        scan(&jpeg_with_orientation(&sideways, Some(6))).unwrap(),
        *p
    );
}

/// A large photo is shrunk before detection and still read.
#[test]
fn a_large_photo_of_a_sticker_is_read() {
    let p = &payloads_to_draw()[0];
    let code = render_gray(p, 20).unwrap();
    let mut photo = GrayImage::from_pixel(4000, 3000, Luma([235]));
    image::imageops::replace(&mut photo, &code, 1200, 900);
    let jpeg = jpeg_with_orientation(&photo, None);
    let scanned = scan_detailed(&jpeg).unwrap();
    assert_eq!(scanned.payload, *p);
    assert!(scanned.shrunk);
}

fn png_of(img: &image::DynamicImage) -> Vec<u8> {
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

/// A screenshot of a dark-mode wallet: light modules on black.
#[test]
fn a_dark_mode_screenshot_is_read_inverted() {
    let p = &payloads_to_draw()[0];
    let mut code = render_gray(p, 4).unwrap();
    image::imageops::invert(&mut code);
    let scanned = scan_detailed(&png_of(&code.into())).unwrap();
    assert_eq!(scanned.payload, *p);
    assert_eq!(scanned.preparation, Preparation::Inverted);
}

/// Exported with a transparent background: the light modules are
/// transparent black, which is black once the alpha channel is dropped.
#[test]
fn a_code_on_a_transparent_background_is_read() {
    let p = &payloads_to_draw()[0];
    let code = render_gray(p, 4).unwrap();
    let rgba = image::RgbaImage::from_fn(code.width(), code.height(), |x, y| {
        let alpha = if code.get_pixel(x, y)[0] == 0 { 255 } else { 0 };
        image::Rgba([0, 0, 0, alpha])
    });
    let scanned = scan_detailed(&png_of(&rgba.into())).unwrap();
    assert_eq!(scanned.payload, *p);
    assert_eq!(scanned.preparation, Preparation::AsIs);
}

fn qrcode_crate_modules(payload: &str) -> Vec<bool> {
    qrcode::QrCode::with_error_correction_level(payload, qrcode::EcLevel::M)
        .unwrap()
        .to_colors()
        .iter()
        .map(|&c| c == qrcode::Color::Dark)
        .collect()
}

fn modules(s: &Symbol) -> Vec<bool> {
    let n = s.side();
    (0..n * n).map(|i| s.is_dark(i % n, i / n)).collect()
}

/// The mask is chosen by our own bit-parallel penalty; the symbol must be
/// the one the `qrcode` crate draws, module for module.
#[test]
fn every_vector_payload_draws_the_same_symbol_as_the_qrcode_crate() {
    for p in vector_payloads() {
        assert_eq!(
            modules(&Symbol::encode(&p).unwrap()),
            qrcode_crate_modules(&p),
            "{p}"
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
    #[test]
    fn any_payload_draws_the_same_symbol_as_the_qrcode_crate(
        p in "([0-9]{1,40}|[A-Z0-9 $%*+./:-]{1,40}|[a-zé€ .]{1,20}){1,25}"
    ) {
        proptest::prop_assert_eq!(
            modules(&Symbol::encode(&p).unwrap()),
            qrcode_crate_modules(&p)
        );
    }
}
