//! `BRAND_RULE`: placements that break brand guidelines (policy `brandRules`): a brand kept off some surfaces
//! (`notOn`), or never in a list that also holds products with certain tags (`notWithTags`, e.g. a premium brand never
//! beside clearance items). The list-level rule runs in re-ranking.

use crate::engine::catalog::{Catalog, Pid, NONE};
use crate::engine::policy::BrandRule;
use crate::engine::stages::guard::GuardCtx;

pub const TEXT: &str = "Not shown here, by the brand's guidelines.";

fn rules_for<'a>(c: &'a Catalog, rules: &'a [BrandRule], p: Pid) -> impl Iterator<Item = &'a BrandRule> + 'a {
    let b = c.brand_of(p);
    rules.iter().filter(move |r| b != NONE && c.brand_name(b).eq_ignore_ascii_case(&r.brand))
}

pub fn blocks_on_surface(ctx: &GuardCtx<'_>, p: Pid) -> bool {
    rules_for(ctx.c, &ctx.s.brand_rules, p).any(|r| r.not_on.as_ref().is_some_and(|s| s.contains(&ctx.surface)))
}

/// Whether `p` may not stand in a list that holds `others`.
pub fn clashes(c: &Catalog, rules: &[BrandRule], p: Pid, others: &[Pid]) -> bool {
    rules_for(c, rules, p).any(|r| {
        r.not_with_tags.as_ref().is_some_and(|tags| {
            others
                .iter()
                .any(|&o| c.tags_of(o).iter().any(|&t| tags.iter().any(|tag| c.tag_name(t).eq_ignore_ascii_case(tag))))
        })
    })
}
