//! The shop's nouns: static QRIS, orders, their events, API keys, webhook
//! deliveries. Plain data: the rules about them live in `service`.

mod evidence;
mod people;
mod print_jobs;
mod sales;
mod webhooks;

use crate::clock::Millis;
use serde::{Deserialize, Serialize};

pub use evidence::{
    Evidence, EvidenceResult, EvidenceSource, NewEvidence, PaymentCandidate, Review,
};
pub use people::{CountLine, Role, Shift, ShiftStatus, User, UserRef};
pub use print_jobs::{PrintJob, PrintJobStatus};
pub use sales::{
    CashTender, Category, OpenBill, OrderItem, PaymentMethod, Product, Refund, RefundMethod, Sale,
    SaleTotals,
};
pub use webhooks::{
    Attempt, Delivery, DeliveryFilter, DeliveryStatus, WebhookSecret, ROTATION_OVERLAP_MS,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Pending,
    AwaitingConfirmation,
    Paid,
    Cancelled,
    Expired,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::AwaitingConfirmation => "awaiting_confirmation",
            OrderStatus::Paid => "paid",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Expired => "expired",
        }
    }
    pub fn parse(s: &str) -> Option<OrderStatus> {
        Some(match s {
            "pending" => OrderStatus::Pending,
            "awaiting_confirmation" => OrderStatus::AwaitingConfirmation,
            "paid" => OrderStatus::Paid,
            "cancelled" => OrderStatus::Cancelled,
            "expired" => OrderStatus::Expired,
            _ => return None,
        })
    }
    /// Still waiting for money: the states that expire.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            OrderStatus::Pending | OrderStatus::AwaitingConfirmation
        )
    }

    /// The status a stored one reads as at `now`: an open order past its
    /// expiry is expired for the customer, the integrator and the till, even
    /// before the sweeper has written that. The one place this rule is
    /// written; `store::order_status` holds its SQL forms, tested against it.
    pub fn as_of(self, expires_at: Millis, now: Millis) -> OrderStatus {
        if self.is_open() && expires_at <= now {
            OrderStatus::Expired
        } else {
            self
        }
    }
}

/// Who verified a payment, as the reference reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmedBy {
    /// An integrator, through the API.
    Api,
    /// The cashier, in the till.
    Dashboard,
    /// The merchant's phone was notified the money arrived (docs/AUTO-CONFIRM.md).
    Notification,
    /// A credit on an imported bank statement.
    Statement,
}

impl ConfirmedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            ConfirmedBy::Api => "api",
            ConfirmedBy::Dashboard => "dashboard",
            ConfirmedBy::Notification => "notification",
            ConfirmedBy::Statement => "statement",
        }
    }
    pub fn parse(s: &str) -> Option<ConfirmedBy> {
        match s {
            "api" => Some(ConfirmedBy::Api),
            "dashboard" => Some(ConfirmedBy::Dashboard),
            "notification" => Some(ConfirmedBy::Notification),
            "statement" => Some(ConfirmedBy::Statement),
            _ => None,
        }
    }
}

/// Where an order was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderSource {
    Generate,
    PaymentLink,
    Till,
    Widget,
}

impl OrderSource {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderSource::Generate => "generate",
            OrderSource::PaymentLink => "payment_link",
            OrderSource::Till => "till",
            OrderSource::Widget => "widget",
        }
    }
    pub fn parse(s: &str) -> OrderSource {
        match s {
            "payment_link" => OrderSource::PaymentLink,
            "till" => OrderSource::Till,
            "widget" => OrderSource::Widget,
            _ => OrderSource::Generate,
        }
    }
}

/// A convenience fee on top of the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeSpec {
    Rupiah(u64),
    Percent(qris::Percent),
}

impl FeeSpec {
    pub fn kind(&self) -> &'static str {
        match self {
            FeeSpec::Rupiah(_) => "rupiah",
            FeeSpec::Percent(_) => "percent",
        }
    }
    /// The value as the API shows it: `1000` or `2.5`.
    pub fn value_text(&self) -> String {
        match self {
            FeeSpec::Rupiah(v) => v.to_string(),
            FeeSpec::Percent(p) => p.to_string(),
        }
    }
    /// The fee in rupiah for an amount. A percent fee is what the payer's app
    /// adds from tag 57; we show it rounded half up to whole rupiah.
    pub fn rupiah_for(&self, amount: u64) -> u64 {
        match self {
            FeeSpec::Rupiah(v) => *v,
            FeeSpec::Percent(p) => {
                ((amount as u128 * p.hundredths() as u128 + 5_000) / 10_000) as u64
            }
        }
    }
    pub fn to_qris(self) -> qris::Fee {
        match self {
            FeeSpec::Rupiah(v) => qris::Fee::Rupiah(v),
            FeeSpec::Percent(p) => qris::Fee::Percent(p),
        }
    }
    pub fn from_stored(kind: &str, value: &str) -> Option<FeeSpec> {
        match kind {
            "rupiah" => value.parse().ok().map(FeeSpec::Rupiah),
            "percent" => qris::Percent::parse(value).map(FeeSpec::Percent),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaticQris {
    pub id: i64,
    pub payload: String,
    pub merchant_name: String,
    pub merchant_city: String,
    pub nmid: Option<String>,
    pub acquirer: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub is_default: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: i64,
    pub order_id: String,
    pub link_code: String,
    pub qris_id: i64,
    pub merchant_name: String,
    pub merchant_city: String,
    pub source: OrderSource,
    /// What was asked; the QR charges `amount + unique_code` (plus any fee).
    pub amount: u64,
    /// Added to (or, negative, taken from) the amount so that no two open
    /// orders have the same total; 0 when unique totals are off.
    pub unique_code: i64,
    pub fee: Option<FeeSpec>,
    pub fee_amount: u64,
    pub total_amount: u64,
    pub description: Option<String>,
    pub payload: String,
    /// The status as the customer and integrator see it: an open order past its
    /// expiry reads as expired even before the sweeper has written that.
    pub status: OrderStatus,
    pub webhook_url: Option<String>,
    pub callback_url: Option<String>,
    pub created_at: Millis,
    pub expires_at: Millis,
    pub paid_at: Option<Millis>,
    pub customer_confirmed_at: Option<Millis>,
    pub confirmed_by: Option<ConfirmedBy>,
    pub payer_name: Option<String>,
    pub payer_note: Option<String>,
    pub view_count: i64,
    pub is_active: bool,
    pub payment_method: PaymentMethod,
    /// Money given back so far (docs/SALES.md).
    pub refunded_amount: u64,
    /// The cart it was made from; none for an amount-only order.
    pub sale: Option<Sale>,
    /// Who made it at the till (their name then), and in which shift; none
    /// for an integration's order.
    pub cashier_id: Option<i64>,
    pub cashier: Option<String>,
    pub shift_id: Option<i64>,
}

impl Order {
    /// Where the public payment page sends the customer after "Sudah Bayar".
    /// Not for widget orders: anyone who knows the (public) merchant ID can make
    /// one with any callback, and the page must not become a redirect on the
    /// merchant's address to a site of their choosing. The widget follows its
    /// own `data-callback` on the merchant's page instead.
    pub fn page_callback_url(&self) -> Option<&str> {
        match self.source {
            OrderSource::Widget => None,
            _ => self.callback_url.as_deref(),
        }
    }

    pub fn is_paid(&self) -> bool {
        self.status == OrderStatus::Paid
    }
    pub fn is_expired(&self) -> bool {
        self.status == OrderStatus::Expired
    }
}

/// What the caller asks for when making an order.
#[derive(Debug, Clone, Default)]
pub struct NewOrder {
    pub amount: Option<i128>,
    pub fee_type: Option<String>,
    pub fee_value: Option<String>,
    pub qris_id: Option<i64>,
    pub order_id: Option<String>,
    pub description: Option<String>,
    pub webhook_url: Option<String>,
    pub callback_url: Option<String>,
    /// Minutes until expiry; None means the merchant's setting.
    pub expires_in_minutes: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub limit: u32,
    pub offset: u64,
    /// Only orders whose order_id contains this (the till's search).
    pub search: Option<String>,
    /// Only orders created in [from, to).
    pub created_from: Option<Millis>,
    pub created_to: Option<Millis>,
    /// Only active payment links (not deleted).
    pub active_only: bool,
}

/// What happened to an order: the name of its event in the audit trail, on
/// the payment page's event stream and in webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderEvent {
    #[serde(rename = "order.created")]
    Created,
    #[serde(rename = "payment.awaiting_confirmation")]
    AwaitingConfirmation,
    #[serde(rename = "payment.confirmed")]
    Confirmed,
    #[serde(rename = "payment.cancelled")]
    Cancelled,
    #[serde(rename = "payment.expired")]
    Expired,
    /// Money was given back (in full or by lines); the order stays paid.
    #[serde(rename = "payment.refunded")]
    Refunded,
}

impl OrderEvent {
    pub const ALL: [OrderEvent; 6] = [
        OrderEvent::Created,
        OrderEvent::AwaitingConfirmation,
        OrderEvent::Confirmed,
        OrderEvent::Cancelled,
        OrderEvent::Expired,
        OrderEvent::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderEvent::Created => "order.created",
            OrderEvent::AwaitingConfirmation => "payment.awaiting_confirmation",
            OrderEvent::Confirmed => "payment.confirmed",
            OrderEvent::Cancelled => "payment.cancelled",
            OrderEvent::Expired => "payment.expired",
            OrderEvent::Refunded => "payment.refunded",
        }
    }

    pub fn parse(s: &str) -> Option<OrderEvent> {
        OrderEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// Integrators receive every event but the order's creation (the
    /// reference sends none for it: the caller made the order).
    pub fn is_webhook(self) -> bool {
        self != OrderEvent::Created
    }
}

impl std::fmt::Display for OrderEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A state change, as it was committed, broadcast to the payment page's
/// event stream and the till.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderChange {
    pub id: i64,
    pub event: OrderEvent,
    pub order_id: String,
    pub link_code: String,
    pub status: OrderStatus,
    pub amount: u64,
    pub total_amount: u64,
    /// Who saw the money, on a payment's change (the till says "Lunas
    /// otomatis" for a notification or a statement).
    pub confirmed_by: Option<ConfirmedBy>,
    pub created_at: Millis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub key_prefix: String,
    pub scope: KeyScope,
    pub daily_limit: Option<i64>,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
    pub revoked_at: Option<Millis>,
    /// The person the key acts as (a cashier's own device); none: the
    /// owner's integration.
    pub user_id: Option<i64>,
}

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyScope {
    /// Everything the API offers (every key made before scopes existed).
    #[default]
    Full,
    /// Only `POST /api/qris/payments/notifications`: the key the shop's phone
    /// holds, which can't verify, cancel or read orders.
    Notifications,
}

impl KeyScope {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyScope::Full => "full",
            KeyScope::Notifications => "notifications",
        }
    }
    pub fn parse(s: &str) -> Option<KeyScope> {
        match s.trim() {
            "full" => Some(KeyScope::Full),
            "notifications" => Some(KeyScope::Notifications),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndpointCount {
    pub endpoint: String,
    pub request_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    pub daily_limit: Option<i64>,
    pub today_total: i64,
    pub today: Vec<EndpointCount>,
    pub month_total: i64,
    pub month: Vec<EndpointCount>,
}

/// A stored state change of an order, as the audit trail shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRecord {
    pub id: i64,
    pub event: String,
    pub from_status: Option<String>,
    pub to_status: String,
    /// `customer`, `api`, `dashboard`, `system`, or where an order was made.
    pub actor: String,
    pub created_at: Millis,
    /// The person at the till who did it, and the owner who approved it.
    pub user_name: Option<String>,
    pub approved_by: Option<String>,
}
