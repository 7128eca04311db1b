//! Printed paper, checked with real tools: `pdftotext` reads the words and
//! numbers back, `pdftoppm` rasterises the pages, and the QR in that picture is
//! decoded (rqrr through `kasir::qr_image::scan`, and `zbarimg`) and compared
//! with the payload. Set KASIR_PDF_KEEP=/some/dir to keep every PDF and PNG.

use crate::support::*;
use kasir::clock::Zone;
use kasir::model::{ConfirmedBy, NewOrder, OrderSource, OrderStatus};
use kasir::pdf::{date_time, rupiah, Paper};
use kasir::service::Actor;
use kasir::service::SettingsPatch;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Write the PDF where the tools can read it (and where a person can look).
fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    assert!(
        bytes.starts_with(b"%PDF-"),
        "not a PDF: {:?}",
        &bytes[..bytes.len().min(20)]
    );
    let p = dir.join(format!("{name}.pdf"));
    std::fs::write(&p, bytes).unwrap();
    if let Ok(keep) = std::env::var("KASIR_PDF_KEEP") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&p, Path::new(&keep).join(format!("{name}.pdf"))).unwrap();
    }
    p
}

fn pdfinfo(pdf: &Path, field: &str) -> String {
    let info = run(Command::new("pdfinfo").arg(pdf));
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .unwrap_or_else(|| panic!("pdfinfo has no {field}: {info}"))
        .trim()
        .to_string()
}

/// Page 1 at 150 dpi as a PNG.
fn png(pdf: &Path) -> PathBuf {
    let prefix = pdf.with_extension("");
    run(Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-singlefile"])
        .arg(pdf)
        .arg(&prefix));
    let p = prefix.with_extension("png");
    if let Ok(keep) = std::env::var("KASIR_PDF_KEEP") {
        std::fs::copy(&p, Path::new(&keep).join(p.file_name().unwrap())).unwrap();
    }
    p
}

/// Every word of `needle`, in order on one line, as pdftotext -layout wrote it.
fn has(haystack: &str, needle: &str) -> bool {
    let words: Vec<&str> = needle.split_whitespace().collect();
    haystack.lines().any(|l| {
        let lw: Vec<&str> = l.split_whitespace().collect();
        lw.windows(words.len()).any(|w| w == words.as_slice())
    })
}

fn assert_has(haystack: &str, needle: &str) {
    assert!(
        has(haystack, needle),
        "{needle:?} not found in:\n{haystack}"
    );
}

/// An order made at the till and marked paid by `by`, with the payer's name
/// and note.
async fn pay(
    app: &TestApp,
    order: NewOrder,
    by: ConfirmedBy,
    payer: &str,
    note: &str,
) -> kasir::model::Order {
    let o = app
        .kasir
        .create_order(&Actor::Console, order, OrderSource::Till)
        .await
        .unwrap();
    app.kasir
        .verify(
            match by {
                ConfirmedBy::Api => &Actor::Integration,
                _ => &Actor::Console,
            },
            &o.order_id,
            Some(payer.into()),
            Some(note.into()),
        )
        .await
        .unwrap()
}

async fn paid_order(app: &TestApp) -> kasir::model::Order {
    let order = NewOrder {
        amount: Some(50_000),
        fee_type: Some("rupiah".into()),
        fee_value: Some("1000".into()),
        description: Some("Kopi susu gula aren 2x, roti bakar cokelat keju 1x".into()),
        ..Default::default()
    };
    pay(
        app,
        order,
        ConfirmedBy::Dashboard,
        "Budi Santoso",
        "Meja 4, bayar pakai GoPay",
    )
    .await
}

#[tokio::test]
async fn a_paid_orders_receipt_reads_back_on_58_80_and_a4() {
    let app = TestApp::with_qris().await;
    app.kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                receipt_footer: Some(Some("Terima kasih, datang lagi!".into())),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let q = app.kasir.static_qris(None).await.unwrap();
    let o = paid_order(&app).await;
    let zone = Zone::jakarta();
    for (paper, width_pt) in [("58", 164.4), ("80", 226.8), ("a4", 595.3)] {
        let res = app
            .fetch(&format!(
                "/api/qris/orders/{}/receipt.pdf?paper={paper}",
                o.order_id
            ))
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert_eq!(
            res.headers()["content-disposition"],
            format!("inline; filename=\"struk-{}-{paper}.pdf\"", o.order_id).as_str()
        );
        let pdf = save(
            app.dir.path(),
            &format!("receipt-{paper}"),
            &res.bytes().await.unwrap(),
        );
        let size = pdfinfo(&pdf, "Page size");
        let w: f64 = size.split_whitespace().next().unwrap().parse().unwrap();
        assert!((w - width_pt).abs() < 0.5, "{paper}: {size}");
        assert_eq!(pdfinfo(&pdf, "Pages"), "1");
        let t = pdftotext(&pdf);
        assert_has(&t, &q.merchant_name);
        assert_has(&t, &q.merchant_city);
        assert_has(&t, &format!("NMID: {}", q.nmid.clone().unwrap()));
        assert_has(&t, &o.order_id);
        assert_has(&t, &format!("Tanggal {}", date_time(o.created_at, &zone)));
        assert_has(&t, &format!("Jumlah {}", rupiah(50_000)));
        assert_has(&t, "Jumlah Rp 50.000");
        assert_has(&t, "Biaya Rp 1.000");
        assert_has(&t, "TOTAL Rp 51.000");
        assert_has(&t, "Status LUNAS");
        assert_has(
            &t,
            &format!("Dibayar {}", date_time(o.paid_at.unwrap(), &zone)),
        );
        assert!(date_time(o.paid_at.unwrap(), &zone).ends_with(" WIB"));
        assert_has(&t, "Dikonfirmasi Kasir");
        assert_has(&t, "Pembayar Budi Santoso");
        assert_has(&t, "Meja 4, bayar pakai GoPay");
        assert_has(&t, "Kopi susu");
        assert_has(&t, "Terima kasih, datang lagi!");
        // and it rasterises
        assert!(std::fs::metadata(png(&pdf)).unwrap().len() > 1000);
    }
}

#[tokio::test]
async fn receipt_times_follow_the_merchants_zone() {
    let app = TestApp::with_qris().await;
    let o = paid_order(&app).await;
    app.kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                timezone: Some("Asia/Makassar".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let bytes = app
        .kasir
        .receipt_pdf(&o.order_id, Paper::Roll80)
        .await
        .unwrap();
    let t = pdftotext(&save(app.dir.path(), "receipt-wita", &bytes));
    let wita = date_time(o.paid_at.unwrap(), &Zone::parse("Asia/Makassar").unwrap());
    assert!(wita.ends_with(" WITA"));
    assert_has(&t, &format!("Dibayar {wita}"));
    // a zone Kasir cannot print is refused, naming the setting
    let e = app
        .kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                timezone: Some("Asia/Tokyoo".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        kasir::Error::InvalidField {
            field: "timezone",
            ..
        }
    ));
}

#[tokio::test]
async fn receipts_refuse_unknown_and_unpaid_orders_and_unknown_paper() {
    let app = TestApp::with_qris().await;
    let (s, b) = app.get("/api/qris/orders/NOPE-1/receipt.pdf").await;
    assert_eq!(s, 404, "{b}");
    assert_eq!(b["error"], "Order not found");

    let (unpaid, _) = app.generate(20_000).await;
    let (s, b) = app
        .get(&format!("/api/qris/orders/{unpaid}/receipt.pdf?paper=80"))
        .await;
    assert_eq!(s, 409, "{b}");
    assert_eq!(b["success"], false);
    assert_eq!(b["error"], "Order not paid");
    assert_eq!(
        b["message"],
        format!("Order \"{unpaid}\" is not paid (status: pending); a receipt is printed only for a paid order.")
    );

    let paid = paid_order(&app).await;
    for bad in ["a5", "57", "", "letter"] {
        let (s, b) = app
            .get(&format!(
                "/api/qris/orders/{}/receipt.pdf?paper={bad}",
                paid.order_id
            ))
            .await;
        assert_eq!(s, 422, "{bad}: {b}");
        assert_eq!(b["field"], "paper", "{b}");
        assert!(
            b["message"].as_str().unwrap().contains("58, 80 or a4"),
            "{b}"
        );
    }
    // the service refuses a standee paper too
    let e = app
        .kasir
        .receipt_pdf(&paid.order_id, Paper::A6)
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        kasir::Error::InvalidField { field: "paper", .. }
    ));
}

#[tokio::test]
async fn a_static_standee_carries_the_merchants_qris_and_scans() {
    let app = TestApp::with_qris().await;
    let q = app.kasir.static_qris(None).await.unwrap();
    for paper in [Paper::A6, Paper::A5] {
        let (bytes, order) = app.kasir.standee_pdf(None, paper).await.unwrap();
        assert!(order.is_none());
        let pdf = save(
            app.dir.path(),
            &format!("standee-{}", paper.as_str()),
            &bytes,
        );
        let t = pdftotext(&pdf);
        assert_has(&t, "QRIS");
        assert_has(&t, "Scan untuk membayar");
        assert_has(&t, &q.merchant_name);
        assert_has(&t, &format!("NMID: {}", q.nmid.clone().unwrap()));
        let img = png(&pdf);
        let scanned = kasir::qr_image::scan(&std::fs::read(&img).unwrap()).unwrap();
        assert_eq!(scanned, q.payload);
        assert_eq!(zbarimg(&img), q.payload);
    }
    assert_eq!(app.count("orders"), 0);
}

#[tokio::test]
async fn a_standee_with_an_amount_is_a_real_payable_order() {
    let app = TestApp::with_qris().await;
    let (bytes, order) = app
        .kasir
        .standee_pdf(Some(25_000), Paper::A5)
        .await
        .unwrap();
    let order = order.unwrap();
    assert_eq!(order.source, OrderSource::Till);
    assert_eq!(order.status, OrderStatus::Pending);
    let pdf = save(app.dir.path(), "standee-dynamic", &bytes);
    let t = pdftotext(&pdf);
    assert_has(&t, "Rp 25.000");
    assert_has(&t, &format!("No. Order {}", order.order_id));
    let img = png(&pdf);
    let scanned = kasir::qr_image::scan(&std::fs::read(&img).unwrap()).unwrap();
    assert_eq!(scanned, order.payload);
    assert_eq!(zbarimg(&img), order.payload);
    assert_eq!(qris::decode(&scanned).summary.unwrap().amount, Some(25_000));
    // the till tracks it like any other
    let (s, b) = app
        .get(&format!("/api/qris/orders/{}", order.order_id))
        .await;
    assert_eq!(s, 200);
    assert_eq!(b["order"]["status"], "pending");
}

#[tokio::test]
async fn a_standee_needs_a_static_qris_and_a_standee_paper() {
    let app = TestApp::spawn().await;
    let e = app.kasir.standee_pdf(None, Paper::A6).await.unwrap_err();
    assert!(matches!(e, kasir::Error::NoStaticQris), "{e}");
    let app = TestApp::with_qris().await;
    let e = app
        .kasir
        .standee_pdf(Some(1000), Paper::Roll58)
        .await
        .unwrap_err();
    assert!(matches!(
        e,
        kasir::Error::InvalidField { field: "paper", .. }
    ));
    assert_eq!(app.count("orders"), 0, "a refused standee makes no order");
}

#[tokio::test]
async fn a_day_without_orders_is_a_report_that_says_so() {
    // no static QRIS at all: still a valid report
    for app in [TestApp::spawn().await, TestApp::with_qris().await] {
        let res = app
            .fetch("/api/qris/reports/daily.pdf?date=2001-02-03")
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert_eq!(
            res.headers()["content-disposition"],
            "inline; filename=\"laporan-harian-2001-02-03.pdf\""
        );
        let pdf = save(app.dir.path(), "report-empty", &res.bytes().await.unwrap());
        assert_eq!(pdfinfo(&pdf, "Pages"), "1");
        let t = pdftotext(&pdf);
        assert_has(&t, "LAPORAN HARIAN");
        assert_has(&t, "Sabtu, 3 Februari 2001");
        assert_has(&t, "Tidak ada pesanan pada hari ini.");
        assert_has(&t, "Total dibayar Rp 0");
        assert_has(&t, "Halaman 1 dari 1");
    }
}

#[tokio::test]
async fn report_dates_must_be_real_days() {
    let app = TestApp::with_qris().await;
    for bad in [
        "2025-13-01",
        "2025-02-30",
        "26-12-2025",
        "yesterday",
        "2025-1-5",
        "",
    ] {
        let (s, b) = app
            .get(&format!("/api/qris/reports/daily.pdf?date={bad}"))
            .await;
        assert_eq!(s, 422, "{bad}: {b}");
        assert_eq!(b["field"], "date", "{b}");
        assert!(b["message"].as_str().unwrap().contains("YYYY-MM-DD"), "{b}");
    }
    let (s, b) = app.get("/api/qris/reports/daily.pdf").await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["field"], "date");
    // and the key is required like everywhere under /api/qris
    let (s, _) = app
        .public_get("/api/qris/reports/daily.pdf?date=2025-12-26")
        .await;
    assert_eq!(s, 401);
}

/// A busy day: 2,000 orders made and settled through the service, the report
/// runs to many pages and its totals are the database's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_2000_order_day_makes_a_multi_page_report_whose_totals_match() {
    let app = TestApp::with_qris().await;
    let q = app.kasir.static_qris(None).await.unwrap();
    let mut paid_ids = vec![];
    for i in 0..2000u64 {
        let o = app
            .kasir
            .create_order(
                &Actor::Console,
                NewOrder {
                    amount: Some(5_000 + (i as i128 * 137) % 200_000),
                    fee_type: (i % 3 == 0).then(|| "rupiah".into()),
                    fee_value: (i % 3 == 0).then(|| "500".into()),
                    description: (i % 4 == 0).then(|| {
                        format!(
                            "Pesanan meja {} dengan catatan yang cukup panjang untuk dipotong",
                            i % 20
                        )
                    }),
                    ..Default::default()
                },
                OrderSource::Till,
            )
            .await
            .unwrap();
        match i % 10 {
            0 => {
                app.kasir
                    .cancel(&Actor::Console, &o.order_id)
                    .await
                    .unwrap();
            }
            1 | 2 => {} // still pending
            3 => {
                app.kasir
                    .verify(&Actor::Integration, &o.order_id, None, None)
                    .await
                    .unwrap();
                paid_ids.push(o.order_id);
            }
            _ => {
                app.kasir
                    .verify(&Actor::Console, &o.order_id, None, None)
                    .await
                    .unwrap();
                paid_ids.push(o.order_id);
            }
        }
    }
    // the day of these orders, in Jakarta (a run across midnight uses the first one's)
    let first = app.number("SELECT MIN(created_at) FROM orders");
    let day = kasir::clock::jakarta_day(first);
    let (from, to) =
        Zone::jakarta().day_bounds(chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap());
    let totals = app.kasir.totals(from, to).await.unwrap();
    let (paid_n, paid_total, paid_fee) = totals
        .iter()
        .find(|t| t.0 == OrderStatus::Paid)
        .map(|t| (t.1, t.2, t.3))
        .unwrap();
    // the same straight from SQLite
    let (db_n, db_total, db_fee): (u64, u64, u64) = app
        .db()
        .query_row(
            "SELECT COUNT(*), SUM(total_amount), SUM(fee_amount) FROM orders WHERE status = 'paid' AND created_at >= ?1 AND created_at < ?2",
            [from, to],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((paid_n, paid_total, paid_fee), (db_n, db_total, db_fee));

    let res = app
        .fetch(&format!("/api/qris/reports/daily.pdf?date={day}"))
        .await;
    assert_eq!(res.status(), 200);
    let pdf = save(app.dir.path(), "report-2000", &res.bytes().await.unwrap());
    let pages: usize = pdfinfo(&pdf, "Pages").parse().unwrap();
    assert!(pages > 10, "{pages} pages");
    let t = pdftotext(&pdf);
    assert_has(&t, &format!("Total dibayar {}", rupiah(paid_total)));
    assert_has(&t, &format!("Biaya {}", rupiah(paid_fee)));
    assert_has(&t, &format!("Pesanan lunas {paid_n}"));
    assert_has(&t, &format!("Total {}", rupiah(paid_total)));
    let (n, total, fee) = totals
        .iter()
        .fold((0, 0, 0), |a, t| (a.0 + t.1, a.1 + t.2, a.2 + t.3));
    assert_eq!(n, 2000);
    assert_has(
        &t,
        &format!("Semua pesanan {n} {} {}", rupiah(total), rupiah(fee)),
    );
    for (s, label) in [
        (OrderStatus::Cancelled, "Dibatalkan"),
        (OrderStatus::Pending, "Menunggu"),
    ] {
        let c = totals.iter().find(|t| t.0 == s).unwrap();
        assert_has(&t, &format!("{label} {} {}", c.1, rupiah(c.2)));
    }
    assert_has(
        &t,
        &format!(
            "Dikonfirmasi oleh Kasir {} - API {}",
            paid_n - paid_n / 7,
            paid_n / 7
        ),
    );
    // every page names the merchant and counts itself
    let page_texts: Vec<&str> = t.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(page_texts.len(), pages);
    for (i, p) in page_texts.iter().enumerate() {
        assert_has(p, &q.merchant_name);
        assert_has(p, &format!("Halaman {} dari {pages}", i + 1));
    }
    // every paid order is listed once, numbered in order
    for id in &paid_ids {
        assert_eq!(t.matches(id.as_str()).count(), 1, "{id}");
    }
    assert_has(&t, &format!("{paid_n} "));
    let last_numbered = t
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.parse::<u64>().ok())
        .filter(|n| *n <= paid_n)
        .max();
    assert_eq!(last_numbered, Some(paid_n));
    assert!(std::fs::metadata(png(&pdf)).unwrap().len() > 1000);
}

/// What shops really type: emoji, long words, the longest description.
#[tokio::test]
async fn long_and_unusual_text_wraps_on_58_mm_and_never_breaks_the_receipt() {
    let app = TestApp::with_qris().await;
    let long = format!(
        "Nasi goreng spesial ☕🍜 pedas level 5, {} {}",
        "tambahan-telur-mata-sapi-dan-kerupuk-udang-tanpa-bawang",
        "es teh manis. ".repeat(30)
    );
    let order = NewOrder {
        amount: Some(9_999_999_999_999),
        description: Some(long.chars().take(500).collect()),
        ..Default::default()
    };
    let o = pay(
        &app,
        order,
        ConfirmedBy::Api,
        "Ñoño Müller-Lüdenscheidt",
        "catatan 😀",
    )
    .await;
    let bytes = app
        .kasir
        .receipt_pdf(&o.order_id, Paper::Roll58)
        .await
        .unwrap();
    let pdf = save(app.dir.path(), "receipt-58-long", &bytes);
    let t = pdftotext(&pdf);
    assert_has(&t, "TOTAL Rp 9.999.999.999.999");
    assert_has(&t, "Nasi goreng spesial ?? pedas");
    assert_has(&t, "Ñoño Müller-Lüdenscheidt");
    assert_has(&t, "Dikonfirmasi API");
    // one page, as long as the receipt, nothing cut off on either side
    assert_eq!(pdfinfo(&pdf, "Pages"), "1");
    let size = pdfinfo(&pdf, "Page size");
    let h: f64 = size.split_whitespace().nth(2).unwrap().parse().unwrap();
    assert!(h > 400.0, "{size}");
    let bbox = run(Command::new("pdftotext").arg("-bbox").arg(&pdf).arg("-"));
    for l in bbox.lines().filter(|l| l.contains("<word ")) {
        let num = |k: &str| -> f64 {
            l.split(&format!("{k}=\""))
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        assert!(
            num("xMin") >= 11.0 && num("xMax") <= 164.4 - 11.0,
            "outside the 4 mm margins: {l}"
        );
    }
    png(&pdf);
}

#[tokio::test]
async fn a_day_with_orders_but_none_paid_says_so_under_its_totals() {
    let app = TestApp::with_qris().await;
    let (order_id, _) = app.generate(12_500).await;
    let o = app.kasir.order(&order_id).await.unwrap();
    let day = kasir::clock::jakarta_day(o.created_at);
    let bytes = app
        .kasir
        .daily_report_pdf(&Actor::Console, &day)
        .await
        .unwrap();
    let t = pdftotext(&save(app.dir.path(), "report-unpaid", &bytes));
    assert_has(&t, "Menunggu 1 Rp 12.500 Rp 0");
    assert_has(&t, "Semua pesanan 1 Rp 12.500 Rp 0");
    assert_has(&t, "Total dibayar Rp 0");
    assert_has(&t, "Tidak ada pesanan lunas pada hari ini.");
    assert!(!t.contains(&order_id), "only paid orders are listed");
}
