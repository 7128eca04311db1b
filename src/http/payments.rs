//! `/api/qris/payments/*`: payment evidence. The merchant's phone posts its
//! notifications here (with a `notifications` key, which can do nothing
//! else); the merchant reads and reviews what they did.

use super::auth::require_api_key;
use super::error::ApiError;
use super::fields::{ApiJson, MAX_JSON_BYTES};
use super::state::AppState;
use crate::clock::rfc3339;
use crate::model::{ApiKey, Evidence, EvidenceResult};
use crate::service::{Notification, NotificationOutcome};
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/qris/payments/notifications", post(notification))
        .route("/api/qris/payments/evidence", get(list))
        .route("/api/qris/payments/evidence/{id}/attach", post(attach))
        .route("/api/qris/payments/evidence/{id}/dismiss", post(dismiss))
        .layer(DefaultBodyLimit::max(MAX_JSON_BYTES))
        .route_layer(middleware::from_fn_with_state(state, require_api_key))
}

/// The names forwarders give each field, ours first.
const ALIASES: [(&str, &[&str]); 5] = [
    (
        "app",
        &["app", "package", "package_name", "packageName", "pkg"],
    ),
    ("title", &["title"]),
    ("text", &["text", "message", "body", "content", "big_text"]),
    (
        "posted_at",
        &["posted_at", "postedAt", "timestamp", "time", "post_time"],
    ),
    ("id", &["id", "notification_id", "key"]),
];

fn notification_of(fields: impl Fn(&str) -> Option<String>) -> Notification {
    let get = |ours: &str| {
        let names = ALIASES.iter().find(|(o, _)| *o == ours).map(|(_, n)| *n);
        names?.iter().find_map(|n| fields(n))
    };
    Notification {
        app: get("app"),
        title: get("title"),
        text: get("text"),
        posted_at: get("posted_at"),
        id: get("id"),
        api_key_id: None,
    }
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[derive(Serialize)]
struct Received {
    amount: Option<u64>,
    detail: String,
    evidence_id: i64,
    order_id: Option<String>,
    result: EvidenceResult,
    success: bool,
}

async fn notification(
    State(state): State<AppState>,
    req: Request,
) -> Result<(StatusCode, Json<Received>), ApiError> {
    let key = req.extensions().get::<ApiKey>().cloned();
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let n = if form {
        let axum::Form(map) = axum::Form::<HashMap<String, String>>::from_request(req, &state)
            .await
            .map_err(|e| {
                ApiError::bad_request(format!(
                    "The form body could not be read: {}",
                    e.body_text()
                ))
            })?;
        notification_of(|k| map.get(k).cloned())
    } else {
        let ApiJson(v) = ApiJson::<Value>::from_request(req, &state).await?;
        let Value::Object(map) = v else {
            return Err(ApiError::bad_request(
                "The body must be a JSON object like {\"app\": \"id.dana\", \"title\": \"…\", \"text\": \"…\"}.",
            ));
        };
        notification_of(|k| map.get(k).and_then(as_text))
    };
    let mut n = n;
    n.api_key_id = key.map(|k| k.id);
    let NotificationOutcome {
        result,
        amount,
        order_id,
        evidence_id,
        detail,
    } = state.kasir.receive_notification(n).await?;
    // a new record is created; a duplicate points at the one already there
    let status = match result {
        EvidenceResult::Duplicate => StatusCode::OK,
        _ => StatusCode::CREATED,
    };
    Ok((
        status,
        Json(Received {
            amount,
            detail,
            evidence_id,
            order_id,
            result,
            success: true,
        }),
    ))
}

/// A piece of evidence as the API shows it.
#[derive(Serialize)]
pub struct EvidenceView {
    amount: Option<u64>,
    app: String,
    detail: String,
    api_key_id: Option<i64>,
    external_id: Option<String>,
    id: i64,
    order_id: Option<String>,
    payer_name: Option<String>,
    received_at: String,
    result: EvidenceResult,
    review: Option<crate::model::Review>,
    review_order_id: Option<String>,
    reviewed_at: Option<String>,
    seen_at: String,
    source: crate::model::EvidenceSource,
    text: String,
    title: Option<String>,
}

impl EvidenceView {
    pub fn new(e: &Evidence) -> EvidenceView {
        EvidenceView {
            amount: e.amount,
            api_key_id: e.api_key_id,
            app: e.app.clone(),
            detail: e.detail.clone(),
            external_id: e.external_id.clone(),
            id: e.id,
            order_id: e.order_id.clone(),
            payer_name: e.payer_name.clone(),
            received_at: rfc3339(e.received_at),
            result: e.result,
            review: e.review,
            review_order_id: e.review_order_id.clone(),
            reviewed_at: e.reviewed_at.map(rfc3339),
            seen_at: rfc3339(e.seen_at),
            source: e.source,
            text: e.text.clone(),
            title: e.title.clone(),
        }
    }
}

#[derive(Serialize)]
struct EvidenceList {
    evidence: Vec<EvidenceView>,
    success: bool,
}

async fn list(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<EvidenceList>, ApiError> {
    let to_review = match q.get("review").map(|s| s.trim()) {
        None | Some("") | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(other) => {
            return Err(ApiError::field(
                "review",
                format!("review must be true or false, got {other:?}"),
            ))
        }
    };
    let limit = match q.get("limit").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => 50,
        Some(l) => l.parse::<u32>().map_err(|_| {
            ApiError::field(
                "limit",
                format!("limit must be a number from 1 to 200, got {l:?}"),
            )
        })?,
    };
    let list = state.kasir.payment_evidence(to_review, limit).await?;
    Ok(Json(EvidenceList {
        evidence: list.iter().map(EvidenceView::new).collect(),
        success: true,
    }))
}

fn evidence_id(id: &str) -> Result<i64, ApiError> {
    id.parse().map_err(|_| {
        ApiError::field(
            "id",
            format!("id must be a piece of evidence's number, got {id:?}"),
        )
    })
}

#[derive(Deserialize)]
struct AttachBody {
    order_id: Option<String>,
}

async fn attach(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AttachBody>,
) -> Result<Json<Value>, ApiError> {
    let id = evidence_id(&id)?;
    let order_id = body
        .order_id
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            ApiError::field(
                "order_id",
                "order_id is required: the order this payment was for",
            )
        })?;
    let order = state.kasir.attach_evidence(id, &order_id).await?;
    let settings = state.kasir.settings().await?;
    Ok(Json(serde_json::json!({
        "order": super::views::OrderDetail::new(&order, &settings),
        "success": true,
    })))
}

#[derive(Serialize)]
struct Dismissed {
    evidence: EvidenceView,
    success: bool,
}

async fn dismiss(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Dismissed>, ApiError> {
    let e = state.kasir.dismiss_evidence(evidence_id(&id)?).await?;
    Ok(Json(Dismissed {
        evidence: EvidenceView::new(&e),
        success: true,
    }))
}
