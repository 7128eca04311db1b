use super::test_support::Shop;
use super::*;
use crate::model::{DeliveryFilter, NewOrder, OrderFilter, OrderSource};

/// 2025-12-26T16:30:00Z: 23:30 WIB on the 26th, 00:30 WITA on the 27th.
const LATE_EVENING_UTC: Millis = 1_766_766_600_000;

#[tokio::test]
async fn a_makassar_shop_reads_its_day_in_its_own_zone() {
    let shop = Shop::open_at(LATE_EVENING_UTC).await;
    let k = &shop.kasir;
    assert_eq!(k.today().await.unwrap(), "2025-12-26");
    k.update_settings(
        &Actor::Console,
        SettingsPatch {
            timezone: Some("Asia/Makassar".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(k.zone().await.unwrap().label(), "WITA");
    assert_eq!(k.today().await.unwrap(), "2025-12-27");
    // the 27th in Makassar starts at 16:00 UTC on the 26th
    let (from, to) = k.day_bounds("2025-12-27").await.unwrap();
    assert_eq!(
        (from, to - from),
        (LATE_EVENING_UTC - 30 * 60_000, 86_400_000)
    );
    let e = k.day_bounds("2025-02-30").await.unwrap_err();
    assert_eq!(e.field(), Some("date"));
}

#[tokio::test]
async fn blocking_work_that_panics_is_an_internal_error_naming_it() {
    let r: Result<()> = blocking("drawing the standee", || panic!("boom")).await;
    assert!(
        matches!(r, Err(Error::TaskFailed("drawing the standee"))),
        "{r:?}"
    );
    assert_eq!(Error::TaskFailed("x").code(), "internal");
}

#[tokio::test]
async fn a_standee_with_an_amount_carries_the_order_it_made() {
    let shop = Shop::open_at(LATE_EVENING_UTC).await;
    let (pdf, order) = shop
        .kasir
        .standee_pdf(Some(25_000), crate::pdf::Paper::A6)
        .await
        .unwrap();
    let order = order.expect("an order for the amount");
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!((order.amount, order.source), (25_000, OrderSource::Till));
    let stored = shop.kasir.order(&order.order_id).await.unwrap();
    assert_eq!(stored.payload, order.payload);
    assert!(
        stored.payload.contains("540525000"),
        "tag 54 holds the amount"
    );
    // an amount the QRIS can't carry is refused before anything is drawn or stored
    let e = shop
        .kasir
        .standee_pdf(Some(u64::MAX), crate::pdf::Paper::A6)
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("amount"));
    let (_, total) = shop
        .kasir
        .list_orders(OrderFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(total, 1);
}

/// A receiver that accepts the connection and never answers, holding the
/// worker's attempt open.
async fn silent_receiver() -> (String, tokio::task::JoinHandle<()>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut held = vec![];
        while let Ok((s, _)) = l.accept().await {
            held.push(s);
        }
    });
    (url, task)
}

#[tokio::test]
async fn a_redelivery_while_the_worker_sends_the_same_delivery_is_refused() {
    let shop = Shop::open_at(crate::clock::now_ms()).await;
    let k = &shop.kasir;
    let (url, _receiver) = silent_receiver().await;
    let o = k
        .create_order(
            &Actor::Console,
            NewOrder {
                amount: Some(10_000),
                webhook_url: Some(url),
                ..Default::default()
            },
            OrderSource::Generate,
        )
        .await
        .unwrap();
    k.verify(&Actor::Integration, &o.order_id, None, None)
        .await
        .unwrap();
    let worker = crate::webhook::worker::spawn(k.clone());
    let (logs, _) = k
        .webhook_deliveries(DeliveryFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    let id = logs[0].delivery.id;
    // the worker takes it and waits on the silent receiver
    let outbox = k.webhook_outbox();
    for _ in 0..200 {
        if outbox.is_held(id) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(outbox.is_held(id), "the worker took the delivery");
    let e = k.redeliver_webhook(&Actor::Console, id).await.unwrap_err();
    assert!(matches!(e, Error::DeliveryBusy(d) if d == id), "{e:?}");
    worker.abort();
}
