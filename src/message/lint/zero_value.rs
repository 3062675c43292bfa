//! `ZERO_VALUE`: a zero or negative amount shown to the shopper ("your balance is $0", "$0.00 in rewards",
//! "0 points", "£0", "-$5.00"), the same in words ("your balance is zero", "zero points", "no points left", "you
//! have no rewards", "nothing left on your card", "points: none"), or a merge token whose fact is zero or less.
//! Nobody wants a reminder of what they do not have. An amount is money when a currency sign stands beside it, a
//! unit follows it (`USD`, `points`, `credits`, …), or a value word comes up to three words before it (`balance`,
//! `points`, `rewards`, …). Free things are not flagged: a zero followed by `shipping`, `delivery`, `fee(s)`, `down`
//! or `interest` is an offer, and so is a percentage (`0% APR`, "balance transfers at 0%"). A zero word directly
//! followed by another word is a modifier, not an amount ("zero waste", "rewards for zero-sugar drinks"), unless that
//! word is `left`, `remaining`, `yet`, … ("balance: zero left").

use crate::message::lint::{quoted, Ctx, FactValue, Field, LintIssue};
use crate::message::text::{Item, Kind};

pub const CODE: &str = "ZERO_VALUE";

const UNITS: &[&str] = &[
    "usd", "eur", "gbp", "cad", "aud", "dollar", "dollars", "euro", "euros", "pound", "pounds", "cents", "point",
    "points", "pts", "credit", "credits", "miles", "stars", "coins", "rewards",
];
const VALUE_WORDS: &[&str] =
    &["balance", "credit", "credits", "points", "rewards", "wallet", "savings", "cashback", "remaining"];
const FREE: &[&str] = &["shipping", "delivery", "fee", "fees", "down", "interest", "postage"];
/// Words that say zero: with a unit after (`zero points`, `nil balance`) or a value word before (`balance: none`).
const ZERO_WORDS: &[&str] = &["zero", "nil", "none", "empty"];
/// Of [`ZERO_WORDS`], those that take a unit (or a holding: `zero balance`) after them.
const ZERO_WITH_UNIT: &[&str] = &["zero", "nil"];
/// What a shopper can have none of: "no points left", "you have no rewards".
const HOLDINGS: &[&str] = &[
    "point", "points", "pts", "credit", "credits", "miles", "stars", "coins", "rewards", "balance", "funds", "money",
    "cashback", "savings",
];
/// After a holding, these make "no …" a zero value: "no points left", "no credit remaining".
const LEFT: &[&str] = &["left", "remaining", "yet", "available", "saved", "banked", "earned"];
/// Before "no", these make it a zero value: "you have no points".
const HAVE: &[&str] = &["have", "has", "got", "you've", "there's"];
/// Words that may directly follow a zero word without making it a modifier: "zero left", "none yet".
const AFTER_ZERO: &[&str] = &["left", "remaining", "yet", "today", "now", "so", "still", "again", "on", "in"];
/// Where value is kept: "nothing left on your card", "nothing in your wallet".
const PLACES: &[&str] = &["card", "wallet", "account", "balance", "credit", "points", "rewards"];

fn is_minus(it: &Item) -> bool {
    it.kind == Kind::Sign && (it.text == "-" || it.text == "−")
}

fn is_currency(it: &Item) -> bool {
    it.kind == Kind::Sign && !is_minus(it)
}

/// Items touching (no gap) or separated by one space at most.
fn close(a: &Item, b: &Item) -> bool {
    b.start <= a.end + 1
}

pub fn check(ctx: &Ctx<'_>, f: &Field<'_>, out: &mut Vec<LintIssue>) {
    let items = &f.items;
    let at = |i: usize| items.get(i);
    for (n, num) in items.iter().enumerate() {
        if num.kind == Kind::Token {
            if let Some(fact) = ctx.facts.get(&num.text).and_then(|fact| fact.value.as_ref()) {
                if renders_zero(fact) {
                    let mut m = String::from(f.quote(n, n));
                    m.push_str(" renders zero or less for this shopper.");
                    out.push(f.issue(CODE, m, n, n));
                }
            }
            continue;
        }
        if num.kind == Kind::Word {
            zero_words(f, n, out);
            continue;
        }
        if num.kind != Kind::Number || f.text.get(num.byte_end..).is_some_and(|r| r.starts_with('%')) {
            continue;
        }
        let zero = num.text.bytes().all(|b| b == b'0' || b == b'.' || b == b',');
        // Signs just before: `$0`, `-5`, `-$5`, `$-5`.
        let mut first = n;
        let mut minus = false;
        let mut currency = false;
        for back in 1..=2 {
            let (Some(prev), Some(next)) = (n.checked_sub(back).and_then(at), at(n + 1 - back)) else { break };
            if prev.kind != Kind::Sign || !close(prev, next) {
                break;
            }
            minus |= is_minus(prev);
            currency |= is_currency(prev);
            first = n - back;
        }
        let mut last = n;
        let after = at(n + 1);
        if after.is_some_and(|a| is_currency(a) && close(num, a)) {
            currency = true;
            last = n + 1;
        }
        let unit = after.is_some_and(|a| a.kind == Kind::Word && UNITS.contains(&a.text.as_str()));
        if unit {
            last = n + 1;
        }
        let valued = (first.saturating_sub(3)..first)
            .any(|i| at(i).is_some_and(|w| w.kind == Kind::Word && VALUE_WORDS.contains(&w.text.as_str())));
        let free = at(last + 1).is_some_and(|w| w.kind == Kind::Word && FREE.contains(&w.text.as_str()))
            || after.is_some_and(|w| w.kind == Kind::Word && FREE.contains(&w.text.as_str()));
        if !(currency || unit || valued) || !(minus || (zero && !free)) {
            continue;
        }
        let mut m = quoted(f.quote(first, last));
        m.push_str(if minus { " shows a negative amount." } else { " shows a zero value." });
        out.push(f.issue(CODE, m, first, last));
    }
}

fn word_in(it: Option<&Item>, list: &[&str]) -> bool {
    it.is_some_and(|w| w.kind == Kind::Word && list.contains(&w.text.as_str()))
}

/// A zero said in words, starting at item `n`.
fn zero_words(f: &Field<'_>, n: usize, out: &mut Vec<LintIssue>) {
    let items = &f.items;
    let at = |i: usize| items.get(i);
    let Some(word) = at(n) else { return };
    let valued = (n.saturating_sub(3)..n).any(|i| word_in(at(i), VALUE_WORDS));
    // The next word, when only spaces or hyphens stand between: "zero waste", "zero-sugar".
    let joined = at(n + 1).filter(|next| {
        next.kind == Kind::Word
            && f.text.get(word.byte_end..next.byte_start).is_some_and(|gap| gap.chars().all(|c| c == ' ' || c == '-'))
    });
    let span = match word.text.as_str() {
        w if ZERO_WORDS.contains(&w) => {
            let unit = word_in(at(n + 1), UNITS) || word_in(at(n + 1), HOLDINGS);
            if ZERO_WITH_UNIT.contains(&w) && unit && !word_in(at(n + 2), FREE) {
                Some(n + 1)
            } else if valued && joined.is_none_or(|j| AFTER_ZERO.contains(&j.text.as_str())) {
                Some(if word_in(at(n + 1), LEFT) { n + 1 } else { n })
            } else {
                None
            }
        }
        "no" if word_in(at(n + 1), HOLDINGS) && !word_in(at(n + 2), FREE) => {
            if word_in(at(n + 2), LEFT) {
                Some(n + 2)
            } else if n.checked_sub(1).is_some_and(|p| word_in(at(p), HAVE)) {
                Some(n + 1)
            } else {
                None
            }
        }
        "nothing" => {
            // nothing [left|remaining] on|in [your|the …] card|wallet|…
            let mut k = n + 1;
            if word_in(at(k), &["left", "remaining"]) {
                k += 1;
            }
            let place =
                if word_in(at(k), &["on", "in"]) { (k + 1..=k + 3).rfind(|&i| word_in(at(i), PLACES)) } else { None };
            place.or_else(|| {
                (valued && joined.is_none_or(|j| AFTER_ZERO.contains(&j.text.as_str()))).then_some(if k > n + 1 {
                    n + 1
                } else {
                    n
                })
            })
        }
        _ => None,
    };
    if let Some(last) = span {
        let mut m = quoted(f.quote(n, last));
        m.push_str(" shows a zero value.");
        out.push(f.issue(CODE, m, n, last));
    }
}

/// A fact value of zero or less: a number, or text whose digits are all zeros or which starts with a minus.
fn renders_zero(v: &FactValue) -> bool {
    match v {
        FactValue::Number(n) => *n <= 0.0,
        FactValue::Text(t) => {
            let t = t.trim();
            let digits = t.bytes().filter(u8::is_ascii_digit).count();
            digits > 0
                && (t.bytes().filter(u8::is_ascii_digit).all(|b| b == b'0') || t.starts_with('-') || t.starts_with('−'))
        }
    }
}
