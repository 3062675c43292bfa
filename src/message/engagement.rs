//! The send-time model: which hour of the week this shopper reads, from their own opens and clicks, smoothed toward
//! a population prior while their data is thin.
//!
//! Each open or click adds its weight (a click 1, an open `openWeight`: Apple Mail Privacy Protection fetches every
//! message at arbitrary times, so opens are weak evidence) times `0.5^(age / halfLifeDays)` to its hour of the
//! shopper's local week. The shopper's own curve is half that hour-of-week histogram (each hour shared with its
//! neighbours, 1/4 each side) and half the hour-of-day histogram spread over the seven days (weekdays look alike).
//! With `E` their total weight and `k` the policy's `priorStrength`, the score of an hour is
//! `(own(h) + k · prior(h)) / (E + k)`: a new subscriber gets the prior, a reader with many clicks their own hours.
//!
//! Opens cluster shortly after past sends, so the model partly learns the shop's own habits; the prior and the
//! neighbour smoothing keep untried hours in play.

use crate::contract::time::{Timestamp, MS_PER_DAY};
use crate::message::channel::{Channel, Purpose};
use crate::message::window::{hour_of_week, WEEK_HOURS};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum EngagementType {
    Sent,
    Opened,
    Clicked,
}

/// One message event of the shopper's history, recorded locally by the page.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct EngagementEvent {
    #[serde(rename = "type")]
    pub kind: EngagementType,
    pub channel: Channel,
    #[cfg_attr(test, ts(type = "Timestamp"))]
    pub at: Timestamp,
    /// The message's id: ties a `sent` event to a ledger entry of the same send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// For `sent` events: default `marketing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
}

/// Scores of the 168 hours of the local week (Monday 00:00 first) and how much of them is the shopper's own.
#[derive(Debug, Clone)]
pub struct HourModel {
    pub score: Vec<f64>,
    /// `E / (E + k)`: 0 with no data of their own, toward 1 with plenty.
    pub own_share: f64,
}

pub struct ModelKnobs<'a> {
    pub open_weight: f64,
    pub half_life_days: f64,
    pub prior_strength: f64,
    /// 24 weights, one per hour of the day, summing to 1.
    pub prior_hours: &'a [f64],
}

/// Events of the other channel count half: people read email and push at related but different times.
const OTHER_CHANNEL: f64 = 0.5;

pub fn model(events: &[EngagementEvent], channel: Channel, now: i64, offset: i32, k: &ModelKnobs<'_>) -> HourModel {
    let mut raw = vec![0.0; WEEK_HOURS];
    let mut total = 0.0;
    for e in events {
        let base = match e.kind {
            EngagementType::Sent => continue,
            EngagementType::Opened => k.open_weight,
            EngagementType::Clicked => 1.0,
        };
        let at = e.at.millis();
        if at > now {
            continue;
        }
        let age_days = (now - at) as f64 / MS_PER_DAY as f64;
        let w =
            base * if e.channel == channel { 1.0 } else { OTHER_CHANNEL } * 0.5f64.powf(age_days / k.half_life_days);
        if let Some(slot) = raw.get_mut(hour_of_week(at, offset)) {
            *slot += w;
            total += w;
        }
    }
    let get = |v: &[f64], i: usize| v.get(i % WEEK_HOURS).copied().unwrap_or(0.0);
    let mut smooth = Vec::with_capacity(WEEK_HOURS);
    for h in 0..WEEK_HOURS {
        smooth.push(0.5 * get(&raw, h) + 0.25 * get(&raw, h + WEEK_HOURS - 1) + 0.25 * get(&raw, h + 1));
    }
    let mut by_hour = [0.0; 24];
    for (h, v) in smooth.iter().enumerate() {
        if let Some(slot) = by_hour.get_mut(h % 24) {
            *slot += v;
        }
    }
    let denom = total + k.prior_strength;
    let mut score = Vec::with_capacity(WEEK_HOURS);
    for h in 0..WEEK_HOURS {
        let own = 0.5 * get(&smooth, h) + 0.5 * by_hour.get(h % 24).copied().unwrap_or(0.0) / 7.0;
        let prior = k.prior_hours.get(h % 24).copied().unwrap_or(0.0) / 7.0;
        score.push(if denom > 0.0 { (own + k.prior_strength * prior) / denom } else { 0.0 });
    }
    HourModel { score, own_share: if denom > 0.0 { total / denom } else { 0.0 } }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::time::MS_PER_HOUR;

    fn ev(kind: EngagementType, at: i64) -> EngagementEvent {
        EngagementEvent { kind, channel: Channel::Email, at: Timestamp(at), id: None, purpose: None }
    }

    fn knobs(prior: &[f64]) -> ModelKnobs<'_> {
        ModelKnobs { open_weight: 0.5, half_life_days: 90.0, prior_strength: 8.0, prior_hours: prior }
    }

    fn best(m: &HourModel) -> usize {
        (0..WEEK_HOURS).fold(0, |b, h| if m.score[h] > m.score[b] { h } else { b })
    }

    #[test]
    fn no_data_is_the_prior_and_many_clicks_are_the_shopper() {
        let mut prior = [1.0 / 48.0; 24];
        prior[10] += 0.5;
        let prior: Vec<f64> = prior.iter().map(|p| p / prior.iter().sum::<f64>()).collect();
        let monday = Timestamp::parse_iso("2024-05-06T00:00:00Z").unwrap().millis();
        let now = monday + 7 * MS_PER_DAY;
        let empty = model(&[], Channel::Email, now, 0, &knobs(&prior));
        assert_eq!(best(&empty) % 24, 10);
        assert_eq!(empty.own_share, 0.0);
        // Clicks on Monday and Tuesday evenings at 20:00.
        let clicks: Vec<EngagementEvent> = (0..20)
            .map(|i| ev(EngagementType::Clicked, monday + (i % 2) * MS_PER_DAY + 20 * MS_PER_HOUR + i * 60_000))
            .collect();
        let m = model(&clicks, Channel::Email, now, 0, &knobs(&prior));
        assert!(best(&m) == 20 || best(&m) == 24 + 20, "{}", best(&m));
        assert!(m.own_share > 0.6);
        // Sends are not engagement; future events are ignored.
        let m = model(
            &[ev(EngagementType::Sent, monday), ev(EngagementType::Clicked, now + 1)],
            Channel::Email,
            now,
            0,
            &knobs(&prior),
        );
        assert_eq!(m.own_share, 0.0);
    }
}
