//! The narrow handle the delivery worker works through: the database, the
//! schedule, the sender and what is being sent right now. The engine makes
//! one and shares it, so the worker never needs the whole engine.

use super::{AddressPolicy, Sender, WebhookConfig};
use crate::clock::{Clock, Millis};
use crate::db::Db;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::Notify;

#[derive(Clone)]
pub struct Outbox {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    data_dir: PathBuf,
    config: WebhookConfig,
    clock: Arc<dyn Clock>,
    /// Rung after a commit that may have written deliveries.
    wake: Arc<Notify>,
    policy: Arc<AddressPolicy>,
    sender: RwLock<Sender>,
    /// Deliveries being sent in this process, by the worker (queued or in
    /// flight) or by hand (a redelivery): each is sent by one of them at a time.
    held: Mutex<HashSet<i64>>,
}

impl Outbox {
    pub fn new(db: Db, data_dir: PathBuf, config: WebhookConfig, clock: Arc<dyn Clock>) -> Outbox {
        let policy = Arc::new(AddressPolicy::default());
        let sender = Sender::new(policy.clone(), config.attempt_timeout);
        Outbox {
            inner: Arc::new(Inner {
                db,
                data_dir,
                config,
                clock,
                wake: Arc::new(Notify::new()),
                policy,
                sender: RwLock::new(sender),
                held: Mutex::new(HashSet::new()),
            }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    pub fn config(&self) -> &WebhookConfig {
        &self.inner.config
    }

    pub fn now(&self) -> Millis {
        self.inner.clock.now()
    }

    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    pub fn wake_handle(&self) -> Arc<Notify> {
        self.inner.wake.clone()
    }

    pub fn sender(&self) -> Sender {
        self.inner
            .sender
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Where this process's API listens: webhooks are never sent there.
    pub fn set_listening(&self, addr: Option<std::net::SocketAddr>) {
        self.inner.policy.set_own(addr);
        let sender = Sender::new(self.inner.policy.clone(), self.inner.config.attempt_timeout);
        *self.inner.sender.write().unwrap_or_else(|e| e.into_inner()) = sender;
    }

    /// Take a delivery to send it; false when it is already being sent here.
    pub fn hold(&self, id: i64) -> bool {
        self.held().insert(id)
    }

    pub fn release(&self, id: i64) {
        self.held().remove(&id);
    }

    pub fn is_held(&self, id: i64) -> bool {
        self.held().contains(&id)
    }

    fn held(&self) -> std::sync::MutexGuard<'_, HashSet<i64>> {
        self.inner.held.lock().unwrap_or_else(|e| e.into_inner())
    }
}
