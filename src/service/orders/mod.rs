//! Orders: making one (its dynamic QRIS), reading and listing them, and the
//! merchant's steps on them (verify, cancel). The states and their changes
//! are [`lifecycle`]'s.

pub mod lifecycle;
#[cfg(test)]
mod tests;

use super::checks::{check_amount, check_fee, check_order_id, check_text, optional_url};
use super::payment_links::{generate_link_code, generate_order_id};
use super::people::{Actor, Right};
use super::settings::read_settings;
use super::{Kasir, MAX_DESCRIPTION_LEN, MAX_PAYER_FIELD_LEN};
use crate::clock::Millis;
use crate::error::{Error, Missing, Result};
use crate::model::*;
use crate::store::{self, InsertOrderError, OrderKey, OrderRow};
use lifecycle::Step;

/// A new order's request, checked: what is stored, less what the writer decides.
pub(super) struct CheckedOrder {
    pub amount: u64,
    pub fee: Option<FeeSpec>,
    pub order_id: String,
    pub description: Option<String>,
    pub webhook_url: Option<String>,
    pub callback_url: Option<String>,
    pub expires_in_minutes: Option<i64>,
    pub qris_id: Option<i64>,
}

impl CheckedOrder {
    pub fn check(req: NewOrder) -> Result<CheckedOrder> {
        let amount = check_amount(req.amount)?;
        let fee = check_fee(req.fee_type.as_deref(), req.fee_value.as_deref())?;
        let order_id = match req
            .order_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(id) => check_order_id(id)?.to_string(),
            None => generate_order_id(),
        };
        let description = check_text(
            "description",
            req.description.as_deref(),
            MAX_DESCRIPTION_LEN,
        )?;
        let webhook_url = optional_url("webhook_url", req.webhook_url.as_deref())?;
        let callback_url = optional_url("callback_url", req.callback_url.as_deref())?;
        if let Some(m) = req.expires_in_minutes {
            if !(1..=60 * 24 * 90).contains(&m) {
                return Err(Error::invalid(
                    "expires_in",
                    "expiry must be between 1 minute and 90 days",
                ));
            }
        }
        Ok(CheckedOrder {
            amount,
            fee,
            order_id,
            description,
            webhook_url,
            callback_url,
            expires_in_minutes: req.expires_in_minutes,
            qris_id: req.qris_id,
        })
    }

    /// The static QRIS this order is made from, in `c`.
    pub fn static_qris(&self, c: &rusqlite::Connection) -> Result<StaticQris> {
        match self.qris_id {
            Some(id) => store::get_static_qris(c, id)?.ok_or_else(|| {
                Error::invalid(
                    "qris_id",
                    format!("qris_id {id} does not match any stored static QRIS"),
                )
            }),
            None => {
                let id = store::default_static_qris_id(c)?.ok_or(Error::NoStaticQris)?;
                store::get_static_qris(c, id)?.ok_or(Error::NoStaticQris)
            }
        }
    }

    /// The dynamic QRIS the customer scans: the static one charging
    /// `charged` (the amount with its unique code).
    pub fn payload(&self, q: &StaticQris, charged: u64) -> Result<String> {
        qris::to_dynamic(
            &q.payload,
            &qris::DynamicRequest {
                amount: charged,
                fee: self.fee.map(FeeSpec::to_qris),
                reference: None,
            },
        )
        .map_err(|e| Error::InvalidQris {
            message: e.to_string(),
            issues: vec![],
        })
    }
}

/// Who to name on an order's events: the person (and approving owner), if one acted.
pub(super) fn stamp_of(
    actor: &Actor,
    approved_by: Option<String>,
) -> Option<(String, Option<String>)> {
    actor.name().map(|n| (n.to_string(), approved_by))
}

/// Fresh link codes tried before giving up (a clash is a 2^-40 event).
const LINK_CODE_TRIES: usize = 5;

/// Insert `row` under a fresh link code from `code`, trying a few: the
/// order as written. The inner error is the caller's to answer (nothing was
/// written).
fn insert_with_fresh_code(
    tx: &rusqlite::Transaction<'_>,
    row: &OrderRow<'_>,
    q: &StaticQris,
    mut code: impl FnMut() -> String,
) -> Result<Result<Order>> {
    for _ in 0..LINK_CODE_TRIES {
        let link_code = code();
        let row = OrderRow {
            link_code: &link_code,
            ..*row
        };
        match store::insert_order(tx, &row) {
            Ok(pk) => return Ok(Ok(row.as_written(pk, q))),
            Err(InsertOrderError::DuplicateOrderId) => {
                return Ok(Err(Error::DuplicateOrderId(row.order_id.to_string())))
            }
            Err(InsertOrderError::DuplicateLinkCode) => {}
            Err(InsertOrderError::Other(e)) => return Err(e),
        }
    }
    Ok(Err(Error::LinkCodesExhausted))
}

/// The default static QRIS, as a group of orders reads it once
/// ([`crate::db::Group::read_once`] keeps one value per type).
#[derive(Clone)]
struct DefaultQris(StaticQris);

/// What a new order is made from: the shop's settings and a static QRIS.
pub(super) struct MadeFrom<'a> {
    pub settings: &'a super::Settings,
    pub qris: &'a StaticQris,
}

/// Write a new order and its `order.created` event in `tx`. With `unique`
/// off (a cash sale, paid at once) no unique code is added. `Ok(Err)` is a
/// refusal: nothing was written.
pub(super) fn insert_order(
    tx: &rusqlite::Transaction<'_>,
    from: MadeFrom<'_>,
    req: &CheckedOrder,
    source: OrderSource,
    unique: bool,
    made_by: Option<&(UserRef, Option<i64>)>,
    now: Millis,
) -> Result<Result<(Order, OrderChange)>> {
    let charge = if unique {
        match super::unique_code::choose(tx, from.settings, req, now)? {
            Ok(charge) => charge,
            Err(refused) => return Ok(Err(refused)),
        }
    } else {
        super::unique_code::without_code(req)
    };
    let payload = req.payload(from.qris, charge.charged)?;
    let expiry = req
        .expires_in_minutes
        .unwrap_or(from.settings.order_expiry_minutes);
    let row = OrderRow {
        order_id: &req.order_id,
        link_code: "",
        qris_id: from.qris.id,
        source,
        amount: req.amount,
        unique_code: charge.unique_code,
        fee: req.fee,
        fee_amount: charge.fee_amount,
        total_amount: charge.total_amount,
        description: req.description.as_deref(),
        payload: &payload,
        webhook_url: req.webhook_url.as_deref(),
        callback_url: req.callback_url.as_deref(),
        created_at: now,
        expires_at: now + expiry * 60_000,
    };
    let mut order = match insert_with_fresh_code(tx, &row, from.qris, generate_link_code)? {
        Ok(order) => order,
        Err(refused) => return Ok(Err(refused)),
    };
    if let Some((user, shift_id)) = made_by {
        store::set_cashier(tx, order.id, user, *shift_id)?;
        order.cashier_id = Some(user.id);
        order.cashier = Some(user.name.clone());
        order.shift_id = *shift_id;
    }
    let (order, change) = lifecycle::created(tx, order, source.as_str(), now)?;
    if let Some((user, _)) = made_by {
        store::stamp_events(tx, &[change.id], &user.name, None)?;
    }
    Ok(Ok((order, change)))
}

impl Kasir {
    /// Make an order: check the request, convert the static QRIS, store it.
    /// At the till it is a sale of the cashier's open shift, and names them.
    pub async fn create_order(
        &self,
        actor: &Actor,
        req: NewOrder,
        source: OrderSource,
    ) -> Result<Order> {
        let req = CheckedOrder::check(req)?;
        self.create_checked_order(actor, req, source).await
    }

    pub(super) async fn create_checked_order(
        &self,
        actor: &Actor,
        req: CheckedOrder,
        source: OrderSource,
    ) -> Result<Order> {
        let actor = actor.clone();
        self.check_receiver("webhook_url", req.webhook_url.as_deref())
            .await?;
        let now = self.now();
        // orders are the write a busy till makes most: several waiting at once
        // share one commit (`Db::write_grouped`); a refusal keeps nothing
        self.write_outcome_grouped(move |tx| {
            // no order changes the settings: read once for the orders sharing the commit
            let settings = tx.read_once(read_settings)?;
            if source == OrderSource::Widget {
                // counted in the writer's transaction, so concurrent widget
                // payments can't pass the cap together
                let max = settings.widget_open_orders_max;
                if store::count_open_from(tx, source, now)? >= max as i64 {
                    return Ok((
                        (
                            Err(Error::MerchantBusy {
                                message: format!("This shop has {max} widget payments waiting to be paid, its most at once; try again when some are paid or expire."),
                                retry_after_secs: None,
                            }),
                            vec![],
                        ),
                        false,
                    ));
                }
            }
            let made_by = match super::shifts::sale_shift(tx, &actor) {
                Ok(m) => m,
                Err(e) => return Ok(((Err(e), vec![]), false)),
            };
            // nor the static QRIS: the default one is read once too
            let q = match req.qris_id {
                Some(_) => req.static_qris(tx)?,
                None => tx.read_once(|tx| req.static_qris(tx).map(DefaultQris))?.0,
            };
            let from = MadeFrom {
                settings: &settings,
                qris: &q,
            };
            match insert_order(tx, from, &req, source, true, made_by.as_ref(), now)? {
                Ok((order, change)) => Ok(((Ok(order), vec![change]), true)),
                Err(refused) => Ok(((Err(refused), vec![]), false)),
            }
        })
        .await
    }

    pub async fn order(&self, order_id: &str) -> Result<Order> {
        let id = order_id.to_string();
        let now = self.now();
        self.inner
            .db
            .read(move |c| {
                store::get_order(c, OrderKey::OrderId(&id), now)?
                    .ok_or(Error::NotFound(Missing::Order(id)))
            })
            .await
    }

    pub async fn list_orders(&self, filter: OrderFilter) -> Result<(Vec<Order>, u64)> {
        let filter = OrderFilter {
            limit: filter.limit.clamp(1, 100),
            ..filter
        };
        let now = self.now();
        self.inner
            .db
            .read(move |c| store::list_orders(c, &filter, now))
            .await
    }

    /// Counts and totals per status of the orders created in [from, to).
    pub async fn totals(
        &self,
        from: Millis,
        to: Millis,
    ) -> Result<Vec<(OrderStatus, u64, u64, u64)>> {
        let now = self.now();
        self.inner
            .db
            .read(move |c| store::totals_by_status(c, from, to, now))
            .await
    }

    /// The merchant checked the money arrived: the order is paid. A cashier
    /// may, for any order (a customer-claimed QRIS included).
    pub async fn verify(
        &self,
        actor: &Actor,
        order_id: &str,
        payer_name: Option<String>,
        payer_note: Option<String>,
    ) -> Result<Order> {
        let payer_name = check_text("payer_name", payer_name.as_deref(), MAX_PAYER_FIELD_LEN)?;
        let payer_note = check_text("payer_note", payer_note.as_deref(), MAX_PAYER_FIELD_LEN)?;
        let by = actor.confirmed_by();
        self.step_order(
            order_id,
            Step::Verify,
            by.as_str(),
            stamp_of(actor, None),
            move |tx, order, now| {
                store::set_payer(
                    tx,
                    order.id,
                    by,
                    payer_name.as_deref(),
                    payer_note.as_deref(),
                )?;
                let order = lifecycle::reload(tx, order.id, now)?;
                // queued with the payment, once the receipt can say who confirmed it
                super::printer::queue_if_automatic(tx, &order, now)?;
                Ok(order)
            },
        )
        .await
    }

    /// Cancel an unpaid order. Cancelling a cancelled order changes nothing.
    /// A cashier cancels their own orders; another's needs the owner.
    pub async fn cancel(&self, actor: &Actor, order_id: &str) -> Result<Order> {
        let mut approved_by = None;
        if let Some(p) = actor.person().filter(|_| !actor.is_owner()) {
            let order = self.order(order_id).await?;
            if order.cashier_id != Some(p.user.id) {
                approved_by = self.require(actor, Right::CancelOthersOrder).await?;
            }
        }
        let outcome = self
            .step_order(
                order_id,
                Step::Cancel,
                actor.confirmed_by().as_str(),
                stamp_of(actor, approved_by.clone()),
                |_, order, _| Ok(order),
            )
            .await;
        self.settle(actor, Right::CancelOthersOrder, approved_by, &outcome)
            .await;
        outcome
    }

    /// Take the order `order_id` through `step`; `then` finishes a step that
    /// was taken, in the same transaction.
    async fn step_order<F>(
        &self,
        order_id: &str,
        step: Step,
        actor: &'static str,
        stamp: Option<(String, Option<String>)>,
        then: F,
    ) -> Result<Order>
    where
        F: FnOnce(&rusqlite::Transaction<'_>, Order, Millis) -> Result<Order> + Send + 'static,
    {
        let id = order_id.to_string();
        let now = self.now();
        self.write_outcome(move |c| {
            let tx = c.transaction()?;
            let Some(order) = store::get_order(&tx, OrderKey::OrderId(&id), now)? else {
                return Ok((Err(Error::NotFound(Missing::Order(id))), vec![]));
            };
            let (outcome, events) = lifecycle::apply(&tx, order, step, actor, now)?;
            if let Some((name, approved_by)) = &stamp {
                // the expiry a step may find is the system's, not theirs
                let theirs: Vec<i64> = events
                    .iter()
                    .filter(|e| e.event != OrderEvent::Expired)
                    .map(|e| e.id)
                    .collect();
                store::stamp_events(&tx, &theirs, name, approved_by.as_deref())?;
            }
            let outcome = match outcome {
                Ok(order) => Ok(then(&tx, order, now)?),
                Err(refused) => Err(refused),
            };
            tx.commit()?;
            Ok((outcome, events))
        })
        .await
    }

    /// Expire every open order past its expiry; returns how many.
    pub async fn expire_due(&self) -> Result<usize> {
        let now = self.now();
        self.write_outcome(move |c| {
            let tx = c.transaction()?;
            let mut events = vec![];
            for pk in store::due_for_expiry(&tx, now, 500)? {
                if let Some(order) = store::get_order(&tx, OrderKey::Pk(pk), now)? {
                    let (_, evs) = lifecycle::expire_if_due(&tx, order, now)?;
                    events.extend(evs);
                }
            }
            tx.commit()?;
            Ok((Ok(events.len()), events))
        })
        .await
    }

    /// The events of one order, oldest first.
    pub async fn order_events(&self, order_id: &str) -> Result<Vec<EventRecord>> {
        let id = order_id.to_string();
        let now = self.now();
        self.inner
            .db
            .read(move |c| {
                let o = store::get_order(c, OrderKey::OrderId(&id), now)?
                    .ok_or(Error::NotFound(Missing::Order(id)))?;
                store::events_of_order(c, o.id)
            })
            .await
    }
}
