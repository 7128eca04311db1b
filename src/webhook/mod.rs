//! Webhooks: what is sent (the reference's body and headers, plus the Standard
//! Webhooks headers), how it is signed, and the durable delivery around it.
//!
//! A delivery is written to the `webhook_deliveries` outbox in the same
//! transaction as the state change it reports ([`enqueue`]); the [`worker`]
//! sends it, retries it, and records every attempt.

pub mod guard;
mod outbox;
pub mod sender;
pub mod worker;

use crate::clock::{rfc3339, Millis};
use crate::model::{Order, OrderEvent};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::Serialize;
use sha2::Sha256;
use std::time::Duration;

pub use crate::model::{
    Attempt, Delivery, DeliveryFilter, DeliveryStatus, WebhookSecret, ROTATION_OVERLAP_MS,
};
pub use guard::{AddressPolicy, PolicyInputs, PrivateReceivers};
pub use outbox::Outbox;
pub use sender::{AttemptResult, Sender};

/// Bytes of a receiver's answer that are kept with the attempt.
pub const MAX_RESPONSE_BYTES: usize = 1024;

/// How deliveries are paced. The defaults are the production schedule; tests
/// shorten them.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// The wait before each retry; after the last one the delivery gives up.
    pub retry_schedule: Vec<Duration>,
    /// No retry is scheduled later than this after the event.
    pub give_up_after: Duration,
    /// One attempt, from connecting to the first 1 KB of the answer.
    pub attempt_timeout: Duration,
    /// Attempts in flight at once, in all.
    pub max_in_flight: usize,
    /// Attempts in flight at once to one receiver (scheme, host and port), so a
    /// slow receiver can't take every slot.
    pub max_in_flight_per_origin: usize,
    /// How often the outbox is looked at when nothing wakes the worker
    /// (an event made by another process, a retry coming due).
    pub poll_interval: Duration,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        let m = |n: u64| Duration::from_secs(60 * n);
        WebhookConfig {
            retry_schedule: vec![
                Duration::from_secs(10),
                m(1),
                m(5),
                m(30),
                m(120),
                m(360),
                m(720),
            ],
            give_up_after: m(24 * 60),
            attempt_timeout: Duration::from_secs(10),
            max_in_flight: 64,
            max_in_flight_per_origin: 8,
            poll_interval: Duration::from_secs(1),
        }
    }
}

/// The body's `data`, exactly the reference's fields in the reference's order.
#[derive(Serialize)]
struct Data<'a> {
    order_id: &'a str,
    link_code: &'a str,
    amount: u64,
    description: Option<&'a str>,
    status: &'a str,
    paid_at: Option<String>,
    created_at: String,
    // additive: how it was paid and what was given back (docs/SALES.md)
    payment_method: &'a str,
    refunded_amount: u64,
    /// Who made the order at the till (docs/PEOPLE.md); null for an integration's.
    cashier: Option<&'a str>,
}

#[derive(Serialize)]
struct Body<'a, D: Serialize> {
    event: &'a str,
    timestamp: String,
    data: D,
}

/// The body of an order's event, as sent. Compact serde_json output is what
/// `JSON.stringify(JSON.parse(body))` gives back (no spaces, integers without
/// `.0`, `/` not escaped, non-ASCII as is), so receivers that verify the
/// reference's way, over a re-serialisation, get the same bytes.
pub fn order_body(order: &Order, event: OrderEvent, at: Millis) -> String {
    let body = Body {
        event: event.as_str(),
        timestamp: rfc3339(at),
        data: Data {
            order_id: &order.order_id,
            link_code: &order.link_code,
            amount: order.amount,
            description: order.description.as_deref(),
            status: order.status.as_str(),
            paid_at: order.paid_at.map(rfc3339),
            created_at: rfc3339(order.created_at),
            payment_method: order.payment_method.as_str(),
            refunded_amount: order.refunded_amount,
            cashier: order.cashier.as_deref(),
        },
    };
    serde_json::to_string(&body).expect("plain data serializes")
}

/// The body of a test event: a receiver can check its signature code with it.
pub fn ping_body(at: Millis) -> String {
    #[derive(Serialize)]
    struct Ping {
        message: &'static str,
    }
    serde_json::to_string(&Body {
        event: "ping",
        timestamp: rfc3339(at),
        data: Ping {
            message: "Webhook test from Kasir",
        },
    })
    .expect("plain data serializes")
}

/// A new `webhook-id`: unique per event, the same on every attempt.
pub fn new_webhook_id() -> String {
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    format!("msg_{}", hex::encode(b))
}

/// A new signing secret: `whsec_` and 32 bytes from the OS CSPRNG in base64,
/// the Standard Webhooks format.
pub fn new_secret() -> String {
    let mut b = [0u8; 32];
    // ThreadRng: ChaCha12 seeded from the OS, a CSPRNG
    rand::rng().fill_bytes(&mut b);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(b)
    )
}

/// `X-TemanQRIS-Signature`: `sha256=` and the hex HMAC-SHA256 of the body, keyed
/// by the secret string exactly as the merchant copies it (the reference's
/// Node.js snippet does `createHmac('sha256', secret)`).
pub fn temanqris_signature(secret: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// One `v1,` signature of the Standard Webhooks scheme: base64 HMAC-SHA256 of
/// `id.timestamp.body`, keyed by the base64-decoded part after `whsec_` (so the
/// official standardwebhooks libraries verify it with the same secret).
pub fn standard_signature(secret: &str, webhook_id: &str, timestamp: i64, body: &str) -> String {
    let key = secret
        .strip_prefix("whsec_")
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec());
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(format!("{webhook_id}.{timestamp}.{body}").as_bytes());
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

/// Whether `url` is under an entry of a list the merchant wrote (the widget's
/// allowlist, the default webhook URL): same scheme, host and port, and a path
/// at or under the entry's path.
pub fn allowlisted(entries: &[String], url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    entries.iter().any(|e| {
        let Ok(e) = url::Url::parse(e) else {
            return false;
        };
        let prefix = e.path().trim_end_matches('/');
        u.scheme() == e.scheme()
            && u.host_str() == e.host_str()
            && u.port_or_known_default() == e.port_or_known_default()
            && (u.path() == prefix
                || u.path().starts_with(&format!("{prefix}/"))
                || prefix.is_empty())
    })
}

/// `scheme://host:port` of a URL: the unit the worker limits concurrency by.
pub fn origin_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => format!(
            "{}://{}:{}",
            u.scheme(),
            u.host_str().unwrap_or(""),
            u.port_or_known_default().unwrap_or(0)
        ),
        Err(_) => url.to_string(),
    }
}

/// When the next attempt is due after `attempts` failed ones, or None to give
/// up. Jitter (±10 %) keeps many failed deliveries from retrying in lockstep;
/// a receiver's `Retry-After` is honoured when it asks for longer.
pub fn next_attempt_at(
    config: &WebhookConfig,
    created_at: Millis,
    attempts: i64,
    now: Millis,
    retry_after: Option<Duration>,
) -> Option<Millis> {
    let base = config.retry_schedule.get((attempts - 1).max(0) as usize)?;
    let jitter = 0.9 + rand::random::<f64>() * 0.2;
    let mut wait = base.mul_f64(jitter);
    if let Some(ra) = retry_after {
        // a receiver may ask for any number of seconds; past the give-up time
        // it means give up (and must never overflow the arithmetic below)
        wait = wait.max(ra.min(config.give_up_after + Duration::from_secs(1)));
    }
    let at = now.saturating_add(Millis::try_from(wait.as_millis()).unwrap_or(Millis::MAX));
    (at <= created_at + config.give_up_after.as_millis() as Millis).then_some(at)
}

/// What a delivery becomes after an attempt: its status, when it is tried
/// next, and the error to show. `scheduled` is false for deliveries sent by
/// hand only (a test ping), which are never retried.
pub fn after_attempt(
    config: &WebhookConfig,
    created_at: Millis,
    attempts: i64,
    result: &AttemptResult,
    scheduled: bool,
    now: Millis,
) -> (DeliveryStatus, Option<Millis>, Option<String>) {
    if result.succeeded() {
        return (DeliveryStatus::Delivered, None, None);
    }
    let error = match (&result.error, result.status_code) {
        (Some(e), _) => e.clone(),
        (None, Some(c)) => format!("the receiver answered HTTP {c}"),
        (None, None) => "no answer".to_string(),
    };
    if result.refused {
        return (
            DeliveryStatus::Failed,
            None,
            Some(format!(
                "refused by the webhook address policy, not retried: {error}"
            )),
        );
    }
    if result.gone() {
        return (
            DeliveryStatus::Failed,
            None,
            Some("the receiver answered 410 Gone: this event is not sent there again".into()),
        );
    }
    if !scheduled {
        return (DeliveryStatus::Failed, None, Some(error));
    }
    match next_attempt_at(config, created_at, attempts, now, result.retry_after) {
        Some(at) => (DeliveryStatus::Pending, Some(at), Some(error)),
        None => (
            DeliveryStatus::Failed,
            None,
            Some(format!("gave up after {attempts} attempts: {error}")),
        ),
    }
}

/// Record an attempt and what the delivery becomes after it, in `tx`.
/// `scheduled`: see [`after_attempt`].
pub fn record(
    tx: &rusqlite::Transaction<'_>,
    config: &WebhookConfig,
    d: &Delivery,
    result: &AttemptResult,
    scheduled: bool,
    now: Millis,
) -> crate::Result<(DeliveryStatus, Option<String>)> {
    let (status, next, error) =
        after_attempt(config, d.created_at, d.attempts + 1, result, scheduled, now);
    let attempt = Attempt {
        attempt: d.attempts + 1,
        url: d.url.clone(),
        started_at: result.started_at,
        duration_ms: result.duration_ms,
        status_code: result.status_code,
        error: result.error.clone(),
        response_body: result.response_body.clone(),
    };
    crate::store::record_attempt(tx, d.id, &attempt, status, next, error.as_deref())?;
    Ok((status, error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_signature_matches_the_specs_example() {
        // the example of the Standard Webhooks specification
        let sig = standard_signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn temanqris_signature_is_hex_hmac_of_the_body() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog")
        assert_eq!(
            temanqris_signature("key", "The quick brown fox jumps over the lazy dog"),
            "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn the_schedule_ends_and_gives_up() {
        let c = WebhookConfig::default();
        let t0 = 0;
        let first = next_attempt_at(&c, t0, 1, t0, None).unwrap();
        assert!((9_000..=11_000).contains(&first));
        assert!(next_attempt_at(&c, t0, 8, t0, None).is_none());
        // a Retry-After longer than the schedule wins
        let ra = next_attempt_at(&c, t0, 1, t0, Some(Duration::from_secs(120))).unwrap();
        assert_eq!(ra, 120_000);
        // nothing is scheduled past 24 h after the event
        let late = 23 * 3600 * 1000;
        assert!(next_attempt_at(&c, t0, 5, late, None).is_none());
        // a Retry-After of u64::MAX seconds is a give-up, not an overflow
        let huge = Some(Duration::from_secs(u64::MAX));
        assert!(next_attempt_at(&c, t0, 1, t0, huge).is_none());
    }
}
