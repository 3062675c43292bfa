//! `INCOMPATIBLE`: an accessory (a product with `compatibleWith`) is not offered when the shopper owns a product line
//! of the same family but none of the lines it fits — no iPhone case for an iPad owner. Two lines are of one family
//! when the catalog's products carrying them share a top-level category (iPad and iPhone both under `Tech`); a line
//! no catalog product carries falls back to its name up to the first `-` (`ipad-pro-11` → `ipad`). A shopper who owns
//! nothing of the family is not judged (no rule): we only know what was bought here.

use crate::engine::catalog::{Catalog, Pid, NONE};
use crate::engine::guard::GuardCtx;

pub fn name_family(line: &str) -> &str {
    line.split('-').next().unwrap_or(line)
}

pub fn same_family(c: &Catalog, a: u32, b: u32) -> bool {
    let (ta, tb) = (c.line_top(a), c.line_top(b));
    if ta != NONE && tb != NONE {
        ta == tb
    } else {
        name_family(c.line_name(a)).eq_ignore_ascii_case(name_family(c.line_name(b)))
    }
}

/// The owned line of the accessory's family that it does not fit, if any.
pub fn mismatch(ctx: &GuardCtx<'_>, p: Pid) -> Option<u32> {
    let fits = ctx.c.compatible_lines(p);
    if fits.is_empty() || fits.iter().any(|l| ctx.taste.owned_lines.contains(l)) {
        return None;
    }
    let owned: Vec<(u32, f64)> = ctx.taste.owned_lines.iter().map(|&l| (l, 0.0)).collect();
    crate::engine::order::by_weight_desc(&owned).into_iter().find(|&o| fits.iter().any(|&l| same_family(ctx.c, o, l)))
}

pub fn blocks(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    mismatch(ctx, p).is_some()
}

pub fn explain(ctx: &GuardCtx<'_>, p: Pid) -> String {
    match mismatch(ctx, p) {
        Some(line) => format!("Does not fit your {}.", ctx.c.line_name(line)),
        None => "Does not fit what you own.".to_string(),
    }
}
