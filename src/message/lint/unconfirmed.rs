//! `UNCONFIRMED_FACT`: a merge token for a fact the shopper never confirmed. The request's `facts` say which facts
//! the shopper typed in or confirmed; a token for one that is not confirmed (or not listed at all) is flagged, so a
//! name guessed from an email address or a birthday inferred from purchases never reaches the copy. The shop's own
//! fields (`systemTokens`: unsubscribe link, shop name, date) are not facts; gender fields are `GENDERED`'s.

use crate::message::lint::{Ctx, Field, LintIssue};
use crate::message::words::GENDER_FIELDS;

pub const CODE: &str = "UNCONFIRMED_FACT";

pub fn check(ctx: &Ctx<'_>, f: &Field<'_>, out: &mut Vec<LintIssue>) {
    for (i, it) in f.items.iter().enumerate() {
        if !ctx.is_personal(it) || GENDER_FIELDS.contains(&it.text.as_str()) || ctx.facts.confirmed(&it.text).is_some()
        {
            continue;
        }
        let mut m = String::from(f.quote(i, i));
        m.push_str(" renders a fact the shopper never confirmed: confirm it or leave it out.");
        out.push(f.issue(CODE, m, i, i));
    }
}
