//! `GET /api/qris/shifts` and `GET /api/qris/shifts/{id}`: the till's shifts
//! for an integrator's bookkeeping (docs/PEOPLE.md). A key made for a cashier
//! sees that cashier's own.

use super::auth::require_api_key;
use super::error::ApiError;
use super::paging::Page;
use super::state::AppState;
use crate::clock::rfc3339;
use crate::model::Shift;
use crate::service::Actor;
use axum::extract::{Path, Query, State};
use axum::middleware;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Serialize;
use std::collections::HashMap;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/qris/shifts", get(list))
        .route("/api/qris/shifts/{id}", get(one))
        .route_layer(middleware::from_fn_with_state(state, require_api_key))
}

/// A shift as the API shows it: the till's fields, with its times as the
/// rest of the API writes them (RFC 3339, UTC).
#[derive(Serialize)]
struct ShiftView {
    #[serde(flatten)]
    shift: Shift,
    opened_at: String,
    closed_at: Option<String>,
}

impl From<Shift> for ShiftView {
    fn from(shift: Shift) -> Self {
        ShiftView {
            opened_at: rfc3339(shift.opened_ms),
            closed_at: shift.closed_ms.map(rfc3339),
            shift,
        }
    }
}

#[derive(Serialize)]
struct Shifts {
    shifts: Vec<ShiftView>,
    success: bool,
}

async fn list(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Shifts>, ApiError> {
    let page = Page::from_query(&q, 20, 100)?;
    let shifts = state.kasir.shifts(&actor, page.limit, page.offset).await?;
    Ok(Json(Shifts {
        shifts: shifts.into_iter().map(ShiftView::from).collect(),
        success: true,
    }))
}

#[derive(Serialize)]
struct One {
    shift: ShiftView,
    success: bool,
}

async fn one(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<String>,
) -> Result<Json<One>, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::field("id", format!("id must be a shift's number, got {id:?}")))?;
    let shift = state.kasir.shift(&actor, id).await?;
    Ok(Json(One {
        shift: shift.into(),
        success: true,
    }))
}
