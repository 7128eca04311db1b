//! The till's rules, once. HTTP handlers, Tauri commands and the CLI call these
//! methods and translate; none of them touches SQL or decides a status.
//!
//! One [`Kasir`] type, an `impl` block per area of the shop, each in its own
//! file. A new area (products, tenders, shifts, …) is a new file here with its
//! own `impl Kasir`, and its SQL in a file of the same name under `store/`.

pub mod cart;
mod catalogue_file;
mod checks;
mod evidence;
mod keys;
mod merchant_limits;
mod orders;
mod payment_links;
mod people;
mod phone;
mod printer;
mod printing;
mod products;
mod reconciliation;
mod refunds;
mod sales;
mod settings;
mod shifts;
mod static_qris;
mod trusted_proxy;
mod unique_code;
mod webhooks;
mod widget;

pub use catalogue_file::{ImportSummary, MAX_CATALOGUE_BYTES};
pub use checks::{check_fee, check_order_id, check_url, parse_day};
pub use evidence::{Notification, NotificationOutcome};
pub use keys::hash_key;
pub use orders::lifecycle;
pub use people::{Actor, People, Right, Rights, Session, UserInput, PIN_LOCK_MS, PIN_TRIES};
pub use phone::PhoneSetup;
pub use printer::{spawn_print_worker, PrinterPatch, PrinterSettings};
pub use products::{ProductInput, ProductQuery};
pub use reconciliation::{Reconciliation, MAX_STATEMENT_BYTES};
pub use refunds::{paid_total, RefundLine, RefundRequest};
pub use sales::{summary, Cart, CartLine, Quote, Tender, TenderQuote};
pub use settings::{Settings, SettingsPatch, DEFAULT_EXPIRY_MINUTES, MAX_RECEIPT_FOOTER_LEN};
pub use shifts::{count_cash, CashCount, Counted, Pieces, DENOMINATIONS};
pub use static_qris::{check_importable, ImportedQris};
pub use trusted_proxy::TrustedProxy;
pub use unique_code::UniqueCode;
pub use webhooks::DeliveryLog;
pub use widget::{allowlisted, WidgetPayment, WidgetRequest};

pub const MAX_ORDER_ID_LEN: usize = 30;
/// Widget payments: at most Rp 10.000.000 unless the merchant says otherwise.
pub const DEFAULT_WIDGET_MAX_AMOUNT: u64 = 10_000_000;
pub const MAX_WIDGET_DESCRIPTION_LEN: usize = 200;
pub const MAX_DESCRIPTION_LEN: usize = 500;
pub const MAX_URL_LEN: usize = 2048;
pub const MAX_PAYER_FIELD_LEN: usize = 200;

use crate::clock::{Clock, Millis, SystemClock};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::model::OrderChange;
use crate::webhook::{self, WebhookConfig};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::broadcast;

#[derive(Clone)]
pub struct Kasir {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    data_dir: PathBuf,
    clock: Arc<dyn Clock>,
    events: broadcast::Sender<OrderChange>,
    settings_cache: settings::Cache,
    webhooks: webhook::Outbox,
    usage: keys::UsageMeter,
    keys: keys::KeyCache,
    merchant_limits: merchant_limits::MerchantLimits,
    /// Rung when a print job may be due (queued, or the printer set up).
    print_wake: tokio::sync::Notify,
    sessions: people::Sessions,
    pin_checks: tokio::sync::Mutex<()>,
}

/// How to open a [`Kasir`]: the production defaults, or a test's own clock
/// and webhook schedule.
pub struct Options {
    pub webhook_config: WebhookConfig,
    pub clock: Arc<dyn Clock>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            webhook_config: WebhookConfig::default(),
            clock: Arc::new(SystemClock),
        }
    }
}

/// Where Kasir keeps its data unless told otherwise: the OS data directory.
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("kasir")
}

/// A write's result and the events it committed, published either way (an
/// order found expired is expired for good, even if the caller's step fails).
type Outcome<T> = (Result<T>, Vec<OrderChange>);

impl Kasir {
    /// Open the data directory (created if missing) and its database, migrating it.
    pub fn open(data_dir: &Path) -> Result<Kasir> {
        Kasir::open_with_options(data_dir, Options::default())
    }

    /// [`Kasir::open`] with a webhook schedule of one's own (tests shorten it).
    pub fn open_with(data_dir: &Path, webhook_config: WebhookConfig) -> Result<Kasir> {
        Kasir::open_with_options(
            data_dir,
            Options {
                webhook_config,
                ..Options::default()
            },
        )
    }

    pub fn open_with_options(data_dir: &Path, options: Options) -> Result<Kasir> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            Error::invalid(
                "data_dir",
                format!(
                    "cannot create the data directory {}: {e}",
                    data_dir.display()
                ),
            )
        })?;
        let db = Db::open(&data_dir.join("kasir.db"))?;
        // the signing secret and the widget's merchant id exist from the first
        // start, so they can be shown before they are first used
        db.write_blocking(|c| {
            webhooks::ensure_secret(c)?;
            widget::ensure_merchant_id(c)
        })?;
        let (events, _) = broadcast::channel(1024);
        let webhooks = webhook::Outbox::new(
            db.clone(),
            data_dir.to_path_buf(),
            options.webhook_config,
            options.clock.clone(),
        );
        Ok(Kasir {
            inner: Arc::new(Inner {
                db,
                data_dir: data_dir.to_path_buf(),
                clock: options.clock,
                events,
                settings_cache: settings::Cache::default(),
                webhooks,
                usage: keys::UsageMeter::default(),
                keys: keys::KeyCache::default(),
                merchant_limits: Default::default(),
                print_wake: tokio::sync::Notify::new(),
                sessions: Default::default(),
                pin_checks: Default::default(),
            }),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// Now, by the engine's clock.
    pub fn now(&self) -> Millis {
        self.inner.clock.now()
    }

    /// The engine's clock, for work beside it (the webhook worker, the server).
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.inner.clock.clone()
    }

    /// State changes made through this process, after they are committed.
    pub fn subscribe(&self) -> broadcast::Receiver<OrderChange> {
        self.inner.events.subscribe()
    }

    fn publish(&self, events: Vec<OrderChange>) {
        if events.iter().any(|e| e.event.is_webhook()) {
            self.inner.webhooks.wake();
        }
        if events
            .iter()
            .any(|e| e.event == crate::model::OrderEvent::Confirmed)
        {
            // a paid order may have queued its receipt
            self.inner.print_wake.notify_one();
        }
        for e in events {
            // no subscribers is fine: the event is in the database either way
            let _ = self.inner.events.send(e);
        }
    }

    /// Run a write whose events are published after commit, even when the
    /// outcome is an error.
    async fn write_outcome<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut rusqlite::Connection) -> Result<Outcome<T>> + Send + 'static,
    {
        let (outcome, events) = self.inner.db.write(f).await?;
        self.publish(events);
        outcome
    }

    /// The same for a write that may share one commit with others waiting
    /// for the writer ([`Db::write_grouped`]): `f` runs in the shared
    /// transaction and says whether its work is kept; the events are
    /// published, and the caller answered, after the commit.
    async fn write_outcome_grouped<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&crate::db::Group<'_>) -> Result<(Outcome<T>, bool)> + Send + 'static,
    {
        let (outcome, events) = self.inner.db.write_grouped(f).await?;
        self.publish(events);
        outcome
    }
}

/// Run blocking work (drawing, scanning) off the async threads; a panic in it
/// is an internal error naming the work, not a database or image error.
async fn blocking<T, F>(what: &'static str, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| Error::TaskFailed(what))
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
