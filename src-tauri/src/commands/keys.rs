//! API keys for the merchant's own integrations.

use super::{CmdResult, TillState};
use kasir::model::ApiKey;
use serde::Serialize;

/// A new key and its secret: the secret is in this answer only, the engine keeps its hash.
#[derive(Debug, Serialize)]
pub struct KeyCreated {
    pub key: ApiKey,
    pub secret: String,
}

#[tauri::command(rename_all = "snake_case")]
pub async fn keys_list(till: TillState<'_>) -> CmdResult<Vec<ApiKey>> {
    till.actor().await?;
    Ok(till.kasir.list_api_keys().await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn keys_create(
    till: TillState<'_>,
    name: String,
    daily_limit: Option<i64>,
) -> CmdResult<KeyCreated> {
    let actor = till.actor().await?;
    let (key, secret) = till
        .kasir
        .create_api_key(&actor, &name, daily_limit)
        .await?;
    Ok(KeyCreated { key, secret })
}

#[tauri::command(rename_all = "snake_case")]
pub async fn key_revoke(till: TillState<'_>, id: i64) -> CmdResult<()> {
    let actor = till.actor().await?;
    Ok(till.kasir.revoke_api_key(&actor, id).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn key_set_limit(
    till: TillState<'_>,
    id: i64,
    daily_limit: Option<i64>,
) -> CmdResult<()> {
    let actor = till.actor().await?;
    Ok(till
        .kasir
        .set_api_key_limit(&actor, id, daily_limit)
        .await?)
}
