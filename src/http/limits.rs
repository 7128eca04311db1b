//! What bounds the endpoints anyone may call: the per-address request limits
//! (counted by [`super::ratelimit`]) and the CORS policy that lets any page
//! call the widget's endpoints.

use super::error::ApiError;
use super::state::AppState;
use crate::service::TrustedProxy;
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Duration;
use tower_http::cors::{Any, CorsLayer};

/// Every endpoint that needs no key: the payment page, its API, the widget's.
pub async fn per_address(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let trusted = trusted_proxy(&state).await;
    state.public_limiter.admit(
        &req,
        &trusted,
        "Too many requests from this address; try again shortly.",
    )?;
    Ok(next.run(req).await)
}

/// Creating widget payments has its own, tighter limit per address: each one
/// is an order in the merchant's book.
pub async fn widget_creates(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let trusted = trusted_proxy(&state).await;
    state.widget_limiter.admit(
        &req,
        &trusted,
        "Too many payments created from this address; try again shortly.",
    )?;
    Ok(next.run(req).await)
}

/// The setting, read through the engine's cache; when it can't be read the
/// header is believed from nobody.
async fn trusted_proxy(state: &AppState) -> TrustedProxy {
    match state.kasir.settings().await {
        Ok(s) => s.trusted_proxy,
        Err(_) => TrustedProxy::None,
    }
}

/// Any page may call these, without credentials (no cookies exist here).
pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(Duration::from_secs(600))
}
