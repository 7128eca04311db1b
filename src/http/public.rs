//! What customers and anyone on the network may call without a key: the
//! payment page and its endpoints, the OpenAPI document, health. Rate-limited
//! per client address.

use super::error::ApiError;
use super::limits;
use super::qr;
use super::state::AppState;
use super::views::{PayPageGone, PayPageState};
use crate::model::{Order, OrderChange, OrderStatus};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio_stream::wrappers::BroadcastStream;

const PAY_PAGE: &str = include_str!("assets/pay.html");
const OPENAPI: &str = include_str!("assets/openapi.json");
/// The page is self-contained: its own inline style and script, images as
/// data: URLs. Only that style and script run, named by their hashes (taken
/// from the page itself, so they can't drift from it): markup that reaches the
/// page some other way can't run or restyle anything.
static PAY_PAGE_CSP: std::sync::LazyLock<HeaderValue> = std::sync::LazyLock::new(|| {
    let csp = format!(
        "default-src 'none'; img-src 'self' data:; style-src '{}'; script-src '{}'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        inline_hash(PAY_PAGE, "<style>", "</style>"),
        inline_hash(PAY_PAGE, "<script>", "</script>"),
    );
    HeaderValue::from_str(&csp).expect("a CSP of ASCII")
});

/// `sha256-…` of the text between the first `open` and the next `close`, as
/// CSP hashes an inline element's content.
fn inline_hash(page: &str, open: &str, close: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let start = page.find(open).expect("the page has the element") + open.len();
    let len = page[start..].find(close).expect("the element is closed");
    let digest = sha2::Sha256::digest(&page.as_bytes()[start..start + len]);
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

pub fn router(state: AppState) -> Router<AppState> {
    let limited = Router::new()
        .route("/p/{link_code}", get(pay_page))
        .route("/p/{link_code}/qr.png", get(pay_qr_png))
        // the page's own form, for a phone without JavaScript
        .route("/p/{link_code}/confirm", post(pay_confirm_form))
        .route("/api/pay/{link_code}", get(pay_state))
        .route("/api/pay/{link_code}/view", post(pay_view))
        // the embeddable widget confirms from the merchant's own site
        .route(
            "/api/pay/{link_code}/confirm",
            post(pay_confirm).layer(limits::cors()),
        )
        .route("/api/pay/{link_code}/events", get(pay_events))
        .route_layer(middleware::from_fn_with_state(state, limits::per_address));
    Router::new()
        .merge(limited)
        .route("/api/openapi.json", get(openapi))
        .route("/api/health", get(health))
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
}

async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// A link code is 8 characters from our alphabet; anything else is not found
/// without touching the database.
fn plausible(code: &str) -> bool {
    code.len() == 8 && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "Link pembayaran tidak ditemukan",
        "Link pembayaran tidak ditemukan atau sudah dihapus.",
    )
}

/// Not found stays the reference's 404; anything else (a database failure) is not
/// disguised as a missing link.
fn link_error(e: crate::Error) -> ApiError {
    match e {
        crate::Error::NotFound(_) => not_found(),
        e => e.into(),
    }
}

async fn pay_page(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    let order = match plausible(&code) {
        true => state.kasir.payment_link(&code).await.ok(),
        false => None,
    };
    let (status, page) = match &order {
        Some(o) => {
            // the preview's image needs an absolute URL: the public base when
            // set, else the address the visitor used
            let base = match state
                .kasir
                .settings()
                .await
                .ok()
                .and_then(|s| s.public_base_url)
            {
                Some(b) => b,
                None => {
                    let host = headers
                        .get(header::HOST)
                        .and_then(|h| h.to_str().ok())
                        .unwrap_or("127.0.0.1");
                    format!("http://{host}")
                }
            };
            (StatusCode::OK, super::pay_page::render(PAY_PAGE, o, &base))
        }
        None => (StatusCode::NOT_FOUND, PAY_PAGE.to_string()),
    };
    let mut res = (status, axum::response::Html(page)).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, PAY_PAGE_CSP.clone());
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// The QR of an open payment link as a PNG: the page's `<img>` without
/// JavaScript, and the shared link's preview image. Gone once it is closed.
async fn pay_qr_png(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    if !plausible(&code) {
        return Err(not_found());
    }
    let o = state.kasir.payment_link(&code).await.map_err(link_error)?;
    if !o.status.is_open() {
        return Err(ApiError::new(
            StatusCode::GONE,
            "Link tidak aktif",
            "Pembayaran ini sudah selesai: QR-nya tidak ditampilkan lagi.",
        ));
    }
    let png =
        tokio::task::spawn_blocking(move || crate::qr_image::render_png_scaled(&o.payload, 8))
            .await
            .map_err(|_| ApiError::from(crate::Error::TaskFailed("drawing the QR")))?
            .map_err(|e| {
                ApiError::from(crate::Error::InvalidQris {
                    message: e.to_string(),
                    issues: vec![],
                })
            })?;
    let mut res = png.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// "Sudah Bayar" from the page's plain form: the same step as the script's,
/// then back to the page, which shows what happened.
async fn pay_confirm_form(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    if !plausible(&code) {
        return Err(not_found());
    }
    match state.kasir.confirm_paid_by_customer(&code).await {
        Ok(_) | Err(crate::Error::Closed { .. }) => {}
        Err(e) => return Err(link_error(e)),
    }
    Ok(axum::response::Redirect::to(&format!("/p/{code}")).into_response())
}

async fn pay_state(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<PayPageState>, ApiError> {
    if !plausible(&code) {
        return Err(not_found());
    }
    let order = state.kasir.payment_link(&code).await.map_err(link_error)?;
    let qr = if order.status.is_open() {
        let img = qr::data_url(order.payload.clone()).await?;
        Some((order.payload.clone(), img))
    } else {
        None
    };
    Ok(Json(PayPageState::new(&order).with_qr(qr)))
}

#[derive(Serialize)]
struct Viewed {
    success: bool,
}

async fn pay_view(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Viewed>, ApiError> {
    if !plausible(&code) {
        return Err(not_found());
    }
    state.kasir.record_view(&code).await.map_err(link_error)?;
    Ok(Json(Viewed { success: true }))
}

#[derive(Serialize)]
struct Confirmed {
    message: &'static str,
    order_id: String,
    status: OrderStatus,
    success: bool,
}

async fn pay_confirm(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Confirmed>, ApiError> {
    if !plausible(&code) {
        return Err(not_found());
    }
    let order = state
        .kasir
        .confirm_paid_by_customer(&code)
        .await
        .map_err(link_error)?;
    Ok(Json(Confirmed {
        message: "Konfirmasi pembayaran berhasil dikirim",
        order_id: order.order_id,
        status: order.status,
        success: true,
    }))
}

/// One `status` event of the payment page's stream.
fn status_event(data: &impl Serialize) -> Event {
    // plain structs of strings, numbers and options: writing them can't fail
    let json = serde_json::to_string(data).unwrap_or_default();
    Event::default().event("status").data(json)
}

fn state_event(o: &Order) -> Event {
    status_event(&PayPageState::new(o))
}

/// Live status for the payment page: the current state first, then one message
/// per state change of this link.
async fn pay_events(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    if !plausible(&code) {
        return Err(not_found());
    }
    // subscribe before reading, so no change between the two is missed
    let rx = state.kasir.subscribe();
    let order = state.kasir.payment_link(&code).await.map_err(link_error)?;
    let first = state_event(&order);
    let kasir = state.kasir.clone();
    let updates = BroadcastStream::new(rx)
        .filter_map(move |e: Result<OrderChange, _>| {
            let code = code.clone();
            async move {
                match e {
                    Ok(ev) if ev.link_code == code => Some(code),
                    // lagged: we may have missed ours, so send the state again
                    Err(_) => Some(code),
                    Ok(_) => None,
                }
            }
        })
        .then(move |code| {
            let kasir = kasir.clone();
            async move {
                match kasir.payment_link(&code).await {
                    Ok(o) => state_event(&o),
                    Err(_) => status_event(&PayPageGone {
                        status: "deleted",
                        success: false,
                    }),
                }
            }
        })
        .map(Ok);
    let stream = stream::once(async move { Ok(first) }).chain(updates);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}
