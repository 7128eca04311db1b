//! The embedded HTTP server: the reference API under `/api/qris`, the public
//! payment endpoints under `/api/pay` and the payment page `/p/{link_code}`.

mod answer_shape;
pub mod api;
mod auth;
pub mod error;
pub mod fields;
mod limits;
mod paging;
mod pay_page;
mod payments;
pub mod public;
mod qr;
pub mod ratelimit;
mod serve;
mod shifts;
mod state;
mod statements;
mod static_qris;
pub mod views;
mod webhooks;
mod widget;

pub use state::AppState;

use crate::service::Kasir;
use axum::Router;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;

/// One router per area; the keyed ones check `X-API-Key` themselves, so an
/// unknown path is a 404 with or without a key.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(api::router(state.clone()))
        .merge(static_qris::router(state.clone()))
        .merge(webhooks::router(state.clone()))
        .merge(payments::router(state.clone()))
        .merge(statements::router(state.clone()))
        .merge(shifts::router(state.clone()))
        .merge(public::router(state.clone()))
        .merge(widget::router(state.clone()))
        .fallback(|| async {
            error::ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "Not found",
                "There is no such endpoint. See /api/openapi.json.",
            )
        })
        .layer(axum::middleware::from_fn(answer_shape::shape))
        .with_state(state)
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
    let task = tokio::spawn(serve::serve(listener, router));
    Ok(Server { addr, task })
}

/// What runs beside the server, and also without one (a till whose port is
/// taken still expires orders and sends webhooks).
pub fn spawn_background(kasir: Kasir) {
    spawn_expiry_sweeper(kasir.clone());
    spawn_usage_flusher(kasir.clone());
    crate::webhook::worker::spawn(kasir.webhook_outbox());
    crate::service::spawn_print_worker(kasir);
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
