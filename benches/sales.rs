//! The till's catalogue and cart, engine side (docs/SALES.md):
//! - a 5,000-product catalogue file imported: target <= 1 s. Baseline in the
//!   same run: parsing and checking the file alone is part of it, so the
//!   baseline is reading every product back (`products` with no search).
//! - search as you type over 5,000 products, and pricing a 50-line cart:
//!   the engine's share of the till's 30 ms keypress-to-screen target.
//!   Baseline in the same run: reading one order (`order`), the call the QR
//!   screen makes on every change.
//!
//! cargo bench --bench sales
//! Results: docs/BENCHMARKS.md, "Sales".

use kasir::model::{NewOrder, OrderSource};
use kasir::service::Actor;
use kasir::service::{Cart, CartLine, ProductQuery};
use kasir::Kasir;
use kasir_testdata::static_qris;
use std::time::{Duration, Instant};

fn catalogue(n: usize) -> String {
    let mut s = String::from("name,price,sku,barcode,category,stock\n");
    let words = [
        "Kopi", "Teh", "Nasi", "Mie", "Roti", "Susu", "Gula", "Kerupuk",
    ];
    for i in 0..n {
        s.push_str(&format!(
            "{} {} {i},{},SKU{i:05},899{i:010},{},{}\n",
            words[i % words.len()],
            ["susu", "manis", "goreng", "pedas"][i % 4],
            1_000 + (i % 97) * 500,
            ["Minuman", "Makanan", "Snack"][i % 3],
            if i % 2 == 0 {
                (i % 50).to_string()
            } else {
                String::new()
            }
        ));
    }
    s
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

async fn run() {
    let dir = tempfile::tempdir().unwrap();
    let kasir = Kasir::open(dir.path()).unwrap();
    kasir
        .import_static_qris(&Actor::Console, &static_qris())
        .await
        .unwrap();
    let file = catalogue(5_000);

    let t = Instant::now();
    let sum = kasir
        .import_products(&Actor::Console, file.clone())
        .await
        .unwrap();
    let import = t.elapsed();
    assert_eq!(sum.added, 5_000);
    let t = Instant::now();
    let again = kasir.import_products(&Actor::Console, file).await.unwrap();
    let reimport = t.elapsed();
    assert_eq!(again.updated, 5_000);
    let t = Instant::now();
    let all = kasir.products(ProductQuery::default()).await.unwrap();
    let read_all = t.elapsed();
    assert_eq!(all.len(), 5_000);

    // as typed: k, ko, kop, kopi, "kopi s", "kopi su"
    let typed = [
        "k",
        "ko",
        "kop",
        "kopi",
        "kopi s",
        "kopi su",
        "sku0412",
        "8990000000",
    ];
    let mut search = vec![];
    for _ in 0..50 {
        for q in typed {
            let t = Instant::now();
            let found = kasir
                .products(ProductQuery {
                    query: Some(q.into()),
                    ..Default::default()
                })
                .await
                .unwrap();
            search.push(t.elapsed());
            assert!(!found.is_empty(), "{q}");
        }
    }
    let cart = Cart {
        lines: all
            .iter()
            .take(50)
            .map(|p| CartLine {
                product_id: Some(p.id),
                quantity: 2,
                ..Default::default()
            })
            .collect(),
        discount: None,
    };
    let mut price = vec![];
    for _ in 0..400 {
        let t = Instant::now();
        let p = kasir.price_cart(cart.clone()).await.unwrap();
        price.push(t.elapsed());
        assert_eq!(p.lines.len(), 50);
    }
    let o = kasir
        .create_order(
            &Actor::Console,
            NewOrder {
                amount: Some(15_000),
                ..Default::default()
            },
            OrderSource::Till,
        )
        .await
        .unwrap();
    let mut read = vec![];
    for _ in 0..400 {
        let t = Instant::now();
        kasir.order(&o.order_id).await.unwrap();
        read.push(t.elapsed());
    }
    let (search, price, read) = (median(search), median(price), median(read));
    println!("import 5,000 products: {:.0} ms (again, all updates: {:.0} ms); reading all back: {:.1} ms ({:.1}×)",
        ms(import), ms(reimport), ms(read_all), ms(import) / ms(read_all));
    println!("search as you type over 5,000 (median of 400): {:.3} ms; price a 50-line cart (median of 400): {:.3} ms",
        ms(search), ms(price));
    println!("baseline, read one order (median of 400): {:.3} ms; search {:.1}×, price {:.1}× the baseline",
        ms(read), ms(search) / ms(read), ms(price) / ms(read));
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing: run once either way
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}
