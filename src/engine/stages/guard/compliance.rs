//! `COMPLIANCE`: regulated classes (policy `regulatedClasses`, default alcohol and tobacco) appear only when the
//! retailer verified the shopper (`context.eligibility`, never self-declared), and never on email or push unless the
//! policy's `regulatedOnMessages` allows it.

use crate::contract::input::SensitivityClass;
use crate::engine::catalog::Pid;
use crate::engine::stages::guard::GuardCtx;

pub const TEXT: &str = "Not shown: this needs an age or eligibility check.";

pub fn blocks(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    let class = ctx.c.sensitivity_of(p);
    if class == 0 {
        return false;
    }
    ctx.s.regulated_classes.iter().filter(|r| class & r.bit() != 0).any(|r| {
        let eligible = match r {
            SensitivityClass::Alcohol => ctx.eligible_alcohol,
            SensitivityClass::Tobacco => ctx.eligible_tobacco,
            // Other regulated classes have no eligibility flag yet: never shown.
            _ => false,
        };
        !eligible || (ctx.surface.is_message() && !ctx.s.regulated_on_messages)
    })
}
