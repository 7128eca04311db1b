//! Printed paper, made on the device: receipts (`struk`), QR standees and the
//! daily closing report (`laporan harian`). Pure functions from the engine's
//! data to PDF bytes; the service reads the data and calls them off the async
//! threads. Text is set in the standard PDF fonts (Helvetica, Courier), which
//! every viewer and printer has, so nothing is embedded and a receipt is a few KB.

pub mod layout;
pub mod receipt;
pub mod report;
pub mod standee;

use crate::clock::{Millis, Zone};
use crate::error::{Error, Result};
use chrono::{Datelike, Timelike};

/// The paper a document is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// 58 mm thermal roll (about 48 mm printable; we keep 4 mm margins).
    Roll58,
    /// 80 mm thermal roll.
    Roll80,
    A4,
    A5,
    A6,
}

impl Paper {
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::Roll58 => "58",
            Paper::Roll80 => "80",
            Paper::A4 => "a4",
            Paper::A5 => "a5",
            Paper::A6 => "a6",
        }
    }

    /// A receipt's paper: `58`, `80` or `a4` (`58mm`, `80mm`, any case too).
    pub fn receipt(s: &str) -> Result<Paper> {
        match s.trim().to_ascii_lowercase().trim_end_matches("mm") {
            "58" => Ok(Paper::Roll58),
            "80" => Ok(Paper::Roll80),
            "a4" => Ok(Paper::A4),
            other => Err(Error::invalid(
                "paper",
                format!("paper must be 58, 80 or a4 for a receipt, got {other:?}"),
            )),
        }
    }

    /// A standee's paper: `a5` or `a6`.
    pub fn standee(s: &str) -> Result<Paper> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a5" => Ok(Paper::A5),
            "a6" => Ok(Paper::A6),
            other => Err(Error::invalid(
                "paper",
                format!("paper must be a5 or a6 for a standee, got {other:?}"),
            )),
        }
    }

    pub fn is_receipt(self) -> bool {
        matches!(self, Paper::Roll58 | Paper::Roll80 | Paper::A4)
    }

    pub fn is_standee(self) -> bool {
        matches!(self, Paper::A5 | Paper::A6)
    }

    /// Width × height in mm; rolls have no fixed height (None).
    pub fn size_mm(self) -> (f32, Option<f32>) {
        match self {
            Paper::Roll58 => (58.0, None),
            Paper::Roll80 => (80.0, None),
            Paper::A4 => (210.0, Some(297.0)),
            Paper::A5 => (148.0, Some(210.0)),
            Paper::A6 => (105.0, Some(148.0)),
        }
    }
}

/// Who the paper is from: the static QRIS's merchant.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Merchant {
    pub name: String,
    pub city: String,
    pub nmid: Option<String>,
}

/// Rupiah the Indonesian way: `Rp 51.000`, dots between thousands, no decimals.
pub fn rupiah(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 3);
    out.push_str("Rp ");
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const DAYS: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];

/// `26 Des 2025 17:05 WIB`.
pub fn date_time(ms: Millis, zone: &Zone) -> String {
    let t = zone.at(ms);
    format!(
        "{} {} {} {:02}:{:02} {}",
        t.day(),
        &MONTHS[t.month0() as usize][..3],
        t.year(),
        t.hour(),
        t.minute(),
        zone.label()
    )
}

/// `17:05:09`.
pub fn clock_time(ms: Millis, zone: &Zone) -> String {
    zone.at(ms).format("%H:%M:%S").to_string()
}

/// `Jumat, 26 Desember 2025`.
pub fn long_date(day: chrono::NaiveDate) -> String {
    format!(
        "{}, {} {} {}",
        DAYS[day.weekday().num_days_from_monday() as usize],
        day.day(),
        MONTHS[day.month0() as usize],
        day.year()
    )
}

/// The shop's word for a status.
pub fn status_label(s: crate::model::OrderStatus) -> &'static str {
    use crate::model::OrderStatus::*;
    match s {
        Pending => "Menunggu",
        AwaitingConfirmation => "Menunggu konfirmasi",
        Paid => "Lunas",
        Cancelled => "Dibatalkan",
        Expired => "Kedaluwarsa",
    }
}

/// Who confirmed a payment: the cashier in the till, or an integration.
pub fn confirmed_label(c: Option<crate::model::ConfirmedBy>) -> &'static str {
    match c {
        Some(crate::model::ConfirmedBy::Dashboard) => "Kasir",
        Some(crate::model::ConfirmedBy::Api) => "API",
        Some(crate::model::ConfirmedBy::Notification) => "Notifikasi HP",
        Some(crate::model::ConfirmedBy::Statement) => "Mutasi bank",
        None => "-",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_has_dots_between_thousands() {
        assert_eq!(rupiah(0), "Rp 0");
        assert_eq!(rupiah(999), "Rp 999");
        assert_eq!(rupiah(51_000), "Rp 51.000");
        assert_eq!(rupiah(1_234_567), "Rp 1.234.567");
        assert_eq!(rupiah(9_999_999_999_999), "Rp 9.999.999.999.999");
    }

    #[test]
    fn papers_name_themselves_in_errors() {
        assert_eq!(Paper::receipt("58").unwrap(), Paper::Roll58);
        assert_eq!(Paper::receipt("80mm").unwrap(), Paper::Roll80);
        assert_eq!(Paper::receipt("A4").unwrap(), Paper::A4);
        let e = Paper::receipt("a5").unwrap_err();
        assert!(matches!(e, Error::InvalidField { field: "paper", .. }));
        assert!(Paper::standee("58").is_err());
    }

    #[test]
    fn dates_are_written_the_indonesian_way() {
        // 2025-12-26T10:05:00Z
        assert_eq!(
            date_time(1_766_743_500_000, &Zone::jakarta()),
            "26 Des 2025 17:05 WIB"
        );
        let d = chrono::NaiveDate::from_ymd_opt(2025, 12, 26).unwrap();
        assert_eq!(long_date(d), "Jumat, 26 Desember 2025");
    }
}
