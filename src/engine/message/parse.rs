//! Readers for the messaging requests, the same way `engine/parse.rs` reads every other input: exact paths in
//! errors, unknown keys refused. Field names match the serde names the TypeScript types are generated from.

use crate::engine::error::Error;
use crate::engine::input::SensitivityClass;
use crate::engine::message::engagement::{EngagementEvent, EngagementType};
use crate::engine::message::holdout::HoldoutRequest;
use crate::engine::message::ledger::{Channel, LedgerChannel, LedgerEntry, MessageCaps, Purpose};
use crate::engine::message::lift::{Arm, LiftRequest};
use crate::engine::message::lint::{Fact, FactMap, FactSource, FactValue, LintRequest};
use crate::engine::message::lint_policy::LintPolicy;
use crate::engine::message::segments::SegmentRequest;
use crate::engine::message::send::SendRequest;
use crate::engine::message::send_policy::{CapacityWindow, SendPolicy};
use crate::engine::message::window::{DailyWindow, LocalTime};
use crate::engine::message::words::LintClass;
use crate::engine::value::{string_enum, FromValue, Obj, Path, Value};

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

impl FromValue for DailyWindow {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["start", "end"])?;
        Ok(DailyWindow { start: o.req("start")?, end: o.req("end")? })
    }
}

impl FromValue for MessageCaps {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["perDay", "perWeek"])?;
        Ok(MessageCaps { per_day: o.opt("perDay")?, per_week: o.opt("perWeek")? })
    }
}

fn check_id(id: &Option<String>, path: &Path<'_>) -> Result<(), Error> {
    if let Some(id) = id {
        crate::engine::limits::check_id(id, &Path::Key(path, "id").render())?;
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
        check_id(&e.id, path)?;
        Ok(e)
    }
}

impl FromValue for LedgerEntry {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["channel", "at", "purpose", "id"])?;
        let e =
            LedgerEntry { channel: o.req("channel")?, at: o.req("at")?, purpose: o.opt("purpose")?, id: o.opt("id")? };
        check_id(&e.id, path)?;
        Ok(e)
    }
}

impl FromValue for CapacityWindow {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["start", "end", "utcOffsetMinutes"])?;
        Ok(CapacityWindow {
            start: o.req("start")?,
            end: o.req("end")?,
            utc_offset_minutes: o.opt("utcOffsetMinutes")?,
        })
    }
}

pub const SEND_POLICY_KEYS: [&str; 13] = [
    "maxPerDay",
    "maxPerWeek",
    "minGapHours",
    "quietHours",
    "capacityWindow",
    "pageWeight",
    "welcomeFloor",
    "welcomeDays",
    "horizonHours",
    "priorStrength",
    "halfLifeDays",
    "openWeight",
    "explicitConsent",
];

impl FromValue for SendPolicy {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &SEND_POLICY_KEYS)?;
        Ok(SendPolicy {
            max_per_day: o.opt("maxPerDay")?,
            max_per_week: o.opt("maxPerWeek")?,
            min_gap_hours: o.opt("minGapHours")?,
            quiet_hours: o.opt("quietHours")?,
            capacity_window: o.opt("capacityWindow")?,
            page_weight: o.opt("pageWeight")?,
            welcome_floor: o.opt("welcomeFloor")?,
            welcome_days: o.opt("welcomeDays")?,
            horizon_hours: o.opt("horizonHours")?,
            prior_strength: o.opt("priorStrength")?,
            half_life_days: o.opt("halfLifeDays")?,
            open_weight: o.opt("openWeight")?,
            explicit_consent: o.opt("explicitConsent")?,
        })
    }
}

impl FromValue for SendRequest {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(
            v,
            path,
            &[
                "now",
                "channel",
                "purpose",
                "engagement",
                "ledger",
                "preferences",
                "policy",
                "utcOffsetMinutes",
                "subscribedAt",
            ],
        )?;
        Ok(SendRequest {
            now: o.req("now")?,
            channel: o.opt("channel")?,
            purpose: o.opt("purpose")?,
            engagement: o.opt("engagement")?,
            ledger: o.opt("ledger")?,
            preferences: o.opt("preferences")?,
            policy: o.opt("policy")?,
            utc_offset_minutes: o.opt("utcOffsetMinutes")?,
            subscribed_at: o.opt("subscribedAt")?,
        })
    }
}

impl FromValue for FactValue {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        match v {
            Value::Str(s) => Ok(FactValue::Text(s.clone())),
            Value::Num(_) => f64::from_value(v, path).map(FactValue::Number),
            other => Err(path.expected("a string or a number", other)),
        }
    }
}

impl FromValue for Fact {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["confirmed", "value", "source"])?;
        Ok(Fact { confirmed: o.opt("confirmed")?, value: o.opt("value")?, source: o.opt("source")? })
    }
}

/// `facts`: free keys, each a [`Fact`].
impl FromValue for FactMap {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let Value::Obj(entries) = v else { return Err(path.expected("an object of facts", v)) };
        let mut out = Vec::with_capacity(entries.len());
        for (k, val) in entries {
            out.push((k.clone(), Fact::from_value(val, &Path::Key(path, k))?));
        }
        Ok(FactMap(out))
    }
}

impl FromValue for LintPolicy {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["nearWords", "priceWords", "sensitiveClasses", "sensitiveWords", "systemTokens"])?;
        Ok(LintPolicy {
            near_words: o.opt("nearWords")?,
            price_words: o.opt("priceWords")?,
            sensitive_classes: o.opt("sensitiveClasses")?,
            sensitive_words: o.opt("sensitiveWords")?,
            system_tokens: o.opt("systemTokens")?,
        })
    }
}

impl FromValue for LintRequest {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["subject", "preheader", "body", "facts", "policy"])?;
        Ok(LintRequest {
            subject: o.req("subject")?,
            preheader: o.opt("preheader")?,
            body: o.opt("body")?,
            facts: o.opt("facts")?,
            policy: o.opt("policy")?,
        })
    }
}

impl FromValue for HoldoutRequest {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["customerKey", "salt", "share"])?;
        Ok(HoldoutRequest { customer_key: o.req("customerKey")?, salt: o.req("salt")?, share: o.req("share")? })
    }
}

impl FromValue for Arm {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["n", "conversions"])?;
        Ok(Arm { n: o.req("n")?, conversions: o.req("conversions")? })
    }
}

impl FromValue for LiftRequest {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["treated", "holdout"])?;
        Ok(LiftRequest { treated: o.req("treated")?, holdout: o.req("holdout")? })
    }
}

impl FromValue for SegmentRequest {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["sizes", "minSize", "customers"])?;
        Ok(SegmentRequest { sizes: o.req("sizes")?, min_size: o.req("minSize")?, customers: o.req("customers")? })
    }
}
