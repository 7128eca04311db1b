//! Amounts (tags 54, 56) and percentages (tag 57) as EMVCo writes them.

use serde::Serialize;
use std::fmt;

/// Largest amount that fits tag 54 as integer rupiah: 13 digits.
pub const MAX_AMOUNT: u64 = 9_999_999_999_999;

/// Why an amount string is not a valid EMVCo amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountProblem {
    Empty,
    NotNumeric,
    TooLong,
    Zero,
}

impl fmt::Display for AmountProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AmountProblem::Empty => "is empty",
            AmountProblem::NotNumeric => "must be digits with at most one '.'",
            AmountProblem::TooLong => "is longer than 13 characters",
            AmountProblem::Zero => "must not be zero",
        })
    }
}

/// An amount read from a payload. Rupiah has no minor unit in practice, but real
/// dynamic codes write `39000.00`, so the fraction is kept (in hundredths).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReadAmount {
    pub rupiah: u64,
    /// Hundredths after the point, when written (`39000.50` → 50).
    pub cents: u32,
    pub has_decimal_point: bool,
}

/// Read tag 54 or 56: digits, optionally one `.`, at most 13 characters, not zero.
pub fn read_amount(s: &str) -> Result<ReadAmount, AmountProblem> {
    if s.is_empty() {
        return Err(AmountProblem::Empty);
    }
    if s.len() > 13 {
        return Err(AmountProblem::TooLong);
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || (int.is_empty() && frac.is_none()) || !frac.is_none_or(digits) {
        return Err(AmountProblem::NotNumeric);
    }
    let rupiah: u64 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| AmountProblem::TooLong)?
    };
    let cents = match frac {
        None | Some("") => 0,
        Some(f) => {
            let two: String = f.chars().chain("00".chars()).take(2).collect();
            two.parse::<u32>().unwrap_or(0) + u32::from(f.bytes().skip(2).any(|b| b != b'0'))
        }
    };
    if rupiah == 0 && cents == 0 {
        return Err(AmountProblem::Zero);
    }
    Ok(ReadAmount {
        rupiah,
        cents,
        has_decimal_point: frac.is_some(),
    })
}

/// A percentage fee in hundredths of a percent: 1 (0.01 %) to 9999 (99.99 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Percent(u16);

impl Percent {
    pub fn from_hundredths(h: u32) -> Option<Percent> {
        (1..=9999).contains(&h).then_some(Percent(h as u16))
    }
    pub fn hundredths(self) -> u16 {
        self.0
    }
    /// Parse `2.5`, `02.50`, `0.7` or `10`: at most two decimals, 0.01 to 99.99.
    pub fn parse(s: &str) -> Option<Percent> {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() && frac.is_empty()
            || int.len() > 2
            || frac.len() > 2
            || (s.contains('.') && frac.is_empty())
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let i: u32 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let f: u32 = match frac.len() {
            0 => 0,
            1 => frac.parse::<u32>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        Percent::from_hundredths(i * 100 + f)
    }
}

impl fmt::Display for Percent {
    /// Shortest form that keeps the value: `2.5`, `0.7`, `10`, `0.01`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (i, h) = (self.0 / 100, self.0 % 100);
        match h {
            0 => write!(f, "{i}"),
            h if h % 10 == 0 => write!(f, "{i}.{}", h / 10),
            h => write!(f, "{i}.{h:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(read_amount("50000").unwrap().rupiah, 50000);
        let a = read_amount("39000.00").unwrap();
        assert_eq!((a.rupiah, a.cents, a.has_decimal_point), (39000, 0, true));
        assert_eq!(read_amount("0").unwrap_err(), AmountProblem::Zero);
        assert_eq!(read_amount("0.00").unwrap_err(), AmountProblem::Zero);
        assert_eq!(read_amount("1.2.3").unwrap_err(), AmountProblem::NotNumeric);
        assert_eq!(read_amount("-5").unwrap_err(), AmountProblem::NotNumeric);
        assert_eq!(
            read_amount("12345678901234").unwrap_err(),
            AmountProblem::TooLong
        );
        assert_eq!(read_amount("0.5").unwrap().cents, 50);
    }

    #[test]
    fn percents() {
        assert_eq!(Percent::parse("0.7").unwrap().to_string(), "0.7");
        assert_eq!(Percent::parse("02.50").unwrap().to_string(), "2.5");
        assert_eq!(Percent::parse("10").unwrap().to_string(), "10");
        assert_eq!(Percent::parse("0.01").unwrap().to_string(), "0.01");
        assert_eq!(Percent::parse("99.99").unwrap().hundredths(), 9999);
        for bad in [
            "0", "0.00", "100", "1.234", "", ".", "1.", "5%", "-1", "1e2",
        ] {
            assert!(Percent::parse(bad).is_none(), "{bad}");
        }
    }
}
