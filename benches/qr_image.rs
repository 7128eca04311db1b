//! QR encode + PNG for a typical dynamic QRIS. Target: <= 300 us with PNG.
//! `qrcode` (the crate the design names) is measured beside `fast_qr` (used).
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const DYNAMIC: &str = "00020101021226570011ID.DANA.WWW011893600915302259148102090225914810303UMI51440014ID.CO.QRIS.WWW0215ID10200176114730303UMI520458125303360540550000550202560410005802ID5922Warung Sayur Bu Sugeng6010Kab. Demak61055956762160512INV-2025-00163049A1B";

fn bench(c: &mut Criterion) {
    c.bench_function("fast_qr encode + PNG (kasir::qr_image::render_png)", |b| {
        b.iter(|| kasir::qr_image::render_png(black_box(DYNAMIC)).unwrap())
    });
    c.bench_function("fast_qr encode only", |b| {
        b.iter(|| {
            fast_qr::qr::QRBuilder::new(black_box(DYNAMIC))
                .ecl(fast_qr::ECL::M)
                .build()
                .unwrap()
                .size
        })
    });
    c.bench_function("qrcode 0.14 encode only", |b| {
        b.iter(|| {
            qrcode::QrCode::with_error_correction_level(black_box(DYNAMIC), qrcode::EcLevel::M)
                .unwrap()
                .width()
        })
    });
    c.bench_function("qrcode 0.14 encode + PNG", |b| {
        b.iter(|| {
            let code =
                qrcode::QrCode::with_error_correction_level(black_box(DYNAMIC), qrcode::EcLevel::M)
                    .unwrap();
            let img = code
                .render::<image::Luma<u8>>()
                .module_dimensions(8, 8)
                .build();
            let mut out = Vec::new();
            img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
                .unwrap();
            out
        })
    });
    c.bench_function("png_data_url (what /generate returns)", |b| {
        b.iter(|| kasir::qr_image::png_data_url(black_box(DYNAMIC)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
