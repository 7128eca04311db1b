//! The OpenAPI document matches the router both ways.

use crate::support::*;
use serde_json::Value;

/// Every `.route("PATH", method(...))` in the HTTP sources.
fn routes_in_source() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        for part in text.split(".route(\"").skip(1) {
            let path = part.split('"').next().unwrap().to_string();
            let rest = &part[path.len() + 2..];
            let method = rest
                .trim_start()
                .split('(')
                .next()
                .unwrap()
                .trim()
                .to_string();
            out.push((path, method));
        }
    }
    out
}

fn spec_path(router_path: &str) -> String {
    router_path.replace("{order_id}", "{orderId}")
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_route_exists() {
    let app = TestApp::with_qris().await;
    let (s, spec) = Api::json(
        app.client
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().unwrap();

    let routes = routes_in_source();
    assert!(routes.len() >= 18, "{routes:?}");
    for (path, method) in &routes {
        let p = spec_path(path);
        assert!(
            paths.get(&p).and_then(|m| m.get(method)).is_some(),
            "{method} {p} is served but not in openapi.json"
        );
    }

    let (order_id, code) = app.generate(1000).await;
    for (path, methods) in paths {
        for (method, op) in methods.as_object().unwrap() {
            assert!(
                op["operationId"].is_string(),
                "{method} {path} has no operationId"
            );
            let url = path
                .replace("{orderId}", &order_id)
                .replace("{link_code}", &code)
                .replace("{id}", "999999");
            if url.ends_with("/events") {
                continue;
            }
            let req = app
                .client
                .request(method.to_uppercase().parse().unwrap(), app.url(&url))
                .header("X-API-Key", &app.key);
            let req = if method == "post" {
                req.json(&serde_json::json!({ "amount": 1000, "qris_string": static_qris() }))
            } else {
                req
            };
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            assert_ne!(status, 405, "{method} {path}");
            let body = res.text().await.unwrap();
            assert!(
                !body.contains("There is no such endpoint"),
                "{method} {path} is documented but not served"
            );
            let documented = op["responses"].as_object().unwrap();
            assert!(
                documented.contains_key(&status.to_string()),
                "{method} {path} answered {status}, which is not documented: {body}"
            );
            if status == 200 {
                if let Ok(Value::Object(v)) = serde_json::from_str::<Value>(&body) {
                    // the documented required fields are present
                    let schema = &documented["200"]["content"]["application/json"]["schema"];
                    let schema = resolve(&spec, schema);
                    for f in schema["required"].as_array().into_iter().flatten() {
                        assert!(
                            v.contains_key(f.as_str().unwrap()),
                            "{method} {path}: missing {f} in {body}"
                        );
                    }
                }
            }
        }
    }
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => &spec["components"]["schemas"][r.rsplit('/').next().unwrap()],
        None => schema,
    }
}
