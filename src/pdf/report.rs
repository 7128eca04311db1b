//! The daily closing report (`laporan harian`), A4: counts and totals per
//! status, what was paid, and every paid order with its times and who
//! confirmed it. The merchant's name and the page number are on every page.

use super::layout::{self, Align, Canvas, Font};
use super::{clock_time, confirmed_label, date_time, long_date, rupiah, status_label, Merchant};
use crate::clock::{Millis, Zone};
use crate::model::{ConfirmedBy, Order, OrderStatus};
use chrono::NaiveDate;

pub struct DailyReport {
    pub merchant: Merchant,
    pub day: NaiveDate,
    pub zone: Zone,
    /// (status, orders, sum of totals, sum of fees) of the orders made that day.
    pub totals: Vec<(OrderStatus, u64, u64, u64)>,
    /// The paid ones among them, oldest first.
    pub paid: Vec<Order>,
    /// Money given back that day, whatever day the sale was.
    pub refunds: Vec<crate::model::Refund>,
    pub printed_at: Millis,
}

/// The statuses in the order the summary lists them.
pub const STATUSES: [OrderStatus; 5] = [
    OrderStatus::Paid,
    OrderStatus::AwaitingConfirmation,
    OrderStatus::Pending,
    OrderStatus::Expired,
    OrderStatus::Cancelled,
];

/// What both papers of the report say: this A4 PDF and the thermal slip
/// (`receipt::report`).
impl DailyReport {
    /// Tenders, refunds, items and best sellers (`receipt::sales`).
    pub fn sales(&self) -> crate::receipt::sales::SalesSummary {
        crate::receipt::sales::summarize(&self.paid, &self.refunds)
    }

    /// (orders, sum of totals, sum of fees) of one status.
    pub fn row(&self, s: OrderStatus) -> (u64, u64, u64) {
        self.totals
            .iter()
            .find(|t| t.0 == s)
            .map(|t| (t.1, t.2, t.3))
            .unwrap_or_default()
    }

    /// (orders, sum of totals, sum of fees) of every status.
    pub fn all(&self) -> (u64, u64, u64) {
        STATUSES
            .iter()
            .map(|s| self.row(*s))
            .fold((0, 0, 0), |a, r| (a.0 + r.0, a.1 + r.1, a.2 + r.2))
    }

    /// Who confirmed the paid orders, in one line for the PDF and the slip:
    /// "Kasir 3 - API 1", and "- Otomatis 2" once the phone or a bank
    /// statement confirmed any.
    pub fn confirmed_summary(&self, sep: &str) -> String {
        let auto = self.confirmed_by(ConfirmedBy::Notification)
            + self.confirmed_by(ConfirmedBy::Statement);
        let mut s = format!(
            "Kasir {}{sep}API {}",
            self.confirmed_by(ConfirmedBy::Dashboard),
            self.confirmed_by(ConfirmedBy::Api)
        );
        if auto > 0 {
            s.push_str(&format!("{sep}Otomatis {auto}"));
        }
        s
    }

    /// How many of the paid orders `who` confirmed.
    pub fn confirmed_by(&self, who: ConfirmedBy) -> usize {
        self.paid
            .iter()
            .filter(|o| o.confirmed_by == Some(who))
            .count()
    }

    /// When a paid order was paid: the time, with the day when it was paid
    /// after midnight.
    pub fn paid_time(&self, o: &Order) -> Option<String> {
        o.paid_at.map(|at| {
            if self.zone.at(at).date_naive() == self.day {
                clock_time(at, &self.zone)
            } else {
                self.zone.at(at).format("%d/%m %H:%M").to_string()
            }
        })
    }
}

const W: f32 = 210.0;
const H: f32 = 297.0;
const LEFT: f32 = 15.0;
const RIGHT: f32 = 195.0;
/// Where the body starts under the page header, and where it must end.
const BODY_TOP: f32 = 38.0;
const BODY_BOTTOM: f32 = 280.0;
const ROW: f32 = 5.0;
const SIZE: f32 = 9.0;

// columns of the list of paid orders: (x, align)
const C_NO: f32 = 23.0;
const C_MADE: f32 = 26.0;
const C_PAID: f32 = 42.0;
const C_ORDER: f32 = 60.0;
const C_DESC: f32 = 102.0;
const C_BY: f32 = 152.0;
const C_TOTAL: f32 = RIGHT;

fn page(pages: &mut [Canvas]) -> &mut Canvas {
    pages.last_mut().expect("a page")
}

pub fn render(r: &DailyReport) -> Vec<u8> {
    let mut pages: Vec<Canvas> = vec![Canvas::new(W, H)];
    let mut y = BODY_TOP;

    // ---- summary ----
    let c = page(&mut pages);
    c.text(LEFT, y, "Ringkasan", Font::Bold, 11.0, Align::Left);
    y += 7.0;
    let cols = [
        (LEFT, Align::Left),
        (95.0, Align::Right),
        (145.0, Align::Right),
        (RIGHT, Align::Right),
    ];
    for (i, h) in ["Status", "Pesanan", "Total", "Biaya"].iter().enumerate() {
        c.text(cols[i].0, y, h, Font::Bold, SIZE, cols[i].1);
    }
    c.hline(LEFT, RIGHT, y + 1.6, 0.6);
    y += ROW + 0.5;
    let all = r.all();
    for s in STATUSES {
        let (n, total, fee) = r.row(s);
        let font = if s == OrderStatus::Paid {
            Font::Bold
        } else {
            Font::Regular
        };
        c.text(cols[0].0, y, status_label(s), font, SIZE, cols[0].1);
        c.text(cols[1].0, y, &n.to_string(), font, SIZE, cols[1].1);
        c.text(cols[2].0, y, &rupiah(total), font, SIZE, cols[2].1);
        c.text(cols[3].0, y, &rupiah(fee), font, SIZE, cols[3].1);
        y += ROW;
    }
    c.hline(LEFT, RIGHT, y - ROW + 1.6, 0.3);
    y += 0.5;
    c.text(
        cols[0].0,
        y,
        "Semua pesanan",
        Font::Regular,
        SIZE,
        cols[0].1,
    );
    c.text(
        cols[1].0,
        y,
        &all.0.to_string(),
        Font::Regular,
        SIZE,
        cols[1].1,
    );
    c.text(cols[2].0, y, &rupiah(all.1), Font::Regular, SIZE, cols[2].1);
    c.text(cols[3].0, y, &rupiah(all.2), Font::Regular, SIZE, cols[3].1);
    y += ROW * 2.0;

    let (paid_n, paid_total, paid_fee) = r.row(OrderStatus::Paid);
    let facts = [
        ("Total dibayar", rupiah(paid_total), Font::Bold),
        ("Biaya", rupiah(paid_fee), Font::Regular),
        (
            "Dibayar tanpa biaya",
            rupiah(paid_total.saturating_sub(paid_fee)),
            Font::Regular,
        ),
        ("Pesanan lunas", paid_n.to_string(), Font::Regular),
        (
            "Dikonfirmasi oleh",
            r.confirmed_summary("  -  "),
            Font::Regular,
        ),
    ];
    for (label, value, font) in facts {
        c.text(LEFT, y, label, Font::Regular, 10.0, Align::Left);
        c.text(95.0, y, &value, font, 10.0, Align::Right);
        y += ROW + 0.8;
    }
    y += ROW;

    // ---- tenders, refunds, items (issue 13), beside nothing when unused ----
    let sales = r.sales();
    if sales.cash > 0 || sales.refunds.count > 0 || sales.items_sold > 0 {
        c.text(LEFT, y, "Penjualan", Font::Bold, 11.0, Align::Left);
        y += 7.0;
        let mut rows = vec![
            ("Tunai", rupiah(sales.cash), Font::Regular),
            ("QRIS", rupiah(sales.qris), Font::Regular),
        ];
        if sales.refunds.count > 0 {
            rows.push((
                "Refund",
                format!(
                    "{}x  -{} (laci {})",
                    sales.refunds.count,
                    rupiah(sales.refunds.amount),
                    rupiah(sales.refunds.cash)
                ),
                Font::Regular,
            ));
        }
        rows.push(("Bersih", rupiah(sales.net), Font::Bold));
        if sales.items_sold > 0 {
            rows.push(("Item terjual", sales.items_sold.to_string(), Font::Regular));
            rows.push(("Diskon", rupiah(sales.discounts), Font::Regular));
            rows.push(("Service", rupiah(sales.service), Font::Regular));
            rows.push(("PPN", rupiah(sales.tax), Font::Regular));
        }
        for (label, value, font) in rows {
            c.text(LEFT, y, label, Font::Regular, 10.0, Align::Left);
            c.text(95.0, y, &value, font, 10.0, Align::Right);
            y += ROW + 0.8;
        }
        if !sales.best_sellers.is_empty() {
            y += ROW * 0.5;
            c.text(LEFT, y, "Terlaris", Font::Bold, 10.0, Align::Left);
            y += ROW + 0.8;
            for b in &sales.best_sellers {
                c.text(
                    LEFT,
                    y,
                    &format!("{}  x{}", b.name, b.quantity),
                    Font::Regular,
                    SIZE,
                    Align::Left,
                );
                c.text(95.0, y, &rupiah(b.total), Font::Regular, SIZE, Align::Right);
                y += ROW;
            }
        }
        y += ROW;
    }

    // ---- the paid orders ----
    if all.0 == 0 {
        c.text(
            LEFT,
            y,
            "Tidak ada pesanan pada hari ini.",
            Font::Bold,
            11.0,
            Align::Left,
        );
    } else if r.paid.is_empty() {
        c.text(LEFT, y, "Pesanan lunas", Font::Bold, 11.0, Align::Left);
        y += 7.0;
        c.text(
            LEFT,
            y,
            "Tidak ada pesanan lunas pada hari ini.",
            Font::Regular,
            10.0,
            Align::Left,
        );
    } else {
        c.text(LEFT, y, "Pesanan lunas", Font::Bold, 11.0, Align::Left);
        y += 7.0;
        list_header(c, y);
        y += ROW + 0.5;
        for (i, o) in r.paid.iter().enumerate() {
            if y > BODY_BOTTOM {
                pages.push(Canvas::new(W, H));
                y = BODY_TOP;
                list_header(page(&mut pages), y);
                y += ROW + 0.5;
            }
            paid_row(page(&mut pages), y, i + 1, o, r);
            y += ROW;
        }
        let c = page(&mut pages);
        c.hline(LEFT, RIGHT, y - ROW + 1.6, 0.6);
        y += 1.0;
        c.text(C_BY, y, "Total", Font::Bold, SIZE, Align::Left);
        c.text(
            C_TOTAL,
            y,
            &rupiah(paid_total),
            Font::Bold,
            SIZE,
            Align::Right,
        );
    }

    let n = pages.len();
    let pages = pages
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            frame(&mut c, r, i + 1, n);
            c.into_page()
        })
        .collect();
    layout::save(
        &format!("Laporan harian {} {}", r.merchant.name, r.day),
        pages,
    )
}

fn list_header(c: &mut Canvas, y: f32) {
    c.text(C_NO, y, "No.", Font::Bold, SIZE, Align::Right);
    c.text(C_MADE, y, "Dibuat", Font::Bold, SIZE, Align::Left);
    c.text(C_PAID, y, "Dibayar", Font::Bold, SIZE, Align::Left);
    c.text(C_ORDER, y, "No. Order", Font::Bold, SIZE, Align::Left);
    c.text(C_DESC, y, "Keterangan", Font::Bold, SIZE, Align::Left);
    c.text(C_BY, y, "Oleh", Font::Bold, SIZE, Align::Left);
    c.text(C_TOTAL, y, "Total", Font::Bold, SIZE, Align::Right);
    c.hline(LEFT, RIGHT, y + 1.6, 0.6);
}

fn paid_row(c: &mut Canvas, y: f32, n: usize, o: &Order, r: &DailyReport) {
    if n.is_multiple_of(2) {
        c.fill_rects(&[(LEFT, y - ROW + 1.4, RIGHT - LEFT, ROW)], 0.93);
    }
    let paid = r.paid_time(o);
    c.text(C_NO, y, &n.to_string(), Font::Regular, SIZE, Align::Right);
    c.text(
        C_MADE,
        y,
        &clock_time(o.created_at, &r.zone),
        Font::Regular,
        SIZE,
        Align::Left,
    );
    c.text(
        C_PAID,
        y,
        paid.as_deref().unwrap_or("-"),
        Font::Regular,
        SIZE,
        Align::Left,
    );
    let id = layout::ellipsize(&o.order_id, Font::Regular, SIZE, C_DESC - C_ORDER - 2.0);
    c.text(C_ORDER, y, &id, Font::Regular, SIZE, Align::Left);
    if let Some(d) = &o.description {
        let d = layout::ellipsize(d, Font::Regular, SIZE, C_BY - C_DESC - 2.0);
        c.text(C_DESC, y, &d, Font::Regular, SIZE, Align::Left);
    }
    c.text(
        C_BY,
        y,
        confirmed_label(o.confirmed_by),
        Font::Regular,
        SIZE,
        Align::Left,
    );
    c.text(
        C_TOTAL,
        y,
        &rupiah(o.total_amount),
        Font::Regular,
        SIZE,
        Align::Right,
    );
}

/// The header and footer every page carries.
fn frame(c: &mut Canvas, r: &DailyReport, page: usize, pages: usize) {
    let name = layout::ellipsize(&r.merchant.name, Font::Bold, 14.0, 110.0);
    c.text(LEFT, 20.0, &name, Font::Bold, 14.0, Align::Left);
    c.text(
        RIGHT,
        20.0,
        "LAPORAN HARIAN",
        Font::Bold,
        11.0,
        Align::Right,
    );
    let mut sub = vec![];
    if !r.merchant.city.is_empty() {
        sub.push(r.merchant.city.clone());
    }
    if let Some(n) = &r.merchant.nmid {
        sub.push(format!("NMID: {n}"));
    }
    c.text(
        LEFT,
        26.0,
        &sub.join("  -  "),
        Font::Regular,
        SIZE,
        Align::Left,
    );
    c.text(
        RIGHT,
        26.0,
        &long_date(r.day),
        Font::Regular,
        10.0,
        Align::Right,
    );
    c.hline(LEFT, RIGHT, 29.5, 1.0);
    c.hline(LEFT, RIGHT, 285.0, 0.3);
    c.text(
        LEFT,
        290.0,
        &format!(
            "Dicetak {}  -  waktu {} ({})",
            date_time(r.printed_at, &r.zone),
            r.zone.label(),
            r.zone.name
        ),
        Font::Regular,
        8.0,
        Align::Left,
    );
    c.text(
        RIGHT,
        290.0,
        &format!("Halaman {page} dari {pages}"),
        Font::Regular,
        8.0,
        Align::Right,
    );
}
