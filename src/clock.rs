//! Time: UTC milliseconds in storage, RFC 3339 at the API, Asia/Jakarta for days.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

pub fn now_ms() -> Millis {
    Utc::now().timestamp_millis()
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

/// UTC bounds [start, end) of a Jakarta calendar day.
pub fn jakarta_day_bounds(day: NaiveDate) -> (Millis, Millis) {
    let start = jakarta()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("fixed offset");
    (
        start.timestamp_millis(),
        start.timestamp_millis() + 86_400_000,
    )
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
}
