//! The reference API's JSON shapes, built from the engine's types.
//!
//! Field order: these bodies were `json!` maps, which serde_json (built
//! without `preserve_order`) writes with their keys sorted, and that is the
//! order integrators have seen. A struct is written in the order its fields
//! are declared, so every response struct in `http` declares its fields in
//! sorted order; the tests below check the views.

use crate::clock::rfc3339;
use crate::model::*;
use crate::pdf::rupiah;
use crate::service::{DeliveryLog, Settings};
use crate::webhook::DeliveryStatus;
use serde::Serialize;
use serde_json::Value;

pub fn link_url(settings: &Settings, link_code: &str) -> String {
    match &settings.public_base_url {
        Some(base) => format!("{base}/p/{link_code}"),
        None => format!("/p/{link_code}"),
    }
}

/// The reference shows a title; ours is the description, else a plain name.
pub fn title(o: &Order) -> String {
    o.description
        .clone()
        .unwrap_or_else(|| format!("Pembayaran {}", o.order_id))
}

/// `{"type": "rupiah", "value": 1000}` or `{"type": "percent", "value": 2.5}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Fee {
    Rupiah(u64),
    Percent(f64),
}

impl Fee {
    pub fn of(f: &Option<FeeSpec>) -> Option<Fee> {
        f.map(|f| match f {
            FeeSpec::Rupiah(v) => Fee::Rupiah(v),
            FeeSpec::Percent(p) => Fee::Percent(p.hundredths() as f64 / 100.0),
        })
    }
}

/// A line of an order made from a cart (docs/SALES.md).
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub discount: u64,
    pub line_no: u32,
    pub name: String,
    pub note: Option<String>,
    pub product_id: Option<i64>,
    pub quantity: u32,
    pub refunded_amount: u64,
    pub refunded_quantity: u32,
    pub total: u64,
    pub unit_price: u64,
}

impl ItemView {
    pub fn of(o: &Order) -> Vec<ItemView> {
        let Some(sale) = &o.sale else { return vec![] };
        sale.items
            .iter()
            .map(|i| ItemView {
                discount: i.discount,
                line_no: i.line_no,
                name: i.name.clone(),
                note: i.note.clone(),
                product_id: i.product_id,
                quantity: i.quantity,
                refunded_amount: i.refunded_amount,
                refunded_quantity: i.refunded_quantity,
                total: i.total,
                unit_price: i.unit_price,
            })
            .collect()
    }
}

/// The money of an order made from a cart; null for an amount-only one.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct TotalsView {
    pub discount: u64,
    pub rounding: i64,
    pub service: u64,
    pub subtotal: u64,
    pub tax: u64,
    pub tax_inclusive: bool,
    pub total: u64,
}

impl TotalsView {
    pub fn of(o: &Order) -> Option<TotalsView> {
        o.sale.as_ref().map(|s| TotalsView {
            discount: s.totals.discount,
            rounding: s.totals.rounding,
            service: s.totals.service,
            subtotal: s.totals.subtotal,
            tax: s.totals.tax,
            tax_inclusive: s.totals.tax_inclusive,
            total: s.totals.total,
        })
    }
}

fn cash_of(o: &Order) -> CashTender {
    o.sale.as_ref().map(|s| s.cash).unwrap_or_default()
}

/// GET /api/qris/orders/{orderId}
#[derive(Debug, Clone, Serialize)]
pub struct OrderDetail {
    pub amount: u64,
    /// The cash part of the sale (0 for QRIS).
    pub cash_amount: u64,
    pub cash_tendered: u64,
    /// Who made it at the till; null for an integration's order.
    pub cashier: Option<String>,
    pub change_amount: u64,
    pub confirmed_by: Option<ConfirmedBy>,
    pub created_at: String,
    pub description: Option<String>,
    pub expires_at: String,
    pub fee: Option<Fee>,
    pub fee_amount: u64,
    pub is_expired: bool,
    pub is_paid: bool,
    /// The cart's lines; empty for an amount-only order.
    pub items: Vec<ItemView>,
    pub link_code: String,
    pub order_id: String,
    pub paid_at: Option<String>,
    pub payer_name: Option<String>,
    pub payer_note: Option<String>,
    pub payment_method: PaymentMethod,
    pub qris: String,
    pub refunded_amount: u64,
    pub status: OrderStatus,
    pub title: String,
    pub total_amount: u64,
    pub totals: Option<TotalsView>,
    /// What the code added to (or, negative, took from) `amount`; 0 without unique totals.
    pub unique_code: i64,
    pub url: String,
}

impl OrderDetail {
    pub fn new(o: &Order, s: &Settings) -> OrderDetail {
        let cash = cash_of(o);
        OrderDetail {
            amount: o.amount,
            cash_amount: cash.cash_amount,
            cash_tendered: cash.cash_tendered,
            cashier: o.cashier.clone(),
            change_amount: cash.change_amount,
            confirmed_by: o.confirmed_by,
            created_at: rfc3339(o.created_at),
            description: o.description.clone(),
            expires_at: rfc3339(o.expires_at),
            fee: Fee::of(&o.fee),
            fee_amount: o.fee_amount,
            is_expired: o.is_expired(),
            is_paid: o.is_paid(),
            items: ItemView::of(o),
            link_code: o.link_code.clone(),
            order_id: o.order_id.clone(),
            paid_at: o.paid_at.map(rfc3339),
            payer_name: o.payer_name.clone(),
            payer_note: o.payer_note.clone(),
            payment_method: o.payment_method,
            qris: o.payload.clone(),
            refunded_amount: o.refunded_amount,
            status: o.status,
            title: title(o),
            total_amount: o.total_amount,
            totals: TotalsView::of(o),
            unique_code: o.unique_code,
            url: link_url(s, &o.link_code),
        }
    }
}

/// An entry of GET /api/qris/orders
#[derive(Debug, Serialize)]
pub struct OrderSummary {
    pub amount: u64,
    pub cashier: Option<String>,
    pub created_at: String,
    pub expires_at: String,
    pub is_expired: bool,
    pub is_paid: bool,
    pub link_code: String,
    pub order_id: String,
    pub paid_at: Option<String>,
    pub payment_method: PaymentMethod,
    pub refunded_amount: u64,
    pub status: OrderStatus,
    pub title: String,
    pub total_amount: u64,
    /// What the code added to (or, negative, took from) `amount`; 0 without unique totals.
    pub unique_code: i64,
}

impl OrderSummary {
    pub fn new(o: &Order) -> OrderSummary {
        OrderSummary {
            amount: o.amount,
            cashier: o.cashier.clone(),
            created_at: rfc3339(o.created_at),
            expires_at: rfc3339(o.expires_at),
            is_expired: o.is_expired(),
            is_paid: o.is_paid(),
            link_code: o.link_code.clone(),
            order_id: o.order_id.clone(),
            paid_at: o.paid_at.map(rfc3339),
            payment_method: o.payment_method,
            refunded_amount: o.refunded_amount,
            status: o.status,
            title: title(o),
            total_amount: o.total_amount,
            unique_code: o.unique_code,
        }
    }
}

/// `payment_link` in the generate and payment-link responses.
#[derive(Debug, Serialize)]
pub struct PaymentLinkCreated {
    pub amount: u64,
    pub callback_url: Option<String>,
    pub description: Option<String>,
    pub expires_at: String,
    pub id: i64,
    pub link_code: String,
    pub merchant_name: String,
    pub order_id: String,
    pub status: OrderStatus,
    pub total_amount: u64,
    /// What the code added to (or, negative, took from) `amount`; 0 without unique totals.
    pub unique_code: i64,
    pub url: String,
    pub webhook_url: Option<String>,
}

impl PaymentLinkCreated {
    pub fn new(o: &Order, s: &Settings) -> PaymentLinkCreated {
        PaymentLinkCreated {
            amount: o.amount,
            callback_url: o.callback_url.clone(),
            description: o.description.clone(),
            expires_at: rfc3339(o.expires_at),
            id: o.id,
            link_code: o.link_code.clone(),
            merchant_name: o.merchant_name.clone(),
            order_id: o.order_id.clone(),
            status: o.status,
            total_amount: o.total_amount,
            unique_code: o.unique_code,
            url: link_url(s, &o.link_code),
            webhook_url: o.webhook_url.clone(),
        }
    }
}

/// An entry of GET /api/qris/payment-links
#[derive(Debug, Clone, Serialize)]
pub struct PaymentLinkListed {
    pub amount: u64,
    pub created_at: String,
    pub description: Option<String>,
    pub expires_at: String,
    pub id: i64,
    pub is_active: bool,
    pub is_expired: bool,
    pub link_code: String,
    pub merchant_name: String,
    pub order_id: String,
    pub status: OrderStatus,
    pub total_amount: u64,
    /// What the code added to (or, negative, took from) `amount`; 0 without unique totals.
    pub unique_code: i64,
    pub url: String,
    pub view_count: i64,
}

impl PaymentLinkListed {
    pub fn new(o: &Order, s: &Settings) -> PaymentLinkListed {
        PaymentLinkListed {
            amount: o.amount,
            created_at: rfc3339(o.created_at),
            description: o.description.clone(),
            expires_at: rfc3339(o.expires_at),
            id: o.id,
            is_active: o.is_active,
            is_expired: o.is_expired(),
            link_code: o.link_code.clone(),
            merchant_name: o.merchant_name.clone(),
            order_id: o.order_id.clone(),
            status: o.status,
            total_amount: o.total_amount,
            unique_code: o.unique_code,
            url: link_url(s, &o.link_code),
            view_count: o.view_count,
        }
    }
}

/// What the payment page needs: GET /api/pay/{link_code}, and each of its
/// events without the QR.
#[derive(Debug, Serialize)]
pub struct PayPageState {
    pub amount: u64,
    /// `Rp 50.000`: the customer's pages show the engine's words for money
    /// rather than formatting it a second way in JavaScript (additive).
    pub amount_text: String,
    pub callback_url: Option<String>,
    pub created_at: String,
    pub description: Option<String>,
    pub expires_at: String,
    pub fee: Option<Fee>,
    /// The fee the customer pays on top, as text; null without a fee.
    pub fee_text: Option<String>,
    pub is_active: bool,
    pub link_code: String,
    pub merchant_city: String,
    pub merchant_name: String,
    pub order_id: String,
    pub paid_at: Option<String>,
    /// Absent in the events; null once the order is closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qr_image: Option<Option<String>>,
    /// Absent in the events; null once the order is closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qris: Option<Option<String>>,
    pub status: OrderStatus,
    pub success: bool,
    pub total_amount: u64,
    pub total_text: String,
    /// What the code added to (or, negative, took from) `amount`; 0 without unique totals.
    pub unique_code: i64,
}

impl PayPageState {
    /// The state as an event carries it.
    pub fn new(o: &Order) -> PayPageState {
        PayPageState {
            amount: o.amount,
            amount_text: rupiah(o.amount),
            callback_url: o.page_callback_url().map(str::to_string),
            created_at: rfc3339(o.created_at),
            description: o.description.clone(),
            expires_at: rfc3339(o.expires_at),
            fee: Fee::of(&o.fee),
            fee_text: (o.fee_amount > 0).then(|| rupiah(o.fee_amount)),
            is_active: o.is_active,
            link_code: o.link_code.clone(),
            merchant_city: o.merchant_city.clone(),
            merchant_name: o.merchant_name.clone(),
            order_id: o.order_id.clone(),
            paid_at: o.paid_at.map(rfc3339),
            qr_image: None,
            qris: None,
            status: o.status,
            success: true,
            total_amount: o.total_amount,
            total_text: rupiah(o.total_amount),
            unique_code: o.unique_code,
        }
    }

    /// The state with the code to pay and its image, `None` when the order is
    /// closed and nothing should be paid any more.
    pub fn with_qr(self, qr: Option<(String, String)>) -> PayPageState {
        let (qris, qr_image) = qr.unzip();
        PayPageState {
            qr_image: Some(qr_image),
            qris: Some(qris),
            ..self
        }
    }
}

/// The event sent when the link is gone.
#[derive(Debug, Serialize)]
pub struct PayPageGone {
    pub status: &'static str,
    pub success: bool,
}

/// A stored static QRIS, in `qris` and `qris_list` of GET /api/qris/my-qris.
#[derive(Debug, Serialize)]
pub struct StaticQrisView {
    pub acquirer: Option<String>,
    pub created_at: String,
    pub id: i64,
    pub is_default: bool,
    pub merchant_city: String,
    pub merchant_name: String,
    pub nmid: Option<String>,
    pub qris_string: String,
    pub updated_at: String,
}

impl StaticQrisView {
    pub fn new(q: &StaticQris) -> StaticQrisView {
        StaticQrisView {
            acquirer: q.acquirer.clone(),
            created_at: rfc3339(q.created_at),
            id: q.id,
            is_default: q.is_default,
            merchant_city: q.merchant_city.clone(),
            merchant_name: q.merchant_name.clone(),
            nmid: q.nmid.clone(),
            qris_string: q.payload.clone(),
            updated_at: rfc3339(q.updated_at),
        }
    }
}

/// The reference's tiers: free is 50 requests a day, premium 1000.
pub fn tier(limit: Option<i64>) -> &'static str {
    match limit {
        None => "unlimited",
        Some(50) => "free",
        Some(1000) => "premium",
        Some(_) => "custom",
    }
}

/// GET /api/qris/usage
#[derive(Debug, Serialize)]
pub struct UsageView {
    pub daily_limit: Option<i64>,
    pub tier: &'static str,
    pub usage: UsagePeriods,
}

#[derive(Debug, Serialize)]
pub struct UsagePeriods {
    pub this_month: MonthUsage,
    pub today: DayUsage,
}

#[derive(Debug, Serialize)]
pub struct DayUsage {
    pub by_endpoint: Vec<EndpointCount>,
    pub remaining: Option<i64>,
    pub total: i64,
}

#[derive(Debug, Serialize)]
pub struct MonthUsage {
    pub by_endpoint: Vec<EndpointCount>,
    pub total: i64,
}

impl UsageView {
    pub fn new(u: Usage) -> UsageView {
        UsageView {
            daily_limit: u.daily_limit,
            tier: tier(u.daily_limit),
            usage: UsagePeriods {
                this_month: MonthUsage {
                    by_endpoint: u.month,
                    total: u.month_total,
                },
                today: DayUsage {
                    by_endpoint: u.today,
                    remaining: u.daily_limit.map(|l| (l - u.today_total).max(0)),
                    total: u.today_total,
                },
            },
        }
    }
}

/// A webhook delivery with its attempts, in the webhook log endpoints.
#[derive(Debug, Serialize)]
pub struct DeliveryView {
    pub attempt_count: i64,
    pub attempts: Vec<AttemptView>,
    pub created_at: String,
    pub delivered_at: Option<String>,
    pub event: String,
    pub id: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<String>,
    pub order_id: Option<String>,
    /// The body as it was sent, parsed: any JSON the event carried.
    pub payload: Value,
    pub status: DeliveryStatus,
    pub url: String,
    pub webhook_id: String,
}

#[derive(Debug, Serialize)]
pub struct AttemptView {
    pub at: String,
    pub attempt: i64,
    pub duration_ms: i64,
    pub error: Option<String>,
    pub response_body: Option<String>,
    pub status_code: Option<u16>,
    pub url: String,
}

impl DeliveryView {
    pub fn new(log: &DeliveryLog) -> DeliveryView {
        let d = &log.delivery;
        DeliveryView {
            attempt_count: d.attempts,
            attempts: log
                .attempts
                .iter()
                .map(|a| AttemptView {
                    at: rfc3339(a.started_at),
                    attempt: a.attempt,
                    duration_ms: a.duration_ms,
                    error: a.error.clone(),
                    response_body: a.response_body.clone(),
                    status_code: a.status_code,
                    url: a.url.clone(),
                })
                .collect(),
            created_at: rfc3339(d.created_at),
            delivered_at: d.delivered_at.map(rfc3339),
            event: d.event.clone(),
            id: d.id,
            last_error: d.last_error.clone(),
            next_attempt_at: d.next_attempt_at.map(rfc3339),
            order_id: d.order_id.clone(),
            payload: serde_json::from_str(&d.body).unwrap_or(Value::Null),
            status: d.status,
            url: d.url.clone(),
            webhook_id: d.webhook_id.clone(),
        }
    }
}

/// `payment` of the widget's create answer: the order and the code to pay.
#[derive(Debug, Serialize)]
pub struct WidgetPaymentCreated {
    pub amount: u64,
    pub callback_url: Option<String>,
    pub description: Option<String>,
    pub expires_at: String,
    pub link_code: String,
    pub merchant_name: String,
    pub order_id: String,
    pub pay_url: String,
    pub qr_image: String,
    pub qris: String,
    pub status: OrderStatus,
    pub total_amount: u64,
    /// `Rp 50.000`, for the widget to show as is (additive).
    pub total_text: String,
    /// What the code added to (or, negative, took from) `amount`; 0 without unique totals.
    pub unique_code: i64,
}

impl WidgetPaymentCreated {
    pub fn new(o: &Order, s: &Settings, qr_image: String) -> WidgetPaymentCreated {
        WidgetPaymentCreated {
            amount: o.amount,
            callback_url: o.callback_url.clone(),
            description: o.description.clone(),
            expires_at: rfc3339(o.expires_at),
            link_code: o.link_code.clone(),
            merchant_name: o.merchant_name.clone(),
            order_id: o.order_id.clone(),
            pay_url: link_url(s, &o.link_code),
            qr_image,
            qris: o.payload.clone(),
            status: o.status,
            total_amount: o.total_amount,
            total_text: rupiah(o.total_amount),
            unique_code: o.unique_code,
        }
    }
}

/// `payment` of the widget's status answer, which the widget polls.
#[derive(Debug, Serialize)]
pub struct WidgetPaymentStatus {
    pub amount: u64,
    pub expires_at: String,
    pub link_code: String,
    pub order_id: String,
    pub paid_at: Option<String>,
    pub status: OrderStatus,
    pub total_amount: u64,
    /// What the code added to (or, negative, took from) `amount`; 0 without unique totals.
    pub unique_code: i64,
}

impl WidgetPaymentStatus {
    pub fn new(o: &Order) -> WidgetPaymentStatus {
        WidgetPaymentStatus {
            amount: o.amount,
            expires_at: rfc3339(o.expires_at),
            link_code: o.link_code.clone(),
            order_id: o.order_id.clone(),
            paid_at: o.paid_at.map(rfc3339),
            status: o.status,
            total_amount: o.total_amount,
            unique_code: o.unique_code,
        }
    }
}

#[cfg(test)]
mod tests;
