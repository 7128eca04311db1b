use super::*;
use crate::service::test_support::Shop;
use std::time::Duration;

/// 2025-12-26T10:00:00Z
const T0: Millis = 1_766_743_200_000;

fn sale(amount: i128) -> NewOrder {
    NewOrder {
        amount: Some(amount),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_order_past_its_expiry_reads_expired_and_cannot_be_verified() {
    let shop = Shop::open_at(T0).await;
    let k = &shop.kasir;
    let o = k
        .create_order(
            &Actor::Console,
            NewOrder {
                expires_in_minutes: Some(1),
                ..sale(15_000)
            },
            OrderSource::Till,
        )
        .await
        .unwrap();
    shop.clock.advance(Duration::from_secs(59));
    assert_eq!(
        k.order(&o.order_id).await.unwrap().status,
        OrderStatus::Pending
    );
    shop.clock.advance(Duration::from_secs(1));
    // read before the sweeper wrote anything: already expired
    assert_eq!(
        k.order(&o.order_id).await.unwrap().status,
        OrderStatus::Expired
    );
    let e = k
        .verify(&Actor::Console, &o.order_id, None, None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Closed {
                status: OrderStatus::Expired,
                ..
            }
        ),
        "{e:?}"
    );
    // the refused verify still wrote the expiry, once
    assert_eq!(k.expire_due().await.unwrap(), 0);
    let events: Vec<_> = k
        .order_events(&o.order_id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.event, e.actor, e.created_at))
        .collect();
    assert_eq!(
        events,
        vec![
            ("order.created".to_string(), "till".to_string(), T0),
            (
                "payment.expired".to_string(),
                "system".to_string(),
                T0 + 60_000
            ),
        ]
    );
}

#[tokio::test]
async fn the_sweeper_expires_due_orders_by_the_engines_clock() {
    let shop = Shop::open_at(T0).await;
    let k = &shop.kasir;
    for m in [1, 2, 3] {
        k.create_order(
            &Actor::Console,
            NewOrder {
                expires_in_minutes: Some(m),
                ..sale(1_000 * m as i128)
            },
            OrderSource::Generate,
        )
        .await
        .unwrap();
    }
    assert_eq!(k.expire_due().await.unwrap(), 0);
    shop.clock.advance(Duration::from_secs(150));
    assert_eq!(k.expire_due().await.unwrap(), 2);
    assert_eq!(k.expire_due().await.unwrap(), 0);
    let totals = k.totals(0, Millis::MAX).await.unwrap();
    let count = |s| totals.iter().find(|t| t.0 == s).map_or(0, |t| t.1);
    assert_eq!(
        (count(OrderStatus::Expired), count(OrderStatus::Pending)),
        (2, 1)
    );
}

#[tokio::test]
async fn a_link_code_that_keeps_clashing_is_its_own_error_and_writes_nothing() {
    let shop = Shop::open_at(T0).await;
    let first = shop
        .kasir
        .create_order(&Actor::Console, sale(5_000), OrderSource::Till)
        .await
        .unwrap();
    let taken = first.link_code.clone();
    let outcome = shop
        .kasir
        .db()
        .write_blocking(move |c| {
            let tx = c.transaction()?;
            let q = store::get_static_qris(&tx, first.qris_id)?.expect("the order's static QRIS");
            let row = OrderRow {
                order_id: "ORD-CLASH",
                link_code: "",
                qris_id: first.qris_id,
                source: OrderSource::Till,
                amount: 1,
                unique_code: 0,
                fee: None,
                fee_amount: 0,
                total_amount: 1,
                description: None,
                payload: &first.payload,
                webhook_url: None,
                callback_url: None,
                created_at: T0,
                expires_at: T0 + 60_000,
            };
            let mut tries = 0;
            let r = insert_with_fresh_code(&tx, &row, &q, || {
                tries += 1;
                taken.clone()
            })?;
            tx.commit()?;
            Ok::<_, Error>((r, tries))
        })
        .unwrap();
    assert!(
        matches!(outcome.0, Err(Error::LinkCodesExhausted)),
        "{:?}",
        outcome.0
    );
    assert_eq!(outcome.1, LINK_CODE_TRIES);
    assert!(matches!(
        shop.kasir.order("ORD-CLASH").await,
        Err(Error::NotFound(Missing::Order(_)))
    ));
}

#[tokio::test]
async fn a_transition_from_a_status_the_row_no_longer_has_is_stale() {
    let shop = Shop::open_at(T0).await;
    let o = shop
        .kasir
        .create_order(&Actor::Console, sale(5_000), OrderSource::Till)
        .await
        .unwrap();
    shop.kasir
        .verify(&Actor::Integration, &o.order_id, None, None)
        .await
        .unwrap();
    let r = shop.kasir.db().write_blocking(move |c| {
        let tx = c.transaction()?;
        store::apply_transition(
            &tx,
            &store::Transition {
                order_pk: o.id,
                from: OrderStatus::Pending,
                to: OrderStatus::Cancelled,
                event: OrderEvent::Cancelled,
                actor: "api",
                at: T0,
            },
        )
    });
    assert!(matches!(r, Err(Error::StaleStatus)), "{r:?}");
}

#[tokio::test]
async fn pages_of_orders_are_bound_not_written_into_the_sql() {
    let shop = Shop::open_at(T0).await;
    for i in 0..25 {
        shop.clock.advance(Duration::from_millis(1));
        shop.kasir
            .create_order(
                &Actor::Console,
                NewOrder {
                    order_id: Some(format!("P{i:02}")),
                    ..sale(1_000)
                },
                OrderSource::Generate,
            )
            .await
            .unwrap();
    }
    let mut seen = vec![];
    for page in 0..9 {
        let (orders, total) = shop
            .kasir
            .list_orders(OrderFilter {
                limit: 3,
                offset: page * 3,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(total, 25);
        seen.extend(orders.into_iter().map(|o| o.order_id));
    }
    let want: Vec<String> = (0..25).rev().map(|i| format!("P{i:02}")).collect();
    assert_eq!(seen, want);
}
