//! Stage 5, guard: every guardrail filters or demotes with a stable reason code (DESIGN.md) and is recorded in the
//! audit (`Ranking::removed`, `Ranking::removed_counts`). One guardrail per file; this file runs the per-item ones in
//! a fixed order, so the first that applies names the removal.

pub mod brand;
pub mod compatibility;
pub mod compliance;
pub mod consent;
pub mod diversity;
pub mod fatigue;
pub mod gift;
pub mod muted;
pub mod not_due;
pub mod ownership;
pub mod returned;
pub mod sensitive;
pub mod shared_device;
pub mod stock;
pub mod thin_data;

use crate::engine::catalog::{Catalog, Pid};
use crate::engine::clean::Cleaned;
use crate::engine::input::Surface;
use crate::engine::policy::Settings;
use crate::engine::prefs::Prefs;
use crate::engine::profile::Taste;
use rustc_hash::FxHashMap;

/// Guardrail reason codes: a stable API (extend, never rename).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    NoConsent,
    SensitiveClass,
    SharedDevice,
    OwnedDurable,
    NotDue,
    Returned,
    GiftExcluded,
    Incompatible,
    Muted,
    Forgotten,
    OutOfStock,
    CategoryCap,
    Diversity,
    Fatigue,
    Compliance,
    BrandRule,
    ThinData,
}

impl Code {
    pub const ALL: [Code; 17] = [
        Code::NoConsent,
        Code::SensitiveClass,
        Code::SharedDevice,
        Code::OwnedDurable,
        Code::NotDue,
        Code::Returned,
        Code::GiftExcluded,
        Code::Incompatible,
        Code::Muted,
        Code::Forgotten,
        Code::OutOfStock,
        Code::CategoryCap,
        Code::Diversity,
        Code::Fatigue,
        Code::Compliance,
        Code::BrandRule,
        Code::ThinData,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::NoConsent => "NO_CONSENT",
            Code::SensitiveClass => "SENSITIVE_CLASS",
            Code::SharedDevice => "SHARED_DEVICE",
            Code::OwnedDurable => "OWNED_DURABLE",
            Code::NotDue => "NOT_DUE",
            Code::Returned => "RETURNED",
            Code::GiftExcluded => "GIFT_EXCLUDED",
            Code::Incompatible => "INCOMPATIBLE",
            Code::Muted => "MUTED",
            Code::Forgotten => "FORGOTTEN",
            Code::OutOfStock => "OUT_OF_STOCK",
            Code::CategoryCap => "CATEGORY_CAP",
            Code::Diversity => "DIVERSITY",
            Code::Fatigue => "FATIGUE",
            Code::Compliance => "COMPLIANCE",
            Code::BrandRule => "BRAND_RULE",
            Code::ThinData => "THIN_DATA",
        }
    }
}

/// What the per-item guardrails look at, built once per call.
pub struct GuardCtx<'a> {
    pub c: &'a Catalog,
    pub s: &'a Settings,
    pub prefs: &'a Prefs,
    pub taste: &'a Taste,
    pub cleaned: &'a Cleaned,
    pub now: i64,
    pub surface: Surface,
    pub eligible_alcohol: bool,
    pub eligible_tobacco: bool,
    /// Impressions without a click inside the fatigue window, per product (already past the threshold or not).
    pub unclicked: &'a FxHashMap<Pid, u32>,
    /// A shared device, or a household account detected in the history.
    pub shared: bool,
}

/// The per-item guardrails, in order: the first that applies names the removal. `personal` says the candidate was
/// chosen from the shopper's own history (what `SHARED_DEVICE` hides when the policy says so).
pub fn check(ctx: &GuardCtx<'_>, p: Pid, personal: bool) -> Option<Code> {
    if muted::forgotten(ctx, p) {
        return Some(Code::Forgotten);
    }
    if muted::muted(ctx, p) {
        return Some(Code::Muted);
    }
    if compliance::blocks(ctx, p) {
        return Some(Code::Compliance);
    }
    if sensitive::blocks(ctx, p) {
        return Some(Code::SensitiveClass);
    }
    if shared_device::blocks(ctx, p, personal) {
        return Some(Code::SharedDevice);
    }
    if stock::blocks(ctx, p) {
        return Some(Code::OutOfStock);
    }
    if returned::blocks(ctx, p) {
        return Some(Code::Returned);
    }
    if ownership::blocks(ctx, p) {
        return Some(Code::OwnedDurable);
    }
    if not_due::blocks(ctx, p) {
        return Some(Code::NotDue);
    }
    if compatibility::blocks(ctx, p) {
        return Some(Code::Incompatible);
    }
    if brand::blocks_on_surface(ctx, p) {
        return Some(Code::BrandRule);
    }
    if fatigue::blocks(ctx, p) {
        return Some(Code::Fatigue);
    }
    None
}

/// The words a shopper reads for a removal.
pub fn explain(ctx: &GuardCtx<'_>, code: Code, p: Pid) -> String {
    match code {
        Code::NoConsent => consent::TEXT.to_string(),
        Code::SensitiveClass => sensitive::TEXT.to_string(),
        Code::SharedDevice => shared_device::TEXT.to_string(),
        Code::OwnedDurable => ownership::explain(ctx, p),
        Code::NotDue => not_due::explain(ctx, p),
        Code::Returned => returned::TEXT.to_string(),
        Code::GiftExcluded => gift::TEXT.to_string(),
        Code::Incompatible => compatibility::explain(ctx, p),
        Code::Muted => muted::MUTED_TEXT.to_string(),
        Code::Forgotten => muted::FORGOTTEN_TEXT.to_string(),
        Code::OutOfStock => stock::TEXT.to_string(),
        Code::CategoryCap => diversity::cap_text(ctx, p),
        Code::Diversity => diversity::DIVERSITY_TEXT.to_string(),
        Code::Fatigue => fatigue::TEXT.to_string(),
        Code::Compliance => compliance::TEXT.to_string(),
        Code::BrandRule => brand::TEXT.to_string(),
        Code::ThinData => thin_data::TEXT.to_string(),
    }
}
