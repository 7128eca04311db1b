//! One attempt at one delivery: sign, POST, read at most 1 KB of the answer.

use super::guard::{is_private, AddressPolicy, GuardedResolver, Refused};
use super::{standard_signature, temanqris_signature, MAX_RESPONSE_BYTES};
use crate::clock::{now_ms, Millis};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const USER_AGENT: &str = concat!(
    "Kasir/",
    env!("CARGO_PKG_VERSION"),
    " (webhooks; +https://github.com/kasir)"
);

/// What one attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptResult {
    pub started_at: Millis,
    pub duration_ms: i64,
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub response_body: Option<String>,
    /// The receiver's `Retry-After`, when it sent one.
    pub retry_after: Option<Duration>,
    /// The address policy refused the receiver: trying again gets the same.
    pub refused: bool,
}

impl AttemptResult {
    pub fn succeeded(&self) -> bool {
        matches!(self.status_code, Some(c) if (200..300).contains(&c))
    }
    /// 410 Gone: the receiver asks never to be sent this again.
    pub fn gone(&self) -> bool {
        self.status_code == Some(410)
    }
}

/// What is sent: everything but the per-attempt timestamp and signatures.
pub struct Outgoing<'a> {
    pub url: &'a str,
    pub webhook_id: &'a str,
    pub event: &'a str,
    pub body: &'a str,
    /// 0 for the first attempt; the retry number after.
    pub retry: i64,
    pub secrets: &'a [&'a str],
}

/// The HTTP clients webhooks go out through.
#[derive(Clone)]
pub struct Sender {
    policy: Arc<AddressPolicy>,
    /// For URLs on any port but Kasir's own.
    client: reqwest::Client,
    /// For receivers the merchant named in the settings: private allowed.
    chosen_client: reqwest::Client,
    /// For URLs on Kasir's own port, its resolver also refusing this machine's
    /// addresses: for receivers at large, and for ones the merchant named.
    /// Built when the port is known.
    own_port_client: Option<(u16, reqwest::Client, reqwest::Client)>,
    timeout: Duration,
}

fn build_client(
    policy: &Arc<AddressPolicy>,
    port: Option<u16>,
    chosen: bool,
    timeout: Duration,
) -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        // only a 2xx is success; a redirect is an answer, not a new address to try
        .redirect(reqwest::redirect::Policy::none())
        // a proxy would be connected to instead of the checked address
        .no_proxy()
        .dns_resolver(Arc::new(GuardedResolver {
            policy: policy.clone(),
            port,
            chosen,
        }))
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
        .expect("a client with these options builds")
}

impl Sender {
    pub fn new(policy: Arc<AddressPolicy>, timeout: Duration) -> Sender {
        let own_port_client = policy.own_port().map(|p| {
            (
                p,
                build_client(&policy, Some(p), false, timeout),
                build_client(&policy, Some(p), true, timeout),
            )
        });
        Sender {
            client: build_client(&policy, None, false, timeout),
            chosen_client: build_client(&policy, None, true, timeout),
            own_port_client,
            policy,
            timeout,
        }
    }

    pub fn policy(&self) -> &Arc<AddressPolicy> {
        &self.policy
    }

    /// Why a URL can't be sent to before any connection is made, if it can't:
    /// a scheme other than http(s), or an address written in the URL that the
    /// policy refuses (names are checked by the resolver as they are resolved).
    pub fn precheck(&self, url: &str) -> Result<(url::Url, u16, bool), String> {
        self.precheck_as(url, None)
    }

    /// [`Self::precheck`] for a URL the merchant is naming in the settings
    /// right now (`chosen: Some(true)`), before the policy knows it.
    pub fn precheck_as(
        &self,
        url: &str,
        chosen: Option<bool>,
    ) -> Result<(url::Url, u16, bool), String> {
        let u = url::Url::parse(url).map_err(|e| format!("not a valid URL: {e}"))?;
        if !matches!(u.scheme(), "http" | "https") {
            return Err("only http and https URLs are sent webhooks".into());
        }
        let port = u
            .port_or_known_default()
            .ok_or_else(|| "the URL has no port".to_string())?;
        // the URL parser already reads 2130706433, 127.1 and 0177.0.0.1 as
        // 127.0.0.1; `localhost` is loopback by definition (RFC 6761)
        let ip: Option<IpAddr> = match u.host() {
            Some(url::Host::Ipv4(a)) => Some(a.into()),
            Some(url::Host::Ipv6(a)) => Some(a.into()),
            Some(url::Host::Domain(d)) => {
                let d = d.trim_end_matches('.').to_ascii_lowercase();
                (d == "localhost" || d.ends_with(".localhost"))
                    .then_some(Ipv4Addr::LOCALHOST.into())
            }
            None => return Err("the URL has no host".into()),
        };
        let chosen = chosen.unwrap_or_else(|| self.policy.is_chosen(&u));
        if let Some(ip) = ip {
            if let Some(why) = self.policy.refuse(ip, port, chosen) {
                return Err(format!("{} is refused: {why}", u.host_str().unwrap_or("")));
            }
        }
        Ok((u, port, chosen))
    }

    /// Send a stored delivery once, signed with the secrets that sign now.
    pub async fn send_delivery(
        &self,
        d: &super::Delivery,
        secret: &super::WebhookSecret,
    ) -> AttemptResult {
        let secrets = secret.signing(now_ms());
        self.send(&Outgoing {
            url: &d.url,
            webhook_id: &d.webhook_id,
            event: &d.event,
            body: &d.body,
            retry: d.attempts,
            secrets: &secrets,
        })
        .await
    }

    /// POST the delivery once. Never fails: every outcome is an [`AttemptResult`].
    pub async fn send(&self, out: &Outgoing<'_>) -> AttemptResult {
        let started_at = now_ms();
        let t0 = Instant::now();
        let fail = |error: String, refused: bool, t0: Instant| AttemptResult {
            started_at,
            duration_ms: t0.elapsed().as_millis() as i64,
            status_code: None,
            error: Some(error),
            response_body: None,
            retry_after: None,
            refused,
        };
        let (url, port, chosen) = match self.precheck(out.url) {
            Ok(v) => v,
            Err(e) => return fail(e, true, t0),
        };
        let client = match &self.own_port_client {
            Some((p, _, named)) if *p == port && chosen => named,
            Some((p, c, _)) if *p == port => c,
            _ if chosen => &self.chosen_client,
            _ => &self.client,
        };
        let timestamp = started_at / 1000;
        let standard: Vec<String> = out
            .secrets
            .iter()
            .map(|s| standard_signature(s, out.webhook_id, timestamp, out.body))
            .collect();
        let mut req = client
            .post(url)
            .header("content-type", "application/json")
            .header(
                "x-temanqris-signature",
                temanqris_signature(out.secrets[0], out.body),
            )
            .header("x-temanqris-event", out.event)
            .header("webhook-id", out.webhook_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", standard.join(" "))
            .body(out.body.to_string());
        if out.retry > 0 {
            req = req.header("x-temanqris-retry", out.retry.to_string());
        }
        // the whole attempt, reading the answer included, fits in the timeout
        let exchange = async {
            let mut resp = req.send().await?;
            let status = resp.status().as_u16();
            // what a service on the shop's network or this computer answers is
            // not shown to whoever sent it a webhook, unless the merchant
            // named that receiver in the settings
            let private = !chosen && resp.remote_addr().is_none_or(|a| is_private(a.ip()));
            let retry_after = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(parse_retry_after);
            let mut body = Vec::new();
            while body.len() < MAX_RESPONSE_BYTES {
                match resp.chunk().await {
                    Ok(Some(c)) => body.extend_from_slice(&c),
                    // the status is the answer; a broken body after it is not a failure
                    Ok(None) | Err(_) => break,
                }
            }
            body.truncate(MAX_RESPONSE_BYTES);
            if private {
                body.clear();
            }
            Ok::<_, reqwest::Error>((status, retry_after, body))
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(Ok((status, retry_after, body))) => AttemptResult {
                started_at,
                duration_ms: t0.elapsed().as_millis() as i64,
                status_code: Some(status),
                error: None,
                response_body: (!body.is_empty())
                    .then(|| String::from_utf8_lossy(&body).into_owned()),
                retry_after,
                refused: false,
            },
            Ok(Err(e)) => fail(describe(&e), refused_by_policy(&e), t0),
            Err(_) => fail(
                format!("timed out after {} s", self.timeout.as_secs_f32()),
                false,
                t0,
            ),
        }
    }
}

/// A short reason for a failed request, without reqwest's nesting.
fn describe(e: &reqwest::Error) -> String {
    let mut msg = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else {
        "request failed".to_string()
    };
    let mut source = std::error::Error::source(e);
    let mut last = None;
    while let Some(s) = source {
        last = Some(s.to_string());
        source = s.source();
    }
    if let Some(l) = last {
        msg.push_str(": ");
        msg.push_str(&l);
    }
    msg
}

/// Whether the resolver refused the name (see [`Refused`]).
fn refused_by_policy(e: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.downcast_ref::<Refused>().is_some() {
            return true;
        }
        source = s.source();
    }
    false
}

/// `Retry-After` as seconds or an HTTP date.
fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let ms = at.timestamp_millis() - now_ms();
    Some(Duration::from_millis(ms.max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
