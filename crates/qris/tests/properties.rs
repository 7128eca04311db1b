//! Properties that must hold for any input, not just the vectors.

use proptest::prelude::*;
use qris::{crc16_hex, decode, to_dynamic, validate, DynamicRequest, Fee, Mode, Payload, Percent};

/// A syntactically valid static QRIS built from arbitrary merchant data.
fn static_qris(name: &str, city: &str, postal: &str, nmid: &str) -> String {
    let mut s = String::new();
    let mut obj = |t: &str, v: &str| s.push_str(&format!("{t}{:02}{v}", v.chars().count()));
    obj("00", "01");
    obj("01", "11");
    obj(
        "26",
        "0011ID.DANA.WWW011893600915302259148102090225914810303UMI",
    );
    obj(
        "51",
        &format!("0014ID.CO.QRIS.WWW02{:02}{nmid}0303UMI", nmid.len()),
    );
    obj("52", "5812");
    obj("53", "360");
    obj("58", "ID");
    obj("59", name);
    obj("60", city);
    obj("61", postal);
    s.push_str("6304");
    let crc = crc16_hex(s.as_bytes());
    s + &crc
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn conversion_always_validates_and_carries_a_correct_crc(
        name in "[A-Za-z0-9 .'éÉ&-]{1,30}",
        city in "[A-Za-z ]{1,15}",
        postal in "[0-9]{5}",
        nmid in "ID[0-9]{13}",
        amount in 1u64..=9_999_999_999_999,
        fee in prop_oneof![Just(None), (1u64..1_000_000).prop_map(|v| Some(Fee::Rupiah(v))), (1u32..=9999).prop_map(|h| Some(Fee::Percent(Percent::from_hundredths(h).unwrap())))],
        reference in proptest::option::of("[A-Za-z0-9-]{1,25}"),
    ) {
        let src = static_qris(&name, &city, &postal, &nmid);
        prop_assume!(validate(&src, Mode::Import).is_valid());
        let out = to_dynamic(&src, &DynamicRequest { amount, fee, reference: reference.clone() }).unwrap();
        let report = validate(&out, Mode::Generated);
        prop_assert!(report.is_valid(), "{:?}\n{}", report.issues, out);
        let p = Payload::parse(&out).unwrap();
        let (covered, crc) = p.crc_parts().unwrap();
        prop_assert_eq!(crc, crc16_hex(covered.as_bytes()));
        let s = decode(&out).summary.unwrap();
        prop_assert_eq!(s.amount, Some(amount));
        prop_assert_eq!(s.merchant_name.as_deref(), Some(name.as_str()));
        // the merchant name keeps its exact bytes, trailing spaces included
        prop_assert!(out.contains(&name));
        // converting the dynamic code again with the same request is a fixed point
        let again = to_dynamic(&out, &DynamicRequest { amount, fee, reference }).unwrap();
        prop_assert_eq!(again, out);
    }

    #[test]
    fn parsing_and_validating_never_panic(s in "\\PC{0,300}") {
        let _ = decode(&s);
        let _ = validate(&s, Mode::Generated);
        let _ = to_dynamic(&s, &DynamicRequest { amount: 1, fee: None, reference: None });
    }

    #[test]
    fn parse_round_trips_every_object(name in "[A-Za-z ]{1,25}") {
        let src = static_qris(&name, "JAKARTA", "12345", "ID1020001234567");
        let p = Payload::parse(&src).unwrap();
        let mut back = String::new();
        for n in &p.nodes {
            n.obj.write_to(&mut back);
        }
        prop_assert_eq!(back, src);
    }
}

#[test]
fn amounts_of_zero_and_fourteen_digits_are_refused() {
    let src = static_qris("TOKO", "JAKARTA", "12345", "ID1020001234567");
    assert!(to_dynamic(
        &src,
        &DynamicRequest {
            amount: 0,
            ..Default::default()
        }
    )
    .is_err());
    assert!(to_dynamic(
        &src,
        &DynamicRequest {
            amount: 10_000_000_000_000,
            ..Default::default()
        }
    )
    .is_err());
    assert!(to_dynamic(
        &src,
        &DynamicRequest {
            amount: 1,
            fee: Some(Fee::Rupiah(0)),
            reference: None
        }
    )
    .is_err());
    let long_ref = Some("x".repeat(26));
    assert!(to_dynamic(
        &src,
        &DynamicRequest {
            amount: 1,
            fee: None,
            reference: long_ref
        }
    )
    .is_err());
}

#[test]
fn a_wrong_crc_is_refused_not_recomputed() {
    let src = static_qris("TOKO", "JAKARTA", "12345", "ID1020001234567");
    let bad = format!("{}0000", &src[..src.len() - 4]);
    let e = to_dynamic(
        &bad,
        &DynamicRequest {
            amount: 1,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(matches!(e, qris::ConvertError::CrcMismatch { .. }), "{e}");
}

#[test]
fn a_lower_case_crc_is_accepted_with_a_warning() {
    let src = static_qris("TOKO", "JAKARTA", "12345", "ID1020001234567");
    let lower = format!(
        "{}{}",
        &src[..src.len() - 4],
        src[src.len() - 4..].to_lowercase()
    );
    if lower != src {
        let r = validate(&lower, Mode::Import);
        assert!(r.is_valid());
        assert!(r.has("crc_lowercase"));
        let out = to_dynamic(
            &lower,
            &DynamicRequest {
                amount: 5,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(validate(&out, Mode::Generated).is_valid());
    }
}

#[test]
fn existing_fee_tags_are_replaced_not_duplicated() {
    // a static code that already carries 55 = 02 with a fee (seen in the wild)
    let mut s = String::new();
    for (t, v) in [
        ("00", "01"),
        ("01", "11"),
        ("26", "0011ID.DANA.WWW0118936009153022591481"),
        ("52", "5812"),
        ("53", "360"),
        ("55", "02"),
        ("56", "500"),
        ("58", "ID"),
        ("59", "TOKO"),
        ("60", "JAKARTA"),
        ("61", "12345"),
    ] {
        s.push_str(&format!("{t}{:02}{v}", v.len()));
    }
    s.push_str("6304");
    let src = format!("{s}{}", crc16_hex(s.as_bytes()));
    let out = to_dynamic(
        &src,
        &DynamicRequest {
            amount: 10_000,
            fee: Some(Fee::Percent(Percent::parse("0.7").unwrap())),
            reference: None,
        },
    )
    .unwrap();
    let p = Payload::parse(&out).unwrap();
    let tags: Vec<&str> = p.nodes.iter().map(|n| n.tag()).collect();
    assert_eq!(
        tags,
        ["00", "01", "26", "52", "53", "54", "55", "57", "58", "59", "60", "61", "63"]
    );
    assert_eq!(p.value("55"), Some("03"));
    assert_eq!(p.value("57"), Some("0.7"));
}

#[test]
fn a_crc_whose_value_is_6304_does_not_confuse_the_converter() {
    // search for merchant names until the CRC itself is "6304"; the popular
    // converters' lastIndexOf("6304") cut such codes in the wrong place
    let mut found = false;
    for i in 0..200_000u32 {
        let src = static_qris(&format!("TOKO {i}"), "JAKARTA", "12345", "ID1020001234567");
        if src.ends_with("6304") && src.len() > 8 && &src[src.len() - 8..src.len() - 4] == "6304" {
            let out = to_dynamic(
                &src,
                &DynamicRequest {
                    amount: 1000,
                    ..Default::default()
                },
            )
            .unwrap();
            assert!(validate(&out, Mode::Generated).is_valid());
            found = true;
            break;
        }
    }
    assert!(found, "no CRC of 6304 in the search space");
}
