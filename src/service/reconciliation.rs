//! Closing-time reconciliation: the bank's statement export read against
//! the orders. Each credit is evidence like a phone notification (the same
//! matching, once, in [`super::evidence`]); the report says what it confirmed,
//! which credits have no order, and which open orders have no credit.
//! Importing the same file twice changes nothing.

use super::checks::parse_day;
use super::evidence::{record, Seen};
use super::people::{Actor, Right};
use super::settings::read_settings;
use super::Kasir;
use crate::clock::Millis;
use crate::error::{Error, Result};
use crate::model::{EvidenceResult, EvidenceSource, OrderStatus};
use crate::notify::Reading;
use crate::statement::{self, StatementError};
use crate::store;
use serde::Serialize;
use std::collections::HashMap;

/// A statement file is at most this big (a year of a busy shop's lines).
pub const MAX_STATEMENT_BYTES: usize = 20 * 1024 * 1024;

/// One credit of the statement and what it did.
#[derive(Debug, Clone, Serialize)]
pub struct ReconciledCredit {
    pub row: usize,
    pub date: String,
    pub amount: u64,
    pub description: String,
    pub result: EvidenceResult,
    pub order_id: Option<String>,
    pub evidence_id: i64,
    pub detail: String,
}

/// An order still waiting for money that no credit paid.
#[derive(Debug, Clone, Serialize)]
pub struct UnpaidOrder {
    pub order_id: String,
    pub total_amount: u64,
    pub status: OrderStatus,
    pub created_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reconciliation {
    /// `bca`, `bca_bisnis`, `mandiri` or `bri`.
    pub layout: &'static str,
    pub credits_read: usize,
    pub debits_skipped: usize,
    /// Lines the bank hasn't booked (BCA's PEND).
    pub pending_skipped: usize,
    /// Credits imported before: nothing changed for them.
    pub duplicates: usize,
    pub confirmed: Vec<ReconciledCredit>,
    /// Credits for orders paid before the import (the phone told first).
    pub already_paid: Vec<ReconciledCredit>,
    /// Credits that confirmed nothing (no order, or several).
    pub credits_without_order: Vec<ReconciledCredit>,
    /// Open or customer-claimed orders of the statement's days with no credit.
    pub orders_without_credit: Vec<UnpaidOrder>,
}

fn statement_error(e: StatementError) -> Error {
    Error::invalid("file", e.to_string())
}

impl Kasir {
    /// Read a statement file and confirm the orders its credits are for;
    /// `only_day` (YYYY-MM-DD) keeps the lines of that day.
    pub async fn reconcile_statement(
        &self,
        actor: &Actor,
        bytes: Vec<u8>,
        only_day: Option<&str>,
    ) -> Result<Reconciliation> {
        self.reconcile_statement_by(actor, bytes, only_day, None)
            .await
    }

    /// The same, posted with API key `api_key_id` (kept with the evidence).
    pub async fn reconcile_statement_by(
        &self,
        actor: &Actor,
        bytes: Vec<u8>,
        only_day: Option<&str>,
        api_key_id: Option<i64>,
    ) -> Result<Reconciliation> {
        self.require(actor, Right::Settings).await?;
        if bytes.len() > MAX_STATEMENT_BYTES {
            return Err(Error::invalid(
                "file",
                format!(
                    "the statement is {} MB; at most {} MB are read",
                    bytes.len() >> 20,
                    MAX_STATEMENT_BYTES >> 20
                ),
            ));
        }
        let only_day = only_day.map(parse_day).transpose()?;
        let parsed = super::blocking("reading the statement", move || statement::parse(&bytes))
            .await?
            .map_err(statement_error)?;
        let zone = self.zone().await?;
        let now = self.now();
        self.write_outcome(move |c| {
            // immediate: `kasir reconcile` may run beside the till, another writer
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let s = read_settings(&tx)?;
            let mut report = Reconciliation {
                layout: parsed.layout,
                credits_read: 0,
                debits_skipped: 0,
                pending_skipped: parsed.pending,
                duplicates: 0,
                confirmed: vec![],
                already_paid: vec![],
                credits_without_order: vec![],
                orders_without_credit: vec![],
            };
            let mut events = vec![];
            let mut seen_keys: HashMap<String, usize> = HashMap::new();
            let mut days: Option<(Millis, Millis)> = None;
            for line in parsed
                .lines
                .iter()
                .filter(|l| only_day.is_none_or(|d| l.date == d))
            {
                if !line.credit {
                    report.debits_skipped += 1;
                    continue;
                }
                report.credits_read += 1;
                let (start, end) = zone.day_bounds(line.date);
                days = Some(days.map_or((start, end), |(a, b)| (a.min(start), b.max(end))));
                let at = line.time.map(|t| {
                    let local = line.date.and_time(t);
                    start
                        + (local - line.date.and_hms_opt(0, 0, 0).expect("midnight"))
                            .num_milliseconds()
                });
                // the same line, however often the file is imported; a second
                // identical line in one file is its own payment
                let base = format!(
                    "s:{}:{}:{}:{}:{}",
                    parsed.layout,
                    line.date,
                    line.time.map(|t| t.to_string()).unwrap_or_default(),
                    line.amount,
                    line.description.to_lowercase()
                );
                let nth = seen_keys.entry(base.clone()).or_default();
                *nth += 1;
                let seen = Seen {
                    source: EvidenceSource::Statement,
                    app: parsed.layout.to_string(),
                    title: None,
                    text: line.description.clone(),
                    seen_at: at.unwrap_or(start),
                    day: at.is_none().then_some((start, end)),
                    external_id: None,
                    api_key_id,
                    dedup_key: format!("{base}:{nth}"),
                    reading: Reading::Payment {
                        amount: line.amount,
                        payer_name: None,
                        reference: None,
                    },
                };
                let (outcome, evs) = record(&tx, seen, &s, now)?;
                events.extend(evs);
                let credit = ReconciledCredit {
                    row: line.row,
                    date: line.date.to_string(),
                    amount: line.amount,
                    description: line.description.clone(),
                    result: outcome.result,
                    order_id: outcome.order_id,
                    evidence_id: outcome.evidence_id,
                    detail: outcome.detail,
                };
                match credit.result {
                    EvidenceResult::Duplicate => report.duplicates += 1,
                    EvidenceResult::Confirmed => report.confirmed.push(credit),
                    EvidenceResult::AlreadyPaid => report.already_paid.push(credit),
                    _ => report.credits_without_order.push(credit),
                }
            }
            if let Some((from, to)) = days {
                report.orders_without_credit = store::open_orders_made_between(&tx, from, to)?
                    .into_iter()
                    .map(|(order_id, total_amount, status, created_at)| UnpaidOrder {
                        order_id,
                        total_amount,
                        status,
                        created_at: zone.at(created_at).to_rfc3339(),
                    })
                    .collect();
            }
            tx.commit()?;
            Ok((Ok(report), events))
        })
        .await
    }
}
