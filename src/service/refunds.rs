//! Refunds of a paid sale, in full or by lines: never more than was paid,
//! the stock given back, an event and a webhook (`payment.refunded`). The
//! shares are `cart::refund_share`'s (docs/SALES.md).

use super::cart::refund_share;
use super::checks::check_text;
use super::orders::lifecycle;
use super::people::{Actor, Right};
use super::Kasir;
use crate::error::{Error, Missing, Result};
use crate::model::{Order, OrderItem, RefundMethod};
use crate::store::{self, OrderKey, RefundRow};
use serde::Deserialize;

pub const MAX_REASON_LEN: usize = 200;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RefundRequest {
    /// Which units of which lines; none: everything not yet refunded.
    #[serde(default)]
    pub lines: Option<Vec<RefundLine>>,
    #[serde(default)]
    pub reason: Option<String>,
    /// Out of the drawer (`cash`, the default) or sent back (`transfer`).
    #[serde(default)]
    pub method: Option<RefundMethod>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct RefundLine {
    pub line_no: u32,
    pub quantity: i64,
}

/// What the customer paid for the order: the sale's total, or the amount of
/// an amount-only order.
pub fn paid_total(o: &Order) -> u64 {
    o.sale.as_ref().map(|s| s.totals.total).unwrap_or(o.amount)
}

/// The refund of each line: (line_no, units, rupiah).
type Parts = Vec<(u32, u32, u64)>;

fn parts_asked(items: &[OrderItem], asked: &[RefundLine]) -> Result<Parts> {
    let mut parts: Parts = vec![];
    for a in asked {
        let Some(item) = items.iter().find(|i| i.line_no == a.line_no) else {
            return Err(Error::invalid(
                "lines",
                format!("the order has no line {}", a.line_no),
            ));
        };
        if parts.iter().any(|p| p.0 == a.line_no) {
            return Err(Error::invalid(
                "lines",
                format!("line {} is named twice", a.line_no),
            ));
        }
        let left = item.quantity - item.refunded_quantity;
        if a.quantity < 1 || a.quantity > left as i64 {
            return Err(Error::NotRefundable(format!(
                "line {} ({}) has {left} unit(s) left to refund; asked for {}",
                a.line_no, item.name, a.quantity
            )));
        }
        let q = a.quantity as u32;
        parts.push((
            a.line_no,
            q,
            refund_share(item.total, item.quantity, item.refunded_quantity, q),
        ));
    }
    Ok(parts)
}

fn parts_left(items: &[OrderItem]) -> Parts {
    items
        .iter()
        .filter(|i| i.refunded_quantity < i.quantity)
        .map(|i| {
            (
                i.line_no,
                i.quantity - i.refunded_quantity,
                i.total - i.refunded_amount,
            )
        })
        .collect()
}

/// Cut the parts to `cap` from the last line back: the lines' totals of a
/// cash sale rounded down add up to more than was paid.
fn capped(mut parts: Parts, cap: u64) -> Parts {
    let mut over = parts.iter().map(|p| p.2).sum::<u64>().saturating_sub(cap);
    for p in parts.iter_mut().rev() {
        let cut = over.min(p.2);
        p.2 -= cut;
        over -= cut;
    }
    parts
}

impl Kasir {
    /// Give money back for a paid order: the owner's to do (a cashier with
    /// the owner's approval). A cash refund leaves the open shift's drawer.
    pub async fn refund(&self, actor: &Actor, order_id: &str, req: RefundRequest) -> Result<Order> {
        // the request is checked before the right, so a typo doesn't use up
        // an owner's approval
        let reason = check_text("reason", req.reason.as_deref(), MAX_REASON_LEN)?
            .ok_or_else(|| Error::invalid("reason", "a refund needs a reason"))?;
        let approved_by = self.require(actor, Right::Refund).await?;
        let user_name = actor.name().map(str::to_string);
        let by = actor.confirmed_by().as_str();
        let method = req.method.unwrap_or(RefundMethod::Cash);
        let id = order_id.to_string();
        let now = self.now();
        let actor_at_till = actor.at_till();
        let given = approved_by.clone();
        let outcome = self.write_outcome(move |c| {
            let tx = c.transaction()?;
            let refused = |e| Ok((Err(e), vec![]));
            let Some(order) = store::get_order(&tx, OrderKey::OrderId(&id), now)? else {
                return refused(Error::NotFound(Missing::Order(id)));
            };
            let shift_id = store::open_shift(&tx)?.map(|s| s.id);
            if method == RefundMethod::Cash && shift_id.is_none() && actor_at_till {
                return refused(Error::NoOpenShift { open_by: None });
            }
            if !order.is_paid() {
                return refused(Error::NotRefundable(format!(
                    "order {} is {}, not paid: only a paid sale is refunded (an unpaid one is cancelled)",
                    order.order_id,
                    order.status.as_str()
                )));
            }
            let paid = paid_total(&order);
            let left = paid.saturating_sub(order.refunded_amount);
            if left == 0 {
                return refused(Error::NotRefundable(format!(
                    "order {} is already refunded in full (Rp {})",
                    order.order_id, order.refunded_amount
                )));
            }
            let items = order.sale.as_ref().map(|s| s.items.as_slice()).unwrap_or(&[]);
            let parts = match &req.lines {
                Some(asked) if order.sale.is_none() => {
                    let _ = asked;
                    return refused(Error::invalid(
                        "lines",
                        "this order was made from an amount, not a cart: it is refunded in full",
                    ));
                }
                Some(asked) if asked.is_empty() => {
                    return refused(Error::invalid("lines", "name at least one line to refund"))
                }
                Some(asked) => match parts_asked(items, asked) {
                    Ok(p) => capped(p, left),
                    Err(e) => return refused(e),
                },
                None => capped(parts_left(items), left),
            };
            let amount = match &req.lines {
                Some(_) => parts.iter().map(|p| p.2).sum::<u64>(),
                None => left,
            };
            if amount == 0 {
                return refused(Error::NotRefundable(format!(
                    "these lines of order {} come to Rp 0 left to refund",
                    order.order_id
                )));
            }
            for &(line_no, units, rupiah) in &parts {
                store::refund_line(&tx, order.id, line_no, units, rupiah)?;
                if let Some(pid) = items
                    .iter()
                    .find(|i| i.line_no == line_no)
                    .and_then(|i| i.product_id)
                {
                    store::adjust_stock(&tx, pid, units as i64)?;
                }
            }
            let lines = req.lines.as_ref().map(|_| {
                serde_json::to_string(
                    &parts
                        .iter()
                        .map(|(l, q, a)| serde_json::json!({"line_no": l, "quantity": q, "amount": a}))
                        .collect::<Vec<_>>(),
                )
                .expect("plain data serializes")
            });
            store::insert_refund(
                &tx,
                &RefundRow {
                    order_pk: order.id,
                    amount,
                    method,
                    reason: &reason,
                    lines,
                    actor: by,
                    at: now,
                    shift_id,
                    user_name: user_name.as_deref(),
                    approved_by: approved_by.as_deref(),
                },
            )?;
            let order = lifecycle::reload(&tx, order.id, now)?;
            let (order, change) = lifecycle::refunded(&tx, &order, by, now)?;
            if let Some(name) = &user_name {
                store::stamp_events(&tx, &[change.id], name, approved_by.as_deref())?;
            }
            tx.commit()?;
            Ok((Ok(order), vec![change]))
        })
        .await;
        self.settle(actor, Right::Refund, given, &outcome).await;
        outcome
    }
}
