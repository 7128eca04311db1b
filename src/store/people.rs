//! The people who unlock the till, their PIN hashes and wrong-PIN counts.

use crate::clock::Millis;
use crate::error::Result;
use crate::model::{Role, User};
use rusqlite::{params, Connection, OptionalExtension, Row};

const USER_COLS: &str = "id, name, role, active, locked_until";

fn user_from_row(r: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::parse(&r.get::<_, String>(2)?).unwrap_or(Role::Cashier),
        active: r.get(3)?,
        locked_until_ms: r.get(4)?,
    })
}

pub fn count_users(c: &Connection) -> Result<i64> {
    Ok(c.prepare_cached("SELECT COUNT(*) FROM users")?
        .query_row([], |r| r.get(0))?)
}

/// Active owners other than `except`: the last one can't be demoted or deactivated.
pub fn count_other_owners(c: &Connection, except: i64) -> Result<i64> {
    Ok(c.prepare_cached(
        "SELECT COUNT(*) FROM users WHERE role = 'owner' AND active = 1 AND id != ?1",
    )?
    .query_row([except], |r| r.get(0))?)
}

pub fn list_users(c: &Connection, include_inactive: bool) -> Result<Vec<User>> {
    let sql = format!(
        "SELECT {USER_COLS} FROM users WHERE active = 1 OR ?1 ORDER BY role = 'cashier', name COLLATE NOCASE"
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map([include_inactive], user_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn get_user(c: &Connection, id: i64) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE id = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([id], user_from_row)
        .optional()?)
}

/// The user and their PIN's hash, for a PIN check.
pub fn user_with_pin(c: &Connection, id: i64) -> Result<Option<(User, String)>> {
    let sql = format!("SELECT {USER_COLS}, pin_hash FROM users WHERE id = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([id], |r| Ok((user_from_row(r)?, r.get(5)?)))
        .optional()?)
}

/// `Ok(None)`: another user has this name.
pub fn insert_user(
    c: &Connection,
    name: &str,
    role: Role,
    pin_hash: &str,
    now: Millis,
) -> Result<Option<i64>> {
    let r = c
        .prepare_cached(
            "INSERT INTO users(name, role, pin_hash, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        )?
        .execute(params![name, role.as_str(), pin_hash, now]);
    match r {
        Ok(_) => Ok(Some(c.last_insert_rowid())),
        Err(e)
            if e.to_string()
                .contains("UNIQUE constraint failed: users.name") =>
        {
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// What a user's edit changes; `None` keeps the field. `Ok(false)`: the name is taken.
pub struct UserChange<'a> {
    pub name: Option<&'a str>,
    pub role: Option<Role>,
    pub pin_hash: Option<&'a str>,
    pub active: Option<bool>,
}

pub fn update_user(c: &Connection, id: i64, ch: &UserChange<'_>, now: Millis) -> Result<bool> {
    let r = c
        .prepare_cached(
            "UPDATE users SET name = COALESCE(?2, name), role = COALESCE(?3, role),
                pin_hash = COALESCE(?4, pin_hash), active = COALESCE(?5, active),
                -- a new PIN starts its count afresh
                failed_pins = CASE WHEN ?4 IS NULL THEN failed_pins ELSE 0 END,
                locked_until = CASE WHEN ?4 IS NULL THEN locked_until ELSE NULL END,
                updated_at = ?6
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            ch.name,
            ch.role.map(Role::as_str),
            ch.pin_hash,
            ch.active,
            now
        ]);
    match r {
        Ok(_) => Ok(true),
        Err(e)
            if e.to_string()
                .contains("UNIQUE constraint failed: users.name") =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// Count a wrong PIN in one statement, so two at once both count; the
/// `limit`th locks the user until `lock_until` and starts the count again.
/// Returns the wrong PINs so far and the lock, if this one set it.
pub fn record_wrong_pin(
    c: &Connection,
    id: i64,
    limit: u32,
    lock_until: Millis,
) -> Result<(u32, Option<Millis>)> {
    Ok(c.prepare_cached(
        "UPDATE users SET
            locked_until = CASE WHEN failed_pins + 1 >= ?2 THEN ?3 ELSE locked_until END,
            failed_pins = CASE WHEN failed_pins + 1 >= ?2 THEN 0 ELSE failed_pins + 1 END
         WHERE id = ?1
         RETURNING CASE WHEN failed_pins = 0 THEN ?2 ELSE failed_pins END,
                   CASE WHEN failed_pins = 0 THEN locked_until END",
    )?
    .query_row(params![id, limit, lock_until], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?)
}

pub fn clear_wrong_pins(c: &Connection, id: i64) -> Result<()> {
    c.prepare_cached("UPDATE users SET failed_pins = 0, locked_until = NULL WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// An owner approved `action` for `cashier`: kept for good.
pub fn insert_owner_approval(
    c: &Connection,
    cashier: &str,
    owner: &str,
    action: &str,
    now: Millis,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO owner_approvals(created_at, cashier, owner, action) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![now, cashier, owner, action])?;
    Ok(())
}
