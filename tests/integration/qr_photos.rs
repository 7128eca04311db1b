//! Harder photos of real stickers (issue 17 part 3), made in the test from
//! the shared images: a shadow falling across the code, a small code in a
//! large photo (three sizes and places, one under a shadow), a tilted
//! sticker. Each must read as the undisturbed image does.

use crate::support::*;
use image::{imageops, GrayImage, Luma};
use std::io::Cursor;

fn gray(path: &std::path::Path) -> GrayImage {
    image::open(path).unwrap().into_luma8()
}

fn jpeg(g: &GrayImage) -> Vec<u8> {
    let mut out = Cursor::new(vec![]);
    g.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// A shadow across the code: light on the left, a quarter of it on the right.
fn shadow(g: &GrayImage) -> GrayImage {
    let w = g.width().max(2) as f32;
    GrayImage::from_fn(g.width(), g.height(), |x, y| {
        let f = 1.0 - 0.75 * (x as f32 / (w - 1.0));
        Luma([(g.get_pixel(x, y)[0] as f32 * f) as u8])
    })
}

/// The sticker `width` px wide at `at` in a 3000×2000 photo of a grey
/// counter. Shrunk for detection, a code this small is too small to read;
/// some read in the whole photo at full size, the rest only cut out of it.
fn small_in_large(g: &GrayImage, width: u32, at: (i64, i64)) -> GrayImage {
    let side = width as f32 / g.width() as f32;
    let s = imageops::resize(
        g,
        width,
        ((g.height() as f32 * side) as u32).max(1),
        imageops::FilterType::Triangle,
    );
    let mut photo = GrayImage::from_fn(3000, 2000, |x, y| {
        Luma([150 + ((x * 7 + y * 13) % 40) as u8])
    });
    imageops::replace(&mut photo, &s, at.0, at.1);
    photo
}

/// Tilted by 20 degrees, on white.
fn tilted(g: &GrayImage) -> GrayImage {
    let pad = g.width().max(g.height()) / 3;
    let mut big = GrayImage::from_pixel(g.width() + 2 * pad, g.height() + 2 * pad, Luma([255]));
    imageops::replace(&mut big, g, i64::from(pad), i64::from(pad));
    imageproc::geometric_transformations::rotate_about_center(
        &big,
        20f32.to_radians(),
        imageproc::geometric_transformations::Interpolation::Bilinear,
        Luma([255]),
    )
}

#[test]
fn stickers_under_a_shadow_small_in_a_photo_or_tilted_still_read() {
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e/photos");
    std::fs::create_dir_all(&out).unwrap();
    // one thread per core: the debug build scans a 6 MP photo slowly
    let cases: Vec<(String, &'static str, Vec<u8>, String)> = images()
        .into_iter()
        .filter_map(|path| {
            let want = kasir::qr_image::scan(&std::fs::read(&path).unwrap()).ok()?;
            let g = gray(&path);
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            Some(
                [
                    ("shadow", shadow(&g)),
                    ("small", small_in_large(&g, 360, (2300, 1300))),
                    ("small-centred", small_in_large(&g, 300, (1350, 900))),
                    ("small-in-a-corner", small_in_large(&g, 330, (40, 40))),
                    (
                        "small-under-a-shadow",
                        shadow(&small_in_large(&g, 360, (1000, 300))),
                    ),
                    ("tilted", tilted(&g)),
                ]
                .into_iter()
                .map(|(kind, p)| (name.clone(), kind, jpeg(&p), want.clone()))
                .collect::<Vec<_>>(),
            )
        })
        .flatten()
        .collect();
    // every shared image reads undisturbed (qr_image.rs), so all 8 × 6 are here
    assert_eq!(cases.len(), 48, "the shared images: {}", cases.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let missed = std::sync::Mutex::new(vec![]);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((name, kind, bytes, want)) = cases.get(i) else {
                    break;
                };
                match kasir::qr_image::scan_detailed(bytes) {
                    Ok(s) if &s.payload == want => {}
                    other => {
                        std::fs::write(out.join(format!("{name}-{kind}.jpg")), bytes).unwrap();
                        missed
                            .lock()
                            .unwrap()
                            .push(format!("{name} {kind}: {:?}", other.map(|s| s.preparation)));
                    }
                }
            });
        }
    });
    let missed = missed.into_inner().unwrap();
    let read = cases.len() - missed.len();
    assert!(
        missed.is_empty(),
        "read {read}, missed {}: {missed:#?}",
        missed.len()
    );
}

/// The 300 px FhyLabs sticker in the middle of a 6 MP photo is read neither
/// in the shrunk photo nor in the whole photo at full size: only the cut-out
/// around it, enlarged, reads.
#[test]
fn a_small_sticker_in_a_large_photo_is_read_from_a_cut_out_around_it() {
    let path = image("FhyLabs_qris-dynamic__tests_qrcode.png");
    let want = kasir::qr_image::scan(&std::fs::read(&path).unwrap()).unwrap();
    let photo = jpeg(&small_in_large(&gray(&path), 300, (1350, 900)));
    let scanned = kasir::qr_image::scan_detailed(&photo).unwrap();
    assert_eq!(scanned.payload, want);
    assert_eq!(scanned.preparation, kasir::qr_image::Preparation::Region);
    assert!(scanned.shrunk);
}

/// A large photo of a busy counter with no code in it: the cut-outs are
/// tried and fail, and the answer is the usual one.
#[test]
fn a_large_photo_without_a_code_says_so_after_the_cut_outs() {
    let photo = GrayImage::from_fn(3000, 2000, |x, y| {
        let patch = (500..800).contains(&x) && (400..700).contains(&y);
        let text = (1800..2600).contains(&x) && (1200..1260).contains(&y);
        Luma(
            if (patch && (x / 6 + y / 9) % 3 == 0) || (text && x % 11 < 3) {
                [30]
            } else {
                [150 + ((x * 7 + y * 13) % 40) as u8]
            },
        )
    });
    assert_eq!(
        kasir::qr_image::scan(&jpeg(&photo)),
        Err(kasir::qr_image::ScanError::NoQrFound)
    );
}
