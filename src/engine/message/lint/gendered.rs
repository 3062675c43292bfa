//! `GENDERED`: gendered salutations and words (Mr/Mrs/Ms/Miss before a name, "ladies", "gents", "for her", "for
//! him", "your wife", …) and merge tokens that fill in a gender (`{{title}}`, `{{salutation}}`, `{{gender}}`).
//! tactful never infers gender, least of all from a first name (Loren, Sasha, Jordan and Kim are worn by everyone):
//! only a preference the shopper stated counts. A confirmed fact `gender` or `pronouns` ("female", "she/her",
//! "male", "he/him") allows the words of that gender; a confirmed `salutation` ("Ms") allows that salutation and
//! its token.

use crate::engine::message::lint::{quoted, Ctx, FactValue, Facts, Field, LintIssue};
use crate::engine::message::text::{Item, Kind, Phrase};
use crate::engine::message::words::{GENDERED, GENDER_FIELDS};

pub const CODE: &str = "GENDERED";

/// The gender the shopper stated, if any: `f` or `m`.
fn stated(facts: &Facts) -> Option<u8> {
    ["gender", "pronouns", "pronoun"].iter().find_map(|name| match &facts.confirmed(name)?.value {
        Some(FactValue::Text(v)) => {
            let v = v.trim().to_lowercase();
            if ["f", "w", "she", "her"].iter().any(|p| v.starts_with(p)) {
                Some(b'f')
            } else if ["m", "he", "him"].iter().any(|p| v.starts_with(p)) {
                Some(b'm')
            } else {
                None
            }
        }
        _ => None,
    })
}

fn stated_salutation(facts: &Facts) -> Option<String> {
    match &facts.confirmed("salutation")?.value {
        Some(FactValue::Text(v)) => Some(v.trim().trim_end_matches('.').to_lowercase()),
        _ => None,
    }
}

/// Words after "Miss" that make it the verb in Title Case copy ("Don't Miss Out", "Never Miss A Deal").
const NOT_A_NAME: &[&str] = &[
    "out", "a", "an", "the", "this", "that", "these", "those", "it", "our", "your", "any", "another", "anything",
    "them", "us", "me", "you", "what", "new", "deals", "sale",
];
/// Words before "Miss" that make it the verb.
const VERB_BEFORE: &[&str] = &["don't", "dont", "never", "not", "won't", "can't", "to", "will", "you'll", "didn't"];

/// A salutation names someone: a merge token or a capitalised name follows (and, for "Miss", it is not the verb).
fn names_someone(items: &[Item], i: usize, j: usize, phrase: &str) -> bool {
    match items.get(j + 1) {
        Some(n) if n.kind == Kind::Token => true,
        Some(n) if n.kind == Kind::Word && n.capital => {
            phrase != "miss"
                || !(NOT_A_NAME.contains(&n.text.as_str())
                    || i.checked_sub(1)
                        .and_then(|p| items.get(p))
                        .is_some_and(|p| VERB_BEFORE.contains(&p.text.as_str())))
        }
        _ => false,
    }
}

pub fn check(ctx: &Ctx<'_>, f: &Field<'_>, out: &mut Vec<LintIssue>) {
    let items = &f.items;
    let gender = stated(ctx.facts);
    let salutation = stated_salutation(ctx.facts);
    let mut parsed = Vec::with_capacity(GENDERED.len());
    for g in GENDERED {
        parsed.push((g, Phrase::parse(g.phrase)));
    }
    for (i, it) in items.iter().enumerate() {
        if it.kind == Kind::Token {
            if GENDER_FIELDS.contains(&it.text.as_str()) && ctx.facts.confirmed(&it.text).is_none() {
                let mut m = String::from(f.quote(i, i));
                m.push_str(" fills in a gender the shopper never stated; tactful never guesses one.");
                out.push(f.issue(CODE, m, i, i));
            }
            continue;
        }
        for (g, phrase) in &parsed {
            let Some(j) = phrase.matches_at(items, i) else { continue };
            if g.salutation && !(it.capital && names_someone(items, i, j, g.phrase)) {
                continue;
            }
            if gender == Some(g.gender) || salutation.as_deref() == Some(g.phrase) {
                continue;
            }
            let mut m = quoted(f.quote(i, j));
            m.push_str(" assumes a gender the shopper never stated.");
            out.push(f.issue(CODE, m, i, j));
            break;
        }
    }
}
