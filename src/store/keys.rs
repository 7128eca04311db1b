//! API keys (only their hashes) and their daily request counts.

use crate::clock::Millis;
use crate::error::Result;
use crate::model::*;
use rusqlite::{params, Connection, OptionalExtension, Row};

const KEY_COLS: &str =
    "id, name, key_prefix, daily_limit, created_at, last_used_at, revoked_at, scope, user_id";

fn key_from_row(r: &Row<'_>) -> rusqlite::Result<ApiKey> {
    Ok(ApiKey {
        id: r.get(0)?,
        name: r.get(1)?,
        key_prefix: r.get(2)?,
        daily_limit: r.get(3)?,
        created_at: r.get(4)?,
        last_used_at: r.get(5)?,
        revoked_at: r.get(6)?,
        // a value this build doesn't know gives the narrowest rights
        scope: KeyScope::parse(&r.get::<_, String>(7)?).unwrap_or(KeyScope::Notifications),
        user_id: r.get(8)?,
    })
}

pub fn insert_api_key(
    c: &Connection,
    name: &str,
    prefix: &str,
    hash: &[u8],
    daily_limit: Option<i64>,
    scope: KeyScope,
    now: Millis,
) -> Result<ApiKey> {
    Ok(c.query_row(
        &format!("INSERT INTO api_keys(name, key_prefix, key_hash, daily_limit, created_at, scope) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING {KEY_COLS}"),
        params![name, prefix, hash, daily_limit, now, scope.as_str()],
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

/// The person a key acts as (a cashier's second device), or none (the owner's integration).
pub fn set_key_user(c: &Connection, id: i64, user_id: Option<i64>) -> Result<bool> {
    Ok(c.execute(
        "UPDATE api_keys SET user_id = ?1 WHERE id = ?2",
        params![user_id, id],
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
        .query_row([hash], |r| Ok((key_from_row(r)?, r.get(9)?)))
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
