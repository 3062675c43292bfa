//! `CATEGORY_CAP` / `DIVERSITY`: no more than `maxPerCategory` items of one category (the deepest level the catalog
//! states) in a list, and maximal marginal relevance with the policy's `diversity` λ: each next item maximises
//! (1 − λ)·score − λ·(its largest similarity to an item already chosen). Items that relevance alone would have placed
//! in the list but variety displaced are recorded as `DIVERSITY`.

use crate::engine::catalog::{Catalog, Pid, NONE};
use crate::engine::stages::guard::GuardCtx;

pub const DIVERSITY_TEXT: &str = "Made room for something different.";

pub fn cap_text(ctx: &GuardCtx<'_>, p: Pid) -> String {
    let leaf = ctx.c.leaf_of(p);
    if leaf == NONE {
        "Enough of this kind in the list already.".to_string()
    } else {
        format!("Enough {} in the list already.", ctx.c.node_name(leaf))
    }
}

/// Similarity of two products for variety: same product line or leaf 1, same parent category 0.5, same top level
/// 0.25; plus 0.1 for the same brand (capped at 1). Products without categories compare by line and brand only.
pub fn similarity(c: &Catalog, a: Pid, b: Pid) -> f64 {
    if a == b {
        return 1.0;
    }
    let (la, lb) = (c.leaf_of(a), c.leaf_of(b));
    let line = c.line_of(a) != NONE && c.line_of(a) == c.line_of(b);
    let mut sim: f64 = if line || (la != NONE && la == lb) {
        1.0
    } else if la != NONE && lb != NONE {
        let parent = |leaf: u32| c.node(leaf).map_or(NONE, |n| n.parent);
        let (pa, pb) = (parent(la), parent(lb));
        if pa != NONE && pa == pb {
            0.5
        } else if c.ancestors(la).last() == c.ancestors(lb).last() {
            0.25
        } else {
            0.0
        }
    } else {
        0.0
    };
    if c.brand_of(a) != NONE && c.brand_of(a) == c.brand_of(b) {
        sim += 0.1;
    }
    sim.min(1.0)
}
