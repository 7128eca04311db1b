//! API keys and their daily limits. Keys are shown once and stored hashed;
//! requests are counted in memory and written once a second.

use super::people::{Actor, Right};
use super::Kasir;
use crate::clock::{self, Millis};
use crate::error::{Error, Missing, Result};
use crate::model::{ApiKey, KeyScope, Usage};
use crate::store;
use rand::Rng;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use subtle::ConstantTimeEq;

/// Requests per key and Jakarta day, not yet written.
#[derive(Default)]
pub(super) struct UsageMeter(std::sync::Mutex<HashMap<(i64, String), UsageDay>>);

impl UsageMeter {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(i64, String), UsageDay>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Keys recently presented, by hash, so that a request need not read the
/// database to know its key (one read less per API call, measured in
/// docs/BENCHMARKS.md). A change to a key made through this process clears
/// it at once; one made by another process on the same file (`kasir keys
/// revoke` while the till runs) is seen within [`KEY_TTL`].
#[derive(Default)]
pub(super) struct KeyCache {
    keys: std::sync::Mutex<HashMap<Vec<u8>, (std::time::Instant, ApiKey)>>,
    /// Bumped by every clear: a key read from the database before a change
    /// here committed is not put back after it.
    generation: std::sync::atomic::AtomicU64,
}

const KEY_TTL: std::time::Duration = std::time::Duration::from_secs(1);

impl KeyCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Vec<u8>, (std::time::Instant, ApiKey)>> {
        self.keys.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }
    fn get(&self, hash: &[u8]) -> Option<ApiKey> {
        match self.lock().get(hash) {
            Some((at, key)) if at.elapsed() < KEY_TTL => Some(key.clone()),
            _ => None,
        }
    }
    /// Keep `key`, read when the cache was at `generation`, unless a change
    /// cleared the cache since.
    fn put(&self, hash: Vec<u8>, key: &ApiKey, generation: u64) {
        let mut keys = self.lock();
        if self.generation() != generation {
            return;
        }
        // only keys that authenticated are kept, so this stays as small as
        // the shop's list of keys; expired entries go when it grows
        if keys.len() >= 1024 {
            keys.retain(|_, (at, _)| at.elapsed() < KEY_TTL);
        }
        keys.insert(hash, (std::time::Instant::now(), key.clone()));
    }
    pub(super) fn clear(&self) {
        let mut keys = self.lock();
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        keys.clear();
    }
}

/// (key id, Jakarta day), requests per endpoint, last use.
type UsageBatch = ((i64, String), HashMap<String, i64>, Millis);

#[derive(Debug, Default)]
struct UsageDay {
    /// Requests already in the database when counting began, plus those flushed.
    stored: i64,
    pending_total: i64,
    pending: HashMap<String, i64>,
    last_used: Millis,
}

pub fn hash_key(key: &str) -> Vec<u8> {
    // keys carry 192 random bits, so a fast hash is enough: nothing to brute-force
    Sha256::digest(key.as_bytes()).to_vec()
}

/// A change to key `id` that touched no row: there is no such key.
fn found_key(changed: bool, id: i64, active_only: bool) -> Result<()> {
    match changed {
        true => Ok(()),
        false => Err(Error::NotFound(Missing::ApiKey { id, active_only })),
    }
}

fn check_daily_limit(daily_limit: Option<i64>) -> Result<()> {
    if daily_limit.is_some_and(|l| l < 1) {
        return Err(Error::invalid(
            "daily_limit",
            "daily limit must be at least 1 (leave it out for no limit)",
        ));
    }
    Ok(())
}

impl Kasir {
    /// Make a key that can do everything; the secret is returned once and
    /// only its hash is kept.
    pub async fn create_api_key(
        &self,
        actor: &Actor,
        name: &str,
        daily_limit: Option<i64>,
    ) -> Result<(ApiKey, String)> {
        self.create_scoped_api_key(actor, name, daily_limit, KeyScope::Full)
            .await
    }

    /// Make a key limited to `scope` (the shop phone's `notifications` key).
    pub async fn create_scoped_api_key(
        &self,
        actor: &Actor,
        name: &str,
        daily_limit: Option<i64>,
        scope: KeyScope,
    ) -> Result<(ApiKey, String)> {
        self.require(actor, Right::Settings).await?;
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(Error::invalid(
                "name",
                "a key needs a name of 1 to 100 characters",
            ));
        }
        check_daily_limit(daily_limit)?;
        let mut bytes = [0u8; 24];
        rand::rng().fill(&mut bytes);
        let secret = format!("ksr_{}", hex::encode(bytes));
        let hash = hash_key(&secret);
        let prefix = secret[..12].to_string();
        let now = self.now();
        let key = self
            .inner
            .db
            .write(move |c| {
                store::insert_api_key(c, &name, &prefix, &hash, daily_limit, scope, now)
            })
            .await?;
        Ok((key, secret))
    }

    pub async fn list_api_keys(&self) -> Result<Vec<ApiKey>> {
        self.inner.db.read(store::list_api_keys).await
    }

    pub async fn revoke_api_key(&self, actor: &Actor, id: i64) -> Result<()> {
        self.require(actor, Right::Settings).await?;
        let now = self.now();
        let done = self
            .inner
            .db
            .write(move |c| store::revoke_api_key(c, id, now))
            .await?;
        self.inner.keys.clear();
        found_key(done, id, true)
    }

    pub async fn set_api_key_limit(
        &self,
        actor: &Actor,
        id: i64,
        daily_limit: Option<i64>,
    ) -> Result<()> {
        self.require(actor, Right::Settings).await?;
        check_daily_limit(daily_limit)?;
        let done = self
            .inner
            .db
            .write(move |c| store::set_key_daily_limit(c, id, daily_limit))
            .await?;
        self.inner.keys.clear();
        found_key(done, id, false)
    }

    /// Whether `key` may call `endpoint` (as usage names it: `/qris/generate`).
    /// The shop phone's key posts notifications and nothing else, so a lost
    /// phone can't verify, cancel or read orders.
    pub fn check_key_scope(&self, key: &ApiKey, endpoint: &str) -> Result<()> {
        match key.scope {
            KeyScope::Full => Ok(()),
            KeyScope::Notifications
                if Some(endpoint) == super::phone::NOTIFICATIONS_PATH.strip_prefix("/api") =>
            {
                Ok(())
            }
            KeyScope::Notifications => Err(Error::Forbidden {
                allowed: "post payment notifications (POST /api/qris/payments/notifications)",
            }),
        }
    }

    /// Make key `key_id` act as person `user_id` (a cashier's tablet on the
    /// shop's LAN), with that person's rights; `None`: the owner's again.
    pub async fn set_api_key_person(
        &self,
        actor: &Actor,
        key_id: i64,
        user_id: Option<i64>,
    ) -> Result<()> {
        self.require(actor, Right::Settings).await?;
        let changed = self
            .inner
            .db
            .write(move |c| {
                if let Some(u) = user_id {
                    store::get_user(c, u)?
                        .filter(|u| u.active)
                        .ok_or(Error::NotFound(crate::error::Missing::User(u)))?;
                }
                if store::set_key_user(c, key_id, user_id)? {
                    Ok(())
                } else {
                    Err(Error::NotFound(crate::error::Missing::ApiKey {
                        id: key_id,
                        active_only: false,
                    }))
                }
            })
            .await;
        self.inner.keys.clear();
        changed
    }

    /// Who a request's key acts as: its person (while active), else the
    /// owner's integration.
    pub async fn api_actor(&self, key: &ApiKey) -> Result<Actor> {
        let Some(user_id) = key.user_id else {
            return Ok(Actor::Integration);
        };
        let user = self
            .inner
            .db
            .read(move |c| store::get_user(c, user_id))
            .await?
            .filter(|u| u.active)
            .ok_or(Error::Unauthorized)?;
        Ok(Actor::api_key_person(Some((
            crate::model::UserRef {
                id: user.id,
                name: user.name,
            },
            user.role,
        ))))
    }

    /// The key a request presents, compared in constant time; revoked keys fail.
    pub async fn authenticate(&self, presented: &str) -> Result<ApiKey> {
        let hash = hash_key(presented);
        if let Some(key) = self.inner.keys.get(&hash) {
            return Ok(key);
        }
        let generation = self.inner.keys.generation();
        let lookup = hash.clone();
        let key = self
            .inner
            .db
            .read(move |c| {
                let Some((key, stored)) = store::api_key_by_hash(c, &lookup)? else {
                    return Err(Error::Unauthorized);
                };
                if !bool::from(stored.as_slice().ct_eq(lookup.as_slice()))
                    || key.revoked_at.is_some()
                {
                    return Err(Error::Unauthorized);
                }
                Ok(key)
            })
            .await?;
        self.inner.keys.put(hash, &key, generation);
        Ok(key)
    }

    /// Count a request against its key's daily limit, or refuse it. Counts are
    /// kept in memory and written at most a second later ([`Kasir::flush_usage`]),
    /// so a request costs no write of its own; a crash loses at most a second
    /// of counts, never an order.
    pub async fn record_request(&self, key: &ApiKey, endpoint: &str) -> Result<()> {
        let now = self.now();
        let slot = (key.id, clock::jakarta_day(now));
        loop {
            {
                let mut meter = self.inner.usage.lock();
                if let Some(day) = meter.get_mut(&slot) {
                    if let Some(limit) = key.daily_limit {
                        if day.stored + day.pending_total >= limit {
                            let secs = (clock::ms_until_jakarta_midnight(now) as u64)
                                .div_ceil(1000)
                                .max(1);
                            return Err(Error::RateLimited {
                                limit,
                                retry_after_secs: secs,
                            });
                        }
                    }
                    *day.pending.entry(endpoint.to_string()).or_default() += 1;
                    day.pending_total += 1;
                    day.last_used = now;
                    return Ok(());
                }
            }
            // first request of this key today in this process: what is stored already
            let (key_id, d) = (slot.0, slot.1.clone());
            let stored = self
                .inner
                .db
                .read(move |c| store::usage_today_total(c, key_id, &d))
                .await?;
            self.inner
                .usage
                .lock()
                .entry(slot.clone())
                .or_insert_with(|| UsageDay {
                    stored,
                    ..Default::default()
                });
        }
    }

    /// Write the request counts kept in memory, in one transaction.
    pub async fn flush_usage(&self) -> Result<()> {
        let batch: Vec<UsageBatch> = {
            let mut meter = self.inner.usage.lock();
            let today = clock::jakarta_day(self.now());
            // days gone by have nothing left to limit
            meter.retain(|(_, day), d| *day == today || d.pending_total > 0);
            meter
                .iter_mut()
                .filter(|(_, d)| d.pending_total > 0)
                .map(|(k, d)| {
                    d.stored += d.pending_total;
                    d.pending_total = 0;
                    (k.clone(), std::mem::take(&mut d.pending), d.last_used)
                })
                .collect()
        };
        if batch.is_empty() {
            return Ok(());
        }
        let rows = batch.clone();
        let written = self
            .inner
            .db
            .write(move |c| {
                let tx = c.transaction()?;
                for ((key_id, day), endpoints, last_used) in &rows {
                    for (endpoint, n) in endpoints {
                        store::add_usage(&tx, *key_id, day, endpoint, *n, *last_used)?;
                    }
                }
                tx.commit()?;
                Ok::<_, Error>(())
            })
            .await;
        if written.is_err() {
            // keep the counts for the next flush
            let mut meter = self.inner.usage.lock();
            for (k, endpoints, _) in batch {
                let d = meter.entry(k).or_default();
                for (e, n) in endpoints {
                    d.stored -= n;
                    d.pending_total += n;
                    *d.pending.entry(e).or_default() += n;
                }
            }
        }
        written
    }

    pub async fn usage(&self, key: &ApiKey) -> Result<Usage> {
        self.flush_usage().await?;
        let (key_id, limit) = (key.id, key.daily_limit);
        let now = self.now();
        self.inner
            .db
            .read(move |c| {
                let today = store::usage_by_endpoint(c, key_id, &clock::jakarta_day(now))?;
                let month = store::usage_by_endpoint(
                    c,
                    key_id,
                    &format!("{}-%", clock::jakarta_month(now)),
                )?;
                Ok(Usage {
                    daily_limit: limit,
                    today_total: today.iter().map(|e| e.request_count).sum(),
                    today,
                    month_total: month.iter().map(|e| e.request_count).sum(),
                    month,
                })
            })
            .await
    }
}
