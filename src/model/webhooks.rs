//! Webhook deliveries as the outbox stores them and the delivery log shows them.

use crate::clock::Millis;
use serde::Serialize;

/// A delivery's state in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        Some(match s {
            "pending" => DeliveryStatus::Pending,
            "delivered" => DeliveryStatus::Delivered,
            "failed" => DeliveryStatus::Failed,
            _ => return None,
        })
    }
}

/// One event to one URL, with its attempts.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub webhook_id: String,
    pub event: String,
    pub order_id: Option<String>,
    pub url: String,
    #[serde(skip)]
    pub origin: String,
    pub body: String,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: Option<Millis>,
    pub created_at: Millis,
    pub delivered_at: Option<Millis>,
    pub last_error: Option<String>,
}

/// One try at sending a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    pub attempt: i64,
    pub url: String,
    pub started_at: Millis,
    pub duration_ms: i64,
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub response_body: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub order_id: Option<String>,
    pub status: Option<DeliveryStatus>,
    pub limit: u32,
    pub offset: u64,
}

/// The merchant's signing secrets: the current one, and for 24 h after a
/// rotation the previous one, whose signature is sent beside the new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookSecret {
    pub secret: String,
    pub previous: Option<String>,
    pub rotated_at: Option<Millis>,
}

/// How long the previous secret still signs after a rotation.
pub const ROTATION_OVERLAP_MS: Millis = 24 * 3600 * 1000;

impl WebhookSecret {
    /// The secrets that sign now, newest first.
    pub fn signing(&self, now: Millis) -> Vec<&str> {
        let mut v = vec![self.secret.as_str()];
        if let (Some(p), Some(at)) = (&self.previous, self.rotated_at) {
            if now - at < ROTATION_OVERLAP_MS {
                v.push(p);
            }
        }
        v
    }
}
