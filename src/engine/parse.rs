//! Readers for every input type: the one place where field names, accepted values and defaults of the JS contract
//! are read. Field names match the serde names the TypeScript types are generated from; `tests/parse.rs`
//! round-trips every type through serde to prove it.

use crate::contract::error::Error;
use crate::contract::input::*;
use crate::contract::time::Timestamp;
use crate::engine::model::Model;
use crate::engine::policy::{BrandRule, Policy, PolicyPreset, PolicySpec};
use crate::engine::EngineOptions;
use crate::read::value::{string_enum, FromValue, Obj, Path, Value};
use crate::util::dict::Dict;

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

impl FromValue for Lifecycle {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["kind", "lifetimeDays", "repurchaseDays"])?;
        Ok(Lifecycle {
            kind: o.req("kind")?,
            lifetime_days: o.opt("lifetimeDays")?,
            repurchase_days: o.opt("repurchaseDays")?,
        })
    }
}

impl FromValue for Product {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(
            v,
            path,
            &[
                "id",
                "title",
                "category",
                "brand",
                "price",
                "inStock",
                "launchedAt",
                "lifecycle",
                "productLine",
                "compatibleWith",
                "sensitivity",
                "tags",
            ],
        )?;
        Ok(Product {
            id: o.req("id")?,
            title: o.opt("title")?,
            category: o.opt("category")?,
            brand: o.opt("brand")?,
            price: o.opt("price")?,
            in_stock: o.opt("inStock")?,
            launched_at: o.opt("launchedAt")?,
            lifecycle: o.opt("lifecycle")?,
            product_line: o.opt("productLine")?,
            compatible_with: o.opt("compatibleWith")?,
            sensitivity: o.opt("sensitivity")?,
            tags: o.opt("tags")?,
        })
    }
}

impl FromValue for Event {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(
            v,
            path,
            &["productId", "at", "type", "quantity", "price", "orderId", "gift", "shipTo", "member"],
        )?;
        Ok(Event {
            product_id: o.req("productId")?,
            at: o.req("at")?,
            kind: o.opt("type")?,
            quantity: o.opt("quantity")?,
            price: o.opt("price")?,
            order_id: o.opt("orderId")?,
            gift: o.opt("gift")?,
            ship_to: o.opt("shipTo")?,
            member: o.opt("member")?,
        })
    }
}

impl FromValue for Impression {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["productId", "at", "surface", "clicked"])?;
        Ok(Impression {
            product_id: o.req("productId")?,
            at: o.req("at")?,
            surface: o.opt("surface")?,
            clicked: o.opt("clicked")?,
        })
    }
}

impl FromValue for Consent {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["personalization", "email", "push"])?;
        Ok(Consent { personalization: o.opt("personalization")?, email: o.opt("email")?, push: o.opt("push")? })
    }
}

impl FromValue for Muted {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["categories", "brands", "products"])?;
        Ok(Muted { categories: o.opt("categories")?, brands: o.opt("brands")?, products: o.opt("products")? })
    }
}

impl FromValue for Preferences {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(
            v,
            path,
            &[
                "consent",
                "sensitiveOptIn",
                "muted",
                "forgotten",
                "sharedDevice",
                "interests",
                "intensity",
                "discovery",
                "notGifts",
                "quietHours",
                "messageCaps",
            ],
        )?;
        Ok(Preferences {
            consent: o.opt("consent")?,
            sensitive_opt_in: o.opt("sensitiveOptIn")?,
            muted: o.opt("muted")?,
            forgotten: o.opt("forgotten")?,
            shared_device: o.opt("sharedDevice")?,
            interests: o.opt("interests")?,
            intensity: o.opt("intensity")?,
            discovery: o.opt("discovery")?,
            not_gifts: o.opt("notGifts")?,
            quiet_hours: o.opt("quietHours")?,
            message_caps: o.opt("messageCaps")?,
        })
    }
}

impl FromValue for Eligibility {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["alcohol", "tobacco"])?;
        Ok(Eligibility { alcohol: o.opt("alcohol")?, tobacco: o.opt("tobacco")? })
    }
}

impl FromValue for Context {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(
            v,
            path,
            &["now", "surface", "seedProductId", "cart", "k", "seed", "eligibility", "utcOffsetMinutes", "device"],
        )?;
        Ok(Context {
            now: o.req("now")?,
            surface: o.opt("surface")?,
            seed_product_id: o.opt("seedProductId")?,
            cart: o.opt("cart")?,
            k: o.opt("k")?,
            seed: o.opt("seed")?,
            eligibility: o.opt("eligibility")?,
            utc_offset_minutes: o.opt("utcOffsetMinutes")?,
            device: o.opt("device")?,
        })
    }
}

impl FromValue for RankRequest {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["history", "preferences", "impressions", "context"])?;
        Ok(RankRequest {
            history: o.req("history")?,
            preferences: o.opt("preferences")?,
            impressions: o.opt("impressions")?,
            context: o.req("context")?,
        })
    }
}

impl FromValue for ProfileRequest {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["history", "preferences", "context"])?;
        Ok(ProfileRequest {
            history: o.req("history")?,
            preferences: o.opt("preferences")?,
            context: o.req("context")?,
        })
    }
}

impl FromValue for BrandRule {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["brand", "notOn", "notWithTags"])?;
        Ok(BrandRule { brand: o.req("brand")?, not_on: o.opt("notOn")?, not_with_tags: o.opt("notWithTags")? })
    }
}

/// An object with free keys and values of one type, e.g. `{"DIAPERS": "pregnancy_baby"}`.
struct MapOf<T>(Dict<T>);

impl<T: FromValue> FromValue for MapOf<T> {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let Value::Obj(entries) = v else { return Err(path.expected("an object", v)) };
        entries
            .iter()
            .map(|(k, val)| Ok((k.clone(), T::from_value(val, &Path::Key(path, k))?)))
            .collect::<Result<_, _>>()
            .map(MapOf)
    }
}

pub const POLICY_KEYS: [&str; 27] = [
    "preset",
    "halfLifeDays",
    "minEvidence",
    "minOccasions",
    "evidenceHalf",
    "diversity",
    "maxPerCategory",
    "discovery",
    "newShare",
    "newArrivalDays",
    "fatigueImpressions",
    "fatigueDays",
    "inferGifts",
    "outlierQuantityFactor",
    "nonProductIds",
    "sensitiveCategories",
    "productFamilies",
    "regulatedClasses",
    "regulatedOnMessages",
    "brandRules",
    "personalizedSurfaces",
    "sharedDevicePersonal",
    "boostTags",
    "maxRemoved",
    "priceWeight",
    "dueWindow",
    "repeatConfidence",
];

impl FromValue for Policy {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &POLICY_KEYS)?;
        Ok(Policy {
            preset: o.opt("preset")?,
            half_life_days: o.opt("halfLifeDays")?,
            min_evidence: o.opt("minEvidence")?,
            min_occasions: o.opt("minOccasions")?,
            evidence_half: o.opt("evidenceHalf")?,
            diversity: o.opt("diversity")?,
            max_per_category: o.opt("maxPerCategory")?,
            discovery: o.opt("discovery")?,
            new_share: o.opt("newShare")?,
            new_arrival_days: o.opt("newArrivalDays")?,
            fatigue_impressions: o.opt("fatigueImpressions")?,
            fatigue_days: o.opt("fatigueDays")?,
            infer_gifts: o.opt("inferGifts")?,
            outlier_quantity_factor: o.opt("outlierQuantityFactor")?,
            non_product_ids: o.opt("nonProductIds")?,
            sensitive_categories: o.opt::<MapOf<SensitivityClass>>("sensitiveCategories")?.map(|m| m.0),
            product_families: o.opt::<MapOf<String>>("productFamilies")?.map(|m| m.0),
            regulated_classes: o.opt("regulatedClasses")?,
            regulated_on_messages: o.opt("regulatedOnMessages")?,
            brand_rules: o.opt("brandRules")?,
            personalized_surfaces: o.opt("personalizedSurfaces")?,
            shared_device_personal: o.opt("sharedDevicePersonal")?,
            boost_tags: o.opt::<MapOf<f64>>("boostTags")?.map(|m| m.0),
            max_removed: o.opt("maxRemoved")?,
            price_weight: o.opt("priceWeight")?,
            due_window: o.opt("dueWindow")?,
            repeat_confidence: o.opt("repeatConfidence")?,
        })
    }
}

impl FromValue for PolicySpec {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        match v {
            Value::Str(_) => PolicyPreset::from_value(v, path).map(PolicySpec::Preset),
            Value::Obj(_) => Policy::from_value(v, path).map(|p| PolicySpec::Custom(Box::new(p))),
            other => Err(path.expected("a preset name or a policy object", other)),
        }
    }
}

impl FromValue for Model {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(
            v,
            path,
            &["version", "minCustomers", "popularity", "trending", "repeat", "neighbours", "dim", "embeddings"],
        )?;
        Ok(Model {
            version: o.req("version")?,
            min_customers: o.opt("minCustomers")?.unwrap_or(0),
            popularity: o.opt("popularity")?.unwrap_or_default(),
            trending: o.opt("trending")?.unwrap_or_default(),
            repeat: o.opt("repeat")?.unwrap_or_default(),
            neighbours: o.opt("neighbours")?.unwrap_or_default(),
            dim: o.opt("dim")?.unwrap_or(0),
            embeddings: o.opt("embeddings")?.unwrap_or_default(),
        })
    }
}

impl FromValue for EngineOptions {
    fn from_value(v: &Value, path: &Path<'_>) -> Result<Self, Error> {
        let o = Obj::new(v, path, &["policy", "model"])?;
        Ok(EngineOptions { policy: o.opt("policy")?, model: o.opt("model")? })
    }
}
