//! The reference API's keys, the merchant's static QRIS (as text or as a
//! photo) and usage, over real HTTP against a real SQLite file.

use crate::support::*;
use kasir::service::Actor;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn requests_without_or_with_a_wrong_key_are_refused() {
    let app = TestApp::spawn().await;
    let (s, b) = app.public_get("/api/qris/my-qris").await;
    assert_eq!(s, 401);
    assert_eq!(
        b,
        json!({ "success": false, "error": "Unauthorized", "message": "Missing API key: send it in the X-API-Key header." })
    );
    let invalid = json!({ "success": false, "code": "unauthorized", "error": "Unauthorized", "message": "Invalid API key. Send a key made with `kasir keys create` in the X-API-Key header." });
    let (s, b) = app.as_key("ksr_wrong").get("/api/qris/my-qris").await;
    assert_eq!((s, &b), (401, &invalid));
    // a revoked key stops working
    let keys = app.kasir.list_api_keys().await.unwrap();
    app.kasir
        .revoke_api_key(&Actor::Console, keys[0].id)
        .await
        .unwrap();
    let (s, b) = app.get("/api/qris/my-qris").await;
    assert_eq!((s, &b), (401, &invalid));
    // keys are stored hashed, never in clear
    let stored: Vec<u8> = app
        .db()
        .query_row("SELECT key_hash FROM api_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored.len(), 32);
    assert!(!String::from_utf8_lossy(&stored).contains(&app.key));
}

#[tokio::test]
async fn my_qris_before_and_after_upload() {
    let app = TestApp::spawn().await;
    let (s, b) = app.get("/api/qris/my-qris").await;
    assert_eq!(s, 200);
    assert_eq!(
        b,
        json!({"success": true, "has_qris": false, "message": "No QRIS found. Please upload your static QRIS first (only needed once)."})
    );

    let payload = static_qris();
    let (s, b) = app
        .post("/api/qris/upload", json!({ "qris_string": payload }))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["message"], "QRIS uploaded successfully");
    assert_eq!(b["qris_string"], payload.as_str());
    assert!(
        b.get("success").is_none(),
        "the reference's upload response has no success field"
    );
    let summary = qris::decode(&payload).summary.unwrap();
    assert_eq!(
        b["merchant"]["name"],
        summary.merchant_name.unwrap().as_str()
    );
    assert_eq!(
        b["merchant"]["city"],
        summary.merchant_city.unwrap().as_str()
    );

    let (s, b) = app.get("/api/qris/my-qris").await;
    assert_eq!(s, 200);
    assert_eq!(b["has_qris"], true);
    let q = &b["qris"];
    for f in [
        "id",
        "qris_string",
        "merchant_name",
        "merchant_city",
        "created_at",
        "updated_at",
    ] {
        assert!(!q[f].is_null(), "qris.{f} missing: {b}");
    }
    assert!(q["created_at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn uploads_that_are_not_qris_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let vectors = static_qris_vectors();
    let good = &vectors[0];
    let mut broken_crc = good.clone();
    broken_crc.replace_range(good.len() - 4.., "0000");
    let invalid_qris = |message: &str| json!({ "success": false, "code": "invalid_qris", "error": "Invalid QRIS", "message": message });
    let invalid_field = |message: &str| json!({ "success": false, "code": "invalid_field", "error": "Invalid field", "field": "qris_string", "message": message });
    let cases = [
        (
            json!({ "qris_string": "hello" }),
            invalid_qris("This is not a valid QRIS code: expected a 2-digit tag and 2-digit length at character 0, found \"hell\""),
        ),
        (
            json!({ "qris_string": broken_crc }),
            invalid_qris(&format!(
                "This is not a valid QRIS code: CRC is 0000 but the payload's CRC is {}; the code is corrupted or was edited",
                &good[good.len() - 4..]
            )),
        ),
        (
            json!({ "qris_string": "" }),
            invalid_field("qris_string is empty"),
        ),
        (
            json!({ "qris_string": 12345 }),
            invalid_field("qris_string must be a string, got a number"),
        ),
        (
            json!({}),
            invalid_field(
                "qris_string is required (or upload an image as multipart field qris_image)",
            ),
        ),
        // a Brazilian Pix code is EMV but not QRIS
        (
            json!({ "qris_string": "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D" }),
            invalid_qris("this is not a QRIS code (country BR, currency 986); only Indonesian QRIS (58 = ID, 53 = 360) can be converted"),
        ),
    ];
    for (body, answer) in cases {
        let (s, b) = app.post("/api/qris/upload", body.clone()).await;
        assert_eq!((s, &b), (422, &answer), "{body}");
    }
    assert_eq!(app.count("static_qris"), 0);
    // malformed JSON and a wrong content type
    let res = app
        .request(Method::POST, "/api/qris/upload")
        .header("Content-Type", "application/json")
        .body("{\"qris_string\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(
        Api::json(res).await,
        (
            400,
            json!({ "success": false, "error": "Bad request", "message": "The body is not valid JSON: Failed to parse the request body as JSON: qris_string: EOF while parsing a value at line 1 column 16" })
        )
    );
    let res = app
        .request(Method::POST, "/api/qris/generate")
        .body("amount=5")
        .send()
        .await
        .unwrap();
    assert_eq!(
        Api::json(res).await,
        (
            415,
            json!({ "success": false, "error": "Unsupported media type", "message": "Send the body as JSON with the header Content-Type: application/json." })
        )
    );
}

#[tokio::test]
async fn usage_counts_per_endpoint_and_unlimited_keys_say_so() {
    let app = TestApp::with_qris().await;
    app.generate(1000).await;
    app.generate(1000).await;
    app.post("/api/qris/payment-link", json!({ "amount": 1000 }))
        .await;
    let (s, b) = app.get("/api/qris/usage").await;
    assert_eq!(s, 200);
    assert_eq!(b["tier"], "unlimited");
    assert_eq!(b["daily_limit"], serde_json::Value::Null);
    // upload, 2 generate, 1 payment-link, and this usage call
    assert_eq!(b["usage"]["today"]["total"], 5);
    let by = b["usage"]["today"]["by_endpoint"].as_array().unwrap();
    assert_eq!(
        by[0],
        json!({ "endpoint": "/qris/generate", "request_count": 2 })
    );
    assert!(by.contains(&json!({ "endpoint": "/qris/payment-link", "request_count": 1 })));
    assert_eq!(b["usage"]["this_month"]["total"], 5);
}

#[tokio::test]
async fn a_key_over_its_daily_limit_gets_429_with_retry_after() {
    let app = TestApp::with_qris().await;
    let (_, limited) = app
        .kasir
        .create_api_key(&Actor::Console, "free", Some(50))
        .await
        .unwrap();
    let (_, small) = app
        .kasir
        .create_api_key(&Actor::Console, "small", Some(2))
        .await
        .unwrap();
    for _ in 0..2 {
        let res = app.as_key(&small).fetch("/api/qris/usage").await;
        assert_eq!(res.status(), 200);
    }
    let res = app.as_key(&small).fetch("/api/qris/usage").await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=86_400).contains(&retry));
    let (_, b) = app.as_key(&limited).get("/api/qris/usage").await;
    assert_eq!(b["tier"], "free");
    assert_eq!(b["daily_limit"], 50);
    assert_eq!(b["usage"]["today"]["remaining"], 49);
}

#[tokio::test]
async fn render_draws_a_string_or_a_stored_qris() {
    let app = TestApp::with_qris().await;
    let (s, b) = app
        .post("/api/qris/render", json!({ "qris_string": static_qris() }))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["success"], true);
    assert!(b["qr_image"]
        .as_str()
        .unwrap()
        .starts_with("data:image/png;base64,"));
    let (_, q) = app.get("/api/qris/my-qris").await;
    let (s, _) = app
        .post(
            "/api/qris/render",
            json!({ "qris_data_id": q["qris"]["id"] }),
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = app
        .post("/api/qris/render", json!({ "qris_data_id": 999 }))
        .await;
    let invalid = |field: &str, message: &str| json!({ "success": false, "code": "invalid_field", "error": "Invalid field", "field": field, "message": message });
    assert_eq!(
        (s, b),
        (
            422,
            invalid(
                "qris_data_id",
                "qris_data_id 999 does not match any stored static QRIS"
            )
        )
    );
    let (s, b) = app.post("/api/qris/render", json!({})).await;
    assert_eq!(
        (s, b),
        (
            422,
            invalid("qris_string", "Provide either qris_string or qris_data_id.")
        )
    );
    let (s, b) = app
        .post("/api/qris/render", json!({ "qris_string": "garbage" }))
        .await;
    assert_eq!(
        (s, b),
        (
            422,
            invalid("qris_string", "qris_string is not a valid QRIS code: expected a 2-digit tag and 2-digit length at character 0, found \"garb\"")
        )
    );
}

async fn upload_image(
    app: &TestApp,
    bytes: Vec<u8>,
    name: &str,
    mime: &str,
) -> (u16, serde_json::Value) {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap();
    let form = reqwest::multipart::Form::new().part("qris_image", part);
    Api::json(
        app.request(Method::POST, "/api/qris/upload")
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_photo_of_the_sticker_can_be_uploaded() {
    let app = TestApp::spawn().await;
    let path = image("ahyaniayas_qris-dinamis__assets_qris-dana.png");
    let (s, b) = upload_image(&app, std::fs::read(path).unwrap(), "qris.png", "image/png").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["message"], "QRIS uploaded successfully");
    assert!(b["qris_string"].as_str().unwrap().starts_with("000201"));
    let (s, _) = app
        .post("/api/qris/generate", json!({ "amount": 15000 }))
        .await;
    assert_eq!(s, 200);
}

#[tokio::test]
async fn bad_uploads_are_4xx_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (s, b) = upload_image(&app, b"just some text".to_vec(), "a.txt", "text/plain").await;
    assert_eq!(s, 415, "{b}");
    let (s, _) = upload_image(&app, vec![0x89; 11 * 1024 * 1024], "big.png", "image/png").await;
    assert_eq!(s, 413);
    // a PNG header claiming 20000x20000 pixels
    let mut bomb = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bomb, 20_000, 20_000);
        enc.set_depth(png::BitDepth::One);
        let mut w = enc.write_header().unwrap();
        let mut sw = w.stream_writer().unwrap();
        for _ in 0..20_000 {
            std::io::Write::write_all(&mut sw, &[0u8; 2500]).unwrap();
        }
        sw.finish().unwrap();
    }
    let (s, b) = upload_image(&app, bomb, "bomb.png", "image/png").await;
    assert_eq!(s, 413, "{b}");
    let good = std::fs::read(image("akbarhabiby_go-qris__testdata_qris.png")).unwrap();
    let (s, _) = upload_image(
        &app,
        good[..good.len() / 2].to_vec(),
        "cut.png",
        "image/png",
    )
    .await;
    assert_eq!(s, 422);
    // a QR that is not QRIS
    let png = kasir::qr_image::render_png("https://example.com/not-a-payment").unwrap();
    let (s, b) = upload_image(&app, png, "url.png", "image/png").await;
    assert_eq!(s, 422, "{b}");
    // an image with no QR at all
    let mut blank = Vec::new();
    image::GrayImage::from_pixel(100, 100, image::Luma([255]))
        .write_to(
            &mut std::io::Cursor::new(&mut blank),
            image::ImageFormat::Png,
        )
        .unwrap();
    let (s, _) = upload_image(&app, blank, "blank.png", "image/png").await;
    assert_eq!(s, 422);
    assert_eq!(app.count("static_qris"), 0);
}

#[tokio::test]
async fn request_counts_reach_the_database_within_seconds() {
    let app = TestApp::with_qris().await;
    for _ in 0..5 {
        let (s, _) = app.get("/api/qris/orders").await;
        assert_eq!(s, 200);
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let n = app.number(
            "SELECT COALESCE(SUM(request_count), 0) FROM api_usage WHERE endpoint = '/qris/orders'",
        );
        if n == 5 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{n} of 5 written");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
