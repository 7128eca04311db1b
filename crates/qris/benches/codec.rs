//! parse + validate + convert of real payloads. Target: convert <= 5 us.
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const STATIC: &str = "00020101021126570011ID.DANA.WWW011893600915302259148102090225914810303UMI51440014ID.CO.QRIS.WWW0215ID10200176114730303UMI5204581253033605802ID5922Warung Sayur Bu Sugeng6010Kab. Demak610559567630458C7";

fn bench(c: &mut Criterion) {
    let req = qris::DynamicRequest {
        amount: 50_000,
        fee: Some(qris::Fee::Rupiah(1000)),
        reference: None,
    };
    c.bench_function("parse", |b| {
        b.iter(|| qris::Payload::parse(black_box(STATIC)).unwrap().nodes.len())
    });
    c.bench_function("validate", |b| {
        b.iter(|| qris::validate(black_box(STATIC), qris::Mode::Import).is_valid())
    });
    c.bench_function("convert (parse + validate + build + crc)", |b| {
        b.iter(|| qris::to_dynamic(black_box(STATIC), &req).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
