//! Limits per merchant (issue 18): what all clients together may do, so
//! order spam stays bounded even when every request names a new client.

use crate::support::*;
use kasir::service::Actor;
use kasir::service::SettingsPatch;
use reqwest::Method;
use serde_json::{json, Value};

/// A till behind a tunnel agent the merchant trusts to name the client, so
/// each request below is a different customer as far as the per-address
/// limits know.
async fn behind_a_trusted_tunnel(patch: SettingsPatch) -> (TestApp, String) {
    let app = TestApp::with_qris().await;
    app.kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                trusted_proxy: Some("loopback".into()),
                ..patch
            },
        )
        .await
        .unwrap();
    let merchant = app.kasir.merchant_id().await.unwrap();
    (app, merchant)
}

async fn as_customer(
    app: &TestApp,
    i: usize,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value, bool) {
    let mut req = app.public_request(method, path).header(
        "x-forwarded-for",
        format!("198.51.{}.{}", i / 250, i % 250 + 1),
    );
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let retry_after = res.headers().contains_key("retry-after");
    let (s, b) = Api::json(res).await;
    (s, b, retry_after)
}

#[tokio::test]
async fn widget_payments_a_minute_are_capped_for_the_shop_whoever_asks() {
    let (app, m) = behind_a_trusted_tunnel(SettingsPatch::default()).await;
    let path = format!("/api/widget/{m}/payments");
    let mut made = 0;
    let mut refused = None;
    for i in 0..40 {
        let (s, b, retry_after) = as_customer(
            &app,
            i,
            Method::POST,
            &path,
            Some(json!({ "amount": 1000 })),
        )
        .await;
        match s {
            201 => made += 1,
            429 => {
                assert!(retry_after, "{b}");
                refused.get_or_insert(b);
            }
            _ => panic!("{s}: {b}"),
        }
    }
    assert_eq!(made, 30, "the default: 30 a minute");
    let b = refused.unwrap();
    assert_eq!(b["success"], false);
    assert!(b["message"].as_str().unwrap().contains("coba lagi"), "{b}");
    assert_eq!(app.count("orders"), 30);
}

#[tokio::test]
async fn open_widget_payments_are_capped_also_when_they_arrive_together() {
    let (app, m) = behind_a_trusted_tunnel(SettingsPatch {
        widget_open_orders_max: Some(5),
        widget_payments_per_minute: Some(1000),
        ..Default::default()
    })
    .await;
    let path = format!("/api/widget/{m}/payments");
    let answers = futures_util::future::join_all((0..12).map(|i| {
        as_customer(
            &app,
            i,
            Method::POST,
            &path,
            Some(json!({ "amount": 1000 + i })),
        )
    }))
    .await;
    let made: Vec<&Value> = answers
        .iter()
        .filter(|a| a.0 == 201)
        .map(|a| &a.1)
        .collect();
    assert_eq!(made.len(), 5, "{answers:?}");
    assert!(
        answers.iter().all(|a| a.0 == 201 || a.0 == 429),
        "{answers:?}"
    );
    assert_eq!(app.count("orders"), 5);
    // orders made with a key are the merchant's own, not counted
    app.generate(2000).await;
    // one paid or cancelled makes room for the next customer
    let order_id = made[0]["payment"]["order_id"].as_str().unwrap();
    let (s, b) = app
        .post_empty(&format!("/api/qris/orders/{order_id}/cancel"))
        .await;
    assert_eq!(s, 200, "{b}");
    let (s, b, _) = as_customer(
        &app,
        99,
        Method::POST,
        &path,
        Some(json!({ "amount": 777 })),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let (s, _, _) = as_customer(
        &app,
        100,
        Method::POST,
        &path,
        Some(json!({ "amount": 778 })),
    )
    .await;
    assert_eq!(s, 429);
}

/// Found in review: a payment refused by the open-order cap used to spend the
/// per-minute budget too, so the shop stayed shut after room was made.
#[tokio::test]
async fn a_payment_refused_by_the_open_cap_does_not_spend_the_minutes_budget() {
    let (app, m) = behind_a_trusted_tunnel(SettingsPatch {
        widget_open_orders_max: Some(1),
        widget_payments_per_minute: Some(3),
        ..Default::default()
    })
    .await;
    let path = format!("/api/widget/{m}/payments");
    let mut statuses = vec![];
    let mut first = None;
    for i in 0..4 {
        let (s, b, _) = as_customer(
            &app,
            i,
            Method::POST,
            &path,
            Some(json!({ "amount": 1000 })),
        )
        .await;
        statuses.push(s);
        first = first.or(b["payment"]["order_id"].as_str().map(String::from));
    }
    assert_eq!(statuses, [201, 429, 429, 429]);
    let (s, b) = app
        .post_empty(&format!("/api/qris/orders/{}/cancel", first.unwrap()))
        .await;
    assert_eq!(s, 200, "{b}");
    let (s, b, _) = as_customer(
        &app,
        9,
        Method::POST,
        &path,
        Some(json!({ "amount": 1000 })),
    )
    .await;
    assert_eq!(s, 201, "one payment made this minute, of 3: {b}");
}

#[tokio::test]
async fn sudah_bayar_presses_a_minute_are_capped_and_repeats_are_free() {
    let (app, _) = behind_a_trusted_tunnel(SettingsPatch {
        customer_confirmations_per_minute: Some(3),
        ..Default::default()
    })
    .await;
    let mut codes = Vec::new();
    for i in 0..5 {
        codes.push(app.generate(1000 + i).await.1);
    }
    let mut statuses = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let path = format!("/api/pay/{code}/confirm");
        statuses.push(as_customer(&app, i, Method::POST, &path, None).await.0);
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    // pressing again on an order already waiting changes nothing, and is answered
    let again = format!("/api/pay/{}/confirm", codes[0]);
    assert_eq!(
        as_customer(&app, 7, Method::POST, &again, None).await.0,
        200
    );
    assert_eq!(
        app.number("SELECT COUNT(*) FROM orders WHERE status = 'awaiting_confirmation'"),
        3
    );
}

#[tokio::test]
async fn the_limits_are_settings_with_a_range() {
    let app = TestApp::spawn().await;
    let s = app.kasir.settings().await.unwrap();
    assert_eq!(
        (
            s.widget_payments_per_minute,
            s.widget_open_orders_max,
            s.customer_confirmations_per_minute
        ),
        (30, 100, 60)
    );
    for (field, patch) in [
        (
            "widget_payments_per_minute",
            SettingsPatch {
                widget_payments_per_minute: Some(0),
                ..Default::default()
            },
        ),
        (
            "widget_open_orders_max",
            SettingsPatch {
                widget_open_orders_max: Some(-1),
                ..Default::default()
            },
        ),
        (
            "customer_confirmations_per_minute",
            SettingsPatch {
                customer_confirmations_per_minute: Some(1_000_000),
                ..Default::default()
            },
        ),
    ] {
        let e = app
            .kasir
            .update_settings(&Actor::Console, patch)
            .await
            .unwrap_err();
        assert_eq!(e.field(), Some(field), "{e}");
    }
}
