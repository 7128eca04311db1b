//! The shop's thermal printer: its settings, a test print, and the receipt
//! queue. A receipt is rendered and queued in the transaction that marks its
//! order paid (when the merchant turned on automatic printing), or when the
//! cashier reprints one from Pesanan; a worker sends the queue, in order, and
//! retries, so a printer that is off never blocks a sale nor loses a receipt.

use super::people::{Actor, Right};
use super::settings::read_settings;
use super::{parse_day, Kasir};
use crate::clock::Millis;
use crate::error::{Error, Missing, Result};
use crate::model::{Order, PaymentMethod, PrintJob};
use crate::printer::send::{self, Connection, Sent};
use crate::printer::{self, text, Layout, QrMode, Roll};
use crate::store::{self, OrderKey};
use rusqlite::Connection as Db;
use serde::{Deserialize, Serialize};

/// How the printer is reached and what it prints on.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PrinterSettings {
    /// `none`, `network`, `usb` (a device file such as `/dev/usb/lp0`) or
    /// `serial` (`/dev/ttyUSB0`, `/dev/rfcomm0`).
    pub connection: String,
    /// `host[:port]` for a network printer (port 9100 when left out), the
    /// device path otherwise.
    pub address: Option<String>,
    /// A serial printer's speed.
    pub baud: u32,
    pub paper: Roll,
    pub code_page: String,
    /// Print the receipt as soon as an order is paid.
    pub auto_print: bool,
    /// A cash drawer hangs off the printer (opened on cash sales).
    pub cash_drawer: bool,
    /// `native`: the printer's own QR command (`GS ( k`); `bitmap`: the QR
    /// drawn by Kasir and sent as an image, for printers without it.
    pub qr: QrMode,
    /// Characters per line at font A, from `paper`.
    pub columns: usize,
}

/// A change to [`PrinterSettings`]; absent fields stay, an empty `address` clears it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrinterPatch {
    pub connection: Option<String>,
    pub address: Option<String>,
    pub baud: Option<u32>,
    pub paper: Option<String>,
    pub code_page: Option<String>,
    pub auto_print: Option<bool>,
    pub cash_drawer: Option<bool>,
    pub qr: Option<String>,
}

const CONNECTIONS: [&str; 4] = ["none", "network", "usb", "serial"];
const BAUDS: [u32; 5] = [9600, 19200, 38400, 57600, 115200];
pub const DEFAULT_PORT: u16 = 9100;
/// Automatic tries before a job waits for the cashier's "Coba lagi".
const TRIES: i64 = 5;
/// Wait before each retry, ms.
const RETRY_AFTER_MS: [Millis; 4] = [1_000, 3_000, 10_000, 30_000];

pub(super) fn read_printer(c: &Db) -> Result<PrinterSettings> {
    let get = |k: &str| store::get_setting(c, k);
    let paper = get("printer_paper")?
        .and_then(|v| Roll::parse(&v))
        .unwrap_or(Roll::Mm58);
    Ok(PrinterSettings {
        connection: get("printer_connection")?.unwrap_or_else(|| "none".into()),
        address: get("printer_address")?,
        baud: get("printer_baud")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(9600),
        paper,
        code_page: get("printer_code_page")?.unwrap_or_else(|| "pc437".into()),
        auto_print: get("printer_auto_print")?.as_deref() == Some("1"),
        cash_drawer: get("printer_cash_drawer")?.as_deref() == Some("1"),
        qr: get("printer_qr")?
            .and_then(|v| QrMode::parse(&v))
            .unwrap_or_default(),
        columns: paper.columns(),
    })
}

impl PrinterSettings {
    /// Where to send, or why there is nowhere to send.
    pub fn target(&self) -> Result<Connection> {
        let address = || {
            self.address.clone().ok_or_else(|| {
                Error::invalid(
                    "address",
                    "the printer has no address; set it in Pengaturan",
                )
            })
        };
        match self.connection.as_str() {
            "network" => {
                let (host, port) = host_port(&address()?)?;
                Ok(Connection::Network { host, port })
            }
            "usb" => Ok(Connection::usb(&address()?)),
            "serial" => Ok(Connection::Serial {
                path: address()?,
                baud: self.baud,
            }),
            _ => Err(Error::invalid(
                "connection",
                "no printer is set up: choose network, usb or serial in Pengaturan → Printer",
            )),
        }
    }

    fn layout(&self, open_drawer: bool) -> Layout {
        Layout {
            roll: self.paper,
            code_page: self.code_page.clone(),
            open_drawer: open_drawer && self.cash_drawer,
            qr: self.qr,
        }
    }
}

/// `host[:port]`, port 9100 unless given.
fn host_port(s: &str) -> Result<(String, u16)> {
    let bad = || {
        Error::invalid(
            "address",
            format!("a network printer's address is host or host:port, e.g. 192.168.1.50:9100; got {s:?}"),
        )
    };
    let s = s.trim();
    // [v6]:port, host:port, host
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, p) = rest.split_once(']').ok_or_else(bad)?;
        (h, p.strip_prefix(':'))
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => (h, Some(p)),
            _ => (s, None),
        }
    };
    let port = match port {
        Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(bad)?,
        None => DEFAULT_PORT,
    };
    let ok = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !ok {
        return Err(bad());
    }
    Ok((host.to_string(), port))
}

fn check_patch(p: &PrinterPatch, now: &PrinterSettings) -> Result<PrinterSettings> {
    let mut s = now.clone();
    if let Some(c) = &p.connection {
        let c = c.trim();
        if !CONNECTIONS.contains(&c) {
            return Err(Error::invalid(
                "connection",
                format!("connection must be none, network, usb or serial; got {c:?}"),
            ));
        }
        s.connection = c.to_string();
    }
    if let Some(a) = &p.address {
        let a = a.trim();
        s.address = (!a.is_empty()).then(|| a.to_string());
    }
    if let Some(b) = p.baud {
        if !BAUDS.contains(&b) {
            return Err(Error::invalid(
                "baud",
                format!("baud must be one of 9600, 19200, 38400, 57600, 115200; got {b}"),
            ));
        }
        s.baud = b;
    }
    if let Some(paper) = &p.paper {
        s.paper = Roll::parse(paper).ok_or_else(|| {
            Error::invalid(
                "paper",
                format!("paper must be 58 or 80 (mm); got {paper:?}"),
            )
        })?;
        s.columns = s.paper.columns();
    }
    if let Some(cp) = &p.code_page {
        let cp = cp.trim().to_ascii_lowercase();
        if text::code_page(&cp).is_none() {
            let names: Vec<&str> = text::CODE_PAGES.iter().map(|(n, _)| *n).collect();
            return Err(Error::invalid(
                "code_page",
                format!("code_page must be one of {}; got {cp:?}", names.join(", ")),
            ));
        }
        s.code_page = cp;
    }
    if let Some(v) = p.auto_print {
        s.auto_print = v;
    }
    if let Some(v) = p.cash_drawer {
        s.cash_drawer = v;
    }
    if let Some(q) = &p.qr {
        s.qr = QrMode::parse(q).ok_or_else(|| {
            Error::invalid(
                "qr",
                format!("qr must be native (the printer's GS ( k) or bitmap (an image); got {q:?}"),
            )
        })?;
    }
    // an address must fit its connection
    match (s.connection.as_str(), &s.address) {
        ("none", _) => {}
        (_, None) => return Err(Error::invalid(
            "address",
            match s.connection.as_str() {
                "network" => "a network printer needs its address, e.g. 192.168.1.50:9100",
                _ => "a usb or serial printer needs its device, e.g. /dev/usb/lp0 or /dev/ttyUSB0",
            },
        )),
        ("network", Some(a)) => {
            host_port(a)?;
        }
        (_, Some(a)) => {
            if !a.starts_with('/') {
                return Err(Error::invalid(
                    "address",
                    format!("a usb or serial printer's address is its device path, e.g. /dev/usb/lp0; got {a:?}"),
                ));
            }
        }
    }
    Ok(s)
}

/// The receipt of a paid order, or the payment slip of an open one with its
/// dynamic QRIS, as ESC/POS bytes for the printer as set up.
fn receipt_bytes(c: &Db, order: &Order, p: &PrinterSettings) -> Result<Vec<u8>> {
    let receipt = super::printing::receipt_of(c, order, &read_settings(c)?)?;
    // the drawer opens once, on the sale (`open_drawer_for_cash`), not on a reprint
    let qr = (!order.is_paid()).then_some(order.payload.as_str());
    printer::receipt(&receipt, &p.layout(false), qr)
}

fn kind_of(order: &Order) -> &'static str {
    if order.is_paid() {
        "receipt"
    } else {
        "payment_qr"
    }
}

/// Queue `order`'s receipt in `tx` when the merchant prints automatically:
/// called where an order becomes paid, so the receipt is as durable as the
/// payment.
pub(super) fn queue_if_automatic(c: &Db, order: &Order, now: Millis) -> Result<()> {
    let p = read_printer(c)?;
    if !p.auto_print || p.target().is_err() {
        return Ok(());
    }
    let bytes = receipt_bytes(c, order, &p)?;
    store::insert_print_job(c, "receipt", Some(order.id), &bytes, now)?;
    Ok(())
}

/// Open the cash drawer for a sale paid (in part) in cash, when one hangs off
/// the printer: a job of its own, queued after the receipt in the same
/// transaction as the payment.
pub(super) fn open_drawer_for_cash(c: &Db, order: &Order, now: Millis) -> Result<()> {
    let p = read_printer(c)?;
    if !p.cash_drawer || p.target().is_err() || order.payment_method == PaymentMethod::Qris {
        return Ok(());
    }
    store::insert_print_job(c, "drawer", Some(order.id), &printer::drawer_kick(), now)?;
    Ok(())
}

impl Kasir {
    pub async fn printer_settings(&self) -> Result<PrinterSettings> {
        self.inner.db.read(read_printer).await
    }

    pub async fn update_printer(
        &self,
        actor: &Actor,
        patch: PrinterPatch,
    ) -> Result<PrinterSettings> {
        self.require(actor, Right::Settings).await?;
        let s = self
            .inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let s = check_patch(&patch, &read_printer(&tx)?)?;
                let flag = |b: bool| Some(if b { "1" } else { "0" });
                store::set_setting(&tx, "printer_connection", Some(&s.connection))?;
                store::set_setting(&tx, "printer_address", s.address.as_deref())?;
                store::set_setting(&tx, "printer_baud", Some(&s.baud.to_string()))?;
                store::set_setting(&tx, "printer_paper", Some(s.paper.as_str()))?;
                store::set_setting(&tx, "printer_code_page", Some(&s.code_page))?;
                store::set_setting(&tx, "printer_auto_print", flag(s.auto_print))?;
                store::set_setting(&tx, "printer_cash_drawer", flag(s.cash_drawer))?;
                store::set_setting(&tx, "printer_qr", Some(s.qr.as_str()))?;
                tx.commit()?;
                Ok::<_, Error>(s)
            })
            .await?;
        // a fixed address lets waiting jobs go now
        self.inner.print_wake.notify_one();
        Ok(s)
    }

    /// Print a test slip now, straight to the printer (not queued), so the
    /// merchant sees at once whether the set-up works.
    pub async fn print_test(&self) -> Result<Sent> {
        let p = self.printer_settings().await?;
        let to = p.target()?;
        let zone = self.zone().await?;
        let shop = self
            .inner
            .db
            .read(|c| {
                Ok::<_, Error>(match store::default_static_qris_id(c)? {
                    Some(id) => store::get_static_qris(c, id)?.map(|q| q.merchant_name),
                    None => None,
                })
            })
            .await?
            .unwrap_or_else(|| "Kasir".into());
        let when = crate::pdf::date_time(self.now(), &zone);
        let bytes = printer::test_slip(&p.layout(false), &shop, &when)?;
        send::send(&to, &bytes)
            .await
            .map_err(Error::PrinterUnavailable)
    }

    /// Queue the receipt of a paid order (a reprint from Pesanan), or the
    /// payment slip of an open one, its QR for the customer to scan from the
    /// paper. An expired or cancelled order has nothing to print.
    pub async fn print_receipt(&self, order_id: &str) -> Result<PrintJob> {
        let id = order_id.to_string();
        let now = self.now();
        let job = self
            .inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let p = read_printer(&tx)?;
                p.target()?;
                let order = store::get_order(&tx, OrderKey::OrderId(&id), now)?
                    .ok_or(Error::NotFound(Missing::Order(id)))?;
                if !order.is_paid() && !order.status.is_open() {
                    return Err(Error::NotPaid {
                        order_id: order.order_id,
                        status: order.status,
                    });
                }
                let bytes = receipt_bytes(&tx, &order, &p)?;
                let job =
                    store::insert_print_job(&tx, kind_of(&order), Some(order.id), &bytes, now)?;
                let job = store::get_print_job(&tx, job)?.ok_or(Error::StaleStatus)?;
                tx.commit()?;
                Ok(job)
            })
            .await?;
        self.inner.print_wake.notify_one();
        Ok(job)
    }

    /// Queue the daily report of `date` (`YYYY-MM-DD` in the merchant's zone;
    /// today when `None`) as a slip: the same report as the A4 PDF.
    pub async fn print_daily_report(&self, actor: &Actor, date: Option<&str>) -> Result<PrintJob> {
        self.require(actor, Right::DailyReport).await?;
        let now = self.now();
        let day = match date {
            Some(d) => parse_day(d)?,
            None => parse_day(&self.today().await?)?,
        };
        let job = self
            .inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let p = read_printer(&tx)?;
                p.target()?;
                let report = super::printing::daily_report(&tx, day, now)?;
                let bytes = printer::receipt(
                    &crate::receipt::report::daily(&report),
                    &p.layout(false),
                    None,
                )?;
                let job = store::insert_print_job(&tx, "report", None, &bytes, now)?;
                let job = store::get_print_job(&tx, job)?.ok_or(Error::StaleStatus)?;
                tx.commit()?;
                Ok::<_, Error>(job)
            })
            .await?;
        self.inner.print_wake.notify_one();
        Ok(job)
    }

    /// Queue a shift's report as a slip.
    pub async fn print_shift_report(&self, actor: &Actor, shift_id: i64) -> Result<PrintJob> {
        let slip = self.shift_slip(actor, shift_id).await?;
        let now = self.now();
        let job = self
            .inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let p = read_printer(&tx)?;
                p.target()?;
                let bytes = printer::receipt(&slip, &p.layout(false), None)?;
                let job = store::insert_print_job(&tx, "shift", None, &bytes, now)?;
                let job = store::get_print_job(&tx, job)?.ok_or(Error::StaleStatus)?;
                tx.commit()?;
                Ok::<_, Error>(job)
            })
            .await?;
        self.inner.print_wake.notify_one();
        Ok(job)
    }

    /// The newest print jobs, for the till's printer panel.
    pub async fn print_jobs(&self, limit: u32) -> Result<Vec<PrintJob>> {
        let limit = limit.clamp(1, 200);
        self.inner
            .db
            .read(move |c| store::list_print_jobs(c, limit))
            .await
    }

    /// Try a failed or waiting job again now ("Coba lagi").
    pub async fn retry_print_job(&self, id: i64) -> Result<PrintJob> {
        let now = self.now();
        let job = self
            .inner
            .db
            .write(move |c| {
                if !store::requeue_print_job(c, id, now)? {
                    return Err(Error::NotFound(Missing::PrintJob(id)));
                }
                store::get_print_job(c, id)?.ok_or(Error::NotFound(Missing::PrintJob(id)))
            })
            .await?;
        self.inner.print_wake.notify_one();
        Ok(job)
    }

    /// Send the oldest due job, if there is one and a printer is set up.
    /// `Ok(None)`: nothing to do now; `Ok(Some(wait))`: try again after `wait`.
    pub async fn print_next_job(&self) -> Result<Option<std::time::Duration>> {
        let now = self.now();
        let (p, job, due) = self
            .inner
            .db
            .read(move |c| {
                Ok::<_, Error>((
                    read_printer(c)?,
                    store::next_print_job(c, now)?,
                    store::next_print_due_at(c)?,
                ))
            })
            .await?;
        let Some((id, bytes, attempts)) = job else {
            return Ok(due.map(|at| std::time::Duration::from_millis((at - now).max(0) as u64)));
        };
        let Ok(to) = p.target() else {
            // queued until a printer is set up (update_printer wakes us)
            return Ok(None);
        };
        let result = send::send(&to, &bytes).await;
        let now = self.now();
        let tried = attempts + 1;
        self.inner
            .db
            .write(move |c| {
                let outcome = match &result {
                    Ok(_) => Ok(()),
                    Err(why) => {
                        let next = (tried < TRIES).then(|| {
                            now + RETRY_AFTER_MS[(tried as usize - 1).min(RETRY_AFTER_MS.len() - 1)]
                        });
                        Err((why.as_str(), next))
                    }
                };
                store::record_print(c, id, outcome, now)
            })
            .await?;
        Ok(Some(std::time::Duration::ZERO))
    }

    /// Wait until a job may be due: woken by a new job, or after `at_most`.
    pub async fn wait_for_print_work(&self, at_most: std::time::Duration) {
        let _ = tokio::time::timeout(at_most, self.inner.print_wake.notified()).await;
    }
}

/// The print queue's lock file in the data directory.
pub const LOCK_FILE: &str = "printer.lock";

/// Start the print worker: once this process holds the data directory's print
/// lock, it sends due jobs, one at a time and oldest first, for as long as the
/// process runs.
pub fn spawn_print_worker(kasir: Kasir) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let _lock = crate::lockfile::hold(kasir.data_dir(), LOCK_FILE, "printing").await;
        loop {
            let wait = match kasir.print_next_job().await {
                Ok(Some(wait)) => wait.min(IDLE_WAIT),
                Ok(None) => IDLE_WAIT,
                Err(e) => {
                    tracing::warn!("printing: {e}");
                    IDLE_WAIT
                }
            };
            if !wait.is_zero() {
                kasir.wait_for_print_work(wait).await;
            }
        }
    })
}

/// The longest the worker sleeps without being woken (a job queued by another
/// process on the same directory is seen after at most this).
const IDLE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_addresses_take_a_default_port() {
        assert_eq!(
            host_port("192.168.1.50").unwrap(),
            ("192.168.1.50".into(), 9100)
        );
        assert_eq!(
            host_port("printer.lan:9101").unwrap(),
            ("printer.lan".into(), 9101)
        );
        assert_eq!(
            host_port("[fe80::1]:9100").unwrap(),
            ("fe80::1".into(), 9100)
        );
        for bad in ["", "a b", "host:0", "host:99999", "http://x/"] {
            let e = host_port(bad).unwrap_err();
            assert_eq!(e.field(), Some("address"), "{bad}");
        }
    }
}
