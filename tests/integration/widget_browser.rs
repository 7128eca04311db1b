//! widget.js in a real headless Chromium (Debian's chromium + chromedriver):
//! a shop page on another origin embeds two buttons; a customer pays with a
//! fixed amount and lands on the callback, another types an amount and sees
//! "Lunas" when the merchant verifies. Screenshots go to target/e2e/.

use crate::support::receiver::Receiver;
use crate::support::webdriver::{Browser, Node};
use crate::support::*;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use kasir::service::Actor;
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

fn shot(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/e2e/widget-{name}.png"))
}

/// The merchant's own web site, on another origin, with CSS that would break
/// any button it could reach.
async fn shop(kasir_base: &str, merchant: &str, webhook: &str) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://localhost:{}", l.local_addr().unwrap().port());
    let page = format!(
        r##"<!doctype html><html><head><meta charset="utf-8"><title>Toko Kopi</title>
<style>button{{display:none!important}} *{{font-size:40px!important;color:red!important}}</style></head>
<body><h1>Toko Kopi Online</h1>
<p>Kopi susu gula aren, 1 kg</p>
<script src="{kasir_base}/widget.js" data-merchant="{merchant}" data-amount="50000"
  data-description="Pesanan #123" data-callback="{origin}/thanks?ref=web"
  data-webhook="{webhook}"></script>
<p>Donasi</p>
<script src="{kasir_base}/widget.js" data-merchant="{merchant}"
  data-button-text="Bayar Nominal Lain" data-button-color="#22c55e"></script>
</body></html>"##
    );
    let app = Router::new()
        .route("/shop", get(move || async move { Html(page) }))
        .route(
            "/thanks",
            get(|| async { Html("<!doctype html><h1>Terima kasih</h1>") }),
        );
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    origin
}

/// The order the widget made last.
async fn newest_order(app: &TestApp) -> kasir::model::Order {
    let filter = kasir::model::OrderFilter {
        limit: 1,
        ..Default::default()
    };
    let (mut orders, _) = app.kasir.list_orders(filter).await.unwrap();
    orders.remove(0)
}

/// The two widget buttons' hosts, once both scripts have run.
async fn buttons(b: &Browser) -> Vec<Node> {
    let mut h = vec![];
    for _ in 0..100 {
        h = b.find_all(None, "span[data-kasir-widget]").await;
        if h.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    h
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_pays_through_the_widget_on_another_site() {
    let app = TestApp::with_qris().await;
    let rx = Receiver::start().await;
    let merchant = app.kasir.merchant_id().await.unwrap();
    app.kasir
        .update_settings(
            &Actor::Console,
            kasir::service::SettingsPatch {
                widget_webhook_allowlist: Some(vec![format!("http://{}", rx.addr)]),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let origin = shop(&app.base, &merchant, &rx.url).await;
    let b = Browser::start().await;
    b.goto(&format!("{origin}/shop")).await;

    // two buttons, each in its own shadow root, untouched by the page's CSS
    let hosts = buttons(&b).await;
    assert_eq!(hosts.len(), 2);
    let first = b.shadow(&hosts[0]).await;
    let pay = b.wait(Some(&first), "button.pay").await;
    assert_eq!(b.text(&pay).await, "Bayar dengan QRIS");
    let second = b.shadow(&hosts[1]).await;
    let other = b.wait(Some(&second), "button.pay").await;
    assert_eq!(b.text(&other).await, "Bayar Nominal Lain");
    b.screenshot(&shot("1-page")).await;

    // fixed amount: the QR right away
    b.click(&pay).await;
    let modal = b.wait(None, "div[data-kasir-widget-modal]").await;
    let m = b.shadow(&modal).await;
    let img = b.wait(Some(&m), "img.qr").await;
    b.wait_text(Some(&m), ".total", "Rp 50.000").await;
    b.wait_text(Some(&m), "h2", "").await;
    let src = b.property(&img, "src").await;
    let src = src.as_str().unwrap();
    assert!(src.starts_with("data:image/png;base64,"));
    b.screenshot(&shot("2-qr")).await;
    // the QR on screen is the order's dynamic QRIS
    use base64::Engine;
    let png = base64::engine::general_purpose::STANDARD
        .decode(src.trim_start_matches("data:image/png;base64,"))
        .unwrap();
    let scanned = kasir::qr_image::scan(&png).unwrap();
    let order = &newest_order(&app).await;
    assert_eq!(order.source, kasir::model::OrderSource::Widget);
    assert_eq!(scanned, order.payload);
    assert_eq!(order.description.as_deref(), Some("Pesanan #123"));

    // "Sudah Bayar": to the callback with the reference's query
    let done = b.wait_text(Some(&m), "button.act", "Sudah Bayar").await;
    b.click(&done).await;
    let mut url = String::new();
    for _ in 0..100 {
        url = b.url().await;
        if url.contains("/thanks") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let u = url::Url::parse(&url).unwrap();
    let q: std::collections::HashMap<_, _> = u.query_pairs().into_owned().collect();
    assert_eq!(u.path(), "/thanks");
    assert_eq!(q["ref"], "web", "the callback's own query is kept");
    assert_eq!(q["order_id"], order.order_id);
    assert_eq!(q["amount"], "50000");
    assert_eq!(q["status"], "awaiting_confirmation");
    b.screenshot(&shot("3-callback")).await;

    // the allow-listed data-webhook got the event
    let hit = rx.wait_for(1, Duration::from_secs(10)).await.remove(0);
    assert_eq!(hit.json()["event"], "payment.awaiting_confirmation");
    assert_eq!(hit.json()["data"]["order_id"], order.order_id.as_str());

    // no amount: the customer types one; the merchant verifies; "Lunas"
    b.goto(&format!("{origin}/shop")).await;
    let hosts = buttons(&b).await;
    let second = b.shadow(&hosts[1]).await;
    let other = b.wait(Some(&second), "button.pay").await;
    b.click(&other).await;
    let modal = b.wait(None, "div[data-kasir-widget-modal]").await;
    let m = b.shadow(&modal).await;
    let input = b.wait(Some(&m), "input#amt").await;
    b.wait_text(Some(&m), "h2", "Bayar ke").await;
    b.type_into(&input, "25000").await;
    assert_eq!(b.property(&input, "value").await, json!("25.000"));
    b.screenshot(&shot("4-amount")).await;
    b.press("\u{E007}").await; // Enter submits
    b.wait(Some(&m), "img.qr").await;
    b.wait_text(Some(&m), ".total", "Rp 25.000").await;
    let (s, body) = app
        .post_empty(&format!(
            "/api/qris/orders/{}/verify",
            newest_order(&app).await.order_id
        ))
        .await;
    assert_eq!(s, 200, "{body}");
    b.wait_text(Some(&m), ".st", "Lunas").await;
    b.screenshot(&shot("5-lunas")).await;

    // Esc closes the modal
    b.press("\u{E00C}").await;
    for _ in 0..50 {
        if b.find_all(None, "div[data-kasir-widget-modal]")
            .await
            .is_empty()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(b
        .find_all(None, "div[data-kasir-widget-modal]")
        .await
        .is_empty());
    b.quit().await;
}
