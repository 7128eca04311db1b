//! Printed paper: receipts, counter standees and the daily report, as PDFs.

use super::{CmdError, CmdResult, TillState};
use crate::Till;
use kasir::pdf::Paper;
use serde::Serialize;

/// Where a PDF was saved, and whether a viewer was opened on it.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Printed {
    pub path: String,
    pub opened: bool,
}

/// Write a PDF under the data directory's `prints/` and open it with the
/// system viewer (when there is one); the UI shows where it was saved.
pub(super) fn save_and_open(till: &Till, name: &str, bytes: Vec<u8>) -> CmdResult<Printed> {
    let dir = till.kasir.data_dir().join("prints");
    let path = dir.join(name);
    std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::write(&path, bytes))
        .map_err(|source| CmdError::Save {
            path: path.clone(),
            source,
        })?;
    let opened = std::env::var_os("KASIR_NO_OPEN").is_none() && open::that_detached(&path).is_ok();
    Ok(Printed {
        path: path.display().to_string(),
        opened,
    })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn print_receipt(
    till: TillState<'_>,
    order_id: String,
    paper: String,
) -> CmdResult<Printed> {
    till.actor().await?;
    let paper = Paper::receipt(&paper)?;
    let bytes = till.kasir.receipt_pdf(&order_id, paper).await?;
    let name = format!("struk-{order_id}-{}.pdf", paper.as_str());
    save_and_open(&till, &name, bytes)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn print_standee(
    till: TillState<'_>,
    amount: Option<u64>,
    paper: String,
) -> CmdResult<Printed> {
    till.actor().await?;
    let paper = Paper::standee(&paper)?;
    let (bytes, order) = till.kasir.standee_pdf(amount, paper).await?;
    let name = match &order {
        Some(o) => format!("standee-{}-{}.pdf", o.order_id, paper.as_str()),
        None => format!("standee-{}.pdf", paper.as_str()),
    };
    save_and_open(&till, &name, bytes)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn print_report(till: TillState<'_>, date: String) -> CmdResult<Printed> {
    let actor = till.actor().await?;
    let day = kasir::service::parse_day(&date)?;
    let bytes = till.kasir.daily_report_pdf(&actor, &date).await?;
    save_and_open(&till, &format!("laporan-harian-{day}.pdf"), bytes)
}
