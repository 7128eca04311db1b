//! What was seen of a payment: a notification from the merchant's phone or a
//! credit on a bank statement, kept append-only with what it did.

use crate::clock::Millis;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceSource {
    Notification,
    Statement,
}

impl EvidenceSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceSource::Notification => "notification",
            EvidenceSource::Statement => "statement",
        }
    }
    pub fn parse(s: &str) -> EvidenceSource {
        match s {
            "statement" => EvidenceSource::Statement,
            _ => EvidenceSource::Notification,
        }
    }
}

/// What a piece of evidence did. `Duplicate` is never stored: it is the
/// answer to evidence already recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceResult {
    /// Exactly one order fitted; it is paid now.
    Confirmed,
    /// No open order fitted; kept for the merchant to review.
    Unmatched,
    /// Several orders fitted; none was guessed.
    Ambiguous,
    /// It fits one order, paid already (the phone told first, then the
    /// bank's statement): it is that order's, and changes nothing.
    AlreadyPaid,
    /// Seen before; nothing changed.
    Duplicate,
    /// Not money received (a promo, an OTP, a transfer out).
    NotAPayment,
}

impl EvidenceResult {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceResult::Confirmed => "confirmed",
            EvidenceResult::Unmatched => "unmatched",
            EvidenceResult::Ambiguous => "ambiguous",
            EvidenceResult::AlreadyPaid => "already_paid",
            EvidenceResult::Duplicate => "duplicate",
            EvidenceResult::NotAPayment => "not_a_payment",
        }
    }
    pub fn parse(s: &str) -> EvidenceResult {
        match s {
            "confirmed" => EvidenceResult::Confirmed,
            "ambiguous" => EvidenceResult::Ambiguous,
            "already_paid" => EvidenceResult::AlreadyPaid,
            "not_a_payment" => EvidenceResult::NotAPayment,
            _ => EvidenceResult::Unmatched,
        }
    }
}

/// The merchant's review of evidence that confirmed nothing by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    /// Attached to an order, which the merchant verified with it.
    Attached,
    /// Not for any order (a personal transfer, a test).
    Dismissed,
}

impl Review {
    pub fn as_str(self) -> &'static str {
        match self {
            Review::Attached => "attached",
            Review::Dismissed => "dismissed",
        }
    }
    pub fn parse(s: &str) -> Option<Review> {
        match s {
            "attached" => Some(Review::Attached),
            "dismissed" => Some(Review::Dismissed),
            _ => None,
        }
    }
}

/// One stored piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub source: EvidenceSource,
    /// The Android package, or the statement's layout.
    pub app: String,
    pub title: Option<String>,
    pub text: String,
    /// When the payment happened, as the phone or statement says.
    pub seen_at: Millis,
    pub received_at: Millis,
    pub external_id: Option<String>,
    /// The API key that posted it; None for a statement imported in the till.
    pub api_key_id: Option<i64>,
    pub result: EvidenceResult,
    pub amount: Option<u64>,
    pub payer_name: Option<String>,
    pub detail: String,
    /// The order it confirmed when it came.
    pub order_id: Option<String>,
    pub review: Option<Review>,
    /// The order the merchant attached it to.
    pub review_order_id: Option<String>,
    pub reviewed_at: Option<Millis>,
}

/// Evidence about to be stored.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub source: EvidenceSource,
    pub app: String,
    pub title: Option<String>,
    pub text: String,
    pub seen_at: Millis,
    pub received_at: Millis,
    pub external_id: Option<String>,
    pub api_key_id: Option<i64>,
    pub dedup_key: String,
    pub result: EvidenceResult,
    pub amount: Option<u64>,
    pub payer_name: Option<String>,
    pub detail: String,
    pub order_pk: Option<i64>,
}

/// An order a payment of some total may be for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentCandidate {
    pub pk: i64,
    pub order_id: String,
    /// As stored (the sweeper may not have expired it yet).
    pub status: crate::model::OrderStatus,
    pub created_at: Millis,
    pub expires_at: Millis,
}
