//! The views' key order and the shapes the integrators rely on.

use super::*;
use serde_json::json;

/// Written as a struct, the same bytes as the map it replaced (whose keys
/// serde_json sorts, at every level).
fn assert_sorted(v: &impl Serialize) {
    let text = serde_json::to_string(v).unwrap();
    let as_map = serde_json::to_value(v).unwrap().to_string();
    assert_eq!(text, as_map, "fields out of sorted order");
}

fn order() -> Order {
    Order {
        id: 7,
        order_id: "INV-1".into(),
        link_code: "ABCD1234".into(),
        qris_id: 1,
        merchant_name: "TOKO".into(),
        merchant_city: "JAKARTA".into(),
        source: OrderSource::PaymentLink,
        amount: 50_000,
        unique_code: 0,
        fee: Some(FeeSpec::Percent(qris::Percent::parse("2.5").unwrap())),
        fee_amount: 1_250,
        total_amount: 51_250,
        description: Some("Kopi".into()),
        payload: "000201".into(),
        status: OrderStatus::Paid,
        webhook_url: Some("https://shop.example/h".into()),
        callback_url: Some("https://shop.example/c".into()),
        created_at: 1_735_000_000_000,
        expires_at: 1_735_000_900_000,
        paid_at: Some(1_735_000_100_000),
        customer_confirmed_at: None,
        confirmed_by: Some(ConfirmedBy::Api),
        payer_name: Some("Budi".into()),
        payer_note: None,
        view_count: 3,
        payment_method: PaymentMethod::Qris,
        refunded_amount: 0,
        sale: None,
        cashier_id: None,
        cashier: None,
        shift_id: None,
        is_active: true,
    }
}

fn settings() -> Settings {
    Settings {
        order_expiry_minutes: 15,
        public_base_url: Some("https://pay.example".into()),
        default_webhook_url: None,
        language: "id".into(),
        sound: true,
        webhook_private_receivers: Default::default(),
        widget_max_amount: 10_000_000,
        widget_payments_per_minute: 30,
        widget_open_orders_max: 100,
        customer_confirmations_per_minute: 60,
        widget_webhook_allowlist: vec![],
        receipt_footer: None,
        timezone: "Asia/Jakarta".into(),
        listen_lan: false,
        trusted_proxy: Default::default(),
        unique_code: Default::default(),
        unique_code_max: 99,
        unique_match_window_minutes: 30,
        notification_generic_apps: vec![],
        tax_enabled: true,
        tax_rate_bp: 1_100,
        tax_inclusive: false,
        service_rate_bp: 0,
        service_taxed: false,
        cash_rounding: 0,
        lock_after_minutes: 5,
        cashier_discount_limit_bp: 1_000,
    }
}

#[test]
fn every_view_keeps_the_key_order_integrators_have_seen() {
    let (o, s) = (order(), settings());
    assert_sorted(&OrderDetail::new(&o, &s));
    assert_sorted(&OrderSummary::new(&o));
    assert_sorted(&PaymentLinkCreated::new(&o, &s));
    assert_sorted(&PaymentLinkListed::new(&o, &s));
    assert_sorted(&PayPageState::new(&o));
    assert_sorted(&PayPageState::new(&o).with_qr(Some(("q".into(), "i".into()))));
    assert_sorted(&PayPageState::new(&o).with_qr(None));
    assert_sorted(&PayPageGone {
        status: "deleted",
        success: false,
    });
    assert_sorted(&WidgetPaymentCreated::new(&o, &s, "img".into()));
    assert_sorted(&WidgetPaymentStatus::new(&o));
    assert_sorted(&UsageView::new(Usage {
        daily_limit: Some(50),
        today_total: 2,
        today: vec![EndpointCount {
            endpoint: "/qris/generate".into(),
            request_count: 2,
        }],
        month_total: 2,
        month: vec![],
    }));
}

#[test]
fn a_fee_is_its_type_and_value() {
    assert_eq!(
        serde_json::to_value(Fee::of(&order().fee)).unwrap(),
        json!({ "type": "percent", "value": 2.5 })
    );
    assert_eq!(
        serde_json::to_string(&Fee::Rupiah(1000)).unwrap(),
        r#"{"type":"rupiah","value":1000}"#
    );
}

#[test]
fn the_payment_page_shows_no_code_once_the_order_is_closed() {
    let v = serde_json::to_value(PayPageState::new(&order()).with_qr(None)).unwrap();
    assert_eq!((&v["qris"], &v["qr_image"]), (&Value::Null, &Value::Null));
    assert!(v.as_object().unwrap().contains_key("qris"));
    let event = serde_json::to_value(PayPageState::new(&order())).unwrap();
    assert!(!event.as_object().unwrap().contains_key("qris"));
}
