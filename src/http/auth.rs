//! The `X-API-Key` check every `/api/qris` route sits behind.

use super::error::ApiError;
use super::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Check the key, count the request against its daily limit, and hand the key on.
pub async fn require_api_key(
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
        .get::<MatchedPath>()
        .map(|p| p.as_str().trim_start_matches("/api").to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    state.kasir.check_key_scope(&key, &endpoint)?;
    state.kasir.record_request(&key, &endpoint).await?;
    let actor = state.kasir.api_actor(&key).await?;
    req.extensions_mut().insert(key);
    req.extensions_mut().insert(actor);
    Ok(next.run(req).await)
}
