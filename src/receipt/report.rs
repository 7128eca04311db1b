//! The daily closing report (`laporan harian`) as a slip for the thermal
//! printer: the same [`DailyReport`] the A4 PDF draws (`pdf::report`), in a
//! receipt's lines, so the till can print the day's totals at closing time.

use super::{pair, Line, Receipt};
use crate::model::OrderStatus;
use crate::pdf::report::{DailyReport, STATUSES};
use crate::pdf::{date_time, long_date, rupiah, status_label};

/// The report of `r.day` as a slip: the summary by status, what was paid,
/// and one line per paid order.
pub fn daily(r: &DailyReport) -> Receipt {
    let m = &r.merchant;
    let mut lines = vec![];
    if !m.name.is_empty() {
        lines.push(Line::Title(m.name.clone()));
    }
    if !m.city.is_empty() {
        lines.push(Line::Center(m.city.clone()));
    }
    if let Some(nmid) = &m.nmid {
        lines.push(Line::Center(format!("NMID: {nmid}")));
    }
    lines.push(Line::Rule);
    lines.push(Line::Heading("LAPORAN HARIAN".into()));
    lines.push(Line::Center(long_date(r.day)));
    lines.push(Line::Rule);
    for s in STATUSES {
        let (n, total, _) = r.row(s);
        lines.push(pair(
            &format!("{} ({n})", status_label(s)),
            rupiah(total),
            s == OrderStatus::Paid,
        ));
    }
    let all = r.all();
    lines.push(pair(
        &format!("Semua pesanan ({})", all.0),
        rupiah(all.1),
        false,
    ));
    lines.push(Line::Rule);
    let (paid_n, paid_total, paid_fee) = r.row(OrderStatus::Paid);
    lines.push(pair("Biaya", rupiah(paid_fee), false));
    lines.push(pair(
        "Dibayar tanpa biaya",
        rupiah(paid_total.saturating_sub(paid_fee)),
        // the QRIS orders' own totals; a split sale's cash part is under Tunai
        false,
    ));
    lines.push(pair("Pesanan lunas", paid_n.to_string(), false));
    lines.push(pair("Dikonfirmasi", r.confirmed_summary(" - "), false));
    let sales = r.sales();
    lines.push(Line::Rule);
    lines.push(pair("Tunai", rupiah(sales.cash), false));
    lines.push(pair("QRIS", rupiah(sales.qris), false));
    if sales.refunds.count > 0 {
        lines.push(pair(
            &format!("Refund ({})", sales.refunds.count),
            format!("-{}", rupiah(sales.refunds.amount)),
            false,
        ));
        lines.push(pair("  dari laci", rupiah(sales.refunds.cash), false));
    }
    if sales.items_sold > 0 {
        lines.push(pair("Item terjual", sales.items_sold.to_string(), false));
        lines.push(pair("Diskon", rupiah(sales.discounts), false));
        lines.push(pair("Service", rupiah(sales.service), false));
        lines.push(pair("PPN", rupiah(sales.tax), false));
    }
    lines.push(Line::Gap);
    lines.push(Line::Total {
        label: "TOTAL DIBAYAR".into(),
        value: rupiah(sales.cash + sales.qris),
    });
    if sales.refunds.count > 0 {
        lines.push(pair("Bersih", rupiah(sales.net), true));
    }
    if !sales.best_sellers.is_empty() {
        lines.push(Line::Rule);
        lines.push(Line::Heading("TERLARIS".into()));
        for b in &sales.best_sellers {
            lines.push(pair(
                &format!("{} x{}", b.name, b.quantity),
                rupiah(b.total),
                false,
            ));
        }
    }
    lines.push(Line::Rule);
    if all.0 == 0 {
        lines.push(Line::Center("Tidak ada pesanan pada hari ini.".into()));
    } else if r.paid.is_empty() {
        lines.push(Line::Heading("PESANAN LUNAS".into()));
        lines.push(Line::Center(
            "Tidak ada pesanan lunas pada hari ini.".into(),
        ));
    } else {
        lines.push(Line::Heading("PESANAN LUNAS".into()));
        for (i, o) in r.paid.iter().enumerate() {
            let when = r.paid_time(o).unwrap_or_else(|| "-".into());
            lines.push(pair(
                &format!("{}. {when} {}", i + 1, o.order_id),
                rupiah(o.total_amount),
                false,
            ));
        }
    }
    lines.push(Line::Rule);
    lines.push(Line::Small(format!(
        "Dicetak {}",
        date_time(r.printed_at, &r.zone)
    )));
    lines.push(Line::Small(format!(
        "Waktu {} ({})",
        r.zone.label(),
        r.zone.name
    )));
    Receipt {
        order_id: format!("laporan-harian-{}", r.day),
        lines,
    }
}

/// The day's report as data: what `GET /api/qris/reports/daily` answers.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DailyJson {
    /// `YYYY-MM-DD` in the merchant's zone.
    pub date: String,
    pub timezone: String,
    /// Per status: the orders made that day, and their totals.
    pub orders: Vec<StatusLine>,
    pub paid_count: u64,
    /// What the paid orders charged (QRIS with its unique codes and fees, and cash).
    pub paid_total: u64,
    pub fees: u64,
    /// Who confirmed the paid orders: `dashboard`, `api`, `notification`, `statement`.
    pub confirmed_by: std::collections::BTreeMap<&'static str, usize>,
    #[serde(flatten)]
    pub sales: crate::receipt::sales::SalesSummary,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct StatusLine {
    pub status: OrderStatus,
    pub count: u64,
    pub total: u64,
}

pub fn json(r: &DailyReport) -> DailyJson {
    use crate::model::ConfirmedBy;
    let (paid_count, _, fees) = r.row(OrderStatus::Paid);
    let sales = r.sales();
    DailyJson {
        date: r.day.to_string(),
        timezone: r.zone.name.clone(),
        orders: STATUSES
            .iter()
            .map(|&s| {
                let (count, total, _) = r.row(s);
                StatusLine {
                    status: s,
                    count,
                    total,
                }
            })
            .collect(),
        paid_count,
        paid_total: sales.cash + sales.qris,
        fees,
        confirmed_by: [
            ConfirmedBy::Dashboard,
            ConfirmedBy::Api,
            ConfirmedBy::Notification,
            ConfirmedBy::Statement,
        ]
        .into_iter()
        .map(|w| (w.as_str(), r.confirmed_by(w)))
        .collect(),
        sales,
    }
}
