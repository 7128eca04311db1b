//! The till's commands. Each translates its arguments, calls one engine method
//! and shapes the result for the UI; errors reach the UI as `{code, message}`.
//! The cashier acts as `dashboard`, exactly as the reference reports it.

use crate::server::ServerInfo;
use crate::Till;
use kasir::clock::{self, Millis};
use kasir::http::views;
use kasir::model::{ConfirmedBy, NewOrder, Order, OrderFilter, OrderSource, OrderStatus};
use kasir::service::{Settings, SettingsPatch};
use serde::Serialize;
use serde_json::{json, Value};
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Emitter, Manager, Runtime, State, WebviewUrl, WebviewWindowBuilder};

pub use crate::command_names::COMMANDS;

pub fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app_info,
        settings_update,
        server_restart,
        qris_list,
        qris_import_text,
        qris_import_image,
        qris_set_default,
        qris_delete,
        order_create,
        order_get,
        order_events,
        order_verify,
        order_cancel,
        orders_list,
        links_create,
        links_list,
        link_delete,
        keys_list,
        keys_create,
        key_revoke,
        key_set_limit,
        customer_display_open,
        display_set,
        display_get,
        webhook_secret,
        webhook_secret_rotate,
        webhook_deliveries,
        webhook_redeliver,
        webhook_test,
        widget_info,
        print_receipt,
        print_standee,
        print_report,
    ]
}

/// What the UI gets when a command fails: the engine's stable code and its
/// sentence, and for a bad field its name (the UI words those in the
/// cashier's language).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CmdError {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl CmdError {
    fn new(code: &str, message: impl Into<String>) -> Self {
        CmdError {
            code: code.into(),
            message: message.into(),
            field: None,
        }
    }
}

impl From<kasir::Error> for CmdError {
    fn from(e: kasir::Error) -> Self {
        CmdError {
            code: e.code().to_string(),
            message: e.to_string(),
            field: e.field().map(str::to_string),
        }
    }
}

impl From<kasir::qr_image::QrImageError> for CmdError {
    fn from(e: kasir::qr_image::QrImageError) -> Self {
        CmdError::new("invalid_qris", e.to_string())
    }
}

type CmdResult<T> = Result<T, CmdError>;
type TillState<'a> = State<'a, Till>;

// ---- the till itself ----

#[tauri::command(rename_all = "snake_case")]
async fn app_info(till: TillState<'_>) -> CmdResult<Value> {
    let settings = till.kasir.settings().await?;
    let qris = till.kasir.list_static_qris().await?;
    Ok(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "data_dir": till.kasir.data_dir().display().to_string(),
        "server": till.server.info().await,
        "settings": settings,
        "has_qris": !qris.is_empty(),
    }))
}

/// A partial update; an empty string clears an optional URL.
#[tauri::command(rename_all = "snake_case")]
async fn settings_update(till: TillState<'_>, patch: SettingsPatch) -> CmdResult<Settings> {
    Ok(till.kasir.update_settings(patch).await?)
}

/// Listen again after the cashier switched between this computer and the LAN.
#[tauri::command(rename_all = "snake_case")]
async fn server_restart(till: TillState<'_>) -> CmdResult<ServerInfo> {
    Ok(till.server.restart(&till.kasir).await)
}

// ---- static QRIS ----

#[tauri::command(rename_all = "snake_case")]
async fn qris_list(till: TillState<'_>) -> CmdResult<Value> {
    Ok(json!(till.kasir.list_static_qris().await?))
}

#[tauri::command(rename_all = "snake_case")]
async fn qris_import_text(till: TillState<'_>, payload: String) -> CmdResult<Value> {
    Ok(json!(till.kasir.import_static_qris(&payload).await?))
}

/// The photo or screenshot's bytes, sent as the raw body of the call.
#[tauri::command(rename_all = "snake_case")]
async fn qris_import_image(till: TillState<'_>, request: Request<'_>) -> CmdResult<Value> {
    let bytes = match request.body() {
        InvokeBody::Raw(b) => b.clone(),
        InvokeBody::Json(_) => {
            return Err(kasir::Error::invalid("image", "send the image file's bytes").into())
        }
    };
    Ok(json!(till.kasir.import_static_qris_image(bytes).await?))
}

#[tauri::command(rename_all = "snake_case")]
async fn qris_set_default(till: TillState<'_>, id: i64) -> CmdResult<Value> {
    Ok(json!(till.kasir.set_default_static_qris(id).await?))
}

#[tauri::command(rename_all = "snake_case")]
async fn qris_delete(till: TillState<'_>, id: i64) -> CmdResult<()> {
    Ok(till.kasir.delete_static_qris(id).await?)
}

// ---- orders ----

/// A sale at the till: the QR screen's order, with its QR drawn.
#[tauri::command(rename_all = "snake_case")]
async fn order_create(
    till: TillState<'_>,
    amount: Option<i128>,
    fee_type: Option<String>,
    fee_value: Option<String>,
    description: Option<String>,
) -> CmdResult<Value> {
    let req = NewOrder {
        amount,
        fee_type: fee_type.filter(|s| !s.is_empty()),
        fee_value: fee_value.filter(|s| !s.is_empty()),
        description: description.filter(|s| !s.trim().is_empty()),
        ..Default::default()
    };
    let o = till.kasir.create_order(req, OrderSource::Till).await?;
    order_view(&till, &o, true).await
}

#[tauri::command(rename_all = "snake_case")]
async fn order_get(
    till: TillState<'_>,
    order_id: String,
    with_qr: Option<bool>,
) -> CmdResult<Value> {
    let o = till.kasir.order(&order_id).await?;
    order_view(&till, &o, with_qr.unwrap_or(false)).await
}

#[tauri::command(rename_all = "snake_case")]
async fn order_events(till: TillState<'_>, order_id: String) -> CmdResult<Value> {
    Ok(json!(till.kasir.order_events(&order_id).await?))
}

/// "Tandai Lunas": the cashier saw the money arrive.
#[tauri::command(rename_all = "snake_case")]
async fn order_verify(till: TillState<'_>, order_id: String) -> CmdResult<Value> {
    let o = till
        .kasir
        .verify(&order_id, ConfirmedBy::Dashboard, None, None)
        .await?;
    order_view(&till, &o, false).await
}

#[tauri::command(rename_all = "snake_case")]
async fn order_cancel(till: TillState<'_>, order_id: String) -> CmdResult<Value> {
    let o = till.kasir.cancel(&order_id, ConfirmedBy::Dashboard).await?;
    order_view(&till, &o, false).await
}

/// Pesanan: a page of orders (newest first) with counts and sums per status
/// for the same day (Asia/Jakarta), or for all time without a date.
#[tauri::command(rename_all = "snake_case")]
async fn orders_list(
    till: TillState<'_>,
    status: Option<String>,
    date: Option<String>,
    search: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
) -> CmdResult<Value> {
    let status = match status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(OrderStatus::parse(s).ok_or_else(|| {
            kasir::Error::invalid(
                "status",
                format!("unknown status {s:?}: pending, awaiting_confirmation, paid, cancelled or expired"),
            )
        })?),
    };
    let (from, to) = match date.as_deref().filter(|s| !s.is_empty()) {
        None => (None, None),
        Some(d) => {
            let day = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                kasir::Error::invalid("date", format!("date must look like 2025-01-31, got {d:?}"))
            })?;
            let (a, b) = clock::jakarta_day_bounds(day);
            (Some(a), Some(b))
        }
    };
    let per_page = per_page.unwrap_or(20).clamp(1, 100);
    let page = page.unwrap_or(1).max(1);
    let (orders, total) = till
        .kasir
        .list_orders(OrderFilter {
            status,
            limit: per_page,
            offset: (page as u64 - 1) * per_page as u64,
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
    let totals: serde_json::Map<String, Value> = totals
        .into_iter()
        .map(|(s, count, sum, fees)| {
            (
                s.as_str().to_string(),
                json!({ "count": count, "total_amount": sum, "fee_amount": fees }),
            )
        })
        .collect();
    Ok(json!({
        "orders": orders.iter().map(order_row).collect::<Vec<_>>(),
        "total": total,
        "page": page,
        "per_page": per_page,
        "totals": totals,
    }))
}

// ---- payment links ----

#[tauri::command(rename_all = "snake_case")]
#[allow(clippy::too_many_arguments)]
async fn links_create(
    till: TillState<'_>,
    amount: Option<i128>,
    description: Option<String>,
    order_id: Option<String>,
    callback_url: Option<String>,
    webhook_url: Option<String>,
    fee_type: Option<String>,
    fee_value: Option<String>,
) -> CmdResult<Value> {
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
        .create_order(req, OrderSource::PaymentLink)
        .await?;
    order_view(&till, &o, false).await
}

#[tauri::command(rename_all = "snake_case")]
async fn links_list(
    till: TillState<'_>,
    page: Option<u32>,
    per_page: Option<u32>,
) -> CmdResult<Value> {
    let per_page = per_page.unwrap_or(20).clamp(1, 100);
    let page = page.unwrap_or(1).max(1);
    let (links, total) = till
        .kasir
        .list_orders(OrderFilter {
            limit: per_page,
            offset: (page as u64 - 1) * per_page as u64,
            active_only: true,
            ..Default::default()
        })
        .await?;
    let settings = till.kasir.settings().await?;
    let base = till.server.link_base().await;
    let rows: Vec<Value> = links
        .iter()
        .map(|o| {
            let mut v = json!(views::PaymentLinkListed::new(o, &settings));
            v["url"] = json!(absolute(&views::link_url(&settings, &o.link_code), &base));
            v["created_ms"] = json!(o.created_at);
            v
        })
        .collect();
    Ok(json!({ "links": rows, "total": total, "page": page, "per_page": per_page }))
}

/// Delete a link by its id: it stops working and an unpaid order is cancelled.
#[tauri::command(rename_all = "snake_case")]
async fn link_delete(till: TillState<'_>, id: i64) -> CmdResult<Value> {
    let o = till
        .kasir
        .delete_payment_link(id, ConfirmedBy::Dashboard)
        .await?;
    order_view(&till, &o, false).await
}

// ---- API keys ----

#[tauri::command(rename_all = "snake_case")]
async fn keys_list(till: TillState<'_>) -> CmdResult<Value> {
    Ok(json!(till.kasir.list_api_keys().await?))
}

/// The secret is in this answer only; the engine keeps its hash.
#[tauri::command(rename_all = "snake_case")]
async fn keys_create(
    till: TillState<'_>,
    name: String,
    daily_limit: Option<i64>,
) -> CmdResult<Value> {
    let (key, secret) = till.kasir.create_api_key(&name, daily_limit).await?;
    Ok(json!({ "key": key, "secret": secret }))
}

#[tauri::command(rename_all = "snake_case")]
async fn key_revoke(till: TillState<'_>, id: i64) -> CmdResult<()> {
    Ok(till.kasir.revoke_api_key(id).await?)
}

#[tauri::command(rename_all = "snake_case")]
async fn key_set_limit(till: TillState<'_>, id: i64, daily_limit: Option<i64>) -> CmdResult<()> {
    Ok(till.kasir.set_api_key_limit(id, daily_limit).await?)
}

// ---- the customer-facing window ----

/// Open (or bring forward) a second window for the customer, e.g. on another
/// monitor: it shows the order the till shows, and nothing else.
#[tauri::command(rename_all = "snake_case")]
async fn customer_display_open<R: Runtime>(app: AppHandle<R>) -> CmdResult<()> {
    if let Some(w) = app.get_webview_window("customer") {
        let _ = w.set_focus();
        return Ok(());
    }
    WebviewWindowBuilder::new(
        &app,
        "customer",
        WebviewUrl::App("index.html?view=customer".into()),
    )
    .title("Kasir — Pelanggan")
    .inner_size(720.0, 860.0)
    .build()
    .map_err(|e| CmdError::new("window", e.to_string()))?;
    Ok(())
}

/// The till's QR screen names the order the customer window shows (none: idle).
#[tauri::command(rename_all = "snake_case")]
async fn display_set<R: Runtime>(
    app: AppHandle<R>,
    till: TillState<'_>,
    order_id: Option<String>,
) -> CmdResult<()> {
    *till.display.lock().unwrap_or_else(|e| e.into_inner()) = order_id.clone();
    let _ = app.emit_to("customer", "display", order_id);
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
async fn display_get(till: TillState<'_>) -> CmdResult<Option<String>> {
    Ok(till
        .display
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone())
}

// ---- shapes ----

/// A link the customer can open: the public base URL when set, else this
/// server's LAN or local address.
fn absolute(url: &str, base: &Option<String>) -> String {
    match base {
        Some(b) if url.starts_with('/') => format!("{b}{url}"),
        _ => url.to_string(),
    }
}

/// The API's order detail plus what the till shows: merchant, source, times
/// in milliseconds (the UI formats them in Asia/Jakarta) and the QR as SVG.
async fn order_view(till: &Till, o: &Order, with_qr: bool) -> CmdResult<Value> {
    let settings = till.kasir.settings().await?;
    let base = till.server.link_base().await;
    let mut v = json!(views::OrderDetail::new(o, &settings));
    v["url"] = json!(absolute(&views::link_url(&settings, &o.link_code), &base));
    v["id"] = json!(o.id);
    v["merchant_name"] = json!(o.merchant_name);
    v["merchant_city"] = json!(o.merchant_city);
    v["source"] = json!(o.source.as_str());
    v["is_active"] = json!(o.is_active);
    v["created_ms"] = json!(o.created_at);
    v["expires_ms"] = json!(o.expires_at);
    v["paid_ms"] = json!(o.paid_at);
    v["customer_confirmed_ms"] = json!(o.customer_confirmed_at);
    v["now_ms"] = json!(clock::now_ms());
    if with_qr {
        let svg = kasir::qr_image::render_svg(&o.payload)?;
        use base64::Engine;
        v["qr_image"] = json!(format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(svg)
        ));
    }
    Ok(v)
}

/// A row of Pesanan.
fn order_row(o: &Order) -> Value {
    json!({
        "order_id": o.order_id,
        "title": views::title(o),
        "description": o.description,
        "amount": o.amount,
        "fee_amount": o.fee_amount,
        "total_amount": o.total_amount,
        "status": o.status.as_str(),
        "source": o.source.as_str(),
        "confirmed_by": o.confirmed_by.map(ConfirmedBy::as_str),
        "created_ms": o.created_at,
        "paid_ms": o.paid_at,
    })
}

// ---- webhooks ----

#[tauri::command(rename_all = "snake_case")]
async fn webhook_secret(till: TillState<'_>) -> CmdResult<Value> {
    Ok(json!(till.kasir.webhook_secret().await?))
}

#[tauri::command(rename_all = "snake_case")]
async fn webhook_secret_rotate(till: TillState<'_>) -> CmdResult<Value> {
    Ok(json!(till.kasir.rotate_webhook_secret().await?))
}

/// The webhook log, newest first: each event with its attempts.
#[tauri::command(rename_all = "snake_case")]
async fn webhook_deliveries(
    till: TillState<'_>,
    order_id: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
) -> CmdResult<Value> {
    let per_page = per_page.unwrap_or(20).clamp(1, 100);
    let page = page.unwrap_or(1).max(1);
    let (list, total) = till
        .kasir
        .webhook_deliveries(kasir::webhook::DeliveryFilter {
            order_id: order_id.filter(|s| !s.trim().is_empty()),
            status: None,
            limit: per_page,
            offset: u64::from(page - 1) * u64::from(per_page),
        })
        .await?;
    Ok(json!({ "deliveries": list, "total": total }))
}

#[tauri::command(rename_all = "snake_case")]
async fn webhook_redeliver(till: TillState<'_>, id: i64) -> CmdResult<Value> {
    Ok(json!(till.kasir.redeliver_webhook(id).await?))
}

/// A signed ping to a receiver, and what it answered.
#[tauri::command(rename_all = "snake_case")]
async fn webhook_test(till: TillState<'_>, url: String) -> CmdResult<Value> {
    let log = till.kasir.send_test_webhook(&url).await?;
    let last = log.attempts.last();
    Ok(json!({
        "success": log.delivery.status == kasir::webhook::DeliveryStatus::Delivered,
        "status_code": last.and_then(|a| a.status_code),
        "error": last.and_then(|a| a.error.clone()),
        "duration_ms": last.map(|a| a.duration_ms),
    }))
}

// ---- widget ----

/// The merchant ID and a ready snippet, on the address customers reach.
#[tauri::command(rename_all = "snake_case")]
async fn widget_info(till: TillState<'_>) -> CmdResult<Value> {
    let id = till.kasir.merchant_id().await?;
    let settings = till.kasir.settings().await?;
    let base = match settings.public_base_url {
        Some(b) => b,
        None => till
            .server
            .link_base()
            .await
            .unwrap_or_else(|| "http://127.0.0.1:8787".into()),
    };
    let snippet = format!(
        "<script src=\"{base}/widget.js\"\n  data-merchant=\"{id}\"\n  data-amount=\"50000\"></script>"
    );
    Ok(json!({ "merchant_id": id, "base_url": base, "snippet": snippet }))
}

// ---- printing ----

/// Write a PDF under the data directory's `prints/` and open it with the
/// system viewer (when there is one); the UI shows where it was saved.
fn save_and_open(till: &Till, name: &str, bytes: Vec<u8>) -> CmdResult<Value> {
    let dir = till.kasir.data_dir().join("prints");
    let path = dir.join(name);
    std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::write(&path, bytes))
        .map_err(|e| CmdError::new("io", format!("cannot save {}: {e}", path.display())))?;
    let opened = std::env::var_os("KASIR_NO_OPEN").is_none() && open::that_detached(&path).is_ok();
    Ok(json!({ "path": path.display().to_string(), "opened": opened }))
}

#[tauri::command(rename_all = "snake_case")]
async fn print_receipt(till: TillState<'_>, order_id: String, paper: String) -> CmdResult<Value> {
    let paper = kasir::pdf::Paper::receipt(&paper)?;
    let bytes = till.kasir.receipt_pdf(&order_id, paper).await?;
    save_and_open(
        &till,
        &format!("struk-{order_id}-{}.pdf", paper.as_str()),
        bytes,
    )
}

#[tauri::command(rename_all = "snake_case")]
async fn print_standee(
    till: TillState<'_>,
    amount: Option<u64>,
    paper: String,
) -> CmdResult<Value> {
    let paper = kasir::pdf::Paper::standee(&paper)?;
    let (bytes, order) = till.kasir.standee_pdf(amount, paper).await?;
    let name = match &order {
        Some(o) => format!("standee-{}-{}.pdf", o.order_id, paper.as_str()),
        None => format!("standee-{}.pdf", paper.as_str()),
    };
    save_and_open(&till, &name, bytes)
}

#[tauri::command(rename_all = "snake_case")]
async fn print_report(till: TillState<'_>, date: String) -> CmdResult<Value> {
    let day = kasir::service::parse_day(&date)?;
    let bytes = till.kasir.daily_report_pdf(&date).await?;
    save_and_open(&till, &format!("laporan-harian-{day}.pdf"), bytes)
}
