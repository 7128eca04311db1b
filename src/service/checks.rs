//! The checks every area shares: amounts, fees, ids, free text, URLs, days.
//! Each names the field it is about, so every edge can word it.

use super::{MAX_ORDER_ID_LEN, MAX_URL_LEN};
use crate::error::{Error, Result};
use crate::model::FeeSpec;

pub(super) fn check_amount(amount: Option<i128>) -> Result<u64> {
    match amount {
        None => Err(Error::invalid(
            "amount",
            "amount is required: the payment in whole rupiah, e.g. 50000",
        )),
        Some(a) if a < 1 => Err(Error::invalid(
            "amount",
            format!("amount must be at least 1 rupiah, got {a}"),
        )),
        Some(a) if a > qris::MAX_AMOUNT as i128 => Err(Error::invalid(
            "amount",
            format!(
                "amount must be at most {} (13 digits), got {a}",
                qris::MAX_AMOUNT
            ),
        )),
        Some(a) => Ok(a as u64),
    }
}

/// `fee_type` "rupiah" or "percent" with `fee_value`; a value of 0 means no fee.
pub fn check_fee(fee_type: Option<&str>, fee_value: Option<&str>) -> Result<Option<FeeSpec>> {
    let value = fee_value.map(str::trim).filter(|v| !v.is_empty());
    let kind = fee_type.map(str::trim).filter(|v| !v.is_empty());
    let Some(value) = value else {
        return match kind {
            None | Some("rupiah") | Some("percent") => Ok(None),
            Some(k) => Err(Error::invalid(
                "fee_type",
                format!("fee_type must be \"rupiah\" or \"percent\", got {k:?}"),
            )),
        };
    };
    if value.parse::<f64>().is_ok_and(|v| v == 0.0) {
        return Ok(None);
    }
    match kind.unwrap_or("rupiah") {
        "rupiah" => {
            let v: u64 = value
                .parse()
                .map_err(|_| Error::invalid("fee_value", format!("fee_value must be a whole number of rupiah for a rupiah fee, got {value}")))?;
            if v > qris::MAX_AMOUNT {
                return Err(Error::invalid("fee_value", "fee_value is too large (at most 13 digits)"));
            }
            Ok(Some(FeeSpec::Rupiah(v)))
        }
        "percent" => qris::Percent::parse(value)
            .map(|p| Some(FeeSpec::Percent(p)))
            .ok_or_else(|| Error::invalid("fee_value", format!("fee_value must be between 0.01 and 99.99 with at most two decimals for a percent fee, got {value}"))),
        k => Err(Error::invalid("fee_type", format!("fee_type must be \"rupiah\" or \"percent\", got {k:?}"))),
    }
}

pub fn check_order_id(id: &str) -> Result<&str> {
    if id.chars().count() > MAX_ORDER_ID_LEN {
        return Err(Error::invalid(
            "order_id",
            format!(
                "order_id must be at most {MAX_ORDER_ID_LEN} characters, got {}",
                id.chars().count()
            ),
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(Error::invalid(
            "order_id",
            "order_id may contain only letters, digits, '-', '_' and '.'",
        ));
    }
    Ok(id)
}

pub(super) fn check_text(
    field: &'static str,
    v: Option<&str>,
    max: usize,
) -> Result<Option<String>> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("{field} must be at most {max} characters"),
        ));
    }
    if v.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Error::invalid(
            field,
            format!("{field} contains control characters"),
        ));
    }
    Ok(Some(v.to_string()))
}

pub(super) fn optional_url(field: &'static str, v: Option<&str>) -> Result<Option<String>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(u) => check_url(field, u).map(Some),
    }
}

/// An absolute http or https URL of reasonable length, without credentials,
/// in its normalised form.
pub fn check_url(field: &'static str, u: &str) -> Result<String> {
    let u = u.trim();
    let too_long = |text: &str| {
        (text.len() > MAX_URL_LEN).then(|| {
            Error::invalid(
                field,
                format!("{field} must be at most {MAX_URL_LEN} characters"),
            )
        })
    };
    if let Some(e) = too_long(u) {
        return Err(e);
    }
    let parsed = url::Url::parse(u)
        .map_err(|e| Error::invalid(field, format!("{field} is not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::invalid(
            field,
            format!("{field} must be an http:// or https:// URL"),
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::invalid(
            field,
            format!("{field} must not hold a user name or password (user:password@): they would be sent on and shown in answers and the delivery log"),
        ));
    }
    // What is stored and answered is the parsed form, so what a receiver is
    // sent to is what every screen shows: `http:shop.example` reads as
    // `http://shop.example/`, and quotes or brackets are percent-encoded.
    let normal = parsed.to_string();
    match too_long(&normal) {
        Some(e) => Err(e),
        None => Ok(normal),
    }
}

/// `YYYY-MM-DD`, a real calendar day.
pub fn parse_day(date: &str) -> Result<chrono::NaiveDate> {
    let d = date.trim();
    if d.len() != 10 {
        return Err(Error::invalid(
            "date",
            format!("date must be a day as YYYY-MM-DD, e.g. 2025-12-26; got {d:?}"),
        ));
    }
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
        Error::invalid(
            "date",
            format!("date must be a real day as YYYY-MM-DD, e.g. 2025-12-26; got {d:?}"),
        )
    })
}
