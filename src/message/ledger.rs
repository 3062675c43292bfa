//! One fatigue ledger: every message and marketing touch the shopper received, whatever the channel. Email and push
//! sends count one each; a marketing touch on the page (a pop-up, an on-site message) counts `pageWeight`. The caps
//! of `planSend` are read from this one ledger, so email cannot use up push's room and the site cannot spam around
//! both.
//!
//! The ledger is the request's `ledger` entries plus its `sent` engagement events. A send recorded in both (the same
//! `id`) counts once; entries without an `id` always count, so recording a send twice without ids errs on the side
//! of sending less.

use crate::contract::time::Timestamp;
use crate::message::engagement::{EngagementEvent, EngagementType};
use crate::util::order;
use rustc_hash::FxHashSet;
use serde::Serialize;

pub use crate::contract::schedule::MessageCaps;
pub use crate::message::channel::{Channel, LedgerChannel, Purpose};

/// One touch of the fatigue ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    pub channel: LedgerChannel,
    #[cfg_attr(test, ts(type = "Timestamp"))]
    pub at: Timestamp,
    /// Default `marketing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
    /// The message's id: a `sent` engagement event with the same id is the same send, counted once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// Weights are in hundredths, so sums are exact: a send is 100, a page touch `pageWeight × 100`.
pub const SEND_WEIGHT: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Touch {
    pub at: i64,
    pub channel: LedgerChannel,
    pub purpose: Purpose,
}

/// The merged ledger, sorted by time, with prefix sums of weights for window counts.
#[derive(Debug, Default)]
pub struct Ledger {
    pub touches: Vec<Touch>,
    prefix: Vec<i64>,
    sends: Vec<i64>,
}

impl Ledger {
    pub fn build<'a>(entries: &'a [LedgerEntry], engagement: &'a [EngagementEvent], page_weight: i64) -> Ledger {
        let mut seen: FxHashSet<&'a str> = FxHashSet::default();
        let mut touches = Vec::with_capacity(entries.len());
        let mut add = |at: Timestamp, channel, purpose: Option<Purpose>, id: Option<&'a String>| {
            if let Some(id) = id {
                if !seen.insert(id.as_str()) {
                    return;
                }
            }
            touches.push(Touch { at: at.millis(), channel, purpose: purpose.unwrap_or_default() });
        };
        for e in entries {
            add(e.at, e.channel, e.purpose, e.id.as_ref());
        }
        for e in engagement.iter().filter(|e| e.kind == EngagementType::Sent) {
            add(e.at, e.channel.into(), e.purpose, e.id.as_ref());
        }
        let mut keys: Vec<order::Key> = Vec::with_capacity(touches.len());
        for (i, t) in touches.iter().enumerate() {
            keys.push((t.at, 0, i as u32));
        }
        order::sort_keys(&mut keys);
        let touches = order::permute(touches, &keys);
        let mut prefix = Vec::with_capacity(touches.len() + 1);
        let mut sum = 0;
        prefix.push(0);
        for t in &touches {
            sum += if t.channel == LedgerChannel::Page { page_weight } else { SEND_WEIGHT };
            prefix.push(sum);
        }
        let mut sends = Vec::with_capacity(touches.len());
        for t in touches.iter().filter(|t| t.channel != LedgerChannel::Page) {
            sends.push(t.at);
        }
        Ledger { touches, prefix, sends }
    }

    /// Weight (hundredths) of the touches strictly within `window` ms of `t`, before or after. Counting both sides
    /// makes a cap hold for every window of that length that contains `t`, also with sends already scheduled.
    pub fn weight_near(&self, t: i64, window: i64) -> i64 {
        let lo = self.touches.partition_point(|x| x.at <= t.saturating_sub(window));
        let hi = self.touches.partition_point(|x| x.at < t.saturating_add(window));
        let at = |i: usize| self.prefix.get(i).copied().unwrap_or(0);
        if hi > lo {
            at(hi) - at(lo)
        } else {
            0
        }
    }

    /// Distance in ms from `t` to the nearest email or push send, before or after.
    pub fn nearest_send(&self, t: i64) -> Option<i64> {
        let i = self.sends.partition_point(|&x| x < t);
        let after = self.sends.get(i).map(|&x| x - t);
        let before = i.checked_sub(1).and_then(|j| self.sends.get(j)).map(|&x| t - x);
        match (before, after) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Welcome messages already sent (email or push).
    pub fn welcomes_sent(&self) -> u32 {
        self.touches.iter().filter(|t| t.channel != LedgerChannel::Page && t.purpose == Purpose::Welcome).count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::ledger::Channel;

    fn entry(channel: LedgerChannel, at: i64, id: Option<&str>) -> LedgerEntry {
        LedgerEntry { channel, at: Timestamp(at), purpose: None, id: id.map(String::from) }
    }

    #[test]
    fn one_send_recorded_twice_with_its_id_counts_once() {
        let sent = EngagementEvent {
            kind: EngagementType::Sent,
            channel: Channel::Email,
            at: Timestamp(1000),
            id: Some("m1".into()),
            purpose: None,
        };
        let opened = EngagementEvent { kind: EngagementType::Opened, ..sent.clone() };
        let l = Ledger::build(&[entry(LedgerChannel::Email, 1000, Some("m1"))], &[sent.clone(), opened], 50);
        assert_eq!(l.touches.len(), 1, "opens are not touches; the same id is one send");
        let l = Ledger::build(&[entry(LedgerChannel::Email, 1000, None)], &[sent], 50);
        assert_eq!(l.touches.len(), 2, "without ids both count: the safe side");
    }

    #[test]
    fn windows_count_both_sides_and_weigh_page_touches() {
        let l = Ledger::build(
            &[
                entry(LedgerChannel::Email, 0, None),
                entry(LedgerChannel::Page, 50, None),
                entry(LedgerChannel::Push, 100, None),
                entry(LedgerChannel::Email, 300, None),
            ],
            &[],
            50,
        );
        assert_eq!(l.weight_near(100, 100), 150, "page 50 and push at 100; 0 and 200 are not strictly within");
        assert_eq!(l.weight_near(100, 1000), 350);
        assert_eq!(l.weight_near(10_000, 100), 0);
        assert_eq!(l.nearest_send(120), Some(20));
        assert_eq!(l.nearest_send(-5), Some(5));
        assert_eq!(Ledger::default().nearest_send(0), None);
    }
}
