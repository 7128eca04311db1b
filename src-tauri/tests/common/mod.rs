//! What the till's tests share: the shell's commands through Tauri's IPC on
//! the mock runtime, the real engine over a temp data directory, the real
//! embedded server on a free port, the app's real config and capability.
// each test binary uses part of this
#![allow(dead_code)]

use kasir::clock::Millis;
use kasir::Kasir;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Listener, Manager, WebviewWindow, WebviewWindowBuilder};

pub use kasir_testdata::static_qris;

pub struct Till {
    app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    events: Arc<Mutex<Vec<Value>>>,
    _dir: tempfile::TempDir,
}

pub const OWNER_PIN: &str = "1234";

impl Till {
    /// A till with its owner (PIN 1234) unlocked and a shift open on an
    /// empty drawer: where most tests begin.
    pub fn start() -> Till {
        Self::start_on("127.0.0.1:0")
    }

    pub fn start_on(bind: &str) -> Till {
        let till = Self::start_locked_on(bind);
        till.ok("owner_setup", json!({"name": "Bu Sari", "pin": OWNER_PIN}));
        till.ok("shift_open", json!({"opening": {"total": 0}}));
        till
    }

    /// A first run: nobody set up, the till locked.
    pub fn start_locked() -> Till {
        Self::start_locked_on("127.0.0.1:0")
    }

    pub fn start_locked_on(bind: &str) -> Till {
        // no desktop notifications or PDF viewers from tests; set once, before
        // any test starts threads
        static QUIET: std::sync::Once = std::sync::Once::new();
        QUIET.call_once(|| {
            std::env::set_var("KASIR_NO_NOTIFY", "1");
            std::env::set_var("KASIR_NO_OPEN", "1");
        });
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
            app,
            window,
            events,
            _dir: dir,
        }
    }

    pub fn call_body(&self, cmd: &str, body: InvokeBody) -> Result<Value, Value> {
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

    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.call_body(cmd, InvokeBody::Json(args))
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    pub fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should fail, got {v}"),
            Err(e) => e,
        }
    }

    /// The engine the commands call, for what a test cannot do through them.
    pub fn kasir(&self) -> Kasir {
        self.app.state::<kasir_desktop::Till>().kasir.clone()
    }

    /// Today in the merchant's zone, as the till says it.
    pub fn today(&self) -> String {
        self.ok("app_info", json!({}))["today"]
            .as_str()
            .expect("app_info names today")
            .to_string()
    }

    /// Date an order as made at `ms`: the clock can't be moved, so the order is.
    pub fn made_at(&self, order_id: &str, ms: Millis) {
        let id = order_id.to_string();
        self.kasir()
            .db()
            .write_blocking(move |c| {
                c.execute(
                    "UPDATE orders SET created_at = ?1 WHERE order_id = ?2",
                    (ms, id),
                )
                .map_err(kasir::Error::from)
            })
            .unwrap();
    }

    pub fn server_url(&self) -> String {
        self.ok("app_info", json!({}))["server"]["local_url"]
            .as_str()
            .expect("the server listens")
            .to_string()
    }

    pub fn wait_for_event(&self, event: &str, order_id: &str) -> Value {
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
pub fn customer_says_paid(base: &str, link_code: &str) -> Value {
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

/// A webhook receiver on loopback: answers 200 and keeps each body.
pub fn receiver() -> (String, Arc<Mutex<Vec<String>>>) {
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

/// A printed PDF's text as `pdftotext` reads it, its runs of spaces as one.
pub fn pdf_text(path: &str) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path, "-"])
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "pdftotext {path}: {:?}", out.status);
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
