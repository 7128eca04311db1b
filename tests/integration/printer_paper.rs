//! The thermal printer's paper, as a person would hold it: the bytes a real
//! TCP printer received, drawn by `support::escpos_paper` into a picture saved
//! under `target/e2e/`, and the QR on it read back by zbar, a decoder that
//! isn't ours. Both rolls, and both ways of printing the QR.

use crate::support::escpos_paper::{self, e2e_dir};
use crate::support::thermal::{printed, set_printer, Printer};
use crate::support::*;
use kasir::service::Actor;
use kasir::service::PrinterPatch;

/// An open order printed on `paper` with the QR sent as `qr`: its QRIS, the
/// job's bytes and the picture of the paper, saved as `name`.
async fn print_open_order(
    app: &TestApp,
    p: &Printer,
    jobs_before: usize,
    paper: &str,
    qr: &str,
    name: &str,
) -> (String, Vec<u8>, escpos_paper::Paper) {
    set_printer(
        app,
        p,
        PrinterPatch {
            paper: Some(paper.into()),
            qr: Some(qr.into()),
            ..Default::default()
        },
    )
    .await;
    let (order_id, _) = app.generate(274_000).await;
    let order = app.kasir.order(&order_id).await.unwrap();
    app.kasir.print_receipt(&order_id).await.unwrap();
    let job = printed(app, p, jobs_before + 1).await[jobs_before].clone();
    let dots = if paper == "80" { 576 } else { 384 };
    let picture = escpos_paper::render(&job, dots).unwrap_or_else(|e| panic!("{name}: {e}"));
    picture.image.save(e2e_dir().join(name)).unwrap();
    (order.payload, job, picture)
}

fn reads_back(name: &str, payload: &str) {
    if !zbarimg_available() {
        return;
    }
    assert_eq!(
        zbarimg(&e2e_dir().join(name)),
        payload,
        "zbar reads the order's QRIS off {name}"
    );
}

#[tokio::test]
async fn the_qr_on_the_paper_reads_back_as_the_orders_qris_at_58_and_80_mm() {
    let app = TestApp::with_qris().await;
    let p = Printer::start(0).await;
    for (n, paper) in ["58", "80"].into_iter().enumerate() {
        let name = format!("receipt-{paper}mm.png");
        let (payload, job, picture) = print_open_order(&app, &p, n, paper, "native", &name).await;
        assert_eq!(picture.native_qrs, 1, "{name}: one GS ( k symbol");
        assert_eq!(picture.rasters, 0, "{name}");
        assert_eq!(picture.cuts, 1, "{name}: cut once, at the end");
        assert_eq!(picture.drawer_kicks, 0, "{name}: no drawer for a QR slip");
        assert!(job.windows(3).any(|w| w == [0x1D, b'(', b'k']));
        assert_eq!(picture.image.width() as usize, [384, 576][n] + 32);
        reads_back(&name, &payload);
    }
}

#[tokio::test]
async fn a_printer_without_the_qr_command_gets_the_qr_as_an_image_that_reads_back() {
    let app = TestApp::with_qris().await;
    let p = Printer::start(0).await;
    for (n, paper) in ["58", "80"].into_iter().enumerate() {
        let name = format!("receipt-{paper}mm-bitmap.png");
        let (payload, job, picture) = print_open_order(&app, &p, n, paper, "bitmap", &name).await;
        assert!(
            !job.windows(3).any(|w| w == [0x1D, b'(', b'k']),
            "{name}: no GS ( k for a printer that lacks it"
        );
        assert_eq!((picture.native_qrs, picture.rasters), (0, 1), "{name}");
        // as wide as the roll: GS v 0 with the roll's bytes across
        let at = job
            .windows(4)
            .position(|w| w == [0x1D, b'v', b'0', 0])
            .unwrap();
        let across = u16::from_le_bytes([job[at + 4], job[at + 5]]) as usize;
        assert_eq!(across * 8, [384, 576][n], "{name}");
        reads_back(&name, &payload);
    }
    let s = app.kasir.printer_settings().await.unwrap();
    assert_eq!(s.qr.as_str(), "bitmap");
    let bad = app
        .kasir
        .update_printer(
            &Actor::Console,
            PrinterPatch {
                qr: Some("svg".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(bad.field(), Some("qr"), "{bad}");
    assert!(bad.to_string().contains("native"), "{bad}");
}

#[tokio::test]
async fn a_paid_receipt_is_drawn_too_for_a_person_to_look_at() {
    let app = TestApp::with_qris().await;
    let p = Printer::start(0).await;
    set_printer(&app, &p, PrinterPatch::default()).await;
    app.kasir
        .update_settings(
            &Actor::Console,
            kasir::service::SettingsPatch {
                receipt_footer: Some(Some("Terima kasih, sampai jumpa lagi!".into())),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (order_id, _) = app.generate(15_000).await;
    app.post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    app.kasir.print_receipt(&order_id).await.unwrap();
    let job = &printed(&app, &p, 1).await[0];
    let picture = escpos_paper::render(job, 384).unwrap();
    picture
        .image
        .save(e2e_dir().join("receipt-paid-58mm.png"))
        .unwrap();
    assert_eq!(
        (picture.native_qrs, picture.rasters, picture.cuts),
        (0, 0, 1)
    );
    // a slip of a receipt's length: some 25 lines of 24 dots
    assert!(
        picture.image.height() > 20 * 24,
        "{}",
        picture.image.height()
    );
}
