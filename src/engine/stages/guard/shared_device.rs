//! `SHARED_DEVICE`: on a shared device (the shopper said so) or a household account (the history shows several
//! members or ship-to clusters with conflicting patterns), sensitive products never appear, even opted into, and
//! items chosen from the shopper's own history appear only when the policy's `sharedDevicePersonal` allows it
//! (conservative: no). Prevents the engagement ring on the family laptop.

use crate::engine::catalog::Pid;
use crate::engine::stages::guard::GuardCtx;

pub const TEXT: &str = "Hidden on a shared device: it could reveal something personal.";

pub fn blocks(ctx: &GuardCtx<'_>, p: Pid, personal: bool) -> bool {
    ctx.shared && (ctx.c.sensitivity_of(p) != 0 || (personal && !ctx.s.shared_device_personal))
}
