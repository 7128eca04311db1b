//! The delivery worker: takes due deliveries from the outbox, sends them with
//! bounded concurrency (in all and per receiver), and records each attempt.
//!
//! One worker per data directory: it holds `webhooks.lock` (an OS file lock,
//! released when the process dies), so the till and `kasir serve` on the same
//! directory never both send, and after a crash the next start takes over at
//! once, sending again whatever was in flight (same `webhook-id`).

use super::sender::AttemptResult;
use super::{Delivery, DeliveryStatus};
use crate::clock::{now_ms, Millis};
use crate::service::Kasir;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, Notify};

/// The worker's lock file in the data directory.
pub const LOCK_FILE: &str = "webhooks.lock";

/// Start the worker unless another process on this data directory runs one.
pub fn spawn(kasir: Kasir) -> Option<tokio::task::JoinHandle<()>> {
    let path = kasir.data_dir().join(LOCK_FILE);
    let file = match std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) => {
            tracing::error!("webhooks: cannot open {}: {e}", path.display());
            return None;
        }
    };
    if file.try_lock().is_err() {
        tracing::info!(
            "webhooks: another Kasir process on {} delivers them",
            kasir.data_dir().display()
        );
        return None;
    }
    Some(tokio::spawn(async move {
        // the lock lives as long as the worker
        let _lock = file;
        if let Err(e) = run(kasir).await {
            tracing::error!("webhook worker stopped: {e}");
        }
    }))
}

/// What the worker holds: deliveries taken from the outbox (leased), queued per
/// receiver, and how many are in flight.
struct InFlight {
    total: usize,
    per_origin: HashMap<String, usize>,
}

type Queued = (Delivery, Arc<super::WebhookSecret>);

/// Deliveries held in memory at most, in all and per receiver.
const MAX_QUEUED: usize = 4096;
const MAX_QUEUED_PER_ORIGIN: usize = 512;
/// Taken deliveries are leased this long; only a worker that stopped without
/// its process (the lock is freed with the process) leaves leases behind.
const LEASE: Duration = Duration::from_secs(600);

async fn run(kasir: Kasir) -> crate::Result<()> {
    let config = kasir.webhook_config().clone();
    kasir
        .db()
        .write(|c| crate::store::release_all_leases(c))
        .await?;
    let wake = kasir.webhook_wake();
    let in_flight = Arc::new(Mutex::new(InFlight {
        total: 0,
        per_origin: HashMap::new(),
    }));
    let mut queues: HashMap<String, VecDeque<Queued>> = HashMap::new();
    let (done_tx, done_rx) = mpsc::unbounded_channel::<(Delivery, AttemptResult)>();
    tokio::spawn(record_results(
        kasir.clone(),
        done_rx,
        in_flight.clone(),
        wake.clone(),
    ));
    loop {
        let settings = kasir.settings().await?;
        let sender = kasir.webhook_sender();
        sender
            .policy()
            .set_block_private(settings.webhook_block_private);
        let now = now_ms();

        // take what is due from the outbox while there is room
        let queued: usize = queues.values().map(VecDeque::len).sum();
        let mut next_due = None;
        if queued < MAX_QUEUED / 2 {
            let full: Vec<String> = queues
                .iter()
                .filter(|(_, q)| q.len() >= MAX_QUEUED_PER_ORIGIN)
                .map(|(o, _)| o.clone())
                .collect();
            let room = MAX_QUEUED - queued;
            let (due, secret, next) = kasir
                .db()
                .read(move |c| {
                    let due = crate::store::due_deliveries(c, now, &full, room)?;
                    let next = crate::store::next_due_at(c)?;
                    Ok::<_, crate::Error>((due, crate::service::read_webhook_secret(c)?, next))
                })
                .await?;
            next_due = next;
            if !due.is_empty() {
                let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
                let until = now + LEASE.as_millis() as Millis;
                kasir
                    .db()
                    .write(move |c| {
                        let tx = c.transaction()?;
                        crate::store::lease_deliveries(&tx, &ids, until)?;
                        tx.commit()?;
                        Ok::<_, crate::Error>(())
                    })
                    .await?;
                let secret = Arc::new(secret);
                for d in due {
                    queues
                        .entry(d.origin.clone())
                        .or_default()
                        .push_back((d, secret.clone()));
                }
            }
        }

        // send as many as the limits allow
        {
            let mut f = in_flight.lock().unwrap_or_else(|e| e.into_inner());
            for (origin, q) in queues.iter_mut() {
                while f.total < config.max_in_flight {
                    let n = f.per_origin.get(origin).copied().unwrap_or(0);
                    if n >= config.max_in_flight_per_origin {
                        break;
                    }
                    let Some((d, secret)) = q.pop_front() else {
                        break;
                    };
                    *f.per_origin.entry(origin.clone()).or_default() += 1;
                    f.total += 1;
                    let sender = sender.clone();
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
                Duration::from_millis((at - now_ms()).clamp(1, i64::MAX) as u64)
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

/// Write finished attempts in batches (one transaction for all that are ready),
/// then free their slots.
async fn record_results(
    kasir: Kasir,
    mut done: mpsc::UnboundedReceiver<(Delivery, AttemptResult)>,
    in_flight: Arc<Mutex<InFlight>>,
    wake: Arc<Notify>,
) {
    let config = kasir.webhook_config().clone();
    while let Some(first) = done.recv().await {
        let mut batch = vec![first];
        while batch.len() < 512 {
            match done.try_recv() {
                Ok(r) => batch.push(r),
                Err(_) => break,
            }
        }
        let origins: Vec<String> = batch.iter().map(|(d, _)| d.origin.clone()).collect();
        let config = config.clone();
        let written = kasir
            .db()
            .write(move |c| {
                let tx = c.transaction()?;
                for (d, r) in &batch {
                    let (status, error) = super::record(&tx, &config, d, r, true)?;
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
            for o in origins {
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
