//! Sales from the catalogue: products, the cart's money, cash, QRIS and split
//! tenders, open bills, refunds and the day's report. Each command calls the
//! engine once; the UI shows what it answers (docs/SALES.md).

use super::orders::TillOrder;
use super::{CmdResult, TillState};
use kasir::model::{Category, OpenBill, Product};
use kasir::service::{Cart, ProductInput, ProductQuery, Quote, RefundRequest, Tender};

#[tauri::command(rename_all = "snake_case")]
pub async fn products_list(
    till: TillState<'_>,
    query: Option<String>,
    category_id: Option<i64>,
    include_inactive: Option<bool>,
) -> CmdResult<Vec<Product>> {
    till.actor().await?;
    let q = ProductQuery {
        query,
        category_id,
        include_inactive: include_inactive.unwrap_or(false),
    };
    Ok(till.kasir.products(q).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn product_by_barcode(till: TillState<'_>, barcode: String) -> CmdResult<Product> {
    till.actor().await?;
    Ok(till.kasir.product_by_barcode(&barcode).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn product_save(till: TillState<'_>, product: ProductInput) -> CmdResult<Product> {
    let actor = till.actor().await?;
    Ok(till.kasir.save_product(&actor, product).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn products_reorder(till: TillState<'_>, ids: Vec<i64>) -> CmdResult<()> {
    let actor = till.actor().await?;
    Ok(till.kasir.reorder_products(&actor, ids).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn categories_list(till: TillState<'_>) -> CmdResult<Vec<Category>> {
    till.actor().await?;
    Ok(till.kasir.categories().await?)
}

#[derive(Debug, serde::Deserialize)]
pub struct CategoryInput {
    id: Option<i64>,
    name: Option<String>,
    colour: Option<String>,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn category_save(till: TillState<'_>, category: CategoryInput) -> CmdResult<Category> {
    let actor = till.actor().await?;
    let c = category;
    Ok(till
        .kasir
        .save_category(&actor, c.id, c.name, c.colour)
        .await?)
}

/// The cart's money; with `tender`, the cash due, change and QRIS part too.
#[tauri::command(rename_all = "snake_case")]
pub async fn cart_price(
    till: TillState<'_>,
    cart: Cart,
    tender: Option<Tender>,
) -> CmdResult<Quote> {
    let actor = till.actor().await?;
    Ok(till.kasir.quote(&actor, cart, tender).await?)
}

/// A cash sale comes back paid; a QRIS or split one opens on the QR screen.
#[tauri::command(rename_all = "snake_case")]
pub async fn checkout(
    till: TillState<'_>,
    cart: Cart,
    tender: Tender,
    bill_id: Option<i64>,
) -> CmdResult<TillOrder> {
    let actor = till.actor().await?;
    let order = till.kasir.checkout(&actor, cart, tender, bill_id).await?;
    let with_qr = !order.is_paid();
    TillOrder::of(&till, order, with_qr).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn bills_list(till: TillState<'_>) -> CmdResult<Vec<OpenBill>> {
    till.actor_unattended().await?;
    Ok(till.kasir.open_bills().await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn bill_park(
    till: TillState<'_>,
    name: Option<String>,
    cart: Cart,
    id: Option<i64>,
) -> CmdResult<OpenBill> {
    till.actor().await?;
    Ok(till.kasir.park_bill(id, name, cart).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn bill_take(till: TillState<'_>, id: i64) -> CmdResult<OpenBill> {
    till.actor().await?;
    Ok(till.kasir.take_bill(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn bill_discard(till: TillState<'_>, id: i64) -> CmdResult<()> {
    till.actor().await?;
    Ok(till.kasir.discard_bill(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn order_refund(
    till: TillState<'_>,
    order_id: String,
    lines: Option<Vec<kasir::service::RefundLine>>,
    reason: Option<String>,
    method: Option<kasir::model::RefundMethod>,
) -> CmdResult<TillOrder> {
    let actor = till.actor().await?;
    let req = RefundRequest {
        lines,
        reason,
        method,
    };
    let order = till.kasir.refund(&actor, &order_id, req).await?;
    TillOrder::of(&till, order, false).await
}

/// The day's report, as `GET /api/qris/reports/daily` answers it.
#[tauri::command(rename_all = "snake_case")]
pub async fn report_daily(
    till: TillState<'_>,
    date: Option<String>,
) -> CmdResult<kasir::receipt::report::DailyJson> {
    let actor = till.actor().await?;
    Ok(till
        .kasir
        .daily_report_json(&actor, date.as_deref())
        .await?)
}
