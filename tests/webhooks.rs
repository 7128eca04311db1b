//! Webhook delivery against real receivers on loopback: what is sent, how it is
//! signed, retries, failures, restarts, and the log.

mod common;
use base64::Engine;
use common::receiver::{Receiver, Reply};
use common::*;
use hmac::{Hmac, Mac};
use kasir::webhook::WebhookConfig;
use serde_json::{json, Value};
use sha2::Sha256;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

/// The production rules with the waits shortened, so retries happen in a test.
fn fast() -> WebhookConfig {
    WebhookConfig {
        retry_schedule: vec![Duration::from_millis(200); 3],
        give_up_after: Duration::from_secs(60),
        attempt_timeout: Duration::from_secs(2),
        poll_interval: Duration::from_millis(100),
        ..WebhookConfig::default()
    }
}

async fn app_with(config: WebhookConfig) -> TestApp {
    let app = TestApp::spawn_with(config).await;
    app.import_qris().await;
    app
}

/// A payment link whose webhooks go to `url`; returns (order_id, link_code).
async fn link(app: &TestApp, url: &str, description: &str) -> (String, String) {
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

async fn secret(app: &TestApp) -> String {
    app.kasir.webhook_secret().await.unwrap().secret
}

fn hex_hmac(key: &[u8], msg: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(msg.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

fn b64_hmac(key: &[u8], msg: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(msg.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(m.finalize().into_bytes())
}

async fn deliveries(app: &TestApp, query: &str) -> Vec<Value> {
    let (s, b) = app
        .get(&format!("/api/qris/webhooks/deliveries{query}"))
        .await;
    assert_eq!(s, 200, "{b}");
    b["deliveries"].as_array().unwrap().clone()
}

/// Poll the log until `pred` holds for the order's deliveries.
async fn until(app: &TestApp, order_id: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
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
async fn events_arrive_signed_in_the_references_shape() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    let (order_id, code) = link(&app, &rx.url, "Pembayaran Order #12345").await;

    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    let hits = rx.wait_for(1, WAIT).await;
    let (s, _) = app
        .post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    assert_eq!(s, 200);
    let hits = {
        let _ = hits;
        rx.wait_for(2, WAIT).await
    };

    let secret = secret(&app).await;
    for (hit, event, status) in [
        (
            &hits[0],
            "payment.awaiting_confirmation",
            "awaiting_confirmation",
        ),
        (&hits[1], "payment.confirmed", "paid"),
    ] {
        assert_eq!(hit.path, "/hook");
        let body = hit.json();
        assert_eq!(body["event"], event);
        assert_eq!(body["data"]["order_id"], order_id);
        assert_eq!(body["data"]["link_code"], code);
        assert_eq!(body["data"]["amount"], 25000);
        assert_eq!(body["data"]["description"], "Pembayaran Order #12345");
        assert_eq!(body["data"]["status"], status);
        // exactly the reference's keys, in its order, compact
        assert_eq!(body.as_object().unwrap().len(), 3);
        assert_eq!(body["data"].as_object().unwrap().len(), 7);
        let at = |k: &str| hit.body.find(&format!("\"{k}\":")).unwrap();
        let order = [
            "event",
            "timestamp",
            "data",
            "order_id",
            "link_code",
            "amount",
            "description",
            "status",
            "paid_at",
            "created_at",
        ];
        assert!(
            order.windows(2).all(|w| at(w[0]) < at(w[1])),
            "{}",
            hit.body
        );
        assert!(!hit.body.contains(": ") && !hit.body.contains(", "));
        assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));

        assert_eq!(hit.header("content-type").unwrap(), "application/json");
        assert_eq!(hit.header("x-temanqris-event").unwrap(), event);
        assert!(hit.header("x-temanqris-retry").is_none(), "first attempt");
        assert!(hit.header("user-agent").unwrap().starts_with("Kasir/"));
        assert_eq!(
            hit.header("x-temanqris-signature").unwrap(),
            format!("sha256={}", hex_hmac(secret.as_bytes(), &hit.body))
        );
        // Standard Webhooks: v1,base64(HMAC(key, id.timestamp.body))
        let id = hit.header("webhook-id").unwrap();
        let ts = hit.header("webhook-timestamp").unwrap();
        let key = base64::engine::general_purpose::STANDARD
            .decode(secret.strip_prefix("whsec_").unwrap())
            .unwrap();
        assert_eq!(
            hit.header("webhook-signature").unwrap(),
            format!("v1,{}", b64_hmac(&key, &format!("{id}.{ts}.{}", hit.body)))
        );
        let age = chrono::Utc::now().timestamp() - ts.parse::<i64>().unwrap();
        assert!((0..60).contains(&age));
    }
    assert!(hits[0].json()["data"]["paid_at"].is_null());
    assert!(hits[1].json()["data"]["paid_at"].is_string());
    assert_ne!(
        hits[0].header("webhook-id"),
        hits[1].header("webhook-id"),
        "one id per event"
    );

    let log = until(&app, &order_id, |d| {
        d.len() == 2 && d.iter().all(|x| x["status"] == "delivered")
    })
    .await;
    assert_eq!(log[0]["attempts"][0]["status_code"], 200);
    assert_eq!(
        log[0]["attempts"][0]["response_body"],
        "{\"received\":true}"
    );
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
        .update_settings(kasir::service::SettingsPatch {
            default_webhook_url: Some(Some(rx.url.clone())),
            ..Default::default()
        })
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
async fn forbidden_destinations_are_never_connected_to() {
    let app = app_with(WebhookConfig {
        retry_schedule: vec![],
        ..fast()
    })
    .await;
    // cloud metadata, link-local IPv6, and Kasir's own public confirm endpoint
    let (victim_order, victim) = app.generate(1000).await;
    for url in [
        "http://169.254.169.254/latest/meta-data/".to_string(),
        "http://[fe80::1]:8080/hook".to_string(),
        app.url(&format!("/api/pay/{victim}/confirm")),
        app.url("/api/qris/orders"),
    ] {
        let (order_id, code) = link(&app, &url, "ssrf").await;
        app.public_post(&format!("/api/pay/{code}/confirm")).await;
        let log = until(&app, &order_id, |d| d[0]["status"] == "failed").await;
        let err = log[0]["attempts"][0]["error"].as_str().unwrap();
        assert!(err.contains("refused"), "{url}: {err}");
    }
    let (_, b) = app.get(&format!("/api/qris/orders/{victim_order}")).await;
    assert_eq!(
        b["order"]["status"], "pending",
        "Kasir did not confirm itself"
    );

    // private addresses when the merchant blocks them, names included
    app.kasir
        .update_settings(kasir::service::SettingsPatch {
            webhook_block_private: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    let rx = Receiver::start().await;
    let by_name = rx.url.replace("127.0.0.1", "localhost");
    for url in [rx.url.clone(), by_name] {
        let (order_id, code) = link(&app, &url, "private").await;
        app.public_post(&format!("/api/pay/{code}/confirm")).await;
        let log = until(&app, &order_id, |d| d[0]["status"] == "failed").await;
        let err = log[0]["attempts"][0]["error"].as_str().unwrap();
        assert!(err.contains("private"), "{url}: {err}");
    }
    assert!(rx.hits().is_empty());
}

#[tokio::test]
async fn at_most_1kb_of_the_answer_is_kept() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    rx.set_default(Reply::Full(200, vec![], "x".repeat(5000)));
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
    assert_eq!(s, 200);
    assert_eq!(b["success"], false);
    assert!(b["error"].as_str().unwrap().contains("refused"));
    let (s, b) = app.post("/api/qris/webhooks/test", json!({})).await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["field"], "url");
    let (s, _) = app
        .post("/api/qris/webhooks/test", json!({ "url": "ftp://x/" }))
        .await;
    assert_eq!(s, 422);
    // under the API key
    let res = app
        .client
        .get(app.url("/api/qris/webhooks/deliveries"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn after_a_rotation_both_secrets_sign_for_a_day() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    let old = secret(&app).await;
    let rotated = app.kasir.rotate_webhook_secret().await.unwrap();
    assert_ne!(rotated.secret, old);
    assert_eq!(rotated.previous.as_deref(), Some(old.as_str()));
    let (_, code) = link(&app, &rx.url, "rotation").await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    let hit = rx.wait_for(1, WAIT).await.remove(0);
    assert_eq!(
        hit.header("x-temanqris-signature").unwrap(),
        format!("sha256={}", hex_hmac(rotated.secret.as_bytes(), &hit.body))
    );
    let sigs = hit.header("webhook-signature").unwrap();
    let parts: Vec<&str> = sigs.split(' ').collect();
    assert_eq!(parts.len(), 2, "{sigs}");
    let id = hit.header("webhook-id").unwrap();
    let ts = hit.header("webhook-timestamp").unwrap();
    for (part, s) in parts.iter().zip([&rotated.secret, &old]) {
        let key = base64::engine::general_purpose::STANDARD
            .decode(s.strip_prefix("whsec_").unwrap())
            .unwrap();
        assert_eq!(
            *part,
            format!("v1,{}", b64_hmac(&key, &format!("{id}.{ts}.{}", hit.body)))
        );
    }
}

/// A restart with retries pending: the first process's runtime is shut down
/// (its worker and lock gone), a second opens the same directory and delivers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_retries_survive_a_restart() {
    let rx = Receiver::start().await;
    rx.set_default(Reply::Status(500));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let url = rx.url.clone();
    let first_rx = rx.clone();
    let slow_retry = WebhookConfig {
        retry_schedule: vec![Duration::from_secs(3600)],
        give_up_after: Duration::from_secs(7200),
        ..fast()
    };
    let order_id = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let id = rt.block_on(async move {
            let kasir = kasir::Kasir::open_with(&path, slow_retry).unwrap();
            let server = kasir::http::start(kasir.clone(), "127.0.0.1:0".parse().unwrap())
                .await
                .unwrap();
            let base = format!("http://{}", server.addr);
            let (_, key) = kasir.create_api_key("t", None).await.unwrap();
            let c = reqwest::Client::new();
            let r = c
                .post(format!("{base}/api/qris/upload"))
                .header("X-API-Key", &key)
                .json(&json!({ "qris_string": static_qris() }))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            let b: Value = c
                .post(format!("{base}/api/qris/payment-link"))
                .header("X-API-Key", &key)
                .json(&json!({ "amount": 7000, "webhook_url": url }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let code = b["payment_link"]["link_code"].as_str().unwrap().to_string();
            c.post(format!("{base}/api/pay/{code}/confirm"))
                .send()
                .await
                .unwrap();
            // the first attempt fails and its retry is written down
            first_rx.wait_for(1, WAIT).await;
            let order_id = b["payment_link"]["order_id"].as_str().unwrap().to_string();
            let deadline = Instant::now() + WAIT;
            let all = kasir::webhook::DeliveryFilter {
                limit: 10,
                ..Default::default()
            };
            while kasir.webhook_deliveries(all.clone()).await.unwrap().0[0]
                .attempts
                .is_empty()
            {
                assert!(Instant::now() < deadline);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            order_id
        });
        // the "crash": every task of this process's runtime is dropped
        rt.shutdown_background();
        id
    })
    .join()
    .unwrap();
    // the retry is an hour away; a restart must not lose it. Bring it due.
    let db = rusqlite::Connection::open(dir.path().join("kasir.db")).unwrap();
    let pending: i64 = db
        .query_row(
            "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at > ?1",
            [chrono::Utc::now().timestamp_millis()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 1);
    db.execute("UPDATE webhook_deliveries SET next_attempt_at = 0", [])
        .unwrap();
    rx.set_default(Reply::Status(200));
    let app = TestApp::start_in(dir, fast()).await;
    let log = until(&app, &order_id, |d| d[0]["status"] == "delivered").await;
    assert_eq!(log[0]["attempt_count"], 2);
    let hits = rx.hits();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].header("webhook-id"), hits[1].header("webhook-id"));
}

/// Node.js running the reference's `verifyWebhook` snippet, unchanged, against
/// real deliveries: a 200 from it means both signatures verified.
#[tokio::test]
async fn node_verifies_real_deliveries_with_the_references_snippet() {
    use std::io::BufRead;
    let app = app_with(fast()).await;
    let secret = secret(&app).await;
    let reference = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference/temanqris-api.txt");
    let mut node = std::process::Command::new("node")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/node/webhook-receiver.js"
        ))
        .arg(&reference)
        .arg(&secret)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node is installed (scripts/setup.sh)");
    let mut lines = std::io::BufReader::new(node.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let port: u16 = first.strip_prefix("listening ").unwrap().parse().unwrap();
    let url = format!("http://127.0.0.1:{port}/webhook");

    // what JSON.stringify must give back byte for byte: non-ASCII, `/`,
    // quotes, markup, an emoji (a surrogate pair in JS) and U+2028
    let tricky = "Kopi ☕ 2/3 \"spesial\" <b>&</b> é 日本 \u{2028} \\ 😀";
    let (order_id, code) = link(&app, &url, tricky).await;
    app.public_post(&format!("/api/pay/{code}/confirm")).await;
    app.post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    let log = until(&app, &order_id, |d| {
        d.len() == 2
            && d.iter()
                .all(|x| !x["attempts"].as_array().unwrap().is_empty())
    })
    .await;
    for d in &log {
        assert_eq!(d["attempts"][0]["status_code"], 200, "Node refused: {d:#}");
        assert_eq!(d["status"], "delivered");
    }
    let (s, b) = app
        .post("/api/qris/webhooks/test", json!({ "url": url }))
        .await;
    assert_eq!((s, &b["success"]), (200, &json!(true)), "{b}");

    // a forged request is refused, so the 200s above mean something
    let res = reqwest::Client::new()
        .post(&url)
        .header(
            "x-temanqris-signature",
            format!("sha256={}", "0".repeat(64)),
        )
        .header("webhook-id", "msg_x")
        .header("webhook-timestamp", "1")
        .header("webhook-signature", "v1,AAAA")
        .body(log[0]["attempts"][0]["url"].to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);

    node.kill().unwrap();
    node.wait().unwrap();
    let seen: Vec<Value> = lines
        .map_while(Result::ok)
        .map(|l| serde_json::from_str(&l).unwrap())
        .collect();
    assert_eq!(seen.len(), 4, "{seen:?}");
    for s in &seen[..3] {
        assert_eq!(s["okRef"], true, "{s}");
        assert_eq!(s["okStd"], true, "{s}");
        assert_eq!(
            s["same"], true,
            "JSON.stringify(JSON.parse(body)) != body: {s}"
        );
    }
    assert_eq!(seen[3]["okRef"], false);
}

/// `kasir serve` killed (SIGKILL) while a delivery is in flight, then started
/// again: the event is delivered, with the same `webhook-id`.
#[tokio::test]
async fn a_killed_server_delivers_after_it_starts_again() {
    use std::io::BufRead;
    let rx = Receiver::start().await;
    rx.script([Reply::Hang]);
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_kasir");
    let data = dir.path().to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(bin)
            .args(["--data-dir", &data])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let key = run(&["keys", "create", "--name", "shop"]);
    run(&["settings", "--default-webhook-url", &rx.url]);
    let serve = || {
        let mut child = std::process::Command::new(bin)
            .args(["--data-dir", &data, "serve", "--bind", "127.0.0.1:0"])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut err = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        let base = loop {
            let line = err.next().expect("serve printed its address").unwrap();
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest.split(' ').next().unwrap().to_string();
            }
        };
        // keep draining stderr so the server never blocks on it
        std::thread::spawn(move || for _ in err.by_ref() {});
        (child, base)
    };
    let (mut first, base) = serve();
    let c = reqwest::Client::new();
    let r = c
        .post(format!("{base}/api/qris/upload"))
        .header("X-API-Key", &key)
        .json(&json!({ "qris_string": static_qris() }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let b: Value = c
        .post(format!("{base}/api/qris/generate"))
        .header("X-API-Key", &key)
        .json(&json!({ "amount": 15000 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let order_id = b["payment_link"]["order_id"].as_str().unwrap().to_string();
    c.post(format!("{base}/api/qris/orders/{order_id}/verify"))
        .header("X-API-Key", &key)
        .send()
        .await
        .unwrap();
    rx.wait_for(1, WAIT).await;
    first.kill().unwrap(); // SIGKILL, mid-delivery
    first.wait().unwrap();

    let (mut second, base) = serve();
    let hits = rx.wait_for(2, WAIT).await;
    assert_eq!(hits[0].header("webhook-id"), hits[1].header("webhook-id"));
    assert_eq!(hits[1].json()["event"], "payment.confirmed");
    let deadline = Instant::now() + WAIT;
    loop {
        let b: Value = c
            .get(format!(
                "{base}/api/qris/webhooks/deliveries?order_id={order_id}"
            ))
            .header("X-API-Key", &key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if b["deliveries"][0]["status"] == "delivered" {
            break;
        }
        assert!(Instant::now() < deadline, "{b:#}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    second.kill().unwrap();
    second.wait().unwrap();
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

/// The till and `kasir serve` on one data directory: only the lock holder
/// sends, and when it stops the other takes over, without a restart.
#[tokio::test]
async fn another_process_on_the_directory_takes_over_sending() {
    let rx = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    // "kasir serve": a worker on its own runtime, holding the lock
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
    let first = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let kasir = kasir::Kasir::open_with(&path, fast()).unwrap();
            kasir::webhook::worker::spawn(kasir);
            // give it the lock before the second process starts
            tokio::time::sleep(Duration::from_millis(300)).await;
        });
        ready_tx.send(()).unwrap();
        stop_rx.recv().unwrap();
        rt.shutdown_background();
    });
    ready_rx.recv().unwrap();
    // "the till": same directory, its worker waits for the lock
    let app = TestApp::start_in(dir, fast()).await;
    app.import_qris().await;
    stop_tx.send(()).unwrap();
    first.join().unwrap();

    let (order_id, code) = link(&app, &rx.url, "takeover").await;
    let (s, _) = app.public_post(&format!("/api/pay/{code}/confirm")).await;
    assert_eq!(s, 200);
    let log = until(&app, &order_id, |d| {
        d.first().is_some_and(|d| d["status"] == "delivered")
    })
    .await;
    assert_eq!(log[0]["event"], "payment.awaiting_confirmation");
    assert_eq!(rx.hits().len(), 1);
}
