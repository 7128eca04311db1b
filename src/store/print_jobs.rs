//! The `print_jobs` table: the thermal printer's durable queue.

use crate::clock::Millis;
use crate::error::Result;
use crate::model::{PrintJob, PrintJobStatus};
use rusqlite::{params, Connection, OptionalExtension, Row};

pub fn insert_print_job(
    c: &Connection,
    kind: &str,
    order_pk: Option<i64>,
    bytes: &[u8],
    now: Millis,
) -> Result<i64> {
    c.execute(
        "INSERT INTO print_jobs(kind, order_pk, bytes, status, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, 'queued', ?4, ?4)",
        params![kind, order_pk, bytes, now],
    )?;
    Ok(c.last_insert_rowid())
}

/// The oldest job due now: (id, bytes, attempts so far). Oldest first, so
/// receipts come out in the order the sales were made.
pub fn next_print_job(c: &Connection, now: Millis) -> Result<Option<(i64, Vec<u8>, i64)>> {
    Ok(c.query_row(
        "SELECT id, bytes, attempts FROM print_jobs
         WHERE status = 'queued' AND next_attempt_at <= ?1 ORDER BY id LIMIT 1",
        [now],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()?)
}

/// When the next queued job is due, if any is queued.
pub fn next_print_due_at(c: &Connection) -> Result<Option<Millis>> {
    Ok(c.query_row(
        "SELECT MIN(next_attempt_at) FROM print_jobs WHERE status = 'queued'",
        [],
        |r| r.get(0),
    )?)
}

/// One try's outcome: printed, or the error and when to try again (`None`:
/// stop, the job failed).
pub fn record_print(
    c: &Connection,
    id: i64,
    outcome: std::result::Result<(), (&str, Option<Millis>)>,
    now: Millis,
) -> Result<()> {
    match outcome {
        Ok(()) => c.execute(
            "UPDATE print_jobs SET status = 'printed', attempts = attempts + 1,
             printed_at = ?2, next_attempt_at = NULL WHERE id = ?1",
            params![id, now],
        )?,
        Err((why, next)) => c.execute(
            "UPDATE print_jobs SET attempts = attempts + 1, last_error = ?2,
             next_attempt_at = ?3,
             status = CASE WHEN ?3 IS NULL THEN 'failed' ELSE 'queued' END
             WHERE id = ?1",
            params![id, why, next],
        )?,
    };
    Ok(())
}

/// Queue a failed job again, now. False when there is no such job.
pub fn requeue_print_job(c: &Connection, id: i64, now: Millis) -> Result<bool> {
    let n = c.execute(
        "UPDATE print_jobs SET status = 'queued', next_attempt_at = ?2
         WHERE id = ?1 AND status != 'printed'",
        params![id, now],
    )?;
    if n == 0 {
        let exists: Option<i64> = c
            .query_row("SELECT id FROM print_jobs WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        return Ok(exists.is_some());
    }
    Ok(true)
}

const JOB_COLUMNS: &str = "j.id, j.kind, o.order_id, j.status, j.attempts, j.created_at,
     j.printed_at, j.next_attempt_at, j.last_error";

fn job_from(r: &Row<'_>) -> rusqlite::Result<PrintJob> {
    Ok(PrintJob {
        id: r.get(0)?,
        kind: r.get(1)?,
        order_id: r.get(2)?,
        status: PrintJobStatus::parse(&r.get::<_, String>(3)?),
        attempts: r.get(4)?,
        created_at: r.get(5)?,
        printed_at: r.get(6)?,
        next_attempt_at: r.get(7)?,
        last_error: r.get(8)?,
    })
}

pub fn get_print_job(c: &Connection, id: i64) -> Result<Option<PrintJob>> {
    Ok(c.query_row(
        &format!(
            "SELECT {JOB_COLUMNS} FROM print_jobs j LEFT JOIN orders o ON o.id = j.order_pk
             WHERE j.id = ?1"
        ),
        [id],
        job_from,
    )
    .optional()?)
}

/// The newest jobs first.
pub fn list_print_jobs(c: &Connection, limit: u32) -> Result<Vec<PrintJob>> {
    let mut st = c.prepare_cached(&format!(
        "SELECT {JOB_COLUMNS} FROM print_jobs j LEFT JOIN orders o ON o.id = j.order_pk
         ORDER BY j.id DESC LIMIT ?1"
    ))?;
    let rows = st.query_map([limit], job_from)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
