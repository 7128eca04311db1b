//! Orders through the reference API: made, paid, cancelled, expired, listed.

use crate::support::*;
use serde_json::json;

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
    // the stored static QRIS made dynamic: amount and fee written in
    let dynamic = qris::to_dynamic(
        &static_qris(),
        &qris::DynamicRequest {
            amount: 50000,
            fee: Some(qris::Fee::Rupiah(1000)),
            reference: None,
        },
    )
    .unwrap();
    assert_eq!(payload, dynamic);
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
    // a day after it was made (the default expiry), to the millisecond
    let (created, expires): (i64, i64) = app
        .db()
        .query_row(
            "SELECT created_at, expires_at FROM orders WHERE order_id = 'INV-2025-001'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(expires - created, 24 * 60 * 60 * 1000);
    assert_eq!(b["expires_at"], kasir::clock::rfc3339(expires));
    assert_eq!(link["expires_at"], b["expires_at"]);

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
        (
            json!({}),
            "amount",
            "amount is required: the payment in whole rupiah, e.g. 50000",
        ),
        (
            json!({ "amount": 0 }),
            "amount",
            "amount must be at least 1 rupiah, got 0",
        ),
        (
            json!({ "amount": -5 }),
            "amount",
            "amount must be at least 1 rupiah, got -5",
        ),
        (
            json!({ "amount": 10_000_000_000_000u64 }),
            "amount",
            "amount must be at most 9999999999999 (13 digits), got 10000000000000",
        ),
        (json!({ "amount": 1e300 }), "amount", "amount is too large"),
        (
            json!({ "amount": 100.5 }),
            "amount",
            "amount must be a whole number of rupiah, got 100.5",
        ),
        (
            json!({ "amount": "abc" }),
            "amount",
            "amount must be a number, got a string",
        ),
        (
            json!({ "amount": true }),
            "amount",
            "amount must be a number, got a boolean",
        ),
        (
            json!({ "amount": [1] }),
            "amount",
            "amount must be a number, got an array",
        ),
        (
            json!({ "amount": 5000, "order_id": "A".repeat(31) }),
            "order_id",
            "order_id must be at most 30 characters, got 31",
        ),
        (
            json!({ "amount": 5000, "order_id": "inv 1" }),
            "order_id",
            "order_id may contain only letters, digits, '-', '_' and '.'",
        ),
        (
            json!({ "amount": 5000, "fee_type": "dollar", "fee_value": 5 }),
            "fee_type",
            "fee_type must be \"rupiah\" or \"percent\", got \"dollar\"",
        ),
        (
            json!({ "amount": 5000, "fee_type": "percent", "fee_value": 150 }),
            "fee_value",
            "fee_value must be between 0.01 and 99.99 with at most two decimals for a percent fee, got 150",
        ),
        (
            json!({ "amount": 5000, "fee_type": "percent", "fee_value": 1.234 }),
            "fee_value",
            "fee_value must be between 0.01 and 99.99 with at most two decimals for a percent fee, got 1.234",
        ),
        (
            json!({ "amount": 5000, "fee_type": "rupiah", "fee_value": 10.5 }),
            "fee_value",
            "fee_value must be a whole number of rupiah for a rupiah fee, got 10.5",
        ),
        (
            json!({ "amount": 5000, "qris_id": 999 }),
            "qris_id",
            "qris_id 999 does not match any stored static QRIS",
        ),
        (
            json!({ "amount": 5000, "webhook_url": "javascript:alert(1)" }),
            "webhook_url",
            "webhook_url must be an http:// or https:// URL",
        ),
        (
            json!({ "amount": 5000, "callback_url": "not a url" }),
            "callback_url",
            "callback_url is not a valid URL: relative URL without a base",
        ),
        // 10 KB is under the body limit: the field's own limit answers
        (
            json!({ "amount": 5000, "description": "x".repeat(10_000) }),
            "description",
            "description must be at most 500 characters",
        ),
    ];
    for (body, field, message) in cases {
        let (s, b) = app.post("/api/qris/generate", body.clone()).await;
        assert_eq!(
            (s, b),
            (
                422,
                json!({ "success": false, "code": "invalid_field", "error": "Invalid field", "field": field, "message": message })
            ),
            "{body}"
        );
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
    assert_eq!(
        b,
        json!({ "success": false, "code": "no_static_qris", "error": "No QRIS found", "message": "No QRIS found. Please upload your static QRIS first (only needed once)." })
    );
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
    assert_eq!(
        b,
        json!({ "success": false, "code": "duplicate_order_id", "error": "Duplicate order_id", "field": "order_id", "message": "order_id \"INV-1\" is already used by another order" })
    );
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
    let awaiting = app
        .number("SELECT COUNT(*) FROM order_events WHERE event = 'payment.awaiting_confirmation'");
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
        json!({ "success": false, "code": "already_verified", "error": "Order already verified", "message": "This order has already been marked as paid." })
    );

    let (s, b) = app
        .post_empty(&format!("/api/qris/orders/{order_id}/cancel"))
        .await;
    assert_eq!(s, 400);
    assert_eq!(
        b,
        json!({ "success": false, "code": "cannot_cancel_paid", "error": "Cannot cancel paid order", "message": "This order has already been verified as paid and cannot be cancelled." })
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
    assert_eq!(
        b,
        json!({ "success": false, "code": "order_closed", "error": "Order cancelled", "message": "Pembayaran ini sudah dibatalkan." })
    );
    let (s, b) = app
        .post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    assert_eq!(s, 410);
    assert_eq!(
        b,
        json!({ "success": false, "code": "order_closed", "error": "Order cancelled", "message": format!("Order \"{order_id}\" was cancelled and cannot be verified.") })
    );
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
        written = app.number("SELECT COUNT(*) FROM orders WHERE status = 'expired'");
        if written == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(written, 2);
    let events = app.number("SELECT COUNT(*) FROM order_events WHERE event = 'payment.expired'");
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
        json!({ "success": false, "code": "not_found", "error": "Order not found", "message": "No order found with order_id \"NOPE-1\" for your account." })
    );
}
