//! Every answer is the reference's JSON error when it is an error, and says
//! `nosniff`, also when a layer below our handlers (path decoding, routing,
//! the body limit) is the one refusing.

use crate::support::*;
use reqwest::Method;
use serde_json::json;

async fn shaped(res: reqwest::Response) -> (u16, serde_json::Value) {
    assert_eq!(
        res.headers()
            .get("x-content-type-options")
            .map(|v| v.to_str().unwrap()),
        Some("nosniff"),
        "{}",
        res.url()
    );
    let kind = res.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(kind.starts_with("application/json"), "{kind}");
    Api::json(res).await
}

#[tokio::test]
async fn a_path_that_is_not_utf8_is_a_json_400_naming_the_problem() {
    let app = TestApp::spawn().await;
    let res = app
        .request(Method::GET, "/api/qris/orders/%FF%FE")
        .send()
        .await
        .unwrap();
    let (s, b) = shaped(res).await;
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["success"], false);
    assert_eq!(b["error"], "Bad request");
    let message = b["message"].as_str().unwrap();
    assert!(message.contains("UTF-8"), "{message}");
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_json_413() {
    let app = TestApp::spawn().await;
    let big = "x".repeat(80 * 1024);
    let res = app
        .request(Method::POST, "/api/qris/generate")
        .json(&json!({ "amount": 15000, "description": big }))
        .send()
        .await
        .unwrap();
    let (s, b) = shaped(res).await;
    assert_eq!(
        (s, b),
        (
            413,
            json!({ "success": false, "error": "Payload too large", "message": "The request body is larger than this endpoint accepts." })
        )
    );
    assert_eq!(app.count("orders"), 0);
}

#[tokio::test]
async fn a_wrong_method_is_a_json_405_that_keeps_allow() {
    let app = TestApp::spawn().await;
    let res = app
        .request(Method::DELETE, "/api/qris/generate")
        .send()
        .await
        .unwrap();
    let allow = res
        .headers()
        .get("allow")
        .map(|v| v.to_str().unwrap().to_string());
    let (s, b) = shaped(res).await;
    assert_eq!(s, 405, "{b}");
    assert_eq!(allow.as_deref(), Some("POST"));
    assert_eq!(
        b,
        json!({ "success": false, "error": "Method not allowed", "message": "/api/qris/generate does not accept DELETE. See /api/openapi.json." })
    );
}

#[tokio::test]
async fn successful_json_answers_say_nosniff_too() {
    let app = TestApp::spawn().await;
    let res = app.fetch("/api/qris/usage").await;
    let (s, _) = shaped(res).await;
    assert_eq!(s, 200);
    // an unknown path is our own 404, shaped as ever
    let (s, b) = shaped(app.fetch("/api/qris/nothing-here").await).await;
    assert_eq!((s, b["error"].as_str()), (404, Some("Not found")));
}

#[tokio::test]
async fn too_many_headers_is_a_json_431_naming_the_count() {
    let app = TestApp::with_qris().await;
    let mut req = app
        .request(Method::POST, "/api/qris/generate")
        .json(&json!({ "amount": 15000 }));
    for i in 0..150 {
        req = req.header(format!("x-extra-{i}"), "1");
    }
    let (s, b) = shaped(req.send().await.unwrap()).await;
    assert_eq!(s, 431, "{b}");
    assert_eq!(b["success"], false);
    assert_eq!(b["error"], "Request headers too large");
    let message = b["message"].as_str().unwrap();
    assert!(message.contains("at most 100"), "{message}");
    assert_eq!(app.count("orders"), 0);

    // at the limit the request goes through
    let mut req = app
        .request(Method::POST, "/api/qris/generate")
        .json(&json!({ "amount": 15000 }));
    for i in 0..80 {
        req = req.header(format!("x-extra-{i}"), "1");
    }
    let (s, b) = Api::json(req.send().await.unwrap()).await;
    assert_eq!(s, 200, "{b}");
}

#[tokio::test]
async fn headers_over_32_kb_are_a_json_431_naming_the_size() {
    let app = TestApp::spawn().await;
    let res = app
        .request(Method::GET, "/api/qris/orders")
        .header("x-padding", "a".repeat(40 * 1024))
        .send()
        .await
        .unwrap();
    let (s, b) = shaped(res).await;
    assert_eq!(s, 431, "{b}");
    let message = b["message"].as_str().unwrap();
    assert!(message.contains("at most 32768"), "{message}");
}
