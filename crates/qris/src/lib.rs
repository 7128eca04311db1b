//! QRIS: the Indonesian profile of the EMVCo Merchant-Presented Mode QR code.
//!
//! Parse, validate, summarise and convert static codes to dynamic ones. Pure:
//! no I/O. Facts and the popular converters' bugs this avoids are written down
//! in the project's `qris-notes.md`.

pub mod amount;
pub mod convert;
pub mod crc;
pub mod payload;
pub mod summary;
pub mod tlv;
pub mod validate;

pub use amount::{read_amount, Percent, MAX_AMOUNT};
pub use convert::{to_dynamic, ConvertError, DynamicRequest, Fee};
pub use crc::{crc16, crc16_hex};
pub use payload::{Payload, TreeNode};
pub use summary::{summarize, FeeSummary, Initiation, MerchantSummary};
pub use tlv::TlvError;
pub use validate::{validate, Issue, Mode, Report, Severity};

use serde::Serialize;

/// Everything there is to say about a payload: its tags, its merchant, its issues.
#[derive(Debug, Clone, Serialize)]
pub struct Decoded {
    pub payload: String,
    pub valid: bool,
    pub tags: Vec<TreeNode>,
    pub summary: Option<MerchantSummary>,
    pub issues: Vec<Issue>,
}

/// Decode leniently (as on import). A broken root TLV gives no tags and one issue.
pub fn decode(raw: &str) -> Decoded {
    match Payload::parse(raw) {
        Ok(p) => {
            let report = validate::validate_parsed(&p, Mode::Import);
            Decoded {
                payload: raw.to_string(),
                valid: report.is_valid(),
                tags: payload::tree(&p),
                summary: Some(summarize(&p)),
                issues: report.issues,
            }
        }
        Err(e) => Decoded {
            payload: raw.to_string(),
            valid: false,
            tags: vec![],
            summary: None,
            issues: vec![validate::tlv_issue(&e, "")],
        },
    }
}
