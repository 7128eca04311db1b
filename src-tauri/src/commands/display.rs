//! The customer-facing window: it shows the order the till shows, and nothing else.

use super::{CmdResult, TillState};
use tauri::{AppHandle, Emitter, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

/// Open (or bring forward) a second window for the customer, e.g. on another monitor.
#[tauri::command(rename_all = "snake_case")]
pub async fn customer_display_open<R: Runtime>(app: AppHandle<R>) -> CmdResult<()> {
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
    .build()?;
    Ok(())
}

/// The till's QR screen names the order the customer window shows (none: idle).
#[tauri::command(rename_all = "snake_case")]
pub async fn display_set<R: Runtime>(
    app: AppHandle<R>,
    till: TillState<'_>,
    order_id: Option<String>,
) -> CmdResult<()> {
    till.actor().await?;
    *till.display.lock().unwrap_or_else(|e| e.into_inner()) = order_id.clone();
    let _ = app.emit_to("customer", "display", order_id);
    Ok(())
}

#[tauri::command(rename_all = "snake_case")]
pub async fn display_get(till: TillState<'_>) -> CmdResult<Option<String>> {
    Ok(till
        .display
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone())
}

/// The order the customer window shows, with its QR: only that one, and
/// while the till is locked too (the customer is still paying).
#[tauri::command(rename_all = "snake_case")]
pub async fn display_order(till: TillState<'_>) -> CmdResult<Option<super::orders::TillOrder>> {
    let shown = till
        .display
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let Some(order_id) = shown else {
        return Ok(None);
    };
    let o = till.kasir.order(&order_id).await?;
    Ok(Some(super::orders::TillOrder::of(&till, o, true).await?))
}
