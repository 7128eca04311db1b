//! The engine's error: one enum every boundary (HTTP, Tauri, CLI) translates.
//!
//! Variants carry what went wrong as data. The `Display` text is the engine's
//! own English sentence (the CLI prints it, logs show it, and the HTTP API
//! answers with it where the reference API has the same words); an edge that
//! speaks to a customer or a cashier (the payment page, the till) words the
//! error itself from [`Error::code`] and the variant's data.

use crate::db::DbError;
use crate::model::OrderStatus;

/// What was looked for and not found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// An order, by the `order_id` the caller gave.
    Order(String),
    /// A payment link, by its public code (the customer's side).
    PaymentLink,
    /// A payment link, by its id (the merchant's side).
    PaymentLinkId(i64),
    StaticQris(i64),
    /// An API key that is not there, or is revoked where only active ones count.
    ApiKey {
        id: i64,
        active_only: bool,
    },
    WebhookDelivery(i64),
    PrintJob(i64),
    Evidence(i64),
    /// The merchant id a widget page named.
    Merchant,
    Product(i64),
    /// No active product has this barcode.
    Barcode(String),
    Category(i64),
    OpenBill(i64),
    /// A person, by id (an active one where only they can unlock).
    User(i64),
    Shift(i64),
}

impl Missing {
    /// A stable name for the thing: `order`, `payment_link`, `qris`, …
    pub fn what(&self) -> &'static str {
        match self {
            Missing::Order(_) => "order",
            Missing::PaymentLink | Missing::PaymentLinkId(_) => "payment_link",
            Missing::StaticQris(_) => "qris",
            Missing::ApiKey { .. } => "api_key",
            Missing::WebhookDelivery(_) => "webhook_delivery",
            Missing::PrintJob(_) => "print_job",
            Missing::Evidence(_) => "evidence",
            Missing::Merchant => "merchant",
            Missing::Product(_) | Missing::Barcode(_) => "product",
            Missing::Category(_) => "category",
            Missing::OpenBill(_) => "open_bill",
            Missing::User(_) => "user",
            Missing::Shift(_) => "shift",
        }
    }
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Missing::Order(id) => {
                write!(f, "No order found with order_id \"{id}\" for your account.")
            }
            Missing::PaymentLink => f.write_str("No payment link with that code."),
            Missing::PaymentLinkId(id) => write!(f, "No payment link with id {id}."),
            Missing::StaticQris(id) => write!(f, "No static QRIS with id {id}."),
            Missing::ApiKey {
                id,
                active_only: true,
            } => write!(f, "No active API key with id {id}."),
            Missing::ApiKey { id, .. } => write!(f, "No API key with id {id}."),
            Missing::WebhookDelivery(id) => write!(f, "No webhook delivery with id {id}."),
            Missing::PrintJob(id) => write!(f, "No print job with id {id}."),
            Missing::Evidence(id) => write!(f, "No payment evidence with id {id}."),
            Missing::Merchant => {
                f.write_str("No merchant with that id: check the widget's data-merchant.")
            }
            Missing::Product(id) => write!(f, "No product with id {id}."),
            Missing::Barcode(b) => write!(f, "No product has barcode {b}."),
            Missing::Category(id) => write!(f, "No category with id {id}."),
            Missing::OpenBill(id) => {
                write!(f, "No open bill with id {id}: it was paid or discarded.")
            }
            Missing::User(id) => write!(f, "No active user with id {id}."),
            Missing::Shift(id) => write!(f, "No shift with id {id}."),
        }
    }
}

/// What was asked of an order that is closed (expired or cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempted {
    /// The customer pressed "Sudah Bayar".
    CustomerConfirm,
    Verify,
    Cancel,
}

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
    #[error("{0}")]
    NotFound(Missing),
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
        status: OrderStatus,
    },
    /// The order is expired or cancelled: nothing more can happen to it.
    #[error("{}", closed_message(order_id, *status, *attempted))]
    Closed {
        order_id: String,
        status: OrderStatus,
        attempted: Attempted,
    },
    #[error("Invalid API key. Send a key made with `kasir keys create` in the X-API-Key header.")]
    Unauthorized,
    #[error("Daily limit of {limit} requests reached for this API key; it resets at midnight Asia/Jakarta.")]
    RateLimited { limit: i64, retry_after_secs: u64 },
    #[error("{0}")]
    Image(crate::qr_image::ScanError),
    /// Five fresh link codes in a row were taken: 2^40 codes make that a
    /// sign of a broken random source, not of bad luck.
    #[error("Could not find a free payment link code; try again.")]
    LinkCodesExhausted,
    /// The row changed under us: another Kasir process on the same data
    /// directory wrote the order between our read and our write.
    #[error(
        "The order was changed at the same moment by another Kasir on this computer; try again."
    )]
    StaleStatus,
    /// A per-merchant limit (widget payments, customer confirmations, open
    /// widget orders) is reached, whoever is asking.
    #[error("{message}")]
    MerchantBusy {
        message: String,
        retry_after_secs: Option<u64>,
    },
    /// The thermal printer can't be reached or refused the job (off,
    /// unplugged, out of paper, wrong address).
    #[error("{0}")]
    PrinterUnavailable(String),
    /// Unique totals are on and every code for this amount is in use by an
    /// open order: a new one could not be told apart from them.
    #[error("No unique amount left for Rp {amount}: all {max} unique codes are in use by open orders. Wait for some to be paid or to expire, or raise unique_code_max.")]
    NoUniqueAmount { amount: u64, max: u32 },
    /// The API key is valid but its scope doesn't cover this request.
    #[error("This API key may only {allowed}; make a full key with `kasir keys create` for this request.")]
    Forbidden { allowed: &'static str },
    /// A refund that can't be: the order isn't paid, or it would give back
    /// more than was paid.
    #[error("{0}")]
    NotRefundable(String),
    /// Nobody is unlocked at the till, or the till sat idle past its lock time.
    #[error("The till is locked: unlock it with your PIN.")]
    Locked,
    /// A cashier asked for what only the owner may do, without the owner's
    /// approval.
    #[error("Only the owner can {action}: ask the owner to approve with their PIN.")]
    OwnerOnly {
        action: String,
        /// The right's stable name (`refund`, `settings`, …): an owner's
        /// approval is for this one.
        right: &'static str,
    },
    #[error("Wrong PIN for {name}; {tries_left} more wrong and {name} is locked for a minute.")]
    WrongPin { name: String, tries_left: u32 },
    #[error("Too many wrong PINs: {name} is locked; try again in {retry_after_secs} s.")]
    PinLocked { name: String, retry_after_secs: u64 },
    /// A sale at the till needs the cashier's own open shift.
    #[error("{}", match open_by {
        Some(name) => format!("{name}'s shift is open: {name} (or the owner) closes it before another shift opens and sells."),
        None => "Open a shift first: count the drawer's opening cash.".to_string(),
    })]
    NoOpenShift { open_by: Option<String> },
    /// A shift is open already (one drawer, one shift).
    #[error("{name}'s shift is open since {since}: close it before opening another.")]
    ShiftOpen { name: String, since: String },
    /// The webhook worker is sending this delivery right now.
    #[error("Webhook delivery {0} is being sent right now; see its attempts in a moment.")]
    DeliveryBusy(i64),
    /// Work handed to a blocking thread (drawing, scanning) panicked or was dropped.
    #[error("internal error: {0} did not finish")]
    TaskFailed(&'static str),
    #[error(transparent)]
    Db(#[from] DbError),
}

fn closed_message(order_id: &str, status: OrderStatus, attempted: Attempted) -> String {
    match (attempted, status) {
        (Attempted::CustomerConfirm, OrderStatus::Expired) => {
            "This payment link has expired.".into()
        }
        (Attempted::CustomerConfirm, _) => "This payment was cancelled.".into(),
        (Attempted::Verify, OrderStatus::Expired) => {
            format!("Order \"{order_id}\" expired before it was verified; make a new order.")
        }
        (Attempted::Verify, _) => {
            format!("Order \"{order_id}\" was cancelled and cannot be verified.")
        }
        (Attempted::Cancel, _) => format!("Order \"{order_id}\" has already expired."),
    }
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
            Error::NotFound(_) => "not_found",
            Error::NoStaticQris => "no_static_qris",
            Error::DuplicateOrderId(_) => "duplicate_order_id",
            Error::AlreadyVerified => "already_verified",
            Error::CannotCancelPaid => "cannot_cancel_paid",
            Error::NotPaid { .. } => "not_paid",
            Error::Closed { .. } => "order_closed",
            Error::Unauthorized => "unauthorized",
            Error::RateLimited { .. } => "rate_limited",
            Error::Image(_) => "invalid_image",
            Error::LinkCodesExhausted => "link_codes_exhausted",
            Error::StaleStatus => "stale_status",
            Error::DeliveryBusy(_) => "delivery_busy",
            Error::NoUniqueAmount { .. } => "no_unique_amount",
            Error::Forbidden { .. } => "forbidden",
            Error::NotRefundable(_) => "not_refundable",
            Error::MerchantBusy { .. } => "merchant_busy",
            Error::PrinterUnavailable(_) => "printer_unavailable",
            Error::Locked => "locked",
            Error::OwnerOnly { .. } => "owner_only",
            Error::WrongPin { .. } => "wrong_pin",
            Error::PinLocked { .. } => "pin_locked",
            Error::NoOpenShift { .. } => "no_open_shift",
            Error::ShiftOpen { .. } => "shift_open",
            Error::TaskFailed(_) | Error::Db(_) => "internal",
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
