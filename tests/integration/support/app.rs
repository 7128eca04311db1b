//! A real server on port 0 over a fresh data directory, and a client that
//! talks to it over loopback the way an integrator would.

use super::testdata::static_qris;
use kasir::service::Actor;
use kasir::webhook::WebhookConfig;
use kasir::Kasir;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};

/// The HTTP side: where a server listens and an API key it accepts.
pub struct Api {
    pub base: String,
    pub key: String,
    pub client: reqwest::Client,
}

impl Api {
    pub fn new(base: String, key: String) -> Api {
        Api {
            base,
            key,
            client: reqwest::Client::new(),
        }
    }

    /// Serve `kasir` on a free loopback port, with a fresh unlimited key.
    pub async fn serve(kasir: &Kasir) -> Api {
        let server = kasir::http::start(kasir.clone(), "127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let (_, key) = kasir
            .create_api_key(&Actor::Console, "test", None)
            .await
            .unwrap();
        Api::new(format!("http://{}", server.addr), key)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The same server, called with another key.
    pub fn as_key(&self, key: &str) -> Api {
        Api {
            base: self.base.clone(),
            key: key.to_string(),
            client: self.client.clone(),
        }
    }

    /// A request under the API key, as the merchant's backend sends it.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.public_request(method, path)
            .header("X-API-Key", &self.key)
    }

    /// A request without the key, as a customer's browser sends it.
    pub fn public_request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// The status and the body, which must be JSON.
    pub async fn json(res: Response) -> (u16, Value) {
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let v =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        (status, v)
    }

    async fn call(req: RequestBuilder) -> (u16, Value) {
        Self::json(req.send().await.unwrap()).await
    }

    /// GET under the key, for what is not JSON (PDFs) or to see headers.
    pub async fn fetch(&self, path: &str) -> Response {
        self.request(Method::GET, path).send().await.unwrap()
    }

    /// GET without the key, for what is not JSON or to see headers.
    pub async fn public_fetch(&self, path: &str) -> Response {
        self.public_request(Method::GET, path).send().await.unwrap()
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        Self::call(self.request(Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        Self::call(self.request(Method::POST, path).json(&body)).await
    }

    pub async fn post_empty(&self, path: &str) -> (u16, Value) {
        Self::call(self.request(Method::POST, path)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        Self::call(self.request(Method::DELETE, path)).await
    }

    pub async fn public_get(&self, path: &str) -> (u16, Value) {
        Self::call(self.public_request(Method::GET, path)).await
    }

    /// A public POST with an empty JSON object, as the payment page sends it.
    pub async fn public_post(&self, path: &str) -> (u16, Value) {
        self.public_post_json(path, json!({})).await
    }

    pub async fn public_post_json(&self, path: &str, body: Value) -> (u16, Value) {
        Self::call(self.public_request(Method::POST, path).json(&body)).await
    }

    /// Upload the shared static QRIS through the API.
    pub async fn import_qris(&self) {
        let (s, b) = self
            .post("/api/qris/upload", json!({ "qris_string": static_qris() }))
            .await;
        assert_eq!(s, 200, "{b}");
    }

    /// Make an order generated through the API; returns (order_id, link_code).
    pub async fn generate(&self, amount: u64) -> (String, String) {
        let (s, b) = self
            .post("/api/qris/generate", json!({ "amount": amount }))
            .await;
        assert_eq!(s, 200, "{b}");
        (
            b["payment_link"]["order_id"].as_str().unwrap().to_string(),
            b["payment_link"]["link_code"].as_str().unwrap().to_string(),
        )
    }
}

/// One server, its engine and its data directory, for one test.
pub struct TestApp {
    pub api: Api,
    pub kasir: Kasir,
    pub dir: tempfile::TempDir,
}

/// A test talks to the app mostly over HTTP, so the client's calls read as
/// the app's (`app.get(…)`).
impl std::ops::Deref for TestApp {
    type Target = Api;
    fn deref(&self) -> &Api {
        &self.api
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(WebhookConfig::default()).await
    }

    /// A server whose webhooks follow `config` (tests shorten the schedule).
    pub async fn spawn_with(config: WebhookConfig) -> TestApp {
        TestApp::start_in(tempfile::tempdir().unwrap(), config).await
    }

    /// A server over an existing data directory.
    pub async fn start_in(dir: tempfile::TempDir, config: WebhookConfig) -> TestApp {
        let kasir = Kasir::open_with(dir.path(), config).unwrap();
        let api = Api::serve(&kasir).await;
        TestApp { api, kasir, dir }
    }

    pub async fn with_qris() -> TestApp {
        let app = TestApp::spawn().await;
        app.import_qris().await;
        app
    }

    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("kasir.db")).unwrap()
    }

    /// The one number `sql` selects, read straight from the SQLite file.
    pub fn number(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    pub fn count(&self, table: &str) -> i64 {
        self.number(&format!("SELECT COUNT(*) FROM {table}"))
    }
}
