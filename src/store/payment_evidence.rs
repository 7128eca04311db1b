//! Payment evidence (append-only: the table's triggers refuse changes to what
//! was received) and the order queries that matching and unique codes use.

use crate::clock::Millis;
use crate::error::Result;
use crate::model::*;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use std::collections::HashSet;

const EVIDENCE_COLS: &str =
    "e.id, e.source, e.app, e.title, e.text, e.seen_at, e.received_at, e.external_id,
    e.result, e.amount, e.payer_name, e.detail, o.order_id, e.review, r.order_id, e.reviewed_at, e.api_key_id";
const EVIDENCE_FROM: &str = "payment_evidence e LEFT JOIN orders o ON o.id = e.order_pk
    LEFT JOIN orders r ON r.id = e.review_order_pk";

fn evidence_from_row(r: &Row<'_>) -> rusqlite::Result<Evidence> {
    Ok(Evidence {
        id: r.get(0)?,
        source: EvidenceSource::parse(&r.get::<_, String>(1)?),
        app: r.get(2)?,
        title: r.get(3)?,
        text: r.get(4)?,
        seen_at: r.get(5)?,
        received_at: r.get(6)?,
        external_id: r.get(7)?,
        result: EvidenceResult::parse(&r.get::<_, String>(8)?),
        amount: r.get::<_, Option<i64>>(9)?.map(|a| a as u64),
        payer_name: r.get(10)?,
        detail: r.get(11)?,
        order_id: r.get(12)?,
        review: r
            .get::<_, Option<String>>(13)?
            .as_deref()
            .and_then(Review::parse),
        review_order_id: r.get(14)?,
        reviewed_at: r.get(15)?,
        api_key_id: r.get(16)?,
    })
}

/// Store `e`, or `None` when evidence with its dedup key is already stored.
pub fn insert_evidence(tx: &Transaction<'_>, e: &NewEvidence) -> Result<Option<i64>> {
    Ok(tx
        .prepare_cached(
            "INSERT INTO payment_evidence(source, app, title, text, seen_at, received_at, external_id, dedup_key,
                result, amount, payer_name, detail, order_pk, api_key_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT(dedup_key) DO NOTHING RETURNING id",
        )?
        .query_row(
            params![
                e.source.as_str(),
                e.app,
                e.title,
                e.text,
                e.seen_at,
                e.received_at,
                e.external_id,
                e.dedup_key,
                e.result.as_str(),
                e.amount.map(|a| a as i64),
                e.payer_name,
                e.detail,
                e.order_pk,
                e.api_key_id,
            ],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn evidence_by_dedup_key(c: &Connection, key: &str) -> Result<Option<Evidence>> {
    let sql = format!("SELECT {EVIDENCE_COLS} FROM {EVIDENCE_FROM} WHERE e.dedup_key = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([key], evidence_from_row)
        .optional()?)
}

pub fn get_evidence(c: &Connection, id: i64) -> Result<Option<Evidence>> {
    let sql = format!("SELECT {EVIDENCE_COLS} FROM {EVIDENCE_FROM} WHERE e.id = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([id], evidence_from_row)
        .optional()?)
}

/// Newest first; `to_review`: only unmatched and ambiguous evidence nobody reviewed.
pub fn list_evidence(c: &Connection, to_review: bool, limit: u32) -> Result<Vec<Evidence>> {
    let filter = if to_review {
        "WHERE e.result IN ('unmatched', 'ambiguous') AND e.review IS NULL"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {EVIDENCE_COLS} FROM {EVIDENCE_FROM} {filter} ORDER BY e.received_at DESC, e.id DESC LIMIT ?1"
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map([limit], evidence_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Write the merchant's review once; false when it was already reviewed.
pub fn set_review(
    tx: &Transaction<'_>,
    id: i64,
    review: Review,
    order_pk: Option<i64>,
    at: Millis,
) -> Result<bool> {
    Ok(tx.execute(
        "UPDATE payment_evidence SET review = ?1, review_order_pk = ?2, reviewed_at = ?3 WHERE id = ?4 AND review IS NULL",
        params![review.as_str(), order_pk, at, id],
    )? > 0)
}

/// The totals in [lo, hi] a new order's unique code must avoid: those of open
/// orders, and of any order made since `since` (a payment for it may still
/// be reported, and must not fit a newer order too).
pub fn totals_in_use(c: &Connection, lo: u64, hi: u64, since: Millis) -> Result<HashSet<u64>> {
    let mut st = c.prepare_cached(
        "SELECT DISTINCT total_amount FROM orders WHERE total_amount BETWEEN ?1 AND ?2
           AND (status IN ('pending', 'awaiting_confirmation') OR created_at >= ?3)",
    )?;
    let rows = st.query_map(params![lo as i64, hi as i64, since], |r| r.get::<_, i64>(0))?;
    rows.map(|r| Ok(r? as u64)).collect()
}

/// Orders of exactly `total` a payment seen then may be for, at most
/// `limit`: those made in [from, to] that weren't cancelled (a paid one
/// counts: its own notification may be the one arriving), and open orders
/// with a unique code made before `to` (a code keeps their total theirs for
/// as long as they are open, however long that is).
pub fn payment_candidates(
    c: &Connection,
    total: u64,
    from: Millis,
    to: Millis,
    limit: u32,
) -> Result<Vec<PaymentCandidate>> {
    let mut st = c.prepare_cached(
        "SELECT id, order_id, status, created_at, expires_at FROM orders
         WHERE total_amount = ?1 AND status <> 'cancelled'
           AND (created_at BETWEEN ?2 AND ?3
                OR (unique_code <> 0 AND status IN ('pending', 'awaiting_confirmation') AND created_at <= ?3))
         ORDER BY created_at LIMIT ?4",
    )?;
    let rows = st.query_map(params![total as i64, from, to, limit], |r| {
        Ok(PaymentCandidate {
            pk: r.get(0)?,
            order_id: r.get(1)?,
            status: OrderStatus::parse(&r.get::<_, String>(2)?).unwrap_or(OrderStatus::Pending),
            created_at: r.get(3)?,
            expires_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Orders made in [from, to) still waiting for money (pending or claimed
/// paid by the customer), oldest first: the reconciliation's loose ends.
pub fn open_orders_made_between(
    c: &Connection,
    from: Millis,
    to: Millis,
) -> Result<Vec<(String, u64, OrderStatus, Millis)>> {
    let mut st = c.prepare_cached(
        "SELECT order_id, total_amount, status, created_at FROM orders
         WHERE created_at >= ?1 AND created_at < ?2 AND status IN ('pending', 'awaiting_confirmation')
         ORDER BY created_at, id",
    )?;
    let rows = st.query_map(params![from, to], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)? as u64,
            OrderStatus::parse(&r.get::<_, String>(2)?).unwrap_or(OrderStatus::Pending),
            r.get::<_, Millis>(3)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Open orders (as stored) of exactly `total`, newest first.
pub fn open_orders_of_total(c: &Connection, total: u64, limit: u32) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT id FROM orders WHERE total_amount = ?1 AND status IN ('pending', 'awaiting_confirmation')
         ORDER BY created_at DESC, id DESC LIMIT ?2",
    )?;
    let rows = st.query_map(params![total as i64, limit], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A notification of `app` with this very title and text received since
/// `since`: a forwarder firing again (MacroDroid re-runs a macro) rather than
/// a second payment, whatever time and id it says.
pub fn same_notification_since(
    c: &Connection,
    app: &str,
    title: Option<&str>,
    text: &str,
    since: Millis,
) -> Result<Option<Evidence>> {
    let sql = format!(
        "SELECT {EVIDENCE_COLS} FROM {EVIDENCE_FROM}
         WHERE e.source = 'notification' AND e.received_at >= ?1 AND e.app = ?2
           AND e.title IS ?3 AND e.text = ?4
         ORDER BY e.id LIMIT 1"
    );
    Ok(c.prepare_cached(&sql)?
        .query_row(params![since, app, title, text], evidence_from_row)
        .optional()?)
}
