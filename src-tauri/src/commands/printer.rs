//! The thermal printer: its settings, a test slip, printing an order, and the
//! queue with its retries.

use super::{CmdResult, TillState};
use kasir::model::PrintJob;
use kasir::printer::send::Sent;
use kasir::service::{PrinterPatch, PrinterSettings};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct PrintJobs {
    pub jobs: Vec<PrintJob>,
}

#[derive(Debug, Serialize)]
pub struct PrinterTest {
    /// `confirmed` (the printer answered) or `accepted` (it took every byte).
    pub sent: Sent,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn printer_get(till: TillState<'_>) -> CmdResult<PrinterSettings> {
    till.actor().await?;
    Ok(till.kasir.printer_settings().await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn printer_set(till: TillState<'_>, patch: PrinterPatch) -> CmdResult<PrinterSettings> {
    let actor = till.actor().await?;
    Ok(till.kasir.update_printer(&actor, patch).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn printer_test(till: TillState<'_>) -> CmdResult<PrinterTest> {
    till.actor().await?;
    Ok(PrinterTest {
        sent: till.kasir.print_test().await?,
    })
}

/// Queue a paid order's receipt, or an open order's slip with its QR.
#[tauri::command(rename_all = "snake_case")]
pub async fn printer_print(till: TillState<'_>, order_id: String) -> CmdResult<PrintJob> {
    till.actor().await?;
    Ok(till.kasir.print_receipt(&order_id).await?)
}

/// Queue the daily report of `date` (today in the merchant's zone when
/// absent) as a slip.
#[tauri::command(rename_all = "snake_case")]
pub async fn printer_print_report(
    till: TillState<'_>,
    date: Option<String>,
) -> CmdResult<PrintJob> {
    let actor = till.actor().await?;
    Ok(till
        .kasir
        .print_daily_report(&actor, date.as_deref())
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn print_jobs(till: TillState<'_>) -> CmdResult<PrintJobs> {
    till.actor_unattended().await?;
    Ok(PrintJobs {
        jobs: till.kasir.print_jobs(20).await?,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn print_job_retry(till: TillState<'_>, id: i64) -> CmdResult<PrintJob> {
    till.actor().await?;
    Ok(till.kasir.retry_print_job(id).await?)
}
