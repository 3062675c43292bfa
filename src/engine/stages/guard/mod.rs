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

use crate::contract::codes::SummaryCode;
use crate::contract::input::Surface;
use crate::contract::output::SummaryLine;
use crate::engine::catalog::{Catalog, Pid};
use crate::engine::policy::Settings;
use crate::engine::prefs::Prefs;
use crate::engine::stages::clean::Cleaned;
use crate::engine::stages::profile::Taste;
use rustc_hash::FxHashMap;

pub use crate::contract::codes::GuardCode as Code;

impl Code {
    /// Whether removals under this code are named in `Ranking::removed`. Sensitive, regulated, shared-device, muted
    /// and forgotten products are only counted: a "why not?" panel must never put a pregnancy test on screen, nor
    /// show again what the shopper asked not to see.
    pub fn listed(self) -> bool {
        !matches!(
            self,
            Code::SensitiveClass
                | Code::SharedDevice
                | Code::Compliance
                | Code::Muted
                | Code::Forgotten
                | Code::NoConsent
        )
    }

    /// Order in `removed`: what follows from the shopper's own history first (0), then list-level choices (1), then
    /// the catalog's state (2).
    pub fn tier(self) -> u8 {
        match self {
            Code::Returned
            | Code::OwnedDurable
            | Code::NotDue
            | Code::Incompatible
            | Code::GiftExcluded
            | Code::Fatigue => 0,
            Code::CategoryCap | Code::Diversity | Code::BrandRule => 1,
            _ => 2,
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

fn items(n: u32) -> String {
    if n == 1 {
        "1 item".to_string()
    } else {
        format!("{n} items")
    }
}

/// The sentence for `n` removals under `code`.
pub fn summary(code: SummaryCode, n: u32) -> Option<SummaryLine> {
    if n == 0 {
        return None;
    }
    let text = match code {
        SummaryCode::NoConsent => "Your history was not used: you have not agreed to personalization here.".to_string(),
        SummaryCode::PolicySurface => "Not personalized on this page, by the shop's choice.".to_string(),
        SummaryCode::SensitiveClass => {
            format!("{} hidden: sensitive categories you have not chosen to see here.", items(n))
        }
        SummaryCode::SharedDevice => format!("{} hidden because this device is shared.", items(n)),
        SummaryCode::OwnedDurable => format!("{} left out: you already own one.", items(n)),
        SummaryCode::NotDue => format!("{} left out: not due again yet.", items(n)),
        SummaryCode::Returned => format!("{} left out: you returned them.", items(n)),
        SummaryCode::GiftExcluded => format!("{} bought as gifts did not shape your picks.", items(n)),
        SummaryCode::Incompatible => format!("{} left out: they do not fit what you own.", items(n)),
        SummaryCode::Muted => format!("{} hidden: you muted them.", items(n)),
        SummaryCode::Forgotten => format!("{} hidden: topics you asked us to forget.", items(n)),
        SummaryCode::OutOfStock => format!("{} out of stock.", items(n)),
        SummaryCode::CategoryCap => format!("{} left out so one kind does not fill the list.", items(n)),
        SummaryCode::Diversity => format!("{} left out to make room for something different.", items(n)),
        SummaryCode::Fatigue => format!("{} resting: shown to you often lately.", items(n)),
        SummaryCode::Compliance => format!("{} not shown: they need an age or eligibility check.", items(n)),
        SummaryCode::BrandRule => format!("{} not shown here, by brand guidelines.", items(n)),
        SummaryCode::ThinData => thin_data::TEXT.to_string(),
    };
    Some(SummaryLine { code, text })
}

/// The words a shopper reads for a removal. A text that names another product (the one already owned) names it only
/// where the disclosure gate allows.
pub fn explain(ctx: &GuardCtx<'_>, gate: &crate::engine::disclose::Gate<'_>, code: Code, p: Pid) -> String {
    match code {
        Code::NoConsent => consent::TEXT.to_string(),
        Code::SensitiveClass => sensitive::TEXT.to_string(),
        Code::SharedDevice => shared_device::TEXT.to_string(),
        Code::OwnedDurable => ownership::explain(ctx, gate, p),
        Code::NotDue => not_due::explain(ctx, p),
        Code::Returned => returned::TEXT.to_string(),
        Code::GiftExcluded => gift::TEXT.to_string(),
        Code::Incompatible => compatibility::explain(ctx, gate, p),
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
