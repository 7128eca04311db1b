//! Sales from the catalogue as an integrator sees them through the real
//! server: the order JSON's new fields, the webhooks of a cash sale and a
//! refund, the day's report as JSON. The money rules are the engine's own
//! tests (src/service/cart/tests.rs).

use crate::support::receiver::Receiver;
use crate::support::*;
use kasir::service::Actor;
use kasir::service::{Cart, CartLine, ProductInput, RefundRequest, SettingsPatch, Tender};
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

async fn shop_with_receiver() -> (TestApp, Receiver) {
    let app = crate::webhooks::app_with(crate::webhooks::fast()).await;
    let rx = Receiver::start().await;
    app.kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                default_webhook_url: Some(Some(rx.url.clone())),
                tax_enabled: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    (app, rx)
}

async fn product(app: &TestApp, name: &str, price: i64) -> i64 {
    app.kasir
        .save_product(
            &Actor::Console,
            ProductInput {
                name: Some(name.into()),
                price: Some(price),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id
}

fn cart(lines: &[(i64, i64)]) -> Cart {
    Cart {
        lines: lines
            .iter()
            .map(|&(id, q)| CartLine {
                product_id: Some(id),
                quantity: q,
                ..Default::default()
            })
            .collect(),
        discount: None,
    }
}

#[tokio::test]
async fn a_cash_sale_and_its_refund_reach_the_integrator_with_their_lines() {
    let (app, rx) = shop_with_receiver().await;
    let nasi = product(&app, "Nasi goreng", 25_000).await;
    let teh = product(&app, "Es teh", 5_000).await;
    let o = app
        .kasir
        .checkout(
            &Actor::Console,
            cart(&[(nasi, 2), (teh, 1)]),
            Tender::Cash { tendered: 100_000 },
            None,
        )
        .await
        .unwrap();

    let (s, b) = app.get(&format!("/api/qris/orders/{}", o.order_id)).await;
    assert_eq!(s, 200, "{b}");
    let d = &b["order"];
    // the reference's fields keep their meaning
    assert_eq!(d["status"], "paid");
    assert_eq!(d["is_paid"], true);
    assert_eq!(d["amount"], 61_050);
    assert_eq!(d["confirmed_by"], "dashboard");
    assert_eq!(d["title"], "Nasi goreng ×2, Es teh");
    // and the sale's are added
    assert_eq!(d["payment_method"], "cash");
    assert_eq!(d["cash_tendered"], 100_000);
    assert_eq!(d["change_amount"], 38_950);
    assert_eq!(d["totals"]["tax"], 6_050);
    assert_eq!(d["items"].as_array().unwrap().len(), 2);
    assert_eq!(d["items"][0]["name"], "Nasi goreng");
    assert_eq!(d["items"][0]["quantity"], 2);
    assert_eq!(d["items"][0]["total"], 55_500);

    let hits = rx.wait_for(1, WAIT).await;
    let paid = hits[0].json();
    assert_eq!(paid["event"], "payment.confirmed");
    assert_eq!(paid["data"]["payment_method"], "cash");

    app.kasir
        .refund(
            &Actor::Console,
            &o.order_id,
            RefundRequest {
                reason: Some("pelanggan batal".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let hits = rx.wait_for(2, WAIT).await;
    let refunded = hits[1].json();
    assert_eq!(refunded["event"], "payment.refunded");
    assert_eq!(refunded["data"]["refunded_amount"], 61_050);
    assert_eq!(refunded["data"]["status"], "paid");

    let (s, b) = app.get(&format!("/api/qris/orders/{}", o.order_id)).await;
    assert_eq!(s, 200);
    assert_eq!(b["order"]["refunded_amount"], 61_050);
    assert_eq!(b["order"]["items"][1]["refunded_quantity"], 1);

    let today = app.kasir.today().await.unwrap();
    let (s, r) = app
        .get(&format!("/api/qris/reports/daily?date={today}"))
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["cash"], 61_050);
    assert_eq!(r["qris"], 0);
    assert_eq!(r["refunds"]["count"], 1);
    assert_eq!(r["net"], 0);
    assert_eq!(r["items_sold"], 3);
    assert_eq!(r["tax"], 6_050);
    assert_eq!(r["best_sellers"][0]["name"], "Nasi goreng");
    let (s, _) = app.get("/api/qris/reports/daily").await;
    assert_eq!(s, 200, "today without a date");
    let (s, e) = app.get("/api/qris/reports/daily?date=kemarin").await;
    assert_eq!(s, 422, "{e}");
}

#[tokio::test]
async fn an_amount_only_order_reads_as_before_with_the_new_fields_empty() {
    let app = TestApp::with_qris().await;
    let (id, _) = app.generate(15_000).await;
    let (_, b) = app.get(&format!("/api/qris/orders/{id}")).await;
    let d = &b["order"];
    assert_eq!(d["payment_method"], "qris");
    assert_eq!(d["items"], json!([]));
    assert_eq!(d["totals"], json!(null));
    assert_eq!(d["refunded_amount"], 0);
    assert_eq!(d["amount"], 15_000);
}

#[tokio::test]
async fn the_daily_pdf_and_slip_show_the_tenders_refunds_and_best_sellers() {
    let app = TestApp::with_qris().await;
    let kopi = product(&app, "Kopi susu", 18_000).await;
    let o = app
        .kasir
        .checkout(
            &Actor::Console,
            cart(&[(kopi, 3)]),
            Tender::Split { cash: 24_000 },
            None,
        )
        .await
        .unwrap();
    app.kasir
        .verify(&Actor::Console, &o.order_id, None, None)
        .await
        .unwrap();
    let today = app.kasir.today().await.unwrap();
    let pdf = app
        .kasir
        .daily_report_pdf(&Actor::Console, &today)
        .await
        .unwrap();
    let path = app.dir.path().join("laporan.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let text = pdftotext(&path);
    for want in [
        "Penjualan",
        "Tunai",
        "Rp 24.000",
        "QRIS",
        "Rp 30.000",
        "Terlaris",
        "Kopi susu",
        "x3",
    ] {
        assert!(text.contains(want), "{want:?} in {text}");
    }
    let (s, r) = app
        .get(&format!("/api/qris/reports/daily?date={today}"))
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        (r["cash"].as_u64(), r["qris"].as_u64()),
        (Some(24_000), Some(30_000))
    );
    assert_eq!(r["paid_total"], 54_000);
}
