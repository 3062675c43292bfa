//! `NO_CONSENT`: no personal signal is used without consent for that purpose. Personalization consent covers the
//! site; `email` and `push` consent cover those surfaces; the policy's `personalizedSurfaces` can keep a surface
//! impersonal. Without consent the history is not read at all (every line is counted under `NO_CONSENT`), and the
//! ranking is the default one — identical to what a shopper with no history gets.

use crate::contract::codes::SummaryCode;
use crate::contract::input::Surface;
use crate::engine::policy::Settings;
use crate::engine::prefs::Prefs;

pub const TEXT: &str = "Not personalized: you have not agreed to personalization here.";

/// Whether personal signals may be used on `surface`. `Err` says why not (for the audit).
pub fn personal_allowed(prefs: &Prefs, s: &Settings, surface: Surface) -> Result<(), SummaryCode> {
    if !prefs.personalization {
        return Err(SummaryCode::NoConsent);
    }
    let channel = match surface {
        Surface::Email => prefs.email,
        Surface::Push => prefs.push,
        _ => true,
    };
    if !channel {
        return Err(SummaryCode::NoConsent);
    }
    if !s.personalized_surfaces.contains(&surface) {
        return Err(SummaryCode::PolicySurface);
    }
    Ok(())
}
