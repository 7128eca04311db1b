//! The webhook outbox: deliveries and their attempts.

use crate::clock::Millis;
use crate::error::Result;
use crate::model::*;
use crate::webhook::{PolicyInputs, PrivateReceivers};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

/// The signing secrets as stored.
pub fn webhook_secret(c: &Connection) -> Result<WebhookSecret> {
    Ok(WebhookSecret {
        secret: super::get_setting(c, "webhook_secret")?.unwrap_or_default(),
        previous: super::get_setting(c, "webhook_secret_previous")?,
        rotated_at: super::get_setting(c, "webhook_secret_rotated_at")?
            .and_then(|v| v.parse().ok()),
    })
}

/// The merchant's choice for private and loopback receivers. An earlier
/// build's `webhook_block_private = 1` still blocks them.
pub fn webhook_private_receivers(c: &Connection) -> Result<PrivateReceivers> {
    Ok(private_receivers_of(
        super::get_setting(c, "webhook_private_receivers")?.as_deref(),
        super::get_setting(c, "webhook_block_private")?.as_deref(),
    ))
}

/// The policy from its setting, or from the older yes/no one it replaced.
pub fn private_receivers_of(value: Option<&str>, block_private: Option<&str>) -> PrivateReceivers {
    match (value, block_private) {
        (Some(v), _) => PrivateReceivers::parse(v).unwrap_or(PrivateReceivers::Block),
        (None, Some("1")) => PrivateReceivers::Block,
        (None, _) => PrivateReceivers::Auto,
    }
}

/// What the webhook address policy takes from the settings.
pub fn webhook_policy_inputs(c: &Connection) -> Result<PolicyInputs> {
    let get = |k| super::get_setting(c, k);
    // the default URL is matched as a whole (its path is its own prefix)
    let mut chosen: Vec<String> = get("default_webhook_url")?.into_iter().collect();
    if let Some(list) = get("widget_webhook_allowlist")? {
        chosen.extend(
            list.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from),
        );
    }
    // where a Kasir process on this directory listens: the worker may run in
    // another process than the server (a till whose port was taken)
    let listening: Option<std::net::SocketAddr> =
        get("listening_addr")?.and_then(|v| v.parse().ok());
    Ok(PolicyInputs {
        private: webhook_private_receivers(c)?,
        exposed: get("public_base_url")?.is_some()
            || get("listen_lan")?.as_deref() == Some("1")
            || listening.is_some_and(|a| !a.ip().to_canonical().is_loopback()),
        chosen,
        listening,
    })
}

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

/// Record one attempt and the delivery's state after it. The attempt's
/// number is the delivery's count after it, whatever `a.attempt` says.
pub fn record_attempt(
    tx: &Transaction<'_>,
    delivery_id: i64,
    a: &Attempt,
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
        a.url,
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
