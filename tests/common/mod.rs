//! Test harness: a real server on port 0 over a fresh data directory.
#![allow(dead_code)]

pub mod receiver;
pub mod webdriver;

use kasir::Kasir;
use reqwest::{Client, Response};
use serde_json::Value;
use std::path::PathBuf;

pub fn shared_testdata() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata/qris");
    assert!(
        p.exists(),
        "test data missing: {} (shared/ sits beside the checkout)",
        p.display()
    );
    p
}

/// Real QRIS payloads from the shared vectors file, read at run time:
/// rows that are static, QRIS, structurally valid and not synthetic.
pub fn static_qris_vectors() -> Vec<String> {
    let text = std::fs::read_to_string(shared_testdata().join("vectors.tsv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| {
            f.len() > 6
                && f[3] == "static"
                && f[4] == "QRIS"
                && f[5] == "valid"
                && f[6].is_empty()
                && f[0].contains("51440014ID.CO.QRIS.WWW")
        })
        .map(|f| f[0].to_string())
        .collect()
}

/// One real static QRIS with a national merchant ID (tag 51).
pub fn static_qris() -> String {
    static_qris_vectors()
        .into_iter()
        .next()
        .expect("a static QRIS row in vectors.tsv")
}

pub struct TestApp {
    pub base: String,
    pub key: String,
    pub client: Client,
    pub kasir: Kasir,
    pub dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(kasir::webhook::WebhookConfig::default()).await
    }

    /// A server whose webhooks follow `config` (tests shorten the schedule).
    pub async fn spawn_with(config: kasir::webhook::WebhookConfig) -> TestApp {
        TestApp::start_in(tempfile::tempdir().unwrap(), config).await
    }

    /// A server over an existing data directory.
    pub async fn start_in(
        dir: tempfile::TempDir,
        config: kasir::webhook::WebhookConfig,
    ) -> TestApp {
        let kasir = Kasir::open_with(dir.path(), config).unwrap();
        let server = kasir::http::start(kasir.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let (_, key) = kasir.create_api_key("test", None).await.unwrap();
        TestApp {
            base: format!("http://{}", server.addr),
            key,
            client: Client::new(),
            kasir,
            dir,
        }
    }

    pub async fn with_qris() -> TestApp {
        let app = TestApp::spawn().await;
        app.import_qris().await;
        app
    }

    /// Upload the shared static QRIS through the API.
    pub async fn import_qris(&self) {
        let (s, b) = self
            .post(
                "/api/qris/upload",
                serde_json::json!({ "qris_string": static_qris() }),
            )
            .await;
        assert_eq!(s, 200, "{b}");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn json(res: Response) -> (u16, Value) {
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let v =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        (status, v)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        Self::json(
            self.client
                .get(self.url(path))
                .header("X-API-Key", &self.key)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        Self::json(
            self.client
                .post(self.url(path))
                .header("X-API-Key", &self.key)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post_empty(&self, path: &str) -> (u16, Value) {
        Self::json(
            self.client
                .post(self.url(path))
                .header("X-API-Key", &self.key)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        Self::json(
            self.client
                .delete(self.url(path))
                .header("X-API-Key", &self.key)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// A public call, without the key.
    pub async fn public_post(&self, path: &str) -> (u16, Value) {
        Self::json(
            self.client
                .post(self.url(path))
                .header("Content-Type", "application/json")
                .body("{}")
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("kasir.db")).unwrap()
    }

    pub fn count(&self, table: &str) -> i64 {
        self.db()
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    /// Make an order generated through the API; returns (order_id, link_code).
    pub async fn generate(&self, amount: u64) -> (String, String) {
        let (s, b) = self
            .post(
                "/api/qris/generate",
                serde_json::json!({ "amount": amount }),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        (
            b["payment_link"]["order_id"].as_str().unwrap().to_string(),
            b["payment_link"]["link_code"].as_str().unwrap().to_string(),
        )
    }
}
