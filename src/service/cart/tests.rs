use super::*;
use proptest::prelude::*;

fn line(name: &str, price: u64, qty: u32) -> Line {
    Line {
        product_id: None,
        name: name.into(),
        unit_price: price,
        quantity: qty,
        discount: None,
        note: None,
    }
}

fn off(v: i64) -> Option<Discount> {
    Some(Discount {
        kind: DiscountKind::Percent,
        value: v,
    })
}

fn rp(v: i64) -> Option<Discount> {
    Some(Discount {
        kind: DiscountKind::Rupiah,
        value: v,
    })
}

const PPN: TaxRules = TaxRules {
    tax_enabled: true,
    tax_rate_bp: 1100,
    tax_inclusive: false,
    service_rate_bp: 0,
    service_taxed: false,
    cash_rounding: 0,
};

/// (what, lines, cart discount, rules) → (subtotal, discount, service, tax, total, cash_total, line totals)
#[test]
fn the_money_table() {
    let nasi_teh = || vec![line("Nasi goreng", 25_000, 2), line("Es teh", 5_000, 1)];
    let with_line_off = || {
        let mut l = nasi_teh();
        l[0].discount = off(10);
        l
    };
    type Row = (
        &'static str,
        Vec<Line>,
        Option<Discount>,
        TaxRules,
        (u64, u64, u64, u64, u64, u64, Vec<u64>),
    );
    let rows: Vec<Row> = vec![
        (
            "no tax, no service",
            nasi_teh(),
            None,
            TaxRules::default(),
            (55_000, 0, 0, 0, 55_000, 55_000, vec![50_000, 5_000]),
        ),
        (
            "PPN 11% added",
            nasi_teh(),
            None,
            PPN,
            (55_000, 0, 0, 6_050, 61_050, 61_050, vec![55_500, 5_550]),
        ),
        (
            "PPN 11% inside the prices: 55.000 × 11/111 = 5.450,45",
            nasi_teh(),
            None,
            TaxRules {
                tax_inclusive: true,
                ..PPN
            },
            (55_000, 0, 0, 5_450, 55_000, 55_000, vec![50_000, 5_000]),
        ),
        (
            "10% off a line, Rp 1.000 off the cart, 5% service taxed, PPN added (5.659,5 rounds up)",
            with_line_off(),
            rp(1_000),
            TaxRules {
                service_rate_bp: 500,
                service_taxed: true,
                ..PPN
            },
            (50_000, 1_000, 2_450, 5_660, 57_110, 57_110, vec![51_399, 5_711]),
        ),
        (
            "the same, cash rounded down to Rp 500",
            with_line_off(),
            rp(1_000),
            TaxRules {
                service_rate_bp: 500,
                service_taxed: true,
                cash_rounding: 500,
                ..PPN
            },
            (50_000, 1_000, 2_450, 5_660, 57_110, 57_000, vec![51_399, 5_711]),
        ),
        (
            "PPN inside, 10% service on the price without PPN, service untaxed",
            vec![line("Paket", 100_000, 1)],
            None,
            TaxRules {
                tax_inclusive: true,
                service_rate_bp: 1_000,
                ..PPN
            },
            (100_000, 0, 9_009, 9_910, 109_009, 109_009, vec![109_009]),
        ),
        (
            "PPN inside, 10% service taxed on top",
            vec![line("Paket", 100_000, 1)],
            None,
            TaxRules {
                tax_inclusive: true,
                service_rate_bp: 1_000,
                service_taxed: true,
                ..PPN
            },
            (100_000, 0, 9_009, 10_901, 110_000, 110_000, vec![110_000]),
        ),
        (
            "10% off the cart, spread 9:1",
            nasi_teh(),
            off(10),
            TaxRules::default(),
            (55_000, 5_500, 0, 0, 49_500, 49_500, vec![45_000, 4_500]),
        ),
        (
            "33% of Rp 1.515 is 499,95: Rp 500 off",
            {
                let mut l = vec![line("Kerupuk", 1_515, 1)];
                l[0].discount = off(33);
                l
            },
            None,
            TaxRules {
                cash_rounding: 100,
                ..TaxRules::default()
            },
            (1_015, 0, 0, 0, 1_015, 1_000, vec![1_015]),
        ),
        (
            "PPN off: its rate is ignored, inclusive or not",
            nasi_teh(),
            None,
            TaxRules {
                tax_enabled: false,
                tax_inclusive: true,
                ..PPN
            },
            (55_000, 0, 0, 0, 55_000, 55_000, vec![50_000, 5_000]),
        ),
        (
            "Rp 1 off three equal lines: the earliest takes it",
            vec![line("A", 1_000, 1), line("B", 1_000, 1), line("C", 1_000, 1)],
            rp(1),
            TaxRules::default(),
            (3_000, 1, 0, 0, 2_999, 2_999, vec![999, 1_000, 1_000]),
        ),
    ];
    for (what, lines, cart_discount, rules, want) in rows {
        let p = price(&lines, cart_discount, &rules).unwrap_or_else(|e| panic!("{what}: {e}"));
        let got = (
            p.subtotal,
            p.discount,
            p.service,
            p.tax,
            p.total,
            p.cash_total,
            p.lines.iter().map(|l| l.total).collect::<Vec<_>>(),
        );
        assert_eq!(got, want, "{what}");
        assert_eq!(p.rounding, p.cash_total as i64 - p.total as i64, "{what}");
    }
}

#[test]
fn a_line_knows_its_own_discount_and_net() {
    let mut l = vec![line("Nasi goreng", 25_000, 2)];
    l[0].discount = rp(2_000);
    let p = price(&l, None, &TaxRules::default()).unwrap();
    assert_eq!(
        (p.lines[0].gross, p.lines[0].discount, p.lines[0].net),
        (50_000, 2_000, 48_000)
    );
    assert_eq!(p.item_count, 2);
}

#[test]
fn discounts_that_cannot_be_are_refused_naming_the_field() {
    let mut l = vec![line("Es teh", 5_000, 1)];
    l[0].discount = rp(6_000);
    let e = price(&l, None, &TaxRules::default()).unwrap_err();
    assert_eq!(e.field(), Some("discount"));
    assert!(e.to_string().contains("more than"), "{e}");
    l[0].discount = off(101);
    assert_eq!(
        price(&l, None, &TaxRules::default()).unwrap_err().field(),
        Some("discount")
    );
    l[0].discount = rp(-1);
    assert!(price(&l, None, &TaxRules::default()).is_err());
    l[0].discount = None;
    let e = price(&l, rp(5_001), &TaxRules::default()).unwrap_err();
    assert_eq!(e.field(), Some("cart_discount"));
    assert_eq!(
        price(&[], None, &TaxRules::default()).unwrap_err().field(),
        Some("lines")
    );
}

#[test]
fn refunding_every_unit_one_by_one_gives_back_the_line_exactly() {
    assert_eq!(refund_share(10_000, 3, 0, 1), 3_333);
    assert_eq!(refund_share(10_000, 3, 1, 1), 3_334);
    assert_eq!(refund_share(10_000, 3, 2, 1), 3_333);
    assert_eq!(refund_share(10_000, 3, 0, 3), 10_000);
    assert_eq!(
        refund_share(57_110, 7, 3, 4) + refund_share(57_110, 7, 0, 3),
        57_110
    );
}

#[test]
fn spreading_keeps_every_rupiah() {
    assert_eq!(spread(10, &[1, 1, 1]), vec![4, 3, 3]);
    assert_eq!(spread(0, &[5, 5]), vec![0, 0]);
    assert_eq!(spread(7, &[0, 0]), vec![0, 0]);
}

fn arb_discount(max_rp: i64) -> impl Strategy<Value = Option<Discount>> {
    prop_oneof![
        Just(None),
        (0..=100i64).prop_map(|v| Some(Discount {
            kind: DiscountKind::Percent,
            value: v
        })),
        (0..=max_rp).prop_map(|v| Some(Discount {
            kind: DiscountKind::Rupiah,
            value: v
        })),
    ]
}

fn arb_line() -> impl Strategy<Value = Line> {
    (0..2_000_000u64, 1..50u32).prop_flat_map(|(price, qty)| {
        arb_discount((price * qty as u64) as i64).prop_map(move |discount| Line {
            discount,
            ..line("x", price, qty)
        })
    })
}

fn arb_rules() -> impl Strategy<Value = TaxRules> {
    (
        any::<bool>(),
        0..2_500u32,
        any::<bool>(),
        0..2_000u32,
        any::<bool>(),
        prop::sample::select(vec![0u32, 100, 500, 1_000]),
    )
        .prop_map(
            |(
                tax_enabled,
                tax_rate_bp,
                tax_inclusive,
                service_rate_bp,
                service_taxed,
                cash_rounding,
            )| TaxRules {
                tax_enabled,
                tax_rate_bp,
                tax_inclusive,
                service_rate_bp,
                service_taxed,
                cash_rounding,
            },
        )
}

proptest! {
    /// The lines' totals add up to the cart's, no total is below what was
    /// discounted, and cash rounding takes less than its unit.
    #[test]
    fn totals_add_up(lines in prop::collection::vec(arb_line(), 1..20), pct_off in 0..=100i64, rules in arb_rules()) {
        let p = price(&lines, Some(Discount { kind: DiscountKind::Percent, value: pct_off }), &rules).unwrap();
        prop_assert_eq!(p.lines.iter().map(|l| l.total).sum::<u64>(), p.total);
        prop_assert_eq!(p.lines.iter().map(|l| l.net).sum::<u64>(), p.subtotal);
        prop_assert!(p.discount <= p.subtotal);
        prop_assert!(p.total >= p.subtotal - p.discount);
        prop_assert!(p.cash_total <= p.total);
        prop_assert!(p.rounding <= 0);
        if rules.cash_rounding > 0 {
            prop_assert!(p.total - p.cash_total < rules.cash_rounding as u64);
            prop_assert_eq!(p.cash_total % rules.cash_rounding as u64, 0);
        }
        for l in &p.lines {
            prop_assert!(l.discount <= l.gross);
        }
        // a refund of every line, unit by unit, gives back the total
        let back: u64 = p.lines.iter().map(|l| (0..l.quantity).map(|i| refund_share(l.total, l.quantity, i, 1)).sum::<u64>()).sum();
        prop_assert_eq!(back, p.total);
    }
}
