//! The shop's static QRIS stickers: import (text or photo), the default one.

use super::people::{Actor, Right};
use super::{blocking, Kasir};
use crate::error::{Error, Missing, Result};
use crate::model::StaticQris;
use crate::store;

/// A static QRIS as read, before it is stored: what the till shows on import.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportedQris {
    pub qris: StaticQris,
    pub summary: qris::MerchantSummary,
    pub warnings: Vec<qris::Issue>,
}

impl Kasir {
    /// Read a static QRIS from its text, check it can be converted, and store it.
    pub async fn import_static_qris(&self, actor: &Actor, payload: &str) -> Result<ImportedQris> {
        self.require(actor, Right::Settings).await?;
        let payload = payload.trim_end_matches(['\r', '\n']).to_string();
        let (summary, warnings) = check_importable(&payload)?;
        let name = summary.merchant_name.clone().unwrap_or_default();
        let city = summary.merchant_city.clone().unwrap_or_default();
        let nmid = summary.nmid.clone();
        let acquirer = summary
            .acquirers
            .iter()
            .find(|a| a.tag != "51")
            .and_then(|a| a.gui.clone());
        let now = self.now();
        let qris = self
            .inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let id = store::upsert_static_qris(
                    &tx,
                    &store::NewStaticQris {
                        payload: &payload,
                        merchant_name: &name,
                        merchant_city: &city,
                        nmid: nmid.as_deref(),
                        acquirer: acquirer.as_deref(),
                    },
                    now,
                )?;
                // a new upload becomes the default, as "the newest" promises
                store::set_setting(&tx, "default_qris_id", Some(&id.to_string()))?;
                let q = store::get_static_qris(&tx, id)?
                    .ok_or(Error::NotFound(Missing::StaticQris(id)))?;
                tx.commit()?;
                Ok::<_, Error>(q)
            })
            .await?;
        Ok(ImportedQris {
            qris,
            summary,
            warnings,
        })
    }

    /// Read a QR code from a photo or screenshot of the sticker and import it.
    pub async fn import_static_qris_image(
        &self,
        actor: &Actor,
        image: Vec<u8>,
    ) -> Result<ImportedQris> {
        let payload = blocking("reading the QR image", move || {
            crate::qr_image::scan(&image)
        })
        .await?
        .map_err(Error::Image)?;
        self.import_static_qris(actor, &payload).await
    }

    pub async fn list_static_qris(&self) -> Result<Vec<StaticQris>> {
        self.inner.db.read(store::list_static_qris).await
    }

    pub async fn static_qris(&self, id: Option<i64>) -> Result<StaticQris> {
        self.inner
            .db
            .read(move |c| {
                let id = match id {
                    Some(id) => id,
                    None => store::default_static_qris_id(c)?.ok_or(Error::NoStaticQris)?,
                };
                store::get_static_qris(c, id)?.ok_or(Error::NotFound(Missing::StaticQris(id)))
            })
            .await
    }

    pub async fn set_default_static_qris(&self, actor: &Actor, id: i64) -> Result<StaticQris> {
        self.require(actor, Right::Settings).await?;
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                if store::get_static_qris(&tx, id)?.is_none() {
                    return Err(Error::NotFound(Missing::StaticQris(id)));
                }
                store::set_setting(&tx, "default_qris_id", Some(&id.to_string()))?;
                let q = store::get_static_qris(&tx, id)?
                    .ok_or(Error::NotFound(Missing::StaticQris(id)))?;
                tx.commit()?;
                Ok(q)
            })
            .await
    }

    pub async fn delete_static_qris(&self, actor: &Actor, id: i64) -> Result<()> {
        self.require(actor, Right::Settings).await?;
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                // its orders point at it: their receipts and payment pages
                // still show its merchant
                if store::static_qris_in_use(&tx, id)? {
                    return Err(Error::invalid(
                        "qris_id",
                        format!("static QRIS {id} has orders and cannot be deleted"),
                    ));
                }
                if !store::delete_static_qris(&tx, id)? {
                    return Err(Error::NotFound(Missing::StaticQris(id)));
                }
                if store::get_setting(&tx, "default_qris_id")?.as_deref() == Some(&id.to_string()) {
                    store::set_setting(&tx, "default_qris_id", None)?;
                }
                tx.commit()?;
                Ok(())
            })
            .await
    }
}

/// Check a static QRIS for import: valid, Indonesian, not a transfer code, convertible.
pub fn check_importable(payload: &str) -> Result<(qris::MerchantSummary, Vec<qris::Issue>)> {
    if payload.is_empty() {
        return Err(Error::invalid("qris_string", "qris_string is empty"));
    }
    let decoded = qris::decode(payload);
    if !decoded.valid {
        let errors: Vec<qris::Issue> = decoded
            .issues
            .iter()
            .filter(|i| i.severity == qris::Severity::Error)
            .cloned()
            .collect();
        let first = errors
            .first()
            .map(|i| i.message.clone())
            .unwrap_or_default();
        return Err(Error::InvalidQris {
            message: format!("This is not a valid QRIS code: {first}"),
            issues: errors,
        });
    }
    let summary = decoded.summary.expect("valid payloads have a summary");
    // converting a test amount proves the code can be made dynamic later
    if let Err(e) = qris::to_dynamic(
        payload,
        &qris::DynamicRequest {
            amount: 1,
            fee: None,
            reference: None,
        },
    ) {
        return Err(Error::InvalidQris {
            message: e.to_string(),
            issues: vec![],
        });
    }
    let warnings = decoded
        .issues
        .into_iter()
        .filter(|i| i.severity == qris::Severity::Warning)
        .collect();
    Ok((summary, warnings))
}
