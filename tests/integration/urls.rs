//! URLs an integrator gives (webhook_url, callback_url, the default webhook)
//! are refused with credentials in them, and kept in their parsed form, so
//! what a receiver is sent to is what every answer shows.

use crate::support::*;
use kasir::service::Actor;
use serde_json::json;

#[tokio::test]
async fn credentials_in_a_url_are_refused_naming_the_field_and_nothing_is_stored() {
    let app = TestApp::with_qris().await;
    for field in ["webhook_url", "callback_url"] {
        let (s, b) = app
            .post(
                "/api/qris/payment-link",
                json!({ "amount": 75000, field: "https://user:secret@shop.example/hook" }),
            )
            .await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(b["field"], field);
        let message = b["message"].as_str().unwrap();
        assert!(message.contains("user name or password"), "{message}");
        assert!(
            !message.contains("secret"),
            "the secret is not echoed: {message}"
        );
    }
    let (s, b) = app
        .post(
            "/api/qris/generate",
            json!({ "amount": 15000, "webhook_url": "http://admin@shop.example/hook" }),
        )
        .await;
    assert_eq!((s, b["field"].as_str()), (422, Some("webhook_url")), "{b}");
    assert_eq!(app.count("orders"), 0);
    let refused = app
        .kasir
        .update_settings(
            &Actor::Console,
            kasir::service::SettingsPatch {
                default_webhook_url: Some(Some("https://u:p@shop.example/".into())),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("default_webhook_url"),
        "{refused}"
    );
}

#[tokio::test]
async fn urls_are_stored_and_answered_in_their_parsed_form() {
    let app = TestApp::with_qris().await;
    let cases = [
        ("http:shop.example/hook", "http://shop.example/hook"),
        (
            "https:\\\\shop.example\\thanks",
            "https://shop.example/thanks",
        ),
        (
            "https://shop.example/a\"><img src=x onerror=alert(1)>",
            "https://shop.example/a%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
        ),
        ("HTTPS://Shop.Example:443/ok", "https://shop.example/ok"),
    ];
    for (given, stored) in cases {
        let (s, b) = app
            .post(
                "/api/qris/payment-link",
                json!({ "amount": 75000, "webhook_url": given, "callback_url": given }),
            )
            .await;
        assert_eq!(s, 200, "{given}: {b}");
        let link = &b["payment_link"];
        assert_eq!(link["webhook_url"], stored, "{given}");
        assert_eq!(link["callback_url"], stored, "{given}");
        let code = link["link_code"].as_str().unwrap();
        let (_, page) = app.public_get(&format!("/api/pay/{code}")).await;
        assert_eq!(page["callback_url"], stored, "{given}");
    }
}
