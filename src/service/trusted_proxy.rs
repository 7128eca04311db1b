//! Which connections may say who the client is, in `X-Forwarded-For`.
//!
//! Off by default: any program on this machine (or a proxy passing the header
//! through) could otherwise pick a fresh identity per request and walk past
//! every per-address limit. A tunnel agent (cloudflared, ngrok) connects from
//! loopback, so the tunnel set-up turns on `loopback`; a reverse proxy on the
//! LAN is named by its address.

use crate::error::{Error, Result};
use std::net::IpAddr;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TrustedProxy {
    /// Every connection is the client itself; the header is ignored.
    #[default]
    None,
    /// A connection from this machine (a tunnel agent) may name the client.
    Loopback,
    /// Connections from these addresses may name the client.
    Addresses(Vec<IpAddr>),
}

impl TrustedProxy {
    /// `none`, `loopback`, or addresses separated by commas.
    pub fn parse(text: &str) -> Result<TrustedProxy> {
        let t = text.trim();
        match t.to_ascii_lowercase().as_str() {
            "" | "none" | "off" => return Ok(TrustedProxy::None),
            "loopback" => return Ok(TrustedProxy::Loopback),
            _ => {}
        }
        let addresses = t
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| {
                a.parse::<IpAddr>().map(|ip| ip.to_canonical()).map_err(|_| {
                    Error::invalid(
                        "trusted_proxy",
                        format!("trusted_proxy must be \"none\", \"loopback\" or IP addresses separated by commas; {a:?} is not an IP address"),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(TrustedProxy::Addresses(addresses))
    }

    pub fn trusts(&self, peer: IpAddr) -> bool {
        let peer = peer.to_canonical();
        match self {
            TrustedProxy::None => false,
            TrustedProxy::Loopback => peer.is_loopback(),
            TrustedProxy::Addresses(list) => list.contains(&peer),
        }
    }
}

impl std::fmt::Display for TrustedProxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrustedProxy::None => f.write_str("none"),
            TrustedProxy::Loopback => f.write_str("loopback"),
            TrustedProxy::Addresses(list) => {
                let text: Vec<String> = list.iter().map(IpAddr::to_string).collect();
                f.write_str(&text.join(","))
            }
        }
    }
}

impl serde::Serialize for TrustedProxy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::TrustedProxy;

    #[test]
    fn parses_what_it_writes_and_names_a_bad_address() {
        for text in ["none", "loopback", "10.0.0.2,192.168.1.5", "::1"] {
            assert_eq!(TrustedProxy::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(TrustedProxy::parse(" ").unwrap(), TrustedProxy::None);
        let e = TrustedProxy::parse("10.0.0.2, proxy.lan").unwrap_err();
        assert!(e.to_string().contains("\"proxy.lan\""), "{e}");
    }

    #[test]
    fn trusts_only_what_it_names() {
        let lo: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let mapped: std::net::IpAddr = "::ffff:10.0.0.2".parse().unwrap();
        assert!(!TrustedProxy::None.trusts(lo));
        assert!(TrustedProxy::Loopback.trusts(lo));
        assert!(!TrustedProxy::Loopback.trusts(mapped));
        assert!(TrustedProxy::parse("10.0.0.2").unwrap().trusts(mapped));
    }
}
