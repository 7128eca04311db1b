//! The payment page in a real headless Chromium, under its CSP: no
//! `'unsafe-inline'`, only its own style and script (by hash) run, and the
//! customer still sees the amount and presses "Sudah Bayar" (issue 18).

use crate::support::webdriver::Browser;
use crate::support::*;
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_works_under_a_csp_without_unsafe_inline() {
    let app = TestApp::with_qris().await;
    let (s, b) = app
        .post(
            "/api/qris/payment-link",
            json!({ "amount": 75000, "description": "Kopi 1 kg" }),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let code = b["payment_link"]["link_code"].as_str().unwrap().to_string();
    let order_id = b["payment_link"]["order_id"].as_str().unwrap().to_string();

    let res = app.public_fetch(&format!("/p/{code}")).await;
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("script-src 'sha256-"), "{csp}");
    assert!(csp.contains("style-src 'sha256-"), "{csp}");

    let browser = Browser::start().await;
    browser.goto(&app.url(&format!("/p/{code}"))).await;
    // the script ran: it fetched the order and wrote the amount
    let amount = browser.wait_text(None, "#amount", "Rp 75.000").await;
    assert_eq!(browser.text(&amount).await, "Rp 75.000");
    // the style applied: the card is the page's width, not the browser's default
    let main = browser.wait(None, "main").await;
    assert_eq!(browser.css(&main, "max-width").await, "440px");
    browser
        .screenshot(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e/pay-page-csp.png"))
        .await;
    let confirm = browser.wait_text(None, "#confirm", "Sudah Bayar").await;
    browser.click(&confirm).await;
    let mut status = String::new();
    for _ in 0..100 {
        status = app
            .kasir
            .order(&order_id)
            .await
            .unwrap()
            .status
            .as_str()
            .to_string();
        if status == "awaiting_confirmation" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, "awaiting_confirmation");
    browser.quit().await;
}
