//! The merchant's static QRIS: imported once from its text or a photo, one is the default.

use super::{CmdResult, TillState};
use kasir::model::StaticQris;
use kasir::service::ImportedQris;
use tauri::ipc::{InvokeBody, Request};

#[tauri::command(rename_all = "snake_case")]
pub async fn qris_list(till: TillState<'_>) -> CmdResult<Vec<StaticQris>> {
    till.actor().await?;
    Ok(till.kasir.list_static_qris().await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn qris_import_text(till: TillState<'_>, payload: String) -> CmdResult<ImportedQris> {
    let actor = till.actor().await?;
    Ok(till.kasir.import_static_qris(&actor, &payload).await?)
}

/// The photo or screenshot's bytes, sent as the raw body of the call.
#[tauri::command(rename_all = "snake_case")]
pub async fn qris_import_image(
    till: TillState<'_>,
    request: Request<'_>,
) -> CmdResult<ImportedQris> {
    let actor = till.actor().await?;
    let bytes = match request.body() {
        InvokeBody::Raw(b) => b.clone(),
        InvokeBody::Json(_) => {
            return Err(kasir::Error::invalid("image", "send the image file's bytes").into())
        }
    };
    Ok(till.kasir.import_static_qris_image(&actor, bytes).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn qris_set_default(till: TillState<'_>, id: i64) -> CmdResult<StaticQris> {
    let actor = till.actor().await?;
    Ok(till.kasir.set_default_static_qris(&actor, id).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn qris_delete(till: TillState<'_>, id: i64) -> CmdResult<()> {
    let actor = till.actor().await?;
    Ok(till.kasir.delete_static_qris(&actor, id).await?)
}
