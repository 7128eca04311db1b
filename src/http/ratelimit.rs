//! A fixed-window limit per client for the endpoints anyone can call. A
//! client is an IPv4 address or an IPv6 /64: one subscriber is usually handed
//! a whole /64, so counting each IPv6 address alone would give one client
//! 2^64 separate limits.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    limit: u32,
    window: Duration,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            limit,
            window,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Ok, or the seconds to wait.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        let now = Instant::now();
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 10_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = map.entry(client(ip)).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.limit {
            let wait = self.window.saturating_sub(now.duration_since(entry.0));
            return Err(wait.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

/// What one client is counted as: IPv4 as it is (also when it arrives mapped
/// into IPv6 on a dual-stack socket), IPv6 by its /64 network.
fn client(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !(u64::MAX as u128))),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn one_ipv6_network_shares_one_limit() {
        let l = RateLimiter::new(2, Duration::from_secs(60));
        assert!(l.check(ip("2001:db8:1:2::1")).is_ok());
        assert!(l.check(ip("2001:db8:1:2:ffff::9")).is_ok());
        // a third address of the same /64 is the same client
        assert!(l.check(ip("2001:db8:1:2:abcd::1")).is_err());
        // the next /64 is another one
        assert!(l.check(ip("2001:db8:1:3::1")).is_ok());
    }

    #[test]
    fn ipv4_is_one_client_also_when_mapped_into_ipv6() {
        let l = RateLimiter::new(1, Duration::from_secs(60));
        assert!(l.check(ip("192.0.2.7")).is_ok());
        assert!(l.check(ip("::ffff:192.0.2.7")).is_err());
        assert!(l.check(ip("192.0.2.8")).is_ok());
    }
}
