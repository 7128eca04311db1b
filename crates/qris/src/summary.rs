//! What a cashier or integrator wants to know about a code, read off the tags.

use crate::amount::{read_amount, Percent};
use crate::payload::Payload;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Initiation {
    Static,
    Dynamic,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acquirer {
    /// The template tag (26-51).
    pub tag: String,
    pub gui: Option<String>,
    pub pan: Option<String>,
    pub merchant_id: Option<String>,
    pub criteria: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FeeSummary {
    /// 55 = 01: the payer's app asks for a tip.
    TipPrompt,
    /// 55 = 02, 56: a fixed fee in rupiah.
    Rupiah { value: u64 },
    /// 55 = 03, 57: a percentage of the amount.
    Percent { value: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MerchantSummary {
    pub merchant_name: Option<String>,
    pub merchant_city: Option<String>,
    pub postal_code: Option<String>,
    pub mcc: Option<String>,
    pub country: Option<String>,
    pub currency: Option<String>,
    /// National merchant ID from 51.02.
    pub nmid: Option<String>,
    /// Merchant criteria (UMI, UKE, …) from 51.03, else from the first account that has it.
    pub merchant_criteria: Option<String>,
    pub acquirers: Vec<Acquirer>,
    pub initiation: Initiation,
    /// Whole rupiah of tag 54, when present and readable.
    pub amount: Option<u64>,
    /// Tag 54 as written (`39000.00`).
    pub amount_text: Option<String>,
    pub fee: Option<FeeSummary>,
    /// Tag 40: a person-to-person transfer code, not a merchant payment.
    pub is_transfer: bool,
    /// Country ID and currency 360: the Indonesian QRIS profile.
    pub is_qris: bool,
}

pub fn summarize(p: &Payload<'_>) -> MerchantSummary {
    let s = |t: &str| p.value(t).map(str::to_string);
    let acquirers: Vec<Acquirer> = p
        .nodes
        .iter()
        .filter(|n| matches!(n.obj.tag_number(), 26..=51) && n.tag() != "40")
        .map(|n| {
            let sub = |t: &str| n.sub(t).map(|o| o.value.to_string());
            Acquirer {
                tag: n.tag().to_string(),
                gui: sub("00"),
                pan: if n.tag() == "51" { None } else { sub("01") },
                merchant_id: sub("02"),
                criteria: sub("03"),
            }
        })
        .collect();
    let nmid = p
        .get("51")
        .and_then(|n| n.sub("02"))
        .map(|o| o.value.to_string());
    let merchant_criteria = p
        .get("51")
        .and_then(|n| n.sub("03"))
        .map(|o| o.value.to_string())
        .or_else(|| acquirers.iter().find_map(|a| a.criteria.clone()));
    let fee = match p.value("55") {
        Some("01") => Some(FeeSummary::TipPrompt),
        Some("02") => p
            .value("56")
            .and_then(|v| read_amount(v).ok())
            .map(|a| FeeSummary::Rupiah { value: a.rupiah }),
        Some("03") => p
            .value("57")
            .and_then(Percent::parse)
            .map(|v| FeeSummary::Percent {
                value: v.to_string(),
            }),
        _ => None,
    };
    MerchantSummary {
        merchant_name: s("59"),
        merchant_city: s("60"),
        postal_code: s("61"),
        mcc: s("52"),
        country: s("58"),
        currency: s("53"),
        nmid,
        merchant_criteria,
        acquirers,
        initiation: match p.value("01") {
            Some("11") => Initiation::Static,
            Some("12") => Initiation::Dynamic,
            _ => Initiation::Unknown,
        },
        amount: p
            .value("54")
            .and_then(|v| read_amount(v).ok())
            .map(|a| a.rupiah),
        amount_text: s("54"),
        fee,
        is_transfer: p.get("40").is_some(),
        is_qris: p.value("58") == Some("ID") && p.value("53") == Some("360"),
    }
}
