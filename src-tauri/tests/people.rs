//! The lock screen, rights and shifts through the till's commands: a cashier
//! is refused by the engine with the same `{code, message}` the API gives,
//! an owner's PIN approves on the spot, and a shift closes with a variance.

mod common;

use common::*;
use serde_json::{json, Value};

fn cashier(till: &Till, name: &str, pin: &str) -> i64 {
    till.ok(
        "user_save",
        json!({ "user": { "name": name, "role": "cashier", "pin": pin } }),
    )["id"]
        .as_i64()
        .unwrap()
}

fn owner_id(till: &Till) -> i64 {
    let people = till.ok("people_list", json!({}));
    people["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["role"] == "owner")
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[test]
fn a_locked_till_answers_locked_until_someone_unlocks() {
    let till = Till::start_locked();
    let first = till.ok("people_list", json!({}));
    assert_eq!(first["first_run"], true);
    // the lock screen's commands work; every other one says locked
    for cmd in [
        "orders_list",
        "settings_update",
        "shift_current",
        "users_list",
    ] {
        let e = till.err(cmd, json!({ "patch": {} }));
        assert_eq!(e["code"], "locked", "{cmd}: {e}");
    }
    let e = till.err("owner_setup", json!({ "name": "Bu Sari", "pin": "12" }));
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("invalid_field"), Some("pin"))
    );
    let session = till.ok(
        "owner_setup",
        json!({ "name": "Bu Sari", "pin": OWNER_PIN }),
    );
    assert_eq!(session["user"]["role"], "owner");
    assert_eq!(session["rights"]["refund"], true);
    assert_eq!(session["shift"], Value::Null);
    assert!(
        session.get("token").is_none(),
        "the token stays in the shell"
    );
    till.ok("lock", json!({}));
    assert_eq!(till.err("orders_list", json!({}))["code"], "locked");
    let wrong = till.err(
        "unlock",
        json!({ "user_id": owner_id(&till), "pin": "0000" }),
    );
    assert_eq!(
        (wrong["code"].as_str(), wrong["tries_left"].as_u64()),
        (Some("wrong_pin"), Some(4))
    );
    till.ok(
        "unlock",
        json!({ "user_id": owner_id(&till), "pin": OWNER_PIN }),
    );
    till.ok("orders_list", json!({}));
}

#[test]
fn a_cashier_is_refused_a_refund_until_the_owner_approves_with_a_pin() {
    let till = Till::start();
    till.ok("qris_import_text", json!({ "payload": static_qris() }));
    let ani = cashier(&till, "Ani", "2222");
    // the owner's shift is closed, Ani opens hers
    let open = till.ok("shift_current", json!({}));
    till.ok(
        "shift_close",
        json!({ "shift_id": open["id"], "counted": { "total": 0 } }),
    );
    till.ok("lock", json!({}));
    let s = till.ok("unlock", json!({ "user_id": ani, "pin": "2222" }));
    assert_eq!(s["rights"]["refund"], false);
    let counted = till.ok(
        "cash_count",
        json!({ "count": { "denominations": [{ "value": 50000, "count": 2 }, { "value": 500, "count": 4 }] } }),
    );
    assert_eq!(counted["total"], 102_000);
    let shift = till.ok(
        "shift_open",
        json!({ "opening": { "denominations": [{ "value": 50000, "count": 2 }, { "value": 500, "count": 4 }] } }),
    );
    assert_eq!(shift["opening_cash"], 102_000);
    let cart = json!({ "lines": [{ "name": "Nasi goreng", "unit_price": 25000, "quantity": 1 }] });
    let sale = till.ok(
        "checkout",
        json!({ "cart": cart, "tender": { "method": "cash", "tendered": 30000 } }),
    );
    assert_eq!(sale["cashier"], "Ani");
    let id = sale["order_id"].as_str().unwrap().to_string();
    let refund = json!({ "order_id": id, "reason": "salah pesan" });
    let refused = till.err("order_refund", refund.clone());
    // the engine's own words, as the API gives them for the same refusal
    let words = kasir::Error::OwnerOnly {
        action: "give a refund".into(),
        right: "refund",
    };
    assert_eq!(refused["right"], "refund");
    assert_eq!(refused["code"], words.code());
    assert_eq!(refused["message"], words.to_string());
    let wrong = till.err(
        "owner_approve",
        json!({ "user_id": owner_id(&till), "pin": "9999", "right": "refund" }),
    );
    assert_eq!(wrong["code"], "wrong_pin");
    let ok = till.ok(
        "owner_approve",
        json!({ "user_id": owner_id(&till), "pin": OWNER_PIN, "right": "refund" }),
    );
    assert_eq!(ok["approved_by"], "Bu Sari");
    let refunded = till.ok("order_refund", refund.clone());
    assert_eq!(refunded["refunded_amount"], 25_000);
    let events = till.ok("order_events", json!({ "order_id": id }));
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["user_name"].as_str(), last["approved_by"].as_str()),
        (Some("Ani"), Some("Bu Sari"))
    );
    // the approval was for that one refund
    assert_eq!(till.err("order_refund", refund)["code"], "owner_only");
    assert_eq!(
        till.err(
            "settings_update",
            json!({ "patch": { "tax_enabled": true } })
        )["code"],
        "owner_only"
    );
    // Ani closes her shift 2.000 short: 102.000 + 25.000 − 25.000 = 102.000 expected
    let closed = till.ok(
        "shift_close",
        json!({ "shift_id": shift["id"], "counted": { "total": 100000 }, "note": "kurang" }),
    );
    assert_eq!(closed["expected_cash"], 102_000);
    assert_eq!(closed["variance"], -2_000);
    assert_eq!(closed["cash_refunds"], 25_000);
    let saved = till.ok("shift_report_save", json!({ "shift_id": shift["id"] }));
    let pdf = std::fs::read(saved["path"].as_str().unwrap()).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // a sale now needs a shift again
    let e = till.err(
        "checkout",
        json!({ "cart": { "lines": [{ "name": "Teh", "unit_price": 5000, "quantity": 1 }] }, "tender": { "method": "qris" } }),
    );
    assert_eq!(e["code"], "no_open_shift");
}
