//! `liftReport`: what a message did, from aggregated counts of the treated group and the holdout.
//!
//! The difference of conversion rates (treated − holdout) comes with a 95 % confidence interval by Newcombe's hybrid
//! score method (Newcombe 1998, method 10: Wilson score intervals of each rate, combined), which keeps its coverage
//! with small groups and rates near 0, where the Wald interval does not. The relative lift (treated / holdout − 1)
//! comes with the Katz log interval of the rate ratio, and is absent (`null`) when either group has no
//! conversions. `significant` is true when the difference's interval excludes 0.

use crate::contract::error::Error;
use crate::message::round6;
use serde::{Deserialize, Serialize};

/// z for a two-sided 95 % interval.
const Z: f64 = 1.959_963_984_540_054;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Arm {
    /// Customers in the group (≥ 1).
    pub n: u32,
    /// Of them, how many converted (≤ n).
    pub conversions: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LiftRequest {
    pub treated: Arm,
    pub holdout: Arm,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct LiftReport {
    pub treated_rate: f64,
    pub holdout_rate: f64,
    /// treated rate − holdout rate.
    pub difference: f64,
    /// 95 % interval of the difference (Newcombe hybrid score).
    pub difference_low: f64,
    pub difference_high: f64,
    /// treated rate / holdout rate − 1; null when either group has no conversions.
    pub relative_lift: Option<f64>,
    /// 95 % interval of the relative lift (Katz log method); null with `relativeLift`.
    pub relative_low: Option<f64>,
    pub relative_high: Option<f64>,
    /// The difference's interval excludes 0.
    pub significant: bool,
    /// `"newcombe-wilson"`.
    pub method: String,
}

/// Wilson score interval of a proportion.
fn wilson(x: f64, n: f64) -> (f64, f64) {
    let p = x / n;
    let z2 = Z * Z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

fn check(arm: Arm, path: &str) -> Result<(), Error> {
    if arm.n == 0 {
        return Err(Error::invalid(path, "n must be at least 1"));
    }
    if arm.conversions > arm.n {
        return Err(Error::invalid(path, "conversions must not exceed n"));
    }
    Ok(())
}

pub fn report(req: &LiftRequest) -> Result<LiftReport, Error> {
    check(req.treated, "treated")?;
    check(req.holdout, "holdout")?;
    let (x1, n1) = (f64::from(req.treated.conversions), f64::from(req.treated.n));
    let (x0, n0) = (f64::from(req.holdout.conversions), f64::from(req.holdout.n));
    let (p1, p0) = (x1 / n1, x0 / n0);
    let (l1, u1) = wilson(x1, n1);
    let (l0, u0) = wilson(x0, n0);
    let d = p1 - p0;
    let low = d - ((p1 - l1).powi(2) + (u0 - p0).powi(2)).sqrt();
    let high = d + ((u1 - p1).powi(2) + (p0 - l0).powi(2)).sqrt();
    let relative = (x1 > 0.0 && x0 > 0.0).then(|| {
        let ln_rr = (p1 / p0).ln();
        let se = (1.0 / x1 - 1.0 / n1 + 1.0 / x0 - 1.0 / n0).max(0.0).sqrt();
        // e^x as 2^(x·log2 e): exp2 is in the build already, exp would add its own code.
        let exp = |x: f64| (x * std::f64::consts::LOG2_E).exp2();
        (p1 / p0 - 1.0, exp(ln_rr - Z * se) - 1.0, exp(ln_rr + Z * se) - 1.0)
    });
    Ok(LiftReport {
        treated_rate: round6(p1),
        holdout_rate: round6(p0),
        difference: round6(d),
        difference_low: round6(low),
        difference_high: round6(high),
        relative_lift: relative.map(|r| round6(r.0)),
        relative_low: relative.map(|r| round6(r.1)),
        relative_high: relative.map(|r| round6(r.2)),
        significant: low > 0.0 || high < 0.0,
        method: "newcombe-wilson".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lift(x1: u32, n1: u32, x0: u32, n0: u32) -> Result<LiftReport, Error> {
        report(&LiftRequest { treated: Arm { n: n1, conversions: x1 }, holdout: Arm { n: n0, conversions: x0 } })
    }

    #[test]
    fn matches_newcombes_worked_examples() {
        // Newcombe (1998), Table II: 56/70 vs 48/80 → 0.2000 (0.0524, 0.3339); 9/10 vs 3/10 → (0.1705, 0.8090).
        let r = lift(56, 70, 48, 80).unwrap();
        assert_eq!(r.difference, 0.2);
        assert!((r.difference_low - 0.0524).abs() < 5e-4 && (r.difference_high - 0.3339).abs() < 5e-4, "{r:?}");
        assert!(r.significant);
        let r = lift(9, 10, 3, 10).unwrap();
        assert!((r.difference_low - 0.1705).abs() < 5e-4 && (r.difference_high - 0.8090).abs() < 5e-4, "{r:?}");
        // 0/10 vs 0/20: the interval still exists and straddles 0.
        let r = lift(0, 10, 0, 20).unwrap();
        assert!(r.difference_low < 0.0 && r.difference_high > 0.0 && !r.significant);
        assert_eq!(r.relative_lift, None);
    }

    #[test]
    fn relative_lift_and_its_interval() {
        let r = lift(120, 1000, 100, 1000).unwrap();
        assert_eq!(r.relative_lift, Some(0.2));
        let (lo, hi) = (r.relative_low.unwrap(), r.relative_high.unwrap());
        assert!(lo < 0.2 && hi > 0.2 && lo < 0.0, "not significant at this size: {lo} {hi}");
        assert!(!r.significant);
    }

    #[test]
    fn bad_counts_name_their_group() {
        assert_eq!(lift(1, 0, 1, 10).unwrap_err().path, "treated");
        assert_eq!(lift(1, 10, 11, 10).unwrap_err().path, "holdout");
    }
}
