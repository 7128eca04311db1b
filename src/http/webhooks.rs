//! `/api/qris/webhooks/*`: the webhook log, redelivery and a test ping, behind
//! the API key like the rest of `/api/qris`.

use super::api::paging;
use super::error::{ApiError, ApiJson};
use super::fields::{self, string};
use super::AppState;
use crate::service::DeliveryLog;
use crate::webhook::{DeliveryFilter, DeliveryStatus};
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/qris/webhooks/deliveries", get(list))
        .route(
            "/api/qris/webhooks/deliveries/{id}/redeliver",
            post(redeliver),
        )
        .route("/api/qris/webhooks/test", post(test))
}

async fn list(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let status = match q.get("status").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(DeliveryStatus::parse(s).ok_or_else(|| {
            ApiError::field(
                "status",
                format!("status must be one of pending, delivered, failed; got {s:?}"),
            )
        })?),
    };
    let order_id = q
        .get("order_id")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let (limit, offset) = paging(&q, 20, 100)?;
    let (list, total) = state
        .kasir
        .webhook_deliveries(DeliveryFilter {
            order_id,
            status,
            limit,
            offset,
        })
        .await?;
    Ok(Json(json!({
        "success": true,
        "deliveries": list.iter().map(view).collect::<Vec<_>>(),
        "pagination": { "total": total, "limit": limit, "offset": offset },
    })))
}

async fn redeliver(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id: i64 = id.parse().map_err(|_| {
        ApiError::field("id", format!("id must be a delivery's number, got {id:?}"))
    })?;
    let log = state.kasir.redeliver_webhook(id).await?;
    Ok(Json(json!({ "success": true, "delivery": view(&log) })))
}

async fn test(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Value>, ApiError> {
    let body = fields::object(body)?;
    let url = match string(&body, "url")? {
        Some(u) if !u.trim().is_empty() => u,
        _ => {
            let settings = state.kasir.settings().await?;
            settings.default_webhook_url.ok_or_else(|| {
                ApiError::field(
                    "url",
                    "url is required (no default webhook URL is set in the settings)",
                )
            })?
        }
    };
    let log = state.kasir.send_test_webhook(&url).await?;
    let last = log.attempts.last();
    Ok(Json(json!({
        "success": log.delivery.status == DeliveryStatus::Delivered,
        "status_code": last.and_then(|a| a.status_code),
        "error": last.and_then(|a| a.error.clone()),
        "duration_ms": last.map(|a| a.duration_ms),
        "delivery": view(&log),
    })))
}

fn view(log: &DeliveryLog) -> Value {
    let d = &log.delivery;
    let rfc = crate::clock::rfc3339;
    json!({
        "id": d.id,
        "webhook_id": d.webhook_id,
        "event": d.event,
        "order_id": d.order_id,
        "url": d.url,
        "status": d.status.as_str(),
        "attempt_count": d.attempts,
        "next_attempt_at": d.next_attempt_at.map(rfc),
        "last_error": d.last_error,
        "created_at": rfc(d.created_at),
        "delivered_at": d.delivered_at.map(rfc),
        "payload": serde_json::from_str::<Value>(&d.body).unwrap_or(Value::Null),
        "attempts": log.attempts.iter().map(|a| json!({
            "attempt": a.attempt,
            "at": rfc(a.started_at),
            "url": a.url,
            "status_code": a.status_code,
            "error": a.error,
            "duration_ms": a.duration_ms,
            "response_body": a.response_body,
        })).collect::<Vec<_>>(),
    })
}
