//! The embedded API server inside the till: where it listens, and rebinding it
//! when the cashier switches between "this computer only" and "the LAN".

use crate::Till;
use kasir::http::Server;
use kasir::Kasir;
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use tokio::sync::Mutex;

/// Where the server listens, as the UI shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ServerInfo {
    /// The address asked for (from `KASIR_BIND` or the `listen_lan` setting).
    pub bind: String,
    /// `KASIR_BIND` decides; the setting in the UI does not.
    pub from_env: bool,
    pub listening: bool,
    /// `http://127.0.0.1:8787` for this computer.
    pub local_url: Option<String>,
    /// `http://192.168.1.5:8787` when the server listens on the LAN.
    pub lan_url: Option<String>,
    /// Why it is not listening: `port_taken`, `bind_failed` or `bad_address`.
    pub error_code: Option<String>,
    pub error: Option<String>,
}

pub struct ServerControl {
    inner: Mutex<(Option<Server>, ServerInfo)>,
    /// `KASIR_BIND` (or a test's address): when set, the setting is ignored.
    bind_override: Option<String>,
}

impl ServerControl {
    pub async fn info(&self) -> ServerInfo {
        self.inner.lock().await.1.clone()
    }

    /// Stop serving and bind again from the environment and settings.
    pub async fn restart(&self, kasir: &Kasir) -> ServerInfo {
        let mut g = self.inner.lock().await;
        if let Some(old) = g.0.take() {
            old.task.abort();
            let _ = old.task.await;
        }
        let (server, info) = bind(kasir, self.bind_override.clone()).await;
        *g = (server, info.clone());
        info
    }

    /// The base customers' links start with when no public base URL is set.
    pub async fn link_base(&self) -> Option<String> {
        let g = self.inner.lock().await;
        g.1.lan_url.clone().or_else(|| g.1.local_url.clone())
    }
}

/// The engine plus its server on `KASIR_BIND`, else the address the settings choose.
pub async fn start_till(kasir: Kasir) -> Till {
    let env = std::env::var("KASIR_BIND")
        .ok()
        .filter(|v| !v.trim().is_empty());
    start_till_with(kasir, env).await
}

/// The background work (expiry sweeper, webhook worker, usage counts) runs for
/// the whole life of the till, whether or not the
/// port could be had; `bind` overrides the setting as `KASIR_BIND` does.
pub async fn start_till_with(kasir: Kasir, bind_override: Option<String>) -> Till {
    kasir::http::spawn_background(kasir.clone());
    let (server, info) = bind(&kasir, bind_override.clone()).await;
    if let Some(e) = &info.error {
        tracing::warn!("{e}");
    } else {
        tracing::info!(
            "Kasir is listening on {} (data: {})",
            info.lan_url
                .as_deref()
                .or(info.local_url.as_deref())
                .unwrap_or("?"),
            kasir.data_dir().display()
        );
    }
    Till {
        kasir,
        server: ServerControl {
            inner: Mutex::new((server, info)),
            bind_override,
        },
        display: Default::default(),
        session: Default::default(),
    }
}

async fn bind(kasir: &Kasir, env: Option<String>) -> (Option<Server>, ServerInfo) {
    let from_env = env.is_some();
    let bind = match env {
        Some(v) => v.trim().to_string(),
        None => {
            let lan = kasir.settings().await.is_ok_and(|s| s.listen_lan);
            if lan {
                "0.0.0.0:8787".to_string()
            } else {
                kasir::http::DEFAULT_BIND.to_string()
            }
        }
    };
    let mut info = ServerInfo {
        bind: bind.clone(),
        from_env,
        listening: false,
        local_url: None,
        lan_url: None,
        error_code: None,
        error: None,
    };
    let addr: SocketAddr = match bind.parse() {
        Ok(a) => a,
        Err(_) => {
            info.error_code = Some("bad_address".into());
            info.error = Some(format!(
                "KASIR_BIND \"{bind}\" is not an address like 127.0.0.1:8787"
            ));
            return (None, info);
        }
    };
    match kasir::http::listen(kasir.clone(), addr).await {
        Ok(server) => {
            let a = server.addr;
            info.listening = true;
            let port = a.port();
            if a.ip().is_unspecified() {
                info.local_url = Some(format!("http://127.0.0.1:{port}"));
                info.lan_url = lan_ip().map(|ip| format!("http://{ip}:{port}"));
            } else if a.ip().is_loopback() {
                info.local_url = Some(format!("http://{a}"));
            } else {
                info.local_url = Some(format!("http://{a}"));
                info.lan_url = Some(format!("http://{a}"));
            }
            (Some(server), info)
        }
        Err(e) => {
            let taken = e.kind() == std::io::ErrorKind::AddrInUse;
            info.error_code = Some(if taken { "port_taken" } else { "bind_failed" }.into());
            info.error = Some(if taken {
                format!("Port {} is already used by another program (is another Kasir running?). The till works; the API and payment links do not.", addr.port())
            } else {
                format!("Cannot listen on {addr}: {e}. The till works; the API and payment links do not.")
            });
            (None, info)
        }
    }
}

/// This computer's address on the LAN: the source address of a route outward
/// (a UDP "connect" sends nothing).
fn lan_ip() -> Option<IpAddr> {
    let s = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    s.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}
