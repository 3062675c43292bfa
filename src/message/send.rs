//! `planSend`: when (and whether) to send one message to one shopper.
//!
//! Candidates are `now` and every start of a local hour up to `horizonHours` ahead. A candidate is out when it falls
//! in quiet hours (the shopper's or the shop's), outside the shop's capacity window, within `minGapHours` of another
//! send, or when one more message would break the daily or weekly cap of the one fatigue ledger (email, push and
//! page together). Among the rest, a marketing message goes at the hour the shopper most reads ([`engagement`]),
//! the earliest on ties; a welcome message goes at the earliest. Nothing left: suppressed, with the rules that
//! closed every hour as reasons. No consent for the channel: suppressed with `NO_CONSENT` before anything else.
//!
//! Two sets of caps apply: the shop's (`policy.maxPerDay`, `maxPerWeek`) and the shopper's own
//! (`preferences.messageCaps`), which can only lower the shop's. The welcome floor: while the shopper is within
//! `welcomeDays` of `subscribedAt` and fewer than `welcomeFloor` welcome messages went out, a welcome message is not
//! held back by the shop's caps, so a busy week of other mail never starves a new subscriber of what they signed up
//! for. The floor never lifts the shopper's own caps or quiet hours: what the shopper asked for always holds.
//!
//! [`engagement`]: crate::message::engagement

use crate::contract::codes::{SendCode, Suppression};
use crate::contract::error::Error;
use crate::contract::input::{Consent, Preferences};
use crate::contract::time::{Timestamp, MS_PER_DAY, MS_PER_HOUR};
use crate::message::engagement::{self, EngagementEvent, ModelKnobs};
pub use crate::message::ledger::{Channel, Purpose};
use crate::message::ledger::{Ledger, LedgerEntry, MessageCaps, SEND_WEIGHT};
use crate::message::send_policy::{SendPolicy, SendSettings};
use crate::message::window::{hour_of_week, minute_of_day, next_local_hour, DailyWindow};
use crate::message::{push_hhmm, push_int};
use serde::{Deserialize, Serialize};

/// Everything `planSend` needs: the shopper's engagement and ledger, their preferences, the shop's policy, the clock.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SendRequest {
    /// Required: the engine never reads a clock.
    #[cfg_attr(test, ts(type = "Timestamp"))]
    pub now: Timestamp,
    /// Default `email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// Default `marketing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
    /// The shopper's own message events (sent, opened, clicked), any channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement: Option<Vec<EngagementEvent>>,
    /// The fatigue ledger: sends and page touches not already among `engagement`'s `sent` events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger: Option<Vec<LedgerEntry>>,
    /// Consent (`consent.email`, `consent.push`), `quietHours` and `messageCaps` are read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferences: Option<Preferences>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<SendPolicy>,
    /// The shopper's UTC offset at `now`, ±1080 minutes. Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_minutes: Option<i32>,
    /// When the shopper subscribed: starts the welcome floor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(type = "Timestamp"))]
    pub subscribed_at: Option<Timestamp>,
}

/// A reason for a send plan, in words the shopper (or the marketer) reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SendReason {
    pub code: SendCode,
    pub text: String,
}

/// A send time with its reasons, or a suppression code with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(untagged)]
pub enum SendPlan {
    Send {
        /// Epoch milliseconds.
        #[serde(rename = "sendAt")]
        #[cfg_attr(test, ts(rename = "sendAt", type = "number"))]
        send_at: Timestamp,
        reasons: Vec<SendReason>,
    },
    Suppressed {
        /// `NO_CONSENT`, `FATIGUE` (caps or the minimum gap leave no hour within the horizon) or `NO_WINDOW` (quiet
        /// hours and the capacity window leave none).
        suppressed: Suppression,
        reasons: Vec<SendReason>,
    },
}

// Why a candidate hour is out, as bits.
const QUIET_SHOPPER: u8 = 1;
const QUIET_SHOP: u8 = 2;
const CAPACITY: u8 = 4;
const MIN_GAP: u8 = 8;
const DAILY_CAP: u8 = 16;
const WEEKLY_CAP: u8 = 32;
const FATIGUE: u8 = MIN_GAP | DAILY_CAP | WEEKLY_CAP;

/// Most engagement events, and most ledger entries, in one request.
pub const MAX_EVENTS: usize = 50_000;

pub fn plan(req: &SendRequest) -> Result<SendPlan, Error> {
    crate::read::limits::check_list(req.engagement.as_ref().map_or(0, Vec::len), MAX_EVENTS, "engagement")?;
    crate::read::limits::check_list(req.ledger.as_ref().map_or(0, Vec::len), MAX_EVENTS, "ledger")?;
    let s = SendSettings::resolve(req.policy.as_ref(), "policy")?;
    let offset = req.utc_offset_minutes.unwrap_or(0);
    if !(-1080..=1080).contains(&offset) {
        return Err(Error::invalid("utcOffsetMinutes", "must be within ±1080 minutes"));
    }
    let channel = req.channel.unwrap_or_default();
    let purpose = req.purpose.unwrap_or_default();
    let no_prefs = Preferences::default();
    let prefs = req.preferences.as_ref().unwrap_or(&no_prefs);
    if let Some(refused) = no_consent(prefs, channel, &s) {
        return Ok(refused);
    }

    let now = req.now.millis();
    let engagement = req.engagement.as_deref().unwrap_or(&[]);
    let ledger = Ledger::build(req.ledger.as_deref().unwrap_or(&[]), engagement, s.page_weight);
    let caps = prefs.message_caps.as_ref().unwrap_or(&MessageCaps { per_day: None, per_week: None });
    let welcomes = ledger.welcomes_sent();
    let floor = purpose == Purpose::Welcome
        && welcomes < s.welcome_floor
        && req.subscribed_at.is_some_and(|t| now >= t.millis() && now - t.millis() <= s.welcome_ms);
    let knobs = ModelKnobs {
        open_weight: s.open_weight,
        half_life_days: s.half_life_days,
        prior_strength: s.prior_strength,
        prior_hours: &s.prior_hours,
    };
    let model = engagement::model(engagement, channel, now, offset, &knobs);
    let rules = Rules {
        quiet_shopper: prefs.quiet_hours,
        quiet_shop: s.quiet_hours,
        capacity: s.capacity,
        min_gap: s.min_gap_ms,
        per_day: Cap::new(caps.per_day, s.max_per_day, floor),
        per_week: Cap::new(caps.per_week, s.max_per_week, floor),
    };

    // Candidates in time order, with what closes each and its score; the best open one is the plan.
    let candidates =
        candidate_hours(now, now.saturating_add(s.horizon_ms), offset, purpose, &model.score, &rules, &ledger);
    let mut best: Option<(i64, u8, f64)> = None;
    for &c in &candidates {
        if c.1 == 0 && best.is_none_or(|b| c.2 > b.2) {
            best = Some(c);
        }
    }
    let Some((send_at, _, score)) = best else {
        return Ok(nothing_open(&candidates, &rules, &s));
    };

    let mut reasons = vec![when_reason(purpose, send_at, offset, model.own_share)];
    if floor {
        let mut text = String::from("Not held back by the shop's caps: welcome message ");
        push_int(&mut text, i64::from(welcomes) + 1);
        text.push_str(" of ");
        push_int(&mut text, i64::from(s.welcome_floor));
        text.push('.');
        reasons.push(reason(SendCode::WelcomeFloor, text));
    }
    // The rules that closed a better (or, for a welcome, an earlier) hour: the ones that shaped this plan.
    let moved = candidates
        .iter()
        .filter(|c| c.1 != 0 && (c.2 > score || (purpose == Purpose::Welcome && c.0 < send_at)))
        .fold(0, |m, c| m | c.1);
    reasons.extend(rule_reasons(moved, &rules, &s));
    Ok(SendPlan::Send { send_at: Timestamp(send_at), reasons })
}

/// Without consent for the channel (given, or not required by the policy), nothing is planned.
fn no_consent(prefs: &Preferences, channel: Channel, s: &SendSettings) -> Option<SendPlan> {
    let no_consent = Consent::default();
    let consent = prefs.consent.as_ref().unwrap_or(&no_consent);
    let given = match channel {
        Channel::Email => consent.email,
        Channel::Push => consent.push,
    };
    if given.unwrap_or(!s.explicit_consent) {
        return None;
    }
    let text = match channel {
        Channel::Email => "You have not agreed to emails.",
        Channel::Push => "You have not agreed to push messages.",
    };
    Some(suppressed(Suppression::NoConsent, vec![reason(SendCode::NoConsent, text.to_string())]))
}

/// Every local hour from `now` to `end`: (instant, the rules that close it as bits, its score — the shopper's
/// engagement at that hour of the week for marketing, 0 for a welcome, which goes as soon as allowed).
fn candidate_hours(
    now: i64,
    end: i64,
    offset: i32,
    purpose: Purpose,
    score: &[f64],
    rules: &Rules,
    ledger: &Ledger,
) -> Vec<(i64, u8, f64)> {
    let mut t = now;
    let mut candidates: Vec<(i64, u8, f64)> = Vec::with_capacity(170);
    while t <= end {
        let s = match purpose {
            Purpose::Welcome => 0.0,
            Purpose::Marketing => score.get(hour_of_week(t, offset)).copied().unwrap_or(0.0),
        };
        candidates.push((t, rules.closed(t, offset, ledger), s));
        t = next_local_hour(t, offset);
    }
    candidates
}

/// Every hour of the horizon closed: suppressed, with the rules that closed them. When caps or the gap close every
/// hour, they are the reason; quiet hours closing some too is noise.
fn nothing_open(candidates: &[(i64, u8, f64)], rules: &Rules, s: &SendSettings) -> SendPlan {
    let closed = candidates.iter().fold(0, |m, c| m | c.1);
    let fatigued = candidates.iter().all(|c| c.1 & FATIGUE != 0);
    let closed = if fatigued { closed & FATIGUE } else { closed };
    let (code, why) = if closed & FATIGUE != 0 {
        (SendCode::Fatigue, Suppression::Fatigue)
    } else {
        (SendCode::NoWindow, Suppression::NoWindow)
    };
    let mut reasons = rule_reasons(closed, rules, s);
    let mut text = String::from("Nothing sent in the next ");
    push_int(&mut text, s.horizon_ms / MS_PER_HOUR);
    text.push_str(" hours: every hour is closed by the rules below.");
    reasons.insert(0, reason(code, text));
    suppressed(why, reasons)
}

/// Why this hour: a welcome goes as soon as allowed; marketing at the shopper's best hour, or the readers' best
/// while the shopper's own history is thin (under half of the model's weight).
fn when_reason(purpose: Purpose, send_at: i64, offset: i32, own_share: f64) -> SendReason {
    let minute = u32::from(minute_of_day(send_at, offset));
    match purpose {
        Purpose::Welcome => {
            let mut text = String::from("Sent as soon as allowed (");
            push_hhmm(&mut text, minute);
            text.push_str(" your time): a welcome message you signed up for.");
            reason(SendCode::Welcome, text)
        }
        Purpose::Marketing => {
            let own = own_share >= 0.5;
            let mut text = String::from("Sent at ");
            push_hhmm(&mut text, minute);
            text.push_str(if own {
                " your time: when you usually open and click."
            } else {
                " your time: a good hour for most readers, until we learn yours."
            });
            reason(if own { SendCode::BestHour } else { SendCode::PriorHour }, text)
        }
    }
}

struct Rules {
    quiet_shopper: Option<DailyWindow>,
    quiet_shop: DailyWindow,
    capacity: Option<(DailyWindow, i32)>,
    min_gap: i64,
    per_day: Option<Cap>,
    per_week: Option<Cap>,
}

/// The cap that binds for one window: the lower of the shopper's own and the shop's, or under the welcome floor
/// the shopper's own alone (none when they set none).
#[derive(Clone, Copy)]
struct Cap {
    /// In hundredths, as the ledger's weights.
    limit: i64,
    /// The shopper's own cap (`preferences.messageCaps`) binds, not the shop's.
    own: bool,
}

impl Cap {
    fn new(own: Option<u32>, shop: u32, floor: bool) -> Option<Cap> {
        let cap = |n: u32, own| Cap { limit: i64::from(n) * SEND_WEIGHT, own };
        match own {
            // Equal caps are the shopper's: their wish is what the plan keeps.
            Some(o) if floor || o <= shop => Some(cap(o, true)),
            _ if floor => None,
            _ => Some(cap(shop, false)),
        }
    }

    /// One more message within `window` of `t` would break the cap.
    fn closes(cap: Option<Cap>, ledger: &Ledger, t: i64, window: i64) -> bool {
        cap.is_some_and(|c| ledger.weight_near(t, window) + SEND_WEIGHT > c.limit)
    }
}

impl Rules {
    /// What closes a send at `t` (0: open).
    fn closed(&self, t: i64, offset: i32, ledger: &Ledger) -> u8 {
        let minute = minute_of_day(t, offset);
        let mut why = 0;
        if self.quiet_shopper.is_some_and(|w| w.contains(minute)) {
            why |= QUIET_SHOPPER;
        }
        if self.quiet_shop.contains(minute) {
            why |= QUIET_SHOP;
        }
        if self.capacity.is_some_and(|(w, o)| !w.contains(minute_of_day(t, o))) {
            why |= CAPACITY;
        }
        if self.min_gap > 0 && ledger.nearest_send(t).is_some_and(|d| d < self.min_gap) {
            why |= MIN_GAP;
        }
        if Cap::closes(self.per_day, ledger, t, MS_PER_DAY) {
            why |= DAILY_CAP;
        }
        if Cap::closes(self.per_week, ledger, t, 7 * MS_PER_DAY) {
            why |= WEEKLY_CAP;
        }
        why
    }
}

fn rule_reasons(bits: u8, r: &Rules, s: &SendSettings) -> Vec<SendReason> {
    let mut out = Vec::new();
    let window = |prefix: &str, w: &DailyWindow, suffix: &str| {
        let mut text = String::from(prefix);
        push_hhmm(&mut text, u32::from(w.start.0));
        text.push('–');
        push_hhmm(&mut text, u32::from(w.end.0));
        text.push_str(suffix);
        text
    };
    if let Some(w) = r.quiet_shopper.filter(|_| bits & QUIET_SHOPPER != 0) {
        out.push(reason(SendCode::QuietHours, window("Not in your quiet hours (", &w, ").")));
    }
    if bits & QUIET_SHOP != 0 {
        out.push(reason(SendCode::QuietHours, window("Not at night (", &r.quiet_shop, " your time).")));
    }
    if let Some((w, _)) = r.capacity.filter(|_| bits & CAPACITY != 0) {
        out.push(reason(SendCode::CapacityWindow, window("Inside the shop's sending window (", &w, ").")));
    }
    if bits & MIN_GAP != 0 {
        let mut text = String::from("At least ");
        push_int(&mut text, (s.min_gap_ms + MS_PER_HOUR / 2) / MS_PER_HOUR);
        text.push_str(" hours between two messages.");
        out.push(reason(SendCode::MinGap, text));
    }
    for (bit, code, cap, span) in
        [(DAILY_CAP, SendCode::DailyCap, r.per_day, "a day"), (WEEKLY_CAP, SendCode::WeeklyCap, r.per_week, "a week")]
    {
        // Each window has one binding cap, the shopper's own or the shop's: its text says whose.
        let Some(cap) = cap.filter(|_| bits & bit != 0) else { continue };
        let n = cap.limit / SEND_WEIGHT;
        let mut text = String::new();
        if n == 0 {
            text.push_str("No messages");
        } else {
            text.push_str("At most ");
            push_int(&mut text, n);
            text.push_str(if n == 1 { " message" } else { " messages" });
        }
        text.push(' ');
        text.push_str(span);
        text.push_str(if cap.own {
            ", as you asked (email, push and site together)."
        } else {
            ", email, push and site together."
        });
        out.push(reason(code, text));
    }
    out
}

fn reason(code: SendCode, text: String) -> SendReason {
    SendReason { code, text }
}

fn suppressed(code: Suppression, reasons: Vec<SendReason>) -> SendPlan {
    SendPlan::Suppressed { suppressed: code, reasons }
}
