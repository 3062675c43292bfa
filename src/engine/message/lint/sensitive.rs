//! `SENSITIVE_SUBJECT`: a word of a sensitive class (pregnancy, fertility, incontinence, debt, …; the lists are in
//! `words.rs`) in the subject or preheader. Inboxes, lock screens and notification previews show those to whoever is
//! nearby, whether or not the shopper opted into the class; the body, read by the shopper alone, is not checked.
//! Policy `sensitiveClasses` chooses the classes (default: all but alcohol and tobacco).

use crate::engine::message::lint::{quoted, Ctx, Field, LintField, LintIssue};
use crate::engine::message::lint_policy::phrases;
use crate::engine::message::words::sensitive_words;

pub const CODE: &str = "SENSITIVE_SUBJECT";

pub fn check(ctx: &Ctx<'_>, f: &Field<'_>, out: &mut Vec<LintIssue>) {
    for &class in &ctx.s.sensitive_classes {
        let phrases = phrases(sensitive_words(class));
        for i in 0..f.items.len() {
            let Some(j) = phrases.iter().find_map(|p| p.matches_at(&f.items, i)) else { continue };
            let mut m = quoted(f.quote(i, j));
            m.push_str(" in the ");
            m.push_str(if f.field == LintField::Subject { "subject" } else { "preheader" });
            m.push_str(" reveals a sensitive topic (");
            m.push_str(class.as_str());
            m.push_str(") to whoever sees the screen.");
            out.push(f.issue(CODE, m, i, j));
        }
    }
}
