//! Stored static QRIS stickers.

use super::get_setting;
use crate::clock::Millis;
use crate::error::Result;
use crate::model::*;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

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
            .prepare_cached("SELECT id FROM static_qris WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        if exists.is_some() {
            return Ok(Some(id));
        }
    }
    Ok(
        c.prepare_cached("SELECT id FROM static_qris ORDER BY updated_at DESC, id DESC LIMIT 1")?
            .query_row([], |r| r.get(0))
            .optional()?,
    )
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
    Ok(c.prepare_cached(&format!(
        "SELECT {STATIC_COLS} FROM static_qris WHERE id = ?1"
    ))?
    .query_row([id], |r| static_from_row(r, default_id))
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

/// Whether any order was made from this static QRIS (its orders point at it).
pub fn static_qris_in_use(c: &Connection, id: i64) -> Result<bool> {
    Ok(c.query_row(
        "SELECT EXISTS(SELECT 1 FROM orders WHERE qris_id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

pub fn delete_static_qris(tx: &Transaction<'_>, id: i64) -> Result<bool> {
    Ok(tx.execute("DELETE FROM static_qris WHERE id = ?1", [id])? > 0)
}
