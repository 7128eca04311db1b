//! The embeddable payment button: `/widget.js` and the public endpoints it
//! calls. These face the internet when a tunnel is on: no key, per-address
//! limits, bounded input, and CORS open on these routes only.

use super::error::ApiError;
use super::fields::{self, ApiJson};
use super::limits;
use super::qr;
use super::state::AppState;
use super::views::{WidgetPaymentCreated, WidgetPaymentStatus};
use crate::service::WidgetRequest;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

const WIDGET_JS: &str = include_str!("assets/widget.js");
const MAX_BODY_BYTES: usize = 16 * 1024;

pub fn router(state: AppState) -> Router<AppState> {
    let creates = Router::new()
        .route("/api/widget/{merchant_id}/payments", post(create))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            limits::widget_creates,
        ));
    let api = Router::new()
        .route("/api/widget/{merchant_id}", get(merchant))
        .route(
            "/api/widget/{merchant_id}/payments/{link_code}",
            get(payment),
        )
        .merge(creates)
        .route_layer(middleware::from_fn_with_state(state, limits::per_address))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(limits::cors());
    Router::new().merge(api).route("/widget.js", get(script))
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

#[derive(Serialize)]
struct Merchant {
    max_amount: u64,
    /// `Rp 10.000.000`, for the widget's "at most" (additive).
    max_amount_text: String,
    merchant_city: String,
    merchant_name: String,
    min_amount: u64,
    success: bool,
}

async fn merchant(
    State(state): State<AppState>,
    Path(merchant_id): Path<String>,
) -> Result<Json<Merchant>, ApiError> {
    let (qris, settings) = state
        .kasir
        .widget_merchant(&merchant_id)
        .await
        .map_err(merchant_error)?;
    Ok(Json(Merchant {
        max_amount: settings.widget_max_amount,
        max_amount_text: crate::pdf::rupiah(settings.widget_max_amount),
        merchant_city: qris.merchant_city,
        merchant_name: qris.merchant_name,
        min_amount: 1,
        success: true,
    }))
}

/// What the widget posts: the amount (maybe typed by the customer) and the
/// page's `data-*` attributes.
#[derive(Deserialize)]
struct CreateBody {
    #[serde(default, deserialize_with = "fields::integer")]
    amount: Option<i128>,
    #[serde(default, deserialize_with = "fields::string")]
    description: Option<String>,
    #[serde(default, deserialize_with = "fields::string")]
    callback_url: Option<String>,
    #[serde(default, deserialize_with = "fields::string")]
    webhook_url: Option<String>,
}

#[derive(Serialize)]
struct Created {
    payment: WidgetPaymentCreated,
    success: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    warning: Option<&'static str>,
    webhook_ignored: bool,
}

async fn create(
    State(state): State<AppState>,
    Path(merchant_id): Path<String>,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<Response, ApiError> {
    let req = WidgetRequest {
        amount: body.amount,
        description: body.description,
        callback_url: body.callback_url,
        webhook_url: body.webhook_url,
    };
    let paid = state
        .kasir
        .create_widget_payment(&merchant_id, req)
        .await
        .map_err(merchant_error)?;
    let o = &paid.order;
    let img = qr::data_url(o.payload.clone()).await?;
    let settings = state.kasir.settings().await?;
    let body = Created {
        payment: WidgetPaymentCreated::new(o, &settings, img),
        success: true,
        warning: paid.webhook_ignored.then_some(
            "webhook_url is not on the merchant's widget allow-list and was ignored; the merchant's default webhook URL is used",
        ),
        webhook_ignored: paid.webhook_ignored,
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(Serialize)]
struct Payment {
    payment: WidgetPaymentStatus,
    success: bool,
}

async fn payment(
    State(state): State<AppState>,
    Path((merchant_id, link_code)): Path<(String, String)>,
) -> Result<Json<Payment>, ApiError> {
    let o = state
        .kasir
        .widget_payment(&merchant_id, &link_code)
        .await
        .map_err(merchant_error)?;
    Ok(Json(Payment {
        payment: WidgetPaymentStatus::new(&o),
        success: true,
    }))
}
