//! Payment links: an order the customer pays from a link, listed until deleted.

use super::orders::TillOrder;
use super::{absolute, CmdResult, Paging, TillState};
use kasir::clock::Millis;
use kasir::http::views;
use kasir::model::{NewOrder, OrderFilter, OrderSource};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct LinksPage {
    pub links: Vec<LinkRow>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// A row of the links screen: the API's listed link, its `url` on an address
/// the customer reaches, and when it was made in milliseconds.
#[derive(Debug, Serialize)]
pub struct LinkRow {
    /// What `GET /api/qris/payment-links` lists (`views::PaymentLinkListed`).
    #[serde(flatten)]
    pub api: views::PaymentLinkListed,
    pub created_ms: Millis,
}

#[tauri::command(rename_all = "snake_case")]
#[allow(clippy::too_many_arguments)]
pub async fn links_create(
    till: TillState<'_>,
    amount: Option<i128>,
    description: Option<String>,
    order_id: Option<String>,
    callback_url: Option<String>,
    webhook_url: Option<String>,
    fee_type: Option<String>,
    fee_value: Option<String>,
) -> CmdResult<TillOrder> {
    let actor = till.actor().await?;
    let nonempty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let req = NewOrder {
        amount,
        description: nonempty(description),
        order_id: nonempty(order_id),
        callback_url: nonempty(callback_url),
        webhook_url: nonempty(webhook_url),
        fee_type: nonempty(fee_type),
        fee_value: nonempty(fee_value),
        ..Default::default()
    };
    let o = till
        .kasir
        .create_order(&actor, req, OrderSource::PaymentLink)
        .await?;
    TillOrder::of(&till, o, false).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn links_list(
    till: TillState<'_>,
    page: Option<u32>,
    per_page: Option<u32>,
) -> CmdResult<LinksPage> {
    till.actor_unattended().await?;
    let paging = Paging::new(page, per_page);
    let (links, total) = till
        .kasir
        .list_orders(OrderFilter {
            limit: paging.per_page,
            offset: paging.offset(),
            active_only: true,
            ..Default::default()
        })
        .await?;
    let settings = till.kasir.settings().await?;
    let base = till.server.link_base().await;
    let links = links
        .iter()
        .map(|o| {
            let mut api = views::PaymentLinkListed::new(o, &settings);
            api.url = absolute(views::link_url(&settings, &o.link_code), base.as_deref());
            LinkRow {
                api,
                created_ms: o.created_at,
            }
        })
        .collect();
    Ok(LinksPage {
        links,
        total,
        page: paging.page,
        per_page: paging.per_page,
    })
}

/// Delete a link by its id: it stops working and an unpaid order is cancelled.
#[tauri::command(rename_all = "snake_case")]
pub async fn link_delete(till: TillState<'_>, id: i64) -> CmdResult<TillOrder> {
    let actor = till.actor().await?;
    let o = till.kasir.delete_payment_link(&actor, id).await?;
    TillOrder::of(&till, o, false).await
}
