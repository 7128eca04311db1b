//! Harder photos of real stickers (issue 17 part 3), made in the test from
//! the shared images: a shadow falling across the code, a small code in a
//! large photo, a tilted sticker. Each must read as the undisturbed image does.

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

/// The sticker 360 px wide in a 3000×2000 photo of a grey counter (shrunk
/// for detection, the code is too small to read; at full size it is not).
fn small_in_large(g: &GrayImage) -> GrayImage {
    let side = 360.0 / g.width() as f32;
    let s = imageops::resize(
        g,
        360,
        ((g.height() as f32 * side) as u32).max(1),
        imageops::FilterType::Triangle,
    );
    let mut photo = GrayImage::from_fn(3000, 2000, |x, y| {
        Luma([150 + ((x * 7 + y * 13) % 40) as u8])
    });
    imageops::replace(&mut photo, &s, 2300, 1300);
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
                    ("small", small_in_large(&g)),
                    ("tilted", tilted(&g)),
                ]
                .into_iter()
                .map(|(kind, p)| (name.clone(), kind, jpeg(&p), want.clone()))
                .collect::<Vec<_>>(),
            )
        })
        .flatten()
        .collect();
    assert!(cases.len() >= 18, "the shared images: {}", cases.len());
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
