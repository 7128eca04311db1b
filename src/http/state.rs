//! What every handler is given: the engine, and the per-address limits.

use super::ratelimit::RateLimiter;
use crate::service::Kasir;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct AppState {
    pub kasir: Kasir,
    /// Per-address limits for the endpoints that need no key.
    pub public_limiter: Arc<RateLimiter>,
    /// Widget payments created per address: each is an order in the merchant's book.
    pub widget_limiter: Arc<RateLimiter>,
}

impl AppState {
    pub fn new(kasir: Kasir) -> AppState {
        AppState {
            kasir,
            public_limiter: Arc::new(RateLimiter::new(120, Duration::from_secs(60))),
            widget_limiter: Arc::new(RateLimiter::new(20, Duration::from_secs(60))),
        }
    }
}
