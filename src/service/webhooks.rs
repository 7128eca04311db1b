//! Webhooks as the merchant manages them: the signing secret, the delivery
//! log, sending again by hand, a test ping, and the outbox row written with
//! each state change. Sending and retrying is `webhook::worker`'s.

use super::checks::check_url;
use super::people::{Actor, Right};
use super::Kasir;
use crate::clock::Millis;
use crate::error::{Error, Missing, Result};
use crate::model::{Attempt, Delivery, DeliveryFilter, DeliveryStatus, Order, OrderEvent};
use crate::store;
use crate::webhook::{self, Outbox, WebhookConfig, WebhookSecret};
use std::sync::Arc;

/// A delivery and its attempts, as the webhook log shows them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeliveryLog {
    #[serde(flatten)]
    pub delivery: Delivery,
    #[serde(rename = "attempt_log")]
    pub attempts: Vec<Attempt>,
}

/// The signing secret exists from the first start.
pub(super) fn ensure_secret(c: &rusqlite::Connection) -> Result<()> {
    c.execute(
        "INSERT OR IGNORE INTO settings(key, value) VALUES ('webhook_secret', ?1)",
        [webhook::new_secret()],
    )?;
    Ok(())
}

/// Write the webhook of a state change to the outbox, in the same
/// transaction: to the order's `webhook_url`, else the merchant's default.
pub(super) fn enqueue(
    tx: &rusqlite::Transaction<'_>,
    order: &Order,
    event_id: i64,
    event: OrderEvent,
    at: Millis,
) -> Result<()> {
    let url = match &order.webhook_url {
        Some(u) => Some(u.clone()),
        None => store::get_setting(tx, "default_webhook_url")?,
    };
    let Some(url) = url else {
        return Ok(());
    };
    let body = webhook::order_body(order, event, at);
    store::insert_delivery(
        tx,
        &store::NewDelivery {
            webhook_id: &webhook::new_webhook_id(),
            order_pk: Some(order.id),
            order_event_id: Some(event_id),
            event: event.as_str(),
            url: &url,
            origin: &webhook::origin_of(&url),
            body: &body,
            next_attempt_at: Some(at),
            created_at: at,
        },
    )?;
    Ok(())
}

/// The worker's handle on this engine's outbox: `webhook::worker::spawn(kasir)`.
impl From<Kasir> for Outbox {
    fn from(k: Kasir) -> Outbox {
        k.inner.webhooks.clone()
    }
}

impl Kasir {
    pub fn webhook_outbox(&self) -> Outbox {
        self.inner.webhooks.clone()
    }

    pub fn webhook_config(&self) -> &WebhookConfig {
        self.inner.webhooks.config()
    }

    pub fn webhook_wake(&self) -> Arc<tokio::sync::Notify> {
        self.inner.webhooks.wake_handle()
    }

    /// The address policy as the settings say now (another process may have
    /// changed them).
    pub(super) async fn refresh_webhook_policy(&self) -> Result<()> {
        let inputs = self.inner.db.read(store::webhook_policy_inputs).await?;
        self.webhook_sender().policy().apply(&inputs);
        Ok(())
    }

    /// A `webhook_url` whose host is an address the policy refuses is refused
    /// when it is given, naming `field`, rather than failing later unseen.
    /// (A name is checked as it is resolved, when the webhook is sent.)
    pub(super) async fn check_receiver(
        &self,
        field: &'static str,
        url: Option<&str>,
    ) -> Result<()> {
        let Some(url) = url else {
            return Ok(());
        };
        self.refresh_webhook_policy().await?;
        self.check_receiver_as(field, url, None)
    }

    /// `chosen`: see [`webhook::Sender::precheck_as`].
    pub(super) fn check_receiver_as(
        &self,
        field: &'static str,
        url: &str,
        chosen: Option<bool>,
    ) -> Result<()> {
        self.webhook_sender()
            .precheck_as(url, chosen)
            .map(|_| ())
            .map_err(|why| Error::invalid(field, format!("{field} can't be sent webhooks: {why}")))
    }

    pub fn webhook_sender(&self) -> webhook::Sender {
        self.inner.webhooks.sender()
    }

    /// Where this process's API listens: webhooks are never sent there, and
    /// beyond loopback private receivers are refused. Written down too, for a
    /// webhook worker running in another process on the same directory.
    pub fn set_listening(&self, addr: Option<std::net::SocketAddr>) {
        self.inner.webhooks.set_listening(addr);
        let value = addr.map(|a| a.to_string());
        let stored = self
            .inner
            .db
            .write_blocking(move |c| store::set_setting(c, "listening_addr", value.as_deref()));
        if let Err(e) = stored {
            tracing::warn!("could not record where the API listens: {e}");
        }
    }

    /// The signing secret, shown in Pengaturan: the owner's to see.
    pub async fn webhook_secret(&self, actor: &Actor) -> Result<WebhookSecret> {
        self.require(actor, Right::Settings).await?;
        self.signing_secret().await
    }

    async fn signing_secret(&self) -> Result<WebhookSecret> {
        self.inner.db.read(store::webhook_secret).await
    }

    /// Replace the signing secret. For 24 h the old one still signs beside the
    /// new (in `webhook-signature`), so receivers can switch without a gap.
    pub async fn rotate_webhook_secret(&self, actor: &Actor) -> Result<WebhookSecret> {
        self.require(actor, Right::Settings).await?;
        let now = self.now();
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let old = store::webhook_secret(&tx)?;
                store::set_setting(&tx, "webhook_secret_previous", Some(&old.secret))?;
                store::set_setting(&tx, "webhook_secret", Some(&webhook::new_secret()))?;
                store::set_setting(&tx, "webhook_secret_rotated_at", Some(&now.to_string()))?;
                let s = store::webhook_secret(&tx)?;
                tx.commit()?;
                Ok(s)
            })
            .await
    }

    pub async fn webhook_deliveries(
        &self,
        filter: DeliveryFilter,
    ) -> Result<(Vec<DeliveryLog>, u64)> {
        self.inner
            .db
            .read(move |c| {
                let (list, total) = store::list_deliveries(c, &filter)?;
                let logs = list
                    .into_iter()
                    .map(|d| {
                        let attempts = store::attempts_of(c, d.id)?;
                        Ok(DeliveryLog {
                            delivery: d,
                            attempts,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok((logs, total))
            })
            .await
    }

    pub async fn webhook_delivery(&self, id: i64) -> Result<DeliveryLog> {
        self.inner
            .db
            .read(move |c| {
                let d = store::get_delivery(c, id)?
                    .ok_or(Error::NotFound(Missing::WebhookDelivery(id)))?;
                let attempts = store::attempts_of(c, d.id)?;
                Ok(DeliveryLog {
                    delivery: d,
                    attempts,
                })
            })
            .await
    }

    /// Send a delivery again now, whatever its state, and record the attempt.
    /// A pending one keeps its schedule if this fails; a delivered one stays
    /// delivered. One the worker is sending right now is refused, so a receiver
    /// never gets the same event twice at once.
    pub async fn redeliver_webhook(&self, actor: &Actor, id: i64) -> Result<DeliveryLog> {
        self.require(actor, Right::Settings).await?;
        let outbox = &self.inner.webhooks;
        if !outbox.hold(id) {
            return Err(Error::DeliveryBusy(id));
        }
        let sent = async {
            let log = self.webhook_delivery(id).await?;
            self.attempt_now(log.delivery, true).await
        }
        .await;
        outbox.release(id);
        sent
    }

    /// Send a signed `ping` event to `url` once, so an integrator can check a
    /// receiver. It is logged like any delivery and never retried.
    pub async fn send_test_webhook(&self, actor: &Actor, url: &str) -> Result<DeliveryLog> {
        self.require(actor, Right::Settings).await?;
        let url = check_url("url", url)?;
        self.check_receiver("url", Some(&url)).await?;
        let now = self.now();
        let body = webhook::ping_body(now);
        let id = self
            .inner
            .db
            .write(move |c| {
                store::insert_delivery(
                    c,
                    &store::NewDelivery {
                        webhook_id: &webhook::new_webhook_id(),
                        order_pk: None,
                        order_event_id: None,
                        event: "ping",
                        url: &url,
                        origin: &webhook::origin_of(&url),
                        body: &body,
                        next_attempt_at: None,
                        created_at: now,
                    },
                )
            })
            .await?;
        let log = self.webhook_delivery(id).await?;
        self.attempt_now(log.delivery, false).await
    }

    async fn attempt_now(&self, d: Delivery, scheduled: bool) -> Result<DeliveryLog> {
        let secret = self.signing_secret().await?;
        let sender = self.webhook_sender();
        self.refresh_webhook_policy().await?;
        let result = sender.send_delivery(&d, &secret).await;
        let config = self.webhook_config().clone();
        let (id, now) = (d.id, self.now());
        self.inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                let scheduled = scheduled && d.status == DeliveryStatus::Pending;
                webhook::record(&tx, &config, &d, &result, scheduled, now)?;
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await?;
        self.webhook_delivery(id).await
    }
}
