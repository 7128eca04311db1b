//! The SQL forms of the one read rule of an order's status
//! ([`OrderStatus::as_of`]): an open order past its expiry reads as expired,
//! even before the sweeper has written that. Every query that filters,
//! counts or sums by status goes through here; the test at the bottom checks
//! each form against the Rust rule.

use crate::clock::Millis;
use crate::error::Result;
use crate::model::*;
use rusqlite::{params, Connection};

/// The WHERE clause for a status as it reads at `:now`.
pub(super) fn status_clause(status: OrderStatus) -> &'static str {
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

/// How many orders made by `source` are still open (pending or awaiting
/// confirmation, not past their expiry) at `now`.
pub fn count_open_from(c: &Connection, source: OrderSource, now: Millis) -> Result<i64> {
    // uses the partial index orders_open_expiry: only open orders are read
    Ok(c.prepare_cached(
        "SELECT COUNT(*) FROM orders WHERE status IN ('pending', 'awaiting_confirmation') AND expires_at > ?1 AND source = ?2",
    )?
    .query_row(params![now, source.as_str()], |r| r.get(0))?)
}

/// The status a row reads as at `:now`, as an SQL expression.
const STATUS_AS_OF: &str = "CASE WHEN status IN ('pending', 'awaiting_confirmation') AND expires_at <= :now THEN 'expired' ELSE status END";

/// How many orders read as `status` now (all orders for None), from the
/// trigger-kept counts and the few open orders the sweeper has not expired yet.
pub(super) fn count_by_status(
    c: &Connection,
    status: Option<OrderStatus>,
    now: Millis,
) -> Result<i64> {
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
    let mut st = c.prepare_cached(&format!(
        "SELECT {STATUS_AS_OF} AS s,
                COUNT(*), COALESCE(SUM(total_amount), 0), COALESCE(SUM(fee_amount), 0)
         FROM orders WHERE created_at >= :from AND created_at < :to GROUP BY s"
    ))?;
    let rows = st.query_map(
        rusqlite::named_params! {":from": from, ":to": to, ":now": now},
        |r| {
            let s: String = r.get(0)?;
            Ok((
                OrderStatus::parse(&s).unwrap_or(OrderStatus::Pending),
                r.get::<_, i64>(1)? as u64,
                r.get::<_, i64>(2)? as u64,
                r.get::<_, i64>(3)? as u64,
            ))
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The index is named: without statistics SQLite took orders_status_created
/// and sorted every open order, 27 ms of the writer's every second with 64,000
/// of them, all the orders in flight waiting (docs/BENCHMARKS.md); the partial
/// index reads only the due ones.
const DUE_FOR_EXPIRY: &str = "SELECT id FROM orders INDEXED BY orders_open_expiry
     WHERE status IN ('pending', 'awaiting_confirmation') AND expires_at <= ?1
     ORDER BY expires_at LIMIT ?2";

/// Open orders whose expiry has passed, soonest first: what the sweeper writes.
pub fn due_for_expiry(c: &Connection, now: Millis, limit: u32) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached(DUE_FOR_EXPIRY)?;
    let rows = st.query_map(params![now, limit], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every SQL form above agrees with `OrderStatus::as_of` for every stored
    /// status, before, at and after the expiry.
    #[test]
    fn each_sql_form_reads_status_as_the_rust_rule_does() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(&dir.path().join("kasir.db")).unwrap();
        let now: Millis = 1_000_000;
        let stored = [
            OrderStatus::Pending,
            OrderStatus::AwaitingConfirmation,
            OrderStatus::Paid,
            OrderStatus::Cancelled,
            OrderStatus::Expired,
        ];
        let expiries = [now - 1, now, now + 1];
        db.write_blocking(move |c| {
            c.execute_batch(
                "INSERT INTO static_qris(payload, merchant_name, merchant_city, created_at, updated_at) VALUES ('x', 'T', 'C', 0, 0)",
            )?;
            let mut n = 0;
            for s in stored {
                for e in expiries {
                    n += 1;
                    c.execute(
                        "INSERT INTO orders(order_id, link_code, qris_id, source, amount, fee_amount, total_amount, payload, status, created_at, expires_at)
                         VALUES (?1, ?1, 1, 'generate', 1, 0, 1, 'p', ?2, 10, ?3)",
                        params![format!("o{n}"), s.as_str(), e],
                    )?;
                }
            }
            Ok::<_, crate::Error>(())
        })
        .unwrap();
        db.read_blocking(|c| {
            let mut expected = std::collections::HashMap::<OrderStatus, i64>::new();
            for s in stored {
                for e in expiries {
                    *expected.entry(s.as_of(e, now)).or_default() += 1;
                }
            }
            let totals = totals_by_status(c, 0, 100, now)?;
            for s in stored {
                let want = expected.get(&s).copied().unwrap_or(0);
                assert_eq!(count_by_status(c, Some(s), now)?, want, "count of {s:?}");
                let sql = format!("SELECT COUNT(*) FROM orders o WHERE {}", status_clause(s));
                let listed: i64 = if sql.contains(":now") {
                    c.query_row(&sql, rusqlite::named_params! {":now": now}, |r| r.get(0))?
                } else {
                    c.query_row(&sql, [], |r| r.get(0))?
                };
                assert_eq!(listed, want, "clause of {s:?}");
                let summed = totals.iter().find(|t| t.0 == s).map_or(0, |t| t.1 as i64);
                assert_eq!(summed, want, "totals of {s:?}");
            }
            let due = due_for_expiry(c, now, 100)?.len() as i64;
            assert_eq!(due, 4, "open orders at or past expiry");
            Ok::<_, crate::Error>(())
        })
        .unwrap();
    }

    /// The sweep, every second on the writer, reads the due orders off the
    /// partial index: no scan of the open ones, no sort.
    #[test]
    fn the_expiry_sweep_reads_only_due_orders() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(&dir.path().join("kasir.db")).unwrap();
        let plan = db
            .read_blocking(|c| {
                let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {DUE_FOR_EXPIRY}"))?;
                let rows = st.query_map(params![0, 500], |r| r.get::<_, String>(3))?;
                Ok::<_, crate::Error>(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("; "))
            })
            .unwrap();
        assert!(
            plan.contains("USING INDEX orders_open_expiry (expires_at<?)"),
            "{plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }
}
