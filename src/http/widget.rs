//! The embeddable payment button: `/widget.js` and the public endpoints it
//! calls. These face the internet when a tunnel is on: no key, per-address
//! limits, bounded input, and CORS open on these routes only.

use super::error::{ApiError, ApiJson};
use super::fields::{self, integer, string};
use super::views;
use super::AppState;
use crate::clock::rfc3339;
use crate::model::Order;
use crate::service::WidgetRequest;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::time::Duration;
use tower_http::cors::{Any, CorsLayer};

const WIDGET_JS: &str = include_str!("assets/widget.js");
const MAX_BODY_BYTES: usize = 16 * 1024;

/// Any page may call these, without credentials (no cookies exist here).
pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(Duration::from_secs(600))
}

pub fn router(state: AppState) -> Router<AppState> {
    let creates = Router::new()
        .route("/api/widget/{merchant_id}/payments", post(create))
        .route_layer(middleware::from_fn_with_state(state.clone(), limit_creates));
    let api = Router::new()
        .route("/api/widget/{merchant_id}", get(merchant))
        .route(
            "/api/widget/{merchant_id}/payments/{link_code}",
            get(payment),
        )
        .merge(creates)
        .route_layer(middleware::from_fn_with_state(
            state,
            super::public::rate_limit,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors());
    Router::new().merge(api).route("/widget.js", get(script))
}

/// Creating payments has its own, tighter limit per address: each one is an
/// order in the merchant's book.
async fn limit_creates(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    state.widget_limiter.admit(
        &req,
        "Too many payments created from this address; try again shortly.",
    )?;
    Ok(next.run(req).await)
}

/// The script's version tag: changes whenever the script does.
fn etag() -> &'static str {
    static TAG: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TAG.get_or_init(|| {
        use sha2::Digest;
        let h = sha2::Sha256::digest(WIDGET_JS.as_bytes());
        format!("\"{}-{}\"", env!("CARGO_PKG_VERSION"), hex::encode(&h[..8]))
    })
}

async fn script(headers: HeaderMap) -> Response {
    let tag = etag();
    let mut res = if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        WIDGET_JS.into_response()
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    // an hour, then revalidated by ETag: a fixed script reaches pages quickly
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600, must-revalidate"),
    );
    h.insert(header::ETAG, HeaderValue::from_str(tag).expect("ascii"));
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    res
}

fn merchant_error(e: crate::Error) -> ApiError {
    match e {
        crate::Error::NotFound(crate::error::Missing::Merchant) => ApiError::new(
            StatusCode::NOT_FOUND,
            "Merchant not found",
            "Merchant tidak ditemukan: periksa data-merchant.",
        ),
        e => e.into(),
    }
}

async fn merchant(
    State(state): State<AppState>,
    Path(merchant_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (qris, settings) = state
        .kasir
        .widget_merchant(&merchant_id)
        .await
        .map_err(merchant_error)?;
    Ok(Json(json!({
        "success": true,
        "merchant_name": qris.merchant_name,
        "merchant_city": qris.merchant_city,
        "min_amount": 1,
        "max_amount": settings.widget_max_amount,
    })))
}

async fn create(
    State(state): State<AppState>,
    Path(merchant_id): Path<String>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Response, ApiError> {
    let body = fields::object(body)?;
    let req = WidgetRequest {
        amount: integer(&body, "amount")?,
        description: string(&body, "description")?,
        callback_url: string(&body, "callback_url")?,
        webhook_url: string(&body, "webhook_url")?,
    };
    let paid = state
        .kasir
        .create_widget_payment(&merchant_id, req)
        .await
        .map_err(merchant_error)?;
    let o = &paid.order;
    let img = super::qr_data_url(o.payload.clone()).await?;
    let settings = state.kasir.settings().await?;
    let mut body = json!({
        "success": true,
        "payment": {
            "order_id": o.order_id,
            "link_code": o.link_code,
            "amount": o.amount,
            "total_amount": o.total_amount,
            "description": o.description,
            "merchant_name": o.merchant_name,
            "status": o.status.as_str(),
            "expires_at": rfc3339(o.expires_at),
            "callback_url": o.callback_url,
            "qris": o.payload,
            "qr_image": img,
            "pay_url": views::link_url(&settings, &o.link_code),
        },
        "webhook_ignored": paid.webhook_ignored,
    });
    if paid.webhook_ignored {
        body["warning"] = json!(
            "webhook_url is not on the merchant's widget allow-list and was ignored; the merchant's default webhook URL is used"
        );
    }
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

fn payment_view(o: &Order) -> Value {
    json!({
        "order_id": o.order_id,
        "link_code": o.link_code,
        "amount": o.amount,
        "total_amount": o.total_amount,
        "status": o.status.as_str(),
        "paid_at": o.paid_at.map(rfc3339),
        "expires_at": rfc3339(o.expires_at),
    })
}

async fn payment(
    State(state): State<AppState>,
    Path((merchant_id, link_code)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let o = state
        .kasir
        .widget_payment(&merchant_id, &link_code)
        .await
        .map_err(merchant_error)?;
    Ok(Json(
        json!({ "success": true, "payment": payment_view(&o) }),
    ))
}
