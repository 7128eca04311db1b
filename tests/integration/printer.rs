//! The thermal printer (issue 15), against a real TCP receiver on port 0 that
//! records what a printer on port 9100 would get.

use crate::support::thermal::{printed, set_printer, Printer, STATUS_REQUEST};
use crate::support::*;
use kasir::service::Actor;
use kasir::service::PrinterPatch;
use std::time::Duration;

/// The paper's text lines: the bytes between commands, split at line feeds.
fn paper_lines(job: &[u8]) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut i = 0;
    while i < job.len() {
        let b = job[i];
        let skip = match b {
            0x0A => {
                lines.push(String::new());
                1
            }
            0x1B => match job.get(i + 1) {
                Some(b'@') => 2,
                Some(b'd') => {
                    // ESC d n: feed n lines
                    for _ in 0..job[i + 2] {
                        lines.push(String::new());
                    }
                    3
                }
                Some(b'p') => 5,
                _ => 3, // ESC t n, ESC a n, ESC E n, ESC d n, ESC - n …
            },
            0x1D => match job.get(i + 1) {
                Some(b'(') => 5 + job[i + 3] as usize + 256 * job[i + 4] as usize,
                // GS v 0 m xL xH yL yH: a raster image, x bytes by y dots
                Some(b'v') => {
                    let across = job[i + 4] as usize + 256 * job[i + 5] as usize;
                    let down = job[i + 6] as usize + 256 * job[i + 7] as usize;
                    8 + across * down
                }
                Some(b'V') => 4,
                _ => 3, // GS ! n
            },
            0x10 => 3,
            _ => {
                lines.last_mut().unwrap().push(b as char);
                1
            }
        };
        i += skip;
    }
    lines.into_iter().filter(|l| !l.is_empty()).collect()
}

/// The data of the `GS ( k` "store the QR code data" block (fn 80).
fn qr_data(job: &[u8]) -> Option<String> {
    let at = job
        .windows(3)
        .enumerate()
        .filter(|(_, w)| *w == [0x1D, b'(', b'k'])
        .map(|(i, _)| i)
        .find(|&i| job.get(i + 5..i + 8) == Some(&[49, 80, 48][..]))?;
    let len = job[at + 3] as usize + 256 * job[at + 4] as usize - 3;
    Some(String::from_utf8(job[at + 8..at + 8 + len].to_vec()).unwrap())
}

#[tokio::test]
async fn a_paid_order_prints_its_receipt_by_itself_at_58_and_80_mm() {
    let app = TestApp::with_qris().await;
    let p = Printer::start(0).await;
    set_printer(
        &app,
        &p,
        PrinterPatch {
            auto_print: Some(true),
            ..Default::default()
        },
    )
    .await;
    let (order_id, _) = app.generate(15_000).await;
    let (s, b) = app
        .post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    assert_eq!(s, 200, "{b}");
    let jobs = printed(&app, &p, 1).await;
    let job = &jobs[0];
    assert!(job.starts_with(&[0x1B, b'@']), "initialised first");
    let lines = paper_lines(job);
    assert!(lines.iter().all(|l| l.len() <= 32), "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("TOTAL") && l.ends_with("Rp 15.000")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.ends_with(&order_id) && l.len() == 32),
        "{lines:#?}"
    );
    assert!(lines.iter().any(|l| l.contains("LUNAS")), "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Dikonfirmasi") && l.ends_with("API")),
        "{lines:#?}"
    );
    assert!(
        job.windows(4).any(|w| w == [0x1D, b'V', b'A', 1]),
        "partial cut"
    );
    assert!(qr_data(job).is_none(), "a paid receipt has no QR to scan");
    let listed = app.kasir.print_jobs(5).await.unwrap();
    assert_eq!(listed[0].order_id.as_deref(), Some(order_id.as_str()));
    assert_eq!(listed[0].status.as_str(), "printed");

    // 80 mm: 48 columns; a reprint from Pesanan
    set_printer(
        &app,
        &p,
        PrinterPatch {
            paper: Some("80".into()),
            ..Default::default()
        },
    )
    .await;
    app.kasir.print_receipt(&order_id).await.unwrap();
    let jobs = printed(&app, &p, 2).await;
    let lines = paper_lines(&jobs[1]);
    assert!(lines.iter().all(|l| l.len() <= 48), "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.len() == 48 && l.starts_with("No. Order")),
        "{lines:#?}"
    );
}

#[tokio::test]
async fn an_open_orders_slip_carries_its_qris_in_the_printers_own_qr_command() {
    let app = TestApp::with_qris().await;
    let p = Printer::start(0).await;
    set_printer(&app, &p, PrinterPatch::default()).await;
    let (order_id, _) = app.generate(50_000).await;
    let (_, b) = app.get(&format!("/api/qris/orders/{order_id}")).await;
    let payload = b["order"]["qris_string"]
        .as_str()
        .or(b["order"]["payload"].as_str())
        .map(String::from);
    app.kasir.print_receipt(&order_id).await.unwrap();
    let jobs = printed(&app, &p, 1).await;
    let data = qr_data(&jobs[0]).expect("a GS ( k store block");
    let order = app.kasir.order(&order_id).await.unwrap();
    assert_eq!(data, order.payload);
    if let Some(p) = payload {
        assert_eq!(data, p);
    }
    // model 2, and a module size that fits 58 mm (384 dots) with the quiet zone
    let job = &jobs[0];
    assert!(
        job.windows(9)
            .any(|w| w == [0x1D, b'(', b'k', 4, 0, 49, 65, 50, 0]),
        "model 2"
    );
    let at = job
        .windows(7)
        .position(|w| w == [0x1D, b'(', b'k', 3, 0, 49, 67])
        .unwrap();
    let size = job[at + 7] as usize;
    let modules = qrcode::QrCode::with_error_correction_level(&data, qrcode::EcLevel::M)
        .unwrap()
        .width();
    assert!(
        size >= 3 && (modules + 8) * size <= 384,
        "size {size} for {modules} modules"
    );
    let lines = paper_lines(job);
    assert!(lines.iter().any(|l| l.contains("SCAN QRIS")), "{lines:#?}");
}

#[tokio::test]
async fn a_printer_that_drops_the_job_gets_it_again_and_prints_it_once() {
    let app = TestApp::with_qris().await;
    let p = Printer::start(1).await;
    set_printer(&app, &p, PrinterPatch::default()).await;
    let (order_id, _) = app.generate(20_000).await;
    app.post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    app.kasir.print_receipt(&order_id).await.unwrap();
    let jobs = printed(&app, &p, 1).await;
    assert_eq!(jobs.len(), 1, "printed once");
    assert!(jobs[0].ends_with(&STATUS_REQUEST));
    let listed = app.kasir.print_jobs(5).await.unwrap();
    assert_eq!(listed[0].status.as_str(), "printed");
    assert_eq!(listed[0].attempts, 2, "{:?}", listed[0]);
}

#[tokio::test]
async fn a_printer_that_is_off_never_blocks_the_sale_and_keeps_the_receipt() {
    let app = TestApp::with_qris().await;
    // a port nobody listens on
    let off = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    app.kasir
        .update_printer(
            &Actor::Console,
            PrinterPatch {
                connection: Some("network".into()),
                address: Some(off.to_string()),
                auto_print: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let e = app.kasir.print_test().await.unwrap_err();
    assert_eq!(e.code(), "printer_unavailable");
    assert!(e.to_string().contains(&off.to_string()), "{e}");
    let (order_id, _) = app.generate(10_000).await;
    let t0 = std::time::Instant::now();
    let (s, b) = app
        .post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    assert_eq!(s, 200, "{b}");
    assert!(
        t0.elapsed() < Duration::from_secs(2),
        "the sale didn't wait for the printer"
    );
    let mut job = None;
    for _ in 0..100 {
        let j = app.kasir.print_jobs(1).await.unwrap().remove(0);
        if j.attempts >= 1 {
            job = Some(j);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let job = job.expect("tried");
    assert_eq!(job.status.as_str(), "queued", "kept for a retry: {job:?}");
    assert!(job.last_error.unwrap().contains("can't reach the printer"));

    // the printer comes back: the same receipt prints
    let p = Printer::start(0).await;
    set_printer(&app, &p, PrinterPatch::default()).await;
    app.kasir.retry_print_job(job.id).await.unwrap();
    let jobs = printed(&app, &p, 1).await;
    assert!(paper_lines(&jobs[0]).iter().any(|l| l.contains(&order_id)));
}

#[tokio::test]
async fn text_is_in_the_chosen_code_page_without_mojibake() {
    let app = TestApp::with_qris().await;
    let p = Printer::start(0).await;
    set_printer(
        &app,
        &p,
        PrinterPatch {
            code_page: Some("pc858".into()),
            ..Default::default()
        },
    )
    .await;
    app.kasir
        .update_settings(
            &Actor::Console,
            kasir::service::SettingsPatch {
                receipt_footer: Some(Some("Terima kasih — Café Ibu ☺ €".into())),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (order_id, _) = app.generate(10_000).await;
    app.post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    app.kasir.print_receipt(&order_id).await.unwrap();
    let job = &printed(&app, &p, 1).await[0];
    assert!(
        job.windows(3).any(|w| w == [0x1B, b't', 19]),
        "ESC t 19: PC858"
    );
    assert!(job.windows(4).any(|w| w == b"Caf\x82"), "é in PC858");
    assert!(job.contains(&0xD5), "€ in PC858");
    assert!(!job.contains(&0xE2), "no UTF-8 lead byte of — or ☺");
    assert!(job.windows(2).any(|w| w == b"--"), "— as --");

    let bad = app
        .kasir
        .update_printer(
            &Actor::Console,
            PrinterPatch {
                code_page: Some("utf8".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(bad.field(), Some("code_page"));
    let bad = app
        .kasir
        .update_printer(
            &Actor::Console,
            PrinterPatch {
                connection: Some("usb".into()),
                address: Some("lp0".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(bad.field(), Some("address"), "{bad}");
}

#[tokio::test]
async fn the_daily_report_prints_as_a_slip_with_the_days_totals() {
    let app = TestApp::with_qris().await;
    let p = Printer::start(0).await;
    set_printer(&app, &p, PrinterPatch::default()).await;
    let mut paid = vec![];
    for amount in [15_000, 20_000] {
        let (order_id, _) = app.generate(amount).await;
        let (s, b) = app
            .post_empty(&format!("/api/qris/orders/{order_id}/verify"))
            .await;
        assert_eq!(s, 200, "{b}");
        paid.push(app.kasir.order(&order_id).await.unwrap());
    }
    let (open, _) = app.generate(50_000).await;
    let open = app.kasir.order(&open).await.unwrap();
    let paid_total: u64 = paid.iter().map(|o| o.total_amount).sum();
    let rp = kasir::pdf::rupiah;

    let job = app
        .kasir
        .print_daily_report(&Actor::Console, None)
        .await
        .unwrap();
    assert_eq!(job.order_id, None, "a report is for no one order");
    let slip = printed(&app, &p, 1).await.remove(0);
    let picture = crate::support::escpos_paper::render(&slip, 384).unwrap();
    picture
        .image
        .save(crate::support::escpos_paper::e2e_dir().join("daily-report-58mm.png"))
        .unwrap();
    assert_eq!(picture.cuts, 1);
    let lines = paper_lines(&slip);
    let has = |start: &str, end: &str| {
        lines
            .iter()
            .any(|l| l.starts_with(start) && l.ends_with(end) && l.len() == 32)
    };
    assert!(lines.iter().any(|l| l == "LAPORAN HARIAN"), "{lines:#?}");
    assert!(has("Lunas (2)", &rp(paid_total)), "{lines:#?}");
    assert!(has("Menunggu (1)", &rp(open.total_amount)), "{lines:#?}");
    assert!(
        has("Semua pesanan (3)", &rp(paid_total + open.total_amount)),
        "{lines:#?}"
    );
    assert!(has("TOTAL DIBAYAR", &rp(paid_total)), "{lines:#?}");
    assert!(has("Pesanan lunas", "2"), "{lines:#?}");
    assert!(has("Dikonfirmasi", "Kasir 0 - API 2"), "{lines:#?}");
    for o in &paid {
        assert!(
            lines.iter().any(|l| l.contains(&o.order_id)),
            "{} listed: {lines:#?}",
            o.order_id
        );
    }
    assert!(
        !lines.iter().any(|l| l.contains(&open.order_id)),
        "{lines:#?}"
    );

    // a day without orders, from the command line; a bad date names its field
    let dir = app.dir.path();
    let (code, _, err) = run_cli_in(dir, &["printer", "report", "--date", "2020-01-31"]).await;
    assert_eq!(code, 0, "{err}");
    let lines = paper_lines(&printed(&app, &p, 2).await[1]);
    assert!(
        lines.iter().any(|l| l.contains("Jumat, 31 Januari 2020")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("Tidak ada pesanan")),
        "{lines:#?}"
    );
    let bad = app
        .kasir
        .print_daily_report(&Actor::Console, Some("2020-02-30"))
        .await
        .unwrap_err();
    assert_eq!(bad.field(), Some("date"), "{bad}");
}

/// Issue 13 meets issue 15: a cash sale prints its lines, tender and change,
/// then opens the drawer (a job of its own, never on a reprint); a QRIS sale
/// opens nothing.
#[tokio::test]
async fn a_cash_sale_prints_its_lines_and_change_then_opens_the_drawer() {
    use kasir::service::{Cart, CartLine, ProductInput, Tender};
    let app = TestApp::with_qris().await;
    let p = Printer::start(0).await;
    set_printer(
        &app,
        &p,
        PrinterPatch {
            auto_print: Some(true),
            cash_drawer: Some(true),
            ..Default::default()
        },
    )
    .await;
    let nasi = app
        .kasir
        .save_product(
            &Actor::Console,
            ProductInput {
                name: Some("Nasi goreng".into()),
                price: Some(12_000),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let cart = |q| Cart {
        lines: vec![CartLine {
            product_id: Some(nasi.id),
            quantity: q,
            ..Default::default()
        }],
        discount: None,
    };
    let o = app
        .kasir
        .checkout(
            &Actor::Console,
            cart(2),
            Tender::Cash { tendered: 50_000 },
            None,
        )
        .await
        .unwrap();
    let jobs = printed(&app, &p, 2).await;
    let lines = paper_lines(&jobs[0]);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Nasi goreng x2") && l.ends_with("Rp 24.000")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Tunai") && l.ends_with("Rp 50.000")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Kembalian") && l.ends_with("Rp 26.000")),
        "{lines:#?}"
    );
    assert!(
        !jobs[0].windows(3).any(|w| w == [0x1B, b'p', 0]),
        "the receipt itself kicks nothing"
    );
    assert!(
        jobs[1].starts_with(&[0x1B, b'p', 0, 25, 250]),
        "{:?}",
        jobs[1]
    );
    let kinds: Vec<String> = app
        .kasir
        .print_jobs(10)
        .await
        .unwrap()
        .into_iter()
        .map(|j| j.kind)
        .collect();
    assert!(kinds.contains(&"drawer".to_string()), "{kinds:?}");

    // a reprint opens nothing; a QRIS sale opens nothing when it is paid
    app.kasir.print_receipt(&o.order_id).await.unwrap();
    let q = app
        .kasir
        .checkout(&Actor::Console, cart(1), Tender::Qris, None)
        .await
        .unwrap();
    app.kasir
        .verify(&Actor::Console, &q.order_id, None, None)
        .await
        .unwrap();
    let jobs = printed(&app, &p, 4).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let jobs = if p.jobs().len() > jobs.len() {
        p.jobs()
    } else {
        jobs
    };
    assert_eq!(
        jobs.len(),
        4,
        "reprint and the QRIS receipt, no second kick"
    );
    for j in &jobs[2..] {
        assert!(!j.starts_with(&[0x1B, b'p']), "no kick");
    }
    // a split sale takes its cash part at once: the drawer opens at checkout
    app.kasir
        .checkout(
            &Actor::Console,
            cart(2),
            Tender::Split { cash: 10_000 },
            None,
        )
        .await
        .unwrap();
    let jobs = printed(&app, &p, 5).await;
    assert!(
        jobs[4].starts_with(&[0x1B, b'p', 0, 25, 250]),
        "{:?}",
        jobs[4]
    );
}

/// Issue 14 meets issue 15: a closed shift's report prints as a slip with
/// the drawer's arithmetic and its count by denomination.
#[tokio::test]
async fn a_shifts_report_prints_with_its_expected_cash_and_variance() {
    let app = TestApp::with_qris().await;
    let p = Printer::start(0).await;
    set_printer(&app, &p, PrinterPatch::default()).await;
    let k = &app.kasir;
    let s = k.set_up_owner("Bu Sari", "1111").await.unwrap();
    let owner = k.actor(&s.token).await.unwrap();
    let opening = kasir::service::CashCount {
        total: Some(100_000),
        ..Default::default()
    };
    let shift = k.open_shift(&owner, opening).await.unwrap();
    let cart: kasir::service::Cart = serde_json::from_value(serde_json::json!({
        "lines": [{ "name": "Nasi goreng", "unit_price": 25000, "quantity": 1 }]
    }))
    .unwrap();
    k.checkout(
        &owner,
        cart,
        kasir::service::Tender::Cash { tendered: 50_000 },
        None,
    )
    .await
    .unwrap();
    let counted: kasir::service::CashCount = serde_json::from_value(serde_json::json!({
        "denominations": [{ "value": 100000, "count": 1 }, { "value": 20000, "count": 1 }, { "value": 2000, "count": 1 }]
    }))
    .unwrap();
    k.close_shift(&owner, shift.id, counted, None)
        .await
        .unwrap();
    // receipts print by themselves only when asked: the report is the one job
    let job = k.print_shift_report(&owner, shift.id).await.unwrap();
    assert_eq!(job.order_id, None);
    let slip = printed(&app, &p, 1).await.remove(0);
    let picture = crate::support::escpos_paper::render(&slip, 384).unwrap();
    picture
        .image
        .save(crate::support::escpos_paper::e2e_dir().join("shift-report-58mm.png"))
        .unwrap();
    let lines = paper_lines(&slip);
    let has = |start: &str, end: &str| {
        lines
            .iter()
            .any(|l| l.starts_with(start) && l.ends_with(end))
    };
    assert!(lines.iter().any(|l| l == "LAPORAN SHIFT"), "{lines:#?}");
    assert!(has("Kas awal", "Rp 100.000"), "{lines:#?}");
    assert!(has("Penjualan tunai (1)", "Rp 25.000"), "{lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Kas seharusnya") && l.ends_with(" Rp 125.000")),
        "{lines:#?}"
    );
    assert!(has("Kas dihitung", "Rp 122.000"), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("-Rp 3.000")), "{lines:#?}");
    assert!(has("Rp 100.000 x 1", "Rp 100.000"), "{lines:#?}");
}
