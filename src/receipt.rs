//! What a receipt (`struk`) says, once, for both renderers: the PDF
//! (`pdf::receipt`) and the thermal printer (`escpos`). The wording and the
//! order of the lines live here; a renderer only decides how a kind of line
//! looks on its paper. The daily report's slip is in [`report`].

pub mod report;
pub mod sales;
pub mod shift;

use crate::clock::Zone;
use crate::model::{Order, PaymentMethod, Sale};
use crate::pdf::{confirmed_label, date_time, rupiah, status_label, Merchant};

/// What a receipt shows besides the order.
pub struct ReceiptInput<'a> {
    pub order: &'a Order,
    pub merchant: &'a Merchant,
    pub zone: &'a Zone,
    /// The merchant's footer line(s), e.g. "Terima kasih!".
    pub footer: Option<&'a str>,
}

/// One line of a receipt, by what it is rather than how it is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// The shop's name: the largest text, centred.
    Title(String),
    /// Centred text under the title (city, NMID).
    Center(String),
    /// A centred bold heading ("STRUK PEMBAYARAN QRIS").
    Heading(String),
    /// A label and its value; `strong` sets the value in bold.
    Pair {
        label: String,
        value: String,
        strong: bool,
    },
    /// The amount paid: larger than the rest.
    Total { label: String, value: String },
    /// A label, then free text wrapped under it (description, note).
    Block { label: String, text: String },
    /// A dashed separator.
    Rule,
    /// A little space.
    Gap,
    /// Small centred print at the bottom.
    Small(String),
}

/// A receipt: its lines, and the order it is for (the PDF's title).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub order_id: String,
    pub lines: Vec<Line>,
}

fn pair(label: &str, value: impl Into<String>, strong: bool) -> Line {
    Line::Pair {
        label: label.into(),
        value: value.into(),
        strong,
    }
}

/// The receipt of `input.order`.
pub fn of_order(input: &ReceiptInput<'_>) -> Receipt {
    let o = input.order;
    let m = input.merchant;
    let mut lines = vec![Line::Title(m.name.clone())];
    if !m.city.is_empty() {
        lines.push(Line::Center(m.city.clone()));
    }
    if let Some(nmid) = &m.nmid {
        lines.push(Line::Center(format!("NMID: {nmid}")));
    }
    lines.push(Line::Rule);
    lines.push(Line::Heading(
        match o.payment_method {
            PaymentMethod::Qris => "STRUK PEMBAYARAN QRIS",
            _ => "STRUK PEMBAYARAN",
        }
        .into(),
    ));
    lines.push(Line::Gap);
    lines.push(pair("No. Order", &o.order_id, true));
    lines.push(pair("Tanggal", date_time(o.created_at, input.zone), false));
    match &o.sale {
        Some(sale) => sale_lines(&mut lines, o, sale),
        None => amount_lines(&mut lines, o),
    }
    lines.push(Line::Rule);
    lines.push(pair("Status", status_label(o.status).to_uppercase(), true));
    if let Some(at) = o.paid_at {
        lines.push(pair("Dibayar", date_time(at, input.zone), false));
    }
    lines.push(pair("Dikonfirmasi", confirmed_label(o.confirmed_by), false));
    if let Some(p) = &o.payer_name {
        lines.push(pair("Pembayar", p, false));
    }
    if let Some(n) = &o.payer_note {
        lines.push(Line::Block {
            label: "Catatan".into(),
            text: n.clone(),
        });
    }
    if let Some(f) = input.footer.map(str::trim).filter(|f| !f.is_empty()) {
        lines.push(Line::Rule);
        lines.push(Line::Center(f.to_string()));
    }
    lines.push(Line::Gap);
    lines.push(Line::Small(
        match o.payment_method {
            PaymentMethod::Qris => "Pembayaran via QRIS",
            PaymentMethod::Cash => "Pembayaran tunai",
            PaymentMethod::Split => "Pembayaran tunai dan QRIS",
        }
        .into(),
    ));
    Receipt {
        order_id: o.order_id.clone(),
        lines,
    }
}

/// An amount-only order: its description, the amount, code and fee.
fn amount_lines(lines: &mut Vec<Line>, o: &Order) {
    if let Some(d) = &o.description {
        lines.push(Line::Block {
            label: "Keterangan".into(),
            text: d.clone(),
        });
    }
    lines.push(Line::Rule);
    lines.push(pair("Jumlah", rupiah(o.amount), false));
    // the lines add up to the total: amount, its unique code, the fee
    unique_code_line(lines, o);
    lines.push(pair("Biaya", rupiah(o.fee_amount), false));
    lines.push(Line::Gap);
    lines.push(Line::Total {
        label: "TOTAL".into(),
        value: rupiah(o.total_amount),
    });
}

fn unique_code_line(lines: &mut Vec<Line>, o: &Order) {
    if o.unique_code != 0 {
        let sign = if o.unique_code > 0 { "+" } else { "-" };
        lines.push(pair(
            "Kode unik",
            format!("{sign}{}", rupiah(o.unique_code.unsigned_abs())),
            false,
        ));
    }
}

/// A sale from the cart: each line, the discounts, service and PPN, the
/// total, and how it was paid (cash with its change, QRIS, or both).
fn sale_lines(lines: &mut Vec<Line>, o: &Order, sale: &Sale) {
    lines.push(Line::Rule);
    for i in &sale.items {
        lines.push(pair(
            &format!("{} x{}", i.name, i.quantity),
            rupiah(i.unit_price * i.quantity as u64),
            false,
        ));
        if i.discount > 0 {
            lines.push(pair("  Diskon", format!("-{}", rupiah(i.discount)), false));
        }
        if let Some(n) = &i.note {
            lines.push(Line::Small(n.clone()));
        }
    }
    let t = &sale.totals;
    lines.push(Line::Rule);
    lines.push(pair("Subtotal", rupiah(t.subtotal), false));
    if t.discount > 0 {
        lines.push(pair("Diskon", format!("-{}", rupiah(t.discount)), false));
    }
    if t.service > 0 {
        lines.push(pair("Service", rupiah(t.service), false));
    }
    if t.tax > 0 {
        let label = if t.tax_inclusive {
            "PPN (termasuk)"
        } else {
            "PPN"
        };
        lines.push(pair(label, rupiah(t.tax), false));
    }
    if t.rounding != 0 {
        lines.push(pair(
            "Pembulatan",
            format!("-{}", rupiah(t.rounding.unsigned_abs())),
            false,
        ));
    }
    lines.push(Line::Gap);
    lines.push(Line::Total {
        label: "TOTAL".into(),
        value: rupiah(t.total),
    });
    let c = &sale.cash;
    match o.payment_method {
        PaymentMethod::Cash => {
            lines.push(pair("Tunai", rupiah(c.cash_tendered), false));
            lines.push(pair("Kembalian", rupiah(c.change_amount), true));
        }
        PaymentMethod::Split => {
            lines.push(pair("Tunai", rupiah(c.cash_amount), false));
            lines.push(pair("QRIS", rupiah(o.total_amount), false));
            unique_code_line(lines, o);
        }
        PaymentMethod::Qris => {
            lines.push(pair("QRIS", rupiah(o.total_amount), false));
            unique_code_line(lines, o);
        }
    }
    if o.refunded_amount > 0 {
        lines.push(pair(
            "Refund",
            format!("-{}", rupiah(o.refunded_amount)),
            true,
        ));
    }
}

/// The slip of an order still to be paid: the customer scans its QR from the
/// paper (the printer draws the QR under these lines).
pub fn payment_slip(input: &ReceiptInput<'_>) -> Receipt {
    let o = input.order;
    let m = input.merchant;
    let mut lines = vec![Line::Title(m.name.clone())];
    if !m.city.is_empty() {
        lines.push(Line::Center(m.city.clone()));
    }
    lines.push(Line::Rule);
    lines.push(Line::Heading("SCAN QRIS UNTUK MEMBAYAR".into()));
    lines.push(Line::Gap);
    lines.push(pair("No. Order", &o.order_id, true));
    if let Some(d) = &o.description {
        lines.push(Line::Block {
            label: "Keterangan".into(),
            text: d.clone(),
        });
    }
    lines.push(Line::Total {
        label: "TOTAL".into(),
        value: rupiah(o.total_amount),
    });
    lines.push(pair(
        "Berlaku s.d.",
        date_time(o.expires_at, input.zone),
        false,
    ));
    Receipt {
        order_id: o.order_id.clone(),
        lines,
    }
}
