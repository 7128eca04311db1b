//! Payment links through the reference API, and the customer's page that
//! follows them.

use crate::support::*;
use kasir::service::Actor;
use serde_json::json;

#[tokio::test]
async fn payment_links_are_created_listed_viewed_and_deleted() {
    let app = TestApp::with_qris().await;
    let (s, b) = app
        .post("/api/qris/payment-link", json!({ "amount": 75000, "description": "Pembayaran Order #12345", "order_id": "INV-2025-001", "webhook_url": "https://yoursite.com/webhook", "callback_url": "https://yoursite.com/thank-you" }))
        .await;
    assert_eq!(s, 200, "{b}");
    let link = &b["payment_link"];
    for (f, v) in [
        ("order_id", json!("INV-2025-001")),
        ("amount", json!(75000)),
        ("description", json!("Pembayaran Order #12345")),
        ("webhook_url", json!("https://yoursite.com/webhook")),
        ("callback_url", json!("https://yoursite.com/thank-you")),
    ] {
        assert_eq!(link[f], v, "{f}");
    }
    let id = link["id"].as_i64().unwrap();
    let code = link["link_code"].as_str().unwrap().to_string();

    // the page is served, and a view is counted by the page's script
    let res = app.public_fetch(&format!("/p/{code}")).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    assert!(res.text().await.unwrap().contains("Sudah Bayar"));
    let (s, _) = app.public_post(&format!("/api/pay/{code}/view")).await;
    assert_eq!(s, 200);
    let (s, st) = app.public_get(&format!("/api/pay/{code}")).await;
    assert_eq!(s, 200);
    assert_eq!(st["amount"], 75000);
    assert_eq!(st["status"], "pending");
    // the page sends the customer on to the integrator's callback
    assert_eq!(st["callback_url"], "https://yoursite.com/thank-you");
    assert!(st["qr_image"]
        .as_str()
        .unwrap()
        .starts_with("data:image/png;base64,"));

    let (s, b) = app.get("/api/qris/payment-links").await;
    assert_eq!(s, 200);
    assert!(b.get("success").is_none());
    let l = &b["payment_links"][0];
    for f in [
        "id",
        "link_code",
        "url",
        "amount",
        "description",
        "merchant_name",
        "is_active",
        "view_count",
        "expires_at",
        "created_at",
        "is_expired",
    ] {
        assert!(l.get(f).is_some(), "payment_links[0].{f} missing");
    }
    assert_eq!(l["view_count"], 1);
    assert_eq!(l["is_active"], true);

    let (s, b) = app.delete(&format!("/api/qris/payment-link/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(b, json!({ "message": "Payment link deleted successfully" }));
    let (s, b) = app.delete(&format!("/api/qris/payment-link/{id}")).await;
    assert_eq!(s, 404);
    assert_eq!(
        b,
        json!({ "success": false, "code": "not_found", "error": "Link pembayaran tidak ditemukan", "message": format!("No payment link with id {id}.") })
    );
    let (s, b) = app.delete("/api/qris/payment-link/abc").await;
    assert_eq!(s, 422);
    assert_eq!(
        b,
        json!({ "success": false, "code": "invalid_field", "error": "Invalid field", "field": "id", "message": "payment link id must be a number, got \"abc\"" })
    );
    // a deleted link is gone for the customer, and its order is cancelled
    let res = app.public_fetch(&format!("/p/{code}")).await;
    assert_eq!(res.status(), 404);
    let (s, b) = app.public_post(&format!("/api/pay/{code}/confirm")).await;
    assert_eq!(s, 404);
    assert_eq!(b["error"], "Link pembayaran tidak ditemukan");
    let (_, o) = app.get("/api/qris/orders/INV-2025-001").await;
    assert_eq!(o["order"]["status"], "cancelled");
    let (_, b) = app.get("/api/qris/payment-links").await;
    assert_eq!(b["payment_links"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn public_base_url_makes_links_absolute() {
    let app = TestApp::with_qris().await;
    app.kasir
        .update_settings(
            &Actor::Console,
            kasir::service::SettingsPatch {
                public_base_url: Some(Some("https://toko.example.com/".into())),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (_, b) = app
        .post("/api/qris/payment-link", json!({ "amount": 1000 }))
        .await;
    let code = b["payment_link"]["link_code"].as_str().unwrap();
    assert_eq!(
        b["payment_link"]["url"],
        format!("https://toko.example.com/p/{code}")
    );
}

#[tokio::test]
async fn unknown_links_are_404_in_the_reference_shape() {
    let app = TestApp::spawn().await;
    for code in ["ABCDEFGH", "x", "ABCD%2F..%2F"] {
        let (s, b) = app.public_post(&format!("/api/pay/{code}/confirm")).await;
        assert_eq!(s, 404, "{code}");
        assert_eq!(
            b,
            json!({ "success": false, "error": "Link pembayaran tidak ditemukan", "message": "Link pembayaran tidak ditemukan atau sudah dihapus." }),
            "{code}"
        );
    }
    let res = app.public_fetch("/p/ZZZZZZZZ").await;
    assert_eq!(res.status(), 404);
    let (s, b) = app.public_get("/api/nothing").await;
    assert_eq!(s, 404);
    assert_eq!(
        b,
        json!({ "success": false, "error": "Not found", "message": "There is no such endpoint. See /api/openapi.json." })
    );
}

#[tokio::test]
async fn the_payment_page_follows_the_order_live() {
    use futures_util::StreamExt;
    let app = TestApp::with_qris().await;
    let (order_id, code) = app.generate(1000).await;
    let res = app.public_fetch(&format!("/api/pay/{code}/events")).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let mut stream = res.bytes_stream();
    let mut seen = String::new();
    async fn until(
        stream: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
        seen: &mut String,
        needle: &str,
    ) {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while !seen.contains(needle) {
            let chunk = tokio::time::timeout_at(deadline, stream.next())
                .await
                .expect("event in time")
                .unwrap()
                .unwrap();
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
    until(&mut stream, &mut seen, "\"status\":\"pending\"").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    until(
        &mut stream,
        &mut seen,
        "\"status\":\"awaiting_confirmation\"",
    )
    .await;
    app.post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    until(&mut stream, &mut seen, "\"status\":\"paid\"").await;
}

/// The probe from issue 18: from loopback (where every tunnel arrives), a fresh
/// X-Forwarded-For per request used to be a fresh client. It isn't believed
/// unless the merchant names the proxy.
#[tokio::test]
async fn a_rotating_forwarded_header_does_not_escape_the_pay_page_limit() {
    let app = TestApp::with_qris().await;
    let (_, code) = app.generate(15_000).await;
    let mut first_429 = None;
    for i in 0..150 {
        let res = app
            .public_request(reqwest::Method::GET, &format!("/api/pay/{code}"))
            .header("x-forwarded-for", format!("198.51.100.{}", i % 250))
            .send()
            .await
            .unwrap();
        if res.status() == 429 && first_429.is_none() {
            first_429 = Some(i + 1);
            assert!(res.headers().contains_key("retry-after"));
        }
    }
    assert_eq!(first_429, Some(121), "120 a minute for the one real client");
}
