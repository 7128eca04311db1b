//! Unique totals ("kode unik"): with them on, every new order's total differs
//! from every other open order's by a small code added to (or taken from) the
//! amount, so a payment of that exact total can only be for one order. The
//! code is chosen in the writer's transaction that stores the order, so two
//! orders made at once never get the same total.

use super::orders::CheckedOrder;
use super::settings::Settings;
use crate::clock::Millis;
use crate::error::{Error, Result};
use crate::store;
use serde::{Deserialize, Serialize};

pub const DEFAULT_UNIQUE_CODE_MAX: u32 = 99;
pub const MAX_UNIQUE_CODE_MAX: u32 = 999;
/// How long after an order is made a payment of its total is taken as its.
pub const DEFAULT_MATCH_WINDOW_MINUTES: i64 = 30;
pub const MAX_MATCH_WINDOW_MINUTES: i64 = 24 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UniqueCode {
    /// Orders charge exactly their amount.
    #[default]
    Off,
    /// The customer pays the amount plus the code (Rp 50.000 → Rp 50.037).
    Add,
    /// The customer pays the amount less the code (Rp 50.000 → Rp 49.963):
    /// the shop gives the code away instead of asking it.
    Subtract,
}

impl UniqueCode {
    pub fn as_str(self) -> &'static str {
        match self {
            UniqueCode::Off => "off",
            UniqueCode::Add => "add",
            UniqueCode::Subtract => "subtract",
        }
    }
    pub fn parse(s: &str) -> Option<UniqueCode> {
        match s.trim() {
            "off" => Some(UniqueCode::Off),
            "add" => Some(UniqueCode::Add),
            "subtract" => Some(UniqueCode::Subtract),
            _ => None,
        }
    }
}

pub(super) fn check_mode(v: &str) -> Result<UniqueCode> {
    UniqueCode::parse(v).ok_or_else(|| {
        Error::invalid(
            "unique_code",
            format!("unique_code must be \"off\", \"add\" or \"subtract\", got {v:?}"),
        )
    })
}

pub(super) fn check_max(v: i64) -> Result<u32> {
    if !(1..=MAX_UNIQUE_CODE_MAX as i64).contains(&v) {
        return Err(Error::invalid(
            "unique_code_max",
            format!("unique_code_max must be from 1 to {MAX_UNIQUE_CODE_MAX}, got {v}"),
        ));
    }
    Ok(v as u32)
}

pub(super) fn check_window(v: i64) -> Result<i64> {
    if !(1..=MAX_MATCH_WINDOW_MINUTES).contains(&v) {
        return Err(Error::invalid(
            "unique_match_window_minutes",
            format!(
                "unique_match_window_minutes must be from 1 to {MAX_MATCH_WINDOW_MINUTES}, got {v}"
            ),
        ));
    }
    Ok(v)
}

/// What a new order charges: the code, the amount in tag 54, and the fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Charge {
    pub unique_code: i64,
    /// amount ± code: what goes in tag 54.
    pub charged: u64,
    pub fee_amount: u64,
    pub total_amount: u64,
}

fn charge(req: &CheckedOrder, code: i64) -> Option<Charge> {
    let charged = u64::try_from(req.amount as i64 + code)
        .ok()
        .filter(|a| *a >= 1)?;
    let fee_amount = req.fee.map(|f| f.rupiah_for(charged)).unwrap_or(0);
    Some(Charge {
        unique_code: code,
        charged,
        fee_amount,
        total_amount: charged + fee_amount,
    })
}

/// The charge with no code: for an order paid at once (cash).
pub(super) fn without_code(req: &CheckedOrder) -> Charge {
    charge(req, 0).expect("a checked amount is at least 1")
}

/// The charge of a new order, its code chosen in `tx` (the writer's) as the
/// smallest one whose total no open or recent order has. The inner error is
/// the caller's answer (nothing is written).
pub(super) fn choose(
    tx: &rusqlite::Transaction<'_>,
    s: &Settings,
    req: &CheckedOrder,
    now: Millis,
) -> Result<Result<Charge>> {
    let sign = match s.unique_code {
        UniqueCode::Off => return Ok(Ok(charge(req, 0).expect("a checked amount is at least 1"))),
        UniqueCode::Add => 1,
        UniqueCode::Subtract => -1,
    };
    let max = s.unique_code_max;
    if sign < 0 && req.amount <= max as u64 {
        return Ok(Err(Error::invalid(
            "amount",
            format!(
                "with unique codes taken off the amount (up to {max}), an amount must be more than Rp {max}"
            ),
        )));
    }
    let charges: Vec<Charge> = (1..=max as i64)
        .filter_map(|c| charge(req, sign * c))
        .collect();
    if charges.iter().any(|c| c.charged > qris::MAX_AMOUNT) {
        return Ok(Err(Error::invalid(
            "amount",
            format!(
                "with a unique code of up to {max} added, the amount can be at most Rp {}",
                qris::MAX_AMOUNT - max as u64
            ),
        )));
    }
    let lo = charges.iter().map(|c| c.total_amount).min().unwrap_or(0);
    let hi = charges.iter().map(|c| c.total_amount).max().unwrap_or(0);
    let since = now - s.unique_match_window_minutes * 60_000 - super::evidence::CLOCK_SKEW_MS;
    let taken = store::totals_in_use(tx, lo, hi, since)?;
    Ok(charges
        .into_iter()
        .find(|c| !taken.contains(&c.total_amount))
        .ok_or(Error::NoUniqueAmount {
            amount: req.amount,
            max,
        }))
}
