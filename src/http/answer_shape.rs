//! What every answer carries, whoever wrote it: `X-Content-Type-Options:
//! nosniff`, and an error in the reference API's JSON shape. Our handlers
//! already answer errors as [`ApiError`]; the layers below them (axum's path
//! and method rejections, the body limit) answer in plain text or with no
//! body, which an integrator's JSON parser chokes on.

use super::error::ApiError;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Plain-text rejection bodies are a line; anything longer is not one of them.
const MAX_REJECTION_TEXT: usize = 4 * 1024;

pub async fn shape(req: Request, next: Next) -> Response {
    let mut res = if let Some(refused) = too_many_headers(req.headers()) {
        refused.into_response()
    } else {
        let method = req.method().clone();
        let path = req.uri().path().to_string();
        let res = next.run(req).await;
        if needs_json_error(&res) {
            json_error(res, &method, &path).await
        } else {
            res
        }
    };
    res.headers_mut()
        .entry("x-content-type-options")
        .or_insert(HeaderValue::from_static("nosniff"));
    res
}

/// Hyper reads more headers than we take (see `serve`), so the refusal is ours
/// and in the reference's shape rather than hyper's empty 431.
fn too_many_headers(headers: &axum::http::HeaderMap) -> Option<ApiError> {
    use super::serve::{MAX_HEADERS, MAX_HEADER_BYTES};
    let count = headers.len();
    let bytes: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len())
        .sum();
    let message = if count > MAX_HEADERS {
        format!("The request has {count} headers; Kasir reads at most {MAX_HEADERS}.")
    } else if bytes > MAX_HEADER_BYTES {
        format!("The request's headers are {bytes} bytes; Kasir reads at most {MAX_HEADER_BYTES}.")
    } else {
        return None;
    };
    Some(ApiError::new(
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        "Request headers too large",
        message,
    ))
}

/// An error answer that is not JSON or HTML (the payment page's own 404 is
/// HTML on purpose: a customer's browser shows it).
fn needs_json_error(res: &Response) -> bool {
    let s = res.status();
    if !(s.is_client_error() || s.is_server_error()) {
        return false;
    }
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    !(kind.starts_with("application/json") || kind.starts_with("text/html"))
}

async fn json_error(res: Response, method: &Method, path: &str) -> Response {
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, MAX_REJECTION_TEXT)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let status = parts.status;
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return with_headers(ApiError::payload_too_large(), parts.headers);
    }
    let (error, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => (
            "Method not allowed",
            format!("{path} does not accept {method}. See /api/openapi.json."),
        ),
        StatusCode::BAD_REQUEST if text.is_empty() => {
            ("Bad request", "The request could not be read.".to_string())
        }
        StatusCode::BAD_REQUEST => (
            "Bad request",
            format!("The request could not be read: {text}"),
        ),
        s if text.is_empty() => (
            s.canonical_reason().unwrap_or("Error"),
            format!("The request failed with HTTP {}.", s.as_u16()),
        ),
        s => (s.canonical_reason().unwrap_or("Error"), text.clone()),
    };
    with_headers(ApiError::new(status, error, message), parts.headers)
}

/// Keep what the layer below said beside its body (Allow, Retry-After, CORS).
fn with_headers(error: ApiError, headers: axum::http::HeaderMap) -> Response {
    let mut shaped = error.into_response();
    for (name, value) in headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            shaped.headers_mut().insert(name.clone(), value.clone());
        }
    }
    shaped
}
