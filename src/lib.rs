//! Kasir's till engine: orders and their lifecycle in SQLite, the local HTTP
//! API, QR images. The desktop shell and the CLI are thin layers over
//! [`service::Kasir`].

pub mod clock;
pub mod db;
pub mod error;
pub mod http;
pub mod lockfile;
pub mod model;
pub mod notify;
pub mod pdf;
pub mod printer;
pub mod qr_image;
pub mod receipt;
pub mod service;
pub mod statement;
pub mod store;
pub mod webhook;

pub use error::{Error, Result};
pub use service::Kasir;
