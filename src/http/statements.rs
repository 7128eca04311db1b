//! `POST /api/qris/payments/statements`: a bank statement export, reconciled
//! against the orders (docs/AUTO-CONFIRM.md).

use super::auth::require_api_key;
use super::error::ApiError;
use super::state::AppState;
use crate::model::ApiKey;
use crate::service::{Reconciliation, MAX_STATEMENT_BYTES};
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::middleware;
use axum::routing::post;
use axum::{Extension, Json, Router};
use serde::Serialize;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/qris/payments/statements", post(import))
        // the file, and the multipart framing around it
        .layer(DefaultBodyLimit::max(MAX_STATEMENT_BYTES + 64 * 1024))
        .route_layer(middleware::from_fn_with_state(state, require_api_key))
}

#[derive(Serialize)]
struct Imported {
    #[serde(flatten)]
    report: Reconciliation,
    success: bool,
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    super::fields::multipart_error(e, MAX_STATEMENT_BYTES)
}

async fn import(
    State(state): State<AppState>,
    Extension(key): Extension<ApiKey>,
    Extension(actor): Extension<crate::service::Actor>,
    mut mp: Multipart,
) -> Result<Json<Imported>, ApiError> {
    let (mut file, mut date) = (None, None);
    while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("file") => file = Some(field.bytes().await.map_err(multipart_error)?.to_vec()),
            Some("date") => date = Some(field.text().await.map_err(multipart_error)?),
            _ => {}
        }
    }
    let file = file.ok_or_else(|| {
        ApiError::field(
            "file",
            "send the statement's CSV as the multipart field `file`",
        )
    })?;
    let date = date.filter(|d| !d.trim().is_empty());
    let report = state
        .kasir
        .reconcile_statement_by(&actor, file, date.as_deref(), Some(key.id))
        .await?;
    Ok(Json(Imported {
        report,
        success: true,
    }))
}
