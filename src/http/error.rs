//! The API's error body, `{"success": false, "error", "message"}`, in one place.

use crate::error::{Attempted, Error, Missing};
use crate::model::OrderStatus;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::borrow::Cow;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: String,
    pub message: String,
    /// The request field at fault: the engine's names are static, a body's
    /// come from the serde path of the field that failed.
    pub field: Option<Cow<'static, str>>,
    pub retry_after: Option<u64>,
    /// The engine's stable code (additive: the reference has none), the same
    /// `code` the till's commands answer with.
    pub code: Option<&'static str>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        error: impl Into<String>,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            error: error.into(),
            message: message.into(),
            field: None,
            retry_after: None,
            code: None,
        }
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "Bad request", message)
    }
    /// A body over the endpoint's limit, whether our extractor or axum's
    /// body limit is the one that noticed.
    pub fn payload_too_large() -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Payload too large",
            "The request body is larger than this endpoint accepts.",
        )
    }
    pub fn field(field: impl Into<Cow<'static, str>>, message: impl Into<String>) -> ApiError {
        ApiError {
            field: Some(field.into()),
            code: Some("invalid_field"),
            ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid field", message)
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        use crate::qr_image::ScanError;
        let message = customer_words(&e).map_or_else(|| e.to_string(), str::to_string);
        let code = Some(e.code());
        let api = match e {
            Error::InvalidField { field, .. } => ApiError::field(field, message),
            Error::InvalidQris { .. } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Invalid QRIS", message)
            }
            Error::NotFound(ref missing) => {
                let title = match missing.what() {
                    "order" => "Order not found",
                    "payment_link" => "Link pembayaran tidak ditemukan",
                    "qris" => "QRIS not found",
                    "api_key" => "API key not found",
                    "webhook_delivery" => "Webhook delivery not found",
                    "merchant" => "Merchant not found",
                    "print_job" => "Print job not found",
                    _ => "Not found",
                };
                ApiError::new(StatusCode::NOT_FOUND, title, message)
            }
            Error::NoStaticQris => ApiError::new(StatusCode::BAD_REQUEST, "No QRIS found", message),
            Error::DuplicateOrderId(_) => ApiError {
                field: Some("order_id".into()),
                ..ApiError::new(StatusCode::CONFLICT, "Duplicate order_id", message)
            },
            Error::AlreadyVerified => {
                ApiError::new(StatusCode::BAD_REQUEST, "Order already verified", message)
            }
            Error::CannotCancelPaid => {
                ApiError::new(StatusCode::BAD_REQUEST, "Cannot cancel paid order", message)
            }
            Error::NotPaid { .. } => ApiError::new(StatusCode::CONFLICT, "Order not paid", message),
            Error::Closed { status, .. } => {
                let title = match status {
                    crate::model::OrderStatus::Expired => "Order expired",
                    _ => "Order cancelled",
                };
                ApiError::new(StatusCode::GONE, title, message)
            }
            Error::Unauthorized => ApiError::new(StatusCode::UNAUTHORIZED, "Unauthorized", message),
            Error::RateLimited {
                retry_after_secs, ..
            } => ApiError {
                retry_after: Some(retry_after_secs),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Rate limit exceeded",
                    message,
                )
            },
            Error::Image(ref s) => {
                let status = match s {
                    ScanError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                    ScanError::NotAnImage => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                ApiError {
                    field: Some("qris_image".into()),
                    ..ApiError::new(status, "Invalid image", message)
                }
            }
            Error::LinkCodesExhausted => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "Try again", message)
            }
            Error::StaleStatus => ApiError::new(StatusCode::CONFLICT, "Order changed", message),
            Error::MerchantBusy {
                retry_after_secs, ..
            } => ApiError {
                retry_after: retry_after_secs,
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Terlalu banyak permintaan",
                    message,
                )
            },
            Error::PrinterUnavailable(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "Printer unavailable",
                message,
            ),
            Error::DeliveryBusy(_) => {
                ApiError::new(StatusCode::CONFLICT, "Delivery in progress", message)
            }
            Error::NoUniqueAmount { .. } => {
                ApiError::new(StatusCode::CONFLICT, "No unique amount left", message)
            }
            Error::Forbidden { .. } => ApiError::new(StatusCode::FORBIDDEN, "Forbidden", message),
            Error::NotRefundable(_) => {
                ApiError::new(StatusCode::CONFLICT, "Cannot refund", message)
            }
            Error::Locked | Error::WrongPin { .. } => {
                ApiError::new(StatusCode::UNAUTHORIZED, "Unauthorized", message)
            }
            Error::OwnerOnly { .. } => ApiError::new(StatusCode::FORBIDDEN, "Owner only", message),
            Error::PinLocked {
                retry_after_secs, ..
            } => ApiError {
                retry_after: Some(retry_after_secs),
                ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Locked", message)
            },
            Error::NoOpenShift { .. } | Error::ShiftOpen { .. } => {
                ApiError::new(StatusCode::CONFLICT, "Shift", message)
            }
            Error::TaskFailed(what) => {
                tracing::error!("{what} did not finish");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    "Something went wrong on the till; the request was not completed.",
                )
            }
            Error::Db(e) => {
                tracing::error!("database error: {e}");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    "Something went wrong on the till; the request was not completed.",
                )
            }
        };
        ApiError { code, ..api }
    }
}

/// What the public endpoints (the payment page, the widget) tell a customer,
/// in Bahasa Indonesia; the rest of the API answers with the engine's
/// English, as the reference does.
fn customer_words(e: &Error) -> Option<&'static str> {
    Some(match e {
        Error::NotFound(Missing::PaymentLink) => "Link pembayaran tidak ditemukan",
        Error::NotFound(Missing::Merchant) => "Merchant tidak ditemukan: periksa data-merchant.",
        Error::MerchantBusy { .. } => {
            "Toko ini sedang menerima terlalu banyak pembayaran sekaligus; coba lagi sebentar lagi."
        }
        Error::Closed {
            attempted: Attempted::CustomerConfirm,
            status,
            ..
        } => match status {
            OrderStatus::Expired => "Link pembayaran sudah kedaluwarsa.",
            _ => "Pembayaran ini sudah dibatalkan.",
        },
        _ => return None,
    })
}

/// The error body. Keys in the order they have always gone out (sorted, as
/// serde_json writes a map): the note atop `views.rs` says why.
#[derive(Serialize)]
struct ErrorBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<Cow<'static, str>>,
    message: String,
    success: bool,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code,
            error: self.error,
            field: self.field,
            message: self.message,
            success: false,
        };
        let mut res = (self.status, axum::Json(body)).into_response();
        if let Some(s) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        res
    }
}
