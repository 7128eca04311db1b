//! Why a command failed, as the UI reads it.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::path::PathBuf;

/// Every way a command fails, from whichever part of the till. The UI gets
/// `{code, message}`: the engine's stable code and its sentence, and for a bad
/// field its name (the UI words those in the cashier's language).
#[derive(Debug)]
pub enum CmdError {
    /// The engine refused or failed.
    Engine(kasir::Error),
    /// The order's QR could not be drawn.
    QrImage(kasir::qr_image::QrImageError),
    /// The customer's window could not be opened.
    Window(tauri::Error),
    /// A printed PDF could not be saved.
    Save {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl CmdError {
    pub fn code(&self) -> &'static str {
        match self {
            CmdError::Engine(e) => e.code(),
            CmdError::QrImage(_) => "invalid_qris",
            CmdError::Window(_) => "window",
            CmdError::Save { .. } => "io",
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            CmdError::Engine(e) => e.field(),
            _ => None,
        }
    }
}

impl std::fmt::Display for CmdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CmdError::Engine(e) => e.fmt(f),
            CmdError::QrImage(e) => e.fmt(f),
            CmdError::Window(e) => e.fmt(f),
            CmdError::Save { path, source } => {
                write!(f, "cannot save {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for CmdError {}

impl Serialize for CmdError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let field = self.field();
        // the numbers a PIN error carries, for the till to word itself
        let (tries_left, retry_after_secs) = match self {
            CmdError::Engine(kasir::Error::WrongPin { tries_left, .. }) => {
                (Some(*tries_left), None)
            }
            CmdError::Engine(kasir::Error::PinLocked {
                retry_after_secs, ..
            }) => (None, Some(*retry_after_secs)),
            _ => (None, None),
        };
        let right = match self {
            CmdError::Engine(kasir::Error::OwnerOnly { right, .. }) => Some(*right),
            _ => None,
        };
        let mut m = s.serialize_struct("CmdError", 6)?;
        m.serialize_field("code", self.code())?;
        m.serialize_field("message", &self.to_string())?;
        match field {
            Some(field) => m.serialize_field("field", field)?,
            None => m.skip_field("field")?,
        }
        match tries_left {
            Some(n) => m.serialize_field("tries_left", &n)?,
            None => m.skip_field("tries_left")?,
        }
        match retry_after_secs {
            Some(n) => m.serialize_field("retry_after_secs", &n)?,
            None => m.skip_field("retry_after_secs")?,
        }
        match right {
            Some(r) => m.serialize_field("right", r)?,
            None => m.skip_field("right")?,
        }
        m.end()
    }
}

impl From<kasir::Error> for CmdError {
    fn from(e: kasir::Error) -> Self {
        CmdError::Engine(e)
    }
}

impl From<kasir::qr_image::QrImageError> for CmdError {
    fn from(e: kasir::qr_image::QrImageError) -> Self {
        CmdError::QrImage(e)
    }
}

impl From<tauri::Error> for CmdError {
    fn from(e: tauri::Error) -> Self {
        CmdError::Window(e)
    }
}
