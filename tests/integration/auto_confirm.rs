//! Automatic payment confirmation (issue 12): unique totals chosen by the
//! writer, notifications from the merchant's phone matched to exactly one
//! order, evidence kept append-only, and the phone's scoped key.

use crate::support::receiver::Receiver;
use crate::support::*;
use kasir::model::KeyScope;
use kasir::service::Actor;
use kasir::service::SettingsPatch;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

const NOTIFY: &str = "/api/qris/payments/notifications";

async fn shop(unique: &str, max: i64) -> TestApp {
    let app = TestApp::with_qris().await;
    app.kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                unique_code: Some(unique.into()),
                unique_code_max: Some(max),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app
}

async fn order(app: &TestApp, amount: u64) -> Value {
    let (s, b) = app
        .post("/api/qris/generate", json!({ "amount": amount }))
        .await;
    assert_eq!(s, 200, "{b}");
    let id = b["payment_link"]["order_id"].as_str().unwrap().to_string();
    app.get(&format!("/api/qris/orders/{id}")).await.1["order"].clone()
}

fn dana(amount_text: &str, payer: &str) -> Value {
    json!({
        "app": "id.dana",
        "title": "Kamu berhasil menerima",
        "text": format!("Kamu berhasil menerima {amount_text} dari {payer}"),
    })
}

/// The amount in tag 54 of a QRIS payload.
fn tag54(payload: &str) -> u64 {
    let mut rest = payload;
    while rest.len() >= 4 {
        let (tag, len) = (&rest[..2], rest[2..4].parse::<usize>().unwrap());
        let value = &rest[4..4 + len];
        if tag == "54" {
            return value.parse().unwrap();
        }
        rest = &rest[4 + len..];
    }
    panic!("no tag 54 in {payload}")
}

#[tokio::test]
async fn fifty_orders_at_once_of_one_amount_get_fifty_totals_then_a_clear_409() {
    let app = shop("add", 50).await;
    let api = std::sync::Arc::new(app.as_key(&app.key));
    let made = futures_util::future::join_all((0..50).map(|_| {
        let api = api.clone();
        async move {
            api.post("/api/qris/generate", json!({ "amount": 10000 }))
                .await
        }
    }))
    .await;
    let mut totals: Vec<u64> = made
        .iter()
        .map(|(s, b)| {
            assert_eq!(*s, 200, "{b}");
            b["payment_link"]["total_amount"].as_u64().unwrap()
        })
        .collect();
    totals.sort();
    assert_eq!(totals, (10_001..=10_050).collect::<Vec<_>>());
    // what the QR charges is the total, and the reference's amount is what was asked
    let id = made[0].1["payment_link"]["order_id"].as_str().unwrap();
    let (_, o) = app.get(&format!("/api/qris/orders/{id}")).await;
    assert_eq!(o["order"]["amount"], 10000);
    let code = o["order"]["unique_code"].as_i64().unwrap();
    assert!((1..=50).contains(&code));
    assert_eq!(
        tag54(o["order"]["qris"].as_str().unwrap()),
        10_000 + code as u64
    );
    // every code is taken: refused, nothing stored
    let (s, b) = app
        .post("/api/qris/generate", json!({ "amount": 10000 }))
        .await;
    assert_eq!(s, 409, "{b}");
    assert_eq!(b["error"], "No unique amount left");
    assert_eq!(app.count("orders"), 50);
    // another amount still has its codes
    let (s, _) = app
        .post("/api/qris/generate", json!({ "amount": 20000 }))
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn subtracted_codes_lower_the_total_and_refuse_an_amount_too_small() {
    let app = shop("subtract", 99).await;
    let o = order(&app, 50_000).await;
    assert_eq!(
        (o["unique_code"].clone(), o["total_amount"].clone()),
        (json!(-1), json!(49_999))
    );
    let (s, b) = app
        .post("/api/qris/generate", json!({ "amount": 99 }))
        .await;
    assert_eq!((s, b["field"].as_str()), (422, Some("amount")), "{b}");
    // and the setting is checked
    let e = app
        .kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                unique_code_max: Some(1000),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("unique_code_max"));
}

#[tokio::test]
async fn a_dana_notification_marks_the_one_order_of_its_total_paid_and_sends_the_webhook() {
    let app = shop("add", 99).await;
    let rx = Receiver::start().await;
    app.kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                default_webhook_url: Some(Some(rx.url.clone())),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let o = order(&app, 15_000).await;
    assert_eq!(o["total_amount"], 15_001);
    let id = o["order_id"].as_str().unwrap();
    let (s, b) = app.post(NOTIFY, dana("Rp15.001", "BUDI SANTOSO")).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["result"], "confirmed");
    assert_eq!(b["amount"], 15_001);
    assert_eq!(b["order_id"], id);
    assert!(b["evidence_id"].as_i64().is_some());
    let (_, got) = app.get(&format!("/api/qris/orders/{id}")).await;
    assert_eq!(got["order"]["status"], "paid");
    assert_eq!(got["order"]["confirmed_by"], "notification");
    assert_eq!(got["order"]["payer_name"], "BUDI SANTOSO");
    // the receipt adds up: Rp 15.000, the code +Rp 1, TOTAL Rp 15.001
    let pdf = app
        .fetch(&format!("/api/qris/orders/{id}/receipt.pdf?paper=58"))
        .await
        .bytes()
        .await
        .unwrap();
    let file = app.dir.path().join("struk.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = pdftotext(&file);
    assert!(
        text.contains("Kode unik") && text.contains("+Rp 1"),
        "{text}"
    );
    assert!(
        text.contains("Rp 15.001") && text.contains("Notifikasi HP"),
        "{text}"
    );
    let hits = rx.wait_for(1, Duration::from_secs(10)).await;
    let body = hits[0].json();
    assert_eq!(body["event"], "payment.confirmed", "{body}");
    // the forwarder sends it again after a restart: nothing changes
    let (s, again) = app.post(NOTIFY, dana("Rp15.001", "BUDI SANTOSO")).await;
    assert_eq!(
        (s, again["result"].as_str()),
        (200, Some("duplicate")),
        "{again}"
    );
    assert_eq!(again["evidence_id"], b["evidence_id"]);
    assert_eq!(app.count("payment_evidence"), 1);
    // the owner sees why the order was paid
    let (_, list) = app.get("/api/qris/payments/evidence").await;
    assert_eq!(list["evidence"][0]["order_id"], id);
    assert_eq!(list["evidence"][0]["app"], "id.dana");
    assert!(
        list["evidence"][0]["api_key_id"].is_i64(),
        "which key posted it is kept"
    );
    assert!(list["evidence"][0]["text"]
        .as_str()
        .unwrap()
        .contains("Rp15.001"));
}

#[tokio::test]
async fn the_same_provider_transaction_confirms_nothing_twice() {
    let app = shop("add", 99).await;
    let a = order(&app, 15_000).await;
    let gobiz = |text: &str| json!({ "app": "com.gojek.resto", "title": "Pembayaran QRIS diterima!", "text": text });
    let (_, b) = app
        .post(
            NOTIFY,
            gobiz("Rp15.001 berhasil diterima. ID transaksi: tKT82AID"),
        )
        .await;
    assert_eq!(b["result"], "confirmed", "{b}");
    assert_eq!(b["order_id"], a["order_id"]);
    // a new order now gets the same total; the replayed transaction, worded
    // a little differently, must not pay it
    let (_, b2) = app
        .post(
            NOTIFY,
            gobiz("Rp15.001 berhasil diterima.  ID transaksi: TKT82AID"),
        )
        .await;
    assert_eq!(b2["result"], "duplicate", "{b2}");
}

#[tokio::test]
async fn two_open_orders_of_one_total_are_ambiguous_and_neither_is_paid() {
    let app = TestApp::with_qris().await;
    let a = order(&app, 20_000).await;
    let b = order(&app, 20_000).await;
    let (s, r) = app.post(NOTIFY, dana("Rp20.000", "SITI")).await;
    assert_eq!((s, r["result"].as_str()), (201, Some("ambiguous")), "{r}");
    assert_eq!(r["order_id"], Value::Null);
    for o in [a, b] {
        let (_, got) = app
            .get(&format!(
                "/api/qris/orders/{}",
                o["order_id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(got["order"]["status"], "pending");
    }
    // the owner attaches it to the right one, which is verified by the till
    let (_, review) = app.get("/api/qris/payments/evidence?review=true").await;
    let eid = review["evidence"][0]["id"].as_i64().unwrap();
    assert_eq!(review["evidence"][0]["result"], "ambiguous");
    let (s, attached) = app
        .post(
            &format!("/api/qris/payments/evidence/{eid}/attach"),
            json!({ "order_id": a_id(&app).await }),
        )
        .await;
    assert_eq!(s, 200, "{attached}");
    assert_eq!(attached["order"]["status"], "paid");
    assert_eq!(attached["order"]["confirmed_by"], "dashboard");
    assert_eq!(attached["order"]["payer_name"], "SITI");
    let (s, twice) = app
        .post(
            &format!("/api/qris/payments/evidence/{eid}/dismiss"),
            json!({}),
        )
        .await;
    assert_eq!(
        (s, twice["field"].as_str()),
        (422, Some("evidence_id")),
        "{twice}"
    );
    let (_, left) = app.get("/api/qris/payments/evidence?review=true").await;
    assert_eq!(left["evidence"].as_array().unwrap().len(), 0);
}

/// The oldest order's id (the first made).
async fn a_id(app: &TestApp) -> String {
    let (_, list) = app.get("/api/qris/orders?limit=100").await;
    let orders = list["orders"].as_array().unwrap();
    orders.last().unwrap()["order_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_payment_before_the_order_or_after_the_window_confirms_nothing() {
    // without unique codes (an open order with a code fits for as long as it is open)
    let app = TestApp::with_qris().await;
    let o = order(&app, 30_000).await;
    let id = o["order_id"].as_str().unwrap();
    // seen ten minutes before the order was made
    let before = chrono::Utc::now() - chrono::Duration::minutes(10);
    let mut n = dana("Rp30.000", "ANDI");
    n["posted_at"] = json!(before.to_rfc3339());
    let (_, r) = app.post(NOTIFY, n).await;
    assert_eq!(r["result"], "unmatched", "{r}");
    assert!(r["detail"].as_str().unwrap().contains("30 minutes"), "{r}");
    // the order was made 31 minutes ago (brought back in the file): out of the window
    app.db()
        .execute(
            "UPDATE orders SET created_at = created_at - 31 * 60000 WHERE order_id = ?1",
            [id],
        )
        .unwrap();
    let (_, r) = app.post(NOTIFY, dana("Rp30.000", "ANDI PUTRA")).await;
    assert_eq!(r["result"], "unmatched", "{r}");
    let (_, got) = app.get(&format!("/api/qris/orders/{id}")).await;
    assert_eq!(got["order"]["status"], "pending");
}

#[tokio::test]
async fn an_order_paid_in_time_is_paid_even_if_it_expired_since() {
    let app = shop("add", 99).await;
    let o = order(&app, 40_000).await;
    let id = o["order_id"].as_str().unwrap();
    let now = kasir::clock::now_ms();
    // made five minutes ago, expired a second ago; paid ten seconds before that
    app.db()
        .execute(
            "UPDATE orders SET created_at = ?1, expires_at = ?2 WHERE order_id = ?3",
            rusqlite::params![now - 300_000, now - 1_000, id],
        )
        .unwrap();
    let mut n = dana("Rp40.001", "RINA");
    n["posted_at"] = json!(now - 11_000);
    let (_, r) = app.post(NOTIFY, n).await;
    assert_eq!(r["result"], "confirmed", "{r}");
    let events = app.kasir.order_events(id).await.unwrap();
    let names: Vec<_> = events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(
        names,
        ["order.created", "payment.expired", "payment.confirmed"]
    );
    assert_eq!(events[2].actor, "notification");
    let (_, got) = app.get(&format!("/api/qris/orders/{id}")).await;
    assert_eq!(got["order"]["status"], "paid");
}

#[tokio::test]
async fn promos_and_money_going_out_are_not_payments() {
    let app = TestApp::with_qris().await;
    let o = order(&app, 10_000).await;
    for (app_id, title, text) in [
        (
            "id.dana",
            "DANA",
            "Dapatkan cashback Rp10.000 untuk transaksi pertamamu",
        ),
        ("id.dana", "DANA", "Kamu berhasil mengirim Rp10.000 ke BUDI"),
        (
            "com.gojek.resto",
            "Kode OTP",
            "Kode OTP 123456, jangan berikan ke siapa pun. Rp10.000",
        ),
        ("id.dana", "DANA", "Saldo terpotong Rp10.000"),
    ] {
        let (s, r) = app
            .post(
                NOTIFY,
                json!({ "app": app_id, "title": title, "text": text }),
            )
            .await;
        assert_eq!(
            (s, r["result"].as_str()),
            (201, Some("not_a_payment")),
            "{text}: {r}"
        );
        assert_eq!(r["amount"], Value::Null);
    }
    let (_, got) = app
        .get(&format!(
            "/api/qris/orders/{}",
            o["order_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(got["order"]["status"], "pending");
}

#[tokio::test]
async fn an_app_without_a_table_is_refused_until_the_merchant_allows_it() {
    let app = TestApp::with_qris().await;
    order(&app, 12_500).await;
    let n = json!({ "app": "com.example.bank", "title": "Info", "text": "Dana masuk Rp 12.500 dari SITI" });
    let (s, r) = app.post(NOTIFY, n.clone()).await;
    assert_eq!((s, r["field"].as_str()), (422, Some("app")), "{r}");
    assert_eq!(app.count("payment_evidence"), 0);
    app.kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                notification_generic_apps: Some(vec!["com.example.bank".into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (s, r) = app.post(NOTIFY, n).await;
    assert_eq!((s, r["result"].as_str()), (201, Some("confirmed")), "{r}");
}

#[tokio::test]
async fn a_forwarder_posting_a_form_with_its_own_field_names_is_read() {
    let app = shop("add", 99).await;
    let o = order(&app, 25_000).await;
    let res = app
        .request(Method::POST, NOTIFY)
        .form(&[
            ("package", "id.bmri.livinmerchant"),
            ("title", "Livin' Merchant"),
            ("message", "Dana masuk Rp25.001 dari BUDI"),
            ("timestamp", &kasir::clock::now_ms().to_string()),
        ])
        .send()
        .await
        .unwrap();
    let (s, r) = Api::json(res).await;
    assert_eq!((s, r["result"].as_str()), (201, Some("confirmed")), "{r}");
    assert_eq!(r["order_id"], o["order_id"]);
}

#[tokio::test]
async fn the_phones_key_posts_notifications_and_nothing_else() {
    let app = TestApp::with_qris().await;
    let (key, secret) = app
        .kasir
        .create_scoped_api_key(&Actor::Console, "hp-toko", None, KeyScope::Notifications)
        .await
        .unwrap();
    assert_eq!(key.scope, KeyScope::Notifications);
    let phone = app.as_key(&secret);
    let (s, r) = phone.post(NOTIFY, dana("Rp5.000", "X")).await;
    assert_eq!(s, 201, "{r}");
    for (method, path) in [
        (Method::GET, "/api/qris/orders"),
        (Method::POST, "/api/qris/generate"),
        (Method::GET, "/api/qris/payments/evidence"),
        (Method::POST, "/api/qris/orders/ORD-1/verify"),
    ] {
        let res = phone
            .request(method.clone(), path)
            .json(&json!({ "amount": 1000 }))
            .send()
            .await
            .unwrap();
        let (s, b) = Api::json(res).await;
        assert_eq!(
            (s, b["error"].as_str()),
            (403, Some("Forbidden")),
            "{method} {path}: {b}"
        );
    }
}

#[tokio::test]
async fn evidence_is_kept_as_it_came() {
    let app = TestApp::with_qris().await;
    app.post(NOTIFY, dana("Rp7.000", "ANDI")).await;
    let db = app.db();
    let changed = db.execute("UPDATE payment_evidence SET text = 'edited'", []);
    assert!(changed.is_err(), "the text was changed");
    let changed = db.execute("UPDATE payment_evidence SET result = 'confirmed'", []);
    assert!(changed.is_err(), "the result was changed");
    assert!(db.execute("DELETE FROM payment_evidence", []).is_err());
    assert_eq!(app.count("payment_evidence"), 1);
}

#[tokio::test]
async fn bad_notifications_name_what_is_wrong_and_store_nothing() {
    let app = TestApp::with_qris().await;
    for (body, field) in [
        (json!({ "title": "x", "text": "y" }), "app"),
        (json!({ "app": "id.dana" }), "text"),
        (json!({ "app": "id dana!", "text": "y" }), "app"),
        (
            json!({ "app": "id.dana", "text": "y", "posted_at": "kemarin" }),
            "posted_at",
        ),
    ] {
        let (s, b) = app.post(NOTIFY, body.clone()).await;
        assert_eq!((s, b["field"].as_str()), (422, Some(field)), "{body}: {b}");
    }
    assert_eq!(app.count("payment_evidence"), 0);
}

#[tokio::test]
async fn kasir_keys_create_makes_the_phones_key_from_the_shell() {
    let app = TestApp::with_qris().await;
    let (code, secret, err) = run_cli_in(
        app.dir.path(),
        &[
            "keys",
            "create",
            "--name",
            "hp-toko",
            "--scope",
            "notifications",
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let (_, list, _) = run_cli_in(app.dir.path(), &["keys", "list"]).await;
    assert!(
        list.lines()
            .any(|l| l.contains("hp-toko") && l.contains("notifications")),
        "{list}"
    );
    let phone = app.as_key(secret.trim());
    let (s, _) = phone.get("/api/qris/orders").await;
    assert_eq!(s, 403);
    let (code, _, err) = run_cli_in(
        app.dir.path(),
        &["keys", "create", "--name", "x", "--scope", "everything"],
    )
    .await;
    assert_ne!(code, 0);
    assert!(
        err.contains("possible values: full, notifications"),
        "{err}"
    );
}

#[tokio::test]
async fn a_forwarder_firing_again_pays_nothing_more_even_with_a_new_order_of_that_total() {
    let app = TestApp::with_qris().await;
    let a = order(&app, 15_000).await;
    let (_, r) = app
        .post(NOTIFY, json!({ "app": "id.dana", "title": "DANA", "text": "Kamu berhasil menerima Rp15.000 dari BUDI", "id": "n1" }))
        .await;
    assert_eq!(
        (r["result"].as_str(), &r["order_id"]),
        (Some("confirmed"), &a["order_id"])
    );
    let b = order(&app, 15_000).await;
    // MacroDroid runs the macro again: a new id, the same words
    let (s, r) = app
        .post(NOTIFY, json!({ "app": "id.dana", "title": "DANA", "text": "Kamu berhasil menerima Rp15.000 dari BUDI", "id": "n2" }))
        .await;
    assert_eq!((s, r["result"].as_str()), (200, Some("duplicate")), "{r}");
    let (_, got) = app
        .get(&format!(
            "/api/qris/orders/{}",
            b["order_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(got["order"]["status"], "pending");
}

#[tokio::test]
async fn a_cancelled_order_does_not_make_the_payment_ambiguous() {
    let app = TestApp::with_qris().await;
    let a = order(&app, 18_000).await;
    app.post_empty(&format!(
        "/api/qris/orders/{}/cancel",
        a["order_id"].as_str().unwrap()
    ))
    .await;
    let b = order(&app, 18_000).await;
    let (_, r) = app.post(NOTIFY, dana("Rp18.000", "RUDI")).await;
    assert_eq!(
        (r["result"].as_str(), &r["order_id"]),
        (Some("confirmed"), &b["order_id"]),
        "{r}"
    );
}

#[tokio::test]
async fn an_open_order_with_a_code_is_paid_after_the_window_and_words_spaced_oddly_still_read() {
    let app = shop("add", 99).await;
    let o = order(&app, 60_000).await;
    let id = o["order_id"].as_str().unwrap();
    // a payment link opened an hour ago, paid now
    app.db()
        .execute(
            "UPDATE orders SET created_at = created_at - 60 * 60000 WHERE order_id = ?1",
            [id],
        )
        .unwrap();
    let n = json!({ "app": "id.dana", "title": "DANA\r\n", "text": "Kamu  berhasil\tmenerima   Rp60.001 dari\r\nANDI" });
    let (s, r) = app.post(NOTIFY, n).await;
    assert_eq!((s, r["result"].as_str()), (201, Some("confirmed")), "{r}");
    assert_eq!(r["order_id"], id);
}

#[tokio::test]
async fn a_time_no_clock_can_show_is_refused_naming_posted_at() {
    let app = TestApp::with_qris().await;
    for t in ["-9223372036854775808", "99999999999999999", "1"] {
        let mut n = dana("Rp1.000", "X");
        n["posted_at"] = json!(t);
        let (s, b) = app.post(NOTIFY, n).await;
        assert_eq!(
            (s, b["field"].as_str()),
            (422, Some("posted_at")),
            "{t}: {b}"
        );
    }
}

#[tokio::test]
async fn a_payment_whose_amount_cannot_be_read_waits_for_review() {
    let app = TestApp::with_qris().await;
    let (s, r) = app.post(NOTIFY, dana("Rp15.000,50", "BUDI")).await;
    assert_eq!((s, r["result"].as_str()), (201, Some("unmatched")), "{r}");
    assert_eq!(r["amount"], Value::Null);
    let (_, review) = app.get("/api/qris/payments/evidence?review=true").await;
    assert_eq!(review["evidence"].as_array().unwrap().len(), 1);
}
