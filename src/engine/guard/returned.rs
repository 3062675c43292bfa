//! `RETURNED`: a product the shopper returned is not offered again.

use crate::engine::catalog::Pid;
use crate::engine::guard::GuardCtx;

pub const TEXT: &str = "You returned this.";

pub fn blocks(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    ctx.cleaned.returned.contains_key(&p)
}
