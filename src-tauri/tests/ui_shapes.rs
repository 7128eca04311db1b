//! The JSON shapes the cashier UI (`ui/js/`) reads from each command, key by
//! key with each value's JSON type, so a shape that changes under the UI
//! fails here first, whether the change was made in a command or in the
//! engine type a command returns. A failure lists every command whose shape
//! changed, with the shape it saw, to paste in once the change is meant.

mod common;

use common::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Every key path of `v` with its JSON type: `qris.nmid: string`. An array's
/// elements share a path (`orders[].status`), so a field that is null in one
/// row and a number in another has both lines; an empty array is `[]`.
fn shape(v: &Value) -> Vec<String> {
    fn walk(path: &str, v: &Value, out: &mut BTreeSet<String>) {
        let kind = match v {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(a) if a.is_empty() => "[]",
            Value::Array(a) => {
                a.iter().for_each(|e| walk(&format!("{path}[]"), e, out));
                return;
            }
            Value::Object(m) => {
                for (k, e) in m {
                    let p = match path {
                        "" => k.clone(),
                        _ => format!("{path}.{k}"),
                    };
                    walk(&p, e, out);
                }
                return;
            }
        };
        out.insert(match path {
            "" => kind.to_string(),
            _ => format!("{path}: {kind}"),
        });
    }
    let mut out = BTreeSet::new();
    walk("", v, &mut out);
    out.into_iter().collect()
}

/// Expected paths: `base` under `prefix`, plus `more`.
fn paths(prefix: &str, base: &[&str], more: &[&str]) -> Vec<String> {
    base.iter()
        .map(|p| format!("{prefix}{p}"))
        .chain(more.iter().map(|p| p.to_string()))
        .collect()
}

/// `base` with some lines taken out and others put in.
fn but(base: &[&str], out: &[&str], with: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = base
        .iter()
        .filter(|p| !out.contains(p))
        .map(|p| p.to_string())
        .collect();
    v.extend(with.iter().map(|p| p.to_string()));
    v
}

#[derive(Default)]
struct Shapes {
    changed: Vec<String>,
}

impl Shapes {
    fn check(&mut self, what: &str, v: &Value, expected: Vec<String>) {
        let got = shape(v);
        let mut want = expected;
        want.sort();
        want.dedup();
        if got != want {
            let missing: Vec<_> = want.iter().filter(|p| !got.contains(p)).collect();
            let new: Vec<_> = got.iter().filter(|p| !want.contains(p)).collect();
            self.changed.push(format!(
                "{what}:\n  missing: {missing:?}\n  new: {new:?}\n  now: {got:#?}"
            ));
        }
    }

    fn finish(self) {
        assert!(
            self.changed.is_empty(),
            "the shapes the UI reads changed:\n{}",
            self.changed.join("\n")
        );
    }
}

#[test]
fn the_ui_reads_the_same_shapes_from_every_command() {
    let till = Till::start();
    let (hook, _received) = receiver();
    let mut s = Shapes::default();

    // ---- the till, its settings and its QRIS ----
    let imported = till.ok("qris_import_text", json!({ "payload": static_qris() }));
    s.check("qris_import_text", &imported, paths("", IMPORTED, &[]));
    let settings = till.ok(
        "settings_update",
        json!({ "patch": { "default_webhook_url": hook } }),
    );
    s.check("settings_update", &settings, paths("", SETTINGS, &[]));
    let info = till.ok("app_info", json!({}));
    let today = info["today"].as_str().unwrap().to_string();
    let mut want = paths("settings.", SETTINGS, APP_INFO);
    want.extend(paths("server.", SERVER, &[]));
    s.check("app_info", &info, want);
    s.check(
        "server_restart",
        &till.ok("server_restart", json!({})),
        paths("", SERVER, &[]),
    );
    let list = till.ok("qris_list", json!({}));
    s.check("qris_list", &list, paths("[].", QRIS, &[]));
    let default = till.ok("qris_set_default", json!({ "id": list[0]["id"] }));
    s.check("qris_set_default", &default, paths("", QRIS, &[]));

    // ---- orders ----
    let sale = till.ok(
        "order_create",
        json!({ "amount": 50000, "fee_type": "rupiah", "fee_value": "1000", "description": "kopi" }),
    );
    let with_qr = paths("", ORDER, &["qr_image: string"]);
    s.check("order_create", &sale, with_qr.clone());
    let order_id = sale["order_id"].clone();
    let got = till.ok("order_get", json!({ "order_id": order_id }));
    s.check("order_get", &got, paths("", ORDER, &[]));
    let got = till.ok(
        "order_get",
        json!({ "order_id": order_id, "with_qr": true }),
    );
    s.check("order_get with_qr", &got, with_qr);
    let paid = till.ok("order_verify", json!({ "order_id": order_id }));
    s.check("order_verify", &paid, but(ORDER, PENDING, PAID));
    let events = till.ok("order_events", json!({ "order_id": order_id }));
    s.check("order_events", &events, paths("", EVENTS, &[]));
    let other = till.ok("order_create", json!({ "amount": 1000 }));
    let cancelled = till.ok("order_cancel", json!({ "order_id": other["order_id"] }));
    let no_fee = [
        "fee.type: string",
        "fee.value: number",
        "description: string",
    ];
    s.check(
        "order_cancel",
        &cancelled,
        but(ORDER, &no_fee, &["fee: null", "description: null"]),
    );
    let page = till.ok("orders_list", json!({ "date": today }));
    s.check("orders_list", &page, paths("", ORDERS_PAGE, &[]));

    // ---- payment links ----
    let link = till.ok(
        "links_create",
        json!({ "amount": 75000, "description": "Tagihan", "order_id": "INV-7" }),
    );
    let link_order = but(ORDER, &no_fee[..2], &["fee: null"]);
    s.check("links_create", &link, link_order.clone());
    let links = till.ok("links_list", json!({}));
    s.check("links_list", &links, paths("", LINKS_PAGE, &[]));
    let deleted = till.ok("link_delete", json!({ "id": link["id"] }));
    s.check("link_delete", &deleted, link_order);

    // ---- API keys ----
    let key = till.ok("keys_create", json!({ "name": "toko", "daily_limit": 50 }));
    s.check("keys_create", &key, paths("key.", KEY, &["secret: string"]));
    let keys = till.ok("keys_list", json!({}));
    s.check("keys_list", &keys, paths("[].", KEY, &[]));

    // ---- the customer's window ----
    till.ok("display_set", json!({ "order_id": order_id }));
    s.check(
        "display_get",
        &till.ok("display_get", json!({})),
        paths("", &["string"], &[]),
    );

    // ---- webhooks ----
    let secret = till.ok("webhook_secret", json!({}));
    let first = ["previous: null", "rotated_at: null", "secret: string"];
    s.check("webhook_secret", &secret, paths("", &first, &[]));
    let rotated = till.ok("webhook_secret_rotate", json!({}));
    let next = ["previous: string", "rotated_at: number", "secret: string"];
    s.check("webhook_secret_rotate", &rotated, paths("", &next, &[]));
    let mut log = Value::Null;
    for _ in 0..300 {
        log = till.ok("webhook_deliveries", json!({ "order_id": order_id }));
        if log["deliveries"][0]["status"] == "delivered" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    s.check(
        "webhook_deliveries",
        &log,
        paths("deliveries[].", DELIVERY, &["total: number"]),
    );
    let again = till.ok(
        "webhook_redeliver",
        json!({ "id": log["deliveries"][0]["id"] }),
    );
    s.check("webhook_redeliver", &again, paths("", DELIVERY, &[]));
    let ping = till.ok("webhook_test", json!({ "url": hook }));
    let answered = [
        "duration_ms: number",
        "error: null",
        "status_code: number",
        "success: bool",
    ];
    s.check("webhook_test", &ping, paths("", &answered, &[]));

    // ---- widget and printing ----
    let widget = ["base_url: string", "merchant_id: string", "snippet: string"];
    s.check(
        "widget_info",
        &till.ok("widget_info", json!({})),
        paths("", &widget, &[]),
    );
    let printed = ["opened: bool", "path: string"];
    for (cmd, args) in [
        ("print_report", json!({ "date": today })),
        (
            "print_receipt",
            json!({ "order_id": order_id, "paper": "58" }),
        ),
        ("print_standee", json!({ "amount": null, "paper": "a6" })),
    ] {
        s.check(cmd, &till.ok(cmd, args), paths("", &printed, &[]));
    }

    // ---- Konfirmasi otomatis ----
    let phone = till.ok("phone_key_create", json!({ "name": "hp-toko" }));
    let mut phone_shape = paths("key.", KEY, &[]);
    phone_shape.retain(|p| p != "key.daily_limit: number");
    phone_shape.extend(
        [
            "key.daily_limit: null",
            "qr_image: string",
            "reachable_from_phone: bool",
            "secret: string",
            "text: string",
            "url: string",
        ]
        .map(String::from),
    );
    s.check("phone_key_create", &phone, phone_shape);
    let a = till.ok("order_create", json!({ "amount": 3000 }));
    till.ok("order_create", json!({ "amount": 3000 }));
    let day = chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap();
    let file = format!(
        "Date,Description,Branch,Amount,,Balance\n'{d},CR BUDI,'0000,3000.00,CR,1.00\n'{d},CR SITI,'0000,4444.00,CR,1.00\n",
        d = day.format("%d/%m/%Y")
    );
    let rec = till.ok(
        "statement_import",
        json!({ "bytes": file.into_bytes(), "date": null }),
    );
    let credit = [
        "amount: number",
        "date: string",
        "description: string",
        "detail: string",
        "evidence_id: number",
        "order_id: null",
        "result: string",
        "row: number",
    ];
    let mut want = paths("credits_without_order[].", &credit, &[]);
    want.extend(paths(
        "orders_without_credit[].",
        &[
            "created_at: string",
            "order_id: string",
            "status: string",
            "total_amount: number",
        ],
        &[],
    ));
    want.extend(
        [
            "already_paid: []",
            "confirmed: []",
            "credits_read: number",
            "debits_skipped: number",
            "duplicates: number",
            "layout: string",
            "pending_skipped: number",
        ]
        .map(String::from),
    );
    s.check("statement_import", &rec, want);
    let review = till.ok("evidence_list", json!({ "to_review": true }));
    let evidence = [
        "amount: number",
        "api_key_id: null",
        "app: string",
        "detail: string",
        "external_id: null",
        "id: number",
        "order_id: null",
        "payer_name: null",
        "received_at: number",
        "result: string",
        "review: null",
        "review_order_id: null",
        "reviewed_at: null",
        "seen_at: number",
        "source: string",
        "text: string",
        "title: null",
    ];
    s.check("evidence_list", &review, paths("[].", &evidence, &[]));
    let ambiguous = review
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["result"] == "ambiguous")
        .unwrap()["id"]
        .clone();
    let unmatched = review
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["result"] == "unmatched")
        .unwrap()["id"]
        .clone();
    let candidates = till.ok("evidence_candidates", json!({ "id": ambiguous }));
    assert_eq!(candidates.as_array().unwrap().len(), 2, "{candidates}");
    let attached = till.ok(
        "evidence_attach",
        json!({ "id": ambiguous, "order_id": a["order_id"] }),
    );
    assert_eq!(attached["status"], "paid");
    assert_eq!(attached["confirmed_by"], "dashboard");
    let dismissed = till.ok("evidence_dismiss", json!({ "id": unmatched }));
    let reviewed: Vec<&str> = evidence
        .iter()
        .copied()
        .filter(|p| !["review: null", "reviewed_at: null"].contains(p))
        .chain(["review: string", "reviewed_at: number"])
        .collect();
    s.check("evidence_dismiss", &dismissed, paths("", &reviewed, &[]));

    // ---- the catalogue, the cart, tenders, open bills, refunds (issue 13) ----
    let nasi = till.ok(
        "product_save",
        json!({ "product": { "name": "Nasi goreng", "price": 15000, "barcode": "8991", "category": "Makanan", "stock": 10 } }),
    );
    s.check("product_save", &nasi, paths("", PRODUCT, &[]));
    let teh = till.ok(
        "product_save",
        json!({ "product": { "name": "Es teh", "price": 5000 } }),
    );
    let untracked = but(
        PRODUCT,
        &[
            "barcode: string",
            "category: string",
            "category_id: number",
            "stock: number",
        ],
        &[
            "barcode: null",
            "category: null",
            "category_id: null",
            "stock: null",
        ],
    );
    s.check("product_save, no extras", &teh, untracked);
    s.check(
        "product_by_barcode",
        &till.ok("product_by_barcode", json!({ "barcode": "8991" })),
        paths("", PRODUCT, &[]),
    );
    let listed = till.ok("products_list", json!({ "query": "nasi" }));
    s.check("products_list", &listed, paths("[].", PRODUCT, &[]));
    s.check(
        "categories_list",
        &till.ok("categories_list", json!({})),
        paths("[].", CATEGORY, &[]),
    );
    let cart = json!({ "lines": [
        { "product_id": nasi["id"], "quantity": 2, "discount": { "kind": "percent", "value": 10 } },
        { "product_id": teh["id"], "quantity": 1, "note": "tanpa gula" },
    ]});
    let quoted = till.ok(
        "cart_price",
        json!({ "cart": cart, "tender": { "method": "cash", "tendered": 50000 } }),
    );
    s.check(
        "cart_price with a tender",
        &quoted,
        paths("", PRICED_CART, TENDER_QUOTE),
    );
    let unquoted = till.ok("cart_price", json!({ "cart": cart }));
    s.check(
        "cart_price",
        &unquoted,
        paths("", PRICED_CART, &["tender: null"]),
    );
    let bill = till.ok("bill_park", json!({ "name": "Meja 3", "cart": cart }));
    s.check("bill_park", &bill, paths("", OPEN_BILL, &[]));
    s.check(
        "bills_list",
        &till.ok("bills_list", json!({})),
        paths("[].", OPEN_BILL, &[]),
    );
    let sold = till.ok(
        "checkout",
        json!({ "cart": cart, "tender": { "method": "cash", "tendered": 50000 }, "bill_id": bill["id"] }),
    );
    let sale_order = but(
        ORDER,
        &[
            "items: []",
            "totals: null",
            "fee.type: string",
            "fee.value: number",
            "description: string",
        ],
        SALE,
    );
    let sale_order: Vec<&str> = sale_order.iter().map(String::as_str).collect();
    let paid_sale = but(&sale_order, PENDING, PAID);
    let paid_sale: Vec<&str> = paid_sale.iter().map(String::as_str).collect();
    s.check(
        "checkout, cash",
        &sold,
        paths("", &paid_sale, &["fee: null"]),
    );
    let refunded = till.ok(
        "order_refund",
        json!({ "order_id": sold["order_id"], "lines": [{ "line_no": 2, "quantity": 1 }], "reason": "tumpah" }),
    );
    s.check(
        "order_refund",
        &refunded,
        paths("", &paid_sale, &["fee: null"]),
    );
    let e = till.err(
        "order_refund",
        json!({ "order_id": sold["order_id"], "lines": [{ "line_no": 2, "quantity": 1 }], "reason": "lagi" }),
    );
    s.check(
        "a refused refund",
        &e,
        paths("", &["code: string", "message: string"], &[]),
    );
    assert_eq!(e["code"], "not_refundable");
    let report = till.ok("report_daily", json!({}));
    assert_eq!(report["cash"], 32_000, "{report}");

    // ---- errors ----
    let e = till.err("order_get", json!({ "order_id": "NOPE-1" }));
    s.check(
        "an error",
        &e,
        paths("", &["code: string", "message: string"], &[]),
    );
    let e = till.err("order_create", json!({ "amount": 0 }));
    let bad_field = ["code: string", "field: string", "message: string"];
    s.check("a bad field", &e, paths("", &bad_field, &[]));
    s.finish();
}

/// `app_info` beside its `settings` and `server`: `today` and `zone` are new
/// with the merchant's zone (issue #16), the rest as before.
const APP_INFO: &[&str] = &[
    "data_dir: string",
    "has_qris: bool",
    "today: string",
    "version: string",
    "zone.label: string",
    "zone.name: string",
    "zone.offset_minutes: number",
];

/// The merchant's settings (`kasir::service::Settings`), with a default webhook URL set.
const SETTINGS: &[&str] = &[
    "customer_confirmations_per_minute: number",
    "default_webhook_url: string",
    "language: string",
    "listen_lan: bool",
    "order_expiry_minutes: number",
    "public_base_url: null",
    "receipt_footer: null",
    "sound: bool",
    "timezone: string",
    "trusted_proxy: string",
    "webhook_private_receivers: string",
    "widget_max_amount: number",
    "widget_open_orders_max: number",
    "widget_payments_per_minute: number",
    "widget_webhook_allowlist: []",
    "notification_generic_apps: []",
    "unique_code: string",
    "unique_code_max: number",
    "unique_match_window_minutes: number",
    "tax_enabled: bool",
    "tax_rate_bp: number",
    "tax_inclusive: bool",
    "service_rate_bp: number",
    "service_taxed: bool",
    "cash_rounding: number",
    "cashier_discount_limit_bp: number",
    "lock_after_minutes: number",
];

/// Where the embedded server listens, listening on loopback.
const SERVER: &[&str] = &[
    "bind: string",
    "error: null",
    "error_code: null",
    "from_env: bool",
    "lan_url: null",
    "listening: bool",
    "local_url: string",
];

/// A static QRIS just imported: the stored QRIS, what it says, and warnings.
const IMPORTED: &[&str] = &[
    "qris.acquirer: string",
    "qris.created_at: number",
    "qris.id: number",
    "qris.is_default: bool",
    "qris.merchant_city: string",
    "qris.merchant_name: string",
    "qris.nmid: string",
    "qris.payload: string",
    "qris.updated_at: number",
    "summary.acquirers[].criteria: string",
    "summary.acquirers[].gui: string",
    "summary.acquirers[].merchant_id: string",
    "summary.acquirers[].pan: null",
    "summary.acquirers[].pan: string",
    "summary.acquirers[].tag: string",
    "summary.amount: null",
    "summary.amount_text: null",
    "summary.country: string",
    "summary.currency: string",
    "summary.fee: null",
    "summary.initiation: string",
    "summary.is_qris: bool",
    "summary.is_transfer: bool",
    "summary.mcc: string",
    "summary.merchant_city: string",
    "summary.merchant_criteria: string",
    "summary.merchant_name: string",
    "summary.nmid: string",
    "summary.postal_code: string",
    "warnings: []",
];

/// A stored static QRIS.
const QRIS: &[&str] = &[
    "acquirer: string",
    "created_at: number",
    "id: number",
    "is_default: bool",
    "merchant_city: string",
    "merchant_name: string",
    "nmid: string",
    "payload: string",
    "updated_at: number",
];

/// An order as the QR screen and the order dialog read it: pending, with a
/// description and a fee; the API's order detail and the till's fields side by side.
const ORDER: &[&str] = &[
    "amount: number",
    "cash_amount: number",
    "cash_tendered: number",
    "cashier: string",
    "change_amount: number",
    "confirmed_by: null",
    "created_at: string",
    "created_ms: number",
    "customer_confirmed_ms: null",
    "description: string",
    "expires_at: string",
    "expires_ms: number",
    "fee.type: string",
    "fee.value: number",
    "fee_amount: number",
    "id: number",
    "is_active: bool",
    "is_expired: bool",
    "is_paid: bool",
    "items: []",
    "link_code: string",
    "merchant_city: string",
    "merchant_name: string",
    "now_ms: number",
    "order_id: string",
    "paid_at: null",
    "paid_ms: null",
    "payer_name: null",
    "payer_note: null",
    "payment_method: string",
    "qris: string",
    "refunded_amount: number",
    "source: string",
    "status: string",
    "title: string",
    "total_amount: number",
    "totals: null",
    "unique_code: number",
    "url: string",
];

/// A product of the catalogue, with its barcode, category and stock count.
const PRODUCT: &[&str] = &[
    "active: bool",
    "barcode: string",
    "category: string",
    "category_id: number",
    "id: number",
    "name: string",
    "price: number",
    "sku: null",
    "sort_order: number",
    "stock: number",
];

const CATEGORY: &[&str] = &[
    "colour: string",
    "id: number",
    "name: string",
    "sort_order: number",
];

/// A priced cart: a discounted line and a line with a note.
const PRICED_CART: &[&str] = &[
    "cash_total: number",
    "discount_needs_owner: bool",
    "discount: number",
    "item_count: number",
    "lines[].discount: number",
    "lines[].gross: number",
    "lines[].name: string",
    "lines[].net: number",
    "lines[].note: null",
    "lines[].note: string",
    "lines[].product_id: number",
    "lines[].quantity: number",
    "lines[].total: number",
    "lines[].unit_price: number",
    "rounding: number",
    "service: number",
    "subtotal: number",
    "tax: number",
    "tax_inclusive: bool",
    "total: number",
];

/// What a cash tender would make of it, before enough was tendered or after.
const TENDER_QUOTE: &[&str] = &[
    "tender.cash_due: number",
    "tender.change: number",
    "tender.qris_amount: number",
    "tender.short: number",
];

const OPEN_BILL: &[&str] = &[
    "cart.lines[].discount.kind: string",
    "cart.lines[].discount.value: number",
    "cart.lines[].discount: null",
    "cart.lines[].name: null",
    "cart.lines[].note: null",
    "cart.lines[].note: string",
    "cart.lines[].product_id: number",
    "cart.lines[].quantity: number",
    "cart.lines[].unit_price: null",
    "cart.discount: null",
    "created_at: number",
    "id: number",
    "item_count: number",
    "name: string",
    "taken: bool",
    "total: number",
    "updated_at: number",
];

/// What an order made from a cart has where an amount-only one has `items: []`
/// and `totals: null`.
const SALE: &[&str] = &[
    "description: string",
    "items[].discount: number",
    "items[].line_no: number",
    "items[].name: string",
    "items[].note: null",
    "items[].note: string",
    "items[].product_id: number",
    "items[].quantity: number",
    "items[].refunded_amount: number",
    "items[].refunded_quantity: number",
    "items[].total: number",
    "items[].unit_price: number",
    "totals.discount: number",
    "totals.rounding: number",
    "totals.service: number",
    "totals.subtotal: number",
    "totals.tax: number",
    "totals.tax_inclusive: bool",
    "totals.total: number",
];

/// What a pending order has where a paid one has `PAID`.
const PENDING: &[&str] = &["confirmed_by: null", "paid_at: null", "paid_ms: null"];

const PAID: &[&str] = &["confirmed_by: string", "paid_at: string", "paid_ms: number"];

/// An order's audit trail.
const EVENTS: &[&str] = &[
    "[].actor: string",
    "[].approved_by: null",
    "[].user_name: string",
    "[].created_at: number",
    "[].event: string",
    "[].from_status: null",
    "[].from_status: string",
    "[].id: number",
    "[].to_status: string",
];

/// A page of Pesanan with a paid and a cancelled order among its rows.
const ORDERS_PAGE: &[&str] = &[
    "orders[].amount: number",
    "orders[].cashier: string",
    "orders[].confirmed_by: null",
    "orders[].confirmed_by: string",
    "orders[].created_ms: number",
    "orders[].description: null",
    "orders[].description: string",
    "orders[].fee_amount: number",
    "orders[].order_id: string",
    "orders[].paid_ms: null",
    "orders[].paid_ms: number",
    "orders[].payment_method: string",
    "orders[].refunded_amount: number",
    "orders[].sale_total: number",
    "orders[].source: string",
    "orders[].status: string",
    "orders[].title: string",
    "orders[].total_amount: number",
    "page: number",
    "per_page: number",
    "total: number",
    "totals.cancelled.count: number",
    "totals.cancelled.fee_amount: number",
    "totals.cancelled.total_amount: number",
    "totals.paid.count: number",
    "totals.paid.fee_amount: number",
    "totals.paid.total_amount: number",
];

/// A page of the links screen.
const LINKS_PAGE: &[&str] = &[
    "links[].amount: number",
    "links[].created_at: string",
    "links[].created_ms: number",
    "links[].description: null",
    "links[].description: string",
    "links[].expires_at: string",
    "links[].id: number",
    "links[].is_active: bool",
    "links[].is_expired: bool",
    "links[].link_code: string",
    "links[].merchant_name: string",
    "links[].order_id: string",
    "links[].status: string",
    "links[].total_amount: number",
    "links[].unique_code: number",
    "links[].url: string",
    "links[].view_count: number",
    "page: number",
    "per_page: number",
    "total: number",
];

/// An API key, without its secret.
const KEY: &[&str] = &[
    "created_at: number",
    "daily_limit: number",
    "id: number",
    "key_prefix: string",
    "last_used_at: null",
    "name: string",
    "revoked_at: null",
    "scope: string",
    "user_id: null",
];

/// A webhook delivery with its attempts, delivered.
const DELIVERY: &[&str] = &[
    "attempt_log[].attempt: number",
    "attempt_log[].duration_ms: number",
    "attempt_log[].error: null",
    "attempt_log[].response_body: null",
    "attempt_log[].started_at: number",
    "attempt_log[].status_code: number",
    "attempt_log[].url: string",
    "attempts: number",
    "body: string",
    "created_at: number",
    "delivered_at: number",
    "event: string",
    "id: number",
    "last_error: null",
    "next_attempt_at: null",
    "order_id: string",
    "status: string",
    "url: string",
    "webhook_id: string",
];
