//! Automatic payment confirmation (docs/AUTO-CONFIRM.md):
//! - a phone's notification posted over HTTP → the order paid → its webhook
//!   at the receiver: target median <= 20 ms. Baseline in the same run: the
//!   cashier's path, `POST /verify` over HTTP → the webhook at the receiver.
//! - a 10,000-row bank statement reconciled against 10,000 open orders:
//!   target <= 1 s. Baseline in the same run: reading (parsing) the file alone.
//!
//! cargo bench --bench auto_confirm
//! Results and the machine they came from: docs/BENCHMARKS.md, "Automatic confirmation".

use axum::extract::State;
use axum::Router;
use kasir::model::{NewOrder, OrderSource};
use kasir::service::Actor;
use kasir::service::SettingsPatch;
use kasir::Kasir;
use kasir_testdata::static_qris;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

async fn receiver() -> (String, mpsc::UnboundedReceiver<Instant>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = Router::new()
        .fallback(
            |State(s): State<mpsc::UnboundedSender<Instant>>, _b: axum::body::Bytes| async move {
                let _ = s.send(Instant::now());
                "{}"
            },
        )
        .with_state(tx);
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (url, rx)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

async fn latency(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let kasir = Kasir::open(dir.path()).unwrap();
    kasir
        .import_static_qris(&Actor::Console, &static_qris())
        .await
        .unwrap();
    let (hook, mut arrived) = receiver().await;
    kasir
        .update_settings(
            &Actor::Console,
            SettingsPatch {
                unique_code: Some("add".into()),
                default_webhook_url: Some(Some(hook)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let server = kasir::http::start(kasir.clone(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let base = format!("http://{}", server.addr);
    let (_, key) = kasir
        .create_api_key(&Actor::Console, "bench", None)
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let (mut notified, mut verified) = (vec![], vec![]);
    for i in 0..n + 50 {
        // alternate the two paths so both see the same machine
        let o = kasir
            .create_order(
                &Actor::Console,
                NewOrder {
                    amount: Some(10_000 + (i as i128 % 50) * 100),
                    ..Default::default()
                },
                OrderSource::Generate,
            )
            .await
            .unwrap();
        let t0 = Instant::now();
        if i % 2 == 0 {
            let r = client
                .post(format!("{base}/api/qris/payments/notifications"))
                .header("x-api-key", &key)
                .json(&serde_json::json!({
                    "app": "id.dana",
                    "title": "DANA",
                    "text": format!("Kamu berhasil menerima Rp{} dari BUDI", kasir::pdf::rupiah(o.total_amount).trim_start_matches("Rp ")),
                    "id": format!("n{i}"),
                }))
                .send()
                .await
                .unwrap();
            let v: serde_json::Value = r.json().await.unwrap();
            assert_eq!(v["result"], "confirmed", "{v}");
        } else {
            let r = client
                .post(format!("{base}/api/qris/orders/{}/verify", o.order_id))
                .header("x-api-key", &key)
                .json(&serde_json::json!({}))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        }
        let at = arrived.recv().await.unwrap();
        if i >= 50 {
            if i % 2 == 0 {
                notified.push(at - t0)
            } else {
                verified.push(at - t0)
            }
        }
    }
    notified.sort();
    verified.sort();
    let (mn, mv) = (pct(&notified, 0.5), pct(&verified, 0.5));
    println!(
        "auto_confirm/notification -> paid -> webhook, {} samples: median {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
        notified.len(), ms(mn), ms(pct(&notified, 0.95)), ms(pct(&notified, 0.99))
    );
    println!(
        "auto_confirm/baseline verify -> webhook, {} samples: median {:.2} ms, p95 {:.2} ms; ratio notification/verify {:.2}",
        verified.len(), ms(mv), ms(pct(&verified, 0.95)), mn.as_secs_f64() / mv.as_secs_f64()
    );
}

async fn statement(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let kasir = Kasir::open(dir.path()).unwrap();
    kasir
        .import_static_qris(&Actor::Console, &static_qris())
        .await
        .unwrap();
    let mut rows = String::from("Date,Description,Branch,Amount,,Balance\n");
    let t = Instant::now();
    for i in 0..n {
        let o = kasir
            .create_order(
                &Actor::Console,
                NewOrder {
                    amount: Some(10_000 + i as i128),
                    ..Default::default()
                },
                OrderSource::Generate,
            )
            .await
            .unwrap();
        let day = kasir.zone().await.unwrap().day_of(o.created_at);
        let d = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap();
        rows.push_str(&format!(
            "'{},TRSF E-BANKING CR {i},'0000,{}.00,CR,1.00\n",
            d.format("%d/%m/%Y"),
            o.total_amount
        ));
    }
    println!(
        "auto_confirm/statement: {n} open orders made in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let bytes = rows.into_bytes();
    let t = Instant::now();
    let parsed = kasir::statement::parse(&bytes).unwrap();
    let parse = t.elapsed();
    assert_eq!(parsed.lines.len(), n);
    let t = Instant::now();
    let r = kasir
        .reconcile_statement(&Actor::Console, bytes, None)
        .await
        .unwrap();
    let whole = t.elapsed();
    assert_eq!(r.confirmed.len(), n, "every credit confirms its order");
    println!(
        "auto_confirm/statement: {n} rows against {n} open orders reconciled in {:.0} ms (baseline: reading the file alone {:.1} ms; ratio {:.0})",
        ms(whole), ms(parse), whole.as_secs_f64() / parse.as_secs_f64()
    );
}

fn main() {
    // `cargo test --benches` runs this binary with --bench absent: stay quick
    let quick = !std::env::args().any(|a| a == "--bench");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        if quick {
            latency(10).await;
            statement(50).await;
        } else {
            latency(1000).await;
            statement(10_000).await;
        }
    });
}
