//! The engine's error: one enum every boundary (HTTP, Tauri, CLI) translates.

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field of the request is wrong; `field` names it.
    #[error("{message}")]
    InvalidField {
        field: &'static str,
        message: String,
    },
    #[error("{message}")]
    InvalidQris {
        message: String,
        issues: Vec<qris::Issue>,
    },
    #[error("{message}")]
    NotFound { what: &'static str, message: String },
    #[error("No QRIS found. Please upload your static QRIS first (only needed once).")]
    NoStaticQris,
    #[error("order_id \"{0}\" is already used by another order")]
    DuplicateOrderId(String),
    #[error("This order has already been marked as paid.")]
    AlreadyVerified,
    #[error("This order has already been verified as paid and cannot be cancelled.")]
    CannotCancelPaid,
    /// A receipt is only for money received.
    #[error("Order \"{order_id}\" is not paid (status: {}); a receipt is printed only for a paid order.", status.as_str())]
    NotPaid {
        order_id: String,
        status: crate::model::OrderStatus,
    },
    /// The order or link is expired or cancelled: nothing more can happen to it.
    #[error("{message}")]
    Closed {
        status: crate::model::OrderStatus,
        message: String,
    },
    #[error("{0}")]
    Unauthorized(String),
    #[error("Daily limit of {limit} requests reached for this API key; it resets at midnight Asia/Jakarta.")]
    RateLimited { limit: i64, retry_after_secs: u64 },
    #[error("{0}")]
    Image(crate::qr_image::ScanError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Db(DbError::Sqlite(e))
    }
}

impl Error {
    /// A stable code for the UI and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidField { .. } => "invalid_field",
            Error::InvalidQris { .. } => "invalid_qris",
            Error::NotFound { .. } => "not_found",
            Error::NoStaticQris => "no_static_qris",
            Error::DuplicateOrderId(_) => "duplicate_order_id",
            Error::AlreadyVerified => "already_verified",
            Error::CannotCancelPaid => "cannot_cancel_paid",
            Error::NotPaid { .. } => "not_paid",
            Error::Closed { .. } => "order_closed",
            Error::Unauthorized(_) => "unauthorized",
            Error::RateLimited { .. } => "rate_limited",
            Error::Image(_) => "invalid_image",
            Error::Db(_) => "internal",
        }
    }

    /// The request field this error is about, for a UI that words it itself.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::InvalidField { field, .. } => Some(field),
            _ => None,
        }
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> Error {
        Error::InvalidField {
            field,
            message: message.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
