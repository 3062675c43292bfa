//! `OWNED_DURABLE`: a durable the shopper owns (bought, not returned, within its `lifetimeDays`, or 3 years when the
//! catalog states none) is not offered again — nor its substitutes: other durables in the same leaf category. The
//! second fridge.

use crate::contract::input::LifecycleKind;
use crate::engine::catalog::{Pid, NONE};
use crate::engine::disclose::Gate;
use crate::engine::stages::guard::GuardCtx;

pub fn owned_substitute(ctx: &GuardCtx<'_>, p: Pid) -> Option<Pid> {
    if ctx.c.lifecycle_of(p) != LifecycleKind::Durable {
        return None;
    }
    let leaf = ctx.c.leaf_of(p);
    ctx.taste.owned.iter().find(|o| o.pid == p || (leaf != NONE && ctx.c.leaf_of(o.pid) == leaf)).map(|o| o.pid)
}

pub fn blocks(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    owned_substitute(ctx, p).is_some()
}

pub fn explain(ctx: &GuardCtx<'_>, gate: &Gate<'_>, p: Pid) -> String {
    match owned_substitute(ctx, p) {
        Some(o) if o == p => "You already own this.".to_string(),
        Some(o) if gate.may_name(o) => format!("You already own one: your {}.", ctx.c.title(o)),
        _ => "You already own one.".to_string(),
    }
}
