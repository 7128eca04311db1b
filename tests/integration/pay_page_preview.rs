//! The payment page rendered on the server (issue 17 part 2): a shared link
//! previews with the merchant, the amount and the QR; without JavaScript the
//! customer scans the QR and presses "Sudah Bayar" through a plain form.

use crate::support::*;
use serde_json::json;

async fn link(app: &TestApp, description: &str) -> (String, String, String) {
    let (s, b) = app
        .post(
            "/api/qris/payment-link",
            json!({ "amount": 75000, "description": description }),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let code = b["payment_link"]["link_code"].as_str().unwrap().to_string();
    let order_id = b["payment_link"]["order_id"].as_str().unwrap().to_string();
    let merchant = b["payment_link"]["merchant_name"]
        .as_str()
        .unwrap()
        .to_string();
    (code, order_id, merchant)
}

async fn page(app: &TestApp, code: &str) -> String {
    let res = app.public_fetch(&format!("/p/{code}")).await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

#[tokio::test]
async fn a_shared_link_previews_with_the_amount_the_merchant_and_the_qr() {
    let app = TestApp::with_qris().await;
    let (code, order_id, merchant) = link(&app, "Katering <b>rapat</b> & \"snack\"").await;
    let html = page(&app, &code).await;
    let title = format!("Bayar Rp 75.000 ke {merchant}");
    assert!(html.contains(&format!("<title>{title}</title>")), "{html}");
    assert!(html.contains(&format!("<meta property=\"og:title\" content=\"{title}\">")));
    let image = format!("{}/p/{code}/qr.png", app.base);
    assert!(
        html.contains(&format!("<meta property=\"og:image\" content=\"{image}\">")),
        "{html}"
    );
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary\">"));
    assert!(html.contains("<dd id=\"total\">Rp 75.000</dd>"));
    assert!(html.contains(&format!("<h1 id=\"merchant-name\">{merchant}</h1>")));
    assert!(html.contains(&format!("No. pesanan {order_id}")));
    // the description is text, never markup
    assert!(
        html.contains("Katering &lt;b&gt;rapat&lt;/b&gt; &amp; &quot;snack&quot;"),
        "{html}"
    );
    assert!(!html.contains("<b>rapat</b>"));
    assert!(html.contains(">Menunggu pembayaran</p>"));
    // the QR the preview and the page show is the order's
    let res = app.public_fetch(&format!("/p/{code}/qr.png")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    let png = app.dir.path().join("qr.png");
    std::fs::write(&png, res.bytes().await.unwrap()).unwrap();
    let (_, o) = app.get(&format!("/api/qris/orders/{order_id}")).await;
    assert_eq!(zbarimg(&png), o["order"]["qris"].as_str().unwrap());
    // a preview bot reads the page but runs no script: no view is counted
    assert_eq!(app.number("SELECT view_count FROM orders"), 0);
}

#[tokio::test]
async fn without_javascript_sudah_bayar_is_a_form_that_comes_back_to_the_page() {
    let app = TestApp::with_qris().await;
    let (code, order_id, _) = link(&app, "Tagihan").await;
    let html = page(&app, &code).await;
    assert!(
        html.contains(&format!(
            "<form method=\"post\" action=\"/p/{code}/confirm\">"
        )),
        "{html}"
    );
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .post(app.url(&format!("/p/{code}/confirm")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/p/{code}"));
    let (_, o) = app.get(&format!("/api/qris/orders/{order_id}")).await;
    assert_eq!(o["order"]["status"], "awaiting_confirmation");
    let html = page(&app, &code).await;
    assert!(html.contains(">Menunggu verifikasi penjual</p>"), "{html}");
    assert!(!html.contains("/confirm\">"), "no second form once pressed");
    // the page's CSP lets its own form post, and nothing else
    let res = app.public_fetch(&format!("/p/{code}")).await;
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("form-action 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
}

#[tokio::test]
async fn a_paid_links_page_says_lunas_and_shows_no_qr() {
    let app = TestApp::with_qris().await;
    let (code, order_id, _) = link(&app, "Lunas").await;
    app.post(&format!("/api/qris/orders/{order_id}/verify"), json!({}))
        .await;
    let html = page(&app, &code).await;
    assert!(html.contains("<body data-state=\"paid\">"));
    assert!(html.contains(">Lunas</p>"));
    assert!(!html.contains("og:image"));
    assert!(!html.contains("/qr.png"));
    let res = app.public_fetch(&format!("/p/{code}/qr.png")).await;
    assert_eq!(res.status(), 410);
}
