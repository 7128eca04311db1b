use super::*;
use crate::model::{OrderEvent, OrderStatus};
use crate::service::test_support::Shop;
use crate::service::{ProductInput, ProductQuery, RefundLine, RefundRequest, SettingsPatch};

/// 2025-12-26T10:00:00Z
const T0: i64 = 1_766_743_200_000;

async fn product(
    k: &Kasir,
    name: &str,
    price: i64,
    barcode: Option<&str>,
    stock: Option<i64>,
) -> i64 {
    k.save_product(
        &Actor::Console,
        ProductInput {
            name: Some(name.into()),
            price: Some(price),
            barcode: barcode.map(str::to_string),
            category: Some("Makanan".into()),
            stock,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
}

fn line(product_id: i64, quantity: i64) -> CartLine {
    CartLine {
        product_id: Some(product_id),
        quantity,
        ..Default::default()
    }
}

fn cart(lines: Vec<CartLine>) -> Cart {
    Cart {
        lines,
        discount: None,
    }
}

#[tokio::test]
async fn a_cash_sale_is_paid_at_once_with_its_change_its_lines_and_its_stock() {
    let shop = Shop::open_at(T0).await;
    let k = &shop.kasir;
    let nasi = product(k, "Nasi goreng", 25_000, Some("8991"), Some(10)).await;
    let teh = product(k, "Es teh", 5_000, None, None).await;
    k.update_settings(
        &Actor::Console,
        SettingsPatch {
            cash_rounding: Some(500),
            tax_enabled: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // 55.000 + 11% = 61.050, cash rounded down to 61.000
    let priced = k
        .price_cart(cart(vec![line(nasi, 2), line(teh, 1)]))
        .await
        .unwrap();
    assert_eq!(
        (priced.total, priced.cash_total, priced.rounding),
        (61_050, 61_000, -50)
    );
    let q = k
        .quote(
            &Actor::Console,
            cart(vec![line(nasi, 2), line(teh, 1)]),
            Some(Tender::Cash { tendered: 50_000 }),
        )
        .await
        .unwrap();
    let t = q.tender.unwrap();
    assert_eq!((t.cash_due, t.change, t.short), (61_000, None, 11_000));
    let q = k
        .quote(
            &Actor::Console,
            cart(vec![line(nasi, 2), line(teh, 1)]),
            Some(Tender::Split { cash: 20_000 }),
        )
        .await
        .unwrap();
    assert_eq!(
        q.tender.unwrap().qris_amount,
        41_050,
        "rounding never applies to QRIS"
    );
    let o = k
        .checkout(
            &Actor::Console,
            cart(vec![line(nasi, 2), line(teh, 1)]),
            Tender::Cash { tendered: 100_000 },
            None,
        )
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::Paid);
    assert_eq!(o.payment_method, PaymentMethod::Cash);
    assert_eq!(o.confirmed_by, Some(ConfirmedBy::Dashboard));
    assert_eq!(
        (o.amount, o.total_amount, o.unique_code),
        (61_000, 61_000, 0)
    );
    assert_eq!(o.description.as_deref(), Some("Nasi goreng ×2, Es teh"));
    let sale = o.sale.as_ref().unwrap();
    assert_eq!(sale.cash.change_amount, 39_000);
    assert_eq!(sale.totals.total, 61_000);
    assert_eq!(sale.totals.tax, 6_050);
    assert_eq!(sale.items.len(), 2);
    assert_eq!(sale.items.iter().map(|i| i.total).sum::<u64>(), 61_050);
    // stock counted for the product that counts it only
    assert_eq!(k.product(nasi).await.unwrap().stock, Some(8));
    assert_eq!(k.product(teh).await.unwrap().stock, None);
    let events: Vec<_> = k
        .order_events(&o.order_id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        events,
        vec![OrderEvent::Created.as_str(), OrderEvent::Confirmed.as_str()]
    );
}

#[tokio::test]
async fn cash_short_of_the_total_and_splits_that_are_not_splits_are_refused_writing_nothing() {
    let shop = Shop::open_at(T0).await;
    let k = &shop.kasir;
    let nasi = product(k, "Nasi goreng", 25_000, None, Some(3)).await;
    let e = k
        .checkout(
            &Actor::Console,
            cart(vec![line(nasi, 1)]),
            Tender::Cash { tendered: 20_000 },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("tendered"));
    assert!(e.to_string().contains("less than the Rp 25000 due"), "{e}");
    let e = k
        .checkout(
            &Actor::Console,
            cart(vec![line(nasi, 1)]),
            Tender::Cash { tendered: i64::MAX },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("tendered"));
    // a cart worth more than a QRIS can say is refused before anything is written
    let gold = product(k, "Emas batangan", 1_000_000_000, None, None).await;
    let e = k
        .checkout(
            &Actor::Console,
            cart(vec![line(gold, 9_999), line(gold, 2)]),
            Tender::Cash { tendered: 1 },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("lines"));
    for cash in [0, 25_000, 30_000] {
        let e = k
            .checkout(
                &Actor::Console,
                cart(vec![line(nasi, 1)]),
                Tender::Split { cash },
                None,
            )
            .await
            .unwrap_err();
        assert_eq!(e.field(), Some("cash"), "{cash}");
    }
    let e = k
        .checkout(
            &Actor::Console,
            cart(vec![line(nasi, 0)]),
            Tender::Qris,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("quantity"));
    let e = k
        .checkout(
            &Actor::Console,
            cart(vec![line(9_999, 1)]),
            Tender::Qris,
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_found");
    let (orders, n) = k
        .list_orders(crate::model::OrderFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((orders.len(), n), (0, 0));
    assert_eq!(k.product(nasi).await.unwrap().stock, Some(3));
}

#[tokio::test]
async fn a_split_sale_charges_the_rest_by_qris_and_takes_stock_when_that_is_paid() {
    let shop = Shop::open_at(T0).await;
    let k = &shop.kasir;
    let nasi = product(k, "Nasi goreng", 25_000, None, Some(5)).await;
    let o = k
        .checkout(
            &Actor::Console,
            cart(vec![line(nasi, 2)]),
            Tender::Split { cash: 20_000 },
            None,
        )
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::Pending);
    assert_eq!(o.payment_method, PaymentMethod::Split);
    assert_eq!(o.amount, 30_000);
    assert_eq!(o.sale.as_ref().unwrap().cash.cash_amount, 20_000);
    assert!(
        o.payload.contains("540530000"),
        "tag 54 holds the QRIS part"
    );
    assert_eq!(
        k.product(nasi).await.unwrap().stock,
        Some(5),
        "not paid yet"
    );
    k.verify(&Actor::Console, &o.order_id, None, None)
        .await
        .unwrap();
    assert_eq!(k.product(nasi).await.unwrap().stock, Some(3));
}

#[tokio::test]
async fn refunds_by_line_and_in_full_never_pass_what_was_paid() {
    let shop = Shop::open_at(T0).await;
    let k = &shop.kasir;
    let nasi = product(k, "Nasi goreng", 10_000, None, Some(10)).await;
    let teh = product(k, "Es teh", 5_000, None, Some(10)).await;
    k.update_settings(
        &Actor::Console,
        SettingsPatch {
            cash_rounding: Some(1_000),
            tax_enabled: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // 3 × 10.000 + 5.000 = 35.000 + 11% = 38.850 → cash 38.000
    let o = k
        .checkout(
            &Actor::Console,
            cart(vec![line(nasi, 3), line(teh, 1)]),
            Tender::Cash { tendered: 38_000 },
            None,
        )
        .await
        .unwrap();
    assert_eq!(k.product(nasi).await.unwrap().stock, Some(7));
    let ask = |lines: Option<Vec<RefundLine>>| RefundRequest {
        lines,
        reason: Some("salah pesan".into()),
        method: None,
    };
    let e = k
        .refund(&Actor::Console, &o.order_id, RefundRequest::default())
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("reason"));
    // one of three nasi: a third of 33.300 (the line with its PPN)
    let one = k
        .refund(
            &Actor::Console,
            &o.order_id,
            ask(Some(vec![RefundLine {
                line_no: 1,
                quantity: 1,
            }])),
        )
        .await
        .unwrap();
    assert_eq!(one.refunded_amount, 11_100);
    assert_eq!(k.product(nasi).await.unwrap().stock, Some(8));
    let e = k
        .refund(
            &Actor::Console,
            &o.order_id,
            ask(Some(vec![RefundLine {
                line_no: 1,
                quantity: 3,
            }])),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_refundable");
    assert!(e.to_string().contains("2 unit(s) left"), "{e}");
    // the rest: what was paid (38.000), not what the lines add up to (38.850)
    let all = k
        .refund(&Actor::Console, &o.order_id, ask(None))
        .await
        .unwrap();
    assert_eq!(all.refunded_amount, 38_000);
    assert_eq!(all.status, OrderStatus::Paid);
    assert_eq!(k.product(nasi).await.unwrap().stock, Some(10));
    assert_eq!(k.product(teh).await.unwrap().stock, Some(10));
    let e = k
        .refund(&Actor::Console, &o.order_id, ask(None))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_refundable");
    assert!(e.to_string().contains("already refunded in full"), "{e}");
    let events: Vec<_> = k
        .order_events(&o.order_id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        events
            .iter()
            .filter(|e| *e == OrderEvent::Refunded.as_str())
            .count(),
        2
    );
    // an unpaid order is cancelled, not refunded
    let open = k
        .checkout(
            &Actor::Console,
            cart(vec![line(teh, 1)]),
            Tender::Qris,
            None,
        )
        .await
        .unwrap();
    let e = k
        .refund(&Actor::Console, &open.order_id, ask(None))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "not_refundable");
    let report = k
        .daily_report_json(&Actor::Console, Some("2025-12-26"))
        .await
        .unwrap();
    assert_eq!(report.sales.cash, 38_000);
    assert_eq!(report.sales.refunds.amount, 38_000);
    assert_eq!(report.sales.refunds.cash, 38_000);
    assert_eq!(report.sales.net, 0);
    assert_eq!(report.sales.best_sellers[0].name, "Nasi goreng");
}

#[tokio::test]
async fn open_bills_park_a_cart_and_checkout_closes_the_bill() {
    let shop = Shop::open_at(T0).await;
    let k = &shop.kasir;
    let teh = product(k, "Es teh", 5_000, None, None).await;
    let e = k
        .park_bill(None, None, cart(vec![line(teh, 1)]))
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("name"));
    let b = k
        .park_bill(None, Some("Meja 3".into()), cart(vec![line(teh, 4)]))
        .await
        .unwrap();
    assert_eq!((b.total, b.item_count), (20_000, 4));
    assert_eq!(k.open_bills().await.unwrap().len(), 1);
    let taken = k.take_bill(b.id).await.unwrap();
    assert!(taken.taken);
    assert_eq!(k.open_bills().await.unwrap().len(), 1, "taken, still open");
    let o = k
        .checkout(
            &Actor::Console,
            cart(vec![line(teh, 4)]),
            Tender::Cash { tendered: 20_000 },
            Some(b.id),
        )
        .await
        .unwrap();
    assert!(o.is_paid());
    assert!(k.open_bills().await.unwrap().is_empty());
    let e = k.take_bill(b.id).await.unwrap_err();
    assert_eq!(e.code(), "not_found");
}

#[tokio::test]
async fn the_barcode_finds_the_product_and_an_unknown_one_says_so() {
    let shop = Shop::open_at(T0).await;
    let k = &shop.kasir;
    product(k, "Indomie goreng", 3_500, Some("089686010947"), None).await;
    assert_eq!(
        k.product_by_barcode("089686010947").await.unwrap().name,
        "Indomie goreng"
    );
    let e = k.product_by_barcode("123").await.unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert!(e.to_string().contains("barcode 123"), "{e}");
    let e = k
        .save_product(
            &Actor::Console,
            ProductInput {
                name: Some("Lain".into()),
                price: Some(1),
                barcode: Some("089686010947".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("barcode"));
}

#[tokio::test]
async fn a_catalogue_file_imports_whole_or_not_at_all() {
    let shop = Shop::open_at(T0).await;
    let k = &shop.kasir;
    let good =
        "name,price,sku,barcode,category,stock\nKopi,5000,K1,111,Minum,10\nTeh,4000,T1,,Minum,\n";
    let sum = k
        .import_products(&Actor::Console, good.into())
        .await
        .unwrap();
    assert_eq!((sum.added, sum.updated), (2, 0));
    // a file whose third row clashes with a product already there
    let bad = "name,price,sku,barcode,category,stock\nKopi,6000,K1,111,Minum,10\nRoti,8000,R1,,Makan,\nSusu,7000,S1,111,Minum,\n";
    let e = k
        .import_products(&Actor::Console, bad.into())
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("barcode"));
    assert!(e.to_string().contains("line 4"), "{e}");
    let all = k.products(ProductQuery::default()).await.unwrap();
    assert_eq!(all.len(), 2, "nothing of the bad file was written");
    assert_eq!(all[0].price, 5_000);
    let sum = k
        .import_products(
            &Actor::Console,
            bad.replace(",111,Minum,\n", ",222,Minum,\n"),
        )
        .await
        .unwrap();
    assert_eq!((sum.added, sum.updated), (2, 1));
    let out = k.export_products().await.unwrap();
    assert!(
        out.starts_with("name,price,sku,barcode,category,stock\n"),
        "{out}"
    );
    assert!(out.contains("Kopi,6000,K1,111,Minum,10\n"), "{out}");
    assert_eq!(
        k.products(ProductQuery {
            query: Some("ko".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .len(),
        1
    );
}

/// The cases the till's own search (ui/js/search.js) passes too: the page
/// answers a search key from its copy of the catalogue before the engine's
/// answer comes, so both must find the same products.
#[tokio::test]
async fn product_search_cases() {
    #[derive(serde::Deserialize)]
    struct Cases {
        products: Vec<Item>,
        cases: Vec<Case>,
    }
    #[derive(serde::Deserialize)]
    struct Item {
        name: String,
        sku: Option<String>,
        barcode: Option<String>,
        active: Option<bool>,
    }
    #[derive(serde::Deserialize)]
    struct Case {
        query: String,
        finds: Vec<String>,
    }
    let file: Cases =
        serde_json::from_str(include_str!("../../../ui/test/product-search.json")).unwrap();
    let shop = Shop::open_at(T0).await;
    let k = &shop.kasir;
    for p in file.products {
        k.save_product(
            &Actor::Console,
            ProductInput {
                name: Some(p.name),
                price: Some(1_000),
                sku: p.sku,
                barcode: p.barcode,
                active: p.active,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    for c in file.cases {
        let found = k
            .products(ProductQuery {
                query: Some(c.query.clone()),
                ..Default::default()
            })
            .await
            .unwrap();
        let names: Vec<String> = found.into_iter().map(|p| p.name).collect();
        assert_eq!(names, c.finds, "a search for {:?}", c.query);
    }
}
