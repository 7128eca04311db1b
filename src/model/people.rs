//! The people at the till and the drawer's shifts.

use crate::clock::Millis;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Cashier,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Cashier => "cashier",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "owner" => Some(Role::Owner),
            "cashier" => Some(Role::Cashier),
            _ => None,
        }
    }
}

/// A person who can unlock the till. The PIN's hash never leaves the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// Five wrong PINs in a row lock the user until then.
    pub locked_until_ms: Option<Millis>,
}

/// Who, by id and name, as the till shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRef {
    pub id: i64,
    pub name: String,
}

/// One denomination's count in a drawer count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountLine {
    pub value: u64,
    pub count: u64,
    #[serde(default)]
    pub amount: u64,
}

/// A shift: one cashier's time with the drawer, from the opening count to the
/// closing one. Money is integer rupiah; `variance` is counted − expected
/// (negative: the drawer is short).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shift {
    pub id: i64,
    pub user: UserRef,
    pub status: ShiftStatus,
    pub opened_ms: Millis,
    pub closed_ms: Option<Millis>,
    pub closed_by: Option<String>,
    pub opening_cash: u64,
    pub opening_lines: Option<Vec<CountLine>>,
    /// Cash kept from sales: each paid sale's cash part, net of change.
    pub cash_sales: u64,
    /// Paid sales with a cash part.
    pub cash_count: u64,
    pub cash_refunds: u64,
    /// Opening + cash sales − cash refunds; frozen when the shift closes.
    pub expected_cash: i64,
    pub counted_cash: Option<u64>,
    pub variance: Option<i64>,
    pub count_lines: Option<Vec<CountLine>>,
    /// QRIS received for the shift's sales (a split's QRIS part included).
    pub qris_total: u64,
    pub qris_count: u64,
    /// Paid sales of the shift.
    pub sales_count: u64,
    /// Refunds given back by transfer (not from the drawer).
    pub transfer_refunds: u64,
    pub note: Option<String>,
}

impl Shift {
    /// Whose shift and since when, with its money left out (zeros): what a
    /// cashier is shown of another cashier's open shift.
    pub fn without_money(self) -> Shift {
        Shift {
            opening_cash: 0,
            opening_lines: None,
            cash_sales: 0,
            cash_count: 0,
            cash_refunds: 0,
            expected_cash: 0,
            counted_cash: None,
            variance: None,
            count_lines: None,
            qris_total: 0,
            qris_count: 0,
            sales_count: 0,
            transfer_refunds: 0,
            note: None,
            ..self
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShiftStatus {
    Open,
    Closed,
}
