//! Reading QR codes from real sticker photos and screenshots, and drawing them.

mod common;
use common::shared_testdata;
use kasir::qr_image::{png_data_url, render_png, render_svg, scan, ScanError};
use std::process::Command;

fn images() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(shared_testdata().join("images"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    assert!(v.len() >= 8, "expected the 8 shared images");
    v
}

fn zbarimg(path: &std::path::Path) -> Option<String> {
    match Command::new("zbarimg")
        .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
        .arg(path)
        .output()
    {
        Ok(o) if o.status.success() => Some(
            String::from_utf8_lossy(&o.stdout)
                .trim_end_matches('\n')
                .to_string(),
        ),
        Ok(_) => None,
        Err(_) if std::env::var("CI").is_ok() => {
            panic!("zbarimg is missing: scripts/setup.sh installs zbar-tools")
        }
        Err(_) => None,
    }
}

#[test]
fn every_shared_image_is_read_and_agrees_with_zbar() {
    for path in images() {
        let bytes = std::fs::read(&path).unwrap();
        let ours = scan(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(ours.starts_with("000201"), "{}: {ours}", path.display());
        if let Some(theirs) = zbarimg(&path) {
            assert_eq!(ours, theirs, "{} differs from zbarimg", path.display());
        }
    }
}

#[test]
fn what_we_draw_reads_back_exactly() {
    let vectors = common::static_qris_vectors();
    let payload = qris::to_dynamic(
        &vectors[0],
        &qris::DynamicRequest {
            amount: 50_000,
            fee: None,
            reference: None,
        },
    )
    .unwrap();
    for p in [
        payload.as_str(),
        "00020101021226280011ID.DANA.WWW0109Café Ñ 5802ID6304ABCD",
    ] {
        let png = render_png(p).unwrap();
        assert_eq!(scan(&png).unwrap(), p);
        let img = image::load_from_memory(&png).unwrap();
        // large enough for a phone at arm's length: >= 300 px, 8 px modules
        assert!(img.width() >= 300, "{}", img.width());
    }
    assert!(render_svg(&payload).unwrap().starts_with("<svg"));
    assert!(png_data_url(&payload)
        .unwrap()
        .starts_with("data:image/png;base64,iVBOR"));
}

/// A 20000x20000 PNG of a few kilobytes: it must be refused from its header.
fn png_bomb() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 20_000, 20_000);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::One);
        enc.set_compression(png::Compression::Fast);
        let mut w = enc.write_header().unwrap();
        let mut sw = w.stream_writer().unwrap();
        let row = vec![0u8; 20_000 / 8 + 1];
        for _ in 0..20_000 {
            std::io::Write::write_all(&mut sw, &row[..2500]).unwrap();
        }
        sw.finish().unwrap();
    }
    out
}

#[test]
fn bad_images_are_refused_with_a_clear_error() {
    let bomb = png_bomb();
    assert!(bomb.len() < 1_000_000);
    let started = std::time::Instant::now();
    assert!(matches!(scan(&bomb), Err(ScanError::TooLarge { .. })));
    assert!(started.elapsed().as_secs() < 5);

    assert_eq!(
        scan(b"hello, this is text").unwrap_err(),
        ScanError::NotAnImage
    );
    let big = scan(&vec![0u8; 11 * 1024 * 1024]).unwrap_err();
    assert!(matches!(big, ScanError::TooLarge { .. }));
    assert!(big.to_string().contains("too large"));

    let png_path = images()
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .unwrap();
    let good = std::fs::read(png_path).unwrap();
    let truncated = &good[..good.len() / 3];
    assert!(matches!(
        scan(truncated),
        Err(ScanError::Corrupt(_)) | Err(ScanError::NoQrFound)
    ));

    let blank = image::GrayImage::from_pixel(200, 200, image::Luma([255]));
    let mut png = Vec::new();
    blank
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    assert_eq!(scan(&png).unwrap_err(), ScanError::NoQrFound);
}
