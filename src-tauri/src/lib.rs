//! Kasir's desktop till: one process running the engine, the local API server
//! and the cashier's window. The commands here only translate: each calls one
//! method of [`kasir::Kasir`] and returns its result; every rule lives there.

mod command_names;
pub mod commands;
pub mod server;

use kasir::model::{ConfirmedBy, OrderChange, OrderEvent};
use kasir::Kasir;
use std::path::PathBuf;
use tauri::{Emitter, Manager, Runtime};

/// What the commands share: the engine and the embedded server.
pub struct Till {
    pub kasir: Kasir,
    pub server: server::ServerControl,
    /// The order the customer-facing window shows.
    pub display: std::sync::Mutex<Option<String>>,
    /// The unlocked session's token: kept here, never given to the page, so
    /// the page can't act as anyone it didn't unlock.
    pub session: std::sync::Mutex<Option<String>>,
}

impl Till {
    pub fn token(&self) -> Option<String> {
        self.session
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_token(&self, token: Option<String>) {
        *self.session.lock().unwrap_or_else(|e| e.into_inner()) = token;
    }

    /// Who is unlocked, or `locked`: every command but the lock screen's asks.
    pub async fn actor(&self) -> Result<kasir::service::Actor, commands::CmdError> {
        let token = self.token().ok_or(kasir::Error::Locked)?;
        Ok(self.kasir.actor(&token).await?)
    }

    /// [`Till::actor`] for a read the page makes by itself (a list refreshed
    /// by an order's event): it doesn't count as someone at the till.
    pub async fn actor_unattended(&self) -> Result<kasir::service::Actor, commands::CmdError> {
        let token = self.token().ok_or(kasir::Error::Locked)?;
        Ok(self.kasir.actor_unattended(&token).await?)
    }
}

/// The data directory as `kasir serve` finds it: `KASIR_DATA_DIR`, else the OS data directory.
pub fn data_dir_from_env() -> PathBuf {
    std::env::var_os("KASIR_DATA_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(kasir::service::default_data_dir)
}

/// The app's context: `tauri.conf.json` at the repository root, `ui/` embedded.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!("../tauri.conf.json")
}

/// Register the commands and the shared state on a builder (the real runtime's,
/// or `tauri::test::mock_builder()` in tests).
pub fn builder<R: Runtime>(b: tauri::Builder<R>, till: Till) -> tauri::Builder<R> {
    b.manage(till).invoke_handler(commands::handler())
}

/// Open the data directory, start the server (a taken port is reported, not fatal)
/// and run the window until it closes.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let dir = data_dir_from_env();
    let kasir = match Kasir::open(&dir) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("kasir-desktop: cannot open {}: {e}", dir.display());
            std::process::exit(1);
        }
    };
    let till = tauri::async_runtime::block_on(server::start_till(kasir));
    builder(tauri::Builder::default(), till)
        .setup(|app| {
            forward_events(app.handle().clone());
            Ok(())
        })
        .run(context())
        .expect("the Kasir window could not start");
}

/// The engine's order events reach the UI as `order-event`; a customer's
/// "Sudah Bayar" also raises a desktop notification. Started once the app is
/// built (in `setup`, or by a test on the mock runtime).
pub fn forward_events<R: Runtime>(app: tauri::AppHandle<R>) {
    let till = app.state::<Till>();
    let mut rx = till.kasir.subscribe();
    let kasir = till.kasir.clone();
    tauri::async_runtime::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            match rx.recv().await {
                Ok(ev) => {
                    let _ = app.emit("order-event", &ev);
                    let seen_by_itself = ev.event == OrderEvent::Confirmed
                        // a statement pays many at once: its report says so, not a toast each
                        && ev.confirmed_by == Some(ConfirmedBy::Notification);
                    if ev.event == OrderEvent::AwaitingConfirmation || seen_by_itself {
                        let english = kasir.settings().await.is_ok_and(|s| s.language == "en");
                        notify(&ev, english);
                    }
                }
                Err(RecvError::Lagged(n)) => {
                    tracing::warn!("{n} order events were dropped before the UI saw them");
                    let _ = app.emit("order-event-lagged", n);
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

/// A desktop notification with a sound; not every desktop runs a notification
/// daemon, so a failure is only logged (the UI shows its own banner too).
fn notify(ev: &OrderChange, english: bool) {
    if std::env::var_os("KASIR_NO_NOTIFY").is_some() {
        return;
    }
    let auto = ev.event == OrderEvent::Confirmed;
    let (summary, says) = match (auto, english) {
        (false, true) => ("Customer says paid", "check the money arrived, then verify"),
        (false, false) => ("Pelanggan sudah bayar", "cek dana masuk, lalu Tandai Lunas"),
        (true, true) => (
            "Paid automatically",
            "the shop's phone or bank saw the money",
        ),
        (true, false) => (
            "Lunas otomatis",
            "dana masuk terlihat di HP toko atau mutasi bank",
        ),
    };
    let body = format!("{} · {}\n{}", rupiah(ev.total_amount), ev.order_id, says);
    let summary = summary.to_string();
    std::thread::spawn(move || {
        let r = notify_rust::Notification::new()
            .appname("Kasir")
            .summary(&summary)
            .body(&body)
            .icon("dialog-information")
            .sound_name("message-new-instant")
            .timeout(notify_rust::Timeout::Milliseconds(15_000))
            .show();
        if let Err(e) = r {
            tracing::info!("no desktop notification ({e}); the in-app banner shows it");
        }
    });
}

/// `Rp 50.000`: the engine's one rupiah format, as on paper.
pub use kasir::pdf::rupiah;

#[cfg(test)]
mod tests {
    #[test]
    fn rupiah_groups_thousands() {
        assert_eq!(super::rupiah(0), "Rp 0");
        assert_eq!(super::rupiah(999), "Rp 999");
        assert_eq!(super::rupiah(50_000), "Rp 50.000");
        assert_eq!(super::rupiah(1_234_567), "Rp 1.234.567");
    }
}
