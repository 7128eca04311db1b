//! Serving connections ourselves rather than with `axum::serve`, for two
//! reasons. Hyper refuses a request with more headers than it reads with an
//! empty 431 before any layer of ours sees it; here it reads up to
//! [`HYPER_MAX_HEADERS`], and `answer_shape` refuses more than
//! [`MAX_HEADERS`] in the reference's JSON shape. And a client that sends its
//! headers a byte at a time is dropped after [`HEADER_READ_TIMEOUT`] instead
//! of holding a connection open for ever.
//!
//! As with `axum::serve`, stopping the accept loop (the till switching from
//! the LAN back to this computer only aborts its task) also closes the open
//! connections, gracefully: a LAN client's keep-alive connection doesn't
//! outlive the merchant's choice.

use axum::extract::connect_info::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Headers a request may carry; more get a JSON 431 from `answer_shape`.
pub const MAX_HEADERS: usize = 100;
/// Bytes of header names and values a request may carry (browsers send a few KB).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// What hyper itself parses: past this (or its 400 KB read buffer) it closes
/// the connection with an empty 431, the one answer that is not ours.
const HYPER_MAX_HEADERS: usize = 1000;
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

pub async fn serve(listener: TcpListener, router: Router) {
    // dropped with this future; every connection watches it
    let (stop, stopped) = tokio::sync::watch::channel(());
    let _stop = stop;
    loop {
        let (stream, remote) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                wait_after_accept_error(e).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |req: axum::http::Request<Incoming>| {
                let mut req = req.map(axum::body::Body::new);
                req.extensions_mut().insert(ConnectInfo(remote));
                req
            });
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let mut http1 = hyper::server::conn::http1::Builder::new();
            http1
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .max_headers(HYPER_MAX_HEADERS);
            let conn = http1
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
                .with_upgrades();
            let mut conn = std::pin::pin!(conn);
            let result = tokio::select! {
                r = conn.as_mut() => r,
                _ = stopped.changed() => {
                    // the server stopped: finish the request in flight, then close
                    conn.as_mut().graceful_shutdown();
                    conn.await
                }
            };
            if let Err(e) = result {
                tracing::trace!("connection from {remote} ended: {e}");
            }
        });
    }
}

/// A client hanging up between connect and accept is nothing; running out of
/// file descriptors is, and retrying at once would spin (what hyper 0.14 did).
async fn wait_after_accept_error(e: std::io::Error) {
    use std::io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!("accepting a connection failed: {e}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
