//! People over the API: a key made for a cashier acts with that cashier's
//! rights, and is refused what only the owner may do with the same
//! `{code, message}` the service (and so the till) gives; shifts for an
//! integrator's bookkeeping.

use crate::support::app::TestApp;
use kasir::model::{KeyScope, Role};
use kasir::service::{Actor, CashCount, UserInput};
use serde_json::{json, Value};

/// The owner, two cashiers, and an API key for each cashier.
async fn shop() -> (TestApp, Actor, String, String) {
    let app = TestApp::with_qris().await;
    let k = &app.kasir;
    let owner = k.set_up_owner("Bu Sari", "1111").await.unwrap();
    let owner = k.actor(&owner.token).await.unwrap();
    let mut keys = vec![];
    for name in ["Ani", "Budi"] {
        let u = k
            .save_user(
                &owner,
                UserInput {
                    name: Some(name.into()),
                    role: Some(Role::Cashier),
                    pin: Some("2222".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let (key, secret) = k
            .create_scoped_api_key(&owner, &format!("tablet {name}"), None, KeyScope::Full)
            .await
            .unwrap();
        k.set_api_key_person(&owner, key.id, Some(u.id))
            .await
            .unwrap();
        keys.push(secret);
    }
    let budi = keys.pop().unwrap();
    let ani = keys.pop().unwrap();
    (app, owner, ani, budi)
}

fn code_and_message(e: &kasir::Error) -> (Value, Value) {
    (json!(e.code()), json!(e.to_string()))
}

#[tokio::test]
async fn a_cashiers_key_is_refused_owner_only_actions_with_the_services_own_words() {
    let (app, _, ani, budi) = shop().await;
    let ani_api = app.as_key(&ani);
    let budi_api = app.as_key(&budi);
    // Budi's order names Budi; Ani may not cancel it
    let (s, made) = budi_api
        .post("/api/qris/generate", json!({ "amount": 15000 }))
        .await;
    assert_eq!(s, 200, "{made}");
    let order_id = made["payment_link"]["order_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, detail) = app.get(&format!("/api/qris/orders/{order_id}")).await;
    assert_eq!(detail["order"]["cashier"], "Budi", "{detail}");
    let (s, refused) = ani_api
        .post_empty(&format!("/api/qris/orders/{order_id}/cancel"))
        .await;
    assert_eq!(s, 403, "{refused}");
    let ani_actor = app
        .kasir
        .api_actor(&app.kasir.authenticate(&ani).await.unwrap())
        .await
        .unwrap();
    let service = app.kasir.cancel(&ani_actor, &order_id).await.unwrap_err();
    assert_eq!(
        (refused["code"].clone(), refused["message"].clone()),
        code_and_message(&service)
    );
    assert_eq!(refused["code"], "owner_only");
    // nor delete his payment link
    let (s, link) = budi_api
        .post("/api/qris/payment-link", json!({ "amount": 20000 }))
        .await;
    assert_eq!(s, 200, "{link}");
    let link_id = link["payment_link"]["id"].clone();
    let (s, b) = ani_api
        .delete(&format!("/api/qris/payment-link/{link_id}"))
        .await;
    assert_eq!((s, b["code"].as_str()), (403, Some("owner_only")), "{b}");
    let (s, b) = budi_api
        .delete(&format!("/api/qris/payment-link/{link_id}"))
        .await;
    assert_eq!(s, 200, "{b}");
    // Budi may cancel his own
    let (s, b) = budi_api
        .post_empty(&format!("/api/qris/orders/{order_id}/cancel"))
        .await;
    assert_eq!(s, 200, "{b}");
    // the day's report and the shop's settings are the owner's
    for (path, body) in [
        ("/api/qris/reports/daily", None),
        (
            "/api/qris/upload",
            Some(json!({ "qris_string": crate::support::static_qris() })),
        ),
        (
            "/api/qris/webhooks/test",
            Some(json!({ "url": "http://127.0.0.1:9/hook" })),
        ),
    ] {
        let (s, b) = match body {
            None => ani_api.get(path).await,
            Some(body) => ani_api.post(path, body).await,
        };
        assert_eq!(
            (s, b["code"].as_str()),
            (403, Some("owner_only")),
            "{path}: {b}"
        );
        assert!(
            b["message"]
                .as_str()
                .unwrap()
                .starts_with("Only the owner can "),
            "{b}"
        );
    }
    // the owner's own integration key may
    let (s, b) = app.get("/api/qris/reports/daily").await;
    assert_eq!(s, 200, "{b}");
}

#[tokio::test]
async fn a_deactivated_cashiers_key_stops_working() {
    let (app, owner, ani, _) = shop().await;
    let id = app
        .kasir
        .users(&owner)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == "Ani")
        .unwrap()
        .id;
    app.kasir
        .save_user(
            &owner,
            UserInput {
                id: Some(id),
                active: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (s, b) = app.as_key(&ani).get("/api/qris/orders").await;
    assert_eq!((s, b["code"].as_str()), (401, Some("unauthorized")), "{b}");
}

#[tokio::test]
async fn shifts_are_listed_for_bookkeeping_and_a_cashier_sees_their_own() {
    let (app, owner, ani, budi) = shop().await;
    let k = &app.kasir;
    // Ani's shift at the till, with a cash sale, closed with a count
    let users = k.users(&owner).await.unwrap();
    let ani_id = users.iter().find(|u| u.name == "Ani").unwrap().id;
    let s = k.unlock(ani_id, "2222").await.unwrap();
    let at_till = k.actor(&s.token).await.unwrap();
    let shift = k
        .open_shift(
            &at_till,
            CashCount {
                total: Some(50_000),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let cart: kasir::service::Cart = serde_json::from_value(json!({
        "lines": [{ "name": "Nasi goreng", "unit_price": 20000, "quantity": 1 }]
    }))
    .unwrap();
    k.checkout(
        &at_till,
        cart,
        kasir::service::Tender::Cash { tendered: 50_000 },
        None,
    )
    .await
    .unwrap();
    k.close_shift(
        &at_till,
        shift.id,
        CashCount {
            total: Some(69_000),
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap();

    let (s, list) = app.get("/api/qris/shifts").await;
    assert_eq!(s, 200, "{list}");
    let one = &list["shifts"][0];
    assert_eq!(one["user"]["name"], "Ani");
    assert_eq!(one["status"], "closed");
    assert_eq!(one["opening_cash"], 50_000);
    assert_eq!(one["cash_sales"], 20_000);
    assert_eq!(one["expected_cash"], 70_000);
    assert_eq!(one["counted_cash"], 69_000);
    assert_eq!(one["variance"], -1_000);
    assert!(one["opened_at"].as_str().unwrap().ends_with('Z'), "{one}");
    let (s, b) = app.get(&format!("/api/qris/shifts/{}", shift.id)).await;
    assert_eq!((s, &b["shift"]["id"]), (200, &json!(shift.id)), "{b}");
    // Ani's own key sees it; Budi's sees none, and is refused it by id
    let (_, mine) = app.as_key(&ani).get("/api/qris/shifts").await;
    assert_eq!(mine["shifts"].as_array().unwrap().len(), 1);
    let (_, none) = app.as_key(&budi).get("/api/qris/shifts").await;
    assert_eq!(none["shifts"], json!([]));
    let (s, b) = app
        .as_key(&budi)
        .get(&format!("/api/qris/shifts/{}", shift.id))
        .await;
    assert_eq!((s, b["code"].as_str()), (403, Some("owner_only")), "{b}");
    let (s, b) = app.get("/api/qris/shifts/999").await;
    assert_eq!((s, b["code"].as_str()), (404, Some("not_found")), "{b}");
    let (s, b) = app.get("/api/qris/shifts/abc").await;
    assert_eq!((s, b["field"].as_str()), (422, Some("id")), "{b}");
}

#[tokio::test]
async fn the_command_line_adds_people_and_sets_a_forgotten_pin() {
    let app = TestApp::with_qris().await;
    let dir = app.dir.path().to_str().unwrap().to_string();
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut all = vec!["--data-dir", dir.as_str()];
        all.extend_from_slice(args);
        crate::support::run_cli(&all, stdin)
    };
    let (code, _, err) = run(
        &["people", "add", "Bu Sari", "--role", "owner"],
        Some("1234\n"),
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&["people", "add", "Ani"], Some("12\n"));
    assert_ne!(code, 0);
    assert!(err.contains("a PIN is 4 to 6 digits"), "{err}");
    let (code, _, err) = run(&["people", "add", "Ani"], Some("2222\n"));
    assert_eq!(code, 0, "{err}");
    // the owner forgot the PIN and locked themselves out
    let owner = app.kasir.people().await.unwrap().users[0].clone();
    assert_eq!(owner.name, "Bu Sari");
    for _ in 0..5 {
        let _ = app.kasir.unlock(owner.id, "0000").await;
    }
    let (code, out, _) = run(&["people", "list"], None);
    assert_eq!(code, 0);
    assert!(out.contains("locked (wrong PINs)"), "{out}");
    let (code, _, err) = run(&["people", "pin", "bu sari"], Some("987654\n"));
    assert_eq!(code, 0, "{err}");
    app.kasir.unlock(owner.id, "987654").await.unwrap();
    // a key for Ani acts as Ani
    let (code, key, err) = run(
        &["keys", "create", "--name", "tablet", "--person", "Ani"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (s, made) = app
        .as_key(key.trim())
        .post("/api/qris/generate", json!({ "amount": 1000 }))
        .await;
    assert_eq!(s, 200, "{made}");
    let id = made["payment_link"]["order_id"].as_str().unwrap();
    assert_eq!(
        app.kasir.order(id).await.unwrap().cashier.as_deref(),
        Some("Ani")
    );
    let (code, _, err) = run(
        &["keys", "create", "--name", "x", "--person", "Nobody"],
        None,
    );
    assert_ne!(code, 0);
    assert!(err.contains("nobody active is called"), "{err}");
}
