//! Time: UTC milliseconds in storage, RFC 3339 at the API, the merchant's
//! zone ([`Zone`]) on screen and paper. API usage days are Jakarta days, as
//! the reference API resets its daily limits at midnight Asia/Jakarta.
//!
//! The engine reads the time from a [`Clock`] it is given, so tests move time
//! instead of editing rows and sleeping.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// The wall clock. Only [`SystemClock`] and tests call this directly.
pub fn now_ms() -> Millis {
    Utc::now().timestamp_millis()
}

/// Where the engine reads "now" from.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Millis;
}

/// The operating system's clock: what a shop runs on.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Millis {
        now_ms()
    }
}

/// A clock that only moves when told: for tests of expiry, windows and days.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    pub fn at(ms: Millis) -> ManualClock {
        ManualClock(Arc::new(AtomicI64::new(ms)))
    }
    /// Starts at the real time now, so rows look like today's.
    pub fn starting_now() -> ManualClock {
        ManualClock::at(now_ms())
    }
    pub fn set(&self, ms: Millis) {
        self.0.store(ms, Ordering::SeqCst);
    }
    pub fn advance(&self, by: std::time::Duration) {
        self.0.fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Millis {
        self.0.load(Ordering::SeqCst)
    }
}

/// `2025-12-26T10:00:00.000Z`, as the reference API writes times.
pub fn rfc3339(ms: Millis) -> String {
    match Utc.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => String::new(),
    }
}

/// Western Indonesia Time: UTC+7 all year (Indonesia has no daylight saving).
pub fn jakarta() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

pub fn jakarta_time(ms: Millis) -> DateTime<FixedOffset> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or_default()
        .with_timezone(&jakarta())
}

/// The shop's calendar day of an instant, `YYYY-MM-DD`.
pub fn jakarta_day(ms: Millis) -> String {
    jakarta_time(ms).format("%Y-%m-%d").to_string()
}

/// The shop's month of an instant, `YYYY-MM`.
pub fn jakarta_month(ms: Millis) -> String {
    jakarta_time(ms).format("%Y-%m").to_string()
}

/// Milliseconds from `ms` to the next midnight in Jakarta (when daily limits reset).
pub fn ms_until_jakarta_midnight(ms: Millis) -> Millis {
    let t = jakarta_time(ms);
    let next: NaiveDate = t.date_naive().succ_opt().unwrap_or(t.date_naive());
    let midnight = jakarta()
        .from_local_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("fixed offsets are unambiguous");
    (midnight.timestamp_millis() - ms).max(0)
}

/// The zone the merchant reads times in on paper: one of Indonesia's three
/// (no daylight saving, so a fixed offset is exact) or a plain UTC offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// As the merchant set it: `Asia/Jakarta`, `Asia/Makassar`, `+05:30`.
    pub name: String,
    pub offset: FixedOffset,
}

impl Zone {
    pub fn jakarta() -> Zone {
        Zone {
            name: "Asia/Jakarta".into(),
            offset: jakarta(),
        }
    }

    /// `Asia/Jakarta` (or `Asia/Pontianak`), `Asia/Makassar`, `Asia/Jayapura`,
    /// `UTC`, or an offset `+07:00` / `-03:30`.
    pub fn parse(s: &str) -> Option<Zone> {
        let s = s.trim();
        let hours = |h: i32| FixedOffset::east_opt(h * 3600);
        let offset = match s {
            "Asia/Jakarta" | "Asia/Pontianak" => hours(7),
            "Asia/Makassar" => hours(8),
            "Asia/Jayapura" => hours(9),
            "UTC" | "Etc/UTC" => hours(0),
            _ => {
                let b = s.as_bytes();
                if b.len() != 6 || !matches!(b[0], b'+' | b'-') || b[3] != b':' {
                    return None;
                }
                let h: i32 = s[1..3].parse().ok()?;
                let m: i32 = s[4..6].parse().ok()?;
                if h > 14
                    || m > 59
                    || !s[1..3].bytes().all(|c| c.is_ascii_digit())
                    || !s[4..6].bytes().all(|c| c.is_ascii_digit())
                {
                    return None;
                }
                let secs = (h * 3600 + m * 60) * if b[0] == b'-' { -1 } else { 1 };
                FixedOffset::east_opt(secs)
            }
        }?;
        Some(Zone {
            name: s.to_string(),
            offset,
        })
    }

    /// What a shop in that zone writes after a time: WIB, WITA, WIT, or UTC+05:30.
    pub fn label(&self) -> String {
        match self.offset.local_minus_utc() {
            25_200 => "WIB".into(),
            28_800 => "WITA".into(),
            32_400 => "WIT".into(),
            0 => "UTC".into(),
            s => format!(
                "UTC{}{:02}:{:02}",
                if s < 0 { '-' } else { '+' },
                s.abs() / 3600,
                s.abs() % 3600 / 60
            ),
        }
    }

    /// An instant as a shop writes it: `04-12-2026 08:00 WIB`.
    pub fn format_local(&self, ms: Millis) -> String {
        format!("{} {}", self.at(ms).format("%d-%m-%Y %H:%M"), self.label())
    }

    /// The calendar day (`YYYY-MM-DD`) of an instant in this zone.
    pub fn day_of(&self, ms: Millis) -> String {
        self.at(ms).format("%Y-%m-%d").to_string()
    }

    pub fn at(&self, ms: Millis) -> DateTime<FixedOffset> {
        Utc.timestamp_millis_opt(ms)
            .single()
            .unwrap_or_default()
            .with_timezone(&self.offset)
    }

    /// UTC bounds [start, end) of a calendar day in this zone.
    pub fn day_bounds(&self, day: NaiveDate) -> (Millis, Millis) {
        let start = self
            .offset
            .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
            .single()
            .expect("fixed offset")
            .timestamp_millis();
        (start, start + 86_400_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_reference() {
        assert_eq!(rfc3339(1_766_743_200_000), "2025-12-26T10:00:00.000Z");
    }

    #[test]
    fn jakarta_days_start_at_17_utc() {
        // 2025-12-26T16:59:59Z is still the 26th in Jakarta; 17:00Z is the 27th
        assert_eq!(jakarta_day(1_766_768_399_000), "2025-12-26");
        assert_eq!(jakarta_day(1_766_768_400_000), "2025-12-27");
        assert_eq!(ms_until_jakarta_midnight(1_766_768_399_000), 1000);
    }

    #[test]
    fn zones_read_as_indonesian_shops_write_them() {
        assert_eq!(Zone::parse("Asia/Makassar").unwrap().label(), "WITA");
        assert_eq!(Zone::parse("Asia/Jayapura").unwrap().label(), "WIT");
        assert_eq!(Zone::parse("+05:30").unwrap().label(), "UTC+05:30");
        assert_eq!(Zone::parse("-03:00").unwrap().label(), "UTC-03:00");
        assert!(Zone::parse("Mars/Olympus").is_none());
        assert!(Zone::parse("+7").is_none());
        // a Jakarta day starts at 17:00 UTC the day before
        let day = NaiveDate::from_ymd_opt(2025, 12, 26).unwrap();
        assert_eq!(Zone::jakarta().day_bounds(day).0, 1_766_682_000_000);
    }
}
