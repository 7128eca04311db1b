//! The counter standee: the merchant's QRIS, as large as the sheet allows.
//! A QR is read reliably from about ten times its width, so the A6 code
//! (about 80 mm) scans from 0.8 m and the A5 one (about 110 mm) from a metre.

use super::layout::{self, Align, Canvas, Font, PT_MM};
use super::{rupiah, Merchant, Paper};
use crate::qr_image::{QrImageError, Symbol};

pub struct StandeeInput<'a> {
    pub merchant: &'a Merchant,
    /// The QRIS text the code carries: the static one, or one order's dynamic one.
    pub payload: &'a str,
    /// For a dynamic code: the amount to pay and its order id.
    pub amount: Option<u64>,
    pub order_id: Option<&'a str>,
}

pub fn render(input: &StandeeInput<'_>, paper: Paper) -> Result<Vec<u8>, QrImageError> {
    let symbol = Symbol::encode(input.payload)?;
    let (w, h) = match paper.size_mm() {
        (w, Some(h)) => (w, h),
        (w, None) => (w, w * 1.5),
    };
    // type grows with the sheet: A5 is √2 × A6
    let k = w / 105.0;
    let margin = 8.0 * k;
    let width = w - 2.0 * margin;
    let lead = |s: f32| s * PT_MM * 1.3;

    // above the code: the wordmark, the merchant
    let mut top: Vec<(String, Font, f32)> = vec![
        ("QRIS".into(), Font::Bold, 30.0 * k),
        (
            "QR Code Standar Pembayaran Nasional".into(),
            Font::Regular,
            7.0 * k,
        ),
    ];
    let name_lines = layout::wrap(&input.merchant.name, Font::Bold, 15.0 * k, width);
    for l in name_lines.into_iter().take(2) {
        top.push((l, Font::Bold, 15.0 * k));
    }
    let mut sub = vec![];
    if !input.merchant.city.is_empty() {
        sub.push(input.merchant.city.clone());
    }
    if let Some(n) = &input.merchant.nmid {
        sub.push(format!("NMID: {n}"));
    }
    if !sub.is_empty() {
        top.push((sub.join("  -  "), Font::Regular, 8.5 * k));
    }
    // below it: what to pay and what to do
    let mut bottom: Vec<(String, Font, f32)> = vec![];
    if let Some(a) = input.amount {
        bottom.push((rupiah(a), Font::Bold, 22.0 * k));
    }
    bottom.push(("Scan untuk membayar".into(), Font::Bold, 14.0 * k));
    if let Some(id) = input.order_id {
        bottom.push((format!("No. Order {id}"), Font::Regular, 7.5 * k));
    } else {
        bottom.push((
            "dengan aplikasi bank atau e-wallet apa pun".into(),
            Font::Regular,
            7.5 * k,
        ));
    }

    let top_h: f32 = top.iter().map(|l| lead(l.2)).sum();
    let bottom_h: f32 = bottom.iter().map(|l| lead(l.2)).sum();
    let qr = width.min(h - 2.0 * margin - top_h - bottom_h - 4.0 * k);

    let mut c = Canvas::new(w, h);
    // a thin frame to cut along
    let (fx, fy, fw, fh) = (3.0 * k, 3.0 * k, w - 6.0 * k, h - 6.0 * k);
    c.fill_rects(
        &[
            (fx, fy, fw, 0.3),
            (fx, fy + fh - 0.3, fw, 0.3),
            (fx, fy, 0.3, fh),
            (fx + fw - 0.3, fy, 0.3, fh),
        ],
        0.6,
    );
    let mid = w / 2.0;
    // the code is as wide as the sheet allows; what height is left is shared above and below
    let stack = top_h + 1.0 * k + qr + 3.0 * k + bottom_h;
    let mut y = margin.max((h - stack) / 2.0);
    for (t, f, s) in &top {
        let l = lead(*s);
        c.text(mid, y + l * 0.78, t, *f, *s, Align::Center);
        y += l;
    }
    y += 1.0 * k;
    c.qr(mid - qr / 2.0, y, qr, &symbol);
    y += qr + 3.0 * k;
    for (t, f, s) in &bottom {
        let l = lead(*s);
        c.text(mid, y + l * 0.78, t, *f, *s, Align::Center);
        y += l;
    }
    Ok(layout::save(
        &format!("Standee QRIS {}", input.merchant.name),
        vec![c.into_page()],
    ))
}
