//! The retailer's send rules for `planSend`. Every knob documents its meaning, range, default and clamp, and
//! [`SendSettings::resolve`] clamps to match. Unknown keys are refused (see `parse.rs`).

use crate::contract::error::{join_path, Error};
use crate::contract::time::{MS_PER_DAY, MS_PER_HOUR};
use crate::message::window::DailyWindow;
use serde::Serialize;

/// An operational sending window (when the shop's sending infrastructure runs), in the shop's time zone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CapacityWindow {
    /// `"HH:MM"` in the shop's zone.
    #[cfg_attr(test, ts(type = "string"))]
    pub start: crate::message::window::LocalTime,
    /// `"HH:MM"` in the shop's zone; earlier than `start` means the next day.
    #[cfg_attr(test, ts(type = "string"))]
    pub end: crate::message::window::LocalTime,
    /// The shop's UTC offset in minutes, ±1080. Default 0 (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_minutes: Option<i32>,
}

/// The send policy as written by the retailer; see [`SendSettings`] for each knob.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SendPolicy {
    /// Messages in any 24 hours, email, push and page touches together (one fatigue ledger). 0–24 (clamped);
    /// default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_day: Option<u32>,
    /// Messages in any 7 days, all channels together. 0–100 (clamped); default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_week: Option<u32>,
    /// Hours between two sends (email or push), before or after. 0–168 (clamped); default 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_gap_hours: Option<f64>,
    /// The shop's quiet hours in the shopper's local time (`{ start: "21:00", end: "08:00" }`, the default);
    /// wraps past midnight; `start` = `end` turns them off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet_hours: Option<DailyWindow>,
    /// When the shop can send, in its own zone (`{ start, end, utcOffsetMinutes? }`). Default none (always).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_window: Option<CapacityWindow>,
    /// What a page touch counts toward the caps, a send being 1. 0–1 (clamped); default 0.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_weight: Option<f64>,
    /// Welcome messages the shop's caps never hold back (the shopper's own caps and quiet hours still hold).
    /// 0–10 (clamped); default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome_floor: Option<u32>,
    /// How long after `subscribedAt` the welcome floor lasts, in days. 1–90 (clamped); default 14.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome_days: Option<f64>,
    /// How far ahead a send may be planned, in hours. 1–168 (clamped); default 24.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon_hours: Option<u32>,
    /// How many clicks' worth the population prior of reading hours is worth. 0–1000 (clamped); default 8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_strength: Option<f64>,
    /// Half-life of an open's or a click's weight, in days. 7–730 (clamped); default 90.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_life_days: Option<f64>,
    /// An open's weight, a click being 1 (privacy proxies open everything). 0–1 (clamped); default 0.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_weight: Option<f64>,
    /// Only `consent.<channel>: true` allows a send (absent consent then means no). Default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explicit_consent: Option<bool>,
}

/// Readers open email through the day: a morning peak, lunch, and an evening peak; little at night. Relative
/// weights per local hour 00..23 (normalised before use), the same every day of the week.
pub const DEFAULT_PRIOR_HOURS: [f64; 24] = [
    1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 4.0, 7.0, 9.0, 9.0, 8.0, 7.0, 8.0, 7.0, 6.0, 6.0, 7.0, 8.0, 9.0, 9.0, 8.0, 6.0, 4.0,
    2.0,
];

/// Every knob of the send policy, resolved and clamped.
#[derive(Debug, Clone, PartialEq)]
pub struct SendSettings {
    /// `maxPerDay`: messages in any 24 hours, email, push and page touches together (one fatigue ledger).
    /// Range 0..=24 (clamped). Default 1.
    pub max_per_day: u32,
    /// `maxPerWeek`: messages in any 7 days, all channels together. Range 0..=100 (clamped). Default 3.
    pub max_per_week: u32,
    /// `minGapHours`: hours between two sends (email or push), before or after. Range 0..=168 (clamped). Default 20.
    pub min_gap_ms: i64,
    /// `quietHours`: the shop's quiet hours in the shopper's local time; the shopper's own `preferences.quietHours`
    /// apply as well. Default 21:00–08:00. `{"start":"00:00","end":"00:00"}` turns them off.
    pub quiet_hours: DailyWindow,
    /// `capacityWindow`: when the shop can send at all, in its own zone. Default none (any time).
    pub capacity: Option<(DailyWindow, i32)>,
    /// `pageWeight`: what one marketing touch on the page counts toward the caps, a send being 1. Range 0..=1
    /// (clamped, in hundredths). Default 0.5.
    pub page_weight: i64,
    /// `welcomeFloor`: this many welcome messages are never held back by the shop's daily and weekly caps
    /// (`maxPerDay`, `maxPerWeek`). The shopper's own caps (`preferences.messageCaps`) and quiet hours, consent, the
    /// shop's quiet hours, the minimum gap and the capacity window still apply. Range 0..=10 (clamped). Default 3.
    pub welcome_floor: u32,
    /// `welcomeDays`: the floor lasts this many days after `subscribedAt`. Range 1..=90 (clamped). Default 14.
    pub welcome_ms: i64,
    /// `horizonHours`: how far ahead a send may be planned; nothing allowed within it means suppressed.
    /// Range 1..=168 (clamped). Default 24.
    pub horizon_ms: i64,
    /// `priorStrength`: how many clicks' worth of evidence the population prior is worth. Range 0..=1000 (clamped).
    /// Default 8.
    pub prior_strength: f64,
    /// The population prior: [`DEFAULT_PRIOR_HOURS`], normalised to sum 1 (not a knob yet: a shop's own curve
    /// would come from its aggregate model).
    pub prior_hours: Vec<f64>,
    /// `halfLifeDays`: half-life of an open's or click's weight. Range 7..=730 (clamped). Default 90.
    pub half_life_days: f64,
    /// `openWeight`: an open's weight, a click being 1 (opens are inflated by privacy proxies). Range 0..=1
    /// (clamped). Default 0.5.
    pub open_weight: f64,
    /// `explicitConsent`: when true, only `consent.email: true` (or `push: true`) allows a send; when false (the
    /// default, as in the rest of the API) an absent consent counts as given and only `false` suppresses.
    pub explicit_consent: bool,
}

impl Default for SendSettings {
    fn default() -> Self {
        let sum: f64 = DEFAULT_PRIOR_HOURS.iter().sum();
        SendSettings {
            max_per_day: 1,
            max_per_week: 3,
            min_gap_ms: 20 * MS_PER_HOUR,
            quiet_hours: DailyWindow::new(21 * 60, 8 * 60),
            capacity: None,
            page_weight: 50,
            welcome_floor: 3,
            welcome_ms: 14 * MS_PER_DAY,
            horizon_ms: 24 * MS_PER_HOUR,
            prior_strength: 8.0,
            prior_hours: normalised(&DEFAULT_PRIOR_HOURS, sum),
            half_life_days: 90.0,
            open_weight: 0.5,
            explicit_consent: false,
        }
    }
}

fn normalised(weights: &[f64], sum: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(weights.len());
    for w in weights {
        out.push(w / sum);
    }
    out
}

impl SendSettings {
    pub fn resolve(policy: Option<&SendPolicy>, root: &str) -> Result<SendSettings, Error> {
        let mut s = SendSettings::default();
        let Some(p) = policy else { return Ok(s) };
        let at = |key: &str| join_path(root, key);
        // `max`/`min`, not `clamp`: clamp's assertion would pull float formatting into the wasm build.
        let num = |v: Option<f64>, key: &str, lo: f64, hi: f64| -> Result<Option<f64>, Error> {
            match v {
                Some(v) if !v.is_finite() => Err(Error::invalid(at(key), "must be a finite number")),
                Some(v) => Ok(Some(v.max(lo).min(hi))),
                None => Ok(None),
            }
        };
        if let Some(v) = p.max_per_day {
            s.max_per_day = v.min(24);
        }
        if let Some(v) = p.max_per_week {
            s.max_per_week = v.min(100);
        }
        if let Some(v) = num(p.min_gap_hours, "minGapHours", 0.0, 168.0)? {
            s.min_gap_ms = (v * MS_PER_HOUR as f64).round() as i64;
        }
        if let Some(v) = p.quiet_hours {
            s.quiet_hours = v;
        }
        if let Some(c) = &p.capacity_window {
            let offset = c.utc_offset_minutes.unwrap_or(0);
            if !(-1080..=1080).contains(&offset) {
                return Err(Error::invalid(at("capacityWindow.utcOffsetMinutes"), "must be within ±1080 minutes"));
            }
            s.capacity = Some((DailyWindow { start: c.start, end: c.end }, offset));
        }
        if let Some(v) = num(p.page_weight, "pageWeight", 0.0, 1.0)? {
            s.page_weight = (v * 100.0).round() as i64;
        }
        if let Some(v) = p.welcome_floor {
            s.welcome_floor = v.min(10);
        }
        if let Some(v) = num(p.welcome_days, "welcomeDays", 1.0, 90.0)? {
            s.welcome_ms = (v * MS_PER_DAY as f64).round() as i64;
        }
        if let Some(v) = p.horizon_hours {
            s.horizon_ms = i64::from(v.clamp(1, 168)) * MS_PER_HOUR;
        }
        if let Some(v) = num(p.prior_strength, "priorStrength", 0.0, 1000.0)? {
            s.prior_strength = v;
        }
        if let Some(v) = num(p.half_life_days, "halfLifeDays", 7.0, 730.0)? {
            s.half_life_days = v;
        }
        if let Some(v) = num(p.open_weight, "openWeight", 0.0, 1.0)? {
            s.open_weight = v;
        }
        if let Some(v) = p.explicit_consent {
            s.explicit_consent = v;
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knobs_clamp_to_their_documented_ranges() {
        let p = SendPolicy {
            max_per_day: Some(99),
            max_per_week: Some(1000),
            min_gap_hours: Some(-3.0),
            page_weight: Some(7.0),
            welcome_floor: Some(50),
            welcome_days: Some(0.0),
            horizon_hours: Some(0),
            prior_strength: Some(1e9),
            half_life_days: Some(1.0),
            open_weight: Some(2.0),
            ..SendPolicy::default()
        };
        let s = SendSettings::resolve(Some(&p), "policy").unwrap();
        assert_eq!((s.max_per_day, s.max_per_week, s.min_gap_ms), (24, 100, 0));
        assert_eq!((s.page_weight, s.welcome_floor, s.welcome_ms), (100, 10, MS_PER_DAY));
        assert_eq!((s.horizon_ms, s.prior_strength, s.half_life_days, s.open_weight), (MS_PER_HOUR, 1000.0, 7.0, 1.0));
    }

    #[test]
    fn bad_values_name_their_path() {
        let p = SendPolicy { min_gap_hours: Some(f64::NAN), ..SendPolicy::default() };
        assert_eq!(SendSettings::resolve(Some(&p), "policy").unwrap_err().path, "policy.minGapHours");
        let s = SendSettings::default();
        assert!((s.prior_hours.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}
