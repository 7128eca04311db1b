//! An order's lifecycle, in one place: `pending → awaiting_confirmation →
//! paid`, `cancelled`, `expired`, and refunds of a paid order. Every state
//! change goes through [`apply`], which writes the new status, its event and
//! its webhook in the caller's transaction (and, when an order becomes paid,
//! takes its stock), so none of them can exist without the others.

use crate::clock::Millis;
use crate::error::{Attempted, Error, Result};
use crate::model::{Order, OrderChange, OrderEvent, OrderStatus};
use crate::store::{self, OrderKey, Transition};
use rusqlite::Transaction;

/// What is asked of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The customer pressed "Sudah Bayar" on the payment page.
    CustomerConfirm,
    /// The merchant (till or API) saw the money: the order is paid.
    Verify,
    /// Evidence (the phone's notification, a bank statement) shows the money
    /// arrived while the order was open. It may have expired since: the
    /// customer paid in time, so it is paid still.
    MoneySeen,
    Cancel,
    /// Its time ran out.
    Expire,
}

/// The transition table: where `step` takes an order in status `from`.
/// `Ok(None)`: nothing changes and that is fine (asking again is harmless).
pub fn next(
    from: OrderStatus,
    step: Step,
) -> std::result::Result<Option<(OrderStatus, OrderEvent)>, Refusal> {
    use OrderStatus::*;
    match (step, from) {
        (Step::CustomerConfirm, Pending) => Ok(Some((
            AwaitingConfirmation,
            OrderEvent::AwaitingConfirmation,
        ))),
        (Step::CustomerConfirm, AwaitingConfirmation | Paid) => Ok(None),
        (Step::Verify, Pending | AwaitingConfirmation) => Ok(Some((Paid, OrderEvent::Confirmed))),
        (Step::Verify, Paid) => Err(Refusal::AlreadyPaid),
        (Step::MoneySeen, Pending | AwaitingConfirmation | Expired) => {
            Ok(Some((Paid, OrderEvent::Confirmed)))
        }
        (Step::MoneySeen, Paid) => Err(Refusal::AlreadyPaid),
        (Step::Cancel, Pending | AwaitingConfirmation) => {
            Ok(Some((Cancelled, OrderEvent::Cancelled)))
        }
        (Step::Cancel, Cancelled) => Ok(None),
        (Step::Cancel, Paid) => Err(Refusal::Paid),
        (Step::Expire, Pending | AwaitingConfirmation) => Ok(Some((Expired, OrderEvent::Expired))),
        (Step::Expire, _) => Ok(None),
        (_, Expired | Cancelled) => Err(Refusal::Closed),
    }
}

/// Why the table refuses a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    AlreadyPaid,
    Paid,
    Closed,
}

fn refused(order: &Order, step: Step, why: Refusal) -> Error {
    match why {
        Refusal::AlreadyPaid => Error::AlreadyVerified,
        Refusal::Paid => Error::CannotCancelPaid,
        Refusal::Closed => Error::Closed {
            order_id: order.order_id.clone(),
            status: order.status,
            attempted: match step {
                Step::CustomerConfirm => Attempted::CustomerConfirm,
                Step::Verify | Step::MoneySeen => Attempted::Verify,
                Step::Cancel | Step::Expire => Attempted::Cancel,
            },
        },
    }
}

/// Take `order` through `step` in `tx`. An open order past its expiry is
/// first expired (with its own event), so the step sees what the customer
/// sees. The events are returned even when the step is refused: the
/// expiry is committed either way.
pub fn apply(
    tx: &Transaction<'_>,
    order: Order,
    step: Step,
    actor: &str,
    now: Millis,
) -> Result<(Result<Order>, Vec<OrderChange>)> {
    let (order, mut events) = expire_if_due(tx, order, now)?;
    match next(order.status, step) {
        Err(why) => Ok((Err(refused(&order, step, why)), events)),
        Ok(None) => Ok((Ok(order), events)),
        Ok(Some((to, event))) => {
            let (order, change) = transition(tx, &order, order.status, to, event, actor, now)?;
            events.push(change);
            Ok((Ok(order), events))
        }
    }
}

/// An open order past its expiry becomes expired now, with its event.
pub fn expire_if_due(
    tx: &Transaction<'_>,
    order: Order,
    now: Millis,
) -> Result<(Order, Vec<OrderChange>)> {
    // `order.status` already reads Expired when due; the row may still say open
    let stored = store::stored_status(tx, order.id)?;
    if stored.as_of(order.expires_at, now) != OrderStatus::Expired || !stored.is_open() {
        return Ok((order, vec![]));
    }
    let (order, change) = transition(
        tx,
        &order,
        stored,
        OrderStatus::Expired,
        OrderEvent::Expired,
        "system",
        now,
    )?;
    Ok((order, vec![change]))
}

/// The event of a new order, written with it. `order` is the order as
/// written: not read back, it is the write a busy API makes most (debug
/// builds, so every test, check it against what is stored).
pub fn created(
    tx: &Transaction<'_>,
    order: Order,
    actor: &str,
    now: Millis,
) -> Result<(Order, OrderChange)> {
    let id = store::insert_event(
        tx,
        order.id,
        OrderEvent::Created,
        None,
        OrderStatus::Pending,
        actor,
        now,
    )?;
    // an error, not a panic: a panic here would stop the writer thread
    #[cfg(debug_assertions)]
    if order != reload(tx, order.id, now)? {
        tracing::error!("a new order as written: {order:?}");
        return Err(Error::TaskFailed(
            "a new order as written differs from the stored one",
        ));
    }
    let change = change_of(&order, id, OrderEvent::Created, now);
    Ok((order, change))
}

fn transition(
    tx: &Transaction<'_>,
    order: &Order,
    from: OrderStatus,
    to: OrderStatus,
    event: OrderEvent,
    actor: &str,
    now: Millis,
) -> Result<(Order, OrderChange)> {
    let id = store::apply_transition(
        tx,
        &Transition {
            order_pk: order.id,
            from,
            to,
            event,
            actor,
            at: now,
        },
    )?;
    if to == OrderStatus::Paid {
        store::take_stock_of(tx, order.id)?;
    }
    let order = reload(tx, order.id, now)?;
    if event.is_webhook() {
        super::super::webhooks::enqueue(tx, &order, id, event, now)?;
    }
    let change = change_of(&order, id, event, now);
    Ok((order, change))
}

/// A refund was written in `tx`: its event and webhook `payment.refunded`.
/// The order stays paid; only a paid order is refunded.
pub fn refunded(
    tx: &Transaction<'_>,
    order: &Order,
    actor: &str,
    now: Millis,
) -> Result<(Order, OrderChange)> {
    debug_assert!(order.is_paid());
    let id = store::insert_event(
        tx,
        order.id,
        OrderEvent::Refunded,
        Some(OrderStatus::Paid),
        OrderStatus::Paid,
        actor,
        now,
    )?;
    let order = reload(tx, order.id, now)?;
    super::super::webhooks::enqueue(tx, &order, id, OrderEvent::Refunded, now)?;
    let change = change_of(&order, id, OrderEvent::Refunded, now);
    Ok((order, change))
}

/// The order as it is now in `tx`.
pub fn reload(tx: &Transaction<'_>, pk: i64, now: Millis) -> Result<Order> {
    store::get_order(tx, OrderKey::Pk(pk), now)?.ok_or(Error::StaleStatus)
}

fn change_of(order: &Order, id: i64, event: OrderEvent, at: Millis) -> OrderChange {
    OrderChange {
        id,
        event,
        order_id: order.order_id.clone(),
        link_code: order.link_code.clone(),
        status: order.status,
        amount: order.amount,
        total_amount: order.total_amount,
        confirmed_by: order.confirmed_by,
        created_at: at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    /// The whole table, as a shop reads it.
    #[test]
    fn the_transition_table() {
        let all = [Pending, AwaitingConfirmation, Paid, Cancelled, Expired];
        let steps = [
            Step::CustomerConfirm,
            Step::Verify,
            Step::MoneySeen,
            Step::Cancel,
            Step::Expire,
        ];
        let mut seen = vec![];
        for from in all {
            for step in steps {
                seen.push((from, step, next(from, step)));
            }
        }
        let moves: Vec<_> = seen
            .iter()
            .filter_map(|(f, s, n)| match n {
                Ok(Some((to, _))) => Some((*f, *s, *to)),
                _ => None,
            })
            .collect();
        assert_eq!(
            moves,
            vec![
                (Pending, Step::CustomerConfirm, AwaitingConfirmation),
                (Pending, Step::Verify, Paid),
                (Pending, Step::MoneySeen, Paid),
                (Pending, Step::Cancel, Cancelled),
                (Pending, Step::Expire, Expired),
                (AwaitingConfirmation, Step::Verify, Paid),
                (AwaitingConfirmation, Step::MoneySeen, Paid),
                (AwaitingConfirmation, Step::Cancel, Cancelled),
                (AwaitingConfirmation, Step::Expire, Expired),
                // the money was seen while it was open: paid after all
                (Expired, Step::MoneySeen, Paid),
            ]
        );
        // a paid order is never cancelled or expired; a closed one never paid
        assert_eq!(next(Paid, Step::Cancel), Err(Refusal::Paid));
        assert_eq!(next(Paid, Step::Expire), Ok(None));
        assert_eq!(next(Expired, Step::Verify), Err(Refusal::Closed));
        assert_eq!(next(Cancelled, Step::Verify), Err(Refusal::Closed));
        assert_eq!(next(Cancelled, Step::MoneySeen), Err(Refusal::Closed));
        assert_eq!(next(Paid, Step::MoneySeen), Err(Refusal::AlreadyPaid));
        assert_eq!(next(Cancelled, Step::CustomerConfirm), Err(Refusal::Closed));
        // asking again is harmless
        assert_eq!(next(AwaitingConfirmation, Step::CustomerConfirm), Ok(None));
        assert_eq!(next(Cancelled, Step::Cancel), Ok(None));
        assert_eq!(next(Paid, Step::Verify), Err(Refusal::AlreadyPaid));
    }
}
