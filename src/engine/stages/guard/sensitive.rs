//! `SENSITIVE_CLASS`: products of a sensitive class (pregnancy and baby, intimate care, medical, …) are never ranked
//! without an explicit opt-in for that class, and never in email or push (subject matter others may see), opt-in or
//! not. The history side (never used as evidence) is in `clean`. A class comes from the catalog's `sensitivity` or the
//! policy's `sensitiveCategories` mapping; with neither, a product is not sensitive.

use crate::engine::catalog::Pid;
use crate::engine::stages::guard::GuardCtx;

pub const TEXT: &str = "Hidden: a sensitive category you have not chosen to see here.";

pub fn blocks(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    let class = ctx.c.sensitivity_of(p);
    class != 0 && (!ctx.prefs.opted_into(class) || ctx.surface.is_message())
}
