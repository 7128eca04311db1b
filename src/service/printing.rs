//! Printed paper: a paid order's receipt, the day's closing report and the
//! counter's standee, all in the merchant's zone.

use super::orders::CheckedOrder;
use super::people::{Actor, Right};
use super::settings::read_settings;
use super::{blocking, parse_day, Kasir};
use crate::error::{Error, Missing, Result};
use crate::model::{NewOrder, Order, OrderSource, StaticQris};
use crate::pdf::{self, Paper};
use crate::store::{self, OrderKey};

fn merchant_of(q: &StaticQris) -> pdf::Merchant {
    pdf::Merchant {
        name: q.merchant_name.clone(),
        city: q.merchant_city.clone(),
        nmid: q.nmid.clone(),
    }
}

/// What `order`'s receipt says, for the PDF and the thermal printer alike;
/// an order still open gets its payment slip instead.
pub(super) fn receipt_of(
    c: &rusqlite::Connection,
    order: &Order,
    settings: &super::Settings,
) -> Result<crate::receipt::Receipt> {
    // the name and city the order was made under; the NMID of its sticker
    let merchant = pdf::Merchant {
        name: order.merchant_name.clone(),
        city: order.merchant_city.clone(),
        nmid: store::get_static_qris(c, order.qris_id)?.and_then(|q| q.nmid),
    };
    let input = crate::receipt::ReceiptInput {
        order,
        merchant: &merchant,
        zone: &settings.zone(),
        footer: settings.receipt_footer.as_deref(),
    };
    Ok(if order.is_paid() {
        crate::receipt::of_order(&input)
    } else {
        crate::receipt::payment_slip(&input)
    })
}

/// What the day's closing report says, for the A4 PDF and the thermal slip
/// alike: the orders made on `day` in the merchant's zone.
pub(super) fn daily_report(
    c: &rusqlite::Connection,
    day: chrono::NaiveDate,
    now: crate::clock::Millis,
) -> Result<pdf::report::DailyReport> {
    let settings = read_settings(c)?;
    let zone = settings.zone();
    let (from, to) = zone.day_bounds(day);
    let merchant = match store::default_static_qris_id(c)? {
        Some(id) => store::get_static_qris(c, id)?.map(|q| merchant_of(&q)),
        None => None,
    }
    .unwrap_or_default();
    Ok(pdf::report::DailyReport {
        merchant,
        day,
        totals: store::totals_by_status(c, from, to, now)?,
        paid: store::paid_orders_created_between(c, from, to)?,
        refunds: store::refunds_between(c, from, to)?,
        zone,
        printed_at: now,
    })
}

impl Kasir {
    /// The receipt of a paid order as a PDF; an unpaid order is refused.
    pub async fn receipt_pdf(&self, order_id: &str, paper: Paper) -> Result<Vec<u8>> {
        if !paper.is_receipt() {
            return Err(Error::invalid(
                "paper",
                "a receipt is printed on 58, 80 or a4",
            ));
        }
        let id = order_id.to_string();
        let now = self.now();
        self.inner
            .db
            .read(move |c| {
                let order = store::get_order(c, OrderKey::OrderId(&id), now)?
                    .ok_or(Error::NotFound(Missing::Order(id)))?;
                if !order.is_paid() {
                    return Err(Error::NotPaid {
                        order_id: order.order_id,
                        status: order.status,
                    });
                }
                let receipt = receipt_of(c, &order, &read_settings(c)?)?;
                Ok(pdf::receipt::render(&receipt, paper))
            })
            .await
    }

    /// The closing report of one calendar day (`YYYY-MM-DD`, in the merchant's
    /// zone) over the orders made that day. A day without orders is a report
    /// that says so.
    pub async fn daily_report_pdf(&self, actor: &Actor, date: &str) -> Result<Vec<u8>> {
        self.require(actor, Right::DailyReport).await?;
        let day = parse_day(date)?;
        let now = self.now();
        self.inner
            .db
            .read(move |c| Ok(pdf::report::render(&daily_report(c, day, now)?)))
            .await
    }

    /// A shift's report as a PDF (the slip's lines on 80 mm paper), for
    /// whoever may see that shift.
    pub async fn shift_report_pdf(&self, actor: &Actor, shift_id: i64) -> Result<Vec<u8>> {
        let receipt = self.shift_slip(actor, shift_id).await?;
        blocking("drawing the shift report", move || {
            pdf::receipt::render(&receipt, Paper::Roll80)
        })
        .await
    }

    /// What a shift's report says, on paper or a PDF.
    pub(super) async fn shift_slip(
        &self,
        actor: &Actor,
        shift_id: i64,
    ) -> Result<crate::receipt::Receipt> {
        let shift = self.shift(actor, shift_id).await?;
        let merchant = match self.static_qris(None).await {
            Ok(q) => merchant_of(&q),
            Err(_) => pdf::Merchant {
                name: String::new(),
                city: String::new(),
                nmid: None,
            },
        };
        let zone = self.zone().await?;
        Ok(crate::receipt::shift::shift(&shift, &merchant, &zone))
    }

    /// The day's report as data: `GET /api/qris/reports/daily` and the till.
    /// Without a date, today in the merchant's zone.
    pub async fn daily_report_json(
        &self,
        actor: &Actor,
        date: Option<&str>,
    ) -> Result<crate::receipt::report::DailyJson> {
        self.require(actor, Right::DailyReport).await?;
        let date = match date.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => d.to_string(),
            None => self.today().await?,
        };
        let day = parse_day(&date)?;
        let now = self.now();
        self.inner
            .db
            .read(move |c| Ok(crate::receipt::report::json(&daily_report(c, day, now)?)))
            .await
    }

    /// A standee for the counter: the static QRIS, or with an amount a new
    /// order (source `till`) whose dynamic QRIS it carries, so the payment is
    /// tracked and verified like any other. Returns the order it made.
    ///
    /// The order is stored first (its total may carry a unique code the
    /// writer chooses); a drawing that fails cancels it, so no order is left
    /// behind that nobody can pay.
    pub async fn standee_pdf(
        &self,
        amount: Option<u64>,
        paper: Paper,
    ) -> Result<(Vec<u8>, Option<Order>)> {
        if !paper.is_standee() {
            return Err(Error::invalid("paper", "a standee is printed on a5 or a6"));
        }
        let q = self.static_qris(None).await?;
        let merchant = merchant_of(&q);
        let Some(amount) = amount else {
            let bytes = draw_standee(merchant, q.payload, None, None, paper).await?;
            return Ok((bytes, None));
        };
        let mut req = CheckedOrder::check(NewOrder {
            amount: Some(amount as i128),
            description: Some("Standee".into()),
            ..Default::default()
        })?;
        // the sticker drawn is the sticker the order is made from
        req.qris_id = Some(q.id);
        // a standee is put up for the day, not a sale of one shift
        let order = self
            .create_checked_order(&super::Actor::Integration, req, OrderSource::Till)
            .await?;
        let drawn = draw_standee(
            merchant,
            order.payload.clone(),
            Some(order.total_amount),
            Some(order.order_id.clone()),
            paper,
        )
        .await;
        match drawn {
            Ok(bytes) => Ok((bytes, Some(order))),
            Err(e) => {
                self.cancel(&super::Actor::Integration, &order.order_id)
                    .await?;
                Err(e)
            }
        }
    }
}

async fn draw_standee(
    merchant: pdf::Merchant,
    payload: String,
    amount: Option<u64>,
    order_id: Option<String>,
    paper: Paper,
) -> Result<Vec<u8>> {
    blocking("drawing the standee", move || {
        pdf::standee::render(
            &pdf::standee::StandeeInput {
                merchant: &merchant,
                payload: &payload,
                amount,
                order_id: order_id.as_deref(),
            },
            paper,
        )
    })
    .await?
    .map_err(|e| Error::InvalidQris {
        message: e.to_string(),
        issues: vec![],
    })
}
