//! SQL, and only SQL: the service decides, the store reads and writes rows.

use crate::clock::Millis;
use crate::error::{Error, Result};
use crate::model::*;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

// ---- settings ----

pub fn get_setting(c: &Connection, key: &str) -> Result<Option<String>> {
    Ok(
        c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?,
    )
}

pub fn set_setting(c: &Connection, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => c.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, v],
        )?,
        None => c.execute("DELETE FROM settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

pub fn all_settings(c: &Connection) -> Result<Vec<(String, String)>> {
    let mut st = c.prepare_cached("SELECT key, value FROM settings ORDER BY key")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- static QRIS ----

const STATIC_COLS: &str =
    "id, payload, merchant_name, merchant_city, nmid, acquirer, created_at, updated_at";

fn static_from_row(r: &Row<'_>, default_id: Option<i64>) -> rusqlite::Result<StaticQris> {
    let id: i64 = r.get(0)?;
    Ok(StaticQris {
        id,
        payload: r.get(1)?,
        merchant_name: r.get(2)?,
        merchant_city: r.get(3)?,
        nmid: r.get(4)?,
        acquirer: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        is_default: default_id == Some(id),
    })
}

/// The default static QRIS: the one the merchant chose, else the newest.
pub fn default_static_qris_id(c: &Connection) -> Result<Option<i64>> {
    let chosen: Option<i64> = get_setting(c, "default_qris_id")?.and_then(|v| v.parse().ok());
    if let Some(id) = chosen {
        let exists: Option<i64> = c
            .query_row("SELECT id FROM static_qris WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_some() {
            return Ok(Some(id));
        }
    }
    Ok(c.query_row(
        "SELECT id FROM static_qris ORDER BY updated_at DESC, id DESC LIMIT 1",
        [],
        |r| r.get(0),
    )
    .optional()?)
}

pub fn list_static_qris(c: &Connection) -> Result<Vec<StaticQris>> {
    let default_id = default_static_qris_id(c)?;
    let mut st = c.prepare_cached(&format!(
        "SELECT {STATIC_COLS} FROM static_qris ORDER BY updated_at DESC, id DESC"
    ))?;
    let rows = st.query_map([], |r| static_from_row(r, default_id))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get_static_qris(c: &Connection, id: i64) -> Result<Option<StaticQris>> {
    let default_id = default_static_qris_id(c)?;
    Ok(c.query_row(
        &format!("SELECT {STATIC_COLS} FROM static_qris WHERE id = ?1"),
        [id],
        |r| static_from_row(r, default_id),
    )
    .optional()?)
}

pub struct NewStaticQris<'a> {
    pub payload: &'a str,
    pub merchant_name: &'a str,
    pub merchant_city: &'a str,
    pub nmid: Option<&'a str>,
    pub acquirer: Option<&'a str>,
}

/// Store a static QRIS; uploading the same one again makes it the newest.
pub fn upsert_static_qris(tx: &Transaction<'_>, q: &NewStaticQris<'_>, now: Millis) -> Result<i64> {
    Ok(tx.query_row(
        "INSERT INTO static_qris(payload, merchant_name, merchant_city, nmid, acquirer, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
         ON CONFLICT(payload) DO UPDATE SET updated_at = excluded.updated_at
         RETURNING id",
        params![q.payload, q.merchant_name, q.merchant_city, q.nmid, q.acquirer, now],
        |r| r.get(0),
    )?)
}

pub fn delete_static_qris(tx: &Transaction<'_>, id: i64) -> Result<bool> {
    let used: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM orders WHERE qris_id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    if used {
        return Err(Error::invalid(
            "qris_id",
            format!("static QRIS {id} has orders and cannot be deleted"),
        ));
    }
    Ok(tx.execute("DELETE FROM static_qris WHERE id = ?1", [id])? > 0)
}

// ---- orders ----

const ORDER_COLS: &str = "o.id, o.order_id, o.link_code, o.qris_id, q.merchant_name, q.merchant_city, o.source, o.amount,
    o.fee_type, o.fee_value, o.fee_amount, o.total_amount, o.description, o.payload, o.status, o.webhook_url,
    o.callback_url, o.created_at, o.expires_at, o.paid_at, o.customer_confirmed_at, o.confirmed_by, o.payer_name,
    o.payer_note, o.view_count, o.is_active";

fn order_from_row(r: &Row<'_>, now: Millis) -> rusqlite::Result<Order> {
    let fee_type: Option<String> = r.get(8)?;
    let fee_value: Option<String> = r.get(9)?;
    let stored: String = r.get(14)?;
    let expires_at: Millis = r.get(18)?;
    let mut status = OrderStatus::parse(&stored).unwrap_or(OrderStatus::Pending);
    if status.is_open() && expires_at <= now {
        status = OrderStatus::Expired;
    }
    let confirmed_by: Option<String> = r.get(21)?;
    Ok(Order {
        id: r.get(0)?,
        order_id: r.get(1)?,
        link_code: r.get(2)?,
        qris_id: r.get(3)?,
        merchant_name: r.get(4)?,
        merchant_city: r.get(5)?,
        source: OrderSource::parse(&r.get::<_, String>(6)?),
        amount: r.get::<_, i64>(7)? as u64,
        fee: match (fee_type, fee_value) {
            (Some(t), Some(v)) => FeeSpec::from_stored(&t, &v),
            _ => None,
        },
        fee_amount: r.get::<_, i64>(10)? as u64,
        total_amount: r.get::<_, i64>(11)? as u64,
        description: r.get(12)?,
        payload: r.get(13)?,
        status,
        webhook_url: r.get(15)?,
        callback_url: r.get(16)?,
        created_at: r.get(17)?,
        expires_at,
        paid_at: r.get(19)?,
        customer_confirmed_at: r.get(20)?,
        confirmed_by: confirmed_by.as_deref().and_then(ConfirmedBy::parse),
        payer_name: r.get(22)?,
        payer_note: r.get(23)?,
        view_count: r.get(24)?,
        is_active: r.get(25)?,
    })
}

pub enum OrderKey<'a> {
    Pk(i64),
    OrderId(&'a str),
    LinkCode(&'a str),
}

pub fn get_order(c: &Connection, key: OrderKey<'_>, now: Millis) -> Result<Option<Order>> {
    let (clause, value): (&str, rusqlite::types::Value) = match key {
        OrderKey::Pk(id) => ("o.id = ?1", id.into()),
        OrderKey::OrderId(s) => ("o.order_id = ?1", s.to_string().into()),
        OrderKey::LinkCode(s) => ("o.link_code = ?1", s.to_string().into()),
    };
    let sql = format!(
        "SELECT {ORDER_COLS} FROM orders o JOIN static_qris q ON q.id = o.qris_id WHERE {clause}"
    );
    let mut st = c.prepare_cached(&sql)?;
    Ok(st
        .query_row([value], |r| order_from_row(r, now))
        .optional()?)
}

pub struct OrderRow<'a> {
    pub order_id: &'a str,
    pub link_code: &'a str,
    pub qris_id: i64,
    pub source: OrderSource,
    pub amount: u64,
    pub fee: Option<FeeSpec>,
    pub fee_amount: u64,
    pub total_amount: u64,
    pub description: Option<&'a str>,
    pub payload: &'a str,
    pub webhook_url: Option<&'a str>,
    pub callback_url: Option<&'a str>,
    pub created_at: Millis,
    pub expires_at: Millis,
}

pub enum InsertOrderError {
    DuplicateOrderId,
    DuplicateLinkCode,
    Other(Error),
}

pub fn insert_order(
    tx: &Transaction<'_>,
    o: &OrderRow<'_>,
) -> std::result::Result<i64, InsertOrderError> {
    let mut st = tx
        .prepare_cached(
            "INSERT INTO orders(order_id, link_code, qris_id, source, amount, fee_type, fee_value, fee_amount,
                total_amount, description, payload, status, webhook_url, callback_url, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'pending', ?12, ?13, ?14, ?15)",
        )
        .map_err(|e| InsertOrderError::Other(e.into()))?;
    let r = st.execute(params![
        o.order_id,
        o.link_code,
        o.qris_id,
        o.source.as_str(),
        o.amount as i64,
        o.fee.as_ref().map(FeeSpec::kind),
        o.fee.as_ref().map(FeeSpec::value_text),
        o.fee_amount as i64,
        o.total_amount as i64,
        o.description,
        o.payload,
        o.webhook_url,
        o.callback_url,
        o.created_at,
        o.expires_at,
    ]);
    match r {
        Ok(_) => Ok(tx.last_insert_rowid()),
        Err(rusqlite::Error::SqliteFailure(e, Some(msg)))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            if msg.contains("orders.order_id") {
                Err(InsertOrderError::DuplicateOrderId)
            } else if msg.contains("orders.link_code") {
                Err(InsertOrderError::DuplicateLinkCode)
            } else {
                Err(InsertOrderError::Other(
                    rusqlite::Error::SqliteFailure(e, Some(msg)).into(),
                ))
            }
        }
        Err(e) => Err(InsertOrderError::Other(e.into())),
    }
}

/// The WHERE clause for a status as it reads now (open orders past expiry are expired).
fn status_clause(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Pending => "o.status = 'pending' AND o.expires_at > :now",
        OrderStatus::AwaitingConfirmation => "o.status = 'awaiting_confirmation' AND o.expires_at > :now",
        OrderStatus::Expired => {
            "(o.status = 'expired' OR (o.status IN ('pending', 'awaiting_confirmation') AND o.expires_at <= :now))"
        }
        OrderStatus::Paid => "o.status = 'paid'",
        OrderStatus::Cancelled => "o.status = 'cancelled'",
    }
}

pub fn list_orders(c: &Connection, f: &OrderFilter, now: Millis) -> Result<(Vec<Order>, u64)> {
    let mut clauses: Vec<String> = vec![];
    let mut named: Vec<(&str, rusqlite::types::Value)> = vec![];
    if let Some(s) = f.status {
        clauses.push(status_clause(s).to_string());
        if !matches!(s, OrderStatus::Paid | OrderStatus::Cancelled) {
            named.push((":now", now.into()));
        }
    }
    if let Some(q) = f.search.as_deref().filter(|q| !q.is_empty()) {
        clauses.push("instr(lower(o.order_id), lower(:search)) > 0".into());
        named.push((":search", q.to_string().into()));
    }
    if let Some(from) = f.created_from {
        clauses.push("o.created_at >= :from".into());
        named.push((":from", from.into()));
    }
    if let Some(to) = f.created_to {
        clauses.push("o.created_at < :to".into());
        named.push((":to", to.into()));
    }
    if f.active_only {
        clauses.push("o.is_active = 1".into());
    }
    let where_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let params: Vec<(&str, &dyn rusqlite::ToSql)> = named
        .iter()
        .map(|(k, v)| (*k, v as &dyn rusqlite::ToSql))
        .collect();

    let only_status = f.search.as_deref().is_none_or(str::is_empty)
        && f.created_from.is_none()
        && f.created_to.is_none()
        && !f.active_only;
    let total: i64 = if only_status {
        count_by_status(c, f.status, now)?
    } else {
        c.prepare_cached(&format!("SELECT COUNT(*) FROM orders o {where_sql}"))?
            .query_row(params.as_slice(), |r| r.get(0))?
    };

    let sql = format!(
        "SELECT {ORDER_COLS} FROM orders o JOIN static_qris q ON q.id = o.qris_id {where_sql}
         ORDER BY o.created_at DESC, o.id DESC LIMIT {} OFFSET {}",
        f.limit, f.offset
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map(params.as_slice(), |r| order_from_row(r, now))?;
    Ok((rows.collect::<rusqlite::Result<_>>()?, total as u64))
}

/// How many orders read as `status` now (all orders for None), from the
/// trigger-kept counts and the few open orders the sweeper has not expired yet.
fn count_by_status(c: &Connection, status: Option<OrderStatus>, now: Millis) -> Result<i64> {
    let stored = |s: &str| -> Result<i64> {
        Ok(c.prepare_cached(
            "SELECT COALESCE(SUM(n), 0) FROM order_status_counts WHERE status = ?1",
        )?
        .query_row([s], |r| r.get(0))?)
    };
    // uses the partial index orders_open_expiry: only open orders past expiry
    let overdue = |s: &str| -> Result<i64> {
        Ok(c.prepare_cached(
            "SELECT COUNT(*) FROM orders WHERE status IN ('pending', 'awaiting_confirmation') AND expires_at <= ?1 AND status = ?2",
        )?
        .query_row(params![now, s], |r| r.get(0))?)
    };
    Ok(match status {
        None => c
            .prepare_cached("SELECT COALESCE(SUM(n), 0) FROM order_status_counts")?
            .query_row([], |r| r.get(0))?,
        Some(s @ (OrderStatus::Paid | OrderStatus::Cancelled)) => stored(s.as_str())?,
        Some(s @ (OrderStatus::Pending | OrderStatus::AwaitingConfirmation)) => {
            stored(s.as_str())? - overdue(s.as_str())?
        }
        Some(OrderStatus::Expired) => {
            stored("expired")? + overdue("pending")? + overdue("awaiting_confirmation")?
        }
    })
}

/// Totals per status for a period: (status, count, sum of total_amount, sum of fees).
pub fn totals_by_status(
    c: &Connection,
    from: Millis,
    to: Millis,
    now: Millis,
) -> Result<Vec<(OrderStatus, u64, u64, u64)>> {
    let mut st = c.prepare_cached(
        "SELECT CASE WHEN status IN ('pending', 'awaiting_confirmation') AND expires_at <= ?3 THEN 'expired' ELSE status END AS s,
                COUNT(*), COALESCE(SUM(total_amount), 0), COALESCE(SUM(fee_amount), 0)
         FROM orders WHERE created_at >= ?1 AND created_at < ?2 GROUP BY s",
    )?;
    let rows = st.query_map(params![from, to, now], |r| {
        let s: String = r.get(0)?;
        Ok((
            OrderStatus::parse(&s).unwrap_or(OrderStatus::Pending),
            r.get::<_, i64>(1)? as u64,
            r.get::<_, i64>(2)? as u64,
            r.get::<_, i64>(3)? as u64,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The paid orders made in [from, to), oldest first: the closing report's list.
pub fn paid_orders_created_between(c: &Connection, from: Millis, to: Millis) -> Result<Vec<Order>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {ORDER_COLS} FROM orders o JOIN static_qris q ON q.id = o.qris_id
         WHERE o.created_at >= ?1 AND o.created_at < ?2 AND o.status = 'paid'
         ORDER BY o.created_at, o.id"
    ))?;
    let rows = st.query_map(params![from, to], |r| order_from_row(r, 0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Write a state change and its event together. Returns the event's id.
pub struct Transition<'a> {
    pub order_pk: i64,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub event: &'a str,
    pub actor: &'a str,
    pub at: Millis,
}

pub fn apply_transition(tx: &Transaction<'_>, t: &Transition<'_>) -> Result<i64> {
    let at_column = match t.to {
        OrderStatus::Paid => Some("paid_at"),
        OrderStatus::AwaitingConfirmation => Some("customer_confirmed_at"),
        OrderStatus::Cancelled => Some("cancelled_at"),
        _ => None,
    };
    let sql = match at_column {
        Some(col) => {
            format!("UPDATE orders SET status = ?1, {col} = ?2 WHERE id = ?3 AND status = ?4")
        }
        None => "UPDATE orders SET status = ?1 WHERE id = ?3 AND status = ?4 AND ?2 IS NOT NULL"
            .to_string(),
    };
    let changed = tx.prepare_cached(&sql)?.execute(params![
        t.to.as_str(),
        t.at,
        t.order_pk,
        t.from.as_str()
    ])?;
    if changed != 1 {
        // the writer is single-threaded, so this means the caller read a stale status
        return Err(Error::Db(crate::db::DbError::Sqlite(
            rusqlite::Error::StatementChangedRows(changed),
        )));
    }
    insert_event(tx, t.order_pk, t.event, Some(t.from), t.to, t.actor, t.at)
}

pub fn insert_event(
    tx: &Transaction<'_>,
    order_pk: i64,
    event: &str,
    from: Option<OrderStatus>,
    to: OrderStatus,
    actor: &str,
    at: Millis,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO order_events(order_pk, event, from_status, to_status, actor, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![order_pk, event, from.map(OrderStatus::as_str), to.as_str(), actor, at])?;
    Ok(tx.last_insert_rowid())
}

pub fn set_payer(
    tx: &Transaction<'_>,
    order_pk: i64,
    by: ConfirmedBy,
    name: Option<&str>,
    note: Option<&str>,
) -> Result<()> {
    tx.execute(
        "UPDATE orders SET confirmed_by = ?1, payer_name = COALESCE(?2, payer_name), payer_note = COALESCE(?3, payer_note) WHERE id = ?4",
        params![by.as_str(), name, note, order_pk],
    )?;
    Ok(())
}

pub fn deactivate(tx: &Transaction<'_>, order_pk: i64) -> Result<()> {
    tx.execute("UPDATE orders SET is_active = 0 WHERE id = ?1", [order_pk])?;
    Ok(())
}

pub fn count_view(c: &Connection, link_code: &str) -> Result<bool> {
    Ok(c.prepare_cached(
        "UPDATE orders SET view_count = view_count + 1 WHERE link_code = ?1 AND is_active = 1",
    )?
    .execute([link_code])?
        > 0)
}

/// Open orders whose expiry has passed: (pk, status).
pub fn due_for_expiry(c: &Connection, now: Millis, limit: u32) -> Result<Vec<(i64, OrderStatus)>> {
    let mut st = c.prepare_cached(
        "SELECT id, status FROM orders WHERE status IN ('pending', 'awaiting_confirmation') AND expires_at <= ?1 ORDER BY expires_at LIMIT ?2",
    )?;
    let rows = st.query_map(params![now, limit], |r| {
        let s: String = r.get(1)?;
        Ok((
            r.get(0)?,
            OrderStatus::parse(&s).unwrap_or(OrderStatus::Pending),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn events_of_order(c: &Connection, order_pk: i64) -> Result<Vec<EventRecord>> {
    let mut st = c.prepare_cached(
        "SELECT id, event, from_status, to_status, actor, created_at FROM order_events WHERE order_pk = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([order_pk], |r| {
        Ok(EventRecord {
            id: r.get(0)?,
            event: r.get(1)?,
            from_status: r.get(2)?,
            to_status: r.get(3)?,
            actor: r.get(4)?,
            created_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- API keys and usage ----

const KEY_COLS: &str = "id, name, key_prefix, daily_limit, created_at, last_used_at, revoked_at";

fn key_from_row(r: &Row<'_>) -> rusqlite::Result<ApiKey> {
    Ok(ApiKey {
        id: r.get(0)?,
        name: r.get(1)?,
        key_prefix: r.get(2)?,
        daily_limit: r.get(3)?,
        created_at: r.get(4)?,
        last_used_at: r.get(5)?,
        revoked_at: r.get(6)?,
    })
}

pub fn insert_api_key(
    c: &Connection,
    name: &str,
    prefix: &str,
    hash: &[u8],
    daily_limit: Option<i64>,
    now: Millis,
) -> Result<ApiKey> {
    Ok(c.query_row(
        &format!("INSERT INTO api_keys(name, key_prefix, key_hash, daily_limit, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING {KEY_COLS}"),
        params![name, prefix, hash, daily_limit, now],
        key_from_row,
    )?)
}

pub fn list_api_keys(c: &Connection) -> Result<Vec<ApiKey>> {
    let mut st = c.prepare_cached(&format!("SELECT {KEY_COLS} FROM api_keys ORDER BY id"))?;
    let rows = st.query_map([], key_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn revoke_api_key(c: &Connection, id: i64, now: Millis) -> Result<bool> {
    Ok(c.execute(
        "UPDATE api_keys SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
        params![now, id],
    )? > 0)
}

pub fn set_key_daily_limit(c: &Connection, id: i64, limit: Option<i64>) -> Result<bool> {
    Ok(c.execute(
        "UPDATE api_keys SET daily_limit = ?1 WHERE id = ?2",
        params![limit, id],
    )? > 0)
}

/// The key whose hash matches, with its stored hash for a constant-time comparison.
pub fn api_key_by_hash(c: &Connection, hash: &[u8]) -> Result<Option<(ApiKey, Vec<u8>)>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {KEY_COLS}, key_hash FROM api_keys WHERE key_hash = ?1"
    ))?;
    Ok(st
        .query_row([hash], |r| Ok((key_from_row(r)?, r.get(7)?)))
        .optional()?)
}

pub fn usage_today_total(c: &Connection, key_id: i64, day: &str) -> Result<i64> {
    Ok(c.prepare_cached(
        "SELECT COALESCE(SUM(request_count), 0) FROM api_usage WHERE key_id = ?1 AND day = ?2",
    )?
    .query_row(params![key_id, day], |r| r.get(0))?)
}

/// Add `n` requests to a key's count for a day and endpoint.
pub fn add_usage(
    c: &Connection,
    key_id: i64,
    day: &str,
    endpoint: &str,
    n: i64,
    last_used: Millis,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO api_usage(key_id, day, endpoint, request_count) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(key_id, day, endpoint) DO UPDATE SET request_count = request_count + excluded.request_count",
    )?
    .execute(params![key_id, day, endpoint, n])?;
    c.prepare_cached(
        "UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?1) WHERE id = ?2",
    )?
    .execute(params![last_used, key_id])?;
    Ok(())
}

/// Per-endpoint counts for days matching a LIKE pattern (a day or `YYYY-MM-%`).
pub fn usage_by_endpoint(
    c: &Connection,
    key_id: i64,
    day_pattern: &str,
) -> Result<Vec<EndpointCount>> {
    let mut st = c.prepare_cached(
        "SELECT endpoint, SUM(request_count) FROM api_usage WHERE key_id = ?1 AND day LIKE ?2
         GROUP BY endpoint ORDER BY SUM(request_count) DESC, endpoint",
    )?;
    let rows = st.query_map(params![key_id, day_pattern], |r| {
        Ok(EndpointCount {
            endpoint: r.get(0)?,
            request_count: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- webhook deliveries ----

use crate::webhook::{Attempt, Delivery, DeliveryFilter, DeliveryStatus};

pub struct NewDelivery<'a> {
    pub webhook_id: &'a str,
    pub order_pk: Option<i64>,
    pub order_event_id: Option<i64>,
    pub event: &'a str,
    pub url: &'a str,
    pub origin: &'a str,
    pub body: &'a str,
    /// None: never picked up by the worker (a test ping, sent by hand).
    pub next_attempt_at: Option<Millis>,
    pub created_at: Millis,
}

pub fn insert_delivery(c: &Connection, d: &NewDelivery<'_>) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO webhook_deliveries(webhook_id, order_pk, order_event_id, event, url, origin, body, status, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9)",
    )?
    .execute(params![
        d.webhook_id,
        d.order_pk,
        d.order_event_id,
        d.event,
        d.url,
        d.origin,
        d.body,
        d.next_attempt_at,
        d.created_at
    ])?;
    Ok(c.last_insert_rowid())
}

const DELIVERY_COLS: &str = "d.id, d.webhook_id, d.event, o.order_id, d.url, d.origin, d.body, d.status, d.attempts, d.next_attempt_at, d.created_at, d.delivered_at, d.last_error";

fn delivery_from_row(r: &Row<'_>) -> rusqlite::Result<Delivery> {
    let status: String = r.get(7)?;
    Ok(Delivery {
        id: r.get(0)?,
        webhook_id: r.get(1)?,
        event: r.get(2)?,
        order_id: r.get(3)?,
        url: r.get(4)?,
        origin: r.get(5)?,
        body: r.get(6)?,
        status: DeliveryStatus::parse(&status).unwrap_or(DeliveryStatus::Failed),
        attempts: r.get(8)?,
        next_attempt_at: r.get(9)?,
        created_at: r.get(10)?,
        delivered_at: r.get(11)?,
        last_error: r.get(12)?,
    })
}

pub fn get_delivery(c: &Connection, id: i64) -> Result<Option<Delivery>> {
    let sql = format!(
        "SELECT {DELIVERY_COLS} FROM webhook_deliveries d LEFT JOIN orders o ON o.id = d.order_pk WHERE d.id = ?1"
    );
    Ok(c.prepare_cached(&sql)?
        .query_row([id], delivery_from_row)
        .optional()?)
}

/// Deliveries due now and not taken by the worker yet, oldest due first,
/// leaving out receivers whose queue in the worker is already full.
pub fn due_deliveries(
    c: &Connection,
    now: Millis,
    skip_origins: &[String],
    limit: usize,
) -> Result<Vec<Delivery>> {
    let skip = if skip_origins.is_empty() {
        String::new()
    } else {
        format!(
            " AND d.origin NOT IN ({})",
            vec!["?"; skip_origins.len()].join(", ")
        )
    };
    let sql = format!(
        "SELECT {DELIVERY_COLS} FROM webhook_deliveries d LEFT JOIN orders o ON o.id = d.order_pk
         WHERE d.status = 'pending' AND d.next_attempt_at <= ?
           AND (d.leased_until IS NULL OR d.leased_until < ?){skip}
         ORDER BY d.next_attempt_at, d.id LIMIT ?"
    );
    let mut args: Vec<rusqlite::types::Value> = vec![now.into(), now.into()];
    args.extend(skip_origins.iter().map(|o| o.clone().into()));
    args.push((limit as i64).into());
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map(rusqlite::params_from_iter(args), delivery_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When the next pending delivery is due (to sleep until then).
pub fn next_due_at(c: &Connection) -> Result<Option<Millis>> {
    Ok(c.query_row(
        "SELECT min(max(next_attempt_at, coalesce(leased_until, 0))) FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at IS NOT NULL",
        [],
        |r| r.get(0),
    )?)
}

pub fn lease_deliveries(tx: &Transaction<'_>, ids: &[i64], until: Millis) -> Result<()> {
    let mut st =
        tx.prepare_cached("UPDATE webhook_deliveries SET leased_until = ?2 WHERE id = ?1")?;
    for id in ids {
        st.execute(params![id, until])?;
    }
    Ok(())
}

/// At worker start, holding the worker lock: nothing is in flight any more.
pub fn release_all_leases(c: &Connection) -> Result<usize> {
    Ok(c.execute(
        "UPDATE webhook_deliveries SET leased_until = NULL WHERE leased_until IS NOT NULL",
        [],
    )?)
}

/// Record one attempt and the delivery's state after it.
pub fn record_attempt(
    tx: &Transaction<'_>,
    delivery_id: i64,
    url: &str,
    a: &crate::webhook::AttemptResult,
    status: DeliveryStatus,
    next_attempt_at: Option<Millis>,
    last_error: Option<&str>,
) -> Result<()> {
    let attempt: i64 = tx.query_row(
        // a delivered event stays delivered: an attempt recorded after it (a
        // redelivery, or a copy queued before it) doesn't reopen it
        "UPDATE webhook_deliveries SET attempts = attempts + 1,
            status = CASE WHEN status = 'delivered' THEN 'delivered' ELSE ?2 END,
            next_attempt_at = CASE WHEN status = 'delivered' THEN NULL ELSE ?3 END,
            leased_until = NULL,
            last_error = CASE WHEN status = 'delivered' THEN NULL ELSE ?4 END,
            delivered_at = CASE WHEN ?2 = 'delivered' THEN coalesce(delivered_at, ?5) ELSE delivered_at END
         WHERE id = ?1 RETURNING attempts",
        params![
            delivery_id,
            status.as_str(),
            next_attempt_at,
            last_error,
            a.started_at + a.duration_ms
        ],
        |r| r.get(0),
    )?;
    tx.prepare_cached(
        "INSERT INTO webhook_attempts(delivery_id, attempt, url, started_at, duration_ms, status_code, error, response_body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        delivery_id,
        attempt,
        url,
        a.started_at,
        a.duration_ms,
        a.status_code,
        a.error,
        a.response_body
    ])?;
    Ok(())
}

pub fn list_deliveries(c: &Connection, f: &DeliveryFilter) -> Result<(Vec<Delivery>, u64)> {
    let mut clauses = vec!["1 = 1"];
    let mut args: Vec<rusqlite::types::Value> = vec![];
    if let Some(o) = &f.order_id {
        clauses.push("o.order_id = ?");
        args.push(o.clone().into());
    }
    if let Some(s) = f.status {
        clauses.push("d.status = ?");
        args.push(s.as_str().to_string().into());
    }
    let wh = clauses.join(" AND ");
    let total: i64 = c.query_row(
        &format!("SELECT count(*) FROM webhook_deliveries d LEFT JOIN orders o ON o.id = d.order_pk WHERE {wh}"),
        rusqlite::params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let mut page_args = args.clone();
    page_args.push((f.limit as i64).into());
    page_args.push((f.offset as i64).into());
    let sql = format!(
        "SELECT {DELIVERY_COLS} FROM webhook_deliveries d LEFT JOIN orders o ON o.id = d.order_pk WHERE {wh} ORDER BY d.id DESC LIMIT ? OFFSET ?"
    );
    let mut st = c.prepare(&sql)?;
    let rows = st.query_map(
        rusqlite::params_from_iter(page_args.iter()),
        delivery_from_row,
    )?;
    Ok((rows.collect::<rusqlite::Result<_>>()?, total as u64))
}

pub fn attempts_of(c: &Connection, delivery_id: i64) -> Result<Vec<Attempt>> {
    let mut st = c.prepare_cached(
        "SELECT attempt, url, started_at, duration_ms, status_code, error, response_body FROM webhook_attempts WHERE delivery_id = ?1 ORDER BY attempt",
    )?;
    let rows = st.query_map([delivery_id], |r| {
        Ok(Attempt {
            attempt: r.get(0)?,
            url: r.get(1)?,
            started_at: r.get(2)?,
            duration_ms: r.get(3)?,
            status_code: r.get(4)?,
            error: r.get(5)?,
            response_body: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
