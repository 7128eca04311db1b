//! Static to dynamic conversion, done by walking the structure.
//!
//! The popular converters split the payload text at `5802ID` and use regexes such
//! as `54\d{2}\d+`; on real codes that deletes digits of an MCC or postal code,
//! duplicates 54/55, and picks a CRC whose value is `6304`. Here every tag is
//! found by walking the TLV, and every byte we don't mean to change is copied.

use crate::amount::{Percent, MAX_AMOUNT};
use crate::crc::crc16_hex;
use crate::payload::Payload;
use crate::tlv::{write_object, TlvError};
use crate::validate::{validate_parsed, Issue, Mode, Severity};
use std::fmt;

/// The convenience fee to add on top of the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fee {
    /// 55 = 02 and 56 = the fee in whole rupiah (> 0).
    Rupiah(u64),
    /// 55 = 03 and 57 = the percentage.
    Percent(Percent),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DynamicRequest {
    /// Whole rupiah, 1 to 9 999 999 999 999.
    pub amount: u64,
    pub fee: Option<Fee>,
    /// Written to 62.05 (reference label), 1 to 25 characters.
    pub reference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvertError {
    Tlv(TlvError),
    CrcMismatch {
        written: String,
        computed: String,
    },
    /// The input has errors other than the ones above.
    Invalid(Vec<Issue>),
    NotQris {
        country: Option<String>,
        currency: Option<String>,
    },
    TransferCode,
    AmountZero,
    AmountTooLarge(u64),
    FeeZero,
    FeeTooLarge(u64),
    ReferenceLength(usize),
    ReferenceCharacters,
    /// Rebuilding a template would exceed the 2-digit length.
    ValueTooLong {
        tag: String,
        len: usize,
    },
    PayloadTooLong(usize),
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvertError::Tlv(e) => write!(f, "the QRIS payload is not well-formed: {e}"),
            ConvertError::CrcMismatch { written, computed } => write!(f, "the QRIS payload's CRC is {written} but its content gives {computed}: the code is corrupted or was edited, so it is not converted"),
            ConvertError::Invalid(issues) => {
                write!(f, "the QRIS payload is invalid: ")?;
                let msgs: Vec<String> = issues.iter().map(|i| if i.path.is_empty() { i.message.clone() } else { format!("{} ({})", i.message, i.path) }).collect();
                f.write_str(&msgs.join("; "))
            }
            ConvertError::NotQris { country, currency } => write!(f, "this is not a QRIS code (country {}, currency {}); only Indonesian QRIS (58 = ID, 53 = 360) can be converted", country.as_deref().unwrap_or("missing"), currency.as_deref().unwrap_or("missing")),
            ConvertError::TransferCode => write!(f, "this is a QRIS transfer code (tag 40), not a merchant payment code; it cannot be made dynamic"),
            ConvertError::AmountZero => write!(f, "amount must be at least 1 rupiah"),
            ConvertError::AmountTooLarge(a) => write!(f, "amount {a} is too large: at most 13 digits (9999999999999)"),
            ConvertError::FeeZero => write!(f, "a rupiah fee must be greater than 0"),
            ConvertError::FeeTooLarge(a) => write!(f, "fee {a} is too large: at most 13 digits"),
            ConvertError::ReferenceLength(n) => write!(f, "reference must be 1 to 25 characters, got {n}"),
            ConvertError::ReferenceCharacters => write!(f, "reference may contain only printable characters"),
            ConvertError::ValueTooLong { tag, len } => write!(f, "tag {tag} would be {len} characters long; at most 99 fit"),
            ConvertError::PayloadTooLong(n) => write!(f, "the dynamic payload would be {n} characters long; at most 512 are allowed"),
        }
    }
}

impl std::error::Error for ConvertError {}

const REPLACED: [&str; 4] = ["54", "55", "56", "57"];

/// Make a dynamic QRIS with the given amount (and fee, and reference) from a
/// static or dynamic one.
pub fn to_dynamic(raw: &str, req: &DynamicRequest) -> Result<String, ConvertError> {
    check_request(req)?;
    let p = Payload::parse(raw).map_err(ConvertError::Tlv)?;
    check_source(&p)?;

    let mut new_objects: Vec<(u8, &str, String)> = Vec::with_capacity(3);
    new_objects.push((54, "54", req.amount.to_string()));
    match req.fee {
        None => {}
        Some(Fee::Rupiah(v)) => {
            new_objects.push((55, "55", "02".into()));
            new_objects.push((56, "56", v.to_string()));
        }
        Some(Fee::Percent(pc)) => {
            new_objects.push((55, "55", "03".into()));
            new_objects.push((57, "57", pc.to_string()));
        }
    }
    let mut additional_data: Option<String> = req.reference.as_deref().map(|r| {
        let mut v = String::new();
        write_object(&mut v, "05", r);
        v
    });

    let mut out = String::with_capacity(raw.len() + 40);
    let mut pending = new_objects.into_iter().peekable();
    let flush_before =
        |out: &mut String,
         tag: u8,
         pending: &mut std::iter::Peekable<std::vec::IntoIter<(u8, &str, String)>>| {
            while let Some((t, _, _)) = pending.peek() {
                if *t < tag {
                    let (_, name, value) = pending.next().unwrap();
                    write_object(out, name, &value);
                } else {
                    break;
                }
            }
        };

    let mut wrote_initiation = false;
    for n in &p.nodes {
        let tag = n.tag();
        let num = n.obj.tag_number();
        if REPLACED.contains(&tag) || tag == "63" {
            continue;
        }
        if num != 0 {
            // tag 01 must directly follow 00, even if the source had none
            if !wrote_initiation && num > 1 {
                write_object(&mut out, "01", "12");
                wrote_initiation = true;
            }
            flush_before(&mut out, num, &mut pending);
        }
        if tag == "01" {
            write_object(&mut out, "01", "12");
            wrote_initiation = true;
        } else if tag == "62" && req.reference.is_some() {
            let value = rebuild_additional_data(n, req.reference.as_deref().unwrap_or_default())?;
            write_object(&mut out, "62", &value);
            additional_data = None;
        } else {
            n.obj.write_to(&mut out);
        }
        if num >= 62 {
            if let Some(v) = additional_data.take() {
                // 62 was absent; it goes right after what precedes 63 or 64
                insert_before_last(&mut out, n, "62", &v);
            }
        }
    }
    for (_, name, value) in pending {
        write_object(&mut out, name, &value);
    }
    if let Some(v) = additional_data.take() {
        write_object(&mut out, "62", &v);
    }
    out.push_str("6304");
    let crc = crc16_hex(out.as_bytes());
    out.push_str(&crc);

    let len = out.chars().count();
    if len > crate::validate::MAX_PAYLOAD_CHARS {
        return Err(ConvertError::PayloadTooLong(len));
    }
    Ok(out)
}

/// When an object numbered above 62 was just written and 62 does not exist yet,
/// move it behind a new 62 so tags stay ascending.
fn insert_before_last(out: &mut String, last: &crate::payload::Node<'_>, tag: &str, value: &str) {
    if last.tag() == "62" {
        write_object(out, tag, value);
        return;
    }
    let written_len = last.obj.tag.len() + last.obj.len.len() + last.obj.value.len();
    let tail = out.split_off(out.len() - written_len);
    write_object(out, tag, value);
    out.push_str(&tail);
}

fn rebuild_additional_data(
    n: &crate::payload::Node<'_>,
    reference: &str,
) -> Result<String, ConvertError> {
    let children = match &n.children {
        Some(Ok(c)) => c,
        Some(Err(e)) => return Err(ConvertError::Tlv(e.clone())),
        None => unreachable!("62 is a template"),
    };
    let mut v = String::with_capacity(n.obj.value.len() + 30);
    let mut written = false;
    for c in children {
        if c.tag == "05" {
            continue;
        }
        if !written && c.tag_number() > 5 {
            write_object(&mut v, "05", reference);
            written = true;
        }
        c.write_to(&mut v);
    }
    if !written {
        write_object(&mut v, "05", reference);
    }
    let len = v.chars().count();
    if len > 99 {
        return Err(ConvertError::ValueTooLong {
            tag: "62".into(),
            len,
        });
    }
    Ok(v)
}

fn check_request(req: &DynamicRequest) -> Result<(), ConvertError> {
    if req.amount == 0 {
        return Err(ConvertError::AmountZero);
    }
    if req.amount > MAX_AMOUNT {
        return Err(ConvertError::AmountTooLarge(req.amount));
    }
    match req.fee {
        Some(Fee::Rupiah(0)) => return Err(ConvertError::FeeZero),
        Some(Fee::Rupiah(v)) if v > MAX_AMOUNT => return Err(ConvertError::FeeTooLarge(v)),
        _ => {}
    }
    if let Some(r) = &req.reference {
        let n = r.chars().count();
        if n == 0 || n > 25 {
            return Err(ConvertError::ReferenceLength(n));
        }
        if r.chars().any(|c| c.is_control()) {
            return Err(ConvertError::ReferenceCharacters);
        }
    }
    Ok(())
}

fn check_source(p: &Payload<'_>) -> Result<(), ConvertError> {
    let report = validate_parsed(p, Mode::Import);
    if let Some((covered, written)) = p.crc_parts() {
        let computed = crc16_hex(covered.as_bytes());
        if report.has("crc_mismatch") {
            return Err(ConvertError::CrcMismatch {
                written: written.to_string(),
                computed,
            });
        }
    }
    if p.value("58") != Some("ID") || p.value("53") != Some("360") {
        return Err(ConvertError::NotQris {
            country: p.value("58").map(str::to_string),
            currency: p.value("53").map(str::to_string),
        });
    }
    if p.get("40").is_some() {
        return Err(ConvertError::TransferCode);
    }
    // errors in the tags we replace do not matter: they are dropped
    let errors: Vec<Issue> = report
        .issues
        .into_iter()
        .filter(|i| i.severity == Severity::Error)
        .filter(|i| !REPLACED.iter().any(|t| i.path == *t))
        .collect();
    if !errors.is_empty() {
        return Err(ConvertError::Invalid(errors));
    }
    Ok(())
}
