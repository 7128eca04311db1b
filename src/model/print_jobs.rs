//! The thermal printer's queue, as the till shows it.

use crate::clock::Millis;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PrintJobStatus {
    /// Waiting for the printer (first try, or a retry after a failure).
    Queued,
    Printed,
    /// Five tries failed; the cashier retries it from the till.
    Failed,
}

impl PrintJobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PrintJobStatus::Queued => "queued",
            PrintJobStatus::Printed => "printed",
            PrintJobStatus::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> PrintJobStatus {
        match s {
            "printed" => PrintJobStatus::Printed,
            "failed" => PrintJobStatus::Failed,
            _ => PrintJobStatus::Queued,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PrintJob {
    pub id: i64,
    pub kind: String,
    /// The order a receipt is for.
    pub order_id: Option<String>,
    pub status: PrintJobStatus,
    pub attempts: i64,
    pub created_at: Millis,
    pub printed_at: Option<Millis>,
    pub next_attempt_at: Option<Millis>,
    /// Why the last try failed, in the printer's or the system's words.
    pub last_error: Option<String>,
}
