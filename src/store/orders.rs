//! Orders and their events.

use crate::clock::Millis;
use crate::error::{Error, Result};
use crate::model::*;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

const ORDER_COLS: &str = "o.id, o.order_id, o.link_code, o.qris_id, q.merchant_name, q.merchant_city, o.source, o.amount,
    o.fee_type, o.fee_value, o.fee_amount, o.total_amount, o.description, o.payload, o.status, o.webhook_url,
    o.callback_url, o.created_at, o.expires_at, o.paid_at, o.customer_confirmed_at, o.confirmed_by, o.payer_name,
    o.payer_note, o.view_count, o.is_active, o.unique_code, o.payment_method, o.refunded_amount, o.cashier_id, o.cashier, o.shift_id";

fn order_from_row(r: &Row<'_>, now: Millis) -> rusqlite::Result<Order> {
    let fee_type: Option<String> = r.get(8)?;
    let fee_value: Option<String> = r.get(9)?;
    let stored: String = r.get(14)?;
    let expires_at: Millis = r.get(18)?;
    let status = OrderStatus::parse(&stored)
        .unwrap_or(OrderStatus::Pending)
        .as_of(expires_at, now);
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
        unique_code: r.get(26)?,
        payment_method: PaymentMethod::parse(&r.get::<_, String>(27)?),
        refunded_amount: r.get::<_, i64>(28)? as u64,
        sale: None,
        cashier_id: r.get(29)?,
        cashier: r.get(30)?,
        shift_id: r.get(31)?,
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
    let order = st
        .query_row([value], |r| order_from_row(r, now))
        .optional()?;
    order.map(|o| with_sale(c, o)).transpose()
}

/// The order with the cart it was made from, if it was.
fn with_sale(c: &Connection, mut o: Order) -> Result<Order> {
    o.sale = super::sales::sale_of(c, o.id)?;
    Ok(o)
}

fn with_sales(c: &Connection, orders: Vec<Order>) -> Result<Vec<Order>> {
    orders.into_iter().map(|o| with_sale(c, o)).collect()
}

pub struct OrderRow<'a> {
    pub order_id: &'a str,
    pub link_code: &'a str,
    pub qris_id: i64,
    pub source: OrderSource,
    pub amount: u64,
    pub unique_code: i64,
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

impl OrderRow<'_> {
    /// The order this row makes, stored as `pk` from static QRIS `q`: what
    /// reading it back gives until something else changes it (the lifecycle
    /// checks that in debug builds), without reading it back.
    pub fn as_written(&self, pk: i64, q: &StaticQris) -> Order {
        Order {
            id: pk,
            order_id: self.order_id.to_string(),
            link_code: self.link_code.to_string(),
            qris_id: self.qris_id,
            merchant_name: q.merchant_name.clone(),
            merchant_city: q.merchant_city.clone(),
            source: self.source,
            amount: self.amount,
            unique_code: self.unique_code,
            fee: self.fee,
            fee_amount: self.fee_amount,
            total_amount: self.total_amount,
            description: self.description.map(str::to_string),
            payload: self.payload.to_string(),
            status: OrderStatus::Pending.as_of(self.expires_at, self.created_at),
            webhook_url: self.webhook_url.map(str::to_string),
            callback_url: self.callback_url.map(str::to_string),
            created_at: self.created_at,
            expires_at: self.expires_at,
            paid_at: None,
            customer_confirmed_at: None,
            confirmed_by: None,
            payer_name: None,
            payer_note: None,
            view_count: 0,
            is_active: true,
            payment_method: PaymentMethod::Qris,
            refunded_amount: 0,
            sale: None,
            cashier_id: None,
            cashier: None,
            shift_id: None,
        }
    }
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
                total_amount, description, payload, status, webhook_url, callback_url, created_at, expires_at, unique_code)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'pending', ?12, ?13, ?14, ?15, ?16)",
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
        o.unique_code,
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

pub fn list_orders(c: &Connection, f: &OrderFilter, now: Millis) -> Result<(Vec<Order>, u64)> {
    let mut clauses: Vec<String> = vec![];
    let mut named: Vec<(&str, rusqlite::types::Value)> = vec![];
    if let Some(s) = f.status {
        clauses.push(super::order_status::status_clause(s).to_string());
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
        super::order_status::count_by_status(c, f.status, now)?
    } else {
        c.prepare_cached(&format!("SELECT COUNT(*) FROM orders o {where_sql}"))?
            .query_row(params.as_slice(), |r| r.get(0))?
    };

    // the page is bound, not written into the SQL: one cached statement per
    // filter shape, whatever the offset
    let sql = format!(
        "SELECT {ORDER_COLS} FROM orders o JOIN static_qris q ON q.id = o.qris_id {where_sql}
         ORDER BY o.created_at DESC, o.id DESC LIMIT :limit OFFSET :offset"
    );
    let (limit, offset) = (i64::from(f.limit), f.offset as i64);
    let mut page = params.clone();
    page.push((":limit", &limit));
    page.push((":offset", &offset));
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map(page.as_slice(), |r| order_from_row(r, now))?;
    let orders = rows.collect::<rusqlite::Result<_>>()?;
    Ok((with_sales(c, orders)?, total as u64))
}

/// The paid orders made in [from, to), oldest first: the closing report's list.
pub fn paid_orders_created_between(c: &Connection, from: Millis, to: Millis) -> Result<Vec<Order>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {ORDER_COLS} FROM orders o JOIN static_qris q ON q.id = o.qris_id
         WHERE o.created_at >= ?1 AND o.created_at < ?2 AND o.status = 'paid'
         ORDER BY o.created_at, o.id"
    ))?;
    let rows = st.query_map(params![from, to], |r| order_from_row(r, 0))?;
    with_sales(c, rows.collect::<rusqlite::Result<_>>()?)
}

/// A state change and its event, written together.
pub struct Transition<'a> {
    pub order_pk: i64,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub event: OrderEvent,
    pub actor: &'a str,
    pub at: Millis,
}

/// Write a state change and its event together. Returns the event's id.
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
        // the row no longer has the status the caller read: another process
        // on the same file changed it between our read and this write
        return Err(Error::StaleStatus);
    }
    insert_event(tx, t.order_pk, t.event, Some(t.from), t.to, t.actor, t.at)
}

pub fn insert_event(
    tx: &Transaction<'_>,
    order_pk: i64,
    event: OrderEvent,
    from: Option<OrderStatus>,
    to: OrderStatus,
    actor: &str,
    at: Millis,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO order_events(order_pk, event, from_status, to_status, actor, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![order_pk, event.as_str(), from.map(OrderStatus::as_str), to.as_str(), actor, at])?;
    Ok(tx.last_insert_rowid())
}

/// Who made the order at the till, and in which shift.
pub fn set_cashier(
    tx: &Transaction<'_>,
    order_pk: i64,
    user: &UserRef,
    shift_id: Option<i64>,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE orders SET cashier_id = ?2, cashier = ?3, shift_id = ?4 WHERE id = ?1",
    )?
    .execute(params![order_pk, user.id, user.name, shift_id])?;
    Ok(())
}

/// Name who did the state changes `event_ids` (a person at the till, and the
/// owner who approved it for a cashier).
pub fn stamp_events(
    tx: &Transaction<'_>,
    event_ids: &[i64],
    user: &str,
    approved_by: Option<&str>,
) -> Result<()> {
    let mut st = tx
        .prepare_cached("UPDATE order_events SET user_name = ?2, approved_by = ?3 WHERE id = ?1")?;
    for id in event_ids {
        st.execute(params![id, user, approved_by])?;
    }
    Ok(())
}

/// The status as written in the row, before the read rule (an open order
/// past its expiry reads as expired) is applied.
pub fn stored_status(c: &Connection, order_pk: i64) -> Result<OrderStatus> {
    let s: String = c
        .prepare_cached("SELECT status FROM orders WHERE id = ?1")?
        .query_row([order_pk], |r| r.get(0))?;
    Ok(OrderStatus::parse(&s).unwrap_or(OrderStatus::Pending))
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

pub fn events_of_order(c: &Connection, order_pk: i64) -> Result<Vec<EventRecord>> {
    let mut st = c.prepare_cached(
        "SELECT id, event, from_status, to_status, actor, created_at, user_name, approved_by FROM order_events WHERE order_pk = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([order_pk], |r| {
        Ok(EventRecord {
            id: r.get(0)?,
            event: r.get(1)?,
            from_status: r.get(2)?,
            to_status: r.get(3)?,
            actor: r.get(4)?,
            created_at: r.get(5)?,
            user_name: r.get(6)?,
            approved_by: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
