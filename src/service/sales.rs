//! A sale from a cart: pricing it for the till, taking it in cash, by QRIS or
//! split, and parking it as an open bill. The money is `cart`'s; the order
//! and its events are `orders`'s.

use super::cart::{self, Discount, Line, PricedCart, MAX_NAME_LEN, MAX_NOTE_LEN, MAX_QUANTITY};
use super::checks::check_text;
use super::orders::lifecycle::{self, Step};
use super::orders::{insert_order, CheckedOrder, MadeFrom};
use super::payment_links::generate_order_id;
use super::people::{Actor, Right};
use super::products::check_price;
use super::settings::read_settings;
use super::Kasir;
use crate::error::{Error, Missing, Result};
use crate::model::{
    CashTender, ConfirmedBy, OpenBill, Order, OrderItem, OrderSource, PaymentMethod, Sale,
    SaleTotals,
};
use crate::store;
use serde::{Deserialize, Serialize};

pub const MAX_BILL_NAME_LEN: usize = 60;
const SUMMARY_LEN: usize = 80;

/// A cart as the till sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Cart {
    #[serde(default)]
    pub lines: Vec<CartLine>,
    #[serde(default)]
    pub discount: Option<Discount>,
}

/// A product from the catalogue (`product_id`), or a line typed by hand
/// (`name` and `unit_price`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CartLine {
    #[serde(default)]
    pub product_id: Option<i64>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub unit_price: Option<i64>,
    pub quantity: i64,
    #[serde(default)]
    pub discount: Option<Discount>,
    #[serde(default)]
    pub note: Option<String>,
}

/// How the customer pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Tender {
    Qris,
    /// `tendered`: what the customer handed over.
    Cash {
        tendered: i64,
    },
    /// `cash` now, the rest by QRIS.
    Split {
        cash: i64,
    },
}

/// The lines with their names and prices known, from the catalogue in `c`.
fn resolve(c: &rusqlite::Connection, cart: &Cart) -> Result<Vec<Line>> {
    if cart.lines.len() > cart::MAX_LINES {
        return Err(Error::invalid(
            "lines",
            format!("a cart holds at most {} lines", cart::MAX_LINES),
        ));
    }
    cart.lines
        .iter()
        .map(|l| {
            if !(1..=MAX_QUANTITY).contains(&l.quantity) {
                return Err(Error::invalid(
                    "quantity",
                    format!("a quantity is 1 to {MAX_QUANTITY}, got {}", l.quantity),
                ));
            }
            let note = check_text("note", l.note.as_deref(), MAX_NOTE_LEN)?;
            let (name, unit_price) = match l.product_id {
                Some(id) => {
                    let p =
                        store::get_product(c, id)?.ok_or(Error::NotFound(Missing::Product(id)))?;
                    if !p.active {
                        return Err(Error::invalid(
                            "product_id",
                            format!("{} is no longer sold", p.name),
                        ));
                    }
                    (p.name, p.price)
                }
                None => (
                    check_text("name", l.name.as_deref(), MAX_NAME_LEN)?.ok_or_else(|| {
                        Error::invalid("name", "a line without a product needs a name")
                    })?,
                    check_price("unit_price", l.unit_price)?,
                ),
            };
            Ok(Line {
                product_id: l.product_id,
                name,
                unit_price,
                quantity: l.quantity as u32,
                discount: l.discount,
                note,
            })
        })
        .collect()
}

fn price_in(c: &rusqlite::Connection, cart: &Cart) -> Result<PricedCart> {
    let settings = read_settings(c)?;
    cart::price(&resolve(c, cart)?, cart.discount, &settings.tax_rules())
}

/// "Nasi goreng ×2, Es teh": the order's title.
pub fn summary(p: &PricedCart) -> String {
    let mut out = String::new();
    for (i, l) in p.lines.iter().enumerate() {
        let part = match l.quantity {
            1 => l.name.clone(),
            q => format!("{} ×{q}", l.name),
        };
        let sep = if out.is_empty() { "" } else { ", " };
        if out.chars().count() + sep.len() + part.chars().count() > SUMMARY_LEN && !out.is_empty() {
            out.push_str(&format!(" +{}", p.lines.len() - i));
            break;
        }
        out.push_str(sep);
        out.push_str(&part);
    }
    out
}

/// What a tender makes of a priced cart: the order's method and amount (the
/// QRIS part), its totals and its cash.
fn plan(p: &PricedCart, tender: Tender) -> Result<(PaymentMethod, u64, SaleTotals, CashTender)> {
    let totals = |total: u64, rounding: i64| SaleTotals {
        subtotal: p.subtotal,
        discount: p.discount,
        service: p.service,
        tax: p.tax,
        tax_inclusive: p.tax_inclusive,
        rounding,
        total,
    };
    let nothing = || Error::invalid("lines", "the cart comes to Rp 0: there is nothing to pay");
    if p.total > qris::MAX_AMOUNT {
        return Err(Error::invalid(
            "lines",
            format!(
                "the cart comes to Rp {}, more than the Rp {} a QRIS or a till can take",
                p.total,
                qris::MAX_AMOUNT
            ),
        ));
    }
    match tender {
        Tender::Qris => {
            if p.total == 0 {
                return Err(nothing());
            }
            Ok((
                PaymentMethod::Qris,
                p.total,
                totals(p.total, 0),
                CashTender::default(),
            ))
        }
        Tender::Cash { tendered } => {
            let due = p.cash_total;
            if due == 0 {
                return Err(nothing());
            }
            if tendered > qris::MAX_AMOUNT as i64 {
                return Err(Error::invalid(
                    "tendered",
                    format!("Rp {tendered} tendered is not a sum of cash; check the amount"),
                ));
            }
            if tendered < due as i64 {
                return Err(Error::invalid(
                    "tendered",
                    format!("Rp {tendered} tendered is less than the Rp {due} due"),
                ));
            }
            let cash = CashTender {
                cash_amount: due,
                cash_tendered: tendered as u64,
                change_amount: tendered as u64 - due,
            };
            Ok((PaymentMethod::Cash, due, totals(due, p.rounding), cash))
        }
        Tender::Split { cash } => {
            if cash < 1 || cash as u64 >= p.total {
                return Err(Error::invalid(
                    "cash",
                    format!(
                        "the cash part of a split payment is Rp 1 to Rp {}, less than the Rp {} total; got {cash}",
                        p.total.saturating_sub(1),
                        p.total
                    ),
                ));
            }
            let cash = cash as u64;
            let tender = CashTender {
                cash_amount: cash,
                cash_tendered: cash,
                change_amount: 0,
            };
            Ok((
                PaymentMethod::Split,
                p.total - cash,
                totals(p.total, 0),
                tender,
            ))
        }
    }
}

/// The cart's money with what a tender would make of it, as the cashier types.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    #[serde(flatten)]
    pub cart: PricedCart,
    pub tender: Option<TenderQuote>,
    /// The cart's discounts pass the cashier's limit: checkout needs the owner.
    pub discount_needs_owner: bool,
}

/// The cart's discounts (its lines' and its own) are more than `limit_bp` of
/// its price before them.
fn discount_over(p: &PricedCart, limit_bp: u32) -> bool {
    let gross: u128 = p.lines.iter().map(|l| l.gross as u128).sum();
    let off: u128 = p.lines.iter().map(|l| l.discount as u128).sum::<u128>() + p.discount as u128;
    off * 10_000 > gross * limit_bp as u128
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TenderQuote {
    /// Cash the customer owes now: the rounded cash total, or a split's cash part.
    pub cash_due: u64,
    /// What the QR will charge (before its unique code).
    pub qris_amount: u64,
    /// Cash back, once enough was tendered.
    pub change: Option<u64>,
    /// How much more cash is needed; 0 when enough.
    pub short: u64,
}

fn quote(p: &PricedCart, tender: Tender) -> TenderQuote {
    match tender {
        Tender::Qris => TenderQuote {
            cash_due: 0,
            qris_amount: p.total,
            change: None,
            short: 0,
        },
        Tender::Cash { tendered } => {
            let due = p.cash_total;
            let given = tendered.max(0) as u64;
            TenderQuote {
                cash_due: due,
                qris_amount: 0,
                change: given.checked_sub(due),
                short: due.saturating_sub(given),
            }
        }
        Tender::Split { cash } => {
            let cash = (cash.max(0) as u64).min(p.total);
            TenderQuote {
                cash_due: cash,
                qris_amount: p.total - cash,
                change: None,
                short: 0,
            }
        }
    }
}

fn items_of(p: &PricedCart) -> Vec<OrderItem> {
    p.lines
        .iter()
        .enumerate()
        .map(|(i, l)| OrderItem {
            line_no: i as u32 + 1,
            product_id: l.product_id,
            name: l.name.clone(),
            unit_price: l.unit_price,
            quantity: l.quantity,
            discount: l.discount,
            total: l.total,
            note: l.note.clone(),
            refunded_quantity: 0,
            refunded_amount: 0,
        })
        .collect()
}

impl Kasir {
    /// The cart's money as the till shows it, before it is paid.
    pub async fn price_cart(&self, cart: Cart) -> Result<PricedCart> {
        self.inner.db.read(move |c| price_in(c, &cart)).await
    }

    /// The cart's money and, with a tender, the cash due, the change and the
    /// QRIS part: the tender dialog's numbers while the cashier types.
    pub async fn quote(&self, actor: &Actor, cart: Cart, tender: Option<Tender>) -> Result<Quote> {
        let cart = self.price_cart(cart).await?;
        let limit = self.settings().await?.cashier_discount_limit_bp;
        Ok(Quote {
            tender: tender.map(|t| quote(&cart, t)),
            discount_needs_owner: !actor.is_owner() && discount_over(&cart, limit),
            cart,
        })
    }

    /// Sell the cart. Cash: paid at once. QRIS or split: an open order for the
    /// QRIS part, shown as any other. `bill_id`: the open bill it came from,
    /// closed with it. At the till, a sale of the cashier's open shift; a
    /// discount past the cashier's limit needs the owner.
    pub async fn checkout(
        &self,
        actor: &Actor,
        cart: Cart,
        tender: Tender,
        bill_id: Option<i64>,
    ) -> Result<Order> {
        let mut approved_by = None;
        if !actor.is_owner() {
            let limit = self.settings().await?.cashier_discount_limit_bp;
            if discount_over(&self.price_cart(cart.clone()).await?, limit) {
                approved_by = self.require(actor, Right::BigDiscount).await?;
            }
        }
        let asked = actor;
        let given = approved_by.clone();
        let actor = actor.clone();
        let now = self.now();
        let outcome = self
            .write_outcome(move |c| {
                let tx = c.transaction()?;
                let settings = read_settings(&tx)?;
                let refused = |e| Ok((Err(e), vec![]));
                let made_by = match super::shifts::sale_shift(&tx, &actor) {
                    Ok(m) => m,
                    Err(e) => return refused(e),
                };
                let priced = match price_in(&tx, &cart) {
                    Ok(p) => p,
                    Err(e @ (Error::InvalidField { .. } | Error::NotFound(_))) => {
                        return refused(e)
                    }
                    Err(e) => return Err(e),
                };
                let (method, amount, totals, cash) = match plan(&priced, tender) {
                    Ok(p) => p,
                    Err(e) => return refused(e),
                };
                let req = CheckedOrder {
                    amount,
                    fee: None,
                    order_id: generate_order_id(),
                    description: Some(summary(&priced)),
                    webhook_url: None,
                    callback_url: None,
                    expires_in_minutes: None,
                    qris_id: None,
                };
                let paid_now = method == PaymentMethod::Cash;
                let q = req.static_qris(&tx)?;
                let from = MadeFrom {
                    settings: &settings,
                    qris: &q,
                };
                let (order, created) = match insert_order(
                    &tx,
                    from,
                    &req,
                    OrderSource::Till,
                    !paid_now,
                    made_by.as_ref(),
                    now,
                )? {
                    Ok(made) => made,
                    Err(e) => return refused(e),
                };
                store::set_payment_method(&tx, order.id, method)?;
                let sale = Sale {
                    items: items_of(&priced),
                    totals,
                    cash,
                };
                store::insert_sale(&tx, order.id, &sale)?;
                if let Some(b) = bill_id {
                    if !store::delete_bill(&tx, b)? {
                        return refused(Error::NotFound(Missing::OpenBill(b)));
                    }
                }
                if let (Some(name), Some(_)) = (actor.name(), &approved_by) {
                    store::stamp_events(&tx, &[created.id], name, approved_by.as_deref())?;
                }
                let mut events = vec![created];
                let mut order = lifecycle::reload(&tx, order.id, now)?;
                if paid_now {
                    let (outcome, evs) =
                        lifecycle::apply(&tx, order, Step::Verify, "dashboard", now)?;
                    if let Some(name) = actor.name() {
                        let ids: Vec<i64> = evs.iter().map(|e| e.id).collect();
                        store::stamp_events(&tx, &ids, name, None)?;
                    }
                    events.extend(evs);
                    let paid = outcome?;
                    store::set_payer(&tx, paid.id, ConfirmedBy::Dashboard, None, None)?;
                    order = lifecycle::reload(&tx, paid.id, now)?;
                    super::printer::queue_if_automatic(&tx, &order, now)?;
                    super::printer::open_drawer_for_cash(&tx, &order, now)?;
                } else if method == PaymentMethod::Split {
                    // the cash part is in the cashier's hand now; the QRIS part follows
                    super::printer::open_drawer_for_cash(&tx, &order, now)?;
                }
                tx.commit()?;
                Ok((Ok(order), events))
            })
            .await;
        self.settle(asked, Right::BigDiscount, given, &outcome)
            .await;
        outcome
    }

    // ---------- open bills ----------

    /// Park a cart under a name ("Meja 3"); with `id`, update that bill.
    pub async fn park_bill(
        &self,
        id: Option<i64>,
        name: Option<String>,
        cart: Cart,
    ) -> Result<OpenBill> {
        let name = check_text("name", name.as_deref(), MAX_BILL_NAME_LEN)?
            .ok_or_else(|| Error::invalid("name", "an open bill needs a name, e.g. Meja 3"))?;
        let now = self.now();
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                // a bill that can't be priced can't be paid later either
                let priced = price_in(&tx, &cart)?;
                let text = serde_json::to_string(&cart).expect("a cart serializes");
                let id = store::save_bill(&tx, id, &name, &text, now)?
                    .ok_or(Error::NotFound(Missing::OpenBill(id.unwrap_or_default())))?;
                let row = store::get_bill(&tx, id)?.ok_or(Error::StaleStatus)?;
                tx.commit()?;
                Ok(bill_of(row, Some(&priced)))
            })
            .await
    }

    pub async fn open_bills(&self) -> Result<Vec<OpenBill>> {
        self.inner
            .db
            .read(|c| {
                store::list_bills(c)?
                    .into_iter()
                    .map(|row| {
                        let priced = serde_json::from_str::<Cart>(&row.2)
                            .ok()
                            .and_then(|cart| price_in(c, &cart).ok());
                        Ok(bill_of(row, priced.as_ref()))
                    })
                    .collect()
            })
            .await
    }

    /// Take a bill back to the till's cart. It stays open (marked taken)
    /// until checkout closes it, it is parked again or discarded, so a cart
    /// cleared by mistake loses nothing.
    pub async fn take_bill(&self, id: i64) -> Result<OpenBill> {
        let now = self.now();
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                store::get_bill(&tx, id)?.ok_or(Error::NotFound(Missing::OpenBill(id)))?;
                store::take_bill(&tx, id, now)?;
                let row = store::get_bill(&tx, id)?.ok_or(Error::StaleStatus)?;
                let priced = serde_json::from_str::<Cart>(&row.2)
                    .ok()
                    .and_then(|cart| price_in(&tx, &cart).ok());
                tx.commit()?;
                Ok(bill_of(row, priced.as_ref()))
            })
            .await
    }

    pub async fn discard_bill(&self, id: i64) -> Result<()> {
        self.inner
            .db
            .write(move |c| {
                if store::delete_bill(c, id)? {
                    Ok(())
                } else {
                    Err(Error::NotFound(Missing::OpenBill(id)))
                }
            })
            .await
    }
}

fn bill_of(row: store::BillRow, priced: Option<&PricedCart>) -> OpenBill {
    let (id, name, cart, created_at, updated_at, taken_at) = row;
    OpenBill {
        id,
        name,
        cart: serde_json::from_str(&cart).unwrap_or(serde_json::Value::Null),
        total: priced.map(|p| p.total).unwrap_or(0),
        item_count: priced.map(|p| p.item_count).unwrap_or(0),
        taken: taken_at.is_some(),
        created_at,
        updated_at,
    }
}

#[cfg(test)]
mod tests;
