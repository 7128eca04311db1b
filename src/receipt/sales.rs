//! The day's sales as the owner reads them at closing: money per tender,
//! refunds, items, discounts, PPN and service, best sellers. Computed once
//! from the paid orders and the refunds, for the PDF, the slip and the API.

use crate::model::{Order, PaymentMethod, Refund, RefundMethod};
use serde::Serialize;
use std::collections::HashMap;

/// Best sellers listed.
pub const BEST_SELLERS: usize = 5;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SalesSummary {
    /// Money taken in cash (cash sales and the cash part of split ones).
    pub cash: u64,
    /// Money taken by QRIS (what the QR charged: with its unique code and fee).
    pub qris: u64,
    pub refunds: RefundTotals,
    /// cash + qris − refunds.
    pub net: u64,
    /// Units sold from carts.
    pub items_sold: u64,
    /// Line and cart discounts given.
    pub discounts: u64,
    pub service: u64,
    pub tax: u64,
    pub best_sellers: Vec<BestSeller>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RefundTotals {
    pub count: u64,
    pub amount: u64,
    /// Of which out of the drawer.
    pub cash: u64,
    pub transfer: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BestSeller {
    pub product_id: Option<i64>,
    pub name: String,
    pub quantity: u64,
    pub total: u64,
}

/// The money taken in cash for `o`.
pub fn cash_of(o: &Order) -> u64 {
    o.sale.as_ref().map(|s| s.cash.cash_amount).unwrap_or(0)
}

/// The money taken by QRIS for `o`.
pub fn qris_of(o: &Order) -> u64 {
    match o.payment_method {
        PaymentMethod::Cash => 0,
        _ => o.total_amount,
    }
}

pub fn summarize(paid: &[Order], refunds: &[Refund]) -> SalesSummary {
    let mut s = SalesSummary::default();
    let mut sellers: HashMap<(Option<i64>, String), (u64, u64)> = HashMap::new();
    for o in paid {
        s.cash += cash_of(o);
        s.qris += qris_of(o);
        let Some(sale) = &o.sale else { continue };
        s.discounts += sale.totals.discount;
        s.service += sale.totals.service;
        s.tax += sale.totals.tax;
        for i in &sale.items {
            s.items_sold += i.quantity as u64;
            s.discounts += i.discount;
            let e = sellers.entry((i.product_id, i.name.clone())).or_default();
            e.0 += i.quantity as u64;
            e.1 += i.total;
        }
    }
    for r in refunds {
        s.refunds.count += 1;
        s.refunds.amount += r.amount;
        match r.method {
            RefundMethod::Cash => s.refunds.cash += r.amount,
            RefundMethod::Transfer => s.refunds.transfer += r.amount,
        }
    }
    s.net = (s.cash + s.qris).saturating_sub(s.refunds.amount);
    let mut best: Vec<BestSeller> = sellers
        .into_iter()
        .map(|((product_id, name), (quantity, total))| BestSeller {
            product_id,
            name,
            quantity,
            total,
        })
        .collect();
    best.sort_by(|a, b| {
        b.quantity
            .cmp(&a.quantity)
            .then(b.total.cmp(&a.total))
            .then(a.name.cmp(&b.name))
    });
    best.truncate(BEST_SELLERS);
    s.best_sellers = best;
    s
}
