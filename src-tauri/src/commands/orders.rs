//! Orders: a sale at the till, its QR screen and the order list (Pesanan).

use super::{absolute, CmdResult, Paging, TillState};
use crate::Till;
use kasir::clock::Millis;
use kasir::http::views;
use kasir::model::{
    ConfirmedBy, EventRecord, NewOrder, Order, OrderFilter, OrderSource, OrderStatus,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// An order as the till shows it: the API's order detail (its `url` on an
/// address the customer reaches) plus merchant, source, times in milliseconds
/// for the UI to format, and on request the QR as SVG.
#[derive(Debug, Serialize)]
pub struct TillOrder {
    /// What `GET /api/qris/orders/{orderId}` answers.
    #[serde(flatten)]
    pub api: views::OrderDetail,
    pub id: i64,
    pub merchant_name: String,
    pub merchant_city: String,
    pub source: OrderSource,
    pub is_active: bool,
    pub created_ms: Millis,
    pub expires_ms: Millis,
    pub paid_ms: Option<Millis>,
    pub customer_confirmed_ms: Option<Millis>,
    /// This computer's clock, so a countdown is right even if the UI's clock is not.
    pub now_ms: Millis,
    /// `data:image/svg+xml;base64,…`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qr_image: Option<String>,
}

impl TillOrder {
    pub(super) async fn of(till: &Till, o: Order, with_qr: bool) -> CmdResult<TillOrder> {
        let settings = till.kasir.settings().await?;
        let base = till.server.link_base().await;
        let mut api = views::OrderDetail::new(&o, &settings);
        api.url = absolute(views::link_url(&settings, &o.link_code), base.as_deref());
        let qr_image = match with_qr {
            false => None,
            true => {
                use base64::Engine;
                let svg = kasir::qr_image::render_svg(&o.payload)?;
                let b64 = base64::engine::general_purpose::STANDARD.encode(svg);
                Some(format!("data:image/svg+xml;base64,{b64}"))
            }
        };
        Ok(TillOrder {
            api,
            id: o.id,
            merchant_name: o.merchant_name,
            merchant_city: o.merchant_city,
            source: o.source,
            is_active: o.is_active,
            created_ms: o.created_at,
            expires_ms: o.expires_at,
            paid_ms: o.paid_at,
            customer_confirmed_ms: o.customer_confirmed_at,
            now_ms: till.kasir.now(),
            qr_image,
        })
    }
}

/// A page of Pesanan, with counts and sums per status over the same day.
#[derive(Debug, Serialize)]
pub struct OrdersPage {
    pub orders: Vec<OrderRow>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// Keyed by status; a status without orders is absent.
    pub totals: BTreeMap<&'static str, StatusTotal>,
}

/// A row of Pesanan.
#[derive(Debug, Serialize)]
pub struct OrderRow {
    pub order_id: String,
    pub title: String,
    pub description: Option<String>,
    pub amount: u64,
    pub fee_amount: u64,
    pub total_amount: u64,
    pub status: OrderStatus,
    pub source: OrderSource,
    pub confirmed_by: Option<ConfirmedBy>,
    pub created_ms: Millis,
    pub paid_ms: Option<Millis>,
    /// `qris`, `cash` or `split`.
    pub payment_method: kasir::model::PaymentMethod,
    /// What the customer paid across tenders (a sale's total, else the amount).
    pub sale_total: u64,
    pub refunded_amount: u64,
    /// Who made it at the till; none for an integration's order.
    pub cashier: Option<String>,
}

impl From<Order> for OrderRow {
    fn from(o: Order) -> Self {
        let sale_total = kasir::service::paid_total(&o);
        OrderRow {
            cashier: o.cashier.clone(),
            title: views::title(&o),
            order_id: o.order_id,
            description: o.description,
            amount: o.amount,
            fee_amount: o.fee_amount,
            total_amount: o.total_amount,
            status: o.status,
            source: o.source,
            confirmed_by: o.confirmed_by,
            created_ms: o.created_at,
            paid_ms: o.paid_at,
            payment_method: o.payment_method,
            sale_total,
            refunded_amount: o.refunded_amount,
        }
    }
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct StatusTotal {
    pub count: u64,
    pub total_amount: u64,
    pub fee_amount: u64,
}

/// A sale at the till: the QR screen's order, with its QR drawn.
#[tauri::command(rename_all = "snake_case")]
pub async fn order_create(
    till: TillState<'_>,
    amount: Option<i128>,
    fee_type: Option<String>,
    fee_value: Option<String>,
    description: Option<String>,
) -> CmdResult<TillOrder> {
    let actor = till.actor().await?;
    let req = NewOrder {
        amount,
        fee_type: fee_type.filter(|s| !s.is_empty()),
        fee_value: fee_value.filter(|s| !s.is_empty()),
        description: description.filter(|s| !s.trim().is_empty()),
        ..Default::default()
    };
    let o = till
        .kasir
        .create_order(&actor, req, OrderSource::Till)
        .await?;
    TillOrder::of(&till, o, true).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn order_get(
    till: TillState<'_>,
    order_id: String,
    with_qr: Option<bool>,
) -> CmdResult<TillOrder> {
    till.actor_unattended().await?;
    let o = till.kasir.order(&order_id).await?;
    TillOrder::of(&till, o, with_qr.unwrap_or(false)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn order_events(till: TillState<'_>, order_id: String) -> CmdResult<Vec<EventRecord>> {
    till.actor_unattended().await?;
    Ok(till.kasir.order_events(&order_id).await?)
}

/// "Tandai Lunas": the cashier saw the money arrive.
#[tauri::command(rename_all = "snake_case")]
pub async fn order_verify(till: TillState<'_>, order_id: String) -> CmdResult<TillOrder> {
    let actor = till.actor().await?;
    let o = till.kasir.verify(&actor, &order_id, None, None).await?;
    TillOrder::of(&till, o, false).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn order_cancel(till: TillState<'_>, order_id: String) -> CmdResult<TillOrder> {
    let actor = till.actor().await?;
    let o = till.kasir.cancel(&actor, &order_id).await?;
    TillOrder::of(&till, o, false).await
}

/// Pesanan: a page of orders (newest first) with counts and sums per status
/// for the same day in the merchant's zone (the day its daily report covers),
/// or for all time without a date.
#[tauri::command(rename_all = "snake_case")]
pub async fn orders_list(
    till: TillState<'_>,
    status: Option<String>,
    date: Option<String>,
    search: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
) -> CmdResult<OrdersPage> {
    till.actor_unattended().await?;
    let status = status_filter(status.as_deref())?;
    let (from, to) = match date.as_deref().filter(|s| !s.is_empty()) {
        None => (None, None),
        Some(d) => {
            let (a, b) = till.kasir.day_bounds(d).await?;
            (Some(a), Some(b))
        }
    };
    let paging = Paging::new(page, per_page);
    let (orders, total) = till
        .kasir
        .list_orders(OrderFilter {
            status,
            limit: paging.per_page,
            offset: paging.offset(),
            search: search.filter(|s| !s.trim().is_empty()),
            created_from: from,
            created_to: to,
            active_only: false,
        })
        .await?;
    let totals = till
        .kasir
        .totals(from.unwrap_or(0), to.unwrap_or(Millis::MAX))
        .await?;
    Ok(OrdersPage {
        orders: orders.into_iter().map(OrderRow::from).collect(),
        total,
        page: paging.page,
        per_page: paging.per_page,
        totals: totals
            .into_iter()
            .map(|(s, count, total_amount, fee_amount)| {
                let t = StatusTotal {
                    count,
                    total_amount,
                    fee_amount,
                };
                (s.as_str(), t)
            })
            .collect(),
    })
}

/// Pesanan's status filter; none or empty is every status.
fn status_filter(s: Option<&str>) -> CmdResult<Option<OrderStatus>> {
    match s.filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Ok(Some(OrderStatus::parse(s).ok_or_else(|| {
            kasir::Error::invalid(
                "status",
                format!("unknown status {s:?}: pending, awaiting_confirmation, paid, cancelled or expired"),
            )
        })?)),
    }
}
