//! What an order made from a cart carries: its lines and money, its refunds;
//! and the open bills (parked carts).

use crate::clock::Millis;
use crate::error::Result;
use crate::model::{CashTender, OrderItem, Refund, RefundMethod, Sale, SaleTotals};
use rusqlite::{params, Connection, OptionalExtension};

pub fn insert_sale(c: &Connection, order_pk: i64, sale: &Sale) -> Result<()> {
    let t = &sale.totals;
    c.prepare_cached(
        "INSERT INTO order_sales (order_pk, subtotal, discount, service, tax, tax_inclusive, rounding, total,
             cash_amount, cash_tendered, change_amount)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        order_pk,
        t.subtotal as i64,
        t.discount as i64,
        t.service as i64,
        t.tax as i64,
        t.tax_inclusive,
        t.rounding,
        t.total as i64,
        sale.cash.cash_amount as i64,
        sale.cash.cash_tendered as i64,
        sale.cash.change_amount as i64,
    ])?;
    let mut st = c.prepare_cached(
        "INSERT INTO order_items (order_pk, line_no, product_id, name, unit_price, quantity, discount, total, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for i in &sale.items {
        st.execute(params![
            order_pk,
            i.line_no,
            i.product_id,
            i.name,
            i.unit_price as i64,
            i.quantity,
            i.discount as i64,
            i.total as i64,
            i.note,
        ])?;
    }
    Ok(())
}

pub fn sale_of(c: &Connection, order_pk: i64) -> Result<Option<Sale>> {
    let head = c
        .prepare_cached(
            "SELECT subtotal, discount, service, tax, tax_inclusive, rounding, total, cash_amount, cash_tendered,
                 change_amount FROM order_sales WHERE order_pk = ?1",
        )?
        .query_row([order_pk], |r| {
            Ok((
                SaleTotals {
                    subtotal: r.get::<_, i64>(0)? as u64,
                    discount: r.get::<_, i64>(1)? as u64,
                    service: r.get::<_, i64>(2)? as u64,
                    tax: r.get::<_, i64>(3)? as u64,
                    tax_inclusive: r.get(4)?,
                    rounding: r.get(5)?,
                    total: r.get::<_, i64>(6)? as u64,
                },
                CashTender {
                    cash_amount: r.get::<_, i64>(7)? as u64,
                    cash_tendered: r.get::<_, i64>(8)? as u64,
                    change_amount: r.get::<_, i64>(9)? as u64,
                },
            ))
        })
        .optional()?;
    let Some((totals, cash)) = head else {
        return Ok(None);
    };
    Ok(Some(Sale {
        items: items_of(c, order_pk)?,
        totals,
        cash,
    }))
}

pub fn items_of(c: &Connection, order_pk: i64) -> Result<Vec<OrderItem>> {
    let mut st = c.prepare_cached(
        "SELECT line_no, product_id, name, unit_price, quantity, discount, total, note, refunded_quantity,
             refunded_amount FROM order_items WHERE order_pk = ?1 ORDER BY line_no",
    )?;
    let rows = st.query_map([order_pk], |r| {
        Ok(OrderItem {
            line_no: r.get(0)?,
            product_id: r.get(1)?,
            name: r.get(2)?,
            unit_price: r.get::<_, i64>(3)? as u64,
            quantity: r.get(4)?,
            discount: r.get::<_, i64>(5)? as u64,
            total: r.get::<_, i64>(6)? as u64,
            note: r.get(7)?,
            refunded_quantity: r.get(8)?,
            refunded_amount: r.get::<_, i64>(9)? as u64,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A line's refunded units and money, raised by one refund.
pub fn refund_line(
    c: &Connection,
    order_pk: i64,
    line_no: u32,
    quantity: u32,
    amount: u64,
) -> Result<()> {
    c.prepare_cached(
        "UPDATE order_items SET refunded_quantity = refunded_quantity + ?3, refunded_amount = refunded_amount + ?4
         WHERE order_pk = ?1 AND line_no = ?2",
    )?
    .execute(params![order_pk, line_no, quantity, amount as i64])?;
    Ok(())
}

pub struct RefundRow<'a> {
    pub order_pk: i64,
    pub amount: u64,
    pub method: RefundMethod,
    pub reason: &'a str,
    /// `[{line_no, quantity, amount}]`, or none for a full refund.
    pub lines: Option<String>,
    pub actor: &'a str,
    pub at: Millis,
    /// The shift open when it was given (a cash refund leaves its drawer).
    pub shift_id: Option<i64>,
    pub user_name: Option<&'a str>,
    pub approved_by: Option<&'a str>,
}

pub fn insert_refund(c: &Connection, r: &RefundRow<'_>) -> Result<i64> {
    c.prepare_cached(
        "INSERT INTO refunds (order_pk, amount, method, reason, lines, actor, created_at, shift_id, user_name, approved_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        r.order_pk,
        r.amount as i64,
        r.method.as_str(),
        r.reason,
        r.lines,
        r.actor,
        r.at,
        r.shift_id,
        r.user_name,
        r.approved_by
    ])?;
    c.prepare_cached("UPDATE orders SET refunded_amount = refunded_amount + ?2 WHERE id = ?1")?
        .execute(params![r.order_pk, r.amount as i64])?;
    Ok(c.last_insert_rowid())
}

/// The refunds made in [from, to), oldest first.
pub fn refunds_between(c: &Connection, from: Millis, to: Millis) -> Result<Vec<Refund>> {
    let mut st = c.prepare_cached(
        "SELECT r.id, o.order_id, r.amount, r.method, r.reason, r.actor, r.created_at
         FROM refunds r JOIN orders o ON o.id = r.order_pk
         WHERE r.created_at >= ?1 AND r.created_at < ?2 ORDER BY r.created_at, r.id",
    )?;
    let rows = st.query_map(params![from, to], |r| {
        Ok(Refund {
            id: r.get(0)?,
            order_id: r.get(1)?,
            amount: r.get::<_, i64>(2)? as u64,
            method: RefundMethod::parse(&r.get::<_, String>(3)?),
            reason: r.get(4)?,
            actor: r.get(5)?,
            created_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---------- open bills ----------

pub fn save_bill(
    c: &Connection,
    id: Option<i64>,
    name: &str,
    cart: &str,
    now: Millis,
) -> Result<Option<i64>> {
    match id {
        Some(id) => {
            let n = c
                .prepare_cached(
                    "UPDATE open_bills SET name = ?2, cart = ?3, updated_at = ?4, taken_at = NULL WHERE id = ?1",
                )?
                .execute(params![id, name, cart, now])?;
            Ok((n == 1).then_some(id))
        }
        None => {
            c.prepare_cached(
                "INSERT INTO open_bills (name, cart, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            )?
            .execute(params![name, cart, now])?;
            Ok(Some(c.last_insert_rowid()))
        }
    }
}

/// (id, name, cart JSON, created, updated, taken), oldest first.
pub type BillRow = (i64, String, String, Millis, Millis, Option<Millis>);

pub fn list_bills(c: &Connection) -> Result<Vec<BillRow>> {
    let mut st = c.prepare_cached(
        "SELECT id, name, cart, created_at, updated_at, taken_at FROM open_bills ORDER BY created_at, id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get_bill(c: &Connection, id: i64) -> Result<Option<BillRow>> {
    Ok(c.prepare_cached(
        "SELECT id, name, cart, created_at, updated_at, taken_at FROM open_bills WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .optional()?)
}

/// The bill is in the till's cart now.
pub fn take_bill(c: &Connection, id: i64, now: Millis) -> Result<()> {
    c.prepare_cached("UPDATE open_bills SET taken_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

pub fn delete_bill(c: &Connection, id: i64) -> Result<bool> {
    Ok(c.prepare_cached("DELETE FROM open_bills WHERE id = ?1")?
        .execute([id])?
        == 1)
}

pub fn set_payment_method(
    c: &Connection,
    order_pk: i64,
    method: crate::model::PaymentMethod,
) -> Result<()> {
    c.prepare_cached("UPDATE orders SET payment_method = ?2 WHERE id = ?1")?
        .execute(params![order_pk, method.as_str()])?;
    Ok(())
}

/// Stock taken by a paid order: each line's units, for products that count it.
pub fn take_stock_of(c: &Connection, order_pk: i64) -> Result<()> {
    c.prepare_cached(
        "UPDATE products SET stock = stock - (SELECT SUM(i.quantity) FROM order_items i
             WHERE i.order_pk = ?1 AND i.product_id = products.id)
         WHERE stock IS NOT NULL AND id IN (SELECT product_id FROM order_items WHERE order_pk = ?1)",
    )?
    .execute([order_pk])?;
    Ok(())
}
