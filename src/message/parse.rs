//! Readers for the messaging requests, the same way `engine/parse.rs` reads every other input: exact paths in
//! errors, unknown keys refused. Field names match the serde names the TypeScript types are generated from.

use crate::contract::error::Error;
use crate::contract::input::SensitivityClass;
use crate::message::engagement::{EngagementEvent, EngagementType};
use crate::message::holdout::HoldoutRequest;
use crate::message::ledger::{Channel, LedgerChannel, LedgerEntry, MessageCaps, Purpose};
use crate::message::lift::{Arm, LiftRequest};
use crate::message::lint::{Fact, FactMap, FactSource, FactValue, LintRequest};
use crate::message::lint_policy::LintPolicy;
use crate::message::segments::SegmentRequest;
use crate::message::send::SendRequest;
use crate::message::send_policy::{CapacityWindow, SendPolicy};
use crate::message::window::{DailyWindow, LocalTime};
use crate::message::words::LintClass;
use crate::read::value::{object_reader, string_enum, FromValue, Obj, Path, Value};

string_enum!(Channel { "email" => Channel::Email, "push" => Channel::Push });
string_enum!(LedgerChannel { "email" => LedgerChannel::Email, "push" => LedgerChannel::Push, "page" => LedgerChannel::Page });
string_enum!(FactSource { "shopper" => FactSource::Shopper, "inferred" => FactSource::Inferred });
string_enum!(Purpose { "marketing" => Purpose::Marketing, "welcome" => Purpose::Welcome });
string_enum!(LintClass {
    "reproductive_health" => LintClass::Product(SensitivityClass::ReproductiveHealth),
    "pregnancy_baby" => LintClass::Product(SensitivityClass::PregnancyBaby),
    "intimate_care" => LintClass::Product(SensitivityClass::IntimateCare),
    "medical" => LintClass::Product(SensitivityClass::Medical),
    "weight_loss" => LintClass::Product(SensitivityClass::WeightLoss),
    "tobacco" => LintClass::Product(SensitivityClass::Tobacco),
    "alcohol" => LintClass::Product(SensitivityClass::Alcohol),
    "adult" => LintClass::Product(SensitivityClass::Adult),
    "financial_distress" => LintClass::Product(SensitivityClass::FinancialDistress),
    "romance" => LintClass::Product(SensitivityClass::Romance),
    "life_events" => LintClass::LifeEvents,
});
string_enum!(EngagementType {
    "sent" => EngagementType::Sent,
    "opened" => EngagementType::Opened,
    "clicked" => EngagementType::Clicked,
});

impl FromValue for LocalTime {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        match v {
            Value::Str(s) => LocalTime::parse(s).map_err(|m| path.invalid(m)),
            other => Err(path.expected("a time of day \"HH:MM\"", other)),
        }
    }
}

object_reader!(DailyWindow {
    start: req "start",
    end: req "end",
});

object_reader!(MessageCaps {
    per_day: opt "perDay",
    per_week: opt "perWeek",
});

fn check_id(id: Option<&String>, path: &Path<'_>) -> Result<(), Error> {
    if let Some(id) = id {
        crate::read::limits::check_id(id, &Path::Key(path, "id").render())?;
    }
    Ok(())
}

impl FromValue for EngagementEvent {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["type", "channel", "at", "id", "purpose"])?;
        let e = EngagementEvent {
            kind: o.req("type")?,
            channel: o.req("channel")?,
            at: o.req("at")?,
            id: o.opt("id")?,
            purpose: o.opt("purpose")?,
        };
        check_id(e.id.as_ref(), path)?;
        Ok(e)
    }
}

impl FromValue for LedgerEntry {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["channel", "at", "purpose", "id"])?;
        let e =
            LedgerEntry { channel: o.req("channel")?, at: o.req("at")?, purpose: o.opt("purpose")?, id: o.opt("id")? };
        check_id(e.id.as_ref(), path)?;
        Ok(e)
    }
}

object_reader!(CapacityWindow {
    start: req "start",
    end: req "end",
    utc_offset_minutes: opt "utcOffsetMinutes",
});

object_reader!(SendPolicy {
    max_per_day: opt "maxPerDay",
    max_per_week: opt "maxPerWeek",
    min_gap_hours: opt "minGapHours",
    quiet_hours: opt "quietHours",
    capacity_window: opt "capacityWindow",
    page_weight: opt "pageWeight",
    welcome_floor: opt "welcomeFloor",
    welcome_days: opt "welcomeDays",
    horizon_hours: opt "horizonHours",
    prior_strength: opt "priorStrength",
    half_life_days: opt "halfLifeDays",
    open_weight: opt "openWeight",
    explicit_consent: opt "explicitConsent",
});

object_reader!(SendRequest {
    now: req "now",
    channel: opt "channel",
    purpose: opt "purpose",
    engagement: opt "engagement",
    ledger: opt "ledger",
    preferences: opt "preferences",
    policy: opt "policy",
    utc_offset_minutes: opt "utcOffsetMinutes",
    subscribed_at: opt "subscribedAt",
});

impl FromValue for FactValue {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        match v {
            Value::Str(s) => Ok(FactValue::Text(s.to_string())),
            Value::Num(_) => f64::from_value(v, path).map(FactValue::Number),
            other => Err(path.expected("a string or a number", other)),
        }
    }
}

object_reader!(Fact {
    confirmed: opt "confirmed",
    value: opt "value",
    source: opt "source",
});

/// `facts`: free keys, each a [`Fact`].
impl FromValue for FactMap {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let Value::Obj(entries) = v else { return Err(path.expected("an object of facts", v)) };
        let mut out = Vec::with_capacity(entries.len());
        for (k, val) in entries {
            out.push((k.to_string(), Fact::from_value(val, &Path::Key(path, k))?));
        }
        Ok(FactMap(out))
    }
}

object_reader!(LintPolicy {
    near_words: opt "nearWords",
    price_words: opt "priceWords",
    sensitive_classes: opt "sensitiveClasses",
    sensitive_words: opt "sensitiveWords",
    system_tokens: opt "systemTokens",
});

object_reader!(LintRequest {
    subject: req "subject",
    preheader: opt "preheader",
    body: opt "body",
    facts: opt "facts",
    policy: opt "policy",
});

object_reader!(HoldoutRequest {
    customer_key: req "customerKey",
    salt: req "salt",
    share: req "share",
});

object_reader!(Arm {
    n: req "n",
    conversions: req "conversions",
});

object_reader!(LiftRequest {
    treated: req "treated",
    holdout: req "holdout",
});

object_reader!(SegmentRequest {
    sizes: req "sizes",
    min_size: req "minSize",
    customers: req "customers",
});
