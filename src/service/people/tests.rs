//! People: PINs, lockout across a restart, the idle lock, and every right
//! refused to a cashier by the service itself.

use super::*;
use crate::model::Role;
use crate::service::test_support::Shop;
use crate::service::{
    Cart, CartLine, CashCount, PrinterPatch, ProductInput, RefundRequest, SettingsPatch, Tender,
};

/// 2025-12-26T10:00:00Z
const T0: i64 = 1_766_743_200_000;

/// A shop with its owner (PIN 1111) and a cashier, Ani (PIN 2222).
async fn shop_with_people() -> (Shop, Actor, Actor, i64, i64) {
    let shop = Shop::open_at(T0).await;
    let k = &shop.kasir;
    let owner_session = k.set_up_owner("Bu Sari", "1111").await.unwrap();
    let owner = k.actor(&owner_session.token).await.unwrap();
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
    let cashier_session = k.unlock(ani.id, "2222").await.unwrap();
    let cashier = k.actor(&cashier_session.token).await.unwrap();
    (shop, owner, cashier, owner_session.user.id, ani.id)
}

fn token(a: &Actor) -> String {
    a.session_token().unwrap()
}

#[tokio::test]
async fn the_first_run_sets_the_owner_once_and_pins_are_hashed_slowly() {
    let shop = Shop::open_at(T0).await;
    let k = &shop.kasir;
    assert!(k.people().await.unwrap().first_run);
    let bad = k.set_up_owner("Bu Sari", "12").await.unwrap_err();
    assert_eq!(bad.field(), Some("pin"));
    let s = k.set_up_owner("Bu Sari", "123456").await.unwrap();
    assert_eq!(s.user.role, Role::Owner);
    assert!(s.rights.refund && s.rights.settings);
    let again = k.set_up_owner("Pak Budi", "1234").await.unwrap_err();
    assert_eq!(again.code(), "invalid_field");
    let people = k.people().await.unwrap();
    assert!(!people.first_run);
    assert_eq!(people.users.len(), 1);
    // stored as an argon2id PHC string, never the PIN
    let stored: String = k
        .db()
        .read(|c| Ok::<_, Error>(c.query_row("SELECT pin_hash FROM users", [], |r| r.get(0))?))
        .await
        .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains("123456"));
}

#[tokio::test]
async fn five_wrong_pins_lock_a_user_for_a_minute_even_across_a_restart() {
    let (mut shop, _, _, _, ani) = shop_with_people().await;
    for left in [4, 3, 2, 1] {
        match shop.kasir.unlock(ani, "9999").await.unwrap_err() {
            Error::WrongPin { tries_left, .. } => assert_eq!(tries_left, left),
            e => panic!("{e}"),
        }
    }
    let fifth = shop.kasir.unlock(ani, "9999").await.unwrap_err();
    assert_eq!(fifth.code(), "pin_locked", "{fifth}");
    shop.restart();
    // the right PIN doesn't help while locked, after a restart too
    let locked = shop.kasir.unlock(ani, "2222").await.unwrap_err();
    match locked {
        Error::PinLocked {
            retry_after_secs, ..
        } => assert!((1..=60).contains(&retry_after_secs)),
        e => panic!("{e}"),
    }
    shop.clock.advance(std::time::Duration::from_secs(61));
    let s = shop.kasir.unlock(ani, "2222").await.unwrap();
    assert_eq!(s.user.name, "Ani");
    // and the count starts afresh
    match shop.kasir.unlock(ani, "0000").await.unwrap_err() {
        Error::WrongPin { tries_left, .. } => assert_eq!(tries_left, 4),
        e => panic!("{e}"),
    }
}

#[tokio::test]
async fn an_idle_till_locks_itself_and_a_restart_locks_it_too() {
    let (mut shop, owner, cashier, _, _) = shop_with_people().await;
    let k = shop.kasir.clone();
    k.update_settings(
        &owner,
        SettingsPatch {
            lock_after_minutes: Some(5),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    shop.clock.advance(std::time::Duration::from_secs(4 * 60));
    k.actor(&token(&cashier)).await.unwrap();
    // activity keeps it unlocked; five quiet minutes lock it
    shop.clock.advance(std::time::Duration::from_secs(4 * 60));
    k.actor(&token(&cashier)).await.unwrap();
    shop.clock
        .advance(std::time::Duration::from_secs(5 * 60 + 1));
    assert_eq!(
        k.actor(&token(&cashier)).await.unwrap_err().code(),
        "locked"
    );
    shop.restart();
    assert_eq!(
        shop.kasir.actor(&token(&owner)).await.unwrap_err().code(),
        "locked"
    );
}

#[tokio::test]
async fn a_cashier_is_refused_every_owner_only_action_by_the_service() {
    let (shop, owner, cashier, _, ani) = shop_with_people().await;
    let k = &shop.kasir;
    let c = &cashier;
    let owner_only = |r: Result<(), Error>, what: &str| {
        let e = r.expect_err(what);
        assert_eq!(e.code(), "owner_only", "{what}: {e}");
        assert!(
            e.to_string().starts_with("Only the owner can "),
            "{what}: {e}"
        );
    };
    owner_only(
        k.update_settings(
            c,
            SettingsPatch {
                tax_enabled: Some(true),
                ..Default::default()
            },
        )
        .await
        .map(drop),
        "tax",
    );
    owner_only(
        k.save_product(
            c,
            ProductInput {
                name: Some("Teh".into()),
                price: Some(5_000),
                ..Default::default()
            },
        )
        .await
        .map(drop),
        "a product",
    );
    owner_only(k.reorder_products(c, vec![]).await, "reorder");
    owner_only(
        k.save_category(c, None, Some("Minuman".into()), None)
            .await
            .map(drop),
        "category",
    );
    owner_only(
        k.import_products(c, "name,price\nTeh,5000\n".into())
            .await
            .map(drop),
        "catalogue file",
    );
    owner_only(k.create_api_key(c, "pos", None).await.map(drop), "api key");
    owner_only(k.revoke_api_key(c, 1).await, "revoke");
    owner_only(k.set_api_key_limit(c, 1, Some(10)).await, "key limit");
    owner_only(k.set_api_key_person(c, 1, None).await, "key person");
    owner_only(k.rotate_webhook_secret(c).await.map(drop), "webhook secret");
    owner_only(
        k.send_test_webhook(c, "http://127.0.0.1:9/hook")
            .await
            .map(drop),
        "webhook test",
    );
    owner_only(k.redeliver_webhook(c, 1).await.map(drop), "redeliver");
    owner_only(
        k.import_static_qris(c, "000201").await.map(drop),
        "static qris",
    );
    owner_only(
        k.set_default_static_qris(c, 1).await.map(drop),
        "default qris",
    );
    owner_only(k.delete_static_qris(c, 1).await, "delete qris");
    owner_only(
        k.update_printer(c, PrinterPatch::default()).await.map(drop),
        "printer",
    );
    owner_only(k.daily_report_json(c, None).await.map(drop), "daily report");
    owner_only(
        k.daily_report_pdf(c, "2025-12-26").await.map(drop),
        "daily report pdf",
    );
    owner_only(k.print_daily_report(c, None).await.map(drop), "daily slip");
    owner_only(
        k.phone_setup(c, "HP toko", "http://192.168.1.2:8080")
            .await
            .map(drop),
        "phone",
    );
    owner_only(
        k.reconcile_statement(c, b"x".to_vec(), None)
            .await
            .map(drop),
        "statement",
    );
    owner_only(k.users(c).await.map(drop), "people");
    owner_only(
        k.webhook_secret(c).await.map(drop),
        "see the webhook secret",
    );
    owner_only(
        k.save_user(
            c,
            UserInput {
                id: Some(ani),
                role: Some(Role::Owner),
                ..Default::default()
            },
        )
        .await
        .map(drop),
        "promote oneself",
    );
    // the owner's own sale, refunded and cancelled by the cashier
    k.open_shift(
        &owner,
        CashCount {
            total: Some(0),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let sale = k
        .checkout(
            &owner,
            cash_cart(10_000, None),
            Tender::Cash { tendered: 10_000 },
            None,
        )
        .await
        .unwrap();
    owner_only(
        k.refund(c, &sale.order_id, reason()).await.map(drop),
        "refund",
    );
    let open = k
        .checkout(&owner, cash_cart(10_000, None), Tender::Qris, None)
        .await
        .unwrap();
    owner_only(
        k.cancel(c, &open.order_id).await.map(drop),
        "cancel another's order",
    );
    owner_only(
        k.delete_payment_link(c, open.id).await.map(drop),
        "delete another's payment link",
    );
    let shift = k.current_shift().await.unwrap().unwrap();
    owner_only(k.shift(c, shift.id).await.map(drop), "another's shift");
    owner_only(
        k.close_shift(
            c,
            shift.id,
            CashCount {
                total: Some(0),
                ..Default::default()
            },
            None,
        )
        .await
        .map(drop),
        "close another's shift",
    );
    // what was refused changed nothing
    let s = k.settings().await.unwrap();
    assert!(!s.tax_enabled);
    assert_eq!(k.order(&sale.order_id).await.unwrap().refunded_amount, 0);
    assert!(k.order(&open.order_id).await.unwrap().status.is_open());
    assert!(k.current_shift().await.unwrap().is_some());
}

fn cash_cart(price: i64, discount_pct: Option<i64>) -> Cart {
    Cart {
        lines: vec![CartLine {
            name: Some("Nasi goreng".into()),
            unit_price: Some(price),
            quantity: 1,
            discount: discount_pct.map(|v| crate::service::cart::Discount {
                kind: crate::service::cart::DiscountKind::Percent,
                value: v,
            }),
            ..Default::default()
        }],
        discount: None,
    }
}

fn reason() -> RefundRequest {
    RefundRequest {
        reason: Some("salah pesan".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_owners_pin_approves_one_action_and_both_names_are_kept() {
    let (shop, owner, cashier, owner_id, ani) = shop_with_people().await;
    let k = &shop.kasir;
    k.open_shift(
        &cashier,
        CashCount {
            total: Some(50_000),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let sale = k
        .checkout(
            &cashier,
            cash_cart(20_000, None),
            Tender::Cash { tendered: 20_000 },
            None,
        )
        .await
        .unwrap();
    assert_eq!(sale.cashier.as_deref(), Some("Ani"));
    assert_eq!(
        k.refund(&cashier, &sale.order_id, reason())
            .await
            .unwrap_err()
            .code(),
        "owner_only"
    );
    // a cashier's PIN approves nothing; a wrong owner PIN counts as wrong
    let t = token(&cashier);
    assert_eq!(
        k.approve(&t, ani, "2222", Right::Refund)
            .await
            .unwrap_err()
            .code(),
        "invalid_field"
    );
    assert_eq!(
        k.approve(&t, owner_id, "0000", Right::Refund)
            .await
            .unwrap_err()
            .code(),
        "wrong_pin"
    );
    // an approval is for the kind of action refused: not for the settings
    let by = k
        .approve(&t, owner_id, "1111", Right::Refund)
        .await
        .unwrap();
    assert_eq!(by.name, "Bu Sari");
    let other = k
        .update_settings(&cashier, SettingsPatch::default())
        .await
        .unwrap_err();
    assert_eq!(other.code(), "owner_only");
    // an approved refund refused for another reason (more lines than sold)
    // gives the approval back
    let too_many = RefundRequest {
        reason: Some("salah".into()),
        lines: Some(vec![crate::service::RefundLine {
            line_no: 9,
            quantity: 1,
        }]),
        ..Default::default()
    };
    assert_eq!(
        k.refund(&cashier, &sale.order_id, too_many)
            .await
            .unwrap_err()
            .code(),
        "invalid_field"
    );
    let refunded = k.refund(&cashier, &sale.order_id, reason()).await.unwrap();
    assert_eq!(refunded.refunded_amount, 20_000);
    // used up: the next owner-only action asks again
    assert_eq!(
        k.update_settings(&cashier, SettingsPatch::default())
            .await
            .unwrap_err()
            .code(),
        "owner_only"
    );
    let id = sale.order_id.clone();
    type Kept = (
        Vec<(String, String, String)>,
        (String, String, i64),
        (String, String),
    );
    let (approvals, refund_row, event): Kept = k
        .db()
        .read(move |c| {
            let mut st = c.prepare("SELECT cashier, owner, action FROM owner_approvals")?;
            let a = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let r = c.query_row(
                "SELECT r.user_name, r.approved_by, r.shift_id FROM refunds r JOIN orders o ON o.id = r.order_pk WHERE o.order_id = ?1",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            let e = c.query_row(
                "SELECT e.user_name, e.approved_by FROM order_events e JOIN orders o ON o.id = e.order_pk
                 WHERE o.order_id = ?1 AND e.event = 'payment.refunded'",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            Ok::<_, Error>((a, r, e))
        })
        .await
        .unwrap();
    assert_eq!(
        approvals,
        vec![
            ("Ani".into(), "Bu Sari".into(), "give a refund".into()),
            (
                "Ani".into(),
                "Bu Sari".into(),
                "(not done, given back) give a refund".into()
            ),
            ("Ani".into(), "Bu Sari".into(), "give a refund".into()),
        ]
    );
    assert_eq!(
        (refund_row.0.as_str(), refund_row.1.as_str()),
        ("Ani", "Bu Sari")
    );
    assert!(refund_row.2 > 0);
    assert_eq!(event, ("Ani".into(), "Bu Sari".into()));
    let _ = owner;
}

#[tokio::test]
async fn a_discount_past_the_cashiers_limit_needs_the_owner() {
    let (shop, owner, cashier, owner_id, _) = shop_with_people().await;
    let k = &shop.kasir;
    k.open_shift(
        &cashier,
        CashCount {
            total: Some(0),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // the limit is 10%: 10% passes, 11% doesn't
    let ok = k
        .quote(&cashier, cash_cart(10_000, Some(10)), None)
        .await
        .unwrap();
    assert!(!ok.discount_needs_owner);
    let big = k
        .quote(&cashier, cash_cart(10_000, Some(11)), None)
        .await
        .unwrap();
    assert!(big.discount_needs_owner);
    assert!(
        !k.quote(&owner, cash_cart(10_000, Some(50)), None)
            .await
            .unwrap()
            .discount_needs_owner
    );
    k.checkout(
        &cashier,
        cash_cart(10_000, Some(10)),
        Tender::Cash { tendered: 9_000 },
        None,
    )
    .await
    .unwrap();
    let refused = k
        .checkout(
            &cashier,
            cash_cart(10_000, Some(11)),
            Tender::Cash { tendered: 8_900 },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "owner_only");
    k.approve(&token(&cashier), owner_id, "1111", Right::BigDiscount)
        .await
        .unwrap();
    let sold = k
        .checkout(
            &cashier,
            cash_cart(10_000, Some(11)),
            Tender::Cash { tendered: 8_900 },
            None,
        )
        .await
        .unwrap();
    let events = k.order_events(&sold.order_id).await.unwrap();
    assert!(!events.is_empty());
}

#[tokio::test]
async fn the_last_owner_stays_an_owner_and_a_deactivated_person_is_locked_out() {
    let (shop, owner, cashier, owner_id, ani) = shop_with_people().await;
    let k = &shop.kasir;
    let e = k
        .save_user(
            &owner,
            UserInput {
                id: Some(owner_id),
                role: Some(Role::Cashier),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("role"));
    let e = k
        .save_user(
            &owner,
            UserInput {
                id: Some(owner_id),
                active: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("active"));
    let dup = k
        .save_user(
            &owner,
            UserInput {
                name: Some("ani".into()),
                role: Some(Role::Cashier),
                pin: Some("1234".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(dup.field(), Some("name"));
    k.save_user(
        &owner,
        UserInput {
            id: Some(ani),
            active: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        k.actor(&token(&cashier)).await.unwrap_err().code(),
        "locked"
    );
    assert_eq!(k.unlock(ani, "2222").await.unwrap_err().code(), "not_found");
    assert_eq!(k.people().await.unwrap().users.len(), 1);
}

#[tokio::test]
async fn a_burst_of_guesses_at_once_is_stopped_by_the_lock_like_one_at_a_time() {
    let (shop, _, _, _, ani) = shop_with_people().await;
    let k = shop.kasir.clone();
    let guesses: Vec<_> = (0..12)
        .map(|i| {
            let k = k.clone();
            tokio::spawn(async move { k.unlock(ani, &format!("{:04}", 3000 + i)).await })
        })
        .collect();
    let mut wrong = 0;
    let mut locked = 0;
    for g in guesses {
        match g.await.unwrap() {
            Err(Error::WrongPin { .. }) => wrong += 1,
            Err(Error::PinLocked { .. }) => locked += 1,
            other => panic!("{other:?}"),
        }
    }
    // four tested and wrong, the fifth locks, the rest never reach the hash
    assert_eq!((wrong, locked), (4, 8));
}
