//! Validation: every problem as a coded issue with a severity and a tag path.
//!
//! Import is lenient where real, payable codes break the letter of the
//! specification (26-character names, 16-character cities, no tag 51, a `.00`
//! amount, a lower-case CRC); those are warnings. What Kasir itself writes is
//! held to the letter ([`Mode::Generated`]).

use crate::amount::{read_amount, AmountProblem, Percent};
use crate::crc::crc16_hex;
use crate::payload::Payload;
use crate::tlv::TlvError;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Stable machine-readable code, e.g. `crc_mismatch`.
    pub code: &'static str,
    pub severity: Severity,
    /// Tag path, e.g. `62.05`; empty for the payload as a whole.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.path.is_empty() {
            write!(f, "{sev} {}: {}", self.code, self.message)
        } else {
            write!(f, "{sev} {} at {}: {}", self.code, self.path, self.message)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A code from the wild: accept what payers' apps accept.
    Import,
    /// A code Kasir produced: the specification to the letter for what we write.
    Generated,
}

/// The outcome of validation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub issues: Vec<Issue>,
}

impl Report {
    pub fn is_valid(&self) -> bool {
        !self.issues.iter().any(|i| i.severity == Severity::Error)
    }
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }
    pub fn has(&self, code: &str) -> bool {
        self.issues.iter().any(|i| i.code == code)
    }
    fn push(
        &mut self,
        code: &'static str,
        severity: Severity,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.issues.push(Issue {
            code,
            severity,
            path: path.into(),
            message: message.into(),
        });
    }
    fn error(&mut self, code: &'static str, path: impl Into<String>, message: impl Into<String>) {
        self.push(code, Severity::Error, path, message)
    }
    fn warn(&mut self, code: &'static str, path: impl Into<String>, message: impl Into<String>) {
        self.push(code, Severity::Warning, path, message)
    }
}

/// Longest payload EMVCo allows.
pub const MAX_PAYLOAD_CHARS: usize = 512;

pub fn tlv_issue(e: &TlvError, path: &str) -> Issue {
    Issue {
        code: if path.is_empty() {
            "tlv_error"
        } else {
            "template_tlv_error"
        },
        severity: Severity::Error,
        path: path.to_string(),
        message: e.to_string(),
    }
}

/// Validate a payload. A payload whose root TLV is broken yields that one error.
pub fn validate(raw: &str, mode: Mode) -> Report {
    match Payload::parse(raw) {
        Ok(p) => validate_parsed(&p, mode),
        Err(e) => Report {
            issues: vec![tlv_issue(&e, "")],
        },
    }
}

pub fn validate_parsed(p: &Payload<'_>, mode: Mode) -> Report {
    let mut r = Report::default();
    let strict = mode == Mode::Generated;

    let chars = p.raw.chars().count();
    if chars > MAX_PAYLOAD_CHARS {
        r.error(
            "payload_too_long",
            "",
            format!("the payload has {chars} characters; at most {MAX_PAYLOAD_CHARS} are allowed"),
        );
    }

    check_crc(p, &mut r, strict);
    check_order_and_duplicates(p, &mut r, strict);

    for n in &p.nodes {
        if n.obj.value.is_empty() {
            r.error(
                "empty_value",
                n.tag(),
                format!("tag {} has an empty value", n.tag()),
            );
        }
        if let Some(Err(e)) = &n.children {
            r.issues.push(tlv_issue(e, n.tag()));
        }
    }

    // 00 Payload Format Indicator: first, "01"
    match p.nodes.first() {
        Some(n) if n.tag() == "00" && n.value() == "01" => {}
        Some(n) if n.tag() == "00" => r.error(
            "bad_payload_format",
            "00",
            format!(
                "payload format indicator must be \"01\", found {:?}",
                n.value()
            ),
        ),
        _ => r.error(
            "payload_format_not_first",
            "00",
            "tag 00 (payload format indicator \"01\") must come first",
        ),
    }

    // 01 Point of Initiation: 11 static, 12 dynamic
    let initiation = p.value("01");
    match initiation {
        None => r.warn(
            "missing_initiation_method",
            "01",
            "tag 01 (point of initiation) is absent; QRIS requires 11 (static) or 12 (dynamic)",
        ),
        Some("11") | Some("12") => {}
        Some(v) => r.error(
            "bad_initiation_method",
            "01",
            format!("point of initiation must be 11 (static) or 12 (dynamic), found {v:?}"),
        ),
    }

    // merchant account information
    let accounts: Vec<_> = p
        .nodes
        .iter()
        .filter(|n| matches!(n.obj.tag_number(), 2..=51))
        .collect();
    if accounts.is_empty() {
        r.error(
            "missing_merchant_account",
            "26",
            "no merchant account information (tags 02 to 51)",
        );
    }
    for n in accounts
        .iter()
        .filter(|n| matches!(n.obj.tag_number(), 26..=51))
    {
        if let Some(Ok(_)) = &n.children {
            match n.sub("00") {
                None => r.warn(
                    "missing_gui",
                    format!("{}.00", n.tag()),
                    format!(
                        "merchant account {} has no globally unique identifier",
                        n.tag()
                    ),
                ),
                Some(g) if g.char_len() > 32 => r.warn(
                    "gui_too_long",
                    format!("{}.00", n.tag()),
                    "globally unique identifier is longer than 32 characters",
                ),
                _ => {}
            }
        }
    }

    // 52 MCC
    match p.value("52") {
        None => r.error(
            "missing_mcc",
            "52",
            "tag 52 (merchant category code) is required",
        ),
        Some(v) if v.len() != 4 || !v.bytes().all(|b| b.is_ascii_digit()) => r.error(
            "bad_mcc",
            "52",
            format!("merchant category code must be 4 digits, found {v:?}"),
        ),
        _ => {}
    }

    // 53 currency
    let currency = p.value("53");
    match currency {
        None => r.error(
            "missing_currency",
            "53",
            "tag 53 (transaction currency) is required",
        ),
        Some(v) if v.len() != 3 || !v.bytes().all(|b| b.is_ascii_digit()) => r.error(
            "bad_currency",
            "53",
            format!("currency must be a 3-digit ISO 4217 code, found {v:?}"),
        ),
        _ => {}
    }

    // 54 amount
    if let Some(v) = p.value("54") {
        match read_amount(v) {
            // Pix and other schemes write 0 for "the payer types the amount"
            Err(AmountProblem::Zero) if !strict => {
                r.warn("zero_amount", "54", "transaction amount is zero")
            }
            Err(AmountProblem::Zero) => {
                r.error("zero_amount", "54", "transaction amount must not be zero")
            }
            Err(e) => r.error(
                "bad_amount",
                "54",
                format!("transaction amount {e}, found {v:?}"),
            ),
            Ok(a) => {
                if strict && (a.has_decimal_point || v.starts_with('0')) {
                    r.error(
                        "amount_not_integer_rupiah",
                        "54",
                        format!("Kasir writes whole rupiah without leading zeros, found {v:?}"),
                    );
                } else if a.cents != 0 {
                    r.warn(
                        "amount_has_cents",
                        "54",
                        format!("rupiah amounts have no cents, found {v:?}"),
                    );
                }
                if initiation == Some("11") {
                    r.warn(
                        "static_with_amount",
                        "54",
                        "a static code (01 = 11) carries an amount",
                    );
                }
            }
        }
    } else if initiation == Some("12") {
        r.warn(
            "dynamic_without_amount",
            "54",
            "a dynamic code (01 = 12) without an amount lets the payer type it",
        );
    }

    check_fee(p, &mut r);

    // 58 country
    match p.value("58") {
        None => r.error("missing_country", "58", "tag 58 (country code) is required"),
        Some(v) if v.len() != 2 || !v.bytes().all(|b| b.is_ascii_uppercase()) => r.error(
            "bad_country",
            "58",
            format!("country code must be 2 upper-case letters (ISO 3166-1), found {v:?}"),
        ),
        _ => {}
    }
    // 59 name, 60 city: lengths are warnings because payable codes exceed them
    match p.get("59") {
        None => r.error(
            "missing_merchant_name",
            "59",
            "tag 59 (merchant name) is required",
        ),
        Some(n) if n.obj.char_len() > 25 => r.warn(
            "merchant_name_too_long",
            "59",
            format!(
                "merchant name has {} characters; the specification allows 25",
                n.obj.char_len()
            ),
        ),
        _ => {}
    }
    match p.get("60") {
        None => r.error(
            "missing_merchant_city",
            "60",
            "tag 60 (merchant city) is required",
        ),
        Some(n) if n.obj.char_len() > 15 => r.warn(
            "merchant_city_too_long",
            "60",
            format!(
                "merchant city has {} characters; the specification allows 15",
                n.obj.char_len()
            ),
        ),
        _ => {}
    }
    if let Some(n) = p.get("61") {
        if n.obj.char_len() > 10 {
            r.warn(
                "postal_code_too_long",
                "61",
                "postal code is longer than 10 characters",
            );
        }
    }

    // 62 additional data: sub-fields 01-08 are 1 to 25 characters
    if let Some(n) = p.get("62") {
        if let Some(Ok(children)) = &n.children {
            for c in children {
                let t = c.tag_number();
                if (1..=8).contains(&t) && c.char_len() > 25 {
                    let msg = format!(
                        "additional data field 62.{} has {} characters; at most 25 are allowed",
                        c.tag,
                        c.char_len()
                    );
                    if strict && c.tag == "05" {
                        r.error("reference_label_too_long", "62.05", msg);
                    } else {
                        r.warn("additional_data_too_long", format!("62.{}", c.tag), msg);
                    }
                }
            }
        }
    }

    // QRIS, the Indonesian profile
    if p.value("58") == Some("ID") {
        if let Some(c) = currency {
            if c != "360" && c.len() == 3 {
                r.error(
                    "qris_currency_not_idr",
                    "53",
                    format!("a code for Indonesia (58 = ID) must be in rupiah (360), found {c:?}"),
                );
            }
        }
        if p.get("51").is_none() {
            r.warn(
                "qris_missing_national_repository",
                "51",
                "no tag 51 (QRIS national merchant repository with the NMID)",
            );
        }
        if p.get("61").is_none() {
            r.warn(
                "qris_missing_postal_code",
                "61",
                "no tag 61 (postal code), expected in QRIS",
            );
        }
        if p.get("40").is_some() {
            r.warn(
                "qris_transfer_code",
                "40",
                "tag 40 marks a QRIS transfer (person-to-person) code, not a merchant payment",
            );
        }
    }

    r
}

fn check_crc(p: &Payload<'_>, r: &mut Report, strict: bool) {
    let Some((covered, written)) = p.crc_parts() else {
        r.error(
            "missing_crc",
            "63",
            "the payload must end with tag 63 (CRC), 6304 and four hex digits",
        );
        return;
    };
    if !written.bytes().all(|b| b.is_ascii_hexdigit()) {
        r.error(
            "bad_crc_format",
            "63",
            format!("CRC must be four hex digits, found {written:?}"),
        );
        return;
    }
    let expected = crc16_hex(covered.as_bytes());
    if !written.eq_ignore_ascii_case(&expected) {
        r.error("crc_mismatch", "63", format!("CRC is {written} but the payload's CRC is {expected}; the code is corrupted or was edited"));
    } else if written != expected {
        let msg = format!(
            "CRC is written in lower case ({written}); the specification writes {expected}"
        );
        if strict {
            r.error("crc_lowercase", "63", msg);
        } else {
            r.warn("crc_lowercase", "63", msg);
        }
    }
}

fn check_order_and_duplicates(p: &Payload<'_>, r: &mut Report, strict: bool) {
    let mut seen = [false; 100];
    let mut prev = 0u8;
    let mut out_of_order = false;
    for n in &p.nodes {
        let t = n.obj.tag_number() as usize;
        if seen[t] {
            r.error(
                "duplicate_tag",
                n.tag(),
                format!("tag {} appears more than once", n.tag()),
            );
        }
        seen[t] = true;
        if (t as u8) < prev && n.tag() != "63" {
            let msg = format!(
                "tag {} comes after tag {prev:02}; the specification orders tags ascending",
                n.tag()
            );
            // Real codes carry their own tags out of order and a converter keeps
            // them as they are; the tags Kasir writes must be in place.
            if strict && matches!(t, 1 | 54..=57) {
                r.error("tags_out_of_order", n.tag(), msg);
            } else if !out_of_order {
                r.warn("tags_out_of_order", n.tag(), msg);
            }
            out_of_order = true;
        }
        prev = prev.max(t as u8);
    }
}

fn check_fee(p: &Payload<'_>, r: &mut Report) {
    let indicator = p.value("55");
    let fixed = p.value("56");
    let percent = p.value("57");
    match indicator {
        None => {
            if fixed.is_some() || percent.is_some() {
                r.error(
                    "fee_without_indicator",
                    "55",
                    "tag 56 or 57 (convenience fee) is present without tag 55",
                );
            }
        }
        Some("01") => {
            if fixed.is_some() || percent.is_some() {
                r.warn(
                    "tip_prompt_with_fee",
                    "55",
                    "55 = 01 prompts the payer for a tip, yet a fee value is present",
                );
            }
        }
        Some("02") => match fixed {
            None => r.error(
                "missing_fixed_fee",
                "56",
                "55 = 02 (fixed convenience fee) requires tag 56",
            ),
            Some(v) => {
                if let Err(e) = read_amount(v) {
                    r.error(
                        "bad_fixed_fee",
                        "56",
                        format!("fixed convenience fee {e}, found {v:?}"),
                    );
                }
            }
        },
        Some("03") => match percent {
            None => r.error(
                "missing_percent_fee",
                "57",
                "55 = 03 (percentage convenience fee) requires tag 57",
            ),
            Some(v) => {
                if Percent::parse(v).is_none() {
                    r.error("bad_percent_fee", "57", format!("percentage fee must be 0.01 to 99.99 with at most two decimals and no %, found {v:?}"));
                }
            }
        },
        Some(v) => r.error(
            "bad_fee_indicator",
            "55",
            format!("tip or convenience indicator must be 01, 02 or 03, found {v:?}"),
        ),
    }
}
