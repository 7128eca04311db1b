//! The merchant's settings, and the zone the shop reads its days in.

use super::checks::{check_text, check_url, parse_day};
use super::merchant_limits::{
    DEFAULT_CUSTOMER_CONFIRMATIONS_PER_MINUTE, DEFAULT_WIDGET_OPEN_ORDERS_MAX,
    DEFAULT_WIDGET_PAYMENTS_PER_MINUTE, MAX_MERCHANT_LIMIT,
};
use super::people::{Actor, Right};
use super::unique_code::{
    check_max, check_mode, check_window, UniqueCode, DEFAULT_MATCH_WINDOW_MINUTES,
    DEFAULT_UNIQUE_CODE_MAX, MAX_UNIQUE_CODE_MAX,
};
use super::{Kasir, DEFAULT_WIDGET_MAX_AMOUNT};
use crate::clock::{self, Millis};
use crate::error::{Error, Result};
use crate::store;

/// Default order expiry: 24 hours.
pub const DEFAULT_EXPIRY_MINUTES: i64 = 24 * 60;
pub const MAX_RECEIPT_FOOTER_LEN: usize = 200;

/// The merchant's settings, with defaults.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Settings {
    pub order_expiry_minutes: i64,
    /// When set (a tunnel), payment link URLs are absolute on this base.
    pub public_base_url: Option<String>,
    pub default_webhook_url: Option<String>,
    pub language: String,
    pub sound: bool,
    /// Webhook receivers on private and loopback addresses: `auto` (allowed
    /// while the API is reachable from this computer only), `allow` or `block`.
    /// The default webhook URL and the widget's allowlist are always allowed.
    pub webhook_private_receivers: crate::webhook::PrivateReceivers,
    /// The largest amount a widget payment may ask for.
    pub widget_max_amount: u64,
    /// Widget payments this shop takes a minute, from all clients together.
    pub widget_payments_per_minute: u32,
    /// Widget payments waiting to be paid at once; past this, new ones wait.
    pub widget_open_orders_max: u32,
    /// "Sudah Bayar" presses that move an order on, a minute, all clients together.
    pub customer_confirmations_per_minute: u32,
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
    /// Which connections may name the client in `X-Forwarded-For`.
    pub trusted_proxy: super::TrustedProxy,
    /// Unique totals: `off`, `add` or `subtract` a code of 1..`unique_code_max`.
    pub unique_code: UniqueCode,
    pub unique_code_max: u32,
    /// A payment confirms an order made at most this long before it.
    pub unique_match_window_minutes: i64,
    /// Android packages whose notifications are read by the generic parser
    /// (apps Kasir has no wording table for).
    pub notification_generic_apps: Vec<String>,
    /// PPN (docs/SALES.md): on or off, its rate in basis points (1100 = 11%),
    /// and whether prices already include it.
    pub tax_enabled: bool,
    pub tax_rate_bp: u32,
    pub tax_inclusive: bool,
    /// Service charge in basis points (0: none), and whether PPN is charged on it.
    pub service_rate_bp: u32,
    pub service_taxed: bool,
    /// Cash totals rounded down to Rp 100, 500 or 1.000; 0 is off.
    pub cash_rounding: u32,
    /// The till locks after this many idle minutes; 0 is never.
    pub lock_after_minutes: u32,
    /// A cashier may discount a cart by up to this share of its price (basis
    /// points); more needs the owner's PIN.
    pub cashier_discount_limit_bp: u32,
}

impl Settings {
    /// The money rules a cart is priced by.
    pub fn tax_rules(&self) -> super::cart::TaxRules {
        super::cart::TaxRules {
            tax_enabled: self.tax_enabled,
            tax_rate_bp: self.tax_rate_bp,
            tax_inclusive: self.tax_inclusive,
            service_rate_bp: self.service_rate_bp,
            service_taxed: self.service_taxed,
            cash_rounding: self.cash_rounding,
        }
    }

    /// The merchant's zone; a stored value this build can't read is Jakarta.
    pub fn zone(&self) -> clock::Zone {
        clock::Zone::parse(&self.timezone).unwrap_or_else(clock::Zone::jakarta)
    }
}

/// A partial update of the settings; `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SettingsPatch {
    pub order_expiry_minutes: Option<i64>,
    pub public_base_url: Option<Option<String>>,
    pub default_webhook_url: Option<Option<String>>,
    pub language: Option<String>,
    pub sound: Option<bool>,
    /// `auto`, `allow` or `block`.
    pub webhook_private_receivers: Option<String>,
    /// An earlier build's switch: true is `block`, false is `auto`.
    pub webhook_block_private: Option<bool>,
    pub widget_max_amount: Option<i64>,
    pub widget_payments_per_minute: Option<i64>,
    pub widget_open_orders_max: Option<i64>,
    pub customer_confirmations_per_minute: Option<i64>,
    pub widget_webhook_allowlist: Option<Vec<String>>,
    pub receipt_footer: Option<Option<String>>,
    pub timezone: Option<String>,
    pub listen_lan: Option<bool>,
    pub trusted_proxy: Option<String>,
    pub unique_code: Option<String>,
    pub unique_code_max: Option<i64>,
    pub unique_match_window_minutes: Option<i64>,
    pub notification_generic_apps: Option<Vec<String>>,
    pub tax_enabled: Option<bool>,
    pub tax_rate_bp: Option<i64>,
    pub tax_inclusive: Option<bool>,
    pub service_rate_bp: Option<i64>,
    pub service_taxed: Option<bool>,
    pub cash_rounding: Option<i64>,
    pub lock_after_minutes: Option<i64>,
    pub cashier_discount_limit_bp: Option<i64>,
}

/// PPN above 50% or service above 100% is a typo, not a shop's rate.
const MAX_TAX_RATE_BP: i64 = 5_000;
const MAX_SERVICE_RATE_BP: i64 = 10_000;
pub const DEFAULT_TAX_RATE_BP: u32 = 1_100;
pub const DEFAULT_LOCK_AFTER_MINUTES: u32 = 5;
const MAX_LOCK_AFTER_MINUTES: i64 = 120;
pub const DEFAULT_CASHIER_DISCOUNT_LIMIT_BP: u32 = 1_000;

fn check_rate(field: &'static str, v: Option<i64>, max: i64) -> Result<Option<String>> {
    match v {
        Some(v) if !(0..=max).contains(&v) => Err(Error::invalid(
            field,
            format!("{field} is in basis points (1100 = 11%), from 0 to {max}; got {v}"),
        )),
        Some(v) => Ok(Some(v.to_string())),
        None => Ok(None),
    }
}

/// Settings change rarely and are read on every API response that shows a
/// link; another process (the CLI) may change them, so they live 1 s.
#[derive(Default)]
pub(super) struct Cache(std::sync::Mutex<Option<(std::time::Instant, Settings)>>);

const SETTINGS_TTL: std::time::Duration = std::time::Duration::from_secs(1);

impl Cache {
    fn get(&self) -> Option<Settings> {
        match &*self.0.lock().unwrap_or_else(|e| e.into_inner()) {
            Some((at, s)) if at.elapsed() < SETTINGS_TTL => Some(s.clone()),
            _ => None,
        }
    }
    fn put(&self, s: &Settings) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((std::time::Instant::now(), s.clone()));
    }
}

impl Kasir {
    pub async fn settings(&self) -> Result<Settings> {
        if let Some(s) = self.inner.settings_cache.get() {
            return Ok(s);
        }
        let s = self.inner.db.read(read_settings).await?;
        self.inner.settings_cache.put(&s);
        Ok(s)
    }

    pub async fn update_settings(&self, actor: &Actor, patch: SettingsPatch) -> Result<Settings> {
        self.require(actor, Right::Settings).await?;
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
                let u = check_url("default_webhook_url", u)?;
                // the merchant's own choice may be on the LAN, but never
                // cloud metadata or Kasir's own API
                self.check_receiver_as("default_webhook_url", &u, Some(true))?;
                Some(Some(u))
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
        let limits = [
            (
                "widget_payments_per_minute",
                patch.widget_payments_per_minute,
            ),
            ("widget_open_orders_max", patch.widget_open_orders_max),
            (
                "customer_confirmations_per_minute",
                patch.customer_confirmations_per_minute,
            ),
        ];
        for (field, v) in limits {
            if let Some(v) = v {
                if !(1..=MAX_MERCHANT_LIMIT).contains(&v) {
                    return Err(Error::invalid(
                        field,
                        format!("{field} must be from 1 to {MAX_MERCHANT_LIMIT}, got {v}"),
                    ));
                }
            }
        }
        let allowlist = match &patch.widget_webhook_allowlist {
            None => None,
            Some(list) => Some(
                list.iter()
                    .map(|u| u.trim())
                    .filter(|u| !u.is_empty())
                    .map(|u| {
                        let u = check_url("widget_webhook_allowlist", u)?;
                        self.check_receiver_as("widget_webhook_allowlist", &u, Some(true))?;
                        Ok(u)
                    })
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
        let private_receivers = match (&patch.webhook_private_receivers, patch.webhook_block_private) {
            (Some(v), _) => Some(
                crate::webhook::PrivateReceivers::parse(v)
                    .ok_or_else(|| {
                        Error::invalid(
                            "webhook_private_receivers",
                            format!("webhook_private_receivers must be \"auto\", \"allow\" or \"block\", got {v:?}"),
                        )
                    })?
                    .as_str(),
            ),
            (None, Some(true)) => Some("block"),
            (None, Some(false)) => Some("auto"),
            (None, None) => None,
        };
        let proxy = match &patch.trusted_proxy {
            Some(t) => Some(super::TrustedProxy::parse(t)?.to_string()),
            None => None,
        };
        let unique = patch.unique_code.as_deref().map(check_mode).transpose()?;
        let unique_max = patch.unique_code_max.map(check_max).transpose()?;
        let window = patch
            .unique_match_window_minutes
            .map(check_window)
            .transpose()?;
        let generic_apps = patch
            .notification_generic_apps
            .as_ref()
            .map(|apps| super::evidence::check_generic_apps(apps))
            .transpose()?;
        let tax_rate = check_rate("tax_rate_bp", patch.tax_rate_bp, MAX_TAX_RATE_BP)?;
        let service_rate = check_rate(
            "service_rate_bp",
            patch.service_rate_bp,
            MAX_SERVICE_RATE_BP,
        )?;
        if let Some(r) = patch.cash_rounding {
            if ![0, 100, 500, 1_000].contains(&r) {
                return Err(Error::invalid(
                    "cash_rounding",
                    format!("cash_rounding is 0 (off), 100, 500 or 1000 rupiah; got {r}"),
                ));
            }
        }
        if let Some(m) = patch.lock_after_minutes {
            if !(0..=MAX_LOCK_AFTER_MINUTES).contains(&m) {
                return Err(Error::invalid(
                    "lock_after_minutes",
                    format!("lock_after_minutes is 0 (never) to {MAX_LOCK_AFTER_MINUTES}; got {m}"),
                ));
            }
        }
        let discount_limit = check_rate(
            "cashier_discount_limit_bp",
            patch.cashier_discount_limit_bp,
            10_000,
        )?;
        let flag = |b: bool| Some(if b { "1" } else { "0" });
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
                    store::set_setting(&tx, "sound", flag(s))?;
                }
                if let Some(m) = patch.widget_max_amount {
                    store::set_setting(&tx, "widget_max_amount", Some(&m.to_string()))?;
                }
                for (field, v) in limits {
                    if let Some(v) = v {
                        store::set_setting(&tx, field, Some(&v.to_string()))?;
                    }
                }
                if let Some(v) = &allowlist {
                    store::set_setting(
                        &tx,
                        "widget_webhook_allowlist",
                        Some(v).filter(|v| !v.is_empty()).map(|v| v.as_str()),
                    )?;
                }
                if let Some(v) = private_receivers {
                    store::set_setting(&tx, "webhook_private_receivers", Some(v))?;
                    store::set_setting(&tx, "webhook_block_private", None)?;
                }
                if let Some(t) = &proxy {
                    store::set_setting(&tx, "trusted_proxy", Some(t))?;
                }
                if let Some(l) = patch.listen_lan {
                    store::set_setting(&tx, "listen_lan", flag(l))?;
                }
                if let Some(u) = unique {
                    store::set_setting(&tx, "unique_code", Some(u.as_str()))?;
                }
                if let Some(m) = unique_max {
                    store::set_setting(&tx, "unique_code_max", Some(&m.to_string()))?;
                }
                if let Some(w) = window {
                    store::set_setting(&tx, "unique_match_window_minutes", Some(&w.to_string()))?;
                }
                if let Some(apps) = &generic_apps {
                    let v = apps.join("\n");
                    store::set_setting(
                        &tx,
                        "notification_generic_apps",
                        Some(v.as_str()).filter(|v| !v.is_empty()),
                    )?;
                }
                for (key, on) in [
                    ("tax_enabled", patch.tax_enabled),
                    ("tax_inclusive", patch.tax_inclusive),
                    ("service_taxed", patch.service_taxed),
                ] {
                    if let Some(on) = on {
                        store::set_setting(&tx, key, flag(on))?;
                    }
                }
                if let Some(v) = &tax_rate {
                    store::set_setting(&tx, "tax_rate_bp", Some(v))?;
                }
                if let Some(v) = &service_rate {
                    store::set_setting(&tx, "service_rate_bp", Some(v))?;
                }
                if let Some(r) = patch.cash_rounding {
                    store::set_setting(&tx, "cash_rounding", Some(&r.to_string()))?;
                }
                if let Some(m) = patch.lock_after_minutes {
                    store::set_setting(&tx, "lock_after_minutes", Some(&m.to_string()))?;
                }
                if let Some(v) = &discount_limit {
                    store::set_setting(&tx, "cashier_discount_limit_bp", Some(v))?;
                }
                let s = read_settings(&tx)?;
                tx.commit()?;
                Ok::<_, Error>(s)
            })
            .await?;
        self.inner.settings_cache.put(&settings);
        self.refresh_webhook_policy().await?;
        Ok(settings)
    }

    /// The merchant's zone: the one the till's lists, the reports and the
    /// receipts read days and times in.
    pub async fn zone(&self) -> Result<clock::Zone> {
        Ok(self.settings().await?.zone())
    }

    /// Today (`YYYY-MM-DD`) in the merchant's zone.
    pub async fn today(&self) -> Result<String> {
        Ok(self.zone().await?.day_of(self.now()))
    }

    /// UTC bounds [start, end) of a calendar day (`YYYY-MM-DD`) in the merchant's zone.
    pub async fn day_bounds(&self, date: &str) -> Result<(Millis, Millis)> {
        let day = parse_day(date)?;
        Ok(self.zone().await?.day_bounds(day))
    }
}

pub(super) fn read_settings(c: &rusqlite::Connection) -> Result<Settings> {
    let map: std::collections::HashMap<String, String> =
        store::all_settings(c)?.into_iter().collect();
    let number = |k: &str| {
        map.get(k)
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|v| *v > 0)
    };
    Ok(Settings {
        order_expiry_minutes: map
            .get("order_expiry_minutes")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_EXPIRY_MINUTES),
        public_base_url: map.get("public_base_url").cloned(),
        default_webhook_url: map.get("default_webhook_url").cloned(),
        language: map.get("language").cloned().unwrap_or_else(|| "id".into()),
        sound: map.get("sound").map(|v| v != "0").unwrap_or(true),
        // from the one read of the table, not two more: new orders read the settings
        webhook_private_receivers: store::private_receivers_of(
            map.get("webhook_private_receivers").map(String::as_str),
            map.get("webhook_block_private").map(String::as_str),
        ),
        widget_max_amount: map
            .get("widget_max_amount")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_WIDGET_MAX_AMOUNT),
        widget_payments_per_minute: number("widget_payments_per_minute")
            .unwrap_or(DEFAULT_WIDGET_PAYMENTS_PER_MINUTE),
        widget_open_orders_max: number("widget_open_orders_max")
            .unwrap_or(DEFAULT_WIDGET_OPEN_ORDERS_MAX),
        customer_confirmations_per_minute: number("customer_confirmations_per_minute")
            .unwrap_or(DEFAULT_CUSTOMER_CONFIRMATIONS_PER_MINUTE),
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
        // a stored value this build can't read trusts nobody
        trusted_proxy: map
            .get("trusted_proxy")
            .and_then(|v| super::TrustedProxy::parse(v).ok())
            .unwrap_or_default(),
        unique_code: map
            .get("unique_code")
            .and_then(|v| UniqueCode::parse(v))
            .unwrap_or_default(),
        unique_code_max: number("unique_code_max")
            .filter(|v| *v <= MAX_UNIQUE_CODE_MAX)
            .unwrap_or(DEFAULT_UNIQUE_CODE_MAX),
        unique_match_window_minutes: number("unique_match_window_minutes")
            .map(i64::from)
            .unwrap_or(DEFAULT_MATCH_WINDOW_MINUTES),
        notification_generic_apps: map
            .get("notification_generic_apps")
            .map(|v| v.lines().map(str::to_string).collect())
            .unwrap_or_default(),
        tax_enabled: map.get("tax_enabled").is_some_and(|v| v == "1"),
        tax_rate_bp: map
            .get("tax_rate_bp")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_TAX_RATE_BP),
        tax_inclusive: map.get("tax_inclusive").is_some_and(|v| v == "1"),
        service_rate_bp: map
            .get("service_rate_bp")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        service_taxed: map.get("service_taxed").is_some_and(|v| v == "1"),
        cash_rounding: map
            .get("cash_rounding")
            .and_then(|v| v.parse().ok())
            .filter(|v| [100, 500, 1_000].contains(v))
            .unwrap_or(0),
        lock_after_minutes: map
            .get("lock_after_minutes")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_LOCK_AFTER_MINUTES),
        cashier_discount_limit_bp: map
            .get("cashier_discount_limit_bp")
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_CASHIER_DISCOUNT_LIMIT_BP),
    })
}
