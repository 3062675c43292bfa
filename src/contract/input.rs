//! What comes in: the catalog's products, the shopper's history, preferences, impressions and the call's context.
//! Field names and meanings are the public contract of `API.md`; keys are camelCase and unknown keys are refused
//! (a typo such as `sharedDevise` must never silently switch a guardrail off).

use crate::contract::time::Timestamp;
use serde::Serialize;

/// Classes of products that reveal something private. Never ranked, never used as evidence without an explicit
/// opt-in for that class (`Preferences::sensitive_opt_in`), never on a shared device or in email/push subject matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SensitivityClass {
    ReproductiveHealth,
    PregnancyBaby,
    IntimateCare,
    Medical,
    WeightLoss,
    Tobacco,
    Alcohol,
    Adult,
    FinancialDistress,
    Romance,
}

impl SensitivityClass {
    pub const ALL: [SensitivityClass; 10] = [
        SensitivityClass::ReproductiveHealth,
        SensitivityClass::PregnancyBaby,
        SensitivityClass::IntimateCare,
        SensitivityClass::Medical,
        SensitivityClass::WeightLoss,
        SensitivityClass::Tobacco,
        SensitivityClass::Alcohol,
        SensitivityClass::Adult,
        SensitivityClass::FinancialDistress,
        SensitivityClass::Romance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SensitivityClass::ReproductiveHealth => "reproductive_health",
            SensitivityClass::PregnancyBaby => "pregnancy_baby",
            SensitivityClass::IntimateCare => "intimate_care",
            SensitivityClass::Medical => "medical",
            SensitivityClass::WeightLoss => "weight_loss",
            SensitivityClass::Tobacco => "tobacco",
            SensitivityClass::Alcohol => "alcohol",
            SensitivityClass::Adult => "adult",
            SensitivityClass::FinancialDistress => "financial_distress",
            SensitivityClass::Romance => "romance",
        }
    }

    pub fn parse(text: &str) -> Option<SensitivityClass> {
        SensitivityClass::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// A small bit index, for bitsets of classes.
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum LifecycleKind {
    /// Bought once and kept for `lifetimeDays` (a fridge): not offered again while owned.
    Durable,
    /// Used up and bought again about every `repurchaseDays` (milk, diapers).
    Consumable,
    /// Bought for a season.
    Seasonal,
    /// No stated rhythm: the safe default when the catalog says nothing.
    #[default]
    Regular,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Lifecycle {
    pub kind: LifecycleKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repurchase_days: Option<f64>,
}

/// One product of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Category path, top level first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Default true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_stock: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(type = "Timestamp"))]
    pub launched_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    /// What an owner owns, e.g. `ipad-pro-11`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_line: Option<String>,
    /// Product lines an accessory fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compatible_with: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<SensitivityClass>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum EventType {
    #[default]
    Purchase,
    Return,
    Cancel,
}

/// One line of the shopper's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub product_id: String,
    #[cfg_attr(test, ts(type = "Timestamp"))]
    pub at: Timestamp,
    /// Default `purchase`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<EventType>,
    /// Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gift: Option<bool>,
    /// An opaque token, never an address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ship_to: Option<String>,
    /// Household member, when the shop knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
}

impl Event {
    pub fn purchase(product_id: &str, at: Timestamp) -> Event {
        Event {
            product_id: product_id.to_string(),
            at,
            kind: None,
            quantity: None,
            price: None,
            order_id: None,
            gift: None,
            ship_to: None,
            member: None,
        }
    }

    pub fn kind(&self) -> EventType {
        self.kind.unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, Hash)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Surface {
    #[default]
    Home,
    Product,
    Cart,
    Email,
    Push,
}

impl Surface {
    pub fn is_message(self) -> bool {
        matches!(self, Surface::Email | Surface::Push)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Home => "home",
            Surface::Product => "product",
            Surface::Cart => "cart",
            Surface::Email => "email",
            Surface::Push => "push",
        }
    }
}

/// A product the page showed the shopper, recorded locally (for `FATIGUE`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Impression {
    pub product_id: String,
    #[cfg_attr(test, ts(type = "Timestamp"))]
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surface: Option<Surface>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clicked: Option<bool>,
}

/// Consent per purpose. Absent means true; `false` means that purpose's personal signals are not used.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personalization: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Muted {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brands: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Intensity {
    Subtle,
    #[default]
    Moderate,
    Strong,
}

/// What the shopper said on the preference-center page.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Preferences {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    /// Sensitive classes the shopper explicitly opted into. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_opt_in: Option<Vec<SensitivityClass>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub muted: Option<Muted>,
    /// Topics to forget: a category name at any level, a sensitivity class, a brand or a product id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forgotten: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_device: Option<bool>,
    /// What the shopper says they like (category names, tags): stated beats inferred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interests: Option<Vec<String>>,
    /// Default `moderate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity: Option<Intensity>,
    /// 0..1: share of room for the new and different. Default: the policy's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery: Option<f64>,
    /// Product ids or order ids the shopper says were for themselves: overrules an inferred gift.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_gifts: Option<Vec<String>>,
    /// When no message may arrive, in the shopper's local time (`planSend`; the shop's quiet hours apply too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet_hours: Option<crate::contract::schedule::DailyWindow>,
    /// The shopper's own caps on messages, all channels together (`planSend`); they only ever lower the shop's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_caps: Option<crate::contract::schedule::MessageCaps>,
}

/// Verified by the retailer (age checks), never self-declared.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Eligibility {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alcohol: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tobacco: Option<bool>,
}

/// The reader's device, for a message: shapes the layout of an email or push (the ranking's `layout`), never what the
/// guardrails decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Device {
    Phone,
    Tablet,
    Desktop,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Context {
    /// Required: the engine never reads a clock, so output is reproducible.
    #[cfg_attr(test, ts(type = "Timestamp"))]
    pub now: Timestamp,
    /// Default `home`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surface: Option<Surface>,
    /// The product of a product page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed_product_id: Option<String>,
    /// The cart of a cart page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cart: Option<Vec<String>>,
    /// How many items; default 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<u32>,
    /// For seeded tie-breaking; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u32>,
    /// What the retailer verified about the shopper (age checks: `{ alcohol: true }`), never self-declared; the
    /// `COMPLIANCE` guardrail keeps regulated classes out without it. Default none verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility: Option<Eligibility>,
    /// The shopper's UTC offset at `now`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_minutes: Option<i32>,
    /// The reader's device, on `email` and `push`: how many items fit, the layout, image and title lengths
    /// (the ranking's `layout`). Ignored on the site's surfaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
}

impl Context {
    pub fn at(now: Timestamp) -> Context {
        Context {
            now,
            surface: None,
            seed_product_id: None,
            cart: None,
            k: None,
            seed: None,
            eligibility: None,
            utc_offset_minutes: None,
            device: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RankRequest {
    pub history: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferences: Option<Preferences>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impressions: Option<Vec<Impression>>,
    pub context: Context,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfileRequest {
    pub history: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferences: Option<Preferences>,
    pub context: Context,
}
