//! Deliveries outlive the process that queued them: a crash, a SIGKILL, and
//! two processes on one data directory.

use super::{fast, link, until, WAIT};
use crate::support::receiver::{Receiver, Reply};
use crate::support::*;
use kasir::webhook::WebhookConfig;
use std::time::{Duration, Instant};

/// A restart with retries pending: the first process's runtime is shut down
/// (its worker and lock gone), a second opens the same directory and delivers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pending_retries_survive_a_restart() {
    let rx = Receiver::start().await;
    rx.set_default(Reply::Status(500));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let url = rx.url.clone();
    let first_rx = rx.clone();
    let slow_retry = WebhookConfig {
        retry_schedule: vec![Duration::from_secs(3600)],
        give_up_after: Duration::from_secs(7200),
        ..fast()
    };
    let order_id = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let id = rt.block_on(async move {
            let kasir = kasir::Kasir::open_with(&path, slow_retry).unwrap();
            let api = Api::serve(&kasir).await;
            api.import_qris().await;
            let (order_id, code) = link(&api, &url, "restart").await;
            api.public_post(&format!("/api/pay/{code}/confirm")).await;
            // the first attempt fails and its retry is written down
            first_rx.wait_for(1, WAIT).await;
            let deadline = Instant::now() + WAIT;
            let all = kasir::webhook::DeliveryFilter {
                limit: 10,
                ..Default::default()
            };
            while kasir.webhook_deliveries(all.clone()).await.unwrap().0[0]
                .attempts
                .is_empty()
            {
                assert!(Instant::now() < deadline);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            order_id
        });
        // the "crash": every task of this process's runtime is dropped
        rt.shutdown_background();
        id
    })
    .join()
    .unwrap();
    // the retry is an hour away; a restart must not lose it. Bring it due.
    let db = rusqlite::Connection::open(dir.path().join("kasir.db")).unwrap();
    let pending: i64 = db
        .query_row(
            "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at > ?1",
            [chrono::Utc::now().timestamp_millis()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 1);
    db.execute("UPDATE webhook_deliveries SET next_attempt_at = 0", [])
        .unwrap();
    rx.set_default(Reply::Status(200));
    let app = TestApp::start_in(dir, fast()).await;
    let log = until(&app, &order_id, |d| d[0]["status"] == "delivered").await;
    assert_eq!(log[0]["attempt_count"], 2);
    let hits = rx.hits();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0].header("webhook-id"), hits[1].header("webhook-id"));
}

/// `kasir serve` killed (SIGKILL) while a delivery is in flight, then started
/// again: the event is delivered, with the same `webhook-id`.
#[tokio::test]
async fn a_killed_server_delivers_after_it_starts_again() {
    let rx = Receiver::start().await;
    rx.script([Reply::Hang]);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        let (code, out, err) = run_cli(&[&["--data-dir", data.as_str()], args].concat(), None);
        assert_eq!(code, 0, "{err}");
        out.trim().to_string()
    };
    let key = run(&["keys", "create", "--name", "shop"]);
    run(&["settings", "--default-webhook-url", &rx.url]);
    let serve = || spawn_serve(&data);
    let (mut first, base) = serve();
    let api = Api::new(base, key.clone());
    api.import_qris().await;
    let (order_id, _) = api.generate(15000).await;
    api.post_empty(&format!("/api/qris/orders/{order_id}/verify"))
        .await;
    rx.wait_for(1, WAIT).await;
    first.kill().unwrap(); // SIGKILL, mid-delivery
    first.wait().unwrap();

    let (mut second, base) = serve();
    let hits = rx.wait_for(2, WAIT).await;
    assert_eq!(hits[0].header("webhook-id"), hits[1].header("webhook-id"));
    assert_eq!(hits[1].json()["event"], "payment.confirmed");
    until(&Api::new(base, key), &order_id, |d| {
        d.first().is_some_and(|d| d["status"] == "delivered")
    })
    .await;
    second.kill().unwrap();
    second.wait().unwrap();
}

/// The till and `kasir serve` on one data directory: only the lock holder
/// sends, and when it stops the other takes over, without a restart.
#[tokio::test]
async fn another_process_on_the_directory_takes_over_sending() {
    let rx = Receiver::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    // "kasir serve": a worker on its own runtime, holding the lock
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<()>();
    let first = std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let kasir = kasir::Kasir::open_with(&path, fast()).unwrap();
            kasir::webhook::worker::spawn(kasir);
            // give it the lock before the second process starts
            tokio::time::sleep(Duration::from_millis(300)).await;
        });
        ready_tx.send(()).unwrap();
        stop_rx.recv().unwrap();
        rt.shutdown_background();
    });
    ready_rx.recv().unwrap();
    // "the till": same directory, its worker waits for the lock
    let app = TestApp::start_in(dir, fast()).await;
    app.import_qris().await;
    stop_tx.send(()).unwrap();
    first.join().unwrap();

    let (order_id, code) = link(&app, &rx.url, "takeover").await;
    let (s, _) = app.public_post(&format!("/api/pay/{code}/confirm")).await;
    assert_eq!(s, 200);
    let log = until(&app, &order_id, |d| {
        d.first().is_some_and(|d| d["status"] == "delivered")
    })
    .await;
    assert_eq!(log[0]["event"], "payment.awaiting_confirmation");
    assert_eq!(rx.hits().len(), 1);
}
