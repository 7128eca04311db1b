//! `/api/qris/webhooks/*`: the webhook log, redelivery and a test ping, behind
//! the API key like the rest of `/api/qris`.

use super::auth::require_api_key;
use super::error::ApiError;
use super::fields::{self, ApiJson, MAX_JSON_BYTES};
use super::paging::{Page, Pagination};
use super::state::AppState;
use super::views::DeliveryView;
use crate::webhook::{DeliveryFilter, DeliveryStatus};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::middleware;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/qris/webhooks/deliveries", get(list))
        .route(
            "/api/qris/webhooks/deliveries/{id}/redeliver",
            post(redeliver),
        )
        .route("/api/qris/webhooks/test", post(test))
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .route_layer(middleware::from_fn_with_state(state, require_api_key))
}

#[derive(Serialize)]
struct DeliveryList {
    deliveries: Vec<DeliveryView>,
    pagination: Pagination,
    success: bool,
}

async fn list(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<DeliveryList>, ApiError> {
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
    let page = Page::from_query(&q, 20, 100)?;
    let (list, total) = state
        .kasir
        .webhook_deliveries(DeliveryFilter {
            order_id,
            status,
            limit: page.limit,
            offset: page.offset,
        })
        .await?;
    Ok(Json(DeliveryList {
        deliveries: list.iter().map(DeliveryView::new).collect(),
        pagination: page.of(total),
        success: true,
    }))
}

#[derive(Serialize)]
struct Redelivered {
    delivery: DeliveryView,
    success: bool,
}

async fn redeliver(
    State(state): State<AppState>,
    Extension(actor): Extension<crate::service::Actor>,
    Path(id): Path<String>,
) -> Result<Json<Redelivered>, ApiError> {
    let id: i64 = id.parse().map_err(|_| {
        ApiError::field("id", format!("id must be a delivery's number, got {id:?}"))
    })?;
    let log = state.kasir.redeliver_webhook(&actor, id).await?;
    Ok(Json(Redelivered {
        delivery: DeliveryView::new(&log),
        success: true,
    }))
}

#[derive(Deserialize)]
struct TestBody {
    #[serde(default, deserialize_with = "fields::string")]
    url: Option<String>,
}

/// How the test ping went; `success` is whether the receiver took it.
#[derive(Serialize)]
struct Tested {
    delivery: DeliveryView,
    duration_ms: Option<i64>,
    error: Option<String>,
    status_code: Option<u16>,
    success: bool,
}

async fn test(
    State(state): State<AppState>,
    Extension(actor): Extension<crate::service::Actor>,
    ApiJson(body): ApiJson<TestBody>,
) -> Result<Json<Tested>, ApiError> {
    let url = match body.url {
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
    let log = state.kasir.send_test_webhook(&actor, &url).await?;
    let last = log.attempts.last();
    Ok(Json(Tested {
        delivery: DeliveryView::new(&log),
        duration_ms: last.map(|a| a.duration_ms),
        error: last.and_then(|a| a.error.clone()),
        status_code: last.and_then(|a| a.status_code),
        success: log.delivery.status == DeliveryStatus::Delivered,
    }))
}
