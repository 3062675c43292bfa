//! The retailer's guardrail settings. A policy is a preset (`conservative`, `balanced`, `bold`) plus overrides; every
//! knob documents its meaning, range, default per preset and clamp, and [`Settings::resolve`] clamps to match.
//! Unknown keys are refused: a typo in a guardrail must not silently disable it.

use crate::contract::error::{join_path, Error};
use crate::contract::input::{SensitivityClass, Surface};
use crate::read::limits;
use crate::util::dict::Dict;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum PolicyPreset {
    /// Little personal inference, strong guardrails: more evidence needed, shorter memory, more variety.
    Conservative,
    /// The default.
    #[default]
    Balanced,
    /// Personal sooner, longer memory, more room for discovery.
    Bold,
}

/// A brand guideline: where a brand's products must not be placed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BrandRule {
    /// The brand, as the catalog spells it (case-insensitive).
    pub brand: String,
    /// Surfaces where this brand is never shown (e.g. a premium brand kept out of deal emails).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_on: Option<Vec<Surface>>,
    /// Tags of surfaces' contexts this brand must not appear beside: a product of this brand is removed when the
    /// ranked list also holds a product carrying one of these tags (e.g. `"clearance"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_with_tags: Option<Vec<String>>,
}

/// The policy as written by the retailer: a preset and any overrides. See [`Settings`] for each knob in full; the
/// field docs (shown on hover in an editor) give each range and its value in the conservative / balanced / bold
/// presets.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// The preset the other knobs start from: `conservative`, `balanced` (default) or `bold`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<PolicyPreset>,
    /// Half-life of a purchase's weight in taste, in days. 7–1095 (clamped); presets 90 / 180 / 365.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_life_days: Option<f64>,
    /// Evidence (shopping occasions, each decayed by age) below which the ranking is `default`, not personal.
    /// 0–50 (clamped); presets 3 / 1 / 0.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_evidence: Option<f64>,
    /// Shopping occasions (orders or days, whatever their age) below which the ranking is `default`: one order is
    /// thin data. 1–50 (clamped; 1 turns the floor off); 2 in every preset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_occasions: Option<u32>,
    /// Evidence at which personal and popular signals weigh the same (personal weight e / (e + this)).
    /// 0.5–500 (clamped); presets 8 / 4 / 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_half: Option<f64>,
    /// MMR trade-off: 0 = relevance only, 1 = as different as possible. 0–1 (clamped); presets 0.3 / 0.2 / 0.15.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diversity: Option<f64>,
    /// At most this many items of one category in a list (`CATEGORY_CAP`). 1–100 (clamped); presets 2 / 3 / 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_category: Option<u32>,
    /// Share of slots for the new and different when the shopper did not set `discovery`. 0–1 (clamped);
    /// presets 0.1 / 0.1 / 0.2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery: Option<f64>,
    /// Share of slots reserved for new arrivals when there are any. 0–1 (clamped); 0.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_share: Option<f64>,
    /// A product launched within this many days before `now` is a new arrival. 1–365 (clamped); 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_arrival_days: Option<f64>,
    /// `FATIGUE`: a product shown this many times within `fatigueDays` without a click is rested. 1–100 (clamped);
    /// presets 2 / 3 / 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatigue_impressions: Option<u32>,
    /// The `FATIGUE` window, in days. 1–90 (clamped); 7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatigue_days: Option<f64>,
    /// Infer gifts (another ship-to, gift-wrap or gift-card lines, a one-off far from taste in a gifting season);
    /// flagged gifts are always gifts. Default true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infer_gifts: Option<bool>,
    /// A line whose quantity exceeds this multiple of the shopper's typical quantity (and 10) is kept at the
    /// typical quantity. 2–1000 (clamped); 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlier_quantity_factor: Option<f64>,
    /// Ids that are not products (shipping, fees, vouchers); a trailing `*` matches a prefix; case-insensitive.
    /// Default: Online Retail's `POST`, `DOT`, `M`, … At most 1,000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_product_ids: Option<Vec<String>>,
    /// Category names (any level, case-insensitive) whose products belong to a sensitivity class, in addition to
    /// what the catalog states. Default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(type = "Record<string, SensitivityClass>"))]
    pub sensitive_categories: Option<Dict<SensitivityClass>>,
    /// Product line → family, for `INCOMPATIBLE`: an accessory is judged against the owned lines of its family.
    /// Default none (all lines one family).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(type = "Record<string, string>"))]
    pub product_families: Option<Dict<String>>,
    /// Classes that need `context.eligibility` (`COMPLIANCE`). Default alcohol, tobacco.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regulated_classes: Option<Vec<SensitivityClass>>,
    /// Whether regulated classes may appear on email and push at all (with eligibility). Default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regulated_on_messages: Option<bool>,
    /// Brand guidelines (`BRAND_RULE`). Default none; at most 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand_rules: Option<Vec<BrandRule>>,
    /// Surfaces where personal signals are used; elsewhere the ranking is `default`. Default all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personalized_surfaces: Option<Vec<Surface>>,
    /// Whether items from the shopper's own history may appear on a shared device (sensitive classes never do).
    /// Presets false / true / true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_device_personal: Option<bool>,
    /// Business boosts: tag → score added to a product carrying it (`PROMOTED`). −1–1 each (clamped).
    /// Default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(type = "Record<string, number>"))]
    pub boost_tags: Option<Dict<f64>>,
    /// How many removals `removed` lists (the counts are always complete). 0–200 (clamped); 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_removed: Option<u32>,
    /// The largest score a product's price can add (never negative: price is never a ceiling). 0–0.2 (clamped);
    /// 0.02.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_weight: Option<f64>,
    /// `NOT_DUE`: a consumable is offered again from this share of its repurchase interval on. 0.25–1.5 (clamped);
    /// presets 0.85 / 0.75 / 0.6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_window: Option<f64>,
    /// A repeat candidate this likely to be bought again keeps its slot, and `diversity` does not push it down where
    /// the history leads the list; `discovery` applies to the slots left (0 = a fixed share of `k`, no repeat exempt
    /// from diversity). 0–20 (clamped); 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_confidence: Option<f64>,
}

/// `policy` in the engine options: a preset name, or a policy object.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(untagged)]
pub enum PolicySpec {
    Preset(PolicyPreset),
    Custom(Box<Policy>),
}

impl Default for PolicySpec {
    fn default() -> Self {
        PolicySpec::Preset(PolicyPreset::Balanced)
    }
}

/// The non-product codes of the Online Retail export (shipping, fees, discounts, charity, vouchers). A trailing `*`
/// matches a prefix. Matching ignores case.
pub const DEFAULT_NON_PRODUCT_IDS: [&str; 10] =
    ["POST", "DOT", "M", "C2", "D", "S", "BANK CHARGES", "AMAZONFEE", "CRUK", "gift_*"];

/// Every knob, resolved: preset defaults, then the retailer's overrides, clamped to the documented range.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub preset: PolicyPreset,
    /// Half-life of a purchase's weight in taste (category, brand, product-line affinity), in days.
    /// Range 7..=1095 (clamped). Conservative 90, balanced 180, bold 365.
    pub half_life_days: f64,
    /// Evidence — shopping occasions (orders, or days), each decayed by age — below which the ranking is `default`
    /// (not personal at all). Range 0..=50 (clamped). Conservative 3, balanced 1 (less than one recent occasion),
    /// bold 0.5.
    pub min_evidence: f64,
    /// Shopping occasions (orders, or days) below which the ranking is `default` whatever their age: one order says
    /// what one trip needed, however many lines it has. Range 1..=50 (clamped; 1 turns the floor off). 2 in every
    /// preset.
    pub min_occasions: u32,
    /// Evidence at which personal and popular signals weigh the same; the personal weight is e / (e + this), so it
    /// grows smoothly with evidence (no cliff). Range 0.5..=500 (clamped). Conservative 8, balanced 4, bold 2.
    pub evidence_half: f64,
    /// MMR trade-off in re-ranking: 0 = relevance only, 1 = as different as possible. Range 0..=1 (clamped).
    /// Conservative 0.3, balanced 0.2, bold 0.15.
    pub diversity: f64,
    /// At most this many items of one category (the deepest level the catalog states) in a list (`CATEGORY_CAP`).
    /// Range 1..=100 (clamped). Conservative 2, balanced 3, bold 4.
    pub max_per_category: u32,
    /// Default share of slots for discovery (the new and different) when the shopper did not set `discovery`.
    /// Range 0..=1 (clamped). Conservative 0.1, balanced 0.1, bold 0.2. Each discovery slot costs recall on real
    /// purchases and buys exploration (docs/evaluation.md measures both).
    pub discovery: f64,
    /// Share of slots reserved for new arrivals when there are any. Range 0..=1 (clamped). All presets 0.1.
    pub new_share: f64,
    /// A product launched within this many days before `now` is a new arrival. Range 1..=365 (clamped). 30.
    pub new_arrival_days: f64,
    /// `FATIGUE`: a product shown this many times within `fatigue_days` without a click is rested.
    /// Range 1..=100 (clamped). Conservative 2, balanced 3, bold 4.
    pub fatigue_impressions: u32,
    /// `FATIGUE` window in days. Range 1..=90 (clamped). 7.
    pub fatigue_days: f64,
    /// Infer gifts (a ship-to unlike the shopper's usual one, gift-wrap or gift-card lines, a one-off far from taste
    /// in a gifting season). Flagged gifts are always gifts. Default true.
    pub infer_gifts: bool,
    /// A line whose quantity exceeds this multiple of the shopper's typical quantity for that product (and 10) is
    /// an outlier: kept at the typical quantity. Range 2..=1000 (clamped). 20.
    pub outlier_quantity_factor: f64,
    /// Product ids that are not products (shipping, fees, discounts, vouchers); `*` at the end matches a prefix;
    /// case-insensitive. Default [`DEFAULT_NON_PRODUCT_IDS`]. At most 1,000 entries.
    pub non_product_ids: Vec<String>,
    /// Category names (any level, case-insensitive) whose products belong to a sensitivity class, in addition to
    /// what the catalog states. Default none. At most 1,000 entries.
    pub sensitive_categories: Dict<SensitivityClass>,
    /// Product line → family (`INCOMPATIBLE`): an accessory is judged against the owned lines of its own family
    /// ("ipad-pro-11" and "iphone-15" both "apple-mobile": no iPhone case for an iPad owner). Lines the map does not
    /// name are all one family, so an accessory is offered only to shoppers who own a line it fits or no line at
    /// all. Never derived from the category tree. Keys case-insensitive. Default none. At most 10,000 entries.
    pub product_families: Dict<String>,
    /// Classes that need the retailer-verified `context.eligibility` flag (`COMPLIANCE`). Default alcohol, tobacco.
    pub regulated_classes: Vec<SensitivityClass>,
    /// Whether regulated classes may appear on email and push at all (with eligibility). Default false.
    pub regulated_on_messages: bool,
    /// Brand guidelines (`BRAND_RULE`). Default none. At most 100 rules.
    pub brand_rules: Vec<BrandRule>,
    /// Surfaces where personal signals are used; elsewhere the ranking is `default`. Default all.
    pub personalized_surfaces: Vec<Surface>,
    /// Whether items chosen from the shopper's own history may appear on a shared device (sensitive classes never
    /// do). Conservative false, balanced true, bold true.
    pub shared_device_personal: bool,
    /// Business boosts: a product carrying a tag gets this much added to its score. Range -1..=1 each (clamped).
    /// Default none. At most 100 tags.
    pub boost_tags: Dict<f64>,
    /// How many removals `removed` lists (the counts are always complete). Range 0..=200 (clamped). 20.
    pub max_removed: u32,
    /// The largest score a product's price can add (higher price, slightly more); never negative, so price is never
    /// a ceiling. Range 0..=0.2 (clamped). 0.02.
    pub price_weight: f64,
    /// `NOT_DUE`: a consumable is offered again from this share of its repurchase interval on (0.75 of 28 days:
    /// from day 21). Range 0.25..=1.5 (clamped). Conservative 0.85, balanced 0.75, bold 0.6.
    pub due_window: f64,
    /// The per-shopper repeat/explore split (`rerank::discovery_slots`): a repeat candidate whose estimated chance of
    /// being bought again (its `BOUGHT_BEFORE` and `DUE_AGAIN` terms over the personal weight) reaches this keeps its
    /// slot; the `discovery` share then applies to the slots left, so a shopper with many sure repeats gets fewer
    /// discovery slots and one whose history says little gets more. The same line makes a repeat sure for MMR
    /// (`rerank::is_sure`: it counts no similarity, so staples are not displaced by variety). 0 = a fixed share of
    /// `k` (the earlier rule) and no sure repeats.
    /// Range 0..=20 (clamped). All presets 1, chosen on the practice cases of both dev shops (docs/evaluation.md).
    pub repeat_confidence: f64,
}

impl Settings {
    pub fn preset(preset: PolicyPreset) -> Settings {
        let (half_life, min_ev, ev_half, div, cap, disc, fat_n, shared, due) = match preset {
            PolicyPreset::Conservative => (90.0, 3.0, 8.0, 0.3, 2, 0.1, 2, false, 0.85),
            PolicyPreset::Balanced => (180.0, 1.0, 4.0, 0.2, 3, 0.1, 3, true, 0.75),
            PolicyPreset::Bold => (365.0, 0.5, 2.0, 0.15, 4, 0.2, 4, true, 0.6),
        };
        Settings {
            preset,
            half_life_days: half_life,
            min_evidence: min_ev,
            min_occasions: 2,
            evidence_half: ev_half,
            diversity: div,
            max_per_category: cap,
            discovery: disc,
            new_share: 0.1,
            new_arrival_days: 30.0,
            fatigue_impressions: fat_n,
            fatigue_days: 7.0,
            infer_gifts: true,
            outlier_quantity_factor: 20.0,
            non_product_ids: DEFAULT_NON_PRODUCT_IDS.iter().map(std::string::ToString::to_string).collect(),
            sensitive_categories: Dict::new(),
            product_families: Dict::new(),
            regulated_classes: vec![SensitivityClass::Alcohol, SensitivityClass::Tobacco],
            regulated_on_messages: false,
            brand_rules: Vec::new(),
            personalized_surfaces: vec![Surface::Home, Surface::Product, Surface::Cart, Surface::Email, Surface::Push],
            shared_device_personal: shared,
            boost_tags: Dict::new(),
            max_removed: 20,
            price_weight: 0.02,
            due_window: due,
            repeat_confidence: 1.0,
        }
    }

    /// Resolves a policy: the preset's defaults, then each override clamped to its range. `root` is the path of the
    /// policy in the caller's input (`"policy"`), for errors.
    pub fn resolve(spec: &PolicySpec, root: &str) -> Result<Settings, Error> {
        let policy = match spec {
            PolicySpec::Preset(p) => return Ok(Settings::preset(*p)),
            PolicySpec::Custom(policy) => policy,
        };
        let mut s = Settings::preset(policy.preset.unwrap_or_default());
        let at = |key: &str| join_path(root, key);
        // `max`/`min`, not `clamp`: clamp's assertion would pull float formatting (~20 KB) into the wasm build.
        let num = |v: Option<f64>, key: &str, lo: f64, hi: f64, dst: &mut f64| -> Result<(), Error> {
            if let Some(v) = v {
                if !v.is_finite() {
                    return Err(Error::invalid(at(key), "must be a finite number"));
                }
                *dst = v.max(lo).min(hi);
            }
            Ok(())
        };
        num(policy.half_life_days, "halfLifeDays", 7.0, 1095.0, &mut s.half_life_days)?;
        num(policy.min_evidence, "minEvidence", 0.0, 50.0, &mut s.min_evidence)?;
        num(policy.evidence_half, "evidenceHalf", 0.5, 500.0, &mut s.evidence_half)?;
        num(policy.diversity, "diversity", 0.0, 1.0, &mut s.diversity)?;
        num(policy.discovery, "discovery", 0.0, 1.0, &mut s.discovery)?;
        num(policy.new_share, "newShare", 0.0, 1.0, &mut s.new_share)?;
        num(policy.new_arrival_days, "newArrivalDays", 1.0, 365.0, &mut s.new_arrival_days)?;
        num(policy.fatigue_days, "fatigueDays", 1.0, 90.0, &mut s.fatigue_days)?;
        num(policy.outlier_quantity_factor, "outlierQuantityFactor", 2.0, 1000.0, &mut s.outlier_quantity_factor)?;
        num(policy.price_weight, "priceWeight", 0.0, 0.2, &mut s.price_weight)?;
        num(policy.due_window, "dueWindow", 0.25, 1.5, &mut s.due_window)?;
        num(policy.repeat_confidence, "repeatConfidence", 0.0, 20.0, &mut s.repeat_confidence)?;
        if let Some(v) = policy.min_occasions {
            s.min_occasions = v.clamp(1, 50);
        }
        if let Some(v) = policy.max_per_category {
            s.max_per_category = v.clamp(1, 100);
        }
        if let Some(v) = policy.fatigue_impressions {
            s.fatigue_impressions = v.clamp(1, 100);
        }
        if let Some(v) = policy.max_removed {
            s.max_removed = v.min(200);
        }
        if let Some(v) = policy.infer_gifts {
            s.infer_gifts = v;
        }
        if let Some(v) = policy.regulated_on_messages {
            s.regulated_on_messages = v;
        }
        if let Some(v) = policy.shared_device_personal {
            s.shared_device_personal = v;
        }
        if let Some(v) = &policy.non_product_ids {
            limits::check_list(v.len(), 1000, &at("nonProductIds"))?;
            s.non_product_ids.clone_from(v);
        }
        if let Some(v) = &policy.sensitive_categories {
            limits::check_list(v.len(), 1000, &at("sensitiveCategories"))?;
            s.sensitive_categories = v.iter().map(|(k, c)| (k.to_lowercase(), *c)).collect();
        }
        if let Some(v) = &policy.product_families {
            limits::check_list(v.len(), 10_000, &at("productFamilies"))?;
            s.product_families = v.iter().map(|(k, f)| (k.to_lowercase(), f.to_lowercase())).collect();
        }
        if let Some(v) = &policy.regulated_classes {
            s.regulated_classes.clone_from(v);
        }
        if let Some(v) = &policy.brand_rules {
            limits::check_list(v.len(), 100, &at("brandRules"))?;
            s.brand_rules.clone_from(v);
        }
        if let Some(v) = &policy.personalized_surfaces {
            s.personalized_surfaces.clone_from(v);
        }
        if let Some(v) = &policy.boost_tags {
            limits::check_list(v.len(), 100, &at("boostTags"))?;
            let mut tags = Dict::new();
            for (tag, w) in v {
                if !w.is_finite() {
                    return Err(Error::invalid(join_path(&at("boostTags"), tag), "must be a finite number"));
                }
                tags.insert(tag.clone(), w.max(-1.0).min(1.0));
            }
            s.boost_tags = tags;
        }
        Ok(s)
    }

    /// Whether `id` is a non-product line (shipping, fee, voucher…).
    pub fn is_non_product(&self, id: &str) -> bool {
        self.non_product_ids.iter().any(|pattern| match pattern.strip_suffix('*') {
            Some(prefix) => id.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix)),
            None => id.eq_ignore_ascii_case(pattern),
        })
    }
}
