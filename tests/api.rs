//! The reference API, driven over real HTTP against a real SQLite file.

mod common;
use common::*;
use serde_json::json;

#[tokio::test]
async fn requests_without_or_with_a_wrong_key_are_refused() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(app.url("/api/qris/my-qris"))
        .send()
        .await
        .unwrap();
    let (s, b) = TestApp::json(res).await;
    assert_eq!(s, 401);
    assert_eq!(b["success"], false);
    assert!(b["message"].as_str().unwrap().contains("X-API-Key"));
    let res = app
        .client
        .get(app.url("/api/qris/my-qris"))
        .header("X-API-Key", "ksr_wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // a revoked key stops working
    let keys = app.kasir.list_api_keys().await.unwrap();
    app.kasir.revoke_api_key(keys[0].id).await.unwrap();
    let (s, _) = app.get("/api/qris/my-qris").await;
    assert_eq!(s, 401);
    // keys are stored hashed, never in clear
    let stored: Vec<u8> = app
        .db()
        .query_row("SELECT key_hash FROM api_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored.len(), 32);
    assert!(!String::from_utf8_lossy(&stored).contains(&app.key));
}

#[tokio::test]
async fn my_qris_before_and_after_upload() {
    let app = TestApp::spawn().await;
    let (s, b) = app.get("/api/qris/my-qris").await;
    assert_eq!(s, 200);
    assert_eq!(
        b,
        json!({"success": true, "has_qris": false, "message": "No QRIS found. Please upload your static QRIS first (only needed once)."})
    );

    let payload = static_qris();
    let (s, b) = app
        .post("/api/qris/upload", json!({ "qris_string": payload }))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["message"], "QRIS uploaded successfully");
    assert_eq!(b["qris_string"], payload.as_str());
    assert!(
        b.get("success").is_none(),
        "the reference's upload response has no success field"
    );
    let summary = qris::decode(&payload).summary.unwrap();
    assert_eq!(
        b["merchant"]["name"],
        summary.merchant_name.unwrap().as_str()
    );
    assert_eq!(
        b["merchant"]["city"],
        summary.merchant_city.unwrap().as_str()
    );

    let (s, b) = app.get("/api/qris/my-qris").await;
    assert_eq!(s, 200);
    assert_eq!(b["has_qris"], true);
    let q = &b["qris"];
    for f in [
        "id",
        "qris_string",
        "merchant_name",
        "merchant_city",
        "created_at",
        "updated_at",
    ] {
        assert!(!q[f].is_null(), "qris.{f} missing: {b}");
    }
    assert!(q["created_at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn uploads_that_are_not_qris_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let vectors = static_qris_vectors();
    let good = &vectors[0];
    let mut broken_crc = good.clone();
    broken_crc.replace_range(good.len() - 4.., "0000");
    let cases = [
        json!({ "qris_string": "hello" }),
        json!({ "qris_string": broken_crc }),
        json!({ "qris_string": "" }),
        json!({ "qris_string": 12345 }),
        json!({}),
        // a Brazilian Pix code is EMV but not QRIS
        json!({ "qris_string": "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D" }),
    ];
    for body in cases {
        let (s, b) = app.post("/api/qris/upload", body.clone()).await;
        assert!(s == 422 || s == 400, "{body} -> {s} {b}");
        assert_eq!(b["success"], false);
        assert!(!b["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(app.count("static_qris"), 0);
    // malformed JSON and a wrong content type
    let res = app
        .client
        .post(app.url("/api/qris/upload"))
        .header("X-API-Key", &app.key)
        .header("Content-Type", "application/json")
        .body("{\"qris_string\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let res = app
        .client
        .post(app.url("/api/qris/generate"))
        .header("X-API-Key", &app.key)
        .body("amount=5")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
}

#[tokio::test]
async fn generate_returns_the_reference_shape_and_a_scannable_image() {
    let app = TestApp::with_qris().await;
    let (s, b) = app
        .post("/api/qris/generate", json!({ "amount": 50000, "fee_type": "rupiah", "fee_value": 1000, "order_id": "INV-2025-001", "webhook_url": "https://yoursite.com/webhook" }))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["success"], true);
    assert_eq!(b["amount"], 50000);
    assert_eq!(b["fee"], json!({ "type": "rupiah", "value": 1000 }));
    let payload = b["qris"].as_str().unwrap();
    assert!(payload.starts_with("00020101021226") || payload.starts_with("000201010212"));
    let d = qris::decode(payload);
    assert!(d.valid, "{:?}", d.issues);
    assert_eq!(d.summary.as_ref().unwrap().amount, Some(50000));
    let link = &b["payment_link"];
    assert_eq!(link["order_id"], "INV-2025-001");
    assert_eq!(link["amount"], 50000);
    assert_eq!(link["webhook_url"], "https://yoursite.com/webhook");
    let code = link["link_code"].as_str().unwrap();
    assert_eq!(code.len(), 8);
    assert_eq!(link["url"], format!("/p/{code}"));
    assert!(link["id"].is_i64());
    assert!(
        b["expires_at"].as_str().unwrap().ends_with(".000Z")
            || b["expires_at"].as_str().unwrap().ends_with('Z')
    );

    // the image a phone would scan carries exactly the payload
    let img = b["qr_image"].as_str().unwrap();
    let png = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        img.strip_prefix("data:image/png;base64,").unwrap(),
    )
    .unwrap();
    assert_eq!(kasir::qr_image::scan(&png).unwrap(), payload);

    // the order reads back with total = amount + fee
    let (s, o) = app.get("/api/qris/orders/INV-2025-001").await;
    assert_eq!(s, 200);
    assert_eq!(o["order"]["total_amount"], 51000);
    assert_eq!(o["order"]["status"], "pending");
    assert_eq!(o["order"]["is_paid"], false);
    assert_eq!(o["order"]["paid_at"], serde_json::Value::Null);
}

#[tokio::test]
async fn bad_amounts_and_fields_are_refused_by_name_and_nothing_is_stored() {
    let app = TestApp::with_qris().await;
    let cases = [
        (json!({}), "amount"),
        (json!({ "amount": 0 }), "amount"),
        (json!({ "amount": -5 }), "amount"),
        (json!({ "amount": 10_000_000_000_000u64 }), "amount"),
        (json!({ "amount": 1e300 }), "amount"),
        (json!({ "amount": 100.5 }), "amount"),
        (json!({ "amount": "abc" }), "amount"),
        (json!({ "amount": true }), "amount"),
        (json!({ "amount": [1] }), "amount"),
        (
            json!({ "amount": 5000, "order_id": "A".repeat(31) }),
            "order_id",
        ),
        (json!({ "amount": 5000, "order_id": "inv 1" }), "order_id"),
        (
            json!({ "amount": 5000, "fee_type": "dollar", "fee_value": 5 }),
            "fee_type",
        ),
        (
            json!({ "amount": 5000, "fee_type": "percent", "fee_value": 150 }),
            "fee_value",
        ),
        (
            json!({ "amount": 5000, "fee_type": "percent", "fee_value": 1.234 }),
            "fee_value",
        ),
        (
            json!({ "amount": 5000, "fee_type": "rupiah", "fee_value": 10.5 }),
            "fee_value",
        ),
        (json!({ "amount": 5000, "qris_id": 999 }), "qris_id"),
        (
            json!({ "amount": 5000, "webhook_url": "javascript:alert(1)" }),
            "webhook_url",
        ),
        (
            json!({ "amount": 5000, "callback_url": "not a url" }),
            "callback_url",
        ),
        (
            json!({ "amount": 5000, "description": "x".repeat(10_000) }),
            "description",
        ),
    ];
    for (body, field) in cases {
        let (s, b) = app.post("/api/qris/generate", body.clone()).await;
        assert!(s == 422 || s == 400 || s == 413, "{body} -> {s} {b}");
        assert_eq!(b["success"], false, "{b}");
        if s == 422 {
            assert_eq!(b["field"], field, "{body} -> {b}");
            assert!(b["message"].as_str().unwrap().contains(field), "{b}");
        }
    }
    assert_eq!(app.count("orders"), 0);
    assert_eq!(app.count("order_events"), 0);
    // a 31-char id is refused, 30 is fine
    let (s, _) = app
        .post(
            "/api/qris/generate",
            json!({ "amount": 5000, "order_id": "A".repeat(30) }),
        )
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn generate_without_a_stored_qris_says_to_upload_one() {
    let app = TestApp::spawn().await;
    let (s, b) = app
        .post("/api/qris/generate", json!({ "amount": 5000 }))
        .await;
    assert_eq!(s, 400);
    assert!(b["message"].as_str().unwrap().contains("upload"));
}

#[tokio::test]
async fn a_duplicate_order_id_is_a_409_naming_it() {
    let app = TestApp::with_qris().await;
    let (s, _) = app
        .post(
            "/api/qris/generate",
            json!({ "amount": 5000, "order_id": "INV-1" }),
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = app
        .post(
            "/api/qris/payment-link",
            json!({ "amount": 7000, "order_id": "INV-1" }),
        )
        .await;
    assert_eq!(s, 409);
    assert!(b["message"].as_str().unwrap().contains("INV-1"));
    assert_eq!(app.count("orders"), 1);
}

#[tokio::test]
async fn order_ids_are_generated_when_absent() {
    let app = TestApp::with_qris().await;
    let (a, _) = app.generate(1000).await;
    let (b, _) = app.generate(1000).await;
    assert!(a.starts_with("ORD-") && a.len() <= 30, "{a}");
    assert_ne!(a, b);
}

#[tokio::test]
async fn the_payment_lifecycle_customer_confirms_then_merchant_verifies() {
    let app = TestApp::with_qris().await;
    let (order_id, code) = app.generate(75000).await;

    let (s, b) = app.public_post(&format!("/api/pay/{code}/confirm")).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        b,
        json!({ "success": true, "message": "Konfirmasi pembayaran berhasil dikirim", "order_id": order_id, "status": "awaiting_confirmation" })
    );
    // pressing again is harmless and writes no second event
    let (s, b) = app.public_post(&format!("/api/pay/{code}/confirm")).await;
    assert_eq!(s, 200);
    assert_eq!(b["status"], "awaiting_confirmation");
    let awaiting: i64 = app
        .db()
        .query_row(
            "SELECT COUNT(*) FROM order_events WHERE event = 'payment.awaiting_confirmation'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(awaiting, 1);

    let (s, b) = app
        .post(
            &format!("/api/qris/orders/{order_id}/verify"),
            json!({ "payer_name": "John Doe", "payer_note": "Pembayaran via OVO" }),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["success"], true);
    assert_eq!(b["message"], "Payment verified successfully");
    assert_eq!(b["order"]["order_id"], order_id.as_str());
    assert_eq!(b["order"]["amount"], 75000);
    assert_eq!(b["order"]["status"], "paid");
    assert_eq!(b["order"]["confirmed_by"], "api");
    assert!(b["order"]["paid_at"].as_str().unwrap().ends_with('Z'));

    let (s, b) = app
        .post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    assert_eq!(s, 400);
    assert_eq!(
        b,
        json!({ "success": false, "error": "Order already verified", "message": "This order has already been marked as paid." })
    );

    let (s, b) = app
        .post_empty(&format!("/api/qris/orders/{order_id}/cancel"))
        .await;
    assert_eq!(s, 400);
    assert_eq!(
        b,
        json!({ "success": false, "error": "Cannot cancel paid order", "message": "This order has already been verified as paid and cannot be cancelled." })
    );

    let (_, o) = app.get(&format!("/api/qris/orders/{order_id}")).await;
    assert_eq!(o["order"]["is_paid"], true);
    assert_eq!(o["order"]["payer_name"], "John Doe");
    // every change wrote its event: created, awaiting, confirmed
    let events: Vec<String> = {
        let db = app.db();
        let mut st = db
            .prepare("SELECT event FROM order_events ORDER BY id")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(
        events,
        [
            "order.created",
            "payment.awaiting_confirmation",
            "payment.confirmed"
        ]
    );
}

#[tokio::test]
async fn verify_works_straight_from_pending() {
    let app = TestApp::with_qris().await;
    let (order_id, _) = app.generate(1000).await;
    let (s, b) = app
        .post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["order"]["status"], "paid");
}

#[tokio::test]
async fn a_cancelled_order_cannot_be_confirmed_or_verified() {
    let app = TestApp::with_qris().await;
    let (order_id, code) = app.generate(1000).await;
    let (s, b) = app
        .post_empty(&format!("/api/qris/orders/{order_id}/cancel"))
        .await;
    assert_eq!(s, 200);
    assert_eq!(
        b,
        json!({ "success": true, "message": "Order cancelled successfully", "order": { "order_id": order_id, "status": "cancelled" } })
    );
    let (s, b) = app.public_post(&format!("/api/pay/{code}/confirm")).await;
    assert_eq!(s, 410, "{b}");
    assert_eq!(b["success"], false);
    let (s, _) = app
        .post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    assert_eq!(s, 410);
}

#[tokio::test]
async fn an_order_past_its_expiry_reads_as_expired_and_cannot_be_paid() {
    let app = TestApp::with_qris().await;
    let (order_id, code) = app.generate(1000).await;
    let (order_b, _) = app.generate(2000).await;
    // move the expiry into the past, as time would
    app.db()
        .execute(
            "UPDATE orders SET expires_at = expires_at - 2 * 86400000",
            [],
        )
        .unwrap();
    let (_, o) = app.get(&format!("/api/qris/orders/{order_id}")).await;
    assert_eq!(o["order"]["status"], "expired");
    assert_eq!(o["order"]["is_expired"], true);
    let (_, l) = app.get("/api/qris/orders?status=pending").await;
    assert_eq!(l["pagination"]["total"], 0);
    let (_, l) = app.get("/api/qris/orders?status=expired").await;
    assert_eq!(l["pagination"]["total"], 2);

    let (s, b) = app.public_post(&format!("/api/pay/{code}/confirm")).await;
    assert_eq!(s, 410, "{b}");
    let (s, _) = app
        .post_empty(&format!("/api/qris/orders/{order_b}/verify"))
        .await;
    assert_eq!(s, 410);
    // the sweeper writes the status and the event, once
    let mut written = 0;
    for _ in 0..50 {
        written = app
            .db()
            .query_row(
                "SELECT COUNT(*) FROM orders WHERE status = 'expired'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap();
        if written == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(written, 2);
    let events: i64 = app
        .db()
        .query_row(
            "SELECT COUNT(*) FROM order_events WHERE event = 'payment.expired'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(events, 2);
}

#[tokio::test]
async fn orders_list_filters_pages_and_counts() {
    let app = TestApp::with_qris().await;
    let mut ids = vec![];
    for i in 0..25 {
        ids.push(app.generate(1000 + i).await.0);
    }
    for id in &ids[..3] {
        app.post_empty(&format!("/api/qris/orders/{id}/verify"))
            .await;
    }
    let (s, b) = app.get("/api/qris/orders").await;
    assert_eq!(s, 200);
    assert_eq!(b["orders"].as_array().unwrap().len(), 20);
    assert_eq!(
        b["pagination"],
        json!({ "total": 25, "limit": 20, "offset": 0 })
    );
    // newest first
    assert_eq!(b["orders"][0]["order_id"], ids[24].as_str());
    let (_, b) = app
        .get("/api/qris/orders?status=paid&limit=2&offset=1")
        .await;
    assert_eq!(
        b["pagination"],
        json!({ "total": 3, "limit": 2, "offset": 1 })
    );
    assert_eq!(b["orders"].as_array().unwrap().len(), 2);
    let o = &b["orders"][0];
    for f in ["order_id", "title", "amount", "status", "is_paid"] {
        assert!(!o[f].is_null(), "{f}");
    }
    assert_eq!(o["status"], "paid");
    for (q, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=x", "limit"),
        ("offset=-1", "offset"),
        ("status=done", "status"),
    ] {
        let (s, b) = app.get(&format!("/api/qris/orders?{q}")).await;
        assert_eq!(s, 422, "{q}");
        assert_eq!(b["field"], field);
    }
    let (s, b) = app.get("/api/qris/orders/NOPE-1").await;
    assert_eq!(s, 404);
    assert_eq!(
        b,
        json!({ "success": false, "error": "Order not found", "message": "No order found with order_id \"NOPE-1\" for your account." })
    );
}

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
    let res = app
        .client
        .get(app.url(&format!("/p/{code}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    assert!(res.text().await.unwrap().contains("Sudah Bayar"));
    let (s, _) = app.public_post(&format!("/api/pay/{code}/view")).await;
    assert_eq!(s, 200);
    let (s, st) = TestApp::json(
        app.client
            .get(app.url(&format!("/api/pay/{code}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
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
    let (s, _) = app.delete(&format!("/api/qris/payment-link/{id}")).await;
    assert_eq!(s, 404);
    let (s, _) = app.delete("/api/qris/payment-link/abc").await;
    assert_eq!(s, 422);
    // a deleted link is gone for the customer, and its order is cancelled
    let res = app
        .client
        .get(app.url(&format!("/p/{code}")))
        .send()
        .await
        .unwrap();
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
        .update_settings(kasir::service::SettingsPatch {
            public_base_url: Some(Some("https://toko.example.com/".into())),
            ..Default::default()
        })
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
async fn usage_counts_per_endpoint_and_unlimited_keys_say_so() {
    let app = TestApp::with_qris().await;
    app.generate(1000).await;
    app.generate(1000).await;
    app.post("/api/qris/payment-link", json!({ "amount": 1000 }))
        .await;
    let (s, b) = app.get("/api/qris/usage").await;
    assert_eq!(s, 200);
    assert_eq!(b["tier"], "unlimited");
    assert_eq!(b["daily_limit"], serde_json::Value::Null);
    // upload, 2 generate, 1 payment-link, and this usage call
    assert_eq!(b["usage"]["today"]["total"], 5);
    let by = b["usage"]["today"]["by_endpoint"].as_array().unwrap();
    assert_eq!(
        by[0],
        json!({ "endpoint": "/qris/generate", "request_count": 2 })
    );
    assert!(by.contains(&json!({ "endpoint": "/qris/payment-link", "request_count": 1 })));
    assert_eq!(b["usage"]["this_month"]["total"], 5);
}

#[tokio::test]
async fn a_key_over_its_daily_limit_gets_429_with_retry_after() {
    let app = TestApp::with_qris().await;
    let (_, limited) = app.kasir.create_api_key("free", Some(50)).await.unwrap();
    let (_, small) = app.kasir.create_api_key("small", Some(2)).await.unwrap();
    for _ in 0..2 {
        let res = app
            .client
            .get(app.url("/api/qris/usage"))
            .header("X-API-Key", &small)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    let res = app
        .client
        .get(app.url("/api/qris/usage"))
        .header("X-API-Key", &small)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=86_400).contains(&retry));
    let (_, b) = TestApp::json(
        app.client
            .get(app.url("/api/qris/usage"))
            .header("X-API-Key", &limited)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(b["tier"], "free");
    assert_eq!(b["daily_limit"], 50);
    assert_eq!(b["usage"]["today"]["remaining"], 49);
}

#[tokio::test]
async fn render_draws_a_string_or_a_stored_qris() {
    let app = TestApp::with_qris().await;
    let (s, b) = app
        .post("/api/qris/render", json!({ "qris_string": static_qris() }))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["success"], true);
    assert!(b["qr_image"]
        .as_str()
        .unwrap()
        .starts_with("data:image/png;base64,"));
    let (_, q) = app.get("/api/qris/my-qris").await;
    let (s, _) = app
        .post(
            "/api/qris/render",
            json!({ "qris_data_id": q["qris"]["id"] }),
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = app
        .post("/api/qris/render", json!({ "qris_data_id": 999 }))
        .await;
    assert_eq!(s, 422);
    assert_eq!(b["field"], "qris_data_id");
    let (s, _) = app.post("/api/qris/render", json!({})).await;
    assert_eq!(s, 422);
    let (s, _) = app
        .post("/api/qris/render", json!({ "qris_string": "garbage" }))
        .await;
    assert_eq!(s, 422);
}

#[tokio::test]
async fn unknown_links_are_404_in_the_reference_shape() {
    let app = TestApp::spawn().await;
    for code in ["ABCDEFGH", "x", "ABCD%2F..%2F"] {
        let (s, b) = app.public_post(&format!("/api/pay/{code}/confirm")).await;
        assert_eq!(s, 404);
        assert_eq!(b["error"], "Link pembayaran tidak ditemukan");
    }
    let res = app.client.get(app.url("/p/ZZZZZZZZ")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let res = app
        .client
        .get(app.url("/api/nothing"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn the_payment_page_follows_the_order_live() {
    use futures_util::StreamExt;
    let app = TestApp::with_qris().await;
    let (order_id, code) = app.generate(1000).await;
    let res = app
        .client
        .get(app.url(&format!("/api/pay/{code}/events")))
        .send()
        .await
        .unwrap();
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

async fn upload_image(
    app: &TestApp,
    bytes: Vec<u8>,
    name: &str,
    mime: &str,
) -> (u16, serde_json::Value) {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap();
    let form = reqwest::multipart::Form::new().part("qris_image", part);
    TestApp::json(
        app.client
            .post(app.url("/api/qris/upload"))
            .header("X-API-Key", &app.key)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_photo_of_the_sticker_can_be_uploaded() {
    let app = TestApp::spawn().await;
    let path = shared_testdata().join("images/ahyaniayas_qris-dinamis__assets_qris-dana.png");
    let (s, b) = upload_image(&app, std::fs::read(path).unwrap(), "qris.png", "image/png").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["message"], "QRIS uploaded successfully");
    assert!(b["qris_string"].as_str().unwrap().starts_with("000201"));
    let (s, _) = app
        .post("/api/qris/generate", json!({ "amount": 15000 }))
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn bad_uploads_are_4xx_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (s, b) = upload_image(&app, b"just some text".to_vec(), "a.txt", "text/plain").await;
    assert_eq!(s, 415, "{b}");
    let (s, _) = upload_image(&app, vec![0x89; 11 * 1024 * 1024], "big.png", "image/png").await;
    assert_eq!(s, 413);
    // a PNG header claiming 20000x20000 pixels
    let mut bomb = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bomb, 20_000, 20_000);
        enc.set_depth(png::BitDepth::One);
        let mut w = enc.write_header().unwrap();
        let mut sw = w.stream_writer().unwrap();
        for _ in 0..20_000 {
            std::io::Write::write_all(&mut sw, &[0u8; 2500]).unwrap();
        }
        sw.finish().unwrap();
    }
    let (s, b) = upload_image(&app, bomb, "bomb.png", "image/png").await;
    assert_eq!(s, 413, "{b}");
    let good =
        std::fs::read(shared_testdata().join("images/akbarhabiby_go-qris__testdata_qris.png"))
            .unwrap();
    let (s, _) = upload_image(
        &app,
        good[..good.len() / 2].to_vec(),
        "cut.png",
        "image/png",
    )
    .await;
    assert_eq!(s, 422);
    // a QR that is not QRIS
    let png = kasir::qr_image::render_png("https://example.com/not-a-payment").unwrap();
    let (s, b) = upload_image(&app, png, "url.png", "image/png").await;
    assert_eq!(s, 422, "{b}");
    // an image with no QR at all
    let mut blank = Vec::new();
    image::GrayImage::from_pixel(100, 100, image::Luma([255]))
        .write_to(
            &mut std::io::Cursor::new(&mut blank),
            image::ImageFormat::Png,
        )
        .unwrap();
    let (s, _) = upload_image(&app, blank, "blank.png", "image/png").await;
    assert_eq!(s, 422);
    assert_eq!(app.count("static_qris"), 0);
}

#[tokio::test]
async fn request_counts_reach_the_database_within_seconds() {
    let app = TestApp::with_qris().await;
    for _ in 0..5 {
        let (s, _) = app.get("/api/qris/orders").await;
        assert_eq!(s, 200);
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let n: i64 = app
            .db()
            .query_row(
                "SELECT COALESCE(SUM(request_count), 0) FROM api_usage WHERE endpoint = '/qris/orders'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        if n == 5 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{n} of 5 written");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
