//! Shifts: a cashier opens one with the drawer's counted cash, sells inside
//! it, and closes it with a second count; Kasir says what the drawer should
//! hold and by how much the count differs (docs/PEOPLE.md).

use super::people::{Actor, Right};
use super::Kasir;
use crate::clock::Millis;
use crate::error::{Error, Missing, Result};
use crate::model::{CountLine, Shift, ShiftStatus, UserRef};
use crate::store::{self, ShiftRow};
use serde::{Deserialize, Serialize};

/// The rupiah notes and coins a drawer holds, largest first.
pub const DENOMINATIONS: [u64; 10] = [
    100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100,
];
/// More of one note than any drawer holds: a typo.
const MAX_PIECES: u64 = 100_000;
const MAX_NOTE_LEN: usize = 500;

/// A drawer count: a total, or pieces per denomination.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CashCount {
    pub total: Option<i64>,
    pub denominations: Option<Vec<Pieces>>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Pieces {
    pub value: i64,
    pub count: i64,
}

/// A count added up by the engine, as the cashier types it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counted {
    pub total: u64,
    pub lines: Option<Vec<CountLine>>,
}

/// Add up a count; `field` names the request's field in an error.
pub fn count_cash(field: &'static str, c: &CashCount) -> Result<Counted> {
    match (c.total, &c.denominations) {
        (Some(_), Some(_)) => Err(Error::invalid(
            field,
            "give the count as a total or by denomination, not both",
        )),
        (None, None) => Err(Error::invalid(
            field,
            "count the drawer: a total, or pieces per denomination",
        )),
        (Some(t), None) => {
            if !(0..=qris::MAX_AMOUNT as i64).contains(&t) {
                return Err(Error::invalid(
                    field,
                    format!("a drawer holds Rp 0 to Rp {}; got {t}", qris::MAX_AMOUNT),
                ));
            }
            Ok(Counted {
                total: t as u64,
                lines: None,
            })
        }
        (None, Some(pieces)) => {
            let mut lines: Vec<CountLine> = vec![];
            for p in pieces {
                let value = u64::try_from(p.value)
                    .ok()
                    .filter(|v| DENOMINATIONS.contains(v));
                let Some(value) = value else {
                    return Err(Error::invalid(
                        field,
                        format!(
                            "Rp {} is not a rupiah note or coin (Rp 100.000 down to Rp 100)",
                            p.value
                        ),
                    ));
                };
                let Some(count) = u64::try_from(p.count).ok().filter(|c| *c <= MAX_PIECES) else {
                    return Err(Error::invalid(
                        field,
                        format!(
                            "{} pieces of Rp {value} is not a count (0 to {MAX_PIECES})",
                            p.count
                        ),
                    ));
                };
                if lines.iter().any(|l| l.value == value) {
                    return Err(Error::invalid(
                        field,
                        format!("Rp {value} is counted twice"),
                    ));
                }
                lines.push(CountLine {
                    value,
                    count,
                    amount: value * count,
                });
            }
            lines.sort_by_key(|l| std::cmp::Reverse(l.value));
            Ok(Counted {
                total: lines.iter().map(|l| l.amount).sum(),
                lines: Some(lines),
            })
        }
    }
}

fn lines_json(c: &Counted) -> Option<String> {
    c.lines
        .as_ref()
        .map(|l| serde_json::to_string(l).expect("count lines serialize"))
}

fn lines_of(json: Option<&str>) -> Option<Vec<CountLine>> {
    json.and_then(|j| serde_json::from_str(j).ok())
}

/// A stored shift with its money, as the till and the API show it.
pub(super) fn shift_view(c: &rusqlite::Connection, row: ShiftRow, now: Millis) -> Result<Shift> {
    // a closed shift reads as it was counted; an open one as it is now
    let money = match row.closing_money {
        Some(m) => m,
        None => store::shift_money(c, row.id, now)?,
    };
    let running = row.opening_cash as i64 + money.cash_sales as i64 - money.cash_refunds as i64;
    let expected = row.expected_cash.unwrap_or(running);
    Ok(Shift {
        id: row.id,
        user: UserRef {
            id: row.user_id,
            name: row.user_name,
        },
        status: if row.closed_at.is_some() {
            ShiftStatus::Closed
        } else {
            ShiftStatus::Open
        },
        opened_ms: row.opened_at,
        closed_ms: row.closed_at,
        closed_by: row.closed_by,
        opening_cash: row.opening_cash,
        opening_lines: lines_of(row.opening_count.as_deref()),
        cash_sales: money.cash_sales,
        cash_count: money.cash_count,
        cash_refunds: money.cash_refunds,
        expected_cash: expected,
        counted_cash: row.counted_cash,
        variance: row.counted_cash.map(|c| c as i64 - expected),
        count_lines: lines_of(row.closing_count.as_deref()),
        qris_total: money.qris_total,
        qris_count: money.qris_count,
        sales_count: money.sales_count,
        transfer_refunds: money.transfer_refunds,
        note: row.note,
    })
}

/// The shift a sale at the till is made in: the cashier's own open one.
/// Over the API an order is the integration's, in no shift (the reference
/// has none); a cashier's key names the cashier, and their shift if open.
pub(super) fn sale_shift(
    c: &rusqlite::Connection,
    actor: &Actor,
) -> Result<Option<(UserRef, Option<i64>)>> {
    let Some(p) = actor.person() else {
        return Ok(None);
    };
    let open = store::open_shift(c)?;
    match open {
        Some(s) if s.user_id == p.user.id => Ok(Some((p.user.clone(), Some(s.id)))),
        _ if !actor.at_till() => Ok(Some((p.user.clone(), None))),
        other => Err(Error::NoOpenShift {
            open_by: other.map(|s| s.user_name),
        }),
    }
}

impl Kasir {
    /// Add up a count for the till as the cashier types (the page adds nothing).
    pub fn count_cash(&self, count: &CashCount) -> Result<Counted> {
        count_cash("count", count)
    }

    /// The till's open shift, whoever's, with its money so far.
    pub async fn current_shift(&self) -> Result<Option<Shift>> {
        let now = self.now();
        self.inner
            .db
            .read(move |c| {
                store::open_shift(c)?
                    .map(|row| shift_view(c, row, now))
                    .transpose()
            })
            .await
    }

    /// The open shift as `actor` may see it: another cashier's without its
    /// money (whose it is and since when, for the lock screen).
    pub async fn current_shift_for(&self, actor: &Actor) -> Result<Option<Shift>> {
        let shift = self.current_shift().await?;
        let theirs = |s: &Shift| actor.person().is_some_and(|p| p.user.id != s.user.id);
        Ok(shift.map(|s| {
            if !actor.is_owner() && theirs(&s) {
                s.without_money()
            } else {
                s
            }
        }))
    }

    /// Open a shift for the person asking, with the drawer's counted cash.
    pub async fn open_shift(&self, actor: &Actor, opening: CashCount) -> Result<Shift> {
        let Some(p) = actor.person() else {
            return Err(Error::invalid(
                "user",
                "a shift is a person's: unlock the till with a PIN to open one",
            ));
        };
        let counted = count_cash("opening", &opening)?;
        let user_id = p.user.id;
        let now = self.now();
        let zone = self.zone().await?;
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                if let Some(open) = store::open_shift(&tx)? {
                    return Err(Error::ShiftOpen {
                        name: open.user_name,
                        since: zone.format_local(open.opened_at),
                    });
                }
                let id = store::insert_shift(
                    &tx,
                    user_id,
                    counted.total,
                    lines_json(&counted).as_deref(),
                    now,
                )?
                .ok_or(Error::StaleStatus)?;
                let row = store::get_shift(&tx, id)?.ok_or(Error::StaleStatus)?;
                let shift = shift_view(&tx, row, now)?;
                tx.commit()?;
                Ok(shift)
            })
            .await
    }

    /// Close an open shift with the drawer's count: the expected cash is
    /// frozen with it. A cashier closes their own; another's needs the owner.
    pub async fn close_shift(
        &self,
        actor: &Actor,
        shift_id: i64,
        counted: CashCount,
        note: Option<String>,
    ) -> Result<Shift> {
        let counted = count_cash("counted", &counted)?;
        let note = super::checks::check_text("note", note.as_deref(), MAX_NOTE_LEN)?;
        let now = self.now();
        let row = self
            .inner
            .db
            .read(move |c| store::get_shift(c, shift_id))
            .await?
            .ok_or(Error::NotFound(Missing::Shift(shift_id)))?;
        if row.closed_at.is_some() {
            return Err(Error::invalid(
                "shift_id",
                format!("shift {shift_id} is closed already"),
            ));
        }
        let closer = match actor.person() {
            Some(p) if p.user.id == row.user_id => p.user.id,
            Some(p) => {
                self.require(actor, Right::CloseOthersShift).await?;
                p.user.id
            }
            // the console closes as the shift's own cashier would
            None => row.user_id,
        };
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let row = store::get_shift(&tx, shift_id)?
                    .ok_or(Error::NotFound(Missing::Shift(shift_id)))?;
                let money = store::shift_money(&tx, shift_id, now)?;
                let expected = shift_view(&tx, row, now)?.expected_cash;
                let count_json = lines_json(&counted);
                let closing = store::Closing {
                    closed_by: closer,
                    expected_cash: expected,
                    money,
                    counted_cash: counted.total,
                    closing_count: count_json.as_deref(),
                    note: note.as_deref(),
                    at: now,
                };
                if !store::close_shift(&tx, shift_id, &closing)? {
                    return Err(Error::invalid(
                        "shift_id",
                        format!("shift {shift_id} is closed already"),
                    ));
                }
                let row = store::get_shift(&tx, shift_id)?.ok_or(Error::StaleStatus)?;
                let shift = shift_view(&tx, row, now)?;
                tx.commit()?;
                Ok(shift)
            })
            .await
    }

    /// Shifts, newest first: a cashier sees their own.
    pub async fn shifts(&self, actor: &Actor, limit: u32, offset: u64) -> Result<Vec<Shift>> {
        let only = actor
            .person()
            .filter(|_| !actor.is_owner())
            .map(|p| p.user.id);
        let now = self.now();
        self.inner
            .db
            .read(move |c| {
                store::list_shifts(c, only, limit.clamp(1, 100), offset)?
                    .into_iter()
                    .map(|row| shift_view(c, row, now))
                    .collect()
            })
            .await
    }

    /// One shift; another cashier's needs the owner.
    pub async fn shift(&self, actor: &Actor, shift_id: i64) -> Result<Shift> {
        let now = self.now();
        let shift = self
            .inner
            .db
            .read(move |c| {
                store::get_shift(c, shift_id)?
                    .map(|row| shift_view(c, row, now))
                    .transpose()
            })
            .await?
            .ok_or(Error::NotFound(Missing::Shift(shift_id)))?;
        if actor.person().is_some_and(|p| p.user.id != shift.user.id) {
            self.require(actor, Right::OtherShifts).await?;
        }
        Ok(shift)
    }
}

#[cfg(test)]
mod tests;
