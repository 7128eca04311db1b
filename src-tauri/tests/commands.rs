//! The shell's commands through Tauri's IPC on the mock runtime: the real
//! engine over a temp data directory, the real embedded server on a free port,
//! the app's real config and capability.

mod common;

use common::*;
use serde_json::{json, Value};
use std::path::PathBuf;
use tauri::ipc::InvokeBody;

#[test]
fn a_sale_from_import_to_paid_is_confirmed_by_the_dashboard() {
    let till = Till::start();
    assert_eq!(till.ok("app_info", json!({}))["has_qris"], false);

    let imported = till.ok("qris_import_text", json!({ "payload": static_qris() }));
    assert!(!imported["qris"]["merchant_name"]
        .as_str()
        .unwrap()
        .is_empty());
    assert_eq!(imported["qris"]["is_default"], true);
    assert!(imported["warnings"].is_array());
    assert_eq!(till.ok("app_info", json!({}))["has_qris"], true);

    let order = till.ok(
        "order_create",
        json!({ "amount": 50000, "fee_type": "rupiah", "fee_value": "1000", "description": "kopi" }),
    );
    let id = order["order_id"].as_str().unwrap().to_string();
    assert_eq!(order["status"], "pending");
    assert_eq!(order["source"], "till");
    assert_eq!(order["total_amount"], 51000);
    assert_eq!(order["merchant_name"], imported["qris"]["merchant_name"]);
    assert!(order["qr_image"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));
    assert!(order["qris"].as_str().unwrap().contains("540550000"));
    let base = till.server_url();
    assert_eq!(
        order["url"],
        format!("{base}/p/{}", order["link_code"].as_str().unwrap())
    );
    till.wait_for_event("order.created", &id);

    // the customer says paid through the embedded server; the UI hears it
    customer_says_paid(&base, order["link_code"].as_str().unwrap());
    let ev = till.wait_for_event("payment.awaiting_confirmation", &id);
    assert_eq!(ev["total_amount"], 51000);
    assert_eq!(
        till.ok("order_get", json!({ "order_id": id }))["status"],
        "awaiting_confirmation"
    );

    let paid = till.ok("order_verify", json!({ "order_id": id }));
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["confirmed_by"], "dashboard");
    assert!(paid["paid_ms"].is_i64());
    till.wait_for_event("payment.confirmed", &id);

    // the API sees the same order, verified by the dashboard
    let events = till.ok("order_events", json!({ "order_id": id }));
    let actors: Vec<_> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(actors.last().unwrap(), "dashboard");

    // verifying twice is the engine's error, as {code, message}
    let e = till.err("order_verify", json!({ "order_id": id }));
    assert_eq!(e["code"], "already_verified");
    let e = till.err("order_cancel", json!({ "order_id": id }));
    assert_eq!(e["code"], "cannot_cancel_paid");
}

#[test]
fn errors_reach_the_ui_as_code_and_message() {
    let till = Till::start();
    let e = till.err("order_create", json!({ "amount": 50000 }));
    assert_eq!(e["code"], "no_static_qris");
    assert!(e["message"].as_str().unwrap().contains("QRIS"));
    assert_eq!(e.as_object().unwrap().len(), 2, "{e}");

    let e = till.err(
        "qris_import_text",
        json!({ "payload": "000201 not a qris" }),
    );
    assert_eq!(e["code"], "invalid_qris");

    till.ok("qris_import_text", json!({ "payload": static_qris() }));
    let e = till.err("order_create", json!({ "amount": 0 }));
    assert_eq!(e["code"], "invalid_field");
    assert!(e["message"].as_str().unwrap().contains("amount"), "{e}");
    // the field is named so the till can say it in the cashier's language
    assert_eq!(e["field"], "amount");
    let e = till.err(
        "order_create",
        json!({ "amount": 1000, "fee_type": "percent", "fee_value": "120" }),
    );
    assert_eq!(e["code"], "invalid_field");
    assert_eq!(e["field"], "fee_value");
    let e = till.err("order_get", json!({ "order_id": "NOPE-1" }));
    assert!(e.get("field").is_none(), "only a bad field names one: {e}");
    let e = till.err("order_get", json!({ "order_id": "NOPE-1" }));
    assert_eq!(e["code"], "not_found");
    let e = till.err("orders_list", json!({ "date": "31/01/2025" }));
    assert_eq!(e["code"], "invalid_field");
    let e = till.err("orders_list", json!({ "status": "lunas" }));
    assert_eq!(e["code"], "invalid_field");
    let e = till.err("settings_update", json!({ "patch": { "language": "fr" } }));
    assert_eq!(e["code"], "invalid_field");
    let e = till.err("qris_import_image", json!({}));
    assert_eq!(e["code"], "invalid_field");
}

#[test]
fn a_photo_of_the_sticker_imports_from_raw_bytes() {
    let till = Till::start();
    let png = std::fs::read(
        kasir_testdata::qris_dir().join("images/ahyaniayas_qris-dinamis__assets_qris-dana.png"),
    )
    .unwrap();
    let r = till
        .call_body("qris_import_image", InvokeBody::Raw(png))
        .unwrap();
    assert!(r["qris"]["payload"].as_str().unwrap().starts_with("000201"));
    let e = till
        .call_body(
            "qris_import_image",
            InvokeBody::Raw(b"not an image".to_vec()),
        )
        .unwrap_err();
    assert_eq!(e["code"], "invalid_image");
    // several QRIS are kept, one is the default
    till.ok("qris_import_text", json!({ "payload": static_qris() }));
    let list = till.ok("qris_list", json!({}));
    assert_eq!(list.as_array().unwrap().len(), 2);
    let first = list[0]["id"].as_i64().unwrap();
    till.ok("qris_set_default", json!({ "id": first }));
    let list = till.ok("qris_list", json!({}));
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|q| q["id"] == first && q["is_default"] == true));
    till.ok("qris_delete", json!({ "id": first }));
    assert_eq!(till.ok("qris_list", json!({})).as_array().unwrap().len(), 1);
}

#[test]
fn pesanan_filters_pages_and_totals() {
    let till = Till::start();
    till.ok("qris_import_text", json!({ "payload": static_qris() }));
    let mut ids = vec![];
    for amount in [10000, 20000, 30000] {
        ids.push(
            till.ok("order_create", json!({ "amount": amount }))["order_id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    till.ok("order_verify", json!({ "order_id": ids[0] }));
    till.ok("order_cancel", json!({ "order_id": ids[1] }));
    let today = till.today();
    let r = till.ok(
        "orders_list",
        json!({ "date": today, "page": 1, "per_page": 2 }),
    );
    assert_eq!(r["total"], 3);
    assert_eq!(r["orders"].as_array().unwrap().len(), 2);
    assert_eq!(r["orders"][0]["order_id"], ids[2], "newest first");
    assert_eq!(r["totals"]["paid"]["count"], 1);
    assert_eq!(r["totals"]["paid"]["total_amount"], 10000);
    assert_eq!(r["totals"]["cancelled"]["count"], 1);
    let r2 = till.ok(
        "orders_list",
        json!({ "date": today, "page": 2, "per_page": 2 }),
    );
    assert_eq!(r2["orders"][0]["order_id"], ids[0]);
    let paid = till.ok("orders_list", json!({ "status": "paid" }));
    assert_eq!(paid["total"], 1);
    assert_eq!(paid["orders"][0]["confirmed_by"], "dashboard");
    let found = till.ok(
        "orders_list",
        json!({ "search": &ids[1][ids[1].len() - 6..] }),
    );
    assert_eq!(found["orders"][0]["order_id"], ids[1]);
    let other_day = till.ok("orders_list", json!({ "date": "2020-01-01" }));
    assert_eq!(other_day["total"], 0);
}

/// Pesanan's day is the merchant's day, the one the daily report printed from
/// the same screen covers: in Makassar (WITA, UTC+8) 16:30 UTC is already
/// 00:30 the next day, while in Jakarta (WIB) it is still 23:30.
#[test]
fn a_makassar_shops_day_in_pesanan_holds_the_orders_of_its_daily_report() {
    let till = Till::start();
    till.ok("qris_import_text", json!({ "payload": static_qris() }));
    till.ok(
        "settings_update",
        json!({ "patch": { "timezone": "Asia/Makassar" } }),
    );
    assert_eq!(
        till.ok("app_info", json!({}))["zone"],
        json!({ "name": "Asia/Makassar", "label": "WITA", "offset_minutes": 480 })
    );
    let made = |amount: u64, at: &str| {
        let o = till.ok("order_create", json!({ "amount": amount }));
        let id = o["order_id"].as_str().unwrap().to_string();
        let ms = chrono::DateTime::parse_from_rfc3339(at)
            .unwrap()
            .timestamp_millis();
        till.made_at(&id, ms);
        id
    };
    let late_on_the_26th = made(10_000, "2025-12-26T15:30:00Z"); // 23:30 WITA
    let past_midnight = made(20_000, "2025-12-26T16:30:00Z"); // 00:30 WITA, 23:30 WIB
    let late_on_the_27th = made(30_000, "2025-12-27T15:00:00Z"); // 23:00 WITA
    till.ok("order_verify", json!({ "order_id": late_on_the_26th }));
    till.ok("order_verify", json!({ "order_id": past_midnight }));
    let ids = |date: &str| -> Vec<String> {
        till.ok("orders_list", json!({ "date": date }))["orders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["order_id"].as_str().unwrap().to_string())
            .collect()
    };

    let day = till.ok("orders_list", json!({ "date": "2025-12-27" }));
    assert_eq!(
        ids("2025-12-27"),
        [late_on_the_27th.as_str(), past_midnight.as_str()]
    );
    assert_eq!(
        day["totals"],
        json!({
            "paid": { "count": 1, "total_amount": 20000, "fee_amount": 0 },
            "pending": { "count": 1, "total_amount": 30000, "fee_amount": 0 },
        })
    );
    assert_eq!(ids("2025-12-26"), [late_on_the_26th.as_str()]);

    // the report of the 27th counts the same two orders and lists the paid one
    let printed = till.ok("print_report", json!({ "date": "2025-12-27" }));
    let report = pdf_text(printed["path"].as_str().unwrap());
    assert!(report.contains("Semua pesanan 2 Rp 50.000"), "{report}");
    assert!(report.contains("Total dibayar Rp 20.000"), "{report}");
    assert!(report.contains(&past_midnight), "{report}");
    assert!(!report.contains(&late_on_the_26th), "{report}");

    // the same orders in a Jakarta shop: 23:30 WIB is still the 26th
    till.ok(
        "settings_update",
        json!({ "patch": { "timezone": "Asia/Jakarta" } }),
    );
    assert_eq!(
        ids("2025-12-26"),
        [past_midnight.as_str(), late_on_the_26th.as_str()]
    );
    assert_eq!(ids("2025-12-27"), [late_on_the_27th.as_str()]);
    let e = till.err("orders_list", json!({ "date": "2025-02-30" }));
    assert_eq!(e["field"], "date", "{e}");
}

#[test]
fn payment_links_keys_and_settings() {
    let till = Till::start();
    till.ok("qris_import_text", json!({ "payload": static_qris() }));
    let link = till.ok(
        "links_create",
        json!({ "amount": 75000, "description": "Tagihan", "order_id": "INV-7", "callback_url": "https://toko.example/ok", "webhook_url": "" }),
    );
    assert_eq!(link["order_id"], "INV-7");
    assert_eq!(link["source"], "payment_link");
    let e = till.err(
        "links_create",
        json!({ "amount": 1000, "order_id": "INV-7" }),
    );
    assert_eq!(e["code"], "duplicate_order_id");
    let list = till.ok("links_list", json!({}));
    assert_eq!(list["total"], 1);
    assert!(list["links"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    till.ok("link_delete", json!({ "id": link["id"] }));
    assert_eq!(till.ok("links_list", json!({}))["total"], 0);
    assert_eq!(
        till.ok("order_get", json!({ "order_id": "INV-7" }))["status"],
        "cancelled"
    );

    let created = till.ok(
        "keys_create",
        json!({ "name": "toko-online", "daily_limit": 50 }),
    );
    let secret = created["secret"].as_str().unwrap();
    assert!(secret.starts_with("ksr_"));
    let keys = till.ok("keys_list", json!({}));
    assert_eq!(keys[0]["key_prefix"], &secret[..12]);
    assert!(
        !keys.to_string().contains(secret),
        "the secret is shown once"
    );
    let id = keys[0]["id"].clone();
    till.ok("key_set_limit", json!({ "id": id, "daily_limit": null }));
    assert_eq!(
        till.ok("keys_list", json!({}))[0]["daily_limit"],
        Value::Null
    );
    let e = till.err("key_set_limit", json!({ "id": id, "daily_limit": 0 }));
    assert_eq!(e["code"], "invalid_field");
    till.ok("key_revoke", json!({ "id": id }));
    assert!(till.ok("keys_list", json!({}))[0]["revoked_at"].is_i64());

    let s = till.ok(
        "settings_update",
        json!({ "patch": { "public_base_url": "https://toko.example.com/", "order_expiry_minutes": 30, "sound": false, "language": "en" } }),
    );
    assert_eq!(s["public_base_url"], "https://toko.example.com");
    assert_eq!(s["order_expiry_minutes"], 30);
    assert_eq!(s["sound"], false);
    let order = till.ok("order_create", json!({ "amount": 1000 }));
    assert!(order["url"]
        .as_str()
        .unwrap()
        .starts_with("https://toko.example.com/p/"));
    let s = till.ok(
        "settings_update",
        json!({ "patch": { "public_base_url": "" } }),
    );
    assert_eq!(s["public_base_url"], Value::Null);
}

#[test]
fn a_taken_port_leaves_the_till_working_and_says_so() {
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = holder.local_addr().unwrap().to_string();
    let till = Till::start_on(&addr);
    let info = till.ok("app_info", json!({}));
    assert_eq!(info["server"]["listening"], false);
    assert_eq!(info["server"]["error_code"], "port_taken");
    assert!(info["server"]["error"]
        .as_str()
        .unwrap()
        .contains("already used"));
    till.ok("qris_import_text", json!({ "payload": static_qris() }));
    let o = till.ok("order_create", json!({ "amount": 12000 }));
    assert_eq!(
        till.ok("order_verify", json!({ "order_id": o["order_id"] }))["status"],
        "paid"
    );
    // once the port is free, restarting the server takes it
    drop(holder);
    let info = till.ok("server_restart", json!({}));
    assert_eq!(info["listening"], true, "{info}");
}

#[test]
fn the_capability_allows_exactly_the_registered_commands() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let mut allowed: Vec<String> = vec![];
    for f in ["default.json", "customer.json"] {
        let cap: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap();
        allowed.extend(
            cap["permissions"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|p| p.as_str()?.strip_prefix("allow-").map(str::to_string)),
        );
    }
    allowed.sort();
    allowed.dedup();
    let mut commands: Vec<String> = kasir_desktop::commands::COMMANDS
        .iter()
        .map(|c| c.replace('_', "-"))
        .collect();
    commands.sort();
    assert_eq!(allowed, commands);
    // a command the app does not have is refused, not a crash
    let till = Till::start();
    assert!(till.call("plugin:shell|open", json!({})).is_err());
    // the till names the order the customer window shows
    till.ok("display_set", json!({ "order_id": "ORD-1" }));
    assert_eq!(till.ok("display_get", json!({})), "ORD-1");
    till.ok("display_set", json!({ "order_id": null }));
    assert_eq!(till.ok("display_get", json!({})), Value::Null);
}

#[test]
fn webhooks_widget_and_printing_from_the_till() {
    let till = Till::start();
    till.ok("qris_import_text", json!({ "payload": static_qris() }));
    let (url, got) = receiver();
    till.ok(
        "settings_update",
        json!({ "patch": { "default_webhook_url": url } }),
    );

    // "Tandai Lunas" in the till fires the same webhook as the API's verify
    let order = till.ok("order_create", json!({ "amount": 51000 }));
    let id = order["order_id"].as_str().unwrap().to_string();
    till.ok("order_verify", json!({ "order_id": id }));
    let mut log = Value::Null;
    for _ in 0..300 {
        log = till.ok("webhook_deliveries", json!({ "order_id": id }));
        if log["deliveries"][0]["status"] == "delivered" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(log["deliveries"][0]["status"], "delivered", "{log}");
    assert_eq!(log["deliveries"][0]["event"], "payment.confirmed");
    let body: Value = serde_json::from_str(&got.lock().unwrap()[0]).unwrap();
    assert_eq!(body["data"]["order_id"], id.as_str());
    assert_eq!(body["data"]["status"], "paid");
    let delivery = log["deliveries"][0]["id"].as_i64().unwrap();
    let again = till.ok("webhook_redeliver", json!({ "id": delivery }));
    assert_eq!(again["attempts"], 2);
    let ping = till.ok("webhook_test", json!({ "url": url }));
    assert_eq!(ping["success"], true, "{ping}");
    // the address policy answers before anything is sent, naming the field
    let refused = till.err("webhook_test", json!({ "url": "http://169.254.169.254/" }));
    assert_eq!(refused["code"], "invalid_field", "{refused}");
    assert_eq!(refused["field"], "url", "{refused}");

    let secret = till.ok("webhook_secret", json!({}))["secret"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(secret.starts_with("whsec_"));
    let rotated = till.ok("webhook_secret_rotate", json!({}));
    assert_ne!(rotated["secret"], secret.as_str());
    assert_eq!(rotated["previous"], secret.as_str());

    let w = till.ok("widget_info", json!({}));
    let m = w["merchant_id"].as_str().unwrap();
    assert!(m.starts_with("m_"));
    assert!(w["snippet"]
        .as_str()
        .unwrap()
        .contains(&format!("{}/widget.js", till.server_url())));

    // printing: PDFs saved under the data directory
    for (cmd, args) in [
        ("print_receipt", json!({ "order_id": id, "paper": "58" })),
        ("print_standee", json!({ "amount": null, "paper": "a6" })),
        ("print_report", json!({ "date": till.today() })),
    ] {
        let r = till.ok(cmd, args);
        let bytes = std::fs::read(r["path"].as_str().unwrap()).unwrap();
        assert!(bytes.starts_with(b"%PDF"), "{cmd}");
        assert_eq!(r["opened"], false);
    }
    let unpaid = till.ok("order_create", json!({ "amount": 1000 }));
    let e = till.err(
        "print_receipt",
        json!({ "order_id": unpaid["order_id"], "paper": "58" }),
    );
    assert_eq!(e["code"], "not_paid", "{e}");
    let e = till.err("print_receipt", json!({ "order_id": id, "paper": "99" }));
    assert_eq!(e["code"], "invalid_field");
}

/// The thermal printer from the till: a printer on a real TCP port takes the
/// test slip and a paid order's receipt; bad settings name their field.
#[test]
fn the_thermal_printer_from_the_till() {
    use std::io::{Read, Write};
    let printer = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = printer.local_addr().unwrap();
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Vec<u8>>::new()));
    let recorded = got.clone();
    std::thread::spawn(move || {
        for s in printer.incoming() {
            let mut s = s.unwrap();
            let mut job = Vec::new();
            let mut buf = [0u8; 4096];
            while let Ok(n) = s.read(&mut buf) {
                if n == 0 {
                    break;
                }
                job.extend_from_slice(&buf[..n]);
                if job.ends_with(&[0x10, 0x04, 0x01]) {
                    let _ = s.write_all(&[0x16]);
                    break;
                }
            }
            recorded.lock().unwrap().push(job);
        }
    });
    let till = Till::start();
    till.ok("qris_import_text", json!({ "payload": static_qris() }));
    let e = till.err("printer_test", json!({}));
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("invalid_field"), Some("connection")),
        "{e}"
    );
    let e = till.err(
        "printer_set",
        json!({ "patch": { "connection": "network", "address": "http://x/" } }),
    );
    assert_eq!(e["field"], "address", "{e}");
    let p = till.ok(
        "printer_set",
        json!({ "patch": { "connection": "network", "address": addr.to_string(), "paper": "80" } }),
    );
    assert_eq!(
        (p["paper"].as_str(), p["columns"].as_u64()),
        (Some("80"), Some(48))
    );
    assert_eq!(
        till.ok("printer_get", json!({}))["address"],
        addr.to_string()
    );
    assert_eq!(till.ok("printer_test", json!({}))["sent"], "confirmed");

    let o = till.ok("order_create", json!({ "amount": 12000 }));
    let id = o["order_id"].as_str().unwrap().to_string();
    till.ok("order_verify", json!({ "order_id": id }));
    let job = till.ok("printer_print", json!({ "order_id": id }));
    assert_eq!(job["order_id"], id.as_str());
    let mut listed = Value::Null;
    for _ in 0..200 {
        listed = till.ok("print_jobs", json!({}));
        if listed["jobs"][0]["status"] == "printed" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(listed["jobs"][0]["status"], "printed", "{listed}");
    let again = till.ok("print_job_retry", json!({ "id": job["id"] }));
    assert_eq!(again["id"], job["id"]);

    // the daily report as a slip, today's when no date is given
    let report = till.ok("printer_print_report", json!({ "date": till.today() }));
    assert_eq!(report["order_id"], Value::Null, "{report}");
    till.ok("printer_print_report", json!({}));
    let e = till.err("printer_print_report", json!({ "date": "2025-13-01" }));
    assert_eq!(e["field"], "date", "{e}");

    // the QR as an image for printers without GS ( k
    let p = till.ok("printer_set", json!({ "patch": { "qr": "bitmap" } }));
    assert_eq!(p["qr"], "bitmap");
    let e = till.err("printer_set", json!({ "patch": { "qr": "svg" } }));
    assert_eq!(e["field"], "qr", "{e}");
    assert!(got.lock().unwrap().len() >= 2, "test slip and receipt");
}
