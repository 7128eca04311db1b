//! Payment links: the public page a customer opens (`/p/{code}`), their
//! "Sudah Bayar", the view count, and deleting a link.

use super::merchant_limits::Counted;
use super::orders::lifecycle::{self, Step};
use super::{Actor, Kasir};
use crate::error::{Error, Missing, Result};
use crate::model::{Order, OrderStatus};
use crate::store::{self, OrderKey};
use rand::Rng;

/// Link codes: 8 characters from 32 unambiguous letters and digits (no 0/O, 1/I),
/// 40 bits from the OS-seeded CSPRNG; guessing one is as hard as 2^40 tries.
pub(super) const LINK_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

pub(super) fn random_code(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| LINK_ALPHABET[rng.random_range(0..LINK_ALPHABET.len())] as char)
        .collect()
}

pub(super) fn generate_link_code() -> String {
    random_code(8)
}

pub(super) fn generate_order_id() -> String {
    format!("ORD-{}", random_code(11))
}

impl Kasir {
    /// A payment link as the customer sees it; deleted links are not found.
    pub async fn payment_link(&self, link_code: &str) -> Result<Order> {
        let code = link_code.to_string();
        let now = self.now();
        self.inner
            .db
            .read(move |c| {
                store::get_order(c, OrderKey::LinkCode(&code), now)?
                    .filter(|o| o.is_active)
                    .ok_or(Error::NotFound(Missing::PaymentLink))
            })
            .await
    }

    /// The customer pressed "Sudah Bayar". Pressing it again changes nothing.
    pub async fn confirm_paid_by_customer(&self, link_code: &str) -> Result<Order> {
        let code = link_code.to_string();
        let now = self.now();
        let per_minute = self.settings().await?.customer_confirmations_per_minute;
        let this = self.clone();
        self.write_outcome(move |c| {
            let tx = c.transaction()?;
            let Some(order) =
                store::get_order(&tx, OrderKey::LinkCode(&code), now)?.filter(|o| o.is_active)
            else {
                return Ok((Err(Error::NotFound(Missing::PaymentLink)), vec![]));
            };
            // only a press that moves the order on counts: a repeat changes nothing
            if order.status == OrderStatus::Pending {
                if let Err(busy) = this
                    .inner
                    .merchant_limits
                    .admit(Counted::CustomerConfirmation, per_minute)
                {
                    return Ok((Err(busy), vec![]));
                }
            }
            let outcome = lifecycle::apply(&tx, order, Step::CustomerConfirm, "customer", now)?;
            tx.commit()?;
            Ok(outcome)
        })
        .await
    }

    /// Delete a payment link: it stops working, and an unpaid order is
    /// cancelled. A cashier deletes their own links; another's needs the owner.
    pub async fn delete_payment_link(&self, actor: &Actor, id: i64) -> Result<Order> {
        let now = self.now();
        let mut approved_by = None;
        if let Some(p) = actor.person().filter(|_| !actor.is_owner()) {
            let made_by = self
                .inner
                .db
                .read(move |c| store::get_order(c, OrderKey::Pk(id), now))
                .await?
                .map(|o| o.cashier_id);
            if made_by.is_some_and(|by| by != Some(p.user.id)) {
                approved_by = self.require(actor, super::Right::CancelOthersOrder).await?;
            }
        }
        let stamp = super::orders::stamp_of(actor, approved_by.clone());
        let by = actor.confirmed_by();
        let outcome = self
            .write_outcome(move |c| {
                let tx = c.transaction()?;
                let Some(order) =
                    store::get_order(&tx, OrderKey::Pk(id), now)?.filter(|o| o.is_active)
                else {
                    return Ok((Err(Error::NotFound(Missing::PaymentLinkId(id))), vec![]));
                };
                let (order, mut events) = lifecycle::expire_if_due(&tx, order, now)?;
                let order = if order.status.is_open() {
                    let (outcome, cancelled) =
                        lifecycle::apply(&tx, order, Step::Cancel, by.as_str(), now)?;
                    if let Some((name, approved)) = &stamp {
                        let ids: Vec<i64> = cancelled.iter().map(|e| e.id).collect();
                        store::stamp_events(&tx, &ids, name, approved.as_deref())?;
                    }
                    events.extend(cancelled);
                    // an open order can always be cancelled
                    outcome?
                } else {
                    order
                };
                store::deactivate(&tx, order.id)?;
                let order = lifecycle::reload(&tx, order.id, now)?;
                tx.commit()?;
                Ok((Ok(order), events))
            })
            .await;
        self.settle(
            actor,
            super::Right::CancelOthersOrder,
            approved_by,
            &outcome,
        )
        .await;
        outcome
    }

    /// A customer opened the payment page (counted by the page's script, so
    /// link-preview bots are not counted).
    pub async fn record_view(&self, link_code: &str) -> Result<()> {
        let code = link_code.to_string();
        let found = self
            .inner
            .db
            .write(move |c| store::count_view(c, &code))
            .await?;
        if found {
            Ok(())
        } else {
            Err(Error::NotFound(Missing::PaymentLink))
        }
    }
}
