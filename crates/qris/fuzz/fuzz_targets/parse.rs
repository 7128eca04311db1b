//! Any bytes: parsing, validation, summary and conversion never panic, and a
//! successful conversion is always strictly valid.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let d = qris::decode(s);
        let _ = d.valid;
        if let Ok(out) = qris::to_dynamic(s, &qris::DynamicRequest { amount: 12_345, fee: None, reference: Some("R1".into()) }) {
            assert!(qris::validate(&out, qris::Mode::Generated).is_valid(), "{out}");
        }
    }
});
