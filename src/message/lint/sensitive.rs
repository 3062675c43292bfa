//! `SENSITIVE_SUBJECT`: a word of a sensitive class (pregnancy, a new baby, fertility, illness, weight loss, debt,
//! bereavement, divorce, …; the lists are in `words.rs`) or one of the shop's own sensitive words in the subject or
//! preheader. Inboxes, lock screens and notification previews show those to whoever is nearby, whether or not the
//! shopper opted into the class; the body, read by the shopper alone, is not checked. Words match whole, case
//! ignored, with their regular inflections ("pregnant", "Pregnancy"; "diets", "dieting" but not "dietary"; see
//! `text::inflects`). Policy `sensitiveClasses` chooses the classes (default: all but alcohol and tobacco), and
//! `sensitiveWords` adds the shop's own words and phrases.

use crate::message::lint::{quoted, Ctx, Field, LintField, LintIssue};

pub const CODE: &str = "SENSITIVE_SUBJECT";

pub fn check(ctx: &Ctx<'_>, f: &Field<'_>, out: &mut Vec<LintIssue>) {
    let phrases = ctx.s.sensitive_phrases();
    let mut i = 0;
    while i < f.items.len() {
        let Some((class, j)) = phrases.iter().find_map(|(c, p)| p.matches_at(&f.items, i).map(|j| (c, j))) else {
            i += 1;
            continue;
        };
        let mut m = quoted(f.quote(i, j));
        m.push_str(" in the ");
        m.push_str(if f.field == LintField::Subject { "subject" } else { "preheader" });
        match class {
            Some(class) => {
                m.push_str(" reveals a sensitive topic (");
                m.push_str(class.as_str());
                m.push(')');
            }
            None => m.push_str(" reveals a topic the shop marked sensitive"),
        }
        m.push_str(" to whoever sees the screen.");
        out.push(f.issue(CODE, m, i, j));
        i = j + 1;
    }
}
