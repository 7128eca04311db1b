//! The layouts Kasir reads, each told from its header row.

use super::{parse_amount, Line, Statement, StatementError};
use chrono::{NaiveDate, NaiveTime};

pub const EXPECTED: [&str; 4] = [
    "BCA: Date,Description,Branch,Amount,,Balance (or Tanggal Transaksi,Keterangan,Cabang,Jumlah,,Saldo)",
    "BCA Bisnis: Tanggal Transaksi,Keterangan,Cabang,Jumlah",
    "Mandiri: Account No,Date,Val. Date,Transaction Code,Description,Description,Reference No.,Debit,Credit",
    "BRI: NOREK,TGL_EFEKTIF,JAM_TRAN,DESK_TRAN,MUTASI_DEBET,MUTASI_KREDIT",
];

pub enum Layout {
    Bca,
    BcaBisnis,
    Mandiri,
    Bri(BriColumns),
}

pub struct BriColumns {
    date: usize,
    time: Option<usize>,
    description: Option<usize>,
    debit: usize,
    credit: usize,
}

fn lower(row: &[String]) -> Vec<String> {
    row.iter().map(|c| c.trim().to_lowercase()).collect()
}

pub fn detect(row: &[String]) -> Option<Layout> {
    let h = lower(row);
    let starts = |want: &[&str]| h.len() >= want.len() && want.iter().zip(&h).all(|(w, c)| c == w);
    if starts(&["date", "description", "branch", "amount"]) {
        return Some(Layout::Bca);
    }
    // KlikBCA personal in Indonesian: the same columns, CR/DB after Jumlah
    if starts(&["tanggal transaksi", "keterangan", "cabang", "jumlah", ""]) && h.len() >= 6 {
        return Some(Layout::Bca);
    }
    if starts(&["tanggal transaksi", "keterangan", "cabang", "jumlah"]) {
        return Some(Layout::BcaBisnis);
    }
    if starts(&["account no", "date", "val. date", "transaction code"])
        && h.iter().any(|c| c == "credit")
    {
        return Some(Layout::Mandiri);
    }
    let col = |name: &str| h.iter().position(|c| c == name);
    if col("norek").is_some() {
        return Some(Layout::Bri(BriColumns {
            date: col("tgl_efektif").or_else(|| col("tgl_tran"))?,
            time: col("jam_tran"),
            description: col("desk_tran"),
            debit: col("mutasi_debet")?,
            credit: col("mutasi_kredit")?,
        }));
    }
    None
}

fn bad(row: usize, message: impl Into<String>) -> StatementError {
    StatementError::BadRow {
        row,
        message: message.into(),
    }
}

/// `02/01/2026`, `'02/01/2026`, `01/01/26`, `2026-01-02`: day first, as
/// Indonesian banks write it.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().trim_start_matches('\'');
    // chrono's %Y takes "26" as the year 26: the year's width picks the format
    let year_first = s.split(['/', '-']).next().is_some_and(|p| p.len() == 4);
    let formats: &[&str] = match s.rsplit(['/', '-']).next().map(str::len) {
        _ if year_first => &["%Y-%m-%d", "%Y/%m/%d"],
        Some(2) => &["%d/%m/%y", "%d-%m-%y"],
        _ => &["%d/%m/%Y", "%d-%m-%Y"],
    };
    formats
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

/// BRI's JAM_TRAN: HHMMSS as an integer (`93015` is 09:30:15).
fn parse_hhmmss(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    if s.is_empty() || s.len() > 6 || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let s = format!("{s:0>6}");
    NaiveTime::from_hms_opt(
        s[..2].parse().ok()?,
        s[2..4].parse().ok()?,
        s[4..].parse().ok()?,
    )
}

fn cell(row: &[String], i: usize) -> &str {
    row.get(i).map(String::as_str).unwrap_or("")
}

/// A row with nothing in it, or a summary row (`Starting Balance,=,…`).
fn is_filler(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty()) || cell(row, 1).trim() == "="
}

fn money(row: usize, what: &str, s: &str) -> Result<u64, StatementError> {
    parse_amount(s).ok_or_else(|| bad(row, format!("{what} {s:?} is not an amount like 50,000.00")))
}

impl Layout {
    fn name(&self) -> &'static str {
        match self {
            Layout::Bca => "bca",
            Layout::BcaBisnis => "bca_bisnis",
            Layout::Mandiri => "mandiri",
            Layout::Bri(_) => "bri",
        }
    }

    /// The rows under the header; `first` is the first one's row number.
    pub fn read(&self, rows: &[Vec<String>], first: usize) -> Result<Statement, StatementError> {
        let mut lines = vec![];
        let mut pending = 0;
        for (k, row) in rows.iter().enumerate() {
            let n = first + k;
            if is_filler(row) {
                continue;
            }
            let date_cell = match self {
                Layout::Bca | Layout::BcaBisnis => cell(row, 0),
                Layout::Mandiri => cell(row, 1),
                Layout::Bri(c) => cell(row, c.date),
            };
            if date_cell
                .trim()
                .trim_start_matches('\'')
                .eq_ignore_ascii_case("pend")
            {
                pending += 1;
                continue;
            }
            let date = parse_date(date_cell).ok_or_else(|| {
                bad(
                    n,
                    format!("the date {date_cell:?} is not a day like 02/01/2026"),
                )
            })?;
            let line =
                |description: &str, amount: u64, credit: bool, time: Option<NaiveTime>| Line {
                    date,
                    time,
                    description: description.trim().to_string(),
                    amount,
                    credit,
                    row: n,
                };
            match self {
                Layout::Bca => {
                    let amount = money(n, "the amount", cell(row, 3))?;
                    let credit = match cell(row, 4).to_ascii_uppercase().as_str() {
                        "CR" => true,
                        "DB" => false,
                        other => {
                            return Err(bad(
                                n,
                                format!("the column after Amount must be CR or DB, got {other:?}"),
                            ))
                        }
                    };
                    lines.push(line(cell(row, 1), amount, credit, None));
                }
                Layout::BcaBisnis => {
                    let j = cell(row, 3);
                    let (amount, side) = j.rsplit_once(' ').ok_or_else(|| {
                        bad(n, format!("Jumlah {j:?} must be like \"287,490.00 DB\""))
                    })?;
                    let credit = match side.to_ascii_uppercase().as_str() {
                        "CR" => true,
                        "DB" => false,
                        other => {
                            return Err(bad(
                                n,
                                format!("Jumlah must end in CR or DB, got {other:?}"),
                            ))
                        }
                    };
                    lines.push(line(
                        cell(row, 1),
                        money(n, "Jumlah", amount)?,
                        credit,
                        None,
                    ));
                }
                Layout::Mandiri => {
                    let description = format!("{} {}", cell(row, 4), cell(row, 5));
                    let (debit, credit) = (cell(row, 7), cell(row, 8));
                    let credit = if credit.trim().is_empty() {
                        0
                    } else {
                        money(n, "Credit", credit)?
                    };
                    let debit = if debit.trim().is_empty() {
                        0
                    } else {
                        money(n, "Debit", debit)?
                    };
                    if credit > 0 {
                        lines.push(line(&description, credit, true, None));
                    } else if debit > 0 {
                        lines.push(line(&description, debit, false, None));
                    }
                }
                Layout::Bri(c) => {
                    let time = match c.time.map(|i| cell(row, i)) {
                        Some(t) if !t.trim().is_empty() => {
                            Some(parse_hhmmss(t).ok_or_else(|| {
                                bad(n, format!("JAM_TRAN {t:?} must be HHMMSS, like 093015"))
                            })?)
                        }
                        _ => None,
                    };
                    let description = c.description.map(|i| cell(row, i)).unwrap_or("");
                    let (debit, credit) = (cell(row, c.debit), cell(row, c.credit));
                    let credit = if credit.trim().is_empty() {
                        0
                    } else {
                        money(n, "MUTASI_KREDIT", credit)?
                    };
                    let debit = if debit.trim().is_empty() {
                        0
                    } else {
                        money(n, "MUTASI_DEBET", debit)?
                    };
                    if credit > 0 {
                        lines.push(line(description, credit, true, time));
                    } else if debit > 0 {
                        lines.push(line(description, debit, false, time));
                    }
                }
            }
        }
        Ok(Statement {
            layout: self.name(),
            lines,
            pending,
        })
    }
}
