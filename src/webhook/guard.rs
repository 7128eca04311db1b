//! Where webhooks may go. A webhook URL comes from an API call (or, later, a
//! public widget), so Kasir must not become a way to reach what the merchant
//! didn't choose: never link-local or cloud-metadata addresses, never Kasir's
//! own API, and, when the merchant says so, nothing private.
//!
//! The check is made on the addresses the connection will use: names are
//! resolved by [`GuardedResolver`], which hands the HTTP client only allowed
//! addresses, so a name can't resolve to one address when checked and to
//! another when connected (DNS rebinding).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, RwLock};

/// Whether receivers on private and loopback addresses may be sent webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PrivateReceivers {
    /// Allowed while the API is reachable from this computer only; blocked once
    /// it listens beyond loopback or a public base URL (a tunnel) is set, since
    /// then a stranger's key could aim them at the shop's LAN.
    #[default]
    Auto,
    Allow,
    Block,
}

impl PrivateReceivers {
    pub fn parse(v: &str) -> Option<PrivateReceivers> {
        match v.trim() {
            "auto" => Some(PrivateReceivers::Auto),
            "allow" => Some(PrivateReceivers::Allow),
            "block" => Some(PrivateReceivers::Block),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            PrivateReceivers::Auto => "auto",
            PrivateReceivers::Allow => "allow",
            PrivateReceivers::Block => "block",
        }
    }
}

/// What the policy takes from the merchant's settings.
#[derive(Debug, Clone, Default)]
pub struct PolicyInputs {
    pub private: PrivateReceivers,
    /// A public base URL is set or the till listens on the LAN.
    pub exposed: bool,
    /// URLs the merchant named in the settings (the default webhook URL, the
    /// widget's allowlist entries): those, and URLs under them, may be private
    /// whatever `private` says.
    pub chosen: Vec<String>,
    /// Where a Kasir process on this data directory last said it listens.
    pub listening: Option<SocketAddr>,
}

/// The merchant's choices and Kasir's own address, shared with the resolvers.
#[derive(Debug, Default)]
pub struct AddressPolicy {
    private: AtomicU8,
    exposed: AtomicBool,
    chosen: RwLock<Vec<String>>,
    /// Where Kasir's own server listens, if it does.
    own: RwLock<Option<SocketAddr>>,
    /// Where a server on the same data directory listens, maybe another process.
    listening: RwLock<Option<SocketAddr>>,
}

impl AddressPolicy {
    pub fn apply(&self, inputs: &PolicyInputs) {
        self.private.store(inputs.private as u8, Ordering::Relaxed);
        self.exposed.store(inputs.exposed, Ordering::Relaxed);
        *self.chosen.write().unwrap_or_else(|e| e.into_inner()) = inputs.chosen.clone();
        *self.listening.write().unwrap_or_else(|e| e.into_inner()) = inputs.listening;
    }

    pub fn set_own(&self, addr: Option<SocketAddr>) {
        *self.own.write().unwrap_or_else(|e| e.into_inner()) = addr;
    }

    pub fn own_port(&self) -> Option<u16> {
        self.own
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .map(|a| a.port())
    }

    /// Whether private and loopback receivers are refused right now.
    pub fn blocks_private(&self) -> bool {
        let private = self.private.load(Ordering::Relaxed);
        if private == PrivateReceivers::Block as u8 {
            return true;
        }
        if private == PrivateReceivers::Allow as u8 {
            return false;
        }
        let beyond_loopback = self
            .own
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_some_and(|a| !a.ip().to_canonical().is_loopback());
        self.exposed.load(Ordering::Relaxed) || beyond_loopback
    }

    /// Whether the merchant named this URL in the settings: the default
    /// webhook URL itself, or a URL under a widget allowlist entry. Not just
    /// the same host: naming `http://lan-box/hook` doesn't open the rest of
    /// that box to a key holder.
    pub fn is_chosen(&self, url: &url::Url) -> bool {
        let chosen = self.chosen.read().unwrap_or_else(|e| e.into_inner());
        super::allowlisted(&chosen, url.as_str())
    }

    /// Why `ip` may not be connected to for a URL on `port`, if it may not.
    /// `chosen`: the merchant named this receiver, so private is allowed.
    pub fn refuse(&self, ip: IpAddr, port: u16, chosen: bool) -> Option<&'static str> {
        let ip = ip.to_canonical();
        if is_link_local_or_metadata(ip) {
            return Some("link-local and cloud metadata addresses are never sent webhooks");
        }
        if ip.is_unspecified() || ip.is_multicast() || is_broadcast(ip) {
            return Some("not a unicast address");
        }
        if self.is_own(ip, port) {
            return Some("that is Kasir's own API address");
        }
        if !chosen && is_private(ip) && self.blocks_private() {
            return Some("private and loopback receivers are refused while the API is reachable beyond this computer (set webhook_private_receivers to allow, or name the receiver as the default webhook URL)");
        }
        None
    }

    fn is_own(&self, ip: IpAddr, port: u16) -> bool {
        let mine = *self.own.read().unwrap_or_else(|e| e.into_inner());
        let theirs = *self.listening.read().unwrap_or_else(|e| e.into_inner());
        [mine, theirs]
            .into_iter()
            .flatten()
            .any(|own| Self::reaches(own, ip, port))
    }

    fn reaches(own: SocketAddr, ip: IpAddr, port: u16) -> bool {
        if own.port() != port {
            return false;
        }
        if ip.is_loopback() || ip == own.ip().to_canonical() {
            return true;
        }
        // bound to every interface: any address of this machine reaches it
        own.ip().is_unspecified() && local_addresses().contains(&ip)
    }
}

fn local_addresses() -> Vec<IpAddr> {
    if_addrs::get_if_addrs()
        .map(|v| v.into_iter().map(|i| i.ip().to_canonical()).collect())
        .unwrap_or_default()
}

fn is_link_local_or_metadata(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_link_local() // 169.254.0.0/16, the usual metadata address among them
                || v4 == Ipv4Addr::new(100, 100, 100, 200) // Alibaba Cloud metadata
        }
        IpAddr::V6(v6) => {
            (v6.segments()[0] & 0xffc0) == 0xfe80 // fe80::/10
                || v6 == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) // AWS metadata
        }
    }
}

fn is_broadcast(ip: IpAddr) -> bool {
    matches!(ip, IpAddr::V4(v4) if v4.is_broadcast())
}

/// Private, loopback, shared (CGNAT) or "this network" addresses.
pub fn is_private(ip: IpAddr) -> bool {
    let ip = ip.to_canonical();
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || (o[0] == 100 && (o[1] & 0xc0) == 64) // 100.64.0.0/10, shared/CGNAT
                || o[0] == 0
        }
        IpAddr::V6(v6) => v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00, // fc00::/7
    }
}

/// The HTTP client's resolver: the system's answers, minus what the policy
/// refuses. `port` is fixed per resolver because the resolver isn't told the
/// port of the URL: the [`super::Sender`] keeps one client for URLs on Kasir's
/// own port and one for the rest.
pub struct GuardedResolver {
    pub policy: Arc<AddressPolicy>,
    /// `Some(p)`: this resolver serves URLs on port `p` only.
    pub port: Option<u16>,
    /// This resolver serves receivers the merchant chose.
    pub chosen: bool,
}

/// A name the policy refuses to connect to: the delivery fails at once
/// instead of being retried, since asking again gets the same answer.
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.policy.clone();
        let port = self.port;
        let chosen = self.chosen;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut why = None;
            let allowed: Vec<SocketAddr> = addrs
                .into_iter()
                .filter(|a| match policy.refuse(a.ip(), port.unwrap_or(0), chosen) {
                    None => true,
                    Some(w) => {
                        why = Some(w);
                        false
                    }
                })
                .collect();
            if allowed.is_empty() {
                return Err(match why {
                    Some(w) => Box::new(Refused(format!(
                        "{host} resolves only to refused addresses: {w}"
                    ))) as Box<dyn std::error::Error + Send + Sync>,
                    None => format!("{host} has no address").into(),
                });
            }
            Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn metadata_and_link_local_are_always_refused() {
        let p = AddressPolicy::default();
        for a in [
            "169.254.169.254",
            "169.254.1.1",
            "fe80::1",
            "::ffff:169.254.169.254",
            "fd00:ec2::254",
            "100.100.100.200",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
        ] {
            assert!(p.refuse(ip(a), 80, false).is_some(), "{a}");
        }
        for a in ["127.0.0.1", "192.168.1.10", "10.0.0.5", "8.8.8.8", "::1"] {
            assert!(p.refuse(ip(a), 80, false).is_none(), "{a}");
        }
    }

    #[test]
    fn private_addresses_only_when_the_merchant_blocks_them() {
        let p = AddressPolicy::default();
        p.apply(&PolicyInputs {
            private: PrivateReceivers::Block,
            ..Default::default()
        });
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.0.1",
            "100.64.0.1",
            "::1",
            "fd12::1",
        ] {
            assert!(p.refuse(ip(a), 80, false).is_some(), "{a}");
        }
        assert!(p.refuse(ip("8.8.8.8"), 80, false).is_none());
        // a receiver the merchant named is theirs to choose
        assert!(p.refuse(ip("192.168.0.1"), 80, true).is_none());
    }

    #[test]
    fn auto_blocks_private_once_the_api_is_reachable_beyond_loopback() {
        let p = AddressPolicy::default();
        p.set_own(Some("127.0.0.1:8787".parse().unwrap()));
        assert!(!p.blocks_private());
        p.set_own(Some("0.0.0.0:8787".parse().unwrap()));
        assert!(p.blocks_private());
        p.set_own(Some("127.0.0.1:8787".parse().unwrap()));
        p.apply(&PolicyInputs {
            exposed: true,
            ..Default::default()
        });
        assert!(p.blocks_private());
        p.apply(&PolicyInputs {
            private: PrivateReceivers::Allow,
            exposed: true,
            ..Default::default()
        });
        assert!(!p.blocks_private());
    }

    #[test]
    fn kasirs_own_address_is_refused_on_its_port_only() {
        let p = AddressPolicy::default();
        p.set_own(Some("127.0.0.1:8787".parse().unwrap()));
        assert!(p.refuse(ip("127.0.0.1"), 8787, false).is_some());
        assert!(p.refuse(ip("127.0.0.2"), 8787, false).is_some());
        assert!(p.refuse(ip("127.0.0.1"), 9000, false).is_none());
        p.set_own(Some("0.0.0.0:8787".parse().unwrap()));
        for local in local_addresses() {
            assert!(p.refuse(local, 8787, true).is_some(), "{local}");
        }
    }
}
