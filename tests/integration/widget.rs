//! The widget's public endpoints under bad input and abuse, and how
//! `/widget.js` is served.

use crate::support::*;
use kasir::service::Actor;
use reqwest::Method;
use serde_json::{json, Value};

async fn merchant(app: &TestApp) -> String {
    app.kasir.merchant_id().await.unwrap()
}

#[tokio::test]
async fn widget_js_is_small_cacheable_and_versioned() {
    let app = TestApp::spawn().await;
    let res = app.public_fetch("/widget.js").await;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "text/javascript; charset=utf-8");
    assert!(h["cache-control"].to_str().unwrap().contains("max-age"));
    let etag = h["etag"].to_str().unwrap().to_string();
    assert!(etag.starts_with(&format!("\"{}-", env!("CARGO_PKG_VERSION"))));
    let body = res.text().await.unwrap();
    assert!(body.len() <= 15 * 1024, "{} bytes", body.len());
    let again = app
        .public_request(Method::GET, "/widget.js")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn the_merchant_id_is_stable_and_unknown_ones_are_404() {
    let app = TestApp::with_qris().await;
    let m = merchant(&app).await;
    assert!(m.starts_with("m_") && m.len() == 18, "{m}");
    assert_eq!(merchant(&app).await, m);
    let (s, b) = app.get(&format!("/api/widget/{m}")).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["max_amount"], 10_000_000);
    assert!(b["merchant_name"].is_string());
    for path in [
        "/api/widget/m_nope".to_string(),
        "/api/widget/m_nope/payments/ABCDEFGH".to_string(),
    ] {
        let (s, b) = app.get(&path).await;
        assert_eq!(s, 404, "{path}: {b}");
    }
    let (s, b) = app
        .public_post_json("/api/widget/m_nope/payments", json!({ "amount": 1000 }))
        .await;
    assert_eq!(s, 404, "{b}");
    assert_eq!(b["error"], "Merchant not found");
    assert_eq!(app.count("orders"), 0);
}

#[tokio::test]
async fn bad_widget_input_is_refused_naming_the_field() {
    let app = TestApp::with_qris().await;
    let path = format!("/api/widget/{}/payments", merchant(&app).await);
    let cases = [
        (json!({ "amount": 0 }), "amount"),
        (json!({ "amount": -5000 }), "amount"),
        (json!({ "amount": 10_000_001 }), "amount"),
        (json!({ "amount": "lima puluh" }), "amount"),
        (json!({ "amount": 1.5 }), "amount"),
        (json!({}), "amount"),
        (
            json!({ "amount": 1000, "description": "x".repeat(10 * 1024) }),
            "description",
        ),
        (
            json!({ "amount": 1000, "callback_url": "javascript:alert(1)" }),
            "callback_url",
        ),
        (
            json!({ "amount": 1000, "callback_url": "data:text/html,hi" }),
            "callback_url",
        ),
        (
            json!({ "amount": 1000, "webhook_url": "file:///etc/passwd" }),
            "webhook_url",
        ),
    ];
    for (body, field) in cases {
        let (s, b) = app.public_post_json(&path, body.clone()).await;
        assert_eq!(s, 422, "{body}: {b}");
        assert_eq!(b["field"], field, "{body}: {b}");
    }
    let (s, _) = app.public_post_json(&path, json!([1, 2])).await;
    assert_eq!(s, 400);
    // a body over the widget's 16 KB is refused before it is read
    let (s, _) = app
        .public_post_json(
            &path,
            json!({ "amount": 1, "description": "x".repeat(20_000) }),
        )
        .await;
    assert_eq!(s, 413);
    assert_eq!(app.count("orders"), 0, "nothing half-written");
}

#[tokio::test]
async fn the_merchants_limit_and_allow_list_apply() {
    let app = TestApp::with_qris().await;
    let m = merchant(&app).await;
    let path = format!("/api/widget/{m}/payments");
    app.kasir
        .update_settings(
            &Actor::Console,
            kasir::service::SettingsPatch {
                widget_max_amount: Some(100_000),
                widget_webhook_allowlist: Some(vec!["https://shop.example/hooks/".into()]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (s, b) = app
        .public_post_json(&path, json!({ "amount": 100_001 }))
        .await;
    assert_eq!(s, 422, "{b}");
    assert!(b["message"].as_str().unwrap().contains("100000"));

    // off the allow-list: made, but the URL is not used, and the answer says so
    let (s, b) = app
        .public_post_json(
            &path,
            json!({ "amount": 100_000, "webhook_url": "http://169.254.169.254/latest" }),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["webhook_ignored"], true);
    assert!(b["warning"].as_str().unwrap().contains("allow-list"));
    let o = app
        .kasir
        .order(b["payment"]["order_id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(o.webhook_url, None);
    assert_eq!(o.source, kasir::model::OrderSource::Widget);

    // on it: used
    let (s, b) = app
        .public_post_json(
            &path,
            json!({
                "amount": 5000, "description": "Donasi",
                "webhook_url": "https://shop.example/hooks/kasir",
                "callback_url": "https://shop.example/thanks"
            }),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["webhook_ignored"], false);
    let p = &b["payment"];
    assert!(p["qr_image"]
        .as_str()
        .unwrap()
        .starts_with("data:image/png;base64,"));
    assert_eq!(p["total_amount"], 5000);
    let o = app
        .kasir
        .order(p["order_id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        o.webhook_url.as_deref(),
        Some("https://shop.example/hooks/kasir")
    );
    // and it can be followed, but only through this merchant's widget routes
    let code = p["link_code"].as_str().unwrap();
    let (s, b) = app.get(&format!("/api/widget/{m}/payments/{code}")).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["payment"]["status"], "pending");
    // the shareable page of a widget payment never redirects: the merchant ID
    // is public, so its callback must not turn the merchant's address into a
    // redirect to anywhere (the widget follows data-callback on the shop's page)
    let (s, st) = app.get(&format!("/api/pay/{code}")).await;
    assert_eq!(s, 200, "{st}");
    assert_eq!(st["callback_url"], Value::Null);
    let (other, other_code) = app.generate(1000).await;
    let _ = other;
    let (s, _) = app
        .get(&format!("/api/widget/{m}/payments/{other_code}"))
        .await;
    assert_eq!(s, 404, "an API order is not a widget payment");
}

#[tokio::test]
async fn cors_is_open_on_widget_routes_only() {
    let app = TestApp::with_qris().await;
    let m = merchant(&app).await;
    let preflight = |path: String| {
        app.public_request(Method::OPTIONS, &path)
            .header("origin", "https://shop.example")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    for path in [
        format!("/api/widget/{m}/payments"),
        "/api/pay/ABCDEFGH/confirm".to_string(),
    ] {
        let r = preflight(path.clone()).await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers();
        for (name, value) in [
            ("access-control-allow-origin", "*"),
            ("access-control-allow-methods", "GET,POST"),
            ("access-control-allow-headers", "content-type"),
            ("access-control-max-age", "600"),
        ] {
            assert_eq!(h[name], value, "{path}: {name}");
        }
    }
    let r = app
        .public_request(Method::POST, &format!("/api/widget/{m}/payments"))
        .header("origin", "https://shop.example")
        .json(&json!({ "amount": 1000 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let r = preflight("/api/qris/generate".into()).await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let r = app
        .request(Method::GET, "/api/qris/orders")
        .header("origin", "https://shop.example")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn a_burst_of_payments_from_one_address_is_limited() {
    let app = TestApp::with_qris().await;
    let path = format!("/api/widget/{}/payments", merchant(&app).await);
    let mut statuses = vec![];
    for _ in 0..25 {
        statuses.push(app.public_post_json(&path, json!({ "amount": 1000 })).await);
    }
    let made = statuses.iter().filter(|(s, _)| *s == 201).count();
    assert_eq!(made, 20, "20 a minute per address");
    let (s, b) = statuses.last().unwrap();
    assert_eq!(*s, 429, "{b}");
    let r = app
        .public_request(Method::POST, &path)
        .json(&json!({ "amount": 1000 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(app.count("orders"), 20);
}

/// A tunnel agent connects from this machine for every customer and, once the
/// merchant trusts it (`--trusted-proxy loopback`), names the customer in
/// `X-Forwarded-For`: each customer keeps their own limit, and
/// writing someone else's address into the header doesn't buy a fresh one.
#[tokio::test]
async fn customers_behind_a_tunnel_are_limited_one_by_one() {
    let app = TestApp::with_qris().await;
    app.kasir
        .update_settings(
            &Actor::Console,
            kasir::service::SettingsPatch {
                trusted_proxy: Some("loopback".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let path = format!("/api/widget/{}/payments", merchant(&app).await);
    let pay = |xff: String| {
        let req = app
            .public_request(Method::POST, &path)
            .header("x-forwarded-for", xff)
            .json(&json!({ "amount": 1000 }));
        async move { req.send().await.unwrap().status().as_u16() }
    };
    for i in 0..20 {
        // the customer makes up the left part; the tunnel appends what it saw
        assert_eq!(pay(format!("198.51.100.{i}, 203.0.113.7")).await, 201);
    }
    assert_eq!(pay("198.51.100.99, 203.0.113.7".into()).await, 429);
    // another customer through the same tunnel is not held back by the first
    assert_eq!(pay("203.0.113.8".into()).await, 201);
    assert_eq!(app.count("orders"), 21);
}

/// Until the merchant trusts a proxy, a header the client writes itself buys
/// nothing: rotating `X-Forwarded-For` from loopback still meets the limit.
#[tokio::test]
async fn a_rotating_forwarded_header_is_not_believed_by_default() {
    let app = TestApp::with_qris().await;
    let path = format!("/api/widget/{}/payments", merchant(&app).await);
    let mut statuses = Vec::new();
    for i in 0..25 {
        let res = app
            .public_request(Method::POST, &path)
            .header("x-forwarded-for", format!("203.0.113.{i}"))
            .json(&json!({ "amount": 1000 }))
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        20,
        "{statuses:?}"
    );
    assert_eq!(statuses[20..], [429; 5]);
    assert_eq!(app.count("orders"), 20);
}
