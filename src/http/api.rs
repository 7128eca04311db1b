//! `/api/qris/*`: the reference API, behind `X-API-Key`.

use super::error::{ApiError, ApiJson};
use super::fields::{self, integer, number_text, string};
use super::views;
use super::AppState;
use crate::model::{ApiKey, ConfirmedBy, NewOrder, OrderFilter, OrderSource, OrderStatus};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::{Extension, Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Uploads above this are refused with 413 before they are read whole.
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
const MAX_JSON_BYTES: usize = 64 * 1024;

pub fn router(state: AppState) -> Router<AppState> {
    let upload = Router::new()
        .route("/api/qris/upload", post(upload))
        // a little over the image limit, for the multipart framing around it
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024));
    Router::new()
        .route("/api/qris/my-qris", get(my_qris))
        .route("/api/qris/generate", post(generate))
        .route("/api/qris/render", post(render))
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
        .merge(super::webhooks::router())
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .merge(upload)
        .route_layer(middleware::from_fn_with_state(state, require_api_key))
}

/// Check the key, count the request against its daily limit, and hand the key on.
async fn require_api_key(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let presented = req
        .headers()
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "Missing API key: send it in the X-API-Key header.",
            )
        })?
        .to_string();
    let key = state.kasir.authenticate(&presented).await?;
    // usage is counted per route as the reference names it: `/qris/generate`
    let endpoint = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().trim_start_matches("/api").to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    state.kasir.record_request(&key, &endpoint).await?;
    req.extensions_mut().insert(key);
    Ok(next.run(req).await)
}

async fn upload(State(state): State<AppState>, req: Request) -> Result<Json<Value>, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let imported = if content_type.starts_with("multipart/form-data") {
        let mut mp = Multipart::from_request(req, &state).await.map_err(|e| {
            ApiError::bad_request(format!(
                "The multipart body could not be read: {}",
                e.body_text()
            ))
        })?;
        let mut image = None;
        let mut text = None;
        while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
            match field.name() {
                Some("qris_image") => {
                    image = Some(field.bytes().await.map_err(multipart_error)?.to_vec())
                }
                Some("qris_string") => text = Some(field.text().await.map_err(multipart_error)?),
                _ => {}
            }
        }
        match (image, text) {
            (Some(bytes), _) => state.kasir.import_static_qris_image(bytes).await?,
            (None, Some(s)) => state.kasir.import_static_qris(&s).await?,
            (None, None) => return Err(ApiError::field("qris_image", "Send the sticker's image in the form field qris_image, or the text in qris_string.")),
        }
    } else {
        let ApiJson(body) = ApiJson::<Value>::from_request(req, &state).await?;
        let body = fields::object(body)?;
        let s = string(&body, "qris_string")?.ok_or_else(|| {
            ApiError::field(
                "qris_string",
                "qris_string is required (or upload an image as multipart field qris_image)",
            )
        })?;
        state.kasir.import_static_qris(&s).await?
    };
    Ok(Json(json!({
        "message": "QRIS uploaded successfully",
        "qris_string": imported.qris.payload,
        "merchant": { "name": imported.qris.merchant_name, "city": imported.qris.merchant_city, "nmid": imported.qris.nmid },
        "qris_id": imported.qris.id,
        "warnings": imported.warnings.iter().map(|w| json!({ "code": w.code, "path": w.path, "message": w.message })).collect::<Vec<_>>(),
    })))
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    let status = e.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            status,
            "Payload too large",
            format!(
                "The upload is larger than {} MB.",
                MAX_UPLOAD_BYTES / 1024 / 1024
            ),
        )
    } else {
        ApiError::new(
            status,
            "Bad request",
            format!("The multipart body could not be read: {}", e.body_text()),
        )
    }
}

async fn my_qris(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let all = state.kasir.list_static_qris().await?;
    let Some(default) = all.iter().find(|q| q.is_default).or(all.first()) else {
        return Ok(Json(json!({
            "success": true,
            "has_qris": false,
            "message": "No QRIS found. Please upload your static QRIS first (only needed once).",
        })));
    };
    Ok(Json(json!({
        "success": true,
        "has_qris": true,
        "qris": views::static_qris(default),
        "qris_list": all.iter().map(views::static_qris).collect::<Vec<_>>(),
    })))
}

fn new_order(body: &fields::Object) -> Result<NewOrder, ApiError> {
    let qris_id = match integer(body, "qris_id")? {
        Some(id) if id < 1 || id > i64::MAX as i128 => {
            return Err(ApiError::field(
                "qris_id",
                format!("qris_id {id} does not match any stored static QRIS"),
            ))
        }
        other => other.map(|v| v as i64),
    };
    Ok(NewOrder {
        amount: integer(body, "amount")?,
        fee_type: string(body, "fee_type")?,
        fee_value: number_text(body, "fee_value")?,
        qris_id,
        order_id: string(body, "order_id")?,
        description: string(body, "description")?.or(string(body, "title")?),
        webhook_url: string(body, "webhook_url")?,
        callback_url: string(body, "callback_url")?,
        expires_in_minutes: None,
    })
}

async fn generate(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Value>, ApiError> {
    let body = fields::object(body)?;
    let order = state
        .kasir
        .create_order(new_order(&body)?, OrderSource::Generate)
        .await?;
    let settings = state.kasir.settings().await?;
    let qr_image = super::qr_data_url(order.payload.clone()).await?;
    Ok(Json(json!({
        "success": true,
        "qris": order.payload,
        "qr_image": qr_image,
        "amount": order.amount,
        "fee": views::fee(&order.fee),
        "total_amount": order.total_amount,
        "order_id": order.order_id,
        "expires_at": crate::clock::rfc3339(order.expires_at),
        "payment_link": views::payment_link_created(&order, &settings),
    })))
}

async fn render(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Value>, ApiError> {
    let body = fields::object(body)?;
    let payload = match (
        string(&body, "qris_string")?,
        integer(&body, "qris_data_id")?,
    ) {
        (Some(s), _) => {
            let s = s.trim_end_matches(['\r', '\n']).to_string();
            let d = qris::decode(&s);
            if !d.valid {
                let first = d
                    .issues
                    .iter()
                    .find(|i| i.severity == qris::Severity::Error)
                    .map(|i| i.message.clone())
                    .unwrap_or_default();
                return Err(ApiError::field(
                    "qris_string",
                    format!("qris_string is not a valid QRIS code: {first}"),
                ));
            }
            s
        }
        (None, Some(id)) => {
            let id = i64::try_from(id)
                .map_err(|_| ApiError::field("qris_data_id", "qris_data_id is out of range"))?;
            state
                .kasir
                .static_qris(Some(id))
                .await
                .map_err(|e| match e {
                    crate::Error::NotFound(_) => ApiError::field(
                        "qris_data_id",
                        format!("qris_data_id {id} does not match any stored static QRIS"),
                    ),
                    e => e.into(),
                })?
                .payload
        }
        (None, None) => {
            return Err(ApiError::field(
                "qris_string",
                "Provide either qris_string or qris_data_id.",
            ))
        }
    };
    Ok(Json(
        json!({ "success": true, "qr_image": super::qr_data_url(payload).await? }),
    ))
}

async fn create_payment_link(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Value>, ApiError> {
    let body = fields::object(body)?;
    let order = state
        .kasir
        .create_order(new_order(&body)?, OrderSource::PaymentLink)
        .await?;
    let settings = state.kasir.settings().await?;
    Ok(Json(
        json!({ "success": true, "payment_link": views::payment_link_created(&order, &settings) }),
    ))
}

pub(super) fn paging(
    q: &HashMap<String, String>,
    default_limit: u32,
    max_limit: u32,
) -> Result<(u32, u64), ApiError> {
    let limit = match q.get("limit").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => default_limit,
        Some(s) => match s.parse::<u32>() {
            Ok(n) if (1..=max_limit).contains(&n) => n,
            _ => {
                return Err(ApiError::field(
                    "limit",
                    format!("limit must be a whole number from 1 to {max_limit}, got {s:?}"),
                ))
            }
        },
    };
    let offset = match q.get("offset").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => s.parse::<u64>().map_err(|_| {
            ApiError::field(
                "offset",
                format!("offset must be a whole number of 0 or more, got {s:?}"),
            )
        })?,
    };
    Ok((limit, offset))
}

async fn list_payment_links(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let (limit, offset) = paging(&q, 100, 100)?;
    let (links, total) = state
        .kasir
        .list_orders(OrderFilter {
            limit,
            offset,
            active_only: true,
            ..Default::default()
        })
        .await?;
    let settings = state.kasir.settings().await?;
    Ok(Json(json!({
        "payment_links": links.iter().map(|o| views::payment_link_listed(o, &settings)).collect::<Vec<_>>(),
        "pagination": { "total": total, "limit": limit, "offset": offset },
    })))
}

async fn delete_payment_link(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id: i64 = id.parse().map_err(|_| {
        ApiError::field(
            "id",
            format!("payment link id must be a number, got {id:?}"),
        )
    })?;
    state
        .kasir
        .delete_payment_link(id, ConfirmedBy::Api)
        .await?;
    Ok(Json(
        json!({ "message": "Payment link deleted successfully" }),
    ))
}

async fn list_orders(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let status = match q.get("status").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(OrderStatus::parse(s).ok_or_else(|| {
            ApiError::field("status", format!("status must be one of pending, awaiting_confirmation, paid, expired, cancelled; got {s:?}"))
        })?),
    };
    let (limit, offset) = paging(&q, 20, 100)?;
    let (orders, total) = state
        .kasir
        .list_orders(OrderFilter {
            status,
            limit,
            offset,
            ..Default::default()
        })
        .await?;
    Ok(Json(json!({
        "success": true,
        "orders": orders.iter().map(views::order_summary).collect::<Vec<_>>(),
        "pagination": { "total": total, "limit": limit, "offset": offset },
    })))
}

async fn get_order(
    State(state): State<AppState>,
    Path(order_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let order = state.kasir.order(&order_id).await?;
    let settings = state.kasir.settings().await?;
    Ok(Json(
        json!({ "success": true, "order": views::order_detail(&order, &settings) }),
    ))
}

async fn verify(
    State(state): State<AppState>,
    Path(order_id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    // the body is optional: curl without -d sends none
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        fields::Object::new()
    } else {
        let v: Value = serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("The body is not valid JSON: {e}")))?;
        fields::object(v)?
    };
    let order = state
        .kasir
        .verify(
            &order_id,
            ConfirmedBy::Api,
            string(&body, "payer_name")?,
            string(&body, "payer_note")?,
        )
        .await?;
    Ok(Json(json!({
        "success": true,
        "message": "Payment verified successfully",
        "order": {
            "order_id": order.order_id,
            "amount": order.amount,
            "total_amount": order.total_amount,
            "status": order.status.as_str(),
            "paid_at": order.paid_at.map(crate::clock::rfc3339),
            "confirmed_by": order.confirmed_by.map(ConfirmedBy::as_str),
            "payer_name": order.payer_name,
            "payer_note": order.payer_note,
        }
    })))
}

async fn cancel(
    State(state): State<AppState>,
    Path(order_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let order = state.kasir.cancel(&order_id, ConfirmedBy::Api).await?;
    Ok(Json(json!({
        "success": true,
        "message": "Order cancelled successfully",
        "order": { "order_id": order.order_id, "status": order.status.as_str() },
    })))
}

async fn usage(
    State(state): State<AppState>,
    Extension(key): Extension<ApiKey>,
) -> Result<Json<Value>, ApiError> {
    let u = state.kasir.usage(&key).await?;
    Ok(Json(views::usage(&u)))
}

/// A query parameter that is wrong is a bad request naming it.
fn pdf_response(bytes: Vec<u8>, filename: &str) -> Response {
    use axum::response::IntoResponse;
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
    let bytes = state.kasir.daily_report_pdf(date).await?;
    Ok(pdf_response(bytes, &format!("laporan-harian-{day}.pdf")))
}
