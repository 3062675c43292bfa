//! `OUT_OF_STOCK`: products the catalog marks `inStock: false` are never offered (an absent flag means in stock).

use crate::engine::catalog::Pid;
use crate::engine::stages::guard::GuardCtx;

pub const TEXT: &str = "Out of stock.";

pub fn blocks(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    !ctx.c.is_in_stock(p)
}
