//! Shift arithmetic: opening + cash sales − cash refunds, with split tenders,
//! change, transfer refunds and a count by denomination.

use super::*;
use crate::model::{RefundMethod, Role};
use crate::service::people::UserInput;
use crate::service::test_support::Shop;
use crate::service::{Cart, CartLine, RefundRequest, Tender};

/// 2025-12-26T10:00:00Z
const T0: i64 = 1_766_743_200_000;

fn cart(price: i64) -> Cart {
    Cart {
        lines: vec![CartLine {
            name: Some("Nasi goreng".into()),
            unit_price: Some(price),
            quantity: 1,
            ..Default::default()
        }],
        discount: None,
    }
}

fn total(t: i64) -> CashCount {
    CashCount {
        total: Some(t),
        denominations: None,
    }
}

async fn people(shop: &Shop) -> (Actor, Actor) {
    let k = &shop.kasir;
    let o = k.set_up_owner("Bu Sari", "1111").await.unwrap();
    let owner = k.actor(&o.token).await.unwrap();
    let ani = k
        .save_user(
            &owner,
            UserInput {
                name: Some("Ani".into()),
                role: Some(Role::Cashier),
                pin: Some("2222".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let s = k.unlock(ani.id, "2222").await.unwrap();
    (owner, k.actor(&s.token).await.unwrap())
}

#[test]
fn a_count_by_denomination_adds_up_and_names_what_is_wrong() {
    let c = count_cash(
        "counted",
        &CashCount {
            total: None,
            denominations: Some(vec![
                Pieces {
                    value: 500,
                    count: 3,
                },
                Pieces {
                    value: 100_000,
                    count: 2,
                },
                Pieces {
                    value: 2_000,
                    count: 0,
                },
            ]),
        },
    )
    .unwrap();
    assert_eq!(c.total, 201_500);
    let lines = c.lines.unwrap();
    assert_eq!(lines[0].value, 100_000);
    assert_eq!(lines[0].amount, 200_000);
    let bad = |d: Vec<Pieces>| {
        count_cash(
            "counted",
            &CashCount {
                total: None,
                denominations: Some(d),
            },
        )
        .unwrap_err()
        .to_string()
    };
    assert!(bad(vec![Pieces {
        value: 75_000,
        count: 1
    }])
    .contains("Rp 75000 is not a rupiah note"));
    assert!(bad(vec![Pieces {
        value: 1_000,
        count: -1
    }])
    .contains("-1 pieces"));
    assert!(bad(vec![
        Pieces {
            value: 1_000,
            count: 1
        },
        Pieces {
            value: 1_000,
            count: 2
        }
    ])
    .contains("counted twice"));
    let both = CashCount {
        total: Some(5),
        denominations: Some(vec![]),
    };
    assert_eq!(
        count_cash("counted", &both).unwrap_err().field(),
        Some("counted")
    );
    assert!(count_cash("counted", &total(-5)).is_err());
}

#[tokio::test]
async fn sales_need_the_cashiers_own_open_shift() {
    let shop = Shop::open_at(T0).await;
    let (owner, ani) = people(&shop).await;
    let k = &shop.kasir;
    let e = k
        .checkout(&ani, cart(10_000), Tender::Qris, None)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NoOpenShift { open_by: None }), "{e}");
    k.open_shift(&owner, total(0)).await.unwrap();
    // the owner's shift is open: Ani can't sell in it, nor open her own
    match k
        .checkout(&ani, cart(10_000), Tender::Qris, None)
        .await
        .unwrap_err()
    {
        Error::NoOpenShift { open_by } => assert_eq!(open_by.as_deref(), Some("Bu Sari")),
        e => panic!("{e}"),
    }
    let e = k.open_shift(&ani, total(0)).await.unwrap_err();
    assert_eq!(e.code(), "shift_open");
    assert!(
        e.to_string()
            .starts_with("Bu Sari's shift is open since 26-12-2025 17:00 WIB"),
        "{e}"
    );
    // an integration's order needs no shift and names no cashier
    let api = k
        .create_order(
            &Actor::Integration,
            crate::model::NewOrder {
                amount: Some(5_000),
                ..Default::default()
            },
            crate::model::OrderSource::Generate,
        )
        .await
        .unwrap();
    assert_eq!((api.cashier, api.shift_id), (None, None));
}

#[tokio::test]
async fn a_shift_expects_opening_plus_cash_sales_less_cash_refunds() {
    let shop = Shop::open_at(T0).await;
    let (owner, ani) = people(&shop).await;
    let k = &shop.kasir;
    let opened = k.open_shift(&ani, total(100_000)).await.unwrap();
    assert_eq!(opened.expected_cash, 100_000);
    // cash 25.000, handed 50.000: 25.000 stays in the drawer
    let mut two = cart(20_000);
    two.lines.push(CartLine {
        name: Some("Es teh".into()),
        unit_price: Some(5_000),
        quantity: 1,
        ..Default::default()
    });
    let cash = k
        .checkout(&ani, two, Tender::Cash { tendered: 50_000 }, None)
        .await
        .unwrap();
    // split 40.000: 10.000 cash now, 30.000 by QRIS (paid)
    let split = k
        .checkout(&ani, cart(40_000), Tender::Split { cash: 10_000 }, None)
        .await
        .unwrap();
    k.verify(&ani, &split.order_id, None, None).await.unwrap();
    // QRIS 15.000, paid; another QRIS left unpaid counts nothing
    let qris = k
        .checkout(&ani, cart(15_000), Tender::Qris, None)
        .await
        .unwrap();
    let qris = k.verify(&ani, &qris.order_id, None, None).await.unwrap();
    k.checkout(&ani, cart(99_000), Tender::Qris, None)
        .await
        .unwrap();
    // the owner refunds 5.000 of the cash sale from the drawer, and the QRIS one by transfer
    let lines = RefundRequest {
        reason: Some("kurang pedas".into()),
        lines: Some(vec![crate::service::RefundLine {
            line_no: 2,
            quantity: 1,
        }]),
        method: Some(RefundMethod::Cash),
    };
    k.refund(&owner, &cash.order_id, lines).await.unwrap();
    k.refund(
        &owner,
        &qris.order_id,
        RefundRequest {
            reason: Some("batal".into()),
            method: Some(RefundMethod::Transfer),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let s = k.current_shift().await.unwrap().unwrap();
    assert_eq!(s.cash_sales, 35_000);
    assert_eq!(s.cash_count, 2);
    assert_eq!(s.cash_refunds, 5_000);
    assert_eq!(s.transfer_refunds, qris.total_amount);
    assert_eq!(s.expected_cash, 100_000 + 35_000 - 5_000);
    let split = k.order(&split.order_id).await.unwrap();
    assert_eq!(s.qris_total, split.total_amount + qris.total_amount);
    assert_eq!((s.qris_count, s.sales_count), (2, 3));
    // Ani closes with 128.000 counted: 2.000 short
    let counted = CashCount {
        total: None,
        denominations: Some(vec![
            Pieces {
                value: 100_000,
                count: 1,
            },
            Pieces {
                value: 20_000,
                count: 1,
            },
            Pieces {
                value: 5_000,
                count: 1,
            },
            Pieces {
                value: 1_000,
                count: 3,
            },
        ]),
    };
    let closed = k
        .close_shift(&ani, s.id, counted, Some("uang receh kurang".into()))
        .await
        .unwrap();
    assert_eq!(closed.status, crate::model::ShiftStatus::Closed);
    assert_eq!(closed.counted_cash, Some(128_000));
    assert_eq!(closed.variance, Some(-2_000));
    assert_eq!(closed.count_lines.as_ref().unwrap().len(), 4);
    assert!(k.current_shift().await.unwrap().is_none());
    // closed is closed: the report stays as it was counted
    let again = k.close_shift(&ani, s.id, total(0), None).await.unwrap_err();
    assert_eq!(again.field(), Some("shift_id"));
    let seen = k.shift(&ani, s.id).await.unwrap();
    assert_eq!(seen.expected_cash, 130_000);
    assert_eq!(k.shifts(&ani, 10, 0).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_split_whose_qris_part_expires_takes_its_cash_out_of_the_expected() {
    let shop = Shop::open_at(T0).await;
    let (_, ani) = people(&shop).await;
    let k = &shop.kasir;
    let s = k.open_shift(&ani, total(0)).await.unwrap();
    k.checkout(&ani, cart(40_000), Tender::Split { cash: 10_000 }, None)
        .await
        .unwrap();
    assert_eq!(
        k.current_shift().await.unwrap().unwrap().expected_cash,
        10_000
    );
    shop.clock
        .advance(std::time::Duration::from_secs(24 * 3600));
    assert_eq!(k.shift(&ani, s.id).await.unwrap().expected_cash, 0);
}

#[tokio::test]
async fn a_shift_left_open_overnight_is_shown_to_the_next_person() {
    let shop = Shop::open_at(T0).await;
    let (owner, ani) = people(&shop).await;
    let k = &shop.kasir;
    k.open_shift(&ani, total(0)).await.unwrap();
    shop.clock
        .advance(std::time::Duration::from_secs(12 * 3600));
    // the owner's session locked itself long ago; they unlock in the morning
    assert_eq!(
        k.session(&owner.session_token().unwrap())
            .await
            .unwrap_err()
            .code(),
        "locked"
    );
    let owner_id = owner.person().unwrap().user.id;
    let session = k.unlock(owner_id, "1111").await.unwrap();
    assert!(session.shift_stale);
    assert!(!session.shift_is_mine);
    assert_eq!(session.shift.unwrap().user.name, "Ani");
    let _ = RefundRequest::default();
}

#[tokio::test]
async fn a_closed_shift_reads_as_it_was_counted_and_may_expect_less_than_nothing() {
    let shop = Shop::open_at(T0).await;
    let (owner, ani) = people(&shop).await;
    let k = &shop.kasir;
    // the owner's QRIS sale, refunded in cash later from a nearly empty drawer
    k.open_shift(&owner, total(0)).await.unwrap();
    let qris = k
        .checkout(&owner, cart(30_000), Tender::Qris, None)
        .await
        .unwrap();
    let qris = k.verify(&owner, &qris.order_id, None, None).await.unwrap();
    let first = k.current_shift().await.unwrap().unwrap();
    k.close_shift(&owner, first.id, total(0), None)
        .await
        .unwrap();
    let s = k.open_shift(&ani, total(5_000)).await.unwrap();
    k.checkout(&ani, cart(40_000), Tender::Split { cash: 10_000 }, None)
        .await
        .unwrap();
    k.refund(
        &owner,
        &qris.order_id,
        RefundRequest {
            reason: Some("batal".into()),
            method: Some(RefundMethod::Cash),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // 5.000 + 10.000 − 30.000
    let closed = k.close_shift(&ani, s.id, total(0), None).await.unwrap();
    assert_eq!(closed.expected_cash, -15_000);
    assert_eq!(closed.variance, Some(15_000));
    // the split's QRIS part expires after the close: the closed report stands
    shop.clock
        .advance(std::time::Duration::from_secs(24 * 3600));
    let later = k.shift(&ani, s.id).await.unwrap();
    assert_eq!(later, closed);
}
