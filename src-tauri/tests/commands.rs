//! The shell's commands through Tauri's IPC on the mock runtime: the real
//! engine over a temp data directory, the real embedded server on a free port,
//! the app's real config and capability.

use kasir::Kasir;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Listener, WebviewWindow, WebviewWindowBuilder};

fn testdata() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata/qris");
    assert!(p.exists(), "test data missing: {}", p.display());
    p
}

/// A real static QRIS with a national merchant ID, from the shared vectors.
fn static_qris() -> String {
    let text = std::fs::read_to_string(testdata().join("vectors.tsv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|f| {
            f.len() > 6
                && f[3] == "static"
                && f[4] == "QRIS"
                && f[5] == "valid"
                && f[6].is_empty()
                && f[0].contains("51440014ID.CO.QRIS.WWW")
        })
        .map(|f| f[0].to_string())
        .expect("a static QRIS row in vectors.tsv")
}

struct Till {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    events: Arc<Mutex<Vec<Value>>>,
    _dir: tempfile::TempDir,
}

impl Till {
    fn start() -> Till {
        Self::start_on("127.0.0.1:0")
    }

    fn start_on(bind: &str) -> Till {
        // no desktop notifications from tests; set once, before any test starts threads
        static QUIET: std::sync::Once = std::sync::Once::new();
        QUIET.call_once(|| std::env::set_var("KASIR_NO_NOTIFY", "1"));
        let dir = tempfile::tempdir().unwrap();
        let kasir = Kasir::open(dir.path()).unwrap();
        let till = tauri::async_runtime::block_on(kasir_desktop::server::start_till_with(
            kasir,
            Some(bind.to_string()),
        ));
        let app = kasir_desktop::builder(mock_builder(), till)
            .build(kasir_desktop::context())
            .unwrap();
        kasir_desktop::forward_events(app.handle().clone());
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        let events = Arc::new(Mutex::new(vec![]));
        let sink = events.clone();
        app.listen_any("order-event", move |e| {
            sink.lock()
                .unwrap()
                .push(serde_json::from_str(e.payload()).unwrap());
        });
        Till {
            _app: app,
            window,
            events,
            _dir: dir,
        }
    }

    fn call_body(&self, cmd: &str, body: InvokeBody) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body,
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.call_body(cmd, InvokeBody::Json(args))
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should fail, got {v}"),
            Err(e) => e,
        }
    }

    fn server_url(&self) -> String {
        self.ok("app_info", json!({}))["server"]["local_url"]
            .as_str()
            .expect("the server listens")
            .to_string()
    }

    fn wait_for_event(&self, event: &str, order_id: &str) -> Value {
        for _ in 0..200 {
            if let Some(e) = self
                .events
                .lock()
                .unwrap()
                .iter()
                .find(|e| e["event"] == event && e["order_id"] == order_id)
            {
                return e.clone();
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("no {event} event for {order_id}");
    }
}

/// The customer presses "Sudah Bayar" on the payment page: the public API.
fn customer_says_paid(base: &str, link_code: &str) -> Value {
    tauri::async_runtime::block_on(async {
        let r = reqwest::Client::new()
            .post(format!("{base}/api/pay/{link_code}/confirm"))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "confirm: {}", r.status());
        r.json::<Value>().await.unwrap()
    })
}

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
    let png =
        std::fs::read(testdata().join("images/ahyaniayas_qris-dinamis__assets_qris-dana.png"))
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
    let today = chrono::Utc::now()
        .with_timezone(&kasir::clock::jakarta())
        .format("%Y-%m-%d")
        .to_string();
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

/// A webhook receiver on loopback: answers 200 and keeps each body.
fn receiver() -> (String, Arc<Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    let got = Arc::new(Mutex::new(vec![]));
    let sink = got.clone();
    std::thread::spawn(move || {
        for stream in l.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut len = 0;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; len];
            r.read_exact(&mut body).unwrap();
            sink.lock().unwrap().push(String::from_utf8(body).unwrap());
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        }
    });
    (url, got)
}

#[test]
fn webhooks_widget_and_printing_from_the_till() {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::env::set_var("KASIR_NO_OPEN", "1"));
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
    let refused = till.ok("webhook_test", json!({ "url": "http://169.254.169.254/" }));
    assert_eq!(refused["success"], false);

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
        (
            "print_report",
            json!({ "date": kasir::clock::jakarta_day(kasir::clock::now_ms()) }),
        ),
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
