//! Bank statement exports, as merchants download them: BCA (KlikBCA personal
//! and KlikBCA Bisnis), Mandiri and BRI CSV files, the layout told from the
//! header. Pure: bytes in, the credit and debit lines out; matching them to
//! orders is the service's.

mod layouts;

use chrono::{NaiveDate, NaiveTime};

/// One line of money on the statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The booking day, in the bank's (the merchant's) zone.
    pub date: NaiveDate,
    /// When the statement gives it (BRI's JAM_TRAN).
    pub time: Option<NaiveTime>,
    pub description: String,
    /// Whole rupiah.
    pub amount: u64,
    /// Money in (CR), else out (DB).
    pub credit: bool,
    /// 1-based row in the file, for errors and the report.
    pub row: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// `bca`, `bca_bisnis`, `mandiri` or `bri`.
    pub layout: &'static str,
    pub lines: Vec<Line>,
    /// Rows the bank hasn't booked yet (BCA's `PEND`): not money yet.
    pub pending: usize,
}

/// Why a file can't be read, naming the row and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    #[error("this is not a statement Kasir knows: expected a CSV export with one of these headers: {expected}")]
    UnknownLayout { expected: String },
    #[error("row {row}: {message}")]
    BadRow { row: usize, message: String },
    #[error("the file is not CSV text: {0}")]
    NotCsv(String),
}

/// Read a statement file.
pub fn parse(bytes: &[u8]) -> Result<Statement, StatementError> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let mut rows = vec![];
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    for r in reader.records() {
        let r = r.map_err(|e| StatementError::NotCsv(e.to_string()))?;
        rows.push(r.iter().map(str::to_string).collect::<Vec<_>>());
    }
    for (i, row) in rows.iter().enumerate() {
        if let Some(layout) = layouts::detect(row) {
            return layout.read(&rows[i + 1..], i + 2);
        }
    }
    Err(StatementError::UnknownLayout {
        expected: layouts::EXPECTED.join(" | "),
    })
}

/// `287,490.00`, `72100000.00`, `"453,684.00"`: the statements' amounts
/// (thousands by comma, sen after a dot), in whole rupiah. Sen that aren't
/// zero are refused: QRIS moves whole rupiah, and a guess would mis-match.
pub fn parse_amount(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (whole, sen) = match s.rsplit_once('.') {
        Some((w, f)) if f.len() == 2 && f.chars().all(|c| c.is_ascii_digit()) => (w, f),
        _ => (s, "00"),
    };
    if sen != "00" {
        return None;
    }
    // Mandiri writes nothing as `.00`
    if whole.is_empty() {
        return Some(0);
    }
    let groups: Vec<&str> = whole.split(',').collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    let digits: String = groups.concat();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests;
