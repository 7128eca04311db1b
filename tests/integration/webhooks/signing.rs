//! How deliveries are signed and shaped: the reference's header, Standard
//! Webhooks, a secret rotation, and the reference's own Node.js snippet
//! verifying real deliveries.

use super::{app_with, fast, link, until, WAIT};
use crate::support::receiver::Receiver;
use crate::support::*;
use base64::Engine;
use hmac::{Hmac, Mac};
use kasir::service::Actor;
use serde_json::{json, Value};
use sha2::Sha256;

async fn secret(app: &TestApp) -> String {
    app.kasir
        .webhook_secret(&Actor::Console)
        .await
        .unwrap()
        .secret
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
        // the reference's keys, in its order, compact; Kasir's three after them
        assert_eq!(body.as_object().unwrap().len(), 3);
        assert_eq!(body["data"].as_object().unwrap().len(), 10);
        assert_eq!(body["data"]["cashier"], serde_json::Value::Null);
        assert_eq!(body["data"]["payment_method"], "qris");
        assert_eq!(body["data"]["refunded_amount"], 0);
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
            "payment_method",
            "refunded_amount",
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
    // the answer of a receiver on this computer is not shown (see address_policy)
    assert!(log[0]["attempts"][0]["response_body"].is_null());
}

#[tokio::test]
async fn after_a_rotation_both_secrets_sign_for_a_day() {
    let app = app_with(fast()).await;
    let rx = Receiver::start().await;
    let old = secret(&app).await;
    let rotated = app
        .kasir
        .rotate_webhook_secret(&Actor::Console)
        .await
        .unwrap();
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

/// Node.js running the reference's `verifyWebhook` snippet, unchanged, against
/// real deliveries: a 200 from it means both signatures verified.
#[tokio::test]
async fn node_verifies_real_deliveries_with_the_references_snippet() {
    use std::io::BufRead;
    let app = app_with(fast()).await;
    let secret = secret(&app).await;
    let reference = shared("reference/temanqris-api.txt");
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
