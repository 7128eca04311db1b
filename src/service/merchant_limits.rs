//! Limits per merchant, whoever the clients say they are. The per-address
//! limits in `http::ratelimit` stop one client; these bound what all of them
//! together can do to the shop's book, also behind a proxy that passes a
//! made-up `X-Forwarded-For` through.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Defaults: well above what a shop's customers do in a minute, low enough
/// that a script can't bury the till's order list.
pub const DEFAULT_WIDGET_PAYMENTS_PER_MINUTE: u32 = 30;
pub const DEFAULT_CUSTOMER_CONFIRMATIONS_PER_MINUTE: u32 = 60;
pub const DEFAULT_WIDGET_OPEN_ORDERS_MAX: u32 = 100;
/// The largest value any of these settings takes.
pub const MAX_MERCHANT_LIMIT: i64 = 100_000;

const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Counted {
    WidgetPayment,
    /// A "Sudah Bayar" that moves an order to awaiting confirmation (a repeat
    /// changes nothing and isn't counted).
    CustomerConfirmation,
}

/// One fixed one-minute window per kind of request.
#[derive(Default)]
pub(super) struct MerchantLimits(Mutex<HashMap<Counted, (Instant, u32)>>);

impl MerchantLimits {
    pub fn admit(&self, what: Counted, per_minute: u32) -> Result<()> {
        let now = Instant::now();
        let mut windows = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (start, n) = windows.entry(what).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            (*start, *n) = (now, 0);
        }
        if *n >= per_minute {
            let wait = WINDOW.saturating_sub(now.duration_since(*start));
            return Err(Error::MerchantBusy {
                message: match what {
                    Counted::WidgetPayment => format!(
                        "This shop takes at most {per_minute} widget payments a minute; try again shortly."
                    ),
                    Counted::CustomerConfirmation => format!(
                        "This shop takes at most {per_minute} \"Sudah Bayar\" confirmations a minute; try again shortly."
                    ),
                },
                retry_after_secs: Some(wait.as_secs().max(1)),
            });
        }
        *n += 1;
        Ok(())
    }

    /// Give back what `admit` took for a request that was then refused (the
    /// open-order cap, a bad webhook URL), so refusals don't use the budget.
    pub fn give_back(&self, what: Counted) {
        let mut windows = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, n)) = windows.get_mut(&what) {
            *n = n.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_own_window() {
        let l = MerchantLimits::default();
        for _ in 0..3 {
            l.admit(Counted::WidgetPayment, 3).unwrap();
        }
        let e = l.admit(Counted::WidgetPayment, 3).unwrap_err();
        assert_eq!(e.code(), "merchant_busy");
        assert!(e.to_string().contains("3 widget payments"), "{e}");
        l.admit(Counted::CustomerConfirmation, 3).unwrap();
    }
}
