//! The money of a cart: every total a sale shows, in integer rupiah, by the
//! steps and the one rounding rule of docs/SALES.md. Pure: the till, the
//! receipt and the report all take their numbers from [`price`].

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Lines a cart may hold.
pub const MAX_LINES: usize = 200;
pub const MAX_QUANTITY: i64 = 9_999;
/// Rp 1.000.000.000 a unit: far above any shop's price, far below overflow.
pub const MAX_UNIT_PRICE: i64 = 1_000_000_000;
pub const MAX_NOTE_LEN: usize = 200;
pub const MAX_NAME_LEN: usize = 120;

/// A discount as the cashier types it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discount {
    pub kind: DiscountKind,
    /// Rupiah, or a whole percent 0-100.
    pub value: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscountKind {
    Rupiah,
    Percent,
}

/// PPN, service and cash rounding, from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaxRules {
    pub tax_enabled: bool,
    /// Basis points: 1100 is 11%.
    pub tax_rate_bp: u32,
    /// Prices already include PPN.
    pub tax_inclusive: bool,
    pub service_rate_bp: u32,
    pub service_taxed: bool,
    /// Cash totals are rounded down to this (0: off).
    pub cash_rounding: u32,
}

/// A line whose name and price are known (from the catalogue or typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub product_id: Option<i64>,
    pub name: String,
    pub unit_price: u64,
    pub quantity: u32,
    pub discount: Option<Discount>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PricedLine {
    pub product_id: Option<i64>,
    pub name: String,
    pub unit_price: u64,
    pub quantity: u32,
    /// unit price × quantity
    pub gross: u64,
    /// The line's own discount.
    pub discount: u64,
    /// gross − discount
    pub net: u64,
    /// What the line costs after the cart discount, service and PPN: the
    /// lines' totals add up to the cart's.
    pub total: u64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PricedCart {
    pub lines: Vec<PricedLine>,
    /// The lines' nets added up.
    pub subtotal: u64,
    /// The cart's discount.
    pub discount: u64,
    pub service: u64,
    /// PPN: inside the prices when `tax_inclusive`, else added.
    pub tax: u64,
    pub tax_inclusive: bool,
    /// What a QRIS payment charges.
    pub total: u64,
    /// What a cash payment charges: the total rounded down to the cash unit.
    pub cash_total: u64,
    /// cash_total − total: zero or negative.
    pub rounding: i64,
    /// Units in the cart.
    pub item_count: u32,
}

/// `bp` basis points of `amount`, to the nearest rupiah, halves up: the one
/// rounding rule for every percentage.
pub fn pct(amount: u64, bp: u32) -> u64 {
    ((amount as u128 * bp as u128 + 5_000) / 10_000) as u64
}

/// `amount` spread over `weights` in proportion (largest remainder, ties to
/// the earlier line), so the shares add up to `amount` exactly.
pub fn spread(amount: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u128 = weights.iter().map(|&w| w as u128).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut shares: Vec<u64> = Vec::with_capacity(weights.len());
    let mut rests: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        let exact = amount as u128 * w as u128;
        shares.push((exact / sum) as u64);
        rests.push((exact % sum, i));
    }
    let mut left = amount - shares.iter().sum::<u64>();
    rests.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in rests {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares
}

/// Part `r + k` of `q` units' share of `total`, less part `r`: what refunding
/// `k` more units gives back, so that all `q` give back `total` exactly.
pub fn refund_share(total: u64, quantity: u32, before: u32, more: u32) -> u64 {
    let part = |n: u32| {
        ((total as u128 * n as u128 * 2 + quantity as u128) / (2 * quantity as u128)) as u64
    };
    part(before + more) - part(before)
}

fn discount_of(field: &'static str, d: Option<Discount>, of: u64) -> Result<u64> {
    let Some(d) = d else { return Ok(0) };
    match d.kind {
        DiscountKind::Rupiah => {
            if d.value < 0 {
                return Err(Error::invalid(field, "a discount can't be negative"));
            }
            let v = d.value as u64;
            if v > of {
                return Err(Error::invalid(
                    field,
                    format!("a discount of Rp {v} is more than the Rp {of} it is taken from"),
                ));
            }
            Ok(v)
        }
        DiscountKind::Percent => {
            if !(0..=100).contains(&d.value) {
                return Err(Error::invalid(field, "a percent discount is 0 to 100"));
            }
            Ok(pct(of, d.value as u32 * 100))
        }
    }
}

/// Price a cart: the steps of docs/SALES.md, in order.
pub fn price(
    lines: &[Line],
    cart_discount: Option<Discount>,
    rules: &TaxRules,
) -> Result<PricedCart> {
    if lines.is_empty() {
        return Err(Error::invalid("lines", "the cart is empty"));
    }
    if lines.len() > MAX_LINES {
        return Err(Error::invalid(
            "lines",
            format!("a cart holds at most {MAX_LINES} lines"),
        ));
    }
    // 1-3: each line's gross, its own discount and net; the subtotal
    let mut priced = Vec::with_capacity(lines.len());
    for l in lines {
        let gross = l.unit_price * l.quantity as u64;
        let discount = discount_of("discount", l.discount, gross)?;
        priced.push(PricedLine {
            product_id: l.product_id,
            name: l.name.clone(),
            unit_price: l.unit_price,
            quantity: l.quantity,
            gross,
            discount,
            net: gross - discount,
            total: 0,
            note: l.note.clone(),
        });
    }
    let nets: Vec<u64> = priced.iter().map(|l| l.net).collect();
    let subtotal: u64 = nets.iter().sum();
    // 4: the cart discount, spread over the lines
    let discount = discount_of("cart_discount", cart_discount, subtotal)?;
    let discounted: Vec<u64> = nets
        .iter()
        .zip(spread(discount, &nets))
        .map(|(n, d)| n - d)
        .collect();
    let base = subtotal - discount;
    // 5-6: service and PPN
    let rate = if rules.tax_enabled {
        rules.tax_rate_bp
    } else {
        0
    };
    let (service, tax, added) = if rules.tax_inclusive {
        let goods_tax = ((base as u128 * rate as u128 * 2 + (10_000 + rate) as u128)
            / (2 * (10_000 + rate) as u128)) as u64;
        let service = pct(base - goods_tax, rules.service_rate_bp);
        let service_tax = if rules.service_taxed {
            pct(service, rate)
        } else {
            0
        };
        (service, goods_tax + service_tax, service + service_tax)
    } else {
        let service = pct(base, rules.service_rate_bp);
        let taxed = base + if rules.service_taxed { service } else { 0 };
        let tax = pct(taxed, rate);
        (service, tax, service + tax)
    };
    // 7: the total, and each line's share of it
    let total = base + added;
    for ((line, d), a) in priced
        .iter_mut()
        .zip(&discounted)
        .zip(spread(added, &discounted))
    {
        line.total = d + a;
    }
    // 8: cash rounding, down
    let unit = rules.cash_rounding as u64;
    let cash_total = if unit > 1 {
        total - total % unit
    } else {
        total
    };
    Ok(PricedCart {
        item_count: priced.iter().map(|l| l.quantity).sum(),
        lines: priced,
        subtotal,
        discount,
        service,
        tax,
        tax_inclusive: rules.tax_inclusive && rate > 0,
        total,
        cash_total,
        rounding: cash_total as i64 - total as i64,
    })
}

#[cfg(test)]
mod tests;
