//! Where webhooks may go (issue 18): what is refused when a URL is given,
//! what is refused when it is sent, and whose answers are shown.

use super::{app_with, fast, link, until};
use crate::support::receiver::{Receiver, Reply};
use crate::support::*;
use kasir::service::Actor;
use kasir::service::SettingsPatch;
use kasir::webhook::WebhookConfig;
use serde_json::json;

async fn set(app: &TestApp, patch: SettingsPatch) {
    app.kasir
        .update_settings(&Actor::Console, patch)
        .await
        .unwrap();
}

/// The till behind a tunnel: the API is reachable beyond this computer.
async fn behind_a_tunnel(app: &TestApp) {
    set(
        app,
        SettingsPatch {
            public_base_url: Some(Some("https://toko.example".into())),
            ..Default::default()
        },
    )
    .await;
}

async fn refused_at_create(app: &TestApp, url: &str) -> String {
    let (s, b) = app
        .post(
            "/api/qris/payment-link",
            json!({ "amount": 25000, "description": "x", "webhook_url": url }),
        )
        .await;
    assert_eq!(s, 422, "{url}: {b}");
    assert_eq!(b["field"], "webhook_url", "{url}: {b}");
    let (s, b) = app
        .post(
            "/api/qris/generate",
            json!({ "amount": 25000, "webhook_url": url }),
        )
        .await;
    assert_eq!(s, 422, "{url}: {b}");
    assert_eq!(b["field"], "webhook_url", "{url}: {b}");
    b["message"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn metadata_and_kasirs_own_api_are_refused_when_given_whatever_the_settings() {
    let app = app_with(fast()).await;
    let (victim_order, victim) = app.generate(1000).await;
    for url in [
        "http://169.254.169.254/latest/meta-data/".to_string(),
        "http://[fe80::1]:8080/hook".to_string(),
        "http://[::ffff:169.254.169.254]/".to_string(),
        app.url(&format!("/api/pay/{victim}/confirm")),
        app.url("/api/qris/orders")
            .replace("127.0.0.1", "localhost"),
    ] {
        let msg = refused_at_create(&app, &url).await;
        assert!(msg.contains("refused"), "{url}: {msg}");
    }
    let (s, b) = app
        .post(
            "/api/qris/webhooks/test",
            json!({ "url": app.url("/api/qris/orders") }),
        )
        .await;
    assert_eq!((s, b["field"].as_str()), (422, Some("url")), "{b}");
    // not even the merchant can aim the default there
    let e = app
        .kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                default_webhook_url: Some(Some("http://169.254.169.254/".into())),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("default_webhook_url"), "{e}");
    assert_eq!(app.count("orders"), 1, "nothing stored but the victim");
    let (_, b) = app.get(&format!("/api/qris/orders/{victim_order}")).await;
    assert_eq!(b["order"]["status"], "pending");
}

#[tokio::test]
async fn behind_a_tunnel_every_spelling_of_a_private_address_is_refused_when_given() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    let port = rx.addr.port();
    // allowed while the API is on this computer only: the merchant's own receiver
    link(&app, &rx.url, "local").await;
    behind_a_tunnel(&app).await;
    for host in [
        "127.0.0.1".to_string(),
        "[::ffff:127.0.0.1]".into(),
        "[::1]".into(),
        "2130706433".into(),
        "127.1".into(),
        "0177.0.0.1".into(),
        "0x7f.0.0.1".into(),
        "localhost".into(),
        "LocalHost.".into(),
        "api.localhost".into(),
        "10.0.0.5".into(),
        "192.168.1.20".into(),
        "172.16.0.1".into(),
        "100.64.0.1".into(),
        "[fd00::1]".into(),
    ] {
        let url = format!("http://{host}:{port}/hook");
        let msg = refused_at_create(&app, &url).await;
        assert!(msg.contains("private"), "{url}: {msg}");
    }
    let (s, b) = app
        .post("/api/qris/webhooks/test", json!({ "url": rx.url }))
        .await;
    assert_eq!((s, b["field"].as_str()), (422, Some("url")), "{b}");
    assert!(rx.hits().is_empty(), "nothing was sent");

    // a public name is checked when sent, not refused when given
    let (s, b) = app
        .post(
            "/api/qris/generate",
            json!({ "amount": 1000, "webhook_url": "https://hooks.example.com/x" }),
        )
        .await;
    assert_eq!(s, 200, "{b}");

    // the merchant can still name their own LAN receiver: as the default,
    // or by allowing private receivers
    set(
        &app,
        SettingsPatch {
            default_webhook_url: Some(Some(rx.url.clone())),
            ..Default::default()
        },
    )
    .await;
    let (order_id, code) = link(&app, &rx.url, "chosen").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    until(&app, &order_id, |d| d[0]["status"] == "delivered").await;
    // naming one URL on a LAN box opens that URL, not the rest of the box
    let elsewhere = format!("http://127.0.0.1:{port}/admin/config");
    let (s, b) = app
        .post("/api/qris/webhooks/test", json!({ "url": elsewhere }))
        .await;
    assert_eq!((s, b["field"].as_str()), (422, Some("url")), "{b}");
    refused_at_create(&app, &elsewhere).await;
    let hits = rx.hits().len();
    let (s, b) = app
        .post("/api/qris/webhooks/test", json!({ "url": rx.url }))
        .await;
    assert_eq!((s, b["success"].as_bool()), (200, Some(true)), "{b}");
    assert_eq!(rx.hits().len(), hits + 1);
    set(
        &app,
        SettingsPatch {
            default_webhook_url: Some(None),
            webhook_private_receivers: Some("allow".into()),
            ..Default::default()
        },
    )
    .await;
    link(&app, "http://192.168.1.20:8080/hook", "allowed").await;
    let e = app
        .kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                webhook_private_receivers: Some("sometimes".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("webhook_private_receivers"), "{e}");
}

#[tokio::test]
async fn a_delivery_the_policy_refuses_when_sent_fails_at_once() {
    // the default schedule: a refusal must not wait out 24 hours of retries
    let app = app_with(WebhookConfig {
        poll_interval: fast().poll_interval,
        ..WebhookConfig::default()
    })
    .await;
    let rx = Receiver::start().await;
    // given while allowed, refused by the time it is sent
    let (by_address, code_a) = link(&app, &rx.url, "address").await;
    let by_name = hostname_on_this_machine().map(|h| rx.url.replace("127.0.0.1", &h));
    let named = match &by_name {
        Some(url) => Some(link(&app, url, "name").await),
        None => None,
    };
    set(
        &app,
        SettingsPatch {
            webhook_private_receivers: Some("block".into()),
            ..Default::default()
        },
    )
    .await;
    let mut orders = vec![(by_address, code_a)];
    orders.extend(named);
    for (order_id, code) in &orders {
        app.public_post(&format!("/api/pay/{code}/confirm")).await;
        let log = until(&app, order_id, |d| d[0]["status"] == "failed").await;
        assert_eq!(log[0]["attempt_count"], 1, "{}", log[0]);
        assert!(log[0]["next_attempt_at"].is_null());
        let why = log[0]["last_error"].as_str().unwrap();
        assert!(
            why.contains("not retried") && why.contains("private"),
            "{why}"
        );
    }
    assert_eq!(orders.len(), 1 + by_name.is_some() as usize);
    assert!(rx.hits().is_empty(), "the receiver was never connected to");
}

/// A name this machine resolves to one of its own private addresses (its
/// host name), when it has one: a name the URL check can't see through.
fn hostname_on_this_machine() -> Option<String> {
    use std::net::ToSocketAddrs;
    let name = std::fs::read_to_string("/etc/hostname").ok()?;
    let name = name.trim().to_string();
    let addrs: Vec<_> = (name.as_str(), 80).to_socket_addrs().ok()?.collect();
    let loopback_only = !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback());
    // the receiver listens on 127.0.0.1, so only a loopback name reaches it
    loopback_only.then_some(name)
}

#[tokio::test]
async fn a_private_receivers_answer_is_shown_only_when_the_merchant_named_it() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    rx.set_default(Reply::Full(200, vec![], "internal secret".into()));
    let (s, b) = app
        .post("/api/qris/webhooks/test", json!({ "url": rx.url }))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status_code"], 200);
    assert!(
        b["delivery"]["attempts"][0]["response_body"].is_null(),
        "{b}"
    );
    assert!(!b.to_string().contains("internal secret"), "{b}");
    let (order_id, code) = link(&app, &rx.url, "answer").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    let log = until(&app, &order_id, |d| d[0]["status"] == "delivered").await;
    assert!(
        log[0]["attempts"][0]["response_body"].is_null(),
        "{}",
        log[0]
    );

    set(
        &app,
        SettingsPatch {
            default_webhook_url: Some(Some(rx.url.clone())),
            ..Default::default()
        },
    )
    .await;
    let (_, b) = app
        .post("/api/qris/webhooks/test", json!({ "url": rx.url }))
        .await;
    assert_eq!(
        b["delivery"]["attempts"][0]["response_body"], "internal secret",
        "{b}"
    );
}

/// Found in review: the till whose port is taken still runs the webhook worker
/// on the same data directory as the `kasir serve` that listens on the LAN.
/// That worker must know the API is exposed, and where Kasir listens.
#[tokio::test]
async fn a_worker_in_another_process_knows_where_the_api_listens() {
    let dir = tempfile::tempdir().unwrap();
    let server = kasir::service::Kasir::open(dir.path()).unwrap();
    let on_lan: std::net::SocketAddr = "0.0.0.0:18080".parse().unwrap();
    server.set_listening(Some(on_lan));
    let worker = kasir::service::Kasir::open(dir.path()).unwrap();
    let read = || worker.db().read(kasir::store::webhook_policy_inputs);
    let inputs = read().await.unwrap();
    assert!(inputs.exposed);
    assert_eq!(inputs.listening, Some(on_lan));
    server.set_listening(Some("127.0.0.1:18080".parse().unwrap()));
    assert!(!read().await.unwrap().exposed);
}
