//! Webhooks: the signing secret, the delivery log, and a test ping.

use super::{CmdResult, Paging, TillState};
use kasir::service::DeliveryLog;
use kasir::webhook::{DeliveryFilter, DeliveryStatus, WebhookSecret};
use serde::Serialize;

/// A page of the webhook log, newest first.
#[derive(Debug, Serialize)]
pub struct Deliveries {
    pub deliveries: Vec<DeliveryLog>,
    pub total: u64,
}

/// What a receiver answered to a signed ping; the numbers are absent when
/// nothing was attempted (the URL was refused).
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct WebhookTest {
    pub success: bool,
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: Option<i64>,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn webhook_secret(till: TillState<'_>) -> CmdResult<WebhookSecret> {
    let actor = till.actor().await?;
    Ok(till.kasir.webhook_secret(&actor).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn webhook_secret_rotate(till: TillState<'_>) -> CmdResult<WebhookSecret> {
    let actor = till.actor().await?;
    Ok(till.kasir.rotate_webhook_secret(&actor).await?)
}

/// The webhook log, newest first: each event with its attempts.
#[tauri::command(rename_all = "snake_case")]
pub async fn webhook_deliveries(
    till: TillState<'_>,
    order_id: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
) -> CmdResult<Deliveries> {
    till.actor().await?;
    let paging = Paging::new(page, per_page);
    let (deliveries, total) = till
        .kasir
        .webhook_deliveries(DeliveryFilter {
            order_id: order_id.filter(|s| !s.trim().is_empty()),
            status: None,
            limit: paging.per_page,
            offset: paging.offset(),
        })
        .await?;
    Ok(Deliveries { deliveries, total })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn webhook_redeliver(till: TillState<'_>, id: i64) -> CmdResult<DeliveryLog> {
    let actor = till.actor().await?;
    Ok(till.kasir.redeliver_webhook(&actor, id).await?)
}

/// A signed ping to a receiver, and what it answered.
#[tauri::command(rename_all = "snake_case")]
pub async fn webhook_test(till: TillState<'_>, url: String) -> CmdResult<WebhookTest> {
    let actor = till.actor().await?;
    let log = till.kasir.send_test_webhook(&actor, &url).await?;
    let last = log.attempts.last();
    Ok(WebhookTest {
        success: log.delivery.status == DeliveryStatus::Delivered,
        status_code: last.and_then(|a| a.status_code),
        error: last.and_then(|a| a.error.clone()),
        duration_ms: last.map(|a| a.duration_ms),
    })
}
