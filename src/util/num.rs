//! Numbers as they leave the engine.

/// Rounds to 6 decimals: stable across platforms' last-bit float differences; a non-finite value becomes 0, so every
/// number returned is finite.
pub fn round6(v: f64) -> f64 {
    if v.is_finite() {
        (v * 1e6).round() / 1e6
    } else {
        0.0
    }
}
