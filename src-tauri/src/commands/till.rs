//! The till itself: what it is and where it listens, and the merchant's settings.

use super::{CmdResult, TillState};
use crate::server::ServerInfo;
use kasir::clock::Zone;
use kasir::service::{Settings, SettingsPatch};
use serde::Serialize;

/// What the UI reads when it starts and on the settings screen.
#[derive(Debug, Serialize)]
pub struct AppInfo {
    pub version: &'static str,
    pub data_dir: String,
    pub server: ServerInfo,
    pub settings: Settings,
    pub has_qris: bool,
    /// Today (`YYYY-MM-DD`) in the merchant's zone: the day Pesanan opens on.
    pub today: String,
    pub zone: ZoneInfo,
}

/// The merchant's zone, for the UI to show times as the printed paper does.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct ZoneInfo {
    /// As the merchant set it: `Asia/Makassar`, `+05:30`.
    pub name: String,
    /// `WIB`, `WITA`, `WIT` or `UTC+05:30`.
    pub label: String,
    /// Minutes east of UTC: 420 for WIB.
    pub offset_minutes: i32,
}

impl From<Zone> for ZoneInfo {
    fn from(z: Zone) -> Self {
        ZoneInfo {
            label: z.label(),
            offset_minutes: z.offset.local_minus_utc() / 60,
            name: z.name,
        }
    }
}

#[tauri::command(rename_all = "snake_case")]
pub async fn app_info(till: TillState<'_>) -> CmdResult<AppInfo> {
    let k = &till.kasir;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: k.data_dir().display().to_string(),
        server: till.server.info().await,
        settings: k.settings().await?,
        has_qris: !k.list_static_qris().await?.is_empty(),
        today: k.today().await?,
        zone: k.zone().await?.into(),
    })
}

/// A partial update; an empty string clears an optional URL.
#[tauri::command(rename_all = "snake_case")]
pub async fn settings_update(till: TillState<'_>, patch: SettingsPatch) -> CmdResult<Settings> {
    let actor = till.actor().await?;
    Ok(till.kasir.update_settings(&actor, patch).await?)
}

/// Listen again after the cashier switched between this computer and the LAN.
#[tauri::command(rename_all = "snake_case")]
pub async fn server_restart(till: TillState<'_>) -> CmdResult<ServerInfo> {
    till.actor().await?;
    Ok(till.server.restart(&till.kasir).await)
}
