//! Webhook delivery on loopback:
//! - latency from the state change (`verify`) to the receiver reading the
//!   request: target median <= 20 ms;
//! - draining 10,000 queued events to one local receiver: target >= 1,000/s.
//!
//! cargo bench --bench webhooks
//! Results and the machine they came from: docs/BENCHMARKS.md, "Webhooks".

use axum::extract::State;
use axum::Router;
use kasir::model::{NewOrder, OrderSource};
use kasir::service::Actor;
use kasir::Kasir;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

use kasir_testdata::static_qris;

#[derive(Clone)]
struct Rx {
    arrived: mpsc::UnboundedSender<Instant>,
    count: Arc<AtomicUsize>,
}

async fn receiver() -> (String, mpsc::UnboundedReceiver<Instant>, Arc<AtomicUsize>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let count = Arc::new(AtomicUsize::new(0));
    let state = Rx {
        arrived: tx,
        count: count.clone(),
    };
    let app = Router::new()
        .fallback(|State(s): State<Rx>, _body: axum::body::Bytes| async move {
            s.count.fetch_add(1, Ordering::Relaxed);
            let _ = s.arrived.send(Instant::now());
            "{\"received\":true}"
        })
        .with_state(state);
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (url, rx, count)
}

async fn order(kasir: &Kasir, url: &str) -> String {
    kasir
        .create_order(
            &Actor::Console,
            NewOrder {
                amount: Some(50_000),
                webhook_url: Some(url.to_string()),
                ..Default::default()
            },
            OrderSource::Generate,
        )
        .await
        .unwrap()
        .order_id
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

async fn latency() {
    let dir = tempfile::tempdir().unwrap();
    let kasir = Kasir::open(dir.path()).unwrap();
    kasir
        .import_static_qris(&Actor::Console, &static_qris())
        .await
        .unwrap();
    let (url, mut arrived, _) = receiver().await;
    kasir::webhook::worker::spawn(kasir.clone());
    let mut samples = vec![];
    for i in 0..1100 {
        let id = order(&kasir, &url).await;
        let t0 = Instant::now();
        kasir
            .verify(&Actor::Integration, &id, None, None)
            .await
            .unwrap();
        let at = arrived.recv().await.unwrap();
        if i >= 100 {
            samples.push(at - t0); // the first 100 warm the connection pool
        }
    }
    samples.sort();
    println!(
        "webhooks/latency (verify -> receiver), {} samples: median {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        samples.len(),
        pct(&samples, 0.5).as_secs_f64() * 1e3,
        pct(&samples, 0.95).as_secs_f64() * 1e3,
        pct(&samples, 0.99).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3,
    );
}

async fn drain(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let kasir = Kasir::open(dir.path()).unwrap();
    kasir
        .import_static_qris(&Actor::Console, &static_qris())
        .await
        .unwrap();
    let (url, _arrived, count) = receiver().await;
    // queue n events with no worker running, then start it and time the drain
    for _ in 0..n {
        let id = order(&kasir, &url).await;
        kasir
            .verify(&Actor::Integration, &id, None, None)
            .await
            .unwrap();
    }
    let t0 = Instant::now();
    kasir::webhook::worker::spawn(kasir.clone());
    let all = kasir::webhook::DeliveryFilter {
        status: Some(kasir::webhook::DeliveryStatus::Pending),
        limit: 1,
        ..Default::default()
    };
    loop {
        let (_, pending) = kasir.webhook_deliveries(all.clone()).await.unwrap();
        if pending == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let secs = t0.elapsed().as_secs_f64();
    assert_eq!(count.load(Ordering::Relaxed), n);
    println!(
        "webhooks/drain: {n} events delivered and recorded in {:.2} s = {:.0} deliveries/s",
        secs,
        n as f64 / secs
    );
}

fn main() {
    // `cargo test --benches` runs this binary with --bench absent: stay quick
    let quick = !std::env::args().any(|a| a == "--bench");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        if quick {
            drain(50).await;
        } else {
            latency().await;
            drain(10_000).await;
        }
    });
}
