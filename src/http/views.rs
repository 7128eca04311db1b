//! The reference API's JSON shapes, built from the engine's types.

use crate::clock::rfc3339;
use crate::model::*;
use crate::service::Settings;
use serde_json::{json, Value};

pub fn link_url(settings: &Settings, link_code: &str) -> String {
    match &settings.public_base_url {
        Some(base) => format!("{base}/p/{link_code}"),
        None => format!("/p/{link_code}"),
    }
}

fn opt_time(t: Option<i64>) -> Value {
    t.map(|t| json!(rfc3339(t))).unwrap_or(Value::Null)
}

pub fn fee(f: &Option<FeeSpec>) -> Value {
    match f {
        None => Value::Null,
        Some(FeeSpec::Rupiah(v)) => json!({ "type": "rupiah", "value": v }),
        Some(FeeSpec::Percent(p)) => {
            let v: f64 = p.hundredths() as f64 / 100.0;
            json!({ "type": "percent", "value": v })
        }
    }
}

/// The reference shows a title; ours is the description, else a plain name.
pub fn title(o: &Order) -> String {
    o.description
        .clone()
        .unwrap_or_else(|| format!("Pembayaran {}", o.order_id))
}

/// GET /api/qris/orders/{orderId}
pub fn order_detail(o: &Order, s: &Settings) -> Value {
    json!({
        "order_id": o.order_id,
        "title": title(o),
        "description": o.description,
        "amount": o.amount,
        "fee": fee(&o.fee),
        "fee_amount": o.fee_amount,
        "total_amount": o.total_amount,
        "status": o.status.as_str(),
        "is_paid": o.is_paid(),
        "is_expired": o.is_expired(),
        "link_code": o.link_code,
        "url": link_url(s, &o.link_code),
        "qris": o.payload,
        "created_at": rfc3339(o.created_at),
        "expires_at": rfc3339(o.expires_at),
        "paid_at": opt_time(o.paid_at),
        "confirmed_by": o.confirmed_by.map(ConfirmedBy::as_str),
        "payer_name": o.payer_name,
        "payer_note": o.payer_note,
    })
}

/// An entry of GET /api/qris/orders
pub fn order_summary(o: &Order) -> Value {
    json!({
        "order_id": o.order_id,
        "title": title(o),
        "amount": o.amount,
        "total_amount": o.total_amount,
        "status": o.status.as_str(),
        "is_paid": o.is_paid(),
        "is_expired": o.is_expired(),
        "link_code": o.link_code,
        "created_at": rfc3339(o.created_at),
        "expires_at": rfc3339(o.expires_at),
        "paid_at": opt_time(o.paid_at),
    })
}

/// `payment_link` in the generate and payment-link responses.
pub fn payment_link_created(o: &Order, s: &Settings) -> Value {
    json!({
        "id": o.id,
        "link_code": o.link_code,
        "order_id": o.order_id,
        "url": link_url(s, &o.link_code),
        "amount": o.amount,
        "total_amount": o.total_amount,
        "description": o.description,
        "merchant_name": o.merchant_name,
        "webhook_url": o.webhook_url,
        "callback_url": o.callback_url,
        "status": o.status.as_str(),
        "expires_at": rfc3339(o.expires_at),
    })
}

/// An entry of GET /api/qris/payment-links
pub fn payment_link_listed(o: &Order, s: &Settings) -> Value {
    json!({
        "id": o.id,
        "link_code": o.link_code,
        "order_id": o.order_id,
        "url": link_url(s, &o.link_code),
        "amount": o.amount,
        "total_amount": o.total_amount,
        "description": o.description,
        "merchant_name": o.merchant_name,
        "status": o.status.as_str(),
        "is_active": o.is_active,
        "view_count": o.view_count,
        "expires_at": rfc3339(o.expires_at),
        "created_at": rfc3339(o.created_at),
        "is_expired": o.is_expired(),
    })
}

/// What the payment page needs (GET /api/pay/{link_code} and its events).
pub fn pay_page_state(o: &Order) -> Value {
    json!({
        "success": true,
        "link_code": o.link_code,
        "order_id": o.order_id,
        "merchant_name": o.merchant_name,
        "merchant_city": o.merchant_city,
        "amount": o.amount,
        "fee": fee(&o.fee),
        "total_amount": o.total_amount,
        "description": o.description,
        "status": o.status.as_str(),
        "is_active": o.is_active,
        "expires_at": rfc3339(o.expires_at),
        "created_at": rfc3339(o.created_at),
        "paid_at": opt_time(o.paid_at),
        "callback_url": o.page_callback_url(),
    })
}

pub fn static_qris(q: &StaticQris) -> Value {
    json!({
        "id": q.id,
        "qris_string": q.payload,
        "merchant_name": q.merchant_name,
        "merchant_city": q.merchant_city,
        "nmid": q.nmid,
        "acquirer": q.acquirer,
        "is_default": q.is_default,
        "created_at": rfc3339(q.created_at),
        "updated_at": rfc3339(q.updated_at),
    })
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

pub fn usage(u: &Usage) -> Value {
    json!({
        "tier": tier(u.daily_limit),
        "daily_limit": u.daily_limit,
        "usage": {
            "today": {
                "total": u.today_total,
                "remaining": u.daily_limit.map(|l| (l - u.today_total).max(0)),
                "by_endpoint": u.today,
            },
            "this_month": {
                "total": u.month_total,
                "by_endpoint": u.month,
            }
        }
    })
}
