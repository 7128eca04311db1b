//! The till's rules, once. HTTP handlers, Tauri commands and the CLI call these
//! methods and translate; none of them touches SQL or decides a status.

use crate::clock::{self, now_ms, Millis};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::model::*;
use crate::pdf::{self, Paper};
use crate::store::{self, InsertOrderError, OrderKey, OrderRow, Transition};
use crate::webhook::{self, Attempt, Delivery, DeliveryFilter, WebhookConfig, WebhookSecret};
use rand::Rng;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use subtle::ConstantTimeEq;
use tokio::sync::broadcast;

/// Default order expiry: 24 hours.
pub const DEFAULT_EXPIRY_MINUTES: i64 = 24 * 60;
pub const MAX_ORDER_ID_LEN: usize = 30;
/// Widget payments: at most Rp 10.000.000 unless the merchant says otherwise.
pub const DEFAULT_WIDGET_MAX_AMOUNT: u64 = 10_000_000;
pub const MAX_WIDGET_DESCRIPTION_LEN: usize = 200;
pub const MAX_DESCRIPTION_LEN: usize = 500;
pub const MAX_URL_LEN: usize = 2048;
pub const MAX_PAYER_FIELD_LEN: usize = 200;

/// Link codes: 8 characters from 32 unambiguous letters and digits (no 0/O, 1/I),
/// 40 bits from the OS-seeded CSPRNG; guessing one is as hard as 2^40 tries.
const LINK_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// The merchant's settings, with defaults.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Settings {
    pub order_expiry_minutes: i64,
    /// When set (a tunnel), payment link URLs are absolute on this base.
    pub public_base_url: Option<String>,
    pub default_webhook_url: Option<String>,
    pub language: String,
    pub sound: bool,
    /// Refuse webhook URLs on private and loopback addresses (LAN receivers are
    /// allowed by default: merchants run their own integrations there).
    pub webhook_block_private: bool,
    /// The largest amount a widget payment may ask for.
    pub widget_max_amount: u64,
    /// Webhook URLs a widget's `data-webhook` may name: each an origin
    /// (`https://shop.example`) or a URL prefix (`https://shop.example/hooks/`).
    pub widget_webhook_allowlist: Vec<String>,
    /// Printed at the bottom of every receipt, e.g. "Terima kasih!".
    pub receipt_footer: Option<String>,
    /// The zone times are printed in: `Asia/Jakarta` (default), `Asia/Makassar`,
    /// `Asia/Jayapura`, `UTC` or an offset such as `+08:00`.
    pub timezone: String,
    /// The till's server listens on the shop's LAN (0.0.0.0) instead of this computer only.
    pub listen_lan: bool,
}

/// A partial update of the settings; `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SettingsPatch {
    pub order_expiry_minutes: Option<i64>,
    pub public_base_url: Option<Option<String>>,
    pub default_webhook_url: Option<Option<String>>,
    pub language: Option<String>,
    pub sound: Option<bool>,
    pub webhook_block_private: Option<bool>,
    pub widget_max_amount: Option<i64>,
    pub widget_webhook_allowlist: Option<Vec<String>>,
    pub receipt_footer: Option<Option<String>>,
    pub timezone: Option<String>,
    pub listen_lan: Option<bool>,
}

pub const MAX_RECEIPT_FOOTER_LEN: usize = 200;

/// A static QRIS as read, before it is stored: what the till shows on import.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportedQris {
    pub qris: StaticQris,
    pub summary: qris::MerchantSummary,
    pub warnings: Vec<qris::Issue>,
}

#[derive(Clone)]
pub struct Kasir {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    data_dir: PathBuf,
    events: broadcast::Sender<OrderEvent>,
    /// Settings change rarely and are read on every API response that shows a
    /// link; another process (the CLI) may change them, so they live 1 s.
    settings_cache: std::sync::Mutex<Option<(std::time::Instant, Settings)>>,
    webhook_config: WebhookConfig,
    /// Rung after a commit that may have written webhook deliveries.
    webhook_wake: Arc<tokio::sync::Notify>,
    webhook_policy: Arc<webhook::AddressPolicy>,
    webhook_sender: std::sync::RwLock<webhook::Sender>,
    /// Requests per key and Jakarta day, not yet written.
    usage: std::sync::Mutex<HashMap<(i64, String), UsageDay>>,
}

/// (key id, Jakarta day), requests per endpoint, last use.
type UsageBatch = ((i64, String), HashMap<String, i64>, Millis);

#[derive(Debug, Default)]
struct UsageDay {
    /// Requests already in the database when counting began, plus those flushed.
    stored: i64,
    pending_total: i64,
    pending: HashMap<String, i64>,
    last_used: Millis,
}

const SETTINGS_TTL: std::time::Duration = std::time::Duration::from_secs(1);

/// Where Kasir keeps its data unless told otherwise: the OS data directory.
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("kasir")
}

type Outcome<T> = (Result<T>, Vec<OrderEvent>);

impl Kasir {
    /// Open the data directory (created if missing) and its database, migrating it.
    pub fn open(data_dir: &Path) -> Result<Kasir> {
        Kasir::open_with(data_dir, WebhookConfig::default())
    }

    /// [`Kasir::open`] with a webhook schedule of one's own (tests shorten it).
    pub fn open_with(data_dir: &Path, webhook_config: WebhookConfig) -> Result<Kasir> {
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
        // the signing secret exists from the first start, so it can be shown
        // before the first webhook is sent
        db.write_blocking(|c| {
            c.execute(
                "INSERT OR IGNORE INTO settings(key, value) VALUES ('webhook_secret', ?1)",
                [webhook::new_secret()],
            )?;
            c.execute(
                "INSERT OR IGNORE INTO settings(key, value) VALUES ('merchant_id', ?1)",
                [new_merchant_id()],
            )?;
            Ok::<_, Error>(())
        })?;
        let (events, _) = broadcast::channel(1024);
        let policy = Arc::new(webhook::AddressPolicy::default());
        let sender = webhook::Sender::new(policy.clone(), webhook_config.attempt_timeout);
        Ok(Kasir {
            inner: Arc::new(Inner {
                db,
                data_dir: data_dir.to_path_buf(),
                events,
                settings_cache: std::sync::Mutex::new(None),
                webhook_config,
                webhook_wake: Arc::new(tokio::sync::Notify::new()),
                webhook_policy: policy,
                webhook_sender: std::sync::RwLock::new(sender),
                usage: std::sync::Mutex::new(HashMap::new()),
            }),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// State changes made through this process, after they are committed.
    pub fn subscribe(&self) -> broadcast::Receiver<OrderEvent> {
        self.inner.events.subscribe()
    }

    fn publish(&self, events: Vec<OrderEvent>) {
        if events
            .iter()
            .any(|e| webhook::EVENTS.contains(&e.event.as_str()))
        {
            self.inner.webhook_wake.notify_one();
        }
        for e in events {
            // no subscribers is fine: the event is in the database either way
            let _ = self.inner.events.send(e);
        }
    }

    /// Run a write whose events are published after commit, even when the
    /// outcome is an error (an order found expired is expired for good).
    async fn write_outcome<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut rusqlite::Connection) -> Result<Outcome<T>> + Send + 'static,
    {
        let (outcome, events) = self.inner.db.write(f).await?;
        self.publish(events);
        outcome
    }

    // ---- settings ----

    pub async fn settings(&self) -> Result<Settings> {
        if let Some((at, s)) = &*self
            .inner
            .settings_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
        {
            if at.elapsed() < SETTINGS_TTL {
                return Ok(s.clone());
            }
        }
        let s = self.inner.db.read(read_settings).await?;
        *self
            .inner
            .settings_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Some((std::time::Instant::now(), s.clone()));
        Ok(s)
    }

    pub async fn update_settings(&self, patch: SettingsPatch) -> Result<Settings> {
        if let Some(m) = patch.order_expiry_minutes {
            if !(1..=60 * 24 * 90).contains(&m) {
                return Err(Error::invalid(
                    "order_expiry_minutes",
                    "order expiry must be between 1 minute and 90 days",
                ));
            }
        }
        let base = match &patch.public_base_url {
            Some(Some(u)) if !u.trim().is_empty() => Some(Some(
                check_url("public_base_url", u)?
                    .trim_end_matches('/')
                    .to_string(),
            )),
            Some(_) => Some(None),
            None => None,
        };
        let hook = match &patch.default_webhook_url {
            Some(Some(u)) if !u.trim().is_empty() => {
                Some(Some(check_url("default_webhook_url", u)?))
            }
            Some(_) => Some(None),
            None => None,
        };
        if let Some(m) = patch.widget_max_amount {
            if !(1..=qris::MAX_AMOUNT as i64).contains(&m) {
                return Err(Error::invalid(
                    "widget_max_amount",
                    format!(
                        "widget_max_amount must be from 1 to {} rupiah",
                        qris::MAX_AMOUNT
                    ),
                ));
            }
        }
        let allowlist = match &patch.widget_webhook_allowlist {
            None => None,
            Some(list) => Some(
                list.iter()
                    .map(|u| u.trim())
                    .filter(|u| !u.is_empty())
                    .map(|u| check_url("widget_webhook_allowlist", u))
                    .collect::<Result<Vec<_>>>()?
                    .join("\n"),
            ),
        };
        if let Some(l) = &patch.language {
            if l != "id" && l != "en" {
                return Err(Error::invalid(
                    "language",
                    "language must be \"id\" (Bahasa Indonesia) or \"en\" (English)",
                ));
            }
        }
        let footer = match &patch.receipt_footer {
            Some(f) => Some(check_text(
                "receipt_footer",
                f.as_deref(),
                MAX_RECEIPT_FOOTER_LEN,
            )?),
            None => None,
        };
        if let Some(z) = &patch.timezone {
            if clock::Zone::parse(z).is_none() {
                return Err(Error::invalid(
                    "timezone",
                    format!("timezone must be Asia/Jakarta, Asia/Makassar, Asia/Jayapura, UTC or an offset like +08:00; got {z:?}"),
                ));
            }
        }
        let settings = self
            .inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                if let Some(v) = footer {
                    store::set_setting(&tx, "receipt_footer", v.as_deref())?;
                }
                if let Some(z) = &patch.timezone {
                    store::set_setting(&tx, "timezone", Some(z.trim()))?;
                }
                if let Some(m) = patch.order_expiry_minutes {
                    store::set_setting(&tx, "order_expiry_minutes", Some(&m.to_string()))?;
                }
                if let Some(v) = base {
                    store::set_setting(&tx, "public_base_url", v.as_deref())?;
                }
                if let Some(v) = hook {
                    store::set_setting(&tx, "default_webhook_url", v.as_deref())?;
                }
                if let Some(l) = &patch.language {
                    store::set_setting(&tx, "language", Some(l))?;
                }
                if let Some(s) = patch.sound {
                    store::set_setting(&tx, "sound", Some(if s { "1" } else { "0" }))?;
                }
                if let Some(m) = patch.widget_max_amount {
                    store::set_setting(&tx, "widget_max_amount", Some(&m.to_string()))?;
                }
                if let Some(v) = &allowlist {
                    store::set_setting(
                        &tx,
                        "widget_webhook_allowlist",
                        Some(v).filter(|v| !v.is_empty()).map(|v| v.as_str()),
                    )?;
                }
                if let Some(b) = patch.webhook_block_private {
                    store::set_setting(
                        &tx,
                        "webhook_block_private",
                        Some(if b { "1" } else { "0" }),
                    )?;
                }
                if let Some(l) = patch.listen_lan {
                    store::set_setting(&tx, "listen_lan", Some(if l { "1" } else { "0" }))?;
                }
                let s = read_settings(&tx)?;
                tx.commit()?;
                Ok::<_, Error>(s)
            })
            .await?;
        *self
            .inner
            .settings_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner()) =
            Some((std::time::Instant::now(), settings.clone()));
        Ok(settings)
    }

    /// The merchant's zone: the one the till's lists, the reports and the
    /// receipts read days and times in.
    pub async fn zone(&self) -> Result<clock::Zone> {
        Ok(print_zone(&self.settings().await?))
    }

    /// Today (`YYYY-MM-DD`) in the merchant's zone.
    pub async fn today(&self) -> Result<String> {
        let zone = self.zone().await?;
        Ok(zone.at(now_ms()).format("%Y-%m-%d").to_string())
    }

    /// UTC bounds [start, end) of a calendar day (`YYYY-MM-DD`) in the merchant's zone.
    pub async fn day_bounds(&self, date: &str) -> Result<(Millis, Millis)> {
        let day = parse_day(date)?;
        Ok(self.zone().await?.day_bounds(day))
    }

    // ---- static QRIS ----

    /// Read a static QRIS from its text, check it can be converted, and store it.
    pub async fn import_static_qris(&self, payload: &str) -> Result<ImportedQris> {
        let payload = payload.trim_end_matches(['\r', '\n']).to_string();
        let (summary, warnings) = check_importable(&payload)?;
        let name = summary.merchant_name.clone().unwrap_or_default();
        let city = summary.merchant_city.clone().unwrap_or_default();
        let nmid = summary.nmid.clone();
        let acquirer = summary
            .acquirers
            .iter()
            .find(|a| a.tag != "51")
            .and_then(|a| a.gui.clone());
        let now = now_ms();
        let qris = self
            .inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let id = store::upsert_static_qris(
                    &tx,
                    &store::NewStaticQris {
                        payload: &payload,
                        merchant_name: &name,
                        merchant_city: &city,
                        nmid: nmid.as_deref(),
                        acquirer: acquirer.as_deref(),
                    },
                    now,
                )?;
                // a new upload becomes the default, as "the newest" promises
                store::set_setting(&tx, "default_qris_id", Some(&id.to_string()))?;
                let q = store::get_static_qris(&tx, id)?.expect("just written");
                tx.commit()?;
                Ok::<_, Error>(q)
            })
            .await?;
        Ok(ImportedQris {
            qris,
            summary,
            warnings,
        })
    }

    /// Read a QR code from a photo or screenshot of the sticker and import it.
    pub async fn import_static_qris_image(&self, image: Vec<u8>) -> Result<ImportedQris> {
        let payload = tokio::task::spawn_blocking(move || crate::qr_image::scan(&image))
            .await
            .map_err(|e| Error::Image(crate::qr_image::ScanError::Corrupt(e.to_string())))?
            .map_err(Error::Image)?;
        self.import_static_qris(&payload).await
    }

    pub async fn list_static_qris(&self) -> Result<Vec<StaticQris>> {
        self.inner.db.read(store::list_static_qris).await
    }

    pub async fn static_qris(&self, id: Option<i64>) -> Result<StaticQris> {
        self.inner
            .db
            .read(move |c| {
                let id = match id {
                    Some(id) => id,
                    None => store::default_static_qris_id(c)?.ok_or(Error::NoStaticQris)?,
                };
                store::get_static_qris(c, id)?.ok_or_else(|| Error::NotFound {
                    what: "qris",
                    message: format!("No static QRIS with id {id}."),
                })
            })
            .await
    }

    pub async fn set_default_static_qris(&self, id: i64) -> Result<StaticQris> {
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                if store::get_static_qris(&tx, id)?.is_none() {
                    return Err(Error::NotFound {
                        what: "qris",
                        message: format!("No static QRIS with id {id}."),
                    });
                }
                store::set_setting(&tx, "default_qris_id", Some(&id.to_string()))?;
                let q = store::get_static_qris(&tx, id)?.expect("exists");
                tx.commit()?;
                Ok(q)
            })
            .await
    }

    pub async fn delete_static_qris(&self, id: i64) -> Result<()> {
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                if !store::delete_static_qris(&tx, id)? {
                    return Err(Error::NotFound {
                        what: "qris",
                        message: format!("No static QRIS with id {id}."),
                    });
                }
                if store::get_setting(&tx, "default_qris_id")?.as_deref() == Some(&id.to_string()) {
                    store::set_setting(&tx, "default_qris_id", None)?;
                }
                tx.commit()?;
                Ok(())
            })
            .await
    }

    // ---- orders ----

    /// Make an order: check the request, convert the static QRIS, store it.
    pub async fn create_order(&self, req: NewOrder, source: OrderSource) -> Result<Order> {
        let amount = check_amount(req.amount)?;
        let fee = check_fee(req.fee_type.as_deref(), req.fee_value.as_deref())?;
        let order_id = match req
            .order_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(id) => check_order_id(id)?.to_string(),
            None => generate_order_id(),
        };
        let description = check_text(
            "description",
            req.description.as_deref(),
            MAX_DESCRIPTION_LEN,
        )?;
        let webhook_url = optional_url("webhook_url", req.webhook_url.as_deref())?;
        let callback_url = optional_url("callback_url", req.callback_url.as_deref())?;
        if let Some(m) = req.expires_in_minutes {
            if !(1..=60 * 24 * 90).contains(&m) {
                return Err(Error::invalid(
                    "expires_in",
                    "expiry must be between 1 minute and 90 days",
                ));
            }
        }
        let fee_amount = fee.map(|f| f.rupiah_for(amount)).unwrap_or(0);
        let total_amount = amount + fee_amount;

        let qris_id = req.qris_id;
        let now = now_ms();
        let order = self
            .write_outcome(move |c| {
                let tx = c.transaction()?;
                let q = match qris_id {
                    Some(id) => store::get_static_qris(&tx, id)?.ok_or_else(|| {
                        Error::invalid(
                            "qris_id",
                            format!("qris_id {id} does not match any stored static QRIS"),
                        )
                    })?,
                    None => {
                        let id = store::default_static_qris_id(&tx)?.ok_or(Error::NoStaticQris)?;
                        store::get_static_qris(&tx, id)?.expect("default exists")
                    }
                };
                let payload = qris::to_dynamic(
                    &q.payload,
                    &qris::DynamicRequest {
                        amount,
                        fee: fee.map(FeeSpec::to_qris),
                        reference: None,
                    },
                )
                .map_err(|e| Error::InvalidQris {
                    message: e.to_string(),
                    issues: vec![],
                })?;
                let expiry = match req.expires_in_minutes {
                    Some(m) => m,
                    None => read_settings(&tx)?.order_expiry_minutes,
                };
                let mut link_code = generate_link_code();
                let mut attempts = 0;
                let pk = loop {
                    let row = OrderRow {
                        order_id: &order_id,
                        link_code: &link_code,
                        qris_id: q.id,
                        source,
                        amount,
                        fee,
                        fee_amount,
                        total_amount,
                        description: description.as_deref(),
                        payload: &payload,
                        webhook_url: webhook_url.as_deref(),
                        callback_url: callback_url.as_deref(),
                        created_at: now,
                        expires_at: now + expiry * 60_000,
                    };
                    match store::insert_order(&tx, &row) {
                        Ok(pk) => break pk,
                        Err(InsertOrderError::DuplicateOrderId) => {
                            return Ok((Err(Error::DuplicateOrderId(order_id.clone())), vec![]))
                        }
                        Err(InsertOrderError::DuplicateLinkCode) if attempts < 5 => {
                            attempts += 1;
                            link_code = generate_link_code();
                        }
                        Err(InsertOrderError::DuplicateLinkCode) => {
                            return Err(Error::Db(crate::db::DbError::Sqlite(
                                rusqlite::Error::QueryReturnedNoRows,
                            )))
                        }
                        Err(InsertOrderError::Other(e)) => return Err(e),
                    }
                };
                let ev = store::insert_event(
                    &tx,
                    pk,
                    "order.created",
                    None,
                    OrderStatus::Pending,
                    source.as_str(),
                    now,
                )?;
                let order = store::get_order(&tx, OrderKey::Pk(pk), now)?.expect("just written");
                tx.commit()?;
                let event = event_of(&order, ev, "order.created", now);
                Ok((Ok(order), vec![event]))
            })
            .await?;
        Ok(order)
    }

    pub async fn order(&self, order_id: &str) -> Result<Order> {
        let id = order_id.to_string();
        self.inner
            .db
            .read(move |c| {
                store::get_order(c, OrderKey::OrderId(&id), now_ms())?
                    .ok_or_else(|| order_not_found(&id))
            })
            .await
    }

    /// A payment link as the customer sees it; deleted links are not found.
    pub async fn payment_link(&self, link_code: &str) -> Result<Order> {
        let code = link_code.to_string();
        self.inner
            .db
            .read(move |c| {
                store::get_order(c, OrderKey::LinkCode(&code), now_ms())?
                    .filter(|o| o.is_active)
                    .ok_or_else(link_not_found)
            })
            .await
    }

    pub async fn list_orders(&self, filter: OrderFilter) -> Result<(Vec<Order>, u64)> {
        let filter = OrderFilter {
            limit: filter.limit.clamp(1, 100),
            ..filter
        };
        self.inner
            .db
            .read(move |c| store::list_orders(c, &filter, now_ms()))
            .await
    }

    /// Counts and totals per status of the orders created in [from, to).
    pub async fn totals(
        &self,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<(OrderStatus, u64, u64, u64)>> {
        self.inner
            .db
            .read(move |c| store::totals_by_status(c, from, to, now_ms()))
            .await
    }

    /// The customer pressed "Sudah Bayar". Pressing it again changes nothing.
    pub async fn confirm_paid_by_customer(&self, link_code: &str) -> Result<Order> {
        let code = link_code.to_string();
        self.write_outcome(move |c| {
            let now = now_ms();
            let tx = c.transaction()?;
            let Some(order) =
                store::get_order(&tx, OrderKey::LinkCode(&code), now)?.filter(|o| o.is_active)
            else {
                return Ok((Err(link_not_found()), vec![]));
            };
            let (order, mut events) = expire_if_due(&tx, order, now)?;
            let outcome = match order.status {
                OrderStatus::Pending => {
                    let ev = store::apply_transition(
                        &tx,
                        &Transition {
                            order_pk: order.id,
                            from: OrderStatus::Pending,
                            to: OrderStatus::AwaitingConfirmation,
                            event: "payment.awaiting_confirmation",
                            actor: "customer",
                            at: now,
                        },
                    )?;
                    let order =
                        store::get_order(&tx, OrderKey::Pk(order.id), now)?.expect("exists");
                    events.push(emit(&tx, &order, ev, "payment.awaiting_confirmation", now)?);
                    Ok(order)
                }
                OrderStatus::AwaitingConfirmation | OrderStatus::Paid => Ok(order),
                OrderStatus::Expired => Err(Error::Closed {
                    status: OrderStatus::Expired,
                    message: "Link pembayaran sudah kedaluwarsa.".into(),
                }),
                OrderStatus::Cancelled => Err(Error::Closed {
                    status: OrderStatus::Cancelled,
                    message: "Pembayaran ini sudah dibatalkan.".into(),
                }),
            };
            tx.commit()?;
            Ok((outcome, events))
        })
        .await
    }

    /// The merchant checked the money arrived: the order is paid.
    pub async fn verify(
        &self,
        order_id: &str,
        by: ConfirmedBy,
        payer_name: Option<String>,
        payer_note: Option<String>,
    ) -> Result<Order> {
        let payer_name = check_text("payer_name", payer_name.as_deref(), MAX_PAYER_FIELD_LEN)?;
        let payer_note = check_text("payer_note", payer_note.as_deref(), MAX_PAYER_FIELD_LEN)?;
        let id = order_id.to_string();
        self.write_outcome(move |c| {
            let now = now_ms();
            let tx = c.transaction()?;
            let Some(order) = store::get_order(&tx, OrderKey::OrderId(&id), now)? else {
                return Ok((Err(order_not_found(&id)), vec![]));
            };
            let (order, mut events) = expire_if_due(&tx, order, now)?;
            let outcome = match order.status {
                OrderStatus::Pending | OrderStatus::AwaitingConfirmation => {
                    let ev = store::apply_transition(
                        &tx,
                        &Transition {
                            order_pk: order.id,
                            from: order.status,
                            to: OrderStatus::Paid,
                            event: "payment.confirmed",
                            actor: by.as_str(),
                            at: now,
                        },
                    )?;
                    store::set_payer(
                        &tx,
                        order.id,
                        by,
                        payer_name.as_deref(),
                        payer_note.as_deref(),
                    )?;
                    let order =
                        store::get_order(&tx, OrderKey::Pk(order.id), now)?.expect("exists");
                    events.push(emit(&tx, &order, ev, "payment.confirmed", now)?);
                    Ok(order)
                }
                OrderStatus::Paid => Err(Error::AlreadyVerified),
                OrderStatus::Expired => Err(Error::Closed {
                    status: OrderStatus::Expired,
                    message: format!(
                        "Order \"{id}\" expired before it was verified; make a new order."
                    ),
                }),
                OrderStatus::Cancelled => Err(Error::Closed {
                    status: OrderStatus::Cancelled,
                    message: format!("Order \"{id}\" was cancelled and cannot be verified."),
                }),
            };
            tx.commit()?;
            Ok((outcome, events))
        })
        .await
    }

    /// Cancel an unpaid order. Cancelling a cancelled order changes nothing.
    pub async fn cancel(&self, order_id: &str, actor: ConfirmedBy) -> Result<Order> {
        let id = order_id.to_string();
        self.write_outcome(move |c| {
            let now = now_ms();
            let tx = c.transaction()?;
            let Some(order) = store::get_order(&tx, OrderKey::OrderId(&id), now)? else {
                return Ok((Err(order_not_found(&id)), vec![]));
            };
            let (order, mut events) = expire_if_due(&tx, order, now)?;
            let outcome = match order.status {
                OrderStatus::Pending | OrderStatus::AwaitingConfirmation => {
                    let (order, ev) = cancel_open(&tx, order, actor.as_str(), now)?;
                    events.push(ev);
                    Ok(order)
                }
                OrderStatus::Cancelled => Ok(order),
                OrderStatus::Paid => Err(Error::CannotCancelPaid),
                OrderStatus::Expired => Err(Error::Closed {
                    status: OrderStatus::Expired,
                    message: format!("Order \"{id}\" has already expired."),
                }),
            };
            tx.commit()?;
            Ok((outcome, events))
        })
        .await
    }

    /// Delete a payment link: it stops working, and an unpaid order is cancelled.
    pub async fn delete_payment_link(&self, id: i64, actor: ConfirmedBy) -> Result<Order> {
        self.write_outcome(move |c| {
            let now = now_ms();
            let tx = c.transaction()?;
            let Some(order) = store::get_order(&tx, OrderKey::Pk(id), now)?.filter(|o| o.is_active)
            else {
                return Ok((
                    Err(Error::NotFound {
                        what: "payment_link",
                        message: format!("No payment link with id {id}."),
                    }),
                    vec![],
                ));
            };
            let (order, mut events) = expire_if_due(&tx, order, now)?;
            let order = if order.status.is_open() {
                let (o, ev) = cancel_open(&tx, order, actor.as_str(), now)?;
                events.push(ev);
                o
            } else {
                order
            };
            store::deactivate(&tx, order.id)?;
            let order = store::get_order(&tx, OrderKey::Pk(order.id), now)?.expect("exists");
            tx.commit()?;
            Ok((Ok(order), events))
        })
        .await
    }

    /// A customer opened the payment page (counted by the page's script, so
    /// link-preview bots are not counted).
    pub async fn record_view(&self, link_code: &str) -> Result<()> {
        let code = link_code.to_string();
        let found = self
            .inner
            .db
            .write(move |c| store::count_view(c, &code))
            .await?;
        if found {
            Ok(())
        } else {
            Err(link_not_found())
        }
    }

    /// Expire every open order past its expiry; returns how many.
    pub async fn expire_due(&self) -> Result<usize> {
        let n = self
            .write_outcome(|c| {
                let now = now_ms();
                let tx = c.transaction()?;
                let mut events = vec![];
                for (pk, _) in store::due_for_expiry(&tx, now, 500)? {
                    if let Some(order) = store::get_order(&tx, OrderKey::Pk(pk), now)? {
                        let (_, evs) = expire_if_due(&tx, order, now)?;
                        events.extend(evs);
                    }
                }
                tx.commit()?;
                Ok((Ok(events.len()), events))
            })
            .await?;
        Ok(n)
    }

    /// The events of one order, oldest first.
    pub async fn order_events(&self, order_id: &str) -> Result<Vec<EventRecord>> {
        let id = order_id.to_string();
        self.inner
            .db
            .read(move |c| {
                let o = store::get_order(c, OrderKey::OrderId(&id), now_ms())?
                    .ok_or_else(|| order_not_found(&id))?;
                store::events_of_order(c, o.id)
            })
            .await
    }

    // ---- printed paper ----

    /// The receipt of a paid order as a PDF; an unpaid order is refused.
    pub async fn receipt_pdf(&self, order_id: &str, paper: Paper) -> Result<Vec<u8>> {
        if !paper.is_receipt() {
            return Err(Error::invalid(
                "paper",
                "a receipt is printed on 58, 80 or a4",
            ));
        }
        let id = order_id.to_string();
        self.inner
            .db
            .read(move |c| {
                let order = store::get_order(c, OrderKey::OrderId(&id), now_ms())?
                    .ok_or_else(|| order_not_found(&id))?;
                if !order.is_paid() {
                    return Err(Error::NotPaid {
                        order_id: order.order_id,
                        status: order.status,
                    });
                }
                let settings = read_settings(c)?;
                let merchant = merchant_of(store::get_static_qris(c, order.qris_id)?, &order);
                let zone = print_zone(&settings);
                Ok(pdf::receipt::render(
                    &pdf::receipt::ReceiptInput {
                        order: &order,
                        merchant: &merchant,
                        zone: &zone,
                        footer: settings.receipt_footer.as_deref(),
                    },
                    paper,
                ))
            })
            .await
    }

    /// The closing report of one calendar day (`YYYY-MM-DD`, in the merchant's
    /// zone) over the orders made that day. A day without orders is a report
    /// that says so.
    pub async fn daily_report_pdf(&self, date: &str) -> Result<Vec<u8>> {
        let day = parse_day(date)?;
        self.inner
            .db
            .read(move |c| {
                let now = now_ms();
                let settings = read_settings(c)?;
                let zone = print_zone(&settings);
                let (from, to) = zone.day_bounds(day);
                let merchant = match store::default_static_qris_id(c)? {
                    Some(id) => store::get_static_qris(c, id)?.map(|q| pdf::Merchant {
                        name: q.merchant_name,
                        city: q.merchant_city,
                        nmid: q.nmid,
                    }),
                    None => None,
                }
                .unwrap_or_default();
                let report = pdf::report::DailyReport {
                    merchant,
                    day,
                    totals: store::totals_by_status(c, from, to, now)?,
                    paid: store::paid_orders_created_between(c, from, to)?,
                    zone,
                    printed_at: now,
                };
                Ok(pdf::report::render(&report))
            })
            .await
    }

    /// A standee for the counter: the static QRIS, or with an amount a new
    /// order (source `till`) whose dynamic QRIS it carries, so the payment is
    /// tracked and verified like any other. Returns the order it made.
    pub async fn standee_pdf(
        &self,
        amount: Option<u64>,
        paper: Paper,
    ) -> Result<(Vec<u8>, Option<Order>)> {
        if !paper.is_standee() {
            return Err(Error::invalid("paper", "a standee is printed on a5 or a6"));
        }
        let q = self.static_qris(None).await?;
        let order = match amount {
            Some(a) => Some(
                self.create_order(
                    NewOrder {
                        amount: Some(a as i128),
                        description: Some("Standee".into()),
                        ..Default::default()
                    },
                    OrderSource::Till,
                )
                .await?,
            ),
            None => None,
        };
        let merchant = pdf::Merchant {
            name: q.merchant_name,
            city: q.merchant_city,
            nmid: q.nmid,
        };
        let payload = order.as_ref().map_or(q.payload, |o| o.payload.clone());
        let (amount, order_id) = (
            order.as_ref().map(|o| o.total_amount),
            order.as_ref().map(|o| o.order_id.clone()),
        );
        let bytes = tokio::task::spawn_blocking(move || {
            pdf::standee::render(
                &pdf::standee::StandeeInput {
                    merchant: &merchant,
                    payload: &payload,
                    amount,
                    order_id: order_id.as_deref(),
                },
                paper,
            )
        })
        .await
        .map_err(|_| Error::Db(crate::db::DbError::WorkerGone))?
        .map_err(|e| Error::InvalidQris {
            message: e.to_string(),
            issues: vec![],
        })?;
        Ok((bytes, order))
    }

    // ---- API keys ----

    /// Make a key; the secret is returned once and only its hash is kept.
    pub async fn create_api_key(
        &self,
        name: &str,
        daily_limit: Option<i64>,
    ) -> Result<(ApiKey, String)> {
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::invalid(
                "name",
                "a key needs a name of 1 to 100 characters",
            ));
        }
        if let Some(l) = daily_limit {
            if l < 1 {
                return Err(Error::invalid(
                    "daily_limit",
                    "daily limit must be at least 1 (leave it out for no limit)",
                ));
            }
        }
        let mut bytes = [0u8; 24];
        rand::rng().fill(&mut bytes);
        let secret = format!("ksr_{}", hex::encode(bytes));
        let hash = hash_key(&secret);
        let prefix = secret[..12].to_string();
        let key = self
            .inner
            .db
            .write(move |c| store::insert_api_key(c, &name, &prefix, &hash, daily_limit, now_ms()))
            .await?;
        Ok((key, secret))
    }

    pub async fn list_api_keys(&self) -> Result<Vec<ApiKey>> {
        self.inner.db.read(store::list_api_keys).await
    }

    pub async fn revoke_api_key(&self, id: i64) -> Result<()> {
        let done = self
            .inner
            .db
            .write(move |c| store::revoke_api_key(c, id, now_ms()))
            .await?;
        if done {
            Ok(())
        } else {
            Err(Error::NotFound {
                what: "api_key",
                message: format!("No active API key with id {id}."),
            })
        }
    }

    pub async fn set_api_key_limit(&self, id: i64, daily_limit: Option<i64>) -> Result<()> {
        if daily_limit.is_some_and(|l| l < 1) {
            return Err(Error::invalid(
                "daily_limit",
                "daily limit must be at least 1 (leave it out for no limit)",
            ));
        }
        let done = self
            .inner
            .db
            .write(move |c| store::set_key_daily_limit(c, id, daily_limit))
            .await?;
        if done {
            Ok(())
        } else {
            Err(Error::NotFound {
                what: "api_key",
                message: format!("No API key with id {id}."),
            })
        }
    }

    /// The key a request presents, compared in constant time; revoked keys fail.
    pub async fn authenticate(&self, presented: &str) -> Result<ApiKey> {
        let hash = hash_key(presented);
        self.inner
            .db
            .read(move |c| {
                let invalid = || Error::Unauthorized("Invalid API key. Send a key made with `kasir keys create` in the X-API-Key header.".into());
                let Some((key, stored)) = store::api_key_by_hash(c, &hash)? else {
                    return Err(invalid());
                };
                if !bool::from(stored.as_slice().ct_eq(hash.as_slice())) || key.revoked_at.is_some() {
                    return Err(invalid());
                }
                Ok(key)
            })
            .await
    }

    /// Count a request against the key's daily limit, or refuse it.
    /// Count a request against its key's daily limit. Counts are kept in
    /// memory and written at most a second later ([`Kasir::flush_usage`]), so
    /// a request costs no write of its own; a crash loses at most a second of
    /// counts, never an order.
    pub async fn record_request(&self, key: &ApiKey, endpoint: &str) -> Result<()> {
        let now = now_ms();
        let slot = (key.id, clock::jakarta_day(now));
        loop {
            {
                let mut meter = self.inner.usage.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(day) = meter.get_mut(&slot) {
                    if let Some(limit) = key.daily_limit {
                        if day.stored + day.pending_total >= limit {
                            let secs = (clock::ms_until_jakarta_midnight(now) as u64)
                                .div_ceil(1000)
                                .max(1);
                            return Err(Error::RateLimited {
                                limit,
                                retry_after_secs: secs,
                            });
                        }
                    }
                    *day.pending.entry(endpoint.to_string()).or_default() += 1;
                    day.pending_total += 1;
                    day.last_used = now;
                    return Ok(());
                }
            }
            // first request of this key today in this process: what is stored already
            let (key_id, d) = (slot.0, slot.1.clone());
            let stored = self
                .inner
                .db
                .read(move |c| store::usage_today_total(c, key_id, &d))
                .await?;
            self.inner
                .usage
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(slot.clone())
                .or_insert_with(|| UsageDay {
                    stored,
                    ..Default::default()
                });
        }
    }

    /// Write the request counts kept in memory, in one transaction.
    pub async fn flush_usage(&self) -> Result<()> {
        let batch: Vec<UsageBatch> = {
            let mut meter = self.inner.usage.lock().unwrap_or_else(|e| e.into_inner());
            let today = clock::jakarta_day(now_ms());
            // days gone by have nothing left to limit
            meter.retain(|(_, day), d| *day == today || d.pending_total > 0);
            meter
                .iter_mut()
                .filter(|(_, d)| d.pending_total > 0)
                .map(|(k, d)| {
                    d.stored += d.pending_total;
                    d.pending_total = 0;
                    (k.clone(), std::mem::take(&mut d.pending), d.last_used)
                })
                .collect()
        };
        if batch.is_empty() {
            return Ok(());
        }
        let rows = batch.clone();
        let written = self
            .inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                for ((key_id, day), endpoints, last_used) in &rows {
                    for (endpoint, n) in endpoints {
                        store::add_usage(&tx, *key_id, day, endpoint, *n, *last_used)?;
                    }
                }
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await;
        if written.is_err() {
            // keep the counts for the next flush
            let mut meter = self.inner.usage.lock().unwrap_or_else(|e| e.into_inner());
            for (k, endpoints, _) in batch {
                let d = meter.entry(k).or_default();
                for (e, n) in endpoints {
                    d.stored -= n;
                    d.pending_total += n;
                    *d.pending.entry(e).or_default() += n;
                }
            }
        }
        written
    }

    pub async fn usage(&self, key: &ApiKey) -> Result<Usage> {
        self.flush_usage().await?;
        let (key_id, limit) = (key.id, key.daily_limit);
        self.inner
            .db
            .read(move |c| {
                let now = now_ms();
                let today = store::usage_by_endpoint(c, key_id, &clock::jakarta_day(now))?;
                let month = store::usage_by_endpoint(
                    c,
                    key_id,
                    &format!("{}-%", clock::jakarta_month(now)),
                )?;
                Ok(Usage {
                    daily_limit: limit,
                    today_total: today.iter().map(|e| e.request_count).sum(),
                    today,
                    month_total: month.iter().map(|e| e.request_count).sum(),
                    month,
                })
            })
            .await
    }
}

fn read_settings(c: &rusqlite::Connection) -> Result<Settings> {
    let map: std::collections::HashMap<String, String> =
        store::all_settings(c)?.into_iter().collect();
    Ok(Settings {
        order_expiry_minutes: map
            .get("order_expiry_minutes")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_EXPIRY_MINUTES),
        public_base_url: map.get("public_base_url").cloned(),
        default_webhook_url: map.get("default_webhook_url").cloned(),
        language: map.get("language").cloned().unwrap_or_else(|| "id".into()),
        sound: map.get("sound").map(|v| v != "0").unwrap_or(true),
        webhook_block_private: map
            .get("webhook_block_private")
            .map(|v| v == "1")
            .unwrap_or(false),
        widget_max_amount: map
            .get("widget_max_amount")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_WIDGET_MAX_AMOUNT),
        widget_webhook_allowlist: map
            .get("widget_webhook_allowlist")
            .map(|v| v.lines().map(str::to_string).collect())
            .unwrap_or_default(),
        receipt_footer: map.get("receipt_footer").cloned(),
        timezone: map
            .get("timezone")
            .cloned()
            .unwrap_or_else(|| "Asia/Jakarta".into()),
        listen_lan: map.get("listen_lan").is_some_and(|v| v == "1"),
    })
}

/// `YYYY-MM-DD`, a real calendar day.
pub fn parse_day(date: &str) -> Result<chrono::NaiveDate> {
    let d = date.trim();
    if d.len() != 10 {
        return Err(Error::invalid(
            "date",
            format!("date must be a day as YYYY-MM-DD, e.g. 2025-12-26; got {d:?}"),
        ));
    }
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
        Error::invalid(
            "date",
            format!("date must be a real day as YYYY-MM-DD, e.g. 2025-12-26; got {d:?}"),
        )
    })
}

fn print_zone(s: &Settings) -> clock::Zone {
    clock::Zone::parse(&s.timezone).unwrap_or_else(clock::Zone::jakarta)
}

fn merchant_of(q: Option<StaticQris>, order: &Order) -> pdf::Merchant {
    pdf::Merchant {
        name: order.merchant_name.clone(),
        city: order.merchant_city.clone(),
        nmid: q.and_then(|q| q.nmid),
    }
}

/// The event of a state change, with its webhook written to the outbox in the
/// same transaction: to the order's `webhook_url`, else the merchant's default.
fn emit(
    tx: &rusqlite::Transaction<'_>,
    order: &Order,
    id: i64,
    event: &str,
    at: Millis,
) -> Result<OrderEvent> {
    if webhook::EVENTS.contains(&event) {
        let url = match &order.webhook_url {
            Some(u) => Some(u.clone()),
            None => store::get_setting(tx, "default_webhook_url")?,
        };
        if let Some(url) = url {
            let body = webhook::order_body(order, event, at);
            store::insert_delivery(
                tx,
                &store::NewDelivery {
                    webhook_id: &webhook::new_webhook_id(),
                    order_pk: Some(order.id),
                    order_event_id: Some(id),
                    event,
                    url: &url,
                    origin: &webhook::origin_of(&url),
                    body: &body,
                    next_attempt_at: Some(at),
                    created_at: at,
                },
            )?;
        }
    }
    Ok(event_of(order, id, event, at))
}

fn event_of(order: &Order, id: i64, event: &str, at: Millis) -> OrderEvent {
    OrderEvent {
        id,
        event: event.to_string(),
        order_id: order.order_id.clone(),
        link_code: order.link_code.clone(),
        status: order.status,
        amount: order.amount,
        total_amount: order.total_amount,
        created_at: at,
    }
}

/// An open order past its expiry becomes expired now, with its event.
fn expire_if_due(
    tx: &rusqlite::Transaction<'_>,
    order: Order,
    now: Millis,
) -> Result<(Order, Vec<OrderEvent>)> {
    // `order.status` already reads Expired when due; the row may still say open
    let stored: String =
        tx.query_row("SELECT status FROM orders WHERE id = ?1", [order.id], |r| {
            r.get(0)
        })?;
    let stored = OrderStatus::parse(&stored).unwrap_or(OrderStatus::Pending);
    if !(stored.is_open() && order.expires_at <= now) {
        return Ok((order, vec![]));
    }
    let ev = store::apply_transition(
        tx,
        &Transition {
            order_pk: order.id,
            from: stored,
            to: OrderStatus::Expired,
            event: "payment.expired",
            actor: "system",
            at: now,
        },
    )?;
    let order = store::get_order(tx, OrderKey::Pk(order.id), now)?.expect("exists");
    let e = emit(tx, &order, ev, "payment.expired", now)?;
    Ok((order, vec![e]))
}

fn cancel_open(
    tx: &rusqlite::Transaction<'_>,
    order: Order,
    actor: &str,
    now: Millis,
) -> Result<(Order, OrderEvent)> {
    let ev = store::apply_transition(
        tx,
        &Transition {
            order_pk: order.id,
            from: order.status,
            to: OrderStatus::Cancelled,
            event: "payment.cancelled",
            actor,
            at: now,
        },
    )?;
    let order = store::get_order(tx, OrderKey::Pk(order.id), now)?.expect("exists");
    let e = emit(tx, &order, ev, "payment.cancelled", now)?;
    Ok((order, e))
}

fn order_not_found(id: &str) -> Error {
    Error::NotFound {
        what: "order",
        message: format!("No order found with order_id \"{id}\" for your account."),
    }
}

fn link_not_found() -> Error {
    Error::NotFound {
        what: "payment_link",
        message: "Link pembayaran tidak ditemukan".into(),
    }
}

pub fn hash_key(key: &str) -> Vec<u8> {
    // keys carry 192 random bits, so a fast hash is enough: nothing to brute-force
    Sha256::digest(key.as_bytes()).to_vec()
}

fn generate_link_code() -> String {
    let mut rng = rand::rng();
    (0..8)
        .map(|_| LINK_ALPHABET[rng.random_range(0..32)] as char)
        .collect()
}

fn generate_order_id() -> String {
    let mut rng = rand::rng();
    let tail: String = (0..11)
        .map(|_| LINK_ALPHABET[rng.random_range(0..32)] as char)
        .collect();
    format!("ORD-{tail}")
}

/// Check a static QRIS for import: valid, Indonesian, not a transfer code, convertible.
pub fn check_importable(payload: &str) -> Result<(qris::MerchantSummary, Vec<qris::Issue>)> {
    if payload.is_empty() {
        return Err(Error::invalid("qris_string", "qris_string is empty"));
    }
    let decoded = qris::decode(payload);
    if !decoded.valid {
        let errors: Vec<qris::Issue> = decoded
            .issues
            .iter()
            .filter(|i| i.severity == qris::Severity::Error)
            .cloned()
            .collect();
        let first = errors
            .first()
            .map(|i| i.message.clone())
            .unwrap_or_default();
        return Err(Error::InvalidQris {
            message: format!("This is not a valid QRIS code: {first}"),
            issues: errors,
        });
    }
    let summary = decoded.summary.expect("valid payloads have a summary");
    // converting a test amount proves the code can be made dynamic later
    if let Err(e) = qris::to_dynamic(
        payload,
        &qris::DynamicRequest {
            amount: 1,
            fee: None,
            reference: None,
        },
    ) {
        return Err(Error::InvalidQris {
            message: e.to_string(),
            issues: vec![],
        });
    }
    let warnings = decoded
        .issues
        .into_iter()
        .filter(|i| i.severity == qris::Severity::Warning)
        .collect();
    Ok((summary, warnings))
}

fn check_amount(amount: Option<i128>) -> Result<u64> {
    match amount {
        None => Err(Error::invalid(
            "amount",
            "amount is required: the payment in whole rupiah, e.g. 50000",
        )),
        Some(a) if a < 1 => Err(Error::invalid(
            "amount",
            format!("amount must be at least 1 rupiah, got {a}"),
        )),
        Some(a) if a > qris::MAX_AMOUNT as i128 => Err(Error::invalid(
            "amount",
            format!(
                "amount must be at most {} (13 digits), got {a}",
                qris::MAX_AMOUNT
            ),
        )),
        Some(a) => Ok(a as u64),
    }
}

/// `fee_type` "rupiah" or "percent" with `fee_value`; a value of 0 means no fee.
pub fn check_fee(fee_type: Option<&str>, fee_value: Option<&str>) -> Result<Option<FeeSpec>> {
    let value = fee_value.map(str::trim).filter(|v| !v.is_empty());
    let kind = fee_type.map(str::trim).filter(|v| !v.is_empty());
    let Some(value) = value else {
        return match kind {
            None | Some("rupiah") | Some("percent") => Ok(None),
            Some(k) => Err(Error::invalid(
                "fee_type",
                format!("fee_type must be \"rupiah\" or \"percent\", got {k:?}"),
            )),
        };
    };
    if value.parse::<f64>().is_ok_and(|v| v == 0.0) {
        return Ok(None);
    }
    match kind.unwrap_or("rupiah") {
        "rupiah" => {
            let v: u64 = value
                .parse()
                .map_err(|_| Error::invalid("fee_value", format!("fee_value must be a whole number of rupiah for a rupiah fee, got {value}")))?;
            if v > qris::MAX_AMOUNT {
                return Err(Error::invalid("fee_value", "fee_value is too large (at most 13 digits)"));
            }
            Ok(Some(FeeSpec::Rupiah(v)))
        }
        "percent" => qris::Percent::parse(value)
            .map(|p| Some(FeeSpec::Percent(p)))
            .ok_or_else(|| Error::invalid("fee_value", format!("fee_value must be between 0.01 and 99.99 with at most two decimals for a percent fee, got {value}"))),
        k => Err(Error::invalid("fee_type", format!("fee_type must be \"rupiah\" or \"percent\", got {k:?}"))),
    }
}

pub fn check_order_id(id: &str) -> Result<&str> {
    if id.chars().count() > MAX_ORDER_ID_LEN {
        return Err(Error::invalid(
            "order_id",
            format!(
                "order_id must be at most {MAX_ORDER_ID_LEN} characters, got {}",
                id.chars().count()
            ),
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(Error::invalid(
            "order_id",
            "order_id may contain only letters, digits, '-', '_' and '.'",
        ));
    }
    Ok(id)
}

fn check_text(field: &'static str, v: Option<&str>, max: usize) -> Result<Option<String>> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("{field} must be at most {max} characters"),
        ));
    }
    if v.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::invalid(
            field,
            format!("{field} contains control characters"),
        ));
    }
    Ok(Some(v.to_string()))
}

fn optional_url(field: &'static str, v: Option<&str>) -> Result<Option<String>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(u) => check_url(field, u).map(Some),
    }
}

/// An absolute http or https URL of reasonable length.
pub fn check_url(field: &'static str, u: &str) -> Result<String> {
    let u = u.trim();
    if u.len() > MAX_URL_LEN {
        return Err(Error::invalid(
            field,
            format!("{field} must be at most {MAX_URL_LEN} characters"),
        ));
    }
    let parsed = url::Url::parse(u)
        .map_err(|e| Error::invalid(field, format!("{field} is not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::invalid(
            field,
            format!("{field} must be an http:// or https:// URL"),
        ));
    }
    Ok(u.to_string())
}

// ---- webhooks ----

/// The signing secrets as stored.
pub fn read_webhook_secret(c: &rusqlite::Connection) -> Result<WebhookSecret> {
    Ok(WebhookSecret {
        secret: store::get_setting(c, "webhook_secret")?.unwrap_or_default(),
        previous: store::get_setting(c, "webhook_secret_previous")?,
        rotated_at: store::get_setting(c, "webhook_secret_rotated_at")?
            .and_then(|v| v.parse().ok()),
    })
}

/// A delivery and its attempts, as the webhook log shows them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeliveryLog {
    #[serde(flatten)]
    pub delivery: Delivery,
    #[serde(rename = "attempt_log")]
    pub attempts: Vec<Attempt>,
}

impl Kasir {
    pub fn webhook_config(&self) -> &WebhookConfig {
        &self.inner.webhook_config
    }

    pub fn webhook_wake(&self) -> Arc<tokio::sync::Notify> {
        self.inner.webhook_wake.clone()
    }

    pub fn webhook_sender(&self) -> webhook::Sender {
        self.inner
            .webhook_sender
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Where this process's API listens: webhooks are never sent there.
    pub fn set_listening(&self, addr: Option<std::net::SocketAddr>) {
        self.inner.webhook_policy.set_own(addr);
        let sender = webhook::Sender::new(
            self.inner.webhook_policy.clone(),
            self.inner.webhook_config.attempt_timeout,
        );
        *self
            .inner
            .webhook_sender
            .write()
            .unwrap_or_else(|e| e.into_inner()) = sender;
    }

    pub async fn webhook_secret(&self) -> Result<WebhookSecret> {
        self.inner.db.read(read_webhook_secret).await
    }

    /// Replace the signing secret. For 24 h the old one still signs beside the
    /// new (in `webhook-signature`), so receivers can switch without a gap.
    pub async fn rotate_webhook_secret(&self) -> Result<WebhookSecret> {
        self.inner
            .db
            .write(|c| {
                let tx = c.transaction()?;
                let old = read_webhook_secret(&tx)?;
                store::set_setting(&tx, "webhook_secret_previous", Some(&old.secret))?;
                store::set_setting(&tx, "webhook_secret", Some(&webhook::new_secret()))?;
                store::set_setting(
                    &tx,
                    "webhook_secret_rotated_at",
                    Some(&now_ms().to_string()),
                )?;
                let s = read_webhook_secret(&tx)?;
                tx.commit()?;
                Ok(s)
            })
            .await
    }

    pub async fn webhook_deliveries(
        &self,
        filter: DeliveryFilter,
    ) -> Result<(Vec<DeliveryLog>, u64)> {
        self.inner
            .db
            .read(move |c| {
                let (list, total) = store::list_deliveries(c, &filter)?;
                let logs = list
                    .into_iter()
                    .map(|d| {
                        let attempts = store::attempts_of(c, d.id)?;
                        Ok(DeliveryLog {
                            delivery: d,
                            attempts,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok((logs, total))
            })
            .await
    }

    pub async fn webhook_delivery(&self, id: i64) -> Result<DeliveryLog> {
        self.inner
            .db
            .read(move |c| {
                let d = store::get_delivery(c, id)?.ok_or_else(|| delivery_not_found(id))?;
                let attempts = store::attempts_of(c, d.id)?;
                Ok(DeliveryLog {
                    delivery: d,
                    attempts,
                })
            })
            .await
    }

    /// Send a delivery again now, whatever its state, and record the attempt.
    /// A pending one keeps its schedule if this fails; a delivered one stays delivered.
    pub async fn redeliver_webhook(&self, id: i64) -> Result<DeliveryLog> {
        let log = self.webhook_delivery(id).await?;
        self.attempt_now(log.delivery, true).await
    }

    /// Send a signed `ping` event to `url` once, so an integrator can check a
    /// receiver. It is logged like any delivery and never retried.
    pub async fn send_test_webhook(&self, url: &str) -> Result<DeliveryLog> {
        let url = check_url("url", url)?;
        let now = now_ms();
        let body = webhook::ping_body(now);
        let id = self
            .inner
            .db
            .write(move |c| {
                store::insert_delivery(
                    c,
                    &store::NewDelivery {
                        webhook_id: &webhook::new_webhook_id(),
                        order_pk: None,
                        order_event_id: None,
                        event: "ping",
                        url: &url,
                        origin: &webhook::origin_of(&url),
                        body: &body,
                        next_attempt_at: None,
                        created_at: now,
                    },
                )
            })
            .await?;
        let log = self.webhook_delivery(id).await?;
        self.attempt_now(log.delivery, false).await
    }

    async fn attempt_now(&self, d: Delivery, scheduled: bool) -> Result<DeliveryLog> {
        let secret = self.webhook_secret().await?;
        let sender = self.webhook_sender();
        sender
            .policy()
            .set_block_private(self.settings().await?.webhook_block_private);
        let result = sender.send_delivery(&d, &secret).await;
        let config = self.inner.webhook_config.clone();
        let id = d.id;
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let scheduled = scheduled && d.status == webhook::DeliveryStatus::Pending;
                webhook::record(&tx, &config, &d, &result, scheduled)?;
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await?;
        self.webhook_delivery(id).await
    }
}

fn delivery_not_found(id: i64) -> Error {
    Error::NotFound {
        what: "webhook_delivery",
        message: format!("No webhook delivery with id {id}."),
    }
}

// ---- the embeddable widget ----

/// The till's public identifier for `widget.js`: `m_` and 16 characters (80
/// random bits). Not a secret: it only lets a page create widget payments.
fn new_merchant_id() -> String {
    let mut rng = rand::rng();
    let tail: String = (0..16)
        .map(|_| LINK_ALPHABET[rng.random_range(0..LINK_ALPHABET.len())] as char)
        .collect();
    format!("m_{}", tail.to_ascii_lowercase())
}

/// What a page embedding the widget asks for. Everything in it comes from a
/// public page, so nothing is trusted.
#[derive(Debug, Clone, Default)]
pub struct WidgetRequest {
    pub amount: Option<i128>,
    pub description: Option<String>,
    pub callback_url: Option<String>,
    pub webhook_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct WidgetPayment {
    pub order: Order,
    /// The page named a webhook URL the merchant has not allowed; it was not used.
    pub webhook_ignored: bool,
}

/// Whether `url` is allowed by an allow-list entry: same scheme, host and port,
/// and a path under the entry's path.
pub fn allowlisted(entries: &[String], url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    entries.iter().any(|e| {
        let Ok(e) = url::Url::parse(e) else {
            return false;
        };
        let prefix = e.path().trim_end_matches('/');
        u.scheme() == e.scheme()
            && u.host_str() == e.host_str()
            && u.port_or_known_default() == e.port_or_known_default()
            && (u.path() == prefix
                || u.path().starts_with(&format!("{prefix}/"))
                || prefix.is_empty())
    })
}

impl Kasir {
    pub async fn merchant_id(&self) -> Result<String> {
        self.inner
            .db
            .read(|c| Ok(store::get_setting(c, "merchant_id")?.unwrap_or_default()))
            .await
    }

    async fn check_merchant(&self, merchant_id: &str) -> Result<()> {
        if merchant_id.is_empty() || merchant_id != self.merchant_id().await? {
            return Err(Error::NotFound {
                what: "merchant",
                message: "Merchant tidak ditemukan: periksa data-merchant.".into(),
            });
        }
        Ok(())
    }

    /// What the widget shows before a payment exists: who is paid, and the limit.
    pub async fn widget_merchant(&self, merchant_id: &str) -> Result<(StaticQris, Settings)> {
        self.check_merchant(merchant_id).await?;
        Ok((self.static_qris(None).await?, self.settings().await?))
    }

    /// A payment made from a merchant's web page: an order with a link.
    pub async fn create_widget_payment(
        &self,
        merchant_id: &str,
        req: WidgetRequest,
    ) -> Result<WidgetPayment> {
        self.check_merchant(merchant_id).await?;
        let settings = self.settings().await?;
        match req.amount {
            None => {
                return Err(Error::invalid(
                    "amount",
                    "amount is required: the payment in whole rupiah, e.g. 50000",
                ))
            }
            Some(a) if a < 1 => {
                return Err(Error::invalid(
                    "amount",
                    format!("amount must be at least 1 rupiah, got {a}"),
                ))
            }
            Some(a) if a > settings.widget_max_amount as i128 => {
                return Err(Error::invalid(
                    "amount",
                    format!(
                        "amount must be at most {} rupiah for widget payments, got {a}",
                        settings.widget_max_amount
                    ),
                ))
            }
            Some(_) => {}
        }
        let description = check_text(
            "description",
            req.description.as_deref(),
            MAX_WIDGET_DESCRIPTION_LEN,
        )?;
        let callback_url = optional_url("callback_url", req.callback_url.as_deref())?;
        let asked = optional_url("webhook_url", req.webhook_url.as_deref())?;
        let (webhook_url, webhook_ignored) = match asked {
            Some(u) if allowlisted(&settings.widget_webhook_allowlist, &u) => (Some(u), false),
            Some(_) => (None, true),
            None => (None, false),
        };
        let order = self
            .create_order(
                NewOrder {
                    amount: req.amount,
                    description,
                    callback_url,
                    webhook_url,
                    ..Default::default()
                },
                OrderSource::Widget,
            )
            .await?;
        Ok(WidgetPayment {
            order,
            webhook_ignored,
        })
    }

    /// A widget payment's state, for the modal that follows it.
    pub async fn widget_payment(&self, merchant_id: &str, link_code: &str) -> Result<Order> {
        self.check_merchant(merchant_id).await?;
        let order = self.payment_link(link_code).await?;
        if order.source != OrderSource::Widget {
            return Err(Error::NotFound {
                what: "payment_link",
                message: "Link pembayaran tidak ditemukan".into(),
            });
        }
        Ok(order)
    }
}

#[cfg(test)]
mod widget_tests {
    use super::allowlisted;

    #[test]
    fn allowlist_matches_origin_and_path_prefix() {
        let list = vec![
            "https://shop.example".to_string(),
            "http://10.0.0.5:3000/hooks/".to_string(),
        ];
        assert!(allowlisted(&list, "https://shop.example/webhook"));
        assert!(allowlisted(&list, "https://shop.example:443/x"));
        assert!(allowlisted(&list, "http://10.0.0.5:3000/hooks/kasir"));
        assert!(allowlisted(&list, "http://10.0.0.5:3000/hooks"));
        assert!(!allowlisted(&list, "http://10.0.0.5:3000/hooksy"));
        assert!(!allowlisted(&list, "http://shop.example/webhook"));
        assert!(!allowlisted(&list, "https://shop.example.evil.com/"));
        assert!(!allowlisted(
            &list,
            "https://evil.com/?https://shop.example"
        ));
        assert!(!allowlisted(&[], "https://shop.example/"));
    }
}
