//! The OpenAPI document matches the router both ways.

use crate::support::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every route the router defines: each `.route("PATH", …)` call in every
/// file under `src/http/`, at any depth, however rustfmt wrapped it, as
/// (path, method) once per method.
fn routes_in_source() -> Vec<(String, String)> {
    let mut files = vec![];
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http"),
        &mut files,
    );
    assert!(!files.is_empty(), "no Rust files under src/http");
    files
        .iter()
        .flat_map(|f| routes_in(&std::fs::read_to_string(f).unwrap()))
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    Str(String),
    Ident(String),
    Punct(char),
}

/// Rust source as tokens, without whitespace and comments, so a call reads
/// the same on one line or on five. Enough of the lexer for router code:
/// strings (raw ones too), char literals and lifetimes.
fn tokens(src: &str) -> Vec<Token> {
    let c: Vec<char> = src.chars().collect();
    let mut out = vec![];
    let mut i = 0;
    while i < c.len() {
        let at = |k: usize| c.get(k).copied();
        match c[i] {
            w if w.is_whitespace() => i += 1,
            '/' if at(i + 1) == Some('/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if at(i + 1) == Some('*') => {
                i += 2;
                while i < c.len() && !(c[i] == '*' && at(i + 1) == Some('/')) {
                    i += 1;
                }
                i += 2;
            }
            'r' if raw_string_at(&c, i) => {
                let hashes = c[i + 1..].iter().take_while(|&&h| h == '#').count();
                let start = i + 2 + hashes;
                let close: String = std::iter::once('"')
                    .chain("#".repeat(hashes).chars())
                    .collect();
                let body: String = c[start..].iter().collect();
                let end = body.find(&close).expect("a closed raw string");
                out.push(Token::Str(body[..end].to_string()));
                i = start + body[..end].chars().count() + close.chars().count();
            }
            '"' => {
                let mut s = String::new();
                i += 1;
                while c[i] != '"' {
                    if c[i] == '\\' {
                        i += 1;
                    }
                    s.push(c[i]);
                    i += 1;
                }
                out.push(Token::Str(s));
                i += 1;
            }
            // a char literal ('x', '\n', '"'); otherwise a lifetime
            '\'' if at(i + 1) == Some('\\') => {
                i += 2;
                while c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            '\'' if at(i + 2) == Some('\'') => i += 3,
            a if a.is_alphanumeric() || a == '_' => {
                let start = i;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
                out.push(Token::Ident(c[start..i].iter().collect()));
            }
            p => {
                out.push(Token::Punct(p));
                i += 1;
            }
        }
    }
    out
}

/// Whether `r` at `i` starts a raw string (`r"…"`, `r#"…"#`), not a raw
/// identifier (`r#type`) or a name.
fn raw_string_at(c: &[char], i: usize) -> bool {
    let hashes = c[i + 1..].iter().take_while(|&&h| h == '#').count();
    c.get(i + 1 + hashes) == Some(&'"')
}

/// The index just past the bracket that closes the one at `open`.
fn past_close(t: &[Token], open: usize) -> usize {
    let mut depth = 0;
    for (i, tok) in t.iter().enumerate().skip(open) {
        match tok {
            Token::Punct('(' | '[' | '{') => depth += 1,
            Token::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced brackets")
}

/// The routes one source file defines, leaving out its `#[cfg(test)]` module.
fn routes_in(src: &str) -> Vec<(String, String)> {
    use Token::*;
    const METHODS: [&str; 8] = [
        "get", "post", "put", "delete", "patch", "head", "options", "trace",
    ];
    let t = tokens(src);
    let mut out = vec![];
    let mut i = 0;
    while i < t.len() {
        let cfg_test = [
            Punct('#'),
            Punct('['),
            Ident("cfg".into()),
            Punct('('),
            Ident("test".into()),
            Punct(')'),
            Punct(']'),
            Ident("mod".into()),
        ];
        if t[i..].starts_with(&cfg_test) && t.get(i + cfg_test.len() + 1) == Some(&Punct('{')) {
            i = past_close(&t, i + cfg_test.len() + 1);
            continue;
        }
        if !t[i..].starts_with(&[Punct('.'), Ident("route".into()), Punct('(')]) {
            i += 1;
            continue;
        }
        let Some(Str(path)) = t.get(i + 3) else {
            panic!(
                "a route whose path is not a string literal: {:?}",
                &t[i..i + 6]
            );
        };
        assert_eq!(t[i + 4], Punct(','), "{path}");
        // the method router: `get(h)`, `get(h).post(h2)`, `post(h).layer(l)`,
        // `axum::routing::get(h)`; the calls at its own level name the methods
        let end = past_close(&t, i + 2) - 1;
        let mut j = i + 5;
        while j < end {
            match (&t[j], t.get(j + 1)) {
                (Ident(name), Some(Punct('('))) => {
                    let method = name.strip_suffix("_service").unwrap_or(name);
                    if METHODS.contains(&method) {
                        out.push((path.clone(), method.to_string()));
                    }
                    j = past_close(&t, j + 1);
                }
                (Punct('(' | '[' | '{'), _) => j = past_close(&t, j),
                _ => j += 1,
            }
        }
        i = end + 1;
    }
    out
}

#[test]
fn the_route_finder_reads_routes_however_they_are_wrapped() {
    let src = r##"
        // .route("/commented", get(nothing))
        /* .route("/blocked", get(nothing)) */
        const QUOTE: char = '"';
        fn router<'a>() -> Router<AppState> {
            Router::new()
                .route("/one", get(one))
                .route(
                    "/two/{id}",
                    post(two).layer(super::widget::cors()),
                )
                .route("/three", axum::routing::get(|| async { Json(json!({ "a": ")" })) }).delete(three))
                .route_layer(middleware::from_fn(check))
                .route(r#"/four"#, put(four))
        }
        #[cfg(test)]
        mod tests {
            fn t() { Router::new().route("/in-a-test", get(x)); }
        }
        fn after() { Router::new().route("/five", patch(five)); }
    "##;
    let found = routes_in(src);
    let want: Vec<(String, String)> = [
        ("/one", "get"),
        ("/two/{id}", "post"),
        ("/three", "get"),
        ("/three", "delete"),
        ("/four", "put"),
        ("/five", "patch"),
    ]
    .iter()
    .map(|(p, m)| (p.to_string(), m.to_string()))
    .collect();
    assert_eq!(found, want);
}

fn spec_path(router_path: &str) -> String {
    router_path.replace("{order_id}", "{orderId}")
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_route_exists() {
    let app = TestApp::with_qris().await;
    let (s, spec) = app.public_get("/api/openapi.json").await;
    assert_eq!(s, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().unwrap();

    // the same (path, method) pairs on both sides, each side once
    let served: Vec<(String, String)> = routes_in_source()
        .into_iter()
        .map(|(p, m)| (spec_path(&p), m))
        .collect();
    let served_set: BTreeSet<_> = served.iter().cloned().collect();
    assert_eq!(
        served.len(),
        served_set.len(),
        "a route defined twice: {served:?}"
    );
    let documented: BTreeSet<(String, String)> = paths
        .iter()
        .flat_map(|(p, ms)| {
            ms.as_object()
                .unwrap()
                .keys()
                .map(move |m| (p.clone(), m.clone()))
        })
        .collect();
    let undocumented: Vec<_> = served_set.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "served but not in openapi.json: {undocumented:?}"
    );
    let unserved: Vec<_> = documented.difference(&served_set).collect();
    assert!(
        unserved.is_empty(),
        "in openapi.json but not served: {unserved:?}"
    );

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
