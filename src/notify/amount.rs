//! Rupiah amounts as Indonesian apps and banks write them: `Rp15.000`,
//! `Rp 15.000,00`, `Rp. 1.234.567`, `IDR 15,000`, `IDR 15,000.00`, `Rp114`.
//!
//! The rule: a separator followed by exactly two digits at the end is the
//! decimal one (and the sen must be zero: QRIS moves whole rupiah); every
//! other separator groups thousands, in groups of three. Anything else is not
//! an amount we read, rather than a guess.

/// The whole rupiah in `text` (currency marker included or not), or None.
pub fn parse_rupiah(text: &str) -> Option<u64> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let t = if lower.starts_with("idr") {
        &t[3..]
    } else if lower.starts_with("rp") {
        &t[2..]
    } else {
        t
    };
    let t = t.trim_start_matches('.').trim();
    let t = t.trim_end_matches(['.', ',', '-']);
    if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    // the decimal part: a separator and two digits at the very end
    let (whole, sen) = match t.char_indices().rev().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, sep)) if t.len() - i - 1 == 2 => {
            let whole = &t[..i];
            // `15.000,00` and `15,000.00`: the thousands separator is the other one
            if whole.contains(sep) {
                return None;
            }
            (whole, &t[i + 1..])
        }
        _ => (t, "00"),
    };
    if sen != "00" {
        return None;
    }
    let seps: Vec<char> = whole.chars().filter(|c| !c.is_ascii_digit()).collect();
    if let Some(&first) = seps.first() {
        if seps.iter().any(|&c| c != first) {
            return None;
        }
        let groups: Vec<&str> = whole.split(first).collect();
        let head_ok = (1..=3).contains(&groups[0].len());
        if !head_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    let digits: String = whole.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|a| *a > 0)
}

#[cfg(test)]
mod tests {
    use super::parse_rupiah;

    #[test]
    fn every_indonesian_spelling() {
        let cases = [
            ("Rp15.000", Some(15_000)),
            ("Rp 15.000", Some(15_000)),
            ("Rp 15.000,00", Some(15_000)),
            ("Rp15.000,-", Some(15_000)),
            ("Rp. 1.234.567", Some(1_234_567)),
            ("IDR 15,000", Some(15_000)),
            ("IDR 15,000.00", Some(15_000)),
            ("idr15000", Some(15_000)),
            ("Rp114", Some(114)),
            ("Rp99.947", Some(99_947)),
            ("Rp1.771,00", Some(1_771)),
            ("72100000.00", Some(72_100_000)),
            ("287,490.00", Some(287_490)),
            ("Rp 50.037.", Some(50_037)),
            // sen that aren't zero, bad groups, mixed separators: not read
            ("Rp 15.000,50", None),
            ("Rp 1.50", None),
            ("Rp 15.00.000", None),
            ("Rp 1,500.000", None),
            ("Rp", None),
            ("Rp 0", None),
            ("dari BUDI", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_rupiah(text), want, "{text}");
        }
    }
}
