//! The thermal printer: a receipt rendered to ESC/POS bytes must take <= 1 ms.
//! The PDF of the same receipt is measured in the same run as the baseline.
//!
//! cargo bench --bench printer
//! Results: docs/BENCHMARKS.md, "Thermal printer".

use criterion::{criterion_group, criterion_main, Criterion};
use kasir::pdf::Paper;
use kasir::printer::{self, Layout, QrMode, Roll};
use kasir::receipt::{Line, Receipt};
use std::hint::black_box;

fn pair(label: &str, value: &str) -> Line {
    Line::Pair {
        label: label.into(),
        value: value.into(),
        strong: false,
    }
}

/// A receipt as `receipt::of_order` writes one: 20 lines, a description, a footer.
fn receipt() -> Receipt {
    Receipt {
        order_id: "ORD-ZLP2NRBQS69".into(),
        lines: vec![
            Line::Title("Warung Makan Bu Sri".into()),
            Line::Center("Kota Pontianak".into()),
            Line::Center("NMID: ID1019004699079".into()),
            Line::Rule,
            Line::Heading("STRUK PEMBAYARAN QRIS".into()),
            Line::Gap,
            pair("No. Order", "ORD-ZLP2NRBQS69"),
            pair("Tanggal", "3 Des 2026 18:44 WIB"),
            Line::Block {
                label: "Keterangan".into(),
                text: "Nasi goreng spesial ×2, es teh manis, kerupuk — meja 7".into(),
            },
            Line::Rule,
            pair("Jumlah", "Rp 51.000"),
            pair("Biaya", "Rp 0"),
            Line::Gap,
            Line::Total {
                label: "TOTAL".into(),
                value: "Rp 51.000".into(),
            },
            Line::Rule,
            pair("Status", "LUNAS"),
            pair("Dibayar", "3 Des 2026 18:45 WIB"),
            pair("Dikonfirmasi", "Kasir"),
            Line::Rule,
            Line::Center("Terima kasih, sampai jumpa lagi!".into()),
            Line::Gap,
            Line::Small("Pembayaran via QRIS".into()),
        ],
    }
}

fn bench(c: &mut Criterion) {
    let r = receipt();
    let qris = kasir_testdata::static_qris();
    let layout = |roll| Layout {
        roll,
        code_page: "pc858".into(),
        open_drawer: false,
        qr: QrMode::Native,
    };
    let mut g = c.benchmark_group("receipt");
    g.bench_function("escpos 58 mm", |b| {
        b.iter(|| printer::receipt(black_box(&r), &layout(Roll::Mm58), None))
    });
    g.bench_function("escpos 80 mm", |b| {
        b.iter(|| printer::receipt(black_box(&r), &layout(Roll::Mm80), None))
    });
    g.bench_function("escpos 58 mm + QR", |b| {
        b.iter(|| printer::receipt(black_box(&r), &layout(Roll::Mm58), Some(&qris)))
    });
    g.bench_function("escpos 58 mm + bitmap QR", |b| {
        let bitmap = Layout {
            qr: QrMode::Bitmap,
            ..layout(Roll::Mm58)
        };
        b.iter(|| printer::receipt(black_box(&r), &bitmap, Some(&qris)))
    });
    g.bench_function("pdf 58 mm (baseline)", |b| {
        b.iter(|| kasir::pdf::receipt::render(black_box(&r), Paper::Roll58))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
