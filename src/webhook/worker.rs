//! The delivery worker: takes due deliveries from the outbox, sends them with
//! bounded concurrency (in all and per receiver), and records each attempt.
//!
//! One worker per data directory: it holds `webhooks.lock` (an OS file lock,
//! released when the process dies), so the till and `kasir serve` on the same
//! directory never both send, and after a crash the next start takes over at
//! once, sending again whatever was in flight (same `webhook-id`).

use super::sender::AttemptResult;
use super::{Delivery, DeliveryStatus, Outbox};
use crate::clock::Millis;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, Notify};

/// The worker's lock file in the data directory.
pub const LOCK_FILE: &str = "webhooks.lock";

/// Start the worker: it waits for the data directory's lock (another Kasir
/// process may hold it, and may stop at any time), then delivers for as long
/// as this process runs.
pub fn spawn(outbox: impl Into<Outbox>) -> tokio::task::JoinHandle<()> {
    let outbox = outbox.into();
    tokio::spawn(async move {
        let lock = crate::lockfile::hold(outbox.data_dir(), LOCK_FILE, "webhooks").await;
        // the lock lives as long as the worker, which never returns
        let _lock = lock;
        run(outbox).await;
    })
}

/// How many attempts are in flight, in all and per receiver. Which deliveries
/// are queued or in flight is the outbox's hold ([`Outbox::hold`]): a lease
/// that runs out while one waits behind a slow receiver must not make the next
/// fetch take it a second time, and a redelivery by hand must not send it
/// beside the worker.
struct InFlight {
    total: usize,
    per_origin: HashMap<String, usize>,
}

/// Deliveries held in memory at most, in all and per receiver. A receiver's
/// queue is topped up once it is half empty, so each fetch brings a batch,
/// and one fetch reads at most FETCH rows (a backlog of one receiver never
/// makes the worker read thousands of rows to take a few).
const MAX_QUEUED: usize = 4096;
const MAX_QUEUED_PER_ORIGIN: usize = 512;
const FETCH: usize = 1024;
/// Taken deliveries are leased this long, so that a worker that dies with
/// its process leaves them to the next start after at most this. A lease
/// running out while a delivery still waits here (behind a receiver that
/// never answers) does no harm: the outbox's hold keeps it from being taken again.
const LEASE: Duration = Duration::from_secs(600);

/// Deliver until the process ends. A failed database step (a lock held too
/// long by another writer, a full disk) is retried with a growing pause; it
/// never stops the worker.
async fn run(outbox: Outbox) {
    let config = outbox.config().clone();
    let mut failures = 0u32;
    while let Err(e) = outbox
        .db()
        .write(|c| crate::store::release_all_leases(c))
        .await
    {
        failures += 1;
        tracing::warn!("webhooks: releasing old leases failed (will retry): {e}");
        tokio::time::sleep(backoff(failures)).await;
    }
    let wake = outbox.wake_handle();
    let in_flight = Arc::new(Mutex::new(InFlight {
        total: 0,
        per_origin: HashMap::new(),
    }));
    let mut queues: HashMap<String, VecDeque<Delivery>> = HashMap::new();
    let (done_tx, done_rx) = mpsc::unbounded_channel::<(Delivery, AttemptResult)>();
    tokio::spawn(record_results(
        outbox.clone(),
        done_rx,
        in_flight.clone(),
        wake.clone(),
    ));
    loop {
        let (next_due, secret) = match fetch(&outbox, &mut queues).await {
            Ok(r) => {
                failures = 0;
                r
            }
            Err(e) => {
                failures += 1;
                tracing::warn!("webhooks: reading the outbox failed (will retry): {e}");
                tokio::time::sleep(backoff(failures)).await;
                continue;
            }
        };
        let sender = outbox.sender();

        // send as many as the limits allow, signed with the secret as it is now
        // (a rotation reaches deliveries already queued)
        {
            let mut f = in_flight.lock().unwrap_or_else(|e| e.into_inner());
            for (origin, q) in queues.iter_mut() {
                while f.total < config.max_in_flight {
                    let n = f.per_origin.get(origin).copied().unwrap_or(0);
                    if n >= config.max_in_flight_per_origin {
                        break;
                    }
                    let Some(d) = q.pop_front() else {
                        break;
                    };
                    *f.per_origin.entry(origin.clone()).or_default() += 1;
                    f.total += 1;
                    let (sender, secret) = (sender.clone(), secret.clone());
                    let done = done_tx.clone();
                    tokio::spawn(async move {
                        let result = sender.send_delivery(&d, &secret).await;
                        let _ = done.send((d, result));
                    });
                }
            }
        }
        queues.retain(|_, q| !q.is_empty());

        // sleep until woken (a new event, a finished attempt) or something comes due
        let sleep = match next_due {
            Some(at) if queues.is_empty() => {
                Duration::from_millis((at - outbox.now()).clamp(1, i64::MAX) as u64)
                    .min(config.poll_interval)
            }
            _ => config.poll_interval,
        };
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(sleep) => {}
        }
    }
}

/// 1 s, 2 s, 4 s, 8 s, then every 16 s.
fn backoff(failures: u32) -> Duration {
    Duration::from_secs(1u64 << failures.clamp(1, 5).saturating_sub(1))
}

/// Take what is due from the outbox while there is room, lease it and queue it
/// per receiver; return when the next delivery comes due and the signing
/// secret as it is now.
async fn fetch(
    outbox: &Outbox,
    queues: &mut HashMap<String, VecDeque<Delivery>>,
) -> crate::Result<(Option<Millis>, Arc<super::WebhookSecret>)> {
    let now = outbox.now();
    let queued: usize = queues.values().map(VecDeque::len).sum();
    let full: Vec<String> = queues
        .iter()
        .filter(|(_, q)| q.len() >= MAX_QUEUED_PER_ORIGIN / 2)
        .map(|(o, _)| o.clone())
        .collect();
    let room = if queued < MAX_QUEUED / 2 {
        (MAX_QUEUED - queued).min(FETCH)
    } else {
        0
    };
    let (due, secret, next, policy) = outbox
        .db()
        .read(move |c| {
            let due = if room > 0 {
                crate::store::due_deliveries(c, now, &full, room)?
            } else {
                vec![]
            };
            let next = crate::store::next_due_at(c)?;
            let secret = crate::store::webhook_secret(c)?;
            Ok::<_, crate::Error>((due, secret, next, crate::store::webhook_policy_inputs(c)?))
        })
        .await?;
    outbox.sender().policy().apply(&policy);
    // at most MAX_QUEUED_PER_ORIGIN per receiver, and never one already held;
    // the rest stays in the outbox, unleased, for a later fetch
    let mut taken = Vec::new();
    let mut per_origin: HashMap<&str, usize> = HashMap::new();
    for d in &due {
        let n = per_origin
            .entry(d.origin.as_str())
            .or_insert_with(|| queues.get(&d.origin).map_or(0, VecDeque::len));
        if *n < MAX_QUEUED_PER_ORIGIN && outbox.hold(d.id) {
            *n += 1;
            taken.push(d.id);
        }
    }
    if !taken.is_empty() {
        let ids = taken.clone();
        let until = now + LEASE.as_millis() as Millis;
        let leased = outbox
            .db()
            .write(move |c| {
                let tx = c.transaction()?;
                crate::store::lease_deliveries(&tx, &ids, until)?;
                tx.commit()?;
                Ok::<_, crate::Error>(())
            })
            .await;
        if let Err(e) = leased {
            for id in &taken {
                outbox.release(*id);
            }
            return Err(e);
        }
        let taken: HashSet<i64> = taken.into_iter().collect();
        for d in due.into_iter().filter(|d| taken.contains(&d.id)) {
            queues.entry(d.origin.clone()).or_default().push_back(d);
        }
    }
    Ok((next, Arc::new(secret)))
}

/// Write finished attempts in batches (one transaction for all that are ready),
/// then free their slots.
async fn record_results(
    outbox: Outbox,
    mut done: mpsc::UnboundedReceiver<(Delivery, AttemptResult)>,
    in_flight: Arc<Mutex<InFlight>>,
    wake: Arc<Notify>,
) {
    let config = outbox.config().clone();
    while let Some(first) = done.recv().await {
        let mut batch = vec![first];
        while batch.len() < 512 {
            match done.try_recv() {
                Ok(r) => batch.push(r),
                Err(_) => break,
            }
        }
        let finished: Vec<(i64, String)> = batch
            .iter()
            .map(|(d, _)| (d.id, d.origin.clone()))
            .collect();
        let config = config.clone();
        let now = outbox.now();
        let written = outbox
            .db()
            .write(move |c| {
                let tx = c.transaction()?;
                for (d, r) in &batch {
                    let (status, error) = super::record(&tx, &config, d, r, true, now)?;
                    if status == DeliveryStatus::Failed {
                        tracing::warn!(
                            "webhook {} to {} failed: {}",
                            d.webhook_id,
                            d.url,
                            error.as_deref().unwrap_or("")
                        );
                    }
                }
                tx.commit()?;
                Ok::<_, crate::Error>(())
            })
            .await;
        if let Err(e) = written {
            // the leases expire and the deliveries are sent again: late, not lost
            tracing::error!("webhooks: recording attempts failed: {e}");
        }
        {
            let mut f = in_flight.lock().unwrap_or_else(|e| e.into_inner());
            for (id, o) in finished {
                outbox.release(id);
                f.total = f.total.saturating_sub(1);
                if let Some(n) = f.per_origin.get_mut(&o) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        f.per_origin.remove(&o);
                    }
                }
            }
        }
        wake.notify_one();
    }
}
