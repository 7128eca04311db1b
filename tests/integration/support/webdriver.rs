//! A small W3C WebDriver client over reqwest, for driving Debian's headless
//! Chromium through chromedriver. Shadow roots are reached with the standard
//! shadow-root commands, so clicks and keys are real input, not script.

use serde_json::{json, Value};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const SHADOW: &str = "shadow-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    driver: Child,
    base: String,
    client: reqwest::Client,
    _profile: tempfile::TempDir,
}

/// An element or a shadow root.
#[derive(Clone, Debug)]
pub enum Node {
    Element(String),
    Shadow(String),
}

impl Browser {
    pub async fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (scripts/setup.sh installs chromium-driver)");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while client.get(format!("{base}/status")).send().await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--window-size=1024,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }}});
        let r: Value = client
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_string();
        Browser {
            driver,
            base: format!("{base}/session/{session}"),
            client,
            _profile: profile,
        }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .client
            .request(method, format!("{}{}", self.base, path));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        v["value"].clone()
    }

    async fn try_cmd(&self, path: &str, body: Value) -> Option<Value> {
        let v = self.cmd(reqwest::Method::POST, path, Some(body)).await;
        (v.get("error").is_none()).then_some(v)
    }

    pub async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    pub async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap()
            .to_string()
    }

    /// All elements matching `css` under `within` (the document if None).
    pub async fn find_all(&self, within: Option<&Node>, css: &str) -> Vec<Node> {
        let path = match within {
            None => "/elements".to_string(),
            Some(Node::Element(id)) => format!("/element/{id}/elements"),
            Some(Node::Shadow(id)) => format!("/shadow/{id}/elements"),
        };
        self.try_cmd(&path, json!({ "using": "css selector", "value": css }))
            .await
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .into_iter()
            .map(|e| {
                Node::Element(
                    e[ELEMENT]
                        .as_str()
                        .unwrap_or_else(|| panic!("not an element: {e}"))
                        .to_string(),
                )
            })
            .collect()
    }

    /// Wait up to 10 s for `css` under `within`.
    pub async fn wait(&self, within: Option<&Node>, css: &str) -> Node {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(n) = self.find_all(within, css).await.into_iter().next() {
                return n;
            }
            assert!(Instant::now() < deadline, "{css} never appeared");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Wait for `css` under `within` whose text contains `text`.
    pub async fn wait_text(&self, within: Option<&Node>, css: &str, text: &str) -> Node {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            for n in self.find_all(within, css).await {
                if self.text(&n).await.contains(text) {
                    return n;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{css} with {text:?} never appeared"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn shadow(&self, host: &Node) -> Node {
        let Node::Element(id) = host else {
            panic!("not an element")
        };
        let v = self
            .cmd(reqwest::Method::GET, &format!("/element/{id}/shadow"), None)
            .await;
        Node::Shadow(v[SHADOW].as_str().unwrap().to_string())
    }

    fn id(n: &Node) -> &str {
        match n {
            Node::Element(id) => id,
            Node::Shadow(_) => panic!("a shadow root is not an element"),
        }
    }

    pub async fn click(&self, n: &Node) {
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{}/click", Self::id(n)),
            Some(json!({})),
        )
        .await;
    }

    pub async fn type_into(&self, n: &Node, text: &str) {
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{}/value", Self::id(n)),
            Some(json!({ "text": text })),
        )
        .await;
    }

    pub async fn text(&self, n: &Node) -> String {
        self.cmd(
            reqwest::Method::GET,
            &format!("/element/{}/text", Self::id(n)),
            None,
        )
        .await
        .as_str()
        .unwrap_or("")
        .to_string()
    }

    pub async fn property(&self, n: &Node, name: &str) -> Value {
        self.cmd(
            reqwest::Method::GET,
            &format!("/element/{}/property/{name}", Self::id(n)),
            None,
        )
        .await
    }

    /// The computed value of a CSS property, as the page's styles made it.
    pub async fn css(&self, n: &Node, name: &str) -> String {
        self.cmd(
            reqwest::Method::GET,
            &format!("/element/{}/css/{name}", Self::id(n)),
            None,
        )
        .await
        .as_str()
        .unwrap_or("")
        .to_string()
    }

    /// Press a key (WebDriver key code, e.g. "\u{E00C}" for Escape) on the page.
    pub async fn press(&self, key: &str) {
        self.cmd(
            reqwest::Method::POST,
            "/actions",
            Some(
                json!({ "actions": [{ "type": "key", "id": "kb", "actions": [
                    { "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }
                ]}]}),
            ),
        )
        .await;
    }

    pub async fn screenshot(&self, file: &Path) {
        use base64::Engine;
        let v = self.cmd(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, png).unwrap();
    }

    /// End the session (and with it the browser), then the driver.
    pub async fn quit(self) {
        let _ = self.client.delete(&self.base).send().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // ending chromedriver ends the browser it started
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
