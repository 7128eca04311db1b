//! Orders made many at once share one commit on the writer
//! (`Db::write_grouped`), and each is answered only after that commit: an
//! order the server answered is in the file with its event, also when the
//! server is killed (SIGKILL) in the middle of a burst.

use crate::support::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answered_order_survives_a_sigkill_mid_burst() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let (code, key, err) = run_cli(
        &["--data-dir", &data, "keys", "create", "--name", "shop"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let key = key.trim().to_string();
    let (mut server, base) = spawn_serve(&data);
    Api::new(base.clone(), key.clone()).import_qris().await;

    // 32 clients, each making orders one after another until the server is gone
    let answered = Arc::new(Mutex::new(Vec::<String>::new()));
    let refused = Arc::new(Mutex::new(Vec::<String>::new()));
    let clients: Vec<_> = (0..32u64)
        .map(|c| {
            let api = Api::new(base.clone(), key.clone());
            let (answered, refused) = (answered.clone(), refused.clone());
            tokio::spawn(async move {
                for n in 0.. {
                    let amount = 10_000 + c * 1_000 + n;
                    let sent = api
                        .request(Method::POST, "/api/qris/generate")
                        .json(&json!({ "amount": amount }))
                        .send()
                        .await;
                    let Ok(res) = sent else { break };
                    let status = res.status().as_u16();
                    // a body cut off by the kill was not an answer
                    let Ok(body) = res.json::<Value>().await else {
                        break;
                    };
                    if status == 200 {
                        let id = body["payment_link"]["order_id"].as_str().unwrap();
                        answered.lock().unwrap().push(id.to_string());
                    } else {
                        refused.lock().unwrap().push(format!("{status} {body}"));
                        break;
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    while answered.lock().unwrap().len() < 400 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "only {} orders answered in a minute",
            answered.lock().unwrap().len()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL, mid-burst
    server.wait().unwrap();
    for c in clients {
        c.await.unwrap();
    }
    assert!(
        refused.lock().unwrap().is_empty(),
        "{:?}",
        refused.lock().unwrap()
    );

    let answered = answered.lock().unwrap().clone();
    let db = rusqlite::Connection::open(dir.path().join("kasir.db")).unwrap();
    let mut created = db
        .prepare(
            "SELECT COUNT(*) FROM orders o JOIN order_events e ON e.order_pk = o.id
             WHERE o.order_id = ?1 AND e.event = 'order.created'",
        )
        .unwrap();
    let lost: Vec<&String> = answered
        .iter()
        .filter(|id| {
            created
                .query_row([id.as_str()], |r| r.get::<_, i64>(0))
                .unwrap()
                != 1
        })
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} answered orders are not in the file with their event: {lost:?}",
        lost.len(),
        answered.len()
    );
    // what was stored is whole: every order has its event, and the counts the
    // triggers keep agree with the rows
    let number = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    let stored = number("SELECT COUNT(*) FROM orders");
    assert!(stored >= answered.len() as i64);
    assert_eq!(
        number("SELECT COUNT(*) FROM order_events WHERE event = 'order.created'"),
        stored
    );
    assert_eq!(
        number("SELECT COALESCE(SUM(n), 0) FROM order_status_counts"),
        stored
    );
}
