//! Shifts: open with a counted drawer, close with a second count, and the
//! shift's report on paper. The engine adds up every count.

use super::printing::{save_and_open, Printed};
use super::{CmdResult, Paging, TillState};
use kasir::model::{PrintJob, Shift};
use kasir::service::{CashCount, Counted};

#[tauri::command(rename_all = "snake_case")]
pub async fn cash_count(till: TillState<'_>, count: CashCount) -> CmdResult<Counted> {
    till.actor().await?;
    Ok(till.kasir.count_cash(&count)?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn shift_current(till: TillState<'_>) -> CmdResult<Option<Shift>> {
    let actor = till.actor_unattended().await?;
    Ok(till.kasir.current_shift_for(&actor).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn shift_open(till: TillState<'_>, opening: CashCount) -> CmdResult<Shift> {
    let actor = till.actor().await?;
    Ok(till.kasir.open_shift(&actor, opening).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn shift_close(
    till: TillState<'_>,
    shift_id: i64,
    counted: CashCount,
    note: Option<String>,
) -> CmdResult<Shift> {
    let actor = till.actor().await?;
    Ok(till
        .kasir
        .close_shift(&actor, shift_id, counted, note)
        .await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn shifts_list(
    till: TillState<'_>,
    page: Option<u32>,
    per_page: Option<u32>,
) -> CmdResult<Vec<Shift>> {
    let actor = till.actor().await?;
    let p = Paging::new(page, per_page);
    Ok(till.kasir.shifts(&actor, p.per_page, p.offset()).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn shift_get(till: TillState<'_>, shift_id: i64) -> CmdResult<Shift> {
    let actor = till.actor().await?;
    Ok(till.kasir.shift(&actor, shift_id).await?)
}

/// The shift's report as a PDF beside the daily report.
#[tauri::command(rename_all = "snake_case")]
pub async fn shift_report_save(till: TillState<'_>, shift_id: i64) -> CmdResult<Printed> {
    let actor = till.actor().await?;
    let bytes = till.kasir.shift_report_pdf(&actor, shift_id).await?;
    save_and_open(&till, &format!("laporan-shift-{shift_id}.pdf"), bytes)
}

/// The shift's slip on the thermal printer.
#[tauri::command(rename_all = "snake_case")]
pub async fn shift_print(till: TillState<'_>, shift_id: i64) -> CmdResult<PrintJob> {
    let actor = till.actor().await?;
    Ok(till.kasir.print_shift_report(&actor, shift_id).await?)
}
