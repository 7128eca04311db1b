//! Setting up the merchant's phone as a payment witness: a key that can only
//! post notifications, and where to post them, as text and as a QR the phone
//! scans instead of typing a 52-character key (docs/AUTO-CONFIRM.md).

use super::people::{Actor, Right};
use super::Kasir;
use crate::error::{Error, Result};
use crate::model::{ApiKey, KeyScope};
use serde::Serialize;

pub const NOTIFICATIONS_PATH: &str = "/api/qris/payments/notifications";

#[derive(Debug, Clone, Serialize)]
pub struct PhoneSetup {
    pub key: ApiKey,
    /// Shown once, like every key's.
    pub secret: String,
    /// Where the forwarder posts.
    pub url: String,
    /// What the QR says: the URL and the header, one per line.
    pub text: String,
    /// The QR as a PNG data URL.
    pub qr_image: String,
    /// False when the till listens on this computer only: the phone can't
    /// reach it until the server is opened to the shop's LAN.
    pub reachable_from_phone: bool,
}

impl Kasir {
    /// A `notifications` key for the phone named `name`, and how to reach
    /// this till from it; `base` is the server's address on the shop's LAN.
    pub async fn phone_setup(&self, actor: &Actor, name: &str, base: &str) -> Result<PhoneSetup> {
        self.require(actor, Right::Settings).await?;
        let base = base.trim().trim_end_matches('/');
        if base.is_empty() {
            return Err(Error::invalid(
                "base",
                "the till's server is not listening: start it (Pengaturan → Alamat server) first",
            ));
        }
        let (key, secret) = self
            // the right was checked above, once (a cashier's approval is used up)
            .create_scoped_api_key(&Actor::Console, name, None, KeyScope::Notifications)
            .await?;
        let url = format!("{base}{NOTIFICATIONS_PATH}");
        let text = format!("{url}\nX-API-Key: {secret}");
        let qr_text = text.clone();
        let drawn = super::blocking("drawing the phone's QR", move || {
            crate::qr_image::png_data_url(&qr_text)
        })
        .await;
        // a key whose QR nobody saw is a key nobody holds
        let qr_image = match drawn {
            Ok(Ok(q)) => q,
            Ok(Err(e)) => {
                self.revoke_api_key(&Actor::Console, key.id).await?;
                return Err(Error::invalid("base", e.to_string()));
            }
            Err(e) => {
                self.revoke_api_key(&Actor::Console, key.id).await?;
                return Err(e);
            }
        };
        let host = url::Url::parse(base)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        let reachable_from_phone = !matches!(
            host.as_deref(),
            Some("127.0.0.1" | "localhost" | "[::1]") | None
        );
        Ok(PhoneSetup {
            key,
            secret,
            url,
            text,
            qr_image,
            reachable_from_phone,
        })
    }
}
