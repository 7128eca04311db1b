//! Printed paper: a receipt must take <= 20 ms and the closing report of a
//! 2,000-order day <= 1 s, each through the service (read + layout + PDF).
//!
//! cargo bench --bench pdf
//! Results and the machine they came from: docs/BENCHMARKS.md, "Printed paper".

use criterion::{criterion_group, criterion_main, Criterion};
use kasir::model::{NewOrder, OrderSource};
use kasir::pdf::Paper;
use kasir::service::Actor;
use kasir::Kasir;
use std::hint::black_box;
use std::time::Duration;

use kasir_testdata::static_qris;

/// A shop with 2,000 orders made today: 70% paid, the rest pending or cancelled.
async fn busy_day(kasir: &Kasir) -> (String, String) {
    kasir
        .import_static_qris(&Actor::Console, &static_qris())
        .await
        .unwrap();
    let mut last_paid = String::new();
    for i in 0..2000u64 {
        let o = kasir
            .create_order(
                &Actor::Console,
                NewOrder {
                    amount: Some(5_000 + (i as i128 * 137) % 200_000),
                    fee_type: (i % 3 == 0).then(|| "rupiah".into()),
                    fee_value: (i % 3 == 0).then(|| "500".into()),
                    description: (i % 4 == 0).then(|| format!("Pesanan meja {}", i % 20)),
                    ..Default::default()
                },
                OrderSource::Till,
            )
            .await
            .unwrap();
        match i % 10 {
            0 => {
                kasir.cancel(&Actor::Console, &o.order_id).await.unwrap();
            }
            1 | 2 => {}
            _ => {
                kasir
                    .verify(&Actor::Console, &o.order_id, Some("Budi".into()), None)
                    .await
                    .unwrap();
                last_paid = o.order_id;
            }
        }
    }
    let day = kasir::clock::jakarta_day(kasir::clock::now_ms());
    (last_paid, day)
}

fn paper(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kasir = Kasir::open(dir.path()).unwrap();
    let (order_id, day) = rt.block_on(busy_day(&kasir));

    let mut g = c.benchmark_group("receipt");
    for p in [Paper::Roll58, Paper::Roll80, Paper::A4] {
        g.bench_function(format!("service {}", p.as_str()), |b| {
            b.iter(|| {
                rt.block_on(kasir.receipt_pdf(black_box(&order_id), p))
                    .unwrap()
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("standee");
    g.bench_function("service a5 static", |b| {
        b.iter(|| rt.block_on(kasir.standee_pdf(None, Paper::A5)).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("daily_report");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.bench_function("service 2000 orders", |b| {
        b.iter(|| {
            rt.block_on(kasir.daily_report_pdf(&Actor::Console, black_box(&day)))
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, paper);
criterion_main!(benches);
