//! `MUTED` / `FORGOTTEN`: anything the shopper muted (categories, brands, products) never appears; a forgotten topic —
//! a category name at any level, a sensitivity class, a brand or a product id — removes every product under it from
//! the ranking and every line under it from the history (`clean`), in one action ("forget everything baby-related").

use crate::engine::catalog::Pid;
use crate::engine::stages::guard::GuardCtx;

pub const MUTED_TEXT: &str = "You muted this.";
pub const FORGOTTEN_TEXT: &str = "You asked us to forget this topic.";

pub fn muted(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    ctx.prefs.muted.covers(ctx.c, p)
}

pub fn forgotten(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    ctx.prefs.forgotten.covers(ctx.c, p)
}
