//! `INCOMPATIBLE`: an accessory (a product with `compatibleWith`) is not offered when the shopper owns a product line
//! of the same family but none of the lines it fits — no iPhone case for an iPad owner. Families are declared, never
//! guessed from the shape of the category tree: the policy's `productFamilies` maps a line to its family; lines it
//! does not name are all one family (so, with no declaration, an accessory is offered only to a shopper who owns a
//! line it fits, or who owns no line at all). A shopper who owns nothing of the family is not judged (no rule): we
//! only know what was bought here.

use crate::engine::catalog::{Catalog, Pid};
use crate::engine::disclose::Gate;
use crate::engine::policy::Settings;
use crate::engine::stages::guard::GuardCtx;

/// The family a product line belongs to: the policy's declaration, or `None` (the one undeclared family).
pub fn family<'a>(c: &Catalog, s: &'a Settings, line: u32) -> Option<&'a str> {
    s.product_families.get(&c.line_name(line).to_lowercase()).map(String::as_str)
}

pub fn same_family(c: &Catalog, s: &Settings, a: u32, b: u32) -> bool {
    family(c, s, a) == family(c, s, b)
}

/// The owned line of the accessory's family that it does not fit, if any.
pub fn mismatch(ctx: &GuardCtx<'_>, p: Pid) -> Option<u32> {
    let fits = ctx.c.compatible_lines(p);
    if fits.is_empty() || fits.iter().any(|l| ctx.taste.owned_lines.contains(l)) {
        return None;
    }
    let owned: Vec<(u32, f64)> = ctx.taste.owned_lines.iter().map(|&l| (l, 0.0)).collect();
    crate::util::order::by_weight_desc(&owned)
        .into_iter()
        .find(|&o| fits.iter().any(|&l| same_family(ctx.c, ctx.s, o, l)))
}

pub fn blocks(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    mismatch(ctx, p).is_some()
}

/// Names the owned line only when a product of it that the shopper bought may be named here.
pub fn explain(ctx: &GuardCtx<'_>, gate: &Gate<'_>, p: Pid) -> String {
    let nameable = |line: u32| ctx.taste.products.keys().any(|&o| ctx.c.line_of(o) == line && gate.may_name(o));
    match mismatch(ctx, p) {
        Some(line) if nameable(line) => format!("Does not fit your {}.", ctx.c.line_name(line)),
        _ => "Does not fit what you own.".to_string(),
    }
}
