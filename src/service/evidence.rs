//! Automatic payment confirmation (docs/AUTO-CONFIRM.md): a notification
//! from the merchant's phone, or a credit on a bank statement, is evidence
//! that money of some total arrived. It confirms an order only when exactly
//! one order fits (that total, made in the window before the money), and is
//! kept, append-only, with what it did, so the owner can see why an order
//! was marked paid, and review what confirmed nothing.

use super::checks::check_text;
use super::orders::lifecycle::{self, Step};
use super::settings::{read_settings, Settings};
use super::Kasir;
use crate::clock::Millis;
use crate::error::{Error, Missing, Result};
use crate::model::*;
use crate::notify::{self, Reading};
use crate::store::{self, OrderKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A phone's clock may run behind the till's: an order made up to this long
/// after the payment's time still fits it.
pub const CLOCK_SKEW_MS: Millis = 60_000;
const MAX_TEXT_LEN: usize = 4_000;
const MAX_TITLE_LEN: usize = 500;
const MAX_ID_LEN: usize = 200;

/// What a notification forwarder posts.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Notification {
    /// The Android package that posted it (`id.dana`).
    pub app: Option<String>,
    pub title: Option<String>,
    pub text: Option<String>,
    /// RFC 3339, or milliseconds since the epoch.
    pub posted_at: Option<String>,
    /// The forwarder's own id for the notification.
    pub id: Option<String>,
    /// The API key it came with (set by the edge, never read from the body).
    #[serde(skip)]
    pub api_key_id: Option<i64>,
}

/// What a notification did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotificationOutcome {
    pub result: EvidenceResult,
    pub amount: Option<u64>,
    pub order_id: Option<String>,
    pub evidence_id: i64,
    /// Why, in a sentence (for the log and the till).
    pub detail: String,
}

/// Evidence of a payment, read and about to be matched.
pub(super) struct Seen {
    pub source: EvidenceSource,
    pub app: String,
    pub title: Option<String>,
    pub text: String,
    pub seen_at: Millis,
    /// A statement that gives only the day: [start, end) of it, in which the
    /// order must have been made.
    pub day: Option<(Millis, Millis)>,
    pub external_id: Option<String>,
    pub api_key_id: Option<i64>,
    pub dedup_key: String,
    pub reading: Reading,
}

/// Android package names: letters, digits, dots and underscores.
fn check_package(field: &'static str, v: &str) -> Result<String> {
    let v = v.trim();
    let ok = !v.is_empty()
        && v.len() <= 200
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    if !ok {
        return Err(Error::invalid(
            field,
            format!("{field} must be an Android package name such as id.dana, got {v:?}"),
        ));
    }
    Ok(v.to_string())
}

pub(super) fn check_generic_apps(apps: &[String]) -> Result<Vec<String>> {
    apps.iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .map(|a| check_package("notification_generic_apps", a))
        .collect()
}

fn parse_posted_at(v: &str) -> Result<Millis> {
    let v = v.trim();
    if let Ok(n) = v.parse::<i64>() {
        // seconds or milliseconds since the epoch, as forwarders send
        let ms = if n.unsigned_abs() < 100_000_000_000 {
            n.checked_mul(1000)
        } else {
            Some(n)
        };
        // from 2000 to 2100: anything else is a broken clock or field
        if let Some(ms) = ms.filter(|ms| (946_684_800_000..4_102_444_800_000).contains(ms)) {
            return Ok(ms);
        }
        return Err(Error::invalid(
            "posted_at",
            format!("posted_at {v} is not a time between 2000 and 2100"),
        ));
    }
    chrono::DateTime::parse_from_rfc3339(v)
        .map(|t| t.timestamp_millis())
        .map_err(|_| {
            Error::invalid(
                "posted_at",
                format!("posted_at must be an RFC 3339 time like 2026-12-01T10:00:00Z or epoch milliseconds, got {v:?}"),
            )
        })
}

fn digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..16])
}

impl Seen {
    /// A forwarder's post, checked and read.
    fn of_notification(n: Notification, s: &Settings, now: Millis) -> Result<Seen> {
        let app = check_package("app", n.app.as_deref().unwrap_or(""))?;
        // forwarders send CRLF and tabs; the words are what is kept and read
        let plain = |v: Option<&str>| {
            v.map(|v| {
                v.replace("\r\n", "\n")
                    .replace(['\r'], "\n")
                    .replace('\t', " ")
            })
        };
        let title = check_text("title", plain(n.title.as_deref()).as_deref(), MAX_TITLE_LEN)?;
        let text = check_text("text", plain(n.text.as_deref()).as_deref(), MAX_TEXT_LEN)?;
        let external_id = check_text("id", n.id.as_deref(), MAX_ID_LEN)?;
        if title.is_none() && text.is_none() {
            return Err(Error::invalid(
                "text",
                "a notification needs its text (or title)",
            ));
        }
        let posted_at = n.posted_at.as_deref().map(parse_posted_at).transpose()?;
        let generic = s.notification_generic_apps.contains(&app);
        let (t, x) = (
            title.as_deref().unwrap_or(""),
            text.as_deref().unwrap_or(""),
        );
        let Some(reading) = notify::read(&app, t, x, generic) else {
            return Err(Error::invalid(
                "app",
                format!("Kasir can't read notifications of {app}: it reads {}. Turn on the generic reader for it in Pengaturan → Konfirmasi otomatis (or `kasir settings --notification-generic-app {app}`).", notify::known_packages().join(", ")),
            ));
        };
        // the same payment, however often it is forwarded: the provider's
        // transaction id when the text has one, else the notification itself
        let dedup_key = match &reading {
            Reading::Payment {
                reference: Some(r), ..
            } => format!("n:{app}:ref:{}", r.to_lowercase()),
            _ => format!(
                "n:{app}:{}",
                digest(&[
                    t,
                    x,
                    n.posted_at.as_deref().unwrap_or(""),
                    external_id.as_deref().unwrap_or("")
                ])
            ),
        };
        Ok(Seen {
            source: EvidenceSource::Notification,
            app,
            title,
            text: text.unwrap_or_default(),
            // a phone ahead of the till can't put a payment in the future
            seen_at: posted_at.map_or(now, |p| p.min(now)),
            day: None,
            external_id,
            api_key_id: n.api_key_id,
            dedup_key,
            reading,
        })
    }
}

/// Which order a payment of `amount` seen at `t` is for, if exactly one fits.
enum Fit {
    One(PaymentCandidate),
    /// The one order it fits was paid already (its notification came first).
    AlreadyPaid(PaymentCandidate),
    None(String),
    Several(String),
}

/// The orders a payment may be for are made in [from, to]; `t` is when it
/// was paid at the latest, which the order must still have been open at.
fn when(seen: &Seen, s: &Settings) -> (Millis, Millis, Millis) {
    match seen.day {
        // a line with only its day: the order must have been open all of it
        // (one that expired that day may have expired unpaid before the money)
        Some((start, end)) => (start, end - 1, end - 1),
        None => (
            seen.seen_at - s.unique_match_window_minutes * 60_000,
            seen.seen_at + CLOCK_SKEW_MS,
            seen.seen_at,
        ),
    }
}

fn fit(c: &rusqlite::Connection, amount: u64, seen: &Seen, s: &Settings) -> Result<Fit> {
    let window = s.unique_match_window_minutes;
    let (from, to, t) = when(seen, s);
    let found = store::payment_candidates(c, amount, from, to, 5)?;
    let rp = crate::pdf::rupiah(amount);
    Ok(match found.as_slice() {
        [] if seen.day.is_some() => Fit::None(format!("no order of {rp} was made that day")),
        [] => Fit::None(format!(
            "no order of {rp} was made in the {window} minutes before the payment"
        )),
        [one] if one.status == OrderStatus::Paid => Fit::AlreadyPaid(one.clone()),
        [one] => {
            if one.expires_at >= t {
                Fit::One(one.clone())
            } else {
                Fit::None(format!(
                    "the only order of {rp}, {}, expired before the payment{}",
                    one.order_id,
                    if seen.day.is_some() {
                        " could be dated (the statement gives only the day)"
                    } else {
                        ""
                    }
                ))
            }
        }
        many => Fit::Several(format!(
            "{} orders of {rp} fit ({}); none was guessed",
            many.len(),
            many.iter()
                .map(|c| c.order_id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    })
}

/// Store `seen` and confirm the one order it fits, in `tx`.
pub(super) fn record(
    tx: &rusqlite::Transaction<'_>,
    seen: Seen,
    s: &Settings,
    now: Millis,
) -> Result<(NotificationOutcome, Vec<OrderChange>)> {
    // the same payment again: by its key, or (a notification without the
    // provider's id) the same words from the same app within the window
    let again = match store::evidence_by_dedup_key(tx, &seen.dedup_key)? {
        Some(e) => Some(e),
        None if seen.source == EvidenceSource::Notification
            && matches!(
                &seen.reading,
                Reading::Payment {
                    reference: None,
                    ..
                }
            ) =>
        {
            let since = now - s.unique_match_window_minutes * 60_000 - CLOCK_SKEW_MS;
            store::same_notification_since(tx, &seen.app, seen.title.as_deref(), &seen.text, since)?
        }
        None => None,
    };
    if let Some(before) = again {
        return Ok((
            NotificationOutcome {
                result: EvidenceResult::Duplicate,
                amount: before.amount,
                order_id: before.order_id,
                evidence_id: before.id,
                detail: format!(
                    "already received as evidence {}; nothing changed",
                    before.id
                ),
            },
            vec![],
        ));
    }
    let mut events = vec![];
    let (result, amount, payer_name, detail, order) = match &seen.reading {
        Reading::NotAPayment { why } => (
            EvidenceResult::NotAPayment,
            None,
            None,
            format!("not a payment received: {why}"),
            None,
        ),
        Reading::UnreadAmount { amount } => (
            EvidenceResult::Unmatched,
            None,
            None,
            format!("a payment received, but its amount {amount:?} can't be read as whole rupiah"),
            None,
        ),
        Reading::Payment {
            amount, payer_name, ..
        } => match fit(tx, *amount, &seen, s)? {
            Fit::None(why) => (
                EvidenceResult::Unmatched,
                Some(*amount),
                payer_name.clone(),
                why,
                None,
            ),
            Fit::AlreadyPaid(c) => (
                EvidenceResult::AlreadyPaid,
                Some(*amount),
                payer_name.clone(),
                format!(
                    "for {}, which was paid already; nothing changed",
                    c.order_id
                ),
                Some(lifecycle::reload(tx, c.pk, now)?),
            ),
            Fit::Several(why) => (
                EvidenceResult::Ambiguous,
                Some(*amount),
                payer_name.clone(),
                why,
                None,
            ),
            Fit::One(c) => {
                let by = match seen.source {
                    EvidenceSource::Notification => ConfirmedBy::Notification,
                    EvidenceSource::Statement => ConfirmedBy::Statement,
                };
                store::set_payer(tx, c.pk, by, payer_name.as_deref(), None)?;
                let order = lifecycle::reload(tx, c.pk, now)?;
                let (paid, evs) = lifecycle::apply(tx, order, Step::MoneySeen, by.as_str(), now)?;
                let paid = paid?;
                events.extend(evs);
                super::printer::queue_if_automatic(tx, &paid, now)?;
                (
                    EvidenceResult::Confirmed,
                    Some(*amount),
                    payer_name.clone(),
                    format!(
                        "the one order of {} made in the window",
                        crate::pdf::rupiah(*amount)
                    ),
                    Some(paid),
                )
            }
        },
    };
    let id = store::insert_evidence(
        tx,
        &NewEvidence {
            source: seen.source,
            app: seen.app,
            title: seen.title,
            text: seen.text,
            seen_at: seen.seen_at,
            received_at: now,
            external_id: seen.external_id,
            api_key_id: seen.api_key_id,
            dedup_key: seen.dedup_key,
            result,
            amount,
            payer_name,
            detail: detail.clone(),
            order_pk: order.as_ref().map(|o| o.id),
        },
    )?
    .ok_or(Error::StaleStatus)?;
    Ok((
        NotificationOutcome {
            result,
            amount,
            order_id: order.map(|o| o.order_id),
            evidence_id: id,
            detail,
        },
        events,
    ))
}

impl Kasir {
    /// A notification from the merchant's phone: stored as evidence, and the
    /// order it fits (exactly one) marked paid with `confirmed_by: notification`.
    pub async fn receive_notification(&self, n: Notification) -> Result<NotificationOutcome> {
        let now = self.now();
        let s = self.settings().await?;
        let seen = Seen::of_notification(n, &s, now)?;
        self.write_outcome(move |c| {
            let tx = c.transaction()?;
            // the settings the match uses are the writer's, as the order's code was
            let s = read_settings(&tx)?;
            let (outcome, events) = record(&tx, seen, &s, now)?;
            tx.commit()?;
            Ok((Ok(outcome), events))
        })
        .await
    }

    /// Evidence, newest first; `to_review`: only what confirmed nothing and
    /// nobody has reviewed (Pesanan → Perlu dicek).
    pub async fn payment_evidence(&self, to_review: bool, limit: u32) -> Result<Vec<Evidence>> {
        let limit = limit.clamp(1, 200);
        self.inner
            .db
            .read(move |c| store::list_evidence(c, to_review, limit))
            .await
    }

    /// The merchant attaches unmatched or ambiguous evidence to the order it
    /// was for: the order is verified (`confirmed_by: dashboard`) and the
    /// evidence remembers it, in one transaction.
    pub async fn attach_evidence(&self, evidence_id: i64, order_id: &str) -> Result<Order> {
        let order_id = order_id.trim().to_string();
        let now = self.now();
        self.write_outcome(move |c| {
            let tx = c.transaction()?;
            let e = reviewable(&tx, evidence_id)?;
            let Some(order) = store::get_order(&tx, OrderKey::OrderId(&order_id), now)? else {
                return Ok((Err(Error::NotFound(Missing::Order(order_id))), vec![]));
            };
            if Some(order.total_amount) != e.amount {
                return Ok((
                    Err(Error::invalid(
                        "order_id",
                        format!(
                            "order {} charges {}, the evidence shows {}",
                            order.order_id,
                            crate::pdf::rupiah(order.total_amount),
                            e.amount
                                .map(crate::pdf::rupiah)
                                .unwrap_or_else(|| "no amount".into())
                        ),
                    )),
                    vec![],
                ));
            }
            let pk = order.id;
            let (paid, events) = lifecycle::apply(&tx, order, Step::Verify, "dashboard", now)?;
            if let Err(refused) = paid {
                // an expiry found on the way is committed, as everywhere
                tx.commit()?;
                return Ok((Err(refused), events));
            }
            store::set_payer(
                &tx,
                pk,
                ConfirmedBy::Dashboard,
                e.payer_name.as_deref(),
                None,
            )?;
            let paid = lifecycle::reload(&tx, pk, now)?;
            super::printer::queue_if_automatic(&tx, &paid, now)?;
            store::set_review(&tx, evidence_id, Review::Attached, Some(pk), now)?;
            tx.commit()?;
            Ok((Ok(paid), events))
        })
        .await
    }

    /// The open orders `evidence_id` could be for (its total), newest first:
    /// what Perlu dicek offers to attach it to.
    pub async fn evidence_candidates(&self, evidence_id: i64) -> Result<Vec<Order>> {
        let now = self.now();
        self.inner
            .db
            .read(move |c| {
                let e = store::get_evidence(c, evidence_id)?
                    .ok_or(Error::NotFound(Missing::Evidence(evidence_id)))?;
                let Some(amount) = e.amount else {
                    return Ok(vec![]);
                };
                store::open_orders_of_total(c, amount, 20)?
                    .into_iter()
                    .filter_map(|pk| store::get_order(c, OrderKey::Pk(pk), now).transpose())
                    .collect()
            })
            .await
    }

    /// The merchant says this evidence is for no order (a personal transfer).
    pub async fn dismiss_evidence(&self, evidence_id: i64) -> Result<Evidence> {
        let now = self.now();
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                reviewable(&tx, evidence_id)?;
                store::set_review(&tx, evidence_id, Review::Dismissed, None, now)?;
                let e = store::get_evidence(&tx, evidence_id)?.ok_or(Error::StaleStatus)?;
                tx.commit()?;
                Ok(e)
            })
            .await
    }
}

/// Evidence the merchant may still attach or dismiss.
fn reviewable(c: &rusqlite::Connection, id: i64) -> Result<Evidence> {
    let e = store::get_evidence(c, id)?.ok_or(Error::NotFound(Missing::Evidence(id)))?;
    if !matches!(
        e.result,
        EvidenceResult::Unmatched | EvidenceResult::Ambiguous
    ) {
        return Err(Error::invalid(
            "evidence_id",
            format!(
                "evidence {id} is {}: only unmatched or ambiguous evidence is reviewed",
                e.result.as_str()
            ),
        ));
    }
    if let Some(r) = e.review {
        return Err(Error::invalid(
            "evidence_id",
            format!("evidence {id} was already {}", r.as_str()),
        ));
    }
    Ok(e)
}
