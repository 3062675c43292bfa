//! `RETURNED`: a product the shopper returned is not offered again — until they buy it again (`clean` keeps a return
//! only while no later purchase of the product follows it).

use crate::engine::catalog::Pid;
use crate::engine::stages::guard::GuardCtx;

pub const TEXT: &str = "You returned this.";

pub fn blocks(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    ctx.cleaned.returned.contains_key(&p)
}
