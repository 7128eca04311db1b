//! Request bodies: serde structs whose fields are read with the reference's
//! leniency (a number may come as a string of digits, as form posts send it),
//! and whose wrong types get a message naming the field.
//!
//! Every field of a body struct goes through one of the `deserialize_with`
//! helpers below, with `#[serde(default)]`: a helper sees the field's JSON
//! value whatever its type, and its error is the message's tail ("must be a
//! number, got a string"); [`from_value`] puts the field's name in front and
//! in `field`.

use super::error::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// JSON bodies of the keyed API are small; uploads have their own limit.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// A multipart body that could not be read, as our error; `max_bytes` is the
/// route's upload limit, named when it was passed.
pub fn multipart_error(e: axum::extract::multipart::MultipartError, max_bytes: usize) -> ApiError {
    let status = e.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            status,
            "Payload too large",
            format!("The upload is larger than {} MB.", max_bytes / 1024 / 1024),
        )
    } else {
        ApiError::new(
            status,
            "Bad request",
            format!("The multipart body could not be read: {}", e.body_text()),
        )
    }
}

/// A JSON body read into `T`, whose rejection is our error body, naming what
/// is wrong.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // through a Value first: a repeated key is the last one, as it always was
        match axum::Json::<Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => from_value(v).map(ApiJson),
            Err(rej) => Err(match rej {
                JsonRejection::MissingJsonContentType(_) => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported media type",
                    "Send the body as JSON with the header Content-Type: application/json.",
                ),
                JsonRejection::JsonSyntaxError(e) => {
                    ApiError::bad_request(format!("The body is not valid JSON: {}", e.body_text()))
                }
                JsonRejection::JsonDataError(e) => ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Invalid field",
                    e.body_text(),
                ),
                JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    ApiError::payload_too_large()
                }
                JsonRejection::BytesRejection(e) => {
                    ApiError::new(e.status(), "Bad request", e.body_text())
                }
                other => ApiError::bad_request(other.body_text()),
            }),
        }
    }
}

/// A body that may be left out (curl without `-d` sends none), read whatever
/// its content type says.
pub fn optional_body<T: DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("The body is not valid JSON: {e}")))?;
    from_value(v)
}

/// A body struct from a JSON value: an object, or null for an empty one.
pub fn from_value<T: DeserializeOwned>(v: Value) -> Result<T, ApiError> {
    let v = match v {
        Value::Object(_) => v,
        Value::Null => Value::Object(Default::default()),
        _ => return Err(ApiError::bad_request("The body must be a JSON object.")),
    };
    serde_path_to_error::deserialize(v).map_err(|e| {
        let field = e.path().to_string();
        let tail = e.inner().to_string();
        if field.is_empty() || field == "." {
            ApiError::bad_request(tail)
        } else {
            ApiError::field(field.clone(), format!("{field} {tail}"))
        }
    })
}

/// A whole number: a JSON number, or a string of digits.
pub fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i128>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok(Some(i as i128))
            } else if let Some(u) = n.as_u64() {
                Ok(Some(u as i128))
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    Ok(Some(f as i128))
                } else if f.abs() >= 1e15 {
                    Err(D::Error::custom("is too large"))
                } else {
                    Err(D::Error::custom(format!(
                        "must be a whole number of rupiah, got {n}"
                    )))
                }
            }
        }
        Value::String(s)
            if !s.trim().is_empty()
                && s.trim().bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
        {
            s.trim()
                .parse::<i128>()
                .map(Some)
                .map_err(|_| D::Error::custom(format!("must be a whole number, got {s:?}")))
        }
        other => Err(wrong_type("a number", &other)),
    }
}

/// A number kept as text (fee_value: `1000` or `2.5`), as a number or a string.
pub fn number_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::String(s) => Ok(Some(s.trim().to_string())),
        other => Err(wrong_type("a number", &other)),
    }
}

pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        other => Err(wrong_type("a string", &other)),
    }
}

fn wrong_type<E: serde::de::Error>(wanted: &str, got: &Value) -> E {
    let got = match got {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    E::custom(format!("must be {wanted}, got {got}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default, Deserialize)]
    struct Body {
        #[serde(default, deserialize_with = "integer")]
        amount: Option<i128>,
        #[serde(default, deserialize_with = "number_text")]
        fee_value: Option<String>,
        #[serde(default, deserialize_with = "string")]
        note: Option<String>,
    }

    fn refused(v: Value) -> (Option<String>, String) {
        let e = from_value::<Body>(v).unwrap_err();
        (e.field.map(|f| f.into_owned()), e.message)
    }

    #[test]
    fn numbers_may_come_as_strings_as_the_reference_allows() {
        let b: Body = from_value(json!({ "amount": " 50000 ", "fee_value": "2.5" })).unwrap();
        assert_eq!(
            (b.amount, b.fee_value.as_deref()),
            (Some(50000), Some("2.5"))
        );
        let b: Body = from_value(json!({ "amount": 6000.0, "fee_value": 1000 })).unwrap();
        assert_eq!(
            (b.amount, b.fee_value.as_deref()),
            (Some(6000), Some("1000"))
        );
        let b: Body = from_value(Value::Null).unwrap();
        assert_eq!((b.amount, b.note), (None, None));
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let cases = [
            (
                json!({ "amount": true }),
                "amount must be a number, got a boolean",
            ),
            (
                json!({ "amount": 1.5 }),
                "amount must be a whole number of rupiah, got 1.5",
            ),
            (json!({ "amount": 1e20 }), "amount is too large"),
            (
                json!({ "amount": "5a" }),
                "amount must be a number, got a string",
            ),
            (
                json!({ "amount": "--5" }),
                "amount must be a whole number, got \"--5\"",
            ),
            (
                json!({ "fee_value": [] }),
                "fee_value must be a number, got an array",
            ),
            (json!({ "note": 5 }), "note must be a string, got a number"),
        ];
        for (body, message) in cases {
            let field = message.split(' ').next().unwrap().to_string();
            assert_eq!(refused(body), (Some(field), message.to_string()));
        }
        let e = from_value::<Body>(json!([1])).unwrap_err();
        assert_eq!(
            (e.status.as_u16(), e.message.as_str()),
            (400, "The body must be a JSON object.")
        );
    }
}
