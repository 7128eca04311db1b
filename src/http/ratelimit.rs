//! A fixed-window limit per client for the endpoints anyone can call. A
//! client is an IPv4 address or an IPv6 /64: one subscriber is usually handed
//! a whole /64, so counting each IPv6 address alone would give one client
//! 2^64 separate limits.

use super::error::ApiError;
use crate::service::TrustedProxy;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, StatusCode};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many clients are remembered at once. Past this, clients not seen in
/// the current window share one overflow limit, so someone inventing
/// addresses (a /48 of IPv6 networks, or a header a misconfigured proxy passes
/// through) can't grow the table without bound or make every check walk it.
const MAX_CLIENTS: usize = 50_000;

/// The key the overflow clients share. [`client`] zeroes the low 64 bits of
/// every IPv6 key, so no client is ever counted as `::1`.
const OVERFLOW: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

pub struct RateLimiter {
    limit: u32,
    window: Duration,
    state: Mutex<Windows>,
}

struct Windows {
    clients: HashMap<IpAddr, (Instant, u32)>,
    /// When finished windows were last dropped from `clients`.
    swept: Instant,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            limit,
            window,
            state: Mutex::new(Windows {
                clients: HashMap::new(),
                swept: Instant::now(),
            }),
        }
    }

    /// Count a request against its client's window (see [`client_address`]);
    /// over the limit, a 429 with Retry-After whose message is `too_many`.
    pub fn admit(
        &self,
        req: &Request,
        trusted: &TrustedProxy,
        too_many: &'static str,
    ) -> Result<(), ApiError> {
        let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>() else {
            return Ok(());
        };
        self.check(client_address(*peer, req.headers(), trusted))
            .map_err(|wait| ApiError {
                retry_after: Some(wait),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Terlalu banyak permintaan",
                    too_many,
                )
            })
    }

    /// Ok, or the seconds to wait.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        self.check_at(ip, Instant::now(), MAX_CLIENTS)
    }

    fn check_at(&self, ip: IpAddr, now: Instant, max_clients: usize) -> Result<(), u64> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let Windows { clients, swept } = &mut *state;
        let mut key = client(ip);
        if clients.len() >= max_clients && !clients.contains_key(&key) {
            // a full table is swept at most once a second: the walk is O(n)
            if now.duration_since(*swept) >= Duration::from_secs(1) {
                clients.retain(|_, (start, _)| now.duration_since(*start) < self.window);
                *swept = now;
            }
            if clients.len() >= max_clients {
                key = OVERFLOW;
            }
        }
        let entry = clients.entry(key).or_insert((now, 0));
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

/// The address a request comes from, as the limits count it.
///
/// A tunnel agent (cloudflared, ngrok) or a reverse proxy connects for every
/// customer and says who the customer is in `X-Forwarded-For`. The header is
/// believed only when the connection comes from a proxy the merchant trusts
/// (the `trusted_proxy` setting, off by default), and read from the right:
/// each proxy appends the address it saw, so the rightmost address that isn't
/// a trusted proxy is the one the last outside hop saw; what a customer writes
/// into the header themself sits to its left and is never reached. Any other
/// peer is counted as itself, header or not.
pub fn client_address(peer: SocketAddr, headers: &HeaderMap, trusted: &TrustedProxy) -> IpAddr {
    let peer = peer.ip().to_canonical();
    if !trusted.trusts(peer) {
        return peer;
    }
    // split the raw bytes: a line a customer salted with a non-ASCII byte must
    // end the walk where that byte is, not hide the tunnel's entry with it
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| v.as_bytes().split(|&b| b == b','))
        .rev()
        .map_while(|entry| forwarded_ip(std::str::from_utf8(entry).ok()?.trim()))
        .map(|ip| ip.to_canonical())
        .find(|ip| !trusted.trusts(*ip))
        .unwrap_or(peer)
}

/// One entry of `X-Forwarded-For`: an address, possibly with a port
/// (`203.0.113.7:5100`, `[2001:db8::1]:5100`). Anything else ends the walk.
fn forwarded_ip(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
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
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn from(peer: &str, xff: &[&str]) -> IpAddr {
        client_address(
            peer.parse().unwrap(),
            &headers(xff),
            &TrustedProxy::Loopback,
        )
    }

    #[test]
    fn behind_a_tunnel_each_customer_is_counted_by_the_address_the_tunnel_saw() {
        assert_eq!(from("127.0.0.1:50000", &["203.0.113.7"]), ip("203.0.113.7"));
        assert_eq!(from("[::1]:50000", &["2001:db8::5"]), ip("2001:db8::5"));
        assert_eq!(
            from("[::ffff:127.0.0.1]:1", &["203.0.113.7"]),
            ip("203.0.113.7")
        );
        // a proxy on this machine in front of the tunnel agent appends loopback
        assert_eq!(
            from("127.0.0.1:1", &["203.0.113.7, 127.0.0.1"]),
            ip("203.0.113.7")
        );
        // ports, and the header repeated
        assert_eq!(
            from("127.0.0.1:1", &["203.0.113.7:5100"]),
            ip("203.0.113.7")
        );
        assert_eq!(
            from("127.0.0.1:1", &["[2001:db8::5]:443"]),
            ip("2001:db8::5")
        );
        assert_eq!(
            from("127.0.0.1:1", &["198.51.100.1", "203.0.113.7"]),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn what_a_customer_writes_into_the_header_is_not_believed() {
        // the customer sent "198.51.100.99"; the tunnel appended what it saw
        assert_eq!(
            from("127.0.0.1:1", &["198.51.100.99, 203.0.113.7"]),
            ip("203.0.113.7")
        );
        // garbage where the tunnel's entry should be: the connection's address
        assert_eq!(
            from("127.0.0.1:1", &["198.51.100.99, nonsense"]),
            ip("127.0.0.1")
        );
        assert_eq!(from("127.0.0.1:1", &[]), ip("127.0.0.1"));
        // a LAN client can't name someone else
        assert_eq!(from("192.168.1.20:1", &["203.0.113.7"]), ip("192.168.1.20"));
        assert_eq!(from("[fe80::1]:1", &["203.0.113.7"]), ip("fe80::1"));
    }

    #[test]
    fn without_a_trusted_proxy_the_header_is_ignored_and_a_named_proxy_is_walked_past() {
        let h = headers(&["198.51.100.99, 203.0.113.7"]);
        let lo = "127.0.0.1:1".parse().unwrap();
        assert_eq!(client_address(lo, &h, &TrustedProxy::None), ip("127.0.0.1"));
        let lan = TrustedProxy::parse("192.168.1.2, 192.168.1.3").unwrap();
        let chained = headers(&["198.51.100.99, 203.0.113.7, 192.168.1.3"]);
        let via = "192.168.1.2:1".parse().unwrap();
        assert_eq!(client_address(via, &chained, &lan), ip("203.0.113.7"));
        // loopback is not trusted unless named
        assert_eq!(client_address(lo, &h, &lan), ip("127.0.0.1"));
    }

    #[test]
    fn a_walk_that_meets_something_else_stops_at_the_connection() {
        for odd in [
            "198.51.100.9,,203.0.113.7, ",
            "unknown",
            "[2001:db8::5]",
            "127.0.0.1, ::1",
        ] {
            assert_eq!(from("127.0.0.1:1", &[odd]), ip("127.0.0.1"), "{odd}");
        }
        // an empty entry left of the tunnel's is never reached
        assert_eq!(
            from("127.0.0.1:1", &["198.51.100.9,, 203.0.113.7"]),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn a_non_ascii_byte_from_the_customer_does_not_hide_the_tunnels_entry() {
        let mut h = HeaderMap::new();
        let line = b"198.51.100.\xff9, 203.0.113.7";
        h.append("x-forwarded-for", HeaderValue::from_bytes(line).unwrap());
        assert_eq!(
            client_address("127.0.0.1:1".parse().unwrap(), &h, &TrustedProxy::Loopback),
            ip("203.0.113.7")
        );
        let line = b"198.51.100.9, 203.0.113.\xff7";
        h.insert("x-forwarded-for", HeaderValue::from_bytes(line).unwrap());
        assert_eq!(
            client_address("127.0.0.1:1".parse().unwrap(), &h, &TrustedProxy::Loopback),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn a_full_table_puts_new_clients_in_one_shared_window() {
        let l = RateLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(l.check_at(ip("192.0.2.1"), t0, 2).is_ok());
        assert!(l.check_at(ip("192.0.2.2"), t0, 2).is_ok());
        // the table is full: newcomers share the overflow window between them
        assert!(l.check_at(ip("192.0.2.3"), t0, 2).is_ok());
        assert!(l.check_at(ip("192.0.2.4"), t0, 2).is_ok());
        assert!(l.check_at(ip("192.0.2.5"), t0, 2).is_err());
        // clients already known keep their own window
        assert!(l.check_at(ip("192.0.2.1"), t0, 2).is_ok());
        // once their windows are over, a sweep makes room again
        let later = t0 + Duration::from_secs(61);
        assert!(l.check_at(ip("192.0.2.6"), later, 2).is_ok());
        assert!(l.check_at(ip("192.0.2.6"), later, 2).is_ok());
        assert!(l.check_at(ip("192.0.2.6"), later, 2).is_err());
    }

    #[test]
    fn no_client_is_counted_as_the_overflow() {
        for a in ["::1", "::", "::2", "127.0.0.1", "2001:db8::1"] {
            assert_ne!(client(ip(a)), OVERFLOW, "{a}");
        }
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
