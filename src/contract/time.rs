//! Timestamps: ISO-8601 text (no offset means UTC) or epoch milliseconds, held as whole milliseconds since the epoch.
//! The engine never reads a clock: `context.now` comes in with every call, so output is reproducible.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub const MS_PER_MINUTE: i64 = 60_000;
pub const MS_PER_HOUR: i64 = 3_600_000;
pub const MS_PER_DAY: i64 = 86_400_000;

/// The range JS `Date` accepts: ±8.64e15 ms around the epoch.
pub const MAX_ABS_MS: i64 = 8_640_000_000_000_000;

/// Milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn millis(self) -> i64 {
        self.0
    }

    /// Days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(self, earlier: Timestamp) -> f64 {
        (self.0.saturating_sub(earlier.0)) as f64 / MS_PER_DAY as f64
    }

    pub fn from_millis_f64(ms: f64) -> Result<Timestamp, String> {
        if !ms.is_finite() {
            return Err("a timestamp must be a finite number of milliseconds".into());
        }
        if ms.abs() > MAX_ABS_MS as f64 {
            return Err("outside the range of dates (±8.64e15 ms)".into());
        }
        Ok(Timestamp(ms.round() as i64))
    }

    /// Parses `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM`, `:SS`, `.fraction`, and `Z` or an offset
    /// `±HH:MM` / `±HHMM` / `±HH`. No offset means UTC.
    pub fn parse_iso(text: &str) -> Result<Timestamp, String> {
        let bad = |why: &str| format!("'{}' is not an ISO-8601 timestamp: {why}", shorten(text));
        let b = text.trim().as_bytes();
        let mut p = Cursor { b, i: 0 };
        let year = p.digits(4).ok_or_else(|| bad("expected a four-digit year"))?;
        p.expect(b'-').ok_or_else(|| bad("expected '-' after the year"))?;
        let month = p.digits(2).ok_or_else(|| bad("expected a two-digit month"))?;
        p.expect(b'-').ok_or_else(|| bad("expected '-' after the month"))?;
        let day = p.digits(2).ok_or_else(|| bad("expected a two-digit day"))?;
        if !(1..=12).contains(&month) {
            return Err(bad("month out of range"));
        }
        if day < 1 || day > days_in_month(year, month) {
            return Err(bad("day out of range"));
        }
        let (mut hour, mut minute, mut second, mut millis) = (0, 0, 0, 0i64);
        let mut offset_minutes = 0i64;
        if matches!(p.peek(), Some(b'T' | b't' | b' ')) {
            p.i += 1;
            hour = p.digits(2).ok_or_else(|| bad("expected a two-digit hour"))?;
            p.expect(b':').ok_or_else(|| bad("expected ':' after the hour"))?;
            minute = p.digits(2).ok_or_else(|| bad("expected two-digit minutes"))?;
            if p.peek() == Some(b':') {
                p.i += 1;
                second = p.digits(2).ok_or_else(|| bad("expected two-digit seconds"))?;
                if matches!(p.peek(), Some(b'.' | b',')) {
                    p.i += 1;
                    let start = p.i;
                    let mut scale = 100i64;
                    while let Some(d) = p.peek().filter(u8::is_ascii_digit) {
                        millis += i64::from(d - b'0') * scale;
                        scale /= 10;
                        p.i += 1;
                    }
                    if p.i == start {
                        return Err(bad("expected digits after the decimal point"));
                    }
                }
            }
            if hour > 23 || minute > 59 || second > 59 {
                return Err(bad("time of day out of range"));
            }
            match p.peek() {
                Some(b'Z' | b'z') => p.i += 1,
                Some(sign @ (b'+' | b'-')) => {
                    p.i += 1;
                    let oh = p.digits(2).ok_or_else(|| bad("expected a two-digit offset hour"))?;
                    if p.peek() == Some(b':') {
                        p.i += 1;
                    }
                    let om = if p.i < b.len() { p.digits(2).ok_or_else(|| bad("bad offset minutes"))? } else { 0 };
                    if oh > 23 || om > 59 {
                        return Err(bad("offset out of range"));
                    }
                    let total = oh * 60 + om;
                    offset_minutes = if sign == b'+' { total } else { -total };
                }
                _ => {}
            }
        }
        if p.i != b.len() {
            return Err(bad("unexpected text at the end"));
        }
        let days = days_from_civil(year, month, day);
        let ms = days * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * 1000 + millis
            - offset_minutes * MS_PER_MINUTE;
        Ok(Timestamp(ms))
    }

    /// `YYYY-MM-DD` in UTC, for explanations and reports.
    pub fn date_string(self) -> String {
        let (y, m, d) = civil_from_days(self.0.div_euclid(MS_PER_DAY));
        format!("{y:04}-{m:02}-{d:02}")
    }
}

fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek() == Some(c)).then(|| self.i += 1)
    }

    fn digits(&mut self, n: usize) -> Option<i64> {
        let chunk = self.b.get(self.i..self.i + n)?;
        let mut v = 0i64;
        for &d in chunk {
            if !d.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(d - b'0');
        }
        self.i += n;
        Some(v)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Out of the engine, times are epoch milliseconds as `f64` (never `u64`: it would become a `BigInt` in JS).
impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.0 as f64)
    }
}

/// Reads back what [`Serialize`] wrote (epoch milliseconds), for tests that round-trip outputs. Inputs are read by
/// `parse.rs`, which also accepts ISO-8601 text.
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let ms = f64::deserialize(deserializer)?;
        Timestamp::from_millis_f64(ms).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_times_and_offsets() {
        assert_eq!(Timestamp::parse_iso("1970-01-01").unwrap().0, 0);
        assert_eq!(Timestamp::parse_iso("1970-01-02T00:00:00Z").unwrap().0, MS_PER_DAY);
        assert_eq!(Timestamp::parse_iso("2011-12-09 12:50:00").unwrap().0, 1_323_435_000_000);
        assert_eq!(Timestamp::parse_iso("2024-02-29T10:00:00.250+02:00").unwrap().0, 1_709_193_600_250);
        assert_eq!(
            Timestamp::parse_iso("2024-02-29T08:00:00.25Z").unwrap(),
            Timestamp::parse_iso("2024-02-29T10:00:00.250+0200").unwrap()
        );
        assert_eq!(Timestamp::parse_iso("2024-03-01T00:00-05").unwrap().0, 1_709_269_200_000);
    }

    #[test]
    fn rejects_malformed_and_out_of_range() {
        for bad in ["", "2024", "2024-13-01", "2023-02-29", "2024-01-01T25:00", "2024-01-01T10:00:00Q", "yesterday"] {
            assert!(Timestamp::parse_iso(bad).is_err(), "{bad} should be rejected");
        }
        assert!(Timestamp::from_millis_f64(f64::NAN).is_err());
        assert!(Timestamp::from_millis_f64(1e17).is_err());
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 15_000, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(Timestamp(1_323_435_000_000).date_string(), "2011-12-09");
    }
}
