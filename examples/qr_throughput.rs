//! Bare QR throughput: how many `qr_image` data URLs (encode + 1-bit PNG +
//! base64) the machine draws per second on all its cores, for the same
//! dynamic QRIS `POST /api/qris/generate` returns. `scripts/bench-api.sh` runs
//! it just before the API load so the two numbers share one machine state and
//! their ratio says how much of a request is the picture.
//!
//! cargo run --release --example qr_throughput -- STATIC_QRIS [SECONDS] [THREADS]

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let static_qris = args
        .next()
        .expect("usage: qr_throughput STATIC_QRIS [SECONDS] [THREADS]");
    let seconds: u64 = args.next().map_or(5, |s| s.parse().expect("SECONDS"));
    let threads: usize = args.next().map_or_else(
        || std::thread::available_parallelism().map_or(2, |n| n.get()),
        |s| s.parse().expect("THREADS"),
    );
    // the bodies the API benchmark sends: amounts from Rp 10.000 up, varying
    // per request, with a Rp 1.000 fee (scripts/bench-api.sh, generate.lua)
    let payloads: Arc<Vec<String>> = Arc::new(
        (0..1000u64)
            .map(|i| {
                qris::to_dynamic(
                    &static_qris,
                    &qris::DynamicRequest {
                        amount: 10_000 + i * 997,
                        fee: Some(qris::Fee::Rupiah(1_000)),
                        reference: None,
                    },
                )
                .expect("a valid static QRIS")
            })
            .collect(),
    );

    let stop = Arc::new(AtomicBool::new(false));
    let drawn = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (stop, drawn, payloads) = (stop.clone(), drawn.clone(), payloads.clone());
            std::thread::spawn(move || {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let payload = &payloads[n as usize % payloads.len()];
                    std::hint::black_box(kasir::qr_image::png_data_url(payload).unwrap());
                    n += 1;
                }
                drawn.fetch_add(n, Ordering::Relaxed);
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let n = drawn.load(Ordering::Relaxed);
    println!(
        "qr data URLs: {n} in {elapsed:.1} s on {threads} threads = {:.0}/s ({:.3} ms each per thread)",
        n as f64 / elapsed,
        elapsed * threads as f64 * 1000.0 / n as f64
    );
}
