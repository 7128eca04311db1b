//! A shift's report (`laporan shift`): the drawer from the opening count to
//! the closing one, as a slip for the thermal printer and the same lines as a
//! PDF beside the daily report.

use super::{pair, Line, Receipt};
use crate::clock::Zone;
use crate::model::{CountLine, Shift};
use crate::pdf::{date_time, rupiah, Merchant};

/// `+Rp 5.000`, `-Rp 5.000`, `Rp 0`: a variance with its sign.
pub fn signed(n: i64) -> String {
    match n {
        0 => rupiah(0),
        n if n > 0 => format!("+{}", rupiah(n as u64)),
        n => format!("-{}", rupiah(n.unsigned_abs())),
    }
}

/// Rupiah that may be negative (a drawer refunded past its cash), no plus.
fn amount(n: i64) -> String {
    if n < 0 {
        signed(n)
    } else {
        rupiah(n as u64)
    }
}

fn count_lines(lines: &mut Vec<Line>, label: &str, count: &[CountLine]) {
    lines.push(Line::Heading(label.into()));
    for c in count.iter().filter(|c| c.count > 0) {
        lines.push(pair(
            &format!("{} x {}", rupiah(c.value), c.count),
            rupiah(c.amount),
            false,
        ));
    }
}

pub fn shift(s: &Shift, m: &Merchant, zone: &Zone) -> Receipt {
    let mut lines = vec![];
    if !m.name.is_empty() {
        lines.push(Line::Title(m.name.clone()));
    }
    if !m.city.is_empty() {
        lines.push(Line::Center(m.city.clone()));
    }
    lines.push(Line::Rule);
    lines.push(Line::Heading("LAPORAN SHIFT".into()));
    lines.push(Line::Center(format!("Shift #{} - {}", s.id, s.user.name)));
    lines.push(pair("Dibuka", date_time(s.opened_ms, zone), false));
    match s.closed_ms {
        Some(at) => {
            lines.push(pair("Ditutup", date_time(at, zone), false));
            if let Some(by) = s.closed_by.as_ref().filter(|b| **b != s.user.name) {
                lines.push(pair("Ditutup oleh", by.clone(), false));
            }
        }
        None => lines.push(pair("Ditutup", "belum (masih buka)", false)),
    }
    lines.push(Line::Rule);
    lines.push(pair("Kas awal", rupiah(s.opening_cash), false));
    lines.push(pair(
        &format!("Penjualan tunai ({})", s.cash_count),
        rupiah(s.cash_sales),
        false,
    ));
    if s.cash_refunds > 0 {
        lines.push(pair(
            "Refund tunai",
            format!("-{}", rupiah(s.cash_refunds)),
            false,
        ));
    }
    lines.push(pair("Kas seharusnya", amount(s.expected_cash), true));
    if let Some(counted) = s.counted_cash {
        lines.push(pair("Kas dihitung", rupiah(counted), true));
    }
    if let Some(v) = s.variance {
        lines.push(Line::Total {
            label: match v {
                0 => "Selisih (pas)".into(),
                v if v < 0 => "Selisih (kurang)".into(),
                _ => "Selisih (lebih)".into(),
            },
            value: signed(v),
        });
    }
    lines.push(Line::Rule);
    lines.push(pair(
        &format!("QRIS ({})", s.qris_count),
        rupiah(s.qris_total),
        false,
    ));
    lines.push(pair("Penjualan lunas", s.sales_count.to_string(), false));
    if s.transfer_refunds > 0 {
        lines.push(pair(
            "Refund transfer",
            format!("-{}", rupiah(s.transfer_refunds)),
            false,
        ));
    }
    if let Some(count) = &s.count_lines {
        lines.push(Line::Rule);
        count_lines(&mut lines, "HITUNGAN KAS", count);
    }
    if let Some(note) = &s.note {
        lines.push(Line::Block {
            label: "Catatan".into(),
            text: note.clone(),
        });
    }
    lines.push(Line::Gap);
    lines.push(Line::Small("Dicetak oleh Kasir".into()));
    Receipt {
        order_id: format!("shift-{}", s.id),
        lines,
    }
}
