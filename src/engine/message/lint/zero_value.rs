//! `ZERO_VALUE`: a zero or negative amount shown to the shopper ("your balance is $0", "$0.00 in rewards",
//! "0 points", "-$5.00"), or a merge token whose fact is zero or less. Nobody wants a reminder of what they do not
//! have. An amount is money when a currency sign stands beside it, a unit follows it (`USD`, `points`, `credits`,
//! …), or a value word comes up to three words before it (`balance`, `points`, `rewards`, …). Free things are not
//! flagged: a zero followed by `shipping`, `delivery`, `fee(s)`, `down` or `interest` is an offer.

use crate::engine::message::lint::{quoted, Ctx, FactValue, Field, LintIssue};
use crate::engine::message::text::{Item, Kind};

pub const CODE: &str = "ZERO_VALUE";

const UNITS: &[&str] = &[
    "usd", "eur", "gbp", "cad", "aud", "dollar", "dollars", "euro", "euros", "pound", "pounds", "cents", "point",
    "points", "pts", "credit", "credits", "miles", "stars", "coins", "rewards",
];
const VALUE_WORDS: &[&str] =
    &["balance", "credit", "credits", "points", "rewards", "wallet", "savings", "cashback", "remaining"];
const FREE: &[&str] = &["shipping", "delivery", "fee", "fees", "down", "interest", "postage"];

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
        if num.kind != Kind::Number {
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
