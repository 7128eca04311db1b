//! A fixed-window limit per client for the endpoints anyone can call. A
//! client is an IPv4 address or an IPv6 /64: one subscriber is usually handed
//! a whole /64, so counting each IPv6 address alone would give one client
//! 2^64 separate limits.

use axum::http::HeaderMap;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
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

/// The address a request comes from, as the limits count it.
///
/// A tunnel agent (cloudflared, ngrok) or a reverse proxy on the till's own
/// machine connects from loopback for every customer, and says who the customer
/// is in `X-Forwarded-For`. So the header is believed only when the connection
/// comes from this machine (whose programs could reach the database anyway),
/// and read from the right: each proxy appends the address it saw, so the
/// rightmost address that isn't this machine is the one the last outside hop
/// saw; what a customer writes into the header themself sits to its left and is
/// never reached. A peer on the LAN is counted as itself, header or not.
pub fn client_address(peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    let peer = peer.ip().to_canonical();
    if !peer.is_loopback() {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(',').map(str::trim))
        .rev()
        .map_while(forwarded_ip)
        .map(|ip| ip.to_canonical())
        .find(|ip| !ip.is_loopback())
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
        client_address(peer.parse().unwrap(), &headers(xff))
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
