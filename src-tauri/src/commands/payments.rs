//! Konfirmasi otomatis: the phone's key, the evidence received, its review
//! (Pesanan → Perlu dicek) and a bank statement import. The engine matches
//! and decides; these translate.

use super::orders::TillOrder;
use super::{CmdResult, TillState};
use kasir::model::Evidence;
use kasir::service::{PhoneSetup, Reconciliation};

/// A key for the shop's phone, with the URL it posts to on this till's LAN.
#[tauri::command(rename_all = "snake_case")]
pub async fn phone_key_create(till: TillState<'_>, name: String) -> CmdResult<PhoneSetup> {
    let actor = till.actor().await?;
    let base = till.server.link_base().await.unwrap_or_default();
    Ok(till.kasir.phone_setup(&actor, &name, &base).await?)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn evidence_list(
    till: TillState<'_>,
    to_review: bool,
    limit: Option<u32>,
) -> CmdResult<Vec<Evidence>> {
    till.actor_unattended().await?;
    Ok(till
        .kasir
        .payment_evidence(to_review, limit.unwrap_or(20))
        .await?)
}

/// The open orders a piece of evidence could be for.
#[tauri::command(rename_all = "snake_case")]
pub async fn evidence_candidates(till: TillState<'_>, id: i64) -> CmdResult<Vec<TillOrder>> {
    till.actor().await?;
    let mut out = vec![];
    for o in till.kasir.evidence_candidates(id).await? {
        out.push(TillOrder::of(&till, o, false).await?);
    }
    Ok(out)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn evidence_attach(
    till: TillState<'_>,
    id: i64,
    order_id: String,
) -> CmdResult<TillOrder> {
    till.actor().await?;
    let o = till.kasir.attach_evidence(id, &order_id).await?;
    TillOrder::of(&till, o, false).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn evidence_dismiss(till: TillState<'_>, id: i64) -> CmdResult<Evidence> {
    till.actor().await?;
    Ok(till.kasir.dismiss_evidence(id).await?)
}

/// A statement file the cashier picked, as its bytes.
#[tauri::command(rename_all = "snake_case")]
pub async fn statement_import(
    till: TillState<'_>,
    bytes: Vec<u8>,
    date: Option<String>,
) -> CmdResult<Reconciliation> {
    let actor = till.actor().await?;
    let date = date.filter(|d| !d.trim().is_empty());
    Ok(till
        .kasir
        .reconcile_statement(&actor, bytes, date.as_deref())
        .await?)
}
