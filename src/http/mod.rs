//! The embedded HTTP server: the reference API under `/api/qris`, the public
//! payment endpoints under `/api/pay` and the payment page `/p/{link_code}`.

pub mod api;
pub mod error;
pub mod fields;
pub mod public;
pub mod ratelimit;
pub mod views;
mod webhooks;
mod widget;

use crate::service::Kasir;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

#[derive(Clone)]
pub struct AppState {
    pub kasir: Kasir,
    /// Per-address limits for the endpoints that need no key.
    pub public_limiter: Arc<ratelimit::RateLimiter>,
    /// Widget payments created per address: each is an order in the merchant's book.
    pub widget_limiter: Arc<ratelimit::RateLimiter>,
}

impl AppState {
    pub fn new(kasir: Kasir) -> AppState {
        AppState {
            kasir,
            public_limiter: Arc::new(ratelimit::RateLimiter::new(120, Duration::from_secs(60))),
            widget_limiter: Arc::new(ratelimit::RateLimiter::new(20, Duration::from_secs(60))),
        }
    }
}

pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(api::router(state.clone()))
        .merge(public::router(state.clone()))
        .merge(widget::router(state.clone()))
        .fallback(|| async {
            error::ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "Not found",
                "There is no such endpoint. See /api/openapi.json.",
            )
        })
        .with_state(state)
}

/// The QR as a `data:image/png;base64,…` URL, drawn off the async threads.
pub(crate) async fn qr_data_url(payload: String) -> Result<String, error::ApiError> {
    use axum::http::StatusCode;
    tokio::task::spawn_blocking(move || crate::qr_image::png_data_url(&payload))
        .await
        .map_err(|e| {
            error::ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error",
                e.to_string(),
            )
        })?
        .map_err(|e| {
            error::ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Invalid QRIS",
                e.to_string(),
            )
        })
}

/// A running server: where it listens, and the task serving it.
pub struct Server {
    pub addr: SocketAddr,
    pub task: tokio::task::JoinHandle<()>,
}

/// Where `kasir serve` and the desktop till listen unless told otherwise.
pub const DEFAULT_BIND: &str = "127.0.0.1:8787";

/// Bind `addr` (port 0 picks a free port), start serving, and start the
/// background work ([`spawn_background`]): what `kasir serve` runs.
pub async fn start(kasir: Kasir, addr: SocketAddr) -> std::io::Result<Server> {
    let server = listen(kasir.clone(), addr).await?;
    spawn_background(kasir);
    Ok(server)
}

/// Bind `addr` and serve, without the background work: for a process that
/// starts that once and may bind again (the till switching to the LAN).
pub async fn listen(kasir: Kasir, addr: SocketAddr) -> std::io::Result<Server> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    kasir.set_listening(Some(addr));
    let router = app(AppState::new(kasir));
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        {
            tracing::error!("server stopped: {e}");
        }
    });
    Ok(Server { addr, task })
}

/// What runs beside the server, and also without one (a till whose port is
/// taken still expires orders and sends webhooks).
pub fn spawn_background(kasir: Kasir) {
    spawn_expiry_sweeper(kasir.clone());
    spawn_usage_flusher(kasir.clone());
    crate::webhook::worker::spawn(kasir.webhook_outbox());
}

/// Write the API request counts kept in memory, every second.
pub fn spawn_usage_flusher(kasir: Kasir) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = kasir.flush_usage().await {
                tracing::warn!("writing API usage failed: {e}");
            }
        }
    })
}

/// Expire open orders whose time has passed, every second. Reads never wait for
/// this (they show an overdue order as expired); it writes the status and event.
pub fn spawn_expiry_sweeper(kasir: Kasir) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = kasir.expire_due().await {
                tracing::warn!("expiry sweep failed: {e}");
            }
        }
    })
}
