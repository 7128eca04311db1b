//! `/api/qris/*` orders and payment links, usage and the PDFs: the reference
//! API, behind `X-API-Key`.

use super::auth::require_api_key;
use super::error::ApiError;
use super::fields::{self, ApiJson, MAX_JSON_BYTES};
use super::paging::{Page, Pagination};
use super::qr;
use super::state::AppState;
use super::views::{
    Fee, OrderDetail, OrderSummary, PaymentLinkCreated, PaymentLinkListed, UsageView,
};
use crate::model::{ApiKey, ConfirmedBy, NewOrder, OrderFilter, OrderSource, OrderStatus};
use crate::service::Actor;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::header;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/qris/generate", post(generate))
        .route("/api/qris/payment-link", post(create_payment_link))
        .route("/api/qris/payment-links", get(list_payment_links))
        .route("/api/qris/payment-link/{id}", delete(delete_payment_link))
        .route("/api/qris/orders", get(list_orders))
        .route("/api/qris/orders/{order_id}", get(get_order))
        .route("/api/qris/orders/{order_id}/verify", post(verify))
        .route("/api/qris/orders/{order_id}/cancel", post(cancel))
        .route("/api/qris/usage", get(usage))
        .route("/api/qris/orders/{order_id}/receipt.pdf", get(receipt_pdf))
        .route("/api/qris/reports/daily.pdf", get(daily_report_pdf))
        .route("/api/qris/reports/daily", get(daily_report))
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .route_layer(middleware::from_fn_with_state(state, require_api_key))
}

/// The body of POST /api/qris/generate and /api/qris/payment-link.
#[derive(Deserialize)]
struct OrderBody {
    #[serde(default, deserialize_with = "fields::integer")]
    amount: Option<i128>,
    #[serde(default, deserialize_with = "fields::string")]
    fee_type: Option<String>,
    #[serde(default, deserialize_with = "fields::number_text")]
    fee_value: Option<String>,
    #[serde(default, deserialize_with = "fields::integer")]
    qris_id: Option<i128>,
    #[serde(default, deserialize_with = "fields::string")]
    order_id: Option<String>,
    #[serde(default, deserialize_with = "fields::string")]
    description: Option<String>,
    /// The reference's name for the description, taken when that is absent.
    #[serde(default, deserialize_with = "fields::string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "fields::string")]
    webhook_url: Option<String>,
    #[serde(default, deserialize_with = "fields::string")]
    callback_url: Option<String>,
}

impl OrderBody {
    fn into_new_order(self) -> Result<NewOrder, ApiError> {
        let qris_id = match self.qris_id {
            Some(id) if id < 1 || id > i64::MAX as i128 => {
                return Err(ApiError::field(
                    "qris_id",
                    format!("qris_id {id} does not match any stored static QRIS"),
                ))
            }
            other => other.map(|v| v as i64),
        };
        Ok(NewOrder {
            amount: self.amount,
            fee_type: self.fee_type,
            fee_value: self.fee_value,
            qris_id,
            order_id: self.order_id,
            description: self.description.or(self.title),
            webhook_url: self.webhook_url,
            callback_url: self.callback_url,
            expires_in_minutes: None,
        })
    }
}

#[derive(Serialize)]
struct Generated {
    amount: u64,
    expires_at: String,
    fee: Option<Fee>,
    order_id: String,
    payment_link: PaymentLinkCreated,
    qr_image: String,
    qris: String,
    success: bool,
    total_amount: u64,
}

async fn generate(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(body): ApiJson<OrderBody>,
) -> Result<Json<Generated>, ApiError> {
    let order = state
        .kasir
        .create_order(&actor, body.into_new_order()?, OrderSource::Generate)
        .await?;
    let settings = state.kasir.settings().await?;
    let qr_image = qr::data_url(order.payload.clone()).await?;
    Ok(Json(Generated {
        amount: order.amount,
        expires_at: crate::clock::rfc3339(order.expires_at),
        fee: Fee::of(&order.fee),
        order_id: order.order_id.clone(),
        payment_link: PaymentLinkCreated::new(&order, &settings),
        qr_image,
        qris: order.payload,
        success: true,
        total_amount: order.total_amount,
    }))
}

#[derive(Serialize)]
struct LinkCreated {
    payment_link: PaymentLinkCreated,
    success: bool,
}

async fn create_payment_link(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    ApiJson(body): ApiJson<OrderBody>,
) -> Result<Json<LinkCreated>, ApiError> {
    let order = state
        .kasir
        .create_order(&actor, body.into_new_order()?, OrderSource::PaymentLink)
        .await?;
    let settings = state.kasir.settings().await?;
    Ok(Json(LinkCreated {
        payment_link: PaymentLinkCreated::new(&order, &settings),
        success: true,
    }))
}

/// The reference's list of links has no `success`.
#[derive(Serialize)]
struct LinkList {
    pagination: Pagination,
    payment_links: Vec<PaymentLinkListed>,
}

async fn list_payment_links(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<LinkList>, ApiError> {
    let page = Page::from_query(&q, 100, 100)?;
    let (links, total) = state
        .kasir
        .list_orders(OrderFilter {
            limit: page.limit,
            offset: page.offset,
            active_only: true,
            ..Default::default()
        })
        .await?;
    let settings = state.kasir.settings().await?;
    Ok(Json(LinkList {
        pagination: page.of(total),
        payment_links: links
            .iter()
            .map(|o| PaymentLinkListed::new(o, &settings))
            .collect(),
    }))
}

/// An answer that is only a message: the reference's delete has no `success`.
#[derive(Serialize)]
struct Message {
    message: &'static str,
}

async fn delete_payment_link(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> Result<Json<Message>, ApiError> {
    let id: i64 = id.parse().map_err(|_| {
        ApiError::field(
            "id",
            format!("payment link id must be a number, got {id:?}"),
        )
    })?;
    state.kasir.delete_payment_link(&actor, id).await?;
    Ok(Json(Message {
        message: "Payment link deleted successfully",
    }))
}

#[derive(Serialize)]
struct OrderList {
    orders: Vec<OrderSummary>,
    pagination: Pagination,
    success: bool,
}

async fn list_orders(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<OrderList>, ApiError> {
    let status = match q.get("status").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(OrderStatus::parse(s).ok_or_else(|| {
            ApiError::field("status", format!("status must be one of pending, awaiting_confirmation, paid, expired, cancelled; got {s:?}"))
        })?),
    };
    let page = Page::from_query(&q, 20, 100)?;
    let (orders, total) = state
        .kasir
        .list_orders(OrderFilter {
            status,
            limit: page.limit,
            offset: page.offset,
            ..Default::default()
        })
        .await?;
    Ok(Json(OrderList {
        orders: orders.iter().map(OrderSummary::new).collect(),
        pagination: page.of(total),
        success: true,
    }))
}

#[derive(Serialize)]
struct OneOrder {
    order: OrderDetail,
    success: bool,
}

async fn get_order(
    State(state): State<AppState>,
    Path(order_id): Path<String>,
) -> Result<Json<OneOrder>, ApiError> {
    let order = state.kasir.order(&order_id).await?;
    let settings = state.kasir.settings().await?;
    Ok(Json(OneOrder {
        order: OrderDetail::new(&order, &settings),
        success: true,
    }))
}

/// The optional body of POST /api/qris/orders/{orderId}/verify.
#[derive(Default, Deserialize)]
struct VerifyBody {
    #[serde(default, deserialize_with = "fields::string")]
    payer_name: Option<String>,
    #[serde(default, deserialize_with = "fields::string")]
    payer_note: Option<String>,
}

#[derive(Serialize)]
struct Verified {
    message: &'static str,
    order: VerifiedOrder,
    success: bool,
}

#[derive(Serialize)]
struct VerifiedOrder {
    amount: u64,
    confirmed_by: Option<ConfirmedBy>,
    order_id: String,
    paid_at: Option<String>,
    payer_name: Option<String>,
    payer_note: Option<String>,
    status: OrderStatus,
    total_amount: u64,
}

async fn verify(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(order_id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Verified>, ApiError> {
    let body: VerifyBody = fields::optional_body(&body)?;
    let order = state
        .kasir
        .verify(&actor, &order_id, body.payer_name, body.payer_note)
        .await?;
    Ok(Json(Verified {
        message: "Payment verified successfully",
        order: VerifiedOrder {
            amount: order.amount,
            confirmed_by: order.confirmed_by,
            order_id: order.order_id,
            paid_at: order.paid_at.map(crate::clock::rfc3339),
            payer_name: order.payer_name,
            payer_note: order.payer_note,
            status: order.status,
            total_amount: order.total_amount,
        },
        success: true,
    }))
}

#[derive(Serialize)]
struct Cancelled {
    message: &'static str,
    order: CancelledOrder,
    success: bool,
}

#[derive(Serialize)]
struct CancelledOrder {
    order_id: String,
    status: OrderStatus,
}

async fn cancel(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(order_id): Path<String>,
) -> Result<Json<Cancelled>, ApiError> {
    let order = state.kasir.cancel(&actor, &order_id).await?;
    Ok(Json(Cancelled {
        message: "Order cancelled successfully",
        order: CancelledOrder {
            order_id: order.order_id,
            status: order.status,
        },
        success: true,
    }))
}

async fn usage(
    State(state): State<AppState>,
    Extension(key): Extension<ApiKey>,
) -> Result<Json<UsageView>, ApiError> {
    let u = state.kasir.usage(&key).await?;
    Ok(Json(UsageView::new(u)))
}

fn pdf_response(bytes: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            // inline: a browser or the till shows it, and can still save it under this name
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

async fn receipt_pdf(
    State(state): State<AppState>,
    Path(order_id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let paper = crate::pdf::Paper::receipt(q.get("paper").map_or("58", String::as_str))?;
    let bytes = state.kasir.receipt_pdf(&order_id, paper).await?;
    // order ids are letters, digits, '-', '_' and '.', so safe in the header
    Ok(pdf_response(
        bytes,
        &format!("struk-{order_id}-{}.pdf", paper.as_str()),
    ))
}

async fn daily_report_pdf(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let date = q.get("date").map(|d| d.trim()).unwrap_or("");
    if date.is_empty() {
        return Err(ApiError::field(
            "date",
            "date is required: the day as YYYY-MM-DD, e.g. 2025-12-26",
        ));
    }
    let day = crate::service::parse_day(date)?;
    let bytes = state.kasir.daily_report_pdf(&actor, date).await?;
    Ok(pdf_response(bytes, &format!("laporan-harian-{day}.pdf")))
}

/// The same day's report as data: tenders, refunds, items, best sellers.
/// Without `date`, today in the merchant's zone.
async fn daily_report(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<crate::receipt::report::DailyJson>, ApiError> {
    Ok(Json(
        state
            .kasir
            .daily_report_json(&actor, q.get("date").map(String::as_str))
            .await?,
    ))
}
