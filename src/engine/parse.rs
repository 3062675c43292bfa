//! Readers for every input type: the one place where field names, accepted values and defaults of the JS contract
//! are read. Field names match the serde names the TypeScript types are generated from; `tests/parse.rs`
//! round-trips every type through serde to prove it.

use crate::contract::error::Error;
use crate::contract::input::{
    Consent, Context, Device, Eligibility, Event, EventType, Impression, Intensity, Lifecycle, LifecycleKind, Muted,
    Preferences, Product, ProfileRequest, RankRequest, SensitivityClass, Surface,
};
use crate::contract::time::Timestamp;
use crate::engine::model::Model;
use crate::engine::policy::{BrandRule, Policy, PolicyPreset, PolicySpec};
use crate::engine::EngineOptions;
use crate::read::value::{object_reader, string_enum, FromValue, Path, Value};

string_enum!(SensitivityClass {
    "reproductive_health" => SensitivityClass::ReproductiveHealth,
    "pregnancy_baby" => SensitivityClass::PregnancyBaby,
    "intimate_care" => SensitivityClass::IntimateCare,
    "medical" => SensitivityClass::Medical,
    "weight_loss" => SensitivityClass::WeightLoss,
    "tobacco" => SensitivityClass::Tobacco,
    "alcohol" => SensitivityClass::Alcohol,
    "adult" => SensitivityClass::Adult,
    "financial_distress" => SensitivityClass::FinancialDistress,
    "romance" => SensitivityClass::Romance,
});
string_enum!(LifecycleKind {
    "durable" => LifecycleKind::Durable,
    "consumable" => LifecycleKind::Consumable,
    "seasonal" => LifecycleKind::Seasonal,
    "regular" => LifecycleKind::Regular,
});
string_enum!(EventType { "purchase" => EventType::Purchase, "return" => EventType::Return, "cancel" => EventType::Cancel });
string_enum!(Surface {
    "home" => Surface::Home,
    "product" => Surface::Product,
    "cart" => Surface::Cart,
    "email" => Surface::Email,
    "push" => Surface::Push,
});
string_enum!(Intensity { "subtle" => Intensity::Subtle, "moderate" => Intensity::Moderate, "strong" => Intensity::Strong });
string_enum!(Device { "phone" => Device::Phone, "tablet" => Device::Tablet, "desktop" => Device::Desktop });
string_enum!(PolicyPreset {
    "conservative" => PolicyPreset::Conservative,
    "balanced" => PolicyPreset::Balanced,
    "bold" => PolicyPreset::Bold,
});

impl FromValue for Timestamp {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        match v {
            Value::Str(s) => Timestamp::parse_iso(s).map_err(|m| path.invalid(m)),
            Value::Num(n) => Timestamp::from_millis_f64(*n).map_err(|m| path.invalid(m)),
            other => Err(path.expected("an ISO-8601 string or epoch milliseconds", other)),
        }
    }
}

object_reader!(Lifecycle {
    kind: req "kind",
    lifetime_days: opt "lifetimeDays",
    repurchase_days: opt "repurchaseDays",
});

object_reader!(Product {
    id: req "id",
    title: opt "title",
    category: opt "category",
    brand: opt "brand",
    price: opt "price",
    in_stock: opt "inStock",
    launched_at: opt "launchedAt",
    lifecycle: opt "lifecycle",
    product_line: opt "productLine",
    compatible_with: opt "compatibleWith",
    sensitivity: opt "sensitivity",
    tags: opt "tags",
});

object_reader!(Event {
    product_id: req "productId",
    at: req "at",
    kind: opt "type",
    quantity: opt "quantity",
    price: opt "price",
    order_id: opt "orderId",
    gift: opt "gift",
    ship_to: opt "shipTo",
    member: opt "member",
});

object_reader!(Impression {
    product_id: req "productId",
    at: req "at",
    surface: opt "surface",
    clicked: opt "clicked",
});

object_reader!(Consent {
    personalization: opt "personalization",
    email: opt "email",
    push: opt "push",
});

object_reader!(Muted {
    categories: opt "categories",
    brands: opt "brands",
    products: opt "products",
});

object_reader!(Preferences {
    consent: opt "consent",
    sensitive_opt_in: opt "sensitiveOptIn",
    muted: opt "muted",
    forgotten: opt "forgotten",
    shared_device: opt "sharedDevice",
    interests: opt "interests",
    intensity: opt "intensity",
    discovery: opt "discovery",
    not_gifts: opt "notGifts",
    quiet_hours: opt "quietHours",
    message_caps: opt "messageCaps",
});

object_reader!(Eligibility {
    alcohol: opt "alcohol",
    tobacco: opt "tobacco",
});

object_reader!(Context {
    now: req "now",
    surface: opt "surface",
    seed_product_id: opt "seedProductId",
    cart: opt "cart",
    k: opt "k",
    seed: opt "seed",
    eligibility: opt "eligibility",
    utc_offset_minutes: opt "utcOffsetMinutes",
    device: opt "device",
});

object_reader!(RankRequest {
    history: req "history",
    preferences: opt "preferences",
    impressions: opt "impressions",
    context: req "context",
});

object_reader!(ProfileRequest {
    history: req "history",
    preferences: opt "preferences",
    context: req "context",
});

object_reader!(BrandRule {
    brand: req "brand",
    not_on: opt "notOn",
    not_with_tags: opt "notWithTags",
});

object_reader!(Policy {
    preset: opt "preset",
    half_life_days: opt "halfLifeDays",
    min_evidence: opt "minEvidence",
    min_occasions: opt "minOccasions",
    evidence_half: opt "evidenceHalf",
    diversity: opt "diversity",
    max_per_category: opt "maxPerCategory",
    discovery: opt "discovery",
    new_share: opt "newShare",
    new_arrival_days: opt "newArrivalDays",
    fatigue_impressions: opt "fatigueImpressions",
    fatigue_days: opt "fatigueDays",
    infer_gifts: opt "inferGifts",
    outlier_quantity_factor: opt "outlierQuantityFactor",
    non_product_ids: opt "nonProductIds",
    sensitive_categories: opt_map "sensitiveCategories",
    product_families: opt_map "productFamilies",
    regulated_classes: opt "regulatedClasses",
    regulated_on_messages: opt "regulatedOnMessages",
    brand_rules: opt "brandRules",
    personalized_surfaces: opt "personalizedSurfaces",
    shared_device_personal: opt "sharedDevicePersonal",
    boost_tags: opt_map "boostTags",
    max_removed: opt "maxRemoved",
    price_weight: opt "priceWeight",
    due_window: opt "dueWindow",
    repeat_confidence: opt "repeatConfidence",
});

impl FromValue for PolicySpec {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        match v {
            Value::Str(_) => PolicyPreset::from_value(v, path).map(PolicySpec::Preset),
            Value::Obj(_) => Policy::from_value(v, path).map(|p| PolicySpec::Custom(Box::new(p))),
            other => Err(path.expected("a preset name or a policy object", other)),
        }
    }
}

object_reader!(Model {
    version: req "version",
    min_customers: or_default "minCustomers",
    popularity: or_default "popularity",
    trending: or_default "trending",
    repeat: or_default "repeat",
    neighbours: or_default "neighbours",
    dim: or_default "dim",
    embeddings: or_default "embeddings",
});

object_reader!(EngineOptions {
    policy: opt "policy",
    model: opt "model",
});
