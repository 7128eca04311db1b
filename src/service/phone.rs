//! Setting up the merchant's phone as a payment witness: a key that can only
//! post notifications, and where to post them, as text and as a QR the phone
//! scans instead of typing a 52-character key (docs/AUTO-CONFIRM.md).

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
}

impl Kasir {
    /// A `notifications` key for the phone named `name`, and how to reach
    /// this till from it; `base` is the server's address on the shop's LAN.
    pub async fn phone_setup(&self, name: &str, base: &str) -> Result<PhoneSetup> {
        let base = base.trim().trim_end_matches('/');
        if base.is_empty() {
            return Err(Error::invalid(
                "base",
                "the till's server is not listening: start it (Pengaturan → Alamat server) first",
            ));
        }
        let (key, secret) = self
            .create_scoped_api_key(name, None, KeyScope::Notifications)
            .await?;
        let url = format!("{base}{NOTIFICATIONS_PATH}");
        let text = format!("{url}\nX-API-Key: {secret}");
        let qr_text = text.clone();
        let qr_image = super::blocking("drawing the phone's QR", move || {
            crate::qr_image::png_data_url(&qr_text)
        })
        .await?
        .map_err(|e| Error::invalid("base", e.to_string()))?;
        Ok(PhoneSetup {
            key,
            secret,
            url,
            text,
            qr_image,
        })
    }
}
