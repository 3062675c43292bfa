//! `THIN_DATA` (a mode, not a removal): no personal claims on too little evidence. Evidence counts shopping occasions
//! (orders, or days), each decayed by age. Below the policy's `minEvidence`, or with fewer than `minOccasions`
//! occasions in all (2 in every preset: one order is thin data, however many lines it has), the ranking is `default` —
//! a good non-personal list, never empty; above it the personal weight e / (e + `evidenceHalf`) grows smoothly (no
//! cliff), `blended` until it passes 2/3, then `personal`.

use crate::contract::output::Mode;
use crate::engine::policy::Settings;

pub const TEXT: &str = "Too little history yet for personal picks: showing what most people like.";

/// Personal weight above which the mode is `personal`.
pub const PERSONAL_FROM: f64 = 2.0 / 3.0;

/// (personal weight 0..1, mode) for an evidence level and the number of shopping occasions behind it.
pub fn weigh(s: &Settings, evidence: f64, occasions: u32) -> (f64, Mode) {
    if evidence < s.min_evidence || evidence <= 0.0 || occasions < s.min_occasions {
        return (0.0, Mode::Default);
    }
    let w = evidence / (evidence + s.evidence_half);
    (w, if w >= PERSONAL_FROM { Mode::Personal } else { Mode::Blended })
}
