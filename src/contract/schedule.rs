//! Times of day and caps a shopper sets in the preference center (`quietHours`, `messageCaps`): part of the
//! contract because `Preferences` carries them; the messaging helpers ([`crate::message::window`]) give them their
//! behaviour.

use serde::{Serialize, Serializer};

/// A time of day, in minutes after midnight (0..1440); `"HH:MM"` (24-hour, two digits each) in and out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime(pub u16);

impl LocalTime {
    /// Parses `"HH:MM"`, 00:00 to 23:59.
    pub fn parse(text: &str) -> Result<LocalTime, &'static str> {
        let b = text.as_bytes();
        let digit = |i: usize| b.get(i).filter(|c| c.is_ascii_digit()).map(|c| u16::from(c - b'0'));
        match (b.len(), digit(0), digit(1), b.get(2), digit(3), digit(4)) {
            (5, Some(h1), Some(h0), Some(b':'), Some(m1), Some(m0)) => {
                let (h, m) = (h1 * 10 + h0, m1 * 10 + m0);
                if h > 23 || m > 59 {
                    return Err("a time of day must be from 00:00 to 23:59");
                }
                Ok(LocalTime(h * 60 + m))
            }
            _ => Err("expected a time of day as \"HH:MM\" (24-hour)"),
        }
    }

    pub fn text(self) -> String {
        let mut s = String::new();
        push_hhmm(&mut s, u32::from(self.0));
        s
    }
}

impl Serialize for LocalTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

/// A daily window from `start` (inclusive) to `end` (exclusive) in local time; it wraps past midnight when `end` is
/// earlier than `start` (`22:00`–`07:00`). `start` equal to `end` is an empty window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct DailyWindow {
    /// `"HH:MM"`, local time.
    #[cfg_attr(test, ts(type = "string"))]
    pub start: LocalTime,
    /// `"HH:MM"`, local time; earlier than `start` means the next day.
    #[cfg_attr(test, ts(type = "string"))]
    pub end: LocalTime,
}

impl DailyWindow {
    pub fn new(start: u16, end: u16) -> DailyWindow {
        DailyWindow { start: LocalTime(start), end: LocalTime(end) }
    }
}

/// The shopper's own caps, from the preference center ("at most 2 emails a week"). They can only lower the
/// policy's caps, never raise them, and they hold for every message, welcome messages included (the policy's
/// welcome floor lifts only the policy's caps).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MessageCaps {
    /// Messages in any 24 hours, all channels together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_day: Option<u32>,
    /// Messages in any 7 days, all channels together.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_week: Option<u32>,
}

/// Appends `HH:MM` for a minute of the day.
pub fn push_hhmm(out: &mut String, minute_of_day: u32) {
    let (h, m) = (minute_of_day / 60 % 24, minute_of_day % 60);
    for d in [h / 10, h % 10] {
        out.push(char::from(b'0' + d as u8));
    }
    out.push(':');
    for d in [m / 10, m % 10] {
        out.push(char::from(b'0' + d as u8));
    }
}
