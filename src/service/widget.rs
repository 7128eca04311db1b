//! The embeddable widget (`widget.js`): payments made from a merchant's own
//! web page, identified by the public merchant id.

use super::checks::{check_text, optional_url};
use super::payment_links::random_code;
use super::settings::Settings;
use super::{Kasir, MAX_WIDGET_DESCRIPTION_LEN};
use crate::error::{Error, Missing, Result};
use crate::model::{NewOrder, Order, OrderSource, StaticQris};
use crate::store;

/// The till's public identifier for `widget.js`: `m_` and 16 characters (80
/// random bits). Not a secret: it only lets a page create widget payments.
fn new_merchant_id() -> String {
    format!("m_{}", random_code(16).to_ascii_lowercase())
}

/// The merchant id exists from the first start, so the snippet can be shown.
pub(super) fn ensure_merchant_id(c: &rusqlite::Connection) -> Result<()> {
    c.execute(
        "INSERT OR IGNORE INTO settings(key, value) VALUES ('merchant_id', ?1)",
        [new_merchant_id()],
    )?;
    Ok(())
}

/// What a page embedding the widget asks for. Everything in it comes from a
/// public page, so nothing is trusted.
#[derive(Debug, Clone, Default)]
pub struct WidgetRequest {
    pub amount: Option<i128>,
    pub description: Option<String>,
    pub callback_url: Option<String>,
    pub webhook_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct WidgetPayment {
    pub order: Order,
    /// The page named a webhook URL the merchant has not allowed; it was not used.
    pub webhook_ignored: bool,
}

pub use crate::webhook::allowlisted;

impl Kasir {
    pub async fn merchant_id(&self) -> Result<String> {
        self.inner
            .db
            .read(|c| Ok(store::get_setting(c, "merchant_id")?.unwrap_or_default()))
            .await
    }

    async fn check_merchant(&self, merchant_id: &str) -> Result<()> {
        if merchant_id.is_empty() || merchant_id != self.merchant_id().await? {
            return Err(Error::NotFound(Missing::Merchant));
        }
        Ok(())
    }

    /// What the widget shows before a payment exists: who is paid, and the limit.
    pub async fn widget_merchant(&self, merchant_id: &str) -> Result<(StaticQris, Settings)> {
        self.check_merchant(merchant_id).await?;
        Ok((self.static_qris(None).await?, self.settings().await?))
    }

    /// A payment made from a merchant's web page: an order with a link.
    pub async fn create_widget_payment(
        &self,
        merchant_id: &str,
        req: WidgetRequest,
    ) -> Result<WidgetPayment> {
        self.check_merchant(merchant_id).await?;
        let settings = self.settings().await?;
        match req.amount {
            None => {
                return Err(Error::invalid(
                    "amount",
                    "amount is required: the payment in whole rupiah, e.g. 50000",
                ))
            }
            Some(a) if a < 1 => {
                return Err(Error::invalid(
                    "amount",
                    format!("amount must be at least 1 rupiah, got {a}"),
                ))
            }
            Some(a) if a > settings.widget_max_amount as i128 => {
                return Err(Error::invalid(
                    "amount",
                    format!(
                        "amount must be at most {} rupiah for widget payments, got {a}",
                        settings.widget_max_amount
                    ),
                ))
            }
            Some(_) => {}
        }
        let description = check_text(
            "description",
            req.description.as_deref(),
            MAX_WIDGET_DESCRIPTION_LEN,
        )?;
        let callback_url = optional_url("callback_url", req.callback_url.as_deref())?;
        let asked = optional_url("webhook_url", req.webhook_url.as_deref())?;
        let (webhook_url, webhook_ignored) = match asked {
            Some(u) if allowlisted(&settings.widget_webhook_allowlist, &u) => (Some(u), false),
            Some(_) => (None, true),
            None => (None, false),
        };
        // after every check of the request, and given back when the order is
        // then refused, so only payments made are counted
        let counted = super::merchant_limits::Counted::WidgetPayment;
        self.inner
            .merchant_limits
            .admit(counted, settings.widget_payments_per_minute)?;
        let made = self
            .create_order(
                // a customer on the merchant's site: the shop's integration
                &super::Actor::Integration,
                NewOrder {
                    amount: req.amount,
                    description,
                    callback_url,
                    webhook_url,
                    ..Default::default()
                },
                OrderSource::Widget,
            )
            .await;
        let order = made.inspect_err(|_| self.inner.merchant_limits.give_back(counted))?;
        Ok(WidgetPayment {
            order,
            webhook_ignored,
        })
    }

    /// A widget payment's state, for the modal that follows it.
    pub async fn widget_payment(&self, merchant_id: &str, link_code: &str) -> Result<Order> {
        self.check_merchant(merchant_id).await?;
        let order = self.payment_link(link_code).await?;
        if order.source != OrderSource::Widget {
            return Err(Error::NotFound(Missing::PaymentLink));
        }
        Ok(order)
    }
}

#[cfg(test)]
mod widget_tests {
    use super::allowlisted;

    #[test]
    fn allowlist_matches_origin_and_path_prefix() {
        let list = vec![
            "https://shop.example".to_string(),
            "http://10.0.0.5:3000/hooks/".to_string(),
        ];
        assert!(allowlisted(&list, "https://shop.example/webhook"));
        assert!(allowlisted(&list, "https://shop.example:443/x"));
        assert!(allowlisted(&list, "http://10.0.0.5:3000/hooks/kasir"));
        assert!(allowlisted(&list, "http://10.0.0.5:3000/hooks"));
        assert!(!allowlisted(&list, "http://10.0.0.5:3000/hooksy"));
        assert!(!allowlisted(&list, "http://shop.example/webhook"));
        assert!(!allowlisted(&list, "https://shop.example.evil.com/"));
        assert!(!allowlisted(
            &list,
            "https://evil.com/?https://shop.example"
        ));
        assert!(!allowlisted(&[], "https://shop.example/"));
    }
}
