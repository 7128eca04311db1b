//! Webhook delivery against real receivers on loopback: retries, failures,
//! forbidden destinations and the delivery log.

use crate::support::receiver::{Receiver, Reply};
use crate::support::*;
use kasir::service::Actor;
use kasir::webhook::WebhookConfig;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

mod address_policy;
mod restarts;
mod signing;

const WAIT: Duration = Duration::from_secs(10);

/// The production rules with the waits shortened, so retries happen in a test.
pub(crate) fn fast() -> WebhookConfig {
    WebhookConfig {
        retry_schedule: vec![Duration::from_millis(200); 3],
        give_up_after: Duration::from_secs(60),
        attempt_timeout: Duration::from_secs(2),
        poll_interval: Duration::from_millis(100),
        ..WebhookConfig::default()
    }
}

pub(crate) async fn app_with(config: WebhookConfig) -> TestApp {
    let app = TestApp::spawn_with(config).await;
    app.import_qris().await;
    app
}

/// A payment link whose webhooks go to `url`; returns (order_id, link_code).
pub(crate) async fn link(app: &Api, url: &str, description: &str) -> (String, String) {
    let (s, b) = app
        .post(
            "/api/qris/payment-link",
            json!({ "amount": 25000, "description": description, "webhook_url": url }),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    (
        b["payment_link"]["order_id"].as_str().unwrap().into(),
        b["payment_link"]["link_code"].as_str().unwrap().into(),
    )
}

async fn deliveries(app: &Api, query: &str) -> Vec<Value> {
    let (s, b) = app
        .get(&format!("/api/qris/webhooks/deliveries{query}"))
        .await;
    assert_eq!(s, 200, "{b}");
    b["deliveries"].as_array().unwrap().clone()
}

/// Poll the log until `pred` holds for the order's deliveries.
pub(crate) async fn until(
    app: &Api,
    order_id: &str,
    pred: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = Instant::now() + WAIT;
    loop {
        let d = deliveries(app, &format!("?order_id={order_id}")).await;
        if pred(&d) {
            return d;
        }
        assert!(Instant::now() < deadline, "log never got there: {d:#?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_500_is_retried_with_the_same_id_and_the_retry_number() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    rx.script([Reply::Status(500), Reply::Status(503)]);
    let (order_id, code) = link(&app, &rx.url, "retry").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    let hits = rx.wait_for(3, WAIT).await;
    let ids: Vec<_> = hits.iter().map(|h| h.header("webhook-id")).collect();
    assert!(ids.iter().all(|i| *i == ids[0]), "{ids:?}");
    assert_eq!(hits[0].header("x-temanqris-retry"), None);
    assert_eq!(hits[1].header("x-temanqris-retry").as_deref(), Some("1"));
    assert_eq!(hits[2].header("x-temanqris-retry").as_deref(), Some("2"));
    assert!(
        hits.iter().all(|h| h.body == hits[0].body),
        "same bytes each time"
    );
    let log = until(&app, &order_id, |d| d[0]["status"] == "delivered").await;
    let codes: Vec<_> = log[0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].clone())
        .collect();
    assert_eq!(codes, [json!(500), json!(503), json!(200)]);
    assert_eq!(log[0]["attempt_count"], 3);
}

#[tokio::test]
async fn a_timeout_counts_as_a_failed_attempt() {
    let app = app_with(WebhookConfig {
        attempt_timeout: Duration::from_millis(500),
        ..fast()
    })
    .await;
    let rx = Receiver::start().await;
    rx.script([Reply::Hang]);
    let (order_id, code) = link(&app, &rx.url, "timeout").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    let log = until(&app, &order_id, |d| d[0]["status"] == "delivered").await;
    let a = &log[0]["attempts"];
    assert!(a[0]["status_code"].is_null());
    assert!(a[0]["error"].as_str().unwrap().contains("timed out"), "{a}");
    assert!(a[0]["duration_ms"].as_i64().unwrap() >= 450);
    assert_eq!(a[1]["status_code"], 200);
}

#[tokio::test]
async fn refused_connections_are_retried_then_given_up() {
    let app = app_with(WebhookConfig {
        retry_schedule: vec![Duration::from_millis(100); 2],
        ..fast()
    })
    .await;
    // a port nobody listens on
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (order_id, code) = link(&app, &format!("http://127.0.0.1:{port}/hook"), "dead").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    let log = until(&app, &order_id, |d| d[0]["status"] == "failed").await;
    assert_eq!(log[0]["attempt_count"], 3, "first try and the two retries");
    assert!(log[0]["last_error"]
        .as_str()
        .unwrap()
        .starts_with("gave up after 3 attempts"));
    assert!(log[0]["attempts"][0]["error"]
        .as_str()
        .unwrap()
        .contains("connect"));
    assert!(log[0]["next_attempt_at"].is_null());
}

#[tokio::test]
async fn a_410_stops_the_event_at_once() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    rx.set_default(Reply::Status(410));
    let (order_id, code) = link(&app, &rx.url, "gone").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    let log = until(&app, &order_id, |d| d[0]["status"] == "failed").await;
    assert_eq!(log[0]["attempt_count"], 1);
    assert!(log[0]["last_error"].as_str().unwrap().contains("410"));
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(rx.hits().len(), 1, "not sent again");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let app = app_with(fast()).await;
    let elsewhere = Receiver::start().await;
    let rx = Receiver::start().await;
    rx.script([Reply::Full(
        302,
        vec![("location", elsewhere.url.clone())],
        String::new(),
    )]);
    let (order_id, code) = link(&app, &rx.url, "redirect").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    let log = until(&app, &order_id, |d| d[0]["status"] == "delivered").await;
    assert_eq!(log[0]["attempts"][0]["status_code"], 302);
    assert_eq!(rx.hits().len(), 2, "retried at the same URL");
    assert!(elsewhere.hits().is_empty(), "the redirect was not followed");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    rx.script([Reply::Full(
        503,
        vec![("retry-after", "2".into())],
        "busy".into(),
    )]);
    let (_, code) = link(&app, &rx.url, "busy").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    let hits = rx.wait_for(2, WAIT).await;
    let gap = hits[1].at - hits[0].at;
    assert!(gap >= Duration::from_millis(1900), "retried after {gap:?}");
}

#[tokio::test]
async fn a_slow_receiver_does_not_hold_up_the_others() {
    let app = app_with(WebhookConfig {
        max_in_flight: 8,
        max_in_flight_per_origin: 2,
        attempt_timeout: Duration::from_secs(5),
        ..fast()
    })
    .await;
    let slow = Receiver::start().await;
    slow.set_default(Reply::After(Duration::from_secs(3), 200));
    let fast_rx = Receiver::start().await;
    for i in 0..10 {
        let (_, code) = link(&app, &slow.url, &format!("slow {i}")).await;
        app.public_post(&format!("/api/pay/{code}/confirm")).await;
    }
    slow.wait_for(2, WAIT).await;
    let t0 = Instant::now();
    let (_, code) = link(&app, &fast_rx.url, "fast").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    fast_rx.wait_for(1, WAIT).await;
    assert!(
        t0.elapsed() < Duration::from_secs(2),
        "the fast receiver waited {:?} behind the slow one",
        t0.elapsed()
    );
    assert_eq!(slow.hits().len(), 2, "the slow receiver gets 2 at a time");
}

#[tokio::test]
async fn cancel_and_expiry_are_sent_and_the_default_url_is_used() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    let (s, b) = app
        .kasir
        .update_settings(
            &Actor::Console,
            kasir::service::SettingsPatch {
                default_webhook_url: Some(Some(rx.url.clone())),
                ..Default::default()
            },
        )
        .await
        .map(|s| (200, s))
        .unwrap();
    assert_eq!(
        (s, b.default_webhook_url.as_deref()),
        (200, Some(rx.url.as_str()))
    );
    let (a, _) = app.generate(10000).await;
    app.post_empty(&format!("/api/qris/orders/{a}/cancel"))
        .await;
    // an order that expires in a minute, brought forward in the database
    let (b_id, _) = app.generate(12000).await;
    app.db()
        .execute(
            "UPDATE orders SET expires_at = 0 WHERE order_id = ?1",
            [&b_id],
        )
        .unwrap();
    let hits = rx.wait_for(2, WAIT).await;
    let mut events: Vec<String> = hits
        .iter()
        .map(|h| h.json()["event"].as_str().unwrap().to_string())
        .collect();
    events.sort();
    assert_eq!(events, ["payment.cancelled", "payment.expired"]);
    let expired = hits
        .iter()
        .find(|h| h.json()["event"] == "payment.expired")
        .unwrap();
    assert_eq!(expired.json()["data"]["order_id"], b_id);
    assert_eq!(expired.json()["data"]["status"], "expired");
}

#[tokio::test]
async fn no_webhook_url_means_nothing_is_queued() {
    let app = app_with(fast()).await;
    let (id, code) = app.generate(5000).await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    app.post_empty(&format!("/api/qris/orders/{id}/verify"))
        .await;
    assert_eq!(app.count("webhook_deliveries"), 0);
}

#[tokio::test]
async fn at_most_1kb_of_the_answer_is_kept() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    rx.set_default(Reply::Full(200, vec![], "x".repeat(5000)));
    // a loopback receiver's answer is kept only when the merchant named it
    app.kasir
        .update_settings(
            &Actor::Console,
            kasir::service::SettingsPatch {
                default_webhook_url: Some(Some(rx.url.clone())),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (order_id, code) = link(&app, &rx.url, "big answer").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    let log = until(&app, &order_id, |d| d[0]["status"] == "delivered").await;
    assert_eq!(
        log[0]["attempts"][0]["response_body"]
            .as_str()
            .unwrap()
            .len(),
        1024
    );
}

#[tokio::test]
async fn the_log_filters_and_redelivers_and_the_ping_checks_a_receiver() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    let (a, code_a) = link(&app, &rx.url, "a").await;
    let (_b, code_b) = link(&app, &rx.url, "b").await;
    app.public_post(&format!("/api/pay/{code_a}/confirm")).await;
    app.public_post(&format!("/api/pay/{code_b}/confirm")).await;
    until(&app, &a, |d| d.len() == 1 && d[0]["status"] == "delivered").await;
    rx.wait_for(2, WAIT).await;
    assert_eq!(deliveries(&app, "").await.len(), 2);
    assert_eq!(deliveries(&app, &format!("?order_id={a}")).await.len(), 1);
    assert_eq!(deliveries(&app, "?status=pending&limit=5").await.len(), 0);
    let (s, b) = app.get("/api/qris/webhooks/deliveries?status=lost").await;
    assert_eq!(s, 422, "{b}");
    assert!(b["message"].as_str().unwrap().contains("status"));

    let id = deliveries(&app, &format!("?order_id={a}")).await[0]["id"]
        .as_i64()
        .unwrap();
    let (s, b) = app
        .post_empty(&format!("/api/qris/webhooks/deliveries/{id}/redeliver"))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["delivery"]["attempt_count"], 2);
    let hits = rx.wait_for(3, WAIT).await;
    assert_eq!(hits[2].header("x-temanqris-retry").as_deref(), Some("1"));
    let original = hits[..2]
        .iter()
        .find(|h| h.header("webhook-id") == hits[2].header("webhook-id"))
        .expect("the redelivery carries the original webhook-id");
    assert_eq!(original.body, hits[2].body);
    let (s, _) = app
        .post_empty("/api/qris/webhooks/deliveries/99999/redeliver")
        .await;
    assert_eq!(s, 404);
    let (s, _) = app
        .post_empty("/api/qris/webhooks/deliveries/abc/redeliver")
        .await;
    assert_eq!(s, 422);

    // the test ping
    let (s, b) = app
        .post("/api/qris/webhooks/test", json!({ "url": rx.url }))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["success"], true);
    assert_eq!(b["status_code"], 200);
    let ping = rx.wait_for(4, WAIT).await.pop().unwrap();
    assert_eq!(ping.json()["event"], "ping");
    assert_eq!(ping.header("x-temanqris-event").as_deref(), Some("ping"));
    let (s, b) = app
        .post(
            "/api/qris/webhooks/test",
            json!({ "url": "http://169.254.169.254/" }),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["field"], "url");
    assert!(b["message"].as_str().unwrap().contains("refused"), "{b}");
    let (s, b) = app.post("/api/qris/webhooks/test", json!({})).await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["field"], "url");
    let (s, _) = app
        .post("/api/qris/webhooks/test", json!({ "url": "ftp://x/" }))
        .await;
    assert_eq!(s, 422);
    // under the API key
    let (s, _) = app.public_get("/api/qris/webhooks/deliveries").await;
    assert_eq!(s, 401);
}

#[tokio::test]
async fn a_failed_redelivery_does_not_reopen_a_delivered_event() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    let (order_id, code) = link(&app, &rx.url, "once").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    let log = until(&app, &order_id, |d| d[0]["status"] == "delivered").await;
    rx.set_default(Reply::Status(500));
    let id = log[0]["id"].as_i64().unwrap();
    let (s, b) = app
        .post_empty(&format!("/api/qris/webhooks/deliveries/{id}/redeliver"))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["delivery"]["status"], "delivered");
    assert_eq!(b["delivery"]["attempts"][1]["status_code"], 500);
    assert!(b["delivery"]["next_attempt_at"].is_null());
}
