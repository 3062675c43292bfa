//! `NOT_DUE`: a consumable the shopper bought is not offered again before its repurchase window opens — at
//! the policy's `dueWindow` share of the interval (the shopper's own median gap shrunk toward the catalog's `repurchaseDays`).
//! Only products the catalog states as consumable: an unknown lifecycle is `regular`, which keeps the repeat signal
//! (soft recency terms only).

use crate::contract::input::LifecycleKind;
use crate::contract::time::MS_PER_DAY;
use crate::engine::catalog::Pid;
use crate::engine::stages::guard::GuardCtx;

/// (days since last purchase, interval) for a consumable bought before.
pub fn timing(ctx: &GuardCtx<'_>, p: Pid) -> Option<(f64, f64)> {
    if ctx.c.lifecycle_of(p) != LifecycleKind::Consumable {
        return None;
    }
    let stat = ctx.taste.products.get(&p)?;
    let (interval, _) = stat.interval?;
    Some(((ctx.now - stat.last) as f64 / MS_PER_DAY as f64, interval))
}

pub fn blocks(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    timing(ctx, p).is_some_and(|(since, interval)| since < ctx.s.due_window * interval)
}

pub fn explain(ctx: &GuardCtx<'_>, p: Pid) -> String {
    match timing(ctx, p) {
        Some((since, interval)) => format!(
            "You bought this {} ago; you usually need it about every {}.",
            crate::engine::phrases::days_words(since),
            crate::engine::phrases::days_words(interval)
        ),
        None => "Not due yet.".to_string(),
    }
}
