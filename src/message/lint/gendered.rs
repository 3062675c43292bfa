//! `GENDERED`: gendered salutations and words (Mr/Mrs/Ms/Miss before a name, "ladies", "gents", "for her", "for
//! him", "your wife", …) and merge tokens that fill in a gender (`{{title}}`, `{{salutation}}`, `{{gender}}`).
//! tactful never infers gender, least of all from a first name (Loren, Sasha, Jordan and Kim are worn by everyone):
//! only a preference the shopper stated counts. A confirmed fact `pronouns` ("she/her", "he/him") or, without one,
//! `gender` ("female", "male") allows the words of that gender; pronouns of neither ("they/them", "xe", "any")
//! allow none (see [`gender_of`]). A confirmed `salutation` ("Ms", "Mx") allows that salutation and its token.

use crate::message::lint::{quoted, Ctx, FactValue, Facts, Field, LintIssue};
use crate::message::text::{Item, Kind, Phrase};
use crate::message::words::{GENDERED, GENDER_FIELDS};

pub const CODE: &str = "GENDERED";

/// Words of a stated gender or pronoun set that mean `f`.
const FEMALE: &[&str] = &["she", "her", "hers", "herself", "female", "woman", "women"];
/// Words of a stated gender or pronoun set that mean `m`.
const MALE: &[&str] = &["he", "him", "his", "himself", "male", "man", "men"];

/// What one stated value says: `f`, `m`, or neither. The value is split into words at anything but a letter
/// ("she/her", "He / Him", "trans woman"); a word from [`FEMALE`] or [`MALE`] decides. A value with words of both
/// ("he/she") or of neither ("they/them", "xe/xem", "any", "non-binary") is neither, so it licenses no gendered
/// word: Ms/Mrs/Miss need she/her or female, Mr needs he/him or male. A mixed set with one gendered part
/// ("she/they") counts as that gender: the shopper named it among their pronouns. A one-letter value `f` or `m`
/// (a form's gender field) counts too; no prefix test, so "they" is not "the…" of anything.
fn gender_of(value: &str) -> Option<u8> {
    let v = value.trim().to_lowercase();
    match v.as_str() {
        "f" => return Some(b'f'),
        "m" => return Some(b'm'),
        _ => {}
    }
    let (mut f, mut m) = (false, false);
    for w in v.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
        f |= FEMALE.contains(&w);
        m |= MALE.contains(&w);
    }
    match (f, m) {
        (true, false) => Some(b'f'),
        (false, true) => Some(b'm'),
        _ => None,
    }
}

/// The gender the shopper stated, if any: `f` or `m`. Confirmed `pronouns` (or `pronoun`) decide when stated, as
/// how the shopper asks to be addressed, even when they license nothing ("they/them" with a gender "female" still
/// allows no "Ms"); otherwise a confirmed `gender`.
fn stated(facts: &Facts) -> Option<u8> {
    let text = |name: &str| match &facts.confirmed(name)?.value {
        Some(FactValue::Text(v)) if !v.trim().is_empty() => Some(v.clone()),
        _ => None,
    };
    match text("pronouns").or_else(|| text("pronoun")) {
        Some(pronouns) => gender_of(&pronouns),
        None => text("gender").and_then(|g| gender_of(&g)),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stated_values_are_read_as_words_not_prefixes() {
        for v in ["she/her", "She / Her", "she", "her", "hers", "female", "Woman", "trans woman", "F", "she/they"] {
            assert_eq!(gender_of(v), Some(b'f'), "{v}");
        }
        for v in ["he/him", "He/Him/His", "him", "male", "Man", "trans man", "m", "he/they"] {
            assert_eq!(gender_of(v), Some(b'm'), "{v}");
        }
        // "they" starts with "the", "them" with "he"'s letters, "hen" with "he", "mx" with "m", "whatever" with "w":
        // none of them is a gender.
        for v in [
            "they/them",
            "they",
            "them",
            "xe/xem",
            "ze/hir",
            "any",
            "any pronouns",
            "non-binary",
            "nonbinary",
            "Mx",
            "hen",
            "ask me",
            "he/she",
            "prefer not to say",
            "",
            "fm",
            "whatever",
        ] {
            assert_eq!(gender_of(v), None, "{v}");
        }
    }
}
