//! Local clock: times of day (`"HH:MM"`), daily windows that may wrap past midnight (quiet hours, capacity windows),
//! and where an instant falls in a week of a given UTC offset.

pub use crate::contract::schedule::{DailyWindow, LocalTime};
use crate::contract::time::{MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE};

/// Minutes in a day.
pub const DAY_MINUTES: u16 = 1440;
/// Hours in a week: the bins of the send-time model.
pub const WEEK_HOURS: usize = 168;

impl DailyWindow {
    /// Whether a minute of the day lies inside the window.
    pub fn contains(&self, minute: u16) -> bool {
        let (s, e) = (self.start.0, self.end.0);
        if s <= e {
            s <= minute && minute < e
        } else {
            minute >= s || minute < e
        }
    }

    /// Whether the window covers the whole day (then nothing can ever be sent inside or outside it).
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// Epoch milliseconds shifted to local wall-clock milliseconds.
pub fn local_ms(at: i64, utc_offset_minutes: i32) -> i64 {
    at.saturating_add(i64::from(utc_offset_minutes) * MS_PER_MINUTE)
}

/// Minute of the local day (0..1440).
pub fn minute_of_day(at: i64, utc_offset_minutes: i32) -> u16 {
    (local_ms(at, utc_offset_minutes).rem_euclid(MS_PER_DAY) / MS_PER_MINUTE) as u16
}

/// Hour of the local week, Monday 00:00–00:59 being 0 and Sunday 23:00 being 167.
pub fn hour_of_week(at: i64, utc_offset_minutes: i32) -> usize {
    let local = local_ms(at, utc_offset_minutes);
    // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday.
    let weekday = (local.div_euclid(MS_PER_DAY) + 3).rem_euclid(7);
    let hour = local.rem_euclid(MS_PER_DAY) / MS_PER_HOUR;
    (weekday * 24 + hour) as usize
}

/// The first start of a local hour strictly after `at`.
pub fn next_local_hour(at: i64, utc_offset_minutes: i32) -> i64 {
    let local = local_ms(at, utc_offset_minutes);
    let next = (local.div_euclid(MS_PER_HOUR) + 1) * MS_PER_HOUR;
    next - (local - at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::time::Timestamp;

    fn at(s: &str) -> i64 {
        Timestamp::parse_iso(s).unwrap().millis()
    }

    #[test]
    fn times_of_day_parse_strictly() {
        assert_eq!(LocalTime::parse("00:00"), Ok(LocalTime(0)));
        assert_eq!(LocalTime::parse("21:30"), Ok(LocalTime(21 * 60 + 30)));
        assert_eq!(LocalTime(7 * 60 + 5).text(), "07:05");
        for bad in ["24:00", "7:00", "07:60", "0700", "07:00:00", "", "ab:cd"] {
            assert!(LocalTime::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn windows_wrap_past_midnight() {
        let quiet = DailyWindow::new(22 * 60, 7 * 60);
        assert!(quiet.contains(23 * 60) && quiet.contains(0) && quiet.contains(6 * 60 + 59));
        assert!(!quiet.contains(7 * 60) && !quiet.contains(12 * 60) && !quiet.contains(21 * 60 + 59));
        let day = DailyWindow::new(9 * 60, 17 * 60);
        assert!(day.contains(9 * 60) && !day.contains(17 * 60) && !day.contains(8 * 60));
        assert!(!DailyWindow::new(5, 5).contains(5), "start == end is empty");
    }

    #[test]
    fn local_clock_follows_the_offset() {
        // 2024-05-06 is a Monday.
        assert_eq!(hour_of_week(at("2024-05-06T00:30:00Z"), 0), 0);
        assert_eq!(hour_of_week(at("2024-05-05T23:30:00Z"), 0), 167);
        assert_eq!(hour_of_week(at("2024-05-05T23:30:00Z"), 60), 0, "already Monday at UTC+1");
        assert_eq!(minute_of_day(at("2024-05-06T10:15:00Z"), -300), 5 * 60 + 15);
        // India is UTC+5:30: the next local hour starts at a half hour in UTC.
        assert_eq!(next_local_hour(at("2024-05-06T10:15:00Z"), 330), at("2024-05-06T10:30:00Z"));
        assert_eq!(next_local_hour(at("2024-05-06T10:00:00Z"), 0), at("2024-05-06T11:00:00Z"));
    }
}
