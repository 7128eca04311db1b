//! Shifts: the drawer's opening and closing counts, and the money of the
//! sales and refunds made in each.

use crate::clock::Millis;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension, Row};

/// A shift as stored: the counts are JSON `[{value, count}]`.
#[derive(Debug, Clone)]
pub struct ShiftRow {
    pub id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub opened_at: Millis,
    pub opening_cash: u64,
    pub opening_count: Option<String>,
    pub closed_at: Option<Millis>,
    pub closed_by: Option<String>,
    pub expected_cash: Option<i64>,
    /// The money as it was at close.
    pub closing_money: Option<ShiftMoney>,
    pub counted_cash: Option<u64>,
    pub closing_count: Option<String>,
    pub note: Option<String>,
}

const SHIFT_COLS: &str =
    "s.id, s.user_id, u.name, s.opened_at, s.opening_cash, s.opening_count, s.closed_at,
    cb.name, s.expected_cash, s.counted_cash, s.closing_count, s.note, s.closing_money";
const FROM: &str =
    "FROM shifts s JOIN users u ON u.id = s.user_id LEFT JOIN users cb ON cb.id = s.closed_by";

fn shift_from_row(r: &Row<'_>) -> rusqlite::Result<ShiftRow> {
    Ok(ShiftRow {
        id: r.get(0)?,
        user_id: r.get(1)?,
        user_name: r.get(2)?,
        opened_at: r.get(3)?,
        opening_cash: r.get::<_, i64>(4)? as u64,
        opening_count: r.get(5)?,
        closed_at: r.get(6)?,
        closed_by: r.get(7)?,
        expected_cash: r.get(8)?,
        closing_money: r
            .get::<_, Option<String>>(12)?
            .and_then(|j| serde_json::from_str(&j).ok()),
        counted_cash: r.get::<_, Option<i64>>(9)?.map(|v| v as u64),
        closing_count: r.get(10)?,
        note: r.get(11)?,
    })
}

/// The one open shift, if any.
pub fn open_shift(c: &Connection) -> Result<Option<ShiftRow>> {
    let sql = format!("SELECT {SHIFT_COLS} {FROM} WHERE s.closed_at IS NULL");
    Ok(c.prepare_cached(&sql)?
        .query_row([], shift_from_row)
        .optional()?)
}

pub fn get_shift(c: &Connection, id: i64) -> Result<Option<ShiftRow>> {
    let sql = format!("SELECT {SHIFT_COLS} {FROM} WHERE s.id = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([id], shift_from_row)
        .optional()?)
}

/// Newest first; with `user_id`, only that person's.
pub fn list_shifts(
    c: &Connection,
    user_id: Option<i64>,
    limit: u32,
    offset: u64,
) -> Result<Vec<ShiftRow>> {
    let sql = format!(
        "SELECT {SHIFT_COLS} {FROM} WHERE ?1 IS NULL OR s.user_id = ?1
         ORDER BY s.opened_at DESC, s.id DESC LIMIT ?2 OFFSET ?3"
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map(params![user_id, limit, offset as i64], shift_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `Ok(None)`: a shift is open already (the unique index says so).
pub fn insert_shift(
    c: &Connection,
    user_id: i64,
    opening_cash: u64,
    opening_count: Option<&str>,
    now: Millis,
) -> Result<Option<i64>> {
    let r = c
        .prepare_cached(
            "INSERT INTO shifts(user_id, opened_at, opening_cash, opening_count) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![user_id, now, opening_cash as i64, opening_count]);
    match r {
        Ok(_) => Ok(Some(c.last_insert_rowid())),
        Err(e) if e.to_string().contains("UNIQUE constraint failed") => Ok(None),
        Err(e) => Err(e.into()),
    }
}

pub struct Closing<'a> {
    pub closed_by: i64,
    pub expected_cash: i64,
    pub money: ShiftMoney,
    pub counted_cash: u64,
    pub closing_count: Option<&'a str>,
    pub note: Option<&'a str>,
    pub at: Millis,
}

/// Close an open shift; `false` if it was closed already.
pub fn close_shift(c: &Connection, id: i64, cl: &Closing<'_>) -> Result<bool> {
    let n = c
        .prepare_cached(
            "UPDATE shifts SET closed_at = ?2, closed_by = ?3, expected_cash = ?4, counted_cash = ?5,
                closing_count = ?6, note = ?7, closing_money = ?8
             WHERE id = ?1 AND closed_at IS NULL",
        )?
        .execute(params![
            id,
            cl.at,
            cl.closed_by,
            cl.expected_cash,
            cl.counted_cash as i64,
            cl.closing_count,
            cl.note,
            serde_json::to_string(&cl.money).expect("money serializes")
        ])?;
    Ok(n == 1)
}

/// The money of a shift's sales and refunds (docs/PEOPLE.md says which count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShiftMoney {
    pub cash_sales: u64,
    pub cash_count: u64,
    pub qris_total: u64,
    pub qris_count: u64,
    pub sales_count: u64,
    pub cash_refunds: u64,
    pub transfer_refunds: u64,
}

pub fn shift_money(c: &Connection, shift_id: i64, now: Millis) -> Result<ShiftMoney> {
    // a paid sale's cash part, net of change; a split's cash part is in the
    // drawer from checkout, so it counts while its QRIS part is still open
    // (and not once that expired or was cancelled: the cash went back)
    let (cash_sales, cash_count, qris_total, qris_count, sales_count): (i64, i64, i64, i64, i64) = c
        .prepare_cached(
            "SELECT
                COALESCE(SUM(CASE WHEN o.payment_method IN ('cash', 'split') THEN s.cash_amount END), 0),
                COUNT(CASE WHEN o.payment_method IN ('cash', 'split') THEN 1 END),
                COALESCE(SUM(CASE WHEN o.status = 'paid' AND o.payment_method IN ('qris', 'split') THEN o.total_amount END), 0),
                COUNT(CASE WHEN o.status = 'paid' AND o.payment_method IN ('qris', 'split') THEN 1 END),
                COUNT(CASE WHEN o.status = 'paid' THEN 1 END)
             FROM orders o LEFT JOIN order_sales s ON s.order_pk = o.id
             WHERE o.shift_id = ?1
               AND (o.status = 'paid'
                    OR (o.payment_method = 'split' AND o.status IN ('pending', 'awaiting_confirmation')
                        AND o.expires_at > ?2))",
        )?
        .query_row(params![shift_id, now], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
    let (cash_refunds, transfer_refunds): (i64, i64) = c
        .prepare_cached(
            "SELECT COALESCE(SUM(CASE WHEN method = 'cash' THEN amount END), 0),
                    COALESCE(SUM(CASE WHEN method = 'transfer' THEN amount END), 0)
             FROM refunds WHERE shift_id = ?1",
        )?
        .query_row([shift_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(ShiftMoney {
        cash_sales: cash_sales as u64,
        cash_count: cash_count as u64,
        qris_total: qris_total as u64,
        qris_count: qris_count as u64,
        sales_count: sales_count as u64,
        cash_refunds: cash_refunds as u64,
        transfer_refunds: transfer_refunds as u64,
    })
}
