//! The payment widget a merchant puts on their own website.

use super::{CmdResult, TillState};
use serde::Serialize;

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct WidgetInfo {
    pub merchant_id: String,
    /// Where customers reach this till: the public base URL, else the server's address.
    pub base_url: String,
    /// A `<script>` tag ready to paste.
    pub snippet: String,
}

/// The merchant ID and a ready snippet, on the address customers reach.
#[tauri::command(rename_all = "snake_case")]
pub async fn widget_info(till: TillState<'_>) -> CmdResult<WidgetInfo> {
    till.actor().await?;
    let merchant_id = till.kasir.merchant_id().await?;
    let settings = till.kasir.settings().await?;
    let base_url = match settings.public_base_url {
        Some(b) => b,
        None => till
            .server
            .link_base()
            .await
            .unwrap_or_else(|| "http://127.0.0.1:8787".into()),
    };
    let snippet = format!(
        "<script src=\"{base_url}/widget.js\"\n  data-merchant=\"{merchant_id}\"\n  data-amount=\"50000\"></script>"
    );
    Ok(WidgetInfo {
        merchant_id,
        base_url,
        snippet,
    })
}
