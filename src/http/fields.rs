//! Reading request fields by hand, so each wrong type gets a message naming the field.

use super::error::ApiError;
use serde_json::{Map, Value};

pub type Object = Map<String, Value>;

pub fn object(v: Value) -> Result<Object, ApiError> {
    match v {
        Value::Object(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        _ => Err(ApiError::bad_request("The body must be a JSON object.")),
    }
}

/// A whole number (JSON number, or a string of digits as some form posts send).
pub fn integer(o: &Object, field: &'static str) -> Result<Option<i128>, ApiError> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                Ok(Some(i as i128))
            } else if let Some(u) = n.as_u64() {
                Ok(Some(u as i128))
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    Ok(Some(f as i128))
                } else if f.abs() >= 1e15 {
                    Err(ApiError::field(field, format!("{field} is too large")))
                } else {
                    Err(ApiError::field(
                        field,
                        format!("{field} must be a whole number of rupiah, got {n}"),
                    ))
                }
            }
        }
        Some(Value::String(s))
            if !s.trim().is_empty()
                && s.trim().bytes().all(|b| b.is_ascii_digit() || b == b'-') =>
        {
            s.trim().parse::<i128>().map(Some).map_err(|_| {
                ApiError::field(field, format!("{field} must be a whole number, got {s:?}"))
            })
        }
        Some(other) => Err(ApiError::field(
            field,
            format!("{field} must be a number, got {}", type_name(other)),
        )),
    }
}

/// A number kept as text (fee_value: `1000` or `2.5`).
pub fn number_text(o: &Object, field: &'static str) -> Result<Option<String>, ApiError> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(other) => Err(ApiError::field(
            field,
            format!("{field} must be a number, got {}", type_name(other)),
        )),
    }
}

pub fn string(o: &Object, field: &'static str) -> Result<Option<String>, ApiError> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ApiError::field(
            field,
            format!("{field} must be a string, got {}", type_name(other)),
        )),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
