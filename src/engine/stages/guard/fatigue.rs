//! `FATIGUE`: a product shown `fatigueImpressions` times within `fatigueDays` without a click is rested, from the
//! impressions the page records locally. A click inside the window resets it.

use crate::contract::input::Impression;
use crate::contract::time::MS_PER_DAY;
use crate::engine::catalog::{Catalog, Pid};
use crate::engine::stages::guard::GuardCtx;
use rustc_hash::FxHashMap;

pub const TEXT: &str = "Shown to you several times lately: resting it for a while.";

/// Unclicked impressions inside the window per product; products clicked inside it are left out.
pub fn unclicked(c: &Catalog, impressions: &[Impression], now: i64, window_days: f64) -> FxHashMap<Pid, u32> {
    let from = now - (window_days * MS_PER_DAY as f64) as i64;
    let mut counts: FxHashMap<Pid, u32> = FxHashMap::default();
    let mut clicked: Vec<Pid> = Vec::new();
    for imp in impressions {
        let at = imp.at.millis();
        if at < from || at > now {
            continue;
        }
        let Some(p) = c.pid(&imp.product_id) else {
            continue;
        };
        if imp.clicked == Some(true) {
            clicked.push(p);
        } else {
            *counts.entry(p).or_default() += 1;
        }
    }
    for p in clicked {
        counts.remove(&p);
    }
    counts
}

pub fn blocks(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    ctx.unclicked.get(&p).is_some_and(|&n| n >= ctx.s.fatigue_impressions)
}
